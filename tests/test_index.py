"""The compiled index: cached, never stale, and never needed for a right answer."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import yb_command

from benchmarks.synth import generate
from yanbian_cli.lookup import open_base as open_index
from yanbian_cli.search import parse_query, rank, search
from yanbian_cli.store.cache import cache_file, status


def env_with_cache(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}


def test_first_use_builds_and_caches_later_uses_read_the_cache(data_copy: Path, tmp_path: Path) -> None:
    env = env_with_cache(tmp_path)
    first = open_index(data_copy, env)
    assert first.store.location == str(cache_file(data_copy, env)) and Path(first.store.location).is_file()
    st = status(data_copy, env)
    assert st.fresh and st.facts == len(first.store.facts()) and st.size > 0
    again = open_index(data_copy, env)
    assert again.store.location == first.store.location and again.store.meta("built_at") == first.store.meta("built_at")


@pytest.mark.parametrize("which", ["facts", "article"])
def test_a_changed_source_file_is_seen_at_once(data_copy: Path, tmp_path: Path, which: str) -> None:
    """Same size, same second: the content hash still notices (no stale answer)."""
    env = env_with_cache(tmp_path)
    open_index(data_copy, env)
    if which == "facts":
        path, old, new = data_copy, 'label = "人参产业"', 'label = "人參产业"'
    else:
        path, old, new = data_copy.parent / "articles" / "ginseng.toml", "占全省资源面积的70%", "占全省资源面積的70%"
    text = path.read_text(encoding="utf-8")
    assert len(old.encode()) == len(new.encode())
    stat = path.stat()
    path.write_text(text.replace(old, new, 1), encoding="utf-8")  # the paragraph, not the quote after it
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # even the mtime is unchanged
    if which == "facts":
        assert {t.id: t.label for t in open_index(data_copy, env).store.topics()}["ginseng"] == "人參产业"
    else:
        # the quote no longer matches its article: the changed article was read
        with pytest.raises(Exception, match="not found verbatim"):
            open_index(data_copy, env)


def test_a_corrupt_cache_is_rebuilt(data_copy: Path, tmp_path: Path) -> None:
    env = env_with_cache(tmp_path)
    target = cache_file(data_copy, env)
    target.parent.mkdir(parents=True)
    target.write_bytes(b"this is not an SQLite database" * 100)
    idx = open_index(data_copy, env)
    assert idx.store.fact("ginseng-suitable-area") is not None
    assert status(data_copy, env).fresh  # the corrupt file was replaced by a good one


def test_an_unwritable_cache_still_answers(data_copy: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go", encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(blocker)}
    idx = open_index(data_copy, env)
    assert idx.store.location == ":memory:"
    hits = search(idx.corpus, "蓝莓").answers
    assert hits


def test_unwritable_cache_through_the_command(yb_proc, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    r = yb_proc("stat", "ginseng-suitable-area", "--value", env={"XDG_CACHE_HOME": str(blocker), "HOME": str(blocker)})
    assert (r.returncode, r.stdout, r.stderr) == (0, "1500000\n", "")


def test_a_cache_is_only_used_for_its_own_fact_file(data_copy: Path, tmp_path: Path) -> None:
    env = env_with_cache(tmp_path)
    open_index(data_copy, env)
    other = tmp_path / "other"
    other.mkdir()
    (other / "facts.toml").write_text(data_copy.read_text(encoding="utf-8").replace(
        '"articles/', f'"{data_copy.parent}/articles/').replace('glossary = "', f'glossary = "{data_copy.parent}/'),
        encoding="utf-8")
    # pretend the other file's cache is the first file's cache
    cache_file(data_copy, env).replace(cache_file(other / "facts.toml", env))
    idx = open_index(other / "facts.toml", env)
    assert idx.store.fact_file() == str((other / "facts.toml").resolve())


def test_processes_building_at_once_do_not_corrupt_the_cache(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    procs = [subprocess.Popen([*yb_command(), "search", "蓝莓", "--json"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=env, text=True, encoding="utf-8") for _ in range(4)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    assert len({out for out, _ in outputs}) == 1 and all(err == "" for _, err in outputs)
    folder = tmp_path / "cache" / "yb"
    assert [p.suffix for p in folder.iterdir()] == [".sqlite"]  # no temporary file left behind
    # the installed yb may read its own copy of the data: ask it, not this checkout
    info = json.loads(subprocess.run([*yb_command(), "index", "--json"], capture_output=True, text=True, env=env,
                                     check=True).stdout)
    assert info["fresh"] and info["facts"] >= 80 and Path(info["cache_file"]).parent == folder


def test_index_command(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # a cache of its own: it clears it
    r = run("index", "--clear")
    assert r.code == 0 and "not built" in r.out
    r = run("index", "--rebuild")
    assert r.code == 0 and "current" in r.out and "ago" in r.out
    info = json.loads(run("index", "--json").out)
    assert info["fresh"] and info["facts"] >= 80 and info["size"] > 0 and info["cache_file"].endswith(".sqlite")


def test_large_base_prefilter_finds_what_scoring_everything_finds(tmp_path: Path) -> None:
    """The postings of a large base give the same best answers as scoring every fact.

    1,200 facts, of which the prefilter passes 250 to the scorer: figures typed exactly
    or rounded, labels, English labels and the usual queries must come out the same.
    """
    import random

    facts_file = generate(1200, tmp_path / "archive")
    brute = open_index(facts_file, {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "a")})
    assert brute.store.meta("docs") == ""  # 1,200 facts: already the postings; score everything by hand below
    facts = brute.store.facts()
    pick = random.Random(3)
    queries = ["人参 面积", "延吉 空气优良天数", "renshen chanzhi", "ginseng procesing", "图们 投入资金", "rice area",
               "网络零售额 2021", "珲春 旅游收入", "tourism revenue", "作品数量", "100亿元", "98.1%"]
    queries += [f.text for f in pick.sample(facts, 25)] + [f.label for f in pick.sample(facts, 15)]
    queries += [f.label_en for f in pick.sample(facts, 10)]
    index = brute.corpus
    all_docs = index.docs(range(len(facts)))
    same_top5 = 0
    for q in queries:
        query = parse_query(q, index)
        everything = rank(query, index, all_docs)
        got = search(index, q).answers
        expected = [m for m in everything if m.answers]
        assert [m.score for m in got[:1]] == [m.score for m in expected[:1]], q
        same_top5 += [(m.id, m.score) for m in got[:5]] == [(m.id, m.score) for m in expected[:5]]
    assert same_top5 >= 0.95 * len(queries)


def test_stamps_are_stored_compactly_and_read_back_exactly(tmp_path: Path) -> None:
    """Paths that are not UTF-8, inodes above 2**63 and negative times survive the packed form; the quick
    check names exactly the files whose stat differs, and says "changed" for a file gone."""
    import sqlite3

    from yanbian_cli.model import Stamp
    from yanbian_cli.store import stamps
    from yanbian_cli.store.schema import SCHEMA

    kept = tmp_path / "kept.toml"
    touched = tmp_path / os.fsdecode(b"odd-\xff.toml")
    for p in (kept, touched):
        p.write_text("x", encoding="utf-8")
    now = [os.stat(p) for p in (kept, touched)]
    given = [Stamp(str(p), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, "sha") for p, st in zip((kept, touched), now)]
    given.append(Stamp("/no/such/file", 0, -5, 7, (1 << 64) - 3, "dir:abc"))
    conn = sqlite3.connect(":memory:")
    conn.executescript(SCHEMA)
    stamps.store(conn, given)
    assert stamps.load(conn) == given
    assert stamps.paths(conn) == [s.path for s in given]
    stamps.store(conn, given[:2])
    assert stamps.suspects(stamps.read(conn), racy_after_ns=float("inf")) == []
    assert stamps.suspects(stamps.read(conn), racy_after_ns=0.0) == [0, 1]  # both changed too recently to trust their times
    os.utime(touched, ns=(now[1].st_atime_ns, now[1].st_mtime_ns + 10**9))
    assert stamps.suspects(stamps.read(conn), racy_after_ns=float("inf")) == [1]
    stamps.store(conn, given)
    assert stamps.suspects(stamps.read(conn), racy_after_ns=float("inf")) is None  # a file gone


def test_a_row_of_stamps_renewed_changes_only_the_numbers_of_the_files_checked(tmp_path: Path) -> None:
    """Recording a check rewrites the stamps' numbers from new stats; paths and hashes stay as stored."""
    import sqlite3

    from yanbian_cli.model import Stamp
    from yanbian_cli.store import stamps
    from yanbian_cli.store.schema import SCHEMA

    files = [tmp_path / f"f{i}.toml" for i in range(3)]
    for f in files:
        f.write_text("x = 1\n", encoding="utf-8")
    given = [Stamp(str(f), 6, 1, 2, 3, f"digest{i}") for i, f in enumerate(files)]
    row = stamps.pack(given)
    st = os.stat(files[1])
    conn = sqlite3.connect(":memory:")
    conn.executescript(SCHEMA)
    stamps.store_row(conn, stamps.renewed(row, {1: st}))
    got = stamps.load(conn)
    assert got[0] == given[0] and got[2] == given[2]
    assert got[1] == Stamp(str(files[1]), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, "digest1")
    assert stamps.files(row) == ([str(f) for f in files], ["digest0", "digest1", "digest2"])
    # recorded in place: only where the index still holds the row that was read
    stamps.store_row(conn, row)
    assert stamps.store_numbers(conn, stamps.renewed(row, {1: st})) and stamps.load(conn)[1] == got[1]
    stamps.store(conn, given[:2])  # another process updated the index meanwhile
    assert not stamps.store_numbers(conn, stamps.renewed(row, {1: st})) and stamps.load(conn) == given[:2]
