"""Tests for graphkit.documents: finding inputs, decoding, HTML, JSON Lines and skips."""

from __future__ import annotations

import codecs
import itertools
import json
import os
import socket
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphkit.documents import InputFile, find_inputs, read_documents
from graphkit.errors import InputError
from graphkit.model import Document

BAD_INPUTS = Path(__file__).parent / "data" / "bad_inputs"
SENTENCE = "Société générale a été créée à Paris, l’été dernier."


def write(path: Path, data: str | bytes) -> Path:
    """Write ``data`` (str as UTF-8) to ``path``, creating its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def read(*inputs: str | os.PathLike[str]) -> tuple[list[Document], list[tuple[str, str]]]:
    """Read ``inputs``; return the documents and the ``(name, reason)`` skips."""
    skipped: list[tuple[str, str]] = []
    documents = list(read_documents(inputs, on_skip=lambda name, why: skipped.append((name, why))))
    return documents, skipped


def texts(documents: list[Document]) -> dict[str, str]:
    return {document.name: document.text for document in documents}


# -- finding inputs --------------------------------------------------------------------


def test_documents_folder_walk_names_and_filters(tmp_path: Path) -> None:
    for name in [
        "b.txt",
        "a.md",
        "UPPER.TXT",
        "page.Html",
        "old.htm",
        "export.jsonl",
        "sub/deeper/c.txt",
        "sub/d.txt",
        "notes.pdf",
        "script.py",
        "no_suffix",
        ".hidden.txt",
        ".git/config.txt",
        "sub/.cache/e.txt",
    ]:
        write(tmp_path / name, "Renault")
    found = find_inputs([tmp_path])
    assert [file.name for file in found if file.skip is None] == [
        "UPPER.TXT",
        "a.md",
        "b.txt",
        "export.jsonl",
        "notes.pdf",
        "old.htm",
        "page.Html",
        "sub/d.txt",
        "sub/deeper/c.txt",
    ]
    assert [(file.name, file.skip) for file in found if file.skip is not None] == [
        ("no_suffix", "unsupported format (no suffix)"),
        ("script.py", "unsupported format .py"),
    ]
    assert found[-1].path == tmp_path / "sub" / "deeper" / "c.txt"


def test_documents_explicit_files_named_after_file_name(tmp_path: Path) -> None:
    unknown = write(tmp_path / "dépêche.dat", "Airbus livre un A350.")
    dotfile = write(tmp_path / "sub" / ".brouillon.txt", "Safran recrute.")
    documents, skipped = read(unknown, dotfile)
    assert texts(documents) == {
        ".brouillon.txt": "Safran recrute.",
        "dépêche.dat": "Airbus livre un A350.",
    }
    assert skipped == []


def test_documents_explicit_dot_folder_is_walked(tmp_path: Path) -> None:
    write(tmp_path / ".archive" / "a.txt", "Orange")
    assert [file.name for file in find_inputs([tmp_path / ".archive"])] == ["a.txt"]


def test_documents_single_path_accepted(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Orange")
    assert [file.name for file in find_inputs(tmp_path)] == ["a.txt"]
    assert [file.name for file in find_inputs(str(tmp_path))] == ["a.txt"]


def test_documents_order_independent(tmp_path: Path) -> None:
    write(tmp_path / "dir1" / "b.txt", "Bouygues")
    write(tmp_path / "dir1" / "sub" / "a.txt", "Alstom")
    write(tmp_path / "dir2" / "b.txt", "Bolloré")  # same name as dir1/b.txt
    write(tmp_path / "z.txt", "Zodiac")
    write(tmp_path / "empty.txt", "")
    inputs = [tmp_path / "dir1", tmp_path / "dir2", tmp_path / "z.txt", tmp_path / "empty.txt"]
    results = {repr(read(*order)) for order in itertools.permutations(inputs)}
    assert len(results) == 1
    documents, skipped = read(*inputs)
    assert [document.name for document in documents] == ["b.txt", "sub/a.txt", "z.txt"]
    assert documents[0].text == "Bouygues"  # dir1/b.txt sorts before dir2/b.txt


def test_documents_same_file_listed_twice_read_once(tmp_path: Path) -> None:
    article = write(tmp_path / "a.txt", "Renault")
    documents, skipped = read(article, article, tmp_path / "." / "a.txt", tmp_path)
    assert texts(documents) == {"a.txt": "Renault"}
    assert skipped == []


def test_documents_same_file_under_two_names_read_once(tmp_path: Path) -> None:
    article = write(tmp_path / "sub" / "a.txt", "Renault")
    documents, skipped = read(tmp_path, article)
    assert texts(documents) == {"a.txt": "Renault"}
    assert skipped == [("sub/a.txt", "same file as a.txt")]


def test_documents_duplicate_names_keep_first(tmp_path: Path) -> None:
    first = write(tmp_path / "a" / "x.txt", "Vinci")
    second = write(tmp_path / "b" / "x.txt", "Eiffage")
    documents, skipped = read(second, first)
    assert texts(documents) == {"x.txt": "Vinci"}
    assert skipped == [("x.txt", f"duplicate name ({first} is read instead)")]


def test_documents_missing_input_raises_at_call(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Renault")
    missing = tmp_path / "absent"
    with pytest.raises(InputError, match="^input not found: .*absent$") as raised:
        read_documents([tmp_path, missing])  # not iterated: raised before any reading
    assert "\n" not in str(raised.value)


def test_documents_found_files_record_skips(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "b.txt")
    write(tmp_path / "a.txt", "Renault")
    assert find_inputs([tmp_path]) == [
        InputFile("a.txt", tmp_path / "a.txt"),
        InputFile("b.txt", tmp_path / "b.txt", "not a regular file (FIFO)"),
    ]


# -- special files, symlinks, permissions -----------------------------------------------


def run_with_timeout(function, seconds: float = 10.0):  # type: ignore[no-untyped-def]
    """Run ``function`` in a daemon thread; fail instead of hanging if it blocks."""
    result = {}

    def target():  # type: ignore[no-untyped-def]
        try:
            result["value"] = function()
        except Exception as error:  # re-raised in the test's thread
            result["error"] = error

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "reading blocked"
    if "error" in result:
        raise result["error"]
    return result["value"]


def test_documents_fifo_in_folder_skipped_without_blocking(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Renault")
    os.mkfifo(tmp_path / "feed.txt")
    os.mkfifo(tmp_path / "feed")  # no suffix: reported as unsupported, never opened
    documents, skipped = run_with_timeout(lambda: read(tmp_path))
    assert texts(documents) == {"a.txt": "Renault"}
    assert skipped == [("feed", "unsupported format (no suffix)"), ("feed.txt", "not a regular file (FIFO)")]


def test_documents_socket_and_device_in_folder_skipped(tmp_path: Path) -> None:
    os.symlink(os.devnull, tmp_path / "null.txt")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(tmp_path / "s.txt"))
        documents, skipped = run_with_timeout(lambda: read(tmp_path))
    finally:
        server.close()
    assert documents == []
    assert skipped == [
        ("null.txt", "not a regular file (character device)"),
        ("s.txt", "not a regular file (socket)"),
    ]


def test_documents_explicit_special_file_raises(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "feed.txt")
    with pytest.raises(InputError, match=r"^input is not a file or folder \(FIFO\): .*feed.txt$"):
        run_with_timeout(lambda: read(tmp_path / "feed.txt"))
    with pytest.raises(InputError, match=r"\(character device\)"):
        read(os.devnull)


def test_documents_symlinks(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write(corpus / "a" / "x.txt", "Thales")
    outside = write(tmp_path / "elsewhere" / "article.txt", "Dassault")
    os.symlink(corpus, corpus / "a" / "up")  # loop back to an ancestor
    os.symlink(corpus / "a", corpus / "b")  # a folder already visited
    os.symlink("self.txt", corpus / "self.txt")  # loops on itself
    os.symlink(outside, corpus / "link.txt")  # a regular file elsewhere: read
    os.symlink(tmp_path / "missing.txt", corpus / "broken.txt")
    documents, skipped = run_with_timeout(lambda: read(corpus))
    assert texts(documents) == {"a/x.txt": "Thales", "link.txt": "Dassault"}
    assert skipped == [
        ("a/up", "symlink loop"),
        ("b", "symlink to a folder already visited"),
        ("broken.txt", "broken symlink or file removed"),
        ("self.txt", "symlink loop"),
    ]


def test_documents_explicit_symlink_loop_raises(tmp_path: Path) -> None:
    os.symlink("loop", tmp_path / "loop")
    with pytest.raises(InputError, match="^input is a symlink loop: "):
        read(tmp_path / "loop")


def test_documents_permission_denied_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests may run as root, where chmod 000 does not stop reading: make the
    # operating system calls fail instead.
    write(tmp_path / "a.txt", "Renault")
    secret = write(tmp_path / "secret.txt", "Areva")
    locked = write(tmp_path / "locked.jsonl", '{"text": "Orano"}\n')
    write(tmp_path / "private" / "c.txt", "Framatome")
    real_open, real_scandir = os.open, os.scandir

    def open_(path, flags, *args):  # type: ignore[no-untyped-def]
        if Path(path) in (secret, locked):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    def scandir(path):  # type: ignore[no-untyped-def]
        if Path(path).name == "private":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "open", open_)
    monkeypatch.setattr(os, "scandir", scandir)
    documents, skipped = read(tmp_path)
    assert texts(documents) == {"a.txt": "Renault"}
    assert skipped == [
        ("locked.jsonl", "permission denied"),
        ("private", "permission denied"),
        ("secret.txt", "permission denied"),
    ]


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="root can read a chmod 000 file (see test_documents_permission_denied_skipped)",
)
def test_documents_chmod_000_file_skipped(tmp_path: Path) -> None:
    secret = write(tmp_path / "secret.txt", "Areva")
    secret.chmod(0)
    try:
        documents, skipped = read(tmp_path)
    finally:
        secret.chmod(0o644)
    assert documents == []
    assert skipped == [("secret.txt", "permission denied")]


def test_documents_file_removed_after_listing_skipped(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Renault")
    write(tmp_path / "b.txt", "Peugeot")
    skipped: list[tuple[str, str]] = []
    documents = read_documents([tmp_path], on_skip=lambda *skip: skipped.append(skip))
    assert next(documents).name == "a.txt"  # files are read lazily, one at a time
    (tmp_path / "b.txt").unlink()
    assert list(documents) == []
    assert skipped == [("b.txt", "broken symlink or file removed")]


# -- content skips and decoding -------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b" \n\t\r\n\xc2\xa0\n", "only whitespace"),
        (codecs.BOM_UTF8, "only whitespace"),
        (b"Renault\x00\x01\x02", "binary file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (bytes(range(128, 256)) * 4, "binary file"),  # no NUL, but no encoding fits
    ],
)
def test_documents_unreadable_content_skipped(tmp_path: Path, data: bytes, reason: str) -> None:
    documents, skipped = read(write(tmp_path / "a.txt", data))
    assert documents == []
    assert skipped == [("a.txt", reason)]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (SENTENCE.encode("utf-8"), SENTENCE),
        (codecs.BOM_UTF8 + SENTENCE.encode("utf-8"), SENTENCE),
        (SENTENCE.encode("utf-16"), SENTENCE),  # with its BOM
        (SENTENCE.encode("cp1252"), SENTENCE),
        (SENTENCE.replace("’", "'").encode("latin-1"), SENTENCE.replace("’", "'")),
        (SENTENCE.encode("mac-roman"), SENTENCE),
        ("« Œuvre », 3 € — déjà…".encode("cp1252"), "« Œuvre », 3 € — déjà…"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-bom", "cp1252", "latin-1", "mac-roman", "cp1252-symbols"],
)
def test_documents_decoding(tmp_path: Path, data: bytes, expected: str) -> None:
    documents, skipped = read(write(tmp_path / "a.txt", data))
    assert texts(documents) == {"a.txt": expected}


@pytest.mark.parametrize(
    ("mojibake", "expected"),
    [
        ("SociÃ©tÃ© gÃ©nÃ©rale a Ã©tÃ© crÃ©Ã©e Ã\xa0 Paris, lâ€™Ã©tÃ© dernier.", SENTENCE),
        ("voilÃ le travail", "voilà le travail"),  # the NBSP of « à » became a space
        ("Â« Å’uvre Â», dÃ©jÃ\xa0 â€” fin", "« Œuvre », déjà — fin"),
        ("Mixte : Ã©tÃ© et été", "Mixte : été et été"),  # mojibake next to good text
    ],
)
def test_documents_mojibake_repaired(tmp_path: Path, mojibake: str, expected: str) -> None:
    documents, skipped = read(write(tmp_path / "a.txt", mojibake))
    assert texts(documents) == {"a.txt": expected}


@pytest.mark.parametrize(
    "text",
    [
        SENTENCE,
        "« Bonjour », dit-il ; « ça va ? » — oui… L'œuvre coûte 3 € ; Œ æ ß",
        "Espaces insécables\u00a0: fines\u202f; ligature ﬁ, ＡＢ pleine chasse",
        "Accents décomposés : e\u0301te\u0301, Ame\u0301lie",  # NFD stays NFD
        "Guillemets “anglais” et ‘simples’, apostrophe ' droite, &amp; &eacute;",
        "SÃO PAULO — Petrobras ; Ã la carte",
        "«Washington»ÉTATS-UNIS",  # ftfy alone reads « »É » as mac-roman mojibake
        "  indentation\tet tabulations  \n\n\n  fin  ",
        "Contrôle \x0c saut de page, \x1b[31m couleur",
    ],
)
def test_documents_correct_text_unchanged(tmp_path: Path, text: str) -> None:
    documents, skipped = read(write(tmp_path / "a.txt", text))
    assert texts(documents) == {"a.txt": text}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"Ligne 1\r\nLigne 2\r\n\r\nFin\r\n", "Ligne 1\nLigne 2\n\nFin\n"),
        (b"Mac\rclassique\r", "Mac\nclassique\n"),
        (b"M\xe9lange\r\nde\rfins\n", "Mélange\nde\nfins\n"),
    ],
)
def test_documents_line_ends_normalised(tmp_path: Path, data: bytes, expected: str) -> None:
    documents, skipped = read(write(tmp_path / "a.txt", data))
    assert texts(documents) == {"a.txt": expected}


def test_documents_default_on_skip_warns(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Renault")
    write(tmp_path / "empty.txt", "")
    with pytest.warns(UserWarning, match="^skipped empty.txt: empty file$"):
        documents = list(read_documents([tmp_path]))
    assert [document.name for document in documents] == ["a.txt"]


# -- HTML ------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html lang="fr"><head><meta charset="{charset}">
<title>Vinci remporte un contrat | Le Journal</title>
<meta property="og:url" content="https://journal.example/vinci-contrat">
<meta property="article:published_time" content="2023-11-02">
</head><body>
<nav><ul><li><a href="/">Accueil</a></li><li><a href="/eco">Économie</a></li>
<li><a href="/login">Connexion</a></li><li><a href="/nl">Newsletter</a></li></ul></nav>
<article><h1>Vinci remporte un contrat à Lyon</h1>
<p>Le groupe Vinci a remporté mardi le contrat de construction du nouveau tramway de Lyon,
a annoncé Xavier Huillard lors d'une conférence de presse à la métropole.</p>
<p>Le chantier doit durer trois ans et mobiliser près de cinq cents salariés, selon
la direction de Vinci Construction, qui n'a pas précisé le montant du contrat signé.</p>
</article>
<section class="comments"><h2>Commentaires</h2>
<div class="comment"><p class="author">Jean-Claude Dupuis</p><p>Encore des travaux !</p></div>
<button>Publier un commentaire</button></section>
<footer><a href="/mentions">Mentions légales</a> © Le Journal</footer>
</body></html>"""

