"""GraphML 1.0 for Gephi, igraph (R and Python), networkx and yEd.

The file validates against the official GraphML 1.0 schema and is written
with lxml, which escapes markup; text goes through
:func:`graphkit.export.flatten.xml_text` first.

- Nodes are ``n0``, ``n1``, ... and edges ``e0``, ``e1``, ... (see
  :mod:`graphkit.export.flatten`); the canonical name is the ``name``
  attribute, which igraph uses as the vertex name.
- Every key has an ``attr.type`` and an id that says what it is (``n_label``,
  ``e_weight``), never ``d0``, ``d1``...: Gephi maps a key to a node or edge
  property by its id before its ``attr.name``, and takes ``d3`` for the label.
- Node keys ``label``, ``x``, ``y``, ``size`` and ``r``/``g``/``b`` are what
  Gephi reads as label, position, size and colour; ``color`` (``#RRGGBB``),
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

import networkx as nx
from lxml import etree

from graphkit.export.atomic import write_atomic
from graphkit.export.flatten import (
    EDGE_FIELDS,
    NODE_FIELDS,
    FlatEdge,
    FlatNode,
    Value,
    flatten_edges,
    flatten_nodes,
    format_value,
)
from graphkit.export.style import hex_to_rgb

__all__ = ["dumps_graphml", "write_graphml"]

NS = "http://graphml.graphdrawing.org/xmlns"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
SCHEMA_LOCATION = f"{NS} http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
KEY, DATA, NODE, EDGE, GRAPH = (f"{{{NS}}}{tag}" for tag in ("key", "data", "node", "edge", "graph"))
COLOR_CHANNELS = {"r": "int", "g": "int", "b": "int"}
KEY_PREFIX = {"node": "n_", "edge": "e_"}


def _with_channels(values: dict[str, Value]) -> dict[str, Value]:
    """The values plus Gephi's ``r``, ``g``, ``b`` from ``color``."""
    red, green, blue = hex_to_rgb(str(values["color"]))
    return {**values, "r": red, "g": green, "b": blue}


def _add_keys(root: etree._Element, domain: str, fields: dict[str, str]) -> None:
    for name, kind in fields.items():
        etree.SubElement(
            root,
            KEY,
            {"id": KEY_PREFIX[domain] + name, "for": domain, "attr.name": name, "attr.type": kind},
        )


def _add_data(element: etree._Element, domain: str, values: dict[str, Value]) -> None:
    for name, value in values.items():
        if value is not None:
            data = etree.SubElement(element, DATA, {"key": KEY_PREFIX[domain] + name})
            data.text = format_value(value)


def graphml_document(nodes: list[FlatNode], edges: list[FlatEdge]) -> etree._Element:
    """The root ``<graphml>`` element of the document for flattened nodes and edges.

    Keys are declared for the fields of :mod:`~graphkit.export.flatten`;
    ``community`` only when some node has one.
    """
    root = etree.Element(f"{{{NS}}}graphml", nsmap={None: NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    node_fields = dict(NODE_FIELDS)
    if all(node.values.get("community") is None for node in nodes):
        del node_fields["community"]
    _add_keys(root, "node", {**node_fields, **COLOR_CHANNELS})
    _add_keys(root, "edge", {**EDGE_FIELDS, **COLOR_CHANNELS})
    graph = etree.SubElement(root, GRAPH, {"id": "G", "edgedefault": "directed"})
    for node in nodes:
        element = etree.SubElement(graph, NODE, {"id": node.id})
        _add_data(element, "node", _with_channels(node.values))
    for edge in edges:
        element = etree.SubElement(
            graph, EDGE, {"id": edge.id, "source": edge.source, "target": edge.target}
        )
        _add_data(element, "edge", _with_channels(edge.values))
    return root


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
    root = graphml_document(flatten_nodes(graph), flatten_edges(graph))
    return DECLARATION.encode("utf-8") + etree.tostring(root, encoding="utf-8", pretty_print=True)


def write_graphml(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """Write ``graph`` as GraphML to ``path``, atomically.

    Parameters
    ----------
    graph : nx.MultiDiGraph
        A graph in the graphkit contract (see :mod:`graphkit.graph`).
    path : str or path-like
        The file to write, e.g. ``out/graph.graphml``.
    """
    write_atomic(path, dumps_graphml(graph))
