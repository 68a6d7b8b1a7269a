"""The review file and its replay, on small hand-made graphs."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graphkit.errors import ReviewError
from graphkit.graph import EdgeRecord, build_graph, graph_to_data
from graphkit.model import Entity
from graphkit.review import Review, apply_review, dumps_review, load_review, sort_key


def ev(doc: str, start: int, sentence: str = "Une phrase.", **extra: Any) -> dict[str, Any]:
    return {"doc": doc, "sentence": sentence, "start": start, "end": start + len(sentence), **extra}


def entity(name: str, per_doc: dict[str, int], alias_docs: dict[str, set[str]] | None = None) -> Entity:
    alias_docs = alias_docs or {name: set(per_doc)}
    return Entity(
        name,
        "ORG",
        aliases=set(alias_docs),
        mentions=sum(per_doc.values()),
        docs=set(per_doc),
        doc_mentions=per_doc,
        alias_docs=alias_docs,
    )


@pytest.fixture
def graph() -> nx.MultiDiGraph:
    """X owns B (d1) and C (d2); B and C are partners (d2); X is named in d1 (twice) and d2."""
    entities = [
        entity("X", {"d1": 2, "d2": 1}, {"X": {"d1", "d2"}, "X Group": {"d2"}}),
        entity("B", {"d1": 1, "d2": 1}),
        entity("C", {"d2": 3}, {"C": {"d2"}, "Cé SA": {"d2"}}),
        entity("Reuters", {"d1": 1}),
    ]
    edges = [
        EdgeRecord("X", "B", "owns", 2, [ev("d1", 0), ev("d1", 40, attributed_to="Reuters")]),
        EdgeRecord("X", "C", "owns", 1, [ev("d2", 5)]),
        EdgeRecord("C", "B", "partner_of", 1, [ev("d2", 90)]),
    ]
    return build_graph(entities, edges, documents=2)


def test_merge_moves_evidence_aliases_and_counts_and_combines_parallel_edges(graph):
    merge = {"action": "merge", "entities": ["c"], "into": "B", "reason": "même société"}
    reviewed, report = apply_review(graph, [merge])
    assert "C" not in reviewed and len(report.applied) == 1
    node = reviewed.nodes["B"]
    assert node["mentions"] == 5 and node["docs"] == ["d1", "d2"]
    assert node["aliases"] == ["B", "C", "Cé SA"]
    assert node["doc_mentions"] == {"d1": 1, "d2": 4}
    assert {"form": "C", "reason": "review: merged: même société"} in node["merges"]
    assert node["review"] == ["merged"]
    owns = reviewed.edges["X", "B", "owns"]
    assert owns["weight"] == 3
    assert [(item["doc"], item["start"]) for item in owns["evidence"]] == [("d1", 0), ("d1", 40), ("d2", 5)]
    # the partner_of edge joined its two ends: left out, and in the report with its sentence
    assert not reviewed.has_edge("B", "C") and not reviewed.has_edge("B", "B")
    (removed,) = report.removed_edges
    assert removed["edge"]["key"] == "partner_of" and removed["edge"]["evidence"][0]["start"] == 90


def test_merge_into_a_new_name_keeps_the_most_mentioned_entity_s_type_and_renames_attributions(graph):
    reviewed, report = apply_review(graph, [{"action": "merge", "entities": ["Reuters", "X"], "into": "XR"}])
    assert len(report.applied) == 1 and {"X", "Reuters"}.isdisjoint(reviewed)
    assert reviewed.nodes["XR"]["mentions"] == 4 and reviewed.nodes["XR"]["label"] == "XR"
    attributed = [item.get("attributed_to") for item in reviewed.edges["XR", "B", "owns"]["evidence"]]
    assert attributed == [None, "XR"]


def test_split_by_document_shares_evidence_mentions_and_aliases(graph):
    reviewed, report = apply_review(graph, [{"action": "split", "entity": "X", "by": "document"}])
    assert len(report.applied) == 1 and "X" not in reviewed
    first, second = reviewed.nodes["X (d1)"], reviewed.nodes["X (d2)"]
    assert (first["mentions"], first["docs"], first["aliases"]) == (2, ["d1"], ["X"])
    assert (second["mentions"], second["docs"], second["aliases"]) == (1, ["d2"], ["X", "X Group"])
    assert first["review"] == ["split"]
    assert {"form": "X", "reason": "review: split by document"} in first["merges"]
    assert reviewed.edges["X (d1)", "B", "owns"]["weight"] == 2
    assert reviewed.edges["X (d2)", "C", "owns"]["evidence"] == [ev("d2", 5)]
    assert not reviewed.has_edge("X (d1)", "C") and not reviewed.has_edge("X (d2)", "B")


def test_split_shares_the_weight_beyond_the_kept_evidence_in_proportion():
    entities = [entity("X", {"d1": 1, "d2": 1}), entity("Y", {"d1": 1, "d2": 1})]
    kept = [ev("d1", 0), ev("d1", 20), ev("d2", 0)]  # the weight counts 5 sentences, 3 were kept
    graph = build_graph(entities, [EdgeRecord("X", "Y", "owns", 5, kept)])
    reviewed, _report = apply_review(graph, [{"action": "split", "entity": "X", "by": "document"}])
    weights = {u: w for u, _v, w in reviewed.edges(data="weight")}
    assert weights == {"X (d1)": 3, "X (d2)": 2}


def test_split_by_alias_gives_each_document_to_the_alias_written_in_it():
    total = entity("Total", {"d1": 2, "d2": 1, "d3": 1}, {"Total": {"d1", "d3"}, "TotalEnergies": {"d2"}})
    graph = build_graph(
        [total, entity("Y", {"d1": 1, "d2": 1})],
        [EdgeRecord("Total", "Y", "owns", 2, [ev("d1", 0), ev("d2", 0)])],
    )
    reviewed, report = apply_review(graph, [{"action": "split", "entity": "Total", "by": "alias"}])
    assert len(report.applied) == 1
    assert reviewed.nodes["Total"]["docs"] == ["d1", "d3"] and reviewed.nodes["Total"]["mentions"] == 3
    assert (
        reviewed.nodes["TotalEnergies"]["docs"] == ["d2"] and reviewed.nodes["TotalEnergies"]["mentions"] == 1
    )
    assert reviewed.edges["TotalEnergies", "Y", "owns"]["evidence"] == [ev("d2", 0)]


def test_split_of_an_entity_of_one_document_is_stale(graph):
    _reviewed, report = apply_review(graph, [{"action": "split", "entity": "Reuters", "by": "document"}])
    assert len(report.applied) == 0
    assert report.stale_lines() == [
        "stale: split Reuters by document: 'Reuters' is named in one document only"
    ]


def test_rename_keeps_the_old_name_as_an_alias_so_later_decisions_still_find_it(graph):
    rename = {"action": "rename", "entity": "Reuters", "name": "Agence Reuters"}
    confirm = {"action": "confirm", "entity": "reuters"}
    reviewed, report = apply_review(graph, [confirm, rename])
    assert len(report.applied) == 2 and "Reuters" not in reviewed
    assert reviewed.nodes["Agence Reuters"]["review"] == ["confirmed", "renamed"]
    attributed = [item.get("attributed_to") for item in reviewed.edges["X", "B", "owns"]["evidence"]]
    assert attributed == [None, "Agence Reuters"]


def test_names_follow_every_change_of_the_replay(graph):
    records = [
        {"action": "rename", "entity": "x", "name": "Xavier"},
        {"action": "merge", "entities": ["b"], "into": "xavier"},
        {"action": "retype", "entity": "x group", "type": "PER"},
        {"action": "delete", "entity": "b"},
    ]
    reviewed, report = apply_review(graph, records)
    # « b » is now an alias of Xavier: deleting it deletes Xavier, as it was after the other decisions
    assert "Xavier" not in reviewed and "B" not in reviewed and len(report.applied) == 4
    (deleted,) = report.removed_entities
    assert deleted["entity"]["id"] == "Xavier" and deleted["entity"]["review"] == [
        "merged",
        "renamed",
        "retyped",
    ]
    assert {"B", "X", "X Group"} <= set(deleted["entity"]["aliases"])


def test_retype_and_delete(graph):
    retype = {"action": "retype", "entity": "Reuters", "type": "MISC"}
    reviewed, report = apply_review(graph, [{"action": "delete", "entity": "B", "reason": "junk"}, retype])
    assert reviewed.nodes["Reuters"]["type"] == "MISC" and reviewed.nodes["Reuters"]["review"] == ["retyped"]
    assert "B" not in reviewed
    (deleted,) = report.removed_entities
    assert deleted["entity"]["id"] == "B" and deleted["decision"]["reason"] == "junk"
    assert {(r["edge"]["source"], r["edge"]["key"]) for r in report.removed_edges} == {
        ("X", "owns"),
        ("B", "partner_of"),
    }
    assert all(r["edge"]["evidence"] for r in report.removed_edges)


def test_reject_a_whole_edge_or_one_sentence(graph):
    one = {"action": "reject", "source": "X", "label": "owns", "target": "B", "doc": "d1", "start": 40}
    reviewed, report = apply_review(graph, [one])
    edge = reviewed.edges["X", "B", "owns"]
    assert edge["weight"] == 1 and [item["start"] for item in edge["evidence"]] == [0]
    assert report.removed_edges[0]["edge"]["evidence"][0]["start"] == 40
    # a symmetric edge named the other way round
    whole = {"action": "reject", "source": "B", "label": "partner_of", "target": "C"}
    reviewed, report = apply_review(graph, [whole])
    assert not reviewed.has_edge("B", "C") and len(report.applied) == 1


def test_relabel_onto_an_existing_label_combines_the_edges(graph):
    graph.add_edge("X", "B", key="invests_in", relation="invests_in", weight=1, evidence=[ev("d1", 70)])
    relabel = {"action": "relabel", "source": "X", "label": "owns", "target": "B", "new_label": "invests_in"}
    reviewed, _report = apply_review(graph, [relabel])
    assert not reviewed.has_edge("X", "B", "owns")
    edge = reviewed.edges["X", "B", "invests_in"]
    assert edge["weight"] == 3 and edge["review"] == ["relabelled"] and edge["relation"] == "invests_in"


def test_add_cites_the_sentence_and_confirm_marks(graph):
    add = {
        "action": "add",
        "source": "Reuters",
        "label": "targets",
        "target": "C",
        "doc": "d3",
        "start": 3,
        "end": 14,
        "sentence": "Une phrase.",
    }
    confirm = {"action": "confirm", "source": "X", "label": "owns", "target": "C"}
    reviewed, report = apply_review(graph, [add, confirm])
    edge = reviewed.edges["Reuters", "C", "targets"]
    assert edge["weight"] == 1 and edge["review"] == ["added"]
    assert edge["evidence"] == [{**ev("d3", 3), "rule": "review"}]
    assert reviewed.edges["X", "C", "owns"]["review"] == ["confirmed"]


def test_stale_decisions_are_reported_never_raised(graph):
    stale = [
        {"action": "delete", "entity": "Nobody"},
        {"action": "confirm", "source": "X", "label": "owns", "target": "Reuters"},
        {"action": "reject", "source": "X", "label": "owns", "target": "B", "doc": "d9"},
        {"action": "merge", "entities": ["Nobody"], "into": "B"},
    ]
    reviewed, report = apply_review(graph, stale)
    assert len(report.applied) == 0 and len(report.stale) == 4
    assert reviewed.graph["review_decisions"] == sorted(stale, key=sort_key)
    assert graph_to_data(reviewed)["nodes"] == graph_to_data(graph)["nodes"]
    assert graph_to_data(reviewed)["edges"] == graph_to_data(graph)["edges"]
    assert "stale: delete Nobody: no entity named 'Nobody'" in report.stale_lines()
    assert report.to_data()["stale"][0]["why"]


def test_an_ambiguous_name_is_stale(graph):
    graph.nodes["B"]["aliases"] = ["B", "Groupe"]
    graph.nodes["C"]["aliases"] = ["C", "Groupe"]
    _reviewed, report = apply_review(graph, [{"action": "confirm", "entity": "groupe"}])
    assert report.stale[0][1] == "'groupe' names several entities: B, C"


def test_replay_leaves_the_graph_given_alone_and_ignores_the_order_of_decisions(graph):
    records = [
        {"action": "merge", "entities": ["C"], "into": "B"},
        {"action": "split", "entity": "X", "by": "document"},
        {"action": "rename", "entity": "Reuters", "name": "R"},
        {"action": "reject", "source": "X", "label": "owns", "target": "B", "doc": "d1", "start": 0},
        {"action": "confirm", "entity": "B"},
    ]
    before = copy.deepcopy(graph_to_data(graph))
    first, _ = apply_review(graph, records)
    assert graph_to_data(graph) == before
    shuffled = records[:]
    random.Random(3).shuffle(shuffled)
    second, _ = apply_review(graph, shuffled)
    assert json.dumps(graph_to_data(first), sort_keys=True) == json.dumps(
        graph_to_data(second), sort_keys=True
    )
    assert list(first.nodes) == sorted(first.nodes)


# -- the file -------------------------------------------------------------------------------


def recorded(order: list[int]) -> Review:
    review = Review()
    steps = [
        lambda r: r.delete("Le Monde", reason="« dans le monde »", at="2026-12-06"),
        lambda r: r.reject("A", "owns", "B", at="2026-12-06"),
        lambda r: r.merge("B", "C", into="A", by="M. Dupont", at="2026-12-06"),
        lambda r: r.confirm("A", "owns", "B", at="2026-12-06"),
        lambda r: r.split("X", by="alias", at="2026-12-06"),
    ]
    for index in order:
        steps[index](review)
    return review


def test_review_file_is_sorted_one_decision_a_line_whatever_the_recording_order(tmp_path):
    first, second = recorded([0, 1, 2, 3, 4]), recorded([4, 2, 0, 3, 1])
    assert first.dumps() == second.dumps()
    lines = first.dumps().splitlines()
    assert lines[0] == "{" and lines[-1] == "}" and lines[-2] == '  "graphkit_review": 1'
    actions = [json.loads(line.strip().rstrip(","))["action"] for line in lines[2:-3]]
    assert actions == ["merge", "split", "delete", "reject", "confirm"]
    path = first.save(tmp_path / "review.json")
    assert load_review(path).dumps() == path.read_text(encoding="utf-8")


def test_recording_again_on_the_same_target_replaces_the_earlier_decision():
    review = Review()
    review.rename("X", "Y", at="2026-12-01")
    review.rename("x2", "Z", at="2026-12-01")
    review.rename("X", "W", at="2026-12-06")
    assert [(d["entity"], d["name"]) for d in review] == [("X", "W"), ("x2", "Z")]


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        ({"action": "erase", "entity": "X"}, "unknown action 'erase'"),
        ({"action": "delete"}, "delete needs 'entity'"),
        ({"action": "delete", "entity": "X", "colour": "red"}, "unknown field 'colour' for delete"),
        ({"action": "retype", "entity": "X", "type": "org"}, "unknown type 'org'"),
        ({"action": "split", "entity": "X", "by": "sentence"}, "a split is by document or alias"),
        (
            {"action": "reject", "source": "A", "label": "co_owns", "target": "B"},
            "unknown relation 'co_owns'",
        ),
        (
            {"action": "reject", "source": "A", "label": "owns", "target": "B", "start": 3},
            "'start' with its 'doc'",
        ),
        ({"action": "confirm", "entity": "X", "source": "A"}, "confirm names an entity"),
        ({"action": "merge", "entities": [], "into": "A"}, "'entities' must be a list of names"),
        ({"action": "rename", "entity": "X", "name": " "}, "'name' must be a non-empty string"),
    ],
)
def test_an_invalid_decision_names_the_file_and_the_record(tmp_path, record, problem):
    path = tmp_path / "review.json"
    good = {"action": "delete", "entity": "Y"}
    path.write_text(json.dumps({"graphkit_review": 1, "decisions": [good, record]}), encoding="utf-8")
    with pytest.raises(ReviewError) as raised:
        load_review(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: decision 2: ") and problem in message and "\n" not in message


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"graphkit_review": 2, "decisions": []}', "version 2, expected 1"),
        ('{"decisions": {}}', "not a review file"),
        ("{", "cannot read review file"),
    ],
)
def test_a_file_that_is_not_a_review(tmp_path, text, problem):
    path = tmp_path / "review.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReviewError, match=problem):
        load_review(path)


def test_a_file_as_the_page_downloads_it_loads_sorted_the_later_decision_winning(tmp_path):
    built = [{"action": "confirm", "entity": "X", "at": "2026-12-01"}, {"action": "delete", "entity": "Y"}]
    made = [
        {"action": "reject", "source": "A", "label": "owns", "target": "B", "doc": "a.txt", "start": 0},
        {"action": "confirm", "entity": "X", "at": "2026-12-06"},
    ]
    path = tmp_path / "review.json"
    path.write_text(json.dumps({"graphkit_review": 1, "decisions": built + made}), encoding="utf-8")
    review = load_review(path)
    assert [d["action"] for d in review] == ["delete", "reject", "confirm"]
    assert review.decisions[-1]["at"] == "2026-12-06"


def test_missing_review_file(tmp_path: Path):
    with pytest.raises(ReviewError, match="review file not found"):
        load_review(tmp_path / "review.json")
    assert len(load_review(tmp_path / "review.json", missing_ok=True)) == 0
    assert dumps_review([]) == '{\n  "decisions": [],\n  "graphkit_review": 1\n}\n'


def test_merge_and_split_make_first_and_last_seen_again_from_their_documents():
    """d1 is from AFP in March, d2 from Le Monde in May: a merge spans both, each part of a split its own."""
    d1 = {"date": "2024-03-01", "outlet": "AFP"}
    d2 = {"date": "2024-05-10", "outlet": "Le Monde"}
    x, b, c = entity("X", {"d1": 1, "d2": 1}), entity("B", {"d1": 1}), entity("C", {"d2": 1})
    for item, dated in ((x, [d1, d2]), (b, [d1]), (c, [d2])):
        item.dates = {d["date"] for d in dated}
        item.outlets = {d["outlet"] for d in dated}
    edges = [
        EdgeRecord("X", "B", "owns", 1, [ev("d1", 0, **d1)], {"2024-03-01"}, {"AFP"}),
        EdgeRecord("X", "C", "owns", 1, [ev("d2", 0, **d2)], {"2024-05-10"}, {"Le Monde"}),
    ]
    dated_graph = build_graph([x, b, c], edges, documents=2)
    assert dated_graph.nodes["B"]["first_seen"] == "2024-03-01"

    merged, _ = apply_review(dated_graph, [{"action": "merge", "entities": ["C"], "into": "B"}])
    node = merged.nodes["B"]
    assert (node["first_seen"], node["last_seen"], node["outlets"]) == ("2024-03-01", "2024-05-10", 2)
    owns = merged.edges["X", "B", "owns"]
    assert (owns["first_seen"], owns["last_seen"], owns["outlets"]) == ("2024-03-01", "2024-05-10", 2)

    split, _ = apply_review(dated_graph, [{"action": "split", "entity": "X", "by": "document"}])
    assert split.nodes["X (d1)"]["last_seen"] == "2024-03-01"
    assert split.nodes["X (d2)"]["first_seen"] == "2024-05-10"
    assert split.nodes["X (d2)"]["outlets"] == 1
