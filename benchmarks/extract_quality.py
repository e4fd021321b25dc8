"""How many of the curated figures `yb extract` proposes: on the eight shipped articles, and on
four held-out articles (tests/extract_heldout/, written with their answer key by someone who had
not seen the extractor).

    python -m benchmarks.extract_quality           # recall and precision, per article and in all
    python -m benchmarks.extract_quality --misses  # and what was missed or proposed in excess

Each article is written out as plain text (title, then paragraphs separated by blank
lines), as a curator would paste it, and read back by `yb extract`'s reader. A proposal
matches a curated fact when both cite the same paragraph and the same figure as written.
Recall: curated facts matched / curated facts. Precision: proposals matching a curated
fact / proposals (the rest are numbers the curators deliberately left out, listed with
their reasons in tests/number_exclusions.toml, or misreadings).
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from yanbian_cli.extract import extract, read_article
from yanbian_cli.factbase import load
from yanbian_cli.locations import shipped_data_dir
from yanbian_cli.model import Article

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = ROOT / "tests" / "extract_heldout"


def article_text(article: Article) -> str:
    return "\n\n".join(([article.title] if article.title else []) + list(article.paragraphs)) + "\n"


def _compare(curated: Counter, proposals: Sequence) -> tuple[int, int, int, int, list, list]:
    """(curated, found, proposed, right, missed, excess); a figure stated twice counts twice."""
    proposed = Counter((p.source.paragraph, p.text) for p in proposals)
    matched = sum((curated & proposed).values())
    return (sum(curated.values()), matched, sum(proposed.values()), matched,
            list((curated - proposed).elements()), list((proposed - curated).elements()))


def measure() -> dict[str, tuple[int, int, int, int, list, list]]:
    """article -> (curated, found, proposed, right, missed, excess) for the shipped articles."""
    base = load(shipped_data_dir() / "facts.toml")
    places = list(base.places.values())
    return {aid: _compare(Counter((f.source.paragraph, f.text) for f in base.facts if f.source.article == aid),
                          extract(read_article(article_text(article)), aid, places=places))
            for aid, article in base.articles.items()}


def measure_heldout() -> dict[str, tuple[int, int, int, int, list, list]]:
    """The same for the held-out articles and their answer key."""
    base = load(shipped_data_dir() / "facts.toml")
    places = list(base.places.values())
    answers = tomllib.loads((HELDOUT / "answers.toml").read_text(encoding="utf-8"))["figure"]
    return {path.stem: _compare(Counter((a["paragraph"], a["text"]) for a in answers if a["article"] == path.stem),
                                extract(read_article(path.read_text(encoding="utf-8")), path.stem.replace("_", "-"),
                                        places=places))
            for path in sorted(HELDOUT.glob("*.txt"))}


def report(title: str, results: dict) -> None:
    print(title)
    print(f"{'article':<16}{'curated':>8}{'found':>7}{'recall':>8}{'proposed':>10}{'right':>7}{'precision':>11}")
    totals = [0, 0, 0, 0]
    for aid, (cur, found, prop, right, _, _) in results.items():
        totals = [a + b for a, b in zip(totals, (cur, found, prop, right))]
        print(f"{aid:<16}{cur:>8}{found:>7}{found / cur:>8.2f}{prop:>10}{right:>7}{right / max(prop, 1):>11.2f}")
    cur, found, prop, right = totals
    print(f"{'all':<16}{cur:>8}{found:>7}{found / cur:>8.2f}{prop:>10}{right:>7}{right / prop:>11.2f}")
    if "--misses" in sys.argv:
        for aid, (*_, missed, excess) in results.items():
            for m in missed:
                print(f"  missed   {aid} ¶{m[0]} {m[1]}")
            for e in excess:
                print(f"  excess   {aid} ¶{e[0]} {e[1]}")
    print()


def main() -> int:
    report("Shipped articles (the curated fact base is the answer key):", measure())
    report("Held-out articles (tests/extract_heldout/answers.toml):", measure_heldout())
    return 0


if __name__ == "__main__":
    sys.exit(main())
