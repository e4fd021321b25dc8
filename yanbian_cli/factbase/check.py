"""Checking a fact file and its articles: every problem at once, each with its place.

The rules, in the order a fact file is read: the top-level keys, the publication,
topics, places (no unknown or circular `within`), articles (read from their files
or written inline), then each fact (fields, id, vocabulary, source, value) and
duplicate ids. Types come from the field specs of `model`.
"""

from __future__ import annotations

import functools
import math
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from yanbian_cli.errors import DataError
from yanbian_cli.factbase.schema import (
    Report,
    check_fields,
    check_strings,
    has_type,
    value_name,
)
from yanbian_cli.factbase.sources import Problem, fact_lines, read_toml, shown_path, stamp_folder
from yanbian_cli.model import (
    ARTICLE_FIELDS,
    ARTICLES_FOLDER,
    DEFAULT_LANG,
    FACT_FIELDS,
    FILE_FIELDS,
    LANGS,
    PLACE_FIELDS,
    PUBLICATION_FIELDS,
    SCHEMAS,
    SOURCE_FIELDS,
    SYNONYM_FIELDS,
    TOPIC_FIELDS,
    Article,
    Fact,
    FactBase,
    Place,
    Publication,
    Source,
    Stamp,
    Synonyms,
    Topic,
    is_id,
    place_chain,
)
from yanbian_cli.numbers import MAX_FIGURE, Figure, parse_figure
from yanbian_cli.record import Record
from yanbian_cli.units import QUALIFIERS, UNITS


class _Problems:
    """The problems found so far, and reporters that know where they are."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.found: list[Problem] = []

    def at(self, file: str | None = None, line: int | None = None, fact: str | None = None) -> Report:
        def report(message: str, field: str | None) -> None:
            self.found.append(Problem(file or self.shown, message, line=line, fact=fact, field=field))

        return report


def _publication(raw: Any, problems: _Problems) -> Publication:
    if not isinstance(raw, dict):
        return Publication()
    if not check_fields(raw, PUBLICATION_FIELDS, problems.at(), prefix="publication."):
        raw = {f.name: raw[f.name] for f in PUBLICATION_FIELDS if f.name in raw and has_type(raw[f.name], f.types)}
    return Publication(**raw)


def _named_tables(raw: Any, spec: tuple, where: str, problems: _Problems) -> list[tuple[str, dict, tuple[str, ...]]]:
    """(key, table, its aliases) for each well-formed [topic.X] or [place."X"] table."""
    out = []
    for key, table in (raw if isinstance(raw, dict) else {}).items():
        prefix = where.format(key)
        report = problems.at()
        if not key.strip():
            report("the name is empty", prefix.rstrip("."))
        elif not isinstance(table, dict):
            report("expected a table", prefix.rstrip("."))
        elif check_fields(table, spec, report, prefix=prefix):
            out.append((key, table, check_strings(table["aliases"], report, prefix + "aliases")))
    return out


def _topics(raw: Any, problems: _Problems) -> dict[str, Topic]:
    return {tid: Topic(tid, t["label"], t["label_en"], aliases)
            for tid, t, aliases in _named_tables(raw, TOPIC_FIELDS, "topic.{}.", problems)}


def _places(raw: Any, problems: _Problems) -> dict[str, Place]:
    places = {name: Place(name, p["label_en"], aliases, p["within"])
              for name, p, aliases in _named_tables(raw, PLACE_FIELDS, 'place."{}".', problems)}
    report = problems.at()
    for place in places.values():
        field = f'place."{place.name}".within'
        if place.within and place.within not in places:
            report(f'unknown place "{place.within}"', field)
            continue
        chain = place_chain(places, place.name)
        outermost = places.get(chain[-1])
        if outermost is not None and outermost.within in chain:
            report("places lie within each other in a circle: " + " -> ".join(chain + [outermost.within]), field)
    return places


def _glossary(raw: Any, path: Path, problems: _Problems, stamps: list[Stamp]) -> tuple[Synonyms, ...]:
    """The [[synonyms]] groups of the glossary file the fact file names (`glossary = "glossary.toml"`)."""
    if not isinstance(raw, str):
        return ()
    file = path.parent / raw
    read: list[Problem] = []
    data = read_toml(file, read, stamps)
    problems.found.extend(read)
    if data is None:
        return ()
    report = problems.at(file=shown_path(file))
    groups = data.get("synonyms")
    for key in data:
        if key != "synonyms":
            report("unknown field (a glossary holds [[synonyms]] tables)", key)
    if not isinstance(groups, list):
        report("missing" if groups is None else f"expected an array of tables, got {value_name(groups)}", "synonyms")
        return ()
    out = []
    for i, table in enumerate(groups, 1):
        where = f"synonyms[{i}]"
        if not isinstance(table, dict):
            report(f"expected a table, got {value_name(table)}", where)
            continue
        if not check_fields(table, SYNONYM_FIELDS, report, prefix=where + "."):
            continue
        forms = {lang: tuple(dict.fromkeys(w.strip() for w in check_strings(table.get(lang, []), report,
                                                                              f"{where}.{lang}") if w.strip()))
                 for lang in ("zh", "en", "ko")}
        if sum(map(len, forms.values())) < 2:
            report("a group names two words or more", where)
            continue
        out.append(Synonyms(**forms))
    return tuple(out)


class _ArticleFacts(Record):
    """The [[fact]] tables an article file carries (schema 2), to be checked with the base's."""

    path: Path
    article: str
    facts: Any


