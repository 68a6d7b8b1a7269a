"""The build: the only place that knows the order of the steps.

read documents -> prepare text -> spaCy ``nlp.pipe`` -> per-document
extraction (:class:`~graphkit.extract.Extractor`) -> cross-document merge
(:class:`~graphkit.merge.Accumulator`) -> graph -> positions.

Documents stream through in batches; only the small per-document records
(:class:`~graphkit.model.DocResult`) are kept, never spaCy Docs, so memory
grows with the graph, not with the corpus. The per-document step runs

* in this process (``jobs=1``);
* in ``jobs`` worker processes, each loading the pipeline once and
  returning records for batches of documents;
* or on a Dask cluster (``scheduler="tcp://host:port"``, see
  :mod:`graphkit.distributed`), imported only then.

With a cache folder (:mod:`graphkit.cache`), documents whose record is
cached skip the per-document step, and the spaCy pipeline is only loaded
once a document needs parsing. The merge does not depend on the order in
which records arrive, so every way of running gives the same graph.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import networkx as nx

from graphkit.aliases import AliasTable, load_aliases
from graphkit.cache import ParseCache, ResultCache, fingerprint, model_meta, parse_fingerprint
from graphkit.documents import read_documents
from graphkit.errors import InputError
from graphkit.export.layout import assign_positions
from graphkit.graph import build_graph
from graphkit.merge import DEFAULT_MAX_EVIDENCE, Accumulator
from graphkit.model import DEFAULT_MODEL, DocResult, Document
from graphkit.relations import load_rules

if TYPE_CHECKING:
    from spacy.language import Language

    from graphkit.extract import Extractor
    from graphkit.relations import RuleSet

__all__ = [
    "BATCH_SIZE",
    "BuildOptions",
    "BuildStats",
    "BuildResult",
    "Processor",
    "worker_processor",
    "build",
    "build_graph_from_results",
    "tune_collector",
]

BATCH_SIZE = 32
"""Documents per ``nlp.pipe`` batch and per worker task."""

T = TypeVar("T")

GC_THRESHOLDS = (200_000, 30, 30)
"""Garbage collector thresholds of the processes graphkit runs (the command, its pool workers).

