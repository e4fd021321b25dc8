"""Turn results into output: Rich tables for people, JSON for machines.

No lookup logic here. Rich is imported inside the functions that draw, so the
`--json` path never loads it. Text from the data is never markup: every
string goes into a `rich.text.Text` after `safe()` has made control
characters visible.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Sequence
from typing import IO, TYPE_CHECKING, NamedTuple

from yanbian_cli.model import Article, Fact, Place, Topic

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console
    from rich.text import Text

    from yanbian_cli.search import Match

# Characters that can drive a terminal or reorder what it shows: C0/C1 controls
# (ESC starts CSI/OSC sequences), DEL, bidirectional overrides and isolates,
# line/paragraph separators.
_UNSAFE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def safe(text: str) -> str:
    """`text` with every character that could control a terminal shown as a visible escape (\\x1b)."""
    return _UNSAFE_RE.sub(lambda m: _escape(m.group()), text)


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


# -- JSON ------------------------------------------------------------------------------


def fact_object(fact: Fact, article: Article | None) -> dict:
    """The documented JSON form of a fact."""
    return {
        "id": fact.id,
        "label": fact.label,
        "label_en": fact.label_en,
        "label_ko": fact.label_ko,
        "aliases": list(fact.aliases),
        "text": fact.text,
        "value": fact.value,
        "value_en": fact_figure_en(fact),
        "unit": fact.unit,
        "qualifier": fact.qualifier,
        "place": fact.place,
        "period": fact.period,
        "topic": fact.topic,
        "source": {
            "article": fact.source.article,
            "title": article.title if article else "",
            "byline": article.byline if article else "",
            "paragraph": fact.source.paragraph,
            "quote": fact.source.quote,
        },
    }


def write_json(obj: object, out: IO[str] | None = None) -> None:
    """UTF-8 JSON, not ASCII-escaped, one document and a newline."""
    out = out or sys.stdout
    out.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


# -- people ----------------------------------------------------------------------------


def console(stderr: bool = False) -> Console:
    """A Console that never reads markup or emoji codes in what it prints.

    Colour follows Rich's detection: none when the output is not a terminal or
    NO_COLOR is set; FORCE_COLOR forces it.
    """
    from rich.console import Console

    out = Console(stderr=stderr, markup=False, emoji=False, highlight=False)
    out.on_broken_pipe = _broken_pipe  # type: ignore[method-assign]  # yb ends quietly, with status 0
    return out


def _broken_pipe() -> None:
    """Rich would exit with status 1; let the command's boundary end quietly instead."""
    raise BrokenPipeError


def text(value: object, style: str = "") -> Text:
    from rich.text import Text

    return Text(safe(str(value)), style=style)


def fact_figure_en(fact: Fact) -> str:
    """A fact's figure in English: `近150万亩` -> `nearly 1.5 million mu (about 100,000 ha)`."""
    from yanbian_cli.units import figure_en as english

    return english(fact.value, fact.unit, fact.qualifier)


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


def _facts_table(rows: Sequence[tuple[Fact, Match | None]], *, explain: bool = False) -> object:
    from rich import box
    from rich.table import Table

    scored = any(m is not None for _, m in rows)
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
    for i, (fact, match) in enumerate(rows, 1):
        cells = [text(fact.id), text(fact.text), text(fact.label), text(fact.place), text(fact.period or "—")]
        if scored:
            cells = [text(i)] + cells + [text(score_text(match.score) if match else "")]
        if explain and match is not None:
            cells.append(text(_why(match)))
        table.add_row(*cells)
    return table


def _fact_cards(rows: Sequence[tuple[Fact, Match | None]], *, explain: bool = False) -> list[Text]:
    """The same facts for a narrow terminal: a few short lines each."""
    cards = []
    for i, (fact, match) in enumerate(rows, 1):
        card = text(f"{i}. " if match else "")
        card.append_text(text(fact.id, "cyan"))
        card.append_text(text(f"  {fact.text}", "bold"))
        if match:
            card.append_text(text(f"  ({score_text(match.score)})", "dim"))
        lines = [text(fact.label), text(f"{fact.place} · {fact.period or '—'}")]
        if explain and match:
            lines.append(text(_why(match), "dim"))
        for line in lines:
            card.append("\n   ")
            card.append_text(line)
        cards.append(card)
    return cards


