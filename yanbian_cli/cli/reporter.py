"""The reporter's commands: stat, search, list, source, topics, places, cite, chart, export.

Each parses its arguments, asks `lookup` and hands the result to `show`.
(No `from __future__ import annotations`: see common.py.)
"""

from pathlib import Path
from typing import Annotated, Optional

import typer

from yanbian_cli.cli.common import (
    ArticleOpt,
    DataOpt,
    ForceOpt,
    JsonOpt,
    KeyArg,
    OutputOpt,
    PlaceOpt,
    StrictOpt,
    TopicOpt,
    command,
    completer,
    open_base,
    show,
)


@command(epilog="Examples:  yb stat ginseng-area  ·  yb stat ginseng-suitable-area --strict --value  ·  "
                "yb stat 蓝莓 --json")
def stat(
    ctx: typer.Context,
    key: KeyArg,
    strict: StrictOpt = False,
    value: Annotated[bool, typer.Option("--value", help="Print only the value, for $(yb stat KEY --value).")] = False,
    unit: Annotated[Optional[str], typer.Option("--unit", help="Also give the figure in this unit: ha, km2, m2, mu "
                                                "(areas), t, kg, jin (weights), m, km (lengths), MW, kW (power).")]
    = None,
    json_output: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Show one fact with its source: an exact id wins, otherwise the best match."""
    from yanbian_cli import lookup

    key = lookup.check_query([key])
    show(lookup.stat(open_base(ctx, data), key, strict=strict, unit=unit), json_output, value_only=value)


@command(epilog="Examples:  yb search 蓝莓  ·  yb search ginseng area  ·  yb search renshen  ·  "
                "yb search 面积 --topic ginseng  ·  yb search 98.1% --json")
def search(
    ctx: typer.Context,
    query: Annotated[list[str], typer.Argument(help="Words in Chinese, English, pinyin or Korean; or a number.",
                                               show_default=False)],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Show at most this many facts.")] = 10,
    topic: TopicOpt = None,
    place: PlaceOpt = None,
    explain: Annotated[bool, typer.Option("--explain", help="Show which field matched each word, and its score.")]
    = False,
    partial: Annotated[bool, typer.Option("--partial", help="Also list the facts that answer only part of the query, "
                                          "each marked with the words it does not answer.")] = False,
    json_output: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Find the facts that answer a query, best first.

    A fact answers when every word asked about is found in it (question words such as
    多少, how many or 몇 only say which kind of figure is wanted). When none does, yb says
    what the page says nothing about, and exits 1.
    """
    from yanbian_cli import lookup

    text = lookup.check_query(query)
    show(lookup.find(open_base(ctx, data), text, limit=limit, topic=topic, place=place, explain=explain,
                     partial=partial), json_output)


@command("list", epilog="Examples:  yb list  ·  yb list --topic ginseng  ·  yb list --place 延吉市 --json")
def list_(
    ctx: typer.Context,
    topic: TopicOpt = None,
    place: PlaceOpt = None,
    article: ArticleOpt = None,
    json_output: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """List all facts, in the order of the fact file."""
    from yanbian_cli import lookup

    show(lookup.listing(open_base(ctx, data), topic=topic, place=place, article=article), json_output)


@command(epilog="Examples:  yb source ginseng  ·  yb source dunhua --json")
def source(
    ctx: typer.Context,
    article: Annotated[str, typer.Argument(help="Article id (see 'yb list' or 'yb topics').", show_default=False,
                                           autocompletion=completer("article"))],
    json_output: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Show an article: title, byline and paragraphs, with every cited figure marked."""
    from yanbian_cli import lookup

    show(lookup.article(open_base(ctx, data), article), json_output)


@command(epilog="Examples:  yb topics  ·  yb topics --json")
def topics(ctx: typer.Context, json_output: JsonOpt = False, data: DataOpt = None) -> None:
    """List the topics, with how many facts each has."""
    from yanbian_cli import lookup

    show(lookup.topics(open_base(ctx, data)), json_output)


@command(epilog="Examples:  yb places  ·  yb places --json")
def places(ctx: typer.Context, json_output: JsonOpt = False, data: DataOpt = None) -> None:
    """List the places, with how many facts are about each (and about the places within it)."""
    from yanbian_cli import lookup

    show(lookup.places(open_base(ctx, data)), json_output)


@command(epilog="Examples:  yb cite ginseng-suitable-area  ·  yb cite ginseng-area --lang en  ·  "
                "yb cite yanji-good-air-days-2021 --markdown")
def cite(
    ctx: typer.Context,
    key: KeyArg,
    lang: Annotated[str, typer.Option("--lang", help="zh: 据《标题》(记者)报道,…; en: a sentence with the figure in "
                                      "English.")] = "zh",
    markdown: Annotated[bool, typer.Option("--markdown", help="Markdown, with the quote as a block quote.")] = False,
    strict: StrictOpt = False,
    data: DataOpt = None,
) -> None:
    """Print a ready-to-paste attribution of a fact: the sentence, its article, byline and paragraph.

    The page does not print the paper's name or date; the citation gives them from the
    fact file's [publication] table and says they are inferred.
    """
    from yanbian_cli import lookup

    key = lookup.check_query([key])
    show(lookup.cite(open_base(ctx, data), key, lang=lang, markdown=markdown, strict=strict))


@command(epilog="Examples:  yb chart --topic ginseng --unit mu  ·  "
                "yb chart dundong-park-investment yanji-ginseng-park-investment  ·  "
                "yb chart longjing-village-collective-income-2015 longjing-village-collective-income-now")
def chart(
    ctx: typer.Context,
    keys: Annotated[Optional[list[str]], typer.Argument(help="Fact ids to chart (they must share a unit).",
                                                        show_default=False, autocompletion=completer("fact"))] = None,
    topic: TopicOpt = None,
    place: PlaceOpt = None,
    unit: Annotated[Optional[str], typer.Option("--unit", help="Chart the facts in this unit (areas and weights are "
                                                "converted).")] = None,
    json_output: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Draw a bar chart of figures that share a unit, scaled to the largest, with the figures as written.

    Refuses figures of different units (use --unit to choose), and dates or ordinals.
    """
    from yanbian_cli import lookup

    show(lookup.chart(open_base(ctx, data), keys or [], topic=topic, place=place, unit=unit), json_output)


@command(epilog="Examples:  yb export --format csv --bom -o facts.csv  ·  yb export --format ndjson  ·  "
                "yb export --format markdown --topic ginseng  ·  yb export --format toml -o ginseng.toml --topic ginseng")
def export(
    ctx: typer.Context,
    format: Annotated[str, typer.Option("--format", "-f", help="csv, tsv, ndjson, markdown or toml.")] = "csv",
    output: OutputOpt = None,
    force: ForceOpt = False,
    bom: Annotated[bool, typer.Option("--bom", help="Start CSV/TSV with a UTF-8 byte-order mark, for Excel.")] = False,
    topic: TopicOpt = None,
    place: PlaceOpt = None,
    article: ArticleOpt = None,
    data: DataOpt = None,
) -> None:
    """Export the facts (all, or filtered) as CSV/TSV, NDJSON, a Markdown table or a fact file (TOML).

    NDJSON holds one --json fact object a line, for bulk loading into a search engine;
    TOML is a self-contained fact file (articles inline) that `yb check` accepts.
    """
    from yanbian_cli import __version__, lookup
    from yanbian_cli.export import render
    from yanbian_cli.text import visible

    base = open_base(ctx, data)
    result = lookup.export(base, format, bom=bom, topic=topic, place=place, article=article)
    text = render(result, header=f"# Exported by yb {__version__} from {visible(base.store.fact_file())}\n")
    write(text, output, force, base.store.source_files())


def write(text: str, output: Optional[str], force: bool, protected: set) -> None:
    """Data to stdout (exact into a file or pipe, made safe on a terminal), or to the file -o names."""
    if output is None:
        from yanbian_cli.render.safe import write_data

        write_data(text)
    else:
        from yanbian_cli.files import write_new

        write_new(Path(output), text, force=force, protected=protected)
