"""A watcher of a large base's source folders (Linux inotify), so that a query need not stat every file.

A query at a million facts spent most of its time on one `os.stat` of each of 34,000 files and folders
(store/cache.py). For a base of `cache.BESIDE_MIN` stamped paths or more, a query now asks a watcher
process instead: "what changed since the point the index records?" The watcher answers from the events
the kernel queued for the folders the index's sources live in, after reading every event queued so far
(a write's event is queued before the write returns, so a change made before the question is in the
answer). The query then hashes only the files named; with none named, the index is current.

A point is (the watcher's id, the number of the last event seen). The index records one only when its
sources were verified *after* the point was taken: after a full check (every file stat-ed), or by an
update or build that read the files after asking. So "nothing since the point" means "as verified".

It watches the folders the sources are in, every folder on the way to them (as the stamped path spells it
and where it really is: a link on the way re-pointed, or a folder above swapped, makes an event there), and
each source file's own inode (a write through another name of the file, a hard link made later, reaches it).
Whenever it cannot vouch for a span of time (it was not running, its event queue overflowed, a folder on the
way was moved, removed or replaced, the mount table changed), its id changes and the query checks every file
as before. It declines to vouch at all while a source is a link or a source folder is missing, for a folder on
a file system that is not local (an NFS client sees no event for a change made on another machine), and when
it cannot set every watch (then it gives them back: the user's limit is shared) until it arms anew.

A query starts the watcher when none answers (detached: no terminal, no descriptor of the query's), and the
watcher exits after IDLE_SECONDS without a question, when its socket is removed, or when asked to stop
(`yb index --clear`). `YB_WATCH=0` turns it off. The socket and a lock file (one watcher per index) are in
the cache folder, beside the index.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from yanbian_cli.record import Record

if TYPE_CHECKING:  # pragma: no cover
    import ctypes

PROTOCOL = "1"
IDLE_SECONDS = 900.0
RETRY_SECONDS = 60.0  # a watcher that could not set its watches (too few allowed) tries again after this
LOOK_SECONDS = 30.0  # how often an idle watcher looks whether its socket is still there
ANSWER_TIMEOUT = 0.25  # a question not answered by then (the watcher is arming): every file is checked instead
MAX_NAMED = 2000  # more changed paths than this: the query checks every file
MAX_DIRTY = 200_000  # paths remembered as changed; more: a new id
_SOCKET_MAX = 107  # bytes of a Unix socket's path (sun_path) on Linux, less the final NUL

# inotify(7)
IN_MODIFY, IN_ATTRIB, IN_CLOSE_WRITE = 0x2, 0x4, 0x8
IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE = 0x40, 0x80, 0x100, 0x200
IN_DELETE_SELF, IN_MOVE_SELF, IN_UNMOUNT, IN_Q_OVERFLOW, IN_IGNORED = 0x400, 0x800, 0x2000, 0x4000, 0x8000
IN_ONLYDIR, IN_ISDIR = 0x1000000, 0x40000000
IN_NONBLOCK, IN_CLOEXEC = os.O_NONBLOCK, getattr(os, "O_CLOEXEC", 0o2000000)
ENTRIES = IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
SELF = IN_DELETE_SELF | IN_MOVE_SELF
SOURCE_MASK = IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | ENTRIES | SELF | IN_ONLYDIR  # a folder holding sources
ANCESTOR_MASK = ENTRIES | SELF | IN_ONLYDIR  # a folder on the way to one: only its entries' names matter
# A source file's own inode: a write through any of its names (a hard link made later, elsewhere) and a change
# of its link count reach this watch, where its folder's hear only of writes through the name in it.
FILE_MASK = IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | SELF
LOST = IN_Q_OVERFLOW | IN_IGNORED | IN_UNMOUNT | SELF  # a folder's watch no longer tells everything
# File systems on which every change is made through this kernel (an event for each).
LOCAL_FS = frozenset({"ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs", "overlay", "zfs", "f2fs", "jfs",
                      "reiserfs", "bcachefs", "vfat", "exfat", "ntfs3", "hfsplus", "ramfs"})


def enabled(environ: Mapping[str, str]) -> bool:
    """Whether queries may ask a watcher: on Linux, unless YB_WATCH=0."""
    return sys.platform.startswith("linux") and environ.get("YB_WATCH", "1") != "0"


def socket_path(target: Path) -> str | None:
    """The watcher's socket, beside the index at `target`; None when the path is too long for a socket."""
    name = str(target.with_suffix(".watch"))
    return name if len(os.fsencode(name)) <= _SOCKET_MAX else None


