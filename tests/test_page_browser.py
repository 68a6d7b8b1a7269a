"""graphkit's page in a real headless Chromium: Debian's /usr/bin/chromium driven by Playwright.

Loading, safety, filters and the header counts, selection and evidence, exports, keyboard. Most tests
open the same small hand-made graph (browser_utils.small_graph: seven entities at fixed places,
English interface); tests/test_page_views.py covers the address, layout, neighbourhood and labels.
"""

from __future__ import annotations

import csv
import io
import struct
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from browser_utils import (
    ALL,
    FORMULA,
    FULL_SUMMARY,
    HOSTILE_DOC,
    HOSTILE_SENTENCE,
    HYPOTHETICAL,
    IMG,
    JD,
    NEGATED,
    ORANGE,
    PARIS,
    POSITIONS,
    SCRIPT,
    SG,
    SVG,
    WORKS_FOR,
    WORKS_FOR_2,
    click_edge,
    click_node,
    drawn_counts,
    evidence,
    find_entity,
    frames,
    node_index,
    open_page,
    panel_text,
    panel_title,
    selected_nodes,
    summary,
    to_screen,
)
from playwright.sync_api import Browser, Page

from graphkit.export.webpage import BIG_GRAPH, write_html
from graphkit.graph import EdgeRecord, build_graph
from graphkit.model import Entity

pytestmark = pytest.mark.browser


# ---- loading, safety ----------------------------------------------------------------------------


def test_page_browser_loads_offline_without_errors(browser: Browser, small_page: Path) -> None:
    page, log = open_page(browser, small_page)
    html_lang = page.get_attribute("html", "lang")
    search_label = page.inner_text("label[for=search]")
    page.close()
    assert log.blocked == []
    assert [url for url in log.requests if not url.startswith("file://")] == []
    assert log.console_errors == [] and log.page_errors == [] and log.dialogs == []
    assert html_lang == "en" and search_label == "Find an entity"


def test_page_browser_draws_every_node_and_edge(page: Page) -> None:
    assert drawn_counts(page) == ALL
    assert page.inner_text("h1") == "Test <graph>"
    assert summary(page) == FULL_SUMMARY
    assert sorted(page.evaluate("() => window.graphkit.visibleEdges()")) == list(range(7))


def _ink_along(page: Page, source: str, target: str) -> list[bool]:
    """Whether each canvas pixel on the line from 15% to 35% of the way between two nodes is inked."""
    ink: list[bool] = page.evaluate(
        """async ([a, b]) => {
          await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
          const net = window.graphkit.network, pos = net.getPositions([a, b]);
          const p = net.canvasToDOM(pos[a]), q = net.canvasToDOM(pos[b]);
          const canvas = document.querySelector('#graph canvas');
          const ratio = canvas.width / canvas.clientWidth, ctx = canvas.getContext('2d');
          const steps = Math.round(Math.hypot(q.x - p.x, q.y - p.y) * ratio * 0.2), out = [];
          for (let s = 0; s <= steps; s++) {
            const t = 0.15 + 0.2 * s / steps;
            const x = Math.round((p.x + (q.x - p.x) * t) * ratio);
            const y = Math.round((p.y + (q.y - p.y) * t) * ratio);
            const d = ctx.getImageData(x, y, 1, 1).data;
            out.push(Math.min(d[0], d[1], d[2]) < 200);
          }
          return out;
        }""",
        [node_index(page, source), node_index(page, target)],
    )
    return ink


def _runs(ink: list[bool]) -> int:
    """Number of inked stretches."""
    return sum(1 for i, on in enumerate(ink) if on and (i == 0 or not ink[i - 1]))


