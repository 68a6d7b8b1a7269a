"""PDF files with a text layer (pypdf): one document, title and date from the metadata.

A PDF that is a scan (no text layer) is skipped with « no text layer, OCR it
first »; an encrypted or damaged one with its reason. Pages are joined by a
blank line.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from graphkit.formats import ReadOptions, Record, Skip, SkipCallback

__all__ = ["read"]


def read(path: Path, name: str, options: ReadOptions, on_skip: SkipCallback) -> Iterator[Record]:
    """The text of every page of a PDF, as one record."""
    import pypdf

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its notes on odd files are not ours to print
    try:
        pdf = pypdf.PdfReader(path)
        if pdf.is_encrypted:
            raise Skip("encrypted PDF")
        pages = [page.extract_text() or "" for page in pdf.pages]
        info = pdf.metadata
    except Skip:
        raise
    except Exception as err:  # pypdf raises many kinds of errors on damaged files
        raise Skip(f"unreadable PDF ({type(err).__name__})") from None
    text = "\n\n".join(page.strip() for page in pages if page.strip())
    if not text:
        raise Skip("no text layer, OCR it first")
    meta: dict[str, str] = {}
    if info is not None:
        if info.title and str(info.title).strip():
            meta["title"] = str(info.title).strip()
        date = _date(info)
        if date:
            meta["date"] = date
    yield Record(name, text, meta)


def _date(info: object) -> str:
    """The creation date of a PDF's metadata as ``YYYY-MM-DD``, or ""."""
    try:
        created = getattr(info, "creation_date", None)
    except Exception:  # a malformed date string
        return ""
    return created.date().isoformat() if created is not None else ""
