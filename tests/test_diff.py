"""``graphkit diff``: what a build adds to the previous one, as text, JSON and an HTML page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from corpus_utils import TEST_MODEL

from graphkit.cli import cli
from graphkit.diff import PREVIOUS, compare, to_text
from graphkit.diffpage import diff_page

FIRST = {
    "a.txt": "---\ndate: 2024-10-11\noutlet: Les Échos\n---\n"
    "Valtera rachète Norelis\n\nLe groupe Valtera a annoncé le rachat de Norelis à Lyon.\n",
}
LATER = {
    "b.txt": "---\ndate: 2024-11-04\noutlet: AFP\n---\n"
    "Telvia et Hexalis\n\nMarc Lefèvre, président de Telvia, a présenté l'accord à Grenoble.\n",
}


def _item(doc: str, start: int, **extra: Any) -> dict[str, Any]:
    return {"doc": doc, "sentence": f"<b>{doc}</b> dit.", "start": start, "end": start + 5, **extra}


def _graphs() -> tuple[nx.MultiDiGraph, nx.MultiDiGraph]:
    old, new = nx.MultiDiGraph(), nx.MultiDiGraph()
    old.add_nodes_from(["A", "B", "Gone"], type="ORG")
    new.add_nodes_from(["A", "B", "<C>"], type="ORG")
    old.add_edge("A", "B", key="owns", weight=1, evidence=[_item("a", 0)])
    new.add_edge("A", "B", key="owns", weight=2, evidence=[_item("a", 0), _item("b", 0, date="2024-11-04")])
    old.add_edge("A", "Gone", key="leads", weight=1, evidence=[_item("a", 9)])
    new.add_edge("A", "<C>", key="acquires", weight=1, evidence=[_item("c", 0, outlet="AFP")])
    new.add_edge("A", "<C>", key="co_occurs", weight=1, evidence=[_item("c", 0)])
    return old, new


def test_compare_lists_what_is_new_and_gone() -> None:
    report = compare(*_graphs())
    assert [e["id"] for e in report["entities"]["new"]] == ["<C>"]
    assert [e["id"] for e in report["entities"]["gone"]] == ["Gone"]
    relations = report["relations"]
    assert [(r["source"], r["relation"], r["target"]) for r in relations["new"]] == [("A", "acquires", "<C>")]
    assert relations["new"][0]["evidence"][0]["outlet"] == "AFP"
    more = relations["more_evidence"]
    assert [(r["relation"], [i["doc"] for i in r["evidence"]]) for r in more] == [("owns", ["b"])]
    assert more[0]["evidence"][0]["date"] == "2024-11-04"
    assert [r["relation"] for r in relations["gone"]] == ["leads"]
    text = to_text(report)
    assert "New relations (1):\n  A acquires <C> (weight 1)\n    AFP, c: « <b>c</b> dit. »" in text
    assert "Relations with new evidence (1):" in text and "2024-11-04, b:" in text
    assert "Relations no longer found" in text and "Entities no longer found (1): Gone (ORG)" in text


def test_diff_page_is_escaped_and_has_no_script() -> None:
    page = diff_page(compare(*_graphs()), old="old/<x>.json", new="new/graph.json")
    assert "<script" not in page and "<b>c</b>" not in page and "<C>" not in page
    assert "&lt;b&gt;c&lt;/b&gt; dit." in page and "old/&lt;x&gt;.json" in page
    assert "Relations with new evidence (1)" in page


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> Path:
    """A corpus built, grown by one article, and built again into the same folder."""
    from click.testing import CliRunner

    folder = tmp_path_factory.mktemp("grow")
    corpus, out = folder / "corpus", folder / "out"
    corpus.mkdir()
    args = ["build", str(corpus), "-o", str(out), "-f", "json", "--no-cache", "--model", TEST_MODEL, "-q"]
    for batch in (FIRST, LATER):
        for name, text in batch.items():
            (corpus / name).write_text(text, encoding="utf-8")
        done = CliRunner().invoke(cli, args, catch_exceptions=False)
        assert done.exit_code == 0, done.output
    return out


def test_build_keeps_the_previous_graph(two_builds: Path) -> None:
    old = json.loads((two_builds / PREVIOUS).read_text(encoding="utf-8"))
    new = json.loads((two_builds / "graph.json").read_text(encoding="utf-8"))
    assert {e["doc"] for edge in old["edges"] for e in edge["evidence"]} == {"a.txt"}
    assert {e["doc"] for edge in new["edges"] for e in edge["evidence"]} == {"a.txt", "b.txt"}


def test_diff_text_json_and_html(two_builds: Path, runner, tmp_path: Path) -> None:
    old, new = str(two_builds / PREVIOUS), str(two_builds / "graph.json")
    text = runner.invoke(cli, ["diff", old, new])
    assert text.exit_code == 0, text.output
    assert text.output.startswith("New entities (")
    assert "Telvia (ORG, 2024-11-04)" in text.output and "Valtera" not in text.output.split("\n")[0]
    assert "New relations (" in text.output and "2024-11-04, AFP, b.txt: « Marc Lefèvre" in text.output
    as_json = runner.invoke(cli, ["diff", old, new, "--format", "json"])
    report = json.loads(as_json.output)
    assert "Telvia" in {e["id"] for e in report["entities"]["new"]}
    assert report["entities"]["gone"] == [] and report["relations"]["gone"] == []
    page = tmp_path / "diff.html"
    done = runner.invoke(cli, ["diff", old, new, "-o", str(page)])
    assert done.exit_code == 0 and done.output.endswith(f"Wrote {page}\n")
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Marc Lefèvre" in html and "<script" not in html


def test_diff_without_arguments_reads_out(two_builds: Path, runner, monkeypatch) -> None:
    monkeypatch.chdir(two_builds.parent)
    bare = runner.invoke(cli, ["diff"])
    named = runner.invoke(cli, ["diff", str(two_builds / PREVIOUS), str(two_builds / "graph.json")])
    assert bare.exit_code == 0 and bare.output == named.output and "Telvia" in bare.output
    same = runner.invoke(cli, ["diff", str(two_builds / "graph.json"), str(two_builds / "graph.json")])
    assert same.output == "Nothing new.\n"


def test_diff_without_a_previous_build_is_one_error(runner, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "graph.json").write_text('{"nodes": [], "edges": []}', encoding="utf-8")
    done = runner.invoke(cli, ["diff"])
    assert done.exit_code == 2
    assert done.output.strip().splitlines() == [
        "Error: no previous build in out: out/graph.previous.json is kept when a build writes into it again"
    ]
