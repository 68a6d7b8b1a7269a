"""GraphML and GEXF exports: the shared checker, networkx and igraph round trips, hostile text."""

from __future__ import annotations

import importlib.util
import io
import os
import random
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType
from typing import Any

import igraph
import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphkit.export import write
from graphkit.export.flatten import join_values, label_text, xml_text
from graphkit.export.gexf import dumps_gexf
from graphkit.export.graphml import dumps_graphml
from graphkit.export.style import RELATIONS, SYMMETRIC_RELATIONS, hex_to_rgb, node_color, node_radius
from graphkit.graph import EdgeRecord, build_graph
from graphkit.layout import assign_positions
from graphkit.model import ENTITY_TYPES, Entity

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT.parent / "shared" / "tools"
CHECKER = TOOLS / "check_gephi_files.py"
REQUIREMENTS = ["--require-node-attrs", "label,type", "--require-viz"]
SEED_DOCS = ("000_f202eed6f7df71b0.txt", "002_f42ef6a59187df04.txt")


# --- graphs ---------------------------------------------------------------------


def _evidence(doc: str, sentence: str, start: int, **extra: str) -> dict[str, Any]:
    return {"doc": doc, "sentence": sentence, "start": start, "end": start + len(sentence), **extra}


def seeds_like_graph() -> nx.MultiDiGraph:
    """A small graph shaped like the seeds': parallel, symmetric, negated and attributed edges."""
    a, b = SEED_DOCS
    entities = [
        Entity("TikTok", "ORG", {"TikTok", "tiktok"}, 14, {a, b}),
        Entity("ByteDance", "ORG", {"ByteDance"}, 3, {a}),
        Entity("TikTok Shop", "MISC", {"boutique TikTok"}, 4, {a}),
        Entity("Brendan Carr", "PER", {"Carr", "Brendan Carr"}, 2, {b}),
        Entity("Financial Times", "ORG", {"FT", "Financial Times"}, 1, {a}),
        Entity("États-Unis", "LOC", {"USA", "Etats-Unis"}, 5, {a, b}),
        Entity("Royaume-Uni", "LOC", {"UK"}, 3, {a, b}),
    ]
    edges = [
        EdgeRecord(
            "ByteDance", "TikTok", "owns", 1, [_evidence(a, "TikTok, propriété de ByteDance.", 10)]
        ),
        EdgeRecord(
            "TikTok", "ByteDance", "co_occurs", 2, [_evidence(a, "TikTok & ByteDance <ici>", 10)]
        ),
        EdgeRecord(
            "TikTok",
            "ByteDance",
            "partner_of",
            1,
            [_evidence(b, "ByteDance n'est pas « partenaire » de TikTok.", 5, modality="negated")],
        ),
        EdgeRecord("TikTok", "TikTok Shop", "owns", 1, [_evidence(a, "la boutique TikTok", 40)]),
        EdgeRecord(
            "TikTok",
            "États-Unis",
            "operates_in",
            1,
            [
                _evidence(
                    a,
                    "TikTok souhaitait lancer le live shopping aux États-Unis.",
                    90,
                    modality="hypothetical",
                    attributed_to="Financial Times",
                )
            ],
        ),
        EdgeRecord(
            "TikTok",
            "Royaume-Uni",
            "operates_in",
            2,
            [
                _evidence(a, "TikTok testait le live shopping au Royaume-Uni.", 200),
                _evidence(b, "Au Royaume-Uni, TikTok…", 12, attributed_to="Financial Times"),
            ],
        ),
        EdgeRecord(
            "Brendan Carr", "TikTok", "targets", 1, [_evidence(b, "Carr vise TikTok.", 300)]
        ),
    ]
    graph = build_graph(entities, edges, documents=2)
    for index, node in enumerate(sorted(graph)):
        graph.nodes[node]["community"] = index % 2
    return graph


def synthetic_graph(nodes: int, edges: int, *, seed: int = 7) -> nx.MultiDiGraph:
    """A random graph in the contract, every relation label used, positions assigned once."""
    rnd = random.Random(seed)
    names = [f"Entité {i} «{chr(0x41 + i % 26)}»" for i in range(nodes)]
    entities = [
        Entity(name, ENTITY_TYPES[i % 4], {name, f"alias {i}"}, 1 + i % 50, {f"doc{i % 300}.txt"})
        for i, name in enumerate(names)
    ]
    labels = (*RELATIONS, "co_occurs")
    records = []
    for i in range(edges):
        source, target = rnd.sample(names, 2)
        sentence = f"{source} & {target} <phrase {i}>"
        records.append(
            EdgeRecord(
                source,
                target,
                labels[i % len(labels)],
                1 + i % 3,
                [_evidence(f"doc{i % 300}.txt", sentence, i)],
            )
        )
    graph = build_graph(entities, records, documents=300)
    assign_positions(graph)
    return graph


