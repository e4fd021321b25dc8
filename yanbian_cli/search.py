"""Search: one normaliser, a parsed query, scoring over weighted fields, ranked matches.

Pure functions over a `SearchIndex` (built by `yanbian_cli.index`); nothing here
reads files or prints. A query is read into *slots* (one per thing typed);
each slot has *atoms*, the alternative readings of what was typed: the word
itself, a close word of the vocabulary (typos), the Chinese that a pinyin
string spells, a number's value. A fact's score is the mean over slots of
the best atom's score, where an atom scores its similarity times the weight
of the field it is found in (label 1.0, place 0.9, topic 0.8, quote 0.75 ...).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

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

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HANGUL = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"
_TOKEN_RE = re.compile(
    r"(?P<latin>[a-z][a-z0-9]*)"
    r"|(?P<num>\d+(?:\.\d+)?(?: ?(?:万亿|万|亿))?%?)"
    rf"|(?P<cjk>[{_CJK}]+)"
    rf"|(?P<hangul>[{_HANGUL}]+)"
    r"|(?P<other>[^\s\d]+)"
)
_SEPARATOR_RE = re.compile(rf"[^\w%.{_CJK}{_HANGUL}]+|_|(?<!\d)\.|\.(?!\d)")
_TONE_DIGIT_RE = re.compile(r"(?<=[a-z])[1-5](?=[a-z]|\b)")
_MIDDOT_RE = re.compile(r"(?<=\d)[·・•](?=\d)")
_MAGNITUDE_SPACE_RE = re.compile(r"(?<=\d)\s+(?=[万亿])")


# -- normalisation ---------------------------------------------------------------------


def _strip_latin_marks(text: str) -> str:
    """rénshēn -> renshen, lǜ -> lv; Hangul and CJK are left whole."""
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
    text = _MIDDOT_RE.sub("", text)
    text = _MAGNITUDE_SPACE_RE.sub("", text)
    text = _TONE_DIGIT_RE.sub("", text)
    return " ".join(_SEPARATOR_RE.sub(" ", text).split())


def tokens(normalized: str) -> list[tuple[str, str]]:
    """(kind, token) pairs of normalised text: latin, num, cjk, hangul, other."""
    return [(m.lastgroup or "other", m.group()) for m in _TOKEN_RE.finditer(normalized)]


def latin_words(normalized: str) -> list[str]:
    return [t for kind, t in tokens(normalized) if kind == "latin"]


def is_latin(text: str) -> bool:
    return all(c < "\u0250" for c in text)


def is_cjk(text: str) -> bool:
    return bool(text) and all("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in text)


def decimal_text(value: Decimal | int | float) -> str:
    """A number as plain decimal text, the same however it was written: 5.635E+9 -> 5635000000."""
    d = Decimal(str(value)).normalize()
    return format(d, "f")


def parse_query_number(token: str) -> tuple[Decimal, bool, str] | None:
    """A number token (56.35亿, 98.1%, 5635000000) -> (value, is_percent, digits as typed)."""
    percent = token.endswith("%")
    body = token.rstrip("%").replace(" ", "")
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(万亿|万|亿)?", body)
    if not m:
        return None
    try:
        value = Decimal(m.group(1))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        return None
    for ch in m.group(2) or "":
        value *= 10**4 if ch == "万" else 10**8
    return value, percent, m.group(1)


# -- the index that search reads ---------------------------------------------------------


@dataclass
class Doc:
    """What search knows of one fact (or of a place or topic): normalised fields."""

    key: str
    order: int = 0
    exact: frozenset[str] = frozenset()  # whole normalised id, labels, aliases
    texts: tuple[tuple[str, str], ...] = ()  # (field, normalised text) for substring matches
    words: Mapping[str, str] = field(default_factory=dict)  # latin word -> field
    values: tuple[str, ...] = ()  # the figure's value as a decimal string (with "%" for percent)
    digits: tuple[str, ...] = ()  # digit strings written in the text, label, aliases, period
    place: str = ""
    topic: str = ""

    def to_json(self) -> dict:
        return {"key": self.key, "order": self.order, "exact": sorted(self.exact), "texts": [list(t) for t in self.texts],
                "words": dict(self.words), "values": list(self.values), "digits": list(self.digits),
                "place": self.place, "topic": self.topic}

    @classmethod
    def from_json(cls, d: Mapping) -> Doc:
        return cls(d["key"], d["order"], frozenset(d["exact"]), tuple((f, t) for f, t in d["texts"]), d["words"],
                   tuple(d["values"]), tuple(d["digits"]), d["place"], d["topic"])


@dataclass
class SearchIndex:
    """Everything a query needs, precomputed: docs, places, topics, vocabularies, t2s table.

    `vocab` maps a latin form (an English word, or the pinyin of a phrase of the
    corpus) to the surfaces it stands for (the word itself, or the Chinese).
    `initials` maps pinyin initials (rs) to the Chinese phrases they abbreviate.
    `phrases` is the set of Chinese phrases of labels, aliases, places and
    topics, used to split an unspaced Chinese query into words.
    """

    docs: Sequence[Doc]
    places: Mapping[str, Doc]
    place_chains: Mapping[str, tuple[str, ...]]
    topics: Mapping[str, Doc]
    vocab: Mapping[str, tuple[str, ...]]
    initials: Mapping[str, tuple[str, ...]]
    phrases: frozenset[str]
    t2s: Mapping[int, str]
    _names: dict[str, tuple[tuple[str, str], ...]] | None = field(default=None, repr=False)

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

    def candidates(self, query: Query) -> Iterable[Doc]:
        """Docs worth scoring; a large index narrows them with a prefilter."""
        return self.docs


# -- queries ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Atom:
    """One reading of something typed: what to look for, how sure, and why."""

    kind: str  # "word", "text", "number" or "date"
    surface: str
    sim: float
    how: str = ""
    percent: bool = False


@dataclass(frozen=True)
class Slot:
    typed: str
    atoms: tuple[Atom, ...]


@dataclass(frozen=True)
class Query:
    text: str
    normalized: str
    variants: tuple[tuple[Slot, ...], ...]  # alternative ways to read the whole query


@dataclass(frozen=True)
class MatchPart:
    """For --explain: which field matched one slot of the query, and its score."""

    typed: str
    field: str
    matched: str
    score: float
    how: str = ""


@dataclass(frozen=True)
class Match:
    key: str
    score: float
    order: int
    parts: tuple[MatchPart, ...] = ()


def _fuzzy_vocab(token: str, index: SearchIndex) -> list[Atom]:
    """Atoms for a latin token: close vocabulary words (typos), pinyin, initials, prefixes."""
    from rapidfuzz import fuzz, process  # imported where used (startup time)

    atoms: list[Atom] = []
    n = len(token)
    if n <= 3:
        keys = [(token, 100.0)] if token in index.vocab else []
    else:
        # A typo costs twice its distance: ratio 90 -> 80, ratio 80 (the cutoff) -> 60.
        keys = [(k, 100 - 2 * (100 - s)) for k, s, _ in process.extract(
            token, index.vocab.keys(), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=40)]
        seen = {k for k, _ in keys}
        keys += [(k, PREFIX_SIM) for k in index.vocab if k.startswith(token) and k not in seen][:40]
    for key, sim in keys:
        for surface in index.vocab[key]:
            how = "" if key == token else f"~{key}"
            if is_cjk(surface):
                factor = PINYIN_SYLLABLE_FACTOR if len(surface) == 1 else 1.0
                atoms.append(Atom("text", surface, sim * factor, f"pinyin {key}"))
            else:
                atoms.append(Atom("word", surface, sim, how))
    if 2 <= n <= 6:
        # Surfaces come most frequent first: the likelier reading ranks a little higher.
        for rank_, surface in enumerate(index.initials.get(token, ())):
            sim = 100 * INITIALS_FACTOR - min(rank_, 5)
            atoms.append(Atom("text", surface, sim, f"initials {token}"))
    return atoms


def _segment(run: str, phrases: frozenset[str]) -> list[str]:
    """Split unspaced Chinese into known phrases, longest first (面积人参 -> 面积 人参)."""
    out: list[str] = []
    i = 0
    while i < len(run):
        for j in range(min(len(run), i + 8), i, -1):
            if run[i:j] in phrases or j == i + 1:
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
    from yanbian_cli.numbers import parse_figure

    if not any(c.isdigit() for c in raw) and len(raw) < 2:
        return None
    fig = parse_figure(raw)
    if fig is None:
        return None
    atoms = [Atom("text", raw, 100.0)]
    if fig.unit == "date":
        atoms.append(Atom("date", str(fig.value), 100.0))
    else:
        atoms.append(Atom("number", decimal_text(fig.value), 100.0, percent=fig.unit == "percent"))
        digits = re.match(r"\d+(?:\.\d+)?", raw)
        if digits:
            atoms.append(Atom("number", digits.group(), 100.0, "digits as written"))
    return Slot(raw, tuple(atoms))


def _expanded(slot: Slot, index: SearchIndex) -> Slot:
    """A slot that names a place or topic also looks for that entity's other names in a fact's own fields.

    (블루베리 names the topic whose aliases include 蓝莓, so a fact labelled 蓝莓… matches as if 蓝莓 was typed.)
    """
    extra: list[Atom] = []
    for kind, key in index.entity_names().get(slot.typed, ()):
        doc = (index.places if kind == "place" else index.topics)[key]
        for name in sorted(doc.exact - {slot.typed}):
            if not is_latin(name):
                extra.append(Atom("text", name, EXPANSION_SIM, f"{kind} {key}"))
            elif " " not in name:
                extra.append(Atom("word", name, EXPANSION_SIM, f"{kind} {key}"))
    return Slot(slot.typed, slot.atoms + tuple(extra)) if extra else slot


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
            joined_slots.append(Slot(raw, tuple(_latin_atoms("".join(latin_parts), index))))
        for kind, tok in parts:
            slots = _slots_for(kind, tok, index)
            split_slots.extend(slots)
            if not all_latin:
                joined_slots.extend([Slot(tok, tuple(_text_atoms(tok)))] if kind in ("cjk", "hangul", "other") else slots)
        latin_only.extend(latin_parts)
    # Stop words count only when the query has nothing else.
    content = [s for s in split_slots if s.typed not in STOPWORDS] or split_slots
    variants = [content, [s for s in joined_slots if s.typed not in STOPWORDS] or joined_slots]
    if 1 < len(latin_only) == len(raw_tokens) and len("".join(latin_only)) <= 30:
        # spaced pinyin ("ren shen") read as one word too
        variants.append([Slot(" ".join(latin_only), tuple(_latin_atoms("".join(latin_only), index)))])
    unique: list[tuple[Slot, ...]] = []
    for v in variants:
        slots = tuple(_expanded(s, index) for s in v if s.atoms)
        if slots and slots not in unique:
            unique.append(slots)
    return Query(text, normalized, tuple(unique))


def _text_atoms(tok: str) -> list[Atom]:
    return [Atom("text", tok, 100.0)]


def _latin_atoms(tok: str, index: SearchIndex) -> list[Atom]:
    return [Atom("word", tok, 100.0)] + _fuzzy_vocab(tok, index)


def _slots_for(kind: str, tok: str, index: SearchIndex) -> list[Slot]:
    if kind == "num":
        parsed = parse_query_number(tok)
        if parsed is None:
            return [Slot(tok, tuple(_text_atoms(tok)))]
        value, percent, digits = parsed
        return [Slot(tok, (Atom("number", decimal_text(value), 100.0, percent=percent),
                           Atom("number", digits, 100.0, "digits as written")))]
    if kind == "latin":
        return [Slot(tok, tuple(_latin_atoms(tok, index)))]
    if kind == "cjk" and len(tok) > 2:
        stripped = tok
        for word in CJK_FUNCTION_WORDS:
            stripped = stripped.replace(word, " ")
        if stripped.split() and stripped.replace(" ", "") != tok:
            return [s for part in stripped.split() for s in _slots_for(kind, part, index)]
        pieces = _segment(tok, index.phrases)
        if len(pieces) > 1:
            return [Slot(p, tuple(_text_atoms(p))) for p in pieces]
    return [Slot(tok, tuple(_text_atoms(tok)))]


# -- scoring ---------------------------------------------------------------------------


def _date_score(atom: Atom, doc: Doc) -> tuple[float, str]:
    """100 for the same date; a date typed without a year matches any year."""
    month_day = atom.surface[-6:]  # "-07-30"
    for v in doc.values:
        if v == atom.surface or (v.endswith(month_day) and (atom.surface.startswith("--") or v.startswith("--"))):
            return 100.0, v
    return 0.0, ""


def _number_score(atom: Atom, doc: Doc) -> tuple[float, str]:
    """100 for the same value (or the digits as written); less for a near value."""
    if atom.how == "digits as written":
        return (100.0, atom.surface) if atom.surface in doc.digits else (0.0, "")
    q = Decimal(atom.surface)
    best = (0.0, "")
    for v in doc.values:
        if v.startswith("-") or v[:4].isdigit() and v[4:5] == "-":  # a date
            continue
        is_percent = v.endswith("%")
        if atom.percent and not is_percent:
            continue
        value = Decimal(v.rstrip("%"))
        if value == q:
            return 100.0, v
        if value and q:
            rel = abs(value - q) / max(abs(value), abs(q))
            if rel <= Decimal("0.005"):  # a rounded figure: 14.7亿 for 14.72亿
                best = max(best, (85.0, v))
            elif rel <= Decimal("0.02"):  # near, but below the cutoff on its own
                best = max(best, (50.0, v))
    return best


def _atom_in(atom: Atom, doc: Doc, fuzzy_text: bool) -> tuple[float, str, str]:
    """Best (score 0-100, field, matched text) of one atom in one doc's own fields."""
    if atom.kind in ("number", "date"):
        score, matched = (_number_score if atom.kind == "number" else _date_score)(atom, doc)
        return score * atom.sim / 100, "value" if score else "", matched
    if atom.kind == "word":
        f = doc.words.get(atom.surface)
        return (atom.sim * WEIGHTS[f], f, atom.surface) if f else (0.0, "", "")
    best = (0.0, "", "")
    for f, text in doc.texts:
        if atom.surface in text:
            s = atom.sim * WEIGHTS[f]
            if s > best[0]:
                best = (s, f, atom.surface)
    # Fuzzy Chinese only for three characters or more: two share too little to be a typo.
    if best[0] or not fuzzy_text or len(atom.surface) < 3:
        return best
    from rapidfuzz import fuzz  # imported where used (startup time)

    for f, text in doc.texts:
        # partial_ratio slides the shorter string along the longer: a field shorter
        # than what was typed is compared whole instead.
        scorer = fuzz.partial_ratio if len(text) > len(atom.surface) else fuzz.ratio
        r = scorer(atom.surface, text, score_cutoff=60)
        if r:
            s = atom.sim * WEIGHTS[f] * r / 100
            if s > best[0]:
                best = (s, f, text if len(text) <= 40 else text[:39] + "…")
    return best


