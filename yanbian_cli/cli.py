"""The `yb` command line: the only module that imports typer.

Each command parses its arguments, asks `lookup` (or `loader`) for a typed
result and hands it to `render`. Errors a user can cause arrive as `YbError`
and leave through one boundary (`_command`): one line on stderr and the
error's exit code.

No `from __future__ import annotations` here: typer would have to evaluate every
annotation string on every call (a few milliseconds of start-up).
"""

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from yanbian_cli import __version__
from yanbian_cli.errors import ExitCode, NotFoundError, YbError

_APP_SETTINGS: dict[str, Any] = dict(
    name="yb",
    help="Look up the figures of a page of the Yanbian daily paper, with the sentence that states each one.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)
app = typer.Typer(**_APP_SETTINGS)
# name -> (function, decorator arguments): lets `main` build a group holding only the command
# that was asked for, instead of all of them (typer inspects every command it builds).
_COMMANDS: dict[str, tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]] = {}

# -- shared options --------------------------------------------------------------------

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (UTF-8) for scripts instead of tables.")]
DataOpt = Annotated[
    Optional[str],
    typer.Option("--data", metavar="PATH", help="Fact file (or its folder) to use instead of the shipped base. "
                 "Also read from $YB_DATA.", show_default=False),
]


def _completer(kind: str) -> Callable[..., list[str]]:
    """Shell completion of fact ids, article ids, topics or places, read from the (cached) index."""

    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        try:
            root = ctx.find_root()
            data = ctx.params.get("data") or root.params.get("data")
            from yanbian_cli.index import open_index
            from yanbian_cli.locations import data_path

            idx = open_index(data_path(data, os.environ), os.environ)
            names = {"fact": idx.fact_ids, "article": lambda: [a.id for a in idx.articles()],
                     "topic": lambda: [t.id for t in idx.topics()],
                     "place": lambda: [p.name for p in idx.places()]}[kind]()
            return [n for n in names if n.startswith(incomplete)]
        except Exception:  # completion must never print a traceback into the shell
            return []

    return complete


TopicOpt = Annotated[Optional[str], typer.Option("--topic", help="Only facts of this topic (id, label or alias).",
                                                 autocompletion=_completer("topic"))]
PlaceOpt = Annotated[
    Optional[str], typer.Option("--place", help="Only facts about this place or places within it (name or alias).",
                                autocompletion=_completer("place"))
]
ArticleOpt = Annotated[Optional[str], typer.Option("--article", help="Only facts cited from this article id.",
                                                   autocompletion=_completer("article"))]
KeyArg = Annotated[str, typer.Argument(help="A fact id, or words that name a fact (fuzzy).", show_default=False,
                                       autocompletion=_completer("fact"))]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Accept only an exact fact id.")]


def _fail(message: str, code: int) -> None:
    sys.stderr.write(f"yb: {_safe(message)}\n")
    sys.stderr.flush()
    raise typer.Exit(code)


def _pipe_closed() -> None:
    """The reader of our output went away (`yb list | head`): stop quietly."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    raise typer.Exit(ExitCode.OK)


def _command(*args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a command whose YbError becomes one stderr line and its exit code."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def guarded(*a: Any, **k: Any) -> Any:
            try:
                return fn(*a, **k)
            except YbError as exc:
                _fail(str(exc), exc.code)
            except BrokenPipeError:
                _pipe_closed()
            except KeyboardInterrupt:
                _fail("interrupted", 130)

        _COMMANDS[args[0] if args else fn.__name__] = (guarded, args, kwargs)
        return app.command(*args, **kwargs)(guarded)

    return register


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"yb {__version__}\n")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    data: DataOpt = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Look up the figures of a page of the Yanbian daily paper, with the sentence that states each one.

    Exit codes: 0 found, 1 nothing matched, 2 usage error, 3 invalid data.
    """
    ctx.obj = {"data": data}


def _data_path(ctx: typer.Context, data: Optional[str]) -> Path:
    from yanbian_cli.locations import data_path

    return data_path(data or (ctx.obj or {}).get("data"), os.environ)


def _index(ctx: typer.Context, data: Optional[str]):  # -> index.Index
    from yanbian_cli.index import open_index

    return open_index(_data_path(ctx, data), os.environ)


# -- commands --------------------------------------------------------------------------


