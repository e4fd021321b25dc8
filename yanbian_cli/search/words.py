"""The words a query is made of that are not what it asks about: question words and fillers in
Chinese, English and Korean, the kind of figure a question word asks for, units typed in words.

Pure data and small functions; `query.py` reads queries with them.
"""

from __future__ import annotations

from yanbian_cli.record import Record
from yanbian_cli.text import hangul_final
from yanbian_cli.units import UNITS


class Want(Record):
    """The kind of figure a question asks for: 'date', 'duration', 'money', 'percent', 'people',
    'count', 'quantity' (anything but an area, a share or a date; a count or a weight first), 'unit' (with
    `value` a unit code) or 'measure' (with `value` a measure word)."""

    kind: str
    value: str = ""


DATE, DURATION, MONEY, PERCENT, PEOPLE, COUNT = (Want("date"), Want("duration"), Want("money"), Want("percent"),
                                                Want("people"), Want("count"))
QUANTITY = Want("quantity")  # 数量: a count (游客数量), a weight, a sum (资金数量), days; not an area, share or date
MASS_UNITS = frozenset(code for code, unit in UNITS.items() if unit.dimension == "mass")

# Chinese question words and phrases, longest first when matched; each with the figure it asks for.
CJK_QUESTIONS: dict[str, Want | None] = {
    "什么时候": DATE, "哪一天": DATE, "哪天": DATE, "何时": DATE, "几月几日": DATE, "几月几号": DATE, "几号": DATE,
    "哪一年": None, "哪年": None,
    "多远": Want("unit", "km"), "有多远": Want("unit", "km"),
    "多长时间": DURATION, "多久": DURATION, "几天": DURATION, "多少天": DURATION, "几个月": DURATION,
    "多少钱": MONEY, "多少元": MONEY, "多少万元": MONEY, "多少亿元": MONEY, "多少亿": MONEY, "多少万": None,
    "百分之几": PERCENT, "百分之多少": PERCENT, "几成": PERCENT, "比例": PERCENT, "占比": PERCENT, "比重": PERCENT,
    "多少人": PEOPLE, "几人": PEOPLE, "多少名": PEOPLE, "几名": PEOPLE, "多少位": PEOPLE, "几位": PEOPLE,
    "多少人次": PEOPLE,
    "是多少": None, "有多少": None, "为多少": None, "达多少": None, "多少": None, "有多大": None, "多大": None,
    "人数": PEOPLE, "人次": PEOPLE, "数量": QUANTITY, "个数": COUNT, "数目": COUNT, "金额": MONEY, "日期": DATE,
    "是什么": None, "什么": None, "哪些": None, "哪个": None, "哪一项": None, "哪项": None, "哪里": None,
    "怎么样": None, "怎样": None, "如何": None, "几": None, "请问": None, "一共": None, "总共": None, "共计": None,
}
# Questions that ask for a date and nothing else: an answer's figure must be a date (敦化 开幕式 篮球操 哪天 is not
# answered by the 700 pupils of the drill), as a unit typed must be its unit.
DATE_QUESTIONS = frozenset({"什么时候", "哪一天", "哪天", "何时", "几月几日", "几月几号", "几号", "日期", "when", "date",
                            "언제", "날짜"})
# ... and those that ask for a number of people (not English "people", which is also a word: people's income).
PEOPLE_QUESTIONS = frozenset({"多少人", "几人", "多少名", "几名", "多少位", "几位", "多少人次", "人数", "몇명", "인원수"})
# ... those that ask for a count (个数: of people too, 学生 个数), and those that ask for a quantity (数量: never an
# area, a share or a date: 中心仓 直播间 数量 is not answered by the 1.2万平方米 of the warehouse).
NOT_QUANTITIES = frozenset({*(code for code, unit in UNITS.items() if unit.dimension == "area"),
                            "percent", "percentage-point", "date", "ordinal"})
COUNT_QUESTIONS = frozenset({"个数", "개수", "몇개"})
QUANTITY_QUESTIONS = frozenset({"数量", "수량"})
# ... and those that ask for a share (林下参 比例 is not answered by its 21万亩).
PERCENT_QUESTIONS = frozenset({"比例", "占比", "比重", "百分之几", "百分之多少", "几成", "비율", "비률", "몇퍼센트"})
STRICT_QUESTIONS: dict[Want, frozenset[str]] = {DATE: DATE_QUESTIONS, PEOPLE: PEOPLE_QUESTIONS,
                                                COUNT: COUNT_QUESTIONS, QUANTITY: QUANTITY_QUESTIONS,
                                                PERCENT: PERCENT_QUESTIONS}
