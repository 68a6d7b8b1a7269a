"""Alias tables: canonical names, types, aliases and kinds of well-known entities, kept as data.

A table is a JSON file::

    {"entities": [{"canonical": "FCC", "type": "ORG",
                   "aliases": ["Commission fédérale des communications"],
                   "kinds": ["commission", "régulateur"]}]}

``kinds`` are common nouns a text may use to refer back to the entity
(« le régulateur »); coreference uses them. The package ships
``rules/aliases.fr.json``; users add their own with ``--aliases FILE``, whose
entries win over the shipped ones. ``graphkit aliases`` writes this format.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from graphkit.datafiles import read_sources
from graphkit.errors import AliasError
from graphkit.model import ENTITY_TYPES
from graphkit.normalize import normalize_key

__all__ = ["AliasEntry", "AliasTable", "load_aliases", "builtin_alias_text", "dumps_aliases"]


@dataclass(frozen=True)
class AliasEntry:
    """One entity of an alias table."""

    canonical: str
    type: str
    aliases: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()


@dataclass
class AliasTable:
    """Surface form -> canonical name lookups, built from one or more alias files."""

    entries: dict[str, AliasEntry] = field(default_factory=dict)
    by_key: dict[str, str] = field(default_factory=dict)
    digest: str = ""

    def add(self, entry: AliasEntry) -> None:
        """Add (or replace) an entry; its surface forms now point to it."""
        self.entries[entry.canonical] = entry
        for surface in (entry.canonical, *entry.aliases):
            self.by_key[normalize_key(surface)] = entry.canonical

    def canonical(self, surface: str) -> str | None:
        """Canonical name of a surface form, or None.

        >>> table = AliasTable()
        >>> table.add(AliasEntry("FCC", "ORG", ("Commission fédérale des communications",)))
        >>> table.canonical("la commission fédérale des communications")
        'FCC'
        """
        return self.by_key.get(normalize_key(surface))

    def entry(self, canonical: str) -> AliasEntry | None:
        return self.entries.get(canonical)

    def keys_of_type(self, label: str) -> frozenset[str]:
        """Normalised surface forms of the entries of one type (« LOC »: the places the table knows)."""
        return frozenset(key for key, name in self.by_key.items() if self.entries[name].type == label)

    def phrases(self) -> list[tuple[str, str, tuple[str, ...], bool]]:
        """``(canonical, type, words, case_sensitive)`` for every surface form, sorted.

        Acronyms and short forms match case-sensitively (« US » is not
        « us »); other forms match whatever their case.

        >>> table = AliasTable()
        >>> table.add(AliasEntry("FCC", "ORG", ("Commission fédérale des communications",)))
        >>> table.phrases()[0]
        ('FCC', 'ORG', ('Commission', 'fédérale', 'des', 'communications'), False)
        """
        phrases = []
        for canonical in sorted(self.entries):
            entry = self.entries[canonical]
            for surface in sorted({entry.canonical, *entry.aliases}):
                words = tuple(surface.replace("’", "'").split())
                phrases.append((canonical, entry.type, words, _case_sensitive(surface)))
        return phrases


_ARTICLES = frozenset({"le", "la", "les", "l'", "the"})


def _case_sensitive(surface: str) -> bool:
    """Whether a surface form matches only in its own case: acronyms and short forms (« US » is not
    « us »), and names that start with an article (« Le Monde » is not « dans le monde »).

    >>> _case_sensitive("Le Monde"), _case_sensitive("FCC"), _case_sensitive("Commission européenne")
    (True, True, False)
    """
    first = surface.replace("’", "'").split()[0].lower() if surface.split() else ""
    return surface.isupper() or len(surface) <= 3 or first in _ARTICLES or first.startswith("l'")


def _fail(source: str, index: int | None, problem: str) -> AliasError:
    where = f"{source}" if index is None else f"{source}, entry {index}"
    return AliasError(f"invalid alias file {where}: {problem}")


def _strings(value: Any, source: str, index: int, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(source, index, f"'{name}' must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def parse_aliases(data: Any, source: str) -> list[AliasEntry]:
    """Validate parsed alias JSON; an error names the file, the entry and the problem."""
    if isinstance(data, dict):
        data = data.get("entities")
    if not isinstance(data, list):
        raise _fail(source, None, "expected an object with an 'entities' list")
    entries = []
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            raise _fail(source, index, "expected an object")
        canonical = item.get("canonical")
        if not isinstance(canonical, str) or not normalize_key(canonical):
            raise _fail(source, index, "'canonical' must be a non-empty name")
        kind = item.get("type")
        if kind not in ENTITY_TYPES:
            raise _fail(source, index, f"'type' must be one of {', '.join(ENTITY_TYPES)}, got {kind!r}")
        unknown = sorted(set(item) - {"canonical", "type", "aliases", "kinds", "reasons"})
        if unknown:
            raise _fail(source, index, f"unknown field(s) {', '.join(unknown)}")
        aliases = _strings(item.get("aliases"), source, index, "aliases")
        kinds = _strings(item.get("kinds"), source, index, "kinds")
        entries.append(AliasEntry(canonical.strip(), kind, aliases, tuple(k.lower() for k in kinds)))
    return entries


def builtin_alias_text() -> str:
    """Text of the alias table shipped with graphkit."""
    return resources.files("graphkit").joinpath("rules/aliases.fr.json").read_text(encoding="utf-8")


def _parse_text(text: str, source: str) -> list[AliasEntry]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise _fail(source, None, f"not JSON ({err.msg}, line {err.lineno})") from None
    return parse_aliases(data, source)


def load_aliases(paths: Sequence[str | Path] = (), *, builtin: bool = True) -> AliasTable:
    """Load the shipped alias table (unless ``builtin=False``) and then ``paths``, in order.

    Raises
    ------
    AliasError
        If a file is missing, is not JSON, or has an invalid entry.
    """
    table = AliasTable()
    shipped = ("aliases.fr.json (built in)", builtin_alias_text()) if builtin else None
    sources, table.digest = read_sources(shipped, paths, what="alias", error=AliasError)
    for source, text in sources:
        for entry in _parse_text(text, source):
            table.add(entry)
    return table


def dumps_aliases(entries: Iterable[dict[str, Any]]) -> str:
    """Alias-file JSON text for entries (sorted, stable)."""
    items = sorted(entries, key=lambda e: e["canonical"])
    return json.dumps({"entities": items}, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