def _discovered(path: Path, listed: set[str], stamps: list[Stamp]) -> list[tuple[str | None, Path]]:
    """Schema 2: every .toml file under the fact file's articles/ folder that [articles] does not list, in
    path order (dated folders sort by date); each folder is stamped, so that a file added is seen."""
    import os

    folder = Path(os.path.abspath(path.parent / ARTICLES_FOLDER))  # absolute: joined to nothing again
    found: list[tuple[str | None, Path]] = []
    if not folder.is_dir():  # none yet: the fact file's folder is stamped, so that one made (or put back) is seen
        stamps.append(stamp_folder(folder.parent))
        return found
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        stamps.append(stamp_folder(Path(root)))
        for name in sorted(files):
            file = Path(root) / name
            if name.endswith(".toml") and os.path.abspath(file) not in listed:
                found.append((None, file))
    found.sort(key=lambda item: item[1].relative_to(folder).parts)
    return found


def _articles(raw: Any, path: Path, topics: dict[str, Topic], problems: _Problems,
              stamps: list[Stamp], schema: int, page_facts: list[_ArticleFacts],
              files: list[Path] | None = None) -> dict[str, Article]:
    import os

    articles: dict[str, Article] = {}
    entries: list[tuple[str | None, Any]] = list((raw if isinstance(raw, dict) else {}).items())
    if files is not None:  # these files only
        entries = [(None, f) for f in files]
    elif schema >= 2:
        paths = {os.path.abspath(path.parent / e) for _, e in entries if isinstance(e, str)}
        entries += _discovered(path, paths, stamps)
    for key, entry in entries:
        if isinstance(entry, dict):  # an article written inline (as `yb extract` drafts do)
            data: dict[str, Any] | None = entry
            shown = f"{problems.shown} [articles.{key}]"
        elif isinstance(entry, (str, Path)):
            apath = path.parent / entry
            shown = shown_path(apath)
            read: list[Problem] = []
            data = read_toml(apath, read, stamps)
            for p in read:
                listed = f' (article "{key}", listed in {problems.shown})' if p.message == "no such file" and key \
                    else ""
                problems.found.append(p._replace(message=p.message + listed))
        else:
            problems.at()(f"expected a file path or a table, got {value_name(entry)}", f"articles.{key}")
            continue
        if data is None:
            continue
        report = problems.at(file=shown)
        own_facts = data.pop("fact", None) if schema >= 2 and isinstance(entry, (str, Path)) else None
        if not check_fields(data, ARTICLE_FIELDS, report):
            continue
        aid = data["id"] if key is None else key
        if key is not None and data["id"] != key:
            report(f'article id "{data["id"]}" differs from its key "{key}" in {problems.shown}', "id")
        if aid in articles:
            report(f'article id "{aid}" is used by another article file too', "id")
            continue
        date = data.get("date", "")
        if date and not _is_date(date):
            report(f'"{date}" is not a date (YYYY-MM-DD)', "date")
        if data["topic"] not in topics:
            report(f'unknown topic "{data["topic"]}"', "topic")
        paragraphs = check_strings(data["paragraphs"], report, "paragraphs")
        if not paragraphs:
            report("no paragraphs", "paragraphs")
        lang = data.get("lang", DEFAULT_LANG)
        if lang not in LANGS:
            report(f'unknown language "{lang}" (known: {", ".join(LANGS)})', "lang")
        articles[aid] = _article_record(aid, data, paragraphs)
        if own_facts is not None or isinstance(entry, (str, Path)):
            page_facts.append(_ArticleFacts(path.parent / entry, aid, own_facts))
    return articles


