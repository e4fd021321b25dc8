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
from typing import NamedTuple

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
SCRIPTS = ROOT / "tests" / "extract_heldout_scripts"  # Korean, traditional and simplified, with their key
SCRIPT_OF = {"ko": "Korean", "zht": "traditional", "zhs": "simplified"}
CLAUSE = set("，,。；;：:！!？?")


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


class Scored(NamedTuple):
    """One article of the script sets against its key."""

    curated: int
    found: int        # the figure as written, in the right paragraph
    right: int        # ... and its value, unit and qualifier as the key says
    proposed: int
    labels: int       # found figures whose label is usable (see usable_label)
    periods: int      # found figures whose period is the key's
    strict_labels: int  # ... usable by the stricter judge (the key's own last word)
    misses: list[str]


def _head(label: str, paragraph: str | None = None) -> str:
    """What a label names, for judging a proposed one: its last Korean word without a particle, else its
    last two Chinese characters (面积, 产值, 인원수 …). With `paragraph`: the last such word of the label
    that the paragraph itself writes (a key may add a word the page does not have: 수, 기간, 비중)."""
    words = label.replace("(", " ").replace(")", " ").split()
    if words and any("가" <= c <= "힣" for c in words[-1]):
        heads = [_korean_stem(w) for w in words]
    else:
        han = [c for c in label if "\u4e00" <= c <= "\u9fff"]
        heads = ["".join(han[i:i + 2]) for i in range(len(han) - 1)] if len(han) > 1 else [label]
    if paragraph is not None:
        present = [h for h in heads if h and h in paragraph]
        if present:
            return present[-1]
    return heads[-1] if heads else label


def _korean_stem(word: str) -> str:
    for particle in ("으로", "에서", "이", "가", "은", "는", "을", "를", "의", "에", "로", "도"):
        if word.endswith(particle) and len(word) > len(particle) + 1:
            return word[: -len(particle)]
    return word


def usable_label(proposed: str, key: str, paragraph: str, strict: bool = False) -> bool:
    """A label a curator can keep as written: it names what the key's label names (it holds the key's
    last word that the paragraph writes; `strict`: the key's last word, even one the page does not
    write), stays within one clause (no clause punctuation), is not cut mid-word (its first Korean word
    is whole in the paragraph), and is not more than twice as long as the key's."""
    if not proposed or any(c in CLAUSE for c in proposed) or len(proposed) > 2 * max(len(key), 6):
        return False
    if _head(key, None if strict else paragraph) not in proposed:
        return False
    words = paragraph.split()
    korean = [w for w in proposed.split() if any("가" <= c <= "힣" for c in w)]
    if korean and not all(any(w == p or p.startswith(w) for p in words) for w in korean[:1]):
        return False  # the first word begins mid-word
    return True


def _same(a: object, b: object) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))
    return a == b


def measure_scripts() -> dict[str, Scored]:
    """article -> its score against tests/extract_heldout_scripts/answers.toml."""
    base = load(shipped_data_dir() / "facts.toml")
    places = list(base.places.values())
    answers = tomllib.loads((SCRIPTS / "answers.toml").read_text(encoding="utf-8"))["figure"]
    results: dict[str, Scored] = {}
    for path in sorted(SCRIPTS.glob("*.txt")):
        article = read_article(path.read_text(encoding="utf-8"))
        paragraphs = [article.title, *article.paragraphs]
        proposals = extract(article, path.stem.replace("_", "-"), places=places)
        key = [a for a in answers if a["article"] == path.stem]
        pool = list(proposals)
        found = right = labels = periods = strict = 0
        misses: list[str] = []
        for want in key:
            hit = next((p for p in pool if p.source.paragraph == want["paragraph"] and p.text == want["text"]), None)
            if hit is None:
                misses.append(f"missed ¶{want['paragraph']} {want['text']}")
                continue
            pool.remove(hit)
            found += 1
            if _same(hit.value, want["value"]) and hit.unit == want["unit"] and hit.qualifier == want["qualifier"]:
                right += 1
            else:
                misses.append(f"wrong  ¶{want['paragraph']} {want['text']}: {hit.value!r} {hit.unit} {hit.qualifier}"
                              f" (key: {want['value']!r} {want['unit']} {want['qualifier']})")
            paragraph = paragraphs[want["paragraph"]] if want["paragraph"] < len(paragraphs) else ""
            strict += usable_label(hit.label, want["label"], paragraph, strict=True)
            if usable_label(hit.label, want["label"], paragraph):
                labels += 1
            else:
                misses.append(f"label  ¶{want['paragraph']} {want['text']}: {hit.label!r} (key: {want['label']!r})")
            if (hit.period or "") == (want.get("period") or ""):
                periods += 1
        misses += [f"excess ¶{p.source.paragraph} {p.text}" for p in pool]
        results[path.stem] = Scored(len(key), found, right, len(proposals), labels, periods, strict, misses)
    return results


def by_script(results: dict[str, Scored]) -> dict[str, Scored]:
    """The articles' scores summed per script (Korean, traditional, simplified)."""
    out: dict[str, Scored] = {}
    for aid, r in results.items():
        name = SCRIPT_OF[aid.split("_")[0]]
        old = out.get(name, Scored(0, 0, 0, 0, 0, 0, 0, []))
        c, f, ri, p, la, pe, st = (a + b for a, b in zip(old[:7], r[:7]))
        out[name] = Scored(c, f, ri, p, la, pe, st, old.misses + r.misses)
    return out


def report_scripts(results: dict[str, Scored]) -> None:
    print("Held-out articles in three scripts (tests/extract_heldout_scripts/): recall and precision count a")
    print("figure only with the key's value, unit and qualifier; labels and periods are of the figures found.")
    print("labels: usable as written (the key's last word that the page writes is in it, one clause, whole")
    print("words); strict: the key's own last word is in it, even where the key adds one the page lacks.")
    print(f"{'script':<13}{'figures':>8}{'found':>7}{'right':>7}{'recall':>8}{'proposed':>10}{'precision':>11}"
          f"{'labels':>8}{'strict':>8}{'periods':>9}")
    for name, r in by_script(results).items():
        print(f"{name:<13}{r.curated:>8}{r.found:>7}{r.right:>7}{r.right / r.curated:>8.2f}{r.proposed:>10}"
              f"{r.right / max(r.proposed, 1):>11.2f}{r.labels / max(r.found, 1):>8.2f}"
              f"{r.strict_labels / max(r.found, 1):>8.2f}{r.periods / max(r.found, 1):>9.2f}")
    if "--misses" in sys.argv:
        for aid, r in results.items():
            for m in r.misses:
                print(f"  {aid:<18} {m}")
    print()


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
    report_scripts(measure_scripts())
    return 0


if __name__ == "__main__":
    sys.exit(main())
