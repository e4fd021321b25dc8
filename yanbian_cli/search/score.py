"""Scoring: whether each candidate fact answers each slot of a query, how well, and the ranking.

A fact *answers* a query when it answers every content slot: each thing asked
about is found in it, by some reading, in a field that can answer it (a place
only in its place, labels or id; a period only in its period; a figure typed
with its unit only in a figure of that value and unit). Only answers are
results; `--partial` shows the others with what they miss.

What a score means (0-100): 100 is the query as a whole being an id, label or
alias of the fact; otherwise the mean over the content slots of how the fact
answers each: the similarity of the reading (100 as typed; 95 an English word
form; 90 another name of a place or topic, or pinyin initials; typos less)
times the weight of the field it is found in (id, labels, aliases, the figure
1.0; place 0.9; topic and period 0.8; quote 0.75; unit words 0.7; a place the
fact's place lies within 0.65; title 0.6). So 90 or more means every word is
in the fact's own label, aliases, figure or place; 75 means found in the
sentence. Answers rank first by the kind of figure the question words ask for
(哪天 a date, how long a duration, 多少钱 money ...), then by score, then by file order.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

from yanbian_cli.record import Record
from yanbian_cli.search import words as w
from yanbian_cli.search.corpus import Corpus
from yanbian_cli.search.doc import Doc
from yanbian_cli.search.query import Atom, Query, Slot
from yanbian_cli.text import holds_figure

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
    "context": 0.6,
    "synonym": 0.55,
    "unit": 0.7,
    "place (within)": 0.65,
    "title": 0.6,
}
ANSWER_FLOOR = 40.0  # a slot matched below this is not answered
FUZZY_TEXT_CUTOFF = 60  # partial_ratio below which Chinese or Korean text is no match at all
FUZZY_ANSWER = 80  # ... and below which a near match is shown (--partial) but answers nothing
FUZZY_WHEN_BELOW = 75.0  # Chinese/Korean is looked for with a slip only when no candidate holds it this well
ROUNDED = 0.005  # a figure within this much of a value is that value rounded (14.7亿 for 14.72亿)
PARTS_SIM = 90.0  # Chinese found in a fact in pieces rather than whole
# The fields that hold the fact's sentence rather than the fact.
SENTENCE_FIELDS = frozenset({"quote", "context", "synonym", "title"})
# The fields that can answer a slot that names a place.
PLACE_FIELDS = frozenset({"place", "place (within)", "id", "label", "label_en", "alias", "exact"})


class MatchPart(Record):
    """For --explain: which field matched one slot of the query, and its score."""

    typed: str
    field: str
    matched: str
    score: float
    how: str = ""
    answers: bool = True


class Match(Record):
    id: str  # the fact's
    score: float
    ord: int
    parts: tuple[MatchPart, ...] = ()
    missing: tuple[str, ...] = ()  # what it does not answer (empty for an answer)
    fit: int = 0  # how many of the kinds of figure the question asks for it is

    @property
    def answers(self) -> bool:
        return not self.missing


_NO_PART = MatchPart("", "", "", 0.0, answers=False)


def _date_score(atom: Atom, doc: Doc) -> tuple[float, str]:
    """100 for the same date; a date typed without a year matches any year."""
    month_day = atom.surface[-6:]  # "-07-30"
    for v in doc.values:
        if v == atom.surface or (v.endswith(month_day) and (atom.surface.startswith("--") or v.startswith("--"))):
            return 100.0, v
    return 0.0, ""


def _unit_fits(atom: Atom, doc: Doc) -> bool:
    """A figure typed with a unit fits a fact of that unit (and, for a count, of a measure word counting
    the same thing: 人, 名 and 人次 count people; 次 does not)."""
    if atom.percent:
        return doc.unit == "percent"
    if not atom.unit or atom.unit == "*":
        return True
    if atom.unit != doc.unit and not doc.unit.startswith(atom.unit + "/"):
        return False
    if atom.unit == "ordinal" and atom.measure:  # an ordinal counts in what it is written with (届 is not 季度)
        written = w.ordinal_measure(next((t for f, t in doc.texts if f == "text"), ""))
        return not written or written == atom.measure
    return atom.unit != "count" or not atom.measure or not doc.measure or w.same_measure(atom.measure, doc.measure)


def _number_score(atom: Atom, doc: Doc) -> tuple[float, str]:
    """100 for the same value in a fitting unit; 85 for a rounded one. A qualifier is a range the
    value lies in: 300家 is answered by 300余家."""
    if not _unit_fits(atom, doc):
        return 0.0, ""
    q = float(atom.surface)
    if not math.isfinite(q):
        return 0.0, ""
    for v in doc.values:
        if not v[:1].isdigit() or v[4:5] == "-":  # a date
            continue
        if v.rstrip("%") == atom.surface:
            return 100.0, v
        value = float(v.rstrip("%"))
        if value and q and abs(value - q) / max(abs(value), abs(q)) <= ROUNDED and _rounds_to(value, atom.surface):
            return 85.0, v
    return 0.0, ""


def _rounds_to(value: float, typed: str) -> bool:
    """Whether `typed` is `value` rounded to the digits typed (14.7亿 is 14.72亿 rounded; 56.35 is not 56.58)."""
    from math import floor, log10

    digits = typed.replace(".", "").lstrip("0").rstrip("0") or "0"
    exponent = floor(log10(abs(float(typed)))) - len(digits) + 1
    return abs(round(value / 10**exponent) - float(typed) / 10**exponent) < 1e-6


def _period_score(atom: Atom, doc: Doc) -> tuple[float, str]:
    """A year or half-year typed: the fact's period names it (or its date is in that year)."""
    month = atom.surface.endswith("月")
    for f, text in doc.texts:
        if f == "period" and (re.search(rf"(?<![\d—–-]){atom.surface}", text) if month else atom.surface in text):
            return 100.0 * WEIGHTS["period"], text
    if atom.surface.isdigit():
        for v in doc.values:
            if v.startswith(atom.surface + "-"):
                return 100.0, v
    if month:  # a date of that month (7月30日 is in July)
        for v in doc.values:
            if re.fullmatch(rf"(?:\d{{4}}|-)-{int(atom.surface[:-1]):02d}-\d\d", v):
                return 100.0, v
    return 0.0, ""


