"""Search quality: hit@1, hit@5 and MRR per kind of query, over the query sets kept in tests/.

    python -m benchmarks.search_quality            # the table
    python -m benchmarks.search_quality --misses   # and every query whose answer is not first

Query sets: tests/search_cases.toml (ours: expected fact ids, with a kind each),
tests/search_cases_blind.toml (the same form, written by someone who had not
seen the search code, as a held-out check) and tests/search-queries.toml (the shared sample: expected figures as written; its
kind is read off the query: Hangul -> ko, digits -> num, traditional
characters -> trad, other Chinese -> zh, Latin made only of pinyin
syllables -> pinyin, other Latin -> en).
"""

from __future__ import annotations

import os
import re
import sys
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
from yanbian_cli.locations import shipped_data_dir
from yanbian_cli.lookup import Base, open_base
from yanbian_cli.search import search
from yanbian_cli.text import normalize

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

KINDS = ("zh", "en", "pinyin", "ko", "trad", "typo", "num")
_SYLLABLE = ("(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ang|eng|ing|ong|uai|ian|iao|uan|van|ai|ei|ao|ou"
             "|an|en|er|in|un|vn|ia|ie|iu|ua|uo|ui|ve|a|o|e|i|u|v)")
_PINYIN_RE = re.compile(rf"(?:{_SYLLABLE})+")


def kind_of(query: str, t2s: Mapping[int, str]) -> str:
    if re.search("[\uac00-\ud7a3]", query):
        return "ko"
    if re.search(r"\d|[０-９]", query):
        return "num"
    if re.search("[\u4e00-\u9fff]", query):
        return "trad" if query.translate(t2s) != query else "zh"
    words = normalize(query).split()
    return "pinyin" if words and all(_PINYIN_RE.fullmatch(w) for w in words) else "en"


def load_cases(index: Base) -> list[dict]:
    """[{kind, q, source, good(fact) -> bool}] from both query sets."""
    cases = []
    for name, label in (("search_cases.toml", "ours"), ("search_cases_blind.toml", "blind")):
        for c in tomllib.loads((ROOT / "tests" / name).read_text(encoding="utf-8"))["case"]:
            cases.append({"kind": c["kind"], "q": c["q"], "set": label, "expect": set(c["expect"]), "by": "id"})
    sample = tomllib.loads((ROOT / "tests" / "search-queries.toml").read_text(encoding="utf-8"))["q"]
    t2s = index.corpus.t2s
    for c in sample:
        cases.append({"kind": kind_of(c["q"], t2s), "q": c["q"], "set": "sample", "expect": set(c["expect"]),
                      "by": "text"})
    return cases


def rank_of(index: Base, case: dict, facts: dict) -> int | None:
    """1-based rank of the first good answer among the first 10 results, or None."""
    hits, _ = search(index.corpus, case["q"])
    for i, m in enumerate(hits[:10], 1):
        fact = facts[m.id]
        if (fact.id if case["by"] == "id" else fact.text) in case["expect"]:
            return i
    return None


def main() -> int:
    index = open_base(shipped_data_dir() / "facts.toml", os.environ)
    facts = {f.id: f for f in index.store.facts()}
    cases = load_cases(index)
    by_kind: dict[str, list[int | None]] = defaultdict(list)
    misses = []
    for case in cases:
        r = rank_of(index, case, facts)
        by_kind[case["kind"]].append(r)
        by_kind["all"].append(r)
        by_kind[f"set: {case['set']}"].append(r)
        if r != 1:
            misses.append((case["set"], case["kind"], case["q"], r))
    print(f"{'kind':<14}{'queries':>8}{'hit@1':>8}{'hit@5':>8}{'MRR':>8}")
    for kind in (*KINDS, "all", "set: ours", "set: blind", "set: sample"):
        ranks = by_kind.get(kind, [])
        if not ranks:
            continue
        n = len(ranks)
        hit1 = sum(r == 1 for r in ranks) / n
        hit5 = sum(r is not None and r <= 5 for r in ranks) / n
        mrr = sum(1 / r for r in ranks if r) / n
        print(f"{kind:<14}{n:>8}{hit1:>8.2f}{hit5:>8.2f}{mrr:>8.2f}")
    if "--misses" in sys.argv:
        print("\nnot first:")
        for qset, kind, q, r in misses:
            print(f"  [{qset} {kind}] {q!r}: {'rank ' + str(r) if r else 'not in the first 10'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
