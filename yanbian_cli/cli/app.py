"""The entry point: the global options, the console script, and start-up kept small.

(No `from __future__ import annotations`: see common.py.)
"""

import os
import sys
from typing import Annotated, Optional

import typer

from yanbian_cli import __version__
from yanbian_cli.cli import reporter  # noqa: F401  (registers the reporter's commands; the curator's: full_app)
from yanbian_cli.cli.common import APP_SETTINGS, COMMANDS, DataOpt, app
from yanbian_cli.errors import ExitCode
from yanbian_cli.render.safe import safe


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
    """Look up the figures of a page of the Yanbian daily paper, with the sentence that states each one."""
    ctx.obj = {"data": data}


def _utf8_streams() -> None:
    """Chinese must print under LANG=C too: make stdout and stderr UTF-8; a path that is not UTF-8
    (a GBK folder name) is shown with backslash escapes rather than failing."""
    for stream in (sys.stdout, sys.stderr):
        if stream is None or not hasattr(stream, "reconfigure"):
            continue
        encoding = (getattr(stream, "encoding", "") or "").lower().replace("_", "-")
        try:
            if encoding not in ("utf-8", "utf8"):
                stream.reconfigure(encoding="utf-8", errors="backslashreplace")
            else:
                stream.reconfigure(errors="backslashreplace")
        except (OSError, ValueError):  # pragma: no cover - a stream that cannot change
            pass


def _command_named(argv: list[str]) -> Optional[str]:
    """The command `argv` names: its first word that is not an option (the only global option
    with a value is --data)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--data":
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def full_app() -> typer.Typer:
    """The app with every command: the curator's (check, extract, index) are registered on first use,
    so that a reporter's query does not import them."""
    from yanbian_cli.cli import curator  # noqa: F401  (registers the curator's commands)

    return app


def _app_for(argv: list[str]) -> typer.Typer:
    """An app with only the command `argv` names (typer inspects every command it is given);
    the full app for help, completion and mistakes."""
    name = _command_named(argv)
    if name not in COMMANDS or "_YB_COMPLETE" in os.environ:
        full = full_app()  # (registers the curator's commands: a curator's command is in COMMANDS from now on)
        if name not in COMMANDS or "_YB_COMPLETE" in os.environ:
            return full
    fn, args, kwargs = COMMANDS[name]
    small = typer.Typer(**APP_SETTINGS)
    small.callback()(_main)
    small.command(*args, **kwargs)(fn)
    return small


def _output_failed(exc: OSError) -> None:
    """The output cannot be written (a full disk, a closed stdout): one line, exit 3."""
    try:
        sys.stderr.write(f"yb: cannot write the output: {safe(exc.strerror or str(exc))}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass
    sys.exit(ExitCode.INVALID_DATA)


def main(argv: Optional[list[str]] = None) -> None:
    """The `yb` console script."""
    if sys.stderr is None:  # started with stderr closed (yb search 人参 2>&-): notes go nowhere
        sys.stderr = open(os.devnull, "w", encoding="utf-8")
    if sys.stdout is None:  # started with stdout closed (yb list >&-)
        _output_failed(OSError(9, "standard output is closed"))
    _utf8_streams()
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or "--help" in argv or "-h" in argv:
        _help_pipe_closes_quietly()
    command = typer.main.get_command(_app_for(argv))
    try:
        code = command.main(args=argv, prog_name="yb", standalone_mode=False)
        sys.stdout.flush()
    except KeyboardInterrupt:
        sys.stderr.write("yb: interrupted\n")
        sys.exit(130)
    except BrokenPipeError:  # the reader went away (yb --help | head -c1): nothing more to say
        _quiet_stdout()
        sys.exit(ExitCode.OK)
    except OSError as exc:
        _output_failed(exc)
    except Exception as exc:  # click's usage errors: duck-typed, typer does not export their base class
        if not (hasattr(exc, "format_message") and hasattr(exc, "exit_code")):
            raise
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError":  # `yb` alone: typer has printed the help already
            if exc.format_message():
                sys.stdout.write(exc.format_message() + "\n")
            sys.exit(ExitCode.OK)
        where = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        sys.stderr.write(f"yb: {safe(exc.format_message())}{where}\n")
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)


def _help_pipe_closes_quietly() -> None:
    """Typer prints help through Rich, whose console exits with status 1 when the pipe closes; yb's
    promise is 0 when the reader goes away (only loaded for help: Rich costs start-up)."""
    from rich.console import Console

    def on_broken_pipe(self: Console) -> None:
        raise BrokenPipeError

    setattr(Console, "on_broken_pipe", on_broken_pipe)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so that the last flush at exit finds no closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


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
    except BrokenPipeError:  # the reader went away; nothing more to say
        code = code if code else 0
    except OSError as exc:  # the last of the output could not be written (a full disk)
        try:
            sys.stderr.write(f"yb: cannot write the output: {exc.strerror or exc}\n")
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
        code = ExitCode.INVALID_DATA
    except (ValueError, AttributeError):  # a stream already closed
        pass
    os._exit(code)
