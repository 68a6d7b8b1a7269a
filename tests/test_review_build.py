"""Reviews replayed by builds of the seed articles, and the ``graphkit review`` commands."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graphkit.cli import cli
from graphkit.documents import read_documents
from graphkit.model import DocResult
from graphkit.pipeline import BuildOptions, BuildStats, build_graph_from_results
from graphkit.review import Review, ReviewReport, describe, load_review

EARLY, LATE = "002_f42ef6a59187df04.txt", "000_f202eed6f7df71b0.txt"
"""The article reviewed first, and the one that arrives afterwards."""
AT = "2026-12-06"
AT_TODAY = datetime.date.today().isoformat()


@pytest.fixture(scope="module")
def results(processor, seeds_dir) -> dict[str, DocResult]:
    """Each seed article's extraction, made once: every build below reuses them untouched."""
    documents = list(read_documents([seeds_dir]))
    return {result.doc: result for result in processor.process(documents)}


def build(processor, results: list[DocResult], review: Review | None) -> tuple[nx.MultiDiGraph, BuildStats]:
    stats = BuildStats()
    graph = build_graph_from_results(results, processor.aliases, BuildOptions(), stats, review)
    return graph, stats


def sentence_of(graph: nx.MultiDiGraph, source: str, target: str, doc: str) -> dict[str, Any]:
    """An evidence sentence of ``doc`` naming both entities (from their co-occurrence)."""
    key = (min(source, target), max(source, target), "co_occurs")
    return next(item for item in graph.edges[key]["evidence"] if item["doc"] == doc)


def journalist_review(early_graph: nx.MultiDiGraph, late_graph: nx.MultiDiGraph) -> Review:
    """A decision of each action, made on the early graph (the last add cites the late article)."""
    review = Review()
    review.rename("financial times", "FT", at=AT)
    review.merge("TikTok Shop", into="tiktok", reason="the shop is TikTok's", at=AT)
    review.split("Chine", by="document", at=AT)
    review.retype("Europe centrale", "MISC", at=AT)
    review.delete("Londres", reason="not in the story", at=AT)
    review.reject("FCC", "targets", "TikTok", at=AT)
    review.relabel("Brendan Carr", "targets", "TikTok", "urges", at=AT)
    for source, target, graph, doc in [
        ("ByteDance", "TikTok", early_graph, EARLY),
        ("Instagram", "TikTok", late_graph, LATE),
    ]:
        item = sentence_of(graph, source, target, doc)
        label = "owns" if source == "ByteDance" else "competes_with"
        review.add(
            source, label, target, doc=doc, start=item["start"], end=item["end"], sentence=item["sentence"]
        )
    review.confirm("ByteDance", "owns", "Douyin", at=AT)
    review.confirm("commission fédérale des communications", at=AT)
    return review


def applied_everywhere(graph: nx.MultiDiGraph, report: ReviewReport) -> None:
    """The decisions of :func:`journalist_review` that the early article is enough for."""
    assert "FT" in graph and "Financial Times" not in graph and graph.nodes["FT"]["review"] == ["renamed"]
    assert "TikTok Shop" not in graph and graph.nodes["TikTok"]["review"] == ["merged"]
    assert graph.nodes["Europe centrale"]["type"] == "MISC"
    assert "Londres" not in graph and "Londres" in {r["entity"]["id"] for r in report.removed_entities}
    assert not graph.has_edge("FCC", "TikTok", "targets")
    assert not graph.has_edge("Brendan Carr", "TikTok", "targets")
    assert graph.edges["Brendan Carr", "TikTok", "urges"]["review"] == ["relabelled"]
    assert graph.edges["ByteDance", "TikTok", "owns"]["review"] == ["added"]
    assert graph.edges["ByteDance", "Douyin", "owns"]["review"] == ["confirmed"]
    assert graph.nodes["FCC"]["review"] == ["confirmed"]


