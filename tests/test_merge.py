"""Cross-document merge: keys, acronyms, short names, types, order independence."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from graphkit.aliases import AliasEntry, AliasTable
from graphkit.merge import Accumulator, _EdgeAcc, _Evidence, _evidence_key, mention_keys
from graphkit.model import DocResult, Mention, RawRelation, Sentence


def doc(name: str, text: str, mentions: list[Mention], relations=()) -> DocResult:
    return DocResult(name, (), (Sentence(0, len(text), text),), tuple(mentions), tuple(relations))


def m(text: str, label: str, start: int = 0, **kw) -> Mention:
    return Mention(text, label, start, start + len(text), 0, **kw)


def test_merge_article_and_case_variants_join_across_documents():
    acc = Accumulator(AliasTable())
    acc.add(doc("a", "x", [m("la Chine", "LOC"), m("Pékin", "LOC")]))
    acc.add(doc("b", "x", [m("Chine", "LOC"), m("CHINE", "LOC")]))
    entities, _edges = acc.finalize()
    china = next(e for e in entities if e.id == "Chine")
    assert china.mentions == 3 and china.docs == {"a", "b"}
    assert china.aliases == {"Chine", "CHINE"}


def test_merge_type_is_decided_across_mentions():
    acc = Accumulator(AliasTable())
    acc.add(doc("a", "x", [m("Veolia", "ORG"), m("Veolia", "LOC")]))
    acc.add(doc("b", "x", [m("Veolia", "ORG")]))
    (entity,), _ = acc.finalize()
    assert entity.type == "ORG"


def test_merge_alias_table_gives_canonical_name_type_and_reason():
    table = AliasTable()
    table.add(AliasEntry("FCC", "ORG", ("Commission fédérale des communications",)))
    acc = Accumulator(table)
    acc.add(doc("a", "x", [m("Commission fédérale des communications", "MISC")]))
    (entity,), _ = acc.finalize()
    assert (entity.id, entity.type) == ("FCC", "ORG")
    assert ("Commission fédérale des communications", "alias table") in entity.merges


def test_merge_acronym_in_parentheses_and_initials():
    long = m("Autorité des marchés financiers", "ORG")
    short = Mention("AMF", "ORG", 33, 36, 0, antecedent=0, reason="acronym")
    acc = Accumulator(AliasTable())
    acc.add(doc("a", "x" * 40, [long, short]))
    acc.add(doc("b", "x", [m("AMF", "ORG")]))
    acc.add(doc("c", "x", [m("Banque centrale européenne", "ORG")]))
    acc.add(doc("d", "x", [m("BCE", "ORG")]))
    entities = {e.id: e for e in acc.finalize()[0]}
    assert set(entities) == {"Autorité des marchés financiers", "Banque centrale européenne"}
    assert entities["Autorité des marchés financiers"].mentions == 3
    assert any(reason == "acronym" for _form, reason in entities["Banque centrale européenne"].merges)


def test_merge_short_name_joins_the_one_full_name_of_its_document():
    result = doc("a", "x", [m("Brendan Carr", "PER"), m("Carr", "PER", 20)])
    keys, reasons, _links = mention_keys(result, AliasTable())
    assert keys == ["brendan carr", "brendan carr"] and reasons[1] == "short name"


def test_merge_coreference_counts_but_adds_no_alias():
    mentions = [
        m("Renault", "ORG"),
        Mention("le constructeur", "ORG", 10, 25, 0, antecedent=0, reason="definite"),
    ]
    acc = Accumulator(AliasTable())
    acc.add(doc("a", "x" * 30, mentions))
    (entity,), _ = acc.finalize()
    assert entity.mentions == 2 and entity.aliases == {"Renault"}
    assert ("le constructeur", "coreference (definite)") in entity.merges


def test_merge_evidence_is_capped_but_weight_counts_every_sentence():
    acc = Accumulator(AliasTable(), max_evidence=2)
    for n in range(5):
        acc.add(doc(f"d{n}", "A et B.", [m("Alpha", "ORG"), m("Beta", "ORG", 4)]))
    _entities, (edge,) = acc.finalize()
    assert edge.relation == "co_occurs" and edge.weight == 5 and len(edge.evidence) == 2
    assert [e["doc"] for e in edge.evidence] == ["d0", "d1"]


def test_merge_relation_evidence_carries_rule_modality_and_attribution():
    mentions = [m("Alpha", "ORG"), m("Beta", "ORG", 6), m("Gamma", "ORG", 12)]
    rel = RawRelation(0, "acquires", 1, 0, "acquires-active", "hypothetical", 2)
    acc = Accumulator(AliasTable())
    acc.add(doc("a", "Alpha Beta Gamma", mentions, [rel]))
    _entities, edges = acc.finalize()
    typed = next(e for e in edges if e.relation == "acquires")
    assert typed.evidence == [
        {
            "doc": "a",
            "sentence": "Alpha Beta Gamma",
            "start": 0,
            "end": 16,
            "rule": "acquires-active",
            "modality": "hypothetical",
            "attributed_to": "Gamma",
        }
    ]


@settings(max_examples=25, deadline=None)
@given(st.permutations(range(6)))
def test_merge_result_does_not_depend_on_document_order(order):
    docs = [
        doc(f"d{n}", "x", [m(name, "ORG"), m(other, "ORG", 10)])
        for n, (name, other) in enumerate(
            [("A", "B"), ("B", "C"), ("la A", "C"), ("D", "A"), ("E", "B"), ("A", "E")]
        )
    ]
    reference = Accumulator(AliasTable())
    for d in docs:
        reference.add(d)
    shuffled = Accumulator(AliasTable())
    for n in order:
        shuffled.add(docs[n])

    def snapshot(acc):
        entities, edges = acc.finalize()
        return (
            sorted((e.id, e.mentions, sorted(e.docs)) for e in entities),
            [(e.source, e.target, e.relation, e.weight, e.evidence) for e in edges],
        )

    assert snapshot(shuffled) == snapshot(reference)


def test_merge_a_web_address_joins_the_name_it_stands_for():
    acc = Accumulator(AliasTable())
    acc.add(doc("a", "x", [m("Amazon.com", "ORG"), m("Nike.com", "MISC")]))
    acc.add(doc("b", "x", [m("Amazon", "ORG"), m("Wit.ai", "ORG")]))
    entities, _edges = acc.finalize()
    amazon = next(e for e in entities if e.id == "Amazon")
    assert amazon.aliases == {"Amazon", "Amazon.com"} and amazon.docs == {"a", "b"}
    assert {e.id for e in entities} == {"Amazon", "Nike.com", "Wit.ai"}


def test_merge_a_one_word_short_form_after_its_full_name_joins_it():
    acc = Accumulator(AliasTable())
    text = "BNP Paribas ... BNP Paribas ... BNP ... Orange ... Orange Bank ... Orange"
    acc.add(
        doc(
            "a",
            text,
            [
                m("BNP Paribas", "ORG", 0),
                m("BNP Paribas", "ORG", 16),
                m("BNP", "ORG", 32),
                m("Orange", "ORG", 40),
                m("Orange Bank", "ORG", 51),
                m("Orange", "ORG", 67),
            ],
        )
    )
    entities, _edges = acc.finalize()
    by_id = {e.id: e for e in entities}
    assert by_id["BNP Paribas"].aliases == {"BNP Paribas", "BNP"}
    assert {"Orange", "Orange Bank"} <= set(by_id)  # named first and more often: another company


def test_merge_an_acronym_spells_the_capitals_of_its_name():
    acc = Accumulator(AliasTable())
    acc.add(doc("a", "x", [m("AS Monaco", "ORG"), m("EDP Renewables", "ORG")]))
    acc.add(doc("b", "x", [m("ASM", "ORG"), m("EDPR", "ORG")]))
    entities, _edges = acc.finalize()
    assert {e.id: e.aliases for e in entities} == {
        "AS Monaco": {"AS Monaco", "ASM"},
        "EDP Renewables": {"EDP Renewables", "EDPR"},
    }


evidence_items = st.builds(
    lambda doc, start, end, modality, rule: _Evidence(doc, start, end, modality, rule, "Une phrase."),
    st.sampled_from("abc"),
    st.integers(0, 5),
    st.integers(6, 8),
    st.sampled_from(["", "negated", "hypothetical"]),
    st.sampled_from([None, "x", "y"]),
)


@settings(max_examples=200, deadline=None)
@given(batches=st.lists(st.lists(evidence_items, min_size=1, max_size=6), max_size=12), cap=st.integers(1, 5))
def test_edge_keeps_the_first_evidence_of_all_it_was_given(batches, cap):
    """Evidence kept as it comes, at most ``cap`` items, is the first ``cap`` of all of it sorted."""
    edge = _EdgeAcc()
    given_items = []
    for batch in batches:  # the items of one document
        batch = [item._replace(doc=batch[0].doc) for item in batch]
        given_items += batch
        edge.add(batch, cap, frozenset(item.doc for item in batch[:1]))
        assert len(edge.evidence) <= cap
    expected = sorted(given_items, key=_evidence_key)[:cap]
    assert [id(item) for item in edge.capped(cap)] == [id(item) for item in expected]
    assert edge.weight == len(given_items)
    assert edge.docs == {item.doc for item in given_items}
