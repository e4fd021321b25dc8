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
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from yanbian_cli import __version__
from yanbian_cli.record import Record
from yanbian_cli.store import stamps
from yanbian_cli.store.reader import Store
from yanbian_cli.store.schema import INDEX_FORMAT, dumps_paths

if TYPE_CHECKING:  # pragma: no cover
    from yanbian_cli.store.watch import Told

# A source file changed less than this long before the index was built may have
# changed again within the same mtime tick: its content hash decides.
RACY_SECONDS = 2.0
# From this many stamped files and folders a query checks them in a forked process while it runs (a stat of
# each takes some 3 µs: 12 ms at 100,000 facts, 110 ms at a million); below, the check costs less than a fork.
BESIDE_MIN = 1000


def cache_dir(environ: Mapping[str, str]) -> Path | None:
    """`$XDG_CACHE_HOME/yb`, else `~/.cache/yb`; None when there is no home to put it in."""
    base = environ.get("XDG_CACHE_HOME") or ""
    if base and os.path.isabs(base):
        return Path(base) / "yb"
    home = environ.get("HOME") or ""
    if not home:
        try:
            home = str(Path.home())
        except (RuntimeError, KeyError, OSError):  # no HOME and no passwd entry
            return None
    return Path(home) / ".cache" / "yb"


def identity(fact_file: Path) -> str:
    """The fact file as the cache knows it: its real path (links followed, a loop of links left as it is)."""
    return os.path.realpath(fact_file)


def cache_file(fact_file: Path, environ: Mapping[str, str]) -> Path | None:
    """One cache file per fact file, named by a checksum of its real path (None: no cache folder).

    (The index records the path it was built for and is not used for another.)
    """
    folder = cache_dir(environ)
    if folder is None:
        return None
    name = identity(fact_file).encode("utf-8", "surrogateescape")
    return folder / f"index-{zlib.crc32(name):08x}{zlib.adler32(name):08x}.sqlite"


# -- freshness -----------------------------------------------------------------------------


def _rehash(path: str) -> tuple[str, os.stat_result] | None:
    """(the content hash, the stat taken before hashing) of a file; None when it changed while hashed."""
    import hashlib  # not on the path of a query whose sources are unchanged

    if os.path.isdir(path):  # a folder read whole (schema 2): its entries
        from yanbian_cli.factbase.sources import folder_digest

        before = os.stat(path)
        digest = folder_digest(path)
        return (digest, before) if os.stat(path).st_mtime_ns == before.st_mtime_ns else None
    h = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        before = os.fstat(fd)
        while block := os.read(fd, 1 << 20):
            h.update(block)
        after = os.fstat(fd)
    finally:
        os.close(fd)
    same = (before.st_size, before.st_mtime_ns, before.st_ctime_ns) == (after.st_size, after.st_mtime_ns,
                                                                         after.st_ctime_ns)
    return (h.hexdigest(), before) if same else None


def _fresh(conn: sqlite3.Connection, checked_at: float,
           row: stamps.Row | None = None) -> tuple[bool, stamps.Row | None]:
    """(whether every source file is as it was when indexed, a row of new stamps to record or None).

    Size, mtime, ctime and inode unchanged: the file is unchanged (a tool that restores an old
    mtime still moves the ctime; a link pointed at another file has another inode). Otherwise, or
    when the file changed less than RACY_SECONDS before the last check (a change within the same
    clock tick would not show), the content hash decides; when it says "unchanged", the stat taken
    before hashing is recorded, so a change landing after the hash still shows next time.
    """
    row = row or stamps.read(conn)
    suspects = stamps.suspects(row, (checked_at - RACY_SECONDS) * 1e9)
    if suspects is None:
        return False, None
    if not suspects:
        return True, None
    paths, digests = stamps.files(row)
    stats = {}
    for i in suspects:
        hashed = _rehash(paths[i])
        if hashed is None or hashed[0] != digests[i]:
            return False, None
        stats[i] = hashed[1]
    return True, stamps.renewed(row, stats)


