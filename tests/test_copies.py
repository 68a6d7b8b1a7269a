"""Wire copies: the same story republished by several outlets is read once, its copies kept on its
evidence."""

from __future__ import annotations

import random

import graphkit.copies as copies
from graphkit.aliases import load_aliases
from graphkit.copies import CANDIDATES, MAX_POSTINGS, MIN_WORDS, THRESHOLD, CopyFinder, similarity, sketch
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


def _plain_original(stories: dict[str, object], text: str) -> str | None:
    """What :meth:`CopyFinder.original` answers, by comparing ``text`` with every story remembered."""
    mine = sketch(text)
    if mine is None:
        return None
    best, best_score = None, THRESHOLD
    for name, theirs in stories.items():  # in the order they were remembered: the earliest wins a tie
        score = similarity(mine, theirs)  # type: ignore[arg-type]
        if score > best_score or (best is None and score >= best_score):
            best, best_score = name, score
    return best


def _corpus_with_boilerplate(seed: int, stories: int) -> list[tuple[str, str]]:
    """Stories sharing one long footer (whose shingles fill every index list), and edited copies."""
    rng = random.Random(seed)
    vocabulary = [f"mot{i}" for i in range(400)]
    footer = " ".join(rng.choice(vocabulary) for _ in range(120))
    texts = []
    for n in range(stories):
        body = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(40, 160)))
        texts.append((f"{n:04d}", f"{body} {footer}"))
        if rng.random() < 0.3:
            words = body.split()
            cut = rng.randint(0, len(words) // 6)
            texts.append((f"{n:04d}-copie", " ".join(["Titre", *words[cut:]]) + f" {footer}"))
    return texts


def test_copies_bounded_index_finds_what_comparing_with_every_story_finds(monkeypatch) -> None:
    """The anchor index (full lists skipped, at most CANDIDATES compared) is a shortcut: it answers
    what comparing each text with every earlier story answers, with a bounded number of comparisons."""
    compared: list[int] = []
    counting = lambda a, b: compared.append(1) or similarity(a, b)  # noqa: E731
    for seed in range(2):
        finder, stories = CopyFinder(), {}
        monkeypatch.setattr(copies, "similarity", counting)
        answers = []
        for name, text in _corpus_with_boilerplate(seed, 250):
            before = len(compared)
            answers.append(finder.original(name, text))
            assert len(compared) - before <= CANDIDATES
        monkeypatch.setattr(copies, "similarity", similarity)
        expected = []
        for name, text in _corpus_with_boilerplate(seed, 250):
            found = _plain_original(stories, text)
            expected.append(found)
            if found is None and sketch(text) is not None:
                stories[name] = sketch(text)
        assert answers == expected and sum(a is not None for a in answers) > 40
        assert max(len(names) for names in finder.anchors.values()) == MAX_POSTINGS  # the footer's hashes