BOILERPLATE = [
    "Accueil",
    "Économie",
    "Connexion",
    "Newsletter",
    "Commentaires",
    "Jean-Claude Dupuis",
    "Publier un commentaire",
    "Mentions légales",
]


@pytest.mark.parametrize(("charset", "encoding"), [("utf-8", "utf-8"), ("windows-1252", "cp1252")])
def test_documents_html_article_only(tmp_path: Path, charset: str, encoding: str) -> None:
    page = write(tmp_path / "vinci.html", PAGE.format(charset=charset).encode(encoding))
    documents, skipped = read(page)
    assert skipped == []
    [document] = documents
    assert document.text.startswith(
        "Vinci remporte un contrat à Lyon\n\nLe groupe Vinci a remporté"
    )
    assert "\n\nLe chantier doit durer trois ans" in document.text
    for word in BOILERPLATE:
        assert word not in document.text
    assert document.meta == (
        ("date", "2023-11-02"),
        ("outlet", "journal.example"),  # trafilatura's site name: the host when the page names none
        ("title", "Vinci remporte un contrat à Lyon"),  # the headline, not <title>
        ("url", "https://journal.example/vinci-contrat"),
    )


@pytest.mark.parametrize(
    "page",
    [
        "<html><body><nav><ul><li><a href='/'>Accueil</a></li><li><a href='/eco'>Économie</a>"
        "</li></ul></nav><footer><p><a href='/nl'>Newsletter</a></p></footer></body></html>",
        "<html><head><title>Vide</title></head><body></body></html>",
        "<!-- rien -->",
    ],
)
def test_documents_html_without_article_skipped(tmp_path: Path, page: str) -> None:
    documents, skipped = read(write(tmp_path / "page.htm", page))
    assert documents == []
    assert skipped == [("page.htm", "no article text found")]


