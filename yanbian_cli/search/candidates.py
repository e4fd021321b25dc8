"""Which facts of a base are worth scoring: a policy over the `Postings` of a base.

Every base is searched through postings (BRUTE_FORCE_MAX is 0): each slot of the
query (one thing typed) gets the facts listed under its atoms' terms (the facts
that can hold it) and the facts about the places and topics it names. Each
reading weighs as much as it is rare (an idf), so a fact that holds the typed
figure outranks one that only shares its unit; the CANDIDATES facts with the highest sums are then scored in full.
"""

from __future__ import annotations

import functools
import math
import operator

from yanbian_cli.search.corpus import Corpus, Filter
from yanbian_cli.search.postings import (
    Ords,
    Postings,
    atom_terms,
    near_terms,
    place_term,
    topic_term,
)
from yanbian_cli.search.query import Atom, Query
from yanbian_cli.search.score import WEIGHTS, own_match

# Up to this many facts a query would score every fact. Scoring whole is kept as the reference the policy is
# tested against (tests/test_candidates.py); on the shipped base and every fixture the two rank every quality
# set alike (python -m benchmarks.search_quality), and postings read less: a call on the shipped base loaded
# all 90 docs (185 KB of JSON) where the policy reads a few.
BRUTE_FORCE_MAX = 0
CANDIDATES = 250  # a larger base scores this many facts, those that hold most of the query
SEED_MAX = 20000  # a posting larger than this, or read once this many facts are found, only ranks them
NEAR_WEIGHT = 0.85  # a near number counts for this much of an equal one
MAX_PREFILTER_ATOMS = 60  # readings of one slot looked up in the postings
SLIP_WEIGHT = 0.8  # text no fact holds whole: a fact that holds all but two of its bigrams counts this much


class _Lookup:
    """The postings a query reads, each read once (`Ords`: a large base's are roaring bitmaps, so every
    operation on them below runs in C, a posting that lists a tenth of a million facts included)."""

    def __init__(self, postings: Postings) -> None:
        self.postings = postings
        self.facts = postings.fact_count()
        self._cache: dict[str, Ords] = {}

    def posting(self, term: str) -> Ords:
        got = self._cache.get(term)
        if got is None:
            got = self._cache[term] = self.postings.posting(term)
        return got

    def none(self) -> Ords:
        return self.postings.ords(())

    def holding(self, terms: list[str]) -> Ords:
        """The facts listed under every one of `terms`."""
        if not terms:
            return self.none()
        return functools.reduce(operator.and_, sorted((self.posting(t) for t in terms), key=len))

    def holding_most(self, terms: list[str], missing: int) -> Ords:
        """The facts listed under all but at most `missing` of `terms` (text typed with a slip, or held in
        pieces: one character typed wrong takes two bigrams away, a seam between pieces one)."""
        need = max(1, len(terms) - missing)
        # at_least[j]: the facts listed under at least j of the terms read so far (a count kept in sets)
        at_least = [self.none() for _ in range(need + 1)]
        for term in terms:
            listed = self.posting(term)
            for j in range(need, 1, -1):  # (from the top: each count from the one below it before this term)
                at_least[j] |= at_least[j - 1] & listed
            at_least[1] |= listed
        return at_least[need]

    def weight(self, listed: int) -> float:
        """How much holding a reading says: the rarer its postings, the more (an idf)."""
        return math.log((self.facts + 1) / (listed + 1)) + 0.1


