"""The stamps of an index's source files, stored compactly, and the quick check that none changed.

A decade of the paper is some 30,000 article files and 4,000 folders, and every call checks each of
them: the stamps are kept in one row as three values (the paths joined by NUL, which no path holds;
size, mtime, ctime and inode as 64-bit integers; the content hashes one per line), so that reading
them costs a few milliseconds and the check is one `os.stat` and four comparisons per file. Only a
file that looks changed (or changed too recently to trust its times) needs its hash.
"""

from __future__ import annotations

import os
import sqlite3
import zlib
from array import array
from collections.abc import Sequence

from yanbian_cli.model import Stamp

_U64 = (1 << 64) - 1
Row = tuple[bytes, bytes, str]  # (paths joined by NUL, four numbers a stamp, hashes one per line), as stored


def _signed(ino: int) -> int:
    """An inode is unsigned: one above 2**63 is stored as the signed integer of the same bits."""
    return ino - (1 << 64) if ino >= 1 << 63 else ino


def pack(stamps: Sequence[Stamp]) -> Row:
    """The row of `stamps`, as the `stamps` table stores them."""
    paths = b"\0".join(os.fsencode(s.path) for s in stamps)
    nums = array("q", [n for s in stamps for n in (s.size, s.mtime_ns, s.ctime_ns, _signed(s.ino))])
    return paths, nums.tobytes(), "\n".join(s.digest for s in stamps)


def store(conn: sqlite3.Connection, stamps: Sequence[Stamp], point: str = "") -> None:
    """Replace the stamps the index holds; `point` is the watcher's point taken before the files were read
    (store/watch.py), or ""."""
    store_row(conn, pack(stamps), point)


def store_row(conn: sqlite3.Connection, row: Row, point: str = "") -> None:
    """Replace the stamps the index holds with a row of them (and `point`, as `store`)."""
    conn.execute("DELETE FROM stamps")
    conn.execute("INSERT INTO stamps VALUES (?,?,?)", row)
    conn.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)", [("stamps", key(row)), ("watch", point)])


def key(row: Row) -> str:
    """What names the stamped paths of a row: their count and a checksum of them (read by a query from the
    meta table without the row; the watcher watches their folders)."""
    return f"{count(row)}-{zlib.crc32(row[0]):08x}{zlib.adler32(row[0]):08x}"


def holds(conn: sqlite3.Connection, row: Row) -> bool:
    """Whether the index still holds the paths and hashes of `row` (no other process updated it)."""
    return conn.execute("SELECT 1 FROM stamps WHERE paths = ? AND digests = ?", (row[0], row[2])).fetchone() is not None


def store_numbers(conn: sqlite3.Connection, row: Row) -> bool:
    """Write the numbers of a renewed row (`renewed`) where the index still holds its paths and hashes;
    False when it holds others (another process updated the index since the row was read)."""
    return conn.execute("UPDATE stamps SET nums = ? WHERE paths = ? AND digests = ?", (row[1], row[0], row[2])
                        ).rowcount == 1


def files(row: Row) -> tuple[list[str], list[str]]:
    """(paths, content hashes) of the stamps of a row, in their order."""
    return [os.fsdecode(p) for p in _split(row[0])], row[2].split("\n") if row[0] else []


def renewed(row: Row, stats: dict[int, os.stat_result]) -> Row:
    """The row with the size, times and inode of the stamps at some positions taken from new stats, their
    paths and content hashes as they were (a file found unchanged by its hash): the rest of the row is not
    unpacked, so recording a check of a large base costs its numbers, not a stamp object per file."""
    numbers = array("q")
    numbers.frombytes(row[1])
    for at, st in stats.items():
        numbers[4 * at:4 * at + 4] = array("q", (st.st_size, st.st_mtime_ns, st.st_ctime_ns, _signed(st.st_ino)))
    return row[0], numbers.tobytes(), row[2]


def read(conn: sqlite3.Connection) -> Row:
    """The stamps as stored (`suspects` then needs no database: it may run in another process)."""
    row = conn.execute("SELECT paths, nums, digests FROM stamps").fetchone()
    if row is None:
        raise sqlite3.DatabaseError("no stamps")
    return row


def _split(paths: bytes) -> list[bytes]:
    return paths.split(b"\0") if paths else []


def load(conn: sqlite3.Connection) -> list[Stamp]:
    """Every stamp the index holds, in the order they were stored."""
    paths, nums, digests = read(conn)
    numbers = array("q")
    numbers.frombytes(nums)
    names = _split(paths)
    hashes = digests.split("\n") if names else []
    if len(numbers) != 4 * len(names) or len(hashes) != len(names):
        raise sqlite3.DatabaseError("stamps do not match")
    it = iter(numbers)
    return [Stamp(os.fsdecode(p), size, mtime, ctime, ino & _U64, digest)
            for p, size, mtime, ctime, ino, digest in zip(names, it, it, it, it, hashes)]


def paths(conn: sqlite3.Connection) -> list[str]:
    """The paths of the stamped files and folders."""
    return [os.fsdecode(p) for p in _split(read(conn)[0])]


def count(row: Row) -> int:
    """How many files and folders a row of stamps holds."""
    return len(row[1]) // 32  # four 8-byte numbers each


def suspects(row: Row, racy_after_ns: float) -> list[int] | None:
    """The positions of the stamps whose file may have changed: size, mtime, ctime or inode differ, or a
    time falls after `racy_after_ns` (a change within the same clock tick would not show). None when a
    file is gone or changed size: it has changed, no hash needed."""
    names, nums, _ = row
    numbers = array("q")
    numbers.frombytes(nums)
    it = iter(numbers)
    found: list[int] = []
    stat = os.stat
    for i, (path, size, mtime, ctime, ino) in enumerate(zip(_split(names), it, it, it, it)):
        try:
            st = stat(path)
        except OSError:
            return None
        if st.st_size != size:
            return None
        if (st.st_mtime_ns != mtime or st.st_ctime_ns != ctime or st.st_ino != ino & _U64
                or mtime >= racy_after_ns or ctime >= racy_after_ns):
            found.append(i)
    return found
