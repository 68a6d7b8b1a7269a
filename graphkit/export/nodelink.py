"""``graph.json``: networkx node-link data of the contract graph, sorted and stable."""

from __future__ import annotations

import json
import os

import networkx as nx

from graphkit.export.atomic import write_atomic
from graphkit.graph import graph_to_data

__all__ = ["dumps_json", "write_json"]


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


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
    data = graph_to_data(graph)
    fields = []
    for key in sorted(data):
        value = data[key]
        if key in ("nodes", "edges") and value:
            text = "[\n" + ",\n".join(_compact(item) for item in value) + "\n]"
        else:
            text = _compact(value)
        fields.append(f"{_compact(key)}: {text}")
    return "{\n" + ",\n".join(fields) + "\n}\n"


def write_json(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """Write ``graph.json`` atomically."""
    write_atomic(path, dumps_json(graph))
