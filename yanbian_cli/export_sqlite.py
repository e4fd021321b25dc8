"""The fact base as a SQLite database that Datasette and sqlite-utils open as they are, with a
Datasette `metadata.json` beside it (descriptions of every table and column, the search table).

Tables: `facts` (one row a fact: every field of `model.FACT_FIELDS`, the source flattened into
`source_article`, `source_paragraph`, `source_quote`, lists as JSON arrays, and `value_en` after
`value` as in the JSON object), `articles`, `places`, `topics` and `metrics` (the facts that share a
`metric`), with foreign keys so that Datasette links a fact to its article, place and topic. The
columns come from the schema: a field added to `FACT_FIELDS` becomes a column with no change here.

Full-text search: `facts_fts`, an FTS5 table on the labels, aliases and quotes of the facts, whose
rowid is the fact's rowid. FTS5's tokenizers cannot find a Chinese or Korean word inside a longer
run of characters: `unicode61` takes the whole run 延边州宜参面积 as one token, and `trigram` matches
nothing shorter than three characters (人参, 인삼). So the indexed text is the text with every run of
Chinese characters or Hangul syllables also written as its substrings of one to `NGRAM` characters,
and the table is contentless (it keeps the index, not that text): a search for 人参, 面积 or 인삼 finds
the facts that contain it. Datasette finds the table through `fts_table` in the metadata (it detects
by itself only an external-content table, which would index the text as stored).

Only the standard library's `sqlite3`; nothing here imports typer.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from yanbian_cli.errors import OutputError, UsageError
from yanbian_cli.model import (
    ARTICLE_FIELDS,
    FACT_FIELDS,
    PLACE_FIELDS,
    SOURCE_FIELDS,
    TOPIC_FIELDS,
    Article,
    Fact,
    Field,
    Place,
    Topic,
)
from yanbian_cli.record import Record

if TYPE_CHECKING:  # pragma: no cover
    from yanbian_cli.lookup import ExportResult

FTS_TABLE = "facts_fts"
# The fact columns the search reads, where the schema has them.
FTS_COLUMNS = ("label", "label_en", "label_ko", "aliases", "source_quote", "quote_en", "quote_ko", "quote_zh")
NGRAM = 4  # a Chinese or Korean word of up to this many characters is found inside a longer run
TOKENIZER = "porter unicode61"  # English words by their stem (area finds areas); the rest as written

# Units of `model` that Datasette's pint reads as the same unit (pint reads `mu` as a milli atomic
# mass unit and knows no yuan or jin: those are left out).
PINT_UNITS = {"ha": "hectare", "km2": "km**2", "m2": "m**2", "t": "tonne", "kg": "kg", "km": "km", "m": "m",
              "MW": "MW", "kW": "kW", "percent": "percent", "day": "day", "month": "month", "minute": "minute",
              "hour": "hour", "year": "year"}


class Column(Record):
    name: str
    sql_type: str  # TEXT, INTEGER, REAL, or "" for a value stored as it comes (number or ISO date)
    about: str
    references: str = ""  # "table(column)" for a foreign key


class Table(Record):
    name: str
    about: str
    columns: tuple[Column, ...]
    rows: list[tuple[object, ...]]
    label_column: str = ""  # what Datasette shows for a link to a row


class Written(Record):
    """What `write` wrote: the database, its Datasette metadata, and how its facts are searched."""

    database: Path
    metadata: Path
    facts: int
    search: bool  # False when this SQLite has no FTS5: the database has no full-text table


# -- columns and cells, from the schema -------------------------------------------------------


def _sql_type(types: tuple[type, ...]) -> str:
    if types in ((str,), (list,), (dict,)):
        return "TEXT"
    if types in ((int,), (bool,)):
        return "INTEGER"
    if types == (float,):
        return "REAL"
    return ""  # several types (value: a number or an ISO date): stored as it comes


def _cell(field: Field, value: object) -> object:
    """A field's value as SQLite stores it: lists as JSON arrays, booleans as 0/1, an absent optional
    field as NULL."""
    if isinstance(value, (list, tuple)):
        return json.dumps(list(value), ensure_ascii=False)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    if value is None or (value == "" and not field.required):
        return None
    return value


# Columns that link to another table, and the empty value that means no link.
_LINKS = {"facts": {"source_article": "articles(id)", "place": "places(name)", "topic": "topics(id)",
                    "metric": "metrics(metric)"},
          "articles": {"topic": "topics(id)"},
          "places": {"within": "places(name)"}}


def _columns(table: str, key: Column | None, fields: Sequence[Field]) -> tuple[Column, ...]:
    """A table's columns: its key (when the schema keeps it outside the fields), then a column a field,
    the source flattened, `value_en` after `value`, the text after the paragraphs."""
    links = _LINKS.get(table, {})
    cols = [key] if key else []
    for f in fields:
        if f.name == "source":
            cols += [Column(f"source_{s.name}", _sql_type(s.types), s.about, links.get(f"source_{s.name}", ""))
                     for s in SOURCE_FIELDS]
            continue
        cols.append(Column(f.name, _sql_type(f.types), f.about, links.get(f.name, "")))
        if table == "facts" and f.name == "value":
            cols.append(Column("value_en", "TEXT", "the figure in English, with a conversion where one helps"))
        if table == "articles" and f.name == "paragraphs":
            cols.append(Column("text", "TEXT", "the paragraphs joined, a blank line between them"))
    return tuple(cols)


def _row(record: object, fields: Sequence[Field], links: Collection[str], key: object = None) -> list[object]:
    row: list[object] = [] if key is None else [key]
    for f in fields:
        value = getattr(record, f.name, None)  # a field the record lacks is NULL
        if f.name == "source":
            row += [_cell(s, getattr(value, s.name)) for s in SOURCE_FIELDS]
            continue
        row.append(None if f.name in links and not value else _cell(f, value))
        if isinstance(record, Fact) and f.name == "value":
            from yanbian_cli.units import figure_en

            row.append(figure_en(record.value, record.unit, record.qualifier))
        if isinstance(record, Article) and f.name == "paragraphs":
            row.append("\n\n".join(record.paragraphs))
    return row


def metric_rows(facts: Iterable[Fact], articles: Sequence[Article] = ()) -> list[tuple[object, ...]]:
    """One row a metric: its label (of its latest fact), unit, number of facts, first and last period, the
    periods read against the dates of the articles (series.py: 去年 in a 2023 issue is 2022)."""
    from yanbian_cli.series import latest, series

    by_id: dict[str, Article | None] = {a.id: a for a in articles}
    groups: dict[str, list[Fact]] = {}
    for f in facts:
        if f.metric:
            groups.setdefault(f.metric, []).append(f)
    rows: list[tuple[object, ...]] = []
    for metric, found in groups.items():
        points = series(found, by_id)
        last = latest(points)
        units = ", ".join(dict.fromkeys(p.fact.unit for p in points))
        rows.append((metric, last.fact.label, last.fact.label_en, units, len(found),
                     points[0].period.label or points[0].fact.period, last.period.label or last.fact.period))
    return rows


METRIC_COLUMNS = (
    Column("metric", "TEXT", "the slug the facts of one series share"),
    Column("label", "TEXT", "what it measures, in Chinese (the label of its latest fact)"),
    Column("label_en", "TEXT", "what it measures, in English (the label of its latest fact)"),
    Column("unit", "TEXT", "unit code of its facts"),
    Column("facts", "INTEGER", "how many facts give a figure of it"),
    Column("first_period", "TEXT", "the period of its earliest fact (a year, a half-year, or 'as of' a date)"),
    Column("last_period", "TEXT", "the period of its latest fact (a year, a half-year, or 'as of' a date)"),
)


def tables(facts: Sequence[Fact], articles: Sequence[Article], topics: Sequence[Topic],
           places: Sequence[Place]) -> list[Table]:
    """The tables of the database, each before the tables that link to it."""
    def links(table: str) -> Collection[str]:
        return _LINKS.get(table, {}).keys()

    return [
        Table("topics", "The topics the page is about.",
              _columns("topics", Column("id", "TEXT", "topic id"), TOPIC_FIELDS),
              [tuple(_row(t, TOPIC_FIELDS, links("topics"), t.id)) for t in topics], "label"),
        Table("places", "The places the facts are about; within names the enclosing place.",
              _columns("places", Column("name", "TEXT", "name in Chinese, as the facts name it"), PLACE_FIELDS),
              [tuple(_row(p, PLACE_FIELDS, links("places"), p.name)) for p in places], "label_en"),
        Table("articles", "The pieces of the page, their text exactly as printed.",
              _columns("articles", None, ARTICLE_FIELDS),
              [tuple(_row(a, ARTICLE_FIELDS, links("articles"))) for a in articles], "title"),
        Table("metrics", "Figures that measure the same thing across periods and sources (the facts that "
              "share a metric).", METRIC_COLUMNS, metric_rows(facts, articles), "label"),
        Table("facts", "One row a figure the page states, with the sentence that states it (source_quote).",
              _columns("facts", None, FACT_FIELDS),
              [tuple(_row(f, FACT_FIELDS, links("facts"))) for f in facts], "label"),
    ]


# -- search text ------------------------------------------------------------------------------


def _script(ch: str) -> int:
    """1 for a Chinese character, 2 for a Hangul syllable, 0 for anything else."""
    o = ord(ch)
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFF:
        return 1
    return 2 if 0xAC00 <= o <= 0xD7A3 else 0


def search_text(text: str) -> str:
    """`text` as the search table indexes it: each run of Chinese characters or Hangul syllables written
    as its substrings of 1 to NGRAM characters (and whole, when longer), apart from the words, numbers and
    punctuation around it, which stay as they are: 近150万亩 -> 近 150 万 万亩 亩."""
    out: list[str] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i < len(text) and _script(text[i]) == _script(text[start]):
            continue
        run = text[start:i]
        if _script(run[0]):
            grams = [run[j:j + n] for j in range(len(run)) for n in range(1, NGRAM + 1) if j + n <= len(run)]
            out.append(" ".join(grams + ([run] if len(run) > NGRAM else [])))
        else:
            out.append(run)
        start = i
    return " ".join(out)


def search_rows(facts: Sequence[Fact], columns: Sequence[str]) -> list[tuple[object, ...]]:
    """The rows of the search table: the rowid of each fact (its place in `facts`, from 1), then the
    search text of each of `columns` (a fact column: aliases one a line, source_quote the quote)."""
    def text(fact: Fact, column: str) -> str:
        value = getattr(fact.source, column[len("source_"):], "") if column.startswith("source_") else \
            getattr(fact, column, "")
        return "\n".join(value) if isinstance(value, (list, tuple)) else str(value or "")

    return [(n, *(search_text(text(f, c)) for c in columns)) for n, f in enumerate(facts, 1)]


def has_fts5() -> bool:
    """Whether this Python's SQLite has FTS5 (nearly every build has)."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE yb_probe USING fts5(x)")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        conn.close()


