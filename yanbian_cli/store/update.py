"""Bringing a cached index up to date by the file: only the article files that changed are read again.

A schema-2 base grows by adding article files and changes by editing them. When the cache is stale only
because article files were edited, added or removed (the fact file itself unchanged), `update` reads
those files alone, checks them against the places and topics the index holds, and replaces their facts in
the index in one transaction: the other facts are not read again. The new facts' postings go to
`term_add`, which the reader merges with the full build's; an edited article keeps the order numbers of
its facts, so lists and ties keep their order.

Anything it cannot do exactly as a full build would (the fact file changed, a base searched whole, a
Korean-language or traditional article, characters the index has no reading for, an id another file
uses, a problem in a file) returns None, and the caller builds the whole index, which also reports
every problem. Differences from a full build that change no answer: postings of facts that no longer
exist (they bring no fact), and pinyin initials that list new phrases after the old ones.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

from yanbian_cli.model import FactBase, Stamp
from yanbian_cli.record import Record
from yanbian_cli.store import build
from yanbian_cli.store.build import Content, article_row, dumps, fact_row
from yanbian_cli.store.schema import dumps_paths
from yanbian_cli.store.stamps import load as load_stamps
from yanbian_cli.store.stamps import store as store_stamps

_KEYS = ("format", "version", "fact_file", "built_at", "checked_at", "docs", "readings", "t2s", "crossed",
         "publication", "article_files", "chars", "synonyms")


class Plan(Record):
    """What changed since the index was built, with the index open in a write transaction."""

    conn: sqlite3.Connection
    fact_file: Path
    files: list[Path]  # the article files to read again (changed or added)
    gone: set[str]  # the articles whose facts are replaced or removed
    stamps: list[Stamp]  # of the files that did not change
    article_files: dict[str, str]  # path -> article id, of the files that did not change
    context: FactBase  # the index's publication, places and topics (no articles, no facts)
    t2s: dict[str, str]  # the index's traditional-to-simplified table
    chars: set[str]  # the characters that table was made for
    point: str = ""  # the watcher's, taken before the files were read (store/watch.py)
    target: str = ""  # the cache file


def plan(target: Path, fact_file: Path, point: str = "") -> Plan | None:
    """What to read again to bring the cache at `target` up to date, or None when only a full build will do.
    A plan holds the cache in a write transaction (one updater at a time): `apply` or `abandon` it."""
    try:
        conn = sqlite3.connect(target, timeout=10, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        conn.execute("BEGIN IMMEDIATE")
        found = _plan(conn, fact_file)
        if found is not None:
            found = found._replace(point=point, target=str(target))
    except (sqlite3.Error, OSError, ValueError, KeyError, TypeError):
        found = None
    if found is None:
        _close(conn, commit=False)
    return found


def abandon(plan: Plan) -> None:
    _close(plan.conn, commit=False)


def _close(conn: sqlite3.Connection, commit: bool) -> None:
    try:
        conn.execute("COMMIT" if commit else "ROLLBACK")
    except sqlite3.Error:
        pass
    conn.close()


def _plan(conn: sqlite3.Connection, fact_file: Path) -> Plan | None:
    from yanbian_cli import __version__
    from yanbian_cli.model import (
        Publication,
        Synonyms,
        place_from_dict,
        topic_from_dict,
    )
    from yanbian_cli.store.cache import identity
    from yanbian_cli.store.schema import INDEX_FORMAT

    marks = ",".join("?" * len(_KEYS))
    meta = dict(conn.execute(f"SELECT key, value FROM meta WHERE key IN ({marks})", _KEYS))
    if (meta.get("format") != str(INDEX_FORMAT) or meta.get("version") != __version__
            or meta.get("fact_file") != dumps_paths(identity(fact_file)) or meta.get("docs")
            or json.loads(meta.get("readings") or "{}")):
        return None  # another format or base; a base searched whole (a full build is quick); Korean readings
    stamps = load_stamps(conn)
    fact_path = os.path.abspath(fact_file)
    found = _changes(stamps, float(meta.get("checked_at") or meta["built_at"]), os.path.dirname(fact_path))
    if found is None:
        return None
    changed, removed, keep = found
    if fact_path in changed or fact_path in removed:
        return None
    files = dict(json.loads(meta.get("article_files") or "{}"))
    stamped = {s.path for s in stamps if not s.digest.startswith("dir:")}
    if any(p not in files for p in changed + removed if p in stamped):
        return None  # a file the index cannot tell the article of
    gone = {files.pop(p) for p in changed + removed if p in files}
    if gone & set(json.loads(meta.get("crossed") or "[]")):
        return None  # its facts are not all in its own file, or its file holds another's (FactBase.crossed)
    places = {p.name: p for p in (place_from_dict(json.loads(r[0])) for r in conn.execute("SELECT data FROM place"))}
    topics = {t.id: t for t in (topic_from_dict(json.loads(r[0])) for r in conn.execute("SELECT data FROM topic"))}
    synonyms = tuple(Synonyms(*map(tuple, group)) for group in json.loads(meta.get("synonyms") or "[]"))
    context = FactBase(fact_file, Publication(**json.loads(meta["publication"])), {}, topics, places, (),
                       synonyms=synonyms)
    return Plan(conn, fact_file, [Path(p) for p in changed], gone, keep, files, context,
                json.loads(meta.get("t2s") or "{}"), set(meta.get("chars") or ""))


def apply(plan: Plan, part: FactBase, content: Content) -> bool:
    """Replace the facts of the changed articles by `part` (checked) and `content` (its analysis, made
    with the plan's t2s); False, and nothing written, when an id of `part` belongs to another article."""
    conn = plan.conn
    try:
        if not _unique(conn, part, plan.gone) or part.crossed:  # (a fact of another article's file:
            # the full build records it, so that a change to that article reads this file too)
            _close(conn, commit=False)
            return False
        _write(conn, part, plan.gone, content)
        files = {**plan.article_files, **dict(part.article_files)}
        kept = {s.path for s in plan.stamps}
        store_stamps(conn, plan.stamps + [s for s in part.stamps if s.path not in kept], plan.point)
        facts = conn.execute("SELECT count(*) FROM fact").fetchone()[0]
        kind = conn.execute("SELECT value FROM meta WHERE key = 'postings'").fetchone()
        if facts >= build.ROARING_MIN and (kind is None or kind[0] != "roaring"):
            _close(conn, commit=False)  # grown past the size for roaring bitmaps: a full build writes them
            return False
        conn.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)", [
            ("checked_at", repr(time.time())),
            ("facts", str(facts)), ("article_files", dumps_paths(files)), ("t2s", dumps(plan.t2s)),
            ("chars", "".join(sorted(plan.chars)))])
        key = conn.execute("SELECT value FROM meta WHERE key = 'stamps'").fetchone()[0]
    except (sqlite3.Error, ValueError, KeyError, TypeError):
        _close(conn, commit=False)
        return False
    _close(conn, commit=True)
    if plan.target:
        from yanbian_cli.store import watch

        watch.follow(Path(plan.target), key)  # (after the commit: the watcher reads the stamps written)
    return True


