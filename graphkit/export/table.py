"""Two CSV tables, nodes and edges, for spreadsheets, R, pandas and Gephi's spreadsheet import.

``write_csv(graph, "out/graph.csv")`` writes ``out/graph.nodes.csv`` and
``out/graph.edges.csv`` (see :func:`graphkit.export.output_paths`), each
atomically, as UTF-8 with a byte order mark (so Excel reads the accents) and
``\\r\\n`` line ends.

- ``nodes``: ``id`` (the canonical name), then the flat node fields of
  :mod:`graphkit.export.flatten` (``community`` and ``review`` only when some row has one,
  ``first_seen``, ``last_seen`` and ``outlets`` only when known).
- ``edges``: ``source`` and ``target`` (canonical names, first, as R's
  ``graph_from_data_frame`` expects), ``relation``, ``type`` (``directed`` or
  ``undirected``: Gephi's edge direction, ``undirected`` for symmetric
  relations), ``kind`` (the relation again: Gephi keeps parallel edges only
  when their kind differs), then the other flat edge fields.

Text is the same as in the XML files (:func:`~graphkit.export.flatten.xml_text`).
A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a leading apostrophe, so that no spreadsheet runs it as a formula.

Limits
------
Two names that differ only by characters XML forbids become the same ``id``.
The two files are written one after the other; each is atomic, the pair is not.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import networkx as nx

from graphkit.export import output_paths
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
    present_fields,
)

__all__ = ["FORMULA_PREFIXES", "spreadsheet_text", "node_table", "edge_table", "write_csv"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EDGE_LEADING = ("source", "target", "relation", "type", "kind")


def spreadsheet_text(value: Value) -> str:
    """A flat value as a CSV cell; text that a spreadsheet would run as a formula gets a ``'``.

    Numbers are left as they are (``-1.5`` is a number, not a formula).

    Examples
    --------
    >>> spreadsheet_text('=HYPERLINK("http://x")'), spreadsheet_text("@SUM(A1)")
    ('\\'=HYPERLINK("http://x")', "'@SUM(A1)")
    >>> spreadsheet_text(-1.5), spreadsheet_text("Airbus"), spreadsheet_text(None)
    ('-1.5', 'Airbus', '')
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return format_value(value)


def node_table(nodes: Sequence[FlatNode]) -> list[list[str]]:
    """Header and rows of the nodes table."""
    fields = [name for name in present_fields(NODE_FIELDS, nodes) if name != "name"]
    header = ["id", *fields]
    rows = [[node.values["name"], *(node.values[name] for name in fields)] for node in nodes]
    return [header, *([spreadsheet_text(value) for value in row] for row in rows)]


def edge_table(nodes: Sequence[FlatNode], edges: Sequence[FlatEdge]) -> list[list[str]]:
    """Header and rows of the edges table; ends are named by canonical names."""
    names = {node.id: node.values["name"] for node in nodes}
    present = present_fields(EDGE_FIELDS, edges)
    fields = [name for name in present if name not in ("label", "relation", "directed")]
    header = [*EDGE_LEADING, *fields]
    rows = [
        [
            names[edge.source],
            names[edge.target],
            edge.values["relation"],
            "directed" if edge.values["directed"] else "undirected",
            edge.values["relation"],
            *(edge.values[name] for name in fields),
        ]
        for edge in edges
    ]
    return [header, *([spreadsheet_text(value) for value in row] for row in rows)]


def _csv_bytes(rows: Iterable[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def write_csv(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """Write the nodes and edges tables next to ``path``, atomically each.

    Parameters
    ----------
    graph : nx.MultiDiGraph
        A graph in the graphkit contract (see :mod:`graphkit.graph`).
    path : str or path-like
        ``out/graph.csv`` writes ``out/graph.nodes.csv`` and ``out/graph.edges.csv``;
        a path without the ``.csv`` suffix is taken as the stem.
    """
    path = Path(path)
    stem = path.with_suffix("") if path.suffix.lower() == ".csv" else path
    nodes_path, edges_path = output_paths(stem, "csv")
    nodes, edges = flatten_nodes(graph), flatten_edges(graph)
    write_atomic(nodes_path, _csv_bytes(node_table(nodes)))
    write_atomic(edges_path, _csv_bytes(edge_table(nodes, edges)))
