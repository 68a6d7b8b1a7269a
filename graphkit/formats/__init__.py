"""Readers of the input formats beyond plain text, HTML pages and JSON Lines: one module per format.

:data:`READERS` maps a file suffix to the module that reads it;
:func:`reader_for` picks the reader of one file. A reader is a function
``read(path, name, options, on_skip) -> iterator of Record``: it yields the articles
the file holds (a PDF or a Word file one, a spreadsheet one a row, a feed one
an entry) and raises :class:`Skip` with a one-line reason when the file gives
none (« no text layer, OCR it first »). A problem with one part of a file (a
row without text, an address that cannot be fetched) is reported through the
``on_skip(name, reason)`` callback it is given, and the rest is read. :mod:`graphkit.documents` turns
records into documents (decoding rules, line ends, mojibake repair).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

__all__ = [
    "READERS",
    "ADDRESS_LIST_NAMES",
    "ReadOptions",
    "Record",
    "Skip",
    "Reader",
    "SkipCallback",
    "reader_for",
    "is_address_list",
    "holds_one_document",
]

READERS: dict[str, str] = {
    ".pdf": "graphkit.formats.pdf",
    ".docx": "graphkit.formats.docx",
    ".odt": "graphkit.formats.odt",
    ".csv": "graphkit.formats.table",
    ".tsv": "graphkit.formats.table",
    ".xlsx": "graphkit.formats.table",
    ".rss": "graphkit.formats.feed",
    ".atom": "graphkit.formats.feed",
    ".xml": "graphkit.formats.feed",
    ".urls": "graphkit.formats.web",
}
"""Suffix (lowercase) -> module whose ``read`` function reads such files."""

ADDRESS_LIST_NAMES = ("urls.txt",)
"""File names (compared case-insensitively) read as address lists whatever their suffix says."""

_ONE_DOCUMENT = (".pdf", ".docx", ".odt")


class Record(NamedTuple):
    """One article read from a file: its document name, text and metadata (title, date, url, outlet)."""

    name: str
    text: str
    meta: dict[str, str]


class Skip(Exception):
    """A file that gives no document; the message is the one-line reason."""


@dataclass(frozen=True)
class ReadOptions:
    """How to read tables and fetch addresses.

    ``*_column`` name the columns of a CSV or spreadsheet (None: guessed from
    common names). ``fetch_dir`` is the folder where fetched pages are kept
    (None: kept nowhere); ``offline`` refuses every fetch, pages already kept
    are still read. ``delay`` is the pause, in seconds, between two requests
    to one host, ``timeout`` the longest wait for one answer.
    """

    text_column: str | None = None
    title_column: str | None = None
    date_column: str | None = None
    url_column: str | None = None
    fetch_dir: str | None = None
    offline: bool = False
    delay: float = 1.0
    timeout: float = 20.0


SkipCallback = Callable[[str, str], None]
Reader = Callable[[Path, str, ReadOptions, SkipCallback], Iterator[Record]]


def is_address_list(path: Path) -> bool:
    """True for a ``.urls`` file or a file named ``urls.txt``: one http(s) address a line.

    >>> [is_address_list(Path(name)) for name in ("press/URLS.txt", "a.urls", "a.txt")]
    [True, True, False]
    """
    return path.name.lower() in ADDRESS_LIST_NAMES or path.suffix.lower() == ".urls"


def reader_for(path: Path) -> Reader | None:
    """The reader of ``path`` by its name and suffix, or None for files read as text, HTML or JSON Lines.

    >>> reader_for(Path("a.txt")) is None, reader_for(Path("a.PDF")).__module__
    (True, 'graphkit.formats.pdf')
    """
    module = READERS[".urls"] if is_address_list(path) else READERS.get(path.suffix.lower())
    if module is None:
        return None
    read: Reader = importlib.import_module(module).read
    return read


def holds_one_document(path: Path) -> bool:
    """True when the file gives at most one document (so a progress bar can count files)."""
    suffix = path.suffix.lower()
    if is_address_list(path):
        return False
    return suffix in _ONE_DOCUMENT or suffix not in (".jsonl", *READERS)
