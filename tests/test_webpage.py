"""graphkit.export.webpage without a browser: what the HTML text holds."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graphkit.export.webpage import (
    page_data,
    render_html,
    safe_json,
    summary_counts,
    write_html,
)
from graphkit.graph import EdgeRecord, build_graph
from graphkit.model import Entity

HOSTILE = [
    "</script><script>alert(1)</script>",
    "<!--",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "a\u2028b\u2029c",
    "&amp; ' \\",
]


def _ev(doc: str, sentence: str, **extra: str) -> dict[str, Any]:
    return {"doc": doc, "sentence": sentence, "start": 0, "end": len(sentence), **extra}


def _graph(
    entities: list[Entity] | None = None, edges: list[EdgeRecord] | None = None
) -> nx.MultiDiGraph:
    entities = entities or [
        Entity("Orange", "ORG", {"Orange", "Orange SA"}, 4, {"a.txt"}),
        Entity("Paris", "LOC", {"Paris"}, 2, {"a.txt", "b.txt"}),
        Entity("Stéphane Richard", "PER", {"Stéphane Richard"}, 3, {"b.txt"}),
    ]
    edges = edges or [
        EdgeRecord("Orange", "Paris", "located_in", 1,
                   [_ev("a.txt", "Orange, à Paris.", url="https://example.org/a")]),
        EdgeRecord("Stéphane Richard", "Orange", "leads", 1, [_ev("b.txt", "Il dirige Orange.")]),
        EdgeRecord("Paris", "Stéphane Richard", "co_occurs", 2,
                   [_ev("b.txt", "Paris et Richard.")]),
    ]
    return build_graph(entities, edges, documents=2)


def _embedded(page: str, block: str = "data") -> Any:
    """The JSON of ``<script type="application/json" id="graphkit-{block}">``."""
    opening = f'<script type="application/json" id="graphkit-{block}">'
    start = page.index(opening) + len(opening)
    return json.loads(page[start:page.index("</script>", start)])


class _Markup(HTMLParser):
    """Every element and attribute (script and style bodies are not parsed as markup)."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str | None]] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((tag, name, value) for name, value in attrs)


def test_webpage_loads_nothing_from_outside() -> None:
    page = render_html(_graph())
    markup = _Markup(page)
    assert markup.tags.count("script") == 4 and markup.tags.count("style") == 2
    fetching = {"src", "href", "srcset", "action", "data", "poster"}
    assert [a for a in markup.attributes if a[1] in fetching] == []
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.IGNORECASE)
    assert not re.search(r"""url\(\s*(?!["']?data:)""", page)
    assert "@import" not in page
    assert "sourceMappingURL" not in page


def test_webpage_escapes_hostile_strings() -> None:
    text = " ".join(HOSTILE)
    entities = [
        Entity(HOSTILE[0], "PER", set(HOSTILE), 1, {HOSTILE[2]}),
        Entity(HOSTILE[3], "ORG", {HOSTILE[3]}, 1, {HOSTILE[2]}),
    ]
    edges = [EdgeRecord(HOSTILE[0], HOSTILE[3], "works_for", 1,
                        [_ev(HOSTILE[2], text, title=HOSTILE[1], attributed_to=HOSTILE[4])])]
    page = render_html(build_graph(entities, edges, documents=1), title=HOSTILE[2])
    markup = _Markup(page)
    assert markup.tags.count("script") == page.count("</script>") == 4
    assert [tag for tag in markup.tags if tag in {"img", "svg"}] == []
    assert "<!--" not in page
    assert "\u2028" not in page and "\u2029" not in page
    assert "<title>&lt;img src=x onerror=alert(1)&gt;</title>" in page
    ids = [row[0] for row in _embedded(page)["nodes"]]
    assert ids == sorted([HOSTILE[0], HOSTILE[3]])
    details = _embedded(page, "details")
    assert details["aliases"][ids.index(HOSTILE[0])] == sorted(HOSTILE)
    assert details["texts"] == [text]
    assert details["docs"] == [[HOSTILE[2], HOSTILE[1], "", ""]]
    assert details["evidence"] == [[[0, 0, "", HOSTILE[4]]]]


def test_webpage_safe_json_round_trips() -> None:
    value = {"k": HOSTILE, "é": ["\u2028", "bad \udce9 byte"]}
    text = safe_json(value)
    assert not set(text) & set("<>&\u2028\u2029\udce9")
    assert "é" in text  # other characters stay as they are
    assert json.loads(text) == value
    text.encode("utf-8")


def test_webpage_is_deterministic() -> None:
    first = render_html(_graph())
    assert render_html(_graph()) == first
    reordered = build_graph(
        list(reversed([Entity("Paris", "LOC", {"Paris"}, 2, {"b.txt", "a.txt"}),
                       Entity("Stéphane Richard", "PER", {"Stéphane Richard"}, 3, {"b.txt"}),
                       Entity("Orange", "ORG", {"Orange SA", "Orange"}, 4, {"a.txt"})])),
        [EdgeRecord("Paris", "Stéphane Richard", "co_occurs", 2,
                    [_ev("b.txt", "Paris et Richard.")]),
         EdgeRecord("Stéphane Richard", "Orange", "leads", 1, [_ev("b.txt", "Il dirige Orange.")]),
         EdgeRecord("Orange", "Paris", "located_in", 1,
                    [_ev("a.txt", "Orange, à Paris.", url="https://example.org/a")])],
        documents=2,
    )
    assert render_html(reordered) == first


