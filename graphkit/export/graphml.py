"""GraphML 1.0 for Gephi, igraph (R and Python), networkx and yEd.

The file validates against the official GraphML 1.0 schema. Text goes
through :func:`graphkit.export.flatten.xml_text` (code points XML forbids
replaced) and is escaped by :func:`~graphkit.export.flatten.xml_escape`;
everything else written is generated ids, key names and numbers. Elements
are written as text, line by line: building a tree of 200,000 ``<data>``
elements first took five times as long.

- Nodes are ``n0``, ``n1``, ... and edges ``e0``, ``e1``, ... (see
  :mod:`graphkit.export.flatten`); the canonical name is the ``name``
  attribute, which igraph uses as the vertex name.
- Every key has an ``attr.type`` and an id that says what it is (``n_label``,
  ``e_weight``), never ``d0``, ``d1``...: Gephi maps a key to a node or edge
  property by its id before its ``attr.name``, and takes ``d3`` for the label.
- Node keys ``label``, ``x``, ``y``, ``size`` and ``r``/``g``/``b`` are what
  Gephi reads as label, position, size (a radius) and colour; ``color`` (``#RRGGBB``),
  ``x``, ``y``, ``size`` and ``label`` are what R igraph's ``plot`` uses.
  Edge keys ``label`` (the relation), ``weight`` and ``r``/``g``/``b`` are
  Gephi's edge label, weight and colour.
- Parallel edges (different relations between the same two entities) are
  separate ``<edge>`` elements with their own ids.

Limits
------
Every edge is written as directed (``edgedefault="directed"``): a per-edge
``directed="false"`` makes networkx refuse the file ("directed=false edge found
in directed graph"), so symmetric relations (``partner_of``, ``co_occurs``...)
run from the smaller name to the larger, as in the graph, and carry
``directed = false`` as data. Gephi therefore shows them as directed edges.

See http://graphml.graphdrawing.org/ for the format.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import networkx as nx

from graphkit.export.atomic import write_pieces
from graphkit.export.flatten import (
    EDGE_FIELDS,
    NODE_FIELDS,
    FlatEdge,
    FlatNode,
    Value,
    flatten_edges,
    flatten_nodes,
    format_value,
    present_fields,
    xml_document,
    xml_escape,
)
from graphkit.export.style import hex_to_rgb

__all__ = ["dumps_graphml", "write_graphml"]

NS = "http://graphml.graphdrawing.org/xmlns"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS} http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
COLOR_CHANNELS = {"r": "int", "g": "int", "b": "int"}
KEY_PREFIX = {"node": "n_", "edge": "e_"}


def _with_channels(values: dict[str, Value]) -> dict[str, Value]:
    """The values plus Gephi's ``r``, ``g``, ``b`` from ``color``."""
    red, green, blue = hex_to_rgb(str(values["color"]))
    return {**values, "r": red, "g": green, "b": blue}


def _key_lines(domain: str, fields: dict[str, str]) -> list[str]:
    return [
        f'  <key id="{KEY_PREFIX[domain]}{name}" for="{domain}" attr.name="{name}" attr.type="{kind}"/>'
        for name, kind in fields.items()
    ]


def _data_lines(domain: str, values: dict[str, Value]) -> list[str]:
    return [
        f'      <data key="{KEY_PREFIX[domain]}{name}">{xml_escape(format_value(value))}</data>'
        for name, value in values.items()
        if value is not None
    ]


def graphml_lines(nodes: list[FlatNode], edges: list[FlatEdge]) -> Iterator[str]:
    """The lines of the ``<graphml>`` element for flattened nodes and edges, one at a time.

    Keys are declared for the fields of :mod:`~graphkit.export.flatten`;
    ``community`` and ``review`` only when some node or edge has one.
    """
    node_fields = present_fields(NODE_FIELDS, nodes)
    yield f'<graphml xmlns="{NS}" xmlns:xsi="{XSI}" xsi:schemaLocation="{SCHEMA_LOCATION}">'
    yield from _key_lines("node", {**node_fields, **COLOR_CHANNELS})
    yield from _key_lines("edge", {**present_fields(EDGE_FIELDS, edges), **COLOR_CHANNELS})
    yield '  <graph id="G" edgedefault="directed">'
    for node in nodes:
        yield f'    <node id="{node.id}">'
        yield from _data_lines("node", _with_channels(node.values))
        yield "    </node>"
    for edge in edges:
        yield f'    <edge id="{edge.id}" source="{edge.source}" target="{edge.target}">'
        yield from _data_lines("edge", _with_channels(edge.values))
        yield "    </edge>"
    yield "  </graph>"
    yield "</graphml>"


def dumps_graphml(graph: nx.MultiDiGraph) -> bytes:
    """The graph as GraphML bytes (UTF-8); the same graph always gives the same bytes.

    Examples
    --------
    >>> from graphkit.graph import build_graph
    >>> from graphkit.model import Entity
    >>> G = build_graph([Entity("Banque de France", "ORG", {"BdF"}, 2, {"a.txt"})], [])
    >>> G.nodes["Banque de France"].update(x=0.0, y=0.0)
    >>> text = dumps_graphml(G).decode("utf-8")
    >>> '<node id="n0">' in text, '<data key="n_label">Banque de France</data>' in text
    (True, True)
    """
    return "".join(xml_document(graphml_lines(flatten_nodes(graph), flatten_edges(graph)))).encode("utf-8")


def write_graphml(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """Write ``graph`` as GraphML to ``path``, atomically.

    Parameters
    ----------
    graph : nx.MultiDiGraph
        A graph in the graphkit contract (see :mod:`graphkit.graph`).
    path : str or path-like
        The file to write, e.g. ``out/graph.graphml``.
    """
    write_pieces(path, xml_document(graphml_lines(flatten_nodes(graph), flatten_edges(graph))))