def expected_edges(graph: nx.MultiDiGraph) -> list[tuple[str, str, str]]:
    return sorted((u, v, key) for u, v, key in graph.edges(keys=True))


# --- the shared checker ---------------------------------------------------------


@pytest.fixture(scope="session")
def checker_script() -> Path:
    if not CHECKER.is_file():
        reason = f"the shared checker is missing: {CHECKER} (it sits beside the repository in CI)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return CHECKER


@pytest.fixture(scope="session")
def checker_module(checker_script: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_gephi_files", checker_script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def checker(checker_module: ModuleType) -> Any:
    """The checker's own Checker, schemas compiled once, same requirements as the command."""
    return checker_module.Checker(*checker_module.load_libraries(), ["label", "type"], True)


def run_checker(script: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(script), *map(str, files), *REQUIREMENTS],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=300,
    )


def test_export_gephi_checker_passes_on_seeds_like_graph(
    checker_script: Path, tmp_path: Path
) -> None:
    graph = seeds_like_graph()
    files = [tmp_path / "graph.graphml", tmp_path / "graph.gexf"]
    write(graph, "graphml", files[0])
    write(graph, "gexf", files[1])
    done = run_checker(checker_script, *files)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines() == [
        f"OK {files[0]}: 7 nodes, 7 edges (networkx, igraph)",
        f"OK {files[1]}: 7 nodes, 7 edges (networkx)",
    ]


@pytest.mark.slow
def test_export_gephi_checker_passes_on_10k_nodes(checker_script: Path, tmp_path: Path) -> None:
    graph = synthetic_graph(10_000, 20_000)
    files = [tmp_path / "graph.graphml", tmp_path / "graph.gexf"]
    write(graph, "graphml", files[0])
    write(graph, "gexf", files[1])
    done = run_checker(checker_script, *files)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("10000 nodes, 20000 edges") == 2, done.stdout


