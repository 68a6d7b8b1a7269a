"""Seeded node positions, computed once and shared by the page and the Gephi files.

Each connected component is laid out on its own with igraph's
Fruchterman-Reingold (with its grid approximation of the repulsive forces past
1,000 nodes, so about linear: 20,000 entities take a couple of seconds, where
networkx's ``spring_layout`` and ``forceatlas2_layout`` are quadratic). Each
component gets a disc whose area grows with its size, and the discs are packed
in rows, largest first, so that isolated entities and small groups sit beside
the main one instead of being flung to the edges. igraph draws its random
numbers from a ``random.Random(seed)`` set for the call: the same graph always
gets the same positions.
"""

from __future__ import annotations

import math
import random

import igraph
import networkx as nx

__all__ = ["compute_positions", "assign_positions"]

SEED = 42
SCALE = 1000.0
ITERATIONS = 500
GAP = 2.0
"""Room between the discs of two components, in mean distances between nodes."""

Point = tuple[float, float]


def _pair_weights(graph: nx.MultiDiGraph) -> dict[tuple[str, str], float]:
    """Summed edge weight of every unordered pair of distinct nodes, sorted by pair."""
    weights: dict[tuple[str, str], float] = {}
    for u, v, data in graph.edges(data=True):
        if u == v:
            continue
        pair = (u, v) if u < v else (v, u)
        weights[pair] = weights.get(pair, 0.0) + max(1.0, float(data.get("weight", 1)))
    return dict(sorted(weights.items()))


def _attraction(weight: float) -> float:
    """Pull of an edge from its summed weight: grows with the log, so hubs do not collapse.

    >>> _attraction(1.0), round(_attraction(100.0), 2)
    (1.0, 5.61)
    """
    return 1.0 + math.log(weight)


def _fit_disc(coords: list[Point], radius: float) -> list[Point]:
    """Centre ``coords`` on the origin and scale them to reach ``radius`` at most.

    >>> _fit_disc([(0.0, 0.0), (4.0, 0.0)], 1.0)
    [(-1.0, 0.0), (1.0, 0.0)]
    """
    cx = (max(x for x, _ in coords) + min(x for x, _ in coords)) / 2
    cy = (max(y for _, y in coords) + min(y for _, y in coords)) / 2
    reach = max(math.hypot(x - cx, y - cy) for x, y in coords) or 1.0
    return [((x - cx) * radius / reach, (y - cy) * radius / reach) for x, y in coords]


def _component_layout(component: igraph.Graph) -> list[Point]:
    """Positions of one connected component in a disc of area proportional to its size."""
    size = component.vcount()
    if size == 1:
        return [(0.0, 0.0)]
    if size == 2:
        return [(-1.0, 0.0), (1.0, 0.0)]
    layout = component.layout_fruchterman_reingold(weights="weight", niter=ITERATIONS, grid="auto")
    return _fit_disc([(x, y) for x, y in layout.coords], math.sqrt(size))


def _pack(radii: list[float]) -> list[Point]:
    """Centres of discs of the given radii, largest first, packed in rows of square cells.

    >>> _pack([2.0, 0.0, 0.0])
    [(3.0, 3.0), (1.0, 7.0), (3.0, 7.0)]
    """
    cells = [2 * r + GAP for r in radii]
    width = max(max(cells), math.sqrt(sum(c * c for c in cells)))
    centres = []
    x = y = row_height = 0.0
    for cell in cells:
        if x > 0 and x + cell > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        centres.append((x + cell / 2, y + cell / 2))
        x += cell
        row_height = max(row_height, cell)
    return centres


def _normalise(points: list[Point]) -> list[Point]:
    """Centre the points and scale them uniformly into [-SCALE, SCALE], rounded to 0.01.

    >>> _normalise([(0.0, 0.0), (4.0, 2.0)])
    [(-1000.0, -500.0), (1000.0, 500.0)]
    """
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    extent = max(max(xs) - cx, max(ys) - cy) or 1.0
    factor = SCALE / extent
    return [(round((x - cx) * factor, 2), round((y - cy) * factor, 2)) for x, y in points]


def compute_positions(graph: nx.MultiDiGraph, *, seed: int = SEED) -> dict[str, Point]:
    """Deterministic 2-D positions for every node, in [-SCALE, SCALE].

    Parameters
    ----------
    graph : nx.MultiDiGraph
        The entity graph; edges pull their ends together, more so when their
        summed ``weight`` is higher.
    seed : int
        Seed of the layout, so the same graph always gets the same positions.

    Returns
    -------
    dict
        node id -> (x, y), rounded to 0.01, in sorted id order.

    Notes
    -----
    igraph's random number generator is process-wide: it is set to a
    ``random.Random(seed)`` for the call and given back to the ``random``
    module afterwards, so do not lay out graphs from several threads at once.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b"), ("b", "c")])
    >>> G.add_node("d")
    >>> compute_positions(G) == compute_positions(G)
    True
    >>> sorted(compute_positions(G))
    ['a', 'b', 'c', 'd']
    """
    nodes = sorted(graph.nodes)
    if not nodes:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    weights = _pair_weights(graph)
    whole = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in weights])
    whole.es["weight"] = [_attraction(w) for w in weights.values()]
    whole.vs["index"] = range(len(nodes))
    components = sorted(whole.connected_components(), key=lambda c: (-len(c), c[0]))
    igraph.set_random_number_generator(random.Random(seed))
    try:
        parts = [whole.induced_subgraph(c) for c in components]
        shapes = [_component_layout(part) for part in parts]
    finally:
        igraph.set_random_number_generator(random)
    centres = _pack([math.sqrt(part.vcount()) if part.vcount() > 1 else 0.0 for part in parts])
    points: list[Point] = [(0.0, 0.0)] * len(nodes)
    for part, shape, (cx, cy) in zip(parts, shapes, centres, strict=True):
        for member, (x, y) in zip(part.vs["index"], shape, strict=True):
            points[member] = (cx + x, cy + y)
    return dict(zip(nodes, _normalise(points), strict=True))


def assign_positions(graph: nx.MultiDiGraph, *, seed: int = SEED) -> None:
    """Store ``x`` and ``y`` on every node of ``graph`` that has none yet.

    Positions are computed for the whole graph, so that they fit together,
    and stored only on the nodes that lack them.
    """
    missing = [n for n, d in graph.nodes(data=True) if "x" not in d or "y" not in d]
    if not missing:
        return
    positions = compute_positions(graph, seed=seed)
    for node in missing:
        graph.nodes[node]["x"], graph.nodes[node]["y"] = positions[node]