# -- JSON Lines ------------------------------------------------------------------------


def jsonl(*lines: object) -> str:
    return "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)


def test_documents_jsonl_names_and_meta(tmp_path: Path) -> None:
    export = write(
        tmp_path / "sub" / "export.jsonl",
        jsonl(
            {"id": "afp-1", "text": "Renault", "title": " Titre ", "date": "2024-01-02"},
            {"text": "Peugeot", "url": "https://exemple.fr/p", "author": "ignoré"},
            {"id": 42, "text": "Citroën", "title": ""},
            {"id": None, "text": "Dacia", "date": 2024},
        ),
    )
    documents, skipped = read(tmp_path)
    assert skipped == []
    assert documents == [
        Document("sub/export.jsonl#afp-1", "Renault", (("date", "2024-01-02"), ("title", "Titre"))),
        Document("sub/export.jsonl#2", "Peugeot", (("url", "https://exemple.fr/p"),)),
        Document("sub/export.jsonl#42", "Citroën"),
        Document("sub/export.jsonl#4", "Dacia"),
    ]
    assert [document.name for document in read(export)[0]][0] == "export.jsonl#afp-1"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (
            '{"id": "x", "text": "Renault',
            "invalid JSON (Unterminated string starting at, column 21)",
        ),
        ("pas du JSON", "invalid JSON (Expecting value, column 1)"),
        ("[" * 100_000, "invalid JSON (value too large or too deeply nested)"),
        ('["Renault"]', "not a JSON object"),
        ('"Renault"', "not a JSON object"),
        ('{"title": "Sans texte"}', "no text"),
        ('{"text": ""}', "no text"),
        ('{"text": "  \\n "}', "no text"),
        ('{"text": 12}', "no text"),
        (b"\x00\x01\x02", "binary data"),
    ],
)
def test_documents_jsonl_broken_line_skipped(
    tmp_path: Path, line: str | bytes, reason: str
) -> None:
    data = jsonl({"text": "Airbus"}).encode()
    data += line if isinstance(line, bytes) else line.encode()
    data += b"\n" + jsonl({"text": "Safran"}).encode()
    documents, skipped = read(write(tmp_path / "e.jsonl", data))
    assert texts(documents) == {"e.jsonl#1": "Airbus", "e.jsonl#3": "Safran"}
    assert skipped == [("e.jsonl", f"line 2: {reason}")]


