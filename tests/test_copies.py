"""Wire copies: the same story republished by several outlets is read once, its copies kept on its
evidence."""

from __future__ import annotations

from graphkit.aliases import load_aliases
from graphkit.copies import MIN_WORDS, CopyFinder
from graphkit.merge import Accumulator
from graphkit.model import DocResult, Document, Mention, RawRelation, Sentence
from graphkit.pipeline import fold_copies

BODY = (
    "Le groupe Carrefour a racheté l'enseigne espagnole Dia pour un montant non communiqué. "
    "L'opération renforce la présence du distributeur français en Espagne, où il compte déjà "
    "plusieurs centaines de magasins. Alexandre Bompard, le PDG de Carrefour, a salué une étape "
    "importante pour le groupe. Les syndicats de Dia attendent des précisions sur l'emploi dans les "
    "magasins de Madrid et de Barcelone, ainsi que sur l'avenir du siège de l'enseigne."
)
OTHER = (
    "Airbus a livré son premier A350 à la compagnie Air France à Toulouse. L'avionneur européen prévoit "
    "d'augmenter ses cadences de production l'an prochain malgré les difficultés de ses fournisseurs, "
    "a indiqué Guillaume Faury, son président exécutif, lors d'une conférence de presse. Les moteurs "
    "restent le principal goulet d'étranglement de la chaîne d'assemblage selon plusieurs analystes."
)


def test_copies_identical_retitled_and_extended_texts_are_folded() -> None:
    documents = [
        Document("a.txt", f"Carrefour rachète Dia\n\n{BODY}", (("outlet", "Le Monde"),)),
        Document("b.txt", f"Le distributeur s'offre Dia\n\n{BODY}\n\nAvec l'AFP. Tous droits réservés."),
        Document("c.txt", OTHER),
        Document("d.txt", BODY),
    ]
    copies: list[tuple[str, str]] = []
    kept = list(fold_copies(documents, lambda copy, original: copies.append((copy.name, original))))
    assert [d.name for d in kept] == ["a.txt", "c.txt"]
    assert copies == [("b.txt", "a.txt"), ("d.txt", "a.txt")]


def test_copies_short_or_different_texts_are_never_folded() -> None:
    finder = CopyFinder()
    short = " ".join(["Renault"] * (MIN_WORDS - 1))
    assert finder.original("a", short) is None and finder.original("b", short) is None
    assert finder.original("c", BODY) is None and finder.original("d", OTHER) is None
    half = BODY[: len(BODY) // 2] + " " + OTHER[len(OTHER) // 2 :]
    assert finder.original("e", half) is None


def test_copies_are_kept_on_the_evidence_and_not_counted_twice() -> None:
    sentence = "Carrefour a racheté Dia."
    result = DocResult(
        doc="a.txt",
        meta=(("date", "2024-03-05"), ("outlet", "Le Monde")),
        sentences=(Sentence(0, len(sentence), sentence),),
        mentions=(Mention("Carrefour", "ORG", 0, 9, 0), Mention("Dia", "ORG", 20, 23, 0)),
        relations=(RawRelation(0, "acquires", 1, 0, "racheter"),),
    )
    accumulator = Accumulator(load_aliases(()))
    accumulator.add(result)
    accumulator.add_copy("a.txt", "c.txt", (("outlet", "Les Echos"), ("date", "2024-03-06"), ("lang", "fr")))
    accumulator.add_copy("a.txt", "b.txt", (("title", "Dia racheté"),))
    _entities, edges = accumulator.finalize()
    [acquires] = [edge for edge in edges if edge.relation == "acquires"]
    assert acquires.weight == 1
    [item] = acquires.evidence
    assert item["outlet"] == "Le Monde" and item["date"] == "2024-03-05"
    assert item["copies"] == [
        {"doc": "b.txt", "title": "Dia racheté"},
        {"doc": "c.txt", "outlet": "Les Echos", "date": "2024-03-06"},
    ]