def test_every_decision_is_replayed_on_a_rebuild_after_a_new_article(processor, results):
    early_plain, _ = build(processor, [results[EARLY]], None)
    full_plain, _ = build(processor, [results[EARLY], results[LATE]], None)
    review = journalist_review(early_plain, full_plain)

    early, early_stats = build(processor, [results[EARLY]], review)
    report = early_stats.review
    assert report is not None and early_stats.entities == early.number_of_nodes()
    applied_everywhere(early, report)
    stale = sorted(describe(decision) for decision, _why in report.stale)
    assert stale[0].startswith(f"add Instagram competes_with TikTok ({LATE}, ")
    assert stale[1:] == ["split Chine by document"]
    assert len(report.applied) == len(review) - 2

    full, full_stats = build(processor, [results[LATE], results[EARLY]], review)
    report = full_stats.review
    assert report is not None and report.stale == [] and len(report.applied) == len(review)
    applied_everywhere(full, report)
    # the new article's evidence joins the entities the journalist renamed, merged and split
    assert full.nodes["FT"]["docs"] == sorted([EARLY, LATE])
    assert {"Chine (000_f202eed6f7df71b0.txt)", "Chine (002_f42ef6a59187df04.txt)"} <= set(full)
    assert full.edges["Instagram", "TikTok", "competes_with"]["review"] == ["added"]
    for part, doc in [
        ("Chine (000_f202eed6f7df71b0.txt)", LATE),
        ("Chine (002_f42ef6a59187df04.txt)", EARLY),
    ]:
        assert full.nodes[part]["docs"] == [doc]
        assert {item["doc"] for _u, _v, data in full.edges(part, data=True) for item in data["evidence"]} <= {
            doc
        }


def test_evidence_of_a_merged_entity_moves_with_it(processor, results):
    plain, _ = build(processor, list(results.values()), None)
    review = Review()
    review.merge("TikTok Shop", into="TikTok", at=AT)
    reviewed, stats = build(processor, list(results.values()), review)
    moved = [(u, v, k, d) for u, v, k, d in plain.edges(keys=True, data=True) if "TikTok Shop" in (u, v)]
    assert moved
    for u, v, key, data in moved:
        ends = [("TikTok" if end == "TikTok Shop" else end) for end in (u, v)]
        if ends[0] == ends[1]:
            continue
        if key == "co_occurs":
            ends.sort()
        kept = reviewed.edges[ends[0], ends[1], key]["evidence"]
        assert all(item in kept for item in data["evidence"])
    assert stats.review is not None and len(stats.review.applied) == 1
    plain_tiktok = plain.nodes["TikTok"]["mentions"] + plain.nodes["TikTok Shop"]["mentions"]
    assert reviewed.nodes["TikTok"]["mentions"] == plain_tiktok


def run(runner, *args: str) -> Any:
    return runner.invoke(cli, [str(arg) for arg in args])


