"""Flat, typed, XML-safe attributes of graphkit nodes and edges, shared by GraphML, GEXF and CSV.

GraphML, GEXF and spreadsheets hold one scalar per attribute, so the graph
contract is flattened here once, for every format:

- lists (``aliases``, documents, attributions, modalities) become one string,
  their distinct values sorted and joined with ``"; "``; a value that itself
  contains ``"; "`` cannot be told apart from two values;
- ``evidence`` becomes ``evidence_count``, ``first_sentence`` (the first item
  in the contract's evidence order), ``documents``, ``attributed_to``,
  ``modality`` and ``asserted`` (see :func:`graphkit.graph.is_asserted`);
- ``review`` (the marks a person's review left, see :mod:`graphkit.review`)
  becomes one string like the other lists; it is declared, like
  ``community``, only when some node or edge has one (:data:`OPTIONAL_FIELDS`);
- ``first_seen``, ``last_seen`` (ISO dates) and ``outlets`` (a count) are
  copied when the graph has them; like ``community``, a field no node (or
  edge) has is not written at all (:func:`present_fields`), so a corpus
  without dates gives the files it gave before;
- nodes get the page's colour (by type), size and seeded position; ``size``
  is the radius of the node's disc in the layout's drawing units,
  :func:`~graphkit.export.style.node_radius` (by mentions), which Gephi reads
  as a radius, so that Gephi draws the discs apart as the layout placed them;
  the position is the node's ``x``/``y``, else
  :func:`~graphkit.layout.compute_positions`, rounded to 0.01 as the layout
  rounds them (igraph refuses numbers such as ``5e-324``, which it cannot
  parse without underflow).

Text is made storable in XML 1.0 by :func:`xml_text`: code points XML forbids
(C0 controls other than tab, newline and carriage return, lone surrogates,
U+FFFE and U+FFFF) become U+FFFD, and line ends become ``"\\n"``, as XML
parsers turn them in element text. Labels also have their whitespace
collapsed (:func:`label_text`), as GEXF's ``xsd:token`` labels are read.

XML files name nodes ``n0``, ``n1``, ... and edges ``e0``, ``e1``, ... in the
sorted order of node ids and of ``(source, target, relation)``: ids are valid
XML name tokens and unique whatever the names hold, and stable for a given
graph. The canonical name is kept in the ``name`` attribute.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

import networkx as nx

from graphkit.export.style import SYMMETRIC_RELATIONS, node_color, node_radius, relation_color
from graphkit.graph import is_asserted
from graphkit.layout import compute_positions

__all__ = [
    "Value",
    "NODE_FIELDS",
    "EDGE_FIELDS",
    "SEPARATOR",
    "REPLACEMENT",
    "NO_LABEL",
    "FlatNode",
    "FlatEdge",
    "xml_document",
    "xml_text",
    "xml_escape",
    "xml_attribute",
    "label_text",
    "join_values",
    "format_value",
    "flatten_node",
    "flatten_edge",
    "node_positions",
    "flatten_nodes",
    "flatten_edges",
    "OPTIONAL_FIELDS",
    "present_fields",
]

Value = str | int | float | bool | None

SEPARATOR = "; "
REPLACEMENT = "\ufffd"
NO_LABEL = "(no label)"

# name -> type ("string", "int", "double" or "boolean"), in output order.
NODE_FIELDS: dict[str, str] = {
    "label": "string",
    "name": "string",
    "type": "string",
    "mentions": "int",
    "docs": "int",
    "aliases": "string",
    "community": "int",
    "first_seen": "string",
    "last_seen": "string",
    "outlets": "int",
    "x": "double",
    "y": "double",
    "size": "double",
    "color": "string",
    "review": "string",
}
EDGE_FIELDS: dict[str, str] = {
    "label": "string",
    "relation": "string",
    "directed": "boolean",
    "weight": "int",
    "asserted": "boolean",
    "modality": "string",
    "attributed_to": "string",
    "evidence_count": "int",
    "first_sentence": "string",
    "documents": "string",
    "first_seen": "string",
    "last_seen": "string",
    "outlets": "int",
    "color": "string",
    "review": "string",
}
OPTIONAL_FIELDS = frozenset({"community", "review", "first_seen", "last_seen", "outlets"})
"""Fields declared (GraphML, GEXF) and written (CSV) only when some node or edge has a value."""

# Everything XML 1.0 allows (https://www.w3.org/TR/xml/#charsets); the rest,
# lone surrogates included, is replaced.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class FlatNode:
    """A node ready to write: its file id (``n0``...) and its flat values."""

    id: str
    values: dict[str, Value]


@dataclass(frozen=True)
class FlatEdge:
    """An edge ready to write: file ids of the edge and its ends, and its flat values."""

    id: str
    source: str
    target: str
    values: dict[str, Value]


def present_fields(fields: dict[str, str], items: Iterable[FlatNode | FlatEdge]) -> dict[str, str]:
    """``fields`` without the :data:`OPTIONAL_FIELDS` that no item has a value for.

    >>> present_fields({"label": "string", "outlets": "int"}, [FlatNode("n0", {"label": "A"})])
    {'label': 'string'}
    """
    optional = {name for name in OPTIONAL_FIELDS if name in fields}
    for item in items:
        optional -= {name for name in optional if item.values.get(name) is not None}
        if not optional:
            break
    return {name: kind for name, kind in fields.items() if name not in optional}


def xml_text(value: object) -> str:
    """``str(value)`` as text any XML 1.0 document can hold.

    Forbidden code points become U+FFFD; ``"\\r\\n"`` and ``"\\r"`` become ``"\\n"``.

    Examples
    --------
    >>> xml_text("a\\x00b\\ud800c\\r\\nd <&>")
    'a\\ufffdb\\ufffdc\\nd <&>'
    """
    text = _NOT_XML.sub(REPLACEMENT, str(value))
    return text.replace("\r\n", "\n").replace("\r", "\n")


_ATTRIBUTE_ENTITIES = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
# Most values (numbers, names, colours) hold none of these and are returned as they are.
_CONTENT_SPECIALS = re.compile("[&<>]")
_ATTRIBUTE_SPECIALS = re.compile('[&<>"\n\r\t]')


def xml_escape(text: str) -> str:
    """``text`` as XML element content: ``&``, ``<`` and ``>`` escaped.

    >>> xml_escape('<img src=x onerror="alert(1)"> & co')
    '&lt;img src=x onerror="alert(1)"&gt; &amp; co'
    """
    return escape(text) if _CONTENT_SPECIALS.search(text) else text


def xml_attribute(text: str) -> str:
    """``text`` as a double-quoted XML attribute value; tabs and line ends kept as character references.

    >>> xml_attribute('"><svg onload=alert(1)>\\n')
    '&quot;&gt;&lt;svg onload=alert(1)&gt;&#10;'
    """
    return escape(text, _ATTRIBUTE_ENTITIES) if _ATTRIBUTE_SPECIALS.search(text) else text


XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def xml_document(lines: Iterable[str]) -> Iterator[str]:
    """The text of an XML file, a line at a time: the declaration, then each line and its newline."""
    yield XML_DECLARATION
    for line in lines:
        yield f"{line}\n"


def label_text(*candidates: object) -> str:
    """The first candidate that is not blank, XML-safe and on one line; else :data:`NO_LABEL`.

    Examples
    --------
    >>> label_text("  Banque\\n de France ")
    'Banque de France'
    >>> label_text(" ", "Airbus"), label_text("\\t")
    ('Airbus', '(no label)')
    """
    for candidate in candidates:
        text = " ".join(xml_text(candidate).split())
        if text:
            return text
    return NO_LABEL


def join_values(values: Iterable[object]) -> str:
    """Distinct XML-safe values, sorted and joined with :data:`SEPARATOR`.

    Examples
    --------
    >>> join_values(["b.txt", "a.txt", "b.txt"])
    'a.txt; b.txt'
    """
    return SEPARATOR.join(sorted({xml_text(value) for value in values}))


def format_value(value: Value) -> str:
    """A flat value as text: ``true``/``false``, ``repr`` of floats, ``""`` for None.

    Examples
    --------
    >>> format_value(True), format_value(-1.5), format_value(3), format_value(None)
    ('true', '-1.5', '3', '')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def flatten_node(node: str, data: Mapping[str, Any], position: tuple[float, float]) -> dict[str, Value]:
    """Flat values of one node, keyed as :data:`NODE_FIELDS` (``community`` None when absent).

    Parameters
    ----------
    node : str
        The node id (canonical name).
    data : mapping
        The node's attributes in the graph contract.
    position : (float, float)
        The node's seeded position; written rounded to 0.01.

    Returns
    -------
    dict

    Examples
    --------
    >>> data = {"label": "Airbus", "type": "ORG", "aliases": ["Airbus SE"], "mentions": 3,
    ...         "docs": ["a.txt", "b.txt"]}
    >>> flat = flatten_node("Airbus", data, (1.0, -2.5))
    >>> flat["label"], flat["docs"], flat["aliases"], flat["color"], flat["size"]
    ('Airbus', 2, 'Airbus SE', '#0072B2', 8.1)
    """
    entity_type = xml_text(data.get("type", ""))
    mentions = int(data.get("mentions", 0))
    community = data.get("community")
    return {
        "label": label_text(data.get("label", node), node),
        "name": xml_text(node),
        "type": entity_type,
        "mentions": mentions,
        "docs": len(data.get("docs", ())),
        "aliases": join_values(data.get("aliases", ())),
        "community": None if community is None else int(community),
        **_seen_values(data),
        "x": round(float(position[0]), 2),
        "y": round(float(position[1]), 2),
        "size": node_radius(mentions),
        "color": node_color(entity_type),
        "review": join_values(data["review"]) if data.get("review") else None,
    }


