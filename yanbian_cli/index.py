"""The compiled index: a fact file made ready to query, cached in SQLite.

`open_index(path)` returns an `Index` for a fact file. The first use validates
the file, computes everything search needs (normalised fields, pinyin,
traditional-character table) and stores it in
`$XDG_CACHE_HOME/yb/<hash of the fact file's path>.sqlite`; later uses open
that file read-only after a cheap freshness check (size and mtime of every
source file, then a content hash when those are not conclusive).

The cache is an optimisation only: when it is missing, stale, corrupt or
cannot be written, yb builds the index in memory and answers all the same.
A new cache is written to a temporary file and renamed into place, so two
processes building at once never leave a half-written file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from yanbian_cli import __version__
from yanbian_cli.model import (
    Article,
    Fact,
    FactBase,
    Place,
    Publication,
    Topic,
    article_from_dict,
    fact_from_dict,
    place_from_dict,
    topic_from_dict,
)
from yanbian_cli.search import UNIT_WORDS, Doc, SearchIndex, decimal_text, is_cjk, normalize, tokens

INDEX_FORMAT = 4
# A source file changed less than this long before the index was built may have
# changed again within the same mtime tick: its content hash decides.
RACY_SECONDS = 2.0
MAX_WINDOW = 4  # longest run of syllables indexed as one pinyin word
MAX_INITIALS = 6  # longest run of syllables indexed by its initials (rsjgqy: 人参加工企业)

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE fact(ord INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, article TEXT NOT NULL, place TEXT NOT NULL,
                  topic TEXT NOT NULL, data TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX fact_article ON fact(article);
CREATE TABLE article(ord INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, data TEXT NOT NULL);
CREATE TABLE place(ord INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, data TEXT NOT NULL, doc TEXT NOT NULL,
                   chain TEXT NOT NULL);
CREATE TABLE topic(ord INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, data TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE vocab(form TEXT PRIMARY KEY, surfaces TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE initials(form TEXT PRIMARY KEY, surfaces TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE phrase(text TEXT PRIMARY KEY) WITHOUT ROWID;
"""


# -- where the cache lives -----------------------------------------------------------------


def cache_dir(environ: Mapping[str, str]) -> Path:
    """`$XDG_CACHE_HOME/yb`, else `~/.cache/yb`."""
    base = environ.get("XDG_CACHE_HOME") or ""
    root = Path(base) if base and Path(base).is_absolute() else Path(environ.get("HOME") or Path.home()) / ".cache"
    return root / "yb"


