"""Offset-preserving text preparation: what spaCy reads, character for character aligned with the document.

French news text trips the tokenizer and the NER in ways that a same-length
rewrite fixes: typographic apostrophes (« qu’ », « l’ ») become ``'`` so that
elisions split right, odd spaces become plain spaces, and page furniture
(« Publier un commentaire », « (s’ouvre dans un nouvel onglet) », image
credits, the comment section) is blanked with spaces. Every replacement keeps
the length, so an offset into the prepared text is an offset into the
document as read.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = [
    "ARTICLE_BREAK",
    "Noise",
    "article_spans",
    "fold_same_length",
    "load_noise",
    "prepare_pieces",
    "prepare_text",
    "split_for_length",
    "split_stream",
]

_CHAR_MAP = {
    "\u2019": "'",
    "\u2018": "'",
    "\u02bc": "'",
    "\u2032": "'",
    "\u00a0": " ",
    "\u202f": " ",
    "\u2007": " ",
    "\u2009": " ",
    "\u200a": " ",
    "\u200b": " ",
    "\u2060": " ",
    "\ufeff": " ",
    "\u2028": "\n",
    "\u2029": "\n",
}
_TRANSLATE = str.maketrans(_CHAR_MAP)


@dataclass(frozen=True)
class Noise:
    """Boilerplate phrases, folded with :func:`fold_same_length`."""

    lines: frozenset[str]
    inline: tuple[str, ...]
    credits: tuple[str, ...]
    end_markers: tuple[str, ...]
    bylines: tuple[str, ...] = ()


def _fold_char(char: str) -> str:
    char = _CHAR_MAP.get(char, char)
    lower = char.lower()
    if len(lower) != 1:
        return char
    base = unicodedata.normalize("NFD", lower)[0]
    return base


class _FoldTable(dict[int, str]):
    """``str.translate`` table of :func:`_fold_char`, filled in as code points are first met."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def fold_same_length(text: str) -> str:
    """Lowercase, unaccented, plain-apostrophe form of ``text`` with the same length.

    >>> fold_same_length("Je m’Inscris à Noël")
    "je m'inscris a noel"
    """
    return text.translate(_FOLD_TABLE)


@lru_cache(maxsize=1)
def load_noise() -> Noise:
    """The boilerplate table shipped in ``rules/noise.fr.json``."""
    raw = json.loads(resources.files("graphkit").joinpath("rules/noise.fr.json").read_text(encoding="utf-8"))
    fold = fold_same_length
    return Noise(
        lines=frozenset(fold(x).strip() for x in raw["lines"]),
        inline=tuple(fold(x) for x in raw["inline"]),
        credits=tuple(fold(x) for x in raw["credits"]),
        end_markers=tuple(fold(x).strip() for x in raw["end_markers"]),
        bylines=tuple(fold(x) for x in raw.get("bylines", [])),
    )


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "


def _is_slug(line: str) -> bool:
    """A URL slug or file name standing alone on a line (« mon-article-du-jour »)."""
    word = line.strip()
    return " " not in word and word.count("-") + word.count("_") >= 3


def _is_credit(text: str) -> bool:
    """A photo credit: « YOAN VALAT / EPA », « AFP / Daniel Slim » (a slash, few words, no sentence)."""
    letters = [c for c in text if c.isalpha()]
    return (
        "/" in text
        and len(text.split()) <= 6
        and "." not in text.replace(" / ", "")
        and bool(letters)
        and sum(c.isupper() for c in letters) / len(letters) > 0.5
    )


_PARENTHESES = re.compile(r"\(([^()\n]{3,80})\)")
_HEADING_MARK = re.compile(r"[ \t]{0,3}#{1,6}(?=[ \t])")  # a Markdown heading: « # Titre »


def _line_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each line of ``text``, line breaks excluded."""
    spans, start = [], 0
    while (end := text.find("\n", start)) != -1:
        spans.append((start, end))
        start = end + 1
    spans.append((start, len(text)))
    return spans


ARTICLE_BREAK = re.compile(r"[ \t]*(?:[-=*_#~][ \t]*){3,}|\f+")
"""A line that separates two articles in one file: ``---``, ``***``, ``===``... or a form feed."""


_SENTENCE_END = re.compile(r"[.!?…](?:\s|$)")


def _article_end(text: str, start: int) -> int:
    """End of the article the line at ``start`` belongs to: the next article break, or the text's end."""
    for line_start, line_end in _line_spans_from(text, start):
        if ARTICLE_BREAK.fullmatch(text[line_start:line_end]):
            return line_start
    return len(text)


def _line_spans_from(text: str, start: int) -> Iterator[tuple[int, int]]:
    while (end := text.find("\n", start)) != -1:
        yield start, end
        start = end + 1
    yield start, len(text)


