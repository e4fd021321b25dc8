"""Output for people: Rich tables and grids, uncoloured when stdout is not a terminal.

Rich is imported inside the functions that draw, so the `--json` path never
loads it. Text from the data is never markup: every string goes into a
`rich.text.Text` after `safe()` has made control characters visible.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from yanbian_cli.model import Article, Fact, Place, where
from yanbian_cli.render.json import fact_figure_en
from yanbian_cli.render.safe import note, safe

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console
    from rich.text import Text

    from yanbian_cli.lookup import (
        ArticleView,
        Chart,
        CheckReport,
        Counts,
        FactList,
        Hit,
        SearchResult,
        StatResult,
    )
    from yanbian_cli.search import Match
    from yanbian_cli.store.cache import IndexStatus


def console(stderr: bool = False) -> Console:
    """A Console that never reads markup or emoji codes in what it prints.

    Colour follows Rich's detection: none when the output is not a terminal or
    NO_COLOR is set; FORCE_COLOR forces it.
    """
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            """Rich would exit with status 1; let the command's boundary end quietly instead."""
            raise BrokenPipeError

    return _Console(stderr=stderr, markup=False, emoji=False, highlight=False)


def text(value: object, style: str = "") -> Text:
    from rich.text import Text

    return Text(safe(str(value)), style=style)


def score_text(score: float) -> str:
    """100 only for an exact match; 99.9 stays 99.9."""
    return f"{score:.1f}".rstrip("0").rstrip(".")


def _why(match: Match) -> str:
    return "; ".join(
        f"{p.typed} → {p.field or 'no match'}" + (f" {p.matched!r}" if p.matched else "")
        + (f" ({p.how})" if p.how else "") + f" {score_text(p.score)}"
        for p in match.parts
    )


# -- the words of a fact in the reader's language ------------------------------------------------

_PERIODS = {"en": {"上半年": "first half", "下半年": "second half", "目前": "now", "截至目前": "so far", "累计": "in all",
                   "每年": "a year", "今年": "this year", "自基地建设以来": "since the base was built"},
            "ko": {"上半年": "상반년", "下半年": "하반년", "目前": "현재", "截至目前": "현재까지", "累计": "루계", "每年": "해마다",
                   "今年": "올해", "自基地建设以来": "기지 건설 이래"}}


def label_in(fact: Fact, lang: str) -> str:
    return {"en": fact.label_en, "ko": fact.label_ko}.get(lang) or fact.label


def figure_in(fact: Fact, lang: str) -> str:
    """The figure as the reader of `lang` writes it (Chinese: as printed)."""
    if lang == "en":
        return fact_figure_en(fact)
    if lang == "ko":
        from yanbian_cli.numbers import measure_word
        from yanbian_cli.units import figure_ko

        return figure_ko(fact.value, fact.unit, fact.qualifier, measure_word(fact.text))
    return fact.text


def place_in(name: str, places: dict[str, Place], lang: str) -> str:
    place = places.get(name)
    if place is None or lang == "zh":
        return name
    if lang == "en":  # the English name; in a table cell, its shortest English alias when that is too long
        english = [place.label_en] + [a for a in place.aliases if a.isascii()] if place.label_en else []
        return next((n for n in english if len(n) <= PLACE_MAX), min(english, key=len, default=name))
    return next((a for a in place.aliases if any("가" <= c <= "힣" for c in a)), name)


def period_in(period: str, lang: str) -> str:
    if not period or lang == "zh":
        return period
    if period.endswith("年") and period[:-1].isdigit():
        return period[:-1] + ("년" if lang == "ko" else "")
    return _PERIODS[lang].get(period, period)


def when(fact: Fact, article: Article | None, lang: str) -> str:
    """The period as the article writes it, and what it means where the article gives its date
    (去年 (2022); a fact with no period: as of the issue's date)."""
    shown = period_in(fact.period, lang)
    if article is None or not article.date:
        return shown
    from yanbian_cli.series import resolve

    label = resolve(fact.period, article.date).label
    if not label or label in shown or label == fact.period:
        return shown
    return f"{shown} ({label})" if shown else label


# -- facts as a table -------------------------------------------------------------------------------

PLACE_MAX, PERIOD_MAX, LABEL_MIN = 14, 12, 26  # cells (scripts/widths.py: below 26 cards read better)


def _column_width(values: Sequence[str], cap: int) -> int:
    from yanbian_cli.render.wrap import cells

    return min(max((cells(v) for v in values), default=0), cap)


