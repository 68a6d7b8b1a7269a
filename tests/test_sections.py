"""Long text files are streamed: read a chunk at a time, cut into sections at paragraph breaks,
each section merged and released in turn, offsets into the whole file kept."""

from __future__ import annotations

import codecs
import io
import tracemalloc
from pathlib import Path

import pytest
from corpus_utils import ARTICLES, TEST_MODEL, graph_json
from hypothesis import given
from hypothesis import strategies as st

import graphkit.decoding as decoding
import graphkit.documents as documents
from graphkit.decoding import clean, decode, sniff_encoding, text_chunks
from graphkit.documents import read_documents
from graphkit.pipeline import BuildOptions, build
from graphkit.textprep import split_for_length, split_stream

FRENCH = st.lists(st.sampled_from([*"abcé ’«».Œ€\n\r\ufffd", "\r\n", "\n\n", ". "]), max_size=120).map(
    "".join
)


def _read(
    path: Path, warned: list[tuple[str, str]] | None = None, skipped: list[tuple[str, str]] | None = None
):
    warn = (lambda n, m: warned.append((n, m))) if warned is not None else None
    skip = (lambda n, r: skipped.append((n, r))) if skipped is not None else None
    return list(read_documents([path], on_warning=warn, on_skip=skip))


def _whole_text(path: Path) -> str:
    """The file's text as a document read whole would have it."""
    decoded = decode(path.read_bytes())
    assert decoded is not None
    return clean(decoded[0])


def _long_article_file(path: Path, copies: int = 4) -> str:
    """The test articles, ``copies`` times over with distinct names, as one text file; returns the text."""
    parts = []
    for n in range(copies):
        for text in ARTICLES.values():
            parts.append(text.replace("Valtera", f"Valtera{'x' * n}").replace("\n", "\r\n"))
    text = "\r\n".join(parts) + "Pour finir, Brevalia s'associe à Ondéos à Nantes.\r\n"
    path.write_text(text, encoding="utf-8", newline="")
    return text


# -- cutting and decoding a stream ----------------------------------------------------------


@given(FRENCH, st.lists(st.integers(min_value=0, max_value=300), max_size=8), st.integers(1, 60))
def test_sections_split_stream_cuts_as_the_whole_text_is_cut(text: str, cuts: list[int], limit: int) -> None:
    chunks = [text[a:b] for a, b in zip([0, *sorted(cuts)], [*sorted(cuts), len(text)], strict=True)]
    assert list(split_stream(chunks, limit)) == list(split_for_length(text, limit))


@given(
    FRENCH,
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
    st.lists(st.integers(min_value=0, max_value=600), max_size=3),
    st.integers(min_value=1, max_value=9),
)
def test_sections_streamed_decoding_is_whole_decoding(
    text: str, codec: str, stray_at: list[int], chunk: int
) -> None:
    """Chunk by chunk (chunks of a few bytes: characters, CRLF and U+FFFD straddle them), the same
    encoding, the same count of invalid bytes and the same text as decoding the whole file."""
    raw = bytearray(text.encode(codec))
    if codec != "utf-16":
        for at in sorted(stray_at, reverse=True):
            raw[min(at, len(raw)) : min(at, len(raw))] = b"\xe9"
    raw_bytes = bytes(raw)
    whole = decode(raw_bytes)
    original, decoding.CHUNK_BYTES = decoding.CHUNK_BYTES, chunk
    try:
        handle = io.BytesIO(raw_bytes)
        encoding = sniff_encoding(handle)
        streamed = None if encoding is None else "".join(text_chunks(handle, encoding))
    finally:
        decoding.CHUNK_BYTES = original
    tally = decoding._Utf8Tally()
    tally.add(raw_bytes.removeprefix(codecs.BOM_UTF8), final=True)
    if codec != "utf-16" and tally.replaced and not tally.mostly_right:
        return  # not UTF-8: a legacy encoding, chosen from the first chunk (see the next test)
    assert whole is not None and encoding is not None and encoding.replaced == whole[1]
    assert streamed == whole[0].replace("\r\n", "\n").replace("\r", "\n")


def test_sections_legacy_encoding_is_chosen_from_the_first_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = ("Société générale, l’été à Orléans. " * 50).encode("cp1252")
    monkeypatch.setattr(decoding, "CHUNK_BYTES", 256)
    handle = io.BytesIO(raw)
    encoding = sniff_encoding(handle)
    assert encoding == decoding.Encoding("cp1252")
    assert "".join(text_chunks(handle, encoding)) == decode(raw)[0]  # type: ignore[index]


# -- reading ----------------------------------------------------------------------------------


