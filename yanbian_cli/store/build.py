"""Writing the index of a fact base into an empty SQLite database.

What search computed (`Content`: docs, terms, vocabularies) is stored as it is
given; this module knows tables, not search.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import zlib
from array import array
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Protocol

from yanbian_cli import __version__
from yanbian_cli.model import FactBase, fact_to_dict
from yanbian_cli.store import stamps
from yanbian_cli.store.schema import INDEX_FORMAT, SCHEMA

BATCH = 10000


class Content(Protocol):
    """What the index stores besides the base itself (search.analyze.Analysis has this shape)."""

    @property
    def facts(self) -> Iterable[tuple[dict, Collection[str] | None]]: ...  # doc JSON and terms of each fact
    @property
    def whole(self) -> bool: ...  # every doc in one value, no terms
    @property
    def place_docs(self) -> Mapping[str, dict]: ...
    @property
    def topic_docs(self) -> Mapping[str, dict]: ...
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
    def article_docs(self) -> Mapping[str, dict]: ...
    @property
    def chars(self) -> str: ...


def dumps(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def dumps_paths(obj: object) -> str:
    """JSON of what holds file paths: ASCII, so a name that is not UTF-8 (kept as surrogates) survives."""
    return json.dumps(obj, separators=(",", ":"))


def write(conn: sqlite3.Connection, base: FactBase, content: Content) -> None:
    """Write the whole index of `base` into an empty database."""
    conn.executescript(SCHEMA)
    conn.executemany("INSERT INTO place VALUES (?,?,?,?,?)",
                     [(i, p.name, dumps(p._asdict()), dumps(content.place_docs[p.name]),
                       dumps(content.place_chains[p.name])) for i, p in enumerate(base.places.values())])
    conn.executemany("INSERT INTO topic VALUES (?,?,?,?)",
                     [(i, t.id, dumps(t._asdict()), dumps(content.topic_docs[t.id]))
                      for i, t in enumerate(base.topics.values())])
    conn.executemany("INSERT INTO article VALUES (?,?,?,?)",
                     [(i, a.id, dumps(a._asdict()), dumps(content.article_docs.get(a.id, {})))
                      for i, a in enumerate(base.articles.values())])
    postings: dict[str, array[int]] = {}
    rows = []
    docs = []
    for i, (f, (doc, terms)) in enumerate(zip(base.facts, content.facts)):
        doc_json = dumps(doc)
        if content.whole:
            docs.append(doc_json)
        for term in terms or ():
            ords = postings.get(term)
            if ords is None:
                ords = postings[term] = array("i")
            ords.append(i)
        rows.append((i, f.id, f.source.article, f.place, f.topic, dumps(fact_to_dict(f)),
                     zlib.compress(doc_json.encode("utf-8"), 1), f.metric))
        if len(rows) >= BATCH:
            conn.executemany("INSERT INTO fact VALUES (?,?,?,?,?,?,?,?)", rows)
            rows.clear()
    conn.executemany("INSERT INTO fact VALUES (?,?,?,?,?,?,?,?)", rows)
    conn.executemany("INSERT INTO term VALUES (?,?)", ((t, o.tobytes()) for t, o in postings.items()))
    conn.executemany("INSERT INTO vocab VALUES (?,?)", [(k, dumps(list(v))) for k, v in content.vocab.items()])
    conn.executemany("INSERT INTO initials VALUES (?,?)", [(k, dumps(list(v))) for k, v in content.initials.items()])
    conn.executemany("INSERT INTO phrase VALUES (?)", [(p,) for p in content.phrases])
    meta = {
        "format": str(INDEX_FORMAT),
        "version": __version__,
        "built_at": repr(time.time()),
        "fact_file": dumps_paths(os.path.realpath(base.path)),
        "publication": dumps(base.publication._asdict()),
        "t2s": dumps(dict(content.t2s)),
        "readings": dumps(dict(content.readings)),
        "facts": str(len(base.facts)),
        "article_files": dumps_paths(dict(base.article_files)),
        "synonyms": dumps([[list(forms) for forms in group] for group in base.synonyms]),
        "chars": content.chars,
        # A small base is searched whole: all its docs in one value, read with one json.loads.
        "docs": "[" + ",".join(docs) + "]" if content.whole else "",
        "vocab_forms": "\n".join(content.vocab),
    }
    conn.executemany("INSERT INTO meta VALUES (?,?)", meta.items())
    stamps.store(conn, base.stamps)
    conn.commit()