def _article_record(aid: str, data: dict[str, Any], paragraphs: tuple[str, ...]) -> Article:
    return Article(aid, data["title"], data["title_en"], data["byline"], data.get("byline_en", ""), data["kind"],
                   data["section"], data["topic"], paragraphs, data.get("lang", DEFAULT_LANG), data.get("date", ""),
                   data.get("page", ""), data.get("paper", ""), data.get("paper_en", ""))


def _is_date(text: str) -> bool:
    import datetime

    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _source(src: Source, text: str, ctx: FactBase, report: Report) -> None:
    article = ctx.articles.get(src.article)
    if article is None:
        report(f'unknown article "{src.article}"', "source.article")
        return
    if not 0 <= src.paragraph <= len(article.paragraphs):
        report(f'article "{src.article}" has paragraphs 1 to {len(article.paragraphs)} (0 is the title)',
               "source.paragraph")
        return
    if not src.quote:
        report("is empty", "source.quote")
    elif src.quote not in article.paragraph(src.paragraph):
        elsewhere = [n for n, p in article.numbered() if src.quote in p]
        hint = f" (it is in paragraph {elsewhere[0]})" if elsewhere else ""
        report(f'not found verbatim in article "{src.article}" paragraph {src.paragraph}{hint}', "source.quote")
    if text and text not in src.quote:
        report(f'"{text}" is not inside the quote', "text")


def _out_of_range(value: object) -> bool:
    """A value no page prints: infinite, not a number, or over MAX_FIGURE (an int of 400 digits)."""
    if isinstance(value, float):
        return not math.isfinite(value) or abs(Decimal(repr(value))) > MAX_FIGURE
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_FIGURE


@functools.lru_cache(maxsize=1 << 14)
def _figure(text: str, year: int | None) -> Figure | None:
    """parse_figure, remembered: a base writes the same figures again and again (a Figure is immutable)."""
    return parse_figure(text, year)