# Words around a figure that say nothing about what it measures (matched as whole segments only).
CJK_FILLERS = frozenset({
    "的", "了", "吗", "呢", "吧", "啊", "呀", "是", "有", "为", "在", "和", "与", "及", "共", "都", "已", "已经", "达",
    "达到", "到", "约", "近", "将近", "接近", "大约", "超过", "余", "多", "以上", "左右", "不足", "不到", "逾", "又", "还",
    "要", "会", "能", "被", "把", "给", "对", "这", "那", "其", "该", "个", "年", "占", "里", "内", "期间", "持续",
})
# A measure word or unit after 几/多少 says what is counted (几项 -> measure 项).
CJK_MEASURES = ("人次", "批次", "平方公里", "平方米", "公顷", "个月", "万元", "亿元", "项", "名", "人", "个", "件", "次",
                "家", "户", "种", "期", "类", "批", "轮", "级", "届", "所", "座", "条", "位", "场", "款", "处", "台",
                "篇", "份", "亩", "元", "吨", "斤", "天", "年", "岁", "公里", "米", "县")
_PEOPLE = frozenset({"人", "名", "人次", "位", "万人次", "亿人次", "명"})  # (명: the Korean of 名)

EN_STOPWORDS = frozenset("""
a an the of in on at to for and or by with from into onto about as than then so
inside within during among between across through throughout via after before until while because if whether
above below against off out over under upon toward towards behind beyond along around
me myself ours ourselves yours yourself yourselves him himself hers herself itself theirs themselves
am s t don now own same such nor few other
is are was were be been being am do does did done doing have has had having
how many much what which when where who whom whose why
this that these those there here it its they their them he she his her we our you your i my me
can could will would should shall may might must
not no yes any some all each every both either neither per
up down out over under again further once also just only very too more most
get gets got getting put puts make makes made take takes took give gives gave come comes came go goes went
keep keeps kept hold holds held happen happens happened see saw seen let lets say said tell told
number numbers amount amounts total overall figure figures refer refers mean means stand stands
year's yanbian's st nd rd th
""".split())
# English words that ask for a kind of figure (only the figure's kind: they need not be matched).
EN_WANTS: dict[str, Want] = {
    "when": DATE, "date": DATE, "day": DATE,
    "long": DURATION, "duration": DURATION, "last": DURATION, "lasts": DURATION, "lasted": DURATION,
    "far": Want("unit", "km"),
    "money": MONEY, "cost": MONEY, "costs": MONEY, "spend": MONEY, "spent": MONEY, "worth": MONEY,
    "share": PERCENT, "percentage": PERCENT, "percent": PERCENT, "proportion": PERCENT, "ratio": PERCENT,
    "people": PEOPLE, "persons": PEOPLE,
    "many": COUNT,
}
# These ask for a kind and say nothing else: they are fillers, not content.
EN_WANT_ONLY = frozenset({"when", "long", "far", "money", "share", "percentage", "proportion", "many", "much", "last", "lasts",
                          "lasted", "people", "persons", "cost", "costs", "worth"})

