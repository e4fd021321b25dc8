"""Scoring: how well each candidate fact matches each slot of a query, and the ranking.

A fact's score is the mean over slots of the best atom's score, where an atom
scores its similarity times the weight of the field it is found in (label 1.0,
place 0.9, topic 0.8, quote 0.75 ...). An exact id, label or alias scores 100;
everything else at most 99.9.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

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
    "unit": 0.7,
    "place (within)": 0.65,
    "title": 0.6,
}
DEFAULT_CUTOFF = 60.0
SLOT_FLOOR = 40.0  # a slot whose best score over all candidates is below this matched nothing
UNMATCHED_SLOT_FACTOR = 0.9  # what each slot that matched nothing costs
FUZZY_TEXT_CUTOFF = 60  # partial_ratio below which Chinese or Korean text is no match
FUZZY_WHEN_BELOW = 75.0  # Chinese/Korean is looked for with a slip only when no candidate holds it this well


class MatchPart(NamedTuple):
    """For --explain: which field matched one slot of the query, and its score."""

    typed: str
    field: str
    matched: str
    score: float
    how: str = ""


class Match(NamedTuple):
    id: str  # the fact's
    score: float
    ord: int
    parts: tuple[MatchPart, ...] = ()


_NO_PART = MatchPart("", "", "", 0.0)


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


def _own(atom: Atom, doc: Doc) -> MatchPart:
    """The best match of one atom in one doc's own fields (exact matches only)."""
    kind = atom.kind
    if kind == "text":
        if atom.surface not in doc.joined:
            return _NO_PART
        best = _NO_PART
        contains = holds_figure if atom.surface[0].isdigit() else str.__contains__
        for f, text in doc.texts:
            if contains(text, atom.surface):
                s = atom.sim * WEIGHTS[f]
                if s > best.score:
                    best = MatchPart("", f, atom.surface, s, atom.how)
        return best
    if kind == "word":
        found = doc.words.get(atom.surface)
        return MatchPart("", found, atom.surface, atom.sim * WEIGHTS[found], atom.how) if found else _NO_PART
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

    def __init__(self, corpus: Corpus, docs: Sequence[Doc]) -> None:
        self.corpus = corpus
        self.docs = docs

    def _entities(self, slot: Slot, fuzzy: bool) -> dict[tuple[str, str], MatchPart]:
        """The best match of the slot in each place and topic that any candidate is about."""
        best: dict[tuple[str, str], MatchPart] = {}
        wanted = {("topic", d.topic) for d in self.docs}
        for d in self.docs:
            wanted.update(("place", p) for p in self.corpus.chain(d.place))
        for kind, key in wanted:
            doc = (self.corpus.places if kind == "place" else self.corpus.topics).get(key)
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
                for depth, place in enumerate(self.corpus.chain(doc.place)):
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


def rank(query: Query, corpus: Corpus, docs: Iterable[Doc]) -> list[Match]:
    """Every candidate doc scored, best first (ties keep the fact file's order)."""
    if not query.variants:
        return []
    candidates = list(docs)
    scorer = _Scorer(corpus, candidates)
    best: list[tuple[float, tuple[MatchPart, ...]]] = [(-1.0, ())] * len(candidates)
    for slots in query.variants:
        for i, scored in enumerate(scorer.variant(slots)):
            if scored[0] > best[i][0]:
                best[i] = scored
    matches = []
    for doc, (score, parts) in zip(candidates, best):
        if query.normalized in doc.exact:
            matches.append(Match(doc.id, 100.0, doc.ord, (MatchPart(query.text, "exact", query.normalized, 100.0),)))
        else:
            matches.append(Match(doc.id, min(round(score, 1), 99.9), doc.ord, parts))
    matches.sort(key=lambda m: (-m.score, m.ord))
    return matches
