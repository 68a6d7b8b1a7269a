"""How fast graphkit's layout runs and whether its node discs overlap, next to the old layout.

Usage::

    python bench/bench_layout.py [--sizes 1500,5000,20000] [--json FILE]

For each size a seeded synthetic graph (bench/synthetic.py, about 2.5 edges per
entity) is laid out three ways:

* ``fa2``: :func:`graphkit.layout.compute_positions` as shipped (ForceAtlas2
  up to ``FA2_MAX_NODES`` nodes a component, Fruchterman-Reingold past it);
* ``fr``: the same with ``fa2_max_nodes=0``: Fruchterman-Reingold and the
  overlap-removal pass for every component;
* ``old``: the layout before ForceAtlas2 (``graphkit/layout.py`` at commit
  :data:`OLD`, read with ``git show``), positions in [-1000, 1000] scaled as the
  page scaled them, ``max(0.35, sqrt(n) / 20)``.

Measured: seconds of one call, the pairs of nodes whose discs (radius
``node_size(mentions) / 2``) overlap, the pairs closer than the layout's margin,
the width of the drawing, and the mean edge length over the mean distance
between random nodes (lower: neighbours sit closer together).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import subprocess
import sys
import time
import types
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree
from synthetic import synthetic_graph

from graphkit.export.style import node_radius
from graphkit.layout import MARGIN, compute_positions

SIZES = (1500, 5000, 20000)
OLD = "0ab3aa2"
"""The commit whose layout.py is the FR-only layout measured as ``old``."""
SAMPLE = 20000

Positions = dict[str, tuple[float, float]]


@dataclass
class Run:
    size: int
    layout: str
    seconds: float
    overlapping: int
    closer_than_margin: int
    width: float
    edge_ratio: float


def old_layout() -> Callable[[nx.MultiDiGraph], Positions]:
    """The layout at :data:`OLD`, scaled as the page scaled it then."""
    root = Path(__file__).resolve().parent.parent
    source = subprocess.run(
        ["git", "show", f"{OLD}:graphkit/layout.py"], cwd=root, check=True, capture_output=True, text=True
    ).stdout
    module = types.ModuleType("old_layout")
    exec(compile(source, "old_layout.py", "exec"), module.__dict__)

    def positions(graph: nx.MultiDiGraph) -> Positions:
        spread = max(0.35, math.sqrt(len(graph)) / 20)
        return {n: (x * spread, y * spread) for n, (x, y) in module.compute_positions(graph).items()}

    return positions


def close_pairs(graph: nx.MultiDiGraph, positions: Positions, margin: float) -> int:
    """Pairs of nodes whose centres are nearer than their radii plus ``margin``."""
    nodes = sorted(positions)
    points = np.array([positions[n] for n in nodes])
    radii = np.array([node_radius(graph.nodes[n].get("mentions", 1)) for n in nodes])
    pairs = cKDTree(points).query_pairs(2 * radii.max() + margin, output_type="ndarray")
    distance = np.hypot(*(points[pairs[:, 0]] - points[pairs[:, 1]]).T)
    return int((distance < radii[pairs[:, 0]] + radii[pairs[:, 1]] + margin).sum())


def edge_ratio(graph: nx.MultiDiGraph, positions: Positions) -> float:
    """Mean edge length over the mean distance between :data:`SAMPLE` seeded random pairs."""
    edges = [math.dist(positions[u], positions[v]) for u, v in graph.edges() if u != v]
    rng = random.Random(0)
    nodes = sorted(positions)
    pairs = [math.dist(positions[rng.choice(nodes)], positions[rng.choice(nodes)]) for _ in range(SAMPLE)]
    return sum(edges) / len(edges) / (sum(pairs) / len(pairs))


def measure(size: int, name: str, layout: Callable[[nx.MultiDiGraph], Positions]) -> Run:
    graph = synthetic_graph(size, positions=False)
    start = time.perf_counter()
    positions = layout(graph)
    seconds = time.perf_counter() - start
    xs = [x for x, _ in positions.values()]
    return Run(
        size,
        name,
        round(seconds, 2),
        close_pairs(graph, positions, 0.0),
        close_pairs(graph, positions, MARGIN),
        round(max(xs) - min(xs)),
        round(edge_ratio(graph, positions), 3),
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="comma-separated entity counts")
    parser.add_argument("--json", type=Path, help="also write the runs to this file")
    args = parser.parse_args(argv)
    layouts: dict[str, Callable[[nx.MultiDiGraph], Positions]] = {
        "fa2": compute_positions,
        "fr": lambda graph: compute_positions(graph, fa2_max_nodes=0),
        "old": old_layout(),
    }
    runs = []
    heads = ("entities", "layout", "seconds", "overlap", "<margin", "width", "edge/rand")
    print(" ".join(f"{h:>{w}}" for h, w in zip(heads, (8, 6, 8, 8, 8, 7, 9), strict=True)))
    for size in (int(s) for s in args.sizes.split(",")):
        for name, layout in layouts.items():
            run = measure(size, name, layout)
            runs.append(run)
            print(
                f"{run.size:>8} {run.layout:>6} {run.seconds:>8.2f} {run.overlapping:>8} "
                f"{run.closer_than_margin:>8} {run.width:>7} {run.edge_ratio:>9.3f}",
                flush=True,
            )
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in runs], indent=1) + "\n")


if __name__ == "__main__":
    sys.exit(main())
