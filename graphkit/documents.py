""":mod:`graphkit.documents`: find input files and read them as :class:`~graphkit.model.Document`.

This is the first step of the pipeline and one of the few that touch the disk.
It is built for real media-monitoring exports, which mix encodings, formats and
junk:

- Inputs are files or folders. Folders are walked recursively in sorted order;
  dotfiles and dot-folders are ignored; files whose suffix is not one of
  :data:`SUFFIXES` are skipped with their reason. A file named explicitly is
  read as text whatever its suffix.
- Text is decoded as UTF-8 (a BOM is stripped), UTF-16 with a BOM, or else one
  of the legacy French encodings (cp1252, latin-1, mac-roman) detected by
  charset-normalizer. Mojibake (« Ã© » for « é ») is then repaired by ftfy's
  encoding fixer alone. Line ends are normalised to ``\\n``
  (:mod:`graphkit.decoding`).
- A text file of more than :data:`SECTION_CHARS` bytes is streamed: read a
  chunk at a time and given out as sections cut at paragraph breaks.
- ``.html``/``.htm`` pages are reduced to their article text by trafilatura
  (a press-database export holding many ``<article>`` elements is split into
  them, see :mod:`graphkit.formats.press`); ``.jsonl`` files hold one article
  per line and are streamed. PDF, Word, OpenDocument, CSV and spreadsheets,
  feeds and address lists are read by :mod:`graphkit.formats`.
- Each document's date is normalised to ISO and its outlet found
  (:mod:`graphkit.dates`): JSON Lines ``date`` and ``outlet``/``source``,
  trafilatura's date and site name for pages, a front-matter block at the top
  of a ``.txt``/``.md`` file (blanked out, so offsets do not move), an agency
  dateline (« PARIS, 11 octobre (Reuters) - »). A date that cannot be read is
  a warning (``on_warning``) naming the document, which is read without it.
- A file in a folder whose format is not read is reported (« unsupported
  format .pptx »), like every file that is skipped.
- Anything that cannot be read as a document (empty, binary, unreadable,
  special files, symlink loops, broken JSON lines...) is skipped with a
  one-line reason; the rest of the corpus is still read.

Documents come out one at a time, sorted by name (those of a JSON Lines file
in line order), so the output does not depend on the order in which inputs
are listed or found.
"""

from __future__ import annotations

import errno
import itertools
import json
import os
import re
import stat
import warnings
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple, TypeGuard

from graphkit.dates import date_problem, dateline, front_matter, parse_date, with_year
from graphkit.decoding import SURROGATE, clean, decode, sniff_encoding, text_chunks
from graphkit.errors import InputError
from graphkit.formats import READERS, ReadOptions, Record, Skip, reader_for
from graphkit.formats.press import split_export
from graphkit.model import Document
from graphkit.textprep import split_stream

__all__ = ["SECTION_CHARS", "SUFFIXES", "InputFile", "find_inputs", "may_hold_sections", "read_documents"]

SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl", *READERS)
"""Suffixes (compared case-insensitively) of the files read from folders."""

SECTION_CHARS = 200_000
"""Longest section of a text file held at once (a text file of more bytes is streamed).

A longer text (a whole press export saved as one ``.txt``, a book) is read in
sections cut at paragraph breaks, one :class:`~graphkit.model.Document` each:
its records are merged and released section after section, so memory does
not grow with the file. Names are resolved within a section (« Lagarde »
for « Christine Lagarde »), as within a document."""

_HTML_SUFFIXES = (".html", ".htm")
_META_KEYS = ("date", "title", "url")
_OUTLET_KEYS = ("outlet", "source")  # JSON Lines fields naming the outlet, first found wins
_TEXT_SUFFIXES = (".txt", ".md")  # files whose front-matter block is read


_FileKey = tuple[int, int]  # (st_dev, st_ino): the identity of a file or folder
SkipCallback = Callable[[str, str], None]
WarnCallback = Callable[[str, str], None]


class InputFile(NamedTuple):
    """One file found among the inputs.

    ``name`` is the document name (see :func:`find_inputs`), ``path`` where to
    read it. ``skip`` is ``None`` for a file to read, else the reason it will be
    reported and skipped.
    """

    name: str
    path: Path
    skip: str | None = None


