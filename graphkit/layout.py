"""Seeded node positions in drawing units, computed once and shared by the page and the Gephi files.

The contract: a node is a disc of radius ``node_size(mentions) / 2``
(:func:`graphkit.export.style.node_radius`, 5 to 25 units) centred on its
position, and no two discs overlap: any two centres are at least
``r1 + r2 + MARGIN`` apart, across components too. The drawing is centred on
the origin and rounded to 0.01; its extent grows with the graph (about
``60 * sqrt(n)`` units across for ``n`` entities): nothing is normalised.

Each connected component is laid out on its own, then the components are
packed (see :func:`_pack`):

- up to :data:`FA2_MAX_NODES` nodes, igraph's Fruchterman-Reingold gives a
  seeded start and ForceAtlas2 (:func:`_forceatlas2`, Gephi's formulas with
  its "prevent overlap" option) runs :data:`FA2_ITERATIONS` steps from it:
  node masses are ``1 + degree``, so hubs push their neighbours away, and
  communities come apart. It is dense, O(n²) time and memory per step (in
  float32): 1,500 nodes take about 25 ms a step, 2,500 about 60 ms;
- bigger components keep igraph's Fruchterman-Reingold with its grid
  approximation (about linear: 20,000 entities in a few seconds).

The Fruchterman-Reingold layout is scaled so that the discs cover
:data:`FILL` of its disc.

Either way, :func:`_separate` then pushes apart the pairs of discs that are
still too close (a k-d tree finds the close pairs, so a sweep is about
linear), and, should a few pairs resist, scales the component up until none
does, so the contract always holds. Edges pull with ``1 + log`` of their
summed weight (:func:`_attraction`). Everything is seeded: igraph draws its
random numbers from a ``random.Random(seed)`` set for the call, and the rest
is deterministic numpy, so the same graph always gets the same positions.
"""

from __future__ import annotations

import math
import random

import igraph
import networkx as nx
import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from graphkit.export.style import node_radius

__all__ = ["compute_positions", "assign_positions", "MARGIN", "FA2_MAX_NODES"]

SEED = 42
MARGIN = 2.0
"""Least room between the discs of two nodes, in drawing units."""
_SLACK = 0.05
"""Kept on top of MARGIN while laying out, so that rounding to 0.01 cannot eat into it."""
COMPONENT_GAP = 20.0
"""Least room between the discs enclosing two packed components."""
FA2_MAX_NODES = 2000
"""Largest component laid out by the dense ForceAtlas2: measured here, 1,500 nodes take about
3 s, 2,500 about 7 s, and time grows with the square of the size."""
FA2_ITERATIONS = 120
FR_ITERATIONS = 500
FILL = 1 / 8
"""Share of a component's drawing covered by its discs after Fruchterman-Reingold: room for
ForceAtlas2 to pull communities apart (1/3 left them as mixed as Fruchterman-Reingold did)."""
SCALING = 10.0
"""ForceAtlas2's repulsion coefficient (Gephi's "scaling"; 2 left communities less apart)."""
GRAVITY = 1.0
SEPARATION_SWEEPS = 60

Point = tuple[float, float]
Array = NDArray[np.float64]
Matrix = NDArray[np.float32]


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


def _centred(points: Array) -> Array:
    """``points`` moved so that their bounding box is centred on the origin.

    >>> _centred(np.array([[0.0, 0.0], [4.0, 2.0]])).tolist()
    [[-2.0, -1.0], [2.0, 1.0]]
    """
    return points - (points.max(axis=0) + points.min(axis=0)) / 2


def _reach(points: Array, radii: Array) -> float:
    """Radius of the disc centred on the origin that holds every node's disc.

    >>> _reach(np.array([[3.0, 4.0], [0.0, 0.0]]), np.array([1.0, 7.0]))
    7.0
    """
    return float((np.hypot(points[:, 0], points[:, 1]) + radii).max())


def _fr_start(component: igraph.Graph, radii: Array) -> Array:
    """Seeded Fruchterman-Reingold layout scaled so that the discs cover :data:`FILL` of its disc."""
    layout = component.layout_fruchterman_reingold(weights="weight", niter=FR_ITERATIONS, grid="auto")
    points = _centred(np.array(layout.coords, dtype=np.float64))
    reach = float(np.hypot(points[:, 0], points[:, 1]).max()) or 1.0
    target = math.sqrt(float(((radii + MARGIN) ** 2).sum()) / FILL)
    return points * (target / reach)


