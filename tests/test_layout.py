"""graphkit.layout: seeded positions in drawing units, no two node discs overlapping."""

from __future__ import annotations

import itertools
import math
import random
import time

import networkx as nx
import numpy as np
import pytest
from scipy.spatial import cKDTree

from graphkit.export.style import node_radius
from graphkit.layout import FA2_MAX_NODES, MARGIN, _separate, assign_positions, compute_positions

Point = tuple[float, float]


def _graph(nodes: int, edges: int, seed: int = 1, community: int = 0) -> nx.MultiDiGraph:
    """Random graph; with ``community``, nine edges in ten stay inside blocks of that many nodes."""
    rng = random.Random(seed)
    graph = nx.MultiDiGraph()
    for i in range(nodes):
        graph.add_node(f"n{i:05d}", mentions=max(1, int(rng.paretovariate(1.2))))
    for _ in range(edges):
        u = rng.randrange(nodes)
        if community and rng.random() < 0.9:
            v = u - u % community + rng.randrange(community)
        else:
            v = rng.randrange(nodes)
        v = min(v, nodes - 1)
        if u != v:
            graph.add_edge(f"n{u:05d}", f"n{v:05d}", key="co_occurs", weight=rng.randint(1, 9))
    return graph


def _overlapping_pairs(graph: nx.MultiDiGraph, positions: dict[str, Point]) -> list[tuple[str, str]]:
    """Every pair of nodes whose discs are nearer than the margin (all pairs checked)."""
    radius = {node: node_radius(graph.nodes[node].get("mentions", 1)) for node in graph}
    return [
        (a, b)
        for a, b in itertools.combinations(sorted(positions), 2)
        if math.dist(positions[a], positions[b]) < radius[a] + radius[b] + MARGIN
    ]


def _centroid(points: list[Point]) -> Point:
    return sum(x for x, _ in points) / len(points), sum(y for _, y in points) / len(points)


def test_layout_is_deterministic() -> None:
    graph = _graph(300, 700, community=30)
    first = compute_positions(graph)
    assert compute_positions(graph) == first
    assert compute_positions(_graph(300, 700, community=30)) == first
    assert compute_positions(graph, seed=1) != first


def test_layout_does_not_touch_the_global_random_state() -> None:
    random.seed(5)
    expected = random.random()
    random.seed(5)
    compute_positions(_graph(50, 80))
    assert random.random() == expected


def test_layout_no_two_nodes_overlap() -> None:
    graph = _graph(400, 1000, seed=3, community=40)
    graph.add_nodes_from(f"lone{i}" for i in range(30))  # no mentions: radius 5
    graph.add_edge("pair_a", "pair_b", key="co_occurs", weight=1)
    positions = compute_positions(graph)
    assert set(positions) == set(graph)
    assert _overlapping_pairs(graph, positions) == []


def test_layout_big_component_path_has_no_overlap() -> None:
    graph = _graph(400, 1000, seed=4, community=40)
    graph.add_nodes_from(f"lone{i}" for i in range(10))
    positions = compute_positions(graph, fa2_max_nodes=50)
    assert _overlapping_pairs(graph, positions) == []
    assert compute_positions(graph, fa2_max_nodes=50) == positions


def test_layout_star_of_big_hubs_has_no_overlap() -> None:
    graph = nx.MultiDiGraph()
    for i in range(60):  # radius 25 each, around one node: the start crowds them
        graph.add_node(f"h{i:02d}", mentions=10_000)
        graph.add_edge("centre", f"h{i:02d}", key="co_occurs", weight=50)
    positions = compute_positions(graph)
    assert _overlapping_pairs(graph, positions) == []


def test_layout_separates_communities() -> None:
    rng = random.Random(2)
    graph = nx.MultiDiGraph()
    clusters = [[f"{side}{i:02d}" for i in range(40)] for side in "ab"]
    for members in clusters:
        for u, v in itertools.combinations(members, 2):
            if rng.random() < 0.3:
                graph.add_edge(u, v, key="co_occurs", weight=1)
    graph.add_edge("a00", "b00", key="co_occurs", weight=1)
    positions = compute_positions(graph)
    centres = [_centroid([positions[n] for n in members]) for members in clusters]
    spread = [
        sum(math.dist(positions[n], centre) for n in members) / len(members)
        for members, centre in zip(clusters, centres, strict=True)
    ]
    assert max(spread) < 0.25 * math.dist(*centres)


def test_layout_is_centred_and_rounded() -> None:
    positions = compute_positions(_graph(200, 300))
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    assert abs(max(xs) + min(xs)) <= 0.02 and abs(max(ys) + min(ys)) <= 0.02
    assert all(round(c, 2) == c and math.isfinite(c) for c in xs + ys)


def test_layout_packs_isolated_nodes_beside_the_rest() -> None:
    graph = _graph(200, 500, community=40)
    graph.add_nodes_from(f"lone{i}" for i in range(40))
    positions = compute_positions(graph)
    main = [positions[n] for n in graph if n.startswith("n")]
    lone = [positions[n] for n in graph if n.startswith("lone")]
    width = max(x for x, _ in main) - min(x for x, _ in main)
    centre = _centroid(main)
    assert max(math.dist(p, centre) for p in lone) < 2 * width  # packed beside, not flung away
    assert _overlapping_pairs(graph, positions) == []


def test_layout_small_graphs() -> None:
    assert compute_positions(nx.MultiDiGraph()) == {}
    assert compute_positions(nx.MultiDiGraph([("a", "a")])) == {"a": (0.0, 0.0)}
    two = compute_positions(nx.MultiDiGraph([("a", "b")]))
    assert math.dist(two["a"], two["b"]) >= 2 * node_radius(1) + MARGIN


def test_layout_assign_positions_fills_only_missing() -> None:
    graph = _graph(30, 40)
    graph.nodes["n00000"]["x"], graph.nodes["n00000"]["y"] = 1.5, 2.5
    assign_positions(graph)
    assert (graph.nodes["n00000"]["x"], graph.nodes["n00000"]["y"]) == (1.5, 2.5)
    assert all("x" in data and "y" in data for _n, data in graph.nodes(data=True))


@pytest.mark.slow
@pytest.mark.parametrize("nodes", [FA2_MAX_NODES, 5000])
def test_layout_is_fast_on_big_graphs(nodes: int) -> None:
    graph = _graph(nodes, nodes * 5 // 2, community=40)
    start = time.perf_counter()
    positions = compute_positions(graph)
    assert time.perf_counter() - start < 60  # here: 4 to 15 s with ForceAtlas2 at 2,000, 1 to 3 s without
    points = np.array([positions[n] for n in sorted(graph)])
    radii = np.array([node_radius(graph.nodes[n]["mentions"]) for n in sorted(graph)])
    pairs = cKDTree(points).query_pairs(2 * radii.max() + MARGIN, output_type="ndarray")
    distance = np.hypot(*(points[pairs[:, 0]] - points[pairs[:, 1]]).T)
    assert (distance >= radii[pairs[:, 0]] + radii[pairs[:, 1]] + MARGIN).all()


def test_separate_parts_even_discs_piled_on_one_spot() -> None:
    radii = np.array([5.0 + i % 20 for i in range(200)])
    points = _separate(np.zeros((200, 2)), radii)  # too crowded for the sweeps: scaled up at the end
    distance = np.hypot(*(points[:, None] - points[None]).T)
    np.fill_diagonal(distance, np.inf)
    assert (distance >= radii[:, None] + radii[None] + MARGIN).all()
