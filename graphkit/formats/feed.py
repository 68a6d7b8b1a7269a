"""RSS and Atom feeds (feedparser): one document an entry, with its title, date, link and outlet.

An entry's text is its content, else its summary, reduced to plain text.
Entries are named ``<file name>#<n>`` (the first entry is 1). A ``.xml`` file
whose root is not a feed is skipped as an unsupported format.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graphkit.formats import ReadOptions, Record, Skip, SkipCallback
from graphkit.formats.markup import fragment_text

__all__ = ["read", "parse_feed", "entries"]


def read(path: Path, name: str, options: ReadOptions, on_skip: SkipCallback) -> Iterator[Record]:
    """The entries of a feed file."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise Skip(f"cannot read ({err.strerror or err})") from None
    feed = parse_feed(data)
    if feed is None:
        xml = path.suffix.lower() == ".xml"
        kind = "an XML file that is not an RSS or Atom feed" if xml else "not a feed"
        raise Skip(f"unsupported format {path.suffix.lower()} ({kind})")
    found = list(entries(feed, name, on_skip))
    if not found:
        raise Skip("a feed without entries")
    yield from found


def parse_feed(data: bytes) -> Any | None:
    """The feed parsed by feedparser, or None when ``data`` is not an RSS or Atom feed."""
    import feedparser

    if data.lstrip()[:1] != b"<":
        return None
    feed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    return feed if feed.get("version") else None


def entries(feed: Any, name: str, on_skip: SkipCallback) -> Iterator[Record]:
    """One record an entry with text; entries without text are reported."""
    outlet = str(feed.feed.get("title", "")).strip()
    for number, entry in enumerate(feed.entries, start=1):
        entry_name = f"{name}#{number}"
        content = entry.get("content") or []
        markup = content[0].get("value", "") if content else entry.get("summary", "")
        text = fragment_text(str(markup or ""))
        if not text:
            on_skip(entry_name, "feed entry without text")
            continue
        meta = {
            "title": fragment_text(str(entry.get("title", ""))),
            "url": str(entry.get("link", "")).strip(),
        }
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if stamp:
            meta["date"] = time.strftime("%Y-%m-%d", stamp)
        if outlet:
            meta["outlet"] = outlet
        yield Record(entry_name, text, {key: value for key, value in meta.items() if value})
