"""The per-document step's runner: a loaded spaCy pipeline with its frames, per process.

:class:`BuildOptions` says how to build; a :class:`Processor` holds the
pipeline, the alias table and the frames, and turns documents into
:class:`~graphkit.model.DocResult` records (long documents in pieces, parses
taken from or stored in the parse cache when asked).
:func:`worker_processor` gives each process one processor per options: the
build's pool workers and Dask workers call it. This module knows nothing of
how documents are scheduled (:mod:`graphkit.pipeline`,
:mod:`graphkit.distributed`).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from graphkit.aliases import AliasTable, load_aliases
from graphkit.cache import ParseCache, parse_fingerprint
from graphkit.extract.frames import FrameSet, load_frames
from graphkit.formats import ReadOptions
from graphkit.merge import DEFAULT_MAX_EVIDENCE
from graphkit.model import DEFAULT_MODEL, DocResult, Document

if TYPE_CHECKING:
    from spacy.language import Language

    from graphkit.extract import Extractor

__all__ = ["BATCH_SIZE", "BuildOptions", "Processor", "worker_processor", "batched"]

BATCH_SIZE = 32
"""Documents per ``nlp.pipe`` batch and per worker task."""

T = TypeVar("T")


@dataclass(frozen=True)
class BuildOptions:
    """Options of a build; the defaults are those of ``graphkit build`` (which adds a cache folder).

    ``jobs`` is the number of processes that parse and extract (1: this
    process). ``cache_dir`` is the folder of the results cache, None for no
    cache; with ``keep_parses``, the spaCy parses are kept there too, so that
    a rules change does not parse again (:class:`~graphkit.cache.ParseCache`).
    ``scheduler`` is the address of a Dask scheduler
    (``tcp://host:port``); with it, the cluster's workers parse, ``jobs`` is
    not used and the cache is not either. ``reading`` says how to read
    tables and fetch addresses (:class:`~graphkit.formats.ReadOptions`).
    ``dates_file`` is a ``file,date[,outlet]`` CSV whose rows override the
    dates and outlets the documents give (:func:`graphkit.dates.read_date_table`).
    """

    model: str = DEFAULT_MODEL
    aliases: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    min_mentions: int = 1
    max_evidence: int = DEFAULT_MAX_EVIDENCE
    batch_size: int = BATCH_SIZE
    jobs: int = 1
    cache_dir: str | None = None
    keep_parses: bool = False
    scheduler: str | None = None
    reading: ReadOptions = ReadOptions()
    dates_file: str | None = None

    def __post_init__(self) -> None:
        for name in ("min_mentions", "max_evidence", "batch_size", "jobs"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"BuildOptions.{name} must be a positive integer, got {value!r}")


class Processor:
    """A loaded pipeline with its rules: turns documents into :class:`DocResult` records."""

    def __init__(self, options: BuildOptions) -> None:
        from graphkit.extract import Extractor
        from graphkit.extract.entities import common_words
        from graphkit.nlp import load_pipeline

        self.options = options
        self.aliases: AliasTable = load_aliases(options.aliases)
        self.frames: FrameSet = load_frames(options.rules)
        self.nlp: Language = load_pipeline(options.model, aliases=self.aliases)
        self.extractor: Extractor = Extractor(self.frames, self.aliases, common_words(self.nlp))
        self.parses: ParseCache | None = None
        if options.keep_parses and options.cache_dir is not None:
            key = parse_fingerprint(self.nlp.meta, model=options.model, aliases=self.aliases.digest)
            self.parses = ParseCache(options.cache_dir, key)

    def close(self) -> None:
        """Close the parse store, if any."""
        if self.parses is not None:
            self.parses.close()

    def _pieces(self, document: Document) -> list[tuple[int, str]]:
        """``(offset, text)`` of the prepared text, cut to the pipeline's length limit."""
        from graphkit.nlp import split_for_length
        from graphkit.textprep import prepare_text

        return list(split_for_length(prepare_text(document.text), self.nlp.max_length))

    def process(self, documents: Iterable[Document]) -> Iterator[DocResult]:
        """Parse and extract each document, streaming, in order; long documents go in pieces."""
        if self.parses is not None and self.parses.enabled:
            for batch in batched(documents, self.options.batch_size):
                yield from self._process_with_parses(batch, self.parses)
            return
        from graphkit.nlp import annotate

        def pieces() -> Iterator[tuple[str, tuple[Document, int, int]]]:
            for document in documents:
                parts = self._pieces(document)
                for n, (offset, piece) in enumerate(parts):
                    yield piece, (document, offset, len(parts) - n - 1)

        pending: list[tuple[int, Any]] = []
        for doc, (document, offset, remaining) in annotate(
            self.nlp, pieces(), batch_size=self.options.batch_size
        ):
            pending.append((offset, doc))
            if remaining == 0:
                yield self.extractor.document(document, pending)
                pending = []

    def _process_with_parses(self, batch: list[Document], parses: ParseCache) -> Iterator[DocResult]:
        """One batch, its parses taken from ``parses`` where stored, else made and stored."""
        from spacy.tokens import Doc

        from graphkit.nlp import annotate

        pieces = [(n, offset, text) for n, doc in enumerate(batch) for offset, text in self._pieces(doc)]
        keys = [parses.key(text) for _n, _offset, text in pieces]
        stored = parses.get_many(keys)
        docs = {i: Doc(self.nlp.vocab).from_bytes(stored[key]) for i, key in enumerate(keys) if key in stored}
        missing = ((pieces[i][2], i) for i, key in enumerate(keys) if key not in stored)
        for doc, i in annotate(self.nlp, missing, batch_size=self.options.batch_size):
            parses.put(keys[i], doc.to_bytes(exclude=["tensor"]))  # before extraction changes it
            docs[i] = doc
        parsed: list[list[tuple[int, Any]]] = [[] for _ in batch]
        for i, (n, offset, _text) in enumerate(pieces):
            parsed[n].append((offset, docs[i]))
        for document, document_pieces in zip(batch, parsed, strict=True):
            yield self.extractor.document(document, document_pieces)


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


_PROCESSORS: dict[BuildOptions, Processor] = {}
_PROCESSORS_LOCK = threading.Lock()


def worker_processor(options: BuildOptions) -> Processor:
    """This process's pipeline for ``options``, loaded on first use (in pool and Dask workers)."""
    with _PROCESSORS_LOCK:
        if options not in _PROCESSORS:
            _PROCESSORS[options] = Processor(options)
        return _PROCESSORS[options]
