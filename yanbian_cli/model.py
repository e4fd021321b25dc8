"""The domain: immutable records built from a validated fact file.

They are typed NamedTuples rather than frozen dataclasses: equally immutable and
typed, but about five times cheaper to define, and every `yb` call imports this
module (benchmarks/run.py measures the whole call against `import typer`).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple, Union

Value = Union[int, float, str]


class Source(NamedTuple):
    """Where a figure is stated: article id, paragraph number (0 = title), verbatim quote."""

    article: str
    paragraph: int
    quote: str


class Fact(NamedTuple):
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


class Article(NamedTuple):
    id: str
    title: str
    title_en: str
    byline: str
    kind: str
    section: str
    topic: str
    paragraphs: tuple[str, ...]
    byline_en: str = ""

    def paragraph(self, number: int) -> str:
        """Paragraph `number`, counted from 1; 0 is the title."""
        return self.title if number == 0 else self.paragraphs[number - 1]

    @property
    def display_title(self) -> str:
        return self.title or f"({self.kind}, untitled)"


class Topic(NamedTuple):
    id: str
    label: str
    label_en: str
    aliases: tuple[str, ...]


class Place(NamedTuple):
    name: str
    label_en: str
    aliases: tuple[str, ...]
    within: str


class Publication(NamedTuple):
    paper: str = ""
    paper_en: str = ""
    paper_basis: str = ""
    year: int | None = None
    year_basis: str = ""


class FactBase(NamedTuple):
    path: Path
    publication: Publication
    articles: dict[str, Article]
    topics: dict[str, Topic]
    places: dict[str, Place]
    facts: tuple[Fact, ...]
    sources: tuple[Path, ...] = ()  # the fact file and the article files it was read from
    stamps: tuple[list, ...] = ()  # what identifies the content read from each (see loader.read_toml)

    def place_chain(self, name: str) -> list[str]:
        """`name` and the places it lies within, innermost first."""
        chain: list[str] = []
        while name and name not in chain:
            chain.append(name)
            place = self.places.get(name)
            name = place.within if place else ""
        return chain


# -- plain-data forms, for the index cache and JSON output --------------------------------


def fact_to_dict(fact: Fact) -> dict:
    return {**fact._asdict(), "source": fact.source._asdict()}


def fact_from_dict(d: dict) -> Fact:
    return Fact(**{**d, "aliases": tuple(d["aliases"]), "source": Source(**d["source"])})


def article_from_dict(d: dict) -> Article:
    return Article(**{**d, "paragraphs": tuple(d["paragraphs"])})


def topic_from_dict(d: dict) -> Topic:
    return Topic(**{**d, "aliases": tuple(d["aliases"])})


def place_from_dict(d: dict) -> Place:
    return Place(**{**d, "aliases": tuple(d["aliases"])})