def _lines(value: str, width: int, style: str = "", keep: Sequence[str] = ()) -> Text:
    """`value` wrapped to `width` cells (render.wrap: never a figure split, never a comma at a line start)."""
    from rich.text import Text

    from yanbian_cli.render.wrap import wrap

    return Text("\n".join(wrap(safe(value), width, keep=keep)), style=style)


def _older(hit: Hit) -> str:
    assert hit.latest is not None
    when = hit.latest.period.label or hit.latest.fact.period
    return f"older: latest {hit.latest.fact.text} ({when or '—'}, {hit.latest.fact.id})"


def _label_cell(hit: Hit, lang: str, width: int) -> Text:
    """The label in the reader's language; in English or Korean the figure in it; with --partial what
    the fact does not answer; the id last, dim."""
    fact = hit.fact
    cell = _lines(label_in(fact, lang), width)
    if lang != "zh":
        cell.append("\n")
        cell.append_text(_lines(figure_in(fact, lang), width, "bold"))
    if hit.match is not None and hit.match.missing:
        cell.append("\n")
        cell.append_text(_lines("✗ not " + ", ".join(repr(m) for m in hit.match.missing), width, "bold yellow"))
    if hit.latest is not None:
        cell.append("\n")
        cell.append_text(_lines(_older(hit), width, "yellow"))
    cell.append("\n")
    cell.append_text(_lines(fact.id, width, "dim cyan"))
    return cell


def print_facts(hits: Sequence[Hit], *, explain: bool = False, lang: str = "zh", places: dict[str, Place] | None = None,
                caption: str = "") -> None:
    """Facts as a table: the figure as printed never wraps, the label takes what is left (the id is a dim
    line under it); a terminal too narrow for that gets a few lines a fact."""
    from rich import box
    from rich.table import Table

    from yanbian_cli.render.wrap import cells

    out = console()
    places = places or {}
    scored = any(h.match is not None for h in hits)
    figures = [safe(h.fact.text) for h in hits]
    place_names = [safe(place_in(h.fact.place, places, lang)) for h in hits]
    periods = [safe(when(h.fact, h.article, lang) or "—") for h in hits]
    widths = {"#": len(str(len(hits))) if scored else 0, "figure": max(cells(f) for f in figures) if figures else 6,
              "place": _column_width(place_names, PLACE_MAX), "period": _column_width(periods, PERIOD_MAX),
              "score": 5 if scored else 0}
    widths = {k: max(v, len(k) if k not in ("#",) else v) for k, v in widths.items()}
    columns = [k for k, v in widths.items() if v]
    # Each column but the first is set off by its left and right padding and a separator: 3 cells.
    label_width = out.width - sum(widths[k] for k in columns) - 3 * len(columns)
    header = {"zh": "label", "en": "label · figure in English", "ko": "label · figure in Korean"}[lang]
    needed = max([cells(header)] + [cells(safe(line)) for h in hits for line in
                                    (label_in(h.fact, lang), h.fact.id, figure_in(h.fact, lang) if lang != "zh" else "")])
    if label_width < LABEL_MIN:
        _print_cards(out, hits, explain=explain, lang=lang, places=places)
    else:
        table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, show_edge=False, padding=(0, 1))
        if scored:
            table.add_column("#", justify="right", no_wrap=True, width=widths["#"])
        table.add_column("figure", no_wrap=True, style="bold", width=widths["figure"])
        label_width = min(label_width, needed)  # a wide terminal: no stretch of empty cells
        table.add_column(header, no_wrap=True, width=label_width)
        table.add_column("place", no_wrap=True, width=widths["place"])
        table.add_column("period", no_wrap=True, width=widths["period"])
        if scored:
            table.add_column("score", justify="right", no_wrap=True, width=5)
        for i, (h, figure, place, period) in enumerate(zip(hits, figures, place_names, periods), 1):
            cells_ = [text(figure), _label_cell(h, lang, label_width), _lines(place, widths["place"]),
                      _lines(period, widths["period"])]
            if scored:
                cells_ = [text(i)] + cells_ + [text(score_text(h.match.score) if h.match else "")]
            table.add_row(*cells_)
            if explain and h.match is not None:
                table.add_row(*([""] if scored else []), "", _lines("why: " + _why(h.match), label_width, "dim"),
                              "", "", *([""] if scored else []))
        out.print(table)
    if caption:
        out.print(text(caption, "dim"))


