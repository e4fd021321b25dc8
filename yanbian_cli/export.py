"""Facts as files for other tools: CSV/TSV for spreadsheets, NDJSON for bulk loading,
Markdown for a wiki, TOML that `yb check` accepts (and, in `export_sqlite`, a SQLite database).

Pure functions from facts to text, following the one schema of `model`; the
command decides where the text goes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from yanbian_cli.model import (
    ARTICLE_FIELDS,
    DEFAULT_LANG,
    FACT_FIELDS,
    SCHEMA_VERSION,
    Article,
    Fact,
    Place,
    Publication,
    Source,
    Topic,
    place_chain,
    where,
)
from yanbian_cli.render.json import fact_object
from yanbian_cli.text import UNSAFE

if TYPE_CHECKING:  # pragma: no cover
    from yanbian_cli.lookup import ExportResult

FORMATS = ("csv", "tsv", "ndjson", "markdown", "toml", "sqlite")  # sqlite: export_sqlite.py
Rows = Sequence[tuple[Fact, "Article | None"]]


def _flat(fact: Fact, article: Article | None) -> dict[str, object]:
    """The --json fact object, flattened into a spreadsheet's columns (aliases joined, last)."""
    obj = fact_object(fact, article)
    source = obj.pop("source")
    aliases = "; ".join(obj.pop("aliases"))
    return {k: _inert(v) for k, v in {**obj, **source, "aliases": aliases}.items()}


# A cell that starts with one of these is a formula to a spreadsheet (=HYPERLINK(...), +cmd, @SUM).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: object) -> object:
    """A text cell a spreadsheet would run as a formula, made plain text with a leading apostrophe
    (as OWASP advises for CSV); numbers are left as they are."""
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


_BLANK = Fact("", "", "", "", (), "", "", "", "", "", "", "", Source("", 0, ""))


def to_delimited(rows: Rows, delimiter: str) -> str:
    """CSV (RFC 4180 quoting) or TSV (tabs and line breaks inside a field become spaces)."""
    import csv
    import io

    flat = [_flat(f, a) for f, a in rows]
    columns = list(_flat(_BLANK, None))
    out = io.StringIO()
    if delimiter == "\t":
        clean = {ord("\t"): " ", ord("\n"): " ", ord("\r"): " "}
        out.write("\t".join(columns) + "\n")
        for row in flat:
            out.write("\t".join(str(v).translate(clean) for v in row.values()) + "\n")
        return out.getvalue()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(flat)
    return out.getvalue()


def to_ndjson(rows: Rows) -> str:
    """One JSON document a line (the --json fact objects), UTF-8, for bulk loading."""
    return "".join(json.dumps(fact_object(f, a), ensure_ascii=False, separators=(",", ":")) + "\n" for f, a in rows)


def _md(text: object) -> str:
    """A Markdown table cell: pipes escaped, line breaks flattened."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def to_markdown(rows: Rows) -> str:
    head = "| key | figure | label | label (en) | place | period | source |\n|---|---|---|---|---|---|---|\n"
    lines = []
    for fact, article in rows:
        title = f"《{article.title}》" if article and article.title else fact.source.article
        lines.append("| " + " | ".join(_md(c) for c in (fact.id, fact.text, fact.label, fact.label_en, fact.place,
                                                          fact.period or "—",
                                                          f"{title} {where(fact.source.paragraph, 'short')}")) + " |")
    return head + "\n".join(lines) + ("\n" if lines else "")


# Quotes and backslashes, and the characters that can drive a terminal or hide text (text.UNSAFE):
# valid raw in TOML (most of them), but written as \\u escapes so that the file shows them.
_TOML_ESCAPE = re.compile('["\\\\' + UNSAFE + "]")


def _toml_escape(m: re.Match[str]) -> str:
    ch = m.group()
    if ch == '"':
        return '\\"'
    if ch == "\\":
        return "\\\\"
    return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"


def _toml_str(s: str) -> str:
    """A TOML basic string: quotes and backslashes escaped, controls and invisible characters as \\u escapes."""
    return '"' + _TOML_ESCAPE.sub(_toml_escape, s) + '"'


def _toml_value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return _toml_str(str(v))


def _optional_and_empty(field_required: bool, value: object) -> bool:
    return not field_required and value in ("", False, None)


def fact_toml(fact: Fact) -> str:
    """One [[fact]] table, its keys in the order of the schema (optional keys only when set)."""
    lines = ["[[fact]]"]
    for f in FACT_FIELDS:
        value = getattr(fact, f.name)
        if _optional_and_empty(f.required, value):
            continue
        if f.name == "source":
            src = fact.source
            lines.append(f"source = {{ article = {_toml_str(src.article)}, paragraph = {src.paragraph}, "
                         f"quote = {_toml_str(src.quote)} }}")
        else:
            lines.append(f"{f.name} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def article_toml_table(article: Article) -> str:
    """An article as an inline `[articles.ID]` table."""
    lines = [f"[articles.{_key(article.id)}]"]
    for f in ARTICLE_FIELDS:
        value = getattr(article, f.name)
        if f.name == "paragraphs":
            lines.append("paragraphs = [\n" + "".join(f"  {_toml_str(p)},\n" for p in value) + "]")
        elif not _optional_and_empty(f.required, value) and not (f.name == "lang" and value == DEFAULT_LANG):
            lines.append(f"{f.name} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def article_file_toml(article: Article, facts: Sequence[Fact], *, header: str = "") -> str:
    """A schema-2 article file: the article's keys, then its [[fact]] tables."""
    body = article_toml_table(article).split("\n", 1)[1]  # the table's keys without its [articles.ID] header
    return header + body + "".join("\n" + fact_toml(f) for f in facts)


