"""Helpers for the tests that drive graphkit's page in Debian's headless Chromium.

The browser is ``/usr/bin/chromium`` driven by Playwright: nothing downloads a
browser, and a missing Chromium fails the tests instead of skipping them.
Every request that is not for a file:// URL is aborted and recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Request, Route

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}

# Resolves once the page's network object exists and two frames have been drawn.
WAIT_DRAWN = """async () => {
  while (!(window.graphkit && window.graphkit.network)) {
    await new Promise(r => setTimeout(r, 10));
  }
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
}"""


@dataclass
class PageLog:
    """What a page did that a test may want to forbid."""

    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def open_page(browser: Browser, path: Path) -> tuple[Page, PageLog]:
    """Open the file ``path`` in a new 1280x800 page with the network blocked; wait until drawn."""
    page = browser.new_page(viewport=VIEWPORT)  # type: ignore[arg-type]
    log = PageLog()

    def route(route: Route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            log.blocked.append(route.request.url)
            route.abort()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            log.console_errors.append(message.text)

    def on_dialog(dialog: Dialog) -> None:
        log.dialogs.append(dialog.message)
        dialog.dismiss()

    def on_request(request: Request) -> None:
        log.requests.append(request.url)

    page.route("**/*", route)
    page.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", lambda error: log.page_errors.append(str(error)))
    page.on("dialog", on_dialog)
    page.goto(path.as_uri())
    page.evaluate(WAIT_DRAWN)
    return page, log


def drawn_counts(page: Page) -> dict[str, int]:
    """Nodes and edges the vis network draws (neither hidden nor filtered out)."""
    counts: dict[str, int] = page.evaluate(
        """() => {
          const body = window.graphkit.network.body;
          return {nodes: body.nodeIndices.length, edges: body.edgeIndices.length};
        }"""
    )
    return counts


def node_index(page: Page, node_id: str) -> int:
    """Index of a node in the page's data, which is also its vis id."""
    index: int = page.evaluate(
        "id => window.graphkit.data.nodes.findIndex(row => row[0] === id)", node_id
    )
    assert index >= 0, f"{node_id!r} is not in the page"
    return index


def to_screen(page: Page, x: float, y: float) -> tuple[float, float]:
    """Page coordinates of the canvas point (x, y)."""
    point: dict[str, Any] = page.evaluate(
        """([x, y]) => {
          const dom = window.graphkit.network.canvasToDOM({x, y});
          const box = document.querySelector('#graph canvas').getBoundingClientRect();
          return {x: box.left + dom.x, y: box.top + dom.y};
        }""",
        [x, y],
    )
    return point["x"], point["y"]


def node_pixel(page: Page, node_id: str) -> tuple[int, int, int]:
    """Colour the canvas shows at the centre of a node, as drawn in the last frame."""
    index = node_index(page, node_id)
    rgb: list[int] = page.evaluate(
        """async (id) => {
          await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
          const net = window.graphkit.network;
          const dom = net.canvasToDOM(net.getPositions([id])[id]);
          const canvas = document.querySelector('#graph canvas');
          const ratio = canvas.width / canvas.clientWidth;
          const data = canvas.getContext('2d')
            .getImageData(Math.round(dom.x * ratio), Math.round(dom.y * ratio), 1, 1).data;
          return [data[0], data[1], data[2]];
        }""",
        index,
    )
    return rgb[0], rgb[1], rgb[2]


def panel_text(page: Page) -> str:
    """Visible text of the details panel."""
    return page.inner_text("#panel")