def _print_cards(out: Console, hits: Sequence[Hit], *, explain: bool, lang: str, places: dict[str, Place]) -> None:
    """The facts for a narrow terminal: a few short lines each."""
    width = max(out.width - 3, 10)
    for i, h in enumerate(hits, 1):
        fact, match = h.fact, h.match
        card = text(f"{i}. " if match else "")
        card.append_text(text(fact.text, "bold"))
        if match:
            card.append_text(text(f"  ({score_text(match.score)})", "dim"))
        lines = [_lines(label_in(fact, lang), width)]
        if lang != "zh":
            lines.append(_lines(figure_in(fact, lang), width, "bold"))
        if match is not None and match.missing:
            lines.append(_lines("✗ not " + ", ".join(repr(m) for m in match.missing), width, "bold yellow"))
        if h.latest is not None:
            lines.append(_lines(_older(h), width, "yellow"))
        lines.append(_lines(f"{place_in(fact.place, places, lang)} · {when(fact, h.article, lang) or '—'}", width))
        lines.append(_lines(fact.id, width, "dim cyan"))
        if explain and match:
            lines.append(_lines(_why(match), width, "dim"))
        for line in lines:
            for part in line.split("\n"):
                card.append("\n   ")
                card.append_text(part)
        out.print(card)


def print_search(result: SearchResult) -> None:
    print_facts(result.hits, explain=result.explain, lang=result.lang, places=result.places)
    if result.total > len(result.hits):
        sys.stdout.flush()  # the answer first: a note after it, on stderr
        note(f"{len(result.hits)} of {result.total} answers; --limit {result.total} for all")


def print_list(result: FactList) -> None:
    print_facts(result.hits, lang=result.lang, places=result.places, caption=f"{len(result.hits)} facts")


def quote_text(quote: str, figure: str, width: int = 10**6) -> Text:
    """The quote in “ ”, wrapped to `width` (no figure split), with every occurrence of the fact's figure
    highlighted."""
    from rich.text import Text

    from yanbian_cli.numbers import find_figures
    from yanbian_cli.render.wrap import wrap

    shown = safe(f"“{quote}”")
    target = safe(figure)
    keep = [target, *(f.text for f in find_figures(quote))]
    result = Text()
    for n, line in enumerate(wrap(shown, width, keep=keep)):
        if n:
            result.append("\n")
        pos = 0
        while target and (i := line.find(target, pos)) >= 0:
            result.append(line[pos:i])
            result.append(line[i:i + len(target)], style="bold reverse")
            pos = i + len(target)
        result.append(line[pos:])
    return result


def citation_line(fact: Fact, article: Article | None, width: int = 10**6) -> Text:
    from rich.text import Text

    if article is None:
        source = f"article {fact.source.article}"
        byline = ""
    else:
        source = f"《{article.title}》" if article.title else article.display_title
        byline = f" {article.byline}" if article.byline else ""
        issue = ", ".join(x for x in (article.paper, article.date, f"page {article.page}" if article.page else "") if x)
        byline += f" ({issue})" if issue else ""
    line = Text("Source: ", style="bold")
    line.append_text(_lines(f"{source}{byline}, {where(fact.source.paragraph)} [{fact.source.article}]", width - 8))
    return line


def print_stat(result: StatResult) -> None:
    from rich.table import Table

    fact, article, lang = result.hit.fact, result.hit.article, result.lang
    out = console()
    value_width = max(out.width - 12, 20)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(no_wrap=True)
    rows: list[tuple[str, str, str]] = [("key", fact.id, "cyan"), ("figure", fact.text, "bold")]
    for other in ("en", "ko"):
        rows.append((f"figure ({other})", figure_in(fact, other), "bold" if other == lang else ""))
    if result.converted is not None:
        rows.append((f"in {result.converted.unit}", result.converted.text_en, "bold"))
    rows += [("label", fact.label, ""), ("label (en)", fact.label_en, ""), ("label (ko)", fact.label_ko, ""),
             ("place", place_in(fact.place, result.places, lang) if lang != "zh" else fact.place, ""),
             ("period", when(fact, article, lang) or "—", ""), ("topic", fact.topic, ""),
             ("note", fact.note, "italic")]
    for name, value, style in rows:
        if value:
            grid.add_row(text(name), _lines(value, value_width, style, keep=[fact.text]))
    out.print(grid)
    out.print(citation_line(fact, article, out.width))
    out.print(quote_text(fact.source.quote, fact.text, out.width))
    translated = {"en": fact.quote_en, "ko": fact.quote_ko, "zh": fact.quote_zh}.get(lang)
    if translated:
        out.print(_lines(f"({lang}) {translated}", out.width, "italic"))
    if result.also:
        out.print(_lines("also: " + ", ".join(f"{f.id} ({f.text})" for f in result.also), out.width, "dim",
                         keep=[f"{f.id} ({f.text})" for f in result.also]))  # an id is never broken
    if len(result.series) > 1:
        _print_series(result)


