"""The command line: the only package that imports typer.

    common.py    the app, shared options, the error boundary
    reporter.py  stat, search, list, source, topics, places, cite, chart, export
    curator.py   check, extract, index
    app.py       the entry point
"""

from yanbian_cli.cli.app import main, run
from yanbian_cli.cli.common import app

__all__ = ["app", "main", "run"]
