"""CSV, TSV and spreadsheet (``.xlsx``) exports of scrapers and press databases: one article a row.

The text column is the one named by ``--text-column``, else the first whose
name (any case) is one of :data:`GUESSES` ``["text"]``; likewise for the
title, date and url columns, which are optional. Rows are named
``<file name>#<row number>`` (the first data row is 1). A row with an empty
text cell is reported and skipped; a file without a text column is skipped
with the names of its columns. CSV files are read as UTF-8 (with or without
BOM), else as cp1252; the separator of a ``.csv`` is sniffed (« , », « ; »,
tab).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from graphkit.formats import ReadOptions, Record, Skip, SkipCallback

__all__ = ["GUESSES", "read", "pick_column"]

GUESSES: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "texte", "contenu", "article", "full_text"),
    "title": ("title", "titre", "headline"),
    "date": ("date", "published", "pubdate", "published_at", "publication_date"),
    "url": ("url", "link", "lien"),
    "outlet": ("outlet", "source", "media", "média", "publication"),
}
"""Column names tried, in this order, for each field (compared without case)."""


def pick_column(columns: Sequence[str], field: str, chosen: str | None) -> str | None:
    """The column of ``field``: ``chosen`` (which must exist), else the first common name found.

    >>> pick_column(["Titre", "Body"], "text", None), pick_column(["Titre"], "title", None)
    ('Body', 'Titre')
    >>> pick_column(["a"], "text", "b")
    Traceback (most recent call last):
    ...
    graphkit.formats.Skip: no column 'b' (columns: a)
    """
    if chosen is not None:
        if chosen not in columns:
            raise Skip(f"no column {chosen!r} (columns: {', '.join(map(str, columns))})")
        return chosen
    lowered = {str(column).strip().lower(): column for column in reversed(columns)}
    return next((lowered[name] for name in GUESSES[field] if name in lowered), None)


def read(path: Path, name: str, options: ReadOptions, on_skip: SkipCallback) -> Iterator[Record]:
    """One record a row with text."""
    frame = _load(path)
    columns = [str(column) for column in frame.columns]
    frame.columns = columns
    text_column = pick_column(columns, "text", options.text_column)
    if text_column is None:
        raise Skip(f"no text column (columns: {', '.join(columns)}); name it with --text-column")
    chosen = {
        "title": pick_column(columns, "title", options.title_column),
        "date": pick_column(columns, "date", options.date_column),
        "url": pick_column(columns, "url", options.url_column),
        "outlet": pick_column(columns, "outlet", None),
    }
    if frame.empty:
        raise Skip("no row")
    for number, row in enumerate(frame.to_dict("records"), start=1):
        text = _cell(row.get(text_column))
        row_name = f"{name}#{number}"
        if not text:
            on_skip(row_name, "no text")
            continue
        meta = {key: _cell(row.get(column)) for key, column in chosen.items() if column is not None}
        yield Record(row_name, text, {key: value for key, value in meta.items() if value})


def _load(path: Path) -> Any:
    """The table as a DataFrame of strings (empty cells as "")."""
    import pandas as pd

    suffix = path.suffix.lower()
    try:
        if suffix == ".xlsx":
            return pd.read_excel(path, dtype=str, keep_default_na=False)
        separator = "\t" if suffix == ".tsv" else None
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return pd.read_csv(
                    path, sep=separator, engine="python", dtype=str, keep_default_na=False, encoding=encoding
                )
            except UnicodeDecodeError:
                continue
        raise Skip("not text in UTF-8 or cp1252")
    except Skip:
        raise
    except pd.errors.EmptyDataError:
        raise Skip("empty file") from None
    except Exception as err:  # a malformed CSV, a damaged or encrypted workbook
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise Skip(f"unreadable table ({reason})") from None


def _cell(value: object) -> str:
    return str(value).strip() if value is not None else ""
