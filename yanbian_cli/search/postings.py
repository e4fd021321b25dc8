"""The term contract between the index and a query, and what search asks of storage.

`doc_terms(doc, chain)` lists the terms a fact is indexed under (build time);
`atom_terms(atom)` lists the terms any fact that holds the atom is indexed under
(query time). The two live together because the prefilter is only right while
every fact an atom matches is found under the atom's terms (tests/test_search.py
checks this as a property).

`Postings` and `Lexicon` are the questions search asks of storage;
`store.reader.Store` answers them from SQLite, `MemoryPostings` from dicts (for
tests and for a base searched without a cache).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import Protocol, TypeVar

from yanbian_cli.search.doc import Doc
from yanbian_cli.search.query import Atom
from yanbian_cli.text import tokens


class Lexicon(Protocol):
    """The words of a base: vocabularies, phrases, names of places and topics, the t2s table."""

    def vocab(self, form: str) -> Sequence[str] | None:
        """The surfaces a latin form stands for (an English word, or the Chinese its pinyin spells)."""

    def vocab_forms(self) -> Sequence[str]:
        """Every latin form (read only to find typos)."""

    def initials(self, form: str) -> Sequence[str] | None:
        """The Chinese phrases that pinyin initials abbreviate, most frequent first."""

    def is_phrase(self, text: str) -> bool:
        """Whether `text` is a Chinese phrase of a label, alias, place or topic."""

    def t2s(self) -> dict[str, str]:
        """Traditional (and variant) characters -> simplified."""

    def readings(self) -> dict[str, str]:
        """Chinese character -> its Sino-Korean readings (empty unless the base has Korean-language articles)."""

    def place_docs(self) -> dict[str, tuple]:
        """Search fields of every place (Doc rows), by name."""

    def topic_docs(self) -> dict[str, tuple]:
        """Search fields of every topic (Doc rows), by id."""

    def place_chains(self) -> dict[str, list[str]]:
        """Each place and the places it lies within, innermost first."""


_O = TypeVar("_O", bound="Ords")


class Ords(Protocol):
    """A set of facts' order numbers, as a base's postings give them: a `set` of a small base, a roaring bitmap
    (pyroaring.BitMap) of a large one, where a posting may list a tenth of a million facts and every operation
    on it runs in C. A query uses what both have; `Postings` makes them and takes the first of them."""

    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[int]: ...
    def __and__(self: _O, other: _O) -> _O: ...
    def __or__(self: _O, other: _O) -> _O: ...
    def __sub__(self: _O, other: _O) -> _O: ...


class Postings(Protocol):
    """The facts of a base, by their order number, and the terms they are listed under."""

    def fact_count(self) -> int: ...

    def all_docs(self) -> Sequence[tuple] | None:
        """Every fact's Doc row, for a base small enough to score whole; None otherwise."""

    def posting(self, term: str) -> Ords:
        """The order numbers of the facts listed under `term` (never changed by the caller)."""

    def ords(self, ords: Iterable[int]) -> Ords:
        """Order numbers as this base's postings hold them."""

    def head(self, ords: Ords, n: int) -> Ords:
        """The `n` lowest of `ords`."""

    def docs(self, ords: Sequence[int]) -> list[tuple]:
        """Doc rows of the facts with these order numbers."""


class Source(Lexicon, Postings, Protocol):
    """Everything a query reads."""


# -- the terms ---------------------------------------------------------------------------


def _bigrams(text: str, unigrams: bool) -> set[str]:
    """Character bigrams (and, if asked, single characters) of the Chinese and Korean in a text."""
    out: set[str] = set()
    for kind, tok in tokens(text):
        if kind == "cjk" or kind == "hangul":
            if unigrams or len(tok) == 1:
                out.update(tok)
            out.update(map(str.__add__, tok, tok[1:]))  # its bigrams
    return out


@functools.lru_cache(maxsize=1 << 13)
def _text_terms(text: str, unigrams: bool) -> frozenset[str]:
    """`_bigrams`, remembered: a build asks for the same labels, aliases, periods and readings over and over,
    and the terms of the texts most recently asked for are kept (a bounded number of them)."""
    return frozenset(_bigrams(text, unigrams))


def _value_term(value: str) -> str:
    return "@" + value[-5:] if value[:1] == "-" or value[4:5] == "-" else "#" + value.rstrip("%")


def _near_term(number: float) -> str:
    """A bucket of numbers that agree in their first two digits (747, 748 and 750 share ~7.5e2)."""
    if number <= 0:
        return "~0"
    exponent = math.floor(math.log10(number))
    return f"~{round(number / 10 ** exponent, 1)}e{exponent}"


