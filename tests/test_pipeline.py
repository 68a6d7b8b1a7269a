"""The build pipeline: worker processes give the bytes of a single-process build, the merge is
order-independent, the pipeline loads lazily and a local build imports nothing of Dask."""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from corpus_utils import TEST_MODEL, graph_json, ignore, write_corpus

import graphkit.pipeline as pipeline
from graphkit.cache import CACHE_FILE, code_digest
from graphkit.cli import cli
from graphkit.documents import read_documents
from graphkit.errors import InputError
from graphkit.graph import build_graph
from graphkit.merge import Accumulator
from graphkit.model import DocResult
from graphkit.pipeline import BuildOptions, BuildStats, build, build_graph_from_results


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("pipeline") / "corpus")


@pytest.fixture(scope="module")
def records(corpus: Path) -> list[DocResult]:
    """The records of the corpus, from a pipeline loaded once for this module."""
    processor = pipeline.Processor(BuildOptions(model=TEST_MODEL))
    return list(processor.process(read_documents([corpus], on_skip=ignore)))


@pytest.fixture(scope="module")
def reference(corpus: Path) -> bytes:
    """graph.json of a single-process, uncached build."""
    return graph_json(build([corpus], options=BuildOptions(model=TEST_MODEL), on_skip=ignore).graph)


@pytest.mark.parametrize("jobs", [0, -1])
def test_pipeline_options_reject_non_positive_counts(jobs: int) -> None:
    with pytest.raises(ValueError, match="jobs"):
        BuildOptions(jobs=jobs)


def test_pipeline_no_document_loads_no_pipeline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(_options: BuildOptions) -> None:
        raise AssertionError("the pipeline was loaded")

    monkeypatch.setattr(pipeline, "Processor", refuse)
    (tmp_path / "empty.txt").write_bytes(b"")
    for options in (BuildOptions(), BuildOptions(jobs=2), BuildOptions(cache_dir=str(tmp_path / "cache"))):
        with pytest.raises(InputError, match="no document"):
            build([tmp_path], options=options, on_skip=ignore)


def test_pipeline_merge_is_order_independent_with_capped_evidence(records: list[DocResult]) -> None:
    options = BuildOptions(max_evidence=1)
    expected = graph_json(build_graph_from_results(records, pipeline.load_aliases(()), options, BuildStats()))
    rng = random.Random(7)
    for _ in range(5):
        shuffled = rng.sample(records, len(records))
        graph = build_graph_from_results(shuffled, pipeline.load_aliases(()), options, BuildStats())
        assert graph_json(graph) == expected


def test_pipeline_accumulator_caps_evidence_at_max_evidence(records: list[DocResult]) -> None:
    accumulator = Accumulator(pipeline.load_aliases(()), max_evidence=2)
    for n in range(3):  # the same sentences again under other document names
        for result in records:
            accumulator.add(replace(result, doc=f"{result.doc}~{n}"))
    entities, edges = accumulator.finalize()
    graph = build_graph(entities, edges)
    assert all(len(data["evidence"]) <= 2 for _u, _v, data in graph.edges(data=True))
    assert any(data["weight"] > len(data["evidence"]) for _u, _v, data in graph.edges(data=True))


@pytest.mark.slow
def test_pipeline_jobs_2_gives_the_bytes_of_jobs_1(corpus: Path, reference: bytes) -> None:
    seen: list[str] = []
    options = BuildOptions(model=TEST_MODEL, jobs=2, batch_size=1)  # one document a task: both workers busy
    result = build([corpus], options=options, on_skip=ignore, on_document=lambda r: seen.append(r.doc))
    assert graph_json(result.graph) == reference
    assert seen == ["a.txt", "b.txt", "d.jsonl#r1", "d.jsonl#r2", "sub/c.txt"]
    assert result.stats.parsed == 5 and result.stats.skipped == [("empty.txt", "empty file")]


@pytest.mark.slow
def test_pipeline_worker_error_reaches_the_caller(corpus: Path) -> None:
    from graphkit.errors import ModelError

    with pytest.raises(ModelError, match="fr-core-news-xx"):
        build([corpus], options=BuildOptions(model="fr_core_news_xx", jobs=2), on_skip=ignore)


@pytest.mark.slow
def test_pipeline_local_build_imports_nothing_of_dask(corpus: Path, tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys
        from graphkit.pipeline import BuildOptions, build
        for options in (BuildOptions(model={TEST_MODEL!r}, cache_dir={str(tmp_path / "cache")!r}),
                        BuildOptions(model={TEST_MODEL!r}, jobs=2)):
            build([{str(corpus)!r}], options=options, on_skip=lambda n, r: None)
        print(sorted(name for name in sys.modules if name.split(".")[0] in ("dask", "distributed")))
        """
    )
    process = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)
    assert process.returncode == 0, process.stderr
    assert process.stdout.strip() == "[]"


@pytest.mark.slow
def test_pipeline_cli_caches_beside_the_output_and_no_cache_bypasses_it(
    corpus: Path, tmp_path: Path, reference: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    code_digest.cache_clear()
    runner = CliRunner()
    out = tmp_path / "run" / "out"
    args = ["build", str(corpus), "-o", str(out), "--model", TEST_MODEL, "-f", "json", "-q"]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert (tmp_path / "run" / ".graphkit-cache" / CACHE_FILE).is_file()
    assert (out / "graph.json").read_bytes() == reference

    def refuse(_options: BuildOptions) -> None:
        raise AssertionError("the pipeline was loaded")

    monkeypatch.setattr(pipeline, "Processor", refuse)
    second = runner.invoke(cli, args)
    assert second.exit_code == 0, second.output
    assert (out / "graph.json").read_bytes() == reference
    bypass = runner.invoke(cli, [*args, "--no-cache"])
    assert bypass.exit_code != 0 and "the pipeline was loaded" in bypass.output
    elsewhere = tmp_path / "elsewhere"
    other = runner.invoke(cli, [*args, "--cache-dir", str(elsewhere), "--jobs", "2"])
    assert other.exit_code == 0, other.output
    assert (elsewhere / CACHE_FILE).is_file() and (out / "graph.json").read_bytes() == reference


def test_pipeline_text_with_no_sentence_end_gives_bounded_sentences_and_evidence(processor):
    from graphkit.model import Document
    from graphkit.nlp import MAX_SENTENCE_CHARS

    clause = "le groupe Valtera travaille avec Norelis à Lyon et Hexalis à Grenoble, "
    text = clause * 150  # 10,800 characters, one « sentence »
    (result,) = processor.process([Document("flat.txt", text)])
    assert len(result.sentences) >= len(text) // MAX_SENTENCE_CHARS
    for sentence in result.sentences:
        assert sentence.end - sentence.start <= MAX_SENTENCE_CHARS
        assert not sentence.text or text[sentence.start : sentence.end] == sentence.text


def test_pipeline_is_freed_when_the_last_document_is_extracted() -> None:
    """The model (half a gigabyte, held in reference cycles) is not kept while the graph is assembled,
    even when the collector would not run for a long time: nothing of it is left for the collector."""
    import gc

    from graphkit.model import Document

    documents = [Document("a.txt", "Le groupe Valtera a racheté Norelis, selon Claire Martin.", ())]
    gc.collect()
    gc.disable()
    try:
        results = list(pipeline.extract_locally(documents, BuildOptions(model=TEST_MODEL)))
        left = gc.collect()
    finally:
        gc.enable()
    assert results
    assert left < 1000, f"{left} objects of the pipeline were waiting for the collector"