# -- the database -----------------------------------------------------------------------------


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _create(table: Table) -> str:
    cols = []
    for i, c in enumerate(table.columns):
        decl = f"{_q(c.name)} {c.sql_type}".rstrip()
        if i == 0:
            decl += " PRIMARY KEY"
        if c.references:
            other, column = c.references.rstrip(")").split("(")
            decl += f" REFERENCES {_q(other)}({_q(column)})"
        cols.append(decl)
    return f"CREATE TABLE {_q(table.name)} (\n  " + ",\n  ".join(cols) + "\n)"


def fill(conn: sqlite3.Connection, all_tables: Sequence[Table], facts: Sequence[Fact], *, fts: bool) -> None:
    """Create and fill the tables, an index on each link, and (with `fts`) the search table of `facts`
    (the rows of the facts table, in order), in one transaction."""
    with conn:
        for t in all_tables:
            conn.execute(_create(t))
            marks = ", ".join("?" * len(t.columns))
            conn.executemany(f"INSERT INTO {_q(t.name)} VALUES ({marks})", t.rows)
            for c in t.columns[1:]:
                if c.references:
                    conn.execute(f"CREATE INDEX {_q(f'idx_{t.name}_{c.name}')} ON {_q(t.name)} ({_q(c.name)})")
        fact_columns = {c.name for t in all_tables if t.name == "facts" for c in t.columns}
        searched = [c for c in FTS_COLUMNS if c in fact_columns]
        if fts and searched:
            names = ", ".join(_q(c) for c in searched)
            conn.execute(f"CREATE VIRTUAL TABLE {_q(FTS_TABLE)} USING fts5({names}, content='', "
                         f"tokenize='{TOKENIZER}')")
            conn.executemany(f"INSERT INTO {_q(FTS_TABLE)} (rowid, {names}) "
                             f"VALUES ({', '.join('?' * (len(searched) + 1))})", search_rows(facts, searched))
            conn.execute(f"INSERT INTO {_q(FTS_TABLE)} ({_q(FTS_TABLE)}) VALUES ('optimize')")


