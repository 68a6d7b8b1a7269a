"""The structure of French (graphkit.extract.tree), one construction at a time, on hand-built parses.

Each sentence is written as rows ``word head dep pos [lemma] [morph]`` (``head`` is the index of
the head word; a word ending in ``*TYPE`` names an entity), so no model is needed and each test
reads the construction it checks.
"""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from graphkit.extract.modality import modality
from graphkit.extract.tree import Clause, Grammar, Ref, conjuncts, fill, preposition

GRAMMAR = Grammar(
    light_verbs=frozenset({"signer", "annoncer", "dévoiler", "réaliser"}),
    light_nouns=frozenset({"finalisation", "arrivée"}),
    transparent_nouns=frozenset({"%", "capital", "part"}),
    control_verbs=frozenset({"appeler", "demander"}),
    appoint_verbs=frozenset({"être", "devenir", "nommer"}),
)
VOCAB = spacy.blank("fr").vocab


def parse(rows: str, refs: dict[int, Ref] | None = None) -> Clause:
    """A :class:`Clause` from rows ``word head dep pos [lemma] [morph]``; ``Name*ORG`` is an entity."""
    words, heads, deps, pos, lemmas, morphs, ents = [], [], [], [], [], [], []
    for line in rows.strip().splitlines():
        word, head, dep, tag, *rest = line.split()
        word, _, label = word.partition("*")
        words.append(word.replace("_", " "))
        heads.append(int(head))
        deps.append(dep)
        pos.append(tag)
        lemmas.append(rest[0] if rest and rest[0] != "-" else word.lower())
        morphs.append(rest[1] if len(rest) > 1 else "")
        ents.append(f"B-{label}" if label else "O")
    doc = Doc(VOCAB, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas, morphs=morphs, ents=ents)
    found = {t.i: Ref(t.i) for t in doc if t.ent_type_}
    return Clause(doc, {**found, **(refs or {})}, GRAMMAR)


def names(args) -> list[str]:
    return [a.token.text for a in args]


def test_tree_passive_verb_has_its_agent_as_subject_and_its_subject_as_object():
    clause = parse("""
        Drivy*ORG 3 nsubj:pass PROPN
        a 3 aux:tense AUX avoir
        été 3 aux:pass AUX être
        racheté 3 ROOT VERB racheter VerbForm=Part|Tense=Past
        par 5 case ADP
        Getaround*ORG 3 obl:agent PROPN
    """)
    verb = clause.doc[3]
    assert names(fill(clause, verb, "subject")) == ["Getaround"]
    assert names(fill(clause, verb, "object")) == ["Drivy"]
    assert "passive" in fill(clause, verb, "object")[0].steps


def test_tree_active_compound_tense_is_not_passive_whatever_the_subject_label():
    clause = parse("""
        Getaround*ORG 2 nsubj:pass PROPN
        a 2 aux:tense AUX avoir
        racheté 2 ROOT VERB racheter VerbForm=Part|Tense=Past
        Drivy*ORG 2 obj PROPN
    """)
    verb = clause.doc[2]
    assert names(fill(clause, verb, "subject")) == ["Getaround"]
    assert names(fill(clause, verb, "object")) == ["Drivy"]


def test_tree_relative_pronoun_stands_for_its_antecedent():
    clause = parse("""
        H&M*ORG 0 ROOT PROPN
        , 4 punct PUNCT
        qui 4 nsubj PRON
        a 4 aux:tense AUX avoir
        ouvert 0 acl:relcl VERB ouvrir VerbForm=Part|Tense=Past
    """)
    subject = fill(clause, clause.doc[4], "subject")
    assert names(subject) == ["H&M"]
    assert "relative clause" in subject[0].steps


def test_tree_infinitive_inherits_the_subject_of_its_verb():
    clause = parse("""
        Renault*ORG 1 nsubj PROPN
        va 1 ROOT VERB aller
        racheter 1 xcomp VERB racheter VerbForm=Inf
        Flexis*ORG 2 obj PROPN
    """)
    subject = fill(clause, clause.doc[2], "subject")
    assert names(subject) == ["Renault"]
    assert subject[0].steps == ("inherited subject",)


def test_tree_infinitive_under_a_request_is_done_by_the_one_asked():
    clause = parse("""
        FCC*ORG 1 nsubj PROPN
        appelle 1 ROOT VERB appeler
        Google*ORG 1 obj PROPN
        à 4 mark ADP
        bannir 1 xcomp VERB bannir VerbForm=Inf
        TikTok*ORG 4 obj PROPN
    """)
    subject = fill(clause, clause.doc[4], "subject")
    assert names(subject) == ["Google"]
    assert subject[0].steps == ("asked by: appeler",)