def _names_entity(atom: Atom) -> bool:
    """Whether the atom is another name of a place or topic the query named (query._expanded): a synonym of
    a fact's word does not answer for it (蓝莓 names the topic whose alias is 采摘节, a synonym of festival)."""
    return atom.how.startswith(("topic ", "place "))


def _own(atom: Atom, doc: Doc) -> MatchPart:
    """The best match of one atom in one doc's own fields (exact matches only)."""
    kind = atom.kind
    if kind == "text":
        if atom.surface not in doc.joined or (atom.how == "per unit" and "/" not in doc.unit):
            return _NO_PART  # (1公顷 read as "per hectare" answers only a rate)
        best = _NO_PART
        figure = atom.surface[0].isdigit()
        contains = holds_figure if figure else str.__contains__
        named = _names_entity(atom)
        for f, text in doc.texts:
            # A figure typed is the fact's own figure, label or alias, not a number its sentence also gives.
            if f != "period" and not (figure and f in SENTENCE_FIELDS) and not (named and f == "synonym") \
                    and contains(text, atom.surface):
                s = atom.sim * WEIGHTS[f]
                if s > best.score:
                    best = MatchPart("", f, atom.surface, s, atom.how)
        return best
    if kind == "word":
        found = doc.word_field(atom.surface)
        if found == "synonym" and _names_entity(atom):
            return _NO_PART
        return MatchPart("", found, atom.surface, atom.sim * WEIGHTS[found], atom.how) if found else _NO_PART
    if kind == "digits":
        return MatchPart("", "text", atom.surface, atom.sim, atom.how) if atom.surface in doc.digits else _NO_PART
    if kind == "period":
        score, matched = _period_score(atom, doc)
        return MatchPart("", "period", matched, score, atom.how) if score else _NO_PART
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
        if f == "period":
            continue
        # partial_ratio slides the shorter string along the longer: a field shorter
        # than what was typed is compared whole instead.
        scorer = fuzz.partial_ratio if len(text) > len(atom.surface) else fuzz.ratio
        r = scorer(atom.surface, text, score_cutoff=FUZZY_TEXT_CUTOFF)
        if r:
            s = atom.sim * WEIGHTS[f] * r / 100
            if s > best.score:
                best = MatchPart("", f, text if len(text) <= 40 else text[:39] + "…", s, "similar",
                                 answers=r >= FUZZY_ANSWER)
    return best


