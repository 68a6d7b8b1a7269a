"""Helpers for the tests that drive graphkit's page in Debian's headless Chromium.

The browser is ``/usr/bin/chromium`` driven by Playwright: nothing downloads a
browser, and a missing Chromium fails the tests instead of skipping them.
Every request that is not for a file:// URL is aborted and recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Dialog,
    Page,
    Request,
    Route,
    sync_playwright,
)

from graphkit.export.webpage import write_html
from graphkit.graph import EdgeRecord, build_graph
from graphkit.model import Entity

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
TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


@dataclass
class PageLog:
    """What a page did that a test may want to forbid."""

    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def open_page(
    browser: Browser | BrowserContext,
    path: Path,
    *,
    hash: str = "",
    viewport: dict[str, int] | None = None,
) -> tuple[Page, PageLog]:
    """Open the file ``path`` (plus ``#hash``) in a new page with the network blocked; wait until drawn.

    ``browser`` may also be a context (for pages that need permissions); the
    viewport is 1280x800 unless given.
    """
    size = viewport or VIEWPORT
    if isinstance(browser, BrowserContext):
        page = browser.new_page()
        page.set_viewport_size(size)  # type: ignore[arg-type]
    else:
        page = browser.new_page(viewport=size)  # type: ignore[arg-type]
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
    page.goto(path.as_uri() + (f"#{hash}" if hash else ""))
    page.evaluate(WAIT_DRAWN)
    return page, log


def frames(page: Page) -> None:
    """Wait until the page has drawn two more frames (every change of the view is drawn by then)."""
    page.evaluate(TWO_FRAMES)


def drawn_counts(page: Page) -> dict[str, int]:
    """Entities and edges the page draws (neither hidden nor filtered out)."""
    frames(page)
    counts: dict[str, int] = page.evaluate("() => window.graphkit.drawn()")
    return counts


def summary(page: Page) -> str:
    """The header's summary line."""
    return page.inner_text("#summary")


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


def node_screen(page: Page, node_id: str) -> tuple[float, float]:
    """Page coordinates of the centre of a node where it is drawn now."""
    index = node_index(page, node_id)
    spot = page.evaluate(f"() => window.graphkit.network.getPositions([{index}])[{index}]")
    return to_screen(page, spot["x"], spot["y"])


def click_node(page: Page, node_id: str) -> None:
    """Click the centre of a node."""
    page.mouse.click(*node_screen(page, node_id))
    frames(page)


def click_edge(page: Page, source: str, target: str) -> None:
    """Click the middle of the straight edge between two nodes."""
    (ax, ay), (bx, by) = node_screen(page, source), node_screen(page, target)
    page.mouse.click((ax + bx) / 2, (ay + by) / 2)
    frames(page)


def panel_text(page: Page) -> str:
    """Visible text of the details panel."""
    return page.inner_text("#panel")


def panel_title(page: Page) -> str:
    """Title of the details panel."""
    return page.inner_text("#panel-title")


def selected_nodes(page: Page) -> list[int]:
    """vis ids of the selected nodes."""
    selected: list[int] = page.evaluate("() => window.graphkit.network.getSelectedNodes()")
    return selected


def find_entity(page: Page, query: str) -> None:
    """Select an entity through the search box (Enter picks the first match)."""
    page.fill("#search", query)
    page.press("#search", "Enter")
    frames(page)


def overlapping_labels(labels: list[dict[str, float]]) -> list[tuple[int, int]]:
    """Pairs of nodes whose label rectangles overlap (touching edges do not count)."""
    pairs = []
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            if (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
                    and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]):
                pairs.append((int(a["node"]), int(b["node"])))
    return pairs


# ---- the small hand-made graph most tests open -------------------------------------------------

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "</script><script>alert(2)</script>"
SVG = '"><svg onload=alert(3)>'
FORMULA = '=HYPERLINK("https://evil.example","x")'
HOSTILE_SENTENCE = f"Il a écrit {IMG} puis {SCRIPT} et {SVG} <!-- fin"
SG, JD, ORANGE, PARIS = "Société Générale", "Jean Dupont", "Orange", "Paris"
HOSTILE_DOC = "<b>c</b>.txt"
# Every edge's middle is at least 100 units from the other edges and the nodes.
POSITIONS = {
    SG: (0, 0),
    JD: (-200, 0),
    ORANGE: (200, 0),
    PARIS: (0, 200),
    IMG: (-200, -200),
    SVG: (200, -200),
    FORMULA: (200, 200),
}
WORKS_FOR = "Jean Dupont travaille pour la Société Générale."
WORKS_FOR_2 = "JEAN DUPONT, salarié de la societe generale (SocGen)."
LOCATED = "La Société Générale, basée à Paris."
NEGATED = "Orange n'a pas racheté la Société Générale."
HYPOTHETICAL = "Le fonds =HYPERLINK pourrait investir dans Orange."
ALL = {"nodes": 7, "edges": 7}
FULL_SUMMARY = "4 documents · 7 entities · 5 relations · 2 co-occurrences"


