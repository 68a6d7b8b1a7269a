"""graphkit's page in headless Chromium: the view in the address and Back, the layout on wide and
narrow screens, folding, the neighbourhood view and the labels (see tests/browser_utils.py)."""

from __future__ import annotations

import random
from pathlib import Path
from urllib.parse import parse_qs

import networkx as nx
import pytest
from browser_utils import (
    ALL,
    JD,
    ORANGE,
    PARIS,
    SG,
    click_edge,
    drawn_counts,
    evidence,
    find_entity,
    frames,
    node_index,
    node_screen,
    open_page,
    overlapping_labels,
    panel_title,
    selected_nodes,
    summary,
)
from playwright.sync_api import Browser, Page

from graphkit.export.webpage import write_html
from graphkit.graph import EdgeRecord, build_graph
from graphkit.model import Entity

pytestmark = pytest.mark.browser


def _address(page: Page) -> dict[str, list[str]]:
    """The view held in the address after « # »."""
    return parse_qs(page.evaluate("() => location.hash").lstrip("#"))


# ---- address and history -------------------------------------------------------------------------


def test_page_views_address_round_trip(browser: Browser, page: Page, small_page: Path) -> None:
    find_entity(page, "paris")
    page.click("label:has-text('acquires')")
    page.fill("#min-mentions", "2")
    frames(page)
    address = page.evaluate("() => location.hash")
    assert _address(page) == {
        "entity": [PARIS],
        "relations": ["invests_in,located_in,partner_of,works_for"],  # acquires left out
        "min_mentions": ["2"],
    }
    counts = drawn_counts(page)
    again, log = open_page(browser, small_page, hash=address.lstrip("#"))
    try:
        assert panel_title(again) == PARIS
        assert selected_nodes(again) == [node_index(again, PARIS)]
        assert not again.is_checked("label:has-text('acquires') input")
        assert again.is_checked("label:has-text('works_for') input")
        assert again.input_value("#min-mentions") == "2"
        assert drawn_counts(again) == counts == {"nodes": 6, "edges": 5}
        assert again.evaluate("() => location.hash") == address
    finally:
        again.close()
    assert log.page_errors == []


def test_page_views_address_restores_evidence_filters(browser: Browser, small_page: Path) -> None:
    address = "outlet=Le+Monde&attribution=none&text=TRAVAILLE&claims=asserted%2Cnegated"
    page, log = open_page(browser, small_page, hash=address)
    try:
        # only works_for: from Le Monde's a.txt, attributed to no one, and says « travaille »
        assert drawn_counts(page) == {"nodes": 2, "edges": 1}
        line = "1 of 4 documents · 2 of 7 entities · 1 of 5 relations · 0 of 2 co-occurrences"
        assert summary(page) == line
        assert page.input_value("#outlet") == "Le Monde"
        assert page.input_value("#attribution") == "none"
        assert page.input_value("#text-search") == "TRAVAILLE"
        assert page.is_checked("#claim-negated") and not page.is_checked("#claim-hypothetical")
        assert panel_title(page) == "Details"
    finally:
        page.close()
    assert log.page_errors == [] and log.console_errors == []


def test_page_views_back_steps_through_selections(page: Page) -> None:
    find_entity(page, "socgen")
    assert _address(page) == {"entity": [SG]}
    click_edge(page, JD, SG)
    assert panel_title(page) == f"{JD} → works_for → {SG}"
    assert _address(page) == {"from": [JD], "rel": ["works_for"], "to": [SG]}
    page.go_back()
    frames(page)
    assert panel_title(page) == SG
    assert selected_nodes(page) == [node_index(page, SG)]
    page.go_back()
    frames(page)
    assert panel_title(page) == "Details"
    assert selected_nodes(page) == []
    assert page.evaluate("() => location.hash") == ""


