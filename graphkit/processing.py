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
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from graphkit.aliases import AliasTable, load_aliases
from graphkit.cache import ParseCache, parse_fingerprint
from graphkit.extract.frames import FrameSet, load_frames
from graphkit.extract.records import PieceResult, combine_pieces
from graphkit.formats import ReadOptions
from graphkit.merge import DEFAULT_MAX_EVIDENCE
from graphkit.model import DEFAULT_MODEL, DocResult, Document

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from graphkit.extract import Extractor

__all__ = ["BATCH_SIZE", "PIECE_CHARS", "BuildOptions", "Processor", "worker_processor", "batched"]

BATCH_SIZE = 32
"""Pieces per ``nlp.pipe`` batch, documents per worker task."""

BATCH_CHARS = 64_000
"""Most characters parsed in one batch (32 articles of 2,000 characters): spaCy's working memory
grows with a batch's length."""

PIECE_CHARS = 10_000
"""Longest piece of a document parsed at once, cut at a paragraph break where there is one.

Articles are far shorter and go whole; a longer text is parsed and extracted
piece after piece, so that a document's cost grows with its length, not its
square, and its memory stays bounded. Coreference does not cross pieces."""

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

    def _pieces(self, documents: Iterable[Document]) -> Iterator[_Piece]:
        """Each document's articles (a file may hold several) cut into pieces of at most
        :data:`PIECE_CHARS`, prepared one at a time."""
        from graphkit.textprep import prepare_pieces

        limit = min(PIECE_CHARS, self.nlp.max_length)
        for document in documents:
            parts = prepare_pieces(document.text, limit)
            current = next(parts)
            for following in parts:
                yield _Piece(document, document.offset + current[0], current[1], last=False)
                current = following
            yield _Piece(document, document.offset + current[0], current[1], last=True)

    def process(self, documents: Iterable[Document]) -> Iterator[DocResult]:
        """Parse and extract each document, streaming, in order.

        Documents are cut into pieces of bounded size, parsed ``batch_size``
        pieces at a time; each piece is extracted as soon as it is parsed and
        its parse released, so memory does not grow with a document's length.
        """
        extracted: list[PieceResult] = []
        for batch in _batched_pieces(self._pieces(documents), self.options.batch_size, BATCH_CHARS):
            for piece, doc in zip(batch, self._parse([piece.text for piece in batch]), strict=True):
                extracted.append(self.extractor.piece(doc, offset=piece.offset))
                if piece.last:
                    yield combine_pieces(piece.document, extracted)
                    extracted = []

    def _parse(self, texts: list[str]) -> list[Doc]:
        """Parses of ``texts``, taken from the parse store where kept, else made (and stored)."""
        from spacy.tokens import Doc

        from graphkit.nlp import annotate

        parses = self.parses if self.parses is not None and self.parses.enabled else None
        if parses is None:
            return [doc for doc, _i in annotate(self.nlp, ((text, i) for i, text in enumerate(texts)))]
        keys = [parses.key(text) for text in texts]
        stored = parses.get_many(keys)
        docs = {i: Doc(self.nlp.vocab).from_bytes(stored[key]) for i, key in enumerate(keys) if key in stored}
        missing = ((texts[i], i) for i, key in enumerate(keys) if key not in stored)
        for doc, i in annotate(self.nlp, missing, batch_size=self.options.batch_size):
            parses.put(keys[i], doc.to_bytes(exclude=["tensor"]))  # before extraction changes it
            docs[i] = doc
        return [docs[i] for i in range(len(texts))]


def _batched_pieces(pieces: Iterable[_Piece], size: int, chars: int) -> Iterator[list[_Piece]]:
    """Batches of at most ``size`` pieces and, unless one piece is longer, ``chars`` characters."""
    batch: list[_Piece] = []
    total = 0
    for piece in pieces:
        if batch and (len(batch) == size or total + len(piece.text) > chars):
            yield batch
            batch, total = [], 0
        batch.append(piece)
        total += len(piece.text)
    if batch:
        yield batch


class _Piece(NamedTuple):
    """A piece of a document's prepared text, at ``offset`` in its file; ``last`` ends the document."""

    document: Document
    offset: int
    text: str
    last: bool


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
