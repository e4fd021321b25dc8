"""Reading a query: slots (one per thing asked about), each with its atoms (the readings of it).

A query is read into *content* slots, which a fact must answer every one of, and
what is not content: question words and fillers (多少, how many, 몇), which only
say which kind of figure is wanted (`Want`). A slot that names a year or half-year
is a *period* slot, answered only by the fact's period; one that names a place is
answered only by the fact's place (or a place within it), its labels or its id.

An atom is one reading of what was typed: the word itself, its English stem, a
close word of the vocabulary (typos), the Chinese that a pinyin string or its
initials spell, a figure's value and unit, the other names of a place or topic.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from yanbian_cli.errors import UsageError
from yanbian_cli.record import Record
from yanbian_cli.search import words as w
from yanbian_cli.text import NUMBER_RE, decimal_text, is_cjk, is_latin, normalize, stem, tokens

if TYPE_CHECKING:  # pragma: no cover
    from yanbian_cli.search.corpus import Corpus

# Readings that are less certain than what was typed.
PINYIN_SYLLABLE_FACTOR = 0.85  # one syllable spells many characters
INITIALS_FACTOR = 0.9
PREFIX_SIM = 85.0
STEM_SIM = 95.0  # another form of an English word
EXPANSION_SIM = 90.0  # another name of the place or topic that was typed
FUZZY_CUTOFF = 80  # rapidfuzz ratio below which a vocabulary word is not a typo of the token
MAX_TYPO_FORMS = 40
MAX_INITIALS = 6  # longest run of syllables indexed by its initials (rsjgqy: 人参加工企业)
MAX_PHRASE = 8  # longest Chinese phrase an unspaced query is split into
MAX_WORDS = 40  # a query asks about at most this many things (the work of a query is bounded)
MAX_TYPO_WORDS = 8  # unknown latin words looked up as typos, in a query

STOPWORDS = w.EN_STOPWORDS | frozenset(w.KO_QUESTIONS)  # a query made only of these asks for nothing

_YEAR_RE = r"(?<![\d.])((?:19|20)\d\d)(?:年|년)?(?![\d.%万亿])"
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_RE = (r"\b(january|february|march|april|june|july|august|september|october|november|december|jan|feb|mar|"
             r"apr|jun|jul|aug|sept|sep|oct|nov|dec)\b")  # (may is also a verb: not read as a month)
_NUMBERED_MONTH_RE = r"(?<![\d.])(1[0-2]|[1-9])(?:月份?|월)(?!\s*\d)"
_PERIODS = (("上半年", "上半年"), ("下半年", "下半年"), ("first half", "上半年"), ("second half", "下半年"),
            ("상반기", "上半年"), ("상반년", "上半年"), ("하반기", "下半年"), ("하반년", "下半年"),
            ("今年", "今年"), ("this year", "今年"), ("올해", "今年"), ("금년", "今年"),
            ("去年", "去年"), ("上年", "去年"), ("last year", "去年"), ("지난해", "去年"), ("작년", "去年"))


class Atom(Record):
    """One reading of something typed: what to look for, how sure, and why."""

    kind: str  # "word", "text", "number", "digits", "date" or "period"
    surface: str
    sim: float
    how: str = ""
    percent: bool = False
    unit: str = ""  # a figure typed with its unit: the unit it must have ("" for a bare number)
    measure: str = ""  # ... and for a count, its measure word (人, 项 ...)


class Slot(Record):
    typed: str
    atoms: tuple[Atom, ...]
    role: str = "content"  # "content", "period" or "place"


class Query(Record):
    text: str
    normalized: str
    variants: tuple[tuple[Slot, ...], ...]  # alternative ways to read the whole query
    wants: tuple[w.Want, ...] = ()  # the kinds of figure the question words ask for
    fillers: tuple[str, ...] = ()  # what was typed that is not asked about
    units: tuple[tuple[str, w.Want], ...] = ()  # units typed without a number: an answer's figure is in each
    asks: tuple[tuple[str, w.Want], ...] = ()  # questions of one kind of figure (哪天, when): an answer's figure is one


# -- readings of one word ---------------------------------------------------------------------


def _latin_atoms(token: str, corpus: Corpus, typos: bool = True) -> tuple[Atom, ...]:
    """A latin token: the word, its stem, its pinyin readings, and when it is no known word, close words (typos)."""
    atoms = [Atom("word", token, 100.0)]
    stemmed = stem(token)
    if stemmed != token:
        atoms.append(Atom("word", stemmed, STEM_SIM, f"form of {token}"))
    if corpus.vocab(token):
        keys = [(token, 100.0)]
    elif len(token) <= 3 or not typos or corpus.vocab(stemmed):
        keys = []
    else:
        from rapidfuzz import fuzz, process  # only for a word the vocabulary does not know

        forms = corpus.vocab_forms()
        # A typo costs twice its distance: ratio 90 -> 80, ratio 80 (the cutoff) -> 60.
        keys = [(k, 100 - 2 * (100 - s)) for k, s, _ in
                process.extract(token, forms, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=MAX_TYPO_FORMS)]
        seen = {k for k, _ in keys}
        keys += [(k, PREFIX_SIM) for k in forms if k.startswith(token) and k not in seen][:MAX_TYPO_FORMS]
    for key, sim in keys:
        for surface in corpus.vocab(key) or ():
            if is_cjk(surface):
                factor = PINYIN_SYLLABLE_FACTOR if len(surface) == 1 else 1.0
                atoms.append(Atom("text", surface, sim * factor, f"pinyin {key}"))
            elif surface != token:
                atoms.append(Atom("word", surface, sim, f"~{key}"))
    if 2 <= len(token) <= MAX_INITIALS:
        # Surfaces come most frequent first: the likelier reading ranks a little higher.
        for rank_, surface in enumerate(corpus.initials(token)):
            atoms.append(Atom("text", surface, 100 * INITIALS_FACTOR - min(rank_, 5), f"initials {token}"))
    return tuple(atoms)


def _figure(text: str) -> Atom | None:
    """`text` as a figure: its value, and its unit when it is typed with one (12.8万亩, 98.6%, 7000人)."""
    if not any(c.isdigit() for c in text) and (len(text) < 2 or not any(c in "〇零一二两三四五六七八九十百千万亿" for c in text)):
        return None
    from yanbian_cli.numbers import parse_figure

    fig = parse_figure(text)
    if fig is None:
        return None
    if fig.unit == "date":
        return Atom("date", str(fig.value), 100.0)
    ordinal = fig.unit == "ordinal" and text.startswith(("第", "제"))  # 第2届, 제2회: typed as an ordinal
    typed_unit = fig.unit if fig.unit and (fig.unit != "ordinal" or ordinal) else ""
    measure = ""
    if typed_unit == "count":  # 7000人 -> 人
        head = re.match(r"(?:将近|接近|超过|不足|不到|大约|近|约|逾)?[\d.〇零一二两三四五六七八九十百千点]*[余多]?[万亿]*[余多]?", text)
        measure = text[head.end():] if head else ""
    magnitude = any(c in text for c in "万亿")
    if ordinal:  # the 2nd edition (第2届) is not the 2nd quarter (二季度)
        measure = w.ordinal_measure(text)
    return Atom("number", decimal_text(fig.value), 100.0, percent=fig.unit == "percent",
                unit=typed_unit or ("*" if magnitude else ""), measure=measure.rstrip("以上左右"))


# Units a rate is given per (元/公顷, 每亩): "1 hectare" typed is also that unit's word (임하삼 1헥타르 수익).
_PER_UNITS = frozenset({"ha", "mu", "km2", "m2", "t", "jin", "kg"})


def _figure_slot(raw: str, atom: Atom) -> Slot:
    # (the figure as written answers only as written: a figure is never read as text typed with a slip,
    # 第三届 is not 第三季度)
    atoms = [Atom("text", raw, 100.0, "figure as written"), atom]
    per = re.fullmatch(r"(?:1|一)\s*(\D+)", raw)
    if atom.kind == "number" and atom.surface == "1" and atom.unit in _PER_UNITS and per:
        atoms.append(Atom("text", per.group(1), 90.0, "per unit"))
    if not atom.unit and atom.kind == "number" and not atom.percent:
        m = re.match(NUMBER_RE, raw)
        if m:  # a bare number also matches a figure that shows its digits (21 in 21万亩)
            atoms.append(Atom("digits", m.group(1), 100.0, "digits as written"))
    return Slot(raw, tuple(atoms))


def _number_slot(tok: str) -> Slot:
    m = re.fullmatch(NUMBER_RE, tok)
    if m is None:  # pragma: no cover - the tokeniser only makes numbers of this form
        return Slot(tok, (Atom("text", tok, 100.0),))
    from decimal import Decimal

    magnitude = m.group(2) or ""
    value = decimal_text(Decimal(m.group(1)) * {"": 1, "万": 10**4, "亿": 10**8, "万亿": 10**12}[magnitude])
    atoms = [Atom("number", value, 100.0, percent=bool(m.group(3)), unit="*" if magnitude else "")]
    if not magnitude and not m.group(3):  # a bare number: the figures that show it (21 in 21万亩), any text that does
        atoms += [Atom("digits", m.group(1), 100.0, "digits as written"), Atom("text", tok, 100.0)]
    return Slot(tok, tuple(atoms))


def _segment(run: str, corpus: Corpus) -> list[str]:
    """Split unspaced Chinese into known phrases and fillers, fewest pieces first (面积人参 -> 面积 人参).

    Characters no phrase holds stay together as one piece.
    """
    n = len(run)
    best: list[tuple[int, int]] = [(0, 0)] + [(10**9, 0)] * n  # (cost, start of the last piece) up to i
    for i in range(1, n + 1):
        for j in range(max(0, i - MAX_PHRASE), i):
            piece = run[j:i]
            known = len(piece) > 1 and (piece in w.CJK_FILLERS or corpus.is_phrase(piece))
            cost = 1 if known else (2 * len(piece) if len(piece) == 1 else 10**6)
            if best[j][0] + cost < best[i][0]:
                best[i] = (best[j][0] + cost, j)
    pieces: list[tuple[str, bool]] = []  # (piece, whether it is a known phrase or a filler)
    i = n
    while i > 0:
        j = best[i][1]
        piece = run[j:i]
        pieces.append((piece, len(piece) > 1 or piece in w.CJK_FILLERS))
        i = j
    pieces.reverse()
    # Unknown single characters are joined into one piece (常住人口 stays whole).
    merged: list[tuple[str, bool]] = []
    for piece, known in pieces:
        if not known and merged and not merged[-1][1]:
            merged[-1] = (merged[-1][0] + piece, False)
        else:
            merged.append((piece, known))
    return [piece for piece, _ in merged]


MAX_READINGS = 4  # readings of one Chinese word looked for in Korean text (参: 삼 or 참)
READING_SIM = 90.0  # a Korean word that reads as the Chinese typed


def _korean_readings(word: str, corpus: Corpus) -> tuple[Atom, ...]:
    """A Chinese word as the Korean-language edition writes it (面积 -> 면적; 林下参 -> 림하삼 and, with the
    South Korean initial-sound rule, 임하삼), from the readings the index stores for a base with Korean
    articles; () for any other base."""
    table = corpus.readings() if len(word) >= 2 else {}
    if not table or not all(ch in table for ch in word):
        return ()
    forms = [""]
    for ch in word:
        forms = [f + r for f in forms for r in table[ch]][:MAX_READINGS]
    out = []
    for form in forms:
        out.append(Atom("text", form, READING_SIM, f"reads {form}"))
        south = w.initial_sound(form)
        if south != form:
            out.append(Atom("text", south, READING_SIM, f"reads {south}"))
    return tuple(out)


def _at_places(run: str, corpus: Corpus) -> list[str]:
    """A run of Chinese split around the place names in it (敦化建州 -> 敦化 建州): a place is asked about
    on its own."""
    for name in corpus.place_names():
        at = run.find(name)
        if at >= 0 and len(run) > len(name):
            return [*_at_places(run[:at], corpus), name, *_at_places(run[at + len(name):], corpus)]
    return [run] if run else []


# -- reading a whole query ---------------------------------------------------------------------


class _Reader:
    """Reads the parts of a query into slots, wants and fillers."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.slots: list[Slot] = []
        self.wants: list[w.Want] = []
        self.fillers: list[str] = []
        self.units: list[tuple[str, w.Want]] = []
        self.asks: list[tuple[str, w.Want]] = []
        self.typo_lookups = 0

    def filler(self, typed: str, want: w.Want | None = None, asked: str = "") -> None:
        """What was typed only to ask (`asked`: the question word as the tables write it, when `typed` carries
        more, such as a Korean particle: 몇명이 asks 몇명)."""
        self.fillers.append(typed)
        if want is not None and want not in self.wants:
            self.wants.append(want)
        self._strict(asked or typed, want)

    def _strict(self, asked: str, want: w.Want | None) -> None:
        """A question of one kind of figure (w.STRICT_QUESTIONS): an answer's figure must be of that kind."""
        if want is not None and asked in w.STRICT_QUESTIONS.get(want, ()):
            self.asks.append((asked, want))

    def content(self, slot: Slot) -> None:
        self.slots.append(slot)

    def cjk(self, run: str) -> None:
        """A run of Chinese: question phrases out (with what they ask for), the rest split into phrases."""
        i, start = 0, 0
        pieces: list[str] = []
        while i < len(run):
            for q in sorted((q for q in w.CJK_QUESTIONS if run.startswith(q, i)), key=len, reverse=True)[:1]:
                pieces.append(run[start:i])
                end = i + len(q)
                want = w.CJK_QUESTIONS[q]
                if q.endswith(("几", "多少")):  # 几项, 多少名: the measure word says what is counted
                    for m in w.CJK_MEASURES:
                        if run.startswith(m, end):
                            want = self._measure_want(m)
                            end += len(m)
                            break
                self.filler(run[i:end], want)
                i = start = end
                break
            else:
                i += 1
        pieces.append(run[start:])
        for piece in (p for piece in pieces for p in _at_places(piece, self.corpus)):
            if piece:
                for part in _segment(piece, self.corpus):
                    if part in w.CJK_FILLERS:
                        self.filler(part, w.PERCENT if part == "占" else None)
                    elif not self.unit(part):
                        self.content(Slot(part, (Atom("text", part, 100.0), *_korean_readings(part, self.corpus))))

    def unit(self, word: str, typed: str = "") -> bool:
        """A unit typed without a number (万斤, 만근, 公顷) is not a word a fact must hold: the answer is a figure in
        that unit (rank: a fact whose figure is in another unit does not answer it)."""
        unit = w.bare_unit(word)
        if unit is not None:
            want = self._measure_want(unit)
            self.filler(typed or word, want)
            self.units.append((typed or word, want))
        return unit is not None

    @staticmethod
    def _measure_want(measure: str) -> w.Want:
        if w.is_people(measure):
            return w.PEOPLE
        units = {"天": w.DURATION, "个月": w.DURATION, "元": w.MONEY, "万元": w.MONEY, "亿元": w.MONEY,
                 **{word: w.Want("unit", code) for word, code in w.CJK_UNITS.items()}}
        return units.get(measure, w.Want("measure", measure))

    def hangul(self, token: str) -> None:
        word = w.strip_korean(token)
        # (기간 is a question word, not 기 with the ending 간: the word as typed is tried when the stripped one is none)
        questions = sorted(w.KO_QUESTIONS.items(), key=lambda p: -len(p[0]))
        for typed, (question, want) in ((form, q) for form in dict.fromkeys((word, token)) for q in questions):
            if typed.startswith(question):
                rest = w.strip_korean(typed[len(question):])
                if rest in w.WORD_UNITS and want in (w.COUNT, None):  # 몇명, 몇개, 몇무
                    unit, measure = w.WORD_UNITS[rest]
                    want = self._measure_want(measure) if unit == "count" else w.Want("unit", unit)
                self.filler(token, want, asked=question + rest)
                return
        if not word or word in w.KO_LIGHT_VERBS or (len(token) > 1 and token in w.KO_ENDINGS):
            self.filler(token)  # (a particle left alone: 2025년까지 once the year is read)
            return
        if self.unit(word, token):
            return
        if self.wants and self.wants[-1] == w.COUNT and word in w.WORD_UNITS and self.fillers[-1:] == ["몇"]:
            unit, measure = w.WORD_UNITS[word]  # 몇 명: the measure word of the question before it
            self.wants[-1] = self._measure_want(measure) if unit == "count" else w.Want("unit", unit)
            self.fillers.append(token)
            self._strict("몇" + word, self.wants[-1])
            return
        atoms = [Atom("text", word, 100.0)] + ([Atom("text", token, 100.0)] if token != word else [])
        self.content(Slot(token, tuple(atoms)))

    def latin(self, token: str) -> None:
        want = w.EN_WANTS.get(token)
        if token in w.EN_STOPWORDS or token in w.EN_WANT_ONLY or len(token) == 1:  # a lone letter: Yanbian's, e-
            self.filler(token, want)
            return
        if want is not None and want not in self.wants:
            self.wants.append(want)
        self._strict(token, want)  # ("date": a word the fact must hold, and a question)
        # Looking for typos reads the whole vocabulary: a few words a query may ask for it.
        typos = self.typo_lookups < MAX_TYPO_WORDS
        self.typo_lookups += typos and not self.corpus.vocab(token)
        self.content(Slot(token, _latin_atoms(token, self.corpus, typos=typos)))