def test_tree_apposition_gives_the_noun_its_name_and_its_complement():
    clause = parse("""
        Zara*ORG 6 nsubj PROPN
        , 2 punct PUNCT
        filiale 0 appos NOUN
        de 4 case ADP
        Inditex*ORG 2 nmod PROPN
        , 2 punct PUNCT
        ouvre 6 ROOT VERB ouvrir
    """)
    noun = clause.doc[2]
    assert names(fill(clause, noun, "described")) == ["Zara"]
    assert names(fill(clause, noun, "of")) == ["Inditex"]


def test_tree_copula_gives_the_noun_its_subject():
    clause = parse("""
        Dupont*PER 2 nsubj PROPN
        est 2 cop AUX être
        PDG 2 ROOT NOUN pdg
        de 4 case ADP
        Renault*ORG 2 nmod PROPN
    """)
    described = fill(clause, clause.doc[2], "described")
    assert names(described) == ["Dupont"]
    assert described[0].steps == ("copula",)


def test_tree_name_right_after_a_possessive_noun_is_what_the_noun_is_said_of():
    clause = parse(
        """
        Renault*ORG 1 nsubj PROPN
        salue 1 ROOT VERB saluer
        son 3 det DET son Poss=Yes
        partenaire 1 obj NOUN
        Nissan*ORG 3 appos PROPN
    """,
        refs={2: Ref(0, "coreference: son → Renault")},
    )
    noun = clause.doc[3]
    assert names(fill(clause, noun, "described")) == ["Nissan"]
    assert names(fill(clause, noun, "possessor")) == ["son"]


def test_tree_light_verb_gives_its_subject_to_the_noun():
    clause = parse("""
        Orange*ORG 2 nsubj PROPN
        a 2 aux:tense AUX avoir
        signé 2 ROOT VERB signer VerbForm=Part|Tense=Past
        un 4 det DET
        partenariat 2 obj NOUN
        avec 6 case ADP
        Mistral*ORG 4 nmod PROPN
    """)
    noun = clause.doc[4]
    assert names(fill(clause, noun, "light")) == ["Orange"]
    assert names(fill(clause, noun, "prep:avec")) == ["Mistral"]


def test_tree_complement_hung_on_the_light_verb_still_belongs_to_the_noun():
    clause = parse("""
        Inditex*ORG 2 nsubj PROPN
        a 2 aux:tense AUX avoir
        réalisé 2 ROOT VERB réaliser VerbForm=Part|Tense=Past
        un 4 det DET
        investissement 2 obj NOUN
        dans 6 case ADP
        Yooji*ORG 2 obl:mod PROPN
    """)
    assert names(fill(clause, clause.doc[4], "prep:dans")) == ["Yooji"]


def test_tree_opening_participle_is_said_of_the_name_after_its_comma():
    clause = parse("""
        Basé 5 advcl VERB baser VerbForm=Part|Tense=Past
        à 2 case ADP
        Caen*LOC 0 obl:arg PROPN
        , 0 punct PUNCT
        Agrial*ORG 5 nsubj PROPN
        grandit 5 ROOT VERB grandir
    """)
    assert names(fill(clause, clause.doc[0], "described")) == ["Agrial"]
    assert names(fill(clause, clause.doc[0], "prep:à")) == ["Caen"]


def test_tree_event_noun_reaches_its_light_verb_through_an_attribute_or_lors_de():
    clause = parse("""
        ESTAC*ORG 2 nsubj PROPN
        a 2 aux:tense AUX avoir
        rendu 2 ROOT VERB rendre VerbForm=Part|Tense=Past
        officiel 2 xcomp ADJ
        un 5 det DET
        partenariat 3 obj NOUN
    """)
    light = Grammar(light_verbs=frozenset({"rendre", "obtenir"}))
    clause = Clause(clause.doc, clause.refs, light)
    assert names(fill(clause, clause.doc[5], "light")) == ["ESTAC"]
    clause = parse("""
        Pigment*ORG 1 nsubj PROPN
        obtient 1 ROOT VERB obtenir
        lors 1 advmod ADV
        d' 5 case ADP de
        un 5 det DET
        tour 2 obl:arg NOUN
    """)
    clause = Clause(clause.doc, clause.refs, light)
    assert names(fill(clause, clause.doc[5], "light")) == ["Pigment"]


