"""Name normalisation: the key under which surface forms of one entity meet.

Pure ``str -> str`` functions: Unicode compatibility form, plain quotes,
case-folding, accents removed, spaces collapsed, a leading article (« le »,
« la », « les », « l' ») and edge punctuation dropped. Names and words recur
across a corpus, so each function remembers its last 65,536 results.
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["normalize_key", "strip_article", "fold"]

_PLAIN_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u02bc": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
    }
)
_LEADING_ARTICLE = re.compile(r"^(?:(?:le|la|les|the)\s+|l')")
_LOWERCASE_ARTICLE = re.compile(r"^(?:(?:le|la|les)\s+|l')")


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text``, quotes made plain.

    >>> fold("États-Unis")
    'etats-unis'
    """
    return _fold(text)


@functools.lru_cache(maxsize=1 << 16)
def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_PLAIN_QUOTES).casefold()
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _trim(text: str) -> str:
    def edge(char: str) -> bool:
        return char.isspace() or unicodedata.category(char).startswith("P")

    start, end = 0, len(text)
    while start < end and edge(text[start]):
        start += 1
    while end > start and edge(text[end - 1]):
        end -= 1
    return text[start:end]


def strip_article(text: str) -> str:
    """``text`` without a leading lowercase article; a capitalised one is part of the name.

    >>> strip_article("la Chine"), strip_article("l’Allemagne"), strip_article("Le Monde")
    ('Chine', 'Allemagne', 'Le Monde')
    """
    return _strip_article(text)


@functools.lru_cache(maxsize=1 << 16)
def _strip_article(text: str) -> str:
    plain = text.translate(_PLAIN_QUOTES)
    match = _LOWERCASE_ARTICLE.match(plain)
    return text[match.end() :].lstrip() if match else text


def normalize_key(name: str) -> str:
    """Matching key of an entity name.

    >>> normalize_key("  la Chine ")
    'chine'
    >>> normalize_key("États-Unis") == normalize_key("Etats-Unis")
    True
    """
    return _normalize_key(name)


@functools.lru_cache(maxsize=1 << 16)
def _normalize_key(name: str) -> str:
    text = " ".join(_trim(fold(name)).split())
    return _trim(_LEADING_ARTICLE.sub("", text, count=1))
