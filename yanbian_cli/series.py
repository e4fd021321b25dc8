"""One metric across periods and sources: each fact's period resolved against its article's date,
the series in time order, the change between neighbours, and the sources that disagree.

A fact's `period` is kept as the article writes it (去年, 目前, 2021年, 올해 상반기); what it means is
worked out here, from the date of the issue that printed it:

- a year (2021年, 2021) is that year; 上半年/下半年 (상반기/하반기) its halves; 1-9月/N月 a part of it;
- 今年/本年 (올해/금년) is the issue's year, 去年/上年 (지난해/작년) the one before;
- 目前, 截至目前, 现在, 当前, 至今 (현재) and no period at all are "as of" the issue's date.

A period is ordered by its last day (2021 ends 2021-12-31, 2022年上半年 2022-06-30), so that a year,
a half-year and an "as of" date can share one series. Pure functions: no files, no printing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from yanbian_cli.model import Article, Fact
from yanbian_cli.record import Record

_THIS_YEAR = ("今年", "本年", "올해", "금년", "당해")
_LAST_YEAR = ("去年", "上年", "上一年", "지난해", "작년", "전년")
_NOW = ("目前", "截至目前", "截止目前", "现在", "当前", "至今", "现已", "현재", "지금", "현재까지")
_FIRST_HALF = ("上半年", "상반기", "상반년")
_SECOND_HALF = ("下半年", "하반기", "하반년")


class Period(Record):
    """When a figure holds: `end`, the last day it covers (YYYY-MM-DD, "" when unknown), and how to say it."""

    end: str
    label: str


def resolve(period: str, date: str = "") -> Period:
    """The period a fact's text states, read against the date of its issue (YYYY-MM-DD or "")."""
    text = period.strip()
    year: int | None = None
    years = list(re.finditer(r"((?:19|20)\d\d)\s*(?:年|년)?", text))
    m = years[-1] if years else None  # a range of years (2021—2022年) holds until its last
    if m:
        year = int(m.group(1))
    elif any(w in text for w in _LAST_YEAR) and date:
        year = int(date[:4]) - 1
    elif any(w in text for w in _THIS_YEAR) and date:
        year = int(date[:4])
    if year is None:
        months = _months(text)
        if months and date:  # 7月, 1-9月 of the year
            return _part(int(date[:4]), months)
        if date and (not text or any(w in text for w in _NOW) or not months):
            return Period(date, f"as of {date}")
        return Period("", text)
    if any(w in text for w in _FIRST_HALF):
        return Period(f"{year}-06-30", f"{year} H1")
    if any(w in text for w in _SECOND_HALF):
        return Period(f"{year}-12-31", f"{year} H2")
    months = _months(text[m.end():] if m else text)
    if months:
        return _part(year, months)
    first = int(years[0].group(1)) if years else year
    return Period(f"{year}-12-31", f"{first}–{year}" if first != year else str(year))


def _months(text: str) -> tuple[int, int] | None:
    m = re.search(r"(\d{1,2})\s*(?:[-—–~至到]\s*(\d{1,2}))?\s*(?:月|월)", text)
    if not m:
        return None
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    return (first, last) if 1 <= first <= last <= 12 else None


def _part(year: int, months: tuple[int, int]) -> Period:
    first, last = months
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[last - 1]
    end = f"{year}-{last:02d}-{days:02d}"
    return Period(end, f"{year}-{first:02d}" if first == last else f"{year}-{first:02d}..{last:02d}")


class Point(Record):
    """One figure of a series: the fact, its article, when it holds, and the change since the point before."""

    fact: Fact
    article: Article | None
    period: Period
    change: float | None = None  # in the fact's unit; None when the two figures cannot be compared
    change_pct: float | None = None


def comparable(a: Fact, b: Fact) -> bool:
    """Whether a change between two figures means something: numbers in one unit, both stated exactly
    (a change from 300余家 to 350余家 is not 50)."""
    return (a.unit == b.unit and a.qualifier == b.qualifier == "exact" and not isinstance(a.value, str)
            and not isinstance(b.value, str))


def series(facts: Iterable[Fact], articles: dict[str, Article | None]) -> list[Point]:
    """The facts of one metric in time order (by the last day of their period, then by issue date), each
    with its change since the point before."""
    points = []
    for f in facts:
        article = articles.get(f.source.article)
        points.append(Point(f, article, resolve(f.period, article.date if article else "")))
    points.sort(key=lambda p: _order(p.period, p.article.date if p.article else ""))
    out: list[Point] = []
    for prev, point in zip([None, *points], points):
        if prev is not None and prev.period.end != point.period.end and comparable(prev.fact, point.fact):
            a, b = float(prev.fact.value), float(point.fact.value)
            change = b - a
            out.append(point._replace(change=change, change_pct=(change / a * 100) if a else None))
        else:
            out.append(point)
    return out


def _order(period: Period, date: str) -> tuple[str, str]:
    """Where a figure stands in its series: by the last day of its period (none: last), then its issue's date."""
    return period.end or "9999", date


def latest(points: Sequence[Point]) -> Point:
    """The point a reporter asking "how much" wants: the one of the latest period (of those that have one), of
    those that `rank` alike the last."""
    return max(reversed(points), key=lambda p: _rank(p.period, p.article.date if p.article else ""))


def _rank(period: Period, date: str) -> str:
    return f"1{period.end} {date}" if period.end else f"0 {date}"


@functools.lru_cache(maxsize=4096)
def rank(period: str, date: str) -> str:
    """Where a fact stands among the facts of its metric, as a text that sorts as `latest` chooses: the facts
    with a known last day after those without one, then by that day, then by the issue's date. The index
    keeps it beside each fact, so that the latest figure of a metric is one row read (of the facts that rank
    alike, the last in file order)."""
    return _rank(resolve(period, date), date)


class Conflict(Record):
    metric: str
    period: Period
    facts: tuple[Fact, ...]


def conflicts(metric: str, points: Sequence[Point]) -> list[Conflict]:
    """Different figures that sources give for one metric and one period."""
    by_end: dict[str, list[Point]] = {}
    for p in points:
        if p.period.end:
            by_end.setdefault(p.period.end, []).append(p)
    out = []
    for same in by_end.values():
        if len({(p.fact.value, p.fact.unit, p.fact.qualifier) for p in same}) > 1:
            out.append(Conflict(metric, same[0].period, tuple(p.fact for p in same)))
    return out
