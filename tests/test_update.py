"""The index updated by the file (store/update.py) answers as a full build of the same files does."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from benchmarks.synth import generate
from yanbian_cli.lookup import open_base
from yanbian_cli.search import search
from yanbian_cli.store.schema import load_doc

QUERIES = ["人参 面积", "延吉 空气优良天数", "renshen chanzhi", "ginseng area", "旅游收入", "新兴", "xinxing", "修訂",
           "xiuding"]


def _docs(base) -> dict[str, tuple]:
    """Each fact's doc row, without its order number (a fact updated by the file may be numbered anew)."""
    out = {}
    for fid, blob in base.store.conn.execute("SELECT id, doc FROM fact"):
        doc = load_doc(blob)
        out[fid] = (doc[0], *doc[2:])
    return out


def _answers(base, query: str) -> list[str]:
    return [m.id for m in search(base.corpus, query).answers[:10]]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(1500, tmp_path_factory.mktemp("archive") / "base")


def _built_copy(archive: Path, tmp_path: Path) -> tuple[Path, dict[str, str], str]:
    """A copy of the archive with its index built: (fact file, environment, when the index was built)."""
    shutil.copytree(archive.parent, tmp_path / "base")
    fact_file = tmp_path / "base" / "facts.toml"
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "YB_WATCH": "0"}  # (the watcher: tests/test_watch.py)
    return fact_file, env, open_base(fact_file, env).store.meta("built_at")


def test_edited_added_and_removed_files_are_indexed_by_the_file(archive: Path, tmp_path: Path) -> None:
    fact_file, env, built_at = _built_copy(archive, tmp_path)
    base_dir = fact_file.parent
    articles = sorted((base_dir / "articles").rglob("*.toml"))
    # edit one article (its title and a fact's label), remove another, add a new day's page
    edited = articles[0]
    text = edited.read_text(encoding="utf-8").replace("综述", "综述(修订)", 1)  # characters the base lacks
    edited.write_text(text.replace('label = "', 'label = "新兴修订', 1), encoding="utf-8")
    articles[1].unlink()
    new_day = base_dir / "articles" / "2031-01-01"
    new_day.mkdir()
    source = articles[2].read_text(encoding="utf-8")
    aid = articles[2].stem
    (new_day / "new.toml").write_text(source.replace(f'"{aid}"', '"new-page"')
                                      .replace('[[fact]]\nid = "', '[[fact]]\nid = "n-'), encoding="utf-8")
    updated = open_base(fact_file, env)
    assert updated.store.meta("built_at") == built_at  # no full build: updated by the file
    full = open_base(fact_file, {"XDG_CACHE_HOME": str(tmp_path / "other-cache")})
    assert full.store.meta("built_at") != built_at
    assert [f.id for f in updated.store.facts()] == [f.id for f in full.store.facts()]
    assert updated.store.facts() == full.store.facts()
    assert [a.id for a in updated.store.articles()] == [a.id for a in full.store.articles()]
    assert _docs(updated) == _docs(full)
    assert json.loads(updated.store.meta("t2s")) == json.loads(full.store.meta("t2s"))
    assert updated.store.meta("chars") == full.store.meta("chars")
    for query in QUERIES:
        assert _answers(updated, query) == _answers(full, query), query
    ids = {a.id for a in updated.store.articles()}
    assert "new-page" in ids and articles[1].stem not in ids and aid in ids