def test_page_browser_draws_not_asserted_edges_dashed(page: Page) -> None:
    lines = ((JD, SG), (SG, ORANGE), (ORANGE, FORMULA))
    solid, negated, hypothetical = (_ink_along(page, *ends) for ends in lines)
    # solid: inked all along, but for a label that may cross it
    assert len(solid) > 20 and sum(solid) >= 0.85 * len(solid) and _runs(solid) <= 2
    assert _runs(negated) >= 2 and not all(negated)  # dashes
    assert _runs(hypothetical) >= 3 and not all(hypothetical)  # dots
    # dots are shorter than dashes
    assert sum(hypothetical) / _runs(hypothetical) < sum(negated) / _runs(negated)


def test_page_browser_shows_hostile_text_literally(page: Page) -> None:
    find_entity(page, "img src")
    assert panel_title(page) == IMG
    assert SCRIPT in panel_text(page)
    click_edge(page, IMG, SVG)
    text = panel_text(page)
    # symmetric relations run from the smaller id to the larger
    assert panel_title(page) == f"{SVG} — partner_of — {IMG}"
    assert HOSTILE_SENTENCE in text
    assert f"Attributed to {IMG}" in text
    assert HOSTILE_DOC in text and SCRIPT in text
    assert page.evaluate("() => document.querySelectorAll('img, svg, b, i').length") == 0
    assert page.evaluate("() => document.querySelectorAll('body > :not(script) script').length") == 0


# ---- filters and the header counts ---------------------------------------------------------------


def test_page_browser_type_filter_hides_nodes(page: Page) -> None:
    page.click("label:has-text('Organisation (ORG)')")
    # left: the partner_of between the markup names, the co-occurrence Jean Dupont -- Paris
    assert drawn_counts(page) == {"nodes": 4, "edges": 2}
    assert summary(page) == "4 documents · 4 of 7 entities · 1 of 5 relations · 1 of 2 co-occurrences"
    assert "types=LOC%2CMISC%2CPER" in page.evaluate("() => location.hash")
    page.click("label:has-text('Organisation (ORG)')")
    assert drawn_counts(page) == ALL
    assert summary(page) == FULL_SUMMARY


def test_page_browser_cooccurrence_toggle_and_weight(page: Page) -> None:
    page.uncheck("#show-cooccurrences")
    assert drawn_counts(page) == {"nodes": 7, "edges": 5}
    assert summary(page) == "4 documents · 7 entities · 5 relations · 0 of 2 co-occurrences"
    page.check("#show-cooccurrences")
    page.fill("#min-weight", "2")
    assert drawn_counts(page) == {"nodes": 7, "edges": 6}  # Jean Dupont -- Paris (1 sentence) hidden
    assert page.inner_text("#min-weight-value") == "2"


def test_page_browser_relation_filter_hides_entities_left_alone(page: Page) -> None:
    page.click("label:has-text('located_in')")
    # Société Générale and Paris keep other edges
    assert drawn_counts(page) == {"nodes": 7, "edges": 6}
    page.click("label:has-text('partner_of')")
    assert drawn_counts(page) == {"nodes": 5, "edges": 5}  # the markup names have no edge left
    assert summary(page) == "4 documents · 5 of 7 entities · 3 of 5 relations · 2 co-occurrences"


@pytest.mark.parametrize(
    "select, value, counts, line",
    [
        ("#document", "a.txt", {"nodes": 3, "edges": 3},
         "1 of 4 documents · 3 of 7 entities · 2 of 5 relations · 1 of 2 co-occurrences"),
        ("#outlet", "Le Monde", {"nodes": 3, "edges": 3},
         "1 of 4 documents · 3 of 7 entities · 2 of 5 relations · 1 of 2 co-occurrences"),
        ("#outlet", "lesechos.fr", {"nodes": 2, "edges": 1},  # the host of d.txt's address
         "1 of 4 documents · 2 of 7 entities · 1 of 5 relations · 0 of 2 co-occurrences"),
        ("#attribution", "some", {"nodes": 4, "edges": 2},
         "4 documents · 4 of 7 entities · 2 of 5 relations · 0 of 2 co-occurrences"),
        ("#attribution", "none", {"nodes": 5, "edges": 5},
         "4 documents · 5 of 7 entities · 3 of 5 relations · 2 co-occurrences"),
        ("#attribution", "to:AFP", {"nodes": 2, "edges": 1},
         "4 documents · 2 of 7 entities · 1 of 5 relations · 0 of 2 co-occurrences"),
    ],
    ids=["document", "outlet", "outlet-from-host", "attributed", "not-attributed", "attributed-to"],
)
def test_page_browser_source_and_attribution_filters(
    page: Page, select: str, value: str, counts: dict[str, int], line: str
) -> None:
    page.select_option(select, value)
    assert drawn_counts(page) == counts
    assert summary(page) == line
    page.click("#reset")
    assert drawn_counts(page) == ALL
    assert summary(page) == FULL_SUMMARY
    assert page.input_value(select) == ""


