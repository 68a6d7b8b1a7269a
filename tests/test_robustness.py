"""Robustness tests: bad inputs, interrupted builds, determinism and fuzzing.

Most tests run the real command (``python -m graphkit build``) in a
subprocess, as a user would, and check what a user sees: the exit code, the
lines on stderr and the files left in the output folder. The fuzz tests feed
arbitrary bytes and text to :func:`graphkit.documents.read_documents` and to
:func:`graphkit.pipeline.build`: no input may crash them.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import string
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import psutil
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphkit.documents import read_documents
from graphkit.errors import InputError
from graphkit.graph import read_graph
from graphkit.model import Document
from graphkit.pipeline import build

BAD_INPUTS = Path(__file__).parent / "data" / "bad_inputs"
GOOD_DOCUMENTS = {
    "article.html",
    "bom.txt",
    "cp1252.txt",
    "export.jsonl#3",
    "export.jsonl#4415",
    "export.jsonl#afp-0311",
    "export.jsonl#afp-0312",
    "mojibake.txt",
}
SKIP_WARNINGS = [
    "Warning: skipped binary.txt: binary file",
    "Warning: skipped blank.txt: only whitespace",
    "Warning: skipped empty.txt: empty file",
    "Warning: skipped export.jsonl: line 4: "
    "invalid JSON (Unterminated string starting at, column 70)",
]
# Words of the page's menus, banners, related links, ad, comments and footer.
BOILERPLATE = [
    "Accueil",
    "Économie",
    "Entreprises",
    "International",
    "Bourse",
    "Newsletter",
    "Connexion",
    "abonner",
    "cookies",
    "Publier",
    "commentaire",
    "Mentions légales",
    "Plan du site",
    "Facebook",
    "LinkedIn",
    "Premium",
    "Lumina",
    "Valeo",
    "Volkswagen",
    "Continental",
    "Auvergne",
    "Gérard Tissot",
    "Martine Lebrun",
    "Yannick Morvan",
    "Courrier de l'Industrie",
    "Horizon Médias",
]


def graphkit(*args: str | os.PathLike[str], seed: str = "0") -> subprocess.CompletedProcess[str]:
    """Run ``python -m graphkit ARGS`` as a user would; never hang the test run."""
    return subprocess.run(
        [sys.executable, "-m", "graphkit", *map(str, args)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONHASHSEED": seed},
    )


def copy_bad_inputs(folder: Path) -> Path:
    """The bad-input corpus without its README, in ``folder``."""
    shutil.copytree(BAD_INPUTS, folder, ignore=shutil.ignore_patterns("README.md"))
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def assert_no_traceback(process: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in process.stderr + process.stdout


# -- the bad-input corpus through the command ------------------------------------------


@pytest.fixture(scope="module")
def bad_build(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """``graphkit build`` of the bad-input corpus (every format), run once for this module."""
    root = tmp_path_factory.mktemp("bad_build")
    corpus = copy_bad_inputs(root / "corpus")
    out = root / "out"
    return graphkit("build", corpus, "-o", out, "--format", "all", "-q"), out


@pytest.mark.slow
def test_robustness_bad_inputs_warn_and_succeed(bad_build) -> None:
    process, out = bad_build
    assert process.returncode == 0, process.stderr
    assert process.stderr.splitlines() == SKIP_WARNINGS
    assert process.stdout == ""  # -q
    assert_no_traceback(process)


@pytest.mark.slow
def test_robustness_bad_inputs_outputs_complete(bad_build) -> None:
    _, out = bad_build
    assert sorted(path.name for path in out.iterdir()) == [
        "graph.edges.csv",
        "graph.gexf",
        "graph.graphml",
        "graph.html",
        "graph.json",
        "graph.nodes.csv",
    ]
    graph = read_graph(out / "graph.json")
    assert graph.graph["documents"] == len(GOOD_DOCUMENTS)
    docs = {doc for _, data in graph.nodes(data=True) for doc in data["docs"]}
    assert docs == GOOD_DOCUMENTS  # every good file gave entities, no skipped file did
    labels = {data["label"] for _, data in graph.nodes(data=True)}
    for expected in [
        "Safran",  # cp1252.txt
        "Olivier Andriès",
        "Airbus",  # mojibake.txt
        "Guillaume Faury",
        "TotalEnergies",  # bom.txt
        "Michelin",  # article.html
        "Stellantis",
        "Carlos Tavares",
        "LVMH",  # export.jsonl
        "Carrefour",
        "Orange",
    ]:
        assert expected in labels
    assert not [label for label in labels if "Ã" in label or "â€" in label]
    nx.read_graphml(out / "graph.graphml")
    nx.read_gexf(out / "graph.gexf")
    assert "Michelin" in (out / "graph.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_robustness_html_boilerplate_yields_no_entity(bad_build) -> None:
    _, out = bad_build
    graph = read_graph(out / "graph.json")
    names = [
        name
        for _, data in graph.nodes(data=True)
        for name in [data["label"], *data.get("aliases", [])]
    ]
    leaked = [
        (name, word) for name in names for word in BOILERPLATE if word.casefold() in name.casefold()
    ]
    assert leaked == []


# -- input and output errors -----------------------------------------------------------


def test_robustness_missing_input_one_line_exit_2(tmp_path: Path) -> None:
    process = graphkit("build", tmp_path / "absent", "-o", tmp_path / "out")
    assert process.returncode == 2
    assert process.stderr == f"Error: input not found: {tmp_path / 'absent'}\n"
    assert_no_traceback(process)


def test_robustness_output_path_is_a_file_exit_2(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Renault a signé un accord avec Nissan.", encoding="utf-8")
    target = tmp_path / "out"
    target.write_text("not a folder", encoding="utf-8")
    process = graphkit("build", tmp_path / "a.txt", "-o", target)
    assert process.returncode == 2
    assert process.stderr == f"Error: output path is a file, not a folder: {target}\n"
    assert target.read_text(encoding="utf-8") == "not a folder"
    assert_no_traceback(process)


def test_robustness_explicit_fifo_input_exit_2(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "feed.txt")
    process = graphkit("build", tmp_path / "feed.txt", "-o", tmp_path / "out")  # must not block
    assert process.returncode == 2
    assert (
        process.stderr == f"Error: input is not a file or folder (FIFO): {tmp_path / 'feed.txt'}\n"
    )


@pytest.mark.slow
def test_robustness_empty_folder_fails_with_message(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    process = graphkit("build", tmp_path / "corpus", "-o", tmp_path / "out")
    assert process.returncode != 0
    assert process.stderr == f"Error: no document to read in {tmp_path / 'corpus'}\n"
    assert_no_traceback(process)


@pytest.mark.slow
def test_robustness_only_bad_files_fails_with_warnings(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02")
    os.mkfifo(corpus / "feed.txt")
    process = graphkit("build", corpus, "-o", tmp_path / "out")
    assert process.returncode != 0
    assert process.stderr.splitlines() == [
        "Warning: skipped binary.txt: binary file",
        "Warning: skipped empty.txt: empty file",
        "Warning: skipped feed.txt: not a regular file (FIFO)",
        f"Error: no document to read in {corpus} (3 skipped)",
    ]


# -- interrupted builds leave earlier outputs alone ------------------------------------

COMPANIES = ["Renault", "Airbus", "Safran", "Michelin", "Orange", "Carrefour", "Danone", "Thales"]
PEOPLE = ["Claire Fontaine", "Marc Lefebvre", "Sophie Marchand", "Julien Roussel", "Nadia Benali"]
CITIES = ["Paris", "Lyon", "Toulouse", "Lille", "Nantes", "Bordeaux"]


def write_big_corpus(path: Path, articles: int = 3000) -> Path:
    """A JSON Lines corpus long enough to take well over a minute to build."""
    with path.open("w", encoding="utf-8") as handle:
        for n in range(articles):
            a, b = COMPANIES[n % 8], COMPANIES[(n * 3 + 1) % 8]
            person, city = PEOPLE[n % 5], CITIES[n % 6]
            text = " ".join(
                [
                    f"{a} a annoncé un partenariat avec {b} à {city}.",
                    f"« C’est une étape importante », a déclaré {person}, directrice de {a}.",
                    f"Selon {b}, l’accord porte sur plusieurs centaines de millions d’euros.",
                ]
                * 4
            )
            record = {"id": f"dep-{n:05d}", "title": f"{a} et {b}", "text": text}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


@pytest.fixture
def previous_outputs(bad_build, tmp_path: Path) -> Path:
    """An output folder holding the valid outputs of an earlier build."""
    _, out = bad_build
    return Path(shutil.copytree(out, tmp_path / "out"))


def start_build_and_wait_for_processing(corpus: Path, out: Path) -> subprocess.Popen[str]:
    """Start a build; return once it is reading documents (the corpus file is open)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "graphkit", "build", str(corpus), "-o", str(out), "-q"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not any(f.path == str(corpus) for f in psutil.Process(process.pid).open_files()):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the build never started reading documents"
        time.sleep(0.05)
    time.sleep(1.0)  # well into the corpus, far from its end
    assert process.poll() is None
    return process


