"""graphkit.layout: seeded positions for the page and the Gephi files."""

from __future__ import annotations

import math
import random

import networkx as nx

from graphkit.layout import SCALE, assign_positions, compute_positions


def _graph(nodes: int, edges: int, seed: int = 1) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(f"n{i:04d}" for i in range(nodes))
    for _ in range(edges):
        u, v = rng.sample(range(nodes), 2)
        graph.add_edge(f"n{u:04d}", f"n{v:04d}", key="co_occurs", weight=rng.randint(1, 9))
    return graph


def test_layout_is_deterministic() -> None:
    graph = _graph(300, 700)
    first = compute_positions(graph)
    assert compute_positions(graph) == first
    assert compute_positions(_graph(300, 700)) == first
    assert compute_positions(graph, seed=1) != first


def test_layout_does_not_touch_the_global_random_state() -> None:
    random.seed(5)
    expected = random.random()
    random.seed(5)
    compute_positions(_graph(50, 80))
    assert random.random() == expected


def test_layout_fills_the_square() -> None:
    positions = compute_positions(_graph(200, 300))
    coords = [c for xy in positions.values() for c in xy]
    assert max(abs(c) for c in coords) == SCALE
    assert all(math.isfinite(c) for c in coords)
    assert len(set(positions.values())) == 200


def test_layout_keeps_isolated_nodes_near_the_rest() -> None:
    graph = _graph(100, 250)
    graph.add_nodes_from(f"lone{i}" for i in range(20))
    positions = compute_positions(graph)
    main = [positions[n] for n in graph if n.startswith("n")]
    spread = max(x for x, _ in main) - min(x for x, _ in main)
    assert spread > SCALE  # the main component is not squeezed by far-flung isolated nodes


def test_layout_small_graphs() -> None:
    assert compute_positions(nx.MultiDiGraph()) == {}
    assert compute_positions(nx.MultiDiGraph([("a", "a")])) == {"a": (0.0, 0.0)}
    two = compute_positions(nx.MultiDiGraph([("a", "b")]))
    assert two["a"] != two["b"]


def test_layout_assign_positions_fills_only_missing() -> None:
    graph = _graph(30, 40)
    graph.nodes["n0000"]["x"], graph.nodes["n0000"]["y"] = 1.5, 2.5
    assign_positions(graph)
    assert (graph.nodes["n0000"]["x"], graph.nodes["n0000"]["y"]) == (1.5, 2.5)
    assert all("x" in data and "y" in data for _n, data in graph.nodes(data=True))


def test_layout_is_fast_on_big_graphs() -> None:
    import time

    graph = _graph(5000, 12500)
    start = time.perf_counter()
    compute_positions(graph)
    assert time.perf_counter() - start < 10  # about 1 s here; networkx's spring layout: minutes