def test_build_picks_up_the_review_in_the_output_folder_and_writes_the_same_bytes_twice(
    runner, tmp_path, seeds_dir, shared_dir
):
    out, cache = tmp_path / "out", tmp_path / "cache"
    review = out / "review.json"
    for args in [
        ["delete", "9to5Mac", "--reason", "a site, not a source"],
        ["reject", "TikTok", "located_in", "Londres"],
        ["merge", "TikTok Shop", "--into", "TikTok"],
        ["confirm", "ByteDance", "owns", "Douyin"],
        ["delete", "Le Monde"],
    ]:
        assert run(runner, "review", *args, "--review", review).exit_code == 0

    outputs = []
    for _ in range(2):
        result = run(runner, "build", seeds_dir, "-o", out, "--cache-dir", cache, "-f", "all")
        assert result.exit_code == 0, result.output
        kept = [p for p in sorted(out.iterdir()) if p.name not in ("review.json", "graph.previous.json")]
        outputs.append({p.name: p.read_bytes() for p in kept})  # the previous graph is the build before
    assert outputs[0] == outputs[1]
    assert "2 documents read (2 from the cache)" in result.stdout
    assert "review: 4 decisions applied, 1 stale" in result.stdout
    assert result.stderr.splitlines() == ["Warning: stale: delete Le Monde: no entity named 'Le Monde'"]
    report = json.loads((out / "review.report.json").read_text(encoding="utf-8"))
    assert [r["entity"]["id"] for r in report["removed_entities"]] == ["9to5Mac"]
    assert {(r["edge"]["source"], r["edge"]["key"], r["why"]) for r in report["removed_edges"]} >= {
        ("TikTok", "located_in", "rejected"),
        ("9to5Mac", "co_occurs", "its entity was deleted"),
    }
    assert all(r["edge"]["evidence"] for r in report["removed_edges"])
    graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    assert graph["graph"]["review_decisions"] == load_review(review).decisions  # for the page to offer again
    confirmed = [e for e in graph["edges"] if e.get("review") == ["confirmed"]]
    assert [(e["source"], e["key"], e["target"]) for e in confirmed] == [("ByteDance", "owns", "Douyin")]
    nodes_csv = (out / "graph.nodes.csv").read_text(encoding="utf-8-sig").splitlines()
    assert nodes_csv[0].endswith(",review") and any(line.endswith(",merged") for line in nodes_csv)
    checked = subprocess.run(
        [
            sys.executable,
            str(shared_dir / "tools" / "check_gephi_files.py"),
            out / "graph.graphml",
            out / "graph.gexf",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr

    other = tmp_path / "other.json"
    Review().save(other)
    plain = run(runner, "build", seeds_dir, "-o", out, "--cache-dir", cache, "-f", "json", "--review", other)
    assert plain.exit_code == 0 and "review: 0 decisions applied, 0 stale" in plain.stdout
    assert b'"review"' not in (out / "graph.json").read_bytes()


def test_review_commands_write_the_decisions_the_file_format_describes(runner, tmp_path):
    review = tmp_path / "sub" / "review.json"
    forms = [
        (["delete", "Le Monde", "--reason", "« dans le monde »", "--by", "AM"], "delete"),
        (["reject", "A", "owns", "B"], "reject"),
        (["reject", "A", "owns", "B", "--doc", "d.txt", "--start", "10"], "reject"),
        (["rename", "X", "Y"], "rename"),
        (["merge", "B", "C", "--into", "A"], "merge"),
        (["split", "X", "--by", "alias"], "split"),
        (["retype", "X", "org"], "retype"),
        (["relabel", "A", "owns", "B", "invests_in"], "relabel"),
        (["confirm", "X"], "confirm"),
        (["confirm", "A", "owns", "B"], "confirm"),
    ]
    for args, action in forms:
        result = run(runner, "review", *args, "--review", review)
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith(f"Recorded: {action} ")
    decisions = load_review(review).decisions
    assert [d["action"] for d in decisions] == [
        "rename",
        "merge",
        "split",
        "retype",
        "delete",
        "reject",
        "reject",
        "relabel",
        "confirm",
        "confirm",
    ]
    by_action = {d["action"]: d for d in decisions}
    assert by_action["merge"]["entities"] == ["B", "C"] and by_action["merge"]["into"] == "A"
    assert by_action["split"]["by"] == "alias" and by_action["retype"]["type"] == "ORG"
    assert by_action["delete"]["reason"] == "« dans le monde »" and by_action["delete"]["by"] == "AM"
    assert all(len(d["at"]) == 10 for d in decisions)
    listed = run(runner, "review", "list", "--review", review)
    assert listed.exit_code == 0 and listed.stdout.splitlines()[-1] == "10 decisions"
    assert "5. delete Le Monde (« dans le monde »; by AM; " in listed.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["retype", "X", "COMPANY"], "unknown type 'COMPANY'"),
        (["reject", "A", "possède", "B"], "unknown relation 'possède'"),
        (["relabel", "A", "owns", "B", "co_occurs"], "unknown relation 'co_occurs'"),
        (["confirm", "A", "B"], "confirm takes an entity, or source, label and target, not 2 names"),
        (
            ["add", "A", "owns", "B", "--doc", "missing.txt", "--sentence", "1"],
            "input not found: missing.txt",
        ),
        (["add", "A", "likes", "B", "--doc", "missing.txt", "--sentence", "1"], "unknown relation 'likes'"),
    ],
)
def test_review_command_errors_are_one_line_and_exit_2(runner, tmp_path, args, message):
    review = tmp_path / "review.json"
    result = run(runner, "review", *args, "--review", review)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0]
    assert not review.exists()


