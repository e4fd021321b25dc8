"""Writing the index of a fact base into an empty SQLite database.

What search computed (`Content`: docs, terms, vocabularies) is stored as it is
given; this module knows tables, not search.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from array import array
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Protocol

from yanbian_cli import __version__
from yanbian_cli.model import Article, Fact, FactBase, fact_to_dict
from yanbian_cli.series import rank
from yanbian_cli.store import stamps
from yanbian_cli.store.schema import (
    INDEX_FORMAT,
    INDEXES,
    TABLES,
    dump_doc,
    dumps_paths,
)

BATCH = 10000
# From this many facts on, postings are roaring bitmaps (pyroaring), not arrays of order numbers read into
# sets: a common character lists a tenth of the base, and a set of 100,000 facts takes milliseconds to make and
# intersect. Below it, sets cost less than loading pyroaring, which adds to every call's time and memory (README,
# "Dependencies, and why").
ROARING_MIN = 20000


class Content(Protocol):
    """What the index stores besides the base itself (search.analyze.Analysis has this shape)."""

    @property
    def facts(self) -> Iterable[tuple[tuple, Collection[str] | None]]: ...  # doc row and terms of each fact
    @property
    def whole(self) -> bool: ...  # every doc in one value, no terms
    @property
    def place_docs(self) -> Mapping[str, tuple]: ...
    @property
    def topic_docs(self) -> Mapping[str, tuple]: ...
    @property
    def place_chains(self) -> Mapping[str, Sequence[str]]: ...
    @property
    def vocab(self) -> Mapping[str, Sequence[str]]: ...
    @property
    def initials(self) -> Mapping[str, Sequence[str]]: ...
    @property
    def phrases(self) -> Collection[str]: ...
    @property
    def t2s(self) -> Mapping[str, str]: ...
    @property
    def readings(self) -> Mapping[str, str]: ...
    @property
    def chars(self) -> str: ...


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # one for all rows (json.dumps makes one a call)


def dumps(obj: object) -> str:
    return _ENCODER.encode(obj)


def write(conn: sqlite3.Connection, base: FactBase, content: Content) -> None:
    """Write the whole index of `base` into an empty database."""
    writer = Writer(conn, base, content.place_docs, content.topic_docs, content.place_chains)
    writer.articles([article_row(i, a) for i, a in enumerate(base.articles.values())])
    postings = writer.postings
    rows = []
    docs = writer.docs
    for i, (f, (doc, terms)) in enumerate(zip(base.facts, content.facts)):
        if content.whole:
            docs.append(doc)
        for term in terms or ():
            ords = postings.get(term)
            if ords is None:
                ords = postings[term] = array("I")
            ords.append(i)
        article = base.articles.get(f.source.article)
        rows.append(fact_row(i, f, doc, article.date if article else ""))
        if len(rows) >= BATCH:
            writer.fact_rows(rows)
            rows.clear()
    writer.fact_rows(rows)
    writer.finish(base, len(base.facts), content)


def article_row(ord: int, article: Article) -> tuple:
    """The row of an article in the article table."""
    return (ord, article.id, dumps(article._asdict()))


def fact_row(ord: int, fact: Fact, doc: tuple, date: str) -> tuple:
    """The row of a fact in the fact table (`doc`: its doc row; `date`, its article's)."""
    return (ord, fact.id, fact.source.article, fact.place, fact.topic, dumps(fact_to_dict(fact)),
            dump_doc(doc), fact.metric, rank(fact.period, date) if fact.metric else "")


class Writer:
    """An index written in steps into an empty database: the schema, places and topics at once, then the
    articles and facts (in any number of parts, each fact with the order number it has in the base, the
    postings of each part after those of the parts before), then what the whole base gives (`finish`).

    `write` writes a base held whole in memory with it; a build that reads a large base part by part
    (yanbian_cli/indexer.py) gives it the rows and postings each part makes."""

    def __init__(self, conn: sqlite3.Connection, base: FactBase, place_docs: Mapping[str, tuple],
                 topic_docs: Mapping[str, tuple], place_chains: Mapping[str, Sequence[str]]) -> None:
        self.conn = conn
        self.postings: dict[str, array[int]] = {}
        self.docs: list[tuple] = []  # every doc row, for a base searched whole
        conn.execute("PRAGMA cache_size = -65536")  # 64 MB: the pages of the unique index on fact ids
        conn.executescript(TABLES)
        conn.executemany("INSERT INTO place VALUES (?,?,?,?,?)",
                         [(i, p.name, dumps(p._asdict()), dump_doc(place_docs[p.name]), dumps(place_chains[p.name]))
                          for i, p in enumerate(base.places.values())])
        conn.executemany("INSERT INTO topic VALUES (?,?,?,?)",
                         [(i, t.id, dumps(t._asdict()), dump_doc(topic_docs[t.id]))
                          for i, t in enumerate(base.topics.values())])

    def articles(self, rows: Iterable[tuple]) -> None:
        """Rows of the article table (`article_row`)."""
        self.conn.executemany("INSERT INTO article VALUES (?,?,?)", rows)

    def fact_rows(self, rows: Iterable[tuple]) -> None:
        """Rows of the fact table (`fact_row`)."""
        self.conn.executemany("INSERT INTO fact VALUES (?,?,?,?,?,?,?,?,?)", rows)

    def add_postings(self, postings: Mapping[str, bytes]) -> None:
        """The postings of a part of the facts (term -> order numbers, array('I') bytes), all after those
        added before."""
        held = self.postings
        for term, ords in postings.items():
            mine = held.get(term)
            if mine is None:
                mine = held[term] = array("I")
            mine.frombytes(ords)

    def finish(self, base: FactBase, facts: int, content: Content) -> None:
        """The postings, vocabularies and meta; `base` with its articles and stamps (its facts need not be
        held: `facts` is how many were written)."""
        conn = self.conn
        roaring = facts >= ROARING_MIN
        if roaring:  # a posting as a roaring bitmap: read in one call, and intersected in C (benchmarks/engines.py)
            from pyroaring import BitMap

            conn.executemany("INSERT INTO term VALUES (?,?)",
                             ((t, BitMap(o).serialize()) for t, o in self.postings.items()))
        else:
            conn.executemany("INSERT INTO term VALUES (?,?)", ((t, o.tobytes()) for t, o in self.postings.items()))
        conn.executemany("INSERT INTO vocab VALUES (?,?)", [(k, dumps(list(v))) for k, v in content.vocab.items()])
        conn.executemany("INSERT INTO initials VALUES (?,?)",
                         [(k, dumps(list(v))) for k, v in content.initials.items()])
        conn.executemany("INSERT INTO phrase VALUES (?)", [(p,) for p in content.phrases])
        conn.executescript(INDEXES)
        meta = {
            "format": str(INDEX_FORMAT),
            "version": __version__,
            "built_at": repr(time.time()),
            "fact_file": dumps_paths(os.path.realpath(base.path)),
            "stamped_as": dumps_paths(os.path.abspath(base.path)),  # (the stamps' paths are under its folder)
            "publication": dumps(base.publication._asdict()),
            "t2s": dumps(dict(content.t2s)),
            "readings": dumps(dict(content.readings)),
            "facts": str(facts),
            "postings": "roaring" if roaring else "array",
            "article_files": dumps_paths(dict(base.article_files)),
            "crossed": dumps(sorted(base.crossed)),
            "synonyms": dumps([[list(forms) for forms in group] for group in base.synonyms]),
            "chars": content.chars,
            # A base built to be scored whole (analyze(whole=True)): all its doc rows in one value.
            "docs": dump_doc(tuple(self.docs)) if content.whole else "",
            "vocab_forms": "\n".join(content.vocab),
        }
        conn.executemany("INSERT INTO meta VALUES (?,?)", meta.items())
        stamps.store(conn, base.stamps)
        conn.commit()


def clear(conn: sqlite3.Connection) -> None:
    """Drop every table of a database an index was being written into (to write it again from the start)."""
    conn.commit()
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        conn.execute(f'DROP TABLE "{name}"')
    conn.commit()