def evidence(doc: str, sentence: str, **extra: str) -> dict[str, object]:
    """An evidence item covering the whole sentence."""
    return {"doc": doc, "sentence": sentence, "start": 0, "end": len(sentence), **extra}


def small_graph() -> nx.MultiDiGraph:
    """Seven entities at fixed places and seven edges (five typed relations, two co-occurrences).

    - works_for Jean Dupont -> Société Générale: weight 3, three items of which two are the same
      sentence (so 2 of 3 kept), one naming both ends differently; a.txt has title, outlet, date, https url
    - located_in Société Générale -> Paris: a.txt, attributed to AFP
    - acquires Orange -> Société Générale: b.txt, negated
    - invests_in FORMULA -> Orange: d.txt, hypothetical, outlet from the url's host (lesechos.fr)
    - partner_of between the two entities named with markup: hostile sentence, javascript: url
    - co_occurs Orange -- Paris (weight 2, b.txt) and Jean Dupont -- Paris (weight 1, a.txt)
    """
    entities = [
        Entity(SG, "ORG", {SG, "SocGen"}, 12, {"a.txt"}),
        Entity(JD, "PER", {JD}, 3, {"a.txt"}),
        Entity(ORANGE, "ORG", {ORANGE}, 5, {"b.txt", "d.txt"}),
        Entity(PARIS, "LOC", {PARIS}, 7, {"a.txt", "b.txt"}),
        Entity(IMG, "PER", {IMG, SCRIPT}, 2, {HOSTILE_DOC}),
        Entity(SVG, "MISC", {SVG}, 2, {HOSTILE_DOC}),
        Entity(FORMULA, "ORG", {FORMULA}, 1, {"d.txt"}),
    ]
    meta = {"title": "Banques", "date": "2024-03-01", "url": "https://example.org/a", "outlet": "Le Monde"}
    edges = [
        EdgeRecord(JD, SG, "works_for", 3, [
            evidence("a.txt", WORKS_FOR, **meta),
            evidence("a.txt", WORKS_FOR_2),
            evidence("a.txt", WORKS_FOR),
        ]),
        EdgeRecord(SG, PARIS, "located_in", 1, [evidence("a.txt", LOCATED, attributed_to="AFP")]),
        EdgeRecord(ORANGE, SG, "acquires", 1, [evidence("b.txt", NEGATED, modality="negated")]),
        EdgeRecord(FORMULA, ORANGE, "invests_in", 1, [
            evidence("d.txt", HYPOTHETICAL, modality="hypothetical", url="https://www.lesechos.fr/x"),
        ]),
        EdgeRecord(IMG, SVG, "partner_of", 1, [
            evidence(HOSTILE_DOC, HOSTILE_SENTENCE, title=SCRIPT, attributed_to=IMG,
                      url="javascript:alert(1)"),
        ]),
        EdgeRecord(ORANGE, PARIS, "co_occurs", 2, [evidence("b.txt", "Orange et Paris.")]),
        EdgeRecord(JD, PARIS, "co_occurs", 1, [evidence("a.txt", "Jean Dupont à Paris.")]),
    ]
    graph = build_graph(entities, edges, documents=4)
    for name, (x, y) in POSITIONS.items():
        graph.nodes[name]["x"], graph.nodes[name]["y"] = float(x), float(y)
    return graph


def write_small_page(folder: Path) -> Path:
    """The page of :func:`small_graph`, in English, written in ``folder``."""
    path = folder / "graph.html"
    write_html(small_graph(), path, title="Test <graph>", lang="en")
    return path


def launch() -> Iterator[Browser]:
    """Debian's Chromium, headless, for the time of a test module."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's package (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def checked_page(browser: Browser, path: Path) -> Iterator[Page]:
    """A page of ``path`` that must end with no dialog, page error or console error."""
    page, log = open_page(browser, path)
    yield page
    page.close()
    assert log.dialogs == []
    assert log.page_errors == []
    assert log.console_errors == []
