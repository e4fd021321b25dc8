"""The watcher of a large base's sources (store/watch.py): what it names as changed, when it cannot vouch, and
queries that ask it are never answered from a stale index."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.synth import generate
from yanbian_cli.lookup import answer, open_base
from yanbian_cli.store import cache, watch

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(1500, tmp_path_factory.mktemp("archive") / "base")


@pytest.fixture
def built(archive: Path, tmp_path: Path) -> Iterator[tuple[Path, dict[str, str], Path]]:
    """A copy of the archive with its index built: (fact file, environment with the watcher on, index file);
    a watcher a test started is stopped after it."""
    shutil.copytree(archive.parent, tmp_path / "base")
    fact_file = tmp_path / "base" / "facts.toml"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "YB_WATCH": "1"}
    open_base(fact_file, {**env, "YB_WATCH": "0"})
    target = cache.cache_file(fact_file, env)
    assert target is not None and target.is_file()
    yield fact_file, env, target
    watch.stop(target)


def _key(target: Path) -> str:
    import sqlite3

    conn = sqlite3.connect(target)
    try:
        return conn.execute("SELECT value FROM meta WHERE key = 'stamps'").fetchone()[0]
    finally:
        conn.close()


def _told(watcher: watch.Watcher, since: str, key: str) -> watch.Told:
    told = watch._parse(watcher.answer(f"{watch.PROTOCOL} {since or '- 0'} {key}"))
    assert told is not None
    return told


def _armed(target: Path) -> tuple[watch.Watcher, str, str]:
    """A watcher of the index at `target`, armed in this process: (it, the index's stamps key, its point now)."""
    key = _key(target)
    watcher = watch.Watcher(target)
    watcher.arm()
    return watcher, key, _told(watcher, "", key).point


def _article(fact_file: Path, n: int = 0) -> Path:
    return sorted((fact_file.parent / "articles").rglob("*.toml"))[n]


def test_the_watcher_names_the_files_and_folders_that_changed(built: tuple[Path, dict[str, str], Path]) -> None:
    fact_file, _, target = built
    key = _key(target)
    watcher = watch.Watcher(target)
    watcher.arm()
    assert watcher.id and not watcher.off
    first = _told(watcher, "", key)
    assert first.changed is None and first.point  # no point of its own asked: check every file, then record this
    assert _told(watcher, first.point, key).changed == []  # nothing since
    edited = _article(fact_file)
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    told = _told(watcher, first.point, key)
    assert told.changed is not None and str(edited) in told.changed and told.point != first.point
    assert _told(watcher, told.point, key).changed == []
    # a new folder with a file already in it when it is first seen: both named, and the folder it was made in
    day = fact_file.parent / "articles" / "2040-01-01"
    day.mkdir()
    (day / "x.toml").write_text("", encoding="utf-8")
    named = _told(watcher, told.point, key).changed or []
    assert {str(day), str(day / "x.toml"), str(day.parent)} <= set(named)
    # ... and watched from then on
    later = _told(watcher, told.point, key).point
    (day / "x.toml").write_text("x = 1\n", encoding="utf-8")
    assert set(_told(watcher, later, key).changed or ()) == {str(day / "x.toml"), str(day)}


def test_a_moved_folder_or_a_lost_event_gives_a_new_id(built: tuple[Path, dict[str, str], Path]) -> None:
    fact_file, _, target = built
    watcher, key, point = _armed(target)
    folder = _article(fact_file).parent
    moved = folder.with_name(folder.name + "-old")
    folder.rename(moved)
    folder.mkdir()  # a folder of the same name, not the one watched
    told = _told(watcher, point, key)
    assert told.changed is None and told.point.split()[0] != point.split()[0]  # check every file
    assert watcher._event(-1, watch.IN_Q_OVERFLOW, "")  # the kernel's queue overflowed: arm again


def test_a_linked_source_or_a_remote_file_system_turns_the_watcher_off(built: tuple[Path, dict[str, str], Path],
                                                                      tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    fact_file, _, target = built
    watcher, key, point = _armed(target)
    article = _article(fact_file)
    os.link(article, tmp_path / "other-name.toml")  # a hard link: edited by its other name, no event here
    article.with_name("new.toml").symlink_to(tmp_path / "other-name.toml")
    told = _told(watcher, point, key)
    assert (told.point, told.changed) == ("", None) and "is a link" in told.why  # it cannot vouch: check all
    watcher.arm()
    assert "link" in watcher.off
    (tmp_path / "other-name.toml").unlink()
    article.with_name("new.toml").unlink()
    monkeypatch.setattr(watch, "_filesystems", dict)  # the file system's type unknown
    watcher.arm()
    assert "not local" in watcher.off


def test_a_hard_link_made_later_and_written_through_is_seen(built: tuple[Path, dict[str, str], Path],
                                                           tmp_path: Path) -> None:
    """A source file's inode is watched too: a link made to it after the watcher armed (its folder hears nothing
    of it) turns the watcher off, and a write through that other name is named."""
    fact_file, _, target = built
    watcher, key, point = _armed(target)
    article = _article(fact_file, 3)
    other = tmp_path / "elsewhere.toml"
    os.link(article, other)
    with open(other, "a", encoding="utf-8") as f:
        f.write("\n")
    watcher.drain()
    assert str(article) in watcher.dirty and "is a link" in watcher.off
    told = _told(watcher, point, key)
    assert told.changed is None and "is a link" in told.why


def test_a_missing_source_folder_is_not_vouched_for(built: tuple[Path, dict[str, str], Path]) -> None:
    """It may come back by a mount, which no event in a folder tells: until the watcher arms again with it there,
    every file is checked."""
    fact_file, _, target = built
    folder = _article(fact_file).parent
    moved = folder.with_name(folder.name + "-away")
    folder.rename(moved)
    watcher = watch.Watcher(target)
    watcher.arm()
    assert "is missing" in watcher.off
    moved.rename(folder)
    watcher.drain()  # its return is an event on the way to it: armed anew, and it is there
    assert watcher.id and not watcher.off


def test_a_folder_removed_is_vouched_for_again_once_the_index_no_longer_holds_it(
        built: tuple[Path, dict[str, str], Path]) -> None:
    """A date folder removed: the watcher arms anew, finds a stamped folder missing and checks every file; once the
    index is brought up to date (new stamps), it arms again and vouches."""
    fact_file, env, target = built
    watcher = watch.Watcher(target)
    watcher.arm()
    point = _told(watcher, "", _key(target)).point
    shutil.rmtree(_article(fact_file).parent)
    told = _told(watcher, point, _key(target))
    assert told.changed is None and "is missing" in told.why
    open_base(fact_file, {**env, "YB_WATCH": "0"})  # updated by the file: stamps without the folder
    told = _told(watcher, "", _key(target))
    assert told.point and not told.why


def test_a_folder_swapped_above_a_linked_base_gives_a_new_id(archive: Path, tmp_path: Path) -> None:
    """Reached through a link, the base's folders are watched where they really are too: a folder above them
    swapped for a copy (the inodes watched move away with the old one) is seen."""
    real = tmp_path / "d" / "x"
    shutil.copytree(archive.parent, real / "base")
    link = tmp_path / "L"
    link.symlink_to(real / "base")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "YB_WATCH": "0"}
    open_base(link / "facts.toml", env)
    target = cache.cache_file(link / "facts.toml", env)
    assert target is not None
    watcher = watch.Watcher(target)
    watcher.arm()
    assert watcher.id and not watcher.off
    point = _told(watcher, "", _key(target)).point
    shutil.copytree(real, tmp_path / "d" / "x.new")
    real.rename(tmp_path / "d" / "x.old")
    (tmp_path / "d" / "x.new").rename(real)
    told = _told(watcher, point, _key(target))
    assert told.changed is None and told.point.split()[0] != point.split()[0]


def test_a_new_article_file_is_watched_by_its_inode_from_the_start(built: tuple[Path, dict[str, str], Path],
                                                                    tmp_path: Path) -> None:
    """Written through a link made elsewhere before the index holds it, a new article file is still named."""
    fact_file, _, target = built
    watcher = watch.Watcher(target)
    watcher.arm()
    new = _article(fact_file).parent / "z999999.toml"
    new.write_text("x = 1\n", encoding="utf-8")
    watcher.drain()
    watcher.dirty.clear()
    os.link(new, tmp_path / "ext.toml")
    with open(tmp_path / "ext.toml", "a", encoding="utf-8") as f:
        f.write("y = 2\n")
    os.unlink(tmp_path / "ext.toml")
    watcher.drain()
    assert str(new) in watcher.dirty


def test_a_file_moved_between_folders_keeps_the_watcher_vouching(built: tuple[Path, dict[str, str], Path]) -> None:
    fact_file, _, target = built
    watcher, key, point = _armed(target)
    article = _article(fact_file)
    other = _article(fact_file, -1).parent / article.name
    article.rename(other)
    told = _told(watcher, point, key)
    assert told.changed is not None and {str(article), str(other)} <= set(told.changed) and not watcher.off
    with open(other, "a", encoding="utf-8") as f:  # its inode's watch now names it where it is
        f.write("\n")
    assert str(other) in (_told(watcher, told.point, key).changed or [])


def test_a_watcher_that_cannot_set_its_watches_gives_them_back(built: tuple[Path, dict[str, str], Path],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The user's inotify watches are shared with every other program (editors, file managers): a watcher that
    cannot set all of its own (fs.inotify.max_user_watches) keeps none, and tries again later."""
    _, _, target = built
    monkeypatch.setattr(watch.Watcher, "_watch_files",
                        lambda self, files: "cannot watch x: No space left on device (fs.inotify.max_user_watches)")
    watcher = watch.Watcher(target)
    watcher.arm()
    assert watcher.fd == -1 and not watcher.folder and watcher.retry_at > 0
    assert "max_user_watches" in _told(watcher, "", _key(target)).why
    monkeypatch.undo()
    watcher.retry_at = 1.0  # (the time to try again has come)
    told = _told(watcher, "", _key(target))
    assert told.point and watcher.fd >= 0


def _wait_for_point(fact_file: Path, env: dict[str, str], target: Path) -> None:
    """Queries until the watcher has started and the index records its point."""
    import sqlite3

    for _ in range(100):
        answer(fact_file, env, lambda base: None)
        conn = sqlite3.connect(target)
        recorded = conn.execute("SELECT value FROM meta WHERE key = 'watch'").fetchone()[0]
        conn.close()
        if recorded:
            return
        time.sleep(0.05)
    raise AssertionError("the watcher's point was never recorded")


def test_queries_asking_the_watcher_never_answer_from_a_stale_index(built: tuple[Path, dict[str, str], Path],
                                                                    monkeypatch: pytest.MonkeyPatch,
                                                                    forks: list[int]) -> None:
    """A real watcher process: once the index records its point, a query checks no file (no checker forked) unless
    one changed, and a file edited just before a query is always seen by it."""
    fact_file, env, target = built
    monkeypatch.setattr(cache, "BESIDE_MIN", 1)  # this small archive is watched too
    monkeypatch.setattr(watch, "ANSWER_TIMEOUT", 10.0)  # (a loaded machine: no fall back to a checker by time)
    _wait_for_point(fact_file, env, target)
    forks.clear()
    first = next(iter(open_base(fact_file, {**env, "YB_WATCH": "0"}).store.facts()))
    assert answer(fact_file, env, lambda base: base.store.fact(first.id)) == first
    assert forks == []  # the watcher said nothing changed: no file stat-ed, no checker
    article = next(p for p in (fact_file.parent / "articles").rglob("*.toml")
                   if f'id = "{first.id}"' in p.read_text(encoding="utf-8"))
    text = article.read_text(encoding="utf-8")
    for round_ in range(5):  # edited, then asked at once: the event is read before the watcher answers
        new_id = f"{first.id}-r{round_}"
        article.write_text(text.replace(f'id = "{first.id}"', f'id = "{new_id}"', 1), encoding="utf-8")
        got = answer(fact_file, env, lambda base, new=new_id: (base.store.fact(first.id), base.store.fact(new)))
        assert got[0] is None and got[1] is not None and got[1].value == first.value
    forks.clear()
    assert answer(fact_file, env, lambda base: base.store.fact(f"{first.id}-r4")) is not None
    assert forks == []  # the update recorded the point it took before reading the files
    # touched, same content: hashed, found the same, the answer stands
    os.utime(article, (time.time() + 5, time.time() + 5))
    careful: list[object] = []
    monkeypatch.setattr(cache, "open_cached", lambda *a: careful.append(a))
    assert answer(fact_file, env, lambda base: base.store.fact(f"{first.id}-r4")) is not None
    assert not careful and forks == []


def test_index_clear_stops_the_watcher(built: tuple[Path, dict[str, str], Path],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    fact_file, env, target = built
    monkeypatch.setattr(cache, "BESIDE_MIN", 1)
    monkeypatch.setattr(watch, "ANSWER_TIMEOUT", 10.0)  # (a loaded machine)
    _wait_for_point(fact_file, env, target)
    name = watch.socket_path(target)
    assert name is not None and os.path.exists(name)
    assert cache.status(fact_file, env).watcher == "running"  # what `yb index` shows
    assert cache.status(fact_file, {**env, "YB_WATCH": "0"}).watcher.startswith("off")
    assert cache.clear(fact_file, env)
    for _ in range(100):
        if not os.path.exists(name):
            break
        time.sleep(0.02)
    assert not os.path.exists(name)


def test_the_watcher_holds_no_output_of_the_process_that_started_it(built: tuple[Path, dict[str, str], Path]) -> None:
    """A shell reading `yb`'s output through a pipe gets its end when `yb` exits, not when the watcher does: not
    through stdout, nor through another descriptor the shell passed on (`exec 3>&1`, a lock held on fd 9)."""
    _, env, target = built
    code = "import sys; from pathlib import Path; from yanbian_cli.store import watch; watch._start(Path(sys.argv[1]))"
    read_end, write_end = os.pipe()
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", code, str(target)], env=env, capture_output=True, timeout=30, check=True,
                   pass_fds=(write_end,))
    os.close(write_end)
    import select

    assert select.select([read_end], [], [], 10)[0] and os.read(read_end, 1) == b""  # no process holds its end
    os.close(read_end)
    assert time.monotonic() - started < 10
    name = watch.socket_path(target)
    assert name is not None
    for _ in range(200):
        if watch.point(target):
            break
        time.sleep(0.05)
    assert watch.point(target)  # it runs, and answers


def test_an_update_tells_the_watcher_the_stamps_it_wrote(built: tuple[Path, dict[str, str], Path],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """After an update the watcher is told the new stamps at once (`watch.follow`), once they are committed: the next
    query's question does not wait while it reads them (about 90 ms at a million facts)."""
    fact_file, env, target = built
    told: list[tuple[str, str, str]] = []
    monkeypatch.setattr(watch, "follow", lambda t, key: told.append((str(t), key, _key(t))))
    before = _key(target)
    article = _article(fact_file)
    article.write_text(article.read_text(encoding="utf-8").replace("综述", "综述(修订)", 1), encoding="utf-8")
    answer(fact_file, {**env, "YB_WATCH": "0"}, lambda base: None)
    assert len(told) == 1
    where, key, committed = told[0]
    assert where == str(target) and key == committed == _key(target) != before