@pytest.mark.slow
def test_export_gephi_checker_passes_on_seeds_build(checker_script: Path, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "graphkit", "build", str(ROOT / "seeds"), "-o", str(tmp_path)]
    built = subprocess.run(
        [*command, "-f", "graphml,gexf", "-q"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=300,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    done = run_checker(checker_script, tmp_path / "graph.graphml", tmp_path / "graph.gexf")
    assert done.returncode == 0, done.stdout + done.stderr
    assert [line[:3] for line in done.stdout.splitlines()] == ["OK ", "OK "], done.stdout


# --- round trips ----------------------------------------------------------------


def _by_name(graph: nx.Graph) -> dict[str, dict[str, Any]]:
    return {data["name"]: data for _node, data in graph.nodes(data=True)}


def _relations(graph: nx.MultiDiGraph) -> list[tuple[str, str, str]]:
    names = {node: data["name"] for node, data in graph.nodes(data=True)}
    return sorted((names[u], names[v], data["relation"]) for u, v, data in graph.edges(data=True))


def test_graphml_round_trip_networkx() -> None:
    graph = seeds_like_graph()
    back = nx.read_graphml(io.BytesIO(dumps_graphml(graph)))
    assert back.is_directed() and back.is_multigraph()
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    nodes = _by_name(back)
    for node, data in graph.nodes(data=True):
        assert nodes[node]["label"] == data["label"]
        assert nodes[node]["type"] == data["type"]
        assert nodes[node]["mentions"] == data["mentions"]
        assert nodes[node]["aliases"] == "; ".join(data["aliases"])
        assert nodes[node]["community"] == data["community"]
    assert _relations(back) == expected_edges(graph)
    # three relations between ByteDance and TikTok: three distinct edges, three distinct keys
    ids = {data["name"]: node for node, data in back.nodes(data=True)}
    pair = back.get_edge_data(ids["ByteDance"], ids["TikTok"])
    assert sorted(data["relation"] for data in pair.values()) == ["co_occurs", "owns", "partner_of"]
    assert len(pair) == 3


def test_graphml_round_trip_igraph(tmp_path: Path) -> None:
    graph = seeds_like_graph()
    path = tmp_path / "graph.graphml"
    write(graph, "graphml", path)
    back = igraph.Graph.Read_GraphML(str(path))
    assert back.is_directed()
    assert (back.vcount(), back.ecount()) == (graph.number_of_nodes(), graph.number_of_edges())
    assert sorted(back.vs["name"]) == sorted(graph.nodes)
    assert sorted(back.vs["label"]) == sorted(d["label"] for _n, d in graph.nodes(data=True))
    types = dict(zip(back.vs["name"], back.vs["type"], strict=True))
    assert types == {node: data["type"] for node, data in graph.nodes(data=True)}
    names = back.vs["name"]
    relations = sorted((names[e.source], names[e.target], e["relation"]) for e in back.es)
    assert relations == expected_edges(graph)
    assert len(back.es.select(_between=([names.index("ByteDance")], [names.index("TikTok")]))) == 3


def test_gexf_round_trip_networkx() -> None:
    graph = seeds_like_graph()
    back = nx.read_gexf(io.BytesIO(dumps_gexf(graph)))
    assert back.is_directed() and back.is_multigraph()
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    nodes = _by_name(back)
    for node, data in graph.nodes(data=True):
        assert nodes[node]["label"] == data["label"]
        assert nodes[node]["type"] == data["type"]
        assert nodes[node]["docs"] == len(data["docs"])
    assert _relations(back) == expected_edges(graph)
    for _u, _v, data in back.edges(data=True):
        assert data["label"] == data["relation"]
        assert data["directed"] is (data["relation"] not in SYMMETRIC_RELATIONS)
    assert len({key for _u, _v, key in back.edges(keys=True)}) == graph.number_of_edges()


def test_gexf_viz_uses_page_style_and_positions() -> None:
    graph = seeds_like_graph()
    assign_positions(graph)
    back = nx.read_gexf(io.BytesIO(dumps_gexf(graph)))
    for data in back.nodes.values():
        source = graph.nodes[data["name"]]
        viz = data["viz"]
        red, green, blue = hex_to_rgb(node_color(source["type"]))
        assert (viz["color"]["r"], viz["color"]["g"], viz["color"]["b"]) == (red, green, blue)
        assert viz["size"] == node_radius(source["mentions"])
        assert (viz["position"]["x"], viz["position"]["y"]) == (source["x"], source["y"])


def test_graphml_gephi_properties_and_typed_keys() -> None:
    graph = seeds_like_graph()
    root = ET.fromstring(dumps_graphml(graph))
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    keys = {(k.get("for"), k.get("attr.name")): k for k in root.iter(f"{ns}key")}
    assert all(k.get("attr.type") for k in keys.values())
    assert not [k for k in keys.values() if k.get("id", "").startswith("d")]
    for name in ("label", "type", "x", "y", "size", "r", "g", "b", "community"):
        assert ("node", name) in keys
    for name in ("label", "relation", "weight", "directed", "evidence_count", "first_sentence"):
        assert ("edge", name) in keys
    ids = [element.get("id") for element in root.iter(f"{ns}edge")]
    assert len(ids) == len(set(ids)) == graph.number_of_edges()


def test_export_gephi_community_declared_only_when_computed() -> None:
    graph = seeds_like_graph()
    for data in graph.nodes.values():
        del data["community"]
    assert b"community" not in dumps_graphml(graph)
    assert b"community" not in dumps_gexf(graph)


def test_export_gephi_bytes_are_deterministic() -> None:
    graph = seeds_like_graph()
    shuffled = nx.MultiDiGraph(**graph.graph)
    shuffled.add_nodes_from(reversed(list(graph.nodes(data=True))))
    shuffled.add_edges_from(reversed(list(graph.edges(keys=True, data=True))))
    for dumps in (dumps_graphml, dumps_gexf):
        assert dumps(graph) == dumps(graph) == dumps(shuffled)


def test_export_gephi_positions_computed_when_missing() -> None:
    graph = seeds_like_graph()
    before = dumps_gexf(graph)
    assert all("x" not in data for data in graph.nodes.values())  # the writer does not mutate
    assign_positions(graph)
    assert dumps_gexf(graph) == before  # same seeded layout as the page's


def test_export_gephi_failed_write_keeps_previous_file(tmp_path: Path) -> None:
    path = tmp_path / "graph.gexf"
    write(seeds_like_graph(), "gexf", path)
    previous = path.read_bytes()
    broken = seeds_like_graph()
    broken.nodes["TikTok"]["mentions"] = "beaucoup"
    with pytest.raises(ValueError):
        write(broken, "gexf", path)
    assert path.read_bytes() == previous
    assert [p.name for p in tmp_path.iterdir()] == ["graph.gexf"]


# --- hostile text ---------------------------------------------------------------

TRICKY = [
    "\x00",
    "\x01",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1f",
    "\x7f",
    "\x85",
    "\ud800",
    "\udfff",
    "\ud83d",
    "\ufffe",
    "\uffff",
    "\U0010ffff",
    "\u202e",
    "\u200f",
    "\u2028",
    "\xa0",
    "😀",
    "\u05e9\u05dc\u05d5\u05dd",
    "\u0645\u0631\u062d\u0628\u0627",
    "<",
    ">",
    "&",
    '"',
    "'",
    "]]>",
    "&amp;",
    "<!--",
    "\r\n",
    "\r",
    "\n",
    "\t",
    " ",
    "=",
    "@",
    "é",
    "e\u0301",
]
texts = st.lists(
    st.one_of(st.characters(exclude_categories=()), st.sampled_from(TRICKY)), max_size=10
).map("".join)
names = st.lists(
    st.one_of(st.characters(exclude_categories=()), st.sampled_from(TRICKY)),
    min_size=1,
    max_size=10,
).map("".join)


@st.composite
def hostile_graphs(draw: st.DrawFn) -> nx.MultiDiGraph:
    """Small contract graphs whose names, aliases and evidence hold any code point."""
    ids = draw(st.lists(names, min_size=1, max_size=5, unique=True))
    entities = [
        Entity(
            node,
            draw(st.sampled_from(ENTITY_TYPES)),
            set(draw(st.lists(texts, max_size=3))),
            draw(st.integers(0, 10_000)),
            set(draw(st.lists(texts, max_size=3))),
        )
        for node in ids
    ]
    evidence = st.fixed_dictionaries(
        {
            "doc": texts,
            "sentence": texts,
            "start": st.integers(0, 99),
            "end": st.integers(100, 199),
        },
        optional={"attributed_to": texts, "modality": st.sampled_from(["negated", "hypothetical"])},
    )
    edges = draw(
        st.lists(
            st.builds(
                EdgeRecord,
                st.sampled_from(ids),
                st.sampled_from(ids),
                st.sampled_from((*RELATIONS, "co_occurs")),
                st.integers(0, 50),
                st.lists(evidence, max_size=3),
            ),
            max_size=8,
        )
    )
    graph = build_graph(entities, edges)
    if draw(st.booleans()):
        for node in graph:
            graph.nodes[node]["x"] = draw(st.floats(-1e4, 1e4))
            graph.nodes[node]["y"] = draw(st.floats(-1e4, 1e4))
    return graph


def _expected_nodes(graph: nx.MultiDiGraph) -> dict[str, dict[str, Any]]:
    return {
        xml_text(node): {
            "label": label_text(data["label"], node),
            "type": data["type"],
            "aliases": join_values(data["aliases"]),
        }
        for node, data in graph.nodes(data=True)
    }


def _expected_edges(graph: nx.MultiDiGraph) -> list[tuple[str, ...]]:
    rows = []
    for u, v, data in graph.edges(data=True):
        evidence = data["evidence"]
        rows.append(
            (
                xml_text(u),
                xml_text(v),
                data["relation"],
                xml_text(evidence[0]["sentence"]) if evidence else "",
                join_values(item["doc"] for item in evidence),
                join_values(
                    item["attributed_to"] for item in evidence if item.get("attributed_to")
                ),
            )
        )
    return sorted(rows)


def _read_nodes(back: nx.Graph) -> dict[str, dict[str, Any]]:
    return {
        data["name"]: {key: data.get(key, "") for key in ("label", "type", "aliases")}
        for data in back.nodes.values()
    }


def _read_edges(back: nx.Graph) -> list[tuple[str, ...]]:
    names = {node: data["name"] for node, data in back.nodes(data=True)}
    return sorted(
        (
            names[u],
            names[v],
            data["relation"],
            data.get("first_sentence", ""),
            data.get("documents", ""),
            data.get("attributed_to", ""),
        )
        for u, v, data in back.edges(data=True)
    )


def _distinct_names(graph: nx.MultiDiGraph) -> bool:
    return len({xml_text(node) for node in graph}) == graph.number_of_nodes()


@settings(max_examples=40, deadline=None)
@given(graph=hostile_graphs())
def test_export_gephi_hostile_text_validates_and_round_trips(
    checker: Any, graph: nx.MultiDiGraph
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        graphml, gexf = Path(folder) / "g.graphml", Path(folder) / "g.gexf"
        write(graph, "graphml", graphml)
        write(graph, "gexf", gexf)
        for path in (graphml, gexf):
            passed, line = checker.check(path)
            assert passed, line
        from_graphml = nx.read_graphml(graphml)
        from_gexf = nx.read_gexf(gexf)
        from_igraph = igraph.Graph.Read_GraphML(str(graphml))

    for back in (from_graphml, from_gexf):
        assert back.number_of_nodes() == graph.number_of_nodes()
        assert back.number_of_edges() == graph.number_of_edges()
        assert _read_edges(back) == _expected_edges(graph)
        if _distinct_names(graph):  # names that differ only by forbidden code points merge
            assert _read_nodes(back) == _expected_nodes(graph)
    assert from_igraph.vcount() == graph.number_of_nodes()
    assert from_igraph.ecount() == graph.number_of_edges()
    assert sorted(from_igraph.vs["name"]) == sorted(xml_text(node) for node in graph)
    assert sorted(from_igraph.vs["label"]) == sorted(
        label_text(data["label"], node) for node, data in graph.nodes(data=True)
    )
