"""What every command shares: the app, the shared options, the error boundary, the base.

The only package that imports typer. A command parses its arguments, asks
`lookup` for a typed result and hands it to `render.show`; errors a user can
cause arrive as `YbError` and leave through one boundary (`command`): one line on
stderr and the error's exit code.

No `from __future__ import annotations` here: typer would have to evaluate every
annotation string on every call (a few milliseconds of start-up).
"""

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, TypeVar

import typer

from yanbian_cli.errors import CacheError, ExitCode, NotFoundError, UsageError, YbError

if TYPE_CHECKING:  # pragma: no cover
    from yanbian_cli.lookup import Base

R = TypeVar("R")

APP_SETTINGS: dict[str, Any] = dict(
    name="yb",
    help="Look up the figures of a page of the Yanbian daily paper, with the sentence that states each one.",
    epilog="**Exit codes**: 0 found (or the reader of a pipe went away) · 1 nothing matched: no such fact or "
           "article, or no fact answers the query · 2 usage error · 3 a file cannot be used: the fact base is "
           "invalid, or the output cannot be written.\n\n**Examples**: `yb search 人参 面积` · "
           "`yb stat ginseng area --lang en` · `yb cite \"$(yb pick)\"` · `yb COMMAND --help`",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"]},
)
app = typer.Typer(**APP_SETTINGS)
# name -> (function, decorator arguments): lets the entry point build a group holding only the
# command that was asked for, instead of all of them (typer inspects every command it builds).
COMMANDS: dict[str, tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]] = {}

# -- shared options --------------------------------------------------------------------

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (UTF-8) for scripts instead of tables.")]
DataOpt = Annotated[
    Optional[str],
    typer.Option("--data", metavar="PATH", help="Fact file (or its folder) to use instead of the shipped base. "
                 "Also read from $YB_DATA.", show_default=False),
]


def completer(kind: str) -> Callable[..., list[str]]:
    """Shell completion of fact ids, article ids, topics or places, read from the (cached) index."""

    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        try:
            root = ctx.find_root()
            base = open_base(ctx, ctx.params.get("data") or root.params.get("data"))
            store = base.store
            names = {"fact": lambda: store.metrics() + store.fact_ids(), "article": store.article_ids,
                     "topic": lambda: [n for t in store.topics() for n in (t.id, t.label, t.label_en, *t.aliases)],
                     "place": lambda: [n for p in store.places() for n in (p.name, p.label_en, *p.aliases)]}[kind]()
            from yanbian_cli.text import visible

            # Names and aliases in every language (--place 연, --place Yan); a name with a control or
            # invisible character is not offered (it cannot be typed, and the shell would print it raw).
            typed = incomplete.casefold()
            found = [n for n in names if n.casefold().startswith(typed) and visible(n) == n and " " not in n]
            return list(dict.fromkeys(found))
        except Exception:  # completion must never print a traceback into the shell
            return []

    return complete


TopicOpt = Annotated[Optional[str], typer.Option("--topic", help="Only facts of this topic (id, label or alias).",
                                                 autocompletion=completer("topic"))]
PlaceOpt = Annotated[
    Optional[str], typer.Option("--place", help="Only facts about this place or places within it (name or alias).",
                                autocompletion=completer("place"))
]
ArticleOpt = Annotated[Optional[str], typer.Option("--article", help="Only facts cited from this article id.",
                                                   autocompletion=completer("article"))]
KeyArg = Annotated[list[str], typer.Argument(help="A fact id, a metric (its latest figure, with the series), or "
                                                  "words that name a fact, in any language.",
                                             metavar="KEY...", show_default=False, autocompletion=completer("fact"))]


def choices(*values: str) -> Callable[..., list[str]]:
    """Completion of an option's fixed values (--lang, --format, --unit)."""

    def complete(incomplete: str) -> list[str]:
        return [v for v in values if v.startswith(incomplete)]

    return complete


LangOpt = Annotated[Optional[str], typer.Option(
    "--lang", help="Show the results in zh, en or ko (default: the language of the query).",
    autocompletion=choices("zh", "en", "ko"), show_default=False)]


