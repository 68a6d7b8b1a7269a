"""HTML fragments (feed summaries, articles of a press export) as plain text: one paragraph a block."""

from __future__ import annotations

from typing import Any

__all__ = ["fragment_text", "element_text"]

_BLOCKS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section")


def fragment_text(markup: str) -> str:
    """The text of an HTML fragment, paragraphs separated by blank lines, spaces collapsed.

    >>> fragment_text("<p>Un  <b>été</b></p><p>Deux</p>"), fragment_text("Sans balise")
    ('Un été\\n\\nDeux', 'Sans balise')
    """
    if "<" not in markup:
        return _paragraphs(markup)
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except Exception:  # lxml refuses some fragments (only a comment, control characters)
        return _paragraphs(markup)
    return element_text(root)


def element_text(element: Any) -> str:
    """The text of a parsed HTML element, one paragraph a block element, scripts and styles left out."""
    for junk in element.xpath(".//script | .//style"):
        junk.drop_tree()
    for block in element.iter(*_BLOCKS):
        block.tail = "\n\n" + (block.tail or "")
        if block.tag != "br":
            block.text = "\n\n" + (block.text or "")
    return _paragraphs(element.text_content())


def _paragraphs(text: str) -> str:
    parts = (" ".join(part.split()) for part in text.split("\n\n"))
    return "\n\n".join(part for part in parts if part)
