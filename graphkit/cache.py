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
in WAL mode and commits each result as it is stored (:meth:`ResultCache.put`),
so a killed build keeps every result it finished: at worst the documents in
progress are redone. A damaged file is replaced by an
empty one with a :class:`~graphkit.errors.CacheWarning`; a cache folder that
cannot be written is left alone with a warning too. Records are stored as
JSON (never pickle), one list of field values a record, after the SHA-256 of that
JSON: a record that does not match its digest is extracted again, with a warning.

With ``--keep-parses``, :class:`ParseCache` also keeps each prepared text's
spaCy parse (``Doc.to_bytes``, compressed) in ``parses.sqlite``, keyed by the
text and :func:`parse_fingerprint` (the pipeline, graphkit's pipeline code
and the alias table, but not the rules): after a rules change, documents are
extracted again from their stored parses instead of going through spaCy.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import sqlite3
import warnings
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any, Generic, TypeVar

from graphkit.errors import CacheWarning
from graphkit.model import DocResult, Document, Mention, RawRelation, Sentence
from graphkit.version import __version__

__all__ = [
    "CACHE_FOLDER",
    "CACHE_FILE",
    "PARSES_FILE",
    "ResultCache",
    "ParseCache",
    "parse_fingerprint",
    "default_cache_dir",
    "document_digest",
    "fingerprint",
    "model_meta",
    "encode_result",
    "decode_result",
]

CACHE_FOLDER = ".graphkit-cache"
CACHE_FILE = "results.sqlite"
PARSES_FILE = "parses.sqlite"
SCHEMA_VERSION = 1
_BUSY_TIMEOUT_MS = 60_000
_LOOKUP_CHUNK = 500  # keys per SELECT ... IN (...), under SQLite's variable limit

R = TypeVar("R", Mention, RawRelation, Sentence)
S = TypeVar("S", bound="_Store[Any]")
V = TypeVar("V")


# -- keys ---------------------------------------------------------------------------


def default_cache_dir(output: str | Path) -> Path:
    """The cache folder of a build writing into ``output``: ``.graphkit-cache`` beside it.

    >>> default_cache_dir("runs/out").as_posix()
    'runs/.graphkit-cache'
    """
    return Path(output).parent / CACHE_FOLDER


def document_digest(document: Document) -> str:
    """SHA-256 of a document's name, text and metadata (and place, for a section of a long file).

    >>> document_digest(Document("a.txt", "Bonjour.")) == document_digest(Document("a.txt", "Bonjour."))
    True
    >>> document_digest(Document("a.txt", "Bonjour.")) == document_digest(Document("b.txt", "Bonjour."))
    False
    """
    place = [] if document.section is None else [document.section, document.offset]
    content = json.dumps([document.name, document.text, document.meta, *place], ensure_ascii=True)
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
    root = Path(__file__).resolve().parent
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


def _pipeline_parts(meta: dict[str, Any], model: str) -> dict[str, Any]:
    """What identifies a spaCy pipeline: its name, meta, spaCy's version and graphkit's."""
    meta_text = json.dumps(meta, sort_keys=True, default=str)
    return {
        "model": model,
        "model_meta": {key: meta.get(key) for key in ("lang", "name", "version", "spacy_version")},
        "model_meta_digest": hashlib.sha256(meta_text.encode("utf-8")).hexdigest(),
        "spacy": _package_version("spacy"),
        "graphkit": __version__,
        "schema": SCHEMA_VERSION,
    }


