"""The build: the only place that knows the order of the steps.

read documents -> fold wire copies (:mod:`graphkit.copies`) ->
prepare text -> spaCy ``nlp.pipe`` -> per-document
extraction (:class:`~graphkit.extract.Extractor`) -> cross-document merge
(:class:`~graphkit.merge.Accumulator`) -> graph -> review decisions replayed
(:mod:`graphkit.review`, when given) -> positions.

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
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import networkx as nx

from graphkit.aliases import AliasTable, load_aliases
from graphkit.cache import ResultCache, fingerprint, model_meta
from graphkit.copies import CopyFinder
from graphkit.dates import meta_for, read_date_table
from graphkit.documents import find_inputs, may_hold_sections, read_documents
from graphkit.errors import InputError
from graphkit.extract.frames import load_frames
from graphkit.formats import holds_one_document
from graphkit.graph import build_graph
from graphkit.layout import assign_positions
from graphkit.merge import Accumulator
from graphkit.model import DocResult, Document
from graphkit.processing import BATCH_SIZE, BuildOptions, Processor, batched, worker_processor

if TYPE_CHECKING:
    from graphkit.review import Review, ReviewReport

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


@dataclass
class BuildStats:
    """What a build read and produced, for the summary line.

    ``parsed`` documents went through the spaCy pipeline, ``cached`` ones
    were taken from the cache; ``documents`` is their sum. ``copies`` are
    documents folded into an earlier one telling the same story.
    """

    documents: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    sentences: int = 0
    entities: int = 0
    relations: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    parsed: int = 0
    cached: int = 0
    copies: int = 0
    review: ReviewReport | None = None


@dataclass
class BuildResult:
    graph: nx.MultiDiGraph
    stats: BuildStats


# -- running the per-document step -------------------------------------------------------


def _started(documents: Iterable[Document]) -> Iterator[Document] | None:
    """``documents`` as an iterator, or None if there are none (nothing to load a pipeline for)."""
    iterator = iter(documents)
    first = next(iterator, None)
    return None if first is None else itertools.chain([first], iterator)


Notice = Callable[[], None]


def _nothing() -> None:
    """The default ``on_loading``."""


def extract_locally(
    documents: Iterable[Document], options: BuildOptions, on_loading: Notice = _nothing
) -> Iterator[DocResult]:
    """Records of ``documents``, in order, from this process; the pipeline loads on the first document."""
    pending = _started(documents)
    if pending is None:
        return
    on_loading()
    processor = Processor(options)
    try:
        yield from processor.process(pending)
    finally:
        processor.close()
        del processor
        gc.collect()  # the pipeline is held in reference cycles: free it before the graph is assembled


def _extract_batch(options: BuildOptions, documents: list[Document]) -> list[DocResult]:
    """Worker task: records of one batch; the worker's pipeline is loaded by its first task."""
    return list(worker_processor(options).process(documents))


def extract_in_processes(
    documents: Iterable[Document], options: BuildOptions, on_loading: Notice = _nothing
) -> Iterator[DocResult]:
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
    on_loading()
    context = multiprocessing.get_context("spawn")
    with context.Pool(options.jobs, initializer=tune_collector) as pool:
        window: deque[AsyncResult[list[DocResult]]] = deque()
        for batch in batched(pending, options.batch_size):
            window.append(pool.apply_async(_extract_batch, (options, batch)))
            if len(window) >= 2 * options.jobs:
                yield from window.popleft().get()
        while window:
            yield from window.popleft().get()


def _extract(documents: Iterable[Document], options: BuildOptions, on_loading: Notice) -> Iterator[DocResult]:
    if options.jobs > 1:
        return extract_in_processes(documents, options, on_loading)
    return extract_locally(documents, options, on_loading)


def _open_cache(options: BuildOptions, aliases: AliasTable, on_loading: Notice) -> ResultCache | None:
    """The results cache for these options, or None when there is none."""
    if options.cache_dir is None:
        return None
    meta = model_meta(options.model)
    if meta is None:  # not found without loading: load it (and fail here if it is missing)
        from graphkit.nlp import load_pipeline

        on_loading()
        meta = load_pipeline(options.model).meta
    frames = load_frames(options.rules)
    key = fingerprint(meta, model=options.model, aliases=aliases.digest, rules=frames.digest)
    return ResultCache(options.cache_dir, key)


def _through_cache(
    documents: Iterable[Document],
    cache: ResultCache,
    options: BuildOptions,
    on_cached: Callable[[DocResult], None],
    on_loading: Notice,
) -> Iterator[DocResult]:
    """Records of the documents not in the cache (stored as they come); cached ones go to ``on_cached``.

    Documents are looked up a batch at a time. The per-document step returns
    records in the order documents went in, so the key of each new record is
    the oldest one waiting.
    """
    waiting: deque[str] = deque()

    def uncached() -> Iterator[Document]:
        for batch in batched(documents, options.batch_size):
            keys = [cache.key(document) for document in batch]
            found = cache.get_many(keys)
            for document, key in zip(batch, keys, strict=True):
                if key in found:
                    on_cached(found[key])
                else:
                    waiting.append(key)
                    yield document

    for result in _extract(uncached(), options, on_loading):
        cache.put(waiting.popleft(), result)
        yield result


