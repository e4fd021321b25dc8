"""Nothing is silently left out: every number in the articles is a fact or a listed exclusion."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from conftest import DATA

from yanbian_cli.factbase import load
from yanbian_cli.model import FactBase
from yanbian_cli.numbers import find_figures

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

EXCLUSIONS = Path(__file__).with_name("number_exclusions.toml")
# Chinese numerals that are not part of any figure find_figures reads must be explained too
# (一 is left out: it is part of countless ordinary words, 一体化, 统一, 进一步 ...).
STRAY_NUMERAL_RE = re.compile("[二三四五六七八九十百千两]")


def _spans(haystack: str, needle: str, offset: int = 0) -> list[tuple[int, int]]:
    spans, i = [], haystack.find(needle)
    while needle and i >= 0:
        spans.append((offset + i, offset + i + len(needle)))
        i = haystack.find(needle, i + 1)
    return spans


def coverage(base: FactBase, exclusions: list[dict]) -> tuple[list[str], list[bool]]:
    """(the numbers in the articles that no fact states and no exclusion explains, which exclusions were used)."""
    used = [False] * len(exclusions)
    uncovered = []
    for article in base.articles.values():
        for n, paragraph in article.numbered():
            covered: list[tuple[int, int]] = []
            for fact in base.facts:
                if fact.source.article == article.id and fact.source.paragraph == n:
                    covered += _spans(fact.source.quote, fact.text, paragraph.find(fact.source.quote))
            for i, ex in enumerate(exclusions):
                if ex["article"] == article.id and ex["paragraph"] == n:
                    found = _spans(paragraph, ex["text"])
                    covered += found
                    used[i] = used[i] or bool(found)
            figures = find_figures(paragraph)
            for fig in figures:
                if not any(fig.start < e and s < fig.end for s, e in covered):
                    uncovered.append(f"{article.id} ¶{n}: {fig.text}")
            for m in STRAY_NUMERAL_RE.finditer(paragraph):
                inside = any(f.start <= m.start() < f.end for f in figures)
                if not inside and not any(s <= m.start() < e for s, e in covered):
                    uncovered.append(f"{article.id} ¶{n}: {paragraph[max(0, m.start() - 3):m.end() + 3]}")
    return uncovered, used


def test_every_number_in_the_articles_is_a_fact_or_excluded() -> None:
    exclusions = tomllib.loads(EXCLUSIONS.read_text(encoding="utf-8"))["exclude"]
    uncovered, used = coverage(load(DATA / "facts.toml"), exclusions)
    assert uncovered == [], "numbers in the articles that no fact states and no exclusion explains"
    stale = [ex for ex, u in zip(exclusions, used) if not u]
    assert stale == [], "exclusions that match nothing any more"
    assert all(ex.get("why", "").strip() for ex in exclusions), "every exclusion says why"


def test_coverage_notices_a_missing_fact_and_a_stale_exclusion() -> None:
    """The check above can fail: without the 358天 fact its number is uncovered, and an exclusion
    of a number the page does not print is reported as matching nothing."""
    base = load(DATA / "facts.toml")
    exclusions = tomllib.loads(EXCLUSIONS.read_text(encoding="utf-8"))["exclude"]
    without = base._replace(facts=tuple(f for f in base.facts if f.text != "358天"))
    uncovered, _ = coverage(without, exclusions)
    assert uncovered == ["ecology ¶3: 358天"]
    _, used = coverage(base, exclusions + [{"article": "ecology", "paragraph": 3, "text": "999天", "why": "test"}])
    assert used[-1] is False and all(used[:-1])