@pytest.mark.slow
def test_robustness_sigkill_leaves_previous_outputs_intact(
    tmp_path: Path, previous_outputs: Path
) -> None:
    before = snapshot(previous_outputs)
    corpus = write_big_corpus(tmp_path / "big.jsonl")
    process = start_build_and_wait_for_processing(corpus, previous_outputs)
    process.kill()
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert snapshot(previous_outputs) == before
    assert read_graph(previous_outputs / "graph.json").graph["documents"] == len(GOOD_DOCUMENTS)


@pytest.mark.slow
def test_robustness_sigint_stops_quickly_with_message(
    tmp_path: Path, previous_outputs: Path
) -> None:
    before = snapshot(previous_outputs)
    corpus = write_big_corpus(tmp_path / "big.jsonl")
    process = start_build_and_wait_for_processing(corpus, previous_outputs)
    interrupted = time.monotonic()
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    elapsed = time.monotonic() - interrupted
    assert elapsed < 2.0  # about 0.5 s on an idle machine; leave room for a busy one
    assert process.returncode == 130
    assert stderr == "Stopped: interrupted; earlier outputs were left as they were.\n"
    assert snapshot(previous_outputs) == before
    read_graph(previous_outputs / "graph.json")


# -- determinism -----------------------------------------------------------------------


