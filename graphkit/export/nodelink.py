"""``graph.json``: networkx node-link data of the contract graph, sorted and stable."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import networkx as nx

from graphkit.export.atomic import write_pieces

__all__ = ["dumps_json", "json_pieces", "write_json"]


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def json_pieces(graph: nx.MultiDiGraph) -> Iterator[str]:
    """The text of :func:`dumps_json`, a node or an edge at a time.

    The same text as dumping :func:`graphkit.graph.graph_to_data`, made one
    record at a time so that a large graph is never held twice, as records
    and as text.
    """
    yield "{\n"
    yield f'"directed": {_compact(graph.is_directed())},\n'
    yield '"edges": '
    edges = sorted(graph.edges(keys=True))
    yield from _records({**graph.edges[u, v, k], "source": u, "target": v, "key": k} for u, v, k in edges)
    yield f',\n"graph": {_compact(graph.graph)},\n'
    yield f'"multigraph": {_compact(graph.is_multigraph())},\n'
    yield '"nodes": '
    yield from _records({**graph.nodes[n], "id": n} for n in sorted(graph.nodes))
    yield "\n}\n"


def _records(items: Iterator[dict[str, object]]) -> Iterator[str]:
    """A JSON list of ``items``, one a line (``[]`` if there are none)."""
    first = next(items, None)
    if first is None:
        yield "[]"
        return
    yield "[\n" + _compact(first)
    for item in items:
        yield ",\n" + _compact(item)
    yield "\n]"


def dumps_json(graph: nx.MultiDiGraph) -> str:
    """The graph as node-link JSON text: sorted keys, UTF-8 characters kept, one node or edge a line.

    A record a line keeps the file easy to grep and diff and lets Python's
    C encoder write it (an indented dump goes through the pure-Python one).

    >>> from graphkit.graph import build_graph
    >>> print(dumps_json(build_graph([], [])), end="")
    {
    "directed": true,
    "edges": [],
    "graph": {"documents": 0, "name": "graphkit"},
    "multigraph": true,
    "nodes": []
    }
    """
    return "".join(json_pieces(graph))


def write_json(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """Write ``graph.json`` atomically, a record at a time."""
    write_pieces(path, json_pieces(graph))