# -- the build --------------------------------------------------------------------------------


def _finish(
    accumulator: Accumulator, options: BuildOptions, stats: BuildStats, review: Review | None = None
) -> nx.MultiDiGraph:
    """The contract graph, reviewed (:mod:`graphkit.review`), with positions, from all accumulated."""
    stats.documents = accumulator.documents
    stats.sentences = accumulator.sentences
    # the records are not kept past the graph, which holds all that they hold
    graph = build_graph(*accumulator.finalize(min_mentions=options.min_mentions), documents=stats.documents)
    if review is not None:
        from graphkit.review import apply_review

        graph, stats.review = apply_review(graph, review, max_evidence=options.max_evidence)
    assign_positions(graph)
    stats.entities = graph.number_of_nodes()
    stats.relations = Counter(data["relation"] for _u, _v, data in graph.edges(data=True))
    return graph


def build_graph_from_results(
    results: Iterable[DocResult],
    aliases: AliasTable,
    options: BuildOptions,
    stats: BuildStats,
    review: Review | None = None,
) -> nx.MultiDiGraph:
    """Merge per-document results into the contract graph, reviewed if ``review`` is given, with positions."""
    accumulator = Accumulator(aliases, max_evidence=options.max_evidence)
    for result in results:
        accumulator.add(result)
    return _finish(accumulator, options, stats, review)


def fold_copies(
    documents: Iterable[Document], on_copy: Callable[[Document, str], None]
) -> Iterator[Document]:
    """``documents`` without wire copies; each copy goes to ``on_copy(copy, original name)``.

    Sections of a long file are never copies (nor originals): a file is folded whole or not at all.
    """
    finder = CopyFinder()
    for document in documents:
        if document.section is not None:
            yield document
            continue
        original = finder.original(document.name, document.text)
        if original is None:
            yield document
        else:
            on_copy(document, original)


def count_documents(inputs: Sequence[str | Path]) -> int | None:
    """How many records the inputs give, when every file gives one (else None: JSON Lines, tables,
    long text files read in sections...)."""
    files = [file for file in find_inputs(inputs) if file.skip is None]
    one_each = all(holds_one_document(file.path) and not may_hold_sections(file.path) for file in files)
    return len(files) if one_each else None


def build(
    inputs: Sequence[str | Path],
    *,
    options: BuildOptions | None = None,
    on_skip: Callable[[str, str], None] | None = None,
    on_document: Callable[[DocResult], None] | None = None,
    on_copy: Callable[[str, str], None] | None = None,
    on_loading: Notice = _nothing,
    on_warning: Callable[[str, str], None] | None = None,
    review: Review | None = None,
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
    on_copy : callable, optional
        Called as ``on_copy(name, original)`` for each wire copy folded into
        an earlier document (not with a scheduler, whose workers read).
    on_loading : callable, optional
        Called once, just before the spaCy pipeline loads (if it does).
    on_warning : callable, optional
        Called as ``on_warning(name, message)`` for a document read with a
        problem (invalid bytes replaced); by default :func:`warnings.warn`.
    review : Review, optional
        Decisions replayed on the merged graph, before positions; what they
        did is in ``stats.review``.

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
    dated = read_date_table(options.dates_file) if options.dates_file else {}

    def skipped(name: str, reason: str) -> None:
        stats.skipped.append((name, reason))
        if on_skip is not None:
            on_skip(name, reason)

    def merge(result: DocResult) -> None:
        if dated:
            result = replace(result, meta=_override(result.meta, meta_for(result.doc, dated)))
        accumulator.add(result)
        if on_document is not None:
            on_document(result)

    def merge_cached(result: DocResult) -> None:
        stats.cached += 1
        merge(result)

    def copied(document: Document, original: str) -> None:
        stats.copies += 1
        meta = _override(document.meta, meta_for(document.name, dated))
        accumulator.add_copy(original, document.name, meta)
        if on_copy is not None:
            on_copy(document.name, original)

    if options.scheduler is not None:
        from graphkit.distributed import extract_on_cluster

        results = extract_on_cluster(inputs, options, on_skip=skipped)
        _merge_all(results, merge, stats)
    else:
        read = read_documents(inputs, on_skip=skipped, on_warning=on_warning, options=options.reading)
        documents = fold_copies(read, copied)
        cache = _open_cache(options, aliases, on_loading)
        if cache is None:
            _merge_all(_extract(documents, options, on_loading), merge, stats)
        else:
            with cache:
                stream = _through_cache(documents, cache, options, merge_cached, on_loading)
                _merge_all(stream, merge, stats)

    graph = _finish(accumulator, options, stats, review)
    if stats.documents == 0:
        where = ", ".join(str(p) for p in inputs)
        skipped_note = f" ({len(stats.skipped)} skipped)" if stats.skipped else ""
        raise InputError(f"no document to read in {where}{skipped_note}")
    stats.seconds = time.perf_counter() - started
    return BuildResult(graph, stats)


def _override(meta: tuple[tuple[str, str], ...], new: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """Document metadata with the values of ``new`` in place of its own.

    >>> _override((("date", "2023"), ("title", "T")), {"date": "2024-10-11"})
    (('date', '2024-10-11'), ('title', 'T'))
    """
    return tuple(sorted({**dict(meta), **new}.items())) if new else meta


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
