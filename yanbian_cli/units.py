"""The unit and qualifier vocabulary of the fact base, conversions, and figures in English.

`UNITS` is the closed list of `unit` codes a fact may have; `QUALIFIERS` the
closed list of `qualifier` codes with the Chinese words that say them.
`convert` changes a value between units of one dimension (mu -> ha, jin -> t);
`figure_en` writes a fact's figure for an English reader
(近150万亩 -> "nearly 1.5 million mu (about 100,000 ha)").
"""

from __future__ import annotations

from yanbian_cli.record import Record


class Unit(Record):
    zh: str
    en: str  # plural English name
    symbol: str  # how it follows a number in English ("" for counts)
    dimension: str  # units of one dimension convert into each other
    factor: float = 1.0  # size in the dimension's base unit (m², kg, yuan)
    exact: bool = True  # whether `factor` is exact (a mu is 666.67 m², recurring)


UNITS: dict[str, Unit] = {
    "CNY": Unit("元", "yuan", "CNY", "money"),
    "CNY/ha": Unit("元/公顷", "yuan per hectare", "CNY/ha", "money per area"),
    "mu": Unit("亩", "mu", "mu", "area", 10000 / 15, exact=False),
    "ha": Unit("公顷", "hectares", "ha", "area", 10000.0),
    "km2": Unit("平方公里", "square kilometres", "km²", "area", 1e6),
    "m2": Unit("平方米", "square metres", "m²", "area", 1.0),
    "t": Unit("吨", "tonnes", "t", "mass", 1000.0),
    "kg": Unit("公斤", "kilograms", "kg", "mass", 1.0),
    "jin": Unit("斤", "jin", "jin", "mass", 0.5),
    "percent": Unit("%", "percent", "%", "percent"),
    "day": Unit("天", "days", "days", "duration", 1.0),
    "month": Unit("个月", "months", "months", "duration months"),
    "minute": Unit("分钟", "minutes", "minutes", "duration minutes"),
    "hour": Unit("小时", "hours", "hours", "duration hours"),
    "km": Unit("公里", "kilometres", "km", "length", 1000.0),
    "m": Unit("米", "metres", "m", "length", 1.0),
    "MW": Unit("兆瓦", "megawatts", "MW", "power", 1e6),
    "kW": Unit("千瓦", "kilowatts", "kW", "power", 1e3),
    "degC": Unit("℃", "degrees Celsius", "°C", "temperature"),
    "percentage-point": Unit("个百分点", "percentage points", "percentage points", "percentage points"),
    "year": Unit("年", "years", "years", "duration years"),
    "count": Unit("", "count", "", "count"),
    "ordinal": Unit("第", "ordinal", "", "ordinal"),
    "date": Unit("日期", "date", "", "date"),
}

# Qualifiers: code -> the Chinese words that say it.
QUALIFIERS: dict[str, tuple[str, ...]] = {
    "exact": (),
    "over": ("余", "多", "超过", "逾"),
    "at-least": ("以上", "不少于", "不低于"),
    "at-most": ("以内", "以下", "不超过"),
    "nearly": ("近", "将近", "接近"),
    "under": ("不足", "不到"),
    "about": ("约", "左右", "大约"),
    "before": ("前",),
}
CONVERTIBLE = ("area", "mass", "length", "power")  # dimensions whose units convert into each other
QUALIFIER_EN = {"exact": "", "over": "over ", "at-least": "at least ", "at-most": "at most ", "nearly": "nearly ",
                "under": "under ",
                "about": "about ", "before": "by "}
# The unit shown beside a figure in English, where another is easier to picture.
SHOWN_AS = {"mu": "ha", "jin": "t"}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


class UnitError(ValueError):
    """A conversion between units that measure different things."""


def convert(value: float, unit: str, target: str) -> float:
    """`value` in `unit` expressed in `target`; UnitError when they measure different things."""
    if unit == target:
        return value
    a, b = UNITS.get(unit), UNITS.get(target)
    if a is None or b is None:
        raise UnitError(f"unknown unit {target if b is None else unit!r} (known: {', '.join(UNITS)})")
    if a.dimension != b.dimension or a.dimension not in CONVERTIBLE:
        raise UnitError(f"{a.en} cannot be converted to {b.en}")
    return value * a.factor / b.factor