def test_page_browser_outlet_menu_lists_outlets_and_hosts(page: Page) -> None:
    options = page.eval_on_selector_all("#outlet option", "os => os.map(o => [o.value, o.textContent])")
    assert options == [["", "All outlets"], ["Le Monde", "Le Monde (1)"], ["lesechos.fr", "lesechos.fr (1)"]]
    speakers = page.eval_on_selector_all("#attribution option", "os => os.map(o => o.value)")
    assert speakers[:3] == ["", "some", "none"] and sorted(speakers[3:]) == sorted(["to:AFP", f"to:{IMG}"])


def test_page_browser_minimum_mentions(page: Page) -> None:
    page.fill("#min-mentions", "3")
    assert drawn_counts(page) == {"nodes": 4, "edges": 5}
    assert summary(page) == "4 documents · 4 of 7 entities · 3 of 5 relations · 2 co-occurrences"
    assert page.inner_text("#min-mentions-value") == "3"
    assert "min_mentions=3" in page.evaluate("() => location.hash")


def test_page_browser_claim_filters(page: Page) -> None:
    page.uncheck("#claim-asserted")
    assert drawn_counts(page) == {"nodes": 3, "edges": 2}  # the negated and the hypothetical relations
    assert summary(page) == "4 documents · 3 of 7 entities · 2 of 5 relations · 0 of 2 co-occurrences"
    page.check("#claim-asserted")
    page.uncheck("#claim-negated")
    assert drawn_counts(page) == {"nodes": 7, "edges": 6}
    page.uncheck("#claim-hypothetical")
    assert drawn_counts(page) == {"nodes": 6, "edges": 5}  # FORMULA has no edge left
    assert "claims=asserted" in page.evaluate("() => location.hash")


def test_page_browser_sentence_search_ignores_accents(page: Page) -> None:
    before = summary(page)
    page.fill("#text-search", "BASEE a paris")
    page.wait_for_function("s => document.getElementById('summary').textContent !== s", arg=before)
    assert drawn_counts(page) == {"nodes": 2, "edges": 1}
    assert summary(page) == "4 documents · 2 of 7 entities · 1 of 5 relations · 0 of 2 co-occurrences"
    edge = page.evaluate("() => window.graphkit.data.edges[window.graphkit.visibleEdges()[0]][2]")
    assert edge == "located_in"


def test_page_browser_reset_button_restores_everything(page: Page) -> None:
    page.click("label:has-text('Person (PER)')")
    page.uncheck("#show-cooccurrences")
    page.uncheck("#claim-negated")
    page.select_option("#outlet", "Le Monde")
    page.fill("#min-mentions", "2")
    find_entity(page, "paris")
    assert drawn_counts(page) != ALL
    page.click("#reset")
    assert drawn_counts(page) == ALL
    assert summary(page) == FULL_SUMMARY
    assert page.is_checked("#show-cooccurrences") and page.is_checked("#claim-negated")
    assert page.eval_on_selector_all("#type-filters input", "bs => bs.every(b => b.checked)")
    assert page.input_value("#outlet") == "" and page.input_value("#min-mentions") == "1"
    assert panel_title(page) == "Details" and selected_nodes(page) == []
    assert page.evaluate("() => location.hash") == ""


