"""Facts as files for other tools: CSV/TSV for spreadsheets, NDJSON for bulk loading,
Markdown for a wiki, TOML that `yb check` accepts.

Pure functions from facts to text; the command decides where the text goes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from yanbian_cli.model import Article, Fact, Place, Publication, Topic

FORMATS = ("csv", "tsv", "ndjson", "markdown", "toml")
COLUMNS = ("id", "label", "label_en", "label_ko", "text", "value", "unit", "qualifier", "value_en", "place", "period",
           "topic", "article", "title", "byline", "paragraph", "quote", "aliases")


def _row(fact: Fact, article: Article | None) -> dict[str, object]:
    """The --json fact object, flattened into the spreadsheet's columns."""
    from yanbian_cli.render import fact_object

    obj = fact_object(fact, article)
    source = obj.pop("source")
    flat = {**obj, **source, "aliases": "; ".join(fact.aliases)}
    return {column: flat[column] for column in COLUMNS}


def to_delimited(rows: Sequence[tuple[Fact, Article | None]], delimiter: str) -> str:
    """CSV (RFC 4180 quoting) or TSV (tabs and line breaks inside a field become spaces)."""
    import csv
    import io

    out = io.StringIO()
    if delimiter == "\t":
        clean = {ord("\t"): " ", ord("\n"): " ", ord("\r"): " "}
        out.write("\t".join(COLUMNS) + "\n")
        for fact, article in rows:
            out.write("\t".join(str(v).translate(clean) for v in _row(fact, article).values()) + "\n")
        return out.getvalue()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for fact, article in rows:
        writer.writerow(_row(fact, article))
    return out.getvalue()


def to_ndjson(objects: Sequence[dict]) -> str:
    """One JSON document a line (the --json fact objects), UTF-8, for bulk loading."""
    return "".join(json.dumps(o, ensure_ascii=False, separators=(",", ":")) + "\n" for o in objects)


def _md(text: object) -> str:
    """A Markdown table cell: pipes escaped, line breaks flattened."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def to_markdown(rows: Sequence[tuple[Fact, Article | None]]) -> str:
    head = "| key | figure | label | label (en) | place | period | source |\n|---|---|---|---|---|---|---|\n"
    lines = []
    for fact, article in rows:
        title = f"《{article.title}》" if article and article.title else fact.source.article
        where = "title" if fact.source.paragraph == 0 else f"¶{fact.source.paragraph}"
        lines.append("| " + " | ".join(_md(c) for c in (fact.id, fact.text, fact.label, fact.label_en, fact.place,
                                                          fact.period or "—", f"{title} {where}")) + " |")
    return head + "\n".join(lines) + ("\n" if lines else "")


def _toml_str(s: str) -> str:
    out = ['"']
    for ch in s:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif code < 0x20 or 0x7F <= code <= 0x9F or ch in _INVISIBLE:  # valid raw in TOML, but not to show
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


# Format characters that reorder or hide text (bidi controls, zero-width), written as \\u escapes.
_INVISIBLE = frozenset("\u061c\u200b\u200c\u200d\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e"
                       "\u2066\u2067\u2068\u2069\ufeff")


def _toml_value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return _toml_str(str(v))


def fact_toml(fact: Fact) -> str:
    """One [[fact]] table, in the field order of the shipped base."""
    lines = ["[[fact]]"]
    for key in ("id", "label", "label_en", "label_ko", "aliases", "text", "value", "unit", "qualifier", "place",
                "period", "topic"):
        value = getattr(fact, key)
        if key == "label_ko" and not value:
            continue
        lines.append(f"{key} = {_toml_value(value)}")
    src = fact.source
    lines.append(f"source = {{ article = {_toml_str(src.article)}, paragraph = {src.paragraph}, "
                 f"quote = {_toml_str(src.quote)} }}")
    if fact.note:
        lines.append(f"note = {_toml_str(fact.note)}")
    if fact.draft:
        lines.append("draft = true")
    return "\n".join(lines) + "\n"


def article_toml_table(article: Article) -> str:
    """An article as an inline `[articles.ID]` table."""
    lines = [f"[articles.{_key(article.id)}]"]
    for key in ("id", "title", "title_en", "byline", "byline_en", "kind", "section", "topic"):
        if key == "byline_en" and not article.byline_en:
            continue
        lines.append(f"{key} = {_toml_value(getattr(article, key))}")
    lines.append("paragraphs = [\n" + "".join(f"  {_toml_str(p)},\n" for p in article.paragraphs) + "]")
    return "\n".join(lines) + "\n"


def _key(name: str) -> str:
    """A TOML key: bare when it can be, quoted otherwise."""
    return name if name and all(c.isascii() and (c.isalnum() or c in "-_") for c in name) else _toml_str(name)


def to_toml(facts: Sequence[Fact], articles: dict[str, Article], topics: dict[str, Topic],
            places: dict[str, Place], publication: Publication, *, header: str = "") -> str:
    """A self-contained fact file `yb check` accepts: the facts with the articles (inline),
    topics and places they use."""
    used_articles = [a for a in articles.values() if any(f.source.article == a.id for f in facts)]
    used_topics = {f.topic for f in facts} | {a.topic for a in used_articles}
    used_places: set[str] = set()
    for f in facts:
        name = f.place
        while name and name not in used_places:
            used_places.add(name)
            name = places[name].within if name in places else ""
    out = [header, "schema = 1\n"]
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
