"""Chinese and Arabic figures: parse them, find them in running text.

A *figure* is a number with what the text says about it: its magnitude
(万, 亿), its unit or classifier (亩, 元, 个, 天 ...), and its qualifier
(近 nearly, 余 over, 以上 at least ...). `parse_figure` reads one figure
written alone (a fact's `text`); `find_figures` scans running text for
every figure in it (the coverage test and `yb extract` use it).

Pure functions over strings; nothing here touches files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from yanbian_cli.units import QUALIFIERS

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_SMALL = {"十": 10, "百": 100, "千": 1000}
CN_LARGE = {"万": 10**4, "亿": 10**8}
MAX_FIGURE = Decimal(10) ** 18  # larger than any figure a paper prints: not read as one

# Measure words and units after a number, longest first, with the unit they give.
_SUFFIX_UNITS: list[tuple[str, str]] = sorted(
    [
        ("元", "CNY"), ("亩", "mu"), ("平方公里", "km2"), ("平方千米", "km2"),
        ("平方米", "m2"), ("公顷", "ha"), ("吨", "t"), ("公斤", "kg"), ("千克", "kg"),
        ("斤", "jin"), ("%", "percent"), ("天", "day"), ("个月", "month"),
        ("分钟", "minute"), ("周年", "year"), ("年", "year"), ("岁", "year"), ("小时", "hour"),
        ("个小时", "hour"), ("季度", "ordinal"), ("个季度", "count"), ("公里", "km"), ("千米", "km"),
        ("米", "m"), ("兆瓦", "MW"), ("千瓦", "kW"), ("℃", "degC"), ("摄氏度", "degC"),
        ("个百分点", "percentage-point"), ("百分点", "percentage-point"), ("成", "tenths"),
    ]
    + [(w, "count") for w in (
        "个", "名", "人次", "人", "件", "次", "家", "户", "种", "期", "项", "大类",
        "类", "批次", "批", "轮", "级", "县", "届", "所", "座", "条", "位", "场",
        "款", "套", "处", "支", "台", "辆", "篇", "份", "部", "场次", "辆次",
        "万人次", "头", "只", "株", "棵", "间", "栋", "幢", "根", "亿人次", "张", "本", "册",
        "架", "艘", "匹", "口", "眼", "亩次", "趟", "班", "床", "份次", "团",
    )],
    key=lambda p: -len(p[0]),
)
_ORDINAL_SUFFIXES = ("届", "批", "轮", "期", "次", "名", "个", "季度", "号")

_ARABIC = r"\d+(?:\.\d+)?"
_CN = r"[零〇一二两三四五六七八九十百千万亿点]+"
_PREFIX = r"(?P<prefix>将近|接近|超过|不足|不到|大约|近|约|逾)?"

_DATE_RE = re.compile(
    r"(?:(?P<year>\d{4})年)?(?P<month>\d{1,2})月(?P<day>\d{1,2})日(?P<before>前)?"
)
_FESTIVAL_RE = re.compile(r"\d{1,2}·\d{1,2}")
_YEAR_RE = re.compile(r"(?P<year>(?:19|20)\d{2})年(?!\d)")
_FIGURE_RE = re.compile(
    _PREFIX
    + r"(?P<ordinal>第)?"
    + rf"(?P<num>{_ARABIC}|{_CN})"
    + r"(?P<over1>余|多)?"
    + r"(?P<mag>万亿|万|亿)?"
    + r"(?P<over2>余|多)?"
    + "(?P<unit>" + "|".join(re.escape(s) for s, _ in _SUFFIX_UNITS) + ")?"
    + r"(?P<suffix>以上|左右|前)?"
)


@dataclass(frozen=True)
class Figure:
    """One figure: as written (`text`, at `start`..`end` when found in running text)."""

    text: str
    value: int | float | str
    unit: str
    qualifier: str
    start: int = 0
    end: int = 0


def _decimal_to_number(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


def parse_cn_number(s: str) -> Decimal | None:
    """Chinese numerals to a Decimal: 五十六点三五亿 -> 5635000000, 百 -> 100.

    Returns None for strings that are not a well-formed Chinese number.
    """
    if not s or any(c not in CN_DIGITS and c not in CN_SMALL and c not in CN_LARGE and c != "点" for c in s):
        return None
    if "点" in s:
        whole, _, rest = s.partition("点")
        frac_digits = ""
        while rest and rest[0] in CN_DIGITS:
            frac_digits += str(CN_DIGITS[rest[0]])
            rest = rest[1:]
        if not frac_digits or "点" in rest or any(c not in CN_LARGE for c in rest):
            return None
        base = parse_cn_number(whole) if whole else Decimal(0)
        if base is None:
            return None
        value = base + Decimal("0." + frac_digits)
        for c in rest:
            value *= CN_LARGE[c]
        return value
    # A plain string of digits ("二〇二一") reads digit by digit.
    if len(s) > 1 and all(c in CN_DIGITS for c in s):
        return Decimal("".join(str(CN_DIGITS[c]) for c in s))
    total = Decimal(0)  # finished 亿/万 sections
    section = Decimal(0)  # the current section below 万
    digit: int | None = None
    for c in s:
        if c in "零〇":  # a place-holding zero (一千零五) adds nothing
            digit = None
        elif c in CN_DIGITS:
            if digit is not None:  # two digits in a row outside a digit string
                return None
            digit = CN_DIGITS[c]
        elif c in CN_SMALL:
            section += (1 if digit is None else digit) * CN_SMALL[c]
            digit = None
        else:  # 万 or 亿
            section += digit or 0
            digit = None
            if section == 0 and total == 0:
                section = Decimal(1)
            if CN_LARGE[c] == 10**8:
                total = (total + section) * CN_LARGE[c]
            else:
                total = total + section * CN_LARGE[c]
            section = Decimal(0)
    section += digit or 0
    return total + section


def _qualifier(prefix: str | None, over: bool, suffix: str | None) -> str:
    if over:
        return "over"
    for code, words in QUALIFIERS.items():
        if (prefix and prefix in words) or (suffix and suffix in words):
            return code
    return "exact"


def _figure_from_match(m: re.Match[str], standalone: bool = False) -> Figure | None:
    """The figure a _FIGURE_RE match describes; None where it is not a figure.

    `standalone` is for text that is nothing but the figure: there a bare
    Chinese numeral (五十六点三五亿) counts; in running text it needs a measure word.
    """
    num = m.group("num")
    cn = not num[0].isdigit()
    ordinal = bool(m.group("ordinal"))
    # Digits inside a code (G331, 5G) are not a figure.
    before = m.string[m.start("num") - 1] if m.start("num") > 0 else ""
    after = m.string[m.end("num")] if m.end("num") < len(m.string) else ""
    if not cn and (before.isascii() and before.isalpha() or after.isascii() and after.isalpha()):
        return None
    if cn and not standalone:
        # Lone magnitudes (万里, 千方百计) and the article 一 (一批, 一支) are not figures;
        # 百/千 alone are a figure only with 余/多, or with a qualifier and a measure word
        # (百余种, 近千名; not 千方百计, 百年民俗, 千家万户).
        if (num == "一" and not ordinal) or num in ("万", "亿") or num.startswith("点"):
            return None
        if num in ("百", "千") and not (m.group("over1") or m.group("over2")
                                       or (m.group("prefix") and m.group("unit"))):
            return None
    value = parse_cn_number(num) if cn else Decimal(num)
    if value is None:
        return None
    unit_word = m.group("unit")
    if ordinal:
        if unit_word not in _ORDINAL_SUFFIXES:
            return None
        unit = "ordinal"
    elif unit_word:
        unit = dict(_SUFFIX_UNITS)[unit_word]
    else:
        # A Chinese numeral needs its measure word to count as a figure.
        if cn and not m.group("mag") and not standalone:
            return None
        unit = ""
    if m.group("mag"):
        for c in m.group("mag"):
            value *= CN_LARGE[c]
    if value > MAX_FIGURE:  # no page states such a number; float() would make it infinite
        return None
    if unit_word == "万人次":
        value *= 10**4
    if unit == "tenths":  # 四成: four tenths
        unit, value = "percent", value * 10
    suffix = m.group("suffix")
    if suffix == "前":  # 前 qualifies dates only; for numbers it starts the next word
        suffix = None
    end = m.end("suffix") if suffix else m.end("unit") if unit_word else max(m.end("num"), m.end("over1"), m.end("mag"), m.end("over2"))
    start = m.start("prefix") if m.group("prefix") else m.start("ordinal") if ordinal else m.start("num")
    text = m.string[start:end]
    qualifier = _qualifier(m.group("prefix"), bool(m.group("over1") or m.group("over2")), suffix)
    return Figure(text, _decimal_to_number(value), unit, qualifier, start, end)


def _date_figure(m: re.Match[str], year: int | None) -> Figure | None:
    month, day = int(m.group("month")), int(m.group("day"))
    y = m.group("year") or (str(year) if year else None)
    import datetime

    try:  # a day that exists (2月30日 does not; 2月29日 only in a leap year, or with no year given)
        datetime.date(int(y) if y else 2000, month, day)
    except ValueError:
        return None
    value = f"{y}-{month:02d}-{day:02d}" if y else f"--{month:02d}-{day:02d}"
    qualifier = "before" if m.group("before") else "exact"
    return Figure(m.group(0), value, "date", qualifier, m.start(), m.end())


def parse_figure(text: str, year: int | None = None) -> Figure | None:
    """Read `text` as exactly one figure, or return None.

    `year` completes a date written without one (7月30日 -> 2022-07-30).
    """
    text = text.strip()
    m = _DATE_RE.fullmatch(text)
    if m:
        return _date_figure(m, year)
    m = _FIGURE_RE.fullmatch(text)
    if m and m.group("num"):
        return _figure_from_match(m, standalone=True)
    return None


def find_figures(text: str) -> list[Figure]:
    """Every figure in running text, left to right, without overlaps.

    Dates (7月30日), festival names written as dates (6·18) and years (2021年)
    come first; then numbers with their magnitude, unit and qualifier.
    Years are returned with unit "year" and value = the year as a string.
    """
    found: list[Figure] = []
    taken = bytearray(len(text))  # 1 where a figure already stands

    def free(a: int, b: int) -> bool:
        return not any(taken[a:b])

    def take(a: int, b: int) -> None:
        taken[a:b] = b"\x01" * (b - a)

    for m in _DATE_RE.finditer(text):
        fig = _date_figure(m, None)
        if fig:
            found.append(fig)
            take(fig.start, fig.end)
    for m in _FESTIVAL_RE.finditer(text):
        if free(m.start(), m.end()):
            found.append(Figure(m.group(0), m.group(0), "date", "exact", m.start(), m.end()))
            take(m.start(), m.end())
    for m in _YEAR_RE.finditer(text):
        if free(m.start(), m.end()):
            found.append(Figure(m.group(0), m.group("year"), "year", "exact", m.start(), m.end()))
            take(m.start(), m.end())
    pos = 0
    while pos < len(text):
        fm = _FIGURE_RE.search(text, pos)
        if not fm:
            break
        if not fm.group("num"):
            pos = fm.end() + 1 if fm.end() == fm.start() else fm.end()
            continue
        fig = _figure_from_match(fm)
        if fig and free(fig.start, fig.end):
            found.append(fig)
            take(fig.start, fig.end)
            pos = fig.end
        else:  # not a figure: go past the whole number (G331 is not 31)
            pos = fm.end("num") if fm.group("num")[0].isdigit() else fm.start("num") + 1
    found.sort(key=lambda f: f.start)
    return found


def measure_word(text: str) -> str:
    """The measure word a figure is written with (名 in 600余名, 届 in 第二届, 人次 in 440人次); "" if none."""
    m = _FIGURE_RE.fullmatch(text.strip())
    return (m.group("unit") or "") if m and m.group("num") else ""
