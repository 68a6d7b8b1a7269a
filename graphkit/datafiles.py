"""Data files a user adds to the shipped ones (aliases, frames): read whole, with one clear error."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from graphkit.errors import GraphkitError

__all__ = ["read_sources"]


def read_sources(
    builtin: tuple[str, str] | None, paths: Sequence[str | Path], *, what: str, error: type[GraphkitError]
) -> tuple[list[tuple[str, str]], str]:
    """``(source, text)`` of the shipped file (if any) then of each of ``paths``, and the digest of all.

    Raises
    ------
    GraphkitError
        Of type ``error``, naming the ``what`` file that is missing or unreadable.
    """
    sources = [builtin] if builtin is not None else []
    for path in paths:
        try:
            sources.append((str(path), Path(path).read_text(encoding="utf-8-sig")))
        except FileNotFoundError:
            raise error(f"{what} file not found: {path}") from None
        except (OSError, UnicodeDecodeError) as err:
            raise error(f"cannot read {what} file {path}: {err}") from None
    digest = hashlib.sha256()
    for _source, text in sources:
        digest.update(text.encode("utf-8"))
    return sources, digest.hexdigest()