def _value(raw: dict[str, Any], year: int | None, report: Report) -> None:
    """`value`, `unit` and `qualifier` follow from `text`."""
    text, value, unit, qualifier = raw["text"], raw["value"], raw["unit"], raw["qualifier"]
    if _out_of_range(value):
        report(f"is out of range (a finite number of at most {MAX_FIGURE:.0e})", "value")
        return
    fig = _figure(text, year)
    if fig is None:
        report(f'"{text}" is not a figure yb can read', "text")
        return
    if unit == "date" or fig.unit == "date":
        accepted = {fig.value}
        if fig.unit == "date" and year and isinstance(fig.value, str) and fig.value.startswith(str(year)):
            accepted.add("--" + fig.value[5:])  # the year is not in the text: it may be left out
        if isinstance(fig.value, str) and fig.value.startswith("---") and isinstance(value, str) and re.fullmatch(
                r"(?:\d{4}|-)-\d{2}" + fig.value[2:], value):
            accepted.add(value)  # a day alone (27日 of 8月25日至27日): its month and year come from the range
        if value not in accepted:
            report(f'{value!r} does not follow from "{text}" (reads as {" or ".join(map(repr, sorted(accepted)))})',
                   "value")
    elif isinstance(value, str) or Decimal(str(value)) != Decimal(str(fig.value)):
        report(f'{value!r} does not follow from "{text}" (reads as {fig.value})', "value")
    if fig.unit and unit != fig.unit and not unit.startswith(fig.unit + "/"):
        report(f'"{unit}" does not follow from "{text}" (reads as {fig.unit})', "unit")
    if qualifier != fig.qualifier:
        report(f'"{qualifier}" does not follow from "{text}" (reads as {fig.qualifier})', "qualifier")


def _fact(raw: Any, number: int, line: int | None, ctx: FactBase, allow_drafts: bool,
          problems: _Problems) -> Fact | None:
    if not isinstance(raw, dict):
        problems.at(line=line)(f"fact #{number} is not a table", None)
        return None
    fid = raw["id"] if isinstance(raw.get("id"), str) else f"#{number}"
    report = problems.at(line=line, fact=fid)
    ok = check_fields(raw, FACT_FIELDS, report)
    source = raw.get("source")
    if isinstance(source, dict):
        ok = check_fields(source, SOURCE_FIELDS, report, prefix="source.") and ok
    if not ok or not isinstance(source, dict):
        return None
    if not is_id(raw["id"]):
        report("must be lowercase letters, digits and single hyphens (e.g. ginseng-suitable-area)", "id")
    if raw.get("metric") and not is_id(raw["metric"]):
        report("must be lowercase letters, digits and single hyphens (e.g. ginseng-understory-area)", "metric")
    for name in ("label", "label_en", "text"):
        if not raw[name].strip():
            report("is empty", name)
    aliases = check_strings(raw["aliases"], report, "aliases")
    if raw["unit"] not in UNITS:
        report(f'unknown unit "{raw["unit"]}" (known: {", ".join(UNITS)})', "unit")
    if raw["qualifier"] not in QUALIFIERS:
        report(f'unknown qualifier "{raw["qualifier"]}" (known: {", ".join(QUALIFIERS)})', "qualifier")
    if raw["place"] not in ctx.places:
        report(f'unknown place "{raw["place"]}" (places are defined in [place."NAME"] tables)', "place")
    if raw["topic"] not in ctx.topics:
        report(f'unknown topic "{raw["topic"]}" (topics are defined in [topic.ID] tables)', "topic")
    if raw.get("draft") and not allow_drafts:
        report("draft facts are accepted only by 'yb check --drafts'", "draft")
    fact = _fact_record(raw, aliases)
    _source(fact.source, raw["text"], ctx, report)
    _value(raw, ctx.publication.year, report)
    return fact


def _fact_record(raw: dict[str, Any], aliases: tuple[str, ...]) -> Fact:
    source = raw["source"]
    return Fact(raw["id"], raw["label"], raw["label_en"], raw.get("label_ko", ""), aliases, raw["text"], raw["value"],
                raw["unit"], raw["qualifier"], raw["place"], raw["period"], raw["topic"],
                Source(source["article"], source["paragraph"], source["quote"]), raw.get("quote_en", ""),
                raw.get("quote_ko", ""), raw.get("quote_zh", ""), raw.get("note", ""), raw.get("draft", False),
                raw.get("metric", ""))


