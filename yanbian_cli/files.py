"""Files yb writes on request (`export -o`, `extract -o`): never over a file without --force, never
over a source of the fact base, never half-written, never through a name another program chose.

A regular file is written to a new temporary file of an unpredictable name in the same folder
(created exclusively, so no link or file already there is followed or overwritten) and renamed
over the target. A stream (a FIFO, a terminal, /dev/stdout) is written in place: there is nothing
to replace. Anything else (a folder, a device that is not a stream, a socket) is refused.
A file that another library writes by name (a SQLite database) takes the same way through
`write_new_with`, which refuses streams too.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Collection
from pathlib import Path

from yanbian_cli.errors import OutputError, UsageError


def names_own_output(name: str) -> bool:
    """Whether `-o` names this process's own output: `-`, or a path to what stdout writes to (/dev/stdout
    when the output is redirected to a file, which would otherwise be a file that exists)."""
    if name == "-":
        return True
    try:
        there, out = os.stat(name), os.fstat(1)
    except (OSError, ValueError):
        return False
    return (there.st_dev, there.st_ino) == (out.st_dev, out.st_ino)


def _resolved(path: Path) -> Path:
    """The file a path names, following links (a loop of links is an error for the caller)."""
    return Path(os.path.realpath(path))


def check_new(path: Path, *, force: bool, protected: Collection[str],
              streams: bool = True) -> tuple[Path, os.stat_result | None]:
    """Whether yb may write `path` (see the module docstring), writing nothing: the file it names
    (links followed) and what is there now (None for nothing). UsageError for what the user can
    change (an existing file without --force, a source of the base, a folder, and a pipe or terminal
    when `streams` is false); OutputError when the system refuses to look (a loop of links)."""
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
        if _is_stream(st):
            if not streams:
                raise UsageError(f"{path} is a pipe or terminal; this format is written only to a regular file")
            return target, st
        if not stat.S_ISREG(st.st_mode):
            raise UsageError(f"{path} is not a regular file, a pipe or a terminal")
        if not force:
            raise UsageError(f"{path} exists; add --force to overwrite it")
    return target, st


def _is_stream(st: os.stat_result) -> bool:
    return stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode)


def write_new(path: Path, text: str, *, force: bool, protected: Collection[str]) -> None:
    """Write `text` (UTF-8) to `path`: see the module docstring and `check_new` for what is refused.
    OutputError when the system refuses the write (no space, no permission)."""
    data = text.encode("utf-8", "surrogateescape")
    target, st = check_new(path, force=force, protected=protected)
    if st is not None and _is_stream(st):
        _write_stream(path, path, data)  # as named: /dev/stdout is this process's own output
        return
    _replace(target, path, st, lambda fd, _tmp: _write_all(fd, data))


def write_new_with(path: Path, fill: Callable[[Path], None], *, force: bool, protected: Collection[str]) -> None:
    """Write a regular file through `fill`, for a library that writes by name (sqlite3): `fill` gets
    the path of a new empty temporary file in the same folder, which then replaces `path`. Refuses
    what `write_new` refuses, and a pipe or terminal. When `fill` raises, no file is left behind
    (the temporary one is removed) and the exception goes on."""
    target, st = check_new(path, force=force, protected=protected, streams=False)
    _replace(target, path, st, lambda _fd, tmp: fill(Path(tmp)))


def _write_stream(target: Path, shown: Path, data: bytes) -> None:
    try:
        fd = os.open(target, os.O_WRONLY)
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
    except OSError as exc:
        raise OutputError(f"cannot write {shown}: {exc.strerror or exc}") from None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _replace(target: Path, shown: Path, old: os.stat_result | None, write: Callable[[int, str], None]) -> None:
    """A new temporary file next to `target`, filled by `write(its descriptor, its path)`, synced and
    renamed over `target`; removed when anything fails."""
    import tempfile

    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:100]}.", suffix=".yb-tmp", dir=target.parent)
        try:
            write(fd, tmp)
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
