"""How fast graphkit's page becomes usable, next to a bare vis-network page and pyvis's default page.

Usage::

    python bench/bench_page.py [--sizes 1000,5000,10000,20000] [--repeat 3]
                               [--graph out/graph.json] [--no-pyvis] [--json FILE]

For each size a seeded synthetic graph (bench/synthetic.py, about 2.5 edges per
entity), and the graph of ``--graph`` if given (e.g. the build of
``bench/make_corpus.py 300000``), is drawn by three pages, all opened from
file:// in headless Chromium with every other request aborted:

* ``graphkit``: ``render_html(graph, max_nodes=None)``;
* ``reference``: a bare page that hands vis-network the nodes and edges graphkit
  shows at first (same positions, sizes, colours, labels and arrows; physics and
  smooth edges off) and nothing else;
* ``pyvis``: at 1,000 entities only, ``Network(cdn_resources="in_line")`` and
  ``from_nx`` on a copy, default options (physics on); ``in_line`` is the one
  change, so that vis-network itself loads without the network.

Measured: seconds from navigation to drawn and interactive (the network is
ready, then a click on an entity is answered by a redrawn frame), milliseconds
of one zoom redraw forced to complete (``moveTo`` a zoom-in step, then the
synchronous ``redraw()``; median of five), and the page size. Times are medians
over ``--repeat`` loads, graphkit and the reference taking turns; pyvis is loaded
once, last.

Then, on graphkit's page of the largest graph at 1440x900, the interactions:
milliseconds from each user action (a filter ticked, a slider step, the
co-occurrences shown, an entity selected, its neighbourhood shown, the reset)
to the first frame drawn after it, median of ``--repeat`` rounds; and the labels
of the first view: overlapping pairs (0 expected) and how many of the 20
entities with most mentions are labelled, read from the page's own list of the
label rectangles it drew.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import networkx as nx
from browser import block_network, chromium
from playwright.sync_api import Browser
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from pyvis.network import Network
from synthetic import synthetic_graph

from graphkit.export.webpage import _asset, page_data, render_html, safe_json
from graphkit.graph import read_graph
from graphkit.layout import assign_positions

SIZES = (1000, 5000, 10000, 20000)
PYVIS_SIZE = 1000
PYVIS_TIMEOUT = 150.0
TIMEOUT = 120.0
NETWORKS = {"graphkit": "graphkit.network", "reference": "network", "pyvis": "network"}
ZOOM_REPEAT = 5

# Waits for the page's network object and, when physics runs, the end of its stabilisation;
# false if that takes past the deadline (milliseconds since navigation).
WAIT_READY = """async ([name, deadline]) => {
  const network = () => name.split('.').reduce((o, k) => o && o[k], window);
  while (!network() || !network().physics.ready) {
    if (performance.now() > deadline) return false;
    await new Promise(r => setTimeout(r, 20));
  }
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return true;
}"""

# Arms the click probe; returns where on the page the first drawn node is.
ARM_CLICK = """(name) => {
  const net = name.split('.').reduce((o, k) => o && o[k], window);
  window.__answered = 0;
  net.once('click', () => net.once('afterDrawing', () => { window.__answered = performance.now(); }));
  const id = net.body.nodeIndices[0];
  const dom = net.canvasToDOM(net.getPositions([id])[id]);
  const box = net.canvas.frame.canvas.getBoundingClientRect();
  return [box.left + dom.x, box.top + dom.y];
}"""

ON_CANVAS = """([name, x, y]) => {
  const net = name.split('.').reduce((o, k) => o && o[k], window);
  return document.elementFromPoint(x, y) === net.canvas.frame.canvas;
}"""

ZOOM_REDRAW = """([name, repeat]) => {
  const net = name.split('.').reduce((o, k) => o && o[k], window);
  net.unselectAll();
  net.fit({animation: false});
  const base = net.getScale();
  const times = [];
  for (let i = 0; i < repeat; i++) {
    net.moveTo({scale: base * (i % 2 ? 1.44 : 1.2), animation: false});
    const start = performance.now();
    net.redraw();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}"""

REFERENCE_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>reference</title>
<style>html, body, #graph {{ margin: 0; width: 100%; height: 100%; }}</style></head>
<body><div id="graph"></div>
<script>{vis}</script>
<script>
const data = {data};
window.network = new vis.Network(document.getElementById("graph"),
  {{nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges)}},
  {{physics: {{enabled: false}}, layout: {{improvedLayout: false}},
    nodes: {{shape: "dot", font: {{size: 14, strokeWidth: 3}}}},
    edges: {{smooth: {{enabled: false}}, color: {{inherit: false}},
             font: {{size: 11, strokeWidth: 3, align: "horizontal"}}}}}});
</script></body></html>
"""


# Each action, as a script run in the page; the reset between rounds brings the first view back.
ACTIONS = {
    "show co-occurrences": "document.getElementById('show-cooccurrences').click()",
    "minimum weight +1": "const s = document.getElementById('min-weight'); s.stepUp(); "
    "s.dispatchEvent(new Event('input'))",
    "hide co-occurrences": "document.getElementById('show-cooccurrences').click()",
    "untick a relation": "document.querySelector('#relation-filters input').click()",
    "tick it again": "document.querySelector('#relation-filters input').click()",
    "untick a type": "document.querySelector('#type-filters input').click()",
    "tick it again ": "document.querySelector('#type-filters input').click()",
    "minimum mentions +1": "const s = document.getElementById('min-mentions'); s.stepUp(); "
    "s.dispatchEvent(new Event('input'))",
    "untick negated claims": "document.getElementById('claim-negated').click()",
    "period: start +1": "const s = document.getElementById('time-from'); s.stepUp(); "
    "s.dispatchEvent(new Event('input'))",
    "select the top entity": "document.querySelector('#entity-table tbody button').click()",
    "its neighbourhood": "document.querySelector('#panel-body .actions button').click()",
    "whole graph again": "document.querySelector('#panel-body .actions button').click()",
    "reset": "document.getElementById('reset').click()",
}

# Milliseconds from running an action to the end of the first frame drawn after it.
TIME_ACTION = """async (code) => {
  const g = window.graphkit;
  const before = g.frames;
  const start = performance.now();
  (new Function(code))();
  while (g.frames === before) await new Promise(r => setTimeout(r, 1));
  return performance.now() - start;
}"""

# Labels of the current view: overlapping pairs, and how many of the 20 most mentioned are labelled.
LABEL_CHECK = """() => {
  const labels = window.graphkit.labels();
  let overlaps = 0;
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      const a = labels[i], b = labels[j];
      const apart = a.x >= b.x + b.width || b.x >= a.x + a.width
        || a.y >= b.y + b.height || b.y >= a.y + a.height;
      if (!apart) overlaps++;
    }
  }
  const nodes = window.graphkit.data.nodes.map((row, i) => [row[3], i]);
  nodes.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const labelled = new Set(labels.map(l => l.node));
  const top = nodes.slice(0, 20).filter(([, i]) => labelled.has(i)).length;
  return {labels: labels.length, overlaps: overlaps, top20: top};
}"""


@dataclass
class Result:
    """Medians for one page at one size; ``interactive`` is None past the timeout."""

    interactive: float | None
    redraw_ms: float | None
    size: int
    blocked: int


@dataclass
class Row:
    """One line of the table."""

    entities: int
    edges: int
    page: str
    timeout: float
    result: Result


def reference_html(graph: nx.MultiDiGraph) -> str:
    """A bare vis-network page drawing what graphkit's page draws at first, and nothing more."""
    data = page_data(graph, max_nodes=None)["draw"]
    colours = {code: colour for code, colour, _shape in data["types"]}
    relations = {rel: (colour, symmetric) for rel, colour, symmetric in data["relations"]}
    nodes = [
        {"id": i, "label": row[1], "x": row[4], "y": row[5], "size": row[6], "color": colours[row[2]]}
        for i, row in enumerate(data["nodes"])
    ]
    edges = []
    for i, row in enumerate(data["edges"]):
        source, target, rel, _weight, claim, curve = row[:6]
        if rel == "co_occurs" and data["big"]:
            continue
        colour, symmetric = relations[rel]
        edge = {"id": i, "from": source, "to": target, "color": colour,
                "width": 0.5 if rel == "co_occurs" else 1.5, "dashes": bool(claim)}
        if rel != "co_occurs":
            edge["label"] = rel
        if not symmetric:
            edge["arrows"] = "to"
        if curve:
            edge["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": min(0.8, 0.2 * curve)}
        edges.append(edge)
    vis = _asset("pyvis", "templates/lib/vis-9.1.2/vis-network.min.js")
    return REFERENCE_PAGE.format(vis=vis, data=safe_json({"nodes": nodes, "edges": edges}))


def pyvis_html(graph: nx.MultiDiGraph) -> str:
    """pyvis's default page for the graph (vis-network inlined so that it loads offline)."""
    net = Network(cdn_resources="in_line")
    net.from_nx(graph.copy())
    return str(net.generate_html())


def measure(browser: Browser, path: Path, network: str, timeout: float) -> Result:
    """Load ``path`` once and time it (see the module docstring)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    blocked = block_network(page)
    page.set_default_timeout(timeout * 1000)
    try:
        page.goto(path.as_uri(), timeout=timeout * 1000)
        if not page.evaluate(WAIT_READY, [network, timeout * 1000]):
            raise PlaywrightTimeout(f"{path.name} not ready after {timeout} s")
        x, y = page.evaluate(ARM_CLICK, network)
        # pyvis fades its loading bar out over the canvas: the click must reach the canvas.
        page.wait_for_function(ON_CANVAS, arg=[network, x, y], polling=20)
        page.mouse.click(x, y)
        page.wait_for_function("() => window.__answered > 0", timeout=timeout * 1000)
        interactive: float | None = page.evaluate("() => window.__answered") / 1000
        page.keyboard.press("Escape")  # graphkit: back to the first view, no highlight
        redraw: float | None = page.evaluate(ZOOM_REDRAW, [network, ZOOM_REPEAT])
    except PlaywrightTimeout:
        interactive = redraw = None
    finally:
        context.close()
    return Result(interactive, redraw, path.stat().st_size, len(blocked))


def measure_interactions(browser: Browser, path: Path, repeat: int) -> dict[str, object]:
    """Median milliseconds of each action of ACTIONS, the first draw, and the labels of the first view."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    block_network(page)
    page.set_default_timeout(TIMEOUT * 1000)
    started = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_function("() => window.graphkit && window.graphkit.frames > 0", polling=10)
    first_draw = time.perf_counter() - started
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    labels = page.evaluate(LABEL_CHECK)
    times: dict[str, list[float]] = {name: [] for name in ACTIONS}
    for _round in range(repeat):
        for name, code in ACTIONS.items():
            times[name].append(page.evaluate(TIME_ACTION, code))
    context.close()
    return {
        "first_draw_s": round(first_draw, 2),
        "labels": labels,
        "actions_ms": {name: round(statistics.median(ms)) for name, ms in times.items()},
    }


def print_interactions(name: str, figures: dict[str, object]) -> None:
    """The interaction figures of one page."""
    print(f"\n{name} at 1440x900: first draw {figures['first_draw_s']} s; labels {figures['labels']}")
    actions = figures["actions_ms"]
    assert isinstance(actions, dict)
    for action, ms in actions.items():
        print(f"  {action:<24} {ms:>6} ms")
    print(f"  slowest: {max(actions.values())} ms")


def median_result(results: list[Result]) -> Result:
    """Medians of repeated loads; a single timeout makes the whole result a timeout."""
    if any(r.interactive is None or r.redraw_ms is None for r in results):
        return Result(None, None, results[0].size, max(r.blocked for r in results))
    return Result(
        statistics.median(r.interactive for r in results if r.interactive is not None),
        statistics.median(r.redraw_ms for r in results if r.redraw_ms is not None),
        results[0].size,
        max(r.blocked for r in results),
    )


def _seconds(result: Result, timeout: float) -> str:
    return f"> {timeout:.0f}" if result.interactive is None else f"{result.interactive:.2f}"


def _ratio(a: float | None, b: float | None) -> str:
    return "n/a" if a is None or b is None else f"{a / b:.2f}"


def print_table(rows: list[Row]) -> None:
    """The figures, then the ratios the goals are about."""
    print(f"{'entities':>8} {'edges':>6} {'page':<10} {'interactive s':>13} "
          f"{'zoom redraw ms':>14} {'page MB':>8} {'blocked':>7}")
    for row in rows:
        r = row.result
        redraw = "n/a" if r.redraw_ms is None else f"{r.redraw_ms:.0f}"
        print(f"{row.entities:>8} {row.edges:>6} {row.page:<10} {_seconds(r, row.timeout):>13} "
              f"{redraw:>14} {r.size / 1e6:>8.2f} {r.blocked:>7}")
    print()
    by = {(row.entities, row.page): row.result for row in rows}
    for entities in sorted({row.entities for row in rows}):
        gk, ref = by[(entities, "graphkit")], by[(entities, "reference")]
        print(f"{entities:>6} entities: graphkit / reference: interactive "
              f"{_ratio(gk.interactive, ref.interactive)}, zoom redraw "
              f"{_ratio(gk.redraw_ms, ref.redraw_ms)}")
        pyvis = by.get((entities, "pyvis"))
        if pyvis is not None:
            speedup = (f"> {_ratio(PYVIS_TIMEOUT, gk.interactive)}" if pyvis.interactive is None
                       else _ratio(pyvis.interactive, gk.interactive))
            print(f"{entities:>6} entities: pyvis / graphkit: interactive {speedup}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--graph", type=Path, help="also measure the page of this graph.json")
    parser.add_argument("--no-pyvis", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    rows: list[Row] = []
    interactions: dict[str, object] = {}
    # Synthetic graphs are named by their size, the --graph one by its folder.
    graphs = [str(size) for size in sizes] + ([args.graph.parent.name or "graph"] if args.graph else [])
    with tempfile.TemporaryDirectory() as folder, chromium() as browser:
        for label in graphs:
            started = time.perf_counter()
            if not (args.graph and label == graphs[-1]):
                graph = synthetic_graph(int(label))
            else:
                graph = read_graph(args.graph)
                assign_positions(graph)
            size = graph.number_of_nodes()
            built = time.perf_counter() - started
            started = time.perf_counter()
            pages = {"graphkit": render_html(graph, title=f"{size} entities", max_nodes=None)}
            rendered = time.perf_counter() - started
            pages["reference"] = reference_html(graph)
            if size == PYVIS_SIZE and not args.no_pyvis:
                pages["pyvis"] = pyvis_html(graph)
            print(f"{size} entities, {graph.number_of_edges()} edges: graph and layout "
                  f"{built:.1f} s, render_html {rendered:.1f} s", file=sys.stderr)
            paths = {}
            for name, text in pages.items():
                paths[name] = Path(folder) / f"{name}-{size}.html"
                paths[name].write_text(text, encoding="utf-8")
            # graphkit and the reference take turns, so that a busy spell of the machine hits
            # both; pyvis comes last and once, as its load keeps a core busy for minutes.
            results: dict[str, list[Result]] = {name: [] for name in pages}
            for _turn in range(args.repeat):
                for name in ("graphkit", "reference"):
                    results[name].append(measure(browser, paths[name], NETWORKS[name], TIMEOUT))
            if "pyvis" in paths:
                results["pyvis"].append(measure(browser, paths["pyvis"], "network", PYVIS_TIMEOUT))
            for name, measured in results.items():
                timeout = PYVIS_TIMEOUT if name == "pyvis" else TIMEOUT
                result = median_result(measured)
                rows.append(Row(size, graph.number_of_edges(), name, timeout, result))
                print(f"  {name}: {result}", file=sys.stderr)
            if label == graphs[-1]:
                interactions = measure_interactions(browser, paths["graphkit"], args.repeat)
                interactions["page"] = f"{label} ({size} entities, {graph.number_of_edges()} edges)"
    print()
    print_table(rows)
    print_interactions(str(interactions["page"]), interactions)
    if args.json:
        figures = {"loads": [asdict(row) for row in rows], "interactions": interactions}
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
