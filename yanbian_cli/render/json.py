"""Every JSON shape yb prints, in the order of the README's JSON section.

Each function turns one typed result of `lookup` into plain data; `write_json`
prints it: UTF-8, not ASCII-escaped, one document and a newline.
"""

from __future__ import annotations

import json
import sys
from typing import IO, TYPE_CHECKING, Any

from yanbian_cli.model import DEFAULT_LANG, FACT_FIELDS, Article, Fact
from yanbian_cli.render.safe import json_safe

if TYPE_CHECKING:  # pragma: no cover
    from yanbian_cli.series import Point
    from yanbian_cli.lookup import (
        ArticleView,
        Chart,
        CheckReport,
        Citation,
        Counts,
        FactList,
        Hit,
        SearchResult,
        StatResult,
    )
    from yanbian_cli.store.cache import IndexStatus

# Fields of the fact file that are for curators, not for the JSON object.
_NOT_SHOWN = frozenset({"note", "draft"})


def fact_figure_en(fact: Fact) -> str:
    """A fact's figure in English: `近150万亩` -> `nearly 1.5 million mu (about 100,000 ha)`."""
    from yanbian_cli.units import figure_en

    return figure_en(fact.value, fact.unit, fact.qualifier)


def fact_object(fact: Fact, article: Article | None) -> dict[str, Any]:
    """The documented JSON form of a fact: the fields of the schema, `value_en` after `value`,
    and the source with its article's title and byline."""
    obj: dict[str, Any] = {}
    for f in FACT_FIELDS:
        if f.name in _NOT_SHOWN:
            continue
        value = getattr(fact, f.name)
        if f.name == "source":
            value = {"article": fact.source.article, "lang": article.lang if article else DEFAULT_LANG,
                     "title": article.title if article else "",
                     "byline": article.byline if article else "", "paragraph": fact.source.paragraph,
                     "quote": fact.source.quote}
        elif f.name == "aliases":
            value = list(value)
        obj[f.name] = value
        if f.name == "value":
            obj["value_en"] = fact_figure_en(fact)
    return obj


def hit_object(hit: Hit, explain: bool = False) -> dict[str, Any]:
    """A search result: the fact object with its score (and, with --explain, why it matched)."""
    obj = {**fact_object(hit.fact, hit.article), "score": round(hit.match.score, 1) if hit.match else None}
    if hit.match and hit.match.missing:  # --partial: what this fact does not answer
        obj["missing"] = list(hit.match.missing)
    if hit.latest is not None:  # an older figure of a metric
        obj["latest"] = {"id": hit.latest.fact.id, "text": hit.latest.fact.text, "period": hit.latest.fact.period,
                         "as_of": hit.latest.period.label}
    if explain and hit.match:
        obj["explain"] = [{"typed": p.typed, "field": p.field, "matched": p.matched, "how": p.how,
                           "score": round(p.score, 1)} for p in hit.match.parts]
    return obj


def search_json(result: SearchResult) -> list[dict[str, Any]]:
    return [hit_object(h, result.explain) for h in result.hits]


def _match(result: StatResult) -> dict[str, Any]:
    return {"kind": result.match_kind, "score": round(result.hit.match.score, 1) if result.hit.match else 100.0}


def stat_json(result: StatResult) -> dict[str, Any]:
    obj = fact_object(result.hit.fact, result.hit.article)
    obj["match"] = _match(result)
    if result.converted:
        obj["converted"] = result.converted._asdict()
    if result.series:
        obj["as_of"] = result.as_of
        obj["series"] = [series_point(p) for p in result.series]
    return obj


