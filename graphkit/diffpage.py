"""The report of ``graphkit diff`` as one self-contained HTML page: no script, no external file.

Every text taken from the graphs (names, sentences, outlets, documents, the
titles of the two builds) is escaped with :func:`html.escape`; the colours
and fonts are those of ``graph.html``.
"""

from __future__ import annotations

from html import escape
from typing import Any

from graphkit.diff import Report, is_empty

__all__ = ["diff_page"]

_STYLE = """
:root { --text: #1f2328; --muted: #57606a; --line: #d0d7de; --accent: #0969da; --soft: #f6f8fa;
  color: var(--text); background: #fff; font-size: 15px; line-height: 1.4;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
body { margin: 0 auto; max-width: 60rem; padding: 0.5rem 1rem 2rem; }
h1 { font-size: 1.25rem; margin: 0.5rem 0; }
h2 { font-size: 1.05rem; margin: 1.5rem 0 0.5rem; border-bottom: 1px solid var(--line); }
.muted, .where { color: var(--muted); }
.where { font-size: 0.85rem; }
ul { padding-left: 1.2rem; }
.rel { margin: 0.6rem 0; }
.rel > b { font-weight: 600; }
blockquote { margin: 0.25rem 0 0.25rem 1rem; padding: 0.2rem 0.6rem; background: var(--soft);
  border-left: 3px solid var(--accent); overflow-wrap: anywhere; }
""".strip()

_SECTIONS = (
    ("relations", "new", "New relations"),
    ("relations", "more_evidence", "Relations with new evidence"),
    ("relations", "gone", "Relations no longer found (their evidence is gone)"),
)


def _evidence(item: dict[str, str]) -> str:
    where = ", ".join(escape(part) for part in (item["date"], item["outlet"], item["doc"]) if part)
    return f'<blockquote>{escape(item["sentence"])}<br><span class="where">{where}</span></blockquote>'


def _relation(rel: dict[str, Any]) -> str:
    head = (
        f"<b>{escape(rel['source'])}</b> {escape(rel['relation'])} <b>{escape(rel['target'])}</b>"
        f' <span class="muted">(weight {int(rel["weight"])})</span>'
    )
    return f'<div class="rel">{head}{"".join(_evidence(item) for item in rel["evidence"])}</div>'


def _entities(title: str, entities: list[dict[str, Any]]) -> str:
    if not entities:
        return ""
    items = []
    for entity in entities:
        detail = ", ".join(escape(p) for p in (entity["type"], entity["first_seen"]) if p)
        suffix = f' <span class="muted">({detail})</span>' if detail else ""
        items.append(f"<li>{escape(entity['id'])}{suffix}</li>")
    return f"<h2>{escape(title)} ({len(entities)})</h2><ul>{''.join(items)}</ul>"


def diff_page(report: Report, *, old: str, new: str) -> str:
    """The HTML page of a :func:`graphkit.diff.compare` report between the builds named ``old`` and ``new``.

    >>> from graphkit.diff import compare
    >>> import networkx as nx
    >>> report = compare(nx.MultiDiGraph(), nx.MultiDiGraph([("<A>", "B", "owns")]))
    >>> page = diff_page(report, old="o", new="n")
    >>> "&lt;A&gt;" in page and "<A>" not in page and "<script" not in page
    True
    """
    parts = [_entities("New entities", report["entities"]["new"])]
    for group, kind, title in _SECTIONS:
        relations = report[group][kind]
        if relations:
            parts.append(f"<h2>{escape(title)} ({len(relations)})</h2>{''.join(map(_relation, relations))}")
    parts.append(_entities("Entities no longer found", report["entities"]["gone"]))
    body = "".join(parts) if not is_empty(report) else "<p>Nothing new.</p>"
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>What is new: {escape(new)}</title>\n<style>\n{_STYLE}\n</style>\n</head>\n<body>\n"
        f'<h1>What is new</h1>\n<p class="muted">{escape(new)} compared with {escape(old)}</p>\n'
        f"{body}\n</body>\n</html>\n"
    )