def _print_series(result: StatResult) -> None:
    """A metric across periods: when each figure holds, the figure, the change since the one before, its source."""
    from rich import box
    from rich.table import Table

    from yanbian_cli.units import amount_en

    out = console()
    as_of = result.as_of if result.as_of.startswith("as of") else f"as of {result.as_of}"
    out.print(text(f"{result.hit.fact.metric}: {as_of}, {len(result.series)} figures", "bold"))
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, show_edge=False)
    for name in ("period", "figure", "change", "source"):
        table.add_column(name, overflow="fold", no_wrap=name == "figure")
    for before, p in zip((None, *result.series), result.series):
        if p.change is None:
            change = "—" if before is None else "— (the same period, another source)" if \
                before.period.end == p.period.end else "— (not comparable)"
        else:
            pct = f", {p.change_pct:+.1f}%" if p.change_pct is not None else ""
            change = f"{'+' if p.change >= 0 else '-'}{amount_en(abs(p.change), p.fact.unit)}{pct}"
        source = ", ".join(x for x in (p.article.date if p.article else "", p.fact.source.article, p.fact.id) if x)
        style = "bold" if p.fact.id == result.hit.fact.id else ""
        table.add_row(text(p.period.label or p.fact.period or "—", style), text(p.fact.text, style), text(change),
                      text(source, "dim"))
    out.print(table)


def print_counts(counts: Counts) -> None:
    from rich.table import Table

    from rich import box

    kind = counts.kind
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, show_edge=False)
    table.add_column(kind, style="cyan", overflow="fold")
    if kind == "topic":
        table.add_column("label", overflow="fold")
    table.add_column("English", overflow="fold")
    if kind == "place":
        table.add_column("within", overflow="fold")
    table.add_column("facts", justify="right")
    if kind == "place":
        table.add_column("with places within", justify="right")
    for r in counts.rows:
        cells = [text(r.key)] + ([text(r.label)] if kind == "topic" else []) + [text(r.label_en)]
        if kind == "place":
            cells += [text(r.within or "—"), text(r.facts), text(r.facts_within)]
        else:
            cells.append(text(r.facts))
        table.add_row(*cells)
    console().print(table)


def _marked(paragraph: str, facts: Sequence[Fact], first_marker: int) -> Text:
    """A paragraph with each cited figure highlighted and numbered [n]."""
    from rich.text import Text

    shown = safe(paragraph)
    spans: list[tuple[int, int, int]] = []
    for n, f in enumerate(facts, first_marker):
        quote_at = shown.find(safe(f.source.quote))
        start = quote_at if quote_at >= 0 else 0
        i = shown.find(safe(f.text), start)
        if i >= 0 and all(i >= e or i + len(safe(f.text)) <= s for s, e, _ in spans):
            spans.append((i, i + len(safe(f.text)), n))
    spans.sort()
    out = Text()
    pos = 0
    for s, e, n in spans:
        out.append(shown[pos:s])
        out.append(shown[s:e], style="bold reverse")
        out.append(f"[{n}]", style="cyan")
        pos = e
    out.append(shown[pos:])
    return out


def print_article(view: ArticleView) -> None:
    article = view.article
    out = console()
    by_paragraph: dict[int, list[Fact]] = {}
    for f in view.facts:
        by_paragraph.setdefault(f.source.paragraph, []).append(f)
    marker = 1
    title_facts = by_paragraph.get(0, [])
    heading = _marked(article.title, title_facts, marker) if article.title else text(article.display_title)
    heading.stylize("bold")
    out.print(heading)
    marker += len(title_facts)
    if article.title_en:
        out.print(text(article.title_en, "italic"))
    meta = f"{article.byline} · {article.kind}" + (f" · {article.section}" if article.section else "")
    meta += f" · [{article.id}]"
    out.print(text(meta, "dim"))
    listing = [(0, f) for f in title_facts]
    for n, paragraph in enumerate(article.paragraphs, 1):
        cited = by_paragraph.get(n, [])
        out.print()
        line = text(f"¶{n} ", "dim")
        line.append_text(_marked(paragraph, cited, marker))
        out.print(line)
        listing += [(n, f) for f in cited]
        marker += len(cited)
    if listing:
        out.print()
        for i, (n, f) in enumerate(listing, 1):
            out.print(text(f"[{i}] ¶{n} {f.id}: {f.text} — {f.label}", "dim"))


