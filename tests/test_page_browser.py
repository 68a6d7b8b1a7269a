"""graphkit's page in a real headless Chromium: Debian's /usr/bin/chromium driven by Playwright."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_utils import (
    CHROMIUM,
    CHROMIUM_ARGS,
    drawn_counts,
    node_index,
    node_pixel,
    open_page,
    panel_text,
    to_screen,
)
from playwright.sync_api import Browser, Page, sync_playwright

from graphkit.export.style import TYPE_COLORS, hex_to_rgb
from graphkit.export.webpage import BIG_GRAPH, write_html
from graphkit.graph import EdgeRecord, build_graph
from graphkit.model import Entity

pytestmark = pytest.mark.browser

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "</script><script>alert(2)</script>"
SVG = '"><svg onload=alert(3)>'
HOSTILE_SENTENCE = f"Il a écrit {IMG} puis {SCRIPT} et {SVG} <!-- fin"
POSITIONS = {
    "Société Générale": (0, 0),
    "Jean Dupont": (-800, 0),
    "Orange": (800, 0),
    "Paris": (0, 800),
    IMG: (-800, -800),
    SVG: (800, -800),
}


def _evidence(doc: str, sentence: str, **extra: str) -> dict[str, object]:
    return {"doc": doc, "sentence": sentence, "start": 0, "end": len(sentence), **extra}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's package (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def small_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six entities at fixed places, two of them named with markup, and five edges."""
    entities = [
        Entity("Société Générale", "ORG", {"Société Générale", "SocGen"}, 12, {"a.txt"}),
        Entity("Jean Dupont", "PER", {"Jean Dupont"}, 3, {"a.txt"}),
        Entity("Orange", "ORG", {"Orange"}, 5, {"b.txt"}),
        Entity("Paris", "LOC", {"Paris"}, 7, {"a.txt", "b.txt"}),
        Entity(IMG, "PER", {IMG, SCRIPT}, 2, {"<b>c</b>.txt"}),
        Entity(SVG, "MISC", {SVG}, 2, {"<b>c</b>.txt"}),
    ]
    meta = {"title": "Banques", "date": "2024-03-01", "url": "https://example.org/a"}
    edges = [
        EdgeRecord("Jean Dupont", "Société Générale", "works_for", 1,
                   [_evidence("a.txt", "Jean Dupont travaille pour la Société Générale.", **meta)]),
        EdgeRecord("Société Générale", "Paris", "located_in", 1,
                   [_evidence("a.txt", "La Société Générale, basée à Paris.", **meta)]),
        EdgeRecord("Orange", "Société Générale", "acquires", 1,
                   [_evidence("b.txt", "Orange n'a pas racheté la Société Générale.",
                              modality="negated")]),
        EdgeRecord("Orange", "Paris", "co_occurs", 2, [_evidence("b.txt", "Orange et Paris.")]),
        EdgeRecord(IMG, SVG, "partner_of", 1,
                   [_evidence("<b>c</b>.txt", HOSTILE_SENTENCE, title=SCRIPT, attributed_to=IMG)]),
    ]
    graph = build_graph(entities, edges, documents=3)
    for name, (x, y) in POSITIONS.items():
        graph.nodes[name]["x"], graph.nodes[name]["y"] = float(x), float(y)
    path = tmp_path_factory.mktemp("page") / "graph.html"
    write_html(graph, path, title="Test <graph>")
    return path


@pytest.fixture()
def page(browser: Browser, small_page: Path) -> Iterator[Page]:
    page, log = open_page(browser, small_page)
    yield page
    page.close()
    assert log.dialogs == []
    assert log.page_errors == []


def _click_edge(page: Page, source: str, target: str) -> None:
    """Click the middle of the straight edge between two nodes."""
    ends = page.evaluate(
        "ids => window.graphkit.network.getPositions(ids)",
        [node_index(page, source), node_index(page, target)],
    )
    (ax, ay), (bx, by) = ((p["x"], p["y"]) for p in ends.values())
    page.mouse.click(*to_screen(page, (ax + bx) / 2, (ay + by) / 2))


