"""The Dask path: a real local cluster gives the bytes of a local build, from paths or fsspec URLs;
listing happens on the client, reading on the workers; errors are one-line ClusterErrors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from corpus_utils import TEST_MODEL, graph_json, ignore, write_corpus

import graphkit.distributed as distributed
from graphkit.cache import code_digest
from graphkit.documents import find_inputs
from graphkit.errors import ClusterError, InputError
from graphkit.pipeline import BuildOptions, build

pytest.importorskip("dask.distributed")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("distributed") / "corpus")


@pytest.fixture(scope="module")
def local(corpus: Path) -> tuple[bytes, list[tuple[str, str]]]:
    """graph.json and skips of a local build of the corpus."""
    result = build([corpus], options=BuildOptions(model=TEST_MODEL), on_skip=ignore)
    return graph_json(result.graph), result.stats.skipped


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a two-process local cluster, one thread a worker."""
    from dask.distributed import LocalCluster

    code_digest.cache_clear()  # workers compute theirs now too
    with LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None, memory_limit=0
    ) as cluster:
        yield cluster.scheduler_address


def test_distributed_listing_names_files_like_a_local_build(corpus: Path) -> None:
    entries = distributed.list_inputs([corpus])
    assert [(e.name, e.skip) for e in entries] == [(f.name, f.skip) for f in find_inputs([corpus])]
    assert all(Path(e.location).is_absolute() for e in entries)
    urls = distributed.list_inputs([corpus.as_uri()])
    assert [e.name for e in urls] == [e.name for e in entries]
    assert all(e.location.startswith("file://") for e in urls)


def test_distributed_missing_url_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="input not found"):
        distributed.list_inputs([(tmp_path / "nope").as_uri()])


def test_distributed_unreachable_scheduler_is_a_cluster_error(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(distributed, "CONNECT_TIMEOUT", "1s")
    options = BuildOptions(model=TEST_MODEL, scheduler="tcp://127.0.0.1:9")
    with pytest.raises(ClusterError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        build([corpus], options=options, on_skip=ignore)


@pytest.mark.slow
def test_distributed_worker_with_other_rules_refuses() -> None:
    options = BuildOptions(model=TEST_MODEL)
    processor = distributed.worker_processor(options)
    expected = distributed._identity(processor.aliases.digest, "another rules digest")
    with pytest.raises(ClusterError, match=r"does not match the client \(rules files differ\)"):
        distributed._extract_entries([], options, expected)


@pytest.mark.slow
@pytest.mark.cluster
def test_distributed_cluster_build_gives_the_bytes_of_a_local_build(
    corpus: Path, local: tuple[bytes, list[tuple[str, str]]], scheduler: str
) -> None:
    skipped: list[tuple[str, str]] = []
    options = BuildOptions(model=TEST_MODEL, scheduler=scheduler, batch_size=1)
    result = build([corpus], options=options, on_skip=lambda name, reason: skipped.append((name, reason)))
    assert graph_json(result.graph) == local[0]
    assert skipped == local[1] == [("empty.txt", "empty file")]
    assert (result.stats.parsed, result.stats.cached) == (5, 0)


@pytest.mark.slow
@pytest.mark.cluster
def test_distributed_cluster_reads_fsspec_urls(
    corpus: Path, local: tuple[bytes, list[tuple[str, str]]], scheduler: str
) -> None:
    options = BuildOptions(model=TEST_MODEL, scheduler=scheduler)
    result = build([corpus.as_uri()], options=options, on_skip=ignore)
    assert graph_json(result.graph) == local[0]