KO_QUESTIONS: dict[str, Want | None] = {
    "언제": DATE, "며칠": DURATION, "몇일": DURATION, "기간": DURATION, "얼마나": None, "얼마": MONEY,
    "비율": PERCENT, "비률": PERCENT, "몇퍼센트": PERCENT, "몇명": PEOPLE, "몇개": COUNT, "몇": COUNT,
    "무엇": None, "뭐": None, "무슨": None, "어느": None, "어떤": None, "어디": None, "누구": None,
    "모두": None, "총": None, "전체": None, "동안": None, "현재": None, "지금": None, "정도": None, "약": None,
    "각각": None, "대략": None,
    # the Korean of 个数, 数量, 人数, 金额, 日期: they ask for a kind of figure
    "개수": COUNT, "수량": QUANTITY, "건수": COUNT, "인원수": PEOPLE, "인수": PEOPLE, "금액": MONEY, "날짜": DATE,
    "대수": COUNT,  # (台数: how many vehicles or machines)
    "몇시간": DURATION, "몇달": DURATION, "몇개월": DURATION, "몇년간": DURATION,
}
# Particles and endings a Korean word may carry (stripped, longest first, to find the word).
KO_ENDINGS = tuple(sorted({
    "은", "는", "이", "가", "을", "를", "의", "에", "에서", "에게", "으로", "로", "와", "과", "도", "만", "까지", "부터",
    "이다", "입니다", "인가", "인가요", "이야", "야", "나", "나요", "니", "니까", "냐", "지", "죠", "요", "였나", "이었나",
    "었나", "았나", "했나", "했니", "했어", "했는가", "했습니까", "됐나", "되나", "되나요", "됩니까", "인지", "이나",
    "였니", "이었니", "하나", "하나요", "합니까", "되었나", "되었나요", "습니까", "ㅂ니까", "었어", "았어", "이에요",
    "예요", "이지", "이냐", "일까", "할까", "까", "간", "동안",
}, key=len, reverse=True))
# Korean verbs that say nothing the figure does not (is, becomes, does, is held).
KO_LIGHT_VERBS = frozenset({"하", "되", "있", "이", "열리", "열", "했", "된", "한", "될", "였", "이었",
                            "걸리", "걸렸", "걸린", "걸려", "걸릴"})  # (걸리다: a time it takes)

# Units typed as words after a number (56.35 million yuan, 150만 헥타르): unit code, or ("count", measure word).
WORD_UNITS: dict[str, tuple[str, str]] = {
    "yuan": ("CNY", ""), "rmb": ("CNY", ""), "cny": ("CNY", ""), "원": ("CNY", ""), "위안": ("CNY", ""),
    "만원": ("CNY", ""), "억원": ("CNY", ""),
    "mu": ("mu", ""), "무": ("mu", ""),
    "hectare": ("ha", ""), "hectares": ("ha", ""), "ha": ("ha", ""), "헥타르": ("ha", ""),
    "tonne": ("t", ""), "tonnes": ("t", ""), "ton": ("t", ""), "tons": ("t", ""), "톤": ("t", ""),
    "kg": ("kg", ""), "kilogram": ("kg", ""), "kilograms": ("kg", ""), "킬로그램": ("kg", ""), "킬로그람": ("kg", ""),
    "jin": ("jin", ""), "근": ("jin", ""),
    "km": ("km", ""), "kilometres": ("km", ""), "kilometers": ("km", ""), "킬로미터": ("km", ""), "키로메터": ("km", ""),
    "km2": ("km2", ""), "평방킬로메터": ("km2", ""), "평방킬로미터": ("km2", ""), "제곱킬로미터": ("km2", ""),
    "평방키로메터": ("km2", ""),
    "m2": ("m2", ""), "평방미터": ("m2", ""), "제곱미터": ("m2", ""), "평방메터": ("m2", ""),
    "percent": ("percent", ""), "퍼센트": ("percent", ""), "프로": ("percent", ""),
    "days": ("day", ""), "day": ("day", ""), "일": ("day", ""), "일간": ("day", ""),
    "months": ("month", ""), "개월": ("month", ""),
    "people": ("count", "人"), "persons": ("count", "人"), "명": ("count", "名"),
    "companies": ("count", "家"), "개": ("count", "个"), "건": ("count", "件"), "가구": ("count", "户"),
}
# Chinese units of measure (not counts) -> unit code.
CJK_UNITS = {"亩": "mu", "平方公里": "km2", "平方米": "m2", "公顷": "ha", "吨": "t", "斤": "jin", "公里": "km"}


def ordinal_measure(text: str) -> str:
    """What a Chinese ordinal counts in (第二届 and 第2届 -> 届, 三季度 -> 季度, 第一轮 -> 轮); "" for another
    (제2회, 두번째: a Korean ordinal is not compared with a Chinese one)."""
    rest = text.lstrip("第").lstrip("0123456789〇零一二两三四五六七八九十百千")
    return rest if rest and "\u4e00" <= rest[0] <= "\u9fff" else ""