def _lock_path(target: Path) -> Path:
    return target.with_suffix(".watch-lock")


# -- the query's side ------------------------------------------------------------------------------


class Told(Record):
    """A watcher's answer."""

    point: str  # "ID SEQ": the point to record after verifying the sources; "" when it cannot vouch for any
    changed: list[str] | None  # the paths changed since the point asked (None: it cannot tell; check all)
    why: str = ""  # why it cannot vouch


def ask(target: Path, since: str, stamps_key: str, *, start: bool = False) -> Told | None:
    """What changed since the point `since`, as the watcher of the index at `target` tells it (`stamps_key`:
    the index's stamps, so that it watches the folders they are in; "-": as it watches now). None when no
    watcher answers; with `start`, one is started for the next query."""
    import _socket

    name = socket_path(target)
    if name is None:
        return None
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.settimeout(ANSWER_TIMEOUT)
        try:
            sock.connect(name)
        except (FileNotFoundError, ConnectionRefusedError):
            if start:
                _start(target)
            return None
        sock.sendall(f"{PROTOCOL} {since or '- 0'} {stamps_key}\n".encode("ascii"))
        chunks = []
        while chunk := sock.recv(1 << 16):
            chunks.append(chunk)
    except OSError:  # a timeout included
        return None
    finally:
        sock.close()
    return _parse(b"".join(chunks))


def _parse(data: bytes) -> Told | None:
    head, _, rest = data.partition(b"\n")
    parts = head.decode("ascii", "replace").split()
    if len(parts) != 4 or parts[0] != PROTOCOL or parts[3] not in ("ok", "all", "off"):
        return None
    watcher_id, seq, state = parts[1:]
    if state == "off":
        return Told("", None, os.fsdecode(rest))
    point = f"{watcher_id} {seq}"
    if state != "ok":
        return Told(point, None)
    return Told(point, [os.fsdecode(p) for p in rest.split(b"\0")] if rest else [])


def follow(target: Path, stamps_key: str) -> None:
    """Tell the watcher of the index at `target`, if one runs, that the index's stamps are now `stamps_key` (an
    update wrote them), without waiting for its answer: it reads the new stamps and watches any new file while
    this process answers its query, so that the next query's question does not wait for that (at a million
    facts, about 90 ms). Nothing is recorded: the next query asks as ever."""
    _tell(target, f"{PROTOCOL} - 0 {stamps_key}\n".encode("ascii"), ANSWER_TIMEOUT, wait=False)


def point(target: Path) -> str:
    """The watcher's point now ("" when none answers or it cannot vouch): taken by a check, an update or a build
    before it reads the sources, and recorded with what it finds."""
    told = ask(target, "", "-")
    return told.point if told is not None else ""


def state(target: Path) -> str:
    """What `yb index` says of the watcher of the index at `target`."""
    if socket_path(target) is None:
        return "none: the cache folder's path is too long for its socket"
    told = ask(target, "", "-")
    if told is None:
        return ("not running (the next query starts it)" if os.access(target.parent, os.W_OK)
                else "none: the cache folder cannot be written")
    return "running" if told.point else "running, but every file is checked: " + told.why


def stop(target: Path) -> None:
    """Ask the watcher of the index at `target`, if one runs, to exit."""
    _tell(target, b"stop\n", 1.0, wait=True)


