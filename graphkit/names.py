"""Entity names as people write them: ids, labels and aliases, without case, accents or a leading article.

Shared by :meth:`graphkit.explore.Graph.resolve` and the review replay
(:mod:`graphkit.review`), so that a name means the same entity in both.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from graphkit.normalize import normalize_key

__all__ = ["NameIndex", "name_index", "node_keys", "best", "suggest", "matches"]

NameIndex = dict[str, list[tuple[int, str]]]
"""Normalised name -> ``(rank, node)`` pairs: rank 0 for ids and labels, 1 for aliases."""


def name_index(graph: nx.MultiDiGraph) -> NameIndex:
    """Every name of every node, normalised (see :data:`NameIndex`).

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("FCC", label="FCC", aliases=["Commission fédérale des communications"])
    >>> name_index(G)
    {'fcc': [(0, 'FCC')], 'commission federale des communications': [(1, 'FCC')]}
    """
    index: dict[str, set[tuple[int, str]]] = {}
    for node, data in sorted(graph.nodes(data=True)):
        for key, rank in node_keys(node, data):
            index.setdefault(key, set()).add((rank, node))
    return {key: sorted(pairs) for key, pairs in index.items()}


def node_keys(node: str, data: Mapping[str, Any]) -> list[tuple[str, int]]:
    """The distinct normalised names of one node, with their rank (0: id and label, 1: aliases).

    >>> node_keys("FCC", {"label": "FCC", "aliases": ["la FCC"]})
    [('fcc', 0), ('fcc', 1)]
    """
    names = [(0, str(node)), (0, str(data.get("label", node)))]
    names += [(1, str(alias)) for alias in data.get("aliases", [])]
    return list(dict.fromkeys((key, rank) for rank, name in names if (key := normalize_key(name))))


def best(found: Iterable[tuple[int, str]]) -> list[str]:
    """The nodes of the best (lowest) rank among ``(rank, node)`` pairs, sorted.

    >>> best([(1, "b"), (0, "c"), (0, "a")]), best([])
    (['a', 'c'], [])
    """
    pairs = list(found)
    if not pairs:
        return []
    top = min(rank for rank, _node in pairs)
    return sorted({node for rank, node in pairs if rank == top})


def suggest(index: NameIndex, key: str, *, limit: int = 5) -> list[str]:
    """Entities whose names are close to ``key``, then those whose names contain it.

    >>> index = {"renault": [(0, "Renault")], "renault group": [(0, "Renault Group")], "fcc": [(0, "FCC")]}
    >>> suggest(index, "renaul")
    ['Renault', 'Renault Group']
    """
    keys = sorted(index)
    close = difflib.get_close_matches(key, keys, n=limit, cutoff=0.6)
    containing = [k for k in keys if len(key) >= 3 and key in k]
    nodes = (node for k in [*close, *containing] for _rank, node in index[k])
    return list(dict.fromkeys(nodes))[:limit]


def matches(graph: nx.MultiDiGraph, index: NameIndex, name: str) -> list[str]:
    """The nodes ``name`` designates: itself if it is an id, else those of its best rank, sorted.

    One node is a match; none or several, a name to report.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("Renault", aliases=["Renault SA"]); G.add_node("Renault Group", aliases=["Renault SA"])
    >>> index = name_index(G)
    >>> matches(G, index, "renault"), matches(G, index, "Renault SA"), matches(G, index, "Dacia")
    (['Renault'], ['Renault', 'Renault Group'], [])
    """
    if name in graph:
        return [name]
    return best(index.get(normalize_key(name), []))