def series_point(point: Point) -> dict[str, Any]:
    """One figure of a metric's series: when it holds, the figure, the change since the one before, its source."""
    a = point.article
    return {"id": point.fact.id, "period": point.fact.period, "as_of": point.period.label, "ends": point.period.end,
            "text": point.fact.text, "value": point.fact.value, "unit": point.fact.unit,
            "qualifier": point.fact.qualifier,
            "change": point.change, "change_pct": round(point.change_pct, 2) if point.change_pct is not None else None,
            "source": {"article": point.fact.source.article, "title": a.title if a else "", "date": a.date if a else "",
                       "page": a.page if a else ""}}


def cite_json(citation: Citation) -> dict[str, Any]:
    from yanbian_cli.cite import inferred

    fact, article, pub = citation.found.hit.fact, citation.found.hit.article, citation.publication
    paper, year = inferred(pub)
    return {"text": citation.text, "lang": citation.lang, "fact": fact.id, "match": _match(citation.found),
            "source": {"article": fact.source.article, "title": article.title if article else "",
                       "byline": article.byline if article else "", "paragraph": fact.source.paragraph,
                       "quote": fact.source.quote},
            "publication": {"paper": pub.paper, "paper_inferred": paper, "year": pub.year, "year_inferred": year,
                            "date": pub.date or None}}


def list_json(result: FactList) -> list[dict[str, Any]]:
    return [fact_object(h.fact, h.article) for h in result.hits]


def article_json(view: ArticleView) -> dict[str, Any]:
    article = view.article
    by_paragraph: dict[int, list[str]] = {}
    for f in view.facts:
        by_paragraph.setdefault(f.source.paragraph, []).append(f.id)
    return {
        "id": article.id,
        "title": article.title,
        "title_en": article.title_en,
        "byline": article.byline,
        "kind": article.kind,
        "section": article.section,
        "topic": article.topic,
        "lang": article.lang,
        "title_facts": by_paragraph.get(0, []),
        "paragraphs": [{"number": n, "text": p, "facts": by_paragraph.get(n, [])}
                       for n, p in enumerate(article.paragraphs, 1)],
    }


def counts_json(counts: Counts) -> list[dict[str, Any]]:
    if counts.kind == "topic":
        return [{"id": r.key, "label": r.label, "label_en": r.label_en, "aliases": list(r.aliases), "facts": r.facts}
                for r in counts.rows]
    return [{"name": r.key, "label_en": r.label_en, "aliases": list(r.aliases), "within": r.within,
             "facts": r.facts, "facts_within": r.facts_within} for r in counts.rows]


def chart_json(chart: Chart) -> list[dict[str, Any]]:
    periods = chart.periods or [""] * len(chart.facts)
    return [{"id": f.id, "label": f.label, "text": f.text, "unit": chart.unit, "value": v,
             **({"as_of": p} if chart.periods else {})} for f, v, p in zip(chart.facts, chart.values, periods)]


def check_json(report: CheckReport) -> dict[str, Any]:
    return {"file": report.file, "problems": [p._asdict() for p in report.problems], "facts": report.facts,
            "articles": report.articles, "warnings": [p._asdict() for p in report.warnings]}


def index_json(st: IndexStatus) -> dict[str, Any]:
    return {"fact_file": str(st.fact_file), "cache_file": str(st.cache_file) if st.cache_file else None,
            "state": st.state, "why": st.why, "exists": st.exists, "fresh": st.fresh, "size": st.size,
            "built_at": st.built_at, "facts": st.facts, "watcher": st.watcher}


def ndjson(rows: list[tuple[Fact, Article | None]]) -> str:
    """One fact object a line (compact), for bulk loading."""
    return "".join(json.dumps(fact_object(f, a), ensure_ascii=False, separators=(",", ":")) + "\n" for f, a in rows)


def write_json(obj: object, out: IO[str] | None = None) -> None:
    """UTF-8 JSON, not ASCII-escaped, one document and a newline; on a terminal, the characters that
    could drive it are written as \\u escapes (still the same JSON)."""
    out = out or sys.stdout
    text = json.dumps(obj, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    out.write(json_safe(text) if out.isatty() else text)
