"""``graph.json``: networkx node-link data of the contract graph, sorted and stable."""

from __future__ import annotations

import json
import os

import networkx as nx

from graphkit.export.atomic import write_atomic
from graphkit.graph import graph_to_data

__all__ = ["dumps_json", "write_json"]


def dumps_json(graph: nx.MultiDiGraph) -> str:
    """The graph as node-link JSON text (sorted keys, UTF-8 characters kept)."""
    return json.dumps(graph_to_data(graph), ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def write_json(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """Write ``graph.json`` atomically."""
    write_atomic(path, dumps_json(graph))