def _merge_figures(parts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Join a number with the magnitude and unit typed after it (56.35 million yuan, 150만 헥타르,
    12.8万亩 inside unspaced Chinese) into one "figure" part."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(parts):
        kind, tok = parts[i]
        if kind != "num":
            out.append(parts[i])
            i += 1
            continue
        value = tok
        j = i + 1
        if out and out[-1][0] in ("cjk", "hangul") and out[-1][1].endswith(("第", "제")) and j < len(parts) \
                and parts[j][0] in ("cjk", "hangul"):  # 第 2 届: an ordinal, its number in digits
            from yanbian_cli.numbers import parse_figure

            head = out[-1][1][-1]
            run = parts[j][1]
            k = next((k for k in range(min(len(run), 3), 0, -1)
                      if (f := parse_figure(head + tok + run[:k])) is not None and f.unit == "ordinal"), 0)
            if k:
                out[-1] = (out[-1][0], out[-1][1][:-1])
                if not out[-1][1]:
                    out.pop()
                out.append(("figure", head + tok + run[:k]))
                parts = parts[:j] + ([(parts[j][0], run[k:])] if run[k:] else []) + parts[j + 1:]
                i = j
                continue
        # Chinese right after the number: the longest head of it that makes a figure (12.8万 + 亩产 -> 12.8万亩)
        if j < len(parts) and parts[j][0] == "cjk" and not tok.endswith("%"):
            from yanbian_cli.numbers import parse_figure  # only for a number with Chinese after it

            run = parts[j][1]
            for k in range(min(len(run), 6), 0, -1):
                if run[k - 1:k + 1] in w.CJK_FILLERS:
                    continue  # 618期间: the figure 618, then 期间 (during); not 618期
                fig = parse_figure(tok + run[:k])
                if fig is not None and fig.unit and fig.unit not in ("year", "ordinal"):
                    out.append(("figure", tok + run[:k]))
                    if run[k:]:
                        parts = parts[:j] + [("cjk", run[k:])] + parts[j + 1:]
                    else:
                        j += 1
                    break
            else:
                out.append(("num", tok))
            i = j
            continue
        magnitude = 1
        unit = ""
        measure = ""
        typed = [tok]
        if j < len(parts) and parts[j][1] in w.WORD_MAGNITUDES and parts[j][0] in ("latin", "hangul"):
            magnitude = w.WORD_MAGNITUDES[parts[j][1]]
            typed.append(parts[j][1])
            j += 1
        elif j < len(parts) and parts[j][0] == "hangul" and parts[j][1][:1] in ("만", "억", "천") and \
                w.strip_korean(parts[j][1][1:]) in w.WORD_UNITS:
            magnitude = w.WORD_MAGNITUDES[parts[j][1][0]]
            parts = parts[:j] + [("hangul", parts[j][1][0]), ("hangul", parts[j][1][1:])] + parts[j + 1:]
            typed.append(parts[j][1])
            j += 1
        if j < len(parts) and parts[j][0] in ("latin", "hangul"):
            word = parts[j][1] if parts[j][0] == "latin" else w.strip_korean(parts[j][1])
            if word in w.WORD_UNITS:
                unit, measure = w.WORD_UNITS[word]
                typed.append(parts[j][1])
                j += 1
        if len(typed) == 1:
            out.append(("num", tok))
            i += 1
            continue
        from decimal import Decimal

        base = Decimal(value.rstrip("%万亿")) * (10**4 if "万" in value else 10**8 if "亿" in value else 1)
        out.append(("figure:" + "|".join((decimal_text(base * magnitude), unit or "*", measure)), " ".join(typed)))
        i = j
    return out


def _figure_part(kind: str, typed: str) -> Slot:
    """A figure read by `_merge_figures`."""
    if kind == "figure":
        atom = _figure(typed)
        if atom is not None:
            return _figure_slot(typed, atom)
        return Slot(typed, (Atom("text", typed, 100.0),))
    value, unit, measure = kind[len("figure:"):].split("|")
    atom = Atom("number", value, 100.0, percent=unit == "percent", unit=unit, measure=measure)
    return Slot(typed, (atom,))


# Words that make a period the base of a comparison, not the figure's own: 比上年增长, 较去年, more than last
# year, 지난해보다, 전년 대비.
_COMPARED_BEFORE = ("比", "较", "于", "than ", "over ", "from ", "vs ", "versus ")
_COMPARED_AFTER = ("보다", " 대비", "대비")


def _periods(normalized: str) -> tuple[str, list[Slot]]:
    """Years and half-years named in the query, taken out as period slots."""
    slots: list[Slot] = []
    for typed, period in _PERIODS:
        at = normalized.find(typed)
        named_here = False
        while at >= 0:
            end = at + len(typed)
            if normalized[:at].endswith(_COMPARED_BEFORE) or normalized[end:].startswith(_COMPARED_AFTER):
                at = normalized.find(typed, end)  # (the words stay: the fact may say what it is compared with)
                continue
            normalized = normalized[:at] + " " + normalized[end:]
            named_here = True
            at = normalized.find(typed, at + 1)
        if named_here:
            slots.append(Slot(typed, (Atom("period", period, 100.0),), "period"))
    named = any(m in normalized for m in _MONTHS if m != "may")  # (the regex costs more to compile than this)
    months = re.finditer(_MONTH_RE, normalized) if named else ()
    for m in reversed(list(months)):  # July -> 7月 (a month the page names)
        month = _MONTHS.index(m.group(1)[:3]) + 1
        slots.append(Slot(m.group(1), (Atom("period", f"{month}月", 100.0),), "period"))
        normalized = normalized[:m.start()] + " " + normalized[m.end():]
    numbered = re.finditer(_NUMBERED_MONTH_RE, normalized) if "月" in normalized or "월" in normalized else ()
    for m in reversed(list(numbered)):  # 7月, 7월 (not 7月30日, 7월 30일: a date)
        slots.append(Slot(m.group(), (Atom("period", f"{m.group(1)}月", 100.0),), "period"))
        normalized = normalized[:m.start()] + " " + normalized[m.end():]
    years = re.finditer(_YEAR_RE, normalized) if any(c.isdigit() for c in normalized) else ()
    for m in reversed(list(years)):
        slots.append(Slot(m.group(), (Atom("period", m.group(1), 100.0),), "period"))
        normalized = normalized[:m.start()] + " " + normalized[m.end():]
    return normalized, slots


def parse_query(text: str, corpus: Corpus) -> Query:
    """Read a query into alternative lists of slots, and what its question words ask for."""
    normalized = normalize(text, corpus.t2s)
    rest, periods = _periods(normalized)
    split = _Reader(corpus)  # every part its own slot; Chinese split into phrases
    joined_slots: list[Slot] = []  # hyphenated latin parts joined (e-comerce -> ecomerce)
    latin_only: list[str] = []
    raw_tokens = rest.split()
    if len(raw_tokens) > MAX_WORDS:
        raise UsageError(f"the query has too many words ({len(raw_tokens)}; at most {MAX_WORDS})")
    parts: list[tuple[str, str]] = []
    for at, raw in enumerate(raw_tokens):
        after_number = at > 0 and any(c.isdigit() for c in raw_tokens[at - 1])  # 150만 헥타르: the figure's unit
        after_per = at > 0 and raw_tokens[at - 1] in ("per", "each", "every")  # per hectare: a rate's, not a unit
        if not after_number and not after_per and split.unit(raw):
            continue
        atom = _figure(raw)
        if atom is not None and (atom.kind != "number" or atom.unit or atom.percent):
            parts.append(("figure", raw))  # a figure typed whole: 98.6%, 56.35亿元, 7月30日
            continue
        raw_parts = tokens(raw)
        latin_parts = [t for k, t in raw_parts if k == "latin"]
        if len(latin_parts) > 1 and len(latin_parts) == len(raw_parts):
            typo = not all(corpus.vocab(p) for p in latin_parts)
            joined = "".join(latin_parts)
            if typo or corpus.vocab(joined) or corpus.initials(joined):
                # e-comerce read as ecomerce; not ginseng-area, two known words that make no known one
                joined_slots.append(Slot(raw, _latin_atoms(joined, corpus, typos=typo)))
        latin_only.extend(latin_parts)
        parts.extend(raw_parts)
    for kind, tok in _merge_figures(parts):  # a number with the magnitude and unit after it, across spaces
        if kind == "num":
            split.content(_number_slot(tok))
        elif kind.startswith("figure"):
            split.content(_figure_part(kind, tok))
        elif kind == "latin":
            split.latin(tok)
        elif kind == "cjk":
            split.cjk(tok)
        elif kind == "hangul":
            split.hangul(tok)
        else:
            split.filler(tok)
    content = split.slots
    if len(content) > MAX_WORDS:
        raise UsageError(f"the query asks about too many things ({len(content)}; at most {MAX_WORDS})")
    variants: list[list[Slot]] = [periods + content]
    if joined_slots:
        joined_words = {p for s in joined_slots for p in re.split(r"[^a-z0-9]+", s.typed)}
        variants.append(periods + [s for s in content if s.typed not in joined_words] + joined_slots)
    if 1 < len(latin_only) == len(raw_tokens) and len("".join(latin_only)) <= 30 and not periods:
        # spaced pinyin ("ren shen") read as one word too, exactly (its parts carry the typos)
        variants.append([Slot(" ".join(latin_only), _latin_atoms("".join(latin_only), corpus, typos=False))])
    unique: list[tuple[Slot, ...]] = []
    for v in variants:
        expanded = tuple(_expanded(s, corpus) for s in v if s.atoms)
        if expanded and expanded not in unique:
            unique.append(expanded)
    return Query(text, normalized, tuple(unique), tuple(split.wants), tuple(split.fillers), tuple(split.units),
                 tuple(split.asks))


def _expanded(slot: Slot, corpus: Corpus) -> Slot:
    """A slot that names a place or topic also looks for that entity's other names in a fact's own fields;
    a slot that names a place is answered only by a fact's place (or its labels).

    (블루베리 names the topic whose aliases include 蓝莓, so a fact labelled 蓝莓… matches as if 蓝莓 was typed.)
    """
    if slot.role != "content":
        return slot
    extra: list[Atom] = []
    place = False
    for atom in slot.atoms[:1]:
        for kind, key in corpus.entity_names().get(normalize(atom.surface), ()):
            place = place or kind == "place"
            doc = (corpus.places if kind == "place" else corpus.topics)[key]
            for name in sorted(set(doc.exact) - {slot.typed, atom.surface}):
                if not is_latin(name):
                    extra.append(Atom("text", name, EXPANSION_SIM, f"{kind} {key}"))
                elif " " not in name:
                    extra.append(Atom("word", name, EXPANSION_SIM, f"{kind} {key}"))
    return Slot(slot.typed, slot.atoms + tuple(extra), "place" if place else "content")
