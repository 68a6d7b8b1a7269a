"""The per-document step on a Dask distributed cluster (``graphkit build --scheduler tcp://host:port``).

The client lists the input files (local paths, read by the workers from a
shared file system, or fsspec URLs such as ``s3://bucket/news/``), sends
them in batches to the workers, and merges the records that come back, as a
local build does. A worker reads its files, parses and extracts them with a
pipeline it loads once per process (:func:`~graphkit.processing.worker_processor`), and returns
small :class:`~graphkit.model.DocResult` records; documents and spaCy Docs
never travel. Batches go out in order, at most two per worker thread at a
time, and are merged in order, so the graph is the one a local build gives.

Workers must run the same graphkit (same version and code) with the same
alias and rules files at the same paths; a worker that does not refuses the
task with a :class:`~graphkit.errors.ClusterError`. The results cache is
not used on a cluster. Needs the ``graphkit[dask]`` extra; nothing here is
imported by a local build.
"""

from __future__ import annotations

import itertools
import math
import shutil
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

from graphkit.aliases import load_aliases
from graphkit.cache import code_digest
from graphkit.documents import SUFFIXES, find_inputs, read_documents
from graphkit.errors import ClusterError, InputError
from graphkit.extract.frames import load_frames
from graphkit.formats import ReadOptions
from graphkit.model import DocResult, Document
from graphkit.processing import BuildOptions, worker_processor
from graphkit.version import __version__

__all__ = ["InputEntry", "list_inputs", "extract_on_cluster", "worker_processor"]

CONNECT_TIMEOUT = "20s"
Identity = tuple[str, str, str, str]  # graphkit version, code digest, alias digest, rules digest
Skip = tuple[str, str]


@dataclass(frozen=True)
class InputEntry:
    """A file for a worker to read: its document name, where it is, or why it is skipped."""

    name: str
    location: str
    skip: str | None = None


def _is_url(value: str | Path) -> bool:
    return isinstance(value, str) and "://" in value


def _list_url(url: str) -> list[InputEntry]:
    """Files under an fsspec URL, named like :func:`~graphkit.documents.find_inputs` names them."""
    import fsspec

    fs, root = fsspec.core.url_to_fs(url)
    if fs.isfile(root):
        return [InputEntry(PurePosixPath(root).name, fs.unstrip_protocol(root))]
    if not fs.isdir(root):
        raise InputError(f"input not found: {url}")
    entries = []
    prefix = root.rstrip("/") + "/"
    for path in fs.find(root):
        name = path[len(prefix) :] if path.startswith(prefix) else PurePosixPath(path).name
        parts = PurePosixPath(name).parts
        if any(part.startswith(".") for part in parts) or PurePosixPath(name).suffix.lower() not in SUFFIXES:
            continue
        entries.append(InputEntry(name, fs.unstrip_protocol(path)))
    return entries


def list_inputs(inputs: Sequence[str | Path]) -> list[InputEntry]:
    """The files to read, sorted by name: local paths made absolute, URLs listed with fsspec.

    Raises
    ------
    InputError
        If an input does not exist.
    """
    local = [item for item in inputs if not _is_url(item)]
    entries = (
        [InputEntry(found.name, str(found.path.absolute()), found.skip) for found in find_inputs(local)]
        if local
        else []
    )
    for item in inputs:
        if _is_url(item):
            entries.extend(_list_url(str(item)))
    return sorted(entries, key=lambda e: (e.name, e.location))


# -- on the worker -----------------------------------------------------------------------

_LOCK = threading.Lock()  # one pipeline per process: a worker's threads take turns using it


def _identity(aliases_digest: str, rules_digest: str) -> Identity:
    return (__version__, code_digest(), aliases_digest, rules_digest)


def _read_as(
    name: str, path: Path, on_skip: Callable[[str, str], None], reading: ReadOptions
) -> Iterator[Document]:
    """Documents of one file, named as the listing named the file (``sub/a.txt``, ``sub/a.jsonl#3``)."""
    base = path.name

    def renamed(read_name: str) -> str:
        return name + read_name[len(base) :] if read_name.startswith(base) else read_name

    documents = read_documents([path], on_skip=lambda n, reason: on_skip(renamed(n), reason), options=reading)
    return (replace(document, name=renamed(document.name)) for document in documents)


