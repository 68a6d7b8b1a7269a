"""Per-document results kept in SQLite, so that a rebuild parses only what changed.

A result is stored under a key made of the document's content (name, text
and metadata) and the *fingerprint* of everything else its extraction
depends on (:func:`fingerprint`): the spaCy pipeline's name, version and
``meta.json``, the spaCy version, graphkit's version and the digest of its
code and data (the exporters aside), and the digests of the alias and rules
files in use. Change any of them and the documents are extracted again; the
merge settings (``--min-mentions``, ``--max-evidence``) are not part of the
key, since the merge always runs on the cached records.

The database is one file, ``results.sqlite``, in the cache folder. It runs
in WAL mode and commits every few results (:meth:`ResultCache.put`), so a
killed build loses at most its last batch. A damaged file is replaced by an
empty one with a :class:`~graphkit.errors.CacheWarning`; a cache folder that
cannot be written is left alone with a warning too. Records are stored as
JSON (never pickle), one list of field values a record.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import sqlite3
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any, TypeVar

import graphkit
from graphkit import __version__
from graphkit.errors import CacheWarning
from graphkit.model import DocResult, Document, Mention, RawRelation, Sentence

__all__ = [
    "CACHE_FOLDER",
    "CACHE_FILE",
    "ResultCache",
    "default_cache_dir",
    "document_digest",
    "fingerprint",
    "model_meta",
    "encode_result",
    "decode_result",
]

CACHE_FOLDER = ".graphkit-cache"
CACHE_FILE = "results.sqlite"
SCHEMA_VERSION = 1
_BUSY_TIMEOUT_MS = 60_000
_LOOKUP_CHUNK = 500  # keys per SELECT ... IN (...), under SQLite's variable limit

R = TypeVar("R", Mention, RawRelation, Sentence)


# -- keys ---------------------------------------------------------------------------


def default_cache_dir(output: str | Path) -> Path:
    """The cache folder of a build writing into ``output``: ``.graphkit-cache`` beside it.

    >>> default_cache_dir("runs/out").as_posix()
    'runs/.graphkit-cache'
    """
    return Path(output).parent / CACHE_FOLDER


def document_digest(document: Document) -> str:
    """SHA-256 of a document's name, text and metadata.

    >>> document_digest(Document("a.txt", "Bonjour.")) == document_digest(Document("a.txt", "Bonjour."))
    True
    >>> document_digest(Document("a.txt", "Bonjour.")) == document_digest(Document("b.txt", "Bonjour."))
    False
    """
    content = json.dumps([document.name, document.text, document.meta], ensure_ascii=True)
    return hashlib.sha256(content.encode("ascii")).hexdigest()


def model_meta(name: str) -> dict[str, Any] | None:
    """The ``meta.json`` of an installed spaCy pipeline (package name or path), without loading it.

    Returns None when the pipeline cannot be found this way; the caller then
    loads it (and reports it missing, if it is).
    """
    candidates: list[Path] = []
    if name.isidentifier():
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is not None and spec.submodule_search_locations:
            candidates.extend(Path(p) / "meta.json" for p in spec.submodule_search_locations)
    candidates.append(Path(name) / "meta.json")
    for path in candidates:
        try:
            meta = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(meta, dict):
            return meta
    return None


def _package_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return ""


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """SHA-256 of graphkit's code and data files, the exporters aside.

    An installed release is identified by its version already; the digest
    also catches a source tree edited in place, as during development.
    """
    root = Path(graphkit.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or relative.parts[0] in ("export", "__pycache__"):
            continue
        if path.suffix not in (".py", ".json", ".txt"):
            continue
        digest.update(relative.as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def fingerprint(meta: dict[str, Any], *, model: str, aliases: str, rules: str) -> str:
    """SHA-256 of everything a document's extraction depends on, but the document.

    Parameters
    ----------
    meta : dict
        The pipeline's ``meta.json`` (or ``nlp.meta``).
    model : str
        The pipeline's name as given to ``--model``.
    aliases, rules : str
        :attr:`AliasTable.digest` and :attr:`RuleSet.digest`.
    """
    meta_text = json.dumps(meta, sort_keys=True, default=str)
    parts = {
        "model": model,
        "model_meta": {key: meta.get(key) for key in ("lang", "name", "version", "spacy_version")},
        "model_meta_digest": hashlib.sha256(meta_text.encode("utf-8")).hexdigest(),
        "spacy": _package_version("spacy"),
        "graphkit": __version__,
        "code": code_digest(),
        "aliases": aliases,
        "rules": rules,
        "schema": SCHEMA_VERSION,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


# -- records <-> JSON -----------------------------------------------------------------


def _row(record: Any) -> list[Any]:
    return [getattr(record, f.name) for f in fields(record)]


def _records(kind: type[R], rows: Sequence[Sequence[Any]]) -> tuple[R, ...]:
    width = len(fields(kind))
    if any(len(row) != width for row in rows):
        raise ValueError(f"a {kind.__name__} row does not have {width} values")
    return tuple(kind(*row) for row in rows)


def encode_result(result: DocResult) -> str:
    """JSON text of a :class:`DocResult` (ASCII, so any string round-trips).

    >>> r = DocResult("a.txt", (("title", "T"),), (Sentence(0, 3, "A B"),),
    ...               (Mention("A", "ORG", 0, 1, 0),), ())
    >>> decode_result(encode_result(r)) == r
    True
    """
    return json.dumps(
        [
            result.doc,
            [list(pair) for pair in result.meta],
            [_row(s) for s in result.sentences],
            [_row(m) for m in result.mentions],
            [_row(r) for r in result.relations],
        ],
        ensure_ascii=True,
        separators=(",", ":"),
    )


def decode_result(text: str) -> DocResult:
    """Inverse of :func:`encode_result`.

    Raises
    ------
    ValueError
        If ``text`` is not an encoded result.
    """
    try:
        doc, meta, sentences, mentions, relations = json.loads(text)
        return DocResult(
            doc,
            tuple((key, value) for key, value in meta),
            _records(Sentence, sentences),
            _records(Mention, mentions),
            _records(RawRelation, relations),
        )
    except (TypeError, KeyError) as err:
        raise ValueError(f"not an encoded DocResult: {err}") from None


# -- the database ---------------------------------------------------------------------


class ResultCache:
    """Per-document results in ``<folder>/results.sqlite``, for one fingerprint.

    Use as a context manager; :meth:`close` commits what is pending. A cache
    that cannot be opened or used turns itself off with a
    :class:`~graphkit.errors.CacheWarning` (the build goes on, uncached).

    Parameters
    ----------
    folder : path
        The cache folder, created if missing.
    fingerprint : str
        See :func:`fingerprint`.
    commit_every : int
        Results written per transaction.
    """

    def __init__(self, folder: str | Path, fingerprint: str, *, commit_every: int = 32) -> None:
        self.path = Path(folder) / CACHE_FILE
        self.fingerprint = fingerprint
        self.commit_every = max(1, commit_every)
        self.pending = 0
        self.connection: sqlite3.Connection | None = None
        self.replaced = False
        try:
            self.connection = self._connect()
        except OSError as err:
            self._disable(f"cannot open the cache {self.path} ({err}); building without it")
        except sqlite3.Error as err:
            self._failed(err)

    @property
    def enabled(self) -> bool:
        return self.connection is not None

    def key(self, document: Document) -> str:
        """The key of ``document``'s result under this fingerprint."""
        return hashlib.sha256(f"{self.fingerprint}:{document_digest(document)}".encode("ascii")).hexdigest()

    def get_many(self, keys: Iterable[str]) -> dict[str, DocResult]:
        """The cached results among ``keys`` (missing or unreadable ones left out)."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, DocResult] = {}
        if self.connection is None:
            return found
        try:
            for start in range(0, len(wanted), _LOOKUP_CHUNK):
                chunk = wanted[start : start + _LOOKUP_CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = self.connection.execute(
                    f"SELECT key, result FROM results WHERE key IN ({marks})", chunk
                ).fetchall()
                for key, text in rows:
                    try:
                        found[key] = decode_result(text)
                    except ValueError:
                        continue  # an unreadable record is a miss; it is rewritten
        except sqlite3.Error as err:
            self._failed(err)
            return {}
        return found

    def put(self, key: str, result: DocResult) -> None:
        """Store one result; every ``commit_every`` results are committed together."""
        if self.connection is None:
            return
        try:
            self.connection.execute(
                "INSERT OR REPLACE INTO results (key, result) VALUES (?, ?)", (key, encode_result(result))
            )
            self.pending += 1
            if self.pending >= self.commit_every:
                self.commit()
        except sqlite3.Error as err:
            self._failed(err)

    def commit(self) -> None:
        """Commit the pending results."""
        if self.connection is not None and self.pending:
            self.connection.commit()
            self.pending = 0

    def close(self) -> None:
        """Commit and close; the cache cannot be used afterwards."""
        if self.connection is None:
            return
        try:
            self.commit()
        except sqlite3.Error as err:
            warnings.warn(f"cannot write to the cache {self.path} ({err})", CacheWarning, stacklevel=2)
        finally:
            self.connection.close()
            self.connection = None

    def __enter__(self) -> ResultCache:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        """Number of stored results (all fingerprints)."""
        if self.connection is None:
            return 0
        return int(self.connection.execute("SELECT count(*) FROM results").fetchone()[0])

    # -- internals ----------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_MS / 1000)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, SCHEMA_VERSION):
                raise sqlite3.DatabaseError(f"unknown schema version {version}")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS results"
                " (key TEXT PRIMARY KEY, result TEXT NOT NULL) WITHOUT ROWID"
            )
            connection.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            connection.commit()
        except BaseException:
            connection.close()
            raise
        return connection

    def _failed(self, err: sqlite3.Error) -> None:
        """Replace a damaged database by an empty one (once); on any other error stop caching."""
        if self.connection is not None:
            self.connection.close()
            self.connection = None
        self.pending = 0
        if not _is_damage(err) or self.replaced:
            self._disable(f"cannot use the cache {self.path} ({err}); building without it")
            return
        self.replaced = True
        warnings.warn(
            f"the cache {self.path} is damaged ({err}); it is replaced by an empty one",
            CacheWarning,
            stacklevel=3,
        )
        try:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self.connection = self._connect()
        except (OSError, sqlite3.Error) as again:
            self._disable(f"cannot recreate the cache {self.path} ({again}); building without it")

    def _disable(self, message: str) -> None:
        if self.connection is not None:
            self.connection.close()
        self.connection = None
        warnings.warn(message, CacheWarning, stacklevel=3)


def _is_damage(err: sqlite3.Error) -> bool:
    """True for a file that is not a database or a corrupt one (not for a locked or full disk)."""
    name = getattr(err, "sqlite_errorname", "")  # Python 3.11+
    if name:
        return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))
    return type(err) is sqlite3.DatabaseError
