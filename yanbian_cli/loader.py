"""Fact files: TOML -> raw dicts -> validated model, collecting *every* problem.

`check(path)` returns the problems of a fact file and, when there are none,
the `FactBase`; `load(path)` returns the base or raises `DataError`.
Each problem names its file, line where known, fact id and field.
"""

from __future__ import annotations

import difflib
import re
import stat
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from yanbian_cli.errors import DataError
from yanbian_cli.model import Article, Fact, FactBase, Place, Publication, Source, Topic
from yanbian_cli.numbers import parse_figure
from yanbian_cli.units import QUALIFIERS, UNITS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

SCHEMA_VERSION = 1
# A fact file larger than this is refused rather than parsed (a decade of the paper is ~600 MB).
MAX_FILE_BYTES = 1 << 30
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

_STR = (str,)
_NUM = (int, float)
_TOP = {"schema": (int,), "publication": (dict,), "articles": (dict,), "topic": (dict,), "place": (dict,), "fact": (list,)}
_PUBLICATION = {"paper": _STR, "paper_en": _STR, "paper_basis": _STR, "year": (int,), "year_basis": _STR}
_ARTICLE = {"id": _STR, "title": _STR, "title_en": _STR, "byline": _STR, "kind": _STR, "section": _STR,
            "topic": _STR, "paragraphs": (list,)}
_ARTICLE_OPTIONAL = {"byline_en": _STR}
_TOPIC = {"label": _STR, "label_en": _STR, "aliases": (list,)}
_PLACE = {"label_en": _STR, "aliases": (list,), "within": _STR}
_FACT = {"id": _STR, "label": _STR, "label_en": _STR, "aliases": (list,), "text": _STR, "value": (int, float, str),
         "unit": _STR, "qualifier": _STR, "place": _STR, "period": _STR, "topic": _STR, "source": (dict,)}
_FACT_OPTIONAL = {"label_ko": _STR, "note": _STR, "draft": (bool,)}
_SOURCE = {"article": _STR, "paragraph": (int,), "quote": _STR}
_TYPE_NAMES = {str: "a string", int: "an integer", float: "a number", list: "an array", dict: "a table", bool: "true or false"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a fact file, with its place."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None
    fact: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        parts = [where]
        if self.fact is not None:
            parts.append(f'fact "{self.fact}"')
        if self.field is not None:
            parts.append(f"field {self.field}")
        return ": ".join(parts) + f": {self.message}"


def shown_path(path: Path) -> str:
    """The path as a person would write it: relative to the working folder where possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def _type_name(types: tuple[type, ...]) -> str:
    return " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in types)


def _value_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def read_toml(path: Path, problems: list[Problem], stamps: list[list] | None = None) -> dict[str, Any] | None:
    """Parse one TOML file; on failure add a problem and return None.

    `stamps` receives what identifies the content read (path, size, mtime, ctime,
    inode, taken before reading, and the hash of the bytes read), so that a
    change while yb reads is seen as a change afterwards.
    """
    shown = shown_path(path)
    try:
        if path.is_dir():
            problems.append(Problem(shown, "is a folder, not a TOML file"))
            return None
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            problems.append(Problem(shown, "is not a regular file"))
            return None
        if st.st_size > MAX_FILE_BYTES:
            problems.append(Problem(shown, f"file is too large ({st.st_size} bytes; the limit is {MAX_FILE_BYTES})"))
            return None
        raw = path.read_bytes()
        if stamps is not None:
            import hashlib

            stamps.append([str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino,
                           hashlib.sha256(raw).hexdigest()])
    except FileNotFoundError:
        problems.append(Problem(shown, "no such file"))
        return None
    except OSError as exc:
        problems.append(Problem(shown, f"cannot read: {exc.strerror or exc}"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        problems.append(Problem(shown, f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})", line=line))
        return None
    if not text.strip():
        problems.append(Problem(shown, "file is empty"))
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)$", message)
        if m:
            message = message[: m.start()].rstrip()
            problems.append(Problem(shown, f"invalid TOML: {message}", line=int(m.group(1)), column=int(m.group(2))))
        else:
            problems.append(Problem(shown, f"invalid TOML: {message}"))
        return None
    except RecursionError:
        problems.append(Problem(shown, "invalid TOML: arrays or tables nested too deeply"))
        return None


def _fact_lines(path: Path) -> tuple[list[int], dict[str, list[int]]]:
    """Line numbers of each `[[fact]]` header and of each fact's `id = "..."` line."""
    headers: list[int] = []
    ids: dict[str, list[int]] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):  # already reported by read_toml
        return headers, ids
    in_fact = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_fact = stripped.replace(" ", "") == "[[fact]]"
            if in_fact:
                headers.append(number)
            continue
        if in_fact:
            m = re.match(r'id\s*=\s*"([^"]*)"', stripped)
            if m:
                ids.setdefault(m.group(1), []).append(number)
    return headers, ids