def _may_have_slips(atom: Atom) -> bool:
    """Chinese or Korean typed by the user, three characters or more (two share too little to be a slip)."""
    return atom.kind == "text" and not atom.how and len(atom.surface) >= 3 and not any(c.isdigit() for c in atom.surface)


def _in_pieces(text: str, haystack: str) -> bool:
    """Whether `text` can be cut into pieces that each stand in `haystack` (an unspaced question in
    the fact's own words): pieces of two or more characters, and single characters only between two
    of them (优化 后 面积), never two in a row (人口 is not 人 and 口)."""
    n = len(text)
    # ok[i]: text[:i] is covered and ends with a long piece; single[i]: ... ends with a single character
    ok = [True] + [False] * n
    single = [False] * (n + 1)
    for i in range(1, n + 1):
        if i >= 1 and ok[i - 1] and i - 1 > 0 and text[i - 1] in haystack:
            single[i] = True
        ok[i] = any((ok[j] or single[j]) and text[j:i] in haystack for j in range(max(0, i - 8), i - 1))
    return ok[n]


def fits(wants: Sequence[w.Want], doc: Doc) -> int:
    """How many of the kinds of figure the question asks for the fact's figure is (0: none; a quantity that is
    a count or a weight counts twice, ranking it above another kind of quantity: 企业数量 50家 before 千万元)."""
    n = 0
    for want in wants:
        unit = doc.unit
        n += (want.kind == "quantity" and (unit == "count" or unit in w.MASS_UNITS))
        n += ((want.kind == "date" and unit == "date")
              or (want.kind == "duration" and unit in ("day", "month", "hour", "minute", "year"))
              or (want.kind == "money" and unit.startswith("CNY"))
              or (want.kind == "percent" and unit in ("percent", "percentage-point"))
              or (want.kind == "people" and unit == "count" and w.is_people(doc.measure))
              or (want.kind == "count" and unit == "count")
              or (want.kind == "quantity" and unit not in w.NOT_QUANTITIES)
              or (want.kind == "unit" and unit == want.value)
              or (want.kind == "measure" and unit == "count" and w.same_measure(want.value, doc.measure)))
    return n