def _facts(data: dict[str, Any], path: Path, ctx: FactBase, allow_drafts: bool, problems: _Problems,
           required: bool = True) -> list[Fact]:
    """The facts of a file; each problem at the line of its fact. The lines are read (the file again) only
    when there is a problem: the facts are checked first without them."""
    trial = _Problems(problems.shown)
    facts = _facts_at(data, ([], {}), ctx, allow_drafts, trial, required)
    if not trial.found:
        return facts
    return _facts_at(data, fact_lines(path), ctx, allow_drafts, problems, required)


def _facts_at(data: dict[str, Any], lines_of: tuple[list[int], dict[str, list[int]]], ctx: FactBase,
              allow_drafts: bool, problems: _Problems, required: bool) -> list[Fact]:
    headers, id_lines = lines_of
    raw_facts = data["fact"] if isinstance(data.get("fact"), list) else []
    facts = []
    for i, raw in enumerate(raw_facts):
        fid = raw.get("id") if isinstance(raw, dict) else None
        lines = id_lines.get(fid, []) if isinstance(fid, str) else []
        line = lines[0] if lines else (headers[i] if i < len(headers) else None)
        fact = _fact(raw, i + 1, line, ctx, allow_drafts, problems)
        if fact is not None:
            facts.append(fact)
    from collections import Counter

    for fid, n in Counter(f.id for f in facts).items():  # one problem an id, however often it repeats
        if n > 1:
            lines = id_lines.get(fid, [])
            shown = ", ".join(map(str, lines[:5])) + (f" and {len(lines) - 5} more" if len(lines) > 5 else "")
            at = f" ({n} facts; lines {shown})" if lines else f" ({n} facts)"
            problems.at(line=lines[1] if len(lines) > 1 else None, fact=fid)(f"duplicate id{at}", "id")
    if isinstance(data.get("fact"), list) and not raw_facts and required:
        problems.at()("no facts", "fact")
    return facts


def check(path: Path, *, allow_drafts: bool = False) -> tuple[FactBase | None, list[Problem]]:
    """Validate a fact file and its articles; the base is None unless there are no problems."""
    path = Path(path)
    problems = _Problems(shown_path(path))
    stamps: list[Stamp] = []
    head = _head(path, problems, stamps)
    if head is None:
        return None, problems.found
    data, schema, publication, topics, places, synonyms = head
    page_facts: list[_ArticleFacts] = []
    articles = _articles(data.get("articles"), path, topics, problems, stamps, schema, page_facts)
    ctx = FactBase(path, publication, articles, topics, places, (), synonyms=synonyms)
    if "fact" not in data and not any(isinstance(p.facts, list) and p.facts for p in page_facts):
        problems.at()("missing (no [[fact]] here or in an article file)", "fact")
    facts = _facts(data, path, ctx, allow_drafts, problems, required=not any(p.facts for p in page_facts))
    more, pending, elsewhere = _page_facts(page_facts, ctx, allow_drafts, problems,
                                           {f.id: problems.shown for f in facts})
    elsewhere |= {f.source.article for f in facts}  # (the fact file's facts: no article file holds them)
    facts += more
    if problems.found:
        return None, problems.found
    return ctx._replace(facts=tuple(facts), stamps=tuple(stamps), pending=tuple(pending),
                        article_files=_files(page_facts), crossed=frozenset(elsewhere)), problems.found


def _head(path: Path, problems: _Problems, stamps: list[Stamp]
          ) -> tuple[dict[str, Any], int, Publication, dict[str, Topic], dict[str, Place], tuple[Synonyms, ...]] | None:
    """The fact file read, with its schema, publication, topics, places and glossary; None when it cannot be
    read."""
    data = read_toml(path, problems.found, stamps)
    if data is None:
        return None
    check_fields(data, FILE_FIELDS, problems.at())
    schema: int = data["schema"] if isinstance(data.get("schema"), int) else 1
    if schema not in SCHEMAS:
        problems.at()(f"schema {schema} is not supported (this yb reads schemas {', '.join(map(str, SCHEMAS))})",
                      "schema")
    if schema == 1 and "articles" not in data:
        problems.at()("missing", "articles")
    return (data, schema, _publication(data.get("publication"), problems), _topics(data.get("topic"), problems),
            _places(data.get("place"), problems), _glossary(data.get("glossary"), path, problems, stamps))


