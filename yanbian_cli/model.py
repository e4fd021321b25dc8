"""The domain: the schema of a fact file, written once, and the immutable records built from it.

`FACT_FIELDS` (and its siblings for articles, places, topics, the publication)
is the one statement of what a fact file holds: the checker validates against
it, the JSON object, the export columns and the TOML export follow its order.

The records are typed NamedTuples (made as `record.Record`, the same class made
cheaply) rather than frozen dataclasses: equally immutable and typed, but cheaper to
define, and every `yb` call imports this module (benchmarks/run.py measures the whole
call against `import typer`).
"""

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Union

from yanbian_cli.record import Record

Value = Union[int, float, str]

# -- the schema --------------------------------------------------------------------------


class Field(Record):
    """One key of a TOML table: its name, the types it may hold, whether it must be there."""

    name: str
    types: tuple[type, ...]
    required: bool = True
    about: str = ""


_S = (str,)
PUBLICATION_FIELDS = (
    Field("paper", _S, False, "the paper's name"),
    Field("paper_en", _S, False, "the paper's name in English"),
    Field("paper_basis", _S, False, "how the name is known (inferred or printed)"),
    Field("year", (int,), False, "the year of the page"),
    Field("year_basis", _S, False, "how the year is known"),
    Field("date", _S, False, "the date of the issue (YYYY-MM-DD), for a base of one page"),
)
ARTICLE_FIELDS = (
    Field("id", _S, about="article id (the key under [articles])"),
    Field("title", _S, about="title as printed; empty for an untitled photo caption"),
    Field("title_en", _S, about="title in English"),
    Field("byline", _S, about="byline as printed"),
    Field("byline_en", _S, False, "byline in English"),
    Field("kind", _S, about="article or photo caption"),
    Field("section", _S, about="section, where the page prints one"),
    Field("topic", _S, about="topic id"),
    Field("paragraphs", (list,), about="the text, a string a paragraph"),
    Field("lang", _S, False, "language and script of the text: zh-Hans (the default), zh-Hant or ko"),
    Field("date", _S, False, "the date of the issue that printed it (YYYY-MM-DD); relative periods resolve against it"),
    Field("page", _S, False, "the page of the issue that printed it"),
    Field("paper", _S, False, "the paper's name, where it is not the base's [publication] paper"),
    Field("paper_en", _S, False, "the paper's name in English, where it is not the base's"),
)
# Schema 2: a fact file's folder `articles/` is read whole (every .toml under it, listed or not, is an
# article), and an article file may carry its own [[fact]] tables: a page is added by adding files.
ARTICLES_FOLDER = "articles"
# The languages an article may be printed in: code -> (name in English, the edition that prints it).
LANGS: dict[str, tuple[str, str]] = {
    "zh-Hans": ("Chinese, simplified characters", "Chinese edition"),
    "zh-Hant": ("Chinese, traditional characters", "traditional-character reprint"),
    "ko": ("Korean", "Korean-language edition"),
}
DEFAULT_LANG = "zh-Hans"
TOPIC_FIELDS = (
    Field("label", _S, about="name in Chinese"),
    Field("label_en", _S, about="name in English"),
    Field("aliases", (list,), about="other names, in Chinese, English and Korean"),
)
PLACE_FIELDS = (
    Field("label_en", _S, about="name in English"),
    Field("aliases", (list,), about="other names, in Chinese, English and Korean"),
    Field("within", _S, about="the enclosing place, or empty"),
)
SOURCE_FIELDS = (
    Field("article", _S, about="article id"),
    Field("paragraph", (int,), about="paragraph number, 1-based; 0 is the title"),
    Field("quote", _S, about="the sentence that states the figure, verbatim"),
)
FACT_FIELDS = (
    Field("id", _S, about="stable slug key"),
    Field("label", _S, about="what the figure measures, in Chinese"),
    Field("label_en", _S, about="what the figure measures, in English"),
    Field("label_ko", _S, False, "what the figure measures, in Korean"),
    Field("aliases", (list,), about="other names people type"),
    Field("text", _S, about="the figure as the article writes it"),
    Field("value", (int, float, str), about="the number (or ISO date) the text states"),
    Field("unit", _S, about="unit code"),
    Field("qualifier", _S, about="exact, over, at-least, at-most, nearly, under, about or before"),
    Field("place", _S, about="the place the figure is about"),
    Field("period", _S, about="the period as the text states it, or empty"),
    Field("topic", _S, about="topic id"),
    Field("source", (dict,), about="where the figure is stated"),
    Field("quote_en", _S, False, "the quote in English: a translation (the quote is what the page prints)"),
    Field("quote_ko", _S, False, "the quote in Korean: a translation"),
    Field("quote_zh", _S, False, "the quote in simplified Chinese: a translation (for a Korean-language article)"),
    Field("note", _S, False, "a curator's note"),
    Field("draft", (bool,), False, "a draft proposed by yb extract"),
    Field("metric", _S, False, "what the figure measures across periods and sources (a slug shared by the facts "
                               "of one series, e.g. ginseng-understory-area)"),
)
# One group of a glossary: words that mean the same in the base's articles.
SYNONYM_FIELDS = (
    Field("zh", (list,), False, "Chinese words"),
    Field("en", (list,), False, "English words and phrases"),
    Field("ko", (list,), False, "Korean words, in Yanbian and South Korean spelling"),
)
# Top-level keys of a fact file.
FILE_FIELDS = (
    Field("schema", (int,)),
    Field("glossary", _S, False, "a file of [[synonyms]] groups, relative to the fact file"),
    Field("publication", (dict,), False),
    Field("articles", (dict,), False),  # schema 2: the articles/ folder is read whole
    Field("topic", (dict,), False),
    Field("place", (dict,), False),
    Field("fact", (list,), False),  # schema 2: the facts may all be in the article files
)
SCHEMA_VERSION = 2
SCHEMAS = (1, 2)  # the schemas this yb reads
# An id: lowercase letters, digits and single hyphens (ginseng-suitable-area).
ID_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"