def test_a_change_it_cannot_make_exactly_falls_back_to_a_full_build(archive: Path, tmp_path: Path) -> None:
    fact_file, env, built_at = _built_copy(archive, tmp_path)
    base_dir = fact_file.parent
    fact_file.write_text(fact_file.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert open_base(fact_file, env).store.meta("built_at") != built_at  # the fact file changed: a full build
    # a new character that the index reads as another would be read otherwise by a full build: a full build
    built_at = open_base(fact_file, env).store.meta("built_at")
    form = next(iter(json.loads(open_base(fact_file, env).store.meta("t2s"))))
    page = sorted((base_dir / "articles").rglob("*.toml"))[-1]
    page.write_text(page.read_text(encoding="utf-8").replace("综述", "综述" + form, 1), encoding="utf-8")
    assert open_base(fact_file, env).store.meta("built_at") != built_at
    # a fact id another article uses: not indexed by the file (the full build reports it)
    built_at = open_base(fact_file, env).store.meta("built_at")
    first, second = sorted((base_dir / "articles").rglob("*.toml"))[:2]
    other_id = second.read_text(encoding="utf-8").split('[[fact]]\nid = "')[1].split('"')[0]
    text = first.read_text(encoding="utf-8")
    own_id = text.split('[[fact]]\nid = "')[1].split('"')[0]
    first.write_text(text.replace(f'id = "{own_id}"', f'id = "{other_id}"', 1), encoding="utf-8")
    with pytest.raises(Exception, match="duplicate id"):
        open_base(fact_file, env)


def test_a_query_checked_beside_never_answers_from_a_stale_index(archive: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                  forks: list[int]) -> None:
    """A large base is asked while a forked process checks its sources (lookup.answer); a changed file
    makes it drop that answer, update the index and ask again."""
    from yanbian_cli.lookup import answer
    from yanbian_cli.store import cache

    fact_file, env, _ = _built_copy(archive, tmp_path)
    monkeypatch.setattr(cache, "BESIDE_MIN", 1)  # this small archive is checked beside the query too
    first = next(iter(open_base(fact_file, env).store.facts()))
    assert answer(fact_file, env, lambda base: base.store.fact(first.id)) == first
    assert len(forks) == 1  # checked beside, and found current
    article = next(p for p in (fact_file.parent / "articles").rglob("*.toml")
                   if f'id = "{first.id}"' in p.read_text(encoding="utf-8"))
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace(f'id = "{first.id}"', f'id = "{first.id}-renamed"', 1), encoding="utf-8")
    # the index still holds the old id: asked beside the check, it would answer; the check says stale
    got = answer(fact_file, env, lambda base: (base.store.fact(first.id), base.store.fact(first.id + "-renamed")))
    assert got[0] is None and got[1] is not None and got[1].value == first.value
    assert len(forks) == 2
    # "the page doesn't say" is not trusted from a stale index either
    article.write_text(text, encoding="utf-8")

    def must_find(base):
        if base.store.fact(first.id) is None:
            from yanbian_cli.errors import NotFoundError

            raise NotFoundError("gone")
        return True

    assert answer(fact_file, env, must_find) is True


