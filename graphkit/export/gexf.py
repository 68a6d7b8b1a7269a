"""GEXF 1.3 for Gephi (and networkx), with the page's colours, sizes and positions.

The file validates against the official GEXF 1.3 schemas (XML Schema and
RELAX NG) and is written with lxml, which escapes
markup; text goes through :func:`graphkit.export.flatten.xml_text` first.

- Nodes are ``n0``, ``n1``, ... with the display label in ``label``, the
  canonical name in the ``name`` attribute, and ``viz:color`` (by type),
  ``viz:size`` (by mentions) and ``viz:position`` (the seeded layout).
- Edges are ``e0``, ``e1``, ...; ``label`` and ``kind`` are the relation,
  ``weight`` the weight, ``viz:color`` the relation's colour. Gephi keeps
  parallel edges between two nodes only when their ``kind`` differs, which
  holds here: the graph has at most one edge per relation and pair.
- Attributes are declared once per class, with ids equal to their titles and
  GEXF types (``string``, ``integer``, ``double``, ``boolean``).
- No date in ``<meta>``, so the same graph always gives the same bytes.

Limits
------
Every edge is written as directed (``defaultedgetype="directed"``): an edge
with ``type="undirected"`` makes networkx refuse the file ("Undirected edge
found in directed graph"), and ``type="mutual"`` makes it read two edges.
Symmetric relations run from the smaller name to the larger, as in the
graph, and carry the attribute ``directed = false``; Gephi shows them as
directed edges.

See https://gexf.net/ for the format.
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

__all__ = ["dumps_gexf", "write_gexf"]

NS = "http://gexf.net/1.3"
VIZ = "http://gexf.net/1.3/viz"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
SCHEMA_LOCATION = f"{NS} {NS}/gexf.xsd"
TYPES = {"string": "string", "int": "integer", "double": "double", "boolean": "boolean"}
# Flat fields written as XML attributes or viz elements rather than attvalues.
NODE_VIZ = frozenset({"label", "x", "y", "size", "color"})
EDGE_VIZ = frozenset({"label", "weight", "color"})


def _tag(name: str, namespace: str = NS) -> str:
    return f"{{{namespace}}}{name}"


def _attribute_fields(fields: dict[str, str], written_elsewhere: frozenset[str]) -> dict[str, str]:
    return {name: kind for name, kind in fields.items() if name not in written_elsewhere}


def _add_declarations(graph: etree._Element, kind: str, fields: dict[str, str]) -> None:
    attributes = etree.SubElement(graph, _tag("attributes"), {"class": kind})
    for name, field_type in fields.items():
        declaration = {"id": name, "title": name, "type": TYPES[field_type]}
        etree.SubElement(attributes, _tag("attribute"), declaration)


def _add_attvalues(element: etree._Element, fields: dict[str, str], values: dict[str, Value]) -> None:
    present = [(name, values[name]) for name in fields if values.get(name) is not None]
    if present:
        attvalues = etree.SubElement(element, _tag("attvalues"))
        for name, value in present:
            etree.SubElement(attvalues, _tag("attvalue"), {"for": name, "value": format_value(value)})


def _add_color(element: etree._Element, color: Value) -> None:
    red, green, blue = hex_to_rgb(str(color))
    etree.SubElement(element, _tag("color", VIZ), {"r": str(red), "g": str(green), "b": str(blue)})


def gexf_document(nodes: list[FlatNode], edges: list[FlatEdge]) -> etree._Element:
    """The root ``<gexf>`` element of the document for flattened nodes and edges.

    ``community`` is declared only when some node has one.
    """
    root = etree.Element(_tag("gexf"), nsmap={None: NS, "viz": VIZ, "xsi": XSI})
    root.set(_tag("schemaLocation", XSI), SCHEMA_LOCATION)
    root.set("version", "1.3")
    meta = etree.SubElement(root, _tag("meta"))
    etree.SubElement(meta, _tag("creator")).text = "graphkit"
    graph = etree.SubElement(root, _tag("graph"), {"defaultedgetype": "directed", "mode": "static"})

    node_fields = _attribute_fields(NODE_FIELDS, NODE_VIZ)
    if all(node.values.get("community") is None for node in nodes):
        del node_fields["community"]
    edge_fields = _attribute_fields(EDGE_FIELDS, EDGE_VIZ)
    _add_declarations(graph, "node", node_fields)
    _add_declarations(graph, "edge", edge_fields)

    node_list = etree.SubElement(graph, _tag("nodes"), {"count": str(len(nodes))})
    for node in nodes:
        label = str(node.values["label"])
        element = etree.SubElement(node_list, _tag("node"), {"id": node.id, "label": label})
        _add_attvalues(element, node_fields, node.values)
        _add_color(element, node.values["color"])
        etree.SubElement(element, _tag("size", VIZ), {"value": format_value(node.values["size"])})
        etree.SubElement(
            element,
            _tag("position", VIZ),
            {"x": format_value(node.values["x"]), "y": format_value(node.values["y"])},
        )

    edge_list = etree.SubElement(graph, _tag("edges"), {"count": str(len(edges))})
    for edge in edges:
        label = str(edge.values["label"])
        element = etree.SubElement(
            edge_list,
            _tag("edge"),
            {
                "id": edge.id,
                "source": edge.source,
                "target": edge.target,
                "label": label,
                "kind": label,
                "weight": format_value(edge.values["weight"]),
            },
        )
        _add_attvalues(element, edge_fields, edge.values)
        _add_color(element, edge.values["color"])
    return root


def dumps_gexf(graph: nx.MultiDiGraph) -> bytes:
    """The graph as GEXF 1.3 bytes (UTF-8); the same graph always gives the same bytes.

    Examples
    --------
    >>> from graphkit.graph import build_graph
    >>> from graphkit.model import Entity
    >>> G = build_graph([Entity("Banque de France", "ORG", {"BdF"}, 2, {"a.txt"})], [])
    >>> G.nodes["Banque de France"].update(x=0.0, y=0.0)
    >>> '<node id="n0" label="Banque de France">' in dumps_gexf(G).decode("utf-8")
    True
    """
    root = gexf_document(flatten_nodes(graph), flatten_edges(graph))
    return DECLARATION.encode("utf-8") + etree.tostring(root, encoding="utf-8", pretty_print=True)


def write_gexf(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """Write ``graph`` as GEXF 1.3 to ``path``, atomically.

    Parameters
    ----------
    graph : nx.MultiDiGraph
        A graph in the graphkit contract (see :mod:`graphkit.graph`).
    path : str or path-like
        The file to write, e.g. ``out/graph.gexf``.
    """
    write_atomic(path, dumps_gexf(graph))
