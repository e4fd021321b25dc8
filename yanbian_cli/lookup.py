"""The library API of yb: what the commands ask, answered with typed results.

Open a base with `open_base`, then ask: `find` (search), `stat` (one fact),
`facts` (a filtered list), `article`, `topics`, `places`, `cite`, `chart`,
`export`, `check`, `extract`, `index_info`. Each returns NamedTuples (defined
here) or raises a `YbError` whose message is ready for a person. Nothing here
prints; `render` turns the results into tables or JSON.

A query travels one way: lookup -> search (query -> candidates -> score); the
store answers search's questions.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from yanbian_cli.errors import NotFoundError, UsageError, YbError
from yanbian_cli.model import Article, Fact, Place, Publication
from yanbian_cli.record import Record
from yanbian_cli.store.reader import Store
from yanbian_cli.text import holds_figure, normalize

if TYPE_CHECKING:  # pragma: no cover
    from yanbian_cli.factbase import Problem
    from yanbian_cli.model import FactBase
    from yanbian_cli.search import Corpus, Filter, Match, Outcome
    from yanbian_cli.series import Point
    from yanbian_cli.store.cache import Beside, IndexStatus

R = TypeVar("R")

MAX_QUERY_CHARS = 1000
ALSO_MARGIN = 10.0  # other candidates within this many points of the best are listed under `stat`
ALSO_MAX = 4
SEARCH_LIMIT = 10
LATEST_POOL = 100  # answers among which the latest figure of a metric shown is looked for


# -- the base -------------------------------------------------------------------------------


class Base:
    """An open fact base: its store, and the search corpus read from it on first use. A base opened with
    `beside` has its sources checked while it answers: `unchanged()` says whether the answer stands."""

    def __init__(self, store: Store, fact_file: Path, beside: Beside | None = None) -> None:
        self.store = store
        self.fact_file = fact_file
        self._corpus: Corpus | None = None
        self._beside = beside

    def unchanged(self) -> bool:
        """Whether the sources were as indexed (always, for a base checked before it was opened)."""
        return self._beside is None or self._beside.unchanged()

    @property
    def corpus(self) -> Corpus:
        if self._corpus is None:
            from yanbian_cli.search import Corpus

            self._corpus = Corpus(self.store)
        return self._corpus

    @property
    def publication(self) -> Publication:
        return self.store.publication

    def close(self) -> None:
        self.unchanged()  # the checker process, if any, waited for
        self.store.close()


def build_index(base: FactBase) -> sqlite3.Connection:
    """The index of a validated base, built in memory."""
    conn = sqlite3.connect(":memory:")
    _index(base)(conn)
    return conn


def _index(base: FactBase) -> Callable[[sqlite3.Connection], None]:
    """What writes the index of a validated base into a database."""
    from yanbian_cli.search.analyze import analyze
    from yanbian_cli.store.build import write

    return lambda conn: write(conn, base, analyze(base))


def open_base(fact_file: Path, environ: Mapping[str, str], *, rebuild: bool = False) -> Base:
    """The base at `fact_file`: its cached index when current, else built (and cached if possible).

    Raises DataError when the fact file is invalid.
    """
    from yanbian_cli.store import cache

    point = cache.watch_point(fact_file, environ)  # (before the sources are read: recorded with what is found)
    store = None if rebuild else cache.open_cached(fact_file, environ, point) or _updated(fact_file, environ, point)
    if store is None:
        from yanbian_cli import indexer

        fill = indexer.fill(fact_file)  # a large base: on every core
        if fill is None:
            from yanbian_cli.factbase import load

            fill = _index(load(fact_file))
        store = cache.build(fact_file, environ, fill, point)
    return Base(store, fact_file)


def answer(fact_file: Path, environ: Mapping[str, str], ask: Callable[[Base], R]) -> R:
    """What `ask` finds in the base at `fact_file`, from an index that is current.

    A large base asks its watcher what changed (store/watch.py) and hashes only that; when no watcher can
    tell, it is asked at once while a forked process checks its sources (store.cache.open_beside). When one
    has changed, the answer (or the error: "the page doesn't say" may be stale too) is dropped and the base
    opened the careful way (updated or rebuilt) is asked again. A query never waits for the check longer
    than the check takes, and never answers from an index its sources have left.
    """
    from yanbian_cli.store import cache

    opened = cache.open_beside(fact_file, environ)
    if opened is not None:
        base = Base(opened[0], fact_file, opened[1])
        try:
            result = ask(base)
        except YbError:
            if base.unchanged():
                raise
        else:
            if base.unchanged():
                return result  # (the result may read its base as it is shown: it stays open)
        base.close()
    return ask(open_base(fact_file, environ))


def _updated(fact_file: Path, environ: Mapping[str, str], point: str = "") -> Store | None:
    """The cached index brought up to date by the file (store/update.py): the changed article files alone
    read, checked and analysed; None when only a full build will do."""
    from yanbian_cli.model import DEFAULT_LANG
    from yanbian_cli.store import cache, update

    target = cache.cache_file(fact_file, environ)
    if target is None or not target.is_file():
        return None
    plan = update.plan(target, fact_file, point)
    if plan is None:
        return None
    try:
        from yanbian_cli.factbase.check import check_files
        from yanbian_cli.search.analyze import analyze, extended_table

        part, _ = check_files(fact_file, plan.files, plan.context)
        table = None
        if part is not None and not part.pending and all(a.lang == DEFAULT_LANG for a in part.articles.values()):
            table = extended_table(part, plan.t2s, plan.chars)
        if part is None or table is None:
            update.abandon(plan)  # a full build reports the problems, and reads what this cannot
            return None
        content = analyze(part, whole=False, t2s=table[0])
        plan = plan._replace(t2s=table[0], chars=table[1])
    except BaseException:
        update.abandon(plan)
        raise
    return cache.open_cached(fact_file, environ) if update.apply(plan, part, content) else None


# -- results --------------------------------------------------------------------------------


class Hit(Record):
    fact: Fact
    article: Article | None
    match: Match | None = None
    latest: Point | None = None  # for an older figure of a metric: the latest one


LANGS = ("zh", "en", "ko")


class SearchResult(Record):
    hits: list[Hit]
    explain: bool = False
    lang: str = "zh"  # the language to show the results in: the query's, or --lang
    total: int = 0  # how many facts answer (hits may be fewer: --limit)
    places: dict[str, Place] = {}  # the places of the hits, for their names in other languages


class Converted(Record):
    unit: str
    value: float
    text_en: str


class StatResult(Record):
    hit: Hit
    exact: bool
    key: str = ""
    also: tuple[Fact, ...] = ()
    converted: Converted | None = None
    lang: str = "zh"
    places: dict[str, Place] = {}
    series: tuple[Point, ...] = ()  # the fact's metric across periods and sources, oldest first

    @property
    def as_of(self) -> str:
        """When the figure holds, for a fact of a series ("" otherwise)."""
        return next((p.period.label for p in self.series if p.fact.id == self.hit.fact.id), "")

    @property
    def match_kind(self) -> str:
        """How the key named the fact: its id ("exact"), one of its names ("alias"), or words ("fuzzy")."""
        if self.exact:
            return "exact"
        return "alias" if self.hit.match is not None and self.hit.match.score >= 100 else "fuzzy"

    @property
    def why(self) -> str:
        """What a non-exact key matched, for a note: "label, 100", "alias, 100", "label_en, quote, 87.5"."""
        match, fact = self.hit.match, self.hit.fact
        if match is None:
            return "id"
        if match.score >= 100:
            key = normalize(self.key)
            names = [("label", n) for n in (fact.label, fact.label_en, fact.label_ko)] + [("alias", a) for a in fact.aliases]
            field = next((f for f, n in names if normalize(n) == key), "name")
            return f"{field}, 100"
        fields = sorted({p.field for p in match.parts if p.field})
        return f"{', '.join(fields) or 'words'}, {match.score:g}"


class FactList(Record):
    hits: list[Hit]
    lang: str = "zh"
    places: dict[str, Place] = {}


class ArticleView(Record):
    article: Article
    facts: list[Fact]


class CountRow(Record):
    key: str
    label: str
    label_en: str
    aliases: tuple[str, ...]
    facts: int  # about it
    facts_within: int  # about it or the places within it
    within: str = ""


class Counts(Record):
    kind: str  # "topic" or "place"
    rows: list[CountRow]


class Chart(Record):
    facts: list[Fact]
    unit: str
    values: list[float]  # each fact's value in `unit`
    periods: list[str] = []  # for a metric's series: when each figure holds


class CheckReport(Record):
    file: str  # as shown to the user
    problems: list[Problem]
    facts: int | None
    articles: int | None
    drafts: int = 0
    warnings: list[Problem] = []  # suspicious text in a valid base (see factbase.suspicious)


class Citation(Record):
    text: str
    lang: str
    found: StatResult  # the fact cited, and how the key named it
    publication: Publication


# -- queries --------------------------------------------------------------------------------


def check_query(words: Sequence[str]) -> str:
    """The query as one string, or UsageError for what cannot be a query."""
    from yanbian_cli.search import STOPWORDS

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


def language(base: Base, query: str, forced: str | None = None) -> str:
    """The language to answer in: --lang when given; else the query's (Hangul: Korean; Chinese or pinyin:
    Chinese; other Latin words: English)."""
    if forced is not None:
        if forced not in LANGS:
            raise UsageError(f"unknown --lang {forced!r} (choose: {', '.join(LANGS)})")
        return forced
    from yanbian_cli.text import is_pinyin, script, tokens

    if any(script(c) == "hangul" for c in query):
        return "ko"
    if any(script(c) == "cjk" for c in query):
        return "zh"
    english = pinyin = 0
    for kind, word in tokens(normalize(query)):
        if kind != "latin":
            continue
        surfaces = base.corpus.vocab(word) or ()
        if word in surfaces:
            english += 1
        elif surfaces or base.corpus.initials(word):
            pinyin += 1
        elif is_pinyin(word) and len(word) > 1:
            pinyin += 1
        else:
            english += 1
    return "en" if english >= pinyin and english else "zh"


def _places_of(base: Base, facts: Sequence[Fact]) -> dict[str, Place]:
    return {p.name: p for p in base.store.places(sorted({f.place for f in facts}))}


def resolve(base: Base, kind: str, name: str) -> str:
    """A topic id or place name from anything that names it; UsageError with the choices otherwise."""
    from yanbian_cli.search import resolve_name

    found = resolve_name(base.corpus, kind, name)
    if found is None:
        known = [t.id for t in base.store.topics()] if kind == "topic" else [p.name for p in base.store.places()]
        raise UsageError(f"unknown {kind} {_typed(name)} (known: {_some(known)})")
    return found


def only(base: Base, *, topic: str | None = None, place: str | None = None) -> Filter | None:
    """The --topic / --place filter (a place includes the places within it); UsageError for unknown names."""
    from yanbian_cli.search import Filter

    if topic == "" or place == "":
        raise UsageError(f"--{'topic' if topic == '' else 'place'} needs a name")
    if not (topic or place):
        return None
    return Filter(resolve(base, "topic", topic) if topic else None, resolve(base, "place", place) if place else None)


def _hits(base: Base, matches: Sequence[Match]) -> list[Hit]:
    facts = {f.id: f for f in base.store.facts_by_id([m.id for m in matches])}
    articles = base.store.articles_by_id(sorted({f.source.article for f in facts.values()}))
    return [Hit(facts[m.id], articles.get(facts[m.id].source.article), m) for m in matches if m.id in facts]


def _did_you_mean(base: Base, near: Sequence[Match], query: str) -> tuple[str, ...]:
    if near:
        return tuple(f"{h.fact.id} ({h.fact.label})" for h in _hits(base, near))
    from rapidfuzz import fuzz, process  # imported where used (startup time)

    close = process.extract(query, base.store.fact_ids(), scorer=fuzz.WRatio, limit=3, score_cutoff=50)
    return tuple(k for k, _, _ in close)


def _not_found(what: str, suggestions: tuple[str, ...], empty_json: str | None = None) -> NotFoundError:
    hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
    return NotFoundError(f"{what}{hint}", empty_json=empty_json)


def _words(typed: Sequence[str]) -> str:
    return " or ".join(repr(t) for t in typed)


def _no_answer(base: Base, outcome: Outcome, query: str, filters: str) -> YbError:
    """Why nothing answers `query`, in one line: what the page says nothing about, or which period or
    figure it gives instead, or which fact comes closest."""
    content = [s.typed for s in outcome.content]
    if not content and outcome.query.units:  # a unit alone: nothing is filed under a unit
        return NotFoundError(f"the query {query!r} names only a unit ({_words([u for u, _ in outcome.query.units])}); "
                             "add what it measures", empty_json="[]")
    if not content:
        return UsageError(f"the query {query!r} has only question words; add what you are looking for")
    partial = outcome.partial
    periods = {s.typed for s in outcome.content if s.role == "period"}
    but_period = [m for m in partial if set(m.missing) <= periods]
    if periods and but_period:  # the figure is there, for other periods
        from yanbian_cli.series import resolve

        given = []
        for m in but_period[:3]:
            fact = base.store.fact(m.id)
            article = base.store.article(fact.source.article) if fact else None
            when = fact.period or "no period" if fact else "?"
            if fact and article and article.date:
                when = f"{when} ({resolve(fact.period, article.date).label})" if fact.period else \
                    resolve("", article.date).label
            given.append(f"{when}: {m.id}")
        return NotFoundError(f"the page does not give this for {_words(sorted(periods))}{filters}; it gives it for "
                             + ", ".join(given), empty_json="[]")
    if outcome.unknown:
        figures = [s.typed for s in outcome.content if s.typed in outcome.unknown
                   and any(a.kind == "number" for a in s.atoms)]
        words = [u for u in outcome.unknown if u not in figures]
        said = []
        if figures:
            said.append(f"the page gives no figure of {_words(figures)}{_same_digits(base, figures[0])}")
        if words:
            said.append(f"the page says nothing about {_words(words)}")
        message = "; and ".join(said) + filters
        rest = [t for t in content if t not in outcome.unknown]
        if rest:
            together = [m for m in partial if set(m.missing) <= set(outcome.unknown)]
            if together:
                message += f"; {len(together)} fact{'s' if len(together) > 1 else ''} answer{'' if len(together) > 1 else 's'} " \
                           f"{' '.join(rest)!r}: yb search {' '.join(rest)}"
            else:
                message += f"; no fact answers {' '.join(rest)!r} either"
        return NotFoundError(message, empty_json="[]")
    closest = partial[0]
    fact = base.store.fact(closest.id)
    shown = f"{closest.id} ({fact.text})" if fact else closest.id
    return NotFoundError(f"no fact answers all of {query!r}{filters}; the closest, {shown}, does not answer "
                         f"{_words(closest.missing)} (yb search --partial lists such facts)", empty_json="[]")


def _same_digits(base: Base, typed: str) -> str:
    """'; it gives 12.8亿元 (id)' for the figures that show the digits of a figure the page does not give."""
    import re

    from yanbian_cli.search import search

    digits = re.search(r"\d+(?:\.\d+)?", typed)
    if digits is None:
        return ""
    found = search(base.corpus, digits.group()).answers
    facts = [f for f in base.store.facts_by_id([m.id for m in found])
             if f.unit != "date" and holds_figure(f.text, digits.group())][:3]
    return f" (the same number: {', '.join(f'{f.text} ({f.id})' for f in facts)})" if facts else ""


def find(base: Base, query: str, *, limit: int = SEARCH_LIMIT, topic: str | None = None,
         place: str | None = None, explain: bool = False, partial: bool = False,
         lang: str | None = None) -> SearchResult:
    """The facts that answer a query, best first (and, with `partial`, then those that answer part of it).

    NotFoundError, saying why, when no fact answers it.
    """
    from yanbian_cli.search import search

    shown_lang = language(base, query, lang)
    outcome = search(base.corpus, query, only=only(base, topic=topic, place=place))
    shown = outcome.answers + (outcome.partial if partial else [])
    if not outcome.answers and not (partial and outcome.partial):
        filters = "".join(f" with {k} {v!r}" for k, v in (("topic", topic), ("place", place)) if v)
        raise _no_answer(base, outcome, query, filters)
    hits = _hits(base, outcome.answers[:limit])
    shown_metrics = {h.fact.metric for h in hits if h.fact.metric and h.match is not None and h.match.answers}
    if shown_metrics:  # the latest figure of a metric shown may rank below its older ones
        below = outcome.answers[limit:LATEST_POOL]
        metrics = base.store.metrics_of([m.id for m in below])  # (only those of the metrics shown are read)
        hits = _latest_first(base, hits + _hits(base, [m for m in below if m.answers and metrics.get(m.id)
                                                       in shown_metrics]), limit)[:limit]
    if partial and len(hits) < limit:
        hits += _hits(base, outcome.partial[:limit - len(hits)])
    return SearchResult(hits, explain, shown_lang, len(shown), _places_of(base, [h.fact for h in hits]))


def _latest_first(base: Base, hits: list[Hit], limit: int) -> list[Hit]:
    """The answers of each metric shown (among the first `limit`) in the places they won, latest period
    first; an older one marked with the latest figure of its series (a question that names a year has only
    that year's answers)."""
    shown = {h.fact.metric for h in hits[:limit] if h.fact.metric and h.match is not None and h.match.answers}
    groups: dict[str, list[int]] = {}
    for i, h in enumerate(hits):
        if h.fact.metric in shown and h.match is not None and h.match.answers:
            groups.setdefault(h.fact.metric, []).append(i)
    if not groups:
        return hits
    from yanbian_cli.series import resolve

    out = list(hits)
    for metric, places in groups.items():
        newest = _latest_of(base, metric)
        members = sorted((hits[i] for i in places), reverse=True,
                         key=lambda h: resolve(h.fact.period, h.article.date if h.article else "").end)
        for i, h in zip(places, members):
            out[i] = h._replace(latest=newest if newest.fact.id != h.fact.id else None)
    return out


def _latest_of(base: Base, metric: str) -> Point:
    """The latest figure of a metric (as `series.latest` of its series), its other facts left unread."""
    from yanbian_cli.series import Point, resolve

    fid = base.store.latest_fact(metric)
    fact = None if fid is None else base.store.fact(fid)
    assert fact is not None  # (a metric of a fact shown)
    article = base.store.article(fact.source.article)
    return Point(fact, article, resolve(fact.period, article.date if article else ""))


def convert(fact: Fact, unit: str) -> Converted:
    """The fact's value in another unit (mu -> ha, jin -> t ...); UsageError when it has no such unit."""
    from yanbian_cli.units import UNITS, amount_en, convertible
    from yanbian_cli.units import convert as to_unit

    if unit not in UNITS:
        raise UsageError(f"unknown unit {unit!r} (units: {', '.join(UNITS)})")
    targets = convertible(fact.unit)
    if unit not in targets or not isinstance(fact.value, (int, float)):
        others = [t for t in targets if t != fact.unit]
        can = f"it converts to {', '.join(others)}" if others else "it converts to no other unit"
        raise UsageError(f"{fact.id} ({fact.text}) is in {fact.unit}; {can}, not {unit}")
    value = to_unit(float(fact.value), fact.unit, unit)
    return Converted(unit, value, amount_en(value, unit))


def stat(base: Base, key: str, *, strict: bool = False, unit: str | None = None, lang: str | None = None) -> StatResult:
    """One fact: the exact id, else (unless strict) the fact that best answers the key, with close candidates."""
    fact = base.store.fact(key)
    points = metric_series(base, key) if fact is None else []
    if points:  # a metric: its latest figure, with the series
        from yanbian_cli.series import latest

        last = latest(points)
        result = StatResult(Hit(last.fact, last.article), exact=True, key=key,
                            lang=language(base, key, lang) if lang else "zh")
    elif fact is not None:
        result = StatResult(Hit(fact, base.store.article(fact.source.article)), exact=True, key=key,
                            lang=language(base, key, lang) if lang else "zh")
    elif strict:
        from yanbian_cli.search import search

        outcome = search(base.corpus, key)
        raise _not_found(f"no fact has the id {_typed(key)}", _did_you_mean(base, (outcome.answers or outcome.partial)[:3],
                                                                         key))
    else:
        try:
            found = find(base, key, limit=1 + ALSO_MAX, lang=lang)
        except NotFoundError as exc:  # one fact is asked for: no JSON list when there is none
            raise NotFoundError(str(exc)) from None
        best = found.hits[0]
        assert best.match is not None
        also = tuple(h.fact for h in found.hits[1:] if h.match and h.match.score >= best.match.score - ALSO_MARGIN
                     and h.match.fit >= best.match.fit)
        result = StatResult(best, exact=False, key=key, also=also, lang=found.lang)
    if result.hit.fact.metric:
        result = result._replace(series=tuple(metric_series(base, result.hit.fact.metric)))
    result = result._replace(places=_places_of(base, [result.hit.fact]))
    return result._replace(converted=convert(result.hit.fact, unit)) if unit else result


def metric_series(base: Base, metric: str) -> list[Point]:
    """The facts of a metric in time order, each period resolved against its article's date ([] for none)."""
    found = base.store.metric_facts(metric)
    if not found:
        return []
    from yanbian_cli.series import series

    articles: dict[str, Article | None] = dict(base.store.articles_by_id([f.source.article for f in found]))
    return series(found, articles)


def _places_within(base: Base, place: str) -> list[str]:
    return [name for name, chain in base.store.place_chains().items() if place in chain]


def facts(base: Base, *, topic: str | None = None, place: str | None = None,
          article: str | None = None, lang: str | None = None) -> FactList:
    """All facts, in file order, filtered (in SQL). NotFoundError for an unknown article."""
    keep = only(base, topic=topic, place=place)
    if lang is not None and lang not in LANGS:
        raise UsageError(f"unknown --lang {lang!r} (choose: {', '.join(LANGS)})")
    if article is not None and base.store.article(article) is None:
        raise _unknown_article(base, article)
    found = base.store.facts(topic=keep.topic if keep else None,
                             places=_places_within(base, keep.place) if keep and keep.place else None,
                             article=article)
    articles: dict[str, Article | None] = {}
    for f in found:
        if f.source.article not in articles:
            articles[f.source.article] = base.store.article(f.source.article)
    return FactList([Hit(f, articles[f.source.article]) for f in found], lang or "zh", _places_of(base, found))


def listing(base: Base, *, topic: str | None = None, place: str | None = None,
            article: str | None = None, lang: str | None = None) -> FactList:
    """`facts`, and NotFoundError when the filters leave none."""
    found = facts(base, topic=topic, place=place, article=article, lang=lang)
    if not found.hits:
        raise NotFoundError("no fact matches these filters", empty_json="[]")
    return found


def _unknown_article(base: Base, article_id: str) -> NotFoundError:
    return NotFoundError(f"no article {_typed(article_id)} (articles: {_some(base.store.article_ids())})")


def _typed(text: str, most: int = 80) -> str:
    """What was typed, quoted for a message: at most `most` characters of it (an error is one line)."""
    return repr(text if len(text) <= most else text[:most] + "…")


def _some(names: Sequence[str], most: int = 20) -> str:
    """The first `most` of some names, for a message (an archive has thousands of articles)."""
    return ", ".join(names[:most]) + (f", … ({len(names)} in all)" if len(names) > most else "")


def article(base: Base, article_id: str) -> ArticleView:
    found = base.store.article(article_id)
    if found is None:
        raise _unknown_article(base, article_id)
    return ArticleView(found, base.store.facts(article=article_id))


def topics(base: Base) -> Counts:
    counts = base.store.counts("topic")
    return Counts("topic", [CountRow(t.id, t.label, t.label_en, t.aliases, counts.get(t.id, 0), counts.get(t.id, 0))
                            for t in base.store.topics()])


def places(base: Base) -> Counts:
    """Each place with the facts about it, and about it or the places within it."""
    counts = base.store.counts("place")
    chains = base.store.place_chains()
    all_places = base.store.places()
    totals = {p.name: 0 for p in all_places}
    for name, n in counts.items():
        for outer in chains.get(name, [name]):
            if outer in totals:
                totals[outer] += n
    return Counts("place", [CountRow(p.name, p.name, p.label_en, p.aliases, counts.get(p.name, 0), totals[p.name],
                                     p.within) for p in all_places])


def cite(base: Base, key: str, *, lang: str | None = None, markdown: bool = False,
         strict: bool = False) -> Citation:
    """A ready-to-paste citation of the fact `key` names, in the key's language (Chinese for an exact
    id), or `lang`."""
    from yanbian_cli.cite import cite as make_citation

    found = stat(base, key, strict=strict, lang=lang)
    hit = found.hit
    if hit.article is None:  # pragma: no cover - a valid base cites only its own articles
        raise UsageError(f"fact {hit.fact.id} cites an unknown article")
    shown_lang = found.lang if lang is None and not found.exact else (lang or "zh")
    from yanbian_cli.model import publication_of

    pub = publication_of(hit.article, base.publication)
    text = make_citation(hit.fact, hit.article, pub, shown_lang, markdown)
    return Citation(text, shown_lang, found, pub)


def chart(base: Base, keys: Sequence[str], *, topic: str | None = None, place: str | None = None,
          unit: str | None = None) -> Chart:
    """The facts to chart and their shared unit: the given ids, or those of a topic/place (and unit).

    UsageError when they do not share one unit (or cannot be put into `unit`), or are not amounts.
    """
    from yanbian_cli.units import UNITS, convertible
    from yanbian_cli.units import convert as to_unit

    if unit is not None and unit not in UNITS:
        raise UsageError(f"unknown unit {unit!r} (units: {', '.join(UNITS)})")
    periods: list[str] = []
    if len(keys) == 1 and base.store.fact(keys[0]) is None and (points := metric_series(base, keys[0])):
        chosen = [p.fact for p in points]  # a metric: its series over time
        periods = [p.period.label for p in points]
    elif keys:
        chosen = []
        for key in keys:  # an id, or words that name one fact (quoted: "ginseng area")
            fact = base.store.fact(key) or stat(base, check_query([key])).hit.fact
            chosen.append(fact)
    else:
        if not (topic or place or unit):
            raise UsageError("name the facts to chart: fact ids, or --topic/--place (and --unit)")
        chosen = [h.fact for h in facts(base, topic=topic, place=place).hits
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
    return Chart(chosen, unit, [to_unit(float(f.value), f.unit, unit) for f in chosen], periods)


class ExportResult(Record):
    fmt: str
    rows: list[tuple[Fact, Article | None]]
    bom: bool
    base: Base  # for a fact file: its articles, topics, places and publication
    filtered: bool = False  # by topic, place or article: a part of the base, not all of it


def export(base: Base, fmt: str, *, bom: bool = False, topic: str | None = None, place: str | None = None,
           article: str | None = None) -> ExportResult:
    """The facts (all, or filtered), to be written as CSV, TSV, NDJSON, Markdown, a fact file (TOML) or a
    SQLite database."""
    from yanbian_cli.export import FORMATS

    if fmt not in FORMATS:
        raise UsageError(f"unknown --format {fmt!r} (choose: {', '.join(FORMATS)})")
    return ExportResult(fmt, [(h.fact, h.article) for h in facts(base, topic=topic, place=place, article=article).hits],
                        bom, base, filtered=any(x is not None for x in (topic, place, article)))


# -- curators -------------------------------------------------------------------------------


def check(fact_file: Path, *, drafts: bool = False) -> CheckReport:
    """Every problem of a fact file and its articles."""
    from yanbian_cli.factbase import check as check_file
    from yanbian_cli.factbase import shown_path

    base, problems = check_file(fact_file, allow_drafts=drafts)
    if base is None:
        return CheckReport(shown_path(fact_file), problems, None, None)
    from yanbian_cli.factbase import suspicious

    return CheckReport(shown_path(fact_file), problems, len(base.facts), len(base.articles),
                       sum(f.draft for f in base.facts), suspicious(base) + _conflicts(base) + _pending(base))


def _pending(base: FactBase) -> list[Problem]:
    from yanbian_cli.factbase import Problem, shown_path

    if not base.pending:
        return []
    shown = ", ".join(base.pending[:5]) + (f" and {len(base.pending) - 5} more" if len(base.pending) > 5 else "")
    return [Problem(shown_path(base.path), f"warning: {len(base.pending)} draft facts wait for review and are not "
                                           f"served ({shown}); yb check --drafts checks them")]


def _conflicts(base: FactBase) -> list[Problem]:
    """Warnings: two sources that give different figures for one metric and one period, with both."""
    from yanbian_cli.factbase import Problem, shown_path
    from yanbian_cli.series import conflicts, series

    by_metric: dict[str, list[Fact]] = {}
    for f in base.facts:
        if f.metric:
            by_metric.setdefault(f.metric, []).append(f)
    articles: dict[str, Article | None] = dict(base.articles)
    out = []
    for metric, found in by_metric.items():
        for c in conflicts(metric, series(found, articles)):
            given = "; ".join(f"{f.text} in {f.id} (article {f.source.article}"
                              f"{', ' + a.date if (a := base.articles.get(f.source.article)) and a.date else ''})"
                              for f in c.facts)
            out.append(Problem(shown_path(base.path), f"warning: sources differ on {metric} for {c.period.label}: "
                                                      f"{given}", fact=c.facts[-1].id, field="metric"))
    return out


class Draft(Record):
    text: str  # a fact file of draft facts, or (into a base) an article file with them
    facts: int
    paragraphs: int
    path: Path | None = None  # into a base: where the article file goes, relative to the base's folder


def extract(base: Base, article_file: Path, *, article_id: str | None = None, topic: str | None = None,
            date: str = "", into: bool = False) -> Draft:
    """Draft facts for every figure of a new article: a fact file with the article inline or, `into` a
    schema-2 base, an article file with its facts (`path`: where in the base it goes). A figure the base
    already tracks gets that metric's id, labels, aliases and topic proposed, with its own period."""
    from yanbian_cli import extract as extractor
    from yanbian_cli.export import article_file_toml

    if date and not _iso_date(date):
        raise UsageError(f"--date {date!r} is not a date (YYYY-MM-DD)")
    topic_id = resolve(base, "topic", topic) if topic else None
    aid = extractor.article_id_for(article_file, article_id)
    article, drafts = extractor.draft_article(extractor.read_text_file(article_file), article_file.name, aid,
                                              places=base.store.places(), topic=topic_id, date=date)
    drafts = [_propose_metric(base, d) for d in drafts]
    if into and topic_id is None:  # a file of the base needs one of its topics: the metrics' own, or --topic
        from collections import Counter

        proposed = Counter(d.topic for d in drafts if d.metric).most_common(1)
        if not proposed:
            topics = ", ".join(t.id for t in base.store.topics())
            raise UsageError(f"name the article's topic with --topic (the base's topics: {topics})")
        article = article._replace(topic=proposed[0][0])
        drafts = [d if d.metric else d._replace(topic=article.topic) for d in drafts]
    if into:
        taken = [d.id for d in drafts if base.store.fact(d.id) is not None]
        # (a draft article is not in the index: its file is looked for too)
        filed = next((base.fact_file.parent / "articles").rglob(f"{aid}.toml"), None) is not None
        if base.store.article(aid) is not None or filed or taken:
            what = f"an article {aid!r}" if not taken else f"the fact id {taken[0]!r}"
            raise UsageError(f"the base has {what} already: give this article an id of its own with --article-id")
        header = (f"# Draft facts proposed by `yb extract`: {len(drafts)} figures, not served until reviewed.\n"
                  "# Review every field, then remove `draft = true` from each fact.\n")
        path = Path("articles") / (date or "undated") / f"{aid}.toml"
        return Draft(article_file_toml(article, drafts, header=header), len(drafts), len(article.paragraphs), path)
    text = extractor.draft_file(article, drafts, article_file.name, places=base.store.places(),
                                topics=base.store.topics())
    return Draft(text, len(drafts), len(article.paragraphs))


def _iso_date(text: str) -> bool:
    import datetime

    try:
        return len(text) == 10 and bool(datetime.date.fromisoformat(text))
    except ValueError:
        return False


def _propose_metric(base: Base, draft: Fact) -> Fact:
    """The draft as a new figure of a metric the base tracks: the best answer to its label, when that fact
    has a metric and the draft's unit."""
    from yanbian_cli.search import search

    if not draft.label.strip():
        return draft
    try:
        answers = search(base.corpus, draft.label).answers
    except YbError:
        return draft
    for m in answers[:3]:
        known = base.store.fact(m.id)
        if known is not None and known.metric and known.unit == draft.unit:
            return draft._replace(metric=known.metric, label=known.label, label_en=known.label_en,
                                  label_ko=known.label_ko, aliases=known.aliases, topic=known.topic,
                                  note=f"proposed as a new figure of {known.metric} (like {known.id}); check the period")
    return draft


def index_info(fact_file: Path, environ: Mapping[str, str], *, rebuild: bool = False,
               clear: bool = False) -> IndexStatus:
    """Where the index of `fact_file` is cached and whether it is current; rebuilt or cleared first if asked.

    OutputError when it cannot be cleared, or rebuilt into the cache.
    """
    from yanbian_cli.errors import OutputError
    from yanbian_cli.store import cache

    if clear:
        try:
            cache.clear(fact_file, environ)
        except OSError as exc:
            raise OutputError(f"cannot clear the index cache: {exc.strerror or exc}"
                              + (f" ({exc.filename})" if exc.filename else "")) from None
    if rebuild:
        base = open_base(fact_file, environ, rebuild=True)
        base.close()
        if base.store.unwritable:
            raise OutputError(f"built the index, but cannot cache it: {base.store.unwritable}")
    return cache.status(fact_file, environ)