class _Checker:
    """Walks a raw fact file and its articles, recording problems as it goes."""

    def __init__(self, path: Path, allow_drafts: bool) -> None:
        self.path = path
        self.shown = shown_path(path)
        self.allow_drafts = allow_drafts
        self.problems: list[Problem] = []
        self.sources: list[Path] = [path]
        self.stamps: list[list] = []

    def problem(self, message: str, *, file: str | None = None, line: int | None = None,
                fact: str | None = None, field: str | None = None) -> None:
        self.problems.append(Problem(file or self.shown, message, line=line, fact=fact, field=field))

    def fields(self, table: Mapping[str, Any], required: Mapping[str, tuple[type, ...]],
               optional: Mapping[str, tuple[type, ...]] = {}, *, prefix: str = "", file: str | None = None,
               line: int | None = None, fact: str | None = None) -> bool:
        """Check a table's keys and value types; True when all are right."""
        ok = True
        known = {**required, **optional}
        for key in table:
            if key not in known:
                close = difflib.get_close_matches(key, list(known), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.problem(f"unknown field{hint}", file=file, line=line, fact=fact, field=prefix + key)
                ok = False
        for key, types in known.items():
            if key not in table:
                if key in required:
                    self.problem("missing", file=file, line=line, fact=fact, field=prefix + key)
                    ok = False
                continue
            value = table[key]
            if isinstance(value, bool) and bool not in types or not isinstance(value, types):
                self.problem(f"expected {_type_name(types)}, got {_value_name(value)}", file=file, line=line,
                             fact=fact, field=prefix + key)
                ok = False
        return ok

    def strings(self, values: list[Any], *, field: str, file: str | None = None, line: int | None = None,
                fact: str | None = None) -> tuple[str, ...]:
        for i, v in enumerate(values):
            if not isinstance(v, str):
                self.problem(f"item {i + 1} is {_value_name(v)}, expected a string", file=file, line=line,
                             fact=fact, field=field)
        return tuple(v for v in values if isinstance(v, str))

    # -- the parts of a fact file -------------------------------------------------

    def publication(self, raw: Any) -> Publication:
        if raw is None:
            return Publication()
        if not self.fields(raw, {}, _PUBLICATION, prefix="publication."):
            raw = {k: v for k, v in raw.items() if k in _PUBLICATION and isinstance(v, _PUBLICATION[k])}
        return Publication(**raw)

    def _tables(self, raw: Any, spec: Mapping[str, tuple[type, ...]], where: Callable[[str], str]) -> Iterator[
            tuple[str, dict[str, Any], tuple[str, ...]]]:
        """(key, table, its aliases) for each well-formed [topic.X] or [place."X"] table."""
        for key, table in (raw or {}).items():
            prefix = where(key)
            if not isinstance(table, dict):
                self.problem("expected a table", field=prefix.rstrip("."))
            elif self.fields(table, spec, prefix=prefix):
                yield key, table, self.strings(table["aliases"], field=prefix + "aliases")

    def topics(self, raw: Any) -> dict[str, Topic]:
        return {tid: Topic(tid, t["label"], t["label_en"], aliases)
                for tid, t, aliases in self._tables(raw, _TOPIC, lambda k: f"topic.{k}.")}

    def places(self, raw: Any) -> dict[str, Place]:
        places = {name: Place(name, p["label_en"], aliases, p["within"])
                  for name, p, aliases in self._tables(raw, _PLACE, lambda k: f'place."{k}".')}
        for place in places.values():
            if place.within and place.within not in places:
                self.problem(f'unknown place "{place.within}"', field=f'place."{place.name}".within')
            seen = [place.name]
            parent = places.get(place.within)
            while parent is not None:
                if parent.name in seen:
                    self.problem("places lie within each other in a circle: " + " -> ".join(seen + [parent.name]),
                                 field=f'place."{place.name}".within')
                    break
                seen.append(parent.name)
                parent = places.get(parent.within)
        return places

    def articles(self, raw: Any, topics: dict[str, Topic]) -> dict[str, Article]:
        articles: dict[str, Article] = {}
        for aid, rel in (raw or {}).items():
            if isinstance(rel, dict):  # an article written inline (as `yb extract` drafts do)
                data: dict[str, Any] | None = rel
                ashown = f"{self.shown} [articles.{aid}]"
            elif isinstance(rel, str):
                apath = self.path.parent / rel
                self.sources.append(apath)
                ashown = shown_path(apath)
                problems: list[Problem] = []
                data = read_toml(apath, problems, self.stamps)
                for p in problems:
                    self.problems.append(Problem(p.file, p.message + (f" (article \"{aid}\", listed in {self.shown})"
                                                                      if p.message == "no such file" else ""),
                                                 line=p.line, column=p.column))
            else:
                self.problem(f"expected a file path or a table, got {_value_name(rel)}", field=f"articles.{aid}")
                continue
            if data is None:
                continue
            if not self.fields(data, _ARTICLE, _ARTICLE_OPTIONAL, file=ashown):
                continue
            if data["id"] != aid:
                self.problem(f'article id "{data["id"]}" differs from its key "{aid}" in {self.shown}', file=ashown,
                             field="id")
            if data["topic"] not in topics:
                self.problem(f'unknown topic "{data["topic"]}"', file=ashown, field="topic")
            paragraphs = self.strings(data["paragraphs"], field="paragraphs", file=ashown)
            if not paragraphs:
                self.problem("no paragraphs", file=ashown, field="paragraphs")
            articles[aid] = Article(aid, data["title"], data["title_en"], data["byline"], data["kind"],
                                    data["section"], data["topic"], paragraphs, data.get("byline_en", ""))
        return articles

    def fact(self, raw: Any, index: int, line: int | None, ctx: FactBase) -> Fact | None:
        if not isinstance(raw, dict):
            self.problem(f"fact #{index + 1} is not a table", line=line)
            return None
        fid = raw.get("id") if isinstance(raw.get("id"), str) else f"#{index + 1}"
        ok = self.fields(raw, _FACT, _FACT_OPTIONAL, line=line, fact=fid)
        source = raw.get("source")
        if isinstance(source, dict):
            ok = self.fields(source, _SOURCE, prefix="source.", line=line, fact=fid) and ok
        if not ok:
            return None

        def bad(field: str, message: str) -> None:
            self.problem(message, line=line, fact=fid, field=field)

        if not ID_RE.match(raw["id"]):
            bad("id", "must be lowercase letters, digits and single hyphens (e.g. ginseng-suitable-area)")
        for name in ("label", "label_en", "text"):
            if not raw[name].strip():
                bad(name, "is empty")
        aliases = self.strings(raw["aliases"], field="aliases", line=line, fact=fid)
        if raw["unit"] not in UNITS:
            bad("unit", f'unknown unit "{raw["unit"]}" (known: {", ".join(UNITS)})')
        if raw["qualifier"] not in QUALIFIERS:
            bad("qualifier", f'unknown qualifier "{raw["qualifier"]}" (known: {", ".join(QUALIFIERS)})')
        if raw["place"] not in ctx.places:
            bad("place", f'unknown place "{raw["place"]}" (places are defined in [place."NAME"] tables)')
        if raw["topic"] not in ctx.topics:
            bad("topic", f'unknown topic "{raw["topic"]}" (topics are defined in [topic.ID] tables)')
        if raw.get("draft") and not self.allow_drafts:
            bad("draft", "draft facts are accepted only by 'yb check --drafts'")
        src = Source(source["article"], source["paragraph"], source["quote"])
        self.source(src, raw["text"], fid, line, ctx)
        self.value(raw, fid, line, ctx.publication.year)
        return Fact(raw["id"], raw["label"], raw["label_en"], aliases, raw["text"], raw["value"], raw["unit"],
                    raw["qualifier"], raw["place"], raw["period"], raw["topic"], src, raw.get("note", ""),
                    raw.get("draft", False), raw.get("label_ko", ""))

    def source(self, src: Source, text: str, fid: str, line: int | None, ctx: FactBase) -> None:
        article = ctx.articles.get(src.article)
        if article is None:
            self.problem(f'unknown article "{src.article}"', line=line, fact=fid, field="source.article")
            return
        if not 0 <= src.paragraph <= len(article.paragraphs):
            self.problem(f'article "{src.article}" has paragraphs 1 to {len(article.paragraphs)} (0 is the title)',
                         line=line, fact=fid, field="source.paragraph")
            return
        if not src.quote:
            self.problem("is empty", line=line, fact=fid, field="source.quote")
        elif src.quote not in article.paragraph(src.paragraph):
            elsewhere = [n for n in range(len(article.paragraphs) + 1) if src.quote in article.paragraph(n)]
            hint = f" (it is in paragraph {elsewhere[0]})" if elsewhere else ""
            self.problem(f'not found verbatim in article "{src.article}" paragraph {src.paragraph}{hint}',
                         line=line, fact=fid, field="source.quote")
        if text and text not in src.quote:
            self.problem(f'"{text}" is not inside the quote', line=line, fact=fid, field="text")

    def value(self, raw: dict[str, Any], fid: str, line: int | None, year: int | None) -> None:
        text, value, unit, qualifier = raw["text"], raw["value"], raw["unit"], raw["qualifier"]
        fig = parse_figure(text, year)
        if fig is None:
            self.problem(f'"{text}" is not a figure yb can read', line=line, fact=fid, field="text")
            return
        if unit == "date" or fig.unit == "date":
            accepted = {fig.value}
            if fig.unit == "date" and year and isinstance(fig.value, str) and fig.value.startswith(str(year)):
                accepted.add("--" + fig.value[5:])  # the year is not in the text: it may be left out
            if value not in accepted:
                self.problem(f'{value!r} does not follow from "{text}" (reads as {" or ".join(map(repr, sorted(accepted)))})',
                             line=line, fact=fid, field="value")
        elif isinstance(value, str) or Decimal(str(value)) != Decimal(str(fig.value)):
            self.problem(f'{value!r} does not follow from "{text}" (reads as {fig.value})', line=line, fact=fid,
                         field="value")
        if fig.unit and unit != fig.unit and not unit.startswith(fig.unit + "/"):
            self.problem(f'"{unit}" does not follow from "{text}" (reads as {fig.unit})', line=line, fact=fid,
                         field="unit")
        if qualifier != fig.qualifier:
            self.problem(f'"{qualifier}" does not follow from "{text}" (reads as {fig.qualifier})', line=line,
                         fact=fid, field="qualifier")

    # -- the whole file -------------------------------------------------------------

    def run(self) -> FactBase | None:
        data = read_toml(self.path, self.problems, self.stamps)
        if data is None:
            return None
        self.fields(data, {"schema": _TOP["schema"], "articles": _TOP["articles"], "fact": _TOP["fact"]},
                    {k: v for k, v in _TOP.items() if k not in ("schema", "articles", "fact")})
        if isinstance(data.get("schema"), int) and data["schema"] != SCHEMA_VERSION:
            self.problem(f"schema {data['schema']} is not supported (this yb reads schema {SCHEMA_VERSION})",
                         field="schema")
        publication = self.publication(data.get("publication") if isinstance(data.get("publication"), dict) else None)
        topics = self.topics(data.get("topic") if isinstance(data.get("topic"), dict) else None)
        places = self.places(data.get("place") if isinstance(data.get("place"), dict) else None)
        articles = self.articles(data.get("articles") if isinstance(data.get("articles"), dict) else None, topics)
        ctx = FactBase(self.path, publication, articles, topics, places, ())
        headers, id_lines = _fact_lines(self.path)
        facts: list[Fact] = []
        raw_facts = data.get("fact") if isinstance(data.get("fact"), list) else []
        for i, raw in enumerate(raw_facts):
            fid = raw.get("id") if isinstance(raw, dict) else None
            line = (id_lines.get(fid) or [None])[0] if isinstance(fid, str) else None
            line = line or (headers[i] if i < len(headers) else None)
            fact = self.fact(raw, i, line, ctx)
            if fact is not None:
                facts.append(fact)
        seen: set[str] = set()
        for fact in facts:
            if fact.id in seen:
                lines = id_lines.get(fact.id, [])
                at = f" (lines {', '.join(map(str, lines))})" if len(lines) > 1 else ""
                self.problem(f"duplicate id{at}", line=lines[-1] if lines else None, fact=fact.id, field="id")
            seen.add(fact.id)
        if isinstance(data.get("fact"), list) and not raw_facts:
            self.problem("no facts", field="fact")
        if self.problems:
            return None
        return FactBase(self.path, publication, articles, topics, places, tuple(facts), tuple(self.sources),
                        tuple(self.stamps))


def check(path: Path, *, allow_drafts: bool = False) -> tuple[FactBase | None, list[Problem]]:
    """Validate a fact file and its articles; the base is None unless there are no problems."""
    checker = _Checker(Path(path), allow_drafts)
    base = checker.run()
    return base, checker.problems


def load(path: Path) -> FactBase:
    """The validated fact base at `path`, or DataError with every problem."""
    base, problems = check(path)
    if base is None:
        raise DataError(problems)
    return base
