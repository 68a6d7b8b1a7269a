"""Address lists: web pages and feeds fetched over HTTP(S), each page one document, each feed entry one.

An address list is a ``.urls`` file or a file named ``urls.txt``: one
``http://`` or ``https://`` address a line; blank lines and lines starting
with ``#`` are ignored. Each address is fetched once, with a pause of
``delay`` seconds between two requests to the same host and a ``timeout``;
what comes back is a feed (RSS or Atom: its entries become documents,
named ``<address>#<n>``) or a page (its article text, extracted by
trafilatura, becomes a document named after the address).

Raw answers are kept in ``fetch_dir`` (the build's cache folder, ``pages/``),
one file an address, so that a rebuild fetches nothing again; ``offline``
refuses every fetch and reads only what is kept. An address that cannot be
fetched or gives no text is reported with its reason and skipped.
"""

from __future__ import annotations

import hashlib
import json
import socket
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from graphkit.errors import CacheWarning
from graphkit.formats import ReadOptions, Record, Skip, SkipCallback
from graphkit.formats.feed import entries, parse_feed
from graphkit.version import __version__

__all__ = ["read", "addresses", "Fetcher", "FetchError", "USER_AGENT"]

USER_AGENT = f"graphkit/{__version__}"
_MAX_BYTES = 20 * 1024 * 1024


class FetchError(Exception):
    """An address that gave no answer to read; the message is the one-line reason."""


def addresses(text: str) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` of each line that is not blank or a ``#`` comment.

    >>> list(addresses("# press\\nhttps://a.fr/x\\n\\nftp://b\\n"))
    [(2, 'https://a.fr/x'), (4, 'ftp://b')]
    """
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if line and not line.startswith("#"):
            yield number, line


def read(path: Path, name: str, options: ReadOptions, on_skip: SkipCallback) -> Iterator[Record]:
    """The documents behind every address of a list."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise Skip(f"unreadable address list ({type(err).__name__})") from None
    listed = list(addresses(text))
    if not listed:
        raise Skip("an address list without addresses")
    fetcher = Fetcher(options)
    for number, address in listed:
        if urlsplit(address).scheme not in ("http", "https") or not urlsplit(address).netloc:
            on_skip(f"{name}#{number}", f"not an http(s) address: {address}")
            continue
        try:
            data, content_type = fetcher.get(address)
        except FetchError as err:
            on_skip(address, str(err))
            continue
        yield from _documents(address, data, content_type, on_skip)


def _documents(address: str, data: bytes, content_type: str, on_skip: SkipCallback) -> Iterator[Record]:
    """A fetched feed's entries, or a fetched page's article."""
    feed = parse_feed(data) if "html" not in content_type else None
    if feed is not None:
        yield from entries(feed, address, on_skip)
        return
    from graphkit.decoding import decode
    from graphkit.documents import _read_html  # the reader of saved pages, for fetched ones

    decoded = decode(data)
    if decoded is None:
        on_skip(address, f"not a page or a feed ({content_type or 'no content type'})")
        return
    text, meta = _read_html(decoded[0])  # a few stray bytes in a fetched page are replaced silently
    if not text:
        on_skip(address, "no article text found")
        return
    yield Record(address, text, {**meta, "url": meta.get("url", address)})


class Fetcher:
    """HTTP GET with a per-host pause, a timeout and a folder of kept answers."""

    def __init__(self, options: ReadOptions) -> None:
        self.options = options
        self.folder = Path(options.fetch_dir) if options.fetch_dir else None
        self.last: dict[str, float] = {}  # host -> time.monotonic() of its last request

    def get(self, address: str) -> tuple[bytes, str]:
        """The body and content type of ``address``: kept, else fetched (and kept)."""
        kept = self._kept(address)
        if kept is not None:
            return kept
        if self.options.offline:
            raise FetchError("not fetched: --offline, and not in the page cache")
        self._wait(urlsplit(address).netloc)
        request = urllib.request.Request(address, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=self.options.timeout) as answer:
                data = answer.read(_MAX_BYTES + 1)
                content_type = answer.headers.get_content_type() or ""
        except urllib.error.HTTPError as err:
            raise FetchError(f"cannot fetch (HTTP {err.code})") from None
        except TimeoutError:
            raise FetchError(f"cannot fetch (no answer within {self.options.timeout:g} s)") from None
        except (urllib.error.URLError, OSError, ValueError) as err:
            reason = getattr(err, "reason", err)
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise FetchError(f"cannot fetch (no answer within {self.options.timeout:g} s)") from None
            raise FetchError(f"cannot fetch ({reason})") from None
        finally:
            self.last[urlsplit(address).netloc] = time.monotonic()
        if len(data) > _MAX_BYTES:
            raise FetchError(f"cannot fetch (larger than {_MAX_BYTES // 1024 // 1024} MB)")
        self._keep(address, data, content_type)
        return data, content_type

    def _wait(self, host: str) -> None:
        previous = self.last.get(host)
        if previous is not None:
            pause = self.options.delay - (time.monotonic() - previous)
            if pause > 0:
                time.sleep(pause)

    def _paths(self, address: str) -> tuple[Path, Path] | None:
        if self.folder is None:
            return None
        digest = hashlib.sha256(address.encode("utf-8")).hexdigest()
        return self.folder / f"{digest}.body", self.folder / f"{digest}.json"

    def _kept(self, address: str) -> tuple[bytes, str] | None:
        paths = self._paths(address)
        if paths is None:
            return None
        try:
            info = json.loads(paths[1].read_text(encoding="utf-8"))
            return paths[0].read_bytes(), str(info["content_type"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _keep(self, address: str, data: bytes, content_type: str) -> None:
        """Keep an answer (body first, then its description: a half-written pair is not read back)."""
        paths = self._paths(address)
        if paths is None:
            return
        from graphkit.export.atomic import write_atomic

        try:
            paths[0].parent.mkdir(parents=True, exist_ok=True)
            write_atomic(paths[0], data)
            write_atomic(paths[1], json.dumps({"url": address, "content_type": content_type}))
        except OSError as err:  # the build goes on; the page is fetched again next time
            reason = err.strerror or type(err).__name__
            message = f"cannot keep fetched pages in {paths[0].parent}: {reason}"
            warnings.warn(message, CacheWarning, stacklevel=2)