def test_a_file_touched_but_unchanged_is_hashed_by_the_checker_beside(archive: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A file whose times moved (or changed too recently to trust) is hashed by the forked checker itself: the
    answer stands, and the renewed stamps are recorded, so the next call finds nothing to hash."""
    import os
    import sqlite3
    import time

    from yanbian_cli.lookup import answer
    from yanbian_cli.store import cache

    fact_file, env, _ = _built_copy(archive, tmp_path)
    monkeypatch.setattr(cache, "BESIDE_MIN", 1)
    first = next(iter(open_base(fact_file, env).store.facts()))
    target = cache.cache_file(fact_file, env)
    assert target is not None

    def checked_at() -> float:
        conn = sqlite3.connect(target)
        meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('checked_at', 'built_at')"))
        conn.close()
        return float(meta.get("checked_at") or meta["built_at"])

    before = checked_at()
    article = next((fact_file.parent / "articles").rglob("*.toml"))
    later = time.time() + 5
    os.utime(article, (later, later))  # touched: its mtime moves, its content does not
    careful: list[object] = []
    monkeypatch.setattr(cache, "open_cached", lambda *a: careful.append(a))  # the careful way, if it were taken
    assert answer(fact_file, env, lambda base: base.store.fact(first.id)) == first
    assert not careful  # the answer given beside the check stood
    assert checked_at() > before  # the checker recorded the file's new stamp


def test_an_articles_folder_put_back_is_seen(archive: Path, tmp_path: Path) -> None:
    """The articles/ folder removed is no update by the file (the index said 'current' with no facts, and never
    saw the folder come back): a full build says the base has no facts, and the folder put back is read."""
    from yanbian_cli.errors import DataError

    fact_file, env, _ = _built_copy(archive, tmp_path)
    facts = open_base(fact_file, env).store.fact_count()
    away = tmp_path / "articles-away"
    (fact_file.parent / "articles").rename(away)
    with pytest.raises(DataError, match="no \\[\\[fact\\]\\]"):
        open_base(fact_file, env)
    away.rename(fact_file.parent / "articles")
    assert open_base(fact_file, env).store.fact_count() == facts


def test_an_index_stamped_through_a_link_is_not_trusted_once_the_link_leads_elsewhere(archive: Path,
                                                                                      tmp_path: Path) -> None:
    """Built through a link to the base, the stamps are the link's paths; re-pointed, they would stat another
    copy while the base itself is edited."""
    fact_file, env, _ = _built_copy(archive, tmp_path)
    link = tmp_path / "link"
    link.symlink_to(fact_file.parent)
    first = next(iter(open_base(link / "facts.toml", env).store.facts()))  # built through the link
    shutil.copytree(fact_file.parent, tmp_path / "copy")
    link.unlink()
    link.symlink_to(tmp_path / "copy")
    article = next(p for p in (fact_file.parent / "articles").rglob("*.toml")
                   if f'id = "{first.id}"' in p.read_text(encoding="utf-8"))
    article.write_text(article.read_text(encoding="utf-8").replace(f'id = "{first.id}"', f'id = "{first.id}-x"', 1),
                       encoding="utf-8")
    assert open_base(fact_file, env).store.fact(first.id + "-x") is not None


def test_a_base_stamped_by_its_own_folder_is_rebuilt_not_walked(tmp_path: Path) -> None:
    """A schema-2 base without an articles/ folder stamps its own folder; when that changes, the update by the
    file leaves it to a full build rather than walk the whole folder (a .git or a venv beside the fact file)
    for article files and stamp every folder it holds."""
    from conftest import ROOT

    from yanbian_cli.store import cache, stamps

    base = tmp_path / "base"
    shutil.copytree(ROOT / "tests" / "fixtures" / "traditional", base)
    (base / "articles").rename(base / "texts")
    fact_file = base / "facts.toml"
    text = fact_file.read_text(encoding="utf-8").replace("schema = 1", "schema = 2")
    fact_file.write_text(text.replace('= "articles/', '= "texts/'), encoding="utf-8")
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "YB_WATCH": "0"}
    facts = open_base(fact_file, env).store.fact_count()
    (base / ".git" / "objects" / "ab").mkdir(parents=True)  # what `git init` and a commit make beside it
    store = open_base(fact_file, env).store
    assert store.fact_count() == facts
    target = cache.cache_file(fact_file, env)
    assert target is not None
    import sqlite3

    conn = sqlite3.connect(target)
    stamped = stamps.paths(conn)
    conn.close()
    assert str(base) in stamped and not any(".git" in p for p in stamped)


@pytest.mark.parametrize("seed_max", [None, 40])
def test_postings_as_roaring_bitmaps_answer_as_sets_do(archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       seed_max: int | None) -> None:
    """A large base's postings are roaring bitmaps, a small one's arrays read as sets (build.ROARING_MIN): the
    same archive built both ways answers alike, full lists with their scores, a query with a slip, a rounded
    figure and a filter included; also once an edited article was indexed by the file (store/update.py). With
    `seed_max`, the candidate policy stops seeding after that many facts, as it does after 20,000 in a large
    archive (so the first of a posting is taken both ways)."""
    from yanbian_cli.lookup import find
    from yanbian_cli.search import candidates
    from yanbian_cli.store import build

    if seed_max is not None:
        monkeypatch.setattr(candidates, "SEED_MAX", seed_max)

    queries = [*QUERIES, "人参种殖面积", "延吉市新兴镇旅游收入", "98%", "2020年 粮食产量", "yanji air"]
    bases = {}
    for kind, least in (("roaring", 0), ("array", 10**9)):
        monkeypatch.setattr(build, "ROARING_MIN", least)
        folder = tmp_path / kind
        shutil.copytree(archive.parent, folder)
        env = {"XDG_CACHE_HOME": str(tmp_path / f"cache-{kind}"), "YB_WATCH": "0"}
        bases[kind] = (folder / "facts.toml", env)
        assert open_base(folder / "facts.toml", env).store.meta("postings") == kind

    def answers(kind: str) -> list[list[tuple[str, float]]]:
        base = open_base(*bases[kind])
        out = [[(m.id, m.score) for m in search(base.corpus, q).answers] for q in queries]
        out.append([(h.fact.id, 0.0) for h in find(base, "人参 面积", topic="ginseng", place="延吉市", limit=50).hits])
        return out

    before = answers("roaring")
    assert before == answers("array") and sum(map(len, before)) > 100
    for kind in bases:
        edited = min((bases[kind][0].parent / "articles").rglob("*.toml"))
        edited.write_text(edited.read_text(encoding="utf-8").replace('label = "', 'label = "新兴修订', 1),
                          encoding="utf-8")
    after = answers("roaring")
    assert after == answers("array") and after != before
    assert open_base(*bases["roaring"]).store.conn.execute("SELECT count(*) FROM term_add").fetchone()[0] > 0


def test_a_base_grown_by_the_file_past_the_size_for_roaring_bitmaps_is_built_again(
        archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The kind of postings is chosen by a full build (build.ROARING_MIN); an archive that grows a page at a time
    past that size gets one full build, then roaring bitmaps (an update by the file would keep it on sets)."""
    from yanbian_cli.store import build

    facts = open_base(archive, {"XDG_CACHE_HOME": str(tmp_path / "probe"), "YB_WATCH": "0"}).store.fact_count()
    monkeypatch.setattr(build, "ROARING_MIN", facts + 1)
    fact_file, env, built_at = _built_copy(archive, tmp_path)
    assert open_base(fact_file, env).store.meta("postings") == "array"
    source = min((fact_file.parent / "articles").rglob("*.toml"))
    new_day = fact_file.parent / "articles" / "2031-01-01"
    new_day.mkdir()
    (new_day / "new.toml").write_text(source.read_text(encoding="utf-8").replace(f'"{source.stem}"', '"new-page"')
                                      .replace('[[fact]]\nid = "', '[[fact]]\nid = "n-'), encoding="utf-8")
    grown = open_base(fact_file, env)
    assert grown.store.fact_count() > facts
    assert grown.store.meta("built_at") != built_at and grown.store.meta("postings") == "roaring"
    monkeypatch.setattr(build, "ROARING_MIN", 10**9)  # (below the size: the next page is indexed by the file)
    (new_day / "new2.toml").write_text(source.read_text(encoding="utf-8").replace(f'"{source.stem}"', '"new-2"')
                                       .replace('[[fact]]\nid = "', '[[fact]]\nid = "m-'), encoding="utf-8")
    again = open_base(fact_file, env)
    assert again.store.meta("built_at") == grown.store.meta("built_at") and again.store.meta("postings") == "roaring"


def _fact_block(text: str) -> tuple[str, str]:
    """The first [[fact]] table of an article file, and its id."""
    start = text.index("[[fact]]")
    end = text.find("[[fact]]", start + 1)
    block = text[start:end if end > 0 else len(text)]
    return block, block.split('id = "')[1].split('"')[0]


@pytest.mark.parametrize("held_in", ["fact file", "another article's file"])
def test_a_fact_held_outside_its_articles_file_survives_an_edit_of_that_article(
        data_copy: Path, tmp_path: Path, held_in: str) -> None:
    """A fact may sit in the fact file, or in another article's file, and cite an article: an update by the
    file replaces a changed article's facts by those its own file holds, so it would drop that fact (found by a
    reviewing helper). Such articles are recorded at the full build (FactBase.crossed), and a change to them,
    or to the file that holds the fact, is a full build."""
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "YB_WATCH": "0"}
    articles = data_copy.parent / "articles"
    cited = articles / "blueberry.toml"
    block, fid = _fact_block(cited.read_text(encoding="utf-8"))
    copy = block.replace(f'id = "{fid}"', f'id = "{fid}-copy"', 1)
    holder = data_copy if held_in == "fact file" else articles / "dunhua.toml"
    holder.write_text(holder.read_text(encoding="utf-8") + "\n" + copy, encoding="utf-8")

    def ids() -> set[str]:
        return {f.id for f in open_base(data_copy, env).store.facts()}

    assert f"{fid}-copy" in ids()
    cited.write_text(cited.read_text(encoding="utf-8").replace('title = "', 'title = "(修订)', 1), encoding="utf-8")
    assert f"{fid}-copy" in ids() and fid in ids()  # the cited article edited: the fact kept
    if held_in != "fact file":  # the fact taken out of the file that held it: gone from the index too
        holder.write_text(holder.read_text(encoding="utf-8").replace("\n" + copy, ""), encoding="utf-8")
        assert f"{fid}-copy" not in ids() and fid in ids()
