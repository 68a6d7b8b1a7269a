"""Address lists fetched from a real HTTP server on 127.0.0.1: pages, feeds, errors, the per-host pause,
the timeout, the page cache and --offline."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from graphkit.documents import read_documents
from graphkit.formats import ReadOptions
from graphkit.model import Document

ARTICLE = " ".join(
    [
        "Le groupe Carrefour a racheté l'enseigne espagnole Dia pour un montant non communiqué.",
        "L'opération renforce la présence du distributeur français en Espagne, selon la direction.",
        "Alexandre Bompard, le PDG de Carrefour, a salué une étape importante pour le groupe.",
    ]
)
PAGE = f"""<!doctype html><html><head><title>Carrefour rachète Dia</title>
<meta property="article:published_time" content="2024-03-05"></head>
<body><nav>Accueil | Économie</nav><article><h1>Carrefour rachète Dia</h1>
<p>{ARTICLE}</p><p>{ARTICLE}</p></article><footer>Mentions légales</footer></body></html>"""
FEED = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Le Fil</title>
<item><title>Dia</title><link>http://example.org/dia</link><description>{ARTICLE}</description></item>
</channel></rss>"""


class _Handler(BaseHTTPRequestHandler):
    hits: list[tuple[str, float]] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.hits.append((self.path, time.monotonic()))
        routes = {"/page": ("text/html; charset=utf-8", PAGE), "/feed": ("application/rss+xml", FEED)}
        if self.path == "/slow":  # answers nothing, later than the client waits
            time.sleep(1.5)
            return
        if self.path not in routes:
            self.send_error(404)
            return
        content_type, body = routes[self.path]
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_args: object) -> None:  # keep the test output clean
        pass


@pytest.fixture()
def server() -> Iterator[tuple[str, list[tuple[str, float]]]]:
    hits: list[tuple[str, float]] = []
    handler = type("Handler", (_Handler,), {"hits": hits})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def read(path: Path, **options: object) -> tuple[list[Document], list[tuple[str, str]]]:
    skipped: list[tuple[str, str]] = []
    reading = ReadOptions(**{"delay": 0.0, **options})  # type: ignore[arg-type]
    documents = list(read_documents([path], on_skip=lambda n, r: skipped.append((n, r)), options=reading))
    return documents, skipped


def test_fetch_pages_and_feeds_of_an_address_list(tmp_path: Path, server) -> None:
    base, hits = server
    urls = tmp_path / "urls.txt"
    lines = ["# revue de presse", f"{base}/page", "", f"{base}/feed", f"{base}/missing", "ftp://x/y"]
    urls.write_text("\n".join(lines) + "\n", encoding="utf-8")
    documents, skipped = read(urls, fetch_dir=str(tmp_path / "pages"))
    assert [d.name for d in documents] == [f"{base}/page", f"{base}/feed#1"]
    page, entry = documents
    assert ARTICLE in page.text and "Mentions légales" not in page.text and "Accueil" not in page.text
    assert page.meta_dict["title"] == "Carrefour rachète Dia" and page.meta_dict["url"] == f"{base}/page"
    assert entry.text == ARTICLE
    assert entry.meta_dict == {"title": "Dia", "url": "http://example.org/dia", "outlet": "Le Fil"}
    assert skipped == [
        (f"{base}/missing", "cannot fetch (HTTP 404)"),
        ("urls.txt#6", "not an http(s) address: ftp://x/y"),
    ]
    assert [path for path, _t in hits] == ["/page", "/feed", "/missing"]

    # a rebuild reads the kept pages and fetches nothing; --offline refuses what is not kept
    hits.clear()
    again, skipped_again = read(urls, fetch_dir=str(tmp_path / "pages"), offline=True)
    assert again == documents and hits == []
    assert (f"{base}/missing", "not fetched: --offline, and not in the page cache") in skipped_again
    _none, offline = read(urls, fetch_dir=str(tmp_path / "elsewhere"), offline=True)
    assert hits == [] and len(offline) == 4


def test_fetch_waits_between_two_requests_to_one_host(tmp_path: Path, server) -> None:
    base, hits = server
    (tmp_path / "a.urls").write_text(f"{base}/page\n{base}/feed\n", encoding="utf-8")
    documents, _skipped = read(tmp_path / "a.urls", delay=0.4)
    assert len(documents) == 2
    (_first, t1), (_second, t2) = hits
    assert t2 - t1 >= 0.4


def test_fetch_gives_up_after_the_timeout(tmp_path: Path, server) -> None:
    base, _hits = server
    (tmp_path / "a.urls").write_text(f"{base}/slow\n", encoding="utf-8")
    started = time.monotonic()
    documents, skipped = read(tmp_path / "a.urls", timeout=0.3)
    assert documents == [] and skipped == [(f"{base}/slow", "cannot fetch (no answer within 0.3 s)")]
    assert time.monotonic() - started < 1.4