@_command(epilog="Examples:  yb stat ginseng-area  ·  yb stat ginseng-suitable-area --strict --value  ·  "
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
    result = lookup.stat(_index(ctx, data), key, strict=strict)
    fact, article = result.hit.fact, result.hit.article
    converted = lookup.convert(fact, unit) if unit else None
    if value:
        shown = converted.value if converted else fact.value
        sys.stdout.write(f"{_safe(_plain_value(shown))}\n")
    elif json_output:
        from yanbian_cli.render import fact_object, write_json

        obj = fact_object(fact, article)
        if converted:
            obj["converted"] = converted._asdict()
        write_json(obj)
    else:
        from yanbian_cli.render import print_stat

        note = "" if result.exact else f"best match for {key!r}:"
        print_stat(fact, article, also=result.also, note=note, converted=converted)


def _plain_value(value: object) -> str:
    if isinstance(value, float):
        from yanbian_cli.search import decimal_text

        return decimal_text(value)
    return str(value)


@_command(epilog="Examples:  yb search 蓝莓  ·  yb search ginseng area  ·  yb search renshen  ·  "
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
    json_output: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Find facts: ranked by how well they match, best first."""
    from yanbian_cli import lookup

    text = lookup.check_query(query)
    try:
        hits = lookup.find(_index(ctx, data), text, limit=limit, topic=topic, place=place)
    except NotFoundError:
        if json_output:  # a script still gets JSON: an empty list
            sys.stdout.write("[]\n")
        raise
    if json_output:
        from yanbian_cli.render import fact_object, write_json

        objects = []
        for h in hits:
            obj = {**fact_object(h.fact, h.article), "score": round(h.match.score, 1) if h.match else None}
            if explain and h.match:
                obj["explain"] = [{"typed": p.typed, "field": p.field, "matched": p.matched, "how": p.how,
                                   "score": round(p.score, 1)} for p in h.match.parts]
            objects.append(obj)
        write_json(objects)
    else:
        from yanbian_cli.render import print_facts

        print_facts([(h.fact, h.match) for h in hits], explain=explain)


@_command("list", epilog="Examples:  yb list  ·  yb list --topic ginseng  ·  yb list --place 延吉市 --json")
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

    hits = lookup.facts(_index(ctx, data), topic=topic, place=place, article=article)
    if not hits:
        if json_output:
            sys.stdout.write("[]\n")
        raise NotFoundError("no fact matches these filters")
    if json_output:
        from yanbian_cli.render import fact_object, write_json

        write_json([fact_object(h.fact, h.article) for h in hits])
    else:
        from yanbian_cli.render import print_facts

        print_facts([(h.fact, None) for h in hits], caption=f"{len(hits)} facts")


@_command(epilog="Examples:  yb source ginseng  ·  yb source dunhua --json")
def source(
    ctx: typer.Context,
    article: Annotated[str, typer.Argument(help="Article id (see 'yb list' or 'yb topics').", show_default=False,
                                           autocompletion=_completer("article"))],
    json_output: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Show an article: title, byline and paragraphs, with every cited figure marked."""
    from yanbian_cli import lookup

    index = _index(ctx, data)
    found, cited = lookup.article(index, article)
    if json_output:
        from yanbian_cli.render import article_object, write_json

        write_json(article_object(found, cited))
    else:
        from yanbian_cli.render import print_article

        print_article(found, cited)


@_command(epilog="Examples:  yb topics  ·  yb topics --json")
def topics(ctx: typer.Context, json_output: JsonOpt = False, data: DataOpt = None) -> None:
    """List the topics, with how many facts each has."""
    from yanbian_cli.render import count_objects, print_counts, topic_rows, write_json

    index = _index(ctx, data)
    rows = topic_rows(index.topics(), index.counts("topic"))
    write_json(count_objects(rows, kind="topic")) if json_output else print_counts(rows, kind="topic")


@_command(epilog="Examples:  yb places  ·  yb places --json")
def places(ctx: typer.Context, json_output: JsonOpt = False, data: DataOpt = None) -> None:
    """List the places, with how many facts are about each (and about the places within it)."""
    from yanbian_cli.render import count_objects, place_rows, print_counts, write_json

    index = _index(ctx, data)
    all_places = index.places()
    chains = {p.name: index.place_chain(p.name) for p in all_places}
    rows = place_rows(all_places, index.counts("place"), chains)
    write_json(count_objects(rows, kind="place")) if json_output else print_counts(rows, kind="place")


@_command(epilog="Examples:  yb check  ·  yb check --data my/facts.toml  ·  yb check --json")
def check(
    ctx: typer.Context,
    path: Annotated[Optional[str], typer.Argument(help="Fact file to check (default: --data, $YB_DATA or the "
                                                       "shipped base).", show_default=False)] = None,
    drafts: Annotated[bool, typer.Option("--drafts", help="Accept facts marked draft = true (yb extract writes them).")]
    = False,
    json_output: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Validate a fact file and its articles; list every problem with its place.

    Exit 0 when the file is clean, 3 when it has problems.
    """
    from yanbian_cli.loader import check as check_file
    from yanbian_cli.loader import shown_path

    target = _data_path(ctx, path or data)  # a folder stands for the facts.toml inside it
    base, problems = check_file(target, allow_drafts=drafts)
    shown = shown_path(target)
    if json_output:
        from yanbian_cli.render import write_json

        write_json({"file": shown, "problems": [p.__dict__ for p in problems],
                    "facts": len(base.facts) if base else None, "articles": len(base.articles) if base else None})
    else:
        for p in problems:
            sys.stdout.write(f"{_safe(str(p))}\n")
        if base is not None:
            n_drafts = sum(f.draft for f in base.facts)
            drafted = f" ({n_drafts} drafts)" if n_drafts else ""
            sys.stdout.write(f"{_safe(shown)}: ok: {len(base.facts)} facts{drafted}, {len(base.articles)} articles, "
                             f"0 problems\n")
        else:
            sys.stdout.write(f"{_safe(shown)}: {len(problems)} problem{'s' if len(problems) != 1 else ''}\n")
    if problems:
        raise typer.Exit(ExitCode.INVALID_DATA)


@_command(epilog="Examples:  yb cite ginseng-suitable-area  ·  yb cite ginseng-area --lang en  ·  "
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
    from yanbian_cli.cite import LANGS
    from yanbian_cli.cite import cite as make_citation
    from yanbian_cli.errors import UsageError

    if lang not in LANGS:
        raise UsageError(f"unknown --lang {lang!r} (choose: {', '.join(LANGS)})")
    index = _index(ctx, data)
    result = lookup.stat(index, lookup.check_query([key]), strict=strict)
    article = result.hit.article
    if article is None:  # pragma: no cover - a valid base cites only its own articles
        raise UsageError(f"fact {result.hit.fact.id} cites an unknown article")
    sys.stdout.write(_safe_lines(make_citation(result.hit.fact, article, index.publication, lang, markdown)) + "\n")


def _safe_lines(text: str) -> str:
    """`_safe` for text of several lines (tabs and line breaks are kept)."""
    return "\n".join("\t".join(_safe(cell) for cell in line.split("\t")) for line in text.split("\n"))


def _emit(text: str) -> None:
    """Write data (CSV, Markdown, TOML) to stdout: exact into a file or pipe, made safe on a terminal."""
    sys.stdout.write(_safe_lines(text.replace("\r\n", "\n")) if sys.stdout.isatty() else text)


@_command(epilog="Examples:  yb export --format csv --bom -o facts.csv  ·  yb export --format ndjson  ·  "
                 "yb export --format markdown --topic ginseng  ·  yb export --format toml -o ginseng.toml --topic ginseng")
def export(
    ctx: typer.Context,
    format: Annotated[str, typer.Option("--format", "-f", help="csv, tsv, ndjson, markdown or toml.")] = "csv",
    output: Annotated[Optional[str], typer.Option("--output", "-o", metavar="FILE",
                                                  help="Write to FILE (default: standard output).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
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
    from yanbian_cli import export as exporter
    from yanbian_cli import lookup
    from yanbian_cli.errors import UsageError

    if format not in exporter.FORMATS:
        raise UsageError(f"unknown --format {format!r} (choose: {', '.join(exporter.FORMATS)})")
    index = _index(ctx, data)
    hits = lookup.facts(index, topic=topic, place=place, article=article)
    rows = [(h.fact, h.article) for h in hits]
    if format in ("csv", "tsv"):
        text = ("\ufeff" if bom else "") + exporter.to_delimited(rows, "," if format == "csv" else "\t")
    elif format == "ndjson":
        from yanbian_cli.render import fact_object

        text = exporter.to_ndjson([fact_object(f, a) for f, a in rows])
    elif format == "markdown":
        text = exporter.to_markdown(rows)
    else:
        articles = {a.id: a for a in index.articles()}
        text = exporter.to_toml([h.fact for h in hits], articles, {t.id: t for t in index.topics()},
                                {p.name: p for p in index.places()}, index.publication,
                                header=f"# Exported by yb {__version__} from {index.meta('fact_file')}\n")
    if output is None:
        _emit(text)
    else:
        _write_new(Path(output), text, force, index.source_files())


def _write_new(path: Path, text: str, force: bool, protected: set[str]) -> None:
    """Write a file yb creates: an existing file only with --force, a source of the fact base never.

    The text goes to a temporary file first, renamed into place (through a symlink, to
    the file it points to), so a failed or interrupted write leaves nothing half-written.
    """
    from yanbian_cli.errors import UsageError

    target = path.resolve()
    if str(target) in protected:
        raise UsageError(f"{path} is a source file of the fact base; yb does not write to it")
    if target.is_dir():
        raise UsageError(f"{path} is a folder")
    if target.exists() and not force:
        raise UsageError(f"{path} exists; add --force to overwrite it")
    tmp = target.with_name(target.name + ".yb-tmp")
    try:
        tmp.write_text(text, encoding="utf-8", newline="")
        os.replace(tmp, target)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if tmp.exists():
            tmp.unlink()


@_command(epilog="Examples:  yb chart --topic ginseng --unit mu  ·  "
                 "yb chart dundong-park-investment yanji-ginseng-park-investment  ·  "
                 "yb chart longjing-village-collective-income-2015 longjing-village-collective-income-now")
def chart(
    ctx: typer.Context,
    keys: Annotated[Optional[list[str]], typer.Argument(help="Fact ids to chart (they must share a unit).",
                                                        show_default=False, autocompletion=_completer("fact"))] = None,
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

    index = _index(ctx, data)
    chosen, chart_unit = lookup.chart(index, keys or [], topic=topic, place=place, unit=unit)
    if json_output:
        from yanbian_cli.render import write_json
        from yanbian_cli.units import convert

        write_json([{"id": f.id, "label": f.label, "text": f.text, "unit": chart_unit,
                     "value": convert(float(f.value), f.unit, chart_unit)} for f in chosen])  # type: ignore[arg-type]
    else:
        from yanbian_cli.render import print_chart

        print_chart(chosen, chart_unit)


@_command(epilog="Examples:  yb extract new-article.txt --article-id tourism -o drafts/tourism.toml  ·  "
                 "yb check --drafts drafts/tourism.toml")
def extract(
    ctx: typer.Context,
    article_file: Annotated[str, typer.Argument(metavar="ARTICLE.txt", help="The article: UTF-8 text, one paragraph "
                                                "a line or paragraphs separated by blank lines.", show_default=False)],
    article_id: Annotated[Optional[str], typer.Option("--article-id", help="Id for the article (default: from the "
                                                      "file name).")] = None,
    topic: TopicOpt = None,
    output: Annotated[Optional[str], typer.Option("--output", "-o", metavar="FILE",
                                                  help="Write the draft to FILE (default: standard output).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
    data: DataOpt = None,
) -> None:
    """Propose draft facts for every figure in a new article, for a person to review.

    Writes a fact file (the article inline) whose facts are marked draft = true, with the
    figure as written, its value, unit and qualifier, the clause around it as the quote, a
    label from the words before it, and the period and place the sentence names (places
    known to the fact base). `yb check --drafts FILE` validates it.
    """
    from yanbian_cli import extract as extractor
    from yanbian_cli import lookup

    index = _index(ctx, data)
    topic_id = lookup.resolve(index, "topic", topic) if topic else None
    source_path = Path(article_file)
    out, drafts, paragraphs = extractor.draft_file(
        extractor.read_text_file(source_path), source_path.name,
        extractor.article_id_for(source_path, article_id), places=index.places(), topics=index.topics(),
        topic=topic_id)
    if output is None:
        _emit(out)
    else:
        _write_new(Path(output), out, force, index.source_files())
        sys.stdout.write(f"{output}: {drafts} draft facts from {paragraphs} paragraphs\n")


@_command("index", epilog="Examples:  yb index  ·  yb index --rebuild  ·  yb index --clear  ·  yb index --json")
def index_(
    ctx: typer.Context,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Build the index again now.")] = False,
    clear: Annotated[bool, typer.Option("--clear", help="Delete the cached index (the next call rebuilds it).")]
    = False,
    json_output: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Show where the compiled index of the fact file is cached, its size and age; rebuild or clear it.

    The index is rebuilt by itself whenever a source file changes; these options are for
    when you want it done now, or gone.
    """
    from yanbian_cli import index as index_module

    fact_file = _data_path(ctx, data)
    if clear:
        index_module.clear(fact_file, os.environ)
    if rebuild:
        index_module.open_index(fact_file, os.environ, rebuild=True).close()
    st = index_module.status(fact_file, os.environ)
    info = {"fact_file": str(st.fact_file), "cache_file": str(st.cache_file), "exists": st.exists, "fresh": st.fresh,
            "size": st.size, "built_at": st.built_at, "facts": st.facts}
    if json_output:
        from yanbian_cli.render import write_json

        write_json(info)
        return
    import time

    age = "—"
    if st.built_at:
        seconds = max(0, int(time.time() - st.built_at))
        ago = (f"{seconds} s" if seconds < 120 else f"{seconds // 60} min" if seconds < 7200
               else f"{seconds // 3600} h" if seconds < 172800 else f"{seconds // 86400} days")
        age = f"{time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(st.built_at))} ({ago} ago)"
    state = "current" if st.fresh else ("stale (rebuilt on next use)" if st.exists else "not built (built on next use)")
    lines = [("fact file", st.fact_file), ("index", st.cache_file), ("state", state),
             ("size", f"{st.size / 2**20:.1f} MB" if st.exists else "—"), ("built", age),
             ("facts", st.facts if st.fresh else "—")]
    sys.stdout.write("".join(f"{k:<10} {_safe(str(v))}\n" for k, v in lines))


def _safe(text: str) -> str:
    from yanbian_cli.render import safe

    return safe(text)


# -- entry point -----------------------------------------------------------------------


def _utf8_streams() -> None:
    """Chinese must print under LANG=C too: make stdout and stderr UTF-8."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", "") or "").lower().replace("_", "-")
        if encoding not in ("utf-8", "utf8") and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(encoding="utf-8")
            except (OSError, ValueError):  # pragma: no cover - a stream that cannot change
                pass


def _app_for(argv: list[str]) -> typer.Typer:
    """An app with only the command `argv` names; the full app for help, completion and mistakes."""
    name = None
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--data":
            skip = True
        elif not arg.startswith("-"):
            name = arg
            break
    if name not in _COMMANDS or "_YB_COMPLETE" in os.environ:
        return app
    fn, args, kwargs = _COMMANDS[name]
    small = typer.Typer(**_APP_SETTINGS)
    small.callback()(_main)
    small.command(*args, **kwargs)(fn)
    return small


def main(argv: Optional[list[str]] = None) -> None:
    """The `yb` console script."""
    _utf8_streams()
    argv = sys.argv[1:] if argv is None else list(argv)
    command = typer.main.get_command(_app_for(argv))
    try:
        code = command.main(args=argv, prog_name="yb", standalone_mode=False)
    except KeyboardInterrupt:
        sys.stderr.write("yb: interrupted\n")
        sys.exit(130)
    except Exception as exc:  # click's usage errors: duck-typed, typer does not export their base class
        if not (hasattr(exc, "format_message") and hasattr(exc, "exit_code")):
            raise
        ctx = getattr(exc, "ctx", None)
        if not exc.format_message() and ctx is not None:  # `yb` alone: show the help
            command.main(args=[*ctx.command_path.split()[1:], "--help"], prog_name="yb", standalone_mode=False)
            sys.exit(ExitCode.OK)
        where = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        sys.stderr.write(f"yb: {_safe(exc.format_message())}{where}\n")
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)


def run() -> None:
    """The console script: `main`, then leave at once.

    Once the answer is written and flushed there is nothing left to do, so the
    process ends with os._exit instead of tearing down every module and object
    (a few milliseconds of every call; `main` itself exits normally, for tests).
    """
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # the reader went away; nothing more to say
        pass
    os._exit(code)