def examples(*lines: str) -> str:
    """A command's help epilog: its examples, one a line."""
    return "**Examples**\n\n" + "\n\n".join(f"`{line}`" for line in lines)
StrictOpt = Annotated[bool, typer.Option("--strict", help="Accept only an exact fact id.")]
OutputOpt = Annotated[Optional[str], typer.Option("--output", "-o", metavar="FILE",
                                                  help="Write to FILE (default, or -: standard output).")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")]


# -- the error boundary -------------------------------------------------------------------


def fail(message: str, code: int) -> None:
    from yanbian_cli.render.safe import safe

    try:
        sys.stderr.write(f"yb: {safe(message)}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):  # stderr closed or full: the exit code still says it
        pass
    raise typer.Exit(code)


def _pipe_closed() -> None:
    """The reader of our output went away (`yb list | head`): stop quietly."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    raise typer.Exit(ExitCode.OK)


def _discard(location: str) -> None:
    """Remove a damaged cache file (the next open rebuilds it); in-memory indexes have nothing to remove."""
    if location != ":memory:":
        try:
            os.unlink(location)
        except OSError:
            pass


PATH_PARAMS = frozenset({"data", "output", "path", "into", "article_file"})  # any bytes the system allows


def _utf8(value: Any, name: str) -> Any:
    """A text argument as UTF-8 text. Python reads arguments that are not valid in the locale's encoding as
    lone surrogates: valid UTF-8 under a C locale (LC_ALL=C PYTHONUTF8=0) is read again as UTF-8; anything
    else is no text yb can look up (it would fail deep in the index as if the cache were damaged)."""
    if isinstance(value, list):
        return [_utf8(v, name) for v in value]
    if not isinstance(value, str) or not any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        return value
    try:
        return os.fsencode(value).decode("utf-8")
    except (UnicodeError, ValueError):
        what = {"keys": "key", "article_id": "article id"}.get(name, name)
        raise UsageError(f"the {what} is not valid UTF-8 text") from None


def command(*args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a command whose YbError becomes one stderr line and its exit code."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def guarded(*a: Any, **k: Any) -> Any:
            try:
                try:
                    k = {name: v if name in PATH_PARAMS else _utf8(v, name) for name, v in k.items()}
                    return fn(*a, **k)
                except CacheError as exc:  # a damaged cache: set it aside, rebuild, ask again (once)
                    _discard(exc.location)
                    return fn(*a, **k)
            except NotFoundError as exc:
                if exc.empty_json is not None and k.get("json_output"):
                    sys.stdout.write(exc.empty_json + "\n")  # a script still reads JSON
                fail(str(exc), exc.code)
            except YbError as exc:
                fail(str(exc), exc.code)
            except BrokenPipeError:
                _pipe_closed()
            except KeyboardInterrupt:
                fail("interrupted", 130)
            except OSError as exc:  # the output itself (a full disk, a closed stdout), or a file that is gone
                where = f"cannot use {exc.filename}" if exc.filename else "cannot write the output"
                fail(f"{where}: {exc.strerror or exc}", ExitCode.INVALID_DATA)

        COMMANDS[args[0] if args else fn.__name__] = (guarded, args, kwargs)
        return app.command(*args, **kwargs)(guarded)

    return register


# -- the base a command reads ---------------------------------------------------------------


def data_path(ctx: typer.Context, data: Optional[str]) -> Path:
    """The fact file: this command's --data, else the one before the command, else $YB_DATA or the shipped base."""
    from yanbian_cli.locations import data_path as choose

    return choose(data or (ctx.obj or {}).get("data"), os.environ)


def open_base(ctx: typer.Context, data: Optional[str]) -> "Base":
    from yanbian_cli.lookup import open_base as open_

    return open_(data_path(ctx, data), os.environ)


def ask(ctx: typer.Context, data: Optional[str], question: "Callable[[Base], R]") -> "R":
    """What `question` (a function of lookup) answers from the base, its sources checked while it runs."""
    from yanbian_cli.lookup import answer

    return answer(data_path(ctx, data), os.environ, question)


def show(result: object, json_output: bool = False, value_only: bool = False) -> None:
    from yanbian_cli.render.show import show as render

    render(result, as_json=json_output, value_only=value_only)
