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

from graphkit.errors import OutputError
from graphkit.export.style import RELATIONS, TYPE_COLORS, contrast_ratio, relation_color
from graphkit.export.webpage import (
    LANGUAGES,
    _unique_evidence,
    claim_status,
    outlet_of,
    page_data,
    render_html,
    safe_json,
    strings,
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


def _summary(page: str) -> str:
    """The text of the page's summary line, as written in the HTML."""
    match = re.search(r'<p id="summary"[^>]*>([^<]*)</p>', page)
    assert match, "no summary line"
    return match.group(1)


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
    # data, details, vis-network packed, the page's script; one style sheet
    assert markup.tags.count("script") == 4 and markup.tags.count("style") == 1
    fetching = {"src", "href", "srcset", "action", "data", "poster"}
    assert [a for a in markup.attributes if a[1] in fetching] == []
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.IGNORECASE)
    style = page[page.index("<style>"):page.index("</style>")]
    assert not re.search(r"""url\(\s*(?!["']?data:)""", style)
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
    assert details["docs"] == [[HOSTILE[2], HOSTILE[1], "", "", "", []]]
    assert details["evidence"] == [[[0, 0, "", HOSTILE[4], 0]]]


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
    line = _summary(render_html(graph, max_nodes=4, lang="en"))
    assert line == (
        "1 document · 4 entities · 1 relation · 3 co-occurrences · 2 entities left out (fewest connections)"
    )
    assert "left out" not in _summary(render_html(graph, max_nodes=None, lang="en"))
    assert "left out" not in _summary(render_html(graph, max_nodes=6, lang="en"))
    french = _summary(render_html(graph, max_nodes=4))
    assert french.startswith("1 document · 4 entités · 1 relation · 3 cooccurrences · 2 entités laissées")


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
    claims = {row[2]: row[4] for row in page_data(graph)["draw"]["edges"]}
    # some sentence asserts "leads"; none asserts "located_in", one only supposes it
    assert claims == {"located_in": "hypothetical", "leads": ""}
    only_negated = _graph(edges=[
        EdgeRecord("Orange", "Paris", "located_in", 1, [_ev("a.txt", "Orange n'est pas à Paris.",
                                                            modality="negated")]),
    ])
    assert [row[4] for row in page_data(only_negated)["draw"]["edges"]] == ["negated"]


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
    page = render_html(nx.MultiDiGraph(documents=0), lang="en")
    assert _summary(page) == "0 documents · 0 entities · 0 relations · 0 co-occurrences"
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


def test_webpage_fixed_overhead_is_small() -> None:
    # vis-network, the page's script and style, the texts: what every page carries
    for lang in LANGUAGES:
        size = len(render_html(nx.MultiDiGraph(documents=0), lang=lang).encode("utf-8"))
        assert size <= 500_000, (lang, size)


def test_webpage_is_deterministic_in_both_languages() -> None:
    for lang in LANGUAGES:
        assert render_html(_graph(), lang=lang).encode() == render_html(_graph(), lang=lang).encode()
    assert render_html(_graph(), lang="fr") != render_html(_graph(), lang="en")


def test_webpage_languages() -> None:
    french, english = render_html(_graph()), render_html(_graph(), lang="en")
    assert '<html lang="fr">' in french and '<label for="search">Trouver une entité</label>' in french
    assert '<html lang="en">' in english and '<label for="search">Find an entity</label>' in english
    assert _embedded(french)["lang"] == "fr" and _embedded(english)["strings"]["reset"] == "Reset all"
    with pytest.raises(OutputError, match="xx"):
        render_html(_graph(), lang="xx")
    with pytest.raises(OutputError):
        page_data(_graph(), lang="")


def test_webpage_every_text_is_translated() -> None:
    french, english = strings("fr"), strings("en")
    assert set(french) == set(english)
    assert set(french["types"]) == set(english["types"]) >= set(TYPE_COLORS)
    for key, value in french.items():
        assert value, key
        assert type(value) is type(english[key]), key
    template = Path(__file__).resolve().parents[1] / "graphkit/export/templates/page.html"
    used = set(re.findall(r"\$t_(\w+)", template.read_text(encoding="utf-8")))
    assert used <= {key for key, value in french.items() if isinstance(value, str)}