def test_page_browser_big_graph_hides_cooccurrences_and_speaks_french(
    browser: Browser, tmp_path: Path
) -> None:
    size = BIG_GRAPH + 1
    names = [f"E{i:04d}" for i in range(size)]
    entities = [Entity(name, "ORG", {name}, 1, {"d.txt"}) for name in names]
    ev = [evidence("d.txt", "E et E.")]
    edges = [EdgeRecord(names[i], names[i + 1], "co_occurs", 1, ev) for i in range(size - 1)]
    edges += [EdgeRecord(names[i], names[i + 2], "owns", 1, ev) for i in range(0, size - 2, 50)]
    graph = build_graph(entities, edges, documents=1)
    path = tmp_path / "graph.html"
    write_html(graph, path)  # French by default
    page, log = open_page(browser, path)
    typed = len(range(0, size - 2, 50))
    assert drawn_counts(page) == {"nodes": size, "edges": typed}
    assert not page.is_checked("#show-cooccurrences")
    page.check("#show-cooccurrences")
    assert drawn_counts(page) == {"nodes": size, "edges": typed + size - 1}
    assert page.get_attribute("html", "lang") == "fr"
    assert page.inner_text("label[for=search]") == "Trouver une entité"
    assert page.inner_text("#reset") == "Tout réinitialiser"
    page.close()
    assert log.console_errors == [] and log.page_errors == [] and log.blocked == []


# ---- selection, evidence -------------------------------------------------------------------------


def test_page_browser_search_focuses_node(page: Page) -> None:
    find_entity(page, "societe generale")
    index = node_index(page, SG)
    assert selected_nodes(page) == [index]
    centre = page.evaluate("() => window.graphkit.network.getViewPosition()")
    spot = page.evaluate(f"() => window.graphkit.network.getPositions([{index}])[{index}]")
    assert centre == pytest.approx(spot, abs=1)
    assert panel_title(page) == SG
    assert "SocGen" in panel_text(page)


def test_page_browser_click_node_dims_the_rest(page: Page) -> None:
    click_node(page, PARIS)
    assert panel_title(page) == PARIS
    assert selected_nodes(page) == [node_index(page, PARIS)]
    colours = {name: _node_pixel(page, name) for name in POSITIONS}
    neighbours = {PARIS, SG, ORANGE, JD}  # located_in, two co-occurrences
    for name, colour in colours.items():
        if name in neighbours:
            assert min(colour) < 190, (name, colour)  # drawn in its own colour
        else:
            assert min(colour) > 190, (name, colour)  # dimmed towards white
    page.keyboard.press("Escape")
    frames(page)
    assert panel_title(page) == "Details"
    assert selected_nodes(page) == []
    assert min(_node_pixel(page, FORMULA)) < 190


def test_page_browser_click_on_empty_canvas_clears_the_selection(page: Page) -> None:
    click_node(page, PARIS)
    assert panel_title(page) == PARIS
    page.mouse.click(*to_screen(page, -100, -100))  # far from every entity and edge
    frames(page)
    assert panel_title(page) == "Details" and selected_nodes(page) == []
    assert page.evaluate("() => location.hash") == ""


def test_page_browser_selecting_a_filtered_out_entity_shows_it(page: Page) -> None:
    page.click("label:has-text('Person (PER)')")
    assert drawn_counts(page)["nodes"] == 5
    find_entity(page, "jean dupont")
    assert panel_title(page) == JD
    assert page.is_checked("label:has-text('Person (PER)') input")
    assert drawn_counts(page)["nodes"] == 7
    assert selected_nodes(page) == [node_index(page, JD)]


def _node_pixel(page: Page, node_id: str) -> tuple[int, int, int]:
    """Colour the canvas shows at the centre of a node, as drawn in the last frame."""
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
        node_index(page, node_id),
    )
    return rgb[0], rgb[1], rgb[2]


