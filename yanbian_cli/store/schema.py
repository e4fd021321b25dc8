"""The SQLite schema of the index cache."""

from __future__ import annotations

import json
import marshal

# Bumped whenever what is stored changes: a cache of another format is rebuilt.
INDEX_FORMAT = 62

TABLES = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- what each source file was when read (store/stamps.py): one row
CREATE TABLE stamps(paths BLOB NOT NULL, nums BLOB NOT NULL, digests TEXT NOT NULL);
CREATE TABLE fact(ord INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, article TEXT NOT NULL, place TEXT NOT NULL,
                  topic TEXT NOT NULL, data TEXT NOT NULL, doc BLOB NOT NULL, metric TEXT NOT NULL,
                  rank TEXT NOT NULL);  -- rank: where it stands in its metric's series (series.rank)
CREATE TABLE article(ord INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, data TEXT NOT NULL);
CREATE TABLE place(ord INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, data TEXT NOT NULL, doc BLOB NOT NULL,
                   chain TEXT NOT NULL);
CREATE TABLE topic(ord INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, data TEXT NOT NULL, doc BLOB NOT NULL);
CREATE TABLE vocab(form TEXT PRIMARY KEY, surfaces TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE initials(form TEXT PRIMARY KEY, surfaces TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE phrase(text TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE term(term TEXT PRIMARY KEY, ords BLOB NOT NULL) WITHOUT ROWID;  -- array('I') bytes, or a roaring bitmap: meta 'postings'
-- the postings of facts indexed by the file since the full build (store/update.py); folded in by the next one
CREATE TABLE term_add(term TEXT NOT NULL, ord INTEGER NOT NULL);
"""
# Made once the tables are filled (a million rows load faster into a table without them).
INDEXES = """
CREATE INDEX fact_article ON fact(article);
CREATE INDEX fact_place ON fact(place);
CREATE INDEX fact_topic ON fact(topic);
CREATE INDEX fact_metric ON fact(metric, rank) WHERE metric != '';
CREATE INDEX term_add_term ON term_add(term);
"""
SCHEMA = TABLES + INDEXES


def dumps_paths(obj: object) -> str:
    """JSON of what holds file paths: ASCII, so a name that is not UTF-8 (kept as surrogates) survives."""
    return json.dumps(obj, separators=(",", ":"))


def dump_doc(row: tuple) -> bytes:
    """A doc row (`search.doc.Doc.row`: tuples of strings and numbers) as the index stores it: marshal, which
    a query reads back, tuples and all, in a third of the time JSON takes (a search of a large base reads 250)."""
    return marshal.dumps(row)


def load_doc(blob: bytes) -> tuple:
    """A doc row read back; ValueError, EOFError or TypeError (a damaged cache: rebuilt) for anything but a row."""
    row = marshal.loads(blob)
    if not isinstance(row, tuple):
        raise TypeError("a doc that is not a row")
    return row