def number_en(value: float) -> str:
    """1500000 -> '1.5 million', 7400000000 -> '7.4 billion', 15268 -> '15,268', 24507.92 -> '24,507.92'."""
    for size, name in ((1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            scaled = value / size
            return f"{_trim(scaled)} {name}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.10g}" if abs(value) < 1000 else f"{value:,.2f}".rstrip("0").rstrip(".")


def _trim(x: float) -> str:
    return f"{round(x, 4):,.4f}".rstrip("0").rstrip(".")


def _round_sig(x: float, digits: int = 3) -> float:
    if x == 0:
        return 0
    from math import floor, log10

    return round(x, -int(floor(log10(abs(x)))) + digits - 1)


def ordinal_en(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def date_en(iso: str) -> str:
    """'2022-08-03' -> '3 August 2022'; '--07-30' -> '30 July'."""
    year, month, day = iso.rsplit("-", 2) if not iso.startswith("--") else ("", *iso[2:].split("-"))
    text = f"{int(day)} {_MONTHS[int(month) - 1]}"
    return f"{text} {year}" if year else text


def amount_en(value: float, unit: str) -> str:
    """A value with its unit, in English: 'CNY 7.4 billion', '1.5 million mu', '98.1%', '358 days'."""
    u = UNITS[unit]
    if unit == "CNY":
        return f"CNY {number_en(value)}"
    if unit == "CNY/ha":
        return f"CNY {number_en(value)} per hectare"
    if unit == "percent":
        return f"{number_en(value)}%"
    if unit in ("count", "ordinal", "date"):
        return number_en(value)
    name = u.symbol
    if unit in ("day", "month", "minute", "hour", "year") and value == 1:
        name = name[:-1]
    return f"{number_en(value)} {name}"


def figure_en(value: object, unit: str, qualifier: str) -> str:
    """A fact's figure for an English reader.

    近150万亩 -> 'nearly 1.5 million mu (about 100,000 ha)'; 74亿元 -> 'CNY 7.4 billion';
    2680万斤 -> '26.8 million jin (13,400 t)'; 第二届 -> '2nd'; 9月3日前 -> 'by 3 September 2022'.
    """
    prefix = QUALIFIER_EN.get(qualifier, "")
    if unit == "date":
        return prefix + date_en(str(value))
    if not isinstance(value, (int, float)):
        return prefix + str(value)
    if unit == "ordinal":
        return prefix + ordinal_en(int(value))
    text = prefix + amount_en(value, unit)
    shown = SHOWN_AS.get(unit)
    if shown:
        converted = convert(value, unit, shown)
        rounded = _round_sig(converted)
        about = "" if UNITS[unit].exact and abs(rounded - converted) <= 1e-9 * abs(converted) else "about "
        text += f" ({about}{amount_en(rounded, shown)})"
    return text


def convertible(unit: str) -> list[str]:
    """The units a value in `unit` can be given in: itself, and the others of its dimension."""
    u = UNITS.get(unit)
    if u is None:
        return []
    if u.dimension not in CONVERTIBLE:
        return [unit]
    return [code for code, other in UNITS.items() if other.dimension == u.dimension]


# -- figures in Korean, as the Yanbian Korean press writes them (150만무, 74억원, 7월 30일) --------

KO_UNITS = {"CNY": "원", "CNY/ha": "원/헥타르", "mu": "무", "ha": "헥타르", "km2": "평방키로메터", "m2": "평방메터",
            "t": "톤", "kg": "킬로그람", "jin": "근", "percent": "%", "percentage-point": "퍼센트포인트", "day": "일",
            "month": "개월", "minute": "분", "hour": "시간", "year": "년", "km": "키로메터", "m": "메터", "MW": "메가와트",
            "kW": "키로와트", "degC": "℃"}
# Measure words of counts, in Korean (名 -> 명, 个 -> 개 ...); others are written as a plain number.
KO_MEASURES = {"人": "명", "名": "명", "位": "명", "人次": "인차", "个": "개", "件": "건", "家": "개", "户": "호",
               "项": "가지", "种": "가지", "类": "가지", "大类": "대부류", "次": "차", "批次": "차", "期": "기", "届": "회",
               "批": "차", "轮": "차", "级": "급", "县": "개 현"}


def number_ko(value: float) -> str:
    """1500000 -> '150만', 7400000000 -> '74억', 653000000 -> '6.53억', 15268 -> '15268'."""
    for size, name in ((10**8, "억"), (10**4, "만")):
        if abs(value) >= size:
            scaled = value / size
            return f"{_trim(scaled).replace(',', '')}{name}"
    return f"{int(value)}" if float(value).is_integer() else f"{value:.10g}"


def figure_ko(value: object, unit: str, qualifier: str, measure: str = "") -> str:
    """A fact's figure for a Korean reader: 근 150만무, 74억원, 600여명, 7월 30일, 제2회."""
    if unit == "date":
        year, month, day = str(value).rsplit("-", 2) if not str(value).startswith("--") else ("", *str(value)[2:].split("-"))
        text = f"{year}년 {int(month)}월 {int(day)}일" if year else f"{int(month)}월 {int(day)}일"
        return text + (" 전" if qualifier == "before" else "")
    if not isinstance(value, (int, float)):
        return str(value)
    if unit == "ordinal":
        return f"제{int(value)}{KO_MEASURES.get(measure, '')}"
    number = number_ko(value) + ("여" if qualifier == "over" else "")
    word = KO_MEASURES.get(measure, "") if unit == "count" else KO_UNITS.get(unit, "")
    text = f"{number}{word}"
    return {"nearly": f"근 {text}", "about": f"약 {text}", "at-least": f"{text} 이상", "at-most": f"{text} 이하",
            "under": f"{text} 미만"}.get(
        qualifier, text)