def flatten_edge(relation: str, data: Mapping[str, Any]) -> dict[str, Value]:
    """Flat values of one edge, keyed as :data:`EDGE_FIELDS`.

    Parameters
    ----------
    relation : str
        The edge key (its relation label), used when ``data`` has no ``relation``.
    data : mapping
        The edge's attributes in the graph contract.

    Returns
    -------
    dict

    Examples
    --------
    >>> evidence = [{"doc": "b.txt", "sentence": "A rachète B.", "start": 0, "end": 12,
    ...              "attributed_to": "Reuters"},
    ...             {"doc": "c.txt", "sentence": "A pourrait racheter B.", "start": 5, "end": 27,
    ...              "modality": "hypothetical"}]
    >>> flat = flatten_edge("acquires", {"relation": "acquires", "weight": 2, "evidence": evidence})
    >>> flat["evidence_count"], flat["first_sentence"], flat["documents"]
    (2, 'A rachète B.', 'b.txt; c.txt')
    >>> flat["attributed_to"], flat["modality"], flat["asserted"], flat["directed"]
    ('Reuters', 'hypothetical', True, True)
    """
    name = str(data.get("relation", relation))
    evidence = list(data.get("evidence", ()))
    modalities: set[str] = set()
    sources: set[str] = set()
    documents: set[str] = set()
    for item in evidence:  # one pass over the (at most --max-evidence) items
        if item.get("modality"):
            modalities.add(str(item["modality"]))
        if item.get("attributed_to"):
            sources.add(str(item["attributed_to"]))
        if "doc" in item:
            documents.add(str(item["doc"]))
    label, relation_name, directed, color = _relation_values(name)
    return {
        "label": label,
        "relation": relation_name,
        "directed": directed,
        "weight": int(data.get("weight", 0)),
        "asserted": is_asserted(evidence),
        "modality": join_values(modalities),
        "attributed_to": join_values(sources),
        "evidence_count": len(evidence),
        "first_sentence": xml_text(evidence[0].get("sentence", "")) if evidence else "",
        "documents": join_values(documents),
        **_seen_values(data),
        "color": color,
        "review": join_values(data["review"]) if data.get("review") else None,
    }


