"""What the commands ask of the index: find facts, return typed results.

Each function takes an open `Index`, returns NamedTuples or raises a
`YbError` whose message is ready for a person. Nothing here prints.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import NamedTuple

from yanbian_cli.errors import NotFoundError, UsageError
from yanbian_cli.index import Index
from yanbian_cli.model import Article, Fact
from yanbian_cli.search import STOPWORDS, Filter, Match, normalize, search

MAX_QUERY_CHARS = 1000
ALSO_MARGIN = 10.0  # other candidates within this many points of the best are listed under `stat`
ALSO_MAX = 4


class Hit(NamedTuple):
    fact: Fact
    article: Article | None
    match: Match | None = None


class StatResult(NamedTuple):
    hit: Hit
    exact: bool
    also: tuple[Fact, ...] = ()


def check_query(words: Sequence[str]) -> str:
    """The query as one string, or UsageError for what cannot be a query."""
    query = " ".join(words)
    if any(0xD800 <= ord(c) <= 0xDFFF for c in query):
        raise UsageError("the query is not valid UTF-8 text")
    if len(query) > MAX_QUERY_CHARS:
        raise UsageError(f"the query is too long ({len(query)} characters; the limit is {MAX_QUERY_CHARS})")
    if any(unicodedata.category(c) == "Cc" for c in query):
        raise UsageError("the query contains control characters")
    if not query.strip():
        raise UsageError("the query is empty")
    normalized = normalize(query)
    if not normalized:
        raise UsageError(f"the query {query!r} has no words or numbers to search for")
    if all(word in STOPWORDS for word in normalized.split()):
        raise UsageError(f"the query {query!r} has only common words; add what you are looking for")
    return query


def _fuzzy_names(index: Index, kind: str) -> dict[str, str]:
    """normalised name, label or alias -> the topic id / place name it stands for."""
    t2s = index.search_index().t2s
    names: dict[str, str] = {}
    if kind == "topic":
        for t in index.topics():
            for n in (t.id, t.label, t.label_en, *t.aliases):
                names.setdefault(normalize(n, t2s), t.id)
    else:
        for p in index.places():
            for n in (p.name, p.label_en, *p.aliases):
                names.setdefault(normalize(n, t2s), p.name)
    return names


def resolve(index: Index, kind: str, name: str) -> str:
    """A topic id or place name from anything that names it; UsageError with the choices otherwise."""
    names = _fuzzy_names(index, kind)
    found = names.get(normalize(name, index.search_index().t2s))
    if found is None:
        known = [t.id for t in index.topics()] if kind == "topic" else [p.name for p in index.places()]
        raise UsageError(f"unknown {kind} {name!r} (known: {', '.join(known)})")
    return found


def only(index: Index, *, topic: str | None = None, place: str | None = None) -> Filter | None:
    """The --topic / --place filter (a place includes the places within it); UsageError for unknown names."""
    if topic == "" or place == "":
        raise UsageError(f"--{'topic' if topic == '' else 'place'} needs a name")
    if not (topic or place):
        return None
    return Filter(resolve(index, "topic", topic) if topic else None, resolve(index, "place", place) if place else None)


def _hits(index: Index, matches: Sequence[Match]) -> list[Hit]:
    facts = {f.id: f for f in index.facts([m.key for m in matches])}
    articles = {a: index.article(a) for a in {f.source.article for f in facts.values()}}
    return [Hit(facts[m.key], articles.get(facts[m.key].source.article), m) for m in matches if m.key in facts]


def _did_you_mean(index: Index, near: Sequence[Match], query: str) -> tuple[str, ...]:
    if near:
        return tuple(f"{h.fact.id} ({h.fact.label})" for h in _hits(index, near))
    from rapidfuzz import fuzz, process  # imported where used (startup time)

    ids = index.fact_ids()
    close = process.extract(query, ids, scorer=fuzz.WRatio, limit=3, score_cutoff=50)
    return tuple(k for k, _, _ in close)


def _not_found(what: str, suggestions: tuple[str, ...]) -> NotFoundError:
    hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
    return NotFoundError(f"{what}{hint}")


def find(index: Index, query: str, *, limit: int = 10, topic: str | None = None,
         place: str | None = None) -> list[Hit]:
    """Ranked facts for a query; NotFoundError (with suggestions) when nothing reaches the cutoff."""
    si = index.search_index()
    hits, near = search(si, query, only=only(index, topic=topic, place=place))
    if not hits:
        filters = "".join(f" with {k} {v!r}" for k, v in (("topic", topic), ("place", place)) if v)
        raise _not_found(f"no fact matches {query!r}{filters}", _did_you_mean(index, near, query))
    return _hits(index, hits[:limit])


def stat(index: Index, key: str, *, strict: bool = False) -> StatResult:
    """One fact: the exact id, else (unless strict) the best match, with close candidates."""
    fact = index.fact(key)
    if fact is not None:
        return StatResult(Hit(fact, index.article(fact.source.article)), exact=True)
    if strict:
        hits, near = search(index.search_index(), key)
        raise _not_found(f"no fact has the id {key!r}", _did_you_mean(index, (hits or near)[:3], key))
    hits = find(index, key, limit=1 + ALSO_MAX)
    best = hits[0]
    assert best.match is not None
    also = tuple(h.fact for h in hits[1:] if h.match and h.match.score >= best.match.score - ALSO_MARGIN)
    return StatResult(best, exact=False, also=also)


def facts(index: Index, *, topic: str | None = None, place: str | None = None,
          article: str | None = None) -> list[Hit]:
    """All facts, in file order, filtered."""
    keep = only(index, topic=topic, place=place)
    if article is not None and index.article(article) is None:
        raise UsageError(f"unknown article {article!r} (known: {', '.join(a.id for a in index.articles())})")
    chains = index.search_index().place_chains if keep else {}
    articles = {a.id: a for a in index.articles()}
    return [Hit(f, articles.get(f.source.article)) for f in index.facts()
            if (keep is None or keep.accepts(f.topic, chains.get(f.place, (f.place,))))
            and (article is None or f.source.article == article)]


def article(index: Index, article_id: str) -> tuple[Article, list[Fact]]:
    found = index.article(article_id)
    if found is None:
        known = ", ".join(a.id for a in index.articles())
        raise NotFoundError(f"no article {article_id!r} (articles: {known})")
    return found, [f for f in index.facts() if f.source.article == article_id]


class Converted(NamedTuple):
    unit: str
    value: float
    text_en: str


def convert(fact: Fact, unit: str) -> Converted:
    """The fact's value in another unit (mu -> ha, jin -> t ...); UsageError when it has no such unit."""
    from yanbian_cli.units import UNITS, amount_en, convertible, convert as to_unit

    if unit not in UNITS:
        raise UsageError(f"unknown unit {unit!r} (units: {', '.join(UNITS)})")
    targets = convertible(fact.unit)
    if unit not in targets or not isinstance(fact.value, (int, float)):
        others = [t for t in targets if t != fact.unit]
        can = f"it converts to {', '.join(others)}" if others else "it converts to no other unit"
        raise UsageError(f"{fact.id} ({fact.text}) is in {fact.unit}; {can}, not {unit}")
    value = to_unit(float(fact.value), fact.unit, unit)
    return Converted(unit, value, amount_en(value, unit))