def test_page_browser_loads_offline_without_errors(browser: Browser, small_page: Path) -> None:
    page, log = open_page(browser, small_page)
    page.close()
    assert log.blocked == []
    assert [url for url in log.requests if not url.startswith("file://")] == []
    assert log.console_errors == []
    assert log.page_errors == []


def test_page_browser_draws_every_node_and_edge(page: Page) -> None:
    assert drawn_counts(page) == {"nodes": 6, "edges": 5}
    assert page.inner_text("h1") == "Test <graph>"
    assert page.inner_text("#summary") == "3 documents · 6 entities · 4 relations · 1 co-occurrence"


def test_page_browser_draws_not_asserted_edges_dashed(page: Page) -> None:
    dashes = page.evaluate(
        """() => Object.values(window.graphkit.network.body.edges)
              .map(e => [window.graphkit.data.edges[e.id][2], e.options.dashes])"""
    )
    assert sorted(dashes) == [
        ["acquires", True],
        ["co_occurs", False],
        ["located_in", False],
        ["partner_of", False],
        ["works_for", False],
    ]


def test_page_browser_search_focuses_node(page: Page) -> None:
    page.fill("#search", "societe generale")
    page.press("#search", "Enter")
    index = node_index(page, "Société Générale")
    assert page.evaluate("() => window.graphkit.network.getSelectedNodes()") == [index]
    centre = page.evaluate("() => window.graphkit.network.getViewPosition()")
    spot = page.evaluate(f"() => window.graphkit.network.getPositions([{index}])[{index}]")
    assert centre == pytest.approx(spot, abs=1)
    assert page.inner_text("#panel-title") == "Société Générale"
    assert "SocGen" in panel_text(page)


def test_page_browser_search_matches_aliases_without_accents(page: Page) -> None:
    page.fill("#search", "SOCGEN")
    assert page.inner_text("#search-results").startswith("Société Générale")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.inner_text("#panel-title") == "Société Générale"


def test_page_browser_type_filter_hides_nodes(page: Page) -> None:
    page.click("label:has-text('Organisation (ORG)')")
    # left: the partner_of between the two entities named with markup
    assert drawn_counts(page) == {"nodes": 4, "edges": 1}
    page.click("label:has-text('Organisation (ORG)')")
    assert drawn_counts(page) == {"nodes": 6, "edges": 5}


def test_page_browser_cooccurrence_toggle_and_weight(page: Page) -> None:
    page.uncheck("#show-cooccurrences")
    assert drawn_counts(page)["edges"] == 4
    page.check("#show-cooccurrences")
    page.fill("#min-weight", "2")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    assert drawn_counts(page)["edges"] == 5


def test_page_browser_click_edge_shows_evidence(page: Page) -> None:
    _click_edge(page, "Jean Dupont", "Société Générale")
    text = panel_text(page)
    assert page.inner_text("#panel-title") == "Jean Dupont → works_for → Société Générale"
    assert "Jean Dupont travaille pour la Société Générale." in text
    assert "a.txt" in text and "Banques" in text and "2024-03-01" in text
    assert "https://example.org/a" in text


def test_page_browser_click_negated_edge_says_so(page: Page) -> None:
    _click_edge(page, "Orange", "Société Générale")
    text = panel_text(page)
    assert "not asserted" in text
    assert "negated" in text


def test_page_browser_click_node_highlights_neighbourhood(page: Page) -> None:
    index = node_index(page, "Paris")
    x, y = to_screen(page, *page.evaluate(
        f"() => Object.values(window.graphkit.network.getPositions([{index}])[{index}])"))
    page.mouse.click(x, y)
    assert page.inner_text("#panel-title") == "Paris"
    colours = {name: node_pixel(page, name) for name in POSITIONS}
    assert colours["Paris"] == hex_to_rgb(TYPE_COLORS["LOC"])  # the neighbourhood keeps its colours
    assert colours["Orange"] == colours["Société Générale"] == hex_to_rgb(TYPE_COLORS["ORG"])
    for name in ("Jean Dupont", IMG, SVG):  # the rest is dimmed towards white
        assert min(colours[name]) > 190, (name, colours[name])
    page.keyboard.press("Escape")
    assert page.inner_text("#panel-title") == "Details"
    assert page.evaluate("() => window.graphkit.network.getSelectedNodes()") == []
    assert node_pixel(page, "Jean Dupont") == hex_to_rgb(TYPE_COLORS["PER"])