def test_page_views_filter_changes_replace_the_history_entry(page: Page) -> None:
    length = page.evaluate("() => history.length")
    page.uncheck("#show-cooccurrences")
    page.fill("#min-mentions", "2")
    frames(page)
    assert page.evaluate("() => history.length") == length
    assert _address(page) == {"co": ["0"], "min_mentions": ["2"]}


# ---- layout --------------------------------------------------------------------------------------


@pytest.mark.parametrize("width, height", [(1280, 800), (390, 844)])
def test_page_views_fits_desktop_and_phone(page: Page, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    frames(page)
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


def test_page_views_narrow_screen_scrolls_to_the_details(browser: Browser, small_page: Path) -> None:
    page, log = open_page(browser, small_page, viewport={"width": 400, "height": 800})
    try:
        assert page.evaluate("() => document.getElementById('panel').getBoundingClientRect().top") > 800
        find_entity(page, "orange")
        assert panel_title(page) == ORANGE
        top = page.evaluate("() => document.getElementById('panel').getBoundingClientRect().top")
        assert 0 <= top < 800
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 400
        page.evaluate("() => window.scrollTo(0, 0)")
        page.locator("#panel ul.links button").first.click()  # one of its relations
        frames(page)
        assert panel_title(page) == f"{ORANGE} → acquires → {SG}"
        top = page.evaluate("() => document.getElementById('panel').getBoundingClientRect().top")
        assert 0 <= top < 800
    finally:
        page.close()
    assert log.page_errors == []


def test_page_views_folding_widens_the_graph(page: Page) -> None:
    def graph_width() -> float:
        frames(page)
        width: float = page.evaluate("() => document.getElementById('graph').getBoundingClientRect().width")
        return width

    start = graph_width()
    page.click("#fold-controls")
    assert page.get_attribute("#fold-controls", "aria-expanded") == "false"
    assert page.inner_text("#fold-controls") == "Show filters"
    assert page.is_hidden("#search")
    wider = graph_width()
    assert wider > start + 200
    page.click("#fold-panel")
    assert page.get_attribute("#fold-panel", "aria-expanded") == "false"
    assert graph_width() > wider + 200
    canvas = page.eval_on_selector("#graph canvas", "c => c.clientWidth")
    assert canvas == pytest.approx(graph_width(), abs=2)  # the drawing follows the new size
    page.click("#fold-controls")
    page.click("#fold-panel")
    assert page.get_attribute("#fold-controls", "aria-expanded") == "true"
    assert graph_width() == pytest.approx(start, abs=1)


def test_page_views_selecting_unfolds_the_details(page: Page) -> None:
    page.click("#fold-panel")
    find_entity(page, "paris")
    assert page.get_attribute("#fold-panel", "aria-expanded") == "true"
    assert page.is_visible("#panel-title") and panel_title(page) == PARIS


# ---- neighbourhood view --------------------------------------------------------------------------


def test_page_views_neighbourhood_view(page: Page) -> None:
    find_entity(page, "societe generale")
    everywhere = page.evaluate("() => window.graphkit.network.getPositions()")
    page.click("#panel button:text('Show its neighbourhood only')")
    frames(page)
    assert drawn_counts(page) == {"nodes": 4, "edges": 3}  # works_for, located_in, acquires
    assert _address(page) == {"entity": [SG], "focus": [SG]}
    moved = page.evaluate("() => window.graphkit.network.getPositions()")
    for name in (JD, PARIS, ORANGE):
        index = str(node_index(page, name))
        assert (moved[index]["x"], moved[index]["y"]) != (everywhere[index]["x"], everywhere[index]["y"])
    page.click("#panel button:text('Show the whole graph')")
    assert drawn_counts(page) == ALL
    assert _address(page) == {"entity": [SG]}
    assert page.evaluate("() => window.graphkit.network.getPositions()") == everywhere


def test_page_views_double_click_opens_the_neighbourhood(page: Page) -> None:
    index = node_index(page, PARIS)
    page.mouse.dblclick(*node_screen(page, PARIS))
    assert drawn_counts(page) == {"nodes": 4, "edges": 3}  # located_in and two co-occurrences
    assert panel_title(page) == PARIS and selected_nodes(page) == [index]
    assert _address(page) == {"entity": [PARIS], "focus": [PARIS]}
    page.keyboard.press("Escape")
    assert drawn_counts(page) == ALL
    assert _address(page) == {} and selected_nodes(page) == []


# ---- labels --------------------------------------------------------------------------------------


def test_page_views_labels_do_not_overlap(page: Page) -> None:
    labels = page.evaluate("() => window.graphkit.labels()")
    assert overlapping_labels(labels) == []
    assert node_index(page, SG) in {label["node"] for label in labels}
    box = page.evaluate("() => [document.getElementById('graph').clientWidth, "
                        "document.getElementById('graph').clientHeight]")
    for label in labels:
        assert label["x"] >= 0 and label["x"] + label["width"] <= box[0]
        assert label["y"] >= 0 and label["y"] + label["height"] <= box[1]
    find_entity(page, "paris")  # the neighbourhood's labels come first
    labels = page.evaluate("() => window.graphkit.labels()")
    assert overlapping_labels(labels) == []
    assert labels[0]["node"] == node_index(page, PARIS)


def community_graph(size: int = 600, clusters: int = 12, seed: int = 7) -> nx.MultiDiGraph:
    """``size`` entities in ``clusters`` communities, mentions skewed (a few entities mentioned a lot)."""
    rng = random.Random(seed)
    types = ["PER", "ORG", "LOC", "MISC"]
    names = [f"{rng.choice(['Groupe', 'Banque', 'Jean', 'Marie', 'Ville'])} {i:03d}" for i in range(size)]
    mentions = [min(40, max(1, int(rng.paretovariate(1.2)))) for _ in range(size)]
    for rank, hub in enumerate(rng.sample(range(size), 20)):  # the 20 most mentioned, without ties
        mentions[hub] = 100 - 2 * rank
    entities = [Entity(name, types[i % 4], {name}, mentions[i], {f"d{i % 40}.txt"})
                for i, name in enumerate(names)]
    community = [i % clusters for i in range(size)]
    members = [[i for i in range(size) if community[i] == c] for c in range(clusters)]
    edges = []
    for i in range(size):
        for _ in range(2):
            j = rng.choice(members[community[i]])
            if j != i:
                sentence = f"{names[i]} et {names[j]}."
                edges.append(EdgeRecord(names[i], names[j], "co_occurs", rng.randint(1, 3),
                                        [evidence(f"d{i % 40}.txt", sentence)]))
        if rng.random() < 0.3:
            j = rng.choice(members[community[i]])
            if j != i:
                edges.append(EdgeRecord(names[i], names[j], "partner_of", 1,
                                        [evidence(f"d{i % 40}.txt", f"{names[i]} avec {names[j]}.")]))
    for c in range(clusters):  # a few bridges between communities
        a, b = members[c][0], members[(c + 1) % clusters][0]
        edges.append(EdgeRecord(names[a], names[b], "owns", 1, [evidence("d0.txt", "Pont.")]))
    return build_graph(entities, edges, documents=40)


def test_page_views_labels_on_a_big_graph(browser: Browser, tmp_path: Path) -> None:
    graph = community_graph()
    path = tmp_path / "graph.html"
    write_html(graph, path, lang="en")  # places the entities (graphkit.layout.assign_positions)
    page, log = open_page(browser, path)
    try:
        labels = page.evaluate("() => window.graphkit.labels()")
        rows = page.evaluate("() => window.graphkit.data.nodes.map(r => [r[0], r[3]])")
    finally:
        page.close()
    assert log.page_errors == []
    assert overlapping_labels(labels) == []
    labelled = {rows[label["node"]][0] for label in labels}
    top = [name for name, _m in sorted(rows, key=lambda r: (-r[1], r[0]))[:20]]
    missing = [name for name in top if name not in labelled]
    assert missing == [], f"{len(missing)} of the 20 most mentioned entities have no label: {missing}"