def _seen_values(data: Mapping[str, Any]) -> dict[str, Value]:
    """``first_seen``, ``last_seen`` and ``outlets`` of a node or edge (None when absent)."""
    outlets = data.get("outlets")
    return {
        "first_seen": None if data.get("first_seen") is None else xml_text(data["first_seen"]),
        "last_seen": None if data.get("last_seen") is None else xml_text(data["last_seen"]),
        "outlets": None if outlets is None else int(outlets),
    }


@lru_cache(maxsize=256)
def _relation_values(name: str) -> tuple[str, str, bool, str]:
    """Label, relation, directed and colour of an edge: they depend on its relation name alone."""
    return label_text(name), xml_text(name), name not in SYMMETRIC_RELATIONS, relation_color(name)


def node_positions(graph: nx.MultiDiGraph) -> dict[Any, tuple[float, float]]:
    """Each node's stored ``x``/``y``; the seeded layout for nodes without them.

    The layout is computed only when some node lacks a position, and the
    graph is not modified.
    """
    stored = {
        node: (float(data["x"]), float(data["y"]))
        for node, data in graph.nodes(data=True)
        if "x" in data and "y" in data
    }
    if len(stored) == graph.number_of_nodes():
        return stored
    return {**compute_positions(graph), **stored}


def flatten_nodes(graph: nx.MultiDiGraph) -> list[FlatNode]:
    """Every node, sorted by id, with its file id (``n0``, ``n1``, ...) and flat values."""
    positions = node_positions(graph)
    return [
        FlatNode(f"n{index}", flatten_node(node, graph.nodes[node], positions[node]))
        for index, node in enumerate(sorted(graph.nodes))
    ]


def flatten_edges(graph: nx.MultiDiGraph) -> list[FlatEdge]:
    """Every edge, sorted by (source, target, relation), with file ids (``e0``...) and flat values.

    Parallel edges (one per relation between the same two nodes) stay distinct.
    """
    ids = {node: f"n{index}" for index, node in enumerate(sorted(graph.nodes))}
    edges = sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], str(e[2])))
    return [
        FlatEdge(f"e{index}", ids[source], ids[target], flatten_edge(str(key), data))
        for index, (source, target, key, data) in enumerate(edges)
    ]