class _Scorer:
    """Scores docs for one query, caching what places and topics score."""

    def __init__(self, query: Query, index: SearchIndex) -> None:
        self.query = query
        self.index = index
        self._entity_cache: dict[tuple[str, str, Atom], tuple[float, str, str]] = {}

    def _entity(self, kind: str, key: str, atom: Atom) -> tuple[float, str, str]:
        cache_key = (kind, key, atom)
        if cache_key not in self._entity_cache:
            docs = self.index.places if kind == "place" else self.index.topics
            doc = docs.get(key)
            self._entity_cache[cache_key] = (_atom_in(atom, doc, True) if doc and atom.kind in ("word", "text")
                                             else (0.0, "", ""))
        return self._entity_cache[cache_key]

    def slot(self, slot: Slot, doc: Doc) -> MatchPart:
        best = MatchPart(slot.typed, "", "", 0.0)
        for atom in slot.atoms:
            fuzzy = atom.how == "" and atom.kind == "text"
            s, f, matched = _atom_in(atom, doc, fuzzy)
            if s > best.score:
                best = MatchPart(slot.typed, f, matched, s, atom.how)
            if best.score >= 100:
                return best
            if atom.kind in ("number", "date"):
                continue
            chain = self.index.place_chains.get(doc.place, (doc.place,))
            for depth, place in enumerate(chain):
                field_name = "place" if depth == 0 else "place (within)"
                es, _, matched = self._entity("place", place, atom)
                s = es * WEIGHTS[field_name]
                if s > best.score:
                    best = MatchPart(slot.typed, field_name, f"{place}: {matched}", s, atom.how)
            es, _, matched = self._entity("topic", doc.topic, atom)
            s = es * WEIGHTS["topic"]
            if s > best.score:
                best = MatchPart(slot.typed, "topic", f"{doc.topic}: {matched}", s, atom.how)
        return best

    def variant(self, slots: tuple[Slot, ...], docs: Sequence[Doc]) -> list[tuple[float, tuple[MatchPart, ...]]]:
        """(score, parts) of every doc for one reading of the query.

        A slot that nothing matches in any candidate (a function word, 多少, `how`, a
        word of a language the data lacks) is left out of the mean, and each one left
        out costs a little, so a fact that matches everything typed still ranks first.
        """
        rows = [tuple(self.slot(s, d) for s in slots) for d in docs]
        kept = [i for i in range(len(slots)) if max((r[i].score for r in rows), default=0.0) >= SLOT_FLOOR]
        penalty = UNMATCHED_SLOT_FACTOR ** (len(slots) - len(kept))
        out = []
        for parts in rows:
            score = sum(parts[i].score for i in kept) / len(kept) * penalty if kept else 0.0
            out.append((score, parts))
        return out


