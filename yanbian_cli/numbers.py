"""Figures in simplified and traditional Chinese and in Korean: parse them, find them in running text.

A *figure* is a number with what the text says about it: its magnitude
(万, 亿; 萬, 億; 만, 억, 천), its unit or classifier (亩, 元, 个, 天; 畝, 個;
무, 원, 개, 일 ...), and its qualifier (近 nearly, 余 over, 以上 at least;
근, 여, 이상, 남짓 ...). `parse_figure` reads one figure written alone (a
fact's `text`); `find_figures` scans running text for every figure in it (the
coverage test and `yb extract` use it). A traditional figure is read through
its simplified form, character for character (`TRADITIONAL`), so it keeps its
place in the text; a Korean one by the grammar in the second half of this file.

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
        "架", "艘", "匹", "口", "眼", "亩次", "趟", "班", "床", "份次", "团", "袋", "台次", "箱", "吨次",
    )],
    key=lambda p: -len(p[0]),
)
_ORDINAL_SUFFIXES = ("届", "批", "轮", "期", "次", "名", "个", "季度", "号")

_ARABIC = r"\d+(?:\.\d+)?"
_CN = r"[零〇一二两三四五六七八九十百千万亿点]+"
_PREFIX = r"(?P<prefix>将近|接近|超过|不少于|不低于|不超过|不足|不到|大约|近|约|逾)?"
_SP = r"[ \u00a0]?"  # a space a page may print inside a figure (300 余家)

# Traditional forms of the characters a figure is written with -> simplified, one for one (so a
# figure keeps its offsets). tests/test_numbers.py checks every pair against OpenCC's t2s table.
TRADITIONAL = str.maketrans(
    "萬億畝個頃噸項屆餘約過兩點場條臺輛張處級類種號歲鐘時於內戶間棟冊團輪縣頭隻週攝裏裡",
    "万亿亩个顷吨项届余约过两点场条台辆张处级类种号岁钟时于内户间栋册团轮县头只周摄里里",
)

_DATE_RE = re.compile(
    r"(?:(?P<year>\d{4})年)?(?P<month>\d{1,2})月(?P<day>\d{1,2})日(?P<before>前)?"
    r"(?:(?P<to>至|到|—|–|-|~|～)(?P<day2>\d{1,2})日)?"  # 8月25日至27日: the second day in the same month
)
# Numbers that are no figures: ranges and parts of months that name a period (2022—2023, 1~9月, 1-9월,
# 7月底, 7월말), phone numbers (0433-2512345) and round-the-clock regimes (7×24小时).
_NOT_FIGURE_RE = re.compile(r"(?<![\d.])(?:(?:19|20)\d\d\s?[—–\-~～至]\s?(?:19|20)\d\d"
                            r"|\d{1,2}\s?[—–\-~～至]\s?\d{1,2}\s?(?:月|월)"
                            r"|\d{1,2}(?:月|월 ?)(?:底|初|末|中旬|上旬|下旬|말|초|중순|상순|하순)"
                            r"|\d{3,4}-\d{7,8}|\d{1,2}[×x]\d{1,2})(?![\d.])")
_FESTIVAL_RE = re.compile(r"\d{1,2}·\d{1,2}")
_YEAR_RE = re.compile(r"(?P<year>(?:19|20)\d{2})年(?!\d)")
_FIGURE_RE = re.compile(
    _PREFIX
    + r"(?P<ordinal>第)?"
    + rf"(?P<num>{_ARABIC}|{_CN})"
    + rf"(?:{_SP}(?P<over1>余|多))?"
    + r"(?P<mag>万亿|万|亿)?"
    + rf"(?:{_SP}(?P<over2>余|多))?"
    + rf"(?:{_SP}(?P<unit>" + "|".join(re.escape(s) for s, _ in _SUFFIX_UNITS) + "))?"
    + r"(?P<suffix>以上|以下|以内|左右|前)?"
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
    fig = _date(m.group(0) if not m.group("day2") else m.string[m.start():m.start("to")], m.start(),
                m.group("year") or (str(year) if year else None), month, day)
    if fig is not None and m.group("before"):
        fig = Figure(fig.text, fig.value, fig.unit, "before", fig.start, fig.end)
    return fig


def _date(text: str, start: int, year: str | None, month: int, day: int) -> Figure | None:
    """A date figure; None for a day that does not exist (2月30日; 2月29日 only in a leap year or with no year)."""
    import datetime

    try:
        datetime.date(int(year) if year else 2000, month, day)
    except ValueError:
        return None
    value = f"{year}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
    return Figure(text, value, "date", "exact", start, start + len(text))


def _second_day(m: re.Match[str]) -> Figure | None:
    """The second day of a range (8月25日至27日 -> 27日, in August)."""
    if not m.group("day2"):
        return None
    return _date(m.group("day2") + m.string[m.end("day2"):m.end()], m.start("day2"), m.group("year"),
                 int(m.group("month")), int(m.group("day2")))


def script_of(text: str) -> str:
    """'ko' when `text` has Korean letters, else 'zh' (simplified and traditional read alike)."""
    return "ko" if any("\uac00" <= c <= "\ud7a3" for c in text) else "zh"


def parse_figure(text: str, year: int | None = None) -> Figure | None:
    """Read `text` as exactly one figure, or return None.

    `year` completes a date written without one (7月30日 -> 2022-07-30).
    """
    text = text.strip()
    if script_of(text) == "ko":
        return _parse_korean(text, year)
    simple = text.translate(TRADITIONAL)
    day = re.fullmatch(r"(\d{1,2})日", simple)
    if day and 1 <= int(day.group(1)) <= 31:
        # the end of a range whose month its start gives (8月25日至27日): ISO 8601's day alone, ---27
        return Figure(text, f"---{int(day.group(1)):02d}", "date", "exact", 0, len(text))
    m = _DATE_RE.fullmatch(simple)
    if m and not m.group("day2"):
        return _as_written(_date_figure(m, year), text)
    m = _FIGURE_RE.fullmatch(simple)
    if m and m.group("num"):
        return _as_written(_figure_from_match(m, standalone=True), text)
    return None


def _as_written(fig: Figure | None, original: str) -> Figure | None:
    """A figure found in the simplified form of `original`, with its text as `original` writes it."""
    if fig is None:
        return None
    return Figure(original[fig.start:fig.end], fig.value, fig.unit, fig.qualifier, fig.start, fig.end)


def find_figures(text: str) -> list[Figure]:
    """Every figure in running text, left to right, without overlaps.

    Dates (7月30日, 9월 8일), festival names written as dates (6·18), years
    (2021年, 2022년) and ranges that name a period (2022—2023, 1~9월) come
    first; then Korean figures; then numbers with their magnitude, unit and
    qualifier. Years are returned with unit "year" and value = the year as a
    string; ranges are not returned.
    """
    simple = text.translate(TRADITIONAL)
    found: list[Figure] = []
    taken = bytearray(len(text))  # 1 where a figure already stands

    def free(a: int, b: int) -> bool:
        return not any(taken[a:b])

    def take(a: int, b: int) -> None:
        taken[a:b] = b"\x01" * (b - a)

    def add(fig: Figure | None) -> None:
        if fig is not None and free(fig.start, fig.end):
            found.append(Figure(text[fig.start:fig.end], fig.value, fig.unit, fig.qualifier, fig.start, fig.end))
            take(fig.start, fig.end)

    for m in _NOT_FIGURE_RE.finditer(simple):
        take(m.start(), m.end())
    for m in _DATE_RE.finditer(simple):
        add(_date_figure(m, None))
        add(_second_day(m))
    korean = script_of(text) == "ko"
    if korean:
        for m in _KO_DATE_RE.finditer(text):
            add(_date(m.group(0), m.start(), m.group("year"), int(m.group("month")), int(m.group("day"))))
    for m in _FESTIVAL_RE.finditer(simple):
        if free(m.start(), m.end()):
            found.append(Figure(m.group(0), m.group(0), "date", "exact", m.start(), m.end()))
            take(m.start(), m.end())
    for m in _YEAR_RE.finditer(simple):
        if free(m.start(), m.end()):
            found.append(Figure(text[m.start():m.end()], m.group("year"), "year", "exact", m.start(), m.end()))
            take(m.start(), m.end())
    if korean:
        for ko_fig in _korean_figures(text):
            add(ko_fig)
    pos = 0
    while pos < len(simple):
        fm = _FIGURE_RE.search(simple, pos)
        if not fm:
            break
        if not fm.group("num"):
            pos = fm.end() + 1 if fm.end() == fm.start() else fm.end()
            continue
        fig = _figure_from_match(fm)
        if fig and free(fig.start, fig.end) and not (korean and _in_korean_word(text, fig)):
            add(fig)
            pos = fig.end
        else:  # not a figure: go past the whole number (G331 is not 31)
            pos = fm.end("num") if fm.group("num")[0].isdigit() else fm.start("num") + 1
    found.sort(key=lambda f: f.start)
    return found


def _in_korean_word(text: str, fig: Figure) -> bool:
    """A number glued to Korean letters that are no unit (제1중학교, 1인당, 1회성): not a figure."""
    before = text[fig.start - 1] if fig.start else ""
    after = text[fig.end] if fig.end < len(text) else ""
    return _is_hangul(before) or _is_hangul(after) or not fig.unit


def _is_hangul(ch: str) -> bool:
    return bool(ch) and "\uac00" <= ch <= "\ud7a3"


# -- Korean figures -----------------------------------------------------------------------------
# As the Korean press writes them, in Yanbian and South Korean spelling: 102.3억원, 24만무, 2340만근,
# 근 150만무, 300여개, 50% 이상, 1200근 남짓, 3만명 넘는, 약 3만톤, 제2회, 두번째, 3차, 사흘, 9월 8일.

KO_UNITS: list[tuple[str, str]] = sorted(
    [
        ("원", "CNY"), ("위안", "CNY"), ("무", "mu"), ("근", "jin"), ("톤", "t"), ("킬로그람", "kg"), ("킬로그램", "kg"),
        ("헥타르", "ha"), ("평방키로메터", "km2"), ("평방킬로메터", "km2"), ("평방킬로미터", "km2"), ("제곱킬로미터", "km2"),
        ("평방메터", "m2"), ("평방미터", "m2"), ("제곱미터", "m2"), ("키로메터", "km"), ("킬로메터", "km"), ("킬로미터", "km"),
        ("메터", "m"), ("미터", "m"), ("%", "percent"), ("퍼센트", "percent"), ("프로", "percent"),
        ("퍼센트포인트", "percentage-point"), ("프로포인트", "percentage-point"), ("일", "day"), ("날", "day"),
        ("개월", "month"), ("년", "year"), ("세", "year"), ("살", "year"), ("시간", "hour"), ("차", "ordinal"),
        ("번째", "ordinal"), ("메가와트", "MW"), ("키로와트", "kW"), ("킬로와트", "kW"),
    ]
    + [(w, "count") for w in (
        "명", "개", "건", "가구", "호", "회", "차례", "번", "종", "가지", "대", "갈래", "기", "상자", "곳", "개소", "채",
        "척", "마리", "그루", "포기", "편", "권", "장", "벌", "쌍", "개국", "인차", "명분", "봉지", "박스", "동",
    )],
    key=lambda p: -len(p[0]),
)
_KO_MAGNITUDES = {"천": 10**3, "만": 10**4, "십만": 10**5, "백만": 10**6, "천만": 10**7, "억": 10**8}
_KO_BEFORE = {"근": "nearly", "거의": "nearly", "약": "about", "대략": "about"}
_KO_AFTER = {"이상": "at-least", "이하": "at-most", "미만": "under", "남짓": "over", "넘는": "over", "넘게": "over",
             "넘은": "over", "넘어": "over", "초과": "over", "가량": "about", "정도": "about", "안팎": "about",
             "좌우": "about"}
# What may follow a unit in the same word: particles and endings (원을, 명의, 개에, 만무로서 …).
_KO_ENDINGS = ("", "은", "는", "이", "가", "을", "를", "의", "에", "에서", "에게", "와", "과", "도", "로", "으로", "로서",
               "으로서", "까지", "부터", "씩", "간", "째", "만", "당", "이며", "이고", "이다", "이였다", "이었다", "였다",
               "이라", "이라며", "이라고", "에는", "에도", "으로는", "로는", "이나", "나", "인", "에서는", "이상", "남짓",
               "정도", "가량", "여", "이하", "미만", "동안", "이면", "을로", "이란")
_KO_SUFFIXES = ("어치", "짜리", "가량", "정도", "남짓", "간", "째", "씩", "동안")  # 500만원어치를, 20일간에


def _ko_tail_ok(tail: str) -> bool:
    """Whether the letters after a unit are particles and endings (not the rest of another word)."""
    return tail in _KO_ENDINGS or any(tail.startswith(s) and tail[len(s):] in _KO_ENDINGS for s in _KO_SUFFIXES)
_KO_NATIVE_DAYS = {"이틀": 2, "사흘": 3, "나흘": 4, "닷새": 5, "엿새": 6, "이레": 7, "여드레": 8, "아흐레": 9,
                   "열흘": 10, "보름": 15}
_KO_NATIVE_ORDINALS = {"첫": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9,
                       "열": 10}
_KO_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_KO_FIGURE_RE = re.compile(
    r"(?:(?<![가-힣])(?P<before>" + "|".join(_KO_BEFORE) + r") ?)?"
    r"(?P<ordinal>제 ?)?"
    rf"(?P<num>{_KO_NUM})"
    r"(?: ?(?P<mag>" + "|".join(sorted(_KO_MAGNITUDES, key=len, reverse=True)) + r"))?"
    r"(?P<over>여)?"
    r"(?P<unit>" + "|".join(re.escape(u) for u, _ in KO_UNITS) + r")?"
    r"(?P<tail>[가-힣]*)"
    r"(?: (?P<after>" + "|".join(_KO_AFTER) + r"))?"
)
_KO_WORD_RE = re.compile(
    r"(?<![가-힣])(?:(?P<days>" + "|".join(_KO_NATIVE_DAYS) + r")|(?P<nth>" + "|".join(_KO_NATIVE_ORDINALS)
    + r") ?번째)(?P<tail>[가-힣]*)"
)
_KO_DATE_RE = re.compile(r"(?:(?P<year>(?:19|20)\d\d)년 ?)?(?P<month>\d{1,2})월 ?(?P<day>\d{1,2})일")


def _korean_match(m: re.Match[str], standalone: bool = False) -> Figure | None:
    """The Korean figure a _KO_FIGURE_RE match describes; None where it is not one (1인당, 제1중학교, 7월)."""
    unit_word = m.group("unit") or ""
    tail = m.group("tail") or ""
    if unit_word and not _ko_tail_ok(tail):  # the unit starts another word: 1회성, 5무역
        return None
    if not unit_word and (tail or not m.group("mag")) and not standalone:
        return None  # a bare number in Korean text, or one glued to a word: no figure
    if not unit_word and tail:
        return None
    value = Decimal(m.group("num").replace(",", ""))
    if m.group("mag"):
        value *= _KO_MAGNITUDES[m.group("mag")]
    if value > MAX_FIGURE:
        return None
    unit = dict(KO_UNITS)[unit_word] if unit_word else ""
    if m.group("ordinal"):
        if unit not in ("count", "ordinal") or unit_word not in ("회", "기", "차", "번", "호"):
            return None
        unit = "ordinal"
    if unit == "year" and unit_word == "년" and re.fullmatch(r"(?:19|20)\d\d", m.group("num")):
        return None  # 2022년: a year that dates a sentence
    qualifier = "over" if m.group("over") else "exact"
    if m.group("before"):
        qualifier = _KO_BEFORE[m.group("before")]
    after = m.group("after")
    if after:
        qualifier = _KO_AFTER[after]
    elif tail in _KO_AFTER:  # 50%이상: the qualifier written without a space
        qualifier = _KO_AFTER[tail]
        after = tail
    start = m.start("before") if m.group("before") else m.start("ordinal") if m.group("ordinal") else m.start("num")
    end = m.end("after") if m.group("after") else (m.end("unit") + (len(tail) if tail == after else 0)) \
        if unit_word else max(m.end("num"), m.end("mag"), m.end("over"))
    return Figure(m.string[start:end], _decimal_to_number(value), unit or "count", qualifier, start, end)


def _korean_figures(text: str) -> list[Figure]:
    figures: list[Figure] = []
    for m in _KO_FIGURE_RE.finditer(text):
        if m.group("num"):
            fig = _korean_match(m)
            if fig is not None:
                figures.append(fig)
    for m in _KO_WORD_RE.finditer(text):
        if not _ko_tail_ok(m.group("tail") or ""):
            continue
        word = m.group("days") or ""
        if word:
            figures.append(Figure(word, _KO_NATIVE_DAYS[word], "day", "exact", m.start(), m.start() + len(word)))
        else:
            end = m.end() - len(m.group("tail") or "")
            figures.append(Figure(text[m.start():end], _KO_NATIVE_ORDINALS[m.group("nth")], "ordinal", "exact",
                                  m.start(), end))
    return sorted(figures, key=lambda f: f.start)


def _parse_korean(text: str, year: int | None) -> Figure | None:
    m = _KO_DATE_RE.fullmatch(text)
    if m:
        y = m.group("year") or (str(year) if year else None)
        return _date(text, 0, y, int(m.group("month")), int(m.group("day")))
    m = _KO_FIGURE_RE.fullmatch(text)
    if m and m.group("num"):
        fig = _korean_match(m, standalone=True)
        return fig if fig is not None and fig.text == text else None
    figures = _korean_figures(text)
    return figures[0] if len(figures) == 1 and figures[0].text == text else None


def measure_word(text: str) -> str:
    """The measure word a figure is written with (名 in 600余名, 届 in 第二届, 人次 in 440人次); "" if none."""
    text = text.strip()
    if script_of(text) == "ko":
        m = _KO_FIGURE_RE.fullmatch(text)
        return (m.group("unit") or "") if m and m.group("num") else ""
    m = _FIGURE_RE.fullmatch(text.translate(TRADITIONAL))
    return (m.group("unit") or "") if m and m.group("num") else ""