class Layout(Record):
    """A base whose article files can be checked one apart from another: schema 2, every fact in an article
    file, no article listed or written in the fact file."""

    context: FactBase  # the fact file's publication, topics and places (no articles, no facts)
    stamps: tuple[Stamp, ...]  # of the fact file and of the folders of article files
    files: tuple[Path, ...]  # every article file, in the order `check` reads them


def layout(path: Path) -> Layout | None:
    """The layout of the base at `path`, or None when its fact file has a problem or the base is of another
    shape (`check` reads it whole and reports it)."""
    path = Path(path)
    problems = _Problems(shown_path(path))
    stamps: list[Stamp] = []
    head = _head(path, problems, stamps)
    if head is None or problems.found:
        return None
    data, schema, publication, topics, places, synonyms = head
    if schema < 2 or data.get("articles") or "fact" in data:
        return None
    files = [file for _, file in _discovered(path, set(), stamps)]
    if problems.found:
        return None
    return Layout(FactBase(path, publication, {}, topics, places, (), synonyms=synonyms), tuple(stamps),
                  tuple(files))


class Changed(Exception):
    """A file is not as it was when checked."""


def read_checked(files: list[Path], digests: list[str]) -> tuple[dict[str, Article], list[Fact]]:
    """The articles and facts of article files `check_files` found without a problem, read again as it read
    them (drafts held back), without checking them again: Changed unless each file's content still has the
    digest it had."""
    import hashlib

    from yanbian_cli.factbase.sources import MAX_FILE_BYTES, parse, read_bytes

    articles: dict[str, Article] = {}
    facts: list[Fact] = []
    for path, digest in zip(files, digests):
        try:
            raw, _ = read_bytes(path, MAX_FILE_BYTES)
        except (OSError, ValueError):
            raise Changed(str(path)) from None
        if hashlib.sha256(raw).hexdigest() != digest:
            raise Changed(str(path))
        data = parse(raw.decode("utf-8").removeprefix("\ufeff"))
        own = data.pop("fact", None)
        aid = data["id"]
        articles[aid] = _article_record(aid, data, tuple(data["paragraphs"]))
        for fact in own if isinstance(own, list) else ():
            if not (isinstance(fact, dict) and fact.get("draft") is True):  # a draft waits for its review
                fact["source"].setdefault("article", aid)
                facts.append(_fact_record(fact, tuple(fact["aliases"])))
    return articles, facts


def _files(page_facts: list[_ArticleFacts]) -> tuple[tuple[str, str], ...]:
    import os

    return tuple((os.path.abspath(p.path), p.article) for p in page_facts)


def check_files(fact_file: Path, files: list[Path], ctx: FactBase) -> tuple[FactBase | None, list[Problem]]:
    """Validate some article files of a schema-2 base on their own (for an index updated by the file): their
    articles and facts, against the places and topics of `ctx`; the base is None unless there are no
    problems. What needs the whole base (an id used in another file) is the caller's to check."""
    problems = _Problems(shown_path(fact_file))
    stamps: list[Stamp] = []
    page_facts: list[_ArticleFacts] = []
    articles = _articles({}, fact_file, ctx.topics, problems, stamps, 2, page_facts, files=files)
    part = ctx._replace(articles=articles, facts=())
    facts, pending, elsewhere = _page_facts(page_facts, part, False, problems, {})
    if problems.found:
        return None, problems.found
    return part._replace(facts=tuple(facts), stamps=tuple(stamps), pending=tuple(pending),
                         article_files=_files(page_facts), crossed=frozenset(elsewhere)), []


