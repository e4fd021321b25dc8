"""Postings three ways, on the same terms: arrays (one row a term, its facts' order numbers packed), roaring
bitmaps (pyroaring, one row a term: what a base of build.ROARING_MIN facts or more keeps) and SQLite FTS5 (a
contentless table, each fact a document of its terms as tokens).

    python -m benchmarks.engines 100000     # a synthetic archive of that many facts (benchmarks/synth.py)

The terms are what `search.postings.doc_terms` lists for each fact (character bigrams and single
characters, latin words, values, places, topics): an FTS5 tokenizer cannot make them (unicode61 takes a
run of Chinese as one token, trigram finds nothing shorter than three characters), so each term is
given to FTS5 as a token of its own, written as the hex of its UTF-8 (ASCII, never split). Measured: the
time to write each (from terms already computed), the size on disk, and the time to read the postings
of the terms of sample queries (rare, common and very common terms), warm, in one process, and the time to
read two postings and intersect them (as a query of two words does: 人参 and 面积, and 人参 and 年), the arrays
as sets. The same queries' answers are compared, so the three are known to hold the same postings. Last, the
roaring postings read as a query reads them, once each on a new connection, with and without mmap.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pyroaring import BitMap

from benchmarks.synth import generate
from yanbian_cli.factbase import load
from yanbian_cli.search.analyze import analyze

QUERY_TERMS = ["空气", "人参", "面积", "延吉", "人", "年"]  # rare to very common bigrams and characters
PAIRS = [("人参", "面积"), ("人参", "年")]  # read and intersected


def _token(term: str) -> str:
    return "x" + term.encode("utf-8").hex()


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 100_000
    with tempfile.TemporaryDirectory(prefix="yb-engines-") as tmp:
        work = Path(tmp)
        base = load(generate(n, work / "base"))
        analysis = analyze(base, whole=False)
        terms_of: list[list[str]] = [sorted(terms or ()) for _, terms in analysis.facts]
        del base, analysis
        queries = [t for t in QUERY_TERMS if any(t in ts for ts in terms_of[:5000])]

        # the posting blobs, as store/build.py writes them
        t0 = time.perf_counter()
        blobs = sqlite3.connect(work / "blobs.sqlite")
        blobs.execute("CREATE TABLE term(term TEXT PRIMARY KEY, ords BLOB NOT NULL) WITHOUT ROWID")
        postings: dict[str, array[int]] = {}
        for i, terms in enumerate(terms_of):
            for t in terms:
                postings.setdefault(t, array("I")).append(i)
        blobs.executemany("INSERT INTO term VALUES (?,?)", ((t, o.tobytes()) for t, o in postings.items()))
        blobs.commit()
        blob_build = time.perf_counter() - t0

        # the same as roaring bitmaps
        t0 = time.perf_counter()
        roaring = sqlite3.connect(work / "roaring.sqlite")
        roaring.execute("CREATE TABLE term(term TEXT PRIMARY KEY, ords BLOB NOT NULL) WITHOUT ROWID")
        roaring.executemany("INSERT INTO term VALUES (?,?)",
                            ((t, BitMap(o).serialize()) for t, o in postings.items()))
        roaring.commit()
        roaring_build = time.perf_counter() - t0 + blob_build  # (the postings gathered as for the arrays)
        del postings

        # FTS5, contentless, one document a fact
        t0 = time.perf_counter()
        fts = sqlite3.connect(work / "fts.sqlite")
        fts.execute("CREATE VIRTUAL TABLE fact_terms USING fts5(terms, content='', detail=none)")
        fts.executemany("INSERT INTO fact_terms(rowid, terms) VALUES (?,?)",
                        ((i, " ".join(map(_token, terms))) for i, terms in enumerate(terms_of)))
        fts.execute("INSERT INTO fact_terms(fact_terms) VALUES ('optimize')")
        fts.commit()
        fts_build = time.perf_counter() - t0

        def blob_read(term: str) -> list[int]:
            row = blobs.execute("SELECT ords FROM term WHERE term = ?", (term,)).fetchone()
            ords: array[int] = array("I")
            if row:
                ords.frombytes(row[0])
            return list(ords)

        def roaring_read(term: str) -> BitMap:
            row = roaring.execute("SELECT ords FROM term WHERE term = ?", (term,)).fetchone()
            return BitMap.deserialize(row[0]) if row else BitMap()

        def fts_read(term: str) -> list[int]:
            return [r[0] for r in fts.execute("SELECT rowid FROM fact_terms WHERE fact_terms MATCH ?",
                                              (_token(term),))]

        def both(read: Callable[[str], Any], sets: bool) -> Callable[[tuple[str, str]], Any]:
            def intersect(pair: tuple[str, str]) -> Any:
                a, b = (read(t) for t in pair)
                return set(a) & set(b) if sets else a & b
            return intersect

        pairs = [p for p in PAIRS if all(t in queries for t in p)]
        print(f"{n:,} facts, {sum(map(len, terms_of)):,} postings; SQLite {sqlite3.sqlite_version}")
        print(f"| {'engine':<12} | {'write s':>8} | {'disk MB':>8} | " + " | ".join(f"{q[:10]:>10}" for q in queries)
              + " | " + " | ".join(f"{'∩'.join(p):>10}" for p in pairs) + " |")
        print(f"| {'(ms a read)':<12} | {'':>8} | {'':>8} | "
              + " | ".join(f"{len(blob_read(q)):>10,}" for q in queries) + " | "
              + " | ".join(f"{len(set(blob_read(a)) & set(blob_read(b))):>10,}" for a, b in pairs)
              + " |  <- facts a term lists; both terms list")
        for name, read, build, file, sets in (("arrays", blob_read, blob_build, "blobs.sqlite", True),
                                              ("roaring", roaring_read, roaring_build, "roaring.sqlite", False),
                                              ("FTS5", fts_read, fts_build, "fts.sqlite", True)):
            cells = []
            timed: list[tuple[Callable[[], Any], set[int]]] = [
                (functools.partial(read, q), set(blob_read(q))) for q in queries]
            timed += [(functools.partial(both(read, sets), p), set(blob_read(p[0])) & set(blob_read(p[1])))
                      for p in pairs]
            for call, expected in timed:
                assert set(call()) == expected
                runs = []
                for _ in range(7):
                    t0 = time.perf_counter()
                    call()
                    runs.append((time.perf_counter() - t0) * 1000)
                cells.append(f"{statistics.median(runs):>10.2f}")
            size = os.path.getsize(work / file) / 2**20
            print(f"| {name:<12} | {build:>8.1f} | {size:>8.1f} | " + " | ".join(cells) + " |")
        roaring.close()
        _first_reads(work / "roaring.sqlite", queries)
    return 0


def _first_reads(path: Path, queries: list[str]) -> None:
    """A query reads each posting once, on a connection of its own: the roaring postings read so (each on a new
    connection; the file itself in the system's cache, as a query finds it), through SQLite's reads into its
    own cache and through mmap (which yb tried, and does not use: README, "An archive of dated pages")."""
    print(f"| {'first read':<12} | " + " | ".join(f"{q[:10]:>10}" for q in queries) + " |  (ms, on a new connection)")
    for name, pragma in (("roaring", ""), ("roaring mmap", "PRAGMA mmap_size = 1099511627776")):
        cells = []
        for q in queries:
            runs = []
            for _ in range(7):
                conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
                if pragma:
                    conn.execute(pragma)
                t0 = time.perf_counter()
                row = conn.execute("SELECT ords FROM term WHERE term = ?", (q,)).fetchone()
                BitMap.deserialize(row[0]) if row else BitMap()
                runs.append((time.perf_counter() - t0) * 1000)
                conn.close()
            cells.append(f"{statistics.median(runs):>10.2f}")
        print(f"| {name:<12} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
