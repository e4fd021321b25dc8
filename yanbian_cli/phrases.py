"""What a figure measures and when: the noun phrase of its clause (its label) and the time phrase
of its sentence or paragraph (its period), in Chinese (simplified or traditional) and Korean.

Pure functions over strings, used by `yb extract`. A label is taken inside the figure's own
clause (never across a comma or another figure, never cut mid-word); traditional text is read
through its simplified form, character for character, and the label is returned as printed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# -- Chinese ------------------------------------------------------------------------------------

ZH_CLAUSE = "\uff0c,\u3002\uff1b;\uff1a:\uff01!\uff1f?\u3001\uff08\uff09()\u201c\u201d\"\u300c\u300d\u300e\u300f"
# Words between the thing measured and its figure (为, 达到 …), taken off the end of a label.
_ZH_VERB_TAIL = re.compile(
    r"(?:累计|共计|总计|合计|共|已经|已|均|分别|全部|增长至|提高至|提升至|发展到|增至|增加到|达到|达|实现|完成|为|是|有|约|近|超过|"
    r"占|至|到|了|的|在|将|同比增长|同比|比上年|增长|增加|下降|保持|稳定|控制|接待|吸引|带动|新增|开展|组织|提供|发放|扶持|"
    r"惠及|吸纳|建设|建成|新建|改造|打造|推出|设置|签约|参与|共有|拥有|年均|日均|平均|每年|每天|单日最多|最多|最高|"
    r"预计|计划|力争|可达|能达|达至|突破|逾|超|近|多|余|约为|分别为|分别达|为期|长|缩短至|缩短到|缩短|延长至|延长|"
    r"与|和|同|向|给|对|从)+$")
_ZH_LEAD = re.compile(r"^(?:其中|同时|此外|据了解|据介绍|另外|目前|截至目前|今年以来|近年来|今年|去年|开展|来自|"
                      r"并|和|与|及|而|但|还|也|又|共|有|占|将|使|让|为|在|对|从|向|把|被|由|于)+")
# An event after a date or an ordinal (1月13日至15日,第五届延边冰雪旅游节在延吉举办): up to its verb.
_ZH_EVENT = re.compile(r"(?:第[一二三四五六七八九十\d]+[届屆次期])?([^,\uff0c。;\uff1b:\uff1a\d]{2,20}?)"
                       r"(?=在|于|举办|举行|开幕|召开|拉开|正式|启动|将|,|\uff0c|。|为期|$)")
# After a count (72个人参产品获得…, 87家企业): the thing counted, up to the verb or particle that follows it.
_ZH_COUNTED = re.compile(r"[^,\uff0c。;\uff1b、:\uff1a“”‘’\d获取被的在是开表集为有和与及将已共中参加达实完成]{2,8}")


def zh_label(left: str, right: str, unit: str, *, wide: str = "") -> str:
    """The label of a Chinese figure from the words of its clause before (`left`) and after it (`right`);
    for a date or an ordinal, the event named after it in `wide` (the rest of the sentence). "" when
    the clause names nothing."""
    if unit in ("date", "ordinal"):
        rest = re.sub(r"^(?:至|到|—|-|~)?\d{1,2}日", "", wide).lstrip(",\uff0c ")
        event = _ZH_EVENT.match(rest)
        if event and len(event.group(1)) >= 2:
            verb = re.match(r"(?:在[^,\uff0c。]{1,8}?)?(开幕|闭幕|举办|举行|召开|启动|开园|开工)", rest[event.end():])
            return event.group(1).strip("“”‘’\"") + (verb.group(1) if verb and unit == "date" else "")
    left = left.strip(" “”‘’\"'()\uff08\uff09《》")
    label = _ZH_VERB_TAIL.sub("", _ZH_LEAD.sub("", _ZH_VERB_TAIL.sub("", left))).strip(" “”‘’\"'()\uff08\uff09")
    if unit == "percent" and left.endswith("占") and not label.endswith("占"):
        label += "占"  # 省外游客占42.3%: a share
    counted = _ZH_COUNTED.match(right.lstrip()) if unit in ("count", "") else None
    if counted:
        thing = _ZH_VERB_TAIL.sub("", counted.group())
        if len(thing) >= 2:
            if len(label) < 2 or re.search(r"(?:与|和|同|向|给|对|有|建|新建|培育|共|了|吸纳|签约|改造)$", left):
                return thing
            if len(label) <= 4:
                return label + thing
    if len(label) < 2:
        m = re.match(r"[^,\uff0c。;\uff1b、:\uff1a\d]{2,12}", right)
        label = (label + (m.group() if m else "")).strip()
    return label[-16:]


# -- Korean -------------------------------------------------------------------------------------

# Particles at the end of a word, longest first: what is left is the noun (총생산액은 -> 총생산액).
KO_PARTICLES = ("에서는", "으로는", "에게는", "이라는", "으로서", "에서", "에게", "으로", "로서", "까지", "부터", "보다", "처럼",
                "이며", "이고", "에는", "에도", "은", "는", "이", "가", "을", "를", "의", "에", "와", "과", "도", "로", "만")
# Words that end a clause: verbs and their connective endings (늘어났다, 달해, 차지하며, 했는데 …).
_KO_VERB_END = re.compile(r"(?:다|해|하고|하며|하여|했고|했으며|했는데|하는데|는데|으며|며|고|서|지만|으나|니|면|자|도록|"
                          r"였고|였으며|였는데|됐고|됐으며|되고|되며|되여|되어|돼|워|여|려|러|어난|아난|어진|아진|해진|었던|았던)$")
_KO_TIME = re.compile(r"^(?:(?:19|20)\d\d년(?:까지|부터|에는|에)?|올해(?:는|에는)?|지난해(?:는)?|현재|이미|오는|앞서|최근|"
                      r"상반기(?:에)?|하반기(?:에)?|\d{1,2}~\d{1,2}월|\d{1,2}월|들어|같은|기간|동안|각각|모두|총|약|근|또|그중|"
                      r"이는|이들이|이들은|전년보다|지난해보다|해마다|매년|하루|평균|하루평균|년간)$")
_KO_CLAUSE = ",.!?;:·…“”\"‘’()()"


def _ko_noun(word: str) -> str:
    for particle in KO_PARTICLES:
        if word.endswith(particle) and len(word) > len(particle):
            return word[: -len(particle)]
    return word


def _ko_words_before(left: str) -> list[str]:
    """The words of the figure's clause before it, from the last clause boundary (a comma, a verb ending)."""
    cut = max((left.rfind(c) for c in _KO_CLAUSE), default=-1)
    words = left[cut + 1:].split()
    if words and _KO_VERB_END.search(words[-1]) and not words[-1].endswith(("로서", "으로서")):
        return []  # a verb right before the figure: the clause before has ended
    for i in range(len(words) - 1, -1, -1):
        if _KO_VERB_END.search(words[i]) and not words[i].endswith(("로서", "으로서")) and i < len(words) - 1:
            return words[i + 1:]
    return words