def _changes(stamps: list[Stamp], checked_at: float,
             base_folder: str) -> tuple[list[str], list[str], list[Stamp]] | None:
    """(files changed or added, files removed, the stamps to keep) since the stamps were taken: as the
    freshness check of store/cache.py tells a change (a file touched too near the last check is hashed)."""
    from yanbian_cli.factbase.sources import folder_digest, stamp_folder
    from yanbian_cli.store.cache import RACY_SECONDS, _rehash

    racy_after = (checked_at - RACY_SECONDS) * 1e9
    known = {s.path for s in stamps}
    folders = {s.path for s in stamps if s.digest.startswith("dir:")}
    changed: list[str] = []
    removed: list[str] = []
    keep: list[Stamp] = []
    for stamp in stamps:
        try:
            st = os.stat(stamp.path)
        except OSError:
            if stamp.digest.startswith("dir:") and os.path.dirname(stamp.path) not in folders:
                return None  # the articles folder itself: a full build stamps what would tell its return
            removed.append(stamp.path)
            continue
        same = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) == (stamp.size, stamp.mtime_ns,
                                                                          stamp.ctime_ns, stamp.ino) \
            and st.st_mtime_ns < racy_after and st.st_ctime_ns < racy_after
        if stamp.digest.startswith("dir:"):
            if same or folder_digest(stamp.path) == stamp.digest:
                keep.append(stamp)
                continue
            if stamp.path == base_folder:  # (stamped while it had no articles/ folder): not walked for articles
                return None
            keep.append(stamp_folder(Path(stamp.path)))
            for root, dirs, files in os.walk(stamp.path):  # what the folder holds now that it did not
                dirs.sort()
                if root != stamp.path and root not in known:
                    keep.append(stamp_folder(Path(root)))
                for name in sorted(files):
                    path = os.path.join(root, name)
                    if name.endswith(".toml") and path not in known:
                        changed.append(path)
            continue
        if same:
            keep.append(stamp)
            continue
        hashed = _rehash(stamp.path)
        if hashed is None:
            return None
        if hashed[0] == stamp.digest:
            keep.append(stamp._replace(size=hashed[1].st_size, mtime_ns=hashed[1].st_mtime_ns,
                                       ctime_ns=hashed[1].st_ctime_ns, ino=hashed[1].st_ino))
        else:
            changed.append(stamp.path)
    return sorted(set(changed)), removed, [s for s in keep if not (s.path in changed and not os.path.isdir(s.path))]


