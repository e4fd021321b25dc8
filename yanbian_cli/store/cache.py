"""The index cache: where it lives, whether it is current, and writing it atomically.

One SQLite file per fact file, in `$XDG_CACHE_HOME/yb/` (else `~/.cache/yb/`). A
cache is current while every source file is as it was when indexed (size, mtime,
ctime and inode, then a content hash when those are not conclusive). The cache
is an optimisation only: when it is missing, stale, corrupt or cannot be
written, the index is built in memory and answers all the same. A new cache is
written to a temporary file and renamed into place, so two processes building
at once never leave a half-written file.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from yanbian_cli import __version__
from yanbian_cli.model import Stamp
from yanbian_cli.store.build import dumps
from yanbian_cli.store.reader import Store
from yanbian_cli.store.schema import INDEX_FORMAT

# A source file changed less than this long before the index was built may have
# changed again within the same mtime tick: its content hash decides.
RACY_SECONDS = 2.0


def cache_dir(environ: Mapping[str, str]) -> Path:
    """`$XDG_CACHE_HOME/yb`, else `~/.cache/yb`."""
    base = environ.get("XDG_CACHE_HOME") or ""
    root = Path(base) if base and Path(base).is_absolute() else Path(environ.get("HOME") or Path.home()) / ".cache"
    return root / "yb"


def cache_file(fact_file: Path, environ: Mapping[str, str]) -> Path:
    """One cache file per fact file, named by a checksum of its absolute path.

    (The index records the path it was built for and is not used for another.)
    """
    name = str(fact_file.resolve()).encode("utf-8", "surrogatepass")
    return cache_dir(environ) / f"index-{zlib.crc32(name):08x}{zlib.adler32(name):08x}.sqlite"


# -- freshness -----------------------------------------------------------------------------


def _sha256(path: str) -> str:
    import hashlib  # not on the path of a query whose sources are unchanged

    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _fresh(stamps: list[Stamp], checked_at: float) -> tuple[bool, list[Stamp] | None]:
    """(whether every source file is as it was when indexed, new stamps to record or None).

    Size, mtime, ctime and inode unchanged: the file is unchanged (a tool that
    restores an old mtime still moves the ctime). Otherwise, or when the file
    changed less than RACY_SECONDS before the last check (a change within the
    same clock tick would not show), the content hash decides; when it says
    "unchanged", the new stamps are returned so the next call need not hash again.
    """
    renewed: list[Stamp] = []
    rehashed = False
    racy_after = (checked_at - RACY_SECONDS) * 1e9
    for stamp in stamps:  # a year of the paper is ~3,000 files: os.stat on strings, no Path objects
        try:
            st = os.stat(stamp.path)
            if st.st_size != stamp.size:
                return False, None
            racy = st.st_mtime_ns >= racy_after or st.st_ctime_ns >= racy_after
            if st.st_mtime_ns != stamp.mtime_ns or st.st_ctime_ns != stamp.ctime_ns or st.st_ino != stamp.ino or racy:
                if _sha256(stamp.path) != stamp.digest:
                    return False, None
                rehashed = True
                st = os.stat(stamp.path)
                renewed.append(Stamp(stamp.path, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, stamp.digest))
            else:
                renewed.append(stamp)
        except OSError:
            return False, None
    return True, (renewed if rehashed else None)


def _record_check(path: Path, stamps: list[Stamp]) -> None:
    """Remember that the sources were verified now (best effort: the cache may be read-only)."""
    try:
        conn = sqlite3.connect(path, timeout=0.2)
        with conn:
            conn.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)",
                             [("sources", dumps([list(s) for s in stamps])), ("checked_at", repr(time.time()))])
        conn.close()
    except sqlite3.Error:
        pass


# -- opening and writing ---------------------------------------------------------------------


def _connect_readonly(path: Path) -> sqlite3.Connection:
    from urllib.parse import quote

    return sqlite3.connect("file:" + quote(str(path.resolve())) + "?mode=ro", uri=True)


def _valid_cache(path: Path, fact_file: Path) -> sqlite3.Connection | None:
    """An open connection to the cache file of `fact_file` when it is current, else None."""
    try:
        conn = _connect_readonly(path)
    except sqlite3.Error:
        return None
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN "
                                 "('format', 'version', 'sources', 'built_at', 'checked_at', 'fact_file')"))
        if meta.get("format") != str(INDEX_FORMAT) or meta.get("version") != __version__:
            raise sqlite3.DatabaseError("old format")
        if meta.get("fact_file") != str(fact_file.resolve()):
            raise sqlite3.DatabaseError("another fact file")
        stamps = [Stamp(*s) for s in json.loads(meta["sources"])]
        fresh, renewed = _fresh(stamps, float(meta.get("checked_at") or meta["built_at"]))
        if not fresh:
            raise sqlite3.DatabaseError("stale")
        if renewed is not None:
            _record_check(path, renewed)
        return conn
    except (sqlite3.Error, KeyError, ValueError, TypeError):
        conn.close()
        return None


def _write(conn: sqlite3.Connection, target: Path) -> bool:
    """Copy an in-memory index to `target` atomically; False when it cannot be written.

    The temporary file is removed whatever happens, an interruption included.
    """
    tmp_name = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        import tempfile

        fd, tmp_name = tempfile.mkstemp(prefix=target.stem + ".", suffix=".tmp", dir=target.parent)
        os.close(fd)
        out = sqlite3.connect(tmp_name)
        try:
            conn.backup(out)
        finally:
            out.close()
        os.replace(tmp_name, target)
        tmp_name = None
        return True
    except (OSError, sqlite3.Error):
        return False
    finally:
        if tmp_name:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


def open_cached(fact_file: Path, environ: Mapping[str, str]) -> Store | None:
    """The cached index of `fact_file` when it is current, else None."""
    target = cache_file(fact_file, environ)
    if not target.is_file():
        return None
    conn = _valid_cache(target, fact_file)
    return Store(conn, str(target)) if conn is not None else None


def save(conn: sqlite3.Connection, fact_file: Path, environ: Mapping[str, str]) -> Store:
    """An index built in memory, cached for the next call when the cache can be written."""
    target = cache_file(fact_file, environ)
    return Store(conn, str(target) if _write(conn, target) else ":memory:")


class IndexStatus(NamedTuple):
    """What `yb index` reports."""

    fact_file: Path
    cache_file: Path
    exists: bool
    fresh: bool
    size: int = 0
    built_at: float | None = None
    facts: int = 0


def status(fact_file: Path, environ: Mapping[str, str]) -> IndexStatus:
    """Where the index of `fact_file` is cached, and whether it is current."""
    target = cache_file(fact_file, environ)
    if not target.is_file():
        return IndexStatus(fact_file, target, False, False)
    size = target.stat().st_size
    conn = _valid_cache(target, fact_file)
    if conn is None:
        return IndexStatus(fact_file, target, True, False, size)
    store = Store(conn, str(target))
    try:
        return IndexStatus(fact_file, target, True, True, size, float(store.meta("built_at")), store.fact_count())
    finally:
        store.close()


def clear(fact_file: Path, environ: Mapping[str, str]) -> bool:
    """Remove the cache file of `fact_file`; True when there was one."""
    try:
        cache_file(fact_file, environ).unlink()
        return True
    except FileNotFoundError:
        return False
