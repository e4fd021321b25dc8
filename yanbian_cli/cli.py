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
TopicOpt = Annotated[Optional[str], typer.Option("--topic", help="Only facts of this topic (id, label or alias).")]
PlaceOpt = Annotated[
    Optional[str], typer.Option("--place", help="Only facts about this place or places within it (name or alias).")
]


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
    key: Annotated[str, typer.Argument(help="A fact id, or words that name a fact (fuzzy).", show_default=False)],
    strict: Annotated[bool, typer.Option("--strict", help="Accept only an exact fact id.")] = False,
    value: Annotated[bool, typer.Option("--value", help="Print only the value, for $(yb stat KEY --value).")] = False,
    json_output: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Show one fact with its source: an exact id wins, otherwise the best match."""
    from yanbian_cli import lookup

    key = lookup.check_query([key])
    result = lookup.stat(_index(ctx, data), key, strict=strict)
    fact, article = result.hit.fact, result.hit.article
    if value:
        sys.stdout.write(f"{_safe(_plain_value(fact.value))}\n")
    elif json_output:
        from yanbian_cli.render import fact_object, write_json

        write_json(fact_object(fact, article))
    else:
        from yanbian_cli.render import print_stat

        note = "" if result.exact else f"best match for {key!r}:"
        print_stat(fact, article, also=result.also, note=note)


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
    article: Annotated[Optional[str], typer.Option("--article", help="Only facts cited from this article id.")]
    = None,
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
    article: Annotated[str, typer.Argument(help="Article id (see 'yb list' or 'yb topics').", show_default=False)],
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

        print_article(found, cited, index.publication)


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
    json_output: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Validate a fact file and its articles; list every problem with its place.

    Exit 0 when the file is clean, 3 when it has problems.
    """
    from yanbian_cli.loader import check as check_file

    target = Path(path) if path else _data_path(ctx, data)
    base, problems = check_file(target)
    if json_output:
        from yanbian_cli.render import write_json

        write_json({"file": str(target), "problems": [p.__dict__ for p in problems],
                    "facts": len(base.facts) if base else None, "articles": len(base.articles) if base else None})
    else:
        for p in problems:
            sys.stdout.write(f"{_safe(str(p))}\n")
        if base is not None:
            sys.stdout.write(f"{target}: ok: {len(base.facts)} facts, {len(base.articles)} articles, 0 problems\n")
        else:
            sys.stdout.write(f"{target}: {len(problems)} problem{'s' if len(problems) != 1 else ''}\n")
    if problems:
        raise typer.Exit(ExitCode.INVALID_DATA)


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
    if name not in _COMMANDS or any(k.endswith("_COMPLETE") for k in os.environ):
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
