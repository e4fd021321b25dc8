"""Search: one normaliser, a parsed query, scoring over weighted fields, ranked matches.

Pure functions over a `SearchIndex` (built by `yanbian_cli.index`); nothing here
reads files or prints. A query is read into *slots* (one per thing typed);
each slot has *atoms*, the alternative readings of what was typed: the word
itself, a close word of the vocabulary (typos), the Chinese that a pinyin
string spells, a number's value, the other names of a place or topic it names.
A fact's score is the mean over slots of the best atom's score, where an atom
scores its similarity times the weight of the field it is found in (label 1.0,
place 0.9, topic 0.8, quote 0.75 ...).

Every `yb` call runs this module, so it keeps its start-up cheap: no regular
expression with large Unicode ranges (they take milliseconds to compile),
`decimal` and `rapidfuzz` imported only by the queries that need them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

# Field weights: how much a match in each field counts.
WEIGHTS: dict[str, float] = {
    "id": 1.0,
    "label": 1.0,
    "label_en": 1.0,
    "alias": 1.0,
    "text": 1.0,
    "value": 1.0,
    "place": 0.9,
    "topic": 0.8,
    "period": 0.8,
    "quote": 0.75,
    "unit": 0.7,
    "place (within)": 0.65,
    "title": 0.6,
}
DEFAULT_CUTOFF = 60.0
# Readings that are less certain than what was typed.
PINYIN_SYLLABLE_FACTOR = 0.85  # one syllable spells many characters
INITIALS_FACTOR = 0.9
PREFIX_SIM = 85.0
EXPANSION_SIM = 90.0  # another name of the place or topic that was typed
SLOT_FLOOR = 40.0  # a slot whose best score over all candidates is below this matched nothing
UNMATCHED_SLOT_FACTOR = 0.9  # what each slot that matched nothing costs
FUZZY_CUTOFF = 80  # rapidfuzz ratio below which a vocabulary word is not a typo of the token
FUZZY_TEXT_CUTOFF = 60  # partial_ratio below which Chinese or Korean text is no match
FUZZY_WHEN_BELOW = 75.0  # Chinese/Korean is looked for with a slip only when no candidate holds it this well

# Words people type around a figure, by unit (matched with the unit's weight).
UNIT_WORDS: dict[str, str] = {
    "CNY": "yuan rmb cny money funds amount 元 金额 资金 钱",
    "CNY/ha": "yuan per hectare income 元 每公顷 收入",
    "mu": "mu area 亩 面积",
    "km2": "area square kilometres kilometers km2 平方公里 面积",
    "m2": "area square metres meters m2 平方米 面积",
    "ha": "hectares area 公顷 面积",
    "t": "tonnes tons weight capacity 吨",
    "kg": "kilograms weight 公斤",
    "jin": "jin weight output 斤",
    "percent": "percent percentage share rate ratio proportion 比例 比率 占比 百分比",
    "day": "days duration 天 天数",
    "month": "months duration 月",
    "minute": "minutes time 分钟",
    "year": "years anniversary 年 周年",
    "count": "number count how many 数量 个数",
    "ordinal": "edition batch round 第 届 批",
    "date": "date when day 日期 时间 哪天",
}
# Question and function words of Chinese queries (多少, 一共 ...), removed from a run of Chinese
# that has other words in it.
CJK_FUNCTION_WORDS = ("多少钱", "是多少", "有多少", "多少", "一共", "总共", "几个", "几项", "什么", "哪些", "哪个", "怎么",
                      "了", "的", "吗", "呢", "是", "有")
STOPWORDS = frozenset(
    "a an the of in on at to for and or by with from is are was were how many much what which when".split()
    # Korean question words and counters: how many, counter, number, how much, when, how many days, what
    + "몇 개 몇개 수 얼마 얼마나 언제 며칠 무엇 뭐 은 는 이 가 을 를 의".split()
)

# Patterns are strings, compiled (and cached by `re`) on first use, and none has a large
# Unicode range (CJK and Hangul are \w letters): compiling one of those takes milliseconds.
_TOKEN_RE = r"[a-z][a-z0-9]*|\d+(?:\.\d+)?(?:万亿|万|亿)?%?|[^\W\d_a-z]+|[^\s\w]+|_"
_SEPARATOR_RE = r"[^\w%.]+|_|(?<!\d)\.|\.(?!\d)"
_TONE_DIGIT_RE = r"(?<=[a-z])[1-5](?=[a-z]|\b)"
_MIDDOT_RE = r"(?<=\d)[·・•](?=\d)"
_MAGNITUDE_SPACE_RE = r"(?<=\d)\s+(?=[万亿])"
_NUMBER_RE = r"(\d+(?:\.\d+)?)(万亿|万|亿)?(%?)"


# -- normalisation ---------------------------------------------------------------------


def _strip_latin_marks(text: str) -> str:
    """rénshēn -> renshen, lǜ -> lv; Hangul and CJK are left whole."""
    if text.isascii():
        return text
    out = []
    for ch in text:
        if "\u00c0" <= ch <= "\u024f" or "\u1e00" <= ch <= "\u1eff":
            if ch in "üǖǘǚǜ":
                out.append("v")
                continue
            out.append("".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)))
        else:
            out.append(ch)
    return "".join(out)


def normalize(text: str, t2s: Mapping[int, str] | None = None) -> str:
    """The one normaliser, for queries and indexed fields alike.

    NFKC (full-width digits and letters), casefold, traditional -> simplified
    (through the index's table), Latin accents and pinyin tone marks/digits
    dropped, 6·18 -> 618, `56.35 亿` -> `56.35亿`, separators collapsed to
    single spaces. Keeps `%` and decimal points, so `98.1%` survives.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    if t2s:
        text = text.translate(t2s)
    text = _strip_latin_marks(text)
    if any(c.isdigit() for c in text):
        text = re.sub(_MIDDOT_RE, "", text) if "·" in text or "・" in text or "•" in text else text
        text = re.sub(_MAGNITUDE_SPACE_RE, "", text) if "万" in text or "亿" in text else text
        text = re.sub(_TONE_DIGIT_RE, "", text)
    return " ".join(re.sub(_SEPARATOR_RE, " ", text).split())


def _script(ch: str) -> str:
    if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff":
        return "cjk"
    if "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f":
        return "hangul"
    return "other"


def tokens(normalized: str) -> list[tuple[str, str]]:
    """(kind, token) pairs of normalised text; kinds: latin, num, cjk, hangul, other."""
    out: list[tuple[str, str]] = []
    for m in re.finditer(_TOKEN_RE, normalized):
        tok = m.group()
        first = tok[0]
        if "a" <= first <= "z":
            out.append(("latin", tok))
        elif first.isdigit() and first.isascii():
            out.append(("num", tok))
        else:
            # A run of letters: split where the script changes (人参룡정 -> 人参, 룡정).
            start, kind = 0, _script(first)
            for i in range(1, len(tok)):
                k = _script(tok[i])
                if k != kind:
                    out.append((kind, tok[start:i]))
                    start, kind = i, k
            out.append((kind, tok[start:]))
    return out


def is_latin(text: str) -> bool:
    return all(c < "\u0250" for c in text)


def is_cjk(text: str) -> bool:
    return bool(text) and all(_script(c) == "cjk" for c in text)


def decimal_text(value: object) -> str:
    """A number as plain decimal text, the same however it was written: 5.635E+9 -> 5635000000."""
    from decimal import Decimal

    return format(Decimal(str(value)).normalize(), "f")


# -- the index that search reads ---------------------------------------------------------


class Doc(NamedTuple):
    """What search knows of one fact (or of a place or topic): normalised fields."""

    key: str
    order: int = 0
    exact: tuple[str, ...] = ()  # whole normalised id, labels, aliases
    texts: tuple[tuple[str, str], ...] = ()  # (field, normalised text) for substring matches
    words: Mapping[str, str] = {}  # latin word -> the best field it occurs in
    values: tuple[str, ...] = ()  # the value: decimal text (+ "%" for percent), or an ISO date
    digits: tuple[str, ...] = ()  # digit strings written in the text, label, aliases, period
    place: str = ""
    topic: str = ""
    joined: str = ""  # every text, for one quick `in` test before looking field by field

    def to_json(self) -> dict:
        return {"key": self.key, "order": self.order, "exact": sorted(self.exact), "texts": self.texts,
                "words": self.words, "values": self.values, "digits": self.digits, "place": self.place,
                "topic": self.topic}

    @classmethod
    def from_json(cls, d: Mapping) -> Doc:
        texts = tuple((f, t) for f, t in d["texts"])
        return cls(d["key"], d["order"], tuple(d["exact"]), texts, d["words"], tuple(d["values"]),
                   tuple(d["digits"]), d["place"], d["topic"], "\x1f".join(t for _, t in texts))


class SearchIndex:
    """Everything a query needs, precomputed: docs, places, topics, vocabularies, t2s table.

    `vocab` maps a latin form (an English word, or the pinyin of a phrase of the
    corpus) to the surfaces it stands for (the word itself, or the Chinese).
    `initials` maps pinyin initials (rs) to the Chinese phrases they abbreviate,
    most frequent first. `phrases` holds the Chinese phrases of labels, aliases,
    places and topics, used to split an unspaced Chinese query into words.
    The mappings may be lazy (backed by SQLite): search only calls `get`,
    `in` and, for typos, `keys`.
    """

    def __init__(self, docs: Sequence[Doc], places: Mapping[str, Doc], place_chains: Mapping[str, Sequence[str]],
                 topics: Mapping[str, Doc], vocab: Mapping[str, Sequence[str]], initials: Mapping[str, Sequence[str]],
                 phrases: Iterable[str] | object, t2s: Mapping[int, str]) -> None:
        self.docs = docs
        self.places = places
        self.place_chains = place_chains
        self.topics = topics
        self.vocab = vocab
        self.initials = initials
        self.phrases = phrases
        self.t2s = t2s
        self._names: dict[str, tuple[tuple[str, str], ...]] | None = None

    def entity_names(self) -> Mapping[str, tuple[tuple[str, str], ...]]:
        """normalised name or alias -> the places and topics it names."""
        if self._names is None:
            names: dict[str, list[tuple[str, str]]] = {}
            for kind, docs in (("place", self.places), ("topic", self.topics)):
                for key, doc in docs.items():
                    for name in doc.exact:
                        names.setdefault(name, []).append((kind, key))
            self._names = {k: tuple(v) for k, v in names.items()}
        return self._names

    def candidates(self, query: Query, only: Filter | None = None) -> Iterable[Doc]:
        """Docs worth scoring (those `only` accepts); a large index narrows them with a prefilter."""
        if only is None:
            return self.docs
        return [d for d in self.docs if only.accepts(d.topic, self.place_chains.get(d.place, (d.place,)))]


class Filter(NamedTuple):
    """--topic and --place: keep a fact of this topic, about this place or a place within it."""

    topic: str | None = None
    place: str | None = None

    def accepts(self, topic: str, place_chain: Sequence[str]) -> bool:
        return (self.topic is None or topic == self.topic) and (self.place is None or self.place in place_chain)


# -- queries ---------------------------------------------------------------------------


class Atom(NamedTuple):
    """One reading of something typed: what to look for, how sure, and why."""

    kind: str  # "word", "text", "number", "digits" or "date"
    surface: str
    sim: float
    how: str = ""
    percent: bool = False


class Slot(NamedTuple):
    typed: str
    atoms: tuple[Atom, ...]


class Query(NamedTuple):
    text: str
    normalized: str
    variants: tuple[tuple[Slot, ...], ...]  # alternative ways to read the whole query


class MatchPart(NamedTuple):
    """For --explain: which field matched one slot of the query, and its score."""

    typed: str
    field: str
    matched: str
    score: float
    how: str = ""


class Match(NamedTuple):
    key: str
    score: float
    order: int
    parts: tuple[MatchPart, ...] = ()


_NO_PART = MatchPart("", "", "", 0.0)


def _latin_atoms(token: str, index: SearchIndex, typos: bool = True) -> tuple[Atom, ...]:
    """A latin token: the word, its pinyin readings, and when it is no known word, close words (typos)."""
    atoms = [Atom("word", token, 100.0)]
    exact = index.vocab.get(token)
    if exact:
        keys = [(token, 100.0)]
    elif len(token) <= 3 or not typos:
        keys = []
    else:
        from rapidfuzz import fuzz, process  # only for a word the vocabulary does not know

        forms = index.vocab.keys()
        # A typo costs twice its distance: ratio 90 -> 80, ratio 80 (the cutoff) -> 60.
        keys = [(k, 100 - 2 * (100 - s)) for k, s, _ in
                process.extract(token, forms, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=40)]
        seen = {k for k, _ in keys}
        keys += [(k, PREFIX_SIM) for k in forms if k.startswith(token) and k not in seen][:40]
    for key, sim in keys:
        for surface in index.vocab.get(key, ()):
            if is_cjk(surface):
                factor = PINYIN_SYLLABLE_FACTOR if len(surface) == 1 else 1.0
                atoms.append(Atom("text", surface, sim * factor, f"pinyin {key}"))
            elif surface != token:
                atoms.append(Atom("word", surface, sim, f"~{key}"))
    if 2 <= len(token) <= 6:
        # Surfaces come most frequent first: the likelier reading ranks a little higher.
        for rank_, surface in enumerate(index.initials.get(token, ())):
            atoms.append(Atom("text", surface, 100 * INITIALS_FACTOR - min(rank_, 5), f"initials {token}"))
    return tuple(atoms)


def _segment(run: str, phrases: object) -> list[str]:
    """Split unspaced Chinese into known phrases, longest first (面积人参 -> 面积 人参)."""
    out: list[str] = []
    i = 0
    while i < len(run):
        for j in range(min(len(run), i + 8), i, -1):
            if j == i + 1 or run[i:j] in phrases:  # type: ignore[operator]
                out.append(run[i:j])
                i = j
                break
    # Single characters left over are joined back into their neighbours' run.
    merged: list[str] = []
    for piece in out:
        if merged and len(piece) == 1 and len(merged[-1]) == 1:
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged


def _figure_slot(raw: str) -> Slot | None:
    """A whole token that is a figure (98.6%, 56.35亿元, 五十六点三五亿, 7月30日) read as one."""
    if not any(c.isdigit() for c in raw) and (len(raw) < 2 or not any(c in "〇零一二两三四五六七八九十百千万亿" for c in raw)):
        return None
    from yanbian_cli.numbers import parse_figure

    fig = parse_figure(raw)
    if fig is None:
        return None
    atoms = [Atom("text", raw, 100.0)]
    if fig.unit == "date":
        atoms.append(Atom("date", str(fig.value), 100.0))
    else:
        atoms.append(Atom("number", decimal_text(fig.value), 100.0, percent=fig.unit == "percent"))
        digits = re.match(_NUMBER_RE, raw)
        if digits:
            atoms.append(Atom("digits", digits.group(1), 100.0, "digits as written"))
    return Slot(raw, tuple(atoms))


def _expanded(slot: Slot, index: SearchIndex) -> Slot:
    """A slot that names a place or topic also looks for that entity's other names in a fact's own fields.

    (블루베리 names the topic whose aliases include 蓝莓, so a fact labelled 蓝莓… matches as if 蓝莓 was typed.)
    """
    extra: list[Atom] = []
    for kind, key in index.entity_names().get(slot.typed, ()):
        doc = (index.places if kind == "place" else index.topics)[key]
        for name in sorted(set(doc.exact) - {slot.typed}):
            if not is_latin(name):
                extra.append(Atom("text", name, EXPANSION_SIM, f"{kind} {key}"))
            elif " " not in name:
                extra.append(Atom("word", name, EXPANSION_SIM, f"{kind} {key}"))
    return Slot(slot.typed, slot.atoms + tuple(extra)) if extra else slot


def _slots_for(kind: str, tok: str, index: SearchIndex) -> list[Slot]:
    if kind == "num":
        m = re.fullmatch(_NUMBER_RE, tok)
        if m is None:  # pragma: no cover - the tokeniser only makes numbers of this form
            return [Slot(tok, (Atom("text", tok, 100.0),))]
        from decimal import Decimal

        value = decimal_text(Decimal(m.group(1)) * {"": 1, "万": 10**4, "亿": 10**8, "万亿": 10**12}[m.group(2) or ""])
        return [Slot(tok, (Atom("number", value, 100.0, percent=bool(m.group(3))),
                           Atom("digits", m.group(1), 100.0, "digits as written")))]
    if kind == "latin":
        return [Slot(tok, _latin_atoms(tok, index))]
    if kind == "cjk" and len(tok) > 2:
        stripped = tok
        for word in CJK_FUNCTION_WORDS:
            stripped = stripped.replace(word, " ")
        if stripped.split() and stripped.replace(" ", "") != tok:
            return [s for part in stripped.split() for s in _slots_for(kind, part, index)]
        pieces = _segment(tok, index.phrases)
        if len(pieces) > 1:
            return [Slot(p, (Atom("text", p, 100.0),)) for p in pieces]
    return [Slot(tok, (Atom("text", tok, 100.0),))]


def parse_query(text: str, index: SearchIndex) -> Query:
    """Read a query into alternative lists of slots (one slot per thing typed)."""
    normalized = normalize(text, index.t2s)
    split_slots: list[Slot] = []  # every part its own slot; Chinese split into phrases
    joined_slots: list[Slot] = []  # hyphenated latin parts joined (e-comerce -> ecomerce); Chinese whole
    latin_only: list[str] = []
    raw_tokens = normalized.split()
    for raw in raw_tokens:
        figure = _figure_slot(raw)
        if figure is not None:
            split_slots.append(figure)
            joined_slots.append(figure)
            continue
        parts = tokens(raw)
        latin_parts = [t for k, t in parts if k == "latin"]
        all_latin = len(latin_parts) > 1 and len(latin_parts) == len(parts)
        if all_latin:
            # e-comerce -> ecomerce; looked up with typos only when a part is no known word
            typo = not all(index.vocab.get(p) for p in latin_parts)
            joined_slots.append(Slot(raw, _latin_atoms("".join(latin_parts), index, typos=typo)))
        for kind, tok in parts:
            slots = _slots_for(kind, tok, index)
            split_slots.extend(slots)
            if not all_latin:
                whole = kind in ("cjk", "hangul", "other")
                joined_slots.extend([Slot(tok, (Atom("text", tok, 100.0),))] if whole else slots)
        latin_only.extend(latin_parts)
    # Stop words count only when the query has nothing else.
    content = [s for s in split_slots if s.typed not in STOPWORDS] or split_slots
    variants = [content, [s for s in joined_slots if s.typed not in STOPWORDS] or joined_slots]
    if 1 < len(latin_only) == len(raw_tokens) and len("".join(latin_only)) <= 30:
        # spaced pinyin ("ren shen") read as one word too, exactly (its parts carry the typos)
        variants.append([Slot(" ".join(latin_only), _latin_atoms("".join(latin_only), index, typos=False))])
    unique: list[tuple[Slot, ...]] = []
    for v in variants:
        slots = tuple(_expanded(s, index) for s in v if s.atoms)
        if slots and slots not in unique:
            unique.append(slots)
    return Query(text, normalized, tuple(unique))


# -- scoring ---------------------------------------------------------------------------


def _date_score(atom: Atom, doc: Doc) -> tuple[float, str]:
    """100 for the same date; a date typed without a year matches any year."""
    month_day = atom.surface[-6:]  # "-07-30"
    for v in doc.values:
        if v == atom.surface or (v.endswith(month_day) and (atom.surface.startswith("--") or v.startswith("--"))):
            return 100.0, v
    return 0.0, ""


def _number_score(atom: Atom, doc: Doc) -> tuple[float, str]:
    """100 for the same value; less for a near value (a rounded figure)."""
    q = float(atom.surface)
    best = (0.0, "")
    for v in doc.values:
        if not v[:1].isdigit() or v[4:5] == "-":  # a date
            continue
        is_percent = v.endswith("%")
        if atom.percent and not is_percent:
            continue
        if v.rstrip("%") == atom.surface:
            return 100.0, v
        value = float(v.rstrip("%"))
        if value and q:
            rel = abs(value - q) / max(abs(value), abs(q))
            if rel <= 0.005:  # a rounded figure: 14.7亿 for 14.72亿
                best = max(best, (85.0, v))
            elif rel <= 0.02:  # near, but below the cutoff on its own
                best = max(best, (50.0, v))
    return best


def _holds_figure(text: str, figure: str) -> bool:
    """`figure` (it starts with a digit) in `text`, not as part of a longer number
    (98.1% is not in 998.1%, 5 is not in 56.58%)."""
    start = text.find(figure)
    while start >= 0:
        end = start + len(figure)
        before_ok = start == 0 or not (text[start - 1].isdigit() or text[start - 1] == ".")
        after_ok = not figure[-1].isdigit() or end == len(text) or not (
            text[end].isdigit() or (text[end] == "." and end + 1 < len(text) and text[end + 1].isdigit()))
        if before_ok and after_ok:
            return True
        start = text.find(figure, start + 1)
    return False


def _own(atom: Atom, doc: Doc) -> MatchPart:
    """The best match of one atom in one doc's own fields (exact matches only)."""
    kind = atom.kind
    if kind == "text":
        if atom.surface not in doc.joined:
            return _NO_PART
        best = _NO_PART
        contains = _holds_figure if atom.surface[0].isdigit() else str.__contains__
        for f, text in doc.texts:
            if contains(text, atom.surface):
                s = atom.sim * WEIGHTS[f]
                if s > best.score:
                    best = MatchPart("", f, atom.surface, s, atom.how)
        return best
    if kind == "word":
        f = doc.words.get(atom.surface)
        return MatchPart("", f, atom.surface, atom.sim * WEIGHTS[f], atom.how) if f else _NO_PART
    if kind == "digits":
        return MatchPart("", "text", atom.surface, atom.sim, atom.how) if atom.surface in doc.digits else _NO_PART
    score, matched = (_number_score if kind == "number" else _date_score)(atom, doc)
    return MatchPart("", "value", matched, score * atom.sim / 100, atom.how) if score else _NO_PART


def own_match(atom: Atom, doc: Doc) -> bool:
    """Whether the atom is found, exactly, in the doc's own fields."""
    return _own(atom, doc).score > 0


def _fuzzy_own(atom: Atom, doc: Doc) -> MatchPart:
    """Chinese or Korean typed with a slip: the closest field by partial_ratio."""
    from rapidfuzz import fuzz  # only when nothing matched exactly

    best = _NO_PART
    for f, text in doc.texts:
        # partial_ratio slides the shorter string along the longer: a field shorter
        # than what was typed is compared whole instead.
        scorer = fuzz.partial_ratio if len(text) > len(atom.surface) else fuzz.ratio
        r = scorer(atom.surface, text, score_cutoff=FUZZY_TEXT_CUTOFF)
        if r:
            s = atom.sim * WEIGHTS[f] * r / 100
            if s > best.score:
                best = MatchPart("", f, text if len(text) <= 40 else text[:39] + "…", s, "similar")
    return best


def _may_have_slips(atom: Atom) -> bool:
    """Chinese or Korean typed by the user, three characters or more (two share too little to be a slip)."""
    return atom.kind == "text" and not atom.how and len(atom.surface) >= 3 and not any(c.isdigit() for c in atom.surface)


class _Scorer:
    """Scores candidate docs for one query."""

    def __init__(self, index: SearchIndex, docs: Sequence[Doc]) -> None:
        self.index = index
        self.docs = docs

    def _entities(self, slot: Slot, fuzzy: bool) -> dict[tuple[str, str], MatchPart]:
        """The best match of the slot in each place and topic that any candidate is about."""
        best: dict[tuple[str, str], MatchPart] = {}
        wanted = {("topic", d.topic) for d in self.docs}
        for d in self.docs:
            wanted.update(("place", p) for p in self.index.place_chains.get(d.place, (d.place,)))
        for kind, key in wanted:
            doc = (self.index.places if kind == "place" else self.index.topics).get(key)
            if doc is None:
                continue
            part = _NO_PART
            for atom in slot.atoms:
                if atom.kind in ("word", "text"):
                    p = _own(atom, doc)
                    if not p.score and fuzzy and _may_have_slips(atom):
                        p = _fuzzy_own(atom, doc)
                    if p.score > part.score:
                        part = p
            if part.score:
                best[(kind, key)] = part
        return best

    def slot(self, slot: Slot) -> list[MatchPart]:
        """The best match of one slot in every candidate (own fields, its places, its topic)."""
        parts = self._slot_pass(slot, fuzzy=False)
        typed = [a for a in slot.atoms if _may_have_slips(a)]
        if typed and not any(p.score >= FUZZY_WHEN_BELOW for p in parts):
            # Nothing holds what was typed: look for it with a slip (partial_ratio).
            fuzzy = self._slot_pass(slot, fuzzy=True)
            parts = [f if f.score > p.score else p for p, f in zip(parts, fuzzy)]
        return parts

    def _slot_pass(self, slot: Slot, fuzzy: bool) -> list[MatchPart]:
        entities = self._entities(slot, fuzzy)
        chains = self.index.place_chains
        out = []
        for doc in self.docs:
            best = _NO_PART
            for atom in slot.atoms:
                p = _own(atom, doc)
                if not p.score and fuzzy and _may_have_slips(atom):
                    p = _fuzzy_own(atom, doc)
                if p.score > best.score:
                    best = p
            if entities and best.score < 100:
                for depth, place in enumerate(chains.get(doc.place, (doc.place,))):
                    e = entities.get(("place", place))
                    field_name = "place" if depth == 0 else "place (within)"
                    if e and e.score * WEIGHTS[field_name] > best.score:
                        best = MatchPart("", field_name, f"{place}: {e.matched}", e.score * WEIGHTS[field_name], e.how)
                e = entities.get(("topic", doc.topic))
                if e and e.score * WEIGHTS["topic"] > best.score:
                    best = MatchPart("", "topic", f"{doc.topic}: {e.matched}", e.score * WEIGHTS["topic"], e.how)
            out.append(best._replace(typed=slot.typed))
        return out

    def variant(self, slots: tuple[Slot, ...]) -> list[tuple[float, tuple[MatchPart, ...]]]:
        """(score, parts) of every candidate for one reading of the query.

        A slot that nothing matches in any candidate (a function word, 多少, `how`, a
        word of a language the data lacks) is left out of the mean, and each one left
        out costs a little, so a fact that matches everything typed still ranks first.
        """
        columns = [self.slot(s) for s in slots]
        kept = [i for i, col in enumerate(columns) if max((p.score for p in col), default=0.0) >= SLOT_FLOOR]
        penalty = UNMATCHED_SLOT_FACTOR ** (len(slots) - len(kept))
        out = []
        for row in zip(*columns):
            score = sum(row[i].score for i in kept) / len(kept) * penalty if kept else 0.0
            out.append((score, row))
        return out


def rank(query: Query, index: SearchIndex, docs: Iterable[Doc]) -> list[Match]:
    """Every candidate doc scored, best first (ties keep the fact file's order).

    A doc's score is its best over the query's readings; an exact id, label or
    alias scores 100 and everything else at most 99.9.
    """
    if not query.variants:
        return []
    candidates = list(docs)
    scorer = _Scorer(index, candidates)
    best: list[tuple[float, tuple[MatchPart, ...]]] = [(-1.0, ())] * len(candidates)
    for slots in query.variants:
        for i, scored in enumerate(scorer.variant(slots)):
            if scored[0] > best[i][0]:
                best[i] = scored
    matches = []
    for doc, (score, parts) in zip(candidates, best):
        if query.normalized in doc.exact:
            matches.append(Match(doc.key, 100.0, doc.order, (MatchPart(query.text, "exact", query.normalized, 100.0),)))
        else:
            matches.append(Match(doc.key, min(round(score, 1), 99.9), doc.order, parts))
    matches.sort(key=lambda m: (-m.score, m.order))
    return matches


def search(index: SearchIndex, text: str, *, cutoff: float = DEFAULT_CUTOFF,
           only: Filter | None = None) -> tuple[list[Match], list[Match]]:
    """(matches at or above the cutoff, best first; the nearest misses when there are none).

    `only` keeps the facts of a topic or place (the --topic and --place filters).
    """
    query = parse_query(text, index)
    ranked = rank(query, index, index.candidates(query, only))
    hits = [m for m in ranked if m.score >= cutoff]
    return hits, ([] if hits else [m for m in ranked[:3] if m.score > 0])