def is_id(text: str) -> bool:
    return re.fullmatch(ID_PATTERN, text) is not None


def slug(text: str) -> str:
    """`text` as an id: lowercase ASCII words joined by hyphens ('' when nothing is left)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# -- records -----------------------------------------------------------------------------


class Source(Record):
    """Where a figure is stated: article id, paragraph number (0 = title), verbatim quote."""

    article: str
    paragraph: int
    quote: str


class Fact(Record):
    id: str
    label: str
    label_en: str
    label_ko: str
    aliases: tuple[str, ...]
    text: str
    value: Value
    unit: str
    qualifier: str
    place: str
    period: str
    topic: str
    source: Source
    quote_en: str = ""
    quote_ko: str = ""
    quote_zh: str = ""
    note: str = ""
    draft: bool = False
    metric: str = ""


class Article(Record):
    id: str
    title: str
    title_en: str
    byline: str
    byline_en: str
    kind: str
    section: str
    topic: str
    paragraphs: tuple[str, ...]
    lang: str = DEFAULT_LANG
    date: str = ""
    page: str = ""
    paper: str = ""
    paper_en: str = ""

    def paragraph(self, number: int) -> str:
        """Paragraph `number`, counted from 1; 0 is the title."""
        return self.title if number == 0 else self.paragraphs[number - 1]

    def numbered(self) -> list[tuple[int, str]]:
        """(number, text) of the title (0) and every paragraph (1..)."""
        return [(0, self.title), *enumerate(self.paragraphs, 1)]

    @property
    def display_title(self) -> str:
        return self.title or f"({self.kind}, untitled)"


def where(paragraph: int, style: str = "en") -> str:
    """Where in an article a paragraph stands: 'paragraph 2' / 'title', '第2段' / '标题', '¶2' / 'title'."""
    if style == "zh":
        return "标题" if paragraph == 0 else f"第{paragraph}段"
    if style == "short":
        return "title" if paragraph == 0 else f"¶{paragraph}"
    return "title" if paragraph == 0 else f"paragraph {paragraph}"


class Synonyms(Record):
    """A group of a glossary: words that mean the same in the base's articles (采摘, picking, 따기, 채취).
    A fact that holds one of them is found by the others too."""

    zh: tuple[str, ...] = ()
    en: tuple[str, ...] = ()
    ko: tuple[str, ...] = ()


class Topic(Record):
    id: str
    label: str
    label_en: str
    aliases: tuple[str, ...]


class Place(Record):
    name: str
    label_en: str
    aliases: tuple[str, ...]
    within: str


def place_chain(places: Mapping[str, Place], name: str) -> list[str]:
    """`name` and the places it lies within, innermost first (a circle stops where it closes)."""
    chain: list[str] = []
    seen: set[str] = set()
    while name and name not in seen:
        chain.append(name)
        seen.add(name)
        place = places.get(name)
        name = place.within if place else ""
    return chain


class Publication(Record):
    paper: str = ""
    paper_en: str = ""
    paper_basis: str = ""
    year: int | None = None
    year_basis: str = ""
    date: str = ""  # the date, for an article that gives it


def publication_of(article: Article | None, default: Publication) -> Publication:
    """Where an article was printed: its own paper and date where it gives them, else the base's default."""
    if article is None or not (article.date or article.paper):
        return default
    pub = default._replace(paper=article.paper or default.paper, paper_en=article.paper_en or default.paper_en,
                           paper_basis="printed" if article.paper else default.paper_basis)
    if article.date:
        pub = pub._replace(year=int(article.date[:4]), year_basis="printed", date=article.date)
    return pub


class Stamp(Record):
    """What identifies the content read from a source file: where, size, times, inode, hash."""

    path: str
    size: int
    mtime_ns: int
    ctime_ns: int
    ino: int
    digest: str


class FactBase(Record):
    path: Path
    publication: Publication
    articles: dict[str, Article]
    topics: dict[str, Topic]
    places: dict[str, Place]
    facts: tuple[Fact, ...]
    stamps: tuple[Stamp, ...] = ()  # of the fact file and the article files, taken as they were read
    pending: tuple[str, ...] = ()  # draft facts of article files, held back until reviewed
    article_files: tuple[tuple[str, str], ...] = ()  # (absolute path, article id) of each article file
    synonyms: tuple[Synonyms, ...] = ()  # the glossary
    # articles whose facts and file do not match one to one: cited by a fact held in another file (the fact file,
    # or another article's file), or whose file holds a fact of another article. An index updated by the file
    # replaces the facts of a changed file's article by those the file now holds, so a change to one of these
    # needs a full build.
    crossed: frozenset[str] = frozenset()

    def place_chain(self, name: str) -> list[str]:
        return place_chain(self.places, name)


# -- plain-data forms, for the index cache ------------------------------------------------


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
