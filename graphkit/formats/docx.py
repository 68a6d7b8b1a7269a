"""Word ``.docx`` files (python-docx): one document:
paragraphs then tables, title and date from its properties."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from graphkit.formats import ReadOptions, Record, Skip, SkipCallback

__all__ = ["read"]


def read(path: Path, name: str, options: ReadOptions, on_skip: SkipCallback) -> Iterator[Record]:
    """The paragraphs of a Word file (then its table cells), separated by blank lines, as one record."""
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as err:  # not a zip, not a Word file, damaged parts
        raise Skip(f"unreadable Word file ({type(err).__name__})") from None
    paragraphs = [p.text.strip() for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            paragraphs.extend(cell.text.strip() for cell in row.cells)
    text = "\n\n".join(dict.fromkeys(p for p in paragraphs if p))
    if not text:
        raise Skip("no text")
    props = document.core_properties
    meta = {}
    if props.title and props.title.strip():
        meta["title"] = props.title.strip()
    when = props.created or props.modified
    if when is not None:
        meta["date"] = when.date().isoformat()
    yield Record(name, text, meta)