def print_facts(rows: Sequence[tuple[Fact, Match | None]], *, explain: bool = False, caption: str = "") -> None:
    out = console()
    # A table only where whole keys and figures fit with room for the rest;
    # a narrow terminal gets a few lines per fact.
    widest = max((len(f.id) + 2 * len(f.text) for f, _ in rows), default=0)
    if out.width >= widest + TABLE_ROOM + (30 if explain else 0):
        out.print(_facts_table(rows, explain=explain))
    else:
        for card in _fact_cards(rows, explain=explain):
            out.print(card)
    if caption:
        out.print(text(caption, "dim"))


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
    where = "title" if fact.source.paragraph == 0 else f"paragraph {fact.source.paragraph}"
    line.append(safe(f", {where} [{fact.source.article}]"))
    return line


def print_stat(fact: Fact, article: Article | None, *, also: Sequence[Fact] = (), note: str = "",
               converted: object = None) -> None:
    from rich.table import Table

    out = console()
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(text("key"), text(fact.id, "cyan"))
    grid.add_row(text("figure"), text(f"{fact.text}  ({fact_figure_en(fact)})", "bold"))
    if converted is not None:
        grid.add_row(text(f"in {converted.unit}"), text(f"{converted.text_en}", "bold"))  # type: ignore[attr-defined]
    grid.add_row(text("label"), text(fact.label))
    grid.add_row(text("label (en)"), text(fact.label_en))
    if fact.label_ko:
        grid.add_row(text("label (ko)"), text(fact.label_ko))
    grid.add_row(text("place"), text(fact.place))
    grid.add_row(text("period"), text(fact.period or "—"))
    grid.add_row(text("topic"), text(fact.topic))
    if fact.note:
        grid.add_row(text("note"), text(fact.note, "italic"))
    if note:
        out.print(text(note, "dim"))
    out.print(grid)
    out.print(citation_line(fact, article))
    out.print(quote_text(fact.source.quote, fact.text))
    if also:
        out.print(text("also: " + ", ".join(f"{f.id} ({f.text})" for f in also), "dim"))


class CountRow(NamedTuple):
    key: str
    label: str
    label_en: str
    aliases: tuple[str, ...]
    count: int
    total: int
    within: str = ""


def topic_rows(topics: Iterable[Topic], counts: dict[str, int]) -> list[CountRow]:
    return [CountRow(t.id, t.label, t.label_en, t.aliases, counts.get(t.id, 0), counts.get(t.id, 0)) for t in topics]


def place_rows(places: Sequence[Place], counts: dict[str, int], chains: dict[str, list[str]]) -> list[CountRow]:
    totals = {p.name: 0 for p in places}
    for name, n in counts.items():
        for outer in chains.get(name, [name]):
            if outer in totals:
                totals[outer] += n
    return [CountRow(p.name, p.name, p.label_en, p.aliases, counts.get(p.name, 0), totals[p.name], p.within)
            for p in places]


def print_counts(rows: Sequence[CountRow], *, kind: str) -> None:
    from rich.table import Table

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
    for r in rows:
        cells = [text(r.key)] + ([text(r.label)] if kind == "topic" else []) + [text(r.label_en)]
        if kind == "place":
            cells += [text(r.within or "—"), text(r.count), text(r.total)]
        else:
            cells.append(text(r.count))
        table.add_row(*cells)
    console().print(table)


def count_objects(rows: Sequence[CountRow], *, kind: str) -> list[dict]:
    out = []
    for r in rows:
        if kind == "topic":
            out.append({"id": r.key, "label": r.label, "label_en": r.label_en, "aliases": list(r.aliases),
                        "facts": r.count})
        else:
            out.append({"name": r.key, "label_en": r.label_en, "aliases": list(r.aliases), "within": r.within,
                        "facts": r.count, "facts_within": r.total})
    return out


def article_object(article: Article, facts: Sequence[Fact]) -> dict:
    by_paragraph: dict[int, list[str]] = {}
    for f in facts:
        by_paragraph.setdefault(f.source.paragraph, []).append(f.id)
    return {
        "id": article.id,
        "title": article.title,
        "title_en": article.title_en,
        "byline": article.byline,
        "kind": article.kind,
        "section": article.section,
        "topic": article.topic,
        "title_facts": by_paragraph.get(0, []),
        "paragraphs": [{"number": n, "text": p, "facts": by_paragraph.get(n, [])}
                       for n, p in enumerate(article.paragraphs, 1)],
    }


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


def print_article(article: Article, facts: Sequence[Fact]) -> None:
    out = console()
    by_paragraph: dict[int, list[Fact]] = {}
    for f in facts:
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


def print_chart(facts: Sequence[Fact], unit: str) -> None:
    """Facts of one unit as labelled bars, scaled to the largest, with each figure as written."""
    from rich import box
    from rich.table import Table

    from yanbian_cli.units import UNITS, amount_en, convert

    values = [convert(float(f.value), f.unit, unit) for f in facts]  # type: ignore[arg-type]
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