def test_documents_jsonl_decoding_and_blank_lines(tmp_path: Path) -> None:
    data = (
        codecs.BOM_UTF8
        + b'{"text": "Ligne 1\\r\\nLigne 2"}\r\n'
        + b"\r\n   \n"
        + '{"text": "Cr\u00c3\u00a9dit Agricole", "title": "\u00c3\u0089t\u00c3\u00a9"}\n'.encode()
        + b'{"text": "Soci\xe9t\xe9 g\xe9n\xe9rale"}\n'  # a cp1252 line
        + b'{"text": "Lone \\ud800 surrogate"}'  # no final newline
    )
    documents, skipped = read(write(tmp_path / "e.jsonl", data))
    assert skipped == []
    assert documents == [
        Document("e.jsonl#1", "Ligne 1\nLigne 2"),
        Document("e.jsonl#4", "Crédit Agricole", (("title", "Été"),)),
        Document("e.jsonl#5", "Société générale"),
        Document("e.jsonl#6", "Lone \ufffd surrogate"),
    ]


def test_documents_jsonl_duplicate_id_keeps_first(tmp_path: Path) -> None:
    data = jsonl({"id": "a", "text": "Renault"}, {"id": "a", "text": "Nissan"}, {"text": "Dacia"})
    documents, skipped = read(write(tmp_path / "e.jsonl", data))
    assert texts(documents) == {"e.jsonl#a": "Renault", "e.jsonl#3": "Dacia"}
    assert skipped == [("e.jsonl#a", "duplicate name")]