def test_a_broken_review_file_stops_the_build_with_one_line(runner, tmp_path, seeds_dir):
    review = tmp_path / "review.json"
    review.write_text('{"graphkit_review": 1, "decisions": [{"action": "delete"}]}', encoding="utf-8")
    result = run(runner, "build", seeds_dir, "-o", tmp_path / "out", "--review", review)
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == f'Error: {review}: decision 1: delete needs \'entity\': {{"action": "delete"}}'
    )
    listed = run(runner, "review", "list", "--review", review)
    assert listed.exit_code == 2 and "decision 1" in listed.stderr


def test_review_add_takes_the_sentence_explain_numbers_and_list_marks_stale_ones(runner, tmp_path, seeds_dir):
    article = seeds_dir / LATE
    review = tmp_path / "review.json"
    added = run(
        runner,
        "review",
        "add",
        "Instagram",
        "competes_with",
        "TikTok",
        "--doc",
        article,
        "--sentence",
        3,
        "--review",
        review,
    )
    assert added.exit_code == 0, added.output
    explained = run(runner, "explain", article, "--sentence", 3)
    shown = next(line for line in explained.stdout.splitlines() if line.startswith("[3] "))
    (decision,) = load_review(review).decisions
    assert decision["doc"] == LATE and shown == f"[3] {decision['sentence']}"
    text = article.read_text(encoding="utf-8")
    assert text[decision["start"] : decision["end"]] == decision["sentence"]

    assert run(runner, "review", "delete", "Nobody", "--review", review).exit_code == 0
    missing = run(
        runner, "build", seeds_dir, "-o", tmp_path, "--no-cache", "--review", tmp_path / "none.json"
    )
    assert missing.exit_code == 2 and "review file not found" in missing.stderr

    # a graph built with the review (it is in the output folder): its report says what was stale
    built = run(runner, "build", seeds_dir, "-o", tmp_path, "-f", "json", "--no-cache")
    assert built.exit_code == 0 and "review: 1 decision applied, 1 stale" in built.stdout
    assert run(runner, "review", "confirm", "TikTok", "--review", review).exit_code == 0
    graph = tmp_path / "graph.json"
    listed = run(runner, "review", "list", "--review", review, "--graph", graph)
    assert listed.exit_code == 0, listed.output
    lines = listed.stdout.splitlines()
    assert lines[0] == f"1. delete Nobody ({AT_TODAY})  [stale: no entity named 'Nobody']"
    assert lines[1].startswith("2. add Instagram competes_with TikTok") and "[" not in lines[1]
    assert lines[2:] == [
        f"3. confirm TikTok ({AT_TODAY})  [recorded after this build]",
        f"3 decisions, 1 stale against {graph}",
    ]
    # a graph built without it: the decisions are replayed on it
    plain = tmp_path / "plain"
    assert run(runner, "build", seeds_dir, "-o", plain, "-f", "json", "--no-cache").exit_code == 0
    listed = run(runner, "review", "list", "--review", review, "--graph", plain / "graph.json")
    lines = listed.stdout.splitlines()
    assert lines[0].endswith("[stale: no entity named 'Nobody']") and lines[2].endswith(
        f"TikTok ({AT_TODAY})"
    )
    (tmp_path / "review.report.json").unlink()  # a reviewed graph without its report
    listed = run(runner, "review", "list", "--review", review, "--graph", graph)
    assert listed.exit_code == 2 and "review.report.json is missing" in listed.stderr


def test_jupyter_review_is_recorded_saved_and_applied(processor, results, tmp_path: Path):
    from graphkit.explore import Graph

    plain, _ = build(processor, list(results.values()), None)
    graph = Graph(plain)
    graph.review.merge("TikTok Shop", into="tiktok", at=AT)
    graph.review.delete("Nobody", at=AT)
    reviewed = graph.apply(graph.review)
    assert "TikTok Shop" not in reviewed.nx and reviewed.nx.nodes["TikTok"]["review"] == ["merged"]
    assert all("x" in data for _node, data in reviewed.nx.nodes(data=True))
    assert reviewed.review_report is not None and len(reviewed.review_report.stale) == 1
    path = graph.review.save(tmp_path / "review.json")
    assert Review.load(path).decisions == graph.review.decisions
    assert "TikTok Shop" in graph.nx  # the graph reviewed is left as it was