def _record_check(path: Path, row: stamps.Row, renewed: stamps.Row | None, point: str = "",
                  recorded: str = "") -> None:
    """Remember that the sources were verified now (best effort: the cache may be read-only): the stamps'
    new numbers (`renewed`), and the watcher's `point` taken before they were verified (when not the one
    `recorded` already). Not at all if another process updated the index since `row` was read."""
    if renewed is None and point in ("", recorded):
        return
    try:
        conn = sqlite3.connect(path, timeout=0.2)
        with conn:
            held = stamps.store_numbers(conn, renewed) if renewed is not None else stamps.holds(conn, row)
            if held and renewed is not None:
                conn.execute("INSERT OR REPLACE INTO meta VALUES (?,?)", ("checked_at", repr(time.time())))
            if held and point:
                conn.execute("INSERT OR REPLACE INTO meta VALUES (?,?)", ("watch", point))
        conn.close()
    except sqlite3.Error:
        pass


def _fresh_named(conn: sqlite3.Connection, path: Path, told: Told, recorded: str) -> bool:
    """Whether the files a watcher named as changed are as indexed (hashed: an event says the file was
    written, whatever its times say); the check recorded with the watcher's point."""
    row = stamps.read(conn)
    paths, digests = stamps.files(row)
    named = set(told.changed or ())
    stats = {}
    for i, source in enumerate(paths):
        if source in named:
            hashed = _rehash(source)
            if hashed is None or hashed[0] != digests[i]:
                return False
            stats[i] = hashed[1]
    _record_check(path, row, stamps.renewed(row, stats) if stats else None, told.point, recorded)
    return True


def watch_point(fact_file: Path, environ: Mapping[str, str]) -> str:
    """The point of the watcher of this base's index, when one runs ("" otherwise): taken before a check, an
    update or a build reads the sources, and recorded with what it finds (store/watch.py)."""
    from yanbian_cli.store import watch

    target = cache_file(fact_file, environ)
    if target is None or not watch.enabled(environ):
        return ""
    return watch.point(target)


# -- opening and writing ---------------------------------------------------------------------


def _connect_readonly(path: Path) -> sqlite3.Connection:
    from urllib.parse import quote

    return sqlite3.connect("file:" + quote(os.path.realpath(path)) + "?mode=ro", uri=True)


def _meta(conn: sqlite3.Connection, fact_file: Path) -> dict[str, str]:
    """What a query reads of the meta of an index of this format and version, of `fact_file` ("checked_at":
    when its sources were last found unchanged; "stamps": `stamps.key`; "watch": the watcher's point);
    raises sqlite3.DatabaseError for an index of another format, version or base."""
    meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('format', 'version', 'built_at', "
                             "'checked_at', 'fact_file', 'stamps', 'watch', 'stamped_as')"))
    if meta.get("format") != str(INDEX_FORMAT) or meta.get("version") != __version__:
        raise sqlite3.DatabaseError("old format")
    if meta.get("fact_file") != dumps_paths(identity(fact_file)):
        raise sqlite3.DatabaseError("another fact file")
    if dumps_paths(identity(Path(json.loads(meta["stamped_as"])))) != meta["fact_file"]:
        raise sqlite3.DatabaseError("stamped by a path that now leads elsewhere")  # (a link re-pointed)
    meta["checked_at"] = meta.get("checked_at") or meta["built_at"]
    return meta


def _valid_cache(path: Path, fact_file: Path, *, beside: Mapping[str, str] | None = None,
                 point: str = "") -> tuple[sqlite3.Connection, Beside | None] | None:
    """An open connection to the cache file of `fact_file` when it is current, else None; `point`: the watcher's,
    taken before, to record when it is.

    With `beside` (the environment), a base of BESIDE_MIN stamped paths or more is not stat-ed first: its
    watcher is asked what changed (store/watch.py) and only that is hashed; when no watcher can tell, its
    connection comes at once, with the `Beside` process that checks every file (on a system that forks).
    """
    try:
        conn = _connect_readonly(path)
    except (sqlite3.Error, ValueError):
        return None
    try:
        meta = _meta(conn, fact_file)
        checked_at = float(meta["checked_at"])
        large = beside is not None and int(meta.get("stamps", "0").split("-")[0]) >= BESIDE_MIN
        if large and beside is not None:
            from yanbian_cli.store import watch  # (not imported for a small base)

            told = watch.ask(path, meta.get("watch", ""), meta.get("stamps", ""), start=True) \
                if watch.enabled(beside) else None
            if told is not None and told.changed is not None:
                if told.changed and not _fresh_named(conn, path, told, meta.get("watch", "")):
                    raise sqlite3.DatabaseError("stale")
                return conn, None
            point = told.point if told is not None else ""
        row = stamps.read(conn)
        if large and hasattr(os, "fork"):
            pid = os.fork()  # (an OSError: no check beside, and this base is opened the careful way)
            if pid == 0:  # the checker: says by its exit status; never uses the connection it was forked with
                code = 1
                try:
                    fresh, renewed = _fresh(conn, checked_at, row)  # (the stamps are read: `conn` is not used)
                    if fresh:  # touched, changed too recently but the same, or a new point: recorded
                        _record_check(path, row, renewed, point, meta.get("watch", ""))  # on a connection of its own
                    code = 0 if fresh else 1
                finally:
                    os._exit(code)
            return conn, Beside(pid)
        fresh, renewed = _fresh(conn, checked_at, row)
        if not fresh:
            raise sqlite3.DatabaseError("stale")
        _record_check(path, row, renewed, point, meta.get("watch", ""))
        return conn, None
    except (sqlite3.Error, KeyError, ValueError, TypeError, OSError):  # OSError: a file removed while hashed
        conn.close()
        return None


