"""``graph.html``: one self-contained interactive page of the graph, drawn by vis-network.

The page loads nothing from outside: vis-network (the copy that pyvis ships)
and the page's own script and style are inlined, and the graph travels as JSON
in a ``<script type="application/json">`` block whose ``<``, ``>``, ``&``,
U+2028 and U+2029 are escaped. The page's script shows document text with
``textContent`` only. Positions come from the nodes' ``x``/``y`` (computed on a
copy when missing), physics stays off, and a graph of more than
``DEFAULT_MAX_NODES`` entities is cut to the most connected ones. The same
graph always gives the same bytes.
"""

from __future__ import annotations

import html
import importlib.util
import json
import math
import os
import re
import string
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx

from graphkit.export.atomic import write_atomic
from graphkit.export.style import (
    RELATIONS,
    SYMMETRIC_RELATIONS,
    TYPE_COLORS,
    node_color,
    node_size,
    relation_color,
)
from graphkit.graph import CO_OCCURS, is_asserted
from graphkit.layout import assign_positions

__all__ = ["DEFAULT_MAX_NODES", "BIG_GRAPH", "render_html", "write_html", "summary_counts"]

DEFAULT_MAX_NODES = 5000
"""Entities drawn at most; past it the page keeps the most connected ones.

bench/bench_page.py on 2 busy cores: 5,000 entities are interactive in 1.3 to
2.0 s, 10,000 in 1.8 to 3.5 s.
"""
BIG_GRAPH = 1000
"""Entities past which co-occurrences start hidden and edges hide while zooming or dragging."""
SPREAD = 20.0
"""Positions (in [-1000, 1000]) are scaled by ``sqrt(n) / SPREAD``: about 100 units per node..."""
MIN_SPREAD = 0.35
"""...but never by less, so that a small graph still fills the view at zoom 1."""

