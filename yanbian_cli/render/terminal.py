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

from yanbian_cli.model import Article, Fact, where
from yanbian_cli.render.json import fact_figure_en
from yanbian_cli.render.safe import safe

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


TABLE_ROOM = 44  # columns a fact table needs besides its key and figure


def _why(match: Match) -> str:
    return "; ".join(
        f"{p.typed} → {p.field or 'no match'}" + (f" {p.matched!r}" if p.matched else "")
        + (f" ({p.how})" if p.how else "") + f" {score_text(p.score)}"
        for p in match.parts
    )


def _facts_table(hits: Sequence[Hit], *, explain: bool = False) -> object:
    from rich import box
    from rich.table import Table

    scored = any(h.match is not None for h in hits)
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, show_edge=False)
    if scored:
        table.add_column("#", justify="right", no_wrap=True)
    table.add_column("key", no_wrap=True, style="cyan")
    table.add_column("figure", no_wrap=True, style="bold")
    table.add_column("label", overflow="fold", min_width=6, ratio=1)
    table.add_column("place", overflow="fold")
    table.add_column("period", overflow="fold")
    if scored:
        table.add_column("score", justify="right", no_wrap=True)
    if explain:
        table.add_column("why", overflow="fold", style="dim", ratio=4)
    for i, h in enumerate(hits, 1):
        fact = h.fact
        cells = [text(fact.id), text(fact.text), _label(h), text(fact.place), text(fact.period or "—")]
        if scored:
            cells = [text(i)] + cells + [text(score_text(h.match.score) if h.match else "")]
        if explain and h.match is not None:
            cells.append(text(_why(h.match)))
        table.add_row(*cells)
    return table


def _fact_cards(hits: Sequence[Hit], *, explain: bool = False) -> list[Text]:
    """The same facts for a narrow terminal: a few short lines each."""
    cards = []
    for i, h in enumerate(hits, 1):
        fact, match = h.fact, h.match
        card = text(f"{i}. " if match else "")
        card.append_text(text(fact.id, "cyan"))
        card.append_text(text(f"  {fact.text}", "bold"))
        if match:
            card.append_text(text(f"  ({score_text(match.score)})", "dim"))
        lines = [_label(h), text(f"{fact.place} · {fact.period or '—'}")]
        if explain and match:
            lines.append(text(_why(match), "dim"))
        for line in lines:
            card.append("\n   ")
            card.append_text(line)
        cards.append(card)
    return cards


def _label(hit: Hit) -> Text:
    """The fact's label; for a fact shown with --partial, what it does not answer, marked."""
    cell = text(hit.fact.label)
    if hit.match is not None and hit.match.missing:
        cell.append_text(text("  ✗ not " + ", ".join(repr(m) for m in hit.match.missing), "bold yellow"))
    return cell


def print_facts(hits: Sequence[Hit], *, explain: bool = False, caption: str = "") -> None:
    out = console()
    # A table only where whole keys and figures fit with room for the rest;
    # a narrow terminal gets a few lines per fact.
    widest = max((len(h.fact.id) + 2 * len(h.fact.text) for h in hits), default=0)
    if out.width >= widest + TABLE_ROOM + (30 if explain else 0):
        out.print(_facts_table(hits, explain=explain))
    else:
        for card in _fact_cards(hits, explain=explain):
            out.print(card)
    if caption:
        out.print(text(caption, "dim"))


def print_search(result: SearchResult) -> None:
    print_facts(result.hits, explain=result.explain)


def print_list(result: FactList) -> None:
    print_facts(result.hits, caption=f"{len(result.hits)} facts")


def quote_text(quote: str, figure: str) -> Text:
    """The quote with every occurrence of the figure highlighted."""
    from rich.text import Text

    result = Text("“")
    shown = safe(quote)
    target = safe(figure)
    pos = 0
    while target and (i := shown.find(target, pos)) >= 0:
        result.append(shown[pos:i])
        result.append(shown[i:i + len(target)], style="bold reverse")
        pos = i + len(target)
    result.append(shown[pos:])
    result.append("”")
    return result