class _Found(NamedTuple):
    name: str
    path: Path
    key: _FileKey | None  # None for entries that are skipped
    skip: str | None = None


def find_inputs(
    inputs: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
) -> list[InputFile]:
    """List the files to read from files and folders, sorted by document name.

    A file given explicitly is named after its file name; a file found in a
    given folder after its path relative to that folder, with ``/``
    separators (``sub/a.txt``). The same file reached twice under the same
    name is listed once. Files that will be skipped (special files, symlink
    loops, unreadable folders, a second file with a name already taken...)
    are listed with their reason, in name order with the others. No file is
    opened.

    Parameters
    ----------
    inputs : path or iterable of paths
        Files and folders, in any order.

    Returns
    -------
    list of InputFile
        Sorted by ``(name, path)``.

    Raises
    ------
    InputError
        If an input does not exist, is a symlink loop, cannot be accessed, or
        is a special file (FIFO, socket, device) rather than a file or folder.

    Examples
    --------
    >>> import tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> folder = Path(tmp.name)
    >>> for name in ("b.txt", "a.md", "sub/c.html", ".hidden.txt", "slides.pptx"):
    ...     (folder / name).parent.mkdir(exist_ok=True)
    ...     _ = (folder / name).write_text("Bonjour")
    >>> [(found.name, found.skip) for found in find_inputs([folder])]
    [('a.md', None), ('b.txt', None), ('slides.pptx', 'unsupported format .pptx'), ('sub/c.html', None)]
    >>> tmp.cleanup()
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    paths: dict[str, Path] = {}  # one path per input, the same whatever the order given
    for path in sorted({Path(p) for p in inputs}, key=lambda p: (os.path.abspath(p), str(p))):
        paths.setdefault(os.path.abspath(path), path)
    checked = [(path, _stat_input(path)) for path in paths.values()]

    found: list[_Found] = []
    visited: set[_FileKey] = set()
    for path, st in checked:
        key = (st.st_dev, st.st_ino)
        if stat.S_ISREG(st.st_mode):
            found.append(_Found(_safe_name(path.name), path, key))
        elif key not in visited:  # else its files are already listed
            visited.add(key)
            found.extend(_walk(path, "", (key,), visited))
    return _deduplicate(sorted(found, key=lambda f: (f.name, str(f.path))))


def read_documents(
    inputs: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    on_skip: SkipCallback | None = None,
    options: ReadOptions | None = None,
    on_warning: WarnCallback | None = None,
) -> Iterator[Document]:
    """Read documents from files and folders, one at a time, sorted by name.

    Inputs are found and checked first (see :func:`find_inputs`), so a
    missing input raises at once; files are then read lazily. A JSON Lines
    file gives one document per valid line, in line order, named
    ``<file name>#<id>`` (or ``#<line number>`` when the line has no ``id``).

    Parameters
    ----------
    inputs : path or iterable of paths
        Files and folders, in any order.
    on_skip : callable, optional
        Called as ``on_skip(name, reason)`` for each input, or JSON line,
        that is not read (for example ``("a.txt", "empty file")``). By
        default each skip is reported with :func:`warnings.warn`.
    options : ReadOptions, optional
        Table columns and fetch settings (:class:`graphkit.formats.ReadOptions`).
    on_warning : callable, optional
        Called as ``on_warning(name, message)`` for a document read with a
        problem (``("a.txt", "1 invalid byte replaced")``); by default
        reported with :func:`warnings.warn`.

    Returns
    -------
    iterator of Document
        ``text`` is the document as read: decoded, mojibake repaired, line
        ends normalised to ``\\n``, and for HTML the article text only.

    Raises
    ------
    InputError
        See :func:`find_inputs`.

    Examples
    --------
    >>> import tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> folder = Path(tmp.name)
    >>> _ = (folder / "a.txt").write_bytes("Créée à Paris.\\r\\n".encode("cp1252"))
    >>> _ = (folder / "b.txt").write_bytes(b"")
    >>> skipped = []
    >>> list(read_documents([folder], on_skip=lambda name, why: skipped.append((name, why))))
    [Document(name='a.txt', text='Créée à Paris.\\n', meta=(), offset=0, section=None)]
    >>> skipped
    [('b.txt', 'empty file')]
    >>> tmp.cleanup()
    """
    files = find_inputs(inputs)
    return _read_all(files, on_skip or _warn_skip, on_warning or _warn, options or ReadOptions())


# -- finding -------------------------------------------------------------------


def _stat_input(path: Path) -> os.stat_result:
    """Stat an input given explicitly; raise InputError unless it is a file or folder."""
    try:
        st = os.stat(path)
    except FileNotFoundError as err:
        raise InputError(f"input not found: {path}") from err
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise InputError(f"input is a symlink loop: {path}") from err
        raise InputError(f"cannot access input: {path} ({_os_reason(err)})") from err
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
        raise InputError(f"input is not a file or folder ({_file_kind(st.st_mode)}): {path}")
    return st


def _walk(
    folder: Path, prefix: str, ancestors: tuple[_FileKey, ...], visited: set[_FileKey]
) -> Iterator[_Found]:
    """Yield the files under ``folder`` (named ``prefix`` + relative path), and the skips."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as err:
        yield _Found(prefix.rstrip("/") or str(folder), folder, None, _os_reason(err))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        name = prefix + _safe_name(entry.name)
        path = Path(entry.path)
        try:
            st = os.stat(path)  # follows symlinks
        except OSError as err:
            yield _Found(name, path, None, _os_reason(err))
            continue
        key = (st.st_dev, st.st_ino)
        if stat.S_ISDIR(st.st_mode):
            if key in ancestors:
                yield _Found(name, path, None, "symlink loop")
            elif key in visited:
                yield _Found(name, path, None, "symlink to a folder already visited")
            else:
                visited.add(key)
                yield from _walk(path, name + "/", (*ancestors, key), visited)
        elif not entry.name.lower().endswith(SUFFIXES):
            yield _Found(name, path, None, _unsupported(path))
        elif stat.S_ISREG(st.st_mode):
            yield _Found(name, path, key)
        else:
            yield _Found(name, path, None, f"not a regular file ({_file_kind(st.st_mode)})")


