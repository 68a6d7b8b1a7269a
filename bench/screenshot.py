"""Screenshot of graphkit's page for a graph.json, in headless Chromium.

Usage: ``python bench/screenshot.py GRAPH_JSON PNG [--width 1280] [--height 800] [--title T] [--view V]``

``--view`` opens the page at that view, written as in its address (``entity=TikTok``,
``from=A&rel=owns&to=B``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from browser import block_network, chromium

from graphkit.export.webpage import write_html
from graphkit.graph import read_graph

WAIT_DRAWN = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def screenshot(
    graph_json: Path,
    png: Path,
    *,
    width: int = 1280,
    height: int = 800,
    title: str = "graphkit",
    view: str = "",
) -> None:
    """Render the page of ``graph_json`` and save a ``width`` x ``height`` screenshot to ``png``."""
    graph = read_graph(graph_json)
    with tempfile.TemporaryDirectory() as folder:
        page_path = Path(folder) / "graph.html"
        write_html(graph, page_path, title=title)
        with chromium() as browser:
            page = browser.new_page(viewport={"width": width, "height": height})
            blocked = block_network(page)
            page.goto(page_path.as_uri() + (f"#{view}" if view else ""))
            page.wait_for_function("() => window.graphkit && window.graphkit.frames > 0")
            page.evaluate(WAIT_DRAWN)
            page.screenshot(path=str(png))
            if blocked:
                raise SystemExit(f"the page tried to load: {blocked}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph_json", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    parser.add_argument("--title", default="graphkit")
    parser.add_argument("--view", default="", help="the view to open, as in the page's address")
    args = parser.parse_args(argv)
    screenshot(
        args.graph_json, args.png, width=args.width, height=args.height, title=args.title, view=args.view
    )
    print(f"wrote {args.png}", file=sys.stderr)


if __name__ == "__main__":
    main()
