"""Atomic file writes: a failed or interrupted write leaves the old file whole."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from graphkit.errors import OutputError

__all__ = ["write_atomic", "write_pieces", "atomic_path"]


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it into place on success.

    The temporary file lives in the same folder, so ``os.replace`` is atomic.
    On any exception (including ``KeyboardInterrupt``) it is removed and the
    previous file at ``path`` is left untouched. A folder that does not exist
    or cannot be written raises :class:`~graphkit.errors.OutputError` naming ``path``.
    """
    target = Path(path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except FileNotFoundError:
        raise OutputError(f"cannot write {target}: the folder {target.parent} does not exist") from None
    except OSError as err:
        raise OutputError(f"cannot write {target}: {err.strerror or err}") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def write_atomic(
    path: str | os.PathLike[str],
    data: str | bytes | Callable[[IO[bytes]], None],
) -> None:
    """Write ``data`` to ``path`` atomically.

    ``data`` is text (written as UTF-8), bytes, or a function that writes to
    a binary file object.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_atomic(folder / "a.txt", "é")
    >>> (folder / "a.txt").read_text(encoding="utf-8")
    'é'
    """
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        if isinstance(data, str):
            fh.write(data.encode("utf-8"))
        elif isinstance(data, bytes):
            fh.write(data)
        else:
            data(fh)


def write_pieces(path: str | os.PathLike[str], pieces: Iterable[str]) -> None:
    """Write the text ``pieces`` to ``path`` atomically, as UTF-8, as they come.

    A large file is never held whole, as text or as bytes.
    """

    def write(handle: IO[bytes]) -> None:
        for piece in pieces:
            handle.write(piece.encode("utf-8"))

    write_atomic(path, write)
