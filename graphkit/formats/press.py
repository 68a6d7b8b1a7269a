"""Press-database exports: many articles in one HTML file, split into one document an article.

The convention (the one HTML gives every export tool): each article is an
``<article>`` element. A page is read as an export when it holds two
``<article>`` elements or more, none inside another, each with a heading, and
at least two of them with 50 words of text or more (a news page with short
« read also » teasers is one article, read by trafilatura). In each article:

- the title is its first ``<h1>``, ``<h2>`` or ``<h3>``;
- the date is the ``datetime`` attribute of its first ``<time>`` element, or
  that element's text;
- the outlet is the text of its first element whose ``class`` names a
  ``source``, ``outlet`` or ``publication`` (in any case, within a longer
  class name too), or whose ``itemprop`` is ``publisher``;
- the url is the ``href`` of its first ``<a rel="bookmark">`` or
  ``<link rel="canonical">``;
- the text is what is left once the title, date and outlet are taken out.

Articles are named ``<file name>#<n>`` (the first is 1).
"""

from __future__ import annotations

from typing import Any

from graphkit.formats import Record
from graphkit.formats.markup import element_text

__all__ = ["split_export", "MIN_WORDS"]

MIN_WORDS = 50
"""Words of text an ``<article>`` needs to count toward recognising an export."""

_OUTLET = (
    ".//*[contains(translate(@class, 'SOURCEOUTLETPUBLICATION', 'sourceoutletpublication'), 'source')"
    " or contains(translate(@class, 'SOURCEOUTLETPUBLICATION', 'sourceoutletpublication'), 'outlet')"
    " or contains(translate(@class, 'SOURCEOUTLETPUBLICATION', 'sourceoutletpublication'), 'publication')"
    " or @itemprop='publisher']"
)


def split_export(page: str, name: str) -> list[Record]:
    """The articles of a press export, or ``[]`` when ``page`` is not one (see the module docstring).

    >>> body = " ".join(["mot"] * 60)
    >>> one = f"<article><h2>Un</h2><time datetime='2024-03-01'>1er mars</time><p>{body}</p></article>"
    >>> [(r.name, r.meta) for r in split_export(f"<html><body>{one}{one}</body></html>", "x.html")]
    [('x.html#1', {'title': 'Un', 'date': '2024-03-01'}), ('x.html#2', {'title': 'Un', 'date': '2024-03-01'})]
    >>> split_export(f"<html><body>{one}</body></html>", "x.html")
    []
    """
    if page.count("<article") < 2 and page.count("<ARTICLE") < 2:
        return []
    import lxml.html

    try:
        root = lxml.html.document_fromstring(page)
    except Exception:  # not parseable as HTML: let the page reader say so
        return []
    articles = [a for a in root.iter("article") if not any(p.tag == "article" for p in a.iterancestors())]
    if len(articles) < 2 or not all(_heading(a) is not None for a in articles):
        return []
    if sum(len(a.text_content().split()) >= MIN_WORDS for a in articles) < 2:
        return []
    records = []
    for number, article in enumerate(articles, start=1):
        meta = _meta(article)
        text = element_text(article)
        if text:
            records.append(Record(f"{name}#{number}", text, meta))
    return records


def _heading(article: Any) -> Any | None:
    found = article.xpath(".//h1 | .//h2 | .//h3")
    return found[0] if found else None


def _meta(article: Any) -> dict[str, str]:
    """Title, date, outlet and url of one article, each element taken out of its text."""
    meta: dict[str, str] = {}
    heading = article.xpath(".//h1 | .//h2 | .//h3")[0]  # every article of an export has one
    meta["title"] = " ".join(heading.text_content().split())
    heading.drop_tree()
    times = article.xpath(".//time")
    if times:
        meta["date"] = (times[0].get("datetime") or " ".join(times[0].text_content().split())).strip()
        times[0].drop_tree()
    outlets = article.xpath(_OUTLET)
    if outlets:
        meta["outlet"] = " ".join(outlets[0].text_content().split())
        outlets[0].drop_tree()
    links = article.xpath(".//a[@rel='bookmark']/@href | .//link[@rel='canonical']/@href")
    if links:
        meta["url"] = str(links[0]).strip()
    return {key: value for key, value in meta.items() if value}