def _speed(speed: float, efficiency: float, swing: float, traction: float, n: int) -> tuple[float, float]:
    """Gephi's adaptive global speed of ForceAtlas2 (jitter tolerance 1) -> (speed, efficiency).

    >>> _speed(1.0, 1.0, 0.0, 1.0, 10)
    (1.5, 1.3)
    """
    jitter = 0.05 * math.sqrt(n)
    jitter = max(math.sqrt(jitter), min(10.0, jitter * traction / n**2))
    if swing > 2 * traction:
        efficiency *= 0.5 if efficiency > 0.05 else 1.0
        jitter = max(jitter, 1.0)
    target = jitter * efficiency * traction / swing if swing > 0 else math.inf
    if swing > jitter * traction:
        efficiency *= 0.7 if efficiency > 0.05 else 1.0
    elif speed < 1000:
        efficiency *= 1.3
    return speed + min(target - speed, 0.5 * speed), efficiency


def _forces(points: Array, touch: Matrix, push: Matrix, edges: NDArray[np.intp], pull: Array) -> Array:
    """ForceAtlas2's repulsion and edge attraction with overlap prevention.

    ``touch`` holds every pair's radii plus the margin and ``push`` its
    ``SCALING * m1 * m2`` (0 on the diagonal). As in Gephi, two nodes whose
    centres are ``D`` apart and whose discs ``d`` apart repel with
    ``push * D / d**2`` along the line of their centres, and with
    ``100 * push * D`` once ``d`` is under 0.1 (Gephi: once they overlap); an
    edge pulls its ends with ``pull * D`` while their discs are apart, not
    once they touch. The dense part is in float32, for speed.
    """
    flat = points.astype(np.float32)
    dx = flat[:, 0, None] - flat[None, :, 0]
    dy = flat[:, 1, None] - flat[None, :, 1]
    factor = np.hypot(dx, dy)
    factor -= touch
    np.maximum(factor, 0.1, out=factor)
    factor *= factor
    np.divide(push, factor, out=factor)
    force = np.stack([np.einsum("ij,ij->i", dx, factor), np.einsum("ij,ij->i", dy, factor)], axis=1)
    force = force.astype(np.float64)
    u, v = edges[:, 0], edges[:, 1]
    delta = points[v] - points[u]
    length = np.hypot(delta[:, 0], delta[:, 1])
    pulled = delta * (pull * (length > touch[u, v]))[:, None]
    for axis in (0, 1):
        force[:, axis] += np.bincount(u, pulled[:, axis], len(points))
        force[:, axis] -= np.bincount(v, pulled[:, axis], len(points))
    return force


def _gravity(points: Array, mass: Array) -> Array:
    """Pull of ``GRAVITY * mass`` of every node towards the centroid.

    >>> _gravity(np.array([[0.0, 0.0], [6.0, 8.0]]), np.array([1.0, 2.0])).round(6).tolist()
    [[0.6, 0.8], [-1.2, -1.6]]
    """
    offset = points - points.mean(axis=0)
    norm = np.hypot(offset[:, 0], offset[:, 1])
    return -offset * (GRAVITY * mass / np.where(norm > 0, norm, 1.0))[:, None]


def _forceatlas2(points: Array, radii: Array, edges: NDArray[np.intp], pull: Array) -> Array:
    """:data:`FA2_ITERATIONS` steps of ForceAtlas2 with overlap prevention from ``points``.

    Node masses are ``1 + degree``; each node moves at most 10 units a step,
    as in Gephi with "prevent overlap".
    """
    n = len(points)
    mass: Array = 1.0 + np.bincount(edges.ravel(), minlength=n).astype(np.float64)
    touch = (radii[:, None] + radii[None, :] + MARGIN).astype(np.float32)
    push = (SCALING * np.outer(mass, mass)).astype(np.float32)
    np.fill_diagonal(push, 0.0)
    previous = np.zeros_like(points)
    speed, efficiency = 1.0, 1.0
    for _ in range(FA2_ITERATIONS):
        force = _forces(points, touch, push, edges, pull) + _gravity(points, mass)
        swinging = mass * np.hypot(*(force - previous).T)
        traction = float((mass * np.hypot(*(force + previous).T)).sum()) / 2
        speed, efficiency = _speed(speed, efficiency, float(swinging.sum()), traction, n)
        magnitude = np.hypot(force[:, 0], force[:, 1])
        step = np.minimum(0.1 * speed / (1 + np.sqrt(speed * swinging)), 10.0 / np.maximum(magnitude, 1e-9))
        points = points + force * step[:, None]
        previous = force
    return points


def _close_pairs(points: Array, radii: Array) -> tuple[NDArray[np.intp], Array, Array]:
    """Pairs of discs nearer than their radii plus the margin -> (pairs, offsets, distances)."""
    reach = 2 * float(radii.max()) + MARGIN + _SLACK
    pairs = cKDTree(points).query_pairs(reach, output_type="ndarray").astype(np.intp)
    pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
    delta = points[pairs[:, 1]] - points[pairs[:, 0]]
    distance = np.hypot(delta[:, 0], delta[:, 1])
    close = distance < radii[pairs[:, 0]] + radii[pairs[:, 1]] + MARGIN + _SLACK
    return pairs[close], delta[close], distance[close]