def _digest(parts: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


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
    parts = _pipeline_parts(meta, model)
    return _digest({**parts, "code": code_digest(), "aliases": aliases, "rules": rules})


def parse_fingerprint(meta: dict[str, Any], *, model: str, aliases: str) -> str:
    """SHA-256 of everything a parse depends on, but the text: the pipeline, its graphkit
    components (``nlp.py``) and the alias table they match; not the rules."""
    components = (Path(__file__).resolve().parent / "nlp.py").read_bytes()
    parts = {**_pipeline_parts(meta, model), "components": hashlib.sha256(components).hexdigest()}
    return _digest({**parts, "aliases": aliases})


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
            *([] if result.section is None else [result.section]),
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
        doc, meta, sentences, mentions, relations, *section = json.loads(text)
        if len(section) > 1 or not all(isinstance(number, int) for number in section):
            raise ValueError("not an encoded DocResult: bad section number")
        return DocResult(
            doc,
            tuple((key, value) for key, value in meta),
            _records(Sentence, sentences),
            _records(Mention, mentions),
            _records(RawRelation, relations),
            *section,
        )
    except (TypeError, KeyError) as err:
        raise ValueError(f"not an encoded DocResult: {err}") from None


# -- the database ---------------------------------------------------------------------


class _Store(Generic[V]):
    """One key-value table in one SQLite file of the cache folder, for one fingerprint.

    Use as a context manager. A store that cannot be opened or used turns
    itself off with a :class:`~graphkit.errors.CacheWarning` (the build goes
    on without it). Subclasses name the file, the table and its value
    column, and turn values to and from what is stored.
    """

    file_name: str
    table: str
    value_column: str
    value_type: str

    def __init__(self, folder: str | Path, fingerprint: str) -> None:
        self.path = Path(folder) / self.file_name
        self.fingerprint = fingerprint
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

    def _key(self, digest: str) -> str:
        return hashlib.sha256(f"{self.fingerprint}:{digest}".encode("ascii")).hexdigest()

    def _encode(self, value: V) -> Any:
        raise NotImplementedError

    def _decode(self, stored: Any) -> V:
        raise NotImplementedError

    def get_many(self, keys: Iterable[str]) -> dict[str, V]:
        """The stored values among ``keys`` (missing or unreadable ones left out)."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, V] = {}
        altered = 0
        if self.connection is None:
            return found
        try:
            for start in range(0, len(wanted), _LOOKUP_CHUNK):
                chunk = wanted[start : start + _LOOKUP_CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = self.connection.execute(
                    f"SELECT key, {self.value_column} FROM {self.table} WHERE key IN ({marks})", chunk
                ).fetchall()
                for key, stored in rows:
                    try:
                        found[key] = self._decode(stored)
                    except _Altered:
                        altered += 1  # a miss too, but said
                    except ValueError:
                        continue  # an unreadable value is a miss; it is rewritten
        except sqlite3.Error as err:
            self._failed(err)
            return {}
        if altered:
            records = f"{altered} record{'s' if altered > 1 else ''}"
            warnings.warn(
                f"{records} of the cache {self.path} did not match {'their' if altered > 1 else 'its'} "
                "digest; extracted again",
                CacheWarning,
                stacklevel=2,
            )
        return found

    def put(self, key: str, value: V) -> None:
        """Store one value, committed at once (in WAL mode a commit is a write, not a sync)."""
        if self.connection is None:
            return
        try:
            with self.connection:  # commits, or rolls back on error
                self.connection.execute(
                    f"INSERT OR REPLACE INTO {self.table} (key, {self.value_column}) VALUES (?, ?)",
                    (key, self._encode(value)),
                )
        except sqlite3.Error as err:
            self._failed(err)

    def close(self) -> None:
        """Close the database; the store cannot be used afterwards."""
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def __enter__(self: S) -> S:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        """Number of stored values (all fingerprints)."""
        if self.connection is None:
            return 0
        return int(self.connection.execute(f"SELECT count(*) FROM {self.table}").fetchone()[0])

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
                f"CREATE TABLE IF NOT EXISTS {self.table}"
                f" (key TEXT PRIMARY KEY, {self.value_column} {self.value_type} NOT NULL) WITHOUT ROWID"
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


class ResultCache(_Store[DocResult]):
    """Per-document results in ``<folder>/results.sqlite``, for one :func:`fingerprint`.

    Parameters
    ----------
    folder : path
        The cache folder, created if missing.
    fingerprint : str
        See :func:`fingerprint`.
    """

    file_name = CACHE_FILE
    table = "results"
    value_column = "result"
    value_type = "TEXT"

    def key(self, document: Document) -> str:
        """The key of ``document``'s result under this fingerprint."""
        return self._key(document_digest(document))

    def _encode(self, value: DocResult) -> str:
        text = encode_result(value)
        return f"{_text_digest(text)}:{text}"

    def _decode(self, stored: str) -> DocResult:
        """The record, checked against the digest stored with it (:class:`_Altered` if it differs)."""
        digest, _colon, text = stored.partition(":")
        if len(digest) != 64 or not _colon:
            raise ValueError("a record without its digest")
        if _text_digest(text) != digest:
            raise _Altered("a record that does not match its digest")
        return decode_result(text)


class ParseCache(_Store[bytes]):
    """spaCy parses of prepared texts in ``<folder>/parses.sqlite``, for one :func:`parse_fingerprint`.

    Values are the bytes of ``Doc.to_bytes``, stored compressed; about 11 kB
    for a 300-word article with ``fr_core_news_md``.
    """

    file_name = PARSES_FILE
    table = "parses"
    value_column = "parse"
    value_type = "BLOB"

    def key(self, text: str) -> str:
        """The key of the parse of ``text`` under this fingerprint."""
        return self._key(hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())

    def _encode(self, value: bytes) -> bytes:
        return zlib.compress(value, 1)

    def _decode(self, stored: bytes) -> bytes:
        try:
            return zlib.decompress(stored)
        except (zlib.error, TypeError) as err:
            raise ValueError(f"not a stored parse: {err}") from None


class _Altered(ValueError):
    """A stored record that does not match the digest stored with it."""


def _text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _is_damage(err: sqlite3.Error) -> bool:
    """True for a file that is not a database or a corrupt one (not for a locked or full disk)."""
    name = getattr(err, "sqlite_errorname", "")  # Python 3.11+
    if name:
        return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))
    return type(err) is sqlite3.DatabaseError