def article_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each article of a text holding several, split at article breaks.

    >>> article_spans("Un.\\n---\\nDeux.")
    [(0, 4), (4, 13)]
    """
    spans, start = [], 0
    for line_start, line_end in _line_spans(text):
        if line_start > start and ARTICLE_BREAK.fullmatch(text[line_start:line_end]):
            spans.append((start, line_start))
            start = line_start
    spans.append((start, len(text)))
    return spans


def split_for_length(text: str, limit: int) -> Iterator[tuple[int, str]]:
    """Cut ``text`` into ``(offset, piece)`` of at most ``limit`` characters.

    Cuts fall on a paragraph break, else a line break, else after a sentence
    end (". "), else a space; pieces cover the text exactly once.

    >>> list(split_for_length("Un. Deux.\\n\\nTrois.", 12))
    [(0, 'Un. Deux.\\n\\n'), (11, 'Trois.')]
    """
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = -1
        for sep in ("\n\n", "\n", ". ", " "):
            at = window.rfind(sep)
            if at > 0:
                cut = at + len(sep)
                break
        if cut <= 0:
            cut = limit
        yield start, text[start : start + cut]
        start += cut
    yield start, text[start:]


def split_stream(chunks: Iterable[str], limit: int) -> Iterator[tuple[int, str]]:
    """:func:`split_for_length` of the text ``chunks`` make when joined, never holding it whole.

    At most ``limit`` characters and a chunk are held at once.

    >>> list(split_stream(["Un. De", "ux.\\n\\nTr", "ois."], 12))
    [(0, 'Un. Deux.\\n\\n'), (11, 'Trois.')]
    """
    buffer, base = "", 0
    for chunk in chunks:
        buffer += chunk
        if len(buffer) <= limit:
            continue
        *done, (offset, rest) = split_for_length(buffer, limit)
        yield from ((base + start, piece) for start, piece in done)
        buffer, base = rest, base + offset
    yield from ((base + start, piece) for start, piece in split_for_length(buffer, limit))


def prepare_text(text: str, noise: Noise | None = None) -> str:
    """Text for the NLP pipeline, same length as ``text``.

    >>> prepare_text("L’entreprise qu’il dirige")
    "L'entreprise qu'il dirige"
    >>> prepare_text("Texte.\\nPublier un commentaire\\nMerci").split("\\n")
    ['Texte.', '                      ', '     ']
    >>> prepare_text("## Le titre")
    '   Le titre'

    Page furniture that ends an article (a comment section, related links)
    is blanked to the end of that article: the next article of the same
    file, after an article break, is kept. Such a line before the article's
    first sentence end (a menu above the text) is blanked alone.
    """
    return _prepare(text, noise or load_noise(), prose=False)[0]


def prepare_pieces(text: str, limit: int, noise: Noise | None = None) -> Iterator[tuple[int, str]]:
    """``(offset, prepared piece)`` of ``text``: its articles, cut into pieces of at most ``limit``.

    The same as cutting :func:`prepare_text`'s result, but made a piece at a
    time, so that a long text never has more than one piece prepared at once.
    Page furniture that ends an article blanks the pieces of it that follow.

    >>> list(prepare_pieces("Un’. Deux.\\n\\nTrois.\\n---\\nQuatre.", 12))
    [(0, "Un'. Deux.\\n\\n"), (12, 'Trois.\\n'), (19, '---\\nQuatre.')]
    """
    noise = noise or load_noise()
    for start, end in article_spans(text):
        prose = ended = False
        for offset, piece in split_for_length(text[start:end], limit):
            if ended:
                prepared = _BLANK.sub(" ", piece)
            else:
                prepared, prose, ended = _prepare(piece, noise, prose=prose)
            yield start + offset, prepared


_BLANK = re.compile(r"[^\n]")


def _prepare(text: str, noise: Noise, *, prose: bool) -> tuple[str, bool, bool]:
    """:func:`prepare_text`, and whether a sentence has ended and page furniture ended the last article.

    ``prose`` says a sentence of the article ``text`` begins in has already ended.
    """
    chars = list(text.translate(_TRANSLATE))
    folded = fold_same_length(text)
    article_end = _article_end(text, 0)
    skip_to = 0
    ended = False
    for start, end in _line_spans(text):
        if start >= article_end:  # an article break: the next article begins
            article_end, prose = _article_end(text, min(end + 1, len(text))), False
        line = folded[start:end].strip()
        if start < skip_to or not line or ARTICLE_BREAK.fullmatch(line):
            continue
        heading = _HEADING_MARK.match(text, start, end)
        if heading:
            _blank(chars, start, heading.end())
        if any(line == m or line.startswith(m + " ") or line.startswith(m + ":") for m in noise.end_markers):
            _blank(chars, start, article_end if prose else end)  # before any sentence: that line only
            skip_to = article_end if prose else end
            ended = ended or (prose and article_end == len(text))
            continue
        prose = prose or bool(_SENTENCE_END.search(line))
        is_byline = len(line.split()) <= 5 and any(line.startswith(b) for b in noise.bylines)
        if (
            line in noise.lines
            or _is_slug(line)
            or is_byline
            or _is_credit(text[start:end].strip().strip("()"))
        ):
            _blank(chars, start, end)
            continue
        for phrase in noise.inline:
            at = folded.find(phrase, start, end)
            while at != -1:
                _blank(chars, at, at + len(phrase))
                at = folded.find(phrase, at + len(phrase), end)
        for group in _PARENTHESES.finditer(text, start, end):
            if _is_credit(group.group(1)):
                _blank(chars, group.start(), group.end())
        for mark in noise.credits:
            at = folded.find(mark, start, end)
            if at != -1:
                _blank(chars, at, end)
                break
    return "".join(chars), prose, ended
