"""GEXF 1.3 for Gephi (and networkx), with the page's colours, sizes and positions.

The file validates against the official GEXF 1.3 schemas (XML Schema and
RELAX NG). Text goes through :func:`graphkit.export.flatten.xml_text`
(code points XML forbids replaced) and is escaped by
:func:`~graphkit.export.flatten.xml_attribute` (every text is an attribute
value here); elements are written as text, line by line.

- Nodes are ``n0``, ``n1``, ... with the display label in ``label``, the
  canonical name in the ``name`` attribute, and ``viz:color`` (by type),
  ``viz:size`` (the radius of the node's disc, by mentions) and
  ``viz:position`` (the seeded layout).
- Edges are ``e0``, ``e1``, ...; ``label`` and ``kind`` are the relation,
  ``weight`` the weight, ``viz:color`` the relation's colour. Gephi keeps
  parallel edges between two nodes only when their ``kind`` differs, which
  holds here: the graph has at most one edge per relation and pair.
- Attributes are declared once per class, with ids equal to their titles and
  GEXF types (``string``, ``integer``, ``double``, ``boolean``).
- No date in ``<meta>``, so the same graph always gives the same bytes.
- When some node or edge is dated, the graph is written in dynamic mode
  (``mode="dynamic"``, ``timeformat="date"``) and each dated node and edge
  gets one spell, from the first day of its ``first_seen`` to the last day
  of its ``last_seen`` (a month or a year covers all its days). One spell
  per element, not one per date: it holds all the evidence (the dates of
  sentences beyond ``--max-evidence`` are not in the graph, their span is),
  an edge's spell lies within its ends' spells, and Gephi's timeline, with
  a window that grows from the first date, shows the graph growing as the
  stories came out. Gephi Lite does not read GEXF dynamics; the same dates
  are also plain ``first_seen``/``last_seen`` attributes (ISO strings, which
  sort as dates) that it can filter and colour by. A corpus without dates
  gives a static graph, as before.

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
from collections.abc import Iterator

import networkx as nx

from graphkit.dates import period_bounds
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
    xml_attribute,
    xml_document,
)
from graphkit.export.style import hex_to_rgb

__all__ = ["dumps_gexf", "write_gexf"]

NS = "http://gexf.net/1.3"
VIZ = "http://gexf.net/1.3/viz"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS} {NS}/gexf.xsd"
TYPES = {"string": "string", "int": "integer", "double": "double", "boolean": "boolean"}
# Flat fields written as XML attributes or viz elements rather than attvalues.
NODE_VIZ = frozenset({"label", "x", "y", "size", "color"})
EDGE_VIZ = frozenset({"label", "weight", "color"})


def _attribute_fields(fields: dict[str, str], written_elsewhere: frozenset[str]) -> dict[str, str]:
    return {name: kind for name, kind in fields.items() if name not in written_elsewhere}


def _declaration_lines(kind: str, fields: dict[str, str]) -> list[str]:
    lines = [f'    <attributes class="{kind}">']
    for name, field_type in fields.items():
        lines.append(f'      <attribute id="{name}" title="{name}" type="{TYPES[field_type]}"/>')
    return lines + ["    </attributes>"]


def _attvalue_lines(fields: dict[str, str], values: dict[str, Value]) -> list[str]:
    present = [(name, values[name]) for name in fields if values.get(name) is not None]
    if not present:
        return []
    return [
        "        <attvalues>",
        *(
            f'          <attvalue for="{name}" value="{xml_attribute(format_value(value))}"/>'
            for name, value in present
        ),
        "        </attvalues>",
    ]


def _color_line(color: Value) -> str:
    red, green, blue = hex_to_rgb(str(color))
    return f'        <viz:color r="{red}" g="{green}" b="{blue}"/>'


def _spell_lines(values: dict[str, Value]) -> list[str]:
    """The one spell of a dated node or edge, from ``first_seen`` to ``last_seen``; none when undated.

    >>> _spell_lines({"first_seen": "2024-02", "last_seen": "2024-03-05"})
    ['        <spells>', '          <spell start="2024-02-01" end="2024-03-05"/>', '        </spells>']
    """
    first, last = values.get("first_seen"), values.get("last_seen")
    if first is None or last is None:
        return []
    start, end = period_bounds(str(first))[0], period_bounds(str(last))[1]
    return ["        <spells>", f'          <spell start="{start}" end="{end}"/>', "        </spells>"]


def _graph_line(dynamic: bool) -> str:
    mode = 'mode="dynamic" timeformat="date"' if dynamic else 'mode="static"'
    return f'  <graph defaultedgetype="directed" {mode}>'


def gexf_lines(nodes: list[FlatNode], edges: list[FlatEdge]) -> Iterator[str]:
    """The lines of the ``<gexf>`` element for flattened nodes and edges, one at a time.

    ``community``, ``review``, ``first_seen``, ``last_seen`` and ``outlets`` are
    declared only when some node (or edge) has one; dynamic mode only when some is dated.
    """
    node_fields = present_fields(_attribute_fields(NODE_FIELDS, NODE_VIZ), nodes)
    edge_fields = present_fields(_attribute_fields(EDGE_FIELDS, EDGE_VIZ), edges)
    dynamic = "first_seen" in node_fields or "first_seen" in edge_fields
    yield (
        f'<gexf xmlns="{NS}" xmlns:viz="{VIZ}" xmlns:xsi="{XSI}" xsi:schemaLocation="{SCHEMA_LOCATION}"'
        ' version="1.3">'
    )
    yield from ("  <meta>", "    <creator>graphkit</creator>", "  </meta>", _graph_line(dynamic))
    yield from _declaration_lines("node", node_fields)
    yield from _declaration_lines("edge", edge_fields)
    yield f'    <nodes count="{len(nodes)}">'
    for node in nodes:
        values = node.values
        yield f'      <node id="{node.id}" label="{xml_attribute(str(values["label"]))}">'
        yield from _attvalue_lines(node_fields, values)
        yield from _spell_lines(values)
        yield _color_line(values["color"])
        yield f'        <viz:size value="{format_value(values["size"])}"/>'
        x, y = format_value(values["x"]), format_value(values["y"])
        yield f'        <viz:position x="{x}" y="{y}"/>'
        yield "      </node>"
    yield "    </nodes>"
    yield f'    <edges count="{len(edges)}">'
    for edge in edges:
        values = edge.values
        label = xml_attribute(str(values["label"]))
        yield (
            f'      <edge id="{edge.id}" source="{edge.source}" target="{edge.target}" label="{label}"'
            f' kind="{label}" weight="{format_value(values["weight"])}">'
        )
        yield from _attvalue_lines(edge_fields, values)
        yield from _spell_lines(values)
        yield _color_line(values["color"])
        yield "      </edge>"
    yield from ("    </edges>", "  </graph>", "</gexf>")


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
    return "".join(xml_document(gexf_lines(flatten_nodes(graph), flatten_edges(graph)))).encode("utf-8")


def write_gexf(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """Write ``graph`` as GEXF 1.3 to ``path``, atomically.

    Parameters
    ----------
    graph : nx.MultiDiGraph
        A graph in the graphkit contract (see :mod:`graphkit.graph`).
    path : str or path-like
        The file to write, e.g. ``out/graph.gexf``.
    """
    write_pieces(path, xml_document(gexf_lines(flatten_nodes(graph), flatten_edges(graph))))