def _subject_after(words: list[str]) -> str:
    """The noun phrase after a figure that the clause is about (9월 8일부터 … 제2회 연변인삼박람회가 열린다 ->
    연변인삼박람회): the words up to the first with a subject or object particle, time words and
    figures skipped; "" when a verb comes first."""
    phrase: list[str] = []
    for word in words[:8]:
        if any(c.isdigit() for c in word) or _KO_TIME.match(word) or _KO_TIME.match(_ko_noun(word)):
            phrase = []
            continue
        if any(c in ",.!?;:…()（）" for c in word):
            return ""
        if word.endswith(("이", "가", "은", "는", "을", "를")) and len(word) > 1:
            found = " ".join([*phrase, _ko_noun(word)][-3:])
            return found if found.count("‘") == found.count("’") else found.strip("‘’")
        if word.endswith(("에서", "에게", "부터", "까지", "으로", "에", "로", "와", "과", "간")):
            phrase = []  # where, from, until, with: not what the clause is about
            continue
        if _KO_VERB_END.search(word):
            return ""
        phrase.append(word)
    return ""


def ko_label(left: str, right: str, unit: str, *, wide: str = "", after_figure: bool = False) -> str:
    """The label of a Korean figure: the noun phrase before it (총생산액은 102.3억원), for a count the noun
    after it (5개 기업이, 300여상자의 사과배를), for a date, a duration or an ordinal what the clause is
    about (9월 8일부터 사흘간 … 제2회 연변인삼박람회가), read in `wide` (the rest of the sentence).
    `after_figure`: `left` starts right after another figure (and with its particle)."""
    if after_figure and left[:1] and "가" <= left[0] <= "힣":  # the particle of the figure before (3000위안을 지급하고)
        left = left.split(" ", 1)[1] if " " in left else ""
    glued = ""
    if right[:1] and "가" <= right[0] <= "힣":  # this figure's own particle (부터, 에, 의 …)
        glued, _, right = right.partition(" ")
    after = right.split()
    if unit in ("date", "day", "month", "ordinal", "year"):
        rest = wide or right
        if rest[:1] and "가" <= rest[0] <= "힣":
            rest = rest.partition(" ")[2]
        about = _subject_after(rest.split())
        if about:
            return about
    before = [w for w in _ko_words_before(left) if not _KO_TIME.match(w)]
    while before and _KO_TIME.match(_ko_noun(before[0])):
        before = before[1:]
    noun_after = ""
    if after and not any(c in _KO_CLAUSE for c in after[0]) and not any(c.isdigit() for c in after[0]):
        noun_after = _ko_noun(after[0]) if not _KO_VERB_END.search(after[0]) else ""
    phrase = before[-4:]
    if phrase:
        last = phrase[-1]
        phrase[-1] = _ko_noun(last)
        label = " ".join(_ko_noun(w) if w.endswith("의") else w for w in phrase)
        if unit == "count" and noun_after and not last.endswith(("은", "는", "이", "가")):
            return noun_after if len(label) < 2 else f"{label} {noun_after}"
        return label
    return noun_after or _subject_after(after) or _verb_noun(after, unit) or "이름 없는 수치"


