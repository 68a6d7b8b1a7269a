"""The build: the only place that knows the order of the steps.

read documents -> prepare text -> spaCy ``nlp.pipe`` -> per-document
extraction (:class:`~graphkit.extract.Extractor`) -> cross-document merge
(:class:`~graphkit.merge.Accumulator`) -> graph -> positions. Documents
stream through; only the small per-document records are kept.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from graphkit.aliases import AliasTable, load_aliases
from graphkit.documents import read_documents
from graphkit.errors import InputError
from graphkit.export.layout import assign_positions
from graphkit.graph import build_graph
from graphkit.merge import DEFAULT_MAX_EVIDENCE, Accumulator
from graphkit.model import DocResult, Document
from graphkit.nlp import BATCH_SIZE, DEFAULT_MODEL, annotate, load_pipeline, split_for_length
from graphkit.relations import RelationFinder, RuleSet, load_rules
from graphkit.textprep import prepare_text

__all__ = ["BuildOptions", "BuildStats", "BuildResult", "Processor", "build", "build_graph_from_results"]


@dataclass(frozen=True)
class BuildOptions:
    """Options of a build; the defaults are those of ``graphkit build``."""

    model: str = DEFAULT_MODEL
    aliases: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    min_mentions: int = 1
    max_evidence: int = DEFAULT_MAX_EVIDENCE
    batch_size: int = BATCH_SIZE


@dataclass
class BuildStats:
    """What a build read and produced, for the summary line."""

    documents: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    sentences: int = 0
    entities: int = 0
    relations: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


@dataclass
class BuildResult:
    graph: nx.MultiDiGraph
    stats: BuildStats


class Processor:
    """A loaded pipeline with its rules: turns documents into :class:`DocResult` records."""

    def __init__(self, options: BuildOptions) -> None:
        from graphkit.extract import Extractor
        from graphkit.mentions import common_words

        self.options = options
        self.aliases: AliasTable = load_aliases(options.aliases)
        self.ruleset: RuleSet = load_rules(options.rules)
        self.nlp = load_pipeline(options.model, aliases=self.aliases)
        finder = RelationFinder(self.nlp, self.ruleset)
        self.extractor = Extractor(finder, self.aliases, common_words(self.nlp))

    def process(self, documents: Iterable[Document]) -> Iterator[DocResult]:
        """Parse and extract each document, streaming; long documents go in pieces."""
        limit = self.nlp.max_length

        def pieces() -> Iterator[tuple[str, tuple[Document, int, int]]]:
            for document in documents:
                prepared = prepare_text(document.text)
                parts = list(split_for_length(prepared, limit))
                for n, (offset, piece) in enumerate(parts):
                    yield piece, (document, offset, len(parts) - n - 1)

        pending: list[tuple[int, object]] = []
        for doc, (document, offset, remaining) in annotate(
            self.nlp, pieces(), batch_size=self.options.batch_size
        ):
            pending.append((offset, doc))
            if remaining == 0:
                yield self.extractor.document(document, pending)  # type: ignore[arg-type]
                pending = []


def build_graph_from_results(
    results: Iterable[DocResult], aliases: AliasTable, options: BuildOptions, stats: BuildStats
) -> nx.MultiDiGraph:
    """Merge per-document results into the contract graph, with positions."""
    accumulator = Accumulator(aliases, max_evidence=options.max_evidence)
    for result in results:
        accumulator.add(result)
    entities, edges = accumulator.finalize(min_mentions=options.min_mentions)
    stats.documents = accumulator.documents
    stats.sentences = accumulator.sentences
    graph = build_graph(entities, edges, documents=accumulator.documents)
    assign_positions(graph)
    stats.entities = graph.number_of_nodes()
    stats.relations = Counter(data["relation"] for _u, _v, data in graph.edges(data=True))
    return graph


def build(
    inputs: Sequence[str | Path],
    *,
    options: BuildOptions | None = None,
    on_skip: Callable[[str, str], None] | None = None,
    on_document: Callable[[DocResult], None] | None = None,
) -> BuildResult:
    """Build the entity graph of the documents under ``inputs``.

    Raises
    ------
    InputError
        If an input does not exist or no document could be read.
    ModelError, AliasError, RulesError
        If the pipeline, an alias file or a rules file cannot be loaded.
    """
    options = options or BuildOptions()
    started = time.perf_counter()
    stats = BuildStats()

    def skipped(name: str, reason: str) -> None:
        stats.skipped.append((name, reason))
        if on_skip is not None:
            on_skip(name, reason)

    documents = read_documents(inputs, on_skip=skipped)
    processor = Processor(options)

    def results() -> Iterator[DocResult]:
        for result in processor.process(documents):
            if on_document is not None:
                on_document(result)
            yield result

    graph = build_graph_from_results(results(), processor.aliases, options, stats)
    if stats.documents == 0:
        where = ", ".join(str(p) for p in inputs)
        how_many = f" ({len(stats.skipped)} skipped)" if stats.skipped else ""
        raise InputError(f"no document to read in {where}{how_many}")
    stats.seconds = time.perf_counter() - started
    return BuildResult(graph, stats)
