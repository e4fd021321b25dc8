"""Reading the files of a fact base: TOML parsed with its problems, and stamps of what was read."""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path
from typing import Any

from yanbian_cli.model import Stamp
from yanbian_cli.record import Record

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

# A fact file larger than this is refused rather than parsed (a decade of the paper is ~600 MB).
MAX_FILE_BYTES = 1 << 30
# A text with at most this many opening brackets ([ and {) may be parsed by toml_rs: it cannot nest deeper
# than that, far less than tomllib reads (about 330 inline tables or 490 arrays) and far less than the depth
# that overflows toml_rs's stack (a few thousand). An article file of 60 facts has about 240.
FAST_MAX_BRACKETS = 250


class Problem(Record):
    """One thing wrong with a fact file, with its place."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None
    fact: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        parts = [where]
        if self.fact is not None:
            parts.append(f'fact "{self.fact}"')
        if self.field is not None:
            parts.append(f"field {self.field}")
        return ": ".join(parts) + f": {self.message}"


def shown_path(path: Path) -> str:
    """The path as a person would write it: relative to the working folder where possible."""
    try:
        return str(Path(os.path.realpath(path)).relative_to(os.path.realpath(os.getcwd())))
    except (ValueError, OSError):
        return str(path)


def absolute(path: Path) -> str:
    """The path to stamp and to find again: absolute, links not followed (a link re-pointed is a change)."""
    return os.path.abspath(path)


def read_bytes(path: Path, limit: int) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file and its stat as it was when read (OSError, or ValueError with a reason).

    The stat comes from the open descriptor, taken before reading: a change that lands while yb
    reads shows as a change at the next check.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO must not block the open
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise ValueError("is a folder, not a file")
        if not stat.S_ISREG(st.st_mode):
            raise ValueError("is not a regular file")
        if st.st_size > limit:
            raise ValueError(f"file is too large ({st.st_size} bytes; the limit is {limit})")
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            if sum(map(len, chunks)) > limit:
                raise ValueError(f"file is too large (over {limit} bytes)")
        return b"".join(chunks), st
    finally:
        os.close(fd)


def folder_digest(path: str) -> str:
    """What identifies a folder's content for freshness: the hash of its sorted entry names."""
    import hashlib

    return "dir:" + hashlib.sha256("\n".join(sorted(os.listdir(path))).encode("utf-8", "surrogateescape")).hexdigest()


def stamp_folder(path: Path) -> Stamp:
    """A stamp of a folder whose files are read whole: a file added or removed changes it."""
    st = os.stat(path)
    return Stamp(absolute(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, folder_digest(absolute(path)))


def read_toml(path: Path, problems: list[Problem], stamps: list[Stamp] | None = None) -> dict[str, Any] | None:
    """Parse one TOML file; on failure add a problem and return None.

    `stamps` receives what identifies the content read (the path as given, made absolute; size,
    mtime, ctime and inode from the open file, before reading; the hash of the bytes read).
    A UTF-8 byte-order mark (Notepad's default) is accepted.
    """
    shown = shown_path(path)
    try:
        raw, st = read_bytes(path, MAX_FILE_BYTES)
    except FileNotFoundError:
        problems.append(Problem(shown, "no such file"))
        return None
    except ValueError as exc:
        problems.append(Problem(shown, str(exc)))
        return None
    except OSError as exc:
        problems.append(Problem(shown, f"cannot read: {exc.strerror or exc}"))
        return None
    if stamps is not None:
        import hashlib

        stamps.append(Stamp(absolute(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino,
                            hashlib.sha256(raw).hexdigest()))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        problems.append(Problem(shown, f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})", line=line))
        return None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        problems.append(Problem(shown, "file is empty"))
        return None
    try:
        return parse(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)$", message)
        if m:
            message = message[: m.start()].rstrip()
            problems.append(Problem(shown, f"invalid TOML: {message}", line=int(m.group(1)), column=int(m.group(2))))
        elif message.endswith("(at end of document)"):  # where the document ends: its last line
            lines = text.splitlines() or [""]
            problems.append(Problem(shown, f"invalid TOML: {message.removesuffix('(at end of document)').rstrip()} "
                                           "at the end of the file", line=len(lines), column=len(lines[-1]) + 1))
        else:
            problems.append(Problem(shown, f"invalid TOML: {message}"))
        return None
    except RecursionError:
        problems.append(Problem(shown, "invalid TOML: arrays or tables nested too deeply"))
        return None
    except ValueError as exc:  # an integer of thousands of digits
        problems.append(Problem(shown, f"invalid TOML: {exc}"))
        return None


_FAST: list[Any] = []


def _fast_reads(text: str) -> bool:
    """Whether toml_rs may parse `text`: it cannot nest deeper than FAST_MAX_BRACKETS, and it has no second
    byte-order mark (toml_rs skips one, tomllib none)."""
    return text.count("[") + text.count("{") <= FAST_MAX_BRACKETS and text[:1] != "\ufeff"


def _huge_int(value: Any, text: str) -> bool:
    """Whether a value parsed from `text` holds an integer of more digits than Python reads from text
    (tomllib refuses such an integer; toml_rs does not)."""
    limit = sys.get_int_max_str_digits()
    if not limit or len(text) <= limit:
        return False
    bound = 10 ** limit
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            stack.extend(item.values())
        elif kind is list:
            stack.extend(item)
        elif kind is int and (item >= bound or -item >= bound):
            return True
    return False


def _fast_parser() -> Any:
    """toml_rs's `loads` (a TOML parser in Rust, about seven times as fast as tomllib), or None where it is not
    installed. With `toml_version="1.0.0"` it reads the TOML that tomllib reads, to the same values (the
    toml-test suite, tests/test_loader.py); on any error the text is parsed again by tomllib, whose message
    and place `yb check` reports, so the messages are tomllib's as before."""
    if not _FAST:
        try:
            import toml_rs

            _FAST.append(toml_rs.loads)
        except ImportError:
            _FAST.append(None)
    return _FAST[0]


def parse(text: str) -> dict[str, Any]:
    """TOML text parsed as tomllib parses it (its errors too): by toml_rs where it may, else by tomllib."""
    fast = _fast_parser()
    if fast is not None and _fast_reads(text):
        try:
            value = fast(text, toml_version="1.0.0")
        except Exception:  # tomllib says what is wrong, as it always did (or reads what toml_rs would not)
            pass
        else:
            if not _huge_int(value, text):
                return value
    return tomllib.loads(text)


def fact_lines(path: Path) -> tuple[list[int], dict[str, list[int]]]:
    """Line numbers of each `[[fact]]` header and of each fact's `id = "..."` line."""
    headers: list[int] = []
    ids: dict[str, list[int]] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):  # already reported by read_toml
        return headers, ids
    in_fact = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_fact = stripped.replace(" ", "") == "[[fact]]"
            if in_fact:
                headers.append(number)
            continue
        if in_fact:
            m = re.match(r'id\s*=\s*"([^"]*)"', stripped)
            if m:
                ids.setdefault(m.group(1), []).append(number)
    return headers, ids
