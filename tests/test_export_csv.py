"""CSV export: two UTF-8 tables with a BOM, safe in spreadsheets, read back by the csv module."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphkit.export import output_paths, write
from graphkit.export.flatten import join_values, label_text, xml_text
from graphkit.export.style import RELATIONS, node_color
from graphkit.export.table import spreadsheet_text
from graphkit.graph import EdgeRecord, build_graph
from graphkit.model import ENTITY_TYPES, Entity

BOM = b"\xef\xbb\xbf"
NODE_HEADER = ["id", "label", "type", "mentions", "docs", "aliases", "x", "y", "size", "color"]
EDGE_HEADER = [
    "source",
    "target",
    "relation",
    "type",
    "kind",
    "weight",
    "asserted",
    "modality",
    "attributed_to",
    "evidence_count",
    "first_sentence",
    "documents",
    "color",
]


def _evidence(doc: str, sentence: str, **extra: str) -> dict[str, Any]:
    return {"doc": doc, "sentence": sentence, "start": 0, "end": len(sentence), **extra}


def injection_graph() -> nx.MultiDiGraph:
    """Names, aliases and sentences that a spreadsheet would run as formulas."""
    entities = [
        Entity("TikTok", "ORG", {"TikTok"}, 3, {"a.txt"}),
        Entity('=HYPERLINK("http://evil";"clic")', "MISC", {"+33 1 23", "@SUM(A1)"}, 1, {"a.txt"}),
        Entity("-Société", "ORG", {"\tTab"}, 1, {"a.txt"}),
        Entity("Île-de-France", "LOC", {"IDF"}, 2, {"a.txt", "b.txt"}),
    ]
    edges = [
        EdgeRecord(
            "TikTok",
            "Île-de-France",
            "operates_in",
            1,
            [
                _evidence(
                    "a.txt", "=1+1 TikTok en Île-de-France, « dit-il ».", attributed_to="@Reuters"
                )
            ],
        ),
        EdgeRecord("TikTok", "-Société", "owns", 2, [_evidence("b.txt", 'TikTok\r\npossède ;"x"')]),
        EdgeRecord(
            "-Société",
            "TikTok",
            "partner_of",
            1,
            [_evidence("b.txt", "pas partenaires", modality="negated")],
        ),
        EdgeRecord("TikTok", "-Société", "co_occurs", 4, [_evidence("a.txt", "-")]),
    ]
    graph = build_graph(entities, edges, documents=2)
    for index, node in enumerate(sorted(graph)):
        graph.nodes[node].update(x=-10.5 * index, y=3.25 * index)
    return graph


def write_tables(graph: nx.MultiDiGraph, folder: Path) -> tuple[Path, Path]:
    write(graph, "csv", folder / "graph.csv")
    nodes_path, edges_path = output_paths(folder / "graph", "csv")
    return nodes_path, edges_path


def read_table(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_table_writes_nodes_and_edges_files_with_bom(tmp_path: Path) -> None:
    nodes_path, edges_path = write_tables(injection_graph(), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.edges.csv", "graph.nodes.csv"]
    for path in (nodes_path, edges_path):
        data = path.read_bytes()
        assert data.startswith(BOM)
        assert not data[3:].startswith(BOM)
        data[3:].decode("utf-8")  # strict UTF-8


def test_table_stem_without_suffix(tmp_path: Path) -> None:
    write(injection_graph(), "csv", tmp_path / "graphe")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graphe.edges.csv", "graphe.nodes.csv"]


def test_table_rows_read_back(tmp_path: Path) -> None:
    graph = injection_graph()
    nodes_path, edges_path = write_tables(graph, tmp_path)
    nodes, edges = read_table(nodes_path), read_table(edges_path)
    assert nodes[0] == NODE_HEADER
    assert edges[0] == EDGE_HEADER
    assert len(nodes) - 1 == graph.number_of_nodes()
    assert len(edges) - 1 == graph.number_of_edges()

    by_id = {row[0]: dict(zip(NODE_HEADER, row, strict=True)) for row in nodes[1:]}
    idf = by_id["Île-de-France"]
    assert idf["type"] == "LOC" and idf["mentions"] == "2" and idf["docs"] == "2"
    assert idf["color"] == node_color("LOC")
    assert float(idf["x"]) == graph.nodes["Île-de-France"]["x"]

    rows = [dict(zip(EDGE_HEADER, row, strict=True)) for row in edges[1:]]
    pair = {"TikTok", "'-Société"}
    between = sorted(
        (r["relation"], r["type"], r["kind"]) for r in rows if {r["source"], r["target"]} == pair
    )
    assert between == [
        ("co_occurs", "undirected", "co_occurs"),
        ("owns", "directed", "owns"),
        ("partner_of", "undirected", "partner_of"),
    ]
    owns = next(r for r in rows if r["relation"] == "owns")
    assert owns["first_sentence"] == 'TikTok\npossède ;"x"'
    assert owns["weight"] == "2" and owns["evidence_count"] == "1" and owns["asserted"] == "true"
    partner = next(r for r in rows if r["relation"] == "partner_of")
    assert (partner["modality"], partner["asserted"]) == ("negated", "false")


def test_table_formula_injection_neutralised(tmp_path: Path) -> None:
    nodes_path, edges_path = write_tables(injection_graph(), tmp_path)
    cells = [cell for path in (nodes_path, edges_path) for row in read_table(path) for cell in row]
    risky = [cell for cell in cells if cell[:1] in ("=", "+", "@", "\t", "\r")]
    assert risky == []
    # "-" starts only numbers (negative positions), never text
    for cell in cells:
        if cell.startswith("-"):
            float(cell)
    assert '\'=HYPERLINK("http://evil";"clic")' in cells
    assert "'@SUM(A1); +33 1 23" not in cells  # aliases are joined first, then neutralised
    assert "'+33 1 23; @SUM(A1)" in cells
    assert "'-Société" in cells and "'\tTab" in cells and "'@Reuters" in cells
    assert "'=1+1 TikTok en Île-de-France, « dit-il »." in cells
    assert "'-" in cells


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=1", "a=1"),
        ("", ""),
        (-1.5, "-1.5"),
        (-3, "-3"),
        (False, "false"),
    ],
)
def test_table_spreadsheet_text(value: Any, cell: str) -> None:
    assert spreadsheet_text(value) == cell


def test_table_bytes_are_deterministic(tmp_path: Path) -> None:
    graph = injection_graph()
    shuffled = nx.MultiDiGraph(**graph.graph)
    shuffled.add_nodes_from(reversed(list(graph.nodes(data=True))))
    shuffled.add_edges_from(reversed(list(graph.edges(keys=True, data=True))))
    outputs = []
    for index, source in enumerate((graph, graph, shuffled)):
        folder = tmp_path / str(index)
        folder.mkdir()
        outputs.append([path.read_bytes() for path in write_tables(source, folder)])
    assert outputs[0] == outputs[1] == outputs[2]


def test_table_community_column_only_when_computed(tmp_path: Path) -> None:
    graph = injection_graph()
    nodes_path, _ = write_tables(graph, tmp_path)
    assert "community" not in read_table(nodes_path)[0]
    for index, node in enumerate(sorted(graph)):
        graph.nodes[node]["community"] = index % 2
    nodes_path, _ = write_tables(graph, tmp_path)
    header, *rows = read_table(nodes_path)
    assert header[header.index("aliases") + 1] == "community"
    assert sorted(row[header.index("community")] for row in rows) == ["0", "0", "1", "1"]


# --- hostile text ---------------------------------------------------------------

TRICKY = [
    "\x00",
    "\x1f",
    "\ud800",
    "\udfff",
    "\uffff",
    "\u202e",
    "😀",
    "<",
    "&",
    '"',
    "'",
    ",",
    ";",
    "\r\n",
    "\r",
    "\n",
    "\t",
    "=",
    "+",
    "-",
    "@",
    " ",
    "é",
]
texts = st.lists(
    st.one_of(st.characters(exclude_categories=()), st.sampled_from(TRICKY)), max_size=8
).map("".join)


@st.composite
def hostile_graphs(draw: st.DrawFn) -> nx.MultiDiGraph:
    ids = draw(st.lists(texts, min_size=1, max_size=4, unique_by=xml_text))
    entities = [
        Entity(
            node,
            draw(st.sampled_from(ENTITY_TYPES)),
            set(draw(st.lists(texts, max_size=2))),
            draw(st.integers(0, 100)),
            set(draw(st.lists(texts, max_size=2))),
        )
        for node in ids
    ]
    evidence = st.fixed_dictionaries(
        {"doc": texts, "sentence": texts, "start": st.just(0), "end": st.just(1)},
        optional={"attributed_to": texts},
    )
    edges = draw(
        st.lists(
            st.builds(
                EdgeRecord,
                st.sampled_from(ids),
                st.sampled_from(ids),
                st.sampled_from((*RELATIONS, "co_occurs")),
                st.integers(0, 9),
                st.lists(evidence, max_size=2),
            ),
            max_size=6,
        )
    )
    graph = build_graph(entities, edges)
    for node in graph:
        graph.nodes[node].update(x=0.0, y=0.0)
    return graph


@settings(max_examples=40, deadline=None)
@given(graph=hostile_graphs())
def test_table_hostile_text_round_trips(graph: nx.MultiDiGraph) -> None:
    with tempfile.TemporaryDirectory() as folder:
        nodes_path, edges_path = write_tables(graph, Path(folder))
        raw = nodes_path.read_bytes() + edges_path.read_bytes()
        nodes, edges = read_table(nodes_path), read_table(edges_path)
    raw.decode("utf-8")
    expected_nodes = sorted(
        [
            spreadsheet_text(xml_text(node)),
            spreadsheet_text(label_text(data["label"], node)),
            spreadsheet_text(join_values(data["aliases"])),
        ]
        for node, data in graph.nodes(data=True)
    )
    assert sorted([row[0], row[1], row[5]] for row in nodes[1:]) == expected_nodes
    expected_edges = sorted(
        [
            spreadsheet_text(xml_text(u)),
            spreadsheet_text(xml_text(v)),
            key,
            spreadsheet_text(xml_text(data["evidence"][0]["sentence"]) if data["evidence"] else ""),
            spreadsheet_text(join_values(item["doc"] for item in data["evidence"])),
        ]
        for u, v, key, data in graph.edges(keys=True, data=True)
    )
    assert sorted([row[0], row[1], row[2], row[10], row[11]] for row in edges[1:]) == expected_edges
