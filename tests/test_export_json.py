"""graph.json written a record at a time: the same text as dumping the whole node-link data."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
from hypothesis import given, settings
from test_export_gephi import hostile_graphs

from graphkit.export.nodelink import dumps_json, write_json
from graphkit.graph import build_graph, graph_from_data, graph_to_data


def _whole_dump(graph: nx.MultiDiGraph) -> str:
    """The plain version: all the node-link data first, then its text."""

    def compact(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    data = graph_to_data(graph)
    fields = []
    for key in sorted(data):
        value = data[key]
        if key in ("nodes", "edges") and value:
            text = "[\n" + ",\n".join(compact(item) for item in value) + "\n]"
        else:
            text = compact(value)
        fields.append(f"{compact(key)}: {text}")
    return "{\n" + ",\n".join(fields) + "\n}\n"


@settings(max_examples=60, deadline=None)
@given(graph=hostile_graphs())
def test_json_made_a_record_at_a_time_equals_the_whole_dump(graph: nx.MultiDiGraph) -> None:
    text = dumps_json(graph)
    assert text == _whole_dump(graph)
    assert graph_to_data(graph_from_data(json.loads(text))) == json.loads(text)


def test_json_file_holds_the_same_bytes(tmp_path: Path) -> None:
    graph = build_graph([], [])
    graph.add_node("b", label="B « é »", type="ORG")
    graph.add_node("a", label="A", type="PER")
    graph.add_edge("b", "a", key="owns", relation="owns", evidence=[{"sentence": "B ’possède’ A.\n"}])
    graph.add_edge("a", "b", key="co_occurs", relation="co_occurs")
    write_json(graph, tmp_path / "graph.json")
    written = (tmp_path / "graph.json").read_bytes()
    assert written == _whole_dump(graph).encode("utf-8")
    assert [edge["source"] for edge in json.loads(written)["edges"]] == ["a", "b"]
