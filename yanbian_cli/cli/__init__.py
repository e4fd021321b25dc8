"""The command line: the only package that imports typer.

    common.py    the app, shared options, the error boundary
    reporter.py  stat, search, list, source, topics, places, cite, pick, chart, export
    curator.py   check, extract, index (imported only when named, or for help: full_app)
    app.py       the entry point
"""

from yanbian_cli.cli.app import full_app, main, run

__all__ = ["full_app", "main", "run"]
