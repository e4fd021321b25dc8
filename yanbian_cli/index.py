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

import json
import os
import re
import sqlite3
import time
import zlib
from array import array
from collections import Counter
import heapq
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import NamedTuple

from yanbian_cli import __version__
from yanbian_cli.locations import cache_file
from yanbian_cli.model import (
    Article,
    Fact,
    FactBase,
    Place,
    Publication,
    Topic,
    article_from_dict,
    fact_from_dict,
    fact_to_dict,
    place_from_dict,
    topic_from_dict,
)
from yanbian_cli.search import (
    UNIT_WORDS,
    WEIGHTS,
    Atom,
    Doc,
    Filter,
    Query,
    SearchIndex,
    decimal_text,
    normalize,
    own_match as _own_match,
    tokens,
)

INDEX_FORMAT = 9
# A source file changed less than this long before the index was built may have
# changed again within the same mtime tick: its content hash decides.
RACY_SECONDS = 2.0
MAX_WINDOW = 4  # longest run of syllables indexed as one pinyin word
BRUTE_FORCE_MAX = 500  # up to this many facts every query scores every fact
CANDIDATES = 250  # a larger base scores this many facts, those that hold most of the query
SEED_MAX = 20000  # a posting larger than this does not bring new candidates, it only ranks them
NEAR_WEIGHT = 0.85  # a near number counts for this much of an equal one
MAX_PREFILTER_ATOMS = 60  # readings of one slot looked up in the postings
MAX_INITIALS = 6  # longest run of syllables indexed by its initials (rsjgqy: 人参加工企业)

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE fact(ord INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, article TEXT NOT NULL, place TEXT NOT NULL,
                  topic TEXT NOT NULL, data TEXT NOT NULL, doc BLOB NOT NULL);
CREATE INDEX fact_article ON fact(article);
CREATE TABLE article(ord INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, data TEXT NOT NULL);
CREATE TABLE place(ord INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, data TEXT NOT NULL, doc TEXT NOT NULL,
                   chain TEXT NOT NULL);