def _key(name: str) -> str:
    """A TOML key: bare when it can be, quoted otherwise."""
    return name if name and all(c.isascii() and (c.isalnum() or c in "-_") for c in name) else _toml_str(name)


def in_use(facts: Sequence[Fact], articles: dict[str, Article],
           places: dict[str, Place]) -> tuple[list[Article], set[str], set[str]]:
    """What a part of the base needs to stand on its own: the articles its facts cite (in the base's
    order), the topics of those facts and articles, and their places with the places they lie within."""
    cited = {f.source.article for f in facts}
    used_articles = [a for a in articles.values() if a.id in cited]
    used_topics = {f.topic for f in facts} | {a.topic for a in used_articles}
    used_places = {name for f in facts for name in place_chain(places, f.place)}
    return used_articles, used_topics, used_places


def to_toml(facts: Sequence[Fact], articles: dict[str, Article], topics: dict[str, Topic],
            places: dict[str, Place], publication: Publication, *, header: str = "") -> str:
    """A self-contained fact file `yb check` accepts: the facts with the articles (inline),
    topics and places they use."""
    used_articles, used_topics, used_places = in_use(facts, articles, places)
    out = [header, f"schema = {SCHEMA_VERSION}\n"]
    if any(v not in ("", None) for v in publication):
        out.append("\n[publication]\n" + "".join(f"{k} = {_toml_value(v)}\n"
                                                  for k, v in publication._asdict().items() if v not in ("", None)))
    for a in used_articles:
        out.append("\n" + article_toml_table(a))
    for tid in sorted(used_topics):
        t = topics.get(tid)
        if t:
            out.append(f"\n[topic.{_key(tid)}]\nlabel = {_toml_str(t.label)}\nlabel_en = {_toml_str(t.label_en)}\n"
                       f"aliases = {_toml_value(t.aliases)}\n")
    for name in places:
        if name in used_places:
            p = places[name]
            out.append(f"\n[place.{_toml_str(name)}]\nlabel_en = {_toml_str(p.label_en)}\naliases = "
                       f"{_toml_value(p.aliases)}\nwithin = {_toml_str(p.within)}\n")
    for fact in facts:
        out.append("\n" + fact_toml(fact))
    return "".join(out)


def render(result: ExportResult, header: str = "") -> str:
    """The text of an export in its format."""
    rows = result.rows
    if result.fmt in ("csv", "tsv"):
        return ("\ufeff" if result.bom else "") + to_delimited(rows, "," if result.fmt == "csv" else "\t")
    if result.fmt == "ndjson":
        return to_ndjson(rows)
    if result.fmt == "markdown":
        return to_markdown(rows)
    store = result.base.store
    return to_toml([f for f, _ in rows], {a.id: a for a in store.articles()}, {t.id: t for t in store.topics()},
                   {p.name: p for p in store.places()}, result.base.publication, header=header)