def _tell(target: Path, line: bytes, timeout: float, *, wait: bool) -> None:
    """Send one line to the watcher of the index at `target`, if one runs (`wait`: for its short reply);
    nothing when none answers or it is busy."""
    import _socket

    name = socket_path(target)
    if name is None:
        return
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect(name)
        sock.sendall(line)
        if wait:
            sock.recv(16)
    except OSError:
        pass
    finally:
        sock.close()


def _start(target: Path) -> None:
    """Start a watcher for the index at `target`, detached from this process (a double fork: no zombie, no
    terminal, no inherited stdio, so a pipe reading this process's output still ends when it does)."""
    if not hasattr(os, "fork") or not os.access(target.parent, os.W_OK):
        return  # (a read-only cache folder: a watcher could not make its socket)
    try:
        pid = os.fork()
    except OSError:
        return
    if pid:
        try:
            os.waitpid(pid, 0)
        except OSError:
            pass
        return
    try:  # the first child: a new session, then the watcher in a grandchild, then gone
        os.setsid()
        if os.fork() == 0:
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            # nothing else the query held either (a pipe or a lock its caller passed on would stay held)
            os.closerange(3, os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 65536)
            os.chdir("/")  # (holds no folder busy; and `-m` puts the working folder first on the path)
            os.execv(sys.executable, [sys.executable, "-m", "yanbian_cli.store.watch", os.path.abspath(target)])
    finally:
        os._exit(0)


# -- the watcher -----------------------------------------------------------------------------------


def _libc() -> ctypes.CDLL:
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.inotify_init1.argtypes = [ctypes.c_int]
    libc.inotify_add_watch.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
    return libc


def _filesystems() -> dict[int, str]:
    """The type of each mounted file system, by device number (from /proc/self/mountinfo)."""
    found: dict[int, str] = {}
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                fields = line.split()
                if " - " not in line or len(fields) < 3:
                    continue
                major, _, minor = fields[2].partition(":")
                found[os.makedev(int(major), int(minor))] = line.split(" - ", 1)[1].split()[0]
    except (OSError, ValueError):
        pass
    return found


