"""The reporter's commands: stat, search, list, source, topics, places, cite, pick, chart, export.

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
    LangOpt,
    OutputOpt,
    PlaceOpt,
    StrictOpt,
    TopicOpt,
    ask,
    choices,
    command,
    completer,
    examples,
    open_base,
    show,
)

UNITS = ("ha", "km2", "m2", "mu", "t", "kg", "jin", "m", "km", "MW", "kW")
UnitOpt = Annotated[Optional[str], typer.Option(
    "--unit", help="Also give the figure in this unit: ha, km2, m2, mu (areas), t, kg, jin (weights), m, km "
    "(lengths), MW, kW (power).", autocompletion=choices(*UNITS), show_default=False)]


@command(epilog=examples("yb stat ginseng-suitable-area", "yb stat ginseng area", "yb stat 인삼 면적 --json",
                         "yb stat ginseng-fresh-output-2021 --unit t --value"))
def stat(
    ctx: typer.Context,
    key: KeyArg,
    strict: StrictOpt = False,
    value: Annotated[bool, typer.Option("--value", help="Print only the value, for $(yb stat KEY --value).")] = False,
    unit: UnitOpt = None,
    lang: LangOpt = None,
    json_output: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Show one fact with its source: an exact id; a metric, as its latest figure with the series; else
    the fact that answers the words given.

    A key that is not an id names the fact that best answers every word of it, and yb says on
    stderr which fact it took and why; when no fact answers, it says so and exits 1.
    """
    from yanbian_cli import lookup

    text = lookup.check_query(key)
    show(ask(ctx, data, lambda base: lookup.stat(base, text, strict=strict, unit=unit, lang=lang)), json_output,
         value_only=value)


@command(epilog=examples("yb search 蓝莓", "yb search ginseng area", "yb search renshen mianji",
                         "yb search 룡정 간부", "yb search 面积 --topic ginseng", "yb search 98.1% --json",
                         "yb search 延吉 蓝莓 人口 --partial"))