def test_webpage_colours_are_readable_and_distinct() -> None:
    for code, colour in TYPE_COLORS.items():
        assert contrast_ratio(colour) >= 3, (code, colour, contrast_ratio(colour))
    colours = [relation_color(rel) for rel in RELATIONS]
    for rel, colour in zip(RELATIONS, colours, strict=True):
        assert contrast_ratio(colour) >= 3, (rel, colour, contrast_ratio(colour))
    assert len({colour.lower() for colour in colours}) == len(RELATIONS)
    data = page_data(_graph())["draw"]
    for row in data["relations"] + data["types"]:
        assert contrast_ratio(row[1]) >= 3, row


def test_webpage_claim_status() -> None:
    assert claim_status([]) == ""
    assert claim_status([{}]) == ""
    assert claim_status([{"modality": None}, {"modality": "negated"}]) == ""
    assert claim_status([{"modality": "negated"}, {"modality": "negated"}]) == "negated"
    assert claim_status([{"modality": "hypothetical"}]) == "hypothetical"
    assert claim_status([{"modality": "hypothetical"}, {"modality": "negated"}]) == "hypothetical"


def test_webpage_outlet_of() -> None:
    assert outlet_of({"outlet": "Le Monde", "url": "https://www.lefigaro.fr/x"}) == "Le Monde"
    assert outlet_of({"url": "https://www.lefigaro.fr/economie/a.html"}) == "lefigaro.fr"
    assert outlet_of({"url": "HTTP://WWW.Example.COM:8080/a"}) == "example.com"
    assert outlet_of({"url": "https://actu.orange.fr/a"}) == "actu.orange.fr"
    assert outlet_of({"url": "javascript:alert(1)"}) == ""
    assert outlet_of({"url": "ftp://example.org/a"}) == ""
    assert outlet_of({"outlet": "", "url": ""}) == outlet_of({}) == ""


def test_webpage_unique_evidence() -> None:
    first = _ev("a.txt", "Même phrase.", rule="r1")
    items = [first, _ev("b.txt", "Même phrase."), _ev("a.txt", "Même phrase.", rule="r2"),
             _ev("a.txt", "Autre phrase.")]
    assert _unique_evidence(items) == [first, items[1], items[3]]
    assert _unique_evidence([]) == []


def test_webpage_evidence_rows() -> None:
    meta = {"title": "Banques", "date": "2024-03-01", "url": "https://www.lesechos.fr/a"}
    graph = _graph(edges=[
        EdgeRecord("Stéphane Richard", "Orange", "leads", 3, [
            _ev("a.txt", "Il dirige Orange.", **meta),
            _ev("a.txt", "Il dirige Orange."),
            _ev("b.txt", "Orange serait dirigé par lui.", modality="hypothetical", attributed_to="AFP",
                outlet="AFP", copies=[{"doc": "c.txt", "date": "2024-03-02", "url": "https://www.lefigaro.fr/c"}]),
        ]),
    ])
    data = page_data(graph)
    details = data["details"]
    assert data["draw"]["edges"] == [[2, 0, "leads", 3, "", 0, 2, ""]]  # weight 3, two sentences kept
    assert details["docs"] == [
        ["a.txt", "Banques", "2024-03-01", "https://www.lesechos.fr/a", "lesechos.fr", []],
        ["b.txt", "", "", "", "AFP",
         [["c.txt", "", "2024-03-02", "https://www.lefigaro.fr/c", "lefigaro.fr"]]],
    ]
    assert details["texts"] == ["Il dirige Orange.", "Orange serait dirigé par lui."]
    assert details["evidence"] == [[[0, 0, "", "", 0], [1, 1, "hypothetical", "AFP", 0]]]
