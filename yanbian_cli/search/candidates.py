"""Which facts of a base are worth scoring: a policy over the `Postings` of a base.

Every base is searched through postings (BRUTE_FORCE_MAX is 0): each slot of the
query (one thing typed) gets the facts listed under its atoms' terms (the facts
that can hold it) and the facts about the places and topics it names. Each
reading weighs as much as it is rare (an idf), so a fact that holds the typed
figure outranks one that only shares its unit; the CANDIDATES facts with the highest sums are then scored in full.
"""

from __future__ import annotations

import math
from collections.abc import Collection

from yanbian_cli.search.corpus import Corpus, Filter
from yanbian_cli.search.postings import (
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
    """The postings a query reads, each read once. A posting stays as read (its order numbers) until a
    set of it is needed: a common character lists a tenth of a large archive, and a set of 100,000 facts costs
    milliseconds to make, where intersecting a small set with it does not."""

    def __init__(self, postings: Postings) -> None:
        self.postings = postings
        self.facts = postings.fact_count()
        self._cache: dict[str, Collection[int]] = {}

    def posting(self, term: str) -> Collection[int]:
        got = self._cache.get(term)
        if got is None:
            got = self._cache[term] = self.postings.posting(term)
        return got

    def holding(self, terms: list[str]) -> Collection[int]:
        """The facts listed under every one of `terms` (one term: its posting as read)."""
        postings = sorted((self.posting(t) for t in terms), key=len)
        if len(postings) <= 1:
            return postings[0] if postings else set()
        result = set(postings[0])
        for posting in postings[1:]:
            result.intersection_update(posting)  # looks each of them up in the small set; makes no set of them
            if not result:
                break
        return result

    def holding_most(self, terms: list[str], missing: int) -> set[int]:
        """The facts listed under all but at most `missing` of `terms` (text typed with a slip, or held in
        pieces: one character typed wrong takes two bigrams away, a seam between pieces one)."""
        counts: dict[int, int] = {}
        for term in terms:
            for o in self.posting(term):
                counts[o] = counts.get(o, 0) + 1
        need = len(terms) - missing
        return {o for o, n in counts.items() if n >= need}

    def weight(self, listed: int) -> float:
        """How much holding a reading says: the rarer its postings, the more (an idf)."""
        return math.log((self.facts + 1) / (listed + 1)) + 0.1


def _readings(atoms: tuple[Atom, ...], corpus: Corpus, lookup: _Lookup,
              within: set[int] | None) -> list[tuple[float, Collection[int]]]:
    """(weight, facts) for each reading of a slot: the facts that can hold it, and how telling that is."""
    readings: list[tuple[float, Collection[int]]] = []
    for atom in atoms[:MAX_PREFILTER_ATOMS]:
        terms = atom_terms(atom)
        if terms:
            found: Collection[int] = lookup.holding(terms)
            factor = 1.0
            if not found and atom.kind == "text" and not atom.how and len(terms) >= 3:
                # Scoring looks for text typed with a slip or in pieces (score.py); seed the facts it may find.
                found, factor = lookup.holding_most(terms, 2), SLIP_WEIGHT
            if found:
                readings.append((lookup.weight(len(found)) * atom.sim / 100 * factor, found))
        if atom.kind == "number":  # a rounded figure (14.7亿 for 14.72亿) is near, not equal
            near = set().union(*(lookup.posting(t) for t in near_terms(float(atom.surface))))
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
        readings = [(w, within.intersection(found)) for w, found in readings]
    return [(w, found) for w, found in readings if found]


def select(query: Query, corpus: Corpus, postings: Postings, only: Filter | None = None) -> list[int]:
    """The order numbers of the CANDIDATES facts with the highest summed weight of the slots they can hold."""
    lookup = _Lookup(postings)
    within: set[int] | None = None
    for term in ([topic_term(only.topic)] if only and only.topic else []) + (
            [place_term(only.place)] if only and only.place else []):
        within = set(lookup.posting(term)) if within is None else within.intersection(lookup.posting(term))
    slots: list[list[tuple[float, Collection[int]]]] = []
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
    # Facts in groups of equal summed weight, kept as sets: every step is a set operation, not a loop over
    # thousands of facts (a fact's sum grows slot by slot, in slot order, as a dict of sums would).
    groups: list[tuple[float, set[int]]] = []
    found_so_far: set[int] = set()
    for readings in slots:
        best: list[tuple[float, set[int]]] = []  # the facts of each reading not held by a rarer one
        taken: set[int] = set()
        for weight, found in sorted(readings, key=lambda r: -r[0]):
            if len(found) > SEED_MAX or len(found_so_far) + len(taken) >= SEED_MAX:
                known = found_so_far | taken
                found = known.intersection(found) if known else set(sorted(found)[:SEED_MAX])
            new = set(found) - taken
            if new:
                best.append((weight, new))
                taken |= new
        combined: list[tuple[float, set[int]]] = []
        for total, facts in groups:
            for weight, held in best:
                both = facts & held
                if both:
                    combined.append((total + weight, both))
                    facts = facts - both
            if facts:
                combined.append((total, facts))
        combined += [(0.0 + weight, held - found_so_far) for weight, held in best if held - found_so_far]
        groups = combined
        found_so_far |= taken
    return _top(groups, CANDIDATES)


def _top(groups: list[tuple[float, set[int]]], n: int) -> list[int]:
    """The `n` facts of the highest sums, a tie in order of the base."""
    by_sum: dict[float, list[int]] = {}
    for total, facts in groups:
        by_sum.setdefault(total, []).extend(facts)
    out: list[int] = []
    for total in sorted(by_sum, reverse=True):
        out += sorted(by_sum[total])[:n - len(out)]
        if len(out) >= n:
            break
    return out
