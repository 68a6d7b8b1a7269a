"""``graph.html``: one self-contained interactive page of the graph, drawn by vis-network.

The page loads nothing from outside: vis-network (the copy that pyvis ships,
gzipped and base64-encoded, unpacked by the browser) and the page's own script
and style are inlined, and the graph travels as JSON in a ``<script
type="application/json">`` block whose ``<``, ``>``, ``&``, U+2028 and U+2029
are escaped. The page's script shows document text with ``textContent`` only.
Positions come from the nodes' ``x``/``y`` (computed on a copy when missing;
see :mod:`graphkit.layout`: a node's radius is ``node_radius(mentions)`` in
the same units), physics stays off, and a graph of more than
``DEFAULT_MAX_NODES`` entities is cut to the most connected ones. The interface
speaks French by default, English with ``lang="en"``
(``templates/strings.json``). The same graph always gives the same bytes.
"""

from __future__ import annotations

import base64
import gzip
import html
import importlib.util
import json
import os
import re
import string
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import networkx as nx

from graphkit.errors import OutputError
from graphkit.export.atomic import write_atomic
from graphkit.export.style import (
    RELATIONS,
    SYMMETRIC_RELATIONS,
    TYPE_COLORS,
    node_color,
    node_radius,
    node_shape,
    relation_color,
)
from graphkit.graph import CO_OCCURS, NOT_ASSERTED
from graphkit.layout import assign_positions
from graphkit.model import PAGE_LANGUAGES

__all__ = ["DEFAULT_MAX_NODES", "BIG_GRAPH", "LANGUAGES", "render_html", "write_html", "summary_counts"]

DEFAULT_MAX_NODES = 5000
"""Entities drawn at most; past it the page keeps the most connected ones.

bench/bench_page.py on 2 busy cores: 5,000 entities are interactive in 1.3 to
2.0 s, 10,000 in 1.8 to 3.5 s.
"""
BIG_GRAPH = 1000
"""Entities past which co-occurrences start hidden and edges hide while zooming or dragging."""
LANGUAGES = PAGE_LANGUAGES
"""Languages of the page's interface, the default first (texts in ``templates/strings.json``)."""

VIS_DIR = "templates/lib/vis-9.1.2"
VIS_SOURCE_MAP = "//# sourceMappingURL=vis-network.min.js.map"
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


def strings(lang: str) -> dict[str, Any]:
    """The interface texts of the page in ``lang`` (one of :data:`LANGUAGES`).

    >>> strings("fr")["reset"], strings("en")["reset"]
    ('Tout réinitialiser', 'Reset all')
    """
    table = _string_table()
    if lang not in table:
        raise OutputError(f"unknown page language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    return dict(table[lang])


@cache
def _string_table() -> dict[str, dict[str, Any]]:
    """``templates/strings.json``, parsed once."""
    table: dict[str, dict[str, Any]] = json.loads(_asset("graphkit.export", "templates/strings.json"))
    return table


def _counted(count: int, words: list[str], lang: str) -> str:
    """``"1 entity"``, ``"2,000 entities"`` (``"2 000 entités"`` in French).

    >>> _counted(1, ["entity", "entities"], "en"), _counted(2000, ["entité", "entités"], "fr")
    ('1 entity', '2\u202f000 entités')
    """
    number = f"{count:,}".replace(",", "\u202f" if lang == "fr" else ",")
    return f"{number} {words[0] if count == 1 else words[1]}"


def summary_line(counts: dict[str, int], lang: str = "en") -> str:
    """The summary line of the page from :func:`summary_counts`.

    >>> summary_line({"documents": 3, "entities": 2, "relations": 1,
    ...               "co_occurrences": 4, "left_out": 0})
    '3 documents · 2 entities · 1 relation · 4 co-occurrences'
    """
    text = strings(lang)
    parts = [
        _counted(counts["documents"], text["summary_documents"], lang),
        _counted(counts["entities"], text["summary_entities"], lang),
        _counted(counts["relations"], text["summary_relations"], lang),
        _counted(counts["co_occurrences"], text["summary_cooccurrences"], lang),
    ]
    if counts["left_out"]:
        parts.append(text["summary_left_out"].format(n=f"{counts['left_out']:,}"))
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


def outlet_of(item: dict[str, Any]) -> str:
    """The outlet of an evidence item: its ``outlet``, else the host of its web address.

    >>> outlet_of({"url": "https://www.lemonde.fr/a"}), outlet_of({"outlet": "AFP", "url": "x"})
    ('lemonde.fr', 'AFP')
    >>> outlet_of({"url": "javascript:alert(1)"})
    ''
    """
    if item.get("outlet"):
        return str(item["outlet"])
    url = str(item.get("url") or "")
    if not re.match(r"https?://", url, re.IGNORECASE):
        return ""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def _documents(drawn: nx.MultiDiGraph) -> dict[str, dict[str, Any]]:
    """Document name -> its ``title``, ``date``, ``url``, ``outlet`` and wire ``copies`` (the first
    given, edges in order)."""
    docs: dict[str, dict[str, Any]] = {}
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
            if "outlet" not in meta and outlet_of(item):
                meta["outlet"] = outlet_of(item)
            if item.get("copies") and "copies" not in meta:
                meta["copies"] = [_copy_row(copy) for copy in item["copies"]]
    return dict(sorted(docs.items()))


def _copy_row(copy: dict[str, Any]) -> list[str]:
    """``[name, title, date, url, outlet]`` of a wire copy folded into a document.

    >>> _copy_row({"doc": "b.txt", "url": "https://www.lefigaro.fr/x", "date": "2024-03-02"})
    ['b.txt', '', '2024-03-02', 'https://www.lefigaro.fr/x', 'lefigaro.fr']
    """
    return [
        str(copy.get("doc", "")),
        str(copy.get("title", "")),
        str(copy.get("date", "")),
        str(copy.get("url", "")),
        outlet_of(copy),
    ]


def _sentences(drawn: nx.MultiDiGraph) -> list[str]:
    """Every distinct evidence sentence, sorted: edges refer to them by index."""
    evidence = drawn.edges(data="evidence", default=[])
    return sorted({str(item["sentence"]) for _u, _v, items in evidence for item in items})


def _types(drawn: nx.MultiDiGraph) -> list[list[str]]:
    """``[code, colour, shape]`` of every entity type present, the four known ones first."""
    present = {str(t) for _n, t in drawn.nodes(data="type", default="MISC")}
    known = [code for code in TYPE_COLORS if code in present]
    return [[code, node_color(code), node_shape(code)] for code in known + sorted(present - set(known))]


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


def claim_status(evidence: list[dict[str, Any]]) -> str:
    """How the sentences state a relation: ``""`` (some sentence asserts it), ``"negated"`` (every
    sentence denies it) or ``"hypothetical"`` (none asserts it, some only suppose it).

    >>> claim_status([{}, {"modality": "negated"}]), claim_status([{"modality": "negated"}])
    ('', 'negated')
    >>> claim_status([{"modality": "negated"}, {"modality": "hypothetical"}])
    'hypothetical'
    """
    modalities = {item.get("modality") for item in evidence}
    if not evidence or modalities - NOT_ASSERTED:
        return ""
    return "negated" if modalities == {"negated"} else "hypothetical"


def review_text(value: Any) -> str:
    """What a person decided about a node or edge (its ``review``), as one line.

    >>> review_text(None), review_text("confirmed"), review_text(["merged", "confirmed"])
    ('', 'confirmed', 'merged, confirmed')
    """
    if not value:
        return ""
    return ", ".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)


