"""graphkit's page in headless Chromium: decisions made on an entity or a relation, kept in the
browser, undone, and downloaded as a review file (see tests/browser_utils.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser_utils import (
    JD,
    ORANGE,
    SG,
    click_edge,
    find_entity,
    open_page,
    panel_text,
    small_graph,
)
from playwright.sync_api import Browser, Page

from graphkit.export.webpage import write_html

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def reviewed_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small graph as a build with a review file leaves it: one entity confirmed, one merged,
    and the decisions it was built with."""
    graph = small_graph()
    graph.nodes[SG]["review"] = "confirmed"
    graph.nodes[SG]["merges"].append({"form": "SG Bank", "reason": "review: merge (same bank)"})
    graph.edges[JD, SG, "works_for"]["review"] = "confirmed"
    graph.graph["review_decisions"] = [{"action": "confirm", "entity": SG}]
    path = tmp_path_factory.mktemp("review") / "graph.html"
    write_html(graph, path, title="Review", lang="en")
    return path


def _download_review(page: Page) -> dict[str, object]:
    page.evaluate("() => { document.getElementById('review-box').open = true; }")
    with page.expect_download() as download:
        page.click("#review-download")
    review: dict[str, object] = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert download.value.suggested_filename == "review.json"
    return review


def _decisions(review: dict[str, object]) -> list[dict[str, object]]:
    decisions = review["decisions"]
    assert isinstance(decisions, list)
    return [{k: v for k, v in d.items() if k != "at"} for d in decisions]


def test_page_review_decisions_are_kept_and_downloaded(browser: Browser, reviewed_page: Path) -> None:
    context = browser.new_context()
    page, log = open_page(context, reviewed_page)
    assert page.is_disabled("#review-download")
    find_entity(page, "orange")
    page.click("#panel .review button:has-text('Wrong: delete')")
    assert "Decided: wrong entity Orange" in panel_text(page)
    page.click("#reset")  # the whole graph in view again
    click_edge(page, JD, SG)
    page.click("#panel .review button:has-text('Wrong relation')")
    page.click("#panel .evidence button:has-text('Wrong for this sentence') >> nth=0")
    assert page.inner_text("#review-count") == "3"

    # kept in the browser: a new page of the same file has them
    again, again_log = open_page(context, reviewed_page)
    assert again.inner_text("#review-count") == "3"
    review = _download_review(again)
    assert review["graphkit_review"] == 1
    decisions = _decisions(review)
    assert decisions[0] == {"action": "confirm", "entity": SG}  # what the graph was built with comes first
    assert decisions[1:3] == [
        {"action": "delete", "entity": ORANGE},
        {"action": "reject", "source": JD, "label": "works_for", "target": SG},
    ]
    assert decisions[3]["action"] == "reject" and decisions[3]["doc"] == "a.txt"
    assert decisions[3]["start"] == 0
    assert all(isinstance(d.get("at"), str) for d in review["decisions"][1:])  # type: ignore[union-attr]
    context.close()
    assert log.page_errors == again_log.page_errors == []


def test_page_review_undo(browser: Browser, reviewed_page: Path) -> None:
    context = browser.new_context()
    page, log = open_page(context, reviewed_page)
    find_entity(page, "jean dupont")
    page.click("#panel .review button:has-text('Confirm')")
    page.fill("#panel .merge-name", "socgen")
    page.click("#panel .merge-row button")
    assert page.inner_text("#review-count") == "2"
    assert _decisions(_download_review(page))[1:] == [
        {"action": "confirm", "entity": JD},
        {"action": "merge", "entities": [SG], "into": JD},
    ]
    page.click("#review-list li:has-text('confirmed') button")
    assert page.inner_text("#review-count") == "1"
    assert "Decided: confirmed" not in panel_text(page)
    context.close()
    assert log.page_errors == []


def test_page_review_shows_what_the_build_applied(browser: Browser, reviewed_page: Path) -> None:
    page, log = open_page(browser, reviewed_page)
    find_entity(page, "societe generale")
    text = panel_text(page)
    assert "Review\tconfirmed" in text or "Review\nconfirmed" in text
    assert "SG Bank — review: merge (same bank)" in text
    page.click("#reset")
    click_edge(page, JD, SG)
    assert "confirmed" in panel_text(page)
    page.close()
    assert log.page_errors == []


def test_page_review_decision_downloaded_is_applied_by_the_next_build(
    browser: Browser, tmp_path: Path, seeds_dir: Path
) -> None:
    """A journalist marks a relation wrong in the page of a seeds build, saves review.json into the
    output folder, and builds again: the relation is gone, and listed in the review report."""
    from click.testing import CliRunner

    from graphkit.cli import cli

    out = tmp_path / "out"
    cache = tmp_path / "cache"
    runner = CliRunner()
    first = runner.invoke(cli, ["build", str(seeds_dir), "-o", str(out), "--cache-dir", str(cache), "-q",
                                "--lang", "en"])
    assert first.exit_code == 0, first.output
    assert ("Shopify", "TikTok", "partner_of") in _typed_edges(out)

    context = browser.new_context()
    page, log = open_page(context, out / "graph.html", hash="from=Shopify&rel=partner_of&to=TikTok")
    assert page.inner_text("#panel-title") == "Shopify — partner_of — TikTok"
    page.click("#panel .review button:has-text('Wrong relation')")
    page.evaluate("() => { document.getElementById('review-box').open = true; }")
    with page.expect_download() as download:
        page.click("#review-download")
    download.value.save_as(out / "review.json")
    assert log.page_errors == []

    second = runner.invoke(cli, ["build", str(seeds_dir), "-o", str(out), "--cache-dir", str(cache), "-q"])
    assert second.exit_code == 0, second.output
    assert ("Shopify", "TikTok", "partner_of") not in _typed_edges(out)
    report = json.loads((out / "review.report.json").read_text(encoding="utf-8"))
    assert "Shopify" in json.dumps(report) and "partner_of" in json.dumps(report)
    assert (out / "review.json").is_file()  # the decisions stay for the builds to come

    # the new page knows the graph was built with the decision: none is left waiting in the browser
    page, log = open_page(context, out / "graph.html")
    assert page.inner_text("#review-count") == "0"
    assert _decisions(_download_review_anyway(page)) == [
        {"action": "reject", "source": "Shopify", "label": "partner_of", "target": "TikTok"},
    ]
    context.close()
    assert log.page_errors == []


def _download_review_anyway(page: Page) -> dict[str, object]:
    """The review file the page writes, even with no new decision (the button is then disabled)."""
    page.evaluate("() => { document.getElementById('review-download').disabled = false; }")
    return _download_review(page)


def _typed_edges(out: Path) -> set[tuple[str, str, str]]:
    data = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    return {(e["source"], e["target"], e["key"]) for e in data["edges"] if e["key"] != "co_occurs"}