def _deduplicate(found: list[_Found]) -> list[InputFile]:
    """Keep the first of each file and of each name, in the given (sorted) order."""
    first_by_key: dict[_FileKey, _Found] = {}
    first_by_name: dict[str, _Found] = {}
    files = []
    for item in found:
        if item.key is None:
            files.append(InputFile(item.name, item.path, item.skip))
            continue
        same_file = first_by_key.get(item.key)
        same_name = first_by_name.get(item.name)
        if same_file is not None:
            if same_file.name != item.name:
                files.append(InputFile(item.name, item.path, f"same file as {same_file.name}"))
        elif same_name is not None:
            reason = f"duplicate name ({same_name.path} is read instead)"
            files.append(InputFile(item.name, item.path, reason))
        else:
            first_by_key[item.key] = first_by_name[item.name] = item
            files.append(InputFile(item.name, item.path))
    return files


def _file_kind(mode: int) -> str:
    """Name the kind of a file that is neither regular nor a folder."""
    kinds = {
        stat.S_IFIFO: "FIFO",
        stat.S_IFSOCK: "socket",
        stat.S_IFCHR: "character device",
        stat.S_IFBLK: "block device",
    }
    return kinds.get(stat.S_IFMT(mode), "unknown file type")


def _unsupported(path: Path) -> str:
    """The skip reason of a file whose format graphkit does not read.

    >>> _unsupported(Path("a/Slides.PPTX")), _unsupported(Path("README"))
    ('unsupported format .pptx', 'unsupported format (no suffix)')
    """
    return f"unsupported format {path.suffix.lower()}" if path.suffix else "unsupported format (no suffix)"


def _os_reason(err: OSError) -> str:
    """Turn an OSError into a short skip reason."""
    if isinstance(err, _NotRegular):
        return str(err.strerror)
    if isinstance(err, PermissionError):
        return "permission denied"
    if err.errno == errno.ELOOP:
        return "symlink loop"
    if isinstance(err, FileNotFoundError):
        return "broken symlink or file removed"
    return (err.strerror or str(err)).lower()