# -- Datasette's metadata.json ----------------------------------------------------------------


def metadata(database: str, all_tables: Sequence[Table], *, fts: bool, title: str, description: str) -> dict:
    """Datasette's metadata.json for the database named `database` (its file name without .db): a
    description of every table and column, the search table, a label column for links, and the unit
    of `value` when every fact exported has one that pint reads."""
    out: dict[str, dict] = {}
    for t in all_tables:
        meta: dict[str, object] = {"description": t.about, "columns": {c.name: c.about for c in t.columns}}
        if t.label_column:
            meta["label_column"] = t.label_column
        if t.name == "facts":
            if fts:
                meta["fts_table"] = FTS_TABLE
                meta["fts_pk"] = "rowid"
            meta["facets"] = ["topic", "place", "unit"]
            names = [c.name for c in t.columns]
            unit = _one_unit(t.rows, names.index("unit"), names.index("value"))
            if unit:
                meta["units"] = {"value": unit}
        out[t.name] = meta
    return {"title": title, "description": description, "databases": {database: {"tables": out}}}


def _one_unit(rows: Sequence[tuple[object, ...]], unit_at: int, value_at: int) -> str:
    """The pint unit of `value` when every row is a number in one unit pint reads, else ''."""
    units = {r[unit_at] for r in rows}
    if len(units) != 1 or not all(isinstance(r[value_at], (int, float)) for r in rows):
        return ""
    return PINT_UNITS.get(str(next(iter(units))), "")