class _Scorer:
    """Scores candidate docs for one query."""

    def __init__(self, corpus: Corpus, docs: Sequence[Doc]) -> None:
        self.corpus = corpus
        self.docs = docs
        # the places and topics the candidates are about (their places' chains included)
        self.about = {("topic", d.topic) for d in docs}
        for d in docs:
            self.about.update(("place", p) for p in corpus.chain(d.place))

    def _entities(self, slot: Slot, fuzzy: bool) -> dict[tuple[str, str], MatchPart]:
        """The best match of the slot in each place and topic that any candidate is about."""
        best: dict[tuple[str, str], MatchPart] = {}
        for kind, key in self.about:
            doc = (self.corpus.places if kind == "place" else self.corpus.topics).get(key)
            if doc is None:
                continue
            part = _NO_PART
            for atom in slot.atoms:
                if atom.kind in ("word", "text"):
                    p = _own(atom, doc)
                    if not p.score and fuzzy and _may_have_slips(atom):
                        p = _fuzzy_own(atom, doc)
                    if atom.kind == "word" and atom.surface not in doc.exact:
                        # An English word answers for a place or topic only as one of its names
                        # (ginseng; not the rural of "rural revitalisation").
                        p = p._replace(answers=False)
                    if p.score > part.score:
                        part = p
            if part.score:
                best[(kind, key)] = part
        return best

    def slot(self, slot: Slot) -> list[MatchPart]:
        """How every candidate answers one slot (own fields, its places, its topic)."""
        parts = self._slot_pass(slot, fuzzy=False)
        typed = [a for a in slot.atoms if _may_have_slips(a)]
        if typed and slot.role == "content" and not any(p.score >= FUZZY_WHEN_BELOW for p in parts):
            # Nothing holds what was typed: look for it in pieces, or with a slip (partial_ratio).
            fuzzy = self._slot_pass(slot, fuzzy=True)
            parts = [f if f.score > p.score or (f.answers and not p.answers) else p for p, f in zip(parts, fuzzy)]
        if slot.role == "place":
            parts = [p if not p.answers or p.field in PLACE_FIELDS else p._replace(answers=False) for p in parts]
        elif slot.role == "period":
            parts = [p if not p.answers or p.field == "period" or p.matched[:4].isdigit() else p._replace(answers=False)
                     for p in parts]
        # (a part made anew only where it changes: a query scores 250 candidates a slot)
        return [p if not p.answers or p.score >= ANSWER_FLOOR else p._replace(answers=False) for p in parts]

    def _haystack(self, doc: Doc) -> str:
        """The fact's own words, and its place's names: where a question's words are looked for in pieces
        (not its synonyms: a piece of one word and a synonym of another make a third thing, 鲜参 + 产量 of 产值)."""
        names = [t for p in self.corpus.chain(doc.place) if p in self.corpus.places
                 for _, t in self.corpus.places[p].texts]
        return "\x1f".join([*(t for f, t in doc.texts if f not in ("title", "unit", "synonym")), *names])

    def _slot_pass(self, slot: Slot, fuzzy: bool) -> list[MatchPart]:
        entities = self._entities(slot, fuzzy) if slot.role != "period" else {}
        out = []
        for doc in self.docs:
            best = _NO_PART
            for atom in slot.atoms:
                p = _own(atom, doc)
                if not p.score and _may_have_slips(atom) and _in_pieces(atom.surface, self._haystack(doc)):
                    p = MatchPart("", "quote", atom.surface, PARTS_SIM * WEIGHTS["quote"], "in pieces")
                if not p.score and fuzzy and _may_have_slips(atom):
                    p = _fuzzy_own(atom, doc)
                if p.score > best.score or (p.answers and not best.answers and p.score):
                    best = p
            if entities and best.score < 100:
                for depth, place in enumerate(self.corpus.chain(doc.place)):
                    e = entities.get(("place", place))
                    field_name = "place" if depth == 0 else "place (within)"
                    # (a slot that names a place is answered by a place: its name found in pieces of the
                    # sentence answers nothing, however it scores — 三道湾 of the facts of a village within 三道湾镇)
                    if e and (e.score * WEIGHTS[field_name] > best.score
                              or (slot.role == "place" and best.field not in PLACE_FIELDS)):
                        best = MatchPart("", field_name, f"{place}: {e.matched}", e.score * WEIGHTS[field_name], e.how,
                                         e.answers)
                e = entities.get(("topic", doc.topic))
                if e and e.score * WEIGHTS["topic"] > best.score:
                    best = MatchPart("", "topic", f"{doc.topic}: {e.matched}", e.score * WEIGHTS["topic"], e.how,
                                     e.answers)
            out.append(MatchPart(slot.typed, *best[1:]))
        return out

    def variant(self, slots: tuple[Slot, ...]) -> list[tuple[float, tuple[MatchPart, ...]]]:
        """(score, parts) of every candidate for one reading of the query: the mean of its slots."""
        columns = [self.slot(s) for s in slots]
        rows = list(zip(*columns))
        return [(sum(p.score for p in row) / len(row) if row else 0.0, row) for row in rows]


def rank(query: Query, corpus: Corpus, docs: Iterable[Doc]) -> list[Match]:
    """Every candidate doc that matches something, answers first (best first), then the others."""
    if not query.variants:
        return []
    candidates = list(docs)
    scorer = _Scorer(corpus, candidates)
    best: list[tuple[bool, float, tuple[MatchPart, ...]]] = [(False, -1.0, ())] * len(candidates)
    for slots in query.variants:
        for i, (score, parts) in enumerate(scorer.variant(slots)):
            answers = all(p.answers for p in parts)
            if (answers, score) > best[i][:2]:
                best[i] = (answers, score, parts)
    matches = []
    for doc, (answers, score, parts) in zip(candidates, best):
        fit = fits(query.wants, doc)
        if query.normalized in doc.exact:
            part = MatchPart(query.text, "exact", query.normalized, 100.0)
            matches.append(Match(doc.id, 100.0, doc.ord, (part,), (), fit))
        elif score > 0:
            missing = tuple(p.typed for p in parts if not p.answers) + tuple(
                typed for typed, want in query.units + query.asks  # 鲜参 产量 公顷: not 2340万斤; 哪天: a date
                if not fits((want,), doc))
            matches.append(Match(doc.id, min(round(score, 1), 99.9), doc.ord, parts, missing, fit))
    matches.sort(key=lambda m: (len(m.missing), -m.fit, -m.score, m.ord))
    return matches