def _unique(conn: sqlite3.Connection, part: FactBase, gone: set[str]) -> bool:
    """Whether the new articles' ids and facts' ids are used by no other article of the index."""
    for aid in part.articles:
        if aid not in gone and conn.execute("SELECT 1 FROM article WHERE id = ?", (aid,)).fetchone():
            return False
    for f in part.facts:
        row = conn.execute("SELECT article FROM fact WHERE id = ?", (f.id,)).fetchone()
        if row is not None and row[0] not in gone:
            return False
    return True


def _date(conn: sqlite3.Connection, part: FactBase, article_id: str) -> str:
    """The date of the issue of an article: read again with the facts, or else as indexed."""
    article = part.articles.get(article_id)
    if article is not None:
        return article.date
    row = conn.execute("SELECT data FROM article WHERE id = ?", (article_id,)).fetchone()
    return str(json.loads(row[0]).get("date", "")) if row else ""


def _write(conn: sqlite3.Connection, part: FactBase, gone: set[str], analysis: Content) -> None:
    old_ords: dict[str, list[int]] = {}
    article_ords: dict[str, int] = {}
    for aid in sorted(gone):
        old_ords[aid] = [r[0] for r in conn.execute("SELECT ord FROM fact WHERE article = ? ORDER BY ord", (aid,))]
        row = conn.execute("SELECT ord FROM article WHERE id = ?", (aid,)).fetchone()
        if row is not None:
            article_ords[aid] = row[0]
        conn.execute("DELETE FROM fact WHERE article = ?", (aid,))
        conn.execute("DELETE FROM article WHERE id = ?", (aid,))
    next_ord = (conn.execute("SELECT max(ord) FROM fact").fetchone()[0] or 0) + 1
    next_ord = max([next_ord, *(o + 1 for ords in old_ords.values() for o in ords)])
    next_article = max([(conn.execute("SELECT max(ord) FROM article").fetchone()[0] or 0) + 1,
                        *(o + 1 for o in article_ords.values())])
    reuse = {a: list(ords) for a, ords in old_ords.items()}
    rows, postings = [], []
    for f, (doc, terms) in zip(part.facts, analysis.facts):
        mine = reuse.get(f.source.article)
        if mine:
            ord_ = mine.pop(0)
        else:
            ord_, next_ord = next_ord, next_ord + 1
        doc = (doc[0], ord_, *doc[2:])  # (a doc row's second field is its order number: search.doc.Doc.row)
        rows.append(fact_row(ord_, f, doc, _date(conn, part, f.source.article)))
        postings += [(t, ord_) for t in terms or ()]
    conn.executemany("INSERT INTO fact VALUES (?,?,?,?,?,?,?,?,?)", rows)
    conn.executemany("INSERT INTO term_add VALUES (?,?)", postings)
    for a in part.articles.values():
        at = article_ords.get(a.id)
        if at is None:
            at, next_article = next_article, next_article + 1
        conn.execute("INSERT INTO article VALUES (?,?,?)", article_row(at, a))
    for form, surfaces in analysis.vocab.items():
        row = conn.execute("SELECT surfaces FROM vocab WHERE form = ?", (form,)).fetchone()
        merged = sorted(set(json.loads(row[0]) if row else []) | set(surfaces))
        conn.execute("INSERT OR REPLACE INTO vocab VALUES (?,?)", (form, dumps(merged)))
        if row is None:
            forms = conn.execute("SELECT value FROM meta WHERE key = 'vocab_forms'").fetchone()[0]
            conn.execute("UPDATE meta SET value = ? WHERE key = 'vocab_forms'", (forms + "\n" + form if forms else form,))
    for form, surfaces in analysis.initials.items():
        row = conn.execute("SELECT surfaces FROM initials WHERE form = ?", (form,)).fetchone()
        old = json.loads(row[0]) if row else []
        conn.execute("INSERT OR REPLACE INTO initials VALUES (?,?)",
                     (form, dumps(old + [s for s in surfaces if s not in old])))
    conn.executemany("INSERT OR IGNORE INTO phrase VALUES (?)", [(p,) for p in analysis.phrases])
