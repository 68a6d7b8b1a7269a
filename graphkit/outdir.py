"""The output folder of a build, changed as one whole.

A build claims its output folder before parsing (:meth:`OutputFolder.claim`):
it takes a lock beside the folder, so that a second build into the same
folder stops at once with an error naming the first; cleans what a killed
build left; and checks that the folder can be written and has free space,
so that a build that cannot write stops before the parsing, not after.

The outputs are then written into a staging folder beside the output
(:attr:`OutputFolder.staging`) and put in place together
(:meth:`OutputFolder.commit`): the files of the folder that graphkit did
not write are carried over, and the staging folder takes the output
folder's name. A reader sees the outputs of one build or of the other,
never a mix; an interrupted or failed build leaves the previous outputs
as they were.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import os
import shutil
import socket
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from graphkit.errors import OutputError

__all__ = ["MIN_FREE_BYTES", "OutputFolder"]

MIN_FREE_BYTES = 64 * 1024 * 1024
"""Free space an output folder needs before a build starts (the outputs of 100,000 articles fit)."""


class OutputFolder:
    """The output folder of one build: locked, staged, put in place as one whole.

    Use as a context manager around the build; the lock is released and the
    staging folder removed on leaving, whatever happened.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path).absolute()
        self.parent = self.path.parent
        self.lock_path = self.parent / f".{self.path.name}.lock"
        self._lock: int | None = None
        self.staging: Path | None = None

    def claim(self) -> None:
        """Lock the folder, clean leftovers of killed builds, check it can be written; before parsing.

        Raises
        ------
        OutputError
            If the path is a file, another build holds the folder, the folder cannot be
            written or its disk is nearly full.
        """
        if self.path.exists() and not self.path.is_dir():
            raise OutputError(f"output path is a file, not a folder: {self.path}")
        try:
            self.parent.mkdir(parents=True, exist_ok=True)
            self._take_lock()
        except OSError as err:
            raise OutputError(f"cannot write the output folder {self.path}: {_reason(err)}") from None
        self._clean_leftovers()
        try:
            self.staging = Path(tempfile.mkdtemp(prefix=f".{self.path.name}.build-", dir=self.parent))
            free = shutil.disk_usage(self.staging).free
        except OSError as err:
            raise OutputError(f"cannot write the output folder {self.path}: {_reason(err)}") from None
        if free < MIN_FREE_BYTES:
            raise OutputError(
                f"not enough free space for the output folder {self.path}: "
                f"{free // 2**20} MB free, {MIN_FREE_BYTES // 2**20} MB needed"
            )

    def commit(self, written: Iterable[Path]) -> None:
        """Put the staged outputs in place of the folder's, together.

        ``written`` are the staged files, named as in the output folder. The
        output folder's other files are carried over, except outputs of
        graphkit (``graph.*``) that this build did not write: they belong to
        an earlier build.
        """
        if self.staging is None:
            raise RuntimeError("commit() before claim()")
        names = {path.name for path in written}
        try:
            mode = stat.S_IMODE(os.stat(self.path).st_mode) if self.path.is_dir() else 0o755
            os.chmod(self.staging, mode)  # the folder keeps its permissions
            if self.path.is_dir():
                for entry in sorted(os.listdir(self.path)):
                    if entry not in names and not _is_output_name(entry):
                        _carry(self.path / entry, self.staging / entry)
                old = Path(tempfile.mkdtemp(prefix=f".{self.path.name}.old-", dir=self.parent))
                os.replace(self.path, old / "previous")
                os.replace(self.staging, self.path)
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(self.staging, self.path)
        except OSError as err:
            raise OutputError(f"cannot write the output folder {self.path}: {_reason(err)}") from None
        self.staging = None

    def __enter__(self) -> OutputFolder:
        return self

    def __exit__(
        self, _type: type[BaseException] | None, _value: BaseException | None, _tb: TracebackType | None
    ) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
        if self._lock is not None:
            os.close(self._lock)  # releases the lock; the file stays, empty of meaning
            self._lock = None

    # -- internals ----------------------------------------------------------------------

    def _take_lock(self) -> None:
        import fcntl

        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            holder = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip() or "another build"
            os.close(fd)
            if err.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise OutputError(
                    f"the output folder {self.path} is in use by {holder}; wait for it to end "
                    "or choose another folder with -o"
                ) from None
            raise
        started = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
        command = " ".join(["graphkit", *sys.argv[1:]])[:300]
        note = f"build {os.getpid()} on {socket.gethostname()} started {started} ({command})"
        os.ftruncate(fd, 0)
        os.pwrite(fd, note.encode("utf-8", "backslashreplace"), 0)
        self._lock = fd

    def _clean_leftovers(self) -> None:
        """Remove what killed builds left beside the folder (under the lock: none is running)."""
        for entry in sorted(self.parent.glob(f".{self.path.name}.old-*")):
            previous = entry / "previous"
            if not self.path.exists() and previous.is_dir():
                os.replace(previous, self.path)  # killed between the two renames: put the old one back
            shutil.rmtree(entry, ignore_errors=True)
        for entry in self.parent.glob(f".{self.path.name}.build-*"):
            shutil.rmtree(entry, ignore_errors=True)
        if self.path.is_dir():
            for stray in self.path.glob(".graph.*.tmp"):
                with contextlib.suppress(OSError):
                    stray.unlink()


_OUTPUT_SUFFIXES = (".json", ".graphml", ".gexf", ".html", ".nodes.csv", ".edges.csv")


def _is_output_name(name: str) -> bool:
    """A file graphkit writes in an output folder (``graph.json``, ``graph.nodes.csv``...)."""
    return name.startswith("graph.") and name.endswith(_OUTPUT_SUFFIXES)


def _carry(source: Path, target: Path) -> None:
    """Carry what the user keeps in the output folder over to the new one (files hard-linked)."""
    if source.is_file() and not source.is_symlink():
        try:
            os.link(source, target)
            return
        except OSError:
            pass
        shutil.copy2(source, target)
    else:
        os.replace(source, target)  # a folder or a link: moved, the old folder is going away


def _reason(err: OSError) -> str:
    if err.errno == errno.ENOSPC:
        return "no space left on the disk"
    return (err.strerror or str(err)).lower()