@pytest.mark.parametrize(("data", "reason"), [("", "empty file"), ("\n  \n\n", "only whitespace")])
def test_documents_jsonl_without_lines_skipped(tmp_path: Path, data: str, reason: str) -> None:
    documents, skipped = read(write(tmp_path / "e.jsonl", data))
    assert documents == []
    assert skipped == [("e.jsonl", reason)]


def test_documents_jsonl_streamed_line_by_line(tmp_path: Path) -> None:
    export = write(tmp_path / "e.jsonl", jsonl({"text": "Renault"}))
    documents = read_documents([export])
    assert next(documents).text == "Renault"
    with export.open("a", encoding="utf-8") as handle:  # appended after the first yield
        handle.write(jsonl({"text": "Nissan"}))
    assert [document.text for document in documents] == ["Nissan"]


# -- the bad-input corpus --------------------------------------------------------------


def test_documents_bad_inputs_corpus() -> None:
    corpus = sorted(path for path in BAD_INPUTS.iterdir() if path.name != "README.md")
    documents, skipped = read(*corpus)
    assert [document.name for document in documents] == [
        "article.html",
        "bom.txt",
        "cp1252.txt",
        "export.jsonl#afp-0311",
        "export.jsonl#afp-0312",
        "export.jsonl#3",
        "export.jsonl#4415",
        "mojibake.txt",
    ]
    assert skipped == [
        ("binary.txt", "binary file"),
        ("blank.txt", "only whitespace"),
        ("empty.txt", "empty file"),
        ("export.jsonl", "line 4: invalid JSON (Unterminated string starting at, column 70)"),
    ]
    text = texts(documents)
    assert "Olivier Andriès, directeur général de Safran" in text["cp1252.txt"]
    assert "« C’est un signal très fort" in text["mojibake.txt"]
    assert text["bom.txt"].startswith("TotalEnergies et EDF s’associent")
    assert "\r" not in text["bom.txt"]
    for word in [
        "Accueil",
        "Économie",
        "Entreprises",
        "Bourse",
        "Connexion",
        "Newsletter",
        "Publier un commentaire",
        "Mentions légales",
        "Gérard Tissot",
        "Martine Lebrun",
        "Yannick Morvan",
        "Lumina",
        "Valeo",
        "Volkswagen",
        "cookies",
    ]:
        assert word not in text["article.html"]
    assert text["article.html"].count("\n\n") == 5
    assert dict(documents[0].meta) == {
        "date": "2024-03-14",
        "outlet": "Le Courrier de l'Industrie",
        "title": "Michelin et Stellantis signent un accord sur les pneus de demain",
        "url": "https://www.courrier-industrie.example/economie/michelin-stellantis-accord-pneus",
    }


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x2122), min_size=1, max_size=40))
def test_documents_every_mojibake_line_goes_to_the_repair(text):
    """The quick pre-check never lets UTF-8-read-as-cp1252/latin-1 text through unrepaired."""
    from graphkit.decoding import _MAYBE_MOJIBAKE

    for encoding in ("cp1252", "latin-1"):
        try:
            garbled = text.encode("utf-8").decode(encoding)
        except UnicodeDecodeError:
            continue
        if garbled != text:
            assert _MAYBE_MOJIBAKE.search(garbled)