class _Terminated(Exception):
    """SIGTERM arrived while a cache file was being written."""


def _write(fill: Callable[[sqlite3.Connection], None], target: Path) -> str:
    """Write an index into `target` atomically (`fill` writes it into a temporary file beside it, which is
    then renamed); "" when written, else why not. The temporary file is removed whatever happens,
    SIGTERM included; an error of `fill` other than the disk's propagates.
    """
    import signal
    import tempfile

    tmp_name = None
    previous = None
    try:
        def terminated(signum: int, frame: object) -> None:
            raise _Terminated

        try:
            previous = signal.signal(signal.SIGTERM, terminated)
        except ValueError:  # not the main thread
            previous = None
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=target.stem + ".", suffix=".tmp", dir=target.parent)
        os.close(fd)
        out = sqlite3.connect(tmp_name)
        try:
            out.execute("PRAGMA journal_mode = OFF")  # a file renamed into place only when whole needs none
            out.execute("PRAGMA synchronous = OFF")
            fill(out)
            out.commit()
        finally:
            out.close()
        os.replace(tmp_name, target)
        tmp_name = None
        return ""
    except (OSError, sqlite3.Error) as exc:
        return getattr(exc, "strerror", None) or str(exc)
    except _Terminated:
        _cleanup(tmp_name)
        tmp_name = None
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)  # die of the signal, as asked, with nothing left behind
        return "terminated"  # pragma: no cover
    finally:
        _cleanup(tmp_name)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _cleanup(tmp_name: str | None) -> None:
    for name in (tmp_name, f"{tmp_name}-journal") if tmp_name else ():
        try:
            os.unlink(name)
        except OSError:
            pass


def open_cached(fact_file: Path, environ: Mapping[str, str], point: str = "") -> Store | None:
    """The cached index of `fact_file` when it is current, else None (`point`: as `_valid_cache`)."""
    target = cache_file(fact_file, environ)
    if target is None or not target.is_file():
        return None
    opened = _valid_cache(target, fact_file, point=point)
    return Store(opened[0], str(target)) if opened is not None else None


class Beside:
    """The quick check of a large base's sources, run in a forked process while the query runs.

    `unchanged()` waits for it: True when no file looks changed; False when one does, or the check could not
    run (the caller then opens the base the careful way, which hashes what looks changed, updates the index
    and answers again). Nothing is decided from an answer before `unchanged()` says so.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._verdict: bool | None = None

    def unchanged(self) -> bool:
        if self._verdict is None:
            try:
                _, status = os.waitpid(self.pid, 0)
                self._verdict = os.waitstatus_to_exitcode(status) == 0
            except (OSError, ValueError):
                self._verdict = False
        return self._verdict


def open_beside(fact_file: Path, environ: Mapping[str, str]) -> tuple[Store, Beside | None] | None:
    """`open_cached`, but a base of BESIDE_MIN files or more on a system that forks is opened at once, its sources
    checked beside the query (`Beside`); a smaller one is checked first (no `Beside`)."""
    target = cache_file(fact_file, environ)
    if target is None or not target.is_file():
        return None
    opened = _valid_cache(target, fact_file, beside=environ)
    return (Store(opened[0], str(target)), opened[1]) if opened is not None else None


def build(fact_file: Path, environ: Mapping[str, str], fill: Callable[[sqlite3.Connection], None],
          point: str = "") -> Store:
    """An index written by `fill` straight into the cache file (so a large base is never held in memory as a
    database too), or, when the cache cannot be written, into memory: it answers all the same. `point`: the
    watcher's, taken before the sources were read."""
    target = cache_file(fact_file, environ)

    def fill_at(conn: sqlite3.Connection) -> None:
        fill(conn)
        if point:
            conn.execute("UPDATE meta SET value = ? WHERE key = 'watch'", (point,))

    why = _write(fill_at, target) if target is not None else "no cache folder (neither XDG_CACHE_HOME nor HOME is set)"
    if not why:
        assert target is not None
        return Store(_connect_readonly(target), str(target))
    conn = sqlite3.connect(":memory:")
    fill(conn)
    return Store(conn, ":memory:", unwritable=why)