def rank(query: Query, index: SearchIndex, docs: Iterable[Doc] | None = None) -> list[Match]:
    """Every candidate doc scored, best first (ties keep the fact file's order).

    A doc's score is its best over the query's readings; an exact id, label or
    alias scores 100 and everything else at most 99.9.
    """
    if not query.variants:
        return []
    scorer = _Scorer(query, index)
    docs = list(index.candidates(query) if docs is None else docs)
    best: list[tuple[float, tuple[MatchPart, ...]]] = [(-1.0, ())] * len(docs)
    for slots in query.variants:
        for i, scored in enumerate(scorer.variant(slots, docs)):
            if scored[0] > best[i][0]:
                best[i] = scored
    matches = []
    for doc, (score, parts) in zip(docs, best):
        if query.normalized in doc.exact:
            matches.append(Match(doc.key, 100.0, doc.order,
                                 (MatchPart(query.text, "exact", query.normalized, 100.0),)))
        else:
            matches.append(Match(doc.key, min(round(score, 1), 99.9), doc.order, parts))
    matches.sort(key=lambda m: (-m.score, m.order))
    return matches


def search(index: SearchIndex, text: str, *, cutoff: float = DEFAULT_CUTOFF,
           where: Callable[[Doc], bool] | None = None) -> tuple[list[Match], list[Match]]:
    """(matches at or above the cutoff, best first; the nearest misses when there are none).

    `where` keeps only the docs it accepts (the --topic and --place filters).
    """
    query = parse_query(text, index)
    docs = index.candidates(query)
    ranked = rank(query, index, docs if where is None else [d for d in docs if where(d)])
    hits = [m for m in ranked if m.score >= cutoff]
    return hits, ([] if hits else [m for m in ranked[:3] if m.score > 0])
