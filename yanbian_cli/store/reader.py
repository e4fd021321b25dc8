"""Reading an index: the base's records, and the answers to search's questions.

`Store` implements the `Lexicon` and `Postings` protocols of `search.postings`
by shape alone; it imports nothing of search.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
from array import array
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Concatenate, ParamSpec, TypeVar

from yanbian_cli.errors import CacheError
from yanbian_cli.model import (
    Article,
    Fact,
    Place,
    Publication,
    Topic,
    article_from_dict,
    fact_from_dict,
    place_from_dict,
    topic_from_dict,
)
from yanbian_cli.store.schema import load_doc

P = ParamSpec("P")
R = TypeVar("R")


def _readable(method: Callable[Concatenate[Store, P], R]) -> Callable[Concatenate[Store, P], R]:
    """A cache that cannot be read (a page zeroed, a JSON value cut, a table gone) raises CacheError,
    so the caller can rebuild and answer all the same."""

    @functools.wraps(method)
    def read(self: Store, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(self, *args, **kwargs)
        except (sqlite3.DatabaseError, ValueError, KeyError, TypeError, EOFError) as exc:
            raise CacheError(self.location, str(exc)) from None

    return read


class Store:
    """A queryable fact base, backed by an SQLite database (a cache file or in memory).

    Every method that reads the database is `_readable`: what a corrupt cache breaks arrives as CacheError.
    """

    def __init__(self, conn: sqlite3.Connection, location: str, *, unwritable: str = "") -> None:
        self.conn = conn
        self.location = location  # the cache file, or ":memory:"
        self.unwritable = unwritable  # why the index could not be cached ("" when it was, or was read)
        self._updated: bool | None = None
        self._kind: str | None = None

    @_readable
    def meta(self, key: str) -> str:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else ""

    @_readable
    def fact_file(self) -> str:
        """The fact file the index was built for (its real path)."""
        return str(json.loads(self.meta("fact_file")))

    @property
    @_readable
    def publication(self) -> Publication:
        return Publication(**json.loads(self.meta("publication")))

    @_readable
    def source_files(self) -> set[str]:
        """The fact file and article files the index was built from: as named, and the files they link to."""
        from yanbian_cli.store import stamps

        named = set(stamps.paths(self.conn))
        return named | {os.path.realpath(n) for n in named}

    def _rows_in(self, sql: str, keys: Sequence[str] | Sequence[int]) -> list[tuple]:
        """The rows `sql` selects for these keys (its `IN ({})` filled), read 500 at a time: SQLite's limit on
        parameters is 999 in older builds."""
        rows: list[tuple] = []
        for at in range(0, len(keys), 500):
            chunk = list(keys[at:at + 500])
            rows += self.conn.execute(sql.format(",".join("?" * len(chunk))), chunk)
        return rows

    # -- records --

    @_readable
    def fact(self, fact_id: str) -> Fact | None:
        row = self.conn.execute("SELECT data FROM fact WHERE id = ?", (fact_id,)).fetchone()
        return fact_from_dict(json.loads(row[0])) if row else None

    @_readable
    def facts_by_id(self, ids: Sequence[str]) -> list[Fact]:
        """The facts of these ids that exist, in the order of `ids` (read in one query)."""
        data = dict(self._rows_in("SELECT id, data FROM fact WHERE id IN ({})", ids))
        return [fact_from_dict(json.loads(data[i])) for i in ids if i in data]

    @_readable
    def metrics_of(self, ids: Sequence[str]) -> dict[str, str]:
        """The metric of each of these facts that has one (fact id -> metric)."""
        return dict(self._rows_in("SELECT id, metric FROM fact WHERE metric != '' AND id IN ({})", ids))

    @_readable
    def facts(self, *, topic: str | None = None, places: Sequence[str] | None = None,
              article: str | None = None) -> list[Fact]:
        """Facts in file order, of a topic, about one of `places`, from an article (each optional)."""
        where, args = [], []
        if topic is not None:
            where.append("topic = ?")
            args.append(topic)
        if places is not None:
            where.append(f"place IN ({','.join('?' * len(places))})")
            args.extend(places)
        if article is not None:
            where.append("article = ?")
            args.append(article)
        sql = "SELECT data FROM fact" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY ord"
        return [fact_from_dict(json.loads(r[0])) for r in self.conn.execute(sql, args)]

    @_readable
    def metric_facts(self, metric: str) -> list[Fact]:
        """The facts of one metric (its series), in file order."""
        rows = self.conn.execute("SELECT data FROM fact WHERE metric = ? AND metric != '' ORDER BY ord", (metric,))
        return [fact_from_dict(json.loads(r[0])) for r in rows]

    @_readable
    def latest_fact(self, metric: str) -> str | None:
        """The id of the latest figure of a metric (`series.latest` of its series), from the rank the index keeps
        beside each fact (`series.rank`): one row of an index read, the metric's other facts left unread."""
        row = self.conn.execute("SELECT id FROM fact WHERE metric = ? AND metric != '' ORDER BY rank DESC, ord DESC "
                                "LIMIT 1", (metric,)).fetchone()
        return row[0] if row else None

    @_readable
    def metrics(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT DISTINCT metric FROM fact WHERE metric != '' ORDER BY metric")]

    @_readable
    def fact_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM fact ORDER BY ord")]

    @_readable
    def article(self, article_id: str) -> Article | None:
        row = self.conn.execute("SELECT data FROM article WHERE id = ?", (article_id,)).fetchone()
        return article_from_dict(json.loads(row[0])) if row else None

    @_readable
    def articles_by_id(self, article_ids: Sequence[str]) -> dict[str, Article]:
        """The articles of these ids that exist, read in one query (a metric's series spans many)."""
        rows = self._rows_in("SELECT id, data FROM article WHERE id IN ({})", list(dict.fromkeys(article_ids)))
        return {aid: article_from_dict(json.loads(data)) for aid, data in rows}

    @_readable
    def article_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM article ORDER BY ord")]

    @_readable
    def articles(self) -> list[Article]:
        return [article_from_dict(json.loads(r[0])) for r in self.conn.execute("SELECT data FROM article ORDER BY ord")]

    @_readable
    def topics(self) -> list[Topic]:
        return [topic_from_dict(json.loads(r[0])) for r in self.conn.execute("SELECT data FROM topic ORDER BY ord")]

    @_readable
    def places(self, names: Sequence[str] | None = None) -> list[Place]:
        """Every place, or those of these names, in file order."""
        if names is None:
            return [place_from_dict(json.loads(r[0])) for r in self.conn.execute("SELECT data FROM place ORDER BY ord")]
        rows = self._rows_in("SELECT ord, data FROM place WHERE name IN ({})", names)
        return [place_from_dict(json.loads(data)) for _, data in sorted(rows)]

    @_readable
    def counts(self, column: str) -> dict[str, int]:
        """How many facts per article, place or topic."""
        assert column in ("article", "place", "topic")
        return dict(self.conn.execute(f"SELECT {column}, COUNT(*) FROM fact GROUP BY {column}").fetchall())

    # -- search's questions (search.postings.Lexicon and Postings) --

    @_readable
    def vocab(self, form: str) -> Sequence[str] | None:
        row = self.conn.execute("SELECT surfaces FROM vocab WHERE form = ?", (form,)).fetchone()
        return json.loads(row[0]) if row else None

    @_readable
    def vocab_forms(self) -> Sequence[str]:
        return self.meta("vocab_forms").split("\n")

    @_readable
    def initials(self, form: str) -> Sequence[str] | None:
        row = self.conn.execute("SELECT surfaces FROM initials WHERE form = ?", (form,)).fetchone()
        return json.loads(row[0]) if row else None

    @_readable
    def is_phrase(self, text: str) -> bool:
        return self.conn.execute("SELECT 1 FROM phrase WHERE text = ?", (text,)).fetchone() is not None

    @_readable
    def t2s(self) -> dict[str, str]:
        return json.loads(self.meta("t2s") or "{}")

    @_readable
    def readings(self) -> dict[str, str]:
        return json.loads(self.meta("readings") or "{}")

    @_readable
    def place_docs(self) -> dict[str, tuple]:
        return {r[0]: load_doc(r[1]) for r in self.conn.execute("SELECT name, doc FROM place")}

    @_readable
    def topic_docs(self) -> dict[str, tuple]:
        return {r[0]: load_doc(r[1]) for r in self.conn.execute("SELECT id, doc FROM topic")}

    @_readable
    def place_chains(self) -> dict[str, list[str]]:
        return {r[0]: json.loads(r[1]) for r in self.conn.execute("SELECT name, chain FROM place")}

    @_readable
    def fact_count(self) -> int:
        return int(self.meta("facts") or 0)

    @_readable
    def all_docs(self) -> Sequence[tuple] | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'docs'").fetchone()
        return load_doc(row[0]) if row and row[0] else None

    @property
    def _roaring(self) -> bool:
        """Whether the postings are roaring bitmaps (a large base: build.ROARING_MIN) or arrays (read as sets)."""
        if self._kind is None:
            self._kind = self.meta("postings") or "array"
        return self._kind == "roaring"

    @_readable
    def posting(self, term: str) -> Any:  # search.postings.Ords
        row = self.conn.execute("SELECT ords FROM term WHERE term = ?", (term,)).fetchone()
        blob = row[0] if row is not None else b""
        if self._roaring:
            # (imported only here: loading it costs a call time and memory a small base cannot spare)
            from pyroaring import BitMap

            ords: Any = BitMap.deserialize(blob) if blob else BitMap()
        else:
            listed = array("I")
            listed.frombytes(blob)
            ords = set(listed)
        if self._updated is None:  # whether any facts were indexed by the file since the full build
            self._updated = self.conn.execute("SELECT 1 FROM term_add LIMIT 1").fetchone() is not None
        if self._updated:
            ords |= self.ords(r[0] for r in self.conn.execute("SELECT ord FROM term_add WHERE term = ?", (term,)))
        return ords

    def ords(self, ords: Iterable[int]) -> Any:
        if self._roaring:
            from pyroaring import BitMap

            return BitMap(ords)
        return set(ords)

    def head(self, ords: Any, n: int) -> Any:
        return ords[:n] if self._roaring else set(sorted(ords)[:n])  # (a bitmap's slice is a bitmap, made in C)

    @_readable
    def docs(self, ords: Sequence[int]) -> list[tuple]:
        # (an ord no fact has any more, listed by a posting since the full build, brings nothing)
        return [load_doc(r[0]) for r in self._rows_in("SELECT doc FROM fact WHERE ord IN ({})", ords)]

    def close(self) -> None:
        self.conn.close()
