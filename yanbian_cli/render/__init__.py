"""Turn lookup's typed results into output: JSON for scripts, Rich for people.

    safe.py      control characters shown, never obeyed
    json.py      every JSON shape, in the README's order
    terminal.py  tables, grids, charts

`show.show(result)` is the one place that chooses between them, so a command is
parse -> lookup -> show. (This file imports nothing: `render.safe` is on every call's path.)
"""
