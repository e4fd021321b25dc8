"""The base as a query sees it: its lexicon, its places and topics, and its facts' search fields.

A `Corpus` reads a `Source` (storage, or `MemoryPostings`) on demand: a query looks
up a few vocabulary forms, not all of them, and a large base reads only the docs
of its candidates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from yanbian_cli.record import Record
from yanbian_cli.search.doc import Doc
from yanbian_cli.search.postings import Source
from yanbian_cli.text import is_cjk


class Filter(Record):
    """--topic and --place: keep a fact of this topic, about this place or a place within it."""

    topic: str | None = None
    place: str | None = None

    def accepts(self, topic: str, place_chain: Sequence[str]) -> bool:
        return (self.topic is None or topic == self.topic) and (self.place is None or self.place in place_chain)


class Corpus:
    """Everything a query needs, read from a `Source`."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.t2s: Mapping[int, str] = str.maketrans(source.t2s())
        self.places = {k: Doc.from_row(v) for k, v in source.place_docs().items()}
        self.topics = {k: Doc.from_row(v) for k, v in source.topic_docs().items()}
        self.place_chains: Mapping[str, Sequence[str]] = source.place_chains()
        self._names: dict[str, tuple[tuple[str, str], ...]] | None = None
        self._vocab: dict[str, Sequence[str] | None] = {}
        self._forms: Sequence[str] | None = None
        self._all: list[Doc] | None = None
        self._whole: bool | None = None
        self._place_names: list[str] | None = None
        self._readings: dict[str, str] | None = None

    # -- the lexicon --

    def vocab(self, form: str) -> Sequence[str] | None:
        if form not in self._vocab:
            self._vocab[form] = self.source.vocab(form)
        return self._vocab[form]

    def vocab_forms(self) -> Sequence[str]:
        if self._forms is None:
            self._forms = self.source.vocab_forms()
        return self._forms

    def initials(self, form: str) -> Sequence[str]:
        return self.source.initials(form) or ()

    def is_phrase(self, text: str) -> bool:
        return self.source.is_phrase(text)

    def readings(self) -> dict[str, str]:
        """Chinese character -> Sino-Korean readings, read once (empty unless the base has Korean articles)."""
        if self._readings is None:
            self._readings = self.source.readings()
        return self._readings

    def chain(self, place: str) -> Sequence[str]:
        """The place and the places it lies within."""
        return self.place_chains.get(place, (place,))

    def entity_names(self) -> Mapping[str, tuple[tuple[str, str], ...]]:
        """normalised name or alias -> the places and topics it names, as ("place"|"topic", key)."""
        if self._names is None:
            names: dict[str, list[tuple[str, str]]] = {}
            for kind, docs in (("place", self.places), ("topic", self.topics)):
                for key, doc in docs.items():
                    for name in doc.exact:
                        names.setdefault(name, []).append((kind, key))
            self._names = {k: tuple(v) for k, v in names.items()}
        return self._names

    def place_names(self) -> list[str]:
        """The Chinese names of places, longest first (an unspaced query is split at them)."""
        if self._place_names is None:
            self._place_names = sorted({n for doc in self.places.values() for n in doc.exact
                                        if len(n) >= 2 and is_cjk(n)}, key=len, reverse=True)
        return self._place_names

    # -- the facts --

    def whole(self) -> list[Doc] | None:
        """Every fact's doc when the base is scored whole; None when it is searched through postings."""
        if self._whole is None:
            raw = self.source.all_docs()
            self._whole = raw is not None
            self._all = [Doc.from_row(d) for d in raw] if raw is not None else None
        return self._all

    def docs(self, ords: Sequence[int]) -> list[Doc]:
        return sorted((Doc.from_row(d) for d in self.source.docs(ords)), key=lambda d: d.ord)
