"""The domain: frozen dataclasses built from a validated fact file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

Value = int | float | str


@dataclass(frozen=True)
class Source:
    """Where a figure is stated: article id, paragraph number (0 = title), verbatim quote."""

    article: str
    paragraph: int
    quote: str


@dataclass(frozen=True)
class Fact:
    id: str
    label: str
    label_en: str
    aliases: tuple[str, ...]
    text: str
    value: Value
    unit: str
    qualifier: str
    place: str
    period: str
    topic: str
    source: Source
    note: str = ""
    draft: bool = False
    label_ko: str = ""


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    title_en: str
    byline: str
    kind: str
    section: str
    topic: str
    paragraphs: tuple[str, ...]

    def paragraph(self, number: int) -> str:
        """Paragraph `number`, counted from 1; 0 is the title."""
        return self.title if number == 0 else self.paragraphs[number - 1]

    @property
    def display_title(self) -> str:
        return self.title or f"({self.kind}, untitled)"


@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    label_en: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Place:
    name: str
    label_en: str
    aliases: tuple[str, ...]
    within: str


@dataclass(frozen=True)
class Publication:
    paper: str = ""
    paper_en: str = ""
    paper_basis: str = ""
    year: int | None = None
    year_basis: str = ""


@dataclass(frozen=True)
class FactBase:
    path: Path
    publication: Publication
    articles: dict[str, Article]
    topics: dict[str, Topic]
    places: dict[str, Place]
    facts: tuple[Fact, ...]
    sources: tuple[Path, ...] = ()  # the fact file and the article files it was read from
    _by_id: dict[str, Fact] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update((f.id, f) for f in self.facts)

    def get(self, fact_id: str) -> Fact | None:
        return self._by_id.get(fact_id)

    def place_chain(self, name: str) -> list[str]:
        """`name` and the places it lies within, innermost first."""
        chain: list[str] = []
        while name and name not in chain:
            chain.append(name)
            place = self.places.get(name)
            name = place.within if place else ""
        return chain


# -- plain-data forms, for the index cache and JSON output --------------------------------


def fact_from_dict(d: dict) -> Fact:
    return Fact(**{**d, "aliases": tuple(d["aliases"]), "source": Source(**d["source"])})


def article_from_dict(d: dict) -> Article:
    return Article(**{**d, "paragraphs": tuple(d["paragraphs"])})


def topic_from_dict(d: dict) -> Topic:
    return Topic(**{**d, "aliases": tuple(d["aliases"])})


def place_from_dict(d: dict) -> Place:
    return Place(**{**d, "aliases": tuple(d["aliases"])})
