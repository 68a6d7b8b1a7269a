"""Time: dates and outlets from every source, first_seen/last_seen, the dynamic GEXF, the time API."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from corpus_utils import TEST_MODEL, ignore

from graphkit.aliases import load_aliases
from graphkit.dates import parse_date
from graphkit.documents import read_documents
from graphkit.errors import DateWarning, InputError
from graphkit.explore import Graph
from graphkit.export import write
from graphkit.graph import build_graph, read_graph
from graphkit.merge import Accumulator
from graphkit.model import DocResult, Mention, Sentence
from graphkit.pipeline import BuildOptions, build

FRONT = "---\ndate: 11 octobre 2024\ntitle: « Valtera rachète Norelis »\noutlet: Les Échos\nurl: https://example.com/a\n---\n"
BODY = "Valtera rachète Norelis\n\nLe groupe Valtera a annoncé le rachat de Norelis à Lyon.\n"
HTML = """<html><head><title>Telvia et Hexalis</title>
<meta property="og:site_name" content="La Tribune">
<meta property="article:published_time" content="2024-11-04T08:00:00+02:00">
</head><body><article><h1>Telvia et Hexalis s'allient</h1>
<p>Telvia et Hexalis ont signé un partenariat pour développer des batteries à Grenoble, a indiqué
Marc Lefèvre, président de Telvia, lors d'une conférence de presse.</p>
<p>Hexalis investira trois cents millions d'euros en Espagne dans les deux prochaines années.</p>
</article></body></html>"""


def _documents(folder: Path, **files: str) -> dict[str, Any]:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return {doc.name: doc for doc in read_documents([folder], on_skip=ignore)}


# -- parsing --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2024-10-11", "2024-10-11"),
        ("2024-10-11T23:59:00Z", "2024-10-11"),
        ("11.10.2024", "2024-10-11"),
        ("11 Octobre 2024", "2024-10-11"),
        ("lundi 2 déc. 2024", "2024-12-02"),
        ("1er août 2024", "2024-08-01"),
        ("Dec 2, 2024", "2024-12-02"),
        ("December 2024", "2024-12"),
        ("2024", "2024"),
        ("le 2 décembre", None),
        ("30 février 2024", None),
        ("", None),
    ],
)
def test_parse_date_formats(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


# -- sources --------------------------------------------------------------------------------------


def test_front_matter_gives_meta_and_keeps_offsets(tmp_path: Path) -> None:
    docs = _documents(tmp_path, **{"a.md": FRONT + BODY})
    doc = docs["a.md"]
    assert doc.meta_dict == {
        "date": "2024-10-11",
        "title": "« Valtera rachète Norelis »",
        "outlet": "Les Échos",
        "url": "https://example.com/a",
    }
    file_text = (tmp_path / "a.md").read_text(encoding="utf-8")
    assert len(doc.text) == len(file_text) and "Les Échos" not in doc.text and "---" not in doc.text
    start = file_text.index("Le groupe")
    assert doc.text[start:] == file_text[start:]


def test_jsonl_date_and_source(tmp_path: Path) -> None:
    lines = [
        {"id": 1, "text": "Valtera rachète Norelis.", "date": "2024-10-11T08:00:00+02:00", "source": "AFP"},
        {"id": 2, "text": "Telvia et Hexalis.", "date": "11/10/2024", "outlet": "Reuters", "source": "x"},
    ]
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n"
    docs = _documents(tmp_path, **{"d.jsonl": text})
    assert docs["d.jsonl#1"].meta_dict == {"date": "2024-10-11", "outlet": "AFP"}
    assert docs["d.jsonl#2"].meta_dict == {"date": "2024-10-11", "outlet": "Reuters"}


def test_html_date_and_site_name(tmp_path: Path) -> None:
    docs = _documents(tmp_path, **{"p.html": HTML})
    meta = docs["p.html"].meta_dict
    assert (meta["date"], meta["outlet"]) == ("2024-11-04", "La Tribune")


def test_dateline_outlet_and_year_from_metadata(tmp_path: Path) -> None:
    line = "PARIS, 11 octobre (Reuters) - Valtera rachète Norelis à Lyon.\n"
    docs = _documents(
        tmp_path,
        **{
            "year.txt": "---\ndate: 2024\n---\nValtera et Norelis\n\n" + line,
            "bare.txt": "Valtera et Norelis\n\n" + line,
            "full.txt": "LYON, 3 mars 2024 (AFP) — Telvia et Hexalis s'allient.\n",
            "wins.txt": "---\ndate: 2024-10-12\noutlet: Le Monde\n---\n" + line,
        },
    )
    assert docs["year.txt"].meta_dict == {"date": "2024-10-11", "outlet": "Reuters"}
    assert docs["bare.txt"].meta_dict == {"outlet": "Reuters"}  # no year anywhere: no date
    assert docs["full.txt"].meta_dict == {"date": "2024-03-03", "outlet": "AFP"}
    assert docs["wins.txt"].meta_dict == {"date": "2024-10-12", "outlet": "Le Monde"}


def test_bad_date_is_a_warning_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("---\ndate: hier soir\ntitle: T\n---\n" + BODY, encoding="utf-8")
    warned: list[tuple[str, str]] = []
    [doc] = read_documents([tmp_path], on_warning=lambda name, message: warned.append((name, message)))
    assert warned == [("b.txt", "date not understood, left out: hier soir")]
    assert doc.meta_dict == {"title": "T"}
    with pytest.warns(UserWarning, match=r"^b\.txt: date not understood, left out: hier soir$"):
        list(read_documents([tmp_path]))


def test_bad_dates_are_grouped_past_twenty(tmp_path: Path, runner) -> None:
    from graphkit.cli import cli

    lines = [json.dumps({"id": n, "text": "Valtera et Norelis.", "date": f"jour {n}"}) for n in range(23)]
    (tmp_path / "d.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["build", str(tmp_path / "d.jsonl"), "-o", str(tmp_path / "out"), "-f", "json", "--no-cache"]
    done = runner.invoke(cli, [*args, "--model", TEST_MODEL, "-q"])
    assert done.exit_code == 0, done.output
    warnings = [line for line in done.output.splitlines() if line.startswith("Warning:")]
    assert warnings[0] == "Warning: d.jsonl#0: date not understood, left out: jour 0"
    assert warnings[20:] == ["Warning: and 3 more documents with a date not understood"]


def test_dates_file_overrides_and_completes(tmp_path: Path, runner) -> None:
    from graphkit.cli import cli

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(BODY, encoding="utf-8")
    (corpus / "b.txt").write_text(
        "Telvia et Hexalis ont signé un partenariat à Grenoble.\n", encoding="utf-8"
    )
    dates = tmp_path / "dates.csv"
    dates.write_text("file,date,outlet\na.txt,12 octobre 2024,AFP\nb.txt,bientôt,Reuters\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ["build", str(corpus), "-o", str(out), "-f", "json", "--no-cache", "--model", TEST_MODEL]
    done = runner.invoke(cli, [*args, "--dates", str(dates), "-q"], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    assert f"Warning: {dates}, line 3: date not understood, left out: bientôt" in done.output
    graph = read_graph(out / "graph.json")
    when = {
        item["doc"]: (item.get("date"), item.get("outlet"))
        for *_e, ev in graph.edges(data="evidence")
        for item in ev
    }
    assert when["a.txt"] == ("2024-10-12", "AFP") and when["b.txt"] == (None, "Reuters")
    dates.write_text("a.txt\n", encoding="utf-8")
    done = runner.invoke(cli, [*args, "--dates", str(dates), "-q"])
    assert done.exit_code == 2 and "line 1: expected file,date[,outlet]" in done.output


# -- the graph ------------------------------------------------------------------------------------


def _result(doc: str, date: str, outlet: str) -> DocResult:
    text = "Valtera et Norelis."
    return DocResult(
        doc=doc,
        meta=(("date", date), ("outlet", outlet)),
        sentences=(Sentence(0, len(text), text),),
        mentions=(Mention("Valtera", "ORG", 0, 7, 0), Mention("Norelis", "ORG", 11, 18, 0)),
        relations=(),
    )


def test_first_and_last_seen_count_evidence_beyond_the_cap_and_copies() -> None:
    accumulator = Accumulator(load_aliases(()), max_evidence=1)
    for doc, date, outlet in [
        ("b", "2024-10-11", "AFP"),
        ("a", "2024-09-02", "AFP"),
        ("c", "2024-11", "Reuters"),
    ]:
        accumulator.add(_result(doc, date, outlet))
    accumulator.add_copy("a", "a-copy", (("date", "2024-12-01"), ("outlet", "Le Monde")))
    graph = build_graph(*accumulator.finalize())
    edge = graph.edges["Norelis", "Valtera", "co_occurs"]
    assert [item["doc"] for item in edge["evidence"]] == ["a"]  # one kept
    assert (edge["first_seen"], edge["last_seen"], edge["outlets"]) == ("2024-09-02", "2024-12-01", 3)
    node = graph.nodes["Valtera"]
    assert (node["first_seen"], node["last_seen"], node["outlets"]) == ("2024-09-02", "2024-12-01", 3)


@pytest.fixture(scope="module")
def dated(tmp_path_factory) -> tuple[Path, nx.MultiDiGraph]:
    """A small dated corpus built once, written as GEXF, GraphML and CSV."""
    folder = tmp_path_factory.mktemp("dated")
    corpus = folder / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text(FRONT + BODY, encoding="utf-8")
    (corpus / "p.html").write_text(HTML, encoding="utf-8")
    (corpus / "u.txt").write_text("Valtera et Hexalis discutent à Lyon.\n", encoding="utf-8")  # undated
    graph = build([corpus], options=BuildOptions(model=TEST_MODEL), on_skip=ignore).graph
    for fmt, name in (("gexf", "graph.gexf"), ("graphml", "graph.graphml"), ("csv", "graph.csv")):
        write(graph, fmt, folder / name)
    return folder, graph


def test_evidence_nodes_and_edges_carry_dates(dated) -> None:
    _folder, graph = dated
    items = [item for *_e, ev in graph.edges(data="evidence") for item in ev]
    assert {(i["doc"], i.get("date"), i.get("outlet")) for i in items} >= {
        ("a.md", "2024-10-11", "Les Échos"),
        ("p.html", "2024-11-04", "La Tribune"),
        ("u.txt", None, None),
    }
    valtera = graph.nodes["Valtera"]
    assert (valtera["first_seen"], valtera["last_seen"], valtera["outlets"]) == (
        "2024-10-11",
        "2024-10-11",
        1,
    )
    for _u, _v, data in graph.edges(data=True):
        dated_docs = {item["doc"] for item in data["evidence"]} - {"u.txt"}
        assert ("first_seen" in data) == bool(dated_docs)


def test_gexf_spells_valid_and_read_back(dated, shared_dir: Path) -> None:
    checker = shared_dir / "tools" / "check_gephi_files.py"
    folder, _graph = dated
    files = [str(folder / "graph.gexf"), str(folder / "graph.graphml")]
    done = subprocess.run(
        [sys.executable, str(checker), *files, "--require-node-attrs", "label,type", "--require-viz"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert [line[:3] for line in done.stdout.splitlines()] == ["OK ", "OK "], done.stdout
    text = (folder / "graph.gexf").read_text(encoding="utf-8")
    assert '<graph defaultedgetype="directed" mode="dynamic" timeformat="date">' in text
    back = nx.read_gexf(folder / "graph.gexf")
    spells = {data["name"]: data.get("spells") for _n, data in back.nodes(data=True)}
    assert spells["Valtera"] == [("2024-10-11", "2024-10-11")]
    assert spells["Telvia"] == [("2024-11-04", "2024-11-04")]
    edge_spells = [data.get("spells") for *_e, data in back.edges(data=True)]
    assert [("2024-11-04", "2024-11-04")] in edge_spells
    graphml = nx.read_graphml(folder / "graph.graphml")
    assert {d["name"]: d.get("first_seen") for _n, d in graphml.nodes(data=True)}["Valtera"] == "2024-10-11"
    with (folder / "graph.nodes.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["id"]: row for row in csv.DictReader(handle)}
    assert (rows["Valtera"]["first_seen"], rows["Valtera"]["last_seen"]) == ("2024-10-11", "2024-10-11")


def test_seeds_have_no_time(seeds_build) -> None:
    out, result = seeds_build
    fields = ("first_seen", "last_seen", "outlets")
    assert not any(f in data for _n, data in result.graph.nodes(data=True) for f in fields)
    assert not any(f in data for *_e, data in result.graph.edges(data=True) for f in fields)
    gexf = (out / "graph.gexf").read_text(encoding="utf-8")
    assert 'mode="static"' in gexf and "spell" not in gexf and "first_seen" not in gexf
    assert "first_seen" not in (out / "graph.graphml").read_text(encoding="utf-8")


# -- the time API ---------------------------------------------------------------------------------


def _item(doc: str, start: int, date: str | None, outlet: str = "", **extra: Any) -> dict[str, Any]:
    item = {"doc": doc, "sentence": f"Phrase {doc}.", "start": start, "end": start + 9, **extra}
    if date:
        item["date"] = date
    if outlet:
        item["outlet"] = outlet
    return item


@pytest.fixture
def timed() -> Graph:
    graph = nx.MultiDiGraph(documents=4)
    for node in ("Renault", "Nissan", "Ampere", "Paris"):
        graph.add_node(node, label=node, type="ORG", mentions=3, docs=["a", "b", "c", "d"])
    owns = [_item("a", 0, "2024-09-02", "AFP"), _item("b", 0, "2024-10-07", "Reuters")]
    copy = [
        _item("c", 0, "2024-10", "AFP", copies=[{"doc": "c2", "date": "2024-10-09", "outlet": "Le Monde"}])
    ]
    graph.add_edge("Renault", "Nissan", key="owns", relation="owns", weight=5, evidence=owns)
    graph.add_edge("Ampere", "Renault", key="co_occurs", relation="co_occurs", weight=1, evidence=copy)
    graph.add_edge(
        "Paris", "Renault", key="co_occurs", relation="co_occurs", weight=1, evidence=[_item("d", 0, None)]
    )
    return Graph(graph, copy=False)


def test_between_keeps_evidence_in_range(timed: Graph) -> None:
    october = timed.between("2024-10-01", "2024-10-31")
    assert sorted(october) == ["Ampere", "Nissan", "Renault"]  # Paris: undated only
    owns = october.nx.edges["Renault", "Nissan", "owns"]
    assert (owns["weight"], [i["doc"] for i in owns["evidence"]]) == (1, ["b"])
    assert (owns["first_seen"], owns["last_seen"], owns["outlets"]) == ("2024-10-07", "2024-10-07", 1)
    renault = october.nx.nodes["Renault"]
    assert (renault["mentions"], renault["docs"]) == (2, ["b", "c"])
    # « 2024-10 » is not wholly in the first half of October, its copy of the 9th is
    half = timed.between("2024-10-01", "2024-10-15")
    assert half.nx.edges["Ampere", "Renault", "co_occurs"]["last_seen"] == "2024-10-09"
    assert sorted(timed.between(until="2024-09")) == ["Nissan", "Renault"]
    assert len(timed.between(since="2025")) == 0
    with pytest.raises(ValueError, match="not a date"):
        timed.between("bientôt")
    with pytest.raises(ValueError, match="after until"):
        timed.between("2024-11", "2024-10")


def test_timeline_counts_mentions_relations_outlets(timed: Graph) -> None:
    weeks = timed.timeline("renault", by="week")
    assert weeks.values.tolist()[0] == ["2024-09-02", 1, 1, 1]
    assert weeks.values.tolist()[-1] == ["2024-10-07", 2, 1, 2]  # b (Reuters) and the copy c2 (Le Monde)
    assert len(weeks) == 6 and weeks["mentions"].sum() == 3
    months = timed.timeline("Renault", by="month")
    assert months.values.tolist() == [["2024-09", 1, 1, 1], ["2024-10", 3, 1, 3]]
    assert timed.timeline("Paris", by="day").empty
    with pytest.raises(ValueError, match="cannot count by 'year'"):
        timed.timeline("Renault", by="year")


def test_neighbors_relations_top_take_a_range(timed: Graph) -> None:
    assert list(timed.neighbors("Renault", since="2024-10")["neighbor"]) == ["Nissan", "Ampere"]
    assert list(timed.neighbors("Renault", until="2024-09")["neighbor"]) == ["Nissan"]
    assert timed.neighbors("Paris", since="2024-10").empty
    assert timed.relations(until="2024-09-30")["weight"].tolist() == [1]
    assert timed.relations(since="2024-11").empty
    assert timed.top(1, since="2024-10").values.tolist() == [["Renault", "ORG", 2]]
    assert timed.top(1).values.tolist()[0][2] == 3


def test_date_table_rows_warnings_and_errors(tmp_path: Path) -> None:
    from graphkit.dates import read_date_table

    table = tmp_path / "dates.csv"
    table.write_text(
        "\ufefffile,date,outlet\na.txt,11/10/2024\nb.jsonl,,AFP\nc.txt,plus tard,Reuters\n", "utf-8"
    )
    with pytest.warns(DateWarning, match=r"dates\.csv, line 4: date not understood, left out: plus tard$"):
        rows = read_date_table(table)
    assert rows == {
        "a.txt": {"date": "2024-10-11"},
        "b.jsonl": {"outlet": "AFP"},
        "c.txt": {"outlet": "Reuters"},
    }
    with pytest.raises(InputError, match="cannot read dates file"):
        read_date_table(tmp_path / "none.csv")


def test_python_build_takes_a_dates_file(tmp_path: Path) -> None:
    from graphkit.explore import build as build_graph_of

    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    dates = tmp_path / "dates.csv"
    dates.write_text("a.txt,2024-10-12,AFP\n", encoding="utf-8")
    graph = build_graph_of([tmp_path / "a.txt"], model=TEST_MODEL, dates=dates)
    assert graph.nx.nodes["Valtera"]["first_seen"] == "2024-10-12"
    assert set(graph.evidence(label="co_occurs")["outlet"]) == {"AFP"}