# -- reading -------------------------------------------------------------------


def _warn_skip(name: str, reason: str) -> None:
    warnings.warn(f"skipped {name}: {reason}", stacklevel=2)


def _warn(name: str, message: str) -> None:
    warnings.warn(f"{name}: {message}", stacklevel=2)


_ESCAPED_ONLY = re.compile("[^\ud800-\udc7f\udd00-\udfff]*")  # surrogates, if any, from surrogateescape


def _safe_name(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (read by the OS as surrogates) shown as ``\\xNN``.

    >>> _safe_name(b"caf\\xe9.txt".decode("utf-8", "surrogateescape")), _safe_name("café.txt")
    ('caf\\\\xe9.txt', 'café.txt')
    """
    if not SURROGATE.search(name):
        return name
    raw = name.encode("utf-8", "surrogateescape") if _ESCAPED_ONLY.fullmatch(name) else None
    if raw is None:
        return SURROGATE.sub("\ufffd", name)
    return raw.decode("utf-8", "backslashreplace")


def _open_regular(path: Path) -> BinaryIO:
    """Open a file for reading without blocking; OSError unless what was opened is a regular file.

    The type is checked on the open file, so that a file replaced by a FIFO or a device after the
    folder was scanned is refused instead of blocking the build.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _NotRegular(errno.EINVAL, f"not a regular file ({_file_kind(mode)})")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


class _NotRegular(OSError):
    """What was opened is not a regular file; ``strerror`` is the skip reason."""


def _replaced_note(count: int) -> str:
    return f"{count} invalid byte{'s' if count > 1 else ''} replaced by U+FFFD"


def _read_all(
    files: list[InputFile], on_skip: SkipCallback, on_warning: WarnCallback, options: ReadOptions
) -> Iterator[Document]:
    """Read each file in turn; drop documents whose name was already used."""
    seen: set[str] = set()
    for file in files:
        if file.skip is not None:
            on_skip(file.name, file.skip)
            continue
        reader = reader_for(file.path)
        if reader is not None:
            records = reader(file.path, file.name, options, on_skip)
            documents = _read_records(records, file.name, on_skip, on_warning)
        elif file.path.suffix.lower() == ".jsonl":
            documents = _read_jsonl(file, on_skip, on_warning)
        else:
            documents = _read_file(file, on_skip, on_warning)
        for document in documents:
            if document.section:  # a file's later sections: its name was checked with the first
                yield document
                continue
            if document.name in seen:
                on_skip(document.name, "duplicate name")
                continue
            seen.add(document.name)
            yield document


def _read_file(file: InputFile, on_skip: SkipCallback, on_warning: WarnCallback) -> Iterator[Document]:
    """Read a text, Markdown or HTML file as one document (or skip it); a long text file in sections."""
    try:
        with _open_regular(file.path) as handle:
            if _in_sections(file.path, os.fstat(handle.fileno()).st_size):
                yield from _read_sections(file, handle, on_skip, on_warning)
                return
            raw = handle.read()
    except OSError as err:
        on_skip(file.name, _os_reason(err))
        return
    if not raw:
        on_skip(file.name, "empty file")
        return
    decoded = decode(raw)
    if decoded is None:
        on_skip(file.name, _not_text(file.path))
        return
    text, replaced = decoded
    if replaced:
        on_warning(file.name, _replaced_note(replaced))
    meta: dict[str, str] = {}
    if file.path.suffix.lower() in _TEXT_SUFFIXES:
        text, meta = _blank_front_matter(text)
    if not text.strip():
        on_skip(file.name, "only whitespace")
        return
    if file.path.suffix.lower() in _HTML_SUFFIXES:
        articles = split_export(text, file.name)
        if articles:
            yield from _read_records(iter(articles), file.name, on_skip, on_warning)
            return
        text, meta = _read_html(text)
        if not text:
            on_skip(file.name, "no article text found")
            return
    yield _document(file.name, text, meta, on_warning)


def may_hold_sections(path: Path) -> bool:
    """Whether a file found among the inputs may be read in sections (see :data:`SECTION_CHARS`)."""
    if reader_for(path) is not None or path.suffix.lower() == ".jsonl":
        return False
    try:
        return _in_sections(path, path.stat().st_size)
    except OSError:
        return False


def _not_text(path: Path) -> str:
    """Why a file that is not text is skipped: binary, or of a format graphkit does not read."""
    return "binary file" if path.suffix.lower() in SUFFIXES else _unsupported(path)


def _in_sections(path: Path, size: int) -> bool:
    """Whether a text file (not a page) of ``size`` bytes is read in sections: more bytes than
    :data:`SECTION_CHARS`."""
    return path.suffix.lower() not in _HTML_SUFFIXES and size > SECTION_CHARS


def _read_sections(
    file: InputFile, handle: BinaryIO, on_skip: SkipCallback, on_warning: WarnCallback
) -> Iterator[Document]:
    """A long text file, streamed: sections of at most :data:`SECTION_CHARS` characters cut at
    paragraph breaks, each a :class:`Document` with the file's name and metadata, its ``offset`` in
    the file's text and its ``section`` number. A file that fits in one section is one document.

    The file is read twice, a chunk at a time: once to choose its encoding
    (and count its invalid bytes) before anything is given out, once to cut it.
    """
    encoding = sniff_encoding(handle)
    if encoding is None:
        on_skip(file.name, _not_text(file.path))
        return
    if encoding.replaced:
        on_warning(file.name, _replaced_note(encoding.replaced))
    sections = (clean(piece) for _offset, piece in split_stream(text_chunks(handle, encoding), SECTION_CHARS))
    first = next(sections, "")
    meta: dict[str, str] = {}
    if file.path.suffix.lower() in _TEXT_SUFFIXES:
        first, meta = _blank_front_matter(first)
    sorted_meta = _document_meta(file.name, first, meta, on_warning)
    second = next(sections, None)
    if second is None:
        if first.strip():
            yield Document(file.name, first, sorted_meta)
        else:
            on_skip(file.name, "only whitespace")
        return
    offset, number = 0, 0
    texts = itertools.chain([first, second], sections)
    while True:
        try:
            text = next(texts, None)
        except OSError as err:  # sections already given out are kept: say where reading stopped
            if number == 0:
                raise
            on_warning(file.name, f"read up to character {offset} only: {_os_reason(err)}")
            return
        if text is None:
            break
        if text.strip():
            yield Document(file.name, text, sorted_meta, offset=offset, section=number)
            number += 1
        offset += len(text)
    if number == 0:
        on_skip(file.name, "only whitespace")


def _read_records(
    records: Iterator[Record], name: str, on_skip: SkipCallback, on_warning: WarnCallback
) -> Iterator[Document]:
    """Documents of the records a format reader gives; a file it skips is reported."""
    try:
        for record in records:
            yield _document(record.name, record.text, record.meta, on_warning)
    except Skip as skip:
        on_skip(name, str(skip))


def _read_jsonl(file: InputFile, on_skip: SkipCallback, on_warning: WarnCallback) -> Iterator[Document]:
    """Stream a JSON Lines file: one document per valid line, broken lines skipped."""
    try:
        handle = _open_regular(file.path)
    except OSError as err:
        on_skip(file.name, _os_reason(err))
        return
    number = 0
    blank = True
    with handle:
        for number, raw_line in enumerate(handle, start=1):
            decoded = decode(raw_line)
            if decoded is None:
                on_skip(file.name, f"line {number}: binary data")
                continue
            line, replaced = decoded
            if replaced:
                on_warning(file.name, f"line {number}: {_replaced_note(replaced)}")
            if not line.strip():
                continue
            blank = False
            record, problem = _parse_record(line)
            if problem is not None:
                on_skip(file.name, f"line {number}: {problem}")
                continue
            meta = {key: record[key].strip() for key in _META_KEYS if _is_text(record.get(key))}
            outlets = [record[key].strip() for key in _OUTLET_KEYS if _is_text(record.get(key))]
            if outlets:
                meta["outlet"] = outlets[0]
            yield _document(f"{file.name}#{_record_id(record, number)}", record["text"], meta, on_warning)
    if number == 0:
        on_skip(file.name, "empty file")
    elif blank:
        on_skip(file.name, "only whitespace")


def _parse_record(line: str) -> tuple[dict[str, Any], str | None]:
    """Parse one JSON line into an article record, or say what is wrong with it."""
    try:
        record = json.loads(line.rstrip())
    except (ValueError, RecursionError) as err:
        if isinstance(err, json.JSONDecodeError):
            return {}, f"invalid JSON ({err.msg}, column {err.colno})"
        return {}, "invalid JSON (value too large or too deeply nested)"
    if not isinstance(record, dict):
        return {}, "not a JSON object"
    if not _is_text(record.get("text")):
        return {}, "no text"
    return record, None


def _record_id(record: dict[str, Any], number: int) -> str:
    """The ``id`` of a JSON record if it is a non-empty string or an integer, else ``number``."""
    value = record.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if _is_text(value):
        return value.strip()
    return str(number)


def _is_text(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and bool(value.strip())


def _read_html(page: str) -> tuple[str, dict[str, str]]:
    """Extract the article text (paragraphs separated by blank lines) and metadata.

    Menus, cookie banners, related links, comments and footers are left out.
    Returns ``("", {})`` when the page holds no article text. Nothing is fetched.
    """
    import trafilatura  # a tenth of a second to import: only when a page is read

    result = trafilatura.bare_extraction(
        page, include_comments=False, with_metadata=True, favor_precision=True
    )
    text = getattr(result, "text", None)
    if not _is_text(text):
        return "", {}
    paragraphs = [line for line in text.splitlines() if line.strip()]
    meta = {key: getattr(result, key) for key in _META_KEYS}
    meta["outlet"] = getattr(result, "sitename", None)
    return "\n\n".join(paragraphs), {key: value for key, value in meta.items() if _is_text(value)}


def _document(name: str, text: str, meta: dict[str, str], on_warning: WarnCallback) -> Document:
    """A Document: text cleaned (:func:`~graphkit.decoding.clean`), date and outlet found (:func:`_dated`)."""
    text = clean(text)
    return Document(name=name, text=text, meta=_document_meta(name, text, meta, on_warning))


def _document_meta(
    name: str, text: str, meta: dict[str, str], on_warning: WarnCallback
) -> tuple[tuple[str, str], ...]:
    """A document's metadata as sorted pairs: values cleaned, date and outlet found (:func:`_dated`)."""
    return tuple(
        sorted(_dated(name, text, {key: clean(value) for key, value in meta.items()}, on_warning).items())
    )


def _blank_front_matter(text: str) -> tuple[str, dict[str, str]]:
    """Take the metadata of a front-matter block and blank the block out.

    Every character of the block but its line ends becomes a space, so the
    text keeps its length: evidence offsets point at the same characters in
    the document as read and in the file (as decoded).

    >>> _blank_front_matter("---\\ndate: 2024-10-11\\n---\\nTexte")
    ('   \\n                \\n   \\nTexte', {'date': '2024-10-11'})
    """
    meta, length = front_matter(text)
    if not length:
        return text, {}
    return re.sub("[^\\n]", " ", text[:length]) + text[length:], meta


def _dated(name: str, text: str, meta: dict[str, str], on_warning: WarnCallback) -> dict[str, str]:
    """``meta`` with its date normalised to ISO and completed, and its outlet, from a dateline.

    A date that cannot be read is left out and reported to ``on_warning``.
    The dateline (« PARIS, 11 octobre (Reuters) - ») gives the outlet when
    the metadata names none, and the date when the metadata gives none or
    only its year or month; a dateline without a year gives no date alone.
    """
    meta = dict(meta)
    if "date" in meta:
        iso = parse_date(meta["date"])
        if iso is None:
            on_warning(name, date_problem(meta["date"]))
            del meta["date"]
        else:
            meta["date"] = iso
    line = dateline(text[:2000])
    if line is not None:
        meta.setdefault("outlet", line.outlet)
        known = meta.get("date", "")
        if line.date and len(known) < 10:
            meta["date"] = line.date
        elif known:
            meta["date"] = with_year(line.month_day, known)
    return meta