def cache_file(fact_file: Path, environ: Mapping[str, str]) -> Path:
    key = hashlib.sha256(str(fact_file.resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:20]
    return cache_dir(environ) / f"index-{key}.sqlite"


# -- freshness -----------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _stamp(path: Path) -> list:
    st = path.stat()
    return [str(path.resolve()), st.st_size, st.st_mtime_ns, _sha256(path)]


def _fresh(stamps: list, built_at: float) -> bool:
    """Whether every source file is as it was when the index was built."""
    for name, size, mtime_ns, digest in stamps:
        path = Path(name)
        try:
            st = path.stat()
        except OSError:
            return False
        racy = st.st_mtime_ns / 1e9 >= built_at - RACY_SECONDS
        if st.st_size != size:
            return False
        if st.st_mtime_ns != mtime_ns or racy:
            try:
                if _sha256(path) != digest:
                    return False
            except OSError:
                return False
    return True


# -- building --------------------------------------------------------------------------


def _windows(syllables: list[str], chars: str) -> Iterator[tuple[str, str, str]]:
    """(pinyin or "", initials, Chinese) for every run of 1..MAX_INITIALS characters."""
    for i in range(len(chars)):
        for j in range(i + 1, min(len(chars), i + MAX_INITIALS) + 1):
            py = "".join(syllables[i:j]) if j - i <= MAX_WINDOW else ""
            yield py, "".join(s[0] for s in syllables[i:j]), chars[i:j]


class _Builder:
    """Computes the search fields of a fact base (pinyin, vocabulary, t2s table)."""

    def __init__(self, base: FactBase) -> None:
        from yanbian_cli.hanzi import Pinyin, traditional_map  # costly; only when building

        texts: list[str] = [a.title for a in base.articles.values()]
        for f in base.facts:
            texts += [f.label, f.text, f.period, f.source.quote, *f.aliases]
        for p in base.places.values():
            texts += [p.name, *p.aliases]
        for t in base.topics.values():
            texts += [t.label, *t.aliases]
        self.t2s_map = traditional_map(texts)
        self.t2s = str.maketrans(self.t2s_map)
        self.pinyin = Pinyin()
        self.vocab: dict[str, set[str]] = {}
        self.initials: dict[str, Counter[str]] = {}
        self.phrases: set[str] = set()
        self._seen: set[str] = set()

    def norm(self, text: str) -> str:
        return normalize(text, self.t2s)

    def learn(self, text: str) -> None:
        """Add a label's or alias's words, pinyin and phrases to the vocabularies."""
        normalized = self.norm(text)
        if normalized in self._seen:
            return
        self._seen.add(normalized)
        for kind, tok in tokens(normalized):
            if kind == "latin":
                self.vocab.setdefault(tok, set()).add(tok)
            elif kind == "cjk":
                if len(tok) <= 8:
                    self.phrases.add(tok)
                syllables = self.pinyin.syllables(tok)
                if len(syllables) != len(tok):
                    continue
                for py, initials, chars in _windows(syllables, tok):
                    if py:
                        self.vocab.setdefault(py, set()).add(chars)
                        if len(chars) >= 2:
                            self.phrases.add(chars)
                    if len(chars) >= 2:
                        self.initials.setdefault(initials, Counter())[chars] += 1

    def words(self, pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
        """latin word -> the highest-weighted field it occurs in."""
        from yanbian_cli.search import WEIGHTS

        out: dict[str, str] = {}
        for field_name, text in pairs:
            for w in (t for k, t in tokens(self.norm(text)) if k == "latin"):
                if w not in out or WEIGHTS[field_name] > WEIGHTS[out[w]]:
                    out[w] = field_name
        return out

    def entity_doc(self, key: str, order: int, names: list[str], english: list[str]) -> Doc:
        for n in names + english:
            self.learn(n)
        texts = tuple(("alias", self.norm(n)) for n in names if any(k != "latin" for k, _ in tokens(self.norm(n))))
        words = self.words([("alias", e) for e in english + names])
        return Doc(key, order, frozenset(self.norm(x) for x in names + english), texts, words)

    def fact_doc(self, fact: Fact, order: int, article: Article) -> Doc:
        for text in (fact.label, fact.label_en, fact.label_ko, *fact.aliases):
            self.learn(text)
        unit_words = UNIT_WORDS.get(fact.unit, "")
        texts = [("label", self.norm(fact.label)), ("label", self.norm(fact.label_ko)), ("text", self.norm(fact.text))]
        texts += [("alias", self.norm(a)) for a in fact.aliases if any(k != "latin" for k, _ in tokens(self.norm(a)))]
        texts += [("period", self.norm(fact.period)), ("quote", self.norm(fact.source.quote)),
                  ("title", self.norm(article.title)), ("unit", self.norm(unit_words))]
        words = self.words([("id", fact.id.replace("-", " ")), ("label_en", fact.label_en),
                            *(("alias", a) for a in fact.aliases), ("unit", unit_words)])
        if isinstance(fact.value, str):
            values: tuple[str, ...] = (fact.value,)  # a date
        else:
            values = (decimal_text(fact.value) + ("%" if fact.unit == "percent" else ""),)
        digits = {m for t in (fact.text, fact.label, fact.period, *fact.aliases)
                  for m in re.findall(r"\d+(?:\.\d+)?", self.norm(t))}
        exact = frozenset(self.norm(x) for x in (fact.id, fact.label, fact.label_en, fact.label_ko, *fact.aliases) if x)
        return Doc(fact.id, order, exact, tuple((f, t) for f, t in texts if t), words, values,
                   tuple(sorted(digits)), fact.place, fact.topic)


def _dumps(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def build(base: FactBase, conn: sqlite3.Connection, stamps: list) -> None:
    """Write the whole index of `base` into an empty database."""
    b = _Builder(base)
    conn.executescript(_SCHEMA)
    place_rows = []
    for i, p in enumerate(base.places.values()):
        doc = b.entity_doc(p.name, i, [p.name, *p.aliases], [p.label_en])
        place_rows.append((i, p.name, _dumps(asdict(p)), _dumps(doc.to_json()),
                           _dumps(base.place_chain(p.name))))
    conn.executemany("INSERT INTO place VALUES (?,?,?,?,?)", place_rows)
    topic_rows = []
    for i, t in enumerate(base.topics.values()):
        doc = b.entity_doc(t.id, i, [t.label, *t.aliases], [t.id.replace("-", " "), t.label_en])
        topic_rows.append((i, t.id, _dumps(asdict(t)), _dumps(doc.to_json())))
    conn.executemany("INSERT INTO topic VALUES (?,?,?,?)", topic_rows)
    conn.executemany("INSERT INTO article VALUES (?,?,?)",
                     [(i, a.id, _dumps(asdict(a)))
                      for i, a in enumerate(base.articles.values())])
    rows = []
    for i, f in enumerate(base.facts):
        doc = b.fact_doc(f, i, base.articles[f.source.article])
        rows.append((i, f.id, f.source.article, f.place, f.topic, _dumps(asdict(f)), _dumps(doc.to_json())))
    conn.executemany("INSERT INTO fact VALUES (?,?,?,?,?,?,?)", rows)
    conn.executemany("INSERT INTO vocab VALUES (?,?)", [(k, _dumps(sorted(v))) for k, v in b.vocab.items()])
    conn.executemany("INSERT INTO initials VALUES (?,?)",
                     [(k, _dumps([s for s, _ in sorted(v.items(), key=lambda p: (-p[1], p[0]))]))
                      for k, v in b.initials.items()])
    conn.executemany("INSERT INTO phrase VALUES (?)", [(p,) for p in b.phrases])
    meta = {
        "format": str(INDEX_FORMAT),
        "version": __version__,
        "built_at": repr(time.time()),
        "sources": _dumps(stamps),
        "fact_file": str(base.path.resolve()),
        "publication": _dumps(asdict(base.publication)),
        "t2s": _dumps(b.t2s_map),
        "facts": str(len(base.facts)),
    }
    conn.executemany("INSERT INTO meta VALUES (?,?)", meta.items())
    conn.commit()


# -- opening -------------------------------------------------------------------------------


@dataclass
class IndexStatus:
    """What `yb index` reports."""

    fact_file: Path
    cache_file: Path
    exists: bool
    fresh: bool
    size: int = 0
    built_at: float | None = None
    facts: int = 0


class Index:
    """A queryable fact base, backed by an SQLite database (a cache file or in memory)."""

    def __init__(self, conn: sqlite3.Connection, location: str) -> None:
        self.conn = conn
        self.location = location
        self._search: SearchIndex | None = None

    def meta(self, key: str) -> str:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else ""

    @property
    def publication(self) -> Publication:
        return Publication(**json.loads(self.meta("publication")))

    def fact(self, fact_id: str) -> Fact | None:
        row = self.conn.execute("SELECT data FROM fact WHERE id = ?", (fact_id,)).fetchone()
        return fact_from_dict(json.loads(row[0])) if row else None

    def facts(self, ids: Iterable[str] | None = None) -> list[Fact]:
        if ids is None:
            rows = self.conn.execute("SELECT data FROM fact ORDER BY ord").fetchall()
            return [fact_from_dict(json.loads(r[0])) for r in rows]
        return [f for f in (self.fact(i) for i in ids) if f is not None]

    def fact_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM fact ORDER BY ord")]

    def article(self, article_id: str) -> Article | None:
        row = self.conn.execute("SELECT data FROM article WHERE id = ?", (article_id,)).fetchone()
        return article_from_dict(json.loads(row[0])) if row else None

    def articles(self) -> list[Article]:
        return [article_from_dict(json.loads(r[0])) for r in self.conn.execute("SELECT data FROM article ORDER BY ord")]

    def topics(self) -> list[Topic]:
        return [topic_from_dict(json.loads(r[0])) for r in self.conn.execute("SELECT data FROM topic ORDER BY ord")]

    def places(self) -> list[Place]:
        return [place_from_dict(json.loads(r[0])) for r in self.conn.execute("SELECT data FROM place ORDER BY ord")]

    def place_chain(self, name: str) -> list[str]:
        row = self.conn.execute("SELECT chain FROM place WHERE name = ?", (name,)).fetchone()
        return json.loads(row[0]) if row else [name]

    def counts(self, column: str) -> dict[str, int]:
        """How many facts per article, place or topic."""
        assert column in ("article", "place", "topic")
        return dict(self.conn.execute(f"SELECT {column}, COUNT(*) FROM fact GROUP BY {column}").fetchall())

    def search_index(self) -> SearchIndex:
        """The in-memory search structures (loaded once per process)."""
        if self._search is None:
            c = self.conn
            docs = [Doc.from_json(json.loads(r[0])) for r in c.execute("SELECT doc FROM fact ORDER BY ord")]
            places = {r[0]: Doc.from_json(json.loads(r[1])) for r in c.execute("SELECT name, doc FROM place")}
            chains = {r[0]: tuple(json.loads(r[1])) for r in c.execute("SELECT name, chain FROM place")}
            topics = {r[0]: Doc.from_json(json.loads(r[1])) for r in c.execute("SELECT id, doc FROM topic")}
            vocab = {r[0]: tuple(json.loads(r[1])) for r in c.execute("SELECT form, surfaces FROM vocab")}
            initials = {r[0]: tuple(json.loads(r[1])) for r in c.execute("SELECT form, surfaces FROM initials")}
            phrases = frozenset(r[0] for r in c.execute("SELECT text FROM phrase"))
            t2s = str.maketrans(json.loads(self.meta("t2s")))
            self._search = SearchIndex(docs, places, chains, topics, vocab, initials, phrases, t2s)
        return self._search

    def close(self) -> None:
        self.conn.close()


def _connect_readonly(path: Path) -> sqlite3.Connection:
    uri = "file:" + _uri_path(path) + "?mode=ro"
    return sqlite3.connect(uri, uri=True)


def _uri_path(path: Path) -> str:
    from urllib.parse import quote

    return quote(str(path.resolve()))


def _valid_cache(path: Path) -> sqlite3.Connection | None:
    """An open connection to a cache file that is current, else None."""
    try:
        conn = _connect_readonly(path)
    except sqlite3.Error:
        return None
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('format', 'version', 'sources', 'built_at')"))
        if meta.get("format") != str(INDEX_FORMAT) or meta.get("version") != __version__:
            raise sqlite3.DatabaseError("old format")
        if not _fresh(json.loads(meta["sources"]), float(meta["built_at"])):
            raise sqlite3.DatabaseError("stale")
        return conn
    except (sqlite3.Error, KeyError, ValueError, TypeError):
        conn.close()
        return None


def _write_cache(conn: sqlite3.Connection, target: Path) -> bool:
    """Copy an in-memory index to `target` atomically; False when it cannot be written."""
    tmp_name = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=target.stem + ".", suffix=".tmp", dir=target.parent)
        os.close(fd)
        out = sqlite3.connect(tmp_name)
        try:
            conn.backup(out)
        finally:
            out.close()
        os.replace(tmp_name, target)
        return True
    except (OSError, sqlite3.Error):
        if tmp_name:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
        return False


def open_index(fact_file: Path, environ: Mapping[str, str], *, rebuild: bool = False) -> Index:
    """The index of `fact_file`: from the cache when current, else built (and cached if possible).

    Raises DataError when the fact file is invalid.
    """
    target = cache_file(fact_file, environ)
    if not rebuild and target.is_file():
        conn = _valid_cache(target)
        if conn is not None:
            return Index(conn, str(target))
    from yanbian_cli.loader import load

    base = load(fact_file)
    stamps = [_stamp(p) for p in base.sources]
    conn = sqlite3.connect(":memory:")
    build(base, conn, stamps)
    written = _write_cache(conn, target)
    return Index(conn, str(target) if written else ":memory:")


def status(fact_file: Path, environ: Mapping[str, str]) -> IndexStatus:
    target = cache_file(fact_file, environ)
    st = IndexStatus(fact_file, target, target.is_file(), False)
    if st.exists:
        st.size = target.stat().st_size
        conn = _valid_cache(target)
        st.fresh = conn is not None
        if conn is not None:
            idx = Index(conn, str(target))
            st.built_at = float(idx.meta("built_at"))
            st.facts = int(idx.meta("facts"))
            conn.close()
    return st


def clear(fact_file: Path, environ: Mapping[str, str]) -> bool:
    """Remove the cache file of `fact_file`; True when there was one."""
    target = cache_file(fact_file, environ)
    try:
        target.unlink()
        return True
    except FileNotFoundError:
        return False