def _readings(atoms: tuple[Atom, ...], corpus: Corpus, lookup: _Lookup,
              within: Ords | None) -> list[tuple[float, Ords]]:
    """(weight, facts) for each reading of a slot: the facts that can hold it, and how telling that is."""
    readings: list[tuple[float, Ords]] = []
    for atom in atoms[:MAX_PREFILTER_ATOMS]:
        terms = atom_terms(atom)
        if terms:
            found = lookup.holding(terms)
            factor = 1.0
            if not found and atom.kind == "text" and not atom.how and len(terms) >= 3:
                # Scoring looks for text typed with a slip or in pieces (score.py); seed the facts it may find.
                found, factor = lookup.holding_most(terms, 2), SLIP_WEIGHT
            if found:
                readings.append((lookup.weight(len(found)) * atom.sim / 100 * factor, found))
        if atom.kind == "number":  # a rounded figure (14.7亿 for 14.72亿) is near, not equal
            near = functools.reduce(operator.or_, (lookup.posting(t) for t in near_terms(float(atom.surface))),
                                    lookup.none())
            if near:
                readings.append((lookup.weight(len(near)) * NEAR_WEIGHT, near))
    for term, docs in ((place_term, corpus.places), (topic_term, corpus.topics)):
        for key, doc in docs.items():
            # a place is the one named (延吉 names 延吉市; the villages whose names hold 延吉 lie within it,
            # and its posting lists their facts already); a topic, any whose names hold what was typed
            if any(a.kind in ("word", "text") and (a.surface in doc.exact if term is place_term else own_match(a, doc))
                   for a in atoms):
                listed = lookup.posting(term(key))
                readings.append((lookup.weight(len(listed)) * WEIGHTS["topic"], listed))
    if within is not None:
        readings = [(w, within & found) for w, found in readings]
    return [(w, found) for w, found in readings if found]


def select(query: Query, corpus: Corpus, postings: Postings, only: Filter | None = None) -> list[int]:
    """The order numbers of the CANDIDATES facts with the highest summed weight of the slots they can hold."""
    lookup = _Lookup(postings)
    within: Ords | None = None
    for term in ([topic_term(only.topic)] if only and only.topic else []) + (
            [place_term(only.place)] if only and only.place else []):
        within = lookup.posting(term) if within is None else within & lookup.posting(term)
    slots: list[list[tuple[float, Ords]]] = []
    seen: set[tuple[Atom, ...]] = set()
    for variant in query.variants:
        for slot in variant:
            if slot.atoms not in seen:
                seen.add(slot.atoms)
                slots.append(_readings(slot.atoms, corpus, lookup, within))
    # The slot fewest facts can hold first (a place lists every fact about it and the places within it):
    # once SEED_MAX facts are found, a later posting only raises the facts already found.
    slots.sort(key=lambda readings: (sum(len(found) for _, found in readings) or math.inf,
                                     -max((w for w, _ in readings), default=0.0)))
    # Facts in groups of equal summed weight: every step is an operation on sets, not a loop over
    # thousands of facts (a fact's sum grows slot by slot, in slot order, as a dict of sums would).
    groups: list[tuple[float, Ords]] = []
    found_so_far = lookup.none()
    for readings in slots:
        best: list[tuple[float, Ords]] = []  # the facts of each reading not held by a rarer one
        taken = lookup.none()
        for weight, found in sorted(readings, key=lambda r: -r[0]):
            if len(found) > SEED_MAX or len(found_so_far) + len(taken) >= SEED_MAX:
                known = found_so_far | taken
                found = known & found if known else postings.head(found, SEED_MAX)
            new = found - taken
            if new:
                best.append((weight, new))
                taken |= new
        combined: list[tuple[float, Ords]] = []
        for total, facts in groups:
            for weight, held in best:
                both = facts & held
                if both:
                    combined.append((total + weight, both))
                    facts = facts - both
            if facts:
                combined.append((total, facts))
        combined += [(0.0 + weight, rest) for weight, held in best if (rest := held - found_so_far)]
        groups = combined
        found_so_far |= taken
    return _top(postings, groups, CANDIDATES)


def _top(postings: Postings, groups: list[tuple[float, Ords]], n: int) -> list[int]:
    """The `n` facts of the highest sums, a tie in order of the base."""
    by_sum: dict[float, Ords] = {}
    for total, facts in groups:
        by_sum[total] = by_sum[total] | facts if total in by_sum else facts
    out: list[int] = []
    for total in sorted(by_sum, reverse=True):
        out += sorted(postings.head(by_sum[total], n - len(out)))
        if len(out) >= n:
            break
    return out
