"""Relation rules: loading and validation, every label firing on French sentences, modality, attribution."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphkit.errors import RulesError
from graphkit.graph import CO_OCCURS, is_asserted
from graphkit.relations import LABELS, load_rules


def facts(graph) -> set[tuple[str, str, str]]:
    """Typed edges stated as facts, symmetric ones in sorted order."""
    found = set()
    for u, v, data in graph.edges(data=True):
        if data["relation"] != CO_OCCURS and is_asserted(data["evidence"]):
            if LABELS[data["relation"]]:
                u, v = sorted((u, v))
            found.add((u, data["relation"], v))
    return found


# (sentence, expected facts): at least one per label; none of these names is in the alias table.
CASES = [
    (
        "Le groupe Danone a racheté la start-up américaine Follow Your Heart.",
        ("Danone", "acquires", "Follow Your Heart"),
    ),
    (
        "Le rachat de Worldline par Crédit Agricole a été finalisé mardi.",
        ("Crédit Agricole", "acquires", "Worldline"),
    ),
    ("Zara, filiale du groupe Inditex, a ouvert un magasin à Milan.", ("Inditex", "owns", "Zara")),
    ("Détenue par Renault, la marque Dacia a vendu 650 000 véhicules.", ("Renault", "owns", "Dacia")),
    (
        "Bpifrance a investi 20 millions d'euros dans la start-up Ynsect.",
        ("Bpifrance", "invests_in", "Ynsect"),
    ),
    (
        "La start-up Pennylane a levé 75 millions d'euros auprès de Sequoia Capital.",
        ("Sequoia Capital", "invests_in", "Pennylane"),
    ),
    (
        "Orange a signé un partenariat avec Mistral AI pour ses centres d'appels.",
        ("Mistral AI", "partner_of", "Orange"),
    ),
    (
        "Weibo, équivalent chinois de Twitter, a perdu des utilisateurs.",
        ("Twitter", "counterpart_of", "Weibo"),
    ),
    ("Airbus creuse l'écart avec son rival Boeing.", ("Airbus", "competes_with", "Boeing")),
    (
        "Marie Dupont, directrice générale de Veolia, a présenté ses résultats.",
        ("Marie Dupont", "leads", "Veolia"),
    ),
    (
        "Christine Lagarde préside la Banque centrale européenne depuis 2019.",
        ("Christine Lagarde", "leads", "BCE"),
    ),
    (
        "Paul Martin, porte-parole de Stellantis, a démenti ces informations.",
        ("Paul Martin", "works_for", "Stellantis"),
    ),
    (
        "Octave Klaba, fondateur d'OVHcloud, reprend la direction de l'entreprise.",
        ("Octave Klaba", "founded", "OVHcloud"),
    ),
    (
        "La start-up Kinéis, basée à Toulouse, exploite des nanosatellites.",
        ("Kinéis", "located_in", "Toulouse"),
    ),
    ("Decathlon s'implante au Maroc avec trois magasins.", ("Decathlon", "operates_in", "Maroc")),
    ("La Cnil a infligé une amende de 40 millions d'euros à Criteo.", ("CNIL", "targets", "Criteo")),
    ("Le ministre a appelé Carrefour et Leclerc à baisser leurs prix.", None),
    ("La Fnac appelle Sony et Nintendo à baisser leurs prix.", ("Fnac", "urges", "Sony")),
    ("La marque Maison Labiche vend ses vêtements sur Zalando.", ("Maison Labiche", "sells_on", "Zalando")),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_relations_french_constructions(extract, text, expected):
    _result, graph = extract(text)
    found = facts(graph)
    if expected is None:  # « Le ministre » is no named entity: no urges edge at all
        assert not any(label == "urges" for _s, label, _t in found), found
        return
    source, label, target = expected
    if LABELS[label]:
        source, target = sorted((source, target))
    assert (source, label, target) in found, found


def test_relations_every_label_fires_on_a_test_sentence(extract):
    labels = {expected[1] for _text, expected in CASES if expected}
    assert labels == set(LABELS)


def test_relations_shipped_rules_load_and_cover_every_label(processor):
    rules = load_rules()
    assert {rule.label for rule in rules.rules} == set(LABELS)
    assert len(processor.extractor.finder) == len(rules.rules) > 0


def test_relations_coordination_gives_one_edge_per_conjunct(extract):
    _result, graph = extract("La Fnac appelle Sony et Nintendo à baisser leurs prix.")
    found = facts(graph)
    assert ("Fnac", "urges", "Sony") in found
    assert ("Fnac", "urges", "Nintendo") in found


@pytest.mark.parametrize(
    "text",
    [
        "L’application de covoiturage Blablacar est désormais présente en Espagne et en Pologne.",
        "La chaîne de magasins Action reste très présente en Espagne et en Pologne.",
    ],
)
def test_relations_present_in_places(extract, text):
    # « être présent en » whichever tag the model gives « présente » (adjective or verb)
    _result, graph = extract(text)
    found = {(label, target) for _source, label, target in facts(graph)}
    assert {("operates_in", "Espagne"), ("operates_in", "Pologne")} <= found, found


def test_relations_a_person_present_somewhere_does_not_operate_there(extract):
    _result, graph = extract("Emmanuel Macron était présent à Davos mardi.")
    assert not any(label == "operates_in" for _s, label, _t in facts(graph))


def test_relations_present_in_a_country_whatever_the_subject_type(extract):
    # Small models often tag an unknown company at the start of a sentence as a person.
    _result, graph = extract("Altiplan est présent au Mexique depuis une quinzaine d'années.")
    assert ("Altiplan", "operates_in", "Mexique") in facts(graph)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "La Fédération française de tennis (FFT) appelle Sony et Nintendo à baisser leurs prix.",
            ("Fédération française de tennis", "urges", "Nintendo"),
        ),
        (
            "La Fnac appelle Sony et la Fédération française de tennis (FFT) à baisser leurs prix.",
            ("Fnac", "urges", "Fédération française de tennis"),
        ),
    ],
)
def test_relations_read_past_an_acronym_in_parentheses(extract, text, expected):
    # « Name (ACRONYM) » is one entity token: the parentheses do not break the pattern.
    _result, graph = extract(text)
    assert expected in facts(graph)


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("Renault n'a pas racheté la start-up Flexis.", "negated"),
        ("Renault pourrait racheter la start-up Flexis.", "hypothetical"),
        ("Renault souhaite racheter la start-up Flexis.", "hypothetical"),
        ("Renault va-t-il racheter la start-up Flexis ?", "hypothetical"),
        ("Renault a racheté la start-up Flexis.", None),
    ],
)
def test_relations_modality(extract, text, modality):
    _result, graph = extract(text)
    edges = [d for _u, _v, d in graph.edges(data=True) if d["relation"] == "acquires"]
    assert len(edges) == 1
    assert [item.get("modality") for item in edges[0]["evidence"]] == [modality]
    assert is_asserted(edges[0]["evidence"]) is (modality is None)


@pytest.mark.parametrize("cue", ["Selon Les Echos", "D'après Les Echos"])
def test_relations_attribution(extract, cue):
    _result, graph = extract(f"{cue}, le groupe Danone a racheté la start-up Follow Your Heart.")
    (edge,) = [d for _u, _v, d in graph.edges(data=True) if d["relation"] == "acquires"]
    assert edge["evidence"][0]["attributed_to"] == "Les Echos"
    assert not any(d["relation"] != CO_OCCURS and "Les Echos" in (u, v) for u, v, d in graph.edges(data=True))


def write_rules(tmp_path: Path, rules: object) -> Path:
    path = tmp_path / "my-rules.json"
    path.write_text(json.dumps(rules), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (
            {"rules": [{"id": "x", "label": "loves", "type": "sequence", "pattern": []}]},
            "unknown label 'loves'",
        ),
        (
            {
                "rules": [
                    {
                        "id": "x",
                        "label": "owns",
                        "type": "sequence",
                        "pattern": [{"ROLE": "subject", "ENT": "ANY"}],
                    }
                ]
            },
            "needs a token with ROLE 'object'",
        ),
        ({"rules": [{"id": "x", "label": "owns", "type": "regex", "pattern": [{}]}]}, "type must be one of"),
        (
            {
                "rules": [
                    {"id": "x", "label": "owns", "type": "sequence", "pattern": [{"LEMMA": {"IN": "$NOPE"}}]}
                ]
            },
            "unknown lexicon list $NOPE",
        ),
        ({"rules": "nope"}, "expected an object with a 'rules' list"),
    ],
)
def test_relations_malformed_rules_file_names_file_rule_and_problem(tmp_path, rules, message):
    path = write_rules(tmp_path, rules)
    with pytest.raises(RulesError) as err:
        load_rules([path])
    text = str(err.value)
    assert str(path) in text and message in text and "\n" not in text


def test_relations_rules_file_not_json(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{oops", encoding="utf-8")
    with pytest.raises(RulesError, match="not JSON"):
        load_rules([path])


def test_relations_user_rules_file_adds_a_rule(tmp_path):
    from graphkit.graph import build_graph
    from graphkit.merge import Accumulator
    from graphkit.model import Document
    from graphkit.pipeline import BuildOptions, Processor

    path = write_rules(
        tmp_path,
        {
            "rules": [
                {
                    "id": "mine-sponsors",
                    "label": "partner_of",
                    "type": "sequence",
                    "pattern": [
                        {"ROLE": "subject", "ENT": "ANY"},
                        {"GAP": 3},
                        {"ROLE": "trigger", "LOWER": {"IN": ["sponsorise", "sponsorisent"]}},
                        {"GAP": 4},
                        {"ROLE": "object", "ENT": "ANY"},
                    ],
                }
            ]
        },
    )
    processor = Processor(BuildOptions(rules=(str(path),)))
    (result,) = list(
        processor.process([Document("t", "Le groupe Vinci sponsorise désormais le club Stade Rennais.")])
    )
    assert any(r.rule == "mine-sponsors" for r in result.relations)
    accumulator = Accumulator(processor.aliases)
    accumulator.add(result)
    graph = build_graph(*accumulator.finalize())
    assert ("Stade Rennais", "partner_of", "Vinci") in facts(graph) or (
        "Vinci",
        "partner_of",
        "Stade Rennais",
    ) in facts(graph)


@pytest.mark.parametrize(("adverbs", "found"), [("désormais", True), ("désormais et très fièrement", False)])
def test_relations_gap_bound_is_kept(tmp_path, adverbs, found):
    """A ``{"GAP": 2}`` accepts two words between the subject and the trigger, not four."""
    from graphkit.model import Document
    from graphkit.pipeline import BuildOptions, Processor

    path = write_rules(
        tmp_path,
        {
            "rules": [
                {
                    "id": "mine-short-gap",
                    "label": "partner_of",
                    "type": "sequence",
                    "pattern": [
                        {"ROLE": "subject", "ENT": "ANY"},
                        {"GAP": 2},
                        {"ROLE": "trigger", "LOWER": "sponsorise"},
                        {"GAP": 2},
                        {"ROLE": "object", "ENT": "ANY"},
                    ],
                }
            ]
        },
    )
    processor = Processor(BuildOptions(rules=(str(path),)))
    text = f"Le groupe Vinci {adverbs} sponsorise le club Stade Rennais."
    (result,) = list(processor.process([Document("t", text)]))
    assert any(r.rule == "mine-short-gap" for r in result.relations) is found


def test_relations_dependency_roles_are_entities():
    """In every shipped dependency rule, the subject and object nodes are names (not « par », « en »)."""
    for rule in load_rules().rules:
        if rule.type == "dependency":
            for role in ("subject", "object"):
                assert "ENT_TYPE" in rule.pattern[rule.roles[role]]["RIGHT_ATTRS"], (rule.id, role)