def test_webpage_does_not_modify_the_graph() -> None:
    graph = _graph()
    before = nx.node_link_data(graph, edges="edges")
    render_html(graph, max_nodes=2)
    assert nx.node_link_data(graph, edges="edges") == before
    assert all("x" not in data for _n, data in graph.nodes(data=True))


def test_webpage_uses_the_positions_it_is_given() -> None:
    graph = _graph()
    for i, node in enumerate(sorted(graph)):
        graph.nodes[node]["x"], graph.nodes[node]["y"] = 100.0 * i, -50.0
    rows = page_data(graph)["draw"]["nodes"]
    xs = [row[4] for row in rows]
    assert xs[0] == 0 and xs[2] == 2 * xs[1] > 0
    assert len({row[5] for row in rows}) == 1


def test_webpage_max_nodes_keeps_the_most_connected() -> None:
    names = [f"N{i}" for i in range(6)]
    entities = [Entity(name, "ORG", {name}, 1, {"d"}) for name in names]
    ev = [_ev("d", "s")]
    # N0 touches everyone; N1 and N2 have two edges each; N3, N4, N5 one each.
    edges = [EdgeRecord("N0", name, "co_occurs", 1, ev) for name in names[1:]]
    edges.append(EdgeRecord("N2", "N1", "owns", 1, ev))
    graph = build_graph(entities, edges, documents=1)
    data = page_data(graph, max_nodes=4)
    assert [row[0] for row in data["draw"]["nodes"]] == ["N0", "N1", "N2", "N3"]  # tie: by id
    assert len(data["draw"]["edges"]) == len(data["details"]["evidence"]) == 4
    assert summary_counts(graph, max_nodes=4) == {
        "documents": 1, "entities": 4, "relations": 1, "co_occurrences": 3, "left_out": 2,
    }
    page = render_html(graph, max_nodes=4)
    assert "1 document · 4 entities · 1 relation · 3 co-occurrences · 2 entities left out" in page
    assert "left out" not in render_html(graph, max_nodes=None)
    assert "left out" not in render_html(graph, max_nodes=6)


def test_webpage_rejects_a_negative_max_nodes() -> None:
    with pytest.raises(ValueError, match="max_nodes"):
        render_html(_graph(), max_nodes=-1)


def test_webpage_marks_not_asserted_edges() -> None:
    graph = _graph(edges=[
        EdgeRecord("Orange", "Paris", "located_in", 2,
                   [_ev("a.txt", "Orange n'est pas à Paris.", modality="negated"),
                    _ev("b.txt", "Orange serait à Paris.", modality="hypothetical")]),
        EdgeRecord("Stéphane Richard", "Orange", "leads", 2,
                   [_ev("a.txt", "Il ne dirige pas Orange.", modality="negated"),
                    _ev("b.txt", "Il dirige Orange.")]),
    ])
    asserted = {row[2]: row[4] for row in page_data(graph)["draw"]["edges"]}
    assert asserted == {"located_in": False, "leads": True}  # the page draws False dashed


def test_webpage_legend_lists_relations_and_types_present() -> None:
    data = page_data(_graph())["draw"]
    assert [r[0] for r in data["relations"]] == ["leads", "located_in", "co_occurs"]
    assert [r[2] for r in data["relations"]] == [False, False, True]
    assert [t[0] for t in data["types"]] == ["PER", "ORG", "LOC"]


def test_webpage_curves_parallel_edges() -> None:
    graph = _graph(edges=[
        EdgeRecord("Orange", "Paris", "co_occurs", 1, [_ev("a.txt", "x")]),
        EdgeRecord("Orange", "Paris", "located_in", 1, [_ev("a.txt", "x")]),
        EdgeRecord("Paris", "Orange", "operates_in", 1, [_ev("a.txt", "y")]),
    ])
    curves = {row[2]: row[5] for row in page_data(graph)["draw"]["edges"]}
    assert curves == {"co_occurs": 0, "located_in": 1, "operates_in": 2}


def test_webpage_shares_sentences_and_documents() -> None:
    data = page_data(_graph())
    details = data["details"]
    assert details["texts"] == sorted(details["texts"]) and len(details["texts"]) == 3
    assert [doc[0] for doc in details["docs"]] == ["a.txt", "b.txt"]
    assert details["docs"][0][3] == "https://example.org/a"
    assert details["node_docs"] == [[0], [0, 1], [1]]
    assert data["draw"]["big"] is False


def test_webpage_empty_graph() -> None:
    page = render_html(nx.MultiDiGraph(documents=0))
    assert "0 documents · 0 entities · 0 relations · 0 co-occurrences" in page
    assert _embedded(page)["nodes"] == []


def test_webpage_write_html_writes_the_page(tmp_path: Path) -> None:
    path = tmp_path / "graph.html"
    write_html(_graph(), path, title="Revue")
    assert path.read_text(encoding="utf-8") == render_html(_graph(), title="Revue")


def test_webpage_inlines_vis_network_without_importing_pyvis() -> None:
    # pyvis's import (jinja2 and more) would cost every build; its vis-network files are only read.
    script = (
        "import sys, networkx as nx\n"
        "from graphkit.export.webpage import render_html\n"
        "page = render_html(nx.MultiDiGraph(documents=0))\n"
        "assert 'vis-network' in page, 'vis-network missing'\n"
        "print(sorted(m for m in ('pyvis', 'jinja2') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