def test_tree_opening_phrase_with_appositions_is_said_of_the_name_before_the_verb():
    # « Fondée par X, son directeur, et Y, ingénieur, l'entreprise Z compte … », parsed as one list
    clause = parse("""
        Fondée 0 ROOT VERB fonder VerbForm=Part|Tense=Past
        par 2 case ADP
        Paul*PER 0 obl:agent PROPN
        , 2 punct PUNCT
        son 5 det DET son Poss=Yes
        directeur 2 appos NOUN
        , 8 punct PUNCT
        et 8 cc CCONJ
        Luc*PER 2 conj PROPN
        , 8 punct PUNCT
        ingénieur 8 appos NOUN
        , 12 punct PUNCT
        Alma*ORG 8 conj PROPN
        compte 12 flat:name NOUN
    """)
    assert names(fill(clause, clause.doc[0], "object")) == ["Alma"]


@pytest.mark.parametrize(("mood", "expected"), [("Mood=Ind|VerbForm=Fin", None), ("", "hypothetical")])
def test_modality_an_adverbial_clause_in_the_indicative_is_a_fact(mood, expected):
    # « une jeune pousse … » read as the verb « pousser » (a head of wish) above « Meta a racheté X »
    clause = parse(f"""
        Lumo*ORG 1 nsubj PROPN
        pousse 1 ROOT VERB pousser
        , 1 punct PUNCT
        Meta*ORG 5 nsubj PROPN
        a 5 aux:tense AUX avoir {mood}
        racheté 1 advcl VERB racheter VerbForm=Part|Tense=Past
    """)
    words = {"hypothetical_heads": frozenset({"pousser"})}
    assert modality(clause, clause.doc[5], [], words) == expected


def test_frames_a_participle_opening_the_sentence_triggers_its_frame_even_tagged_as_a_name():
    from graphkit.extract.frames import load_frames
    from graphkit.extract.relations import triggers

    clause = parse("""
        Installée 6 obl:mod PROPN Installée
        à 2 case ADP
        Lyon*LOC 0 obl:arg PROPN
        , 0 punct PUNCT
        la 5 det DET
        start-up 6 nsubj NOUN
        recrute 6 ROOT VERB recruter
    """)
    found = {(frame.id, token.i) for frame, token, _span in triggers(clause, load_frames())}
    assert ("base-a", 0) in found


def test_tree_attribute_parsed_as_coordinated_and_gapped_clauses():
    # « Lyon restera fidèle à Adidas, Nice à Macron et Caen à Umbro, … »: the attribute the parser hung
    # as a coordinated word is said of the subject; the gapped clauses repeat the relation
    from graphkit.extract.tree import gapped_pairs

    clause = parse("""
        Lyon*ORG 1 nsubj PROPN
        restera 1 ROOT VERB rester
        fidèle 1 conj ADJ
        à 4 case ADP
        Adidas*ORG 1 obl:arg PROPN
        , 1 punct PUNCT
        Nice*ORG 1 appos PROPN
        à 8 case ADP
        Macron*ORG 6 nmod PROPN
        et 10 cc CCONJ
        Caen*ORG 6 conj PROPN
        à 12 case ADP
        Umbro*ORG 10 nmod PROPN
        , 14 punct PUNCT
        dit 1 parataxis VERB dire VerbForm=Fin
        Paris*ORG 14 nsubj PROPN
        à 17 case ADP
        Puma*ORG 14 obl PROPN
    """)
    assert names(fill(clause, clause.doc[2], "described")) == ["Lyon"]
    pairs = gapped_pairs(clause, clause.doc[4], frozenset({"à"}))
    assert [(a.token.text, b.token.text) for a, b in pairs] == [("Nice", "Macron"), ("Caen", "Umbro")]


def test_tree_coordination_past_a_members_own_place_keeps_its_preposition():
    clause = parse("""
        usines 0 ROOT NOUN
        à 2 case ADP
        Cholet*LOC 0 nmod PROPN
        dans 5 case ADP
        le 5 det DET
        Maine*LOC 2 nmod PROPN
        et 8 cc CCONJ
        à 8 case ADP
        Vannes*LOC 0 nmod PROPN
    """)
    assert names(conjuncts(clause, clause.doc[2])) == ["Cholet", "Vannes"]
    clause = parse("""
        directeur 0 ROOT NOUN
        d' 2 case ADP de
        Orange*ORG 0 nmod PROPN
        pour 5 case ADP
        l' 5 det DET
        Afrique*LOC 2 nmod PROPN
        et 8 cc CCONJ
        le 8 det DET
        Orient*LOC 5 conj PROPN
    """)
    assert names(conjuncts(clause, clause.doc[2])) == ["Orange"]