def _separate(points: Array, radii: Array) -> Array:
    """``points`` with no two discs closer than the margin.

    Up to :data:`SEPARATION_SWEEPS` sweeps push both discs of every close pair
    apart by half the missing room (a pair on the same spot along a direction
    fixed by its rank): on real layouts 30 to 50 sweeps leave none. If some
    pairs are still close (discs piled on one spot), the drawing is scaled
    up just enough, which only lengthens distances.

    >>> _separate(np.array([[0.0, 0.0], [1.0, 0.0]]), np.array([5.0, 5.0])).tolist()
    [[-5.55, 0.0], [6.55, 0.0]]
    """
    points = points.copy()
    for _ in range(SEPARATION_SWEEPS):
        pairs, delta, distance = _close_pairs(points, radii)
        if not len(pairs):
            return points
        angle = np.arange(len(pairs)) * 2.399963
        fallback = np.stack([np.cos(angle), np.sin(angle)], axis=1)
        unit = np.where(
            (distance > 0)[:, None], delta / np.where(distance > 0, distance, 1.0)[:, None], fallback
        )
        need = radii[pairs[:, 0]] + radii[pairs[:, 1]] + MARGIN + 2 * _SLACK - distance
        push = unit * (need / 2)[:, None]
        for axis in (0, 1):
            points[:, axis] -= np.bincount(pairs[:, 0], push[:, axis], len(points))
            points[:, axis] += np.bincount(pairs[:, 1], push[:, axis], len(points))
    pairs, _delta, distance = _close_pairs(points, radii)
    if len(pairs):
        need = radii[pairs[:, 0]] + radii[pairs[:, 1]] + MARGIN + 2 * _SLACK
        points = points * float((need / np.maximum(distance, 1e-3)).max())
    return points


def _component_layout(component: igraph.Graph, radii: Array, fa2_max_nodes: int) -> Array:
    """Positions of one connected component around the origin, its discs apart."""
    size = component.vcount()
    if size == 1:
        return np.zeros((1, 2))
    points = _fr_start(component, radii)
    if size <= fa2_max_nodes:
        edges = np.array(component.get_edgelist(), dtype=np.intp).reshape(-1, 2)
        points = _forceatlas2(points, radii, edges, np.array(component.es["weight"], dtype=np.float64))
    return _centred(_separate(points, radii))


def _pack(radii: list[float]) -> list[Point]:
    """Centres of discs of the given radii, largest first, packed in rows of square cells.

    >>> _pack([10.0, 0.0, 0.0])
    [(20.0, 20.0), (10.0, 50.0), (30.0, 50.0)]
    """
    cells = [2 * r + COMPONENT_GAP for r in radii]
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


def compute_positions(
    graph: nx.MultiDiGraph, *, seed: int = SEED, fa2_max_nodes: int = FA2_MAX_NODES
) -> dict[str, Point]:
    """Deterministic 2-D positions in drawing units, no two node discs overlapping.

    Parameters
    ----------
    graph : nx.MultiDiGraph
        The entity graph; edges pull their ends together, more so when their
        summed ``weight`` is higher; a node's ``mentions`` (1 when absent)
        sets its radius, :func:`~graphkit.export.style.node_radius`.
    seed : int
        Seed of the layout, so the same graph always gets the same positions.
    fa2_max_nodes : int
        Components with more nodes skip ForceAtlas2 (0: Fruchterman-Reingold
        and overlap removal only, as for big components).

    Returns
    -------
    dict
        node id -> (x, y), rounded to 0.01, centred on the origin, in sorted id order.

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
    radii = np.array([node_radius(int(graph.nodes[n].get("mentions", 1))) for n in nodes])
    weights = _pair_weights(graph)
    whole = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in weights])
    whole.es["weight"] = [_attraction(w) for w in weights.values()]
    components = sorted(whole.connected_components(), key=lambda c: (-len(c), c[0]))
    igraph.set_random_number_generator(random.Random(seed))
    try:
        shapes = [_component_layout(whole.induced_subgraph(c), radii[c], fa2_max_nodes) for c in components]
    finally:
        igraph.set_random_number_generator(random)
    centres = _pack([_reach(shape, radii[c]) for c, shape in zip(components, shapes, strict=True)])
    points = np.zeros((len(nodes), 2))
    for members, shape, centre in zip(components, shapes, centres, strict=True):
        points[members] = shape + np.array(centre)
    points = np.round(_centred(points), 2) + 0.0  # no -0.0
    return {node: (float(x), float(y)) for node, (x, y) in zip(nodes, points.tolist(), strict=True)}


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