class IndexStatus(Record):
    """What `yb index` reports."""

    fact_file: Path
    cache_file: Path | None
    state: str  # "current", "stale", "corrupt", "not built", "cannot be cached"
    size: int = 0
    built_at: float | None = None
    facts: int = 0
    why: str = ""  # why it cannot be cached, or what is wrong with it
    watcher: str = ""  # of a base of BESIDE_MIN sources or more (store/watch.py): "running", "not running", ...

    @property
    def exists(self) -> bool:
        return self.state in ("current", "stale", "corrupt")

    @property
    def fresh(self) -> bool:
        return self.state == "current"


def _cannot_write(folder: Path) -> str:
    """"" when a cache file can be written in `folder` (made if need be); else why not."""
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            return ""
    except OSError as exc:
        return exc.strerror or str(exc)


def _readable(conn: sqlite3.Connection) -> str:
    """"" when every page of the cache reads back; else what SQLite found."""
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return "" if rows == [("ok",)] else "; ".join(str(r[0]) for r in rows[:3])


def status(fact_file: Path, environ: Mapping[str, str], *, unwritable: str = "") -> IndexStatus:
    """Where the index of `fact_file` is cached, and whether it is current (the whole file is read)."""
    target = cache_file(fact_file, environ)
    if target is None:
        return IndexStatus(fact_file, None, "cannot be cached", why="no cache folder: neither XDG_CACHE_HOME nor "
                                                                    "HOME is set")
    if unwritable:
        return IndexStatus(fact_file, target, "cannot be cached", why=unwritable)
    try:
        if not target.is_file():
            why = _cannot_write(target.parent)
            return IndexStatus(fact_file, target, "cannot be cached" if why else "not built", why=why)
        size = target.stat().st_size
    except OSError as exc:
        return IndexStatus(fact_file, target, "cannot be cached", why=exc.strerror or str(exc))
    opened = _valid_cache(target, fact_file)
    if opened is None:  # stale, or too damaged to tell
        try:
            damaged = _connect_readonly(target)
            problem = _readable(damaged)
            damaged.close()
        except (sqlite3.Error, ValueError) as exc:
            problem = str(exc)
        return IndexStatus(fact_file, target, "corrupt" if problem else "stale", size, why=problem)
    conn = opened[0]
    store = Store(conn, str(target))
    try:
        problem = _readable(conn)
        if problem:
            return IndexStatus(fact_file, target, "corrupt", size, why=problem)
        return IndexStatus(fact_file, target, "current", size, float(store.meta("built_at")), store.fact_count(),
                           watcher=_watcher(target, store.meta("stamps"), environ))
    except (sqlite3.Error, ValueError) as exc:
        return IndexStatus(fact_file, target, "corrupt", size, why=str(exc))
    finally:
        store.close()


def _watcher(target: Path, stamps_key: str, environ: Mapping[str, str]) -> str:
    """What `yb index` says of the watcher of a current index ("" for a base too small to have one)."""
    from yanbian_cli.store import watch

    if int(stamps_key.split("-")[0] or 0) < BESIDE_MIN:
        return ""
    if not watch.enabled(environ):
        return "off (YB_WATCH=0, or not Linux): every file is checked"
    return watch.state(target)


def clear(fact_file: Path, environ: Mapping[str, str]) -> bool:
    """Remove the cache file of `fact_file` and what an interrupted write left beside it; True when
    there was a cache. OSError when it cannot be removed."""
    target = cache_file(fact_file, environ)
    if target is None:
        return False
    from yanbian_cli.store import watch

    watch.stop(target)
    try:
        leftovers = list(target.parent.glob(f"{target.stem}.*.tmp*"))
    except OSError:
        leftovers = []
    for stray in leftovers:
        stray.unlink(missing_ok=True)
    try:
        target.unlink()
        return True
    except FileNotFoundError:
        return False
    except IsADirectoryError:
        raise OSError(21, "is a folder, not a cache file", str(target)) from None
