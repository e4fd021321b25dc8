"""The `yb` console script (and `python -m yanbian_cli`): the command line, imported under a guard.

Importing the command line (typer, then yb's own modules) takes most of a call's first tens of
milliseconds; Ctrl-C in that time would end in a traceback. So the console script starts here, where
nothing is imported yet, and an interrupt before the command line is ready is one line and exit 130,
as it is once the command runs (cli/app.py).
"""

import os
import sys


def run() -> None:
    try:
        from yanbian_cli.cli.app import run as run_command_line
    except KeyboardInterrupt:
        try:
            sys.stderr.write("yb: interrupted\n")
            sys.stderr.flush()
        except (OSError, ValueError, AttributeError):
            pass
        os._exit(130)
    run_command_line()


if __name__ == "__main__":
    run()
