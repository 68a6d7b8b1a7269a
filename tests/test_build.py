"""The whole build on the seed articles: the graph contract and the relations the articles state."""

from __future__ import annotations

import json
import subprocess
import sys

import networkx as nx
import pytest

from graphkit.graph import CO_OCCURS, graph_from_data

REQUIRED_PAIRS = [
    ("ByteDance", "Douyin"),
    ("Douyin", "TikTok"),
    ("ByteDance", "TikTok"),
    ("FCC", "Apple"),
    ("FCC", "Google"),
    ("TikTok", "Shopify"),
    ("Shopify", "Kylie Jenner"),
]
# (sources, label, target): the letter « appelant Google et Apple » is Brendan Carr's and the FCC's.
REQUIRED_FACTS = [
    ({"ByteDance"}, "owns", "Douyin"),
    ({"Douyin"}, "counterpart_of", "TikTok"),
    ({"Brendan Carr"}, "leads", "FCC"),
    ({"FCC", "Brendan Carr"}, "urges", "Apple"),
    ({"FCC", "Brendan Carr"}, "urges", "Google"),
    ({"FCC", "Brendan Carr"}, "targets", "TikTok"),
    ({"Shopify"}, "partner_of", "TikTok"),
    ({"Kylie Jenner"}, "sells_on", "TikTok"),
]


@pytest.fixture(scope="module")
def graph_json(seeds_build):
    out, _result = seeds_build
    return json.loads((out / "graph.json").read_text(encoding="utf-8"))


def test_build_graph_json_follows_the_contract(graph_json, seeds_dir):
    texts = {p.name: p.read_text(encoding="utf-8") for p in seeds_dir.glob("*.txt")}
    assert graph_json["directed"] and graph_json["multigraph"]
    for node in graph_json["nodes"]:
        assert set(node) >= {"id", "label", "type", "aliases", "mentions", "docs"}
        assert node["type"] in {"PER", "ORG", "LOC", "MISC"} and node["mentions"] >= 1
    for edge in graph_json["edges"]:
        assert set(edge) >= {"source", "target", "key", "relation", "weight", "evidence"}
        assert edge["evidence"] and edge["weight"] >= len(edge["evidence"])
        for item in edge["evidence"]:
            assert texts[item["doc"]][item["start"] : item["end"]] == item["sentence"]


def test_build_links_required_pairs_with_evidence(graph_json):
    graph = graph_from_data(graph_json)
    simple = nx.Graph(graph)
    for a, b in REQUIRED_PAIRS:
        assert simple.has_edge(a, b), (a, b)
        assert all(d["evidence"] for d in graph.get_edge_data(a, b, default={}).values())


def test_build_states_the_seed_facts(graph_json):
    found = {
        (e["source"], e["relation"], e["target"]) for e in graph_json["edges"] if e["relation"] != CO_OCCURS
    }
    for sources, label, target in REQUIRED_FACTS:
        assert any((s, label, target) in found or (target, label, s) in found for s in sources), (
            sources,
            label,
            target,
        )


def test_build_is_deterministic(seeds_build, seeds_dir, tmp_path):
    from graphkit.export import write
    from graphkit.pipeline import build

    out, _ = seeds_build
    again = build([seeds_dir])
    for fmt, name in [("json", "graph.json"), ("graphml", "graph.graphml"), ("gexf", "graph.gexf")]:
        write(again.graph, fmt, tmp_path / name)
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


@pytest.mark.slow
def test_build_scores_on_the_seeds_gold(seeds_build, shared_dir, seeds_dir):
    out, _ = seeds_build
    result = subprocess.run(
        [
            sys.executable,
            str(shared_dir / "tools" / "evaluate.py"),
            "--gold",
            str(shared_dir / "spec" / "seeds.gold.json"),
            "--graph",
            str(out / "graph.json"),
            "--docs",
            str(seeds_dir),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    scores = json.loads(result.stdout)
    assert scores["entities"]["f1"] >= 0.95
    assert scores["relations"]["precision"] >= 0.9 and scores["relations"]["recall"] >= 0.9
    assert scores["pairs"]["recall"] == 1.0
    assert scores["evidence"]["fraction_ok"] == 1.0