@pytest.mark.slow
def test_robustness_same_outputs_whatever_the_input_order(tmp_path: Path) -> None:
    corpus = copy_bad_inputs(tmp_path / "corpus")
    for seed in Path(__file__).parent.parent.joinpath("seeds").iterdir():
        shutil.copy(seed, corpus)
    files = sorted(corpus.iterdir())
    first = graphkit("build", *files, "-o", tmp_path / "one", "-f", "all", "-q", seed="1")
    second = graphkit(
        "build", *reversed(files), "-o", tmp_path / "two", "-f", "all", "-q", seed="2"
    )
    assert first.returncode == second.returncode == 0
    assert first.stderr == second.stderr
    one, two = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert (
        sorted(one)
        == sorted(two)
        == [
            "graph.edges.csv",
            "graph.gexf",
            "graph.graphml",
            "graph.html",
            "graph.json",
            "graph.nodes.csv",
        ]
    )
    assert [name for name in one if one[name] != two[name]] == []


# -- fuzzing the reader ----------------------------------------------------------------

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

FRENCH_WORDS = [
    "Société",
    "générale",
    "été",
    "créée",
    "à",
    "Paris",
    "l’été",
    "d’Airbus",
    "où",
    "déjà",
    "garçon",
    "Noël",
    "maïs",
    "œuvre",
    "Œdipe",
    "cœur",
    "février",
    "août",
    "Île-de-France",
    "ÉTATS",
    "À",
    "Ça",
    "Crédit",
    "Agricole",
    "hôpital",
    "forêt",
    "sûr",
    "naïve",
    "Zoé",
    "Hélène",
    "«",
    "»",
    "—",
    "…",
    "€",
    "%",
    "«\u00a0Bonjour\u00a0»",
    "oui\u202f!",
    "qu’il",
    "“cité”",
    "'",
    ",",
    ".",
    "\n",
    "\n\n",
    "12",
    "2024",
]


def read_all(*inputs: Path) -> tuple[list[Document], list[tuple[str, str]]]:
    """The documents read and the inputs skipped; a warning (stray bytes replaced) must name its input."""
    skipped: list[tuple[str, str]] = []
    names = {path.name for path in inputs}

    def warned(name: str, message: str) -> None:
        assert name.split("#")[0] in names and message, (name, message)

    documents = list(
        read_documents(inputs, on_skip=lambda name, why: skipped.append((name, why)), on_warning=warned)
    )
    return documents, skipped