class Watcher:
    """The events of the folders a base's sources are in, numbered, and which paths they touched."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.libc = _libc()
        self.fd = -1
        self.id = ""  # "" while not armed
        self.off = ""  # why it cannot vouch for this base ("" when it can)
        self.key = ""  # the index's stamps key it armed for
        self.seq = 0
        self.dirty: dict[str, int] = {}  # path -> the number of the last event that touched it
        self.folder: dict[int, str] = {}  # watch -> its folder
        self.file: dict[int, str] = {}  # watch -> its source file
        self.sources: set[str] = set()  # the folders whose entries are (or hold) sources
        self.files: set[str] = set()  # the stamped files
        self.stamped_folders: set[str] = set()  # the stamped folders (read whole: a folder made in one is read too)
        self.retry_at = 0.0  # when a watcher that could not set its watches tries again
        self.ways: dict[str, set[str]] = {}  # folder -> names of its entries on the way to a watched folder

    # arming

    def _stamped(self) -> tuple[str, list[str], list[str]] | None:
        """(the stamps key, the stamped files, the stamped folders) of the index, None when unreadable."""
        import sqlite3
        from urllib.parse import quote

        try:
            conn = sqlite3.connect("file:" + quote(os.path.realpath(self.target)) + "?mode=ro", uri=True)
            try:
                key = conn.execute("SELECT value FROM meta WHERE key = 'stamps'").fetchone()
                row = conn.execute("SELECT paths, digests FROM stamps").fetchone()
            finally:
                conn.close()
        except sqlite3.Error:
            return None
        if key is None or row is None:
            return None
        paths = [os.fsdecode(p) for p in row[0].split(b"\0")] if row[0] else []
        digests = row[1].split("\n") if paths else []
        folders = [p for p, d in zip(paths, digests) if d.startswith("dir:")]
        files = [p for p, d in zip(paths, digests) if not d.startswith("dir:")]
        return key[0], files, folders

    def arm(self) -> None:
        """Watch the folders of the index's sources afresh, under a new id (what happened before is unknown)."""
        import secrets

        if self.fd >= 0:
            os.close(self.fd)
        self.fd = self.libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        self.id, self.off, self.key = "", "", ""
        self.dirty.clear()
        self.folder.clear()
        self.file.clear()
        self.sources.clear()
        self.ways.clear()
        self.files = set()
        self.stamped_folders = set()
        if self.fd < 0:
            self.off = "no inotify"
            return
        stamped = self._stamped()
        if stamped is None:
            return  # no index yet: armed by the first question that names one
        key, files, folders = stamped
        self.id = secrets.token_hex(8)
        self.key = key
        self.files = set(files)
        self.stamped_folders = set(folders)
        self.off = (self._links(files) or self._watch({os.path.dirname(p) for p in files} | set(folders))
                    or self._watch_files(files))
        if self.off.startswith("cannot watch"):  # (the user's watches are shared with every other program:
            self._release()                       # those it got are given back, and it tries again later)

    def _release(self) -> None:
        import time

        os.close(self.fd)
        self.fd = -1
        self.folder.clear()
        self.file.clear()
        self.retry_at = time.monotonic() + RETRY_SECONDS

    def _links(self, files: Iterable[str]) -> str:
        import stat

        for path in files:
            try:
                st = os.lstat(path)
            except OSError:
                continue  # gone: the check that follows finds the index stale
            if stat.S_ISLNK(st.st_mode) or st.st_nlink > 1:
                return f"{path} is a link"
        return ""

    def _watch_files(self, files: Iterable[str]) -> str:
        """Watch each source file's inode; why not, or "" (a file gone: its folder's events tell)."""
        for path in files:
            why = self._add(path, FILE_MASK, self.file)
            if why:
                return why
        return ""

    def _watch(self, folders: set[str]) -> str:
        """Watch `folders` (their entries) and every folder on the way to them (their names); why not, or "".
        A folder that is not there is watched on the way to it (its return arms anew) and cannot be vouched for:
        it may come back by a mount, which no folder's event tells."""
        systems = _filesystems()
        missing = ""
        reals = {folder: os.path.realpath(folder) for folder in folders - self.sources}
        watched = folders | set(reals.values())  # (a source's real path is watched as the source)
        for folder in sorted(folders - self.sources):
            try:
                dev = os.stat(folder).st_dev
            except OSError:
                dev = None
                missing = missing or f"{folder} is missing"
            if dev is not None:
                kind = systems.get(dev, "")
                if kind not in LOCAL_FS:
                    return f"{folder} is on a file system that is not local ({kind or 'unknown'})"
                why = self._add(folder, SOURCE_MASK)
                if why:
                    return why
                self.sources.add(folder)
            # the way to it as its path spells it (a link on it re-pointed), and as the folders it really is in
            # (a folder above swapped: the inodes watched move away with it)
            real = reals[folder]
            for way in (folder, real) if real != folder else (folder,):
                why = self._way(way, watched)
                if why:
                    return why
        return missing

    def _way(self, folder: str, folders: set[str]) -> str:
        """Watch the names of the entries on the way to `folder` in the folders above it (but `folders`, watched
        as sources); why not, or ""."""
        child = folder
        parent = os.path.dirname(child)
        while parent != child:
            names = self.ways.setdefault(parent, set())
            known = bool(names)
            names.add(os.path.basename(child))
            if known:
                break  # the rest of the way is watched already
            if parent not in folders:
                why = self._add(parent, ANCESTOR_MASK)
                if why:
                    return why
            child, parent = parent, os.path.dirname(parent)
        return ""

    def _add(self, path: str, mask: int, into: dict[int, str] | None = None) -> str:
        """Watch a folder (or with `into`, a file); why not, or "" (a path gone: "")."""
        import ctypes

        wd = self.libc.inotify_add_watch(self.fd, os.fsencode(path), mask)
        if wd < 0:
            err = ctypes.get_errno()
            if err in (errno.ENOENT, errno.ENOTDIR):
                return ""
            hint = " (fs.inotify.max_user_watches)" if err == errno.ENOSPC else ""
            return f"cannot watch {path}: {os.strerror(err)}{hint}"
        if into is not None:  # a file: its inode's watch names its latest name (a file moved keeps its inode)
            into[wd] = path
        elif self.folder.setdefault(wd, path) != path:  # one folder by two paths: an event names only one
            return f"{path} and {self.folder[wd]} are one folder"
        return ""

    # events

    def drain(self) -> None:
        """Read every event queued so far."""
        import struct

        if self.fd < 0:
            return
        rearm = False
        while True:
            try:
                data = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                break
            except OSError:
                rearm = True
                break
            at = 0
            while at + 16 <= len(data):
                wd, mask, _cookie, size = struct.unpack_from("iIII", data, at)
                name = data[at + 16:at + 16 + size].rstrip(b"\0")
                at += 16 + size
                rearm = self._event(wd, mask, os.fsdecode(name)) or rearm
        if rearm or len(self.dirty) > MAX_DIRTY:
            self.arm()

    def _event(self, wd: int, mask: int, name: str) -> bool:
        """Note an event; True when the watcher must arm again."""
        source = self.file.get(wd)
        if source is not None:  # a source file's inode: written, its link count or times changed, or gone
            if mask & IN_Q_OVERFLOW:
                return True
            self.seq += 1
            self.dirty[source] = self.seq
            if mask & IN_IGNORED:  # (its folder's events tell what took its name)
                del self.file[wd]
            elif mask & IN_ATTRIB and not self.off:
                self.off = self._links([source])  # a hard link made to it: written by the other name
            return False
        if mask & LOST:
            return True
        folder = self.folder.get(wd)
        if folder is None:
            return False
        if name and mask & ENTRIES and name in self.ways.get(folder, ()):
            return True  # a folder on the way to sources moved, removed or replaced
        if folder not in self.sources:
            return False
        self.seq += 1
        path = os.path.join(folder, name) if name else folder
        self.dirty[path] = self.dirty[folder] = self.seq
        if name and mask & (IN_CREATE | IN_MOVED_TO):
            if mask & IN_ISDIR:
                if folder in self.stamped_folders or path in self.stamped_folders:  # (not a .git made beside)
                    self._new_folder(path)
            elif not self.off:
                self.off = self._new_file(path)
        return False

    def _new_file(self, path: str) -> str:
        """A file made or moved into a watched folder: a source replaced by a link cannot be vouched for; an article
        file's inode is watched at once (written through another name before it is indexed, it would be missed)."""
        if path in self.files:
            why = self._links([path])
            if why:
                return why
        if path.endswith(".toml") and not os.path.islink(path):
            return self._add(path, FILE_MASK, self.file)
        return ""

    def _new_folder(self, path: str) -> None:
        """A folder made in a watched one: watched at once, and what it already holds marked changed."""
        self.sources.add(path)
        self.off = self.off or self._add(path, SOURCE_MASK)
        try:
            entries = list(os.scandir(path))
        except OSError:
            return
        self.stamped_folders.add(path)  # (what it holds is read as the folder it is in is)
        for entry in entries:
            self.dirty[entry.path] = self.seq
            if entry.is_dir(follow_symlinks=False):
                self._new_folder(entry.path)
            elif not self.off:
                self.off = self._new_file(entry.path)

    # questions

    def answer(self, question: str) -> bytes:
        parts = question.split()
        if len(parts) != 4 or parts[0] != PROTOCOL:
            return b""
        since_id, since_seq, key = parts[1], parts[2], parts[3]
        self.drain()
        if self.fd < 0 and self.retry_at:
            import time

            if time.monotonic() >= self.retry_at:
                self.arm()
        if key not in ("-", self.key):
            self._follow(key)
        if not self.id or self.off:
            return f"{PROTOCOL} - 0 off\n".encode("ascii") + os.fsencode(self.off or "not armed yet")
        head = f"{PROTOCOL} {self.id} {self.seq}"
        if since_id != self.id or not since_seq.isdigit():
            return f"{head} all\n".encode("ascii")
        after = int(since_seq)
        changed = [p for p, n in self.dirty.items() if n > after]
        if len(changed) > MAX_NAMED:
            return f"{head} all\n".encode("ascii")
        return f"{head} ok\n".encode("ascii") + b"\0".join(os.fsencode(p) for p in changed)

    def _follow(self, key: str) -> None:
        """The index's stamps changed (an update or build): watch the folders of new sources. Those already
        watched keep the id; a folder not watched until now, or an index that reads otherwise, arms anew."""
        stamped = self._stamped()
        if stamped is None or stamped[0] != key or not self.id or self.off:  # (off: the new stamps may mend it)
            self.arm()
            return
        _, files, folders = stamped
        new = {os.path.dirname(p) for p in files} | set(folders)
        if not new <= self.sources:
            self.arm()
            return
        added = [p for p in files if p not in self.files]
        self.files = set(files)
        self.stamped_folders |= set(folders)
        self.key = key
        self.off = self.off or self._links(added) or self._watch_files(added)


