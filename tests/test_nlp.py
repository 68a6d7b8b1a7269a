"""The alias component of the pipeline, on a blank French tokenizer with entities set by hand."""

from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy")

from spacy.tokens import Span  # noqa: E402

from graphkit.aliases import AliasEntry, AliasTable  # noqa: E402
from graphkit.nlp import AliasEntities  # noqa: E402


@pytest.fixture(scope="module")
def component():
    nlp = spacy.blank("fr")
    table = AliasTable()
    table.add(AliasEntry("FCC", "ORG", ("Commission fédérale des communications",)))
    table.add(AliasEntry("États-Unis", "LOC", ("US",)))
    table.add(AliasEntry("France", "LOC"))
    aliases = AliasEntities(nlp.vocab)
    for canonical, label, words, case_sensitive in table.phrases():
        aliases.add(canonical, label, words, case_sensitive)

    def run(text: str, ents: list[tuple[int, int, str]] = ()):
        doc = nlp.make_doc(text)
        doc.ents = [Span(doc, start, end, label=label) for start, end, label in ents]
        return [(e.text, e.label_, e.id_) for e in aliases(doc).ents]

    return run


def test_alias_names_match_whatever_their_case(component) -> None:
    assert component("La commission Fédérale des Communications a parlé.") == [
        ("commission Fédérale des Communications", "ORG", "FCC")
    ]


def test_alias_acronyms_match_only_in_their_case(component) -> None:
    assert component("Les US et nous.") == [("US", "LOC", "États-Unis")]
    assert component("Ils nous ont aidés, us et coutumes.") == []


def test_alias_inside_a_longer_ner_name_stays_part_of_it(component) -> None:
    # « Banque de France »: tokens 0-3, the NER's name is longer than the alias « France ».
    assert component("Banque de France et France.", [(0, 3, "ORG")]) == [
        ("Banque de France", "ORG", ""),
        ("France", "LOC", "France"),
    ]


def test_alias_replaces_the_shorter_ner_names_it_overlaps(component) -> None:
    text = "La Commission fédérale des communications siège."
    assert component(text, [(1, 3, "MISC"), (4, 5, "PER")]) == [
        ("Commission fédérale des communications", "ORG", "FCC")
    ]


def _sentences(text: str) -> list[str]:
    from graphkit.nlp import set_sentence_starts

    doc = set_sentence_starts(spacy.blank("fr").make_doc(text))
    return [word.text for word in doc if word.is_sent_start]


def test_sentences_start_after_an_end_and_its_closing_quote() -> None:
    assert _sentences("Il a dit « Non. » Puis il est parti ! Enfin… Rien?") == ["Il", "Puis", "Enfin", "Rien"]


def test_sentences_start_after_every_line_break() -> None:
    assert _sentences("Titre sans point\nPremier paragraphe, ici\n\n Suite") == ["Titre", "Premier", "Suite"]


def test_sentences_a_plain_text_is_one_sentence() -> None:
    assert _sentences("une phrase sans fin , ni majuscule") == ["une"]
    assert _sentences("") == []