def _read_entry(
    entry: InputEntry, on_skip: Callable[[str, str], None], reading: ReadOptions
) -> Iterator[Document]:
    if entry.skip is not None:
        on_skip(entry.name, entry.skip)
        return
    if not _is_url(entry.location):
        yield from _read_as(entry.name, Path(entry.location), on_skip, reading)
        return
    import fsspec

    with tempfile.TemporaryDirectory() as folder:
        local = Path(folder) / PurePosixPath(entry.name).name
        try:
            with fsspec.open(entry.location, "rb") as source, local.open("wb") as copy:
                shutil.copyfileobj(source, copy)
        except OSError as err:
            on_skip(entry.name, f"cannot read {entry.location}: {err}")
            return
        yield from _read_as(entry.name, local, on_skip, reading)


def _extract_entries(
    entries: list[InputEntry], options: BuildOptions, expected: Identity
) -> tuple[list[Skip], list[DocResult]]:
    """Worker task: read a batch of files and return their skips and records."""
    processor = worker_processor(options)
    found = _identity(processor.aliases.digest, processor.frames.digest)
    if found != expected:
        what = ("graphkit version", "graphkit code", "alias files", "rules files")
        differ = [w for w, a, b in zip(what, found, expected, strict=True) if a != b]
        raise ClusterError(
            f"a worker does not match the client ({', '.join(differ)} differ); install the same "
            "graphkit on every machine and give alias and rules files at paths all workers can read"
        )
    skips: list[Skip] = []
    skip = lambda name, reason: skips.append((name, reason))  # noqa: E731
    documents = itertools.chain.from_iterable(_read_entry(entry, skip, options.reading) for entry in entries)
    with _LOCK:  # files are read as they are parsed: a long file's sections one at a time
        results = list(processor.process(documents))
    return skips, results


# -- on the client --------------------------------------------------------------------------


def _client(address: str) -> Any:
    try:
        from dask.distributed import Client
    except ImportError:
        raise ClusterError(
            "running on a Dask cluster needs the dask extra: pip install 'graphkit[dask]'"
        ) from None
    try:
        return Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as err:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {err}") from None


def _absolute(paths: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(p if _is_url(p) else str(Path(p).absolute()) for p in paths)


def extract_on_cluster(
    inputs: Sequence[str | Path],
    options: BuildOptions,
    *,
    on_skip: Callable[[str, str], None],
) -> Iterator[DocResult]:
    """Records of the documents under ``inputs``, extracted by the workers of ``options.scheduler``.

    Yields records in input order; a document whose name was already read is
    skipped (``"duplicate name"``), as in a local build.

    Raises
    ------
    InputError
        If an input does not exist.
    ClusterError
        If the scheduler cannot be reached, or a worker runs another graphkit.
    """
    address = options.scheduler
    if address is None:
        raise ValueError("extract_on_cluster needs options.scheduler")
    entries = list_inputs(inputs)
    options = replace(  # workers have no cache: they may not even share a file system
        options, aliases=_absolute(options.aliases), rules=_absolute(options.rules), keep_parses=False
    )
    expected = _identity(load_aliases(options.aliases).digest, load_frames(options.rules).digest)
    if not entries:
        return
    from dask.distributed import KilledWorker

    client = _client(address)
    try:
        threads = max(1, sum(client.nthreads().values()))
        size = max(1, min(options.batch_size, math.ceil(len(entries) / (2 * threads))))
        window: deque[Any] = deque()
        seen: set[str] = set()

        def collect(future: Any) -> Iterator[DocResult]:
            try:
                skips, results = future.result()
            except KilledWorker as err:
                raise ClusterError(
                    f"workers died while extracting a batch of files ({err}); "
                    "the worker logs say why (often memory: see their --memory-limit)"
                ) from None
            for name, reason in skips:
                on_skip(name, reason)
            for result in results:
                if result.doc in seen:
                    on_skip(result.doc, "duplicate name")
                    continue
                seen.add(result.doc)
                yield result

        for start in range(0, len(entries), size):
            batch = entries[start : start + size]
            window.append(client.submit(_extract_entries, batch, options, expected, pure=False))
            if len(window) >= 2 * threads:
                yield from collect(window.popleft())
        while window:
            yield from collect(window.popleft())
    finally:
        client.close()