_HADA = re.compile(r"^([가-힣]{2,})(?:했다|했고|했으며|했는데|하였다|하고|하며|해|하여|한|할|된|됐다|되였다)$")


def _verb_noun(words: list[str], unit: str) -> str:
    """For a figure whose clause names nothing but the action after it (1500여명을 양성했다, 10억원을 투자했고):
    the action's noun (양성, 투자) and what of it the figure counts (인원, 액)."""
    m = _HADA.match(words[0].rstrip(".,!?")) if words else None
    if m is None:
        return ""
    return m.group(1) + {"count": " 인원", "CNY": "액"}.get(unit, "")


# -- periods ------------------------------------------------------------------------------------

_ZH_PERIOD = re.compile(
    r"(?:截至|截止|到|至)?(?:(?:19|20)\d\d—(?:19|20)\d\d)?冰雪季"
    r"|(?:截至|截止到|截止|到)(?:(?:19|20)\d\d年)?(?:\d{1,2}月(?:底|末|初)?|目前|年底)?"
    r"|第[一二三四五六七八九十\d]+届[^,,。;;]{2,12}期间"
    r"|(?:19|20)\d\d年(?:上半年|下半年|前三季度|一季度|\d{1,2}[-—~至]\d{1,2}月|\d{1,2}月(?:份)?)?"
    r"|今年(?:上半年|下半年|以来|前三季度)?|去年(?:全年)?|上半年|下半年|目前|今冬|春节假期|国庆假期|冰雪季"
)
_KO_PERIOD = re.compile(
    r"(?:19|20)\d\d년(?:까지| 상반기| 하반기)?|올해(?: 상반기| 하반기| 들어| \d{1,2}~\d{1,2}월)?|지난해|"
    r"상반기|하반기|현재|\d{1,2}~\d{1,2}월|\d{1,2}월(?= [가-힣])"
)
_NOT_PERIOD_AFTER = ("보다", "比", " 같은 기간", "同期", "年比", "에 비해", "대비")


def period_phrases(text: str, korean: bool) -> list[tuple[int, int, str]]:
    """The time phrases of a text that can be a period: (start, end, phrase), in order. A comparison base
    (2018년보다, 比上一冰雪季, 지난해 같은 기간) is none. Found once for a sentence, not once for each figure."""
    pattern = _KO_PERIOD if korean else _ZH_PERIOD
    return [(m.start(), m.end(), _clean(m.group())) for m in pattern.finditer(text) if m.group().strip()
            and not text[m.end():m.end() + 6].startswith(_NOT_PERIOD_AFTER)
            and not text[max(0, m.start() - 1):m.start()] == "比"]


def period(found: list[tuple[int, int, str]], at: int, opening: list[tuple[int, int, str]]) -> str:
    """The period of the figure at `at`: the nearest time phrase of its sentence (`found`) before it, else
    after it, else the first of the paragraph's opening sentence (`opening`); "" when none."""
    import bisect

    i = bisect.bisect_right([end for _, end, _ in found], at)
    if i:
        return found[i - 1][2]
    after = [p for start, _, p in found if start >= at]
    if after:
        return after[0]
    return opening[0][2] if opening else ""


def _clean(text: str) -> str:
    return text.strip()


LabelFn = Callable[[str, str, str], str]