def search(
    ctx: typer.Context,
    query: Annotated[list[str], typer.Argument(help="Words in Chinese, English, pinyin or Korean; or a figure.",
                                               metavar="QUERY...", show_default=False)],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Show at most this many facts (default 10).")]
    = 10,
    topic: TopicOpt = None,
    place: PlaceOpt = None,
    explain: Annotated[bool, typer.Option("--explain", help="Show which field matched each word, and its score.")]
    = False,
    partial: Annotated[bool, typer.Option("--partial", help="Also list the facts that answer only part of the query, "
                                          "each marked with the words it does not answer.")] = False,
    lang: LangOpt = None,
    json_output: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Find the facts that answer a query, best first.

    A fact answers when every word asked about is found in it (question words such as 多少,
    how many or 몇 only say which kind of figure is wanted). When none does, yb says what the
    page says nothing about, and exits 1. Results show the labels and figures in the language
    of the query (--lang to choose); the figure as printed is always shown.
    """
    from yanbian_cli import lookup

    text = lookup.check_query(query)
    show(ask(ctx, data, lambda base: lookup.find(base, text, limit=limit, topic=topic, place=place,
                                                explain=explain, partial=partial, lang=lang)), json_output)


@command("list", epilog=examples("yb list", "yb list --topic ginseng", "yb list --place 연길 --lang ko",
                                 "yb list --article tumen --json"))
def list_(
    ctx: typer.Context,
    topic: TopicOpt = None,
    place: PlaceOpt = None,
    article: ArticleOpt = None,
    lang: LangOpt = None,
    json_output: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """List all facts, in the order of the fact file (--lang for English or Korean labels)."""
    from yanbian_cli import lookup

    show(ask(ctx, data, lambda base: lookup.listing(base, topic=topic, place=place, article=article, lang=lang)),
         json_output)


@command(epilog=examples("yb source ginseng", "yb source dunhua --json"))
def source(
    ctx: typer.Context,
    article: Annotated[str, typer.Argument(help="Article id (see 'yb list' or 'yb topics').", show_default=False,
                                           autocompletion=completer("article"))],
    json_output: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Show an article: title, byline and paragraphs, with every cited figure marked."""
    from yanbian_cli import lookup

    show(ask(ctx, data, lambda base: lookup.article(base, article)), json_output)


@command(epilog=examples("yb topics", "yb topics --json"))
def topics(ctx: typer.Context, json_output: JsonOpt = False, data: DataOpt = None) -> None:
    """List the topics, with how many facts each has."""
    from yanbian_cli import lookup

    show(ask(ctx, data, lambda base: lookup.topics(base)), json_output)


@command(epilog=examples("yb places", "yb places --json"))
def places(ctx: typer.Context, json_output: JsonOpt = False, data: DataOpt = None) -> None:
    """List the places, with how many facts are about each (and about the places within it)."""
    from yanbian_cli import lookup

    show(ask(ctx, data, lambda base: lookup.places(base)), json_output)


@command(epilog=examples("yb cite ginseng-suitable-area", "yb cite yanji air quality ratio",
                         "yb cite ginseng-suitable-area --lang ko", "yb cite yanji-good-air-days-2021 --markdown",
                         "yb cite ginseng-suitable-area --json"))
def cite(
    ctx: typer.Context,
    key: KeyArg,
    lang: LangOpt = None,
    markdown: Annotated[bool, typer.Option("--markdown", help="Markdown: the page's sentence as a block quote.")]
    = False,
    strict: StrictOpt = False,
    json_output: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Print a ready-to-paste attribution of a fact, in Chinese, English or Korean.

    Chinese quotes the page's sentence as the Chinese press attributes it (据延边日报2022年《标题》(记者)报道,…);
    English and Korean give the figure once, in a sentence of their own (연변일보 … 보도에 따르면 …). The page prints neither the paper's name nor its date: the citation takes them
    from the fact file's [publication] table and ends with a short note that they are inferred. The
    language is the key's (Chinese for an exact id) unless --lang says.
    """
    from yanbian_cli import lookup

    text = lookup.check_query(key)
    show(ask(ctx, data, lambda base: lookup.cite(base, text, lang=lang, markdown=markdown, strict=strict)),
         json_output)


@command(epilog=examples("yb pick", "yb pick 人参 面积", 'yb cite "$(yb pick)"', "yb pick --lang en"))
def pick(
    ctx: typer.Context,
    query: Annotated[Optional[list[str]], typer.Argument(help="Words to start with (the picker's query line).",
                                                         metavar="[QUERY...]", show_default=False)] = None,
    lang: LangOpt = None,
    data: DataOpt = None,
) -> None:
    """Choose a fact interactively and print its id, figure, citation or JSON.

    Type to search (the engine of `yb search`, at every key), move with the arrow keys, and read
    the fact, its figure in the language of the query, the sentence and the citation in the
    preview. Enter prints the id; Ctrl+F the figure; Ctrl+O the citation; Ctrl+T the JSON
    object; Esc leaves printing nothing (exit 1). The picker draws on the terminal through stderr,
    so its answer composes with the shell. Needs a terminal (exit 2 otherwise).
    """
    import sys

    from yanbian_cli.errors import ExitCode, UsageError
    from yanbian_cli.render.safe import write_line

    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        raise UsageError("yb pick needs a terminal (stdin and stderr); use yb search in scripts")
    base = open_base(ctx, data)
    from yanbian_cli import pick as picker  # Textual is loaded for this command only

    picked = picker.run(base, " ".join(query or []), lang)
    if not picked.text:
        raise typer.Exit(ExitCode.NOT_FOUND)
    write_line(picked.text)


@command(epilog=examples("yb chart --topic ginseng --unit mu", "yb chart dundong-park-investment yanji-ginseng-park-investment",
                         "yb chart --place 龙井 --unit CNY --json"))
def chart(
    ctx: typer.Context,
    keys: Annotated[Optional[list[str]], typer.Argument(help="Fact ids, or words that name a fact each (quoted), "
                                                        "to chart; they must share a unit.", metavar="[KEY...]",
                                                        show_default=False, autocompletion=completer("fact"))] = None,
    topic: TopicOpt = None,
    place: PlaceOpt = None,
    unit: Annotated[Optional[str], typer.Option("--unit", help="Chart the facts in this unit (areas and weights are "
                                                "converted).", autocompletion=choices(*UNITS, "CNY", "percent"))]
    = None,
    json_output: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Draw a bar chart of figures that share a unit, scaled to the largest, with the figures as written.

    Takes fact ids, or words that name a fact each ("ginseng area" "rice area", quoted); refuses
    figures of different units (use --unit to choose), and dates or ordinals.
    """
    from yanbian_cli import lookup

    show(ask(ctx, data, lambda base: lookup.chart(base, keys or [], topic=topic, place=place, unit=unit)),
         json_output)


@command(epilog=examples("yb export --format csv --bom -o facts.csv", "yb export --format ndjson",
                         "yb export --format markdown --topic ginseng",
                         "yb export --format toml -o ginseng.toml --topic ginseng",
                         "yb export --format sqlite -o facts.db && datasette facts.db -m facts.metadata.json"))
def export(
    ctx: typer.Context,
    format: Annotated[str, typer.Option("--format", "-f", help="csv, tsv, ndjson, markdown, toml or sqlite.",
                                        autocompletion=choices("csv", "tsv", "ndjson", "markdown", "toml",
                                                               "sqlite"))] = "csv",
    output: OutputOpt = None,
    force: ForceOpt = False,
    bom: Annotated[bool, typer.Option("--bom", help="Start CSV/TSV with a UTF-8 byte-order mark, for Excel.")] = False,
    topic: TopicOpt = None,
    place: PlaceOpt = None,
    article: ArticleOpt = None,
    data: DataOpt = None,
) -> None:
    """Export the facts (all, or filtered) as CSV/TSV, NDJSON, a Markdown table, a fact file (TOML) or a
    SQLite database.

    NDJSON holds one --json fact object a line, for bulk loading into a search engine; TOML is a
    self-contained fact file (articles inline) that `yb check` accepts. A CSV/TSV cell that a
    spreadsheet would run as a formula starts with an apostrophe. SQLite needs -o FILE.db and
    writes FILE.metadata.json beside it, for Datasette (datasette FILE.db -m FILE.metadata.json).
    """
    from yanbian_cli import __version__, lookup
    from yanbian_cli.text import visible

    base = open_base(ctx, data)
    result = lookup.export(base, format, bom=bom, topic=topic, place=place, article=article)
    if format == "sqlite":
        from yanbian_cli import export_sqlite
        from yanbian_cli.files import names_own_output
        from yanbian_cli.render.safe import note

        to_file = output is not None and not names_own_output(output)  # (a database is no stream)
        done = export_sqlite.write(result, Path(output) if to_file and output else None, force=force,
                                   protected=base.store.source_files())
        note(f"wrote {done.database} ({done.facts} facts) and {done.metadata}; "
             f"browse with: datasette {done.database} -m {done.metadata}")
        if not done.search:
            note("this Python's SQLite has no FTS5: the database has no full-text search")
        return
    from yanbian_cli.export import render

    text = render(result, header=f"# Exported by yb {__version__} from {visible(base.store.fact_file())}\n")
    write(text, output, force, base.store.source_files(), json=format == "ndjson")


def write(text: str, output: Optional[str], force: bool, protected: set, json: bool = False) -> bool:
    """Data to stdout (exact into a file or pipe, made safe on a terminal), or to the file -o names (`-`, or a
    name of stdout itself, is stdout); True when it went to stdout."""
    from yanbian_cli.files import names_own_output

    if output is None or names_own_output(output):
        from yanbian_cli.render.safe import write_data

        write_data(text, json=json)
        return True
    from yanbian_cli.files import write_new

    write_new(Path(output), text, force=force, protected=protected)
    return False