def test_page_browser_click_edge_shows_citable_evidence(page: Page) -> None:
    click_edge(page, JD, SG)
    assert panel_title(page) == f"{JD} → works_for → {SG}"
    text = panel_text(page)
    assert "2 of 3 sentences kept" in text
    quotes = page.eval_on_selector_all("#panel blockquote", "qs => qs.map(q => q.textContent)")
    assert sorted(quotes) == sorted([WORKS_FOR, WORKS_FOR_2])  # the repeated sentence is listed once
    marks = page.eval_on_selector_all(
        "#panel blockquote",
        "qs => qs.map(q => Array.from(q.querySelectorAll('mark'))"
        "  .map(m => m.className + ':' + m.textContent))",
    )
    # each end marked wherever a name of it appears, accents and case aside
    assert sorted(marks) == sorted([
        [f"source:{JD}", f"target:{SG}"],
        ["source:JEAN DUPONT", "target:societe generale", "target:SocGen"],
    ])
    meta = page.eval_on_selector_all("#panel .evidence .meta", "ms => ms.map(m => m.textContent)")
    first = meta[quotes.index(WORKS_FOR)]
    parts = ("Banques", "Le Monde", "2024-03-01", "https://example.org/a", "a.txt")
    order = [first.find(part) for part in parts]
    assert -1 not in order and order == sorted(order)  # title, outlet, date, address, file name last
    links = page.eval_on_selector_all("#panel .evidence a", "as => as.map(a => a.getAttribute('href'))")
    assert links == ["https://example.org/a"] * 2
    assert page.evaluate("() => window.graphkit.data.edges.find(r => r[2] === 'works_for').slice(3)") == [
        3, "", 0, 2, "",
    ]


def test_page_browser_javascript_address_is_not_a_link(page: Page) -> None:
    click_edge(page, IMG, SVG)
    assert "javascript:alert(1)" in page.inner_text("#panel .evidence .meta")
    assert page.eval_on_selector_all("#panel a", "as => as.length") == 0
    assert page.eval_on_selector_all("a[href^='javascript']", "as => as.length") == 0


@pytest.mark.parametrize(
    "ends, claim, sentence",
    [((ORANGE, SG), "negated", NEGATED), ((FORMULA, ORANGE), "hypothetical", HYPOTHETICAL)],
    ids=["negated", "hypothetical"],
)
def test_page_browser_not_asserted_evidence_is_marked(
    page: Page, ends: tuple[str, str], claim: str, sentence: str
) -> None:
    click_edge(page, *ends)
    text = panel_text(page)
    status = {"negated": "negated: every sentence kept denies it",
              "hypothetical": "hypothetical: no sentence kept states it as a fact"}[claim]
    assert status in text
    quote = page.eval_on_selector("#panel blockquote", "q => [q.className, q.textContent]")
    assert quote == [claim, sentence]
    assert page.eval_on_selector_all("#panel .tag", "ts => ts.map(t => [t.className, t.textContent])") == [
        [f"tag {claim}", claim]
    ]
    claims = page.evaluate("() => Object.fromEntries(window.graphkit.data.edges.map(r => [r[2], r[4]]))")
    assert claims["acquires"] == "negated" and claims["invests_in"] == "hypothetical"
    assert claims["works_for"] == claims["located_in"] == ""


def test_page_browser_copy_citation(browser: Browser, small_page: Path) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page, log = open_page(context, small_page)
    click_edge(page, SG, PARIS)
    page.click("#panel button.cite")
    expected = "« La Société Générale, basée à Paris. » — Banques, Le Monde, 2024-03-01, https://example.org/a"
    page.wait_for_function("() => window.graphkit.lastCopied !== null")
    assert page.evaluate("() => window.graphkit.lastCopied") == expected
    page.wait_for_selector("#panel .evidence [role=status]:text('Citation copied.')")
    assert page.evaluate("() => navigator.clipboard.readText()") == expected
    context.close()
    assert log.page_errors == [] and log.dialogs == []


