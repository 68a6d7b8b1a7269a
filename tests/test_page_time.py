"""graphkit's page in headless Chromium: the time control over articles per period, its filter and
its play button (see tests/browser_utils.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_utils import drawn_counts, evidence, frames, open_page, summary
from playwright.sync_api import Browser, Page

from graphkit.export.webpage import write_html
from graphkit.graph import EdgeRecord, build_graph
from graphkit.model import Entity

pytestmark = pytest.mark.browser

# One relation a week from 2024-01-01 (a Monday) to 2024-03-25: thirteen weeks, one article each,
# the fourth article republished by another outlet two weeks later.
WEEKS = 13


@pytest.fixture(scope="module")
def dated_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    names = [f"Société {i:02d}" for i in range(WEEKS + 1)]
    entities = [Entity(name, "ORG", {name}, 2, {f"d{i:02d}.txt"}) for i, name in enumerate(names)]
    edges = []
    for week in range(WEEKS):
        day = 1 + week * 7
        month, day_of_month = (1, day) if day <= 31 else (2, day - 31) if day <= 60 else (3, day - 60)
        date = f"2024-{month:02d}-{day_of_month:02d}"
        extra: dict[str, object] = {"date": date, "outlet": "AFP"}
        if week == 3:
            extra["copies"] = [{"doc": "copy.txt", "date": "2024-02-05", "outlet": "Le Figaro"}]
        sentence = f"{names[week]} s'associe à {names[week + 1]}."
        edges.append(EdgeRecord(names[week], names[week + 1], "partner_of", 1,
                                [evidence(f"d{week:02d}.txt", sentence, **extra)]))  # type: ignore[arg-type]
    path = tmp_path_factory.mktemp("time") / "graph.html"
    write_html(build_graph(entities, edges, documents=WEEKS), path, lang="en")
    return path


@pytest.fixture()
def page(browser: Browser, dated_page: Path) -> Iterator[Page]:
    page, log = open_page(browser, dated_page)
    page.wait_for_selector("#time-box:not([hidden])")
    yield page
    page.close()
    assert log.page_errors == [] and log.console_errors == []


def test_page_time_histogram_by_week(page: Page) -> None:
    bars = page.eval_on_selector_all("#histogram span", "bars => bars.map(b => b.title)")
    assert len(bars) == WEEKS
    assert bars[0] == "2024-01-01 : 1"
    assert bars[5] == "2024-02-05 : 2"  # its own article and the copy of the fourth
    assert "Articles per week" in page.inner_text("#time-help")
    assert page.input_value("#time-from") == "0" and page.input_value("#time-to") == str(WEEKS - 1)


def test_page_time_range_filters_and_goes_to_the_address(page: Page) -> None:
    page.fill("#time-from", "10")
    frames(page)
    assert drawn_counts(page) == {"nodes": 4, "edges": 3}  # weeks 10, 11 and 12
    assert page.inner_text("#time-from-value") == "2024-03-11"
    assert "since=2024-03-11" in page.evaluate("() => location.hash")
    assert summary(page).startswith(f"{WEEKS} documents · 4 of {WEEKS + 1} entities · 3 of {WEEKS} relations")
    page.fill("#time-to", "5")  # the end before the start pulls the start back
    frames(page)
    assert page.input_value("#time-from") == "5"
    assert drawn_counts(page) == {"nodes": 4, "edges": 2}  # week 5, and week 3 through its copy
    page.click("#reset")
    assert page.input_value("#time-to") == str(WEEKS - 1)
    assert drawn_counts(page)["edges"] == WEEKS


def test_page_time_play_moves_the_window_to_the_end(page: Page) -> None:
    page.click("#time-play")
    assert page.get_attribute("#time-play", "aria-pressed") == "true"
    start = int(page.input_value("#time-from"))
    moved = "(before) => document.getElementById('time-from').value !== before"
    page.wait_for_function(moved, arg=str(start))
    assert int(page.input_value("#time-from")) == start + 1
    stopped = "() => document.getElementById('time-play').getAttribute('aria-pressed') === 'false'"
    page.wait_for_function(stopped, timeout=20_000)
    assert page.input_value("#time-to") == str(WEEKS - 1)


def test_page_time_address_opens_the_period(browser: Browser, dated_page: Path) -> None:
    page, log = open_page(browser, dated_page, hash="since=2024-03-18&until=2024-03-31")
    assert drawn_counts(page) == {"nodes": 3, "edges": 2}  # weeks 11 and 12
    assert page.input_value("#time-from") == "11"
    page.close()
    assert log.page_errors == []


def test_page_time_hidden_without_dates(browser: Browser, tmp_path: Path) -> None:
    entities = [Entity(name, "ORG", {name}, 1, {"a.txt"}) for name in ("Orange", "Free")]
    edges = [EdgeRecord("Orange", "Free", "acquires", 1, [evidence("a.txt", "Orange rachète Free.")])]
    path = tmp_path / "graph.html"
    write_html(build_graph(entities, edges, documents=1), path, lang="en")
    page, log = open_page(browser, path)
    frames(page)
    assert page.is_hidden("#time-box")
    assert drawn_counts(page) == {"nodes": 2, "edges": 1}
    page.close()
    assert log.page_errors == []