def test_sections_long_file_is_read_in_sections_that_join_back(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(documents, "SECTION_CHARS", 400)
    monkeypatch.setattr(decoding, "CHUNK_BYTES", 97)
    path = tmp_path / "long.txt"
    front = "---\r\ndate: 2024-10-11\r\noutlet: Le Courrier\r\n---\r\n"
    text = front + _long_article_file(tmp_path / "body.txt", copies=2)
    path.write_bytes(text.encode("utf-8").replace(b"Lyon", b"Ly\xffon", 1))
    warned: list[tuple[str, str]] = []
    read = _read(path, warned)
    assert len(read) > 3 and all(len(d.text) <= 400 for d in read)
    assert [d.section for d in read] == list(range(len(read)))
    assert {d.name for d in read} == {"long.txt"} and {d.meta for d in read} == {
        (("date", "2024-10-11"), ("outlet", "Le Courrier"))
    }
    whole = _whole_text(path)
    blanked = len(clean(front))  # the front matter, blanked in the first section
    assert (
        read[0].text[:blanked].strip() == "" and read[0].text[blanked:] == whole[blanked : len(read[0].text)]
    )
    for document in read[1:]:
        assert whole[document.offset : document.offset + len(document.text)] == document.text
    assert read[-1].offset + len(read[-1].text) == len(whole)
    assert warned == [("long.txt", "1 invalid byte replaced by U+FFFD")]


def test_sections_file_of_one_section_is_one_plain_document(tmp_path: Path, monkeypatch) -> None:
    """More bytes than a section holds but fewer characters: one document, as if read whole."""
    text = "Léa Créçy a été élue à Orléans. " * 3
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    whole = _read(tmp_path)
    monkeypatch.setattr(documents, "SECTION_CHARS", len(text) + 10)
    assert len(text.encode()) > documents.SECTION_CHARS
    assert _read(tmp_path) == whole and whole[0].section is None


def test_sections_blank_and_binary_long_files_are_skipped(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(documents, "SECTION_CHARS", 50)
    (tmp_path / "blank.txt").write_text(" \n" * 200, encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"Du texte. " * 20 + b"\x00\x01" * 100)
    skipped: list[tuple[str, str]] = []
    assert _read(tmp_path, skipped=skipped) == []
    assert sorted(skipped) == [("binary.txt", "binary file"), ("blank.txt", "only whitespace")]


def _reading_peak(path: Path) -> tuple[int, int]:
    """Sections read from ``path`` and the peak of memory allocated while reading them one by one."""
    tracemalloc.start()
    try:
        sections = sum(1 for _document in read_documents([path]))
        return sections, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_sections_reading_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    paragraph = "Le groupe Valtera a annoncé l’accord à Lyon, « une étape », selon Norelis.\n\n"
    peaks = {}
    for millions in (6, 18):
        path = tmp_path / f"long{millions}.txt"
        path.write_text(paragraph * (millions * 1_000_000 // len(paragraph)), encoding="utf-8")
        sections, peaks[millions] = _reading_peak(path)
        assert sections >= millions * 1_000_000 // documents.SECTION_CHARS
    whole_18 = 18_000_000 * 2  # bytes of the whole text as one str (2 a character: it holds « ’ »)
    assert peaks[18] < 1.1 * peaks[6] and peaks[18] < whole_18 / 2


# -- building ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sectioned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("sections")
    _long_article_file(folder / "long.txt")
    return folder, _whole_text(folder / "long.txt")


def _build(folder: Path, monkeypatch: pytest.MonkeyPatch, **options):
    monkeypatch.setattr(documents, "SECTION_CHARS", 700)
    return build([folder], options=BuildOptions(model=TEST_MODEL, **options))


def test_sections_build_counts_one_document_and_cites_the_whole_file(sectioned, monkeypatch) -> None:
    folder, whole = sectioned
    result = _build(folder, monkeypatch)
    graph = result.graph
    assert graph.graph["documents"] == 1 and result.stats.parsed > 5
    evidence = [item for _u, _v, data in graph.edges(data=True) for item in data["evidence"]]
    assert evidence and all(item["doc"] == "long.txt" for item in evidence)
    assert all(whole[item["start"] : item["end"]] == item["sentence"] for item in evidence)
    last_section = {"Brevalia", "Ondéos", "Nantes"}  # named only at the end of the file
    assert last_section <= set(graph.nodes)
    assert {"Valtera", "Valteraxxx"} <= set(graph.nodes)  # the first and the last copy of the articles


def test_sections_build_same_graph_in_processes_and_from_the_cache(sectioned, monkeypatch, tmp_path) -> None:
    folder, _whole = sectioned
    reference = graph_json(_build(folder, monkeypatch).graph)
    assert graph_json(_build(folder, monkeypatch, jobs=2).graph) == reference
    cache = str(tmp_path / "cache")
    assert graph_json(_build(folder, monkeypatch, cache_dir=cache).graph) == reference
    again = _build(folder, monkeypatch, cache_dir=cache)
    assert graph_json(again.graph) == reference and again.stats.parsed == 0 and again.stats.cached > 5


def test_sections_read_error_midway_keeps_what_was_read_with_a_warning(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(documents, "SECTION_CHARS", 300)
    path = tmp_path / "long.txt"
    _long_article_file(path, copies=3)
    original_chunks = decoding.text_chunks

    def failing(handle, encoding):
        chunks = original_chunks(handle, encoding)
        yield next(chunks)
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(documents, "text_chunks", failing)
    monkeypatch.setattr(decoding, "CHUNK_BYTES", 900)
    warned: list[tuple[str, str]] = []
    skipped: list[tuple[str, str]] = []
    read = _read(path, warned, skipped)
    assert read and skipped == []
    end = read[-1].offset + len(read[-1].text)
    assert warned == [("long.txt", f"read up to character {end} only: input/output error")]