CREATE TABLE topic(ord INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, data TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE vocab(form TEXT PRIMARY KEY, surfaces TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE initials(form TEXT PRIMARY KEY, surfaces TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE phrase(text TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE gram(gram TEXT PRIMARY KEY, ords BLOB NOT NULL) WITHOUT ROWID;
"""


# -- freshness -----------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    import hashlib  # not on the path of a query whose sources are unchanged

    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _stamp(path: Path, digest: str) -> list:
    """What identifies a source file's content: path, size, mtime, ctime, inode, and its hash."""
    st = path.stat()
    return [str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, digest]


def _fresh(stamps: list, checked_at: float) -> tuple[bool, list | None]:
    """(whether every source file is as it was when indexed, new stamps to record or None).

    Size, mtime, ctime and inode unchanged: the file is unchanged (a tool that
    restores an old mtime still moves the ctime). Otherwise, or when the file
    changed less than RACY_SECONDS before the last check (a change within the
    same clock tick would not show), the content hash decides; when it says
    "unchanged", the new stamps are returned so the next call need not hash again.
    """
    renewed: list = []
    rehashed = False
    racy_after = (checked_at - RACY_SECONDS) * 1e9
    for stamp in stamps:  # a year of the paper is ~3,000 files: os.stat on strings, no Path objects
        name, size, mtime_ns, ctime_ns, ino, digest = stamp
        try:
            st = os.stat(name)
            if st.st_size != size:
                return False, None
            racy = st.st_mtime_ns >= racy_after or st.st_ctime_ns >= racy_after
            if st.st_mtime_ns != mtime_ns or st.st_ctime_ns != ctime_ns or st.st_ino != ino or racy:
                if _sha256(Path(name)) != digest:
                    return False, None
                rehashed = True
                renewed.append(_stamp(Path(name), digest))
            else:
                renewed.append(stamp)
        except OSError:
            return False, None
    return True, (renewed if rehashed else None)


def _record_check(path: Path, stamps: list) -> None:
    """Remember that the sources were verified now (best effort: the cache may be read-only)."""
    try:
        conn = sqlite3.connect(path, timeout=0.2)
        with conn:
            conn.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)",
                             [("sources", _dumps(stamps)), ("checked_at", repr(time.time()))])
        conn.close()
    except sqlite3.Error:
        pass


# -- building --------------------------------------------------------------------------


def _windows(syllables: list[str], chars: str) -> Iterator[tuple[str, str, str]]:
    """(pinyin or "", initials, Chinese) for every run of 1..MAX_INITIALS characters."""
    for i in range(len(chars)):
        for j in range(i + 1, min(len(chars), i + MAX_INITIALS) + 1):
            py = "".join(syllables[i:j]) if j - i <= MAX_WINDOW else ""
            yield py, "".join(s[0] for s in syllables[i:j]), chars[i:j]


class _Builder:
    """Computes the search fields of a fact base (pinyin, vocabulary, t2s table).

    A year of the paper repeats the same labels, aliases and places thousands of
    times, so every step is memoised by the text it works on.
    """

    def __init__(self, base: FactBase) -> None:
        from yanbian_cli.hanzi import Pinyin, traditional_map  # costly; only when building

        names: set[str] = set()
        for f in base.facts:
            names.add(f.label)
            names.update(f.aliases)
        for p in base.places.values():
            names.add(p.name)
            names.update(p.aliases)
        for t in base.topics.values():
            names.add(t.label)
            names.update(t.aliases)
        texts = names | {a.title for a in base.articles.values()} | {f.source.quote for f in base.facts}
        self.t2s_map = traditional_map(texts, names)
        self.t2s = str.maketrans(self.t2s_map)
        self.pinyin = Pinyin()
        self.vocab: dict[str, set[str]] = {}
        self.initials: dict[str, Counter[str]] = {}
        self.phrases: set[str] = set()
        self._norm: dict[str, str] = {}
        self._tokens: dict[str, list[tuple[str, str]]] = {}
        self._learnt: set[str] = set()

    def norm(self, text: str) -> str:
        n = self._norm.get(text)
        if n is None:
            n = self._norm[text] = normalize(text, self.t2s)
        return n

    def tokens(self, text: str) -> list[tuple[str, str]]:
        """The tokens of a text (normalised first)."""
        t = self._tokens.get(text)
        if t is None:
            t = self._tokens[text] = tokens(self.norm(text))
        return t

    def learn(self, text: str) -> None:
        """Add a label's or alias's words, pinyin and phrases to the vocabularies."""
        for kind, tok in self.tokens(text):
            if tok in self._learnt:
                continue
            self._learnt.add(tok)
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
        out: dict[str, str] = {}
        for field_name, text in pairs:
            for kind, w in self.tokens(text):
                if kind == "latin" and (w not in out or WEIGHTS[field_name] > WEIGHTS[out[w]]):
                    out[w] = field_name
        return out

    def has_letters(self, text: str) -> bool:
        """Whether a text has Chinese, Korean or other non-latin words (it is matched as text)."""
        return any(k != "latin" for k, _ in self.tokens(text))

    def entity_doc(self, key: str, order: int, names: list[str], english: list[str]) -> Doc:
        for n in names + english:
            self.learn(n)
        texts = tuple(("alias", self.norm(n)) for n in names if self.has_letters(n))
        words = self.words([("alias", e) for e in english + names])
        return Doc(key, order, tuple(sorted({self.norm(x) for x in names + english})), texts, words)

    def fact_doc(self, fact: Fact, order: int, article: Article) -> Doc:
        for text in (fact.label, fact.label_en, fact.label_ko, *fact.aliases):
            self.learn(text)
        unit_words = UNIT_WORDS.get(fact.unit, "")
        texts = [("label", self.norm(fact.label)), ("label", self.norm(fact.label_ko)), ("text", self.norm(fact.text))]
        texts += [("alias", self.norm(a)) for a in fact.aliases if self.has_letters(a)]
        texts += [("period", self.norm(fact.period)), ("quote", self.norm(fact.source.quote)),
                  ("title", self.norm(article.title)), ("unit", self.norm(unit_words))]
        words = self.words([("id", fact.id.replace("-", " ")), ("label_en", fact.label_en),
                            *(("alias", a) for a in fact.aliases), ("unit", unit_words)])
        if isinstance(fact.value, str):
            values: tuple[str, ...] = (fact.value,)  # a date
        else:
            values = (decimal_text(fact.value) + ("%" if fact.unit == "percent" else ""),)
        digits = {tok.rstrip("%万亿") for t in (fact.text, fact.label, fact.period, *fact.aliases)
                  for kind, tok in self.tokens(t) if kind == "num"}
        exact = tuple(sorted({self.norm(x) for x in (fact.id, fact.label, fact.label_en, fact.label_ko, *fact.aliases)
                              if x}))
        return Doc(fact.id, order, exact, tuple((f, t) for f, t in texts if t), words, values,
                   tuple(sorted(digits)), fact.place, fact.topic)


def _text_grams(text: str, unigrams: bool) -> set[str]:
    """Character bigrams (and, if asked, single characters) of the Chinese and Korean in a text."""
    out: set[str] = set()
    for kind, tok in tokens(text):
        if kind in ("cjk", "hangul"):
            if unigrams or len(tok) == 1:
                out.update(tok)
            out.update(tok[i:i + 2] for i in range(len(tok) - 1))
    return out


def _value_gram(value: str) -> str:
    return "@" + value[-5:] if value[:1] == "-" or value[4:5] == "-" else "#" + value.rstrip("%")


def _near_gram(number: float) -> str:
    """A bucket of numbers that agree in their first two digits (747, 748 and 750 share ~7.5e2)."""
    if number <= 0:
        return "~0"
    exponent = math.floor(math.log10(number))
    return f"~{round(number / 10 ** exponent, 1)}e{exponent}"


def near_grams(number: float) -> set[str]:
    """The buckets a number within 2% of `number` can fall in (the near values search scores)."""
    # Buckets are at least 1% wide: points 0.2% apart cannot step over one.
    return {_near_gram(number * (0.98 + 0.002 * k)) for k in range(21)}


def doc_grams(doc: Doc, chain: Iterable[str]) -> set[str]:
    """The postings a fact is listed under: what any query that could match it looks up."""
    grams: set[str] = set()
    for f, text in doc.texts:
        if f not in ("unit", "title"):
            grams |= _text_grams(text, unigrams=f in ("label", "alias", "text"))
    grams.update("w:" + w for w, f in doc.words.items() if f != "unit")
    grams.update(_value_gram(v) for v in doc.values)
    grams.update(_near_gram(float(v.rstrip("%"))) for v in doc.values if v[:1].isdigit() and v[4:5] != "-")
    grams.update("#" + d for d in doc.digits)
    grams.update("p:" + p for p in chain)
    grams.add("t:" + doc.topic)
    return grams


def atom_grams(atom: Atom) -> list[str]:
    """The postings a fact holding `atom` is listed under, all of them (empty: no prefilter for it)."""
    if atom.kind == "word":
        return ["w:" + atom.surface]
    if atom.kind in ("number", "digits"):
        return ["#" + atom.surface]
    if atom.kind == "date":
        return ["@" + atom.surface[-5:]]
    return sorted(_text_grams(atom.surface, unigrams=False))


def _dumps(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def build(base: FactBase, conn: sqlite3.Connection, stamps: list) -> None:
    """Write the whole index of `base` into an empty database."""
    b = _Builder(base)
    conn.executescript(_SCHEMA)
    place_rows = []
    chains = {p.name: base.place_chain(p.name) for p in base.places.values()}
    for i, p in enumerate(base.places.values()):
        doc = b.entity_doc(p.name, i, [p.name, *p.aliases], [p.label_en])
        place_rows.append((i, p.name, _dumps(p._asdict()), _dumps(doc.to_json()), _dumps(chains[p.name])))
    conn.executemany("INSERT INTO place VALUES (?,?,?,?,?)", place_rows)
    topic_rows = []
    for i, t in enumerate(base.topics.values()):
        doc = b.entity_doc(t.id, i, [t.label, *t.aliases], [t.id.replace("-", " "), t.label_en])
        topic_rows.append((i, t.id, _dumps(t._asdict()), _dumps(doc.to_json())))
    conn.executemany("INSERT INTO topic VALUES (?,?,?,?)", topic_rows)
    conn.executemany("INSERT INTO article VALUES (?,?,?)",
                     [(i, a.id, _dumps(a._asdict())) for i, a in enumerate(base.articles.values())])
    large = len(base.facts) > BRUTE_FORCE_MAX
    postings: dict[str, array[int]] = {}
    rows = []
    docs = []
    for i, f in enumerate(base.facts):
        doc = b.fact_doc(f, i, base.articles[f.source.article])
        doc_json = _dumps(doc.to_json())
        if large:
            for gram in doc_grams(doc, chains.get(f.place, [f.place])):
                ords = postings.get(gram)
                if ords is None:
                    ords = postings[gram] = array("i")
                ords.append(i)
        else:
            docs.append(doc_json)
        rows.append((i, f.id, f.source.article, f.place, f.topic, _dumps(fact_to_dict(f)),
                     zlib.compress(doc_json.encode("utf-8"), 1)))
        if len(rows) >= 10000:
            conn.executemany("INSERT INTO fact VALUES (?,?,?,?,?,?,?)", rows)
            rows.clear()
    conn.executemany("INSERT INTO fact VALUES (?,?,?,?,?,?,?)", rows)
    conn.executemany("INSERT INTO gram VALUES (?,?)", ((g, o.tobytes()) for g, o in postings.items()))
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
        "publication": _dumps(base.publication._asdict()),
        "t2s": _dumps(b.t2s_map),
        "facts": str(len(base.facts)),
        # A small base is searched whole: all its docs in one value, read with one json.loads;
        # a large one through its postings.
        "docs": "" if large else "[" + ",".join(docs) + "]",
        "vocab_forms": "\n".join(b.vocab),
    }
    conn.executemany("INSERT INTO meta VALUES (?,?)", meta.items())
    conn.commit()


# -- opening -------------------------------------------------------------------------------


class IndexStatus(NamedTuple):
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

    def source_files(self) -> set[str]:
        """The fact file and article files the index was built from (absolute paths)."""
        return {stamp[0] for stamp in json.loads(self.meta("sources") or "[]")}

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
        """The search structures: places and topics in memory, docs in memory for a small base
        (or read as candidates for a large one), vocabularies looked up in SQLite."""
        if self._search is None:
            c = self.conn
            places = {r[0]: Doc.from_json(json.loads(r[1])) for r in c.execute("SELECT name, doc FROM place")}
            chains = {r[0]: tuple(json.loads(r[1])) for r in c.execute("SELECT name, chain FROM place")}
            topics = {r[0]: Doc.from_json(json.loads(r[1])) for r in c.execute("SELECT id, doc FROM topic")}
            t2s = str.maketrans(json.loads(self.meta("t2s")))
            vocab = _SqlMapping(c, "vocab", lambda: self.meta("vocab_forms").split("\n"))
            initials = _SqlMapping(c, "initials", lambda: [r[0] for r in c.execute("SELECT form FROM initials")])
            blob = self.meta("docs")
            if blob:
                docs = [Doc.from_json(d) for d in json.loads(blob)]
                self._search = SearchIndex(docs, places, chains, topics, vocab, initials, _SqlSet(c, "phrase"), t2s)
            else:
                self._search = _PostingsIndex(c, int(self.meta("facts")), places, chains, topics, vocab, initials,
                                              _SqlSet(c, "phrase"), t2s)
        return self._search

    def close(self) -> None:
        self.conn.close()


class _SqlMapping(Mapping[str, tuple[str, ...]]):
    """A vocabulary table read on demand: a query looks up a few forms, not all of them."""

    def __init__(self, conn: sqlite3.Connection, table: str, all_forms: Callable[[], list[str]]) -> None:
        self._conn = conn
        self._get = f"SELECT surfaces FROM {table} WHERE form = ?"
        self._all_forms = all_forms
        self._keys: list[str] | None = None

    def __getitem__(self, form: str) -> tuple[str, ...]:
        row = self._conn.execute(self._get, (form,)).fetchone()
        if row is None:
            raise KeyError(form)
        return tuple(json.loads(row[0]))

    def keys(self) -> list[str]:  # type: ignore[override]
        """Every form (read only for a word that is not in the vocabulary, to find typos)."""
        if self._keys is None:
            self._keys = self._all_forms()
        return self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self.keys())


class _PostingsIndex(SearchIndex):
    """A large base: the candidates of a query come from the postings of what it holds.

    Each slot of the query (one thing typed) gets the facts listed under its
    atoms' grams (the facts that can hold it) and the facts about the places
    and topics it names. Each reading weighs as much as it is rare (an idf), so
    a fact that holds the typed figure outranks one that only shares its unit;
    the CANDIDATES facts with the highest sums are then read from SQLite and
    scored in full.
    """

    def __init__(self, conn: sqlite3.Connection, facts: int, *args: object) -> None:
        super().__init__((), *args)  # type: ignore[arg-type]
        self._conn = conn
        self._facts = facts
        self._postings: dict[str, set[int]] = {}

    def _posting(self, gram: str) -> set[int]:
        got = self._postings.get(gram)
        if got is None:
            row = self._conn.execute("SELECT ords FROM gram WHERE gram = ?", (gram,)).fetchone()
            ords: array[int] = array("i")
            if row is not None:
                ords.frombytes(row[0])
            got = self._postings[gram] = set(ords)
        return got

    def _holding(self, grams: list[str]) -> set[int]:
        """The facts listed under every one of `grams`."""
        sets = sorted((self._posting(g) for g in grams), key=len)
        if not sets:
            return set()
        result = set(sets[0])
        for s in sets[1:]:
            result &= s
        return result

    def _weight(self, listed: int) -> float:
        """How much holding a reading says: the rarer its postings, the more (an idf)."""
        return math.log((self._facts + 1) / (listed + 1)) + 0.1

    def _readings(self, atoms: tuple[Atom, ...], within: set[int] | None) -> list[tuple[float, set[int]]]:
        """(weight, facts) for each reading of a slot: the facts that can hold it, and how telling that is."""
        readings = []
        for atom in atoms[:MAX_PREFILTER_ATOMS]:
            grams = atom_grams(atom)
            if grams:
                found = self._holding(grams)
                if found:
                    readings.append((self._weight(len(found)) * atom.sim / 100, found))
            if atom.kind == "number":  # a rounded figure (14.7亿 for 14.72亿) is near, not equal
                near = set().union(*(self._posting(g) for g in near_grams(float(atom.surface))))
                if near:
                    readings.append((self._weight(len(near)) * NEAR_WEIGHT, near))
        for kind, docs in (("p:", self.places), ("t:", self.topics)):
            for key, doc in docs.items():
                if any(a.kind in ("word", "text") and _own_match(a, doc) for a in atoms):
                    found = self._posting(kind + key)
                    readings.append((self._weight(len(found)) * WEIGHTS["topic"], found))
        if within is not None:
            readings = [(w, found & within) for w, found in readings]
        return [(w, found) for w, found in readings if found]

    def candidates(self, query: Query, only: Filter | None = None) -> list[Doc]:
        """The CANDIDATES facts with the highest summed weight of the slots they can hold."""
        within: set[int] | None = None
        for gram in ([("t:" + only.topic)] if only and only.topic else []) + (
                [("p:" + only.place)] if only and only.place else []):
            within = self._posting(gram) if within is None else within & self._posting(gram)
        slots: list[list[tuple[float, set[int]]]] = []
        seen: set[tuple[Atom, ...]] = set()
        for variant in query.variants:
            for slot in variant:
                if slot.atoms not in seen:
                    seen.add(slot.atoms)
                    slots.append(self._readings(slot.atoms, within))
        # The most telling slot first: a common posting then only raises the facts already found.
        slots.sort(key=lambda readings: -max((w for w, _ in readings), default=0.0))
        scores: dict[int, float] = {}
        for readings in slots:
            best: dict[int, float] = {}  # fact -> the weight of the rarest reading it holds
            for weight, found in sorted(readings, key=lambda r: -r[0]):
                if len(found) > SEED_MAX:
                    known = scores.keys() | best.keys()
                    found = found & known if known else set(sorted(found)[:SEED_MAX])
                best.update(dict.fromkeys(found - best.keys(), weight))
            for o, weight in best.items():
                scores[o] = scores.get(o, 0.0) + weight
        top = heapq.nsmallest(CANDIDATES, [(-score, o) for o, score in scores.items()])
        return self._docs([o for _, o in top])

    def _docs(self, ords: list[int]) -> list[Doc]:
        docs: list[Doc] = []
        for start in range(0, len(ords), 500):
            chunk = ords[start:start + 500]
            sql = f"SELECT doc FROM fact WHERE ord IN ({','.join('?' * len(chunk))})"
            docs += [Doc.from_json(json.loads(zlib.decompress(r[0]))) for r in self._conn.execute(sql, chunk)]
        return sorted(docs, key=lambda d: d.order)


class _SqlSet:
    """The phrase table, for `in` tests."""

    def __init__(self, conn: sqlite3.Connection, table: str) -> None:
        self._conn = conn
        self._sql = f"SELECT 1 FROM {table} WHERE text = ?"

    def __contains__(self, text: object) -> bool:
        return self._conn.execute(self._sql, (text,)).fetchone() is not None


def _connect_readonly(path: Path) -> sqlite3.Connection:
    uri = "file:" + _uri_path(path) + "?mode=ro"
    return sqlite3.connect(uri, uri=True)


def _uri_path(path: Path) -> str:
    from urllib.parse import quote

    return quote(str(path.resolve()))


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
        fresh, renewed = _fresh(json.loads(meta["sources"]), float(meta.get("checked_at") or meta["built_at"]))
        if not fresh:
            raise sqlite3.DatabaseError("stale")
        if renewed is not None:
            _record_check(path, renewed)
        return conn
    except (sqlite3.Error, KeyError, ValueError, TypeError):
        conn.close()
        return None


def _write_cache(conn: sqlite3.Connection, target: Path) -> bool:
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


def open_index(fact_file: Path, environ: Mapping[str, str], *, rebuild: bool = False) -> Index:
    """The index of `fact_file`: from the cache when current, else built (and cached if possible).

    Raises DataError when the fact file is invalid.
    """
    target = cache_file(fact_file, environ)
    if not rebuild and target.is_file():
        conn = _valid_cache(target, fact_file)
        if conn is not None:
            return Index(conn, str(target))
    from yanbian_cli.loader import load

    base = load(fact_file)
    stamps = list(base.stamps)  # taken as the files were read: a change during the build shows next time
    conn = sqlite3.connect(":memory:")
    build(base, conn, stamps)
    written = _write_cache(conn, target)
    return Index(conn, str(target) if written else ":memory:")


def status(fact_file: Path, environ: Mapping[str, str]) -> IndexStatus:
    """Where the index of `fact_file` is cached, and whether it is current."""
    target = cache_file(fact_file, environ)
    if not target.is_file():
        return IndexStatus(fact_file, target, False, False)
    size = target.stat().st_size
    conn = _valid_cache(target, fact_file)
    if conn is None:
        return IndexStatus(fact_file, target, True, False, size)
    try:
        idx = Index(conn, str(target))
        return IndexStatus(fact_file, target, True, True, size, float(idx.meta("built_at")), int(idx.meta("facts")))
    finally:
        conn.close()


def clear(fact_file: Path, environ: Mapping[str, str]) -> bool:
    """Remove the cache file of `fact_file`; True when there was one."""
    target = cache_file(fact_file, environ)
    try:
        target.unlink()
        return True
    except FileNotFoundError:
        return False