def near_terms(number: float) -> set[str]:
    """The buckets a number within 2% of `number` can fall in (the near values search scores)."""
    # Buckets are at least 1% wide: points 0.2% apart cannot step over one.
    if not math.isfinite(number) or number > 1e18:  # no figure is that large: no bucket to look in
        return set()
    return {_near_term(number * (0.98 + 0.002 * k)) for k in range(21)}


def doc_terms(doc: Doc, chain: Iterable[str]) -> set[str]:
    """The terms a fact is listed under: what any query that could match it looks up."""
    terms: set[str] = set()
    for f, text in doc.texts:
        if f == "quote" or f == "context":  # (the context is matched, though it answers nothing)
            terms |= _bigrams(text, False)  # a fact's own sentence: not remembered, so that the labels' terms stay
        elif f != "unit" and f != "title":
            terms |= _text_terms(text, unigrams=f in ("label", "alias", "text"))
    terms.update("w:" + w for w, f in doc.words() if f != "unit")
    terms.update(_value_term(v) for v in doc.values)
    terms.update(_near_term(float(v.rstrip("%"))) for v in doc.values if v[:1].isdigit() and v[4:5] != "-")
    terms.update("#" + d for d in doc.digits)
    terms.update("p:" + p for p in chain)
    terms.add("t:" + doc.topic)
    return terms


def atom_terms(atom: Atom) -> list[str]:
    """The terms a fact holding `atom` is listed under, all of them (empty: no prefilter for it)."""
    if atom.kind == "word":
        return ["w:" + atom.surface]
    if atom.kind in ("number", "digits"):
        return ["#" + atom.surface]
    if atom.kind == "date":
        return ["@" + atom.surface[-5:]]
    return sorted(_text_terms(atom.surface, unigrams=False))


def place_term(name: str) -> str:
    return "p:" + name


def topic_term(topic: str) -> str:
    return "t:" + topic


# -- a Source held in dicts ----------------------------------------------------------------


class MemoryPostings:
    """A `Source` held in memory: the analysis of a base, queried without SQLite."""

    def __init__(self, docs: Sequence[Doc], terms: Sequence[Iterable[str]] | None, *,
                 place_docs: Mapping[str, Doc] = {}, topic_docs: Mapping[str, Doc] = {},
                 place_chains: Mapping[str, list[str]] | None = None, vocab: Mapping[str, Sequence[str]] = {},
                 initials: Mapping[str, Sequence[str]] = {}, phrases: Collection[str] = (),
                 t2s: Mapping[str, str] = {}, readings: Mapping[str, str] = {}) -> None:
        self._docs = list(docs)
        self._postings: dict[str, set[int]] | None = None
        if terms is not None:
            self._postings = {}
            for doc, doc_terms_ in zip(docs, terms):
                for term in doc_terms_:
                    self._postings.setdefault(term, set()).add(doc.ord)
        self._by_ord = {d.ord: d for d in docs}
        self._place_docs = dict(place_docs)
        self._topic_docs = dict(topic_docs)
        self._chains = dict(place_chains) if place_chains is not None else {p: [p] for p in place_docs}
        self._vocab = vocab
        self._initials = initials
        self._phrases = set(phrases)
        self._t2s = dict(t2s)
        self._readings = dict(readings)

    def vocab(self, form: str) -> Sequence[str] | None:
        return self._vocab.get(form)

    def vocab_forms(self) -> Sequence[str]:
        return list(self._vocab)

    def initials(self, form: str) -> Sequence[str] | None:
        return self._initials.get(form)

    def is_phrase(self, text: str) -> bool:
        return text in self._phrases

    def t2s(self) -> dict[str, str]:
        return self._t2s

    def readings(self) -> dict[str, str]:
        return self._readings

    def place_docs(self) -> dict[str, tuple]:
        return {k: d.row() for k, d in self._place_docs.items()}

    def topic_docs(self) -> dict[str, tuple]:
        return {k: d.row() for k, d in self._topic_docs.items()}

    def place_chains(self) -> dict[str, list[str]]:
        return self._chains

    def fact_count(self) -> int:
        return len(self._docs)

    def all_docs(self) -> list[tuple] | None:
        return None if self._postings is not None else [d.row() for d in self._docs]

    def posting(self, term: str) -> set[int]:
        return (self._postings or {}).get(term, set())

    def ords(self, ords: Iterable[int]) -> set[int]:
        return set(ords)

    def head(self, ords: Ords, n: int) -> set[int]:
        return set(sorted(ords)[:n])

    def docs(self, ords: Sequence[int]) -> list[tuple]:
        return [self._by_ord[o].row() for o in ords if o in self._by_ord]