def chart(index: Index, keys: Sequence[str], *, topic: str | None = None, place: str | None = None,
          unit: str | None = None) -> tuple[list[Fact], str]:
    """The facts to chart and their shared unit: the given ids, or those of a topic/place (and unit).

    UsageError when they do not share one unit (or cannot be put into `unit`), or are not amounts.
    """
    from yanbian_cli.units import UNITS, convertible

    if unit is not None and unit not in UNITS:
        raise UsageError(f"unknown unit {unit!r} (units: {', '.join(UNITS)})")
    if keys:
        chosen = []
        for key in keys:
            fact = index.fact(key)
            if fact is None:
                raise _not_found(f"no fact has the id {key!r}", _did_you_mean(index, [], key))
            chosen.append(fact)
    else:
        if not (topic or place or unit):
            raise UsageError("name the facts to chart: fact ids, or --topic/--place (and --unit)")
        chosen = [h.fact for h in facts(index, topic=topic, place=place)
                  if unit is None or h.fact.unit == unit or unit in convertible(h.fact.unit)]
        if not chosen:
            raise NotFoundError("no fact to chart with these filters")
    units = sorted({f.unit for f in chosen})
    if unit is None:
        if len(units) > 1:
            counts = ", ".join(f"{u} ({sum(f.unit == u for f in chosen)})" for u in units)
            raise UsageError(f"cannot chart figures of different units: {counts}; choose one with --unit")
        unit = units[0]
    if UNITS[unit].dimension in ("date", "ordinal") or any(not isinstance(f.value, (int, float)) for f in chosen):
        raise UsageError(f"figures in {unit} are not amounts and cannot be charted")
    mixed = [f for f in chosen if f.unit != unit and unit not in convertible(f.unit)]
    if mixed:
        raise UsageError(f"cannot chart figures of different units: {', '.join(f'{f.id} ({f.unit})' for f in mixed)} "
                         f"with {unit}")
    return chosen, unit