def test_page_browser_document_view(page: Page) -> None:
    find_entity(page, "jean dupont")
    page.click("#panel .docs button")
    assert panel_title(page) == "What this article says : Banques"
    assert _address(page) == {"document": ["a.txt"]}  # shown, not yet a filter
    lists = page.eval_on_selector_all(
        "#panel ul.links",
        "us => us.map(u => Array.from(u.querySelectorAll('button')).map(b => b.textContent))",
    )
    assert lists == [[f"{JD} → works_for → {SG}", f"{SG} → located_in → {PARIS}"], [SG, PARIS, JD]]
    assert drawn_counts(page) == ALL
    page.click("#panel button:text('Show only this document in the graph')")
    assert drawn_counts(page) == {"nodes": 3, "edges": 3}
    assert page.input_value("#document") == "a.txt"
    assert _address(page) == {"document": ["a.txt"], "doc": ["a.txt"]}
    page.click(f"#panel ul.links button:text-is('{PARIS}')")
    assert panel_title(page) == PARIS


def _address(page: Page) -> dict[str, list[str]]:
    """The view held in the address after « # »."""
    return parse_qs(page.evaluate("() => location.hash").lstrip("#"))


# ---- exports -------------------------------------------------------------------------------------


def test_page_browser_png_download(page: Page) -> None:
    with page.expect_download() as info:
        page.click("#export-png")
    data = Path(info.value.path()).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    canvas = page.eval_on_selector("#graph canvas", "c => [c.width, c.height]")
    assert [width, height] == canvas
    assert info.value.suggested_filename.endswith(".png")
    assert page.inner_text("#export-png") == "PNG" and page.inner_text("#export-csv") == "CSV"


def _csv_rows(page: Page) -> list[dict[str, str]]:
    with page.expect_download() as info:
        page.click("#export-csv")
    assert info.value.suggested_filename.endswith(".csv")
    text = Path(info.value.path()).read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_page_browser_csv_lists_what_is_shown(page: Page) -> None:
    rows = _csv_rows(page)
    entities = {row["id"]: row for row in rows if row["kind"] == "entity"}
    assert set(entities) - {"'" + FORMULA} == set(POSITIONS) - {FORMULA}
    assert "'" + FORMULA in entities and entities["'" + FORMULA]["label"] == "'" + FORMULA
    assert FORMULA not in entities
    relations = {(row["source"], row["relation"], row["target"]) for row in rows if row["kind"] == "relation"}
    assert len(relations) == 7 and ("'" + FORMULA, "invests_in", ORANGE) in relations
    statuses = {row["relation"]: row["status"] for row in rows if row["kind"] == "relation"}
    assert statuses["acquires"] == "negated" and statuses["invests_in"] == "hypothetical"
    assert statuses["works_for"] == "asserted"

    page.click("label:has-text('Organisation (ORG)')")
    frames(page)
    rows = _csv_rows(page)
    assert {row["id"] for row in rows if row["kind"] == "entity"} == {JD, PARIS, IMG, SVG}
    assert {(row["source"], row["relation"], row["target"]) for row in rows if row["kind"] == "relation"} == {
        (SVG, "partner_of", IMG), (JD, "co_occurs", PARIS),
    }


# ---- keyboard ------------------------------------------------------------------------------------


def test_page_browser_search_lists_and_keyboard_picks(page: Page) -> None:
    page.focus("#search")
    page.keyboard.type("SOCGEN")
    names = page.eval_on_selector_all("#entity-table tbody button", "bs => bs.map(b => b.textContent)")
    assert names == [SG]
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.textContent") == SG
    page.keyboard.press("Enter")
    frames(page)
    assert panel_title(page) == SG
    assert selected_nodes(page) == [node_index(page, SG)]


