"""Name normalisation keys."""

from __future__ import annotations

import pytest

from graphkit.normalize import normalize_key, strip_article


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("la Chine", "Chine"),
        ("États-Unis", "Etats-Unis"),
        ("TIKTOK", "TikTok"),
        ("L’Oréal", "L'Oréal"),
        ("  Banque   de France ", "banque de france"),
        ("« Le Monde »", "Monde"),
    ],
)
def test_normalize_variants_share_a_key(a, b):
    assert normalize_key(a) == normalize_key(b)


@pytest.mark.parametrize(("a", "b"), [("Orange", "Oran"), ("Free", "Freee"), ("Total", "TotalEnergies")])
def test_normalize_different_names_keep_different_keys(a, b):
    assert normalize_key(a) != normalize_key(b)


def test_normalize_strip_article_keeps_capitalised_article():
    assert strip_article("la Chine") == "Chine"
    assert strip_article("Le Parisien") == "Le Parisien"