def _page_facts(page_facts: list[_ArticleFacts], ctx: FactBase, allow_drafts: bool, problems: _Problems,
                seen: dict[str, str]) -> tuple[list[Fact], list[str], set[str]]:
    """The facts of each article file, reported at their own file and line; the drafts held back; and the
    articles a fact of another article's file cites, with those files' (`FactBase.crossed`)."""
    facts: list[Fact] = []
    pending: list[str] = []
    elsewhere: set[str] = set()
    for page in page_facts:
        raws = page.facts if isinstance(page.facts, list) else []
        for raw in raws:
            if isinstance(raw, dict) and isinstance(raw.get("source"), dict):
                raw["source"].setdefault("article", page.article)  # a fact of an article file is of that article
        if not allow_drafts:  # a draft in an article file (yb extract --into) waits for its review
            pending += [r.get("id", "?") for r in raws if isinstance(r, dict) and r.get("draft") is True]
            raws = [r for r in raws if not (isinstance(r, dict) and r.get("draft") is True)]
        in_file = _Problems(shown_path(page.path))
        if page.facts is not None and not isinstance(page.facts, list):
            in_file.at()(f"expected an array of tables, got {value_name(page.facts)}", "fact")
        found = _facts({"fact": raws}, page.path, ctx, allow_drafts, in_file, required=False)
        for f in found:
            if f.id in seen:
                in_file.at(fact=f.id)(f"duplicate id (also in {seen[f.id]})", "id")
            seen.setdefault(f.id, in_file.shown)
        problems.found += in_file.found
        facts += found
        foreign = {f.source.article for f in found if f.source.article != page.article}
        elsewhere |= foreign | ({page.article} if foreign else set())
    return facts, pending, elsewhere


def suspicious(base: FactBase) -> list[Problem]:
    """Warnings: text with characters that can drive a terminal, reorder what it shows or hide text
    (ESC, bidirectional controls, zero-width and other invisible characters). yb shows them as escapes;
    in a fact base they are most likely pasted by mistake, or meant to make one label look like another."""
    import re

    from yanbian_cli.text import UNSAFE

    found = re.compile(f"[{UNSAFE}]")
    files = {aid: Path(path) for path, aid in base.article_files}  # schema 2: an article and its facts
    warnings = []

    def look(text: str, where: str, fact: Fact | None = None, article: str = "", allowed: str = "") -> None:
        for m in found.finditer(text):
            if m.group() not in allowed:
                path = files.get(fact.source.article if fact is not None else article, base.path)
                line = fact_lines(path)[1].get(fact.id, [None])[0] if fact is not None else None
                warnings.append(Problem(shown_path(path), f"warning: U+{ord(m.group()):04X} at character "
                                        f"{m.start() + 1} (a control, bidirectional or invisible character)",
                                        line=line, fact=fact.id if fact is not None else None, field=where))
                return

    for f in base.facts:
        for name in ("id", "label", "label_en", "label_ko", "text", "place", "period", "topic", "quote_en",
                     "quote_ko", "quote_zh", "note"):
            look(str(getattr(f, name)), name, f)
        for alias in f.aliases:
            look(alias, "aliases", f)
        look(f.source.quote, "source.quote", f)
    for a in base.articles.values():
        for name in ("title", "title_en", "byline", "byline_en", "section"):
            look(getattr(a, name), f"articles.{a.id}.{name}", article=a.id)
        for n, paragraph in enumerate(a.paragraphs, 1):
            look(paragraph, f"articles.{a.id}.paragraphs[{n}]", article=a.id)
    for place in base.places.values():
        for text in (place.name, place.label_en, *place.aliases):
            look(text, f'place."{place.name}"')
    for topic in base.topics.values():
        for text in (topic.id, topic.label, topic.label_en, *topic.aliases):
            look(text, f"topic.{topic.id}")
    return warnings


def load(path: Path) -> FactBase:
    """The validated fact base at `path`, or DataError with every problem."""
    base, problems = check(path)
    if base is None:
        raise DataError(problems)
    return base