def _bound(name: str, inode: int) -> bool:
    try:
        return os.stat(name).st_ino == inode
    except OSError:
        return False


def serve(target: Path) -> int:
    """Run the watcher of the index at `target` until idle, stopped, or another one runs."""
    import fcntl
    import select
    import socket
    import time

    name = socket_path(target)
    if name is None:
        return 1
    try:
        lock = open(_lock_path(target), "a")  # noqa: SIM115 (held for the life of the process)
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return 0  # another watcher runs
    try:
        os.unlink(name)  # a socket left by a watcher that died
    except FileNotFoundError:
        pass
    old = os.umask(0o077)
    try:
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(name)
    finally:
        os.umask(old)
    bound = os.stat(name).st_ino  # (the socket file's: removed at exit only if still this one)
    server.listen(16)  # (bound before arming: a query meanwhile waits or checks every file; it starts no other)
    watcher = Watcher(target)
    watcher.arm()
    asked = time.monotonic()
    try:  # a change of the mount table (a drive plugged in, a bind mount) makes no event in a folder: arm anew
        mounts = open("/proc/self/mountinfo", "rb")  # noqa: SIM115 (held for the life of the process)
        mounts.read()
    except OSError:
        mounts = None
    try:
        while True:
            listening = server.fileno()
            poll = select.poll()
            poll.register(listening, select.POLLIN)
            if watcher.fd >= 0:
                poll.register(watcher.fd, select.POLLIN)
            if mounts is not None:
                poll.register(mounts.fileno(), select.POLLPRI | select.POLLERR)
            ready = {fd for fd, _ in poll.poll(LOOK_SECONDS * 1000)}
            if time.monotonic() - asked > IDLE_SECONDS or not _bound(name, bound):
                break  # idle, or its socket removed (the cache cleared): no query can reach it
            if mounts is not None and mounts.fileno() in ready:
                mounts.seek(0)
                mounts.read()
                watcher.arm()
            elif watcher.fd in ready:
                watcher.drain()
            if listening not in ready:
                continue
            conn, _ = server.accept()
            asked = time.monotonic()
            with conn:
                conn.settimeout(1.0)
                try:
                    question = conn.makefile("rb").readline(4096).decode("ascii", "replace")
                    if question.strip() == "stop":
                        conn.sendall(b"stopped\n")
                        break
                    conn.sendall(watcher.answer(question))
                except OSError:
                    pass
    finally:
        try:
            if _bound(name, bound):
                os.unlink(name)
        except OSError:
            pass
        server.close()
    return 0


if __name__ == "__main__":  # pragma: no cover (run as a detached process by `_start`)
    sys.exit(serve(Path(sys.argv[1])))
