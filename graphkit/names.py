"""Entity names as people write them: ids, labels and aliases, without case, accents or a leading article.

Shared by :meth:`graphkit.explore.Graph.resolve` and the review replay
(:mod:`graphkit.review`), so that a name means the same entity in both.
"""

from __future__ import annotations

import difflib

import networkx as nx

from graphkit.normalize import normalize_key

__all__ = ["NameIndex", "name_index", "suggest", "matches"]

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
        names = [(0, str(node)), (0, str(data.get("label", node)))]
        names += [(1, str(alias)) for alias in data.get("aliases", [])]
        for rank, name in names:
            key = normalize_key(name)
            if key:
                index.setdefault(key, set()).add((rank, node))
    return {key: sorted(pairs) for key, pairs in index.items()}


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
    found = index.get(normalize_key(name), [])
    if not found:
        return []
    best = min(rank for rank, _node in found)
    return sorted({node for rank, node in found if rank == best})