def test_tree_subject_after_the_verb_of_a_relative_clause():
    # « le tour auquel ont participé X et Y », « auquel » parsed as the subject
    clause = parse("""
        tour 0 ROOT NOUN
        auquel 3 nsubj PRON
        ont 3 aux:tense AUX avoir
        participé 0 acl:relcl VERB participer VerbForm=Part|Tense=Past
        Index*ORG 3 obl:mod PROPN
        et 6 cc CCONJ
        Temasek*ORG 4 conj PROPN
    """)
    assert names(fill(clause, clause.doc[3], "subject")) == ["Index"]
    assert preposition(clause.doc[1]) == "à"


def test_tree_transparent_nouns_lead_to_the_company():
    clause = parse("""
        BPCE*ORG 1 nsubj PROPN
        détient 1 ROOT VERB détenir
        16 3 nummod NUM
        % 1 obj NOUN %
        du 5 case ADP de
        capital 3 nmod NOUN
        de 7 case ADP
        CNP*ORG 5 nmod PROPN
    """)
    assert names(fill(clause, clause.doc[1], "object")) == ["CNP"]


def test_tree_plural_noun_announces_the_list_after_its_colon():
    clause = parse("""
        Orange*ORG 2 nsubj PROPN
        est 2 cop AUX être
        présent 2 ROOT ADJ
        dans 5 case ADP
        cinq 5 nummod NUM
        pays 2 obl:arg NOUN pays Number=Plur
        : 5 punct PUNCT
        Belgique*LOC 5 appos PROPN
        , 9 punct PUNCT
        Pologne*LOC 7 conj PROPN
        et 11 cc CCONJ
        Brésil*LOC 7 conj PROPN
    """)
    listed = fill(clause, clause.doc[2], "prep:dans")
    assert names(listed) == ["Belgique", "Pologne", "Brésil"]
    assert names(conjuncts(clause, listed[0].token)) == ["Belgique", "Pologne", "Brésil"]


def test_tree_plural_noun_announces_every_name_in_its_parentheses():
    # the parser hangs the list's last names on the verb: they are read from the words
    clause = parse("""
        Roularta*ORG 1 nsubj PROPN
        cède 1 ROOT VERB céder
        ses 3 det DET son Poss=Yes
        titres 1 obj NOUN titre Number=Plur
        ( 3 punct PUNCT
        L'Etudiant*ORG 3 appos PROPN
        , 3 punct PUNCT
        L'Expansion*ORG 1 obj PROPN
        , 7 punct PUNCT
        L'Express*ORG 7 appos PROPN
        ) 1 punct PUNCT
        . 1 punct PUNCT
    """)
    assert names(fill(clause, clause.doc[1], "object")) == ["L'Etudiant", "L'Expansion", "L'Express"]


def test_tree_coordination_is_read_from_the_words_when_the_parse_misses_it():
    clause = parse("""
        levé 0 ROOT VERB lever
        auprès 0 advmod ADV
        de 3 case ADP
        Bpifrance*ORG 1 obl:arg PROPN
        , 5 punct PUNCT
        Sofimac*ORG 0 conj PROPN
        et 7 cc CCONJ
        Capagro*ORG 5 nmod PROPN
    """)
    listed = conjuncts(clause, clause.doc[3])
    assert names(listed) == ["Bpifrance", "Sofimac", "Capagro"]
    assert [a.steps for a in listed] == [(), ("coordination",), ("coordination",)]


def test_tree_a_bare_comma_chain_is_no_list():
    clause = parse("""
        Renault*ORG 0 ROOT PROPN
        , 2 punct PUNCT
        Nissan*ORG 0 appos PROPN
    """)
    assert names(conjuncts(clause, clause.doc[0])) == ["Renault"]


def test_tree_preposition_of_several_words():
    clause = parse("""
        levé 0 ROOT VERB lever
        auprès 0 advmod ADV
        de 3 case ADP
        Bpifrance*ORG 1 obl:arg PROPN
    """)
    assert preposition(clause.doc[3]) == "auprès de"
    assert names(fill(clause, clause.doc[0], "prep:auprès de")) == ["Bpifrance"]


@pytest.mark.parametrize("slot", ["subject", "object", "described", "of", "possessor", "light", "prep:dans"])
def test_tree_slots_of_a_trigger_with_no_names_are_empty(slot):
    clause = parse("""
        Il 1 nsubj PRON il
        pleut 1 ROOT VERB pleuvoir
    """)
    assert fill(clause, clause.doc[1], slot) == []