def test_documents_file_name_that_is_not_utf8_is_named_with_its_bytes_escaped(tmp_path):
    name = b"caf\xe9.txt".decode("utf-8", "surrogateescape")
    (tmp_path / name).write_text("Valtera rachète Norelis.", encoding="utf-8")
    documents = list(read_documents([tmp_path]))
    assert [d.name for d in documents] == ["caf\\xe9.txt"]
    documents[0].name.encode("utf-8")  # writable as UTF-8 everywhere


def test_documents_stray_bytes_are_replaced_with_one_warning_that_counts_them(tmp_path):
    text = "« Valtera » rachète l’entreprise Norelis à Lyon pour 2 milliards d’euros. "
    (tmp_path / "a.txt").write_bytes(text.encode() + b"Caf\xe9 " + text.encode() + b"\xff.")
    warned: list[tuple[str, str]] = []
    skipped: list[tuple[str, str]] = []
    documents = list(
        read_documents(
            [tmp_path],
            on_skip=lambda n, r: skipped.append((n, r)),
            on_warning=lambda n, m: warned.append((n, m)),
        )
    )
    assert documents[0].text == text + "Caf\ufffd " + text + "\ufffd."
    assert warned == [("a.txt", "2 invalid bytes replaced by U+FFFD")] and skipped == []


def test_documents_binary_is_still_binary(tmp_path):
    (tmp_path / "a.txt").write_bytes(bytes(range(1, 256)) * 20)
    skipped: list[tuple[str, str]] = []
    assert list(read_documents([tmp_path], on_skip=lambda n, r: skipped.append((n, r)))) == []
    assert skipped == [("a.txt", "binary file")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_documents_file_replaced_by_a_fifo_after_the_scan_is_skipped_not_waited_for(tmp_path):
    import threading

    (tmp_path / "a.txt").write_text("Valtera.", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"text": "Norelis."}\n', encoding="utf-8")
    skipped: list[tuple[str, str]] = []
    documents = read_documents([tmp_path], on_skip=lambda n, r: skipped.append((n, r)))
    for name in ("a.txt", "b.jsonl"):
        (tmp_path / name).unlink()
        os.mkfifo(tmp_path / name)
    result: list[object] = []
    reader = threading.Thread(target=lambda: result.append(list(documents)), daemon=True)
    reader.start()
    reader.join(10)
    assert not reader.is_alive(), "the reader blocked on a FIFO"
    fifo = "not a regular file (FIFO)"
    assert result == [[]] and skipped == [("a.txt", fifo), ("b.jsonl", fifo)]