VIS_DIR = "templates/lib/vis-9.1.2"
VIS_SOURCE_MAP = "//# sourceMappingURL=vis-network.min.js.map"
TYPE_NAMES = {"PER": "Person", "ORG": "Organisation", "LOC": "Place", "MISC": "Other"}
SCRIPT_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)
# Lone surrogates: text decoded with errors="surrogateescape" may hold them; UTF-8 cannot.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def safe_json(data: Any) -> str:
    """JSON text that can sit inside a ``<script>`` element whatever its strings hold.

    Keys are sorted and ``<``, ``>``, ``&``, U+2028, U+2029 and lone
    surrogates are written as ``\\uXXXX`` escapes, so neither ``</script>``
    nor ``<!--`` can appear and the text always encodes to UTF-8.

    >>> safe_json({"b": "</script>", "a": "x\u2028"})
    '{"a":"x\\\\u2028","b":"\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in SCRIPT_ESCAPES:
        text = text.replace(char, escape)
    return LONE_SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def kept_nodes(graph: nx.MultiDiGraph, max_nodes: int | None) -> list[str]:
    """The ids of the ``max_nodes`` most connected nodes, sorted by id.

    Nodes are ranked by degree (every edge counts, co-occurrences included),
    ties broken by id; ``None`` keeps every node.

    >>> G = nx.MultiDiGraph([("c", "a"), ("c", "b"), ("d", "e")])
    >>> kept_nodes(G, 2), kept_nodes(G, None)
    (['a', 'c'], ['a', 'b', 'c', 'd', 'e'])
    """
    if max_nodes is not None and max_nodes < 0:
        raise ValueError(f"max_nodes must be 0 or more, or None for no limit, not {max_nodes}")
    ranked = sorted(graph.nodes, key=lambda n: (-graph.degree(n), n))
    if max_nodes is not None:
        ranked = ranked[:max_nodes]
    return sorted(ranked)


def summary_counts(graph: nx.MultiDiGraph, *, max_nodes: int | None = DEFAULT_MAX_NODES) -> dict[str, int]:
    """Counts shown in the page's summary line.

    Parameters
    ----------
    graph : nx.MultiDiGraph
        The entity graph.
    max_nodes : int or None
        Entities drawn at most, as in :func:`render_html`.

    Returns
    -------
    dict
        ``documents`` read, ``entities``, typed ``relations`` and
        ``co_occurrences`` drawn, and entities ``left_out`` by ``max_nodes``.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b", "owns"), ("a", "c", "co_occurs")], documents=2)
    >>> summary_counts(G, max_nodes=2)
    {'documents': 2, 'entities': 2, 'relations': 1, 'co_occurrences': 0, 'left_out': 1}
    """
    keep = set(kept_nodes(graph, max_nodes))
    edges = [key for u, v, key in graph.edges(keys=True) if u in keep and v in keep]
    co_occurrences = edges.count(CO_OCCURS)
    return {
        "documents": int(graph.graph.get("documents", 0)),
        "entities": len(keep),
        "relations": len(edges) - co_occurrences,
        "co_occurrences": co_occurrences,
        "left_out": graph.number_of_nodes() - len(keep),
    }


def _plural(count: int, word: str) -> str:
    """``"1 entity"``, ``"2,000 entities"``.

    >>> _plural(1, "entity"), _plural(2000, "entity"), _plural(0, "document")
    ('1 entity', '2,000 entities', '0 documents')
    """
    if count == 1:
        return f"1 {word}"
    plural = word[:-1] + "ies" if word.endswith("y") else word + "s"
    return f"{count:,} {plural}"


def summary_line(counts: dict[str, int]) -> str:
    """The summary line of the page from :func:`summary_counts`.

    >>> summary_line({"documents": 3, "entities": 2, "relations": 1,
    ...               "co_occurrences": 4, "left_out": 0})
    '3 documents · 2 entities · 1 relation · 4 co-occurrences'
    """
    parts = [
        _plural(counts["documents"], "document"),
        _plural(counts["entities"], "entity"),
        _plural(counts["relations"], "relation"),
        _plural(counts["co_occurrences"], "co-occurrence"),
    ]
    if counts["left_out"]:
        parts.append(f"{_plural(counts['left_out'], 'entity')} left out (fewest connections)")
    return " · ".join(parts)


def _drawn_graph(graph: nx.MultiDiGraph, max_nodes: int | None) -> nx.MultiDiGraph:
    """The part of ``graph`` the page draws, every node with ``x`` and ``y``.

    ``graph`` itself when it is drawn whole and already placed (it is only
    read), else a copy of the part drawn.
    """
    keep = kept_nodes(graph, max_nodes)
    placed = all("x" in data and "y" in data for _node, data in graph.nodes(data=True))
    if placed and len(keep) == graph.number_of_nodes():
        return graph
    drawn: nx.MultiDiGraph = graph.subgraph(keep).copy()
    assign_positions(drawn)
    return drawn


def _documents(drawn: nx.MultiDiGraph) -> dict[str, dict[str, str]]:
    """Document name -> its ``title``, ``date`` and ``url`` (the first given, edges in order)."""
    docs: dict[str, dict[str, str]] = {}
    for _node, names in drawn.nodes(data="docs", default=[]):
        for name in names:
            docs.setdefault(str(name), {})
    edges = sorted(drawn.edges(keys=True, data="evidence", default=[]), key=lambda e: e[:3])
    for _u, _v, _key, evidence in edges:
        for item in evidence:
            meta = docs.setdefault(str(item["doc"]), {})
            for field in ("title", "date", "url"):
                if item.get(field) and field not in meta:
                    meta[field] = str(item[field])
    return dict(sorted(docs.items()))


def _sentences(drawn: nx.MultiDiGraph) -> list[str]:
    """Every distinct evidence sentence, sorted: edges refer to them by index."""
    evidence = drawn.edges(data="evidence", default=[])
    return sorted({str(item["sentence"]) for _u, _v, items in evidence for item in items})


def _types(drawn: nx.MultiDiGraph) -> list[list[str]]:
    """``[code, name, colour]`` of every entity type present, the four known ones first."""
    present = {str(t) for _n, t in drawn.nodes(data="type", default="MISC")}
    known = [code for code in TYPE_COLORS if code in present]
    return [
        [code, TYPE_NAMES.get(code, code), node_color(code)] for code in known + sorted(present - set(known))
    ]


def _curves(drawn: nx.MultiDiGraph) -> dict[tuple[str, str, str], int]:
    """Rank of each edge among the edges joining the same two nodes (0 draws straight).

    Co-occurrences come first, then typed relations by label, so a lone
    relation is straight and the others bend further and further out.
    """
    pairs: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for u, v, key in drawn.edges(keys=True):
        pairs[(min(u, v), max(u, v))].append((u, v, key))
    curves = {}
    for group in pairs.values():
        group.sort(key=lambda e: (e[2] != CO_OCCURS, e[2], e[0], e[1]))
        curves.update({edge: rank for rank, edge in enumerate(group)})
    return curves


def page_data(
    graph: nx.MultiDiGraph, *, max_nodes: int | None = DEFAULT_MAX_NODES
) -> dict[str, dict[str, Any]]:
    """What the page's script draws at once, and the details it reads only when asked.

    Parameters
    ----------
    graph : nx.MultiDiGraph
        The entity graph; it is not modified.
    max_nodes : int or None
        Entities drawn at most.

    Returns
    -------
    dict
        ``draw``: ``nodes`` as ``[id, label, type, mentions, x, y, size]``
        rows and ``edges`` as ``[source index, target index, relation,
        weight, asserted, curve]`` rows, sorted, plus the legend (``types``,
        ``relations``), ``summary`` and ``big``. ``details``, parsed by the
        page on the first search or click: ``docs`` as ``[name, title, date,
        url]`` rows, distinct evidence sentences ``texts``, and per node its
        ``aliases`` and ``node_docs`` (indices into ``docs``), per edge its
        ``evidence`` as ``[doc index, text index, modality, attributed_to]``.
    """
    drawn = _drawn_graph(graph, max_nodes)
    nodes = sorted(drawn.nodes)
    edges = sorted(drawn.edges(keys=True, data=True), key=lambda e: e[:3])
    draw = _draw_data(drawn, nodes, edges)
    draw["summary"] = summary_counts(graph, max_nodes=max_nodes)
    return {"draw": draw, "details": _details(drawn, nodes, edges)}


def _draw_data(drawn: nx.MultiDiGraph, nodes: list[str], edges: list[Any]) -> dict[str, Any]:
    """The ``draw`` part of :func:`page_data`, less the summary."""
    index = {node: i for i, node in enumerate(nodes)}
    spread = max(MIN_SPREAD, math.sqrt(len(nodes)) / SPREAD)
    node_rows = []
    for node in nodes:
        data = drawn.nodes[node]
        mentions = int(data.get("mentions", 0))
        node_rows.append(
            [
                str(node),
                str(data.get("label", node)),
                str(data.get("type", "MISC")),
                mentions,
                round(float(data["x"]) * spread, 1),
                round(float(data["y"]) * spread, 1),
                node_size(mentions) / 2,
            ]
        )
    curves = _curves(drawn)
    edge_rows = [
        [
            index[u],
            index[v],
            str(key),
            int(data.get("weight", 0)),
            is_asserted(data.get("evidence", [])),
            curves[(u, v, key)],
        ]
        for u, v, key, data in edges
    ]
    relations = sorted({str(key) for _u, _v, key, _d in edges}, key=_relation_order)
    return {
        "big": len(nodes) > BIG_GRAPH,
        "edges": edge_rows,
        "nodes": node_rows,
        "relations": [[rel, relation_color(rel), rel in SYMMETRIC_RELATIONS] for rel in relations],
        "types": _types(drawn),
    }


def _details(drawn: nx.MultiDiGraph, nodes: list[str], edges: list[Any]) -> dict[str, Any]:
    """The ``details`` part of :func:`page_data`."""
    docs = _documents(drawn)
    doc_index = {name: i for i, name in enumerate(docs)}
    texts = _sentences(drawn)
    text_index = {text: i for i, text in enumerate(texts)}
    return {
        "aliases": [sorted(str(a) for a in drawn.nodes[n].get("aliases", [])) for n in nodes],
        "docs": [
            [name, meta.get("title", ""), meta.get("date", ""), meta.get("url", "")]
            for name, meta in docs.items()
        ],
        "evidence": [
            [
                [
                    doc_index[str(item["doc"])],
                    text_index[str(item["sentence"])],
                    str(item.get("modality") or ""),
                    str(item.get("attributed_to") or ""),
                ]
                for item in data.get("evidence", [])
            ]
            for _u, _v, _key, data in edges
        ],
        "node_docs": [sorted(doc_index[str(d)] for d in drawn.nodes[n].get("docs", [])) for n in nodes],
        "texts": texts,
    }


def _relation_order(relation: str) -> tuple[int, str]:
    """Sort key of a relation: known ones in style order, unknown ones by name, co-occurrence last.

    >>> sorted(["co_occurs", "zz", "acquires", "owns"], key=_relation_order)
    ['owns', 'acquires', 'zz', 'co_occurs']
    """
    if relation == CO_OCCURS:
        return (len(RELATIONS) + 1, "")
    if relation in RELATIONS:
        return (RELATIONS.index(relation), "")
    return (len(RELATIONS), relation)


@cache
def _asset(package: str, name: str) -> str:
    """Text of a file shipped inside an installed package, read without importing the package.

    Importing pyvis (for its copy of vis-network) would load jinja2 and more:
    about 0.2 s of every build, for two files.
    """
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"package {package!r} is not installed")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return (folder / name).read_text(encoding="utf-8")


def _inline(text: str, element: str) -> str:
    """``text`` checked to be safe inside ``<element>``: it may not close the element."""
    if f"</{element}" in text.lower():
        raise ValueError(f"cannot inline text that contains '</{element}'")
    return text


def render_html(
    graph: nx.MultiDiGraph,
    *,
    title: str = "graphkit",
    max_nodes: int | None = DEFAULT_MAX_NODES,
) -> str:
    """The interactive page of ``graph`` as one self-contained HTML document.

    Parameters
    ----------
    graph : nx.MultiDiGraph
        The entity graph (see :mod:`graphkit.graph`); it is not modified.
    title : str
        Title of the page.
    max_nodes : int or None
        Entities drawn at most: past it only the most connected are kept (ties
        broken by id) and the summary says how many were left out. ``None``
        draws them all.

    Returns
    -------
    str
        The HTML text; the same graph always gives the same text.

    Examples
    --------
    >>> page = render_html(nx.MultiDiGraph(documents=0), title="Empty")
    >>> "<title>Empty</title>" in page
    True
    """
    data = page_data(graph, max_nodes=max_nodes)
    template = string.Template(_asset("graphkit.export", "templates/page.html"))
    return template.substitute(
        title=html.escape(title),
        summary=html.escape(summary_line(data["draw"]["summary"])),
        vis_css=_inline(_asset("pyvis", f"{VIS_DIR}/vis-network.css"), "style"),
        page_css=_inline(_asset("graphkit.export", "templates/page.css"), "style"),
        data=safe_json(data["draw"]),
        details=safe_json(data["details"]),
        vis_js=_inline(
            _asset("pyvis", f"{VIS_DIR}/vis-network.min.js").replace(VIS_SOURCE_MAP, ""), "script"
        ),
        page_js=_inline(_asset("graphkit.export", "templates/page.js"), "script"),
    )


def write_html(
    graph: nx.MultiDiGraph,
    path: str | os.PathLike[str],
    *,
    title: str = "graphkit",
    max_nodes: int | None = DEFAULT_MAX_NODES,
) -> None:
    """Write the page of ``graph`` to ``path`` atomically (see :func:`render_html`)."""
    write_atomic(path, render_html(graph, title=title, max_nodes=max_nodes))