def _unique_evidence(evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The evidence items of an edge, each sentence of a document once (the first kept)."""
    seen: set[tuple[str, str]] = set()
    unique = []
    for item in evidence:
        key = (str(item["doc"]), str(item["sentence"]))
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def page_data(
    graph: nx.MultiDiGraph, *, max_nodes: int | None = DEFAULT_MAX_NODES, lang: str = LANGUAGES[0]
) -> dict[str, dict[str, Any]]:
    """What the page's script draws at once, and the details it reads only when asked.

    Parameters
    ----------
    graph : nx.MultiDiGraph
        The entity graph; it is not modified.
    max_nodes : int or None
        Entities drawn at most.
    lang : str
        Language of the interface texts.

    Returns
    -------
    dict
        ``draw``: ``nodes`` as ``[id, label, type, mentions, x, y, radius,
        documents, review]`` rows and ``edges`` as ``[source index, target
        index, relation, weight, claim, curve, sentences kept, review]`` rows,
        sorted, plus the legend (``types`` as ``[code, colour, shape]``,
        ``relations`` as ``[label, colour, symmetric]``), ``summary``,
        ``big``, ``lang``, the interface ``strings``, the ``review``
        decisions the graph was built with, and ``dated`` (some document
        has a date: the page shows its time control). ``details``, parsed by the page
        when first needed: ``docs`` as ``[name, title, date, url, outlet,
        copies]`` rows (``copies``: the wire copies folded into it, each
        ``[name, title, date, url, outlet]``), distinct evidence sentences ``texts``, and per node its
        ``aliases``, ``merges`` (``[form, reason]``) and ``node_docs``
        (indices into ``docs``), per edge its ``evidence`` as ``[doc index,
        text index, modality, attributed_to, start]``, each sentence of a
        document once.
    """
    text = strings(lang)
    drawn = _drawn_graph(graph, max_nodes)
    nodes = sorted(drawn.nodes)
    edges = sorted(drawn.edges(keys=True, data=True), key=lambda e: e[:3])
    evidence = [_unique_evidence(data.get("evidence", [])) for _u, _v, _k, data in edges]
    draw = _draw_data(drawn, nodes, edges, evidence)
    details = _details(drawn, nodes, evidence)
    draw.update(
        summary=summary_counts(graph, max_nodes=max_nodes),
        lang=lang,
        strings=text,
        review=list(graph.graph.get("review_decisions", [])),
        dated=any(row[2] or any(copy[2] for copy in row[5]) for row in details["docs"]),
    )
    return {"draw": draw, "details": details}


def _draw_data(
    drawn: nx.MultiDiGraph, nodes: list[str], edges: list[Any], evidence: list[list[dict[str, Any]]]
) -> dict[str, Any]:
    """The ``draw`` part of :func:`page_data`, less the summary and the texts."""
    index = {node: i for i, node in enumerate(nodes)}
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
                round(float(data["x"]), 2),
                round(float(data["y"]), 2),
                node_radius(mentions),
                len(data.get("docs", [])),
                review_text(data.get("review")),
            ]
        )
    curves = _curves(drawn)
    edge_rows = [
        [
            index[u],
            index[v],
            str(key),
            int(data.get("weight", 0)),
            claim_status(items),
            curves[(u, v, key)],
            len(items),
            review_text(data.get("review")),
        ]
        for (u, v, key, data), items in zip(edges, evidence, strict=True)
    ]
    relations = sorted({str(key) for _u, _v, key, _d in edges}, key=_relation_order)
    return {
        "big": len(nodes) > BIG_GRAPH,
        "edges": edge_rows,
        "nodes": node_rows,
        "relations": [[rel, relation_color(rel), rel in SYMMETRIC_RELATIONS] for rel in relations],
        "types": _types(drawn),
    }


def _details(
    drawn: nx.MultiDiGraph, nodes: list[str], evidence: list[list[dict[str, Any]]]
) -> dict[str, Any]:
    """The ``details`` part of :func:`page_data`."""
    docs = _documents(drawn)
    doc_index = {name: i for i, name in enumerate(docs)}
    texts = _sentences(drawn)
    text_index = {text: i for i, text in enumerate(texts)}
    return {
        "aliases": [sorted(str(a) for a in drawn.nodes[n].get("aliases", [])) for n in nodes],
        "docs": [
            [
                name,
                meta.get("title", ""),
                meta.get("date", ""),
                meta.get("url", ""),
                meta.get("outlet", ""),
                meta.get("copies", []),
            ]
            for name, meta in docs.items()
        ],
        "evidence": [
            [
                [
                    doc_index[str(item["doc"])],
                    text_index[str(item["sentence"])],
                    str(item.get("modality") or ""),
                    str(item.get("attributed_to") or ""),
                    int(item.get("start", 0)),
                ]
                for item in items
            ]
            for items in evidence
        ],
        "merges": [
            [[str(m.get("form", "")), str(m.get("reason", ""))] for m in drawn.nodes[n].get("merges", [])]
            for n in nodes
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


@cache
def _packed_vis() -> str:
    """vis-network's script, gzipped (no timestamp, so the bytes never change) and base64-encoded.

    The page unpacks it with the browser's ``DecompressionStream``: 470 kB of
    script travel as 170 kB.
    """
    script = _asset("pyvis", f"{VIS_DIR}/vis-network.min.js").replace(VIS_SOURCE_MAP, "")
    return base64.b64encode(gzip.compress(script.encode("utf-8"), compresslevel=9, mtime=0)).decode("ascii")


def render_html(
    graph: nx.MultiDiGraph,
    *,
    title: str = "graphkit",
    max_nodes: int | None = DEFAULT_MAX_NODES,
    lang: str = LANGUAGES[0],
) -> str:
    """The interactive page of ``graph`` as one self-contained HTML document.

    Parameters
    ----------
    graph : nx.MultiDiGraph
        The entity graph (see :mod:`graphkit.graph`); it is not modified.
    title : str
        Title and heading of the page.
    max_nodes : int or None
        Entities drawn at most: past it only the most connected are kept (ties
        broken by id) and the summary says how many were left out. ``None``
        draws them all.
    lang : str
        Language of the interface: ``"fr"`` (default) or ``"en"``.

    Returns
    -------
    str
        The HTML text; the same graph always gives the same text.

    Examples
    --------
    >>> page = render_html(nx.MultiDiGraph(documents=0), title="Empty")
    >>> "<title>Empty</title>" in page, '<html lang="fr">' in page
    (True, True)
    """
    data = page_data(graph, max_nodes=max_nodes, lang=lang)
    text = data["draw"]["strings"]
    template = string.Template(_asset("graphkit.export", "templates/page.html"))
    return template.substitute(
        {f"t_{key}": html.escape(value) for key, value in text.items() if isinstance(value, str)},
        lang=lang,
        title=html.escape(title),
        summary=html.escape(summary_line(data["draw"]["summary"], lang)),
        page_css=_inline(_asset("graphkit.export", "templates/page.css"), "style"),
        data=safe_json(data["draw"]),
        details=safe_json(data["details"]),
        vis_js=_packed_vis(),
        page_js=_inline(_asset("graphkit.export", "templates/page.js"), "script"),
    )


def write_html(
    graph: nx.MultiDiGraph,
    path: str | os.PathLike[str],
    *,
    title: str = "graphkit",
    max_nodes: int | None = DEFAULT_MAX_NODES,
    lang: str = LANGUAGES[0],
) -> None:
    """Write the page of ``graph`` to ``path`` atomically (see :func:`render_html`)."""
    write_atomic(path, render_html(graph, title=title, max_nodes=max_nodes, lang=lang))
