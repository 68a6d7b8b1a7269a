"""Offset-preserving text preparation."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from graphkit.textprep import fold_same_length, prepare_text


@given(st.text())
def test_textprep_keeps_length(text):
    assert len(prepare_text(text)) == len(text)
    assert len(fold_same_length(text)) == len(text)


def test_textprep_typographic_apostrophes_become_plain():
    assert prepare_text("qu’il l’a dit") == "qu'il l'a dit"


def test_textprep_blanks_page_furniture_keeping_offsets():
    text = "Selon le Monde (s’ouvre dans un nouvel onglet)la société a dit.\nPublier un commentaire\n"
    prepared = prepare_text(text)
    assert "onglet" not in prepared and "Publier" not in prepared
    assert prepared.index("la société") == text.index("la société")


def test_textprep_blanks_credits_slugs_and_comment_section():
    text = "Une photo. © Jean Dupont - agence\nmon-article-sur-les-prix\nFin.\nSujets liés :\nAutre Texte"
    prepared = prepare_text(text)
    assert "Jean Dupont" not in prepared and "mon-article" not in prepared
    assert "Fin." in prepared and "Autre Texte" not in prepared


@given(st.text())
def test_fold_same_length_folds_each_character_on_its_own(text):
    from graphkit.textprep import _fold_char

    assert fold_same_length(text) == "".join(_fold_char(char) for char in text)