# -- writing ----------------------------------------------------------------------------------


def metadata_path(database: Path) -> Path:
    """Where the metadata of a database goes: facts.db -> facts.metadata.json."""
    return database.with_suffix(".metadata.json")


def write(result: ExportResult, output: Path | None, *, force: bool, protected: Collection[str]) -> Written:
    """Write the facts of `result` as a SQLite database at `output` and its Datasette metadata beside it.

    UsageError without `output` (a database is not text for a terminal or a pipe), for a pipe or a
    terminal, and for a file there without `force`; both files are checked before either is written.
    The database is built in a temporary file in the same folder and renamed into place: a failure
    leaves no file behind (OutputError).
    """
    from yanbian_cli import __version__
    from yanbian_cli.export import in_use
    from yanbian_cli.files import check_new, write_new, write_new_with

    if output is None:
        raise UsageError("--format sqlite writes a binary file: name it with -o FILE.db")
    meta_path = metadata_path(output)
    check_new(output, force=force, protected=protected, streams=False)
    check_new(meta_path, force=force, protected=protected, streams=False)

    store = result.base.store
    facts = [f for f, _ in result.rows]
    articles, topics, places = store.articles(), store.topics(), store.places()
    if result.filtered:
        used_articles, used_topics, used_places = in_use(facts, {a.id: a for a in articles},
                                                         {p.name: p for p in places})
        articles = used_articles
        topics = [t for t in topics if t.id in used_topics]
        places = [p for p in places if p.name in used_places]
    all_tables = tables(facts, articles, topics, places)
    fts = has_fts5()

    def build(path: Path) -> None:
        try:
            conn = sqlite3.connect(path)
            try:
                conn.execute("PRAGMA journal_mode = MEMORY")  # no journal file beside the temporary one
                fill(conn, all_tables, facts, fts=fts)
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise OutputError(f"cannot write {output}: {exc}") from None

    write_new_with(output, build, force=force, protected=protected)
    pub = result.base.publication
    source = Path(store.fact_file()).name
    title = f"{pub.paper_en or pub.paper or 'yb'}: figures and their sources"
    description = (f"Exported by yb {__version__} from {source}: every figure with the sentence that states it."
                   + (" Search finds a Chinese or Korean word of up to four characters anywhere in a label or a "
                      "quote; type a longer one in pieces (网络 零售额)." if fts else ""))
    text = json.dumps(metadata(output.stem, all_tables, fts=fts, title=title, description=description),
                      ensure_ascii=False, indent=2) + "\n"
    write_new(meta_path, text, force=force, protected=protected)
    return Written(output, meta_path, len(facts), fts)
