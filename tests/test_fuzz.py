"""Fuzzing, bounded in time: odd names, stray bytes, JSON Lines records and evidence through the reader and
the writers. No traceback, valid XML, JSON that loads, and nothing of a good document lost."""

from __future__ import annotations

import json
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from graphkit.documents import read_documents
from graphkit.export import write
from graphkit.graph import EdgeRecord, build_graph, read_graph
from graphkit.model import Entity

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
GOOD = "« Valtera » rachète l’entreprise Norelis à Lyon pour 2 milliards d’euros. "


def read(*inputs: Path) -> tuple[list, list, list]:
    skipped: list[tuple[str, str]] = []
    warned: list[tuple[str, str]] = []
    documents = list(
        read_documents(
            inputs, on_skip=lambda n, r: skipped.append((n, r)), on_warning=lambda n, m: warned.append((n, m))
        )
    )
    return documents, skipped, warned


@FAST
@given(name=st.binary(min_size=1, max_size=30).filter(lambda b: b"/" not in b and b"\0" not in b))
def test_fuzz_any_file_name_is_read_and_named_as_text(tmp_path_factory, name: bytes) -> None:
    folder = tmp_path_factory.mktemp("names")
    file = os.fsencode(folder) + b"/n" + name + b".txt"
    with open(file, "wb") as handle:
        handle.write(GOOD.encode())
    documents, skipped, _warned = read(folder)
    assert skipped == [] and [d.text for d in documents] == [GOOD]
    documents[0].name.encode("utf-8")  # never a surrogate: writable in every format


@FAST
@given(
    cuts=st.lists(st.integers(min_value=0, max_value=len(GOOD.encode()) * 3), max_size=4),
    stray=st.binary(min_size=1, max_size=1).filter(lambda b: b[0] >= 0x80),
)
def test_fuzz_stray_bytes_lose_nothing_else(tmp_path_factory, cuts: list[int], stray: bytes) -> None:
    text = (GOOD * 3).encode()
    points = sorted({min(max(cut, 0), len(text)) for cut in cuts})
    points = [p for p in points if p == len(text) or (text[p] & 0xC0) != 0x80]  # between characters
    data, last = b"", 0
    for point in points:
        data += text[last:point] + stray
        last = point
    data += text[last:]
    folder = tmp_path_factory.mktemp("stray")
    (folder / "a.txt").write_bytes(data)
    documents, skipped, warned = read(folder)
    assert skipped == []
    assert documents[0].text.replace("\ufffd", "") == GOOD * 3
    assert warned == ([("a.txt", f"{len(points)} invalid byte{'s' * (len(points) > 1)} replaced by U+FFFD")]
                      if points else [])  # fmt: skip


@FAST
@given(records=st.lists(st.one_of(st.text(max_size=40), st.dictionaries(st.sampled_from(
    ["text", "title", "url", "id", "date"]), st.one_of(st.text(max_size=30), st.integers(), st.none()))),
    max_size=8))  # fmt: skip
def test_fuzz_json_lines_records_each_read_or_skipped(tmp_path_factory, records: list) -> None:
    folder = tmp_path_factory.mktemp("jsonl")
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    (folder / "a.jsonl").write_text("\n".join(line.replace("\n", " ") for line in lines), encoding="utf-8")
    documents, skipped, _warned = read(folder)
    good = [r for r in records if isinstance(r, dict) and isinstance(r.get("text"), str)
            and r["text"].strip()]  # fmt: skip
    assert len(documents) >= len(good) - sum(1 for reason in skipped if "duplicate" in reason[1])
    for document in documents:
        document.text.encode("utf-8")


TEXT = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=30)


@FAST
@given(names=st.lists(TEXT, min_size=2, max_size=4, unique=True), sentence=st.text(max_size=60), doc=TEXT)
def test_fuzz_writers_give_valid_xml_and_json_that_loads(tmp_path_factory, names, sentence, doc) -> None:
    entities = [Entity(name, "ORG", {name}, 1, {doc}) for name in names]
    evidence = [{"doc": doc, "sentence": sentence, "start": 0, "end": len(sentence), "url": sentence}]
    edges = [EdgeRecord(names[0], names[1], "co_occurs", 1, evidence)]
    graph = build_graph(entities, edges, documents=1)
    out = tmp_path_factory.mktemp("out")
    for fmt in ("json", "graphml", "gexf", "csv"):
        write(graph, fmt, out / ("graph.csv" if fmt == "csv" else f"graph.{fmt}"))
    for fmt in ("graphml", "gexf"):
        etree.parse(str(out / f"graph.{fmt}"))
    again = read_graph(out / "graph.json")
    assert sorted(again.nodes) == sorted(names)
    (edge,) = again.edges(data=True)
    assert edge[2]["evidence"][0]["sentence"] == sentence
