"""Entities on the real model: names cleaned before relations (boundaries, types from context)."""

from __future__ import annotations

import pytest


def names(result) -> dict[str, str]:
    """Named mentions (not resolved phrases) -> type."""
    return {m.text: m.label for m in result.mentions if m.antecedent is None and m.reason != "dropped"}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Le fonds 3i Group a racheté une participation dans la société.", "3i Group"),
        ("Le SCO d'Angers a changé de propriétaire cet été.", "SCO d'Angers"),
        ("Orange a finalisé l'acquisition d'Airtel Burkina Faso mardi.", "Airtel Burkina Faso"),
        (
            "C'est la Société nationale des télécommunications du Sénégal qui a mené la transaction.",
            "Société nationale des télécommunications du Sénégal",
        ),
    ],
)
def test_entities_keep_the_whole_name(extract, text, name):
    result, _graph = extract(text)
    assert name in names(result), names(result)


def test_entities_a_place_alone_stays_a_place(extract):
    result, _graph = extract("Orange investit au Burkina Faso et au Sénégal.")
    found = names(result)
    assert found.get("Burkina Faso") == "LOC"
    assert found.get("Sénégal") == "LOC"


@pytest.mark.parametrize(
    ("text", "name", "label"),
    [
        ("Le groupe Zorgal a publié ses résultats.", "Zorgal", "ORG"),
        ("La ville de Valence accueille le salon.", "Valence", "LOC"),
        ("Lhyfe, une start-up nantaise, produit de l'hydrogène.", "Lhyfe", "ORG"),
    ],
)
def test_entities_take_the_type_their_context_gives(extract, text, name, label):
    result, _graph = extract(text)
    assert names(result).get(name) == label, names(result)


def test_entities_a_place_opening_a_sentence_is_not_described_by_the_next_subject(extract):
    # « À Lyon, la compagnie … » says nothing of Lyon: it stays a place.
    text = "Ryanair ouvre une base à Lyon. À Lyon, la compagnie irlandaise basera deux avions."
    result, _graph = extract(text)
    assert names(result).get("Lyon") == "LOC"
