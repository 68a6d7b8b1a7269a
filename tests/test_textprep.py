"""Offset-preserving text preparation."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from graphkit.processing import PIECE_CHARS
from graphkit.textprep import article_spans, fold_same_length, prepare_pieces, prepare_text


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


def test_textprep_early_furniture_line_blanks_only_itself():
    text = "Commentaires\nLe groupe Valtera a racheté Norelis. Il est content.\nFin de l'article."
    prepared = prepare_text(text)
    assert "Commentaires" not in prepared and "Valtera" in prepared and "Fin de l'article." in prepared


def test_textprep_file_of_several_articles_keeps_each_after_a_comment_section():
    text = "Valtera rachète Norelis.\nCommentaires\nbla bla\n---\nTelvia s'allie à Hexalis.\nSujets liés\nx\n"
    prepared = prepare_text(text)
    assert "bla bla" not in prepared and " x" not in prepared
    assert "Valtera" in prepared and "Telvia s'allie" in prepared
    assert article_spans(text) == [(0, text.index("---")), (text.index("---"), len(text))]


@given(st.text(alphabet="ab .\n’«»", max_size=300), st.integers(min_value=5, max_value=60))
def test_textprep_pieces_are_the_prepared_text_cut(text, limit):
    pieces = list(prepare_pieces(text, limit))
    assert "".join(piece for _offset, piece in pieces) == prepare_text(text)
    assert all(len(piece) <= limit for _offset, piece in pieces)
    ends = [offset + len(piece) for offset, piece in pieces]
    assert [offset for offset, _piece in pieces] == [0, *ends[:-1]]


def test_textprep_long_text_is_cut_into_bounded_pieces_at_paragraph_breaks():
    paragraph = "Valtera rachète Norelis. " * 40 + "\n\n"
    text = paragraph * 100  # 100,200 characters
    pieces = list(prepare_pieces(text, PIECE_CHARS))
    assert len(pieces) > len(text) // PIECE_CHARS and all(len(piece) <= PIECE_CHARS for _o, piece in pieces)
    assert all(piece.endswith("\n\n") for _offset, piece in pieces[:-1])