def test_page_browser_shows_hostile_text_literally(page: Page) -> None:
    page.fill("#search", "img src")
    page.press("#search", "Enter")
    assert page.inner_text("#panel-title") == IMG
    assert SCRIPT in panel_text(page)
    _click_edge(page, IMG, SVG)
    text = panel_text(page)
    # symmetric relations run from the smaller id to the larger
    assert page.inner_text("#panel-title") == f"{SVG} — partner_of — {IMG}"
    assert HOSTILE_SENTENCE in text
    assert f"attributed to {IMG}" in text
    assert "<b>c</b>.txt" in text and SCRIPT in text
    assert page.evaluate("() => document.querySelectorAll('img, svg, b, i').length") == 0


def test_page_browser_reset_button_restores_filters(page: Page) -> None:
    page.click("label:has-text('Person (PER)')")
    page.uncheck("#show-cooccurrences")
    assert drawn_counts(page) == {"nodes": 4, "edges": 2}
    page.click("#reset")
    assert drawn_counts(page) == {"nodes": 6, "edges": 5}
    assert page.is_checked("#show-cooccurrences")


def test_page_browser_big_graph_hides_cooccurrences(browser: Browser, tmp_path: Path) -> None:
    size = BIG_GRAPH + 1
    names = [f"E{i:04d}" for i in range(size)]
    entities = [Entity(name, "ORG", {name}, 1, {"d.txt"}) for name in names]
    ev = [_evidence("d.txt", "E et E.")]
    edges = [EdgeRecord(names[i], names[i + 1], "co_occurs", 1, ev) for i in range(size - 1)]
    edges += [EdgeRecord(names[i], names[i + 2], "owns", 1, ev) for i in range(0, size - 2, 50)]
    graph = build_graph(entities, edges, documents=1)
    path = tmp_path / "graph.html"
    write_html(graph, path)
    page, log = open_page(browser, path)
    typed = len(range(0, size - 2, 50))
    assert drawn_counts(page) == {"nodes": size, "edges": typed}
    page.check("#show-cooccurrences")
    assert drawn_counts(page) == {"nodes": size, "edges": typed + size - 1}
    page.close()
    assert log.console_errors == [] and log.page_errors == [] and log.blocked == []


@pytest.mark.parametrize("width, height", [(1280, 800), (390, 844)])
def test_page_browser_fits_desktop_and_phone(page: Page, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    sizes = page.evaluate(
        """() => {
          const graph = document.getElementById('graph').getBoundingClientRect();
          return {scroll: document.documentElement.scrollWidth, graphWidth: graph.width,
                  graphHeight: graph.height, pageHeight: document.documentElement.scrollHeight};
        }"""
    )
    assert sizes["scroll"] <= width  # nothing sticks out sideways
    assert sizes["graphWidth"] >= min(width, 640) * 0.5 and sizes["graphHeight"] >= 400
    if width >= 1000:
        assert sizes["pageHeight"] <= height  # the desktop layout needs no scrolling


def test_page_browser_keyboard_reaches_the_controls(page: Page) -> None:
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "search"
    page.keyboard.type("paris")
    page.keyboard.press("Enter")
    assert page.inner_text("#panel-title") == "Paris"
    focusable = page.evaluate(
        """() => Array.from(document.querySelectorAll('input, button, summary, [tabindex]'))
              .filter(el => el.tabIndex >= 0 && !el.closest('[hidden]'))
              .every(el => el.labels?.length || el.textContent.trim() || el.getAttribute('aria-label'))"""
    )
    assert focusable  # every control has a label or text
    page.keyboard.press("Escape")
    assert page.input_value("#search") == ""
    page.focus("#graph .vis-network")  # the graph itself: + zooms in, arrows pan
    before = page.evaluate("() => window.graphkit.network.getScale()")
    page.keyboard.down("+")
    page.wait_for_timeout(200)
    page.keyboard.up("+")
    assert page.evaluate("() => window.graphkit.network.getScale()") > before
