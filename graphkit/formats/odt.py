"""OpenDocument ``.odt`` files (odfpy): one document of
headings and paragraphs, title and date from its metadata."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graphkit.formats import ReadOptions, Record, Skip, SkipCallback

__all__ = ["read"]


def read(path: Path, name: str, options: ReadOptions, on_skip: SkipCallback) -> Iterator[Record]:
    """The headings and paragraphs of an OpenDocument text, separated by blank lines, as one record."""
    from odf import dc, meta, teletype
    from odf.namespaces import TEXTNS
    from odf.opendocument import load

    try:
        document = load(str(path))
    except Exception as err:  # not a zip, not an OpenDocument file, damaged XML
        raise Skip(f"unreadable OpenDocument file ({type(err).__name__})") from None
    wanted = {(TEXTNS, "p"), (TEXTNS, "h")}
    blocks = [teletype.extractText(element).strip() for element in _blocks(document.text, wanted)]
    text = "\n\n".join(block for block in blocks if block)
    if not text:
        raise Skip("no text")
    found = {}
    for key, element in (("title", dc.Title), ("date", meta.CreationDate)):
        values = document.meta.getElementsByType(element)
        value = teletype.extractText(values[0]).strip() if values else ""
        if value:
            found[key] = value[:10] if key == "date" else value
    yield Record(name, text, found)


def _blocks(element: Any, wanted: set[tuple[str, str]]) -> Iterator[Any]:
    """Headings and paragraphs under ``element``, in document order (those in lists and sections too)."""
    for child in element.childNodes:
        if getattr(child, "qname", None) in wanted:
            yield child
        elif getattr(child, "childNodes", None):
            yield from _blocks(child, wanted)
