"""Shared fixtures: paths, one loaded pipeline per session, the seeds graph built once, a CLI runner,
and headless Chromium with the page of a small graph."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_utils import checked_page, launch, write_small_page
from click.testing import CliRunner
from hypothesis import settings
from playwright.sync_api import Browser, Page

# Property tests explore new inputs on every local run; in CI they replay the same ones, so that a
# landing is not decided by the luck of a draw (a failure found locally is kept as a test of its own).
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        reason = f"the shared material is missing: {SHARED} (it sits beside the repository in CI)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return SHARED


@pytest.fixture(scope="session")
def processor():
    """The default pipeline with the shipped aliases and rules, loaded once."""
    from graphkit.pipeline import BuildOptions, Processor

    return Processor(BuildOptions())


@pytest.fixture(scope="session")
def extract(processor):
    """Extract one text: returns a function ``text -> (DocResult, graph)``."""
    from graphkit.graph import build_graph
    from graphkit.merge import Accumulator
    from graphkit.model import Document

    def run(text: str, name: str = "t.txt"):
        (result,) = list(processor.process([Document(name, text)]))
        accumulator = Accumulator(processor.aliases)
        accumulator.add(result)
        entities, edges = accumulator.finalize()
        return result, build_graph(entities, edges, documents=1)

    return run


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory):
    """``graphkit build seeds/`` run once: (output folder, BuildResult)."""
    from graphkit.export import DEFAULT_FORMATS, output_paths, write
    from graphkit.pipeline import build

    out = tmp_path_factory.mktemp("seeds-out")
    result = build([SEEDS])
    for fmt in (*DEFAULT_FORMATS, "csv"):
        target = out / "graph.csv" if fmt == "csv" else output_paths(out / "graph", fmt)[0]
        write(result.graph, fmt, target)
    return out, result


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


# -- the page in headless Chromium (tests/browser_utils.py) ------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium for the tests of one module."""
    yield from launch()


@pytest.fixture(scope="module")
def small_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page of the small hand-made graph (browser_utils.small_graph), in English."""
    return write_small_page(tmp_path_factory.mktemp("page"))


@pytest.fixture()
def page(browser: Browser, small_page: Path) -> Iterator[Page]:
    """A fresh page of the small graph that must end with no dialog, page or console error."""
    yield from checked_page(browser, small_page)