def assert_sound(document: Document) -> None:
    """What every document must satisfy, whatever the bytes it came from."""
    assert document.text.strip()
    assert "\r" not in document.text
    document.text.encode("utf-8")  # no lone surrogates: always writable
    assert list(document.meta) == sorted(document.meta)
    assert {key for key, _ in document.meta} <= {"title", "date", "url", "outlet"}


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".txt", ".md", ".html", ".jsonl"]))
def test_robustness_reader_arbitrary_bytes(tmp_path_factory, data: bytes, suffix: str) -> None:
    path = tmp_path_factory.mktemp("fuzz") / f"input{suffix}"
    path.write_bytes(data)
    documents, skipped = read_all(path)
    for document in documents:
        assert_sound(document)
    if suffix == ".jsonl":  # one outcome per line, or one for the whole file
        assert len(documents) + len(skipped) >= 1
    else:
        assert len(documents) + len(skipped) == 1
    assert all(name.startswith(path.name) and reason for name, reason in skipped)


@FUZZ
@given(text=st.text(max_size=2000), suffix=st.sampled_from([".txt", ".html", ".jsonl"]))
def test_robustness_reader_arbitrary_unicode(tmp_path_factory, text: str, suffix: str) -> None:
    path = tmp_path_factory.mktemp("fuzz") / f"input{suffix}"
    path.write_text(text, encoding="utf-8", newline="")
    documents, skipped = read_all(path)
    for document in documents:
        assert_sound(document)
    if suffix == ".txt" and "\x00" not in text and text.strip():
        assert [document.name for document in documents] == ["input.txt"]


@FUZZ
@given(text=st.text(alphabet=string.printable, max_size=500))
def test_robustness_reader_ascii_text_unchanged(tmp_path_factory, text: str) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "input.txt"
    path.write_text(text, encoding="utf-8", newline="")
    documents, _ = read_all(path)
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    assert [document.text for document in documents] == ([expected] if text.strip() else [])


@FUZZ
@given(
    words=st.lists(st.sampled_from(FRENCH_WORDS), min_size=1, max_size=60),
    separators=st.lists(st.sampled_from([" ", "\n", ", ", ". "]), min_size=60, max_size=60),
    encoding=st.sampled_from(["utf-8", "utf-8-sig"]),
)
def test_robustness_reader_french_text_unchanged(
    tmp_path_factory, words: list[str], separators: list[str], encoding: str
) -> None:
    text = "Le groupe " + "".join(w + s for w, s in zip(words, separators, strict=False)) + " fin."
    path = tmp_path_factory.mktemp("fuzz") / "input.txt"
    path.write_bytes(text.encode(encoding))
    documents, skipped = read_all(path)
    assert skipped == []
    assert [document.text for document in documents] == [text]


# -- fuzzing the whole pipeline (library) ------------------------------------------------

PIPELINE_FUZZ = settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def build_or_input_error(folder: Path) -> None:
    """Build ``folder``: a graph that serialises, or an InputError when nothing is readable."""
    try:
        result = build([folder], on_skip=lambda name, reason: None)
    except InputError as error:
        assert str(error).startswith("no document to read in ")
        return
    assert result.stats.documents >= 1
    json.dumps(nx.node_link_data(result.graph, edges="links"), sort_keys=True, ensure_ascii=False)


@pytest.mark.slow
@PIPELINE_FUZZ
@given(texts=st.lists(st.text(max_size=400), min_size=1, max_size=3))
def test_robustness_pipeline_arbitrary_unicode(tmp_path_factory, texts: list[str]) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    for number, text in enumerate(texts):
        (folder / f"{number}.txt").write_text(text, encoding="utf-8", newline="")
    build_or_input_error(folder)


@pytest.mark.slow
@PIPELINE_FUZZ
@given(
    files=st.lists(
        st.tuples(st.sampled_from([".txt", ".html", ".jsonl"]), st.binary(max_size=600)),
        min_size=1,
        max_size=3,
    )
)
def test_robustness_pipeline_arbitrary_bytes(
    tmp_path_factory, files: list[tuple[str, bytes]]
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    for number, (suffix, data) in enumerate(files):
        (folder / f"{number}{suffix}").write_bytes(data)
    build_or_input_error(folder)