def citation_line(fact: Fact, article: Article | None) -> Text:
    from rich.text import Text

    line = Text("Source: ", style="bold")
    if article is None:
        line.append(safe(f"article {fact.source.article}"))
    else:
        line.append(safe(f"《{article.title}》" if article.title else article.display_title))
        line.append(safe(f" {article.byline}"), style="italic")
    line.append(safe(f", {where(fact.source.paragraph)} [{fact.source.article}]"))
    return line


def print_stat(result: StatResult) -> None:
    from rich.table import Table

    fact, article = result.hit.fact, result.hit.article
    out = console()
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(text("key"), text(fact.id, "cyan"))
    grid.add_row(text("figure"), text(f"{fact.text}  ({fact_figure_en(fact)})", "bold"))
    if result.converted is not None:
        grid.add_row(text(f"in {result.converted.unit}"), text(result.converted.text_en, "bold"))
    grid.add_row(text("label"), text(fact.label))
    grid.add_row(text("label (en)"), text(fact.label_en))
    if fact.label_ko:
        grid.add_row(text("label (ko)"), text(fact.label_ko))
    grid.add_row(text("place"), text(fact.place))
    grid.add_row(text("period"), text(fact.period or "—"))
    grid.add_row(text("topic"), text(fact.topic))
    if fact.note:
        grid.add_row(text("note"), text(fact.note, "italic"))
    if not result.exact:
        out.print(text(f"best match for {result.key!r}:", "dim"))
    out.print(grid)
    out.print(citation_line(fact, article))
    out.print(quote_text(fact.source.quote, fact.text))
    if result.also:
        out.print(text("also: " + ", ".join(f"{f.id} ({f.text})" for f in result.also), "dim"))


def plain_value(result: StatResult) -> str:
    """The value alone, for $(yb stat KEY --value)."""
    value = result.converted.value if result.converted else result.hit.fact.value
    if isinstance(value, float):
        from yanbian_cli.text import decimal_text

        return decimal_text(value)
    return str(value)


def print_counts(counts: Counts) -> None:
    from rich.table import Table

    kind = counts.kind
    table = Table(header_style="bold", pad_edge=False)
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
    """Facts of one unit as labelled bars, scaled to the largest, with each figure as written."""
    from rich import box
    from rich.table import Table

    from yanbian_cli.units import UNITS, amount_en

    facts, unit, values = chart.facts, chart.unit, chart.values
    top = max(values, default=0.0)
    out = console()
    key_width = max(len(f.id) for f in facts)
    caption = f"{UNITS[unit].en}; the longest bar is {amount_en(top, unit)}"
    if out.width < key_width + 48:  # narrow: a few lines a fact
        width = max(8, out.width - 20)
        for fact, value in zip(facts, values):
            line = text(fact.id, "cyan")
            line.append("\n  ")
            line.append_text(text(f"{fact.label}  {fact.text}", "bold"))
            line.append("\n  ")
            line.append_text(text(bar(value, top, width), "green"))
            line.append_text(text(f" {amount_en(value, unit)}", "dim"))
            out.print(line)
        out.print(text(caption, "dim"))
        return
    width = max(8, min(40, out.width - key_width - 50))
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, show_edge=False)
    table.add_column("key", style="cyan", no_wrap=True)
    table.add_column("label", overflow="fold", ratio=1)
    table.add_column("figure", no_wrap=True, style="bold")
    table.add_column(UNITS[unit].en, no_wrap=True)
    for fact, value in zip(facts, values):
        cell = text(bar(value, top, width), "green")
        cell.append_text(text(f" {amount_en(value, unit)}", "dim"))
        table.add_row(text(fact.id), text(fact.label), text(fact.text), cell)
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
    sys.stdout.write("".join(f"{k:<10} {safe(str(v))}\n" for k, v in lines))
