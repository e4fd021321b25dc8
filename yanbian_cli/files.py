"""Files yb writes on request (`export -o`, `extract -o`): never over a file without --force, never
over a source of the fact base, never half-written, never through a name another program chose.

A regular file is written to a new temporary file of an unpredictable name in the same folder
(created exclusively, so no link or file already there is followed or overwritten) and renamed
over the target. A stream (a FIFO, a terminal, /dev/stdout) is written in place: there is nothing
to replace. Anything else (a folder, a device that is not a stream, a socket) is refused.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Collection
from pathlib import Path

from yanbian_cli.errors import OutputError, UsageError


def _resolved(path: Path) -> Path:
    """The file a path names, following links (a loop of links is an error for the caller)."""
    return Path(os.path.realpath(path))


def write_new(path: Path, text: str, *, force: bool, protected: Collection[str]) -> None:
    """Write `text` (UTF-8) to `path`: see the module docstring. UsageError for what the user can
    change (an existing file without --force, a source of the base, a folder); OutputError when the
    system refuses the write (no space, no permission)."""
    data = text.encode("utf-8", "surrogateescape")
    try:
        target = _resolved(path)
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:  # a loop of links, a name too long, a folder that is a file ...
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    if str(target) in protected or str(path.absolute()) in protected:
        raise UsageError(f"{path} is a source file of the fact base; yb does not write to it")
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise UsageError(f"{path} is a folder")
        if stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode):
            _write_stream(path, path, data)  # as named: /dev/stdout is this process's own output
            return
        if not stat.S_ISREG(st.st_mode):
            raise UsageError(f"{path} is not a regular file, a pipe or a terminal")
        if not force:
            raise UsageError(f"{path} exists; add --force to overwrite it")
    _replace(target, path, data, st)


def _write_stream(target: Path, shown: Path, data: bytes) -> None:
    try:
        fd = os.open(target, os.O_WRONLY)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
    except OSError as exc:
        raise OutputError(f"cannot write {shown}: {exc.strerror or exc}") from None


def _replace(target: Path, shown: Path, data: bytes, old: os.stat_result | None) -> None:
    import tempfile

    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:100]}.", suffix=".yb-tmp", dir=target.parent)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if old is not None:
                os.fchmod(fd, stat.S_IMODE(old.st_mode))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise OutputError(f"cannot write {shown}: {exc.strerror or exc}") from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