A build makes millions of small objects that live to the end (records, graph
attributes) and few reference cycles; with Python's default (700, 10, 10)
the collector walking them took 15-20 % of a cached run of the 200,000-word
bench corpus.
"""


def tune_collector() -> None:
    """Collect reference cycles less often (:data:`GC_THRESHOLDS`); for processes graphkit owns."""
    gc.set_threshold(*GC_THRESHOLDS)


@dataclass(frozen=True)
class BuildOptions:
    """Options of a build; the defaults are those of ``graphkit build`` (which adds a cache folder).

    ``jobs`` is the number of processes that parse and extract (1: this
    process). ``cache_dir`` is the folder of the results cache, None for no
    cache; with ``keep_parses``, the spaCy parses are kept there too, so that
    a rules change does not parse again (:class:`~graphkit.cache.ParseCache`).
    ``scheduler`` is the address of a Dask scheduler
    (``tcp://host:port``); with it, the cluster's workers parse, ``jobs`` is
    not used and the cache is not either.
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

    def __post_init__(self) -> None:
        for name in ("min_mentions", "max_evidence", "batch_size", "jobs"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"BuildOptions.{name} must be a positive integer, got {value!r}")


@dataclass
class BuildStats:
    """What a build read and produced, for the summary line.

    ``parsed`` documents went through the spaCy pipeline, ``cached`` ones
    were taken from the cache; ``documents`` is their sum.
    """

    documents: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    sentences: int = 0
    entities: int = 0
    relations: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    parsed: int = 0
    cached: int = 0


@dataclass
class BuildResult:
    graph: nx.MultiDiGraph
    stats: BuildStats


class Processor:
    """A loaded pipeline with its rules: turns documents into :class:`DocResult` records."""

    def __init__(self, options: BuildOptions) -> None:
        from graphkit.extract import Extractor
        from graphkit.mentions import common_words
        from graphkit.nlp import load_pipeline
        from graphkit.relations import RelationFinder

        self.options = options
        self.aliases: AliasTable = load_aliases(options.aliases)
        self.ruleset: RuleSet = load_rules(options.rules)
        self.nlp: Language = load_pipeline(options.model, aliases=self.aliases)
        self.extractor: Extractor = Extractor(
            RelationFinder(self.nlp, self.ruleset), self.aliases, common_words(self.nlp)
        )
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
            for batch in _batched(documents, self.options.batch_size):
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


# -- running the per-document step -------------------------------------------------------


def _batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _started(documents: Iterable[Document]) -> Iterator[Document] | None:
    """``documents`` as an iterator, or None if there are none (nothing to load a pipeline for)."""
    iterator = iter(documents)
    first = next(iterator, None)
    return None if first is None else itertools.chain([first], iterator)


def extract_locally(documents: Iterable[Document], options: BuildOptions) -> Iterator[DocResult]:
    """Records of ``documents``, in order, from this process; the pipeline loads on the first document."""
    pending = _started(documents)
    if pending is None:
        return
    processor = Processor(options)
    try:
        yield from processor.process(pending)
    finally:
        processor.close()


_PROCESSORS: dict[BuildOptions, Processor] = {}
_PROCESSORS_LOCK = threading.Lock()


def worker_processor(options: BuildOptions) -> Processor:
    """This process's pipeline for ``options``, loaded on first use (in pool and Dask workers)."""
    with _PROCESSORS_LOCK:
        if options not in _PROCESSORS:
            _PROCESSORS[options] = Processor(options)
        return _PROCESSORS[options]


def _extract_batch(options: BuildOptions, documents: list[Document]) -> list[DocResult]:
    """Worker task: records of one batch; the worker's pipeline is loaded by its first task."""
    return list(worker_processor(options).process(documents))


def extract_in_processes(documents: Iterable[Document], options: BuildOptions) -> Iterator[DocResult]:
    """Records of ``documents``, in order, from ``options.jobs`` worker processes.

    Workers are started fresh (``spawn``: no thread or lock state is
    inherited, on any platform), with graphkit's collector thresholds, and
    each loads the pipeline once. Batches of
    ``batch_size`` documents go out and their records come back; at most
    two batches a worker are in flight, so memory stays bounded however
    large the corpus. Nothing starts if there is no document.
    """
    pending = _started(documents)
    if pending is None:
        return
    context = multiprocessing.get_context("spawn")
    with context.Pool(options.jobs, initializer=tune_collector) as pool:
        window: deque[AsyncResult[list[DocResult]]] = deque()
        for batch in _batched(pending, options.batch_size):
            window.append(pool.apply_async(_extract_batch, (options, batch)))
            if len(window) >= 2 * options.jobs:
                yield from window.popleft().get()
        while window:
            yield from window.popleft().get()


def _extract(documents: Iterable[Document], options: BuildOptions) -> Iterator[DocResult]:
    if options.jobs > 1:
        return extract_in_processes(documents, options)
    return extract_locally(documents, options)


def _open_cache(options: BuildOptions, aliases: AliasTable) -> ResultCache | None:
    """The results cache for these options, or None when there is none."""
    if options.cache_dir is None:
        return None
    meta = model_meta(options.model)
    if meta is None:  # not found without loading: load it (and fail here if it is missing)
        from graphkit.nlp import load_pipeline

        meta = load_pipeline(options.model).meta
    rules = load_rules(options.rules)
    key = fingerprint(meta, model=options.model, aliases=aliases.digest, rules=rules.digest)
    return ResultCache(options.cache_dir, key)


def _through_cache(
    documents: Iterable[Document],
    cache: ResultCache,
    options: BuildOptions,
    on_cached: Callable[[DocResult], None],
) -> Iterator[DocResult]:
    """Records of the documents not in the cache (stored as they come); cached ones go to ``on_cached``.

    Documents are looked up a batch at a time. The per-document step returns
    records in the order documents went in, so the key of each new record is
    the oldest one waiting.
    """
    waiting: deque[str] = deque()

    def uncached() -> Iterator[Document]:
        for batch in _batched(documents, options.batch_size):
            keys = [cache.key(document) for document in batch]
            found = cache.get_many(keys)
            for document, key in zip(batch, keys, strict=True):
                if key in found:
                    on_cached(found[key])
                else:
                    waiting.append(key)
                    yield document

    for result in _extract(uncached(), options):
        cache.put(waiting.popleft(), result)
        yield result


# -- the build --------------------------------------------------------------------------------


def _finish(accumulator: Accumulator, options: BuildOptions, stats: BuildStats) -> nx.MultiDiGraph:
    """The contract graph, with positions, from everything accumulated."""
    entities, edges = accumulator.finalize(min_mentions=options.min_mentions)
    stats.documents = accumulator.documents
    stats.sentences = accumulator.sentences
    graph = build_graph(entities, edges, documents=accumulator.documents)
    assign_positions(graph)
    stats.entities = graph.number_of_nodes()
    stats.relations = Counter(data["relation"] for _u, _v, data in graph.edges(data=True))
    return graph


def build_graph_from_results(
    results: Iterable[DocResult], aliases: AliasTable, options: BuildOptions, stats: BuildStats
) -> nx.MultiDiGraph:
    """Merge per-document results into the contract graph, with positions."""
    accumulator = Accumulator(aliases, max_evidence=options.max_evidence)
    for result in results:
        accumulator.add(result)
    return _finish(accumulator, options, stats)


def build(
    inputs: Sequence[str | Path],
    *,
    options: BuildOptions | None = None,
    on_skip: Callable[[str, str], None] | None = None,
    on_document: Callable[[DocResult], None] | None = None,
) -> BuildResult:
    """Build the entity graph of the documents under ``inputs``.

    Parameters
    ----------
    inputs : sequence of path
        Files and folders (with a scheduler, also fsspec URLs).
    options : BuildOptions, optional
        Model, rules, merge settings, ``jobs``, ``cache_dir``, ``scheduler``.
    on_skip : callable, optional
        Called as ``on_skip(name, reason)`` for each input that is not read.
    on_document : callable, optional
        Called with each document's record, parsed or cached, as it is merged.

    Returns
    -------
    BuildResult
        The graph and the statistics of the build.

    Raises
    ------
    InputError
        If an input does not exist or no document could be read.
    ModelError, AliasError, RulesError
        If the pipeline, an alias file or a rules file cannot be loaded.
    ClusterError
        If the scheduler cannot be reached or its workers cannot run the extraction.
    """
    options = options or BuildOptions()
    started = time.perf_counter()
    stats = BuildStats()
    aliases = load_aliases(options.aliases)
    accumulator = Accumulator(aliases, max_evidence=options.max_evidence)

    def skipped(name: str, reason: str) -> None:
        stats.skipped.append((name, reason))
        if on_skip is not None:
            on_skip(name, reason)

    def merge(result: DocResult) -> None:
        accumulator.add(result)
        if on_document is not None:
            on_document(result)

    def merge_cached(result: DocResult) -> None:
        stats.cached += 1
        merge(result)

    if options.scheduler is not None:
        from graphkit.distributed import extract_on_cluster

        results = extract_on_cluster(inputs, options, on_skip=skipped)
        _merge_all(results, merge, stats)
    else:
        documents = read_documents(inputs, on_skip=skipped)
        cache = _open_cache(options, aliases)
        if cache is None:
            _merge_all(_extract(documents, options), merge, stats)
        else:
            with cache:
                _merge_all(_through_cache(documents, cache, options, merge_cached), merge, stats)

    graph = _finish(accumulator, options, stats)
    if stats.documents == 0:
        where = ", ".join(str(p) for p in inputs)
        skipped_note = f" ({len(stats.skipped)} skipped)" if stats.skipped else ""
        raise InputError(f"no document to read in {where}{skipped_note}")
    stats.seconds = time.perf_counter() - started
    return BuildResult(graph, stats)


def _merge_all(results: Iterable[DocResult], merge: Callable[[DocResult], None], stats: BuildStats) -> None:
    """Merge freshly parsed records (closing the worker pool, if any, even on error)."""
    iterator = iter(results)
    try:
        for result in iterator:
            stats.parsed += 1
            merge(result)
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            close()