def test_page_browser_table_sorts(page: Page) -> None:
    def names() -> list[str]:
        return page.eval_on_selector_all("#entity-table tbody button", "bs => bs.map(b => b.textContent)")

    assert names()[:2] == [SG, PARIS]  # most mentions first
    page.click("#entity-table th button[data-sort=name]")
    by_name = names()
    assert len(by_name) == 7 and by_name.index(JD) < by_name.index(ORANGE) < by_name.index(PARIS)
    assert by_name.index(PARIS) < by_name.index(SG)
    page.click("#entity-table th button[data-sort=name]")
    assert names() == list(reversed(by_name))
    assert page.get_attribute("#entity-table th button[data-sort=name]", "aria-pressed") == "true"


def test_page_browser_escape_clears_the_box_then_the_selection(page: Page) -> None:
    page.click("label:has-text('Organisation (ORG)')")
    find_entity(page, "paris")
    assert panel_title(page) == PARIS
    page.fill("#search", "jean")
    page.press("#search", "Escape")
    frames(page)
    assert page.input_value("#search") == ""
    assert not page.is_checked("label:has-text('Organisation (ORG)') input")  # filters untouched
    assert drawn_counts(page) == {"nodes": 4, "edges": 2}
    assert panel_title(page) == PARIS  # and the selection too
    page.focus("#panel-title")
    page.keyboard.press("Escape")
    frames(page)
    assert panel_title(page) == "Details" and selected_nodes(page) == []
    assert not page.is_checked("label:has-text('Organisation (ORG)') input")


def test_page_browser_graph_takes_focus_and_zooms(page: Page) -> None:
    page.focus("#graph .vis-network")
    assert page.evaluate("() => document.activeElement === document.querySelector('#graph .vis-network')")
    before = page.evaluate("() => window.graphkit.network.getScale()")
    page.keyboard.down("+")
    page.wait_for_function("s => window.graphkit.network.getScale() > s * 1.01", arg=before, timeout=5000)
    page.keyboard.up("+")


def test_page_browser_every_control_is_labelled(page: Page) -> None:
    unlabelled = page.evaluate(
        """() => Array.from(document.querySelectorAll('input, select, button, summary, [tabindex]'))
              .filter(el => el.tabIndex >= 0 && !el.closest('[hidden]'))
              .filter(el => !(el.labels?.length || el.textContent.trim() || el.getAttribute('aria-label')))
              .map(el => el.outerHTML.slice(0, 80))"""
    )
    assert unlabelled == []


def test_page_browser_wire_copies_count_as_outlets(browser: Browser, tmp_path: Path) -> None:
    """A story folded with its wire copies is found under each outlet and says who else published it."""
    copies = [{"doc": "figaro.txt", "outlet": "Le Figaro", "date": "2024-03-02"},
              {"doc": "ouest.txt", "url": "https://www.ouest-france.fr/x"}]
    entities = [Entity("Orange", "ORG", {"Orange"}, 2, {"afp.txt"}),
                Entity("Free", "ORG", {"Free"}, 2, {"afp.txt"})]
    sentence = "Orange rachète Free."
    edges = [EdgeRecord("Orange", "Free", "acquires", 1,
                        [evidence("afp.txt", sentence, outlet="AFP", copies=copies)])]
    path = tmp_path / "graph.html"
    write_html(build_graph(entities, edges, documents=1), path, lang="en")
    page, log = open_page(browser, path)
    options = page.eval_on_selector_all("#outlet option", "os => os.map(o => o.value)")
    assert options == ["", "AFP", "Le Figaro", "ouest-france.fr"]
    page.select_option("#outlet", "ouest-france.fr")
    assert drawn_counts(page) == {"nodes": 2, "edges": 1}
    click_edge(page, "Orange", "Free")
    assert "also published by Le Figaro 2024-03-02, ouest-france.fr" in panel_text(page)
    page.close()
    assert log.page_errors == []
