"""How a fact's search fields are stored: what a search of a large base reads back for each of its 250
candidates (`search.doc.Doc`), three ways.

    python -m benchmarks.docs 20000     # a synthetic archive of that many facts (benchmarks/synth.py)

- "json+zlib": the Doc as a JSON object, zlib-compressed (level 1): what the index stored up to format 49;
- "marshal+zlib": the Doc's row (`Doc.row`) in marshal, zlib-compressed;
- "marshal": the row in marshal (`store.schema.dump_doc`): what the index stores.

For each: the bytes a doc takes on average, and the time to turn 250 stored docs (a search's candidates,
taken at random) into Docs, warm, in one process (the median of the runs).
"""

from __future__ import annotations

import json
import marshal
import random
import statistics
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path

from benchmarks.synth import generate
from yanbian_cli.factbase import load
from yanbian_cli.search.analyze import analyze
from yanbian_cli.search.doc import Doc
from yanbian_cli.store.schema import dump_doc, load_doc

CANDIDATES = 250
RUNS = 51


def _from_json(d: dict) -> Doc:
    """A Doc from a JSON object of its fields, as format 49 stored it (as `Doc.from_json` made it then; format 49
    also held the fact's article id, which no query reads since the article rule was taken out)."""
    doc = Doc(d["id"], d["ord"], tuple(d["exact"]), tuple((f, t) for f, t in d["texts"]), None, tuple(d["values"]),
              tuple(d["digits"]), d["place"], d["topic"], d["unit"], d["measure"])
    doc.wordsets = tuple((f, ws) for f, ws in d["words"])
    return doc


def _as_json(row: tuple) -> dict:
    keys = ("id", "ord", "exact", "texts", "words", "values", "digits", "place", "topic", "unit", "measure")
    return dict(zip(keys, row))


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 20_000
    with tempfile.TemporaryDirectory(prefix="yb-docs-") as tmp:
        rows = [row for row, _ in analyze(load(generate(n, Path(tmp) / "base")), whole=False).facts]
    encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
    ways: dict[str, tuple[Callable[[tuple], bytes], Callable[[bytes], Doc]]] = {
        "json+zlib": (lambda r: zlib.compress(encoder.encode(_as_json(r)).encode("utf-8"), 1),
                      lambda b: _from_json(json.loads(zlib.decompress(b)))),
        "marshal+zlib": (lambda r: zlib.compress(marshal.dumps(r), 1),
                         lambda b: Doc.from_row(marshal.loads(zlib.decompress(b)))),
        "marshal": (dump_doc, lambda b: Doc.from_row(load_doc(b))),
    }
    random.seed(0)
    picked = random.sample(range(len(rows)), min(CANDIDATES, len(rows)))
    print(f"{len(rows):,} facts; {len(picked)} docs read back, median of {RUNS} runs")
    print(f"| {'stored as':<12} | {'bytes a doc':>11} | {'ms for 250':>10} |")
    print(f"|{'-' * 14}|{'-' * 13}|{'-' * 12}|")
    for name, (dump, read) in ways.items():
        stored = [dump(r) for r in rows]
        sample = [stored[i] for i in picked]
        assert [read(b).row() for b in sample] == [rows[i] for i in picked]  # (each gives back the same doc)
        times = []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            for blob in sample:
                read(blob)
            times.append((time.perf_counter() - t0) * 1000)
        size = statistics.mean(map(len, stored))
        print(f"| {name:<12} | {size:>11.0f} | {statistics.median(times):>10.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
