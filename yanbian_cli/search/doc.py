"""What search knows of one fact (or of a place or topic): its normalised fields."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class Doc:
    """Normalised fields of a fact, place or topic, as analysis made them.

    `joined` (every text, for one quick `in` test before looking field by field) is
    computed here, so a Doc made by any means matches what its fields hold.
    """

    __slots__ = ("id", "ord", "exact", "texts", "wordsets", "values", "digits", "place", "topic", "unit", "measure",
                 "joined")

    def __init__(self, id: str, ord: int = 0, exact: tuple[str, ...] = (),
                 texts: tuple[tuple[str, str], ...] = (), words: Mapping[str, str] | None = None,
                 values: tuple[str, ...] = (), digits: tuple[str, ...] = (), place: str = "", topic: str = "",
                 unit: str = "", measure: str = "") -> None:
        self.id = id  # a fact's or topic's id, a place's name
        self.ord = ord  # its order number in the base
        self.exact = exact  # whole normalised id, labels, aliases
        self.texts = texts  # (field, normalised text) for substring matches
        # Latin words, grouped by the best field each occurs in: (field, " word word ... "), one string a
        # field (a small base reads every fact's words at every call: strings load faster than dicts).
        groups: dict[str, list[str]] = {}
        for word, field in (words or {}).items():
            groups.setdefault(field, []).append(word)
        self.wordsets = tuple((f, " " + " ".join(ws) + " ") for f, ws in groups.items())
        self.values = values  # the value: decimal text (+ "%" for percent), or an ISO date
        self.digits = digits  # digit strings written in the text, label, aliases, period
        self.place = place
        self.topic = topic
        self.unit = unit  # the figure's unit code
        self.measure = measure  # for a count, the measure word its text writes (名 in 600余名)
        self.joined = "\x1f".join(t for _, t in texts)

    def __repr__(self) -> str:
        return f"Doc({self.id!r}, ord={self.ord})"

    def row(self) -> tuple:
        """The doc as plain data, every field in order (tuples of strings and numbers: what the index stores)."""
        return (self.id, self.ord, tuple(sorted(self.exact)), tuple((f, t) for f, t in self.texts),
                tuple((f, ws) for f, ws in self.wordsets), tuple(self.values), tuple(self.digits), self.place,
                self.topic, self.unit, self.measure)

    def word_field(self, word: str) -> str | None:
        """The field a latin word occurs in (the best one), or None."""
        padded = " " + word + " "
        for field, words in self.wordsets:
            if padded in words:
                return field
        return None

    def words(self) -> list[tuple[str, str]]:
        """(word, field) of every latin word."""
        return [(w, f) for f, ws in self.wordsets for w in ws.split()]

    @classmethod
    def from_row(cls, row: Sequence) -> Doc:
        """The doc of a `row()` (read back from the index: its fields are tuples already)."""
        doc = cls.__new__(cls)
        (doc.id, doc.ord, doc.exact, doc.texts, doc.wordsets, doc.values, doc.digits, doc.place, doc.topic, doc.unit,
         doc.measure) = row
        doc.joined = "\x1f".join(t for _, t in doc.texts)
        return doc