_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(value: float, top: float, width: int) -> str:
    """A horizontal bar of `width` cells for `top`, in eighths of a cell."""
    if top <= 0 or value <= 0:
        return ""
    eighths = round(value / top * width * 8)
    full, rest = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[rest] if rest else "") or "▏"


def print_chart(chart: Chart) -> None:
    """Facts of one unit as labelled bars, scaled to the largest, with each figure as written and in English
    (qualifiers kept: nearly 1.5 million mu)."""
    from rich import box
    from rich.table import Table

    from yanbian_cli.render.wrap import cells
    from yanbian_cli.units import QUALIFIER_EN, UNITS, amount_en

    facts, unit, values = chart.facts, chart.unit, chart.values
    top = max(values, default=0.0)
    out = console()
    english = [f"{QUALIFIER_EN.get(f.qualifier, '')}{amount_en(v, unit)}" for f, v in zip(facts, values)]
    caption = f"{UNITS[unit].en}; the longest bar is {amount_en(top, unit)}"
    figure_width = max(cells(safe(f.text)) for f in facts)
    english_width = max(cells(e) for e in english)
    bar_width = max(8, min(40, (out.width - figure_width - english_width) // 3))
    label_width = out.width - figure_width - bar_width - 1 - english_width - 6  # 3 columns: 2 separations of 3
    if label_width < LABEL_MIN:  # narrow: a few lines a fact
        width = max(out.width - 3, 10)
        for fact, value, eng in zip(facts, values, english):
            line = text(fact.text, "bold")
            for part in (_lines(fact.label, width), _lines(fact.id, width, "dim cyan")):
                for piece in part.split("\n"):
                    line.append("\n   ")
                    line.append_text(piece)
            line.append("\n   ")
            line.append_text(text(bar(value, top, max(8, width - cells(eng) - 2)), "green"))
            line.append_text(text(f" {eng}", "dim"))
            out.print(line)
        out.print(text(caption, "dim"))
        return
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, show_edge=False)
    table.add_column("figure", no_wrap=True, style="bold", width=figure_width)
    table.add_column("label", no_wrap=True, width=label_width)
    table.add_column(UNITS[unit].en, no_wrap=True)
    periods = chart.periods or [""] * len(facts)
    for fact, value, eng, period in zip(facts, values, english, periods):
        label = _lines(f"{period}  {fact.label}" if period else fact.label, label_width)
        label.append("\n")
        label.append_text(_lines(fact.id, label_width, "dim cyan"))
        cell = text(bar(value, top, bar_width), "green")
        cell.append_text(text(f" {eng}", "dim"))
        table.add_row(text(fact.text), label, cell)
    out.print(table)
    out.print(text(caption, "dim"))


def print_check(report: CheckReport) -> None:
    lines = [str(p) for p in report.problems + report.warnings]
    if report.facts is not None:
        drafted = f" ({report.drafts} drafts)" if report.drafts else ""
        warned = f", {len(report.warnings)} warning{'s' if len(report.warnings) != 1 else ''}" if report.warnings else ""
        lines.append(f"{report.file}: ok: {report.facts} facts{drafted}, {report.articles} articles, 0 problems{warned}")
    else:
        n = len(report.problems)
        lines.append(f"{report.file}: {n} problem{'s' if n != 1 else ''}")
    sys.stdout.write("".join(safe(line) + "\n" for line in lines))


def _age(built_at: float) -> str:
    seconds = max(0, int(time.time() - built_at))
    ago = (f"{seconds} s" if seconds < 120 else f"{seconds // 60} min" if seconds < 7200
           else f"{seconds // 3600} h" if seconds < 172800 else f"{seconds // 86400} days")
    return f"{time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(built_at))} ({ago} ago)"


def print_index(st: IndexStatus) -> None:
    state = {"current": "current", "stale": "stale (rebuilt on next use)", "not built": "not built (built on next use)",
             "corrupt": f"corrupt: {st.why} (rebuilt on next use)",
             "cannot be cached": f"cannot be cached: {st.why} (built in memory on every call)"}[st.state]
    lines = [("fact file", st.fact_file), ("index", st.cache_file or "—"), ("state", state),
             ("size", f"{st.size / 2**20:.1f} MB" if st.exists else "—"),
             ("built", _age(st.built_at) if st.built_at else "—"), ("facts", st.facts if st.fresh else "—")]
    if st.watcher:
        lines.append(("watcher", st.watcher))
    sys.stdout.write("".join(f"{k:<10} {safe(str(v))}\n" for k, v in lines))