def bare_unit(word: str) -> str | None:
    """The unit a word typed without a number names, as the unit or measure word `_measure_want` reads
    (万斤 -> 斤, 亩 -> 亩, 亿元 -> 元, 万人 -> 人, 만근 -> 斤, 헥타르 -> 公顷, 톤 -> 吨); None for any other word. A lone 人,
    天 or 근 (근 is also "nearly") says too little alone and is not read as a unit; of the Korean units of one
    syllable only 톤 (ton) is nothing else (무, 원, 명, 개 and 건 are other words too)."""
    if word in ("value", "values"):  # the value of the vouchers, output value: a sum of money, as 产值 is
        return "元"
    head = word[:1] in ("万", "亿", "만", "억")
    rest = word[1:] if head else word
    if rest in CJK_UNITS or rest == "元":
        return rest
    if head and rest in ("人", "人次", "名"):
        return rest
    # (an English unit word of three letters or more: tonnes, hectares; not ha, mu or t, which are other words too)
    if rest in WORD_UNITS and (head or len(rest) > 1 or rest == "톤") and (not rest.isascii() or len(rest) > 2
                                                                        or rest in ("kg", "km")):
        unit, measure = WORD_UNITS[rest]
        if unit == "CNY":
            return "元"
        if unit == "count":
            return measure if head else None
        return next((cjk for cjk, code in CJK_UNITS.items() if code == unit), None)
    return None


WORD_MAGNITUDES: dict[str, int] = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "천": 10**3, "만": 10**4,
                                   "억": 10**8, "万": 10**4, "亿": 10**8}


def same_measure(a: str, b: str) -> bool:
    """Whether two measure words count the same thing (人, 名 and 人次 count people; 次 does not)."""
    return a == b or (a in _PEOPLE and b in _PEOPLE)


def is_people(measure: str) -> bool:
    return measure in _PEOPLE


# Particles that take one form after a vowel and another after a consonant (책을, 벼를): one that does not fit the
# syllable before it is part of the word (림와, forest frogs, is not 림 with 와, which would be 림과).
_AFTER_VOWEL = frozenset({"는", "가", "를", "와", "로"})
_AFTER_CONSONANT = frozenset({"은", "이", "을", "과", "으로"})


# The particle 도 also ends many nouns of two syllables (제도, 한도, 가도, 속도): a word that would keep one syllable
# without it keeps it. (Not 이 or 나, which a question needs stripped from one syllable: 몇 무나, 있나.)
_NOUN_ENDS = frozenset({"도"})


def _fits(stem: str, particle: str) -> bool:
    """Whether a particle is the form that follows `stem`'s last syllable."""
    final = hangul_final(stem[-1:])  # 0: no final consonant; 8: ㄹ
    if final < 0 or (particle not in _AFTER_VOWEL and particle not in _AFTER_CONSONANT):
        return True
    if particle == "로":
        return final in (0, 8)
    if particle == "으로":
        return final not in (0, 8)
    return (final == 0) == (particle in _AFTER_VOWEL)


def strip_korean(word: str) -> str:
    """A Korean word without the particles and endings it carries (연변의 -> 연변, 파견했나 -> 파견)."""
    for _ in range(2):
        for ending in KO_ENDINGS:
            if len(word) > len(ending) and word.endswith(ending) and _fits(word[:-len(ending)], ending) \
                    and not (ending in _NOUN_ENDS and len(word) - len(ending) == 1):
                word = word[:-len(ending)]
                break
        else:
            break
    return word


def initial_sound(word: str) -> str:
    """A Korean word as South Korean spelling writes its first syllable (the initial-sound rule): 림하삼 ->
    임하삼, 로동력 -> 노동력, 량식 -> 양식, 녀성 -> 여성; Yanbian spelling keeps ㄹ and ㄴ."""
    if not word or not "가" <= word[0] <= "힣":
        return word
    code = ord(word[0]) - 0xAC00
    initial, medial, final = code // 588, (code % 588) // 28, code % 28
    y_vowels = (2, 3, 6, 7, 12, 17, 20)  # ㅑ ㅒ ㅕ ㅖ ㅛ ㅠ ㅣ
    if initial == 5:  # ㄹ
        initial = 11 if medial in y_vowels else 2  # ㅇ or ㄴ
    elif initial == 2 and medial in y_vowels:  # ㄴ
        initial = 11
    else:
        return word
    return chr(0xAC00 + initial * 588 + medial * 28 + final) + word[1:]
