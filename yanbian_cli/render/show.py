"""The one place that chooses how a result of `lookup` is printed: JSON, a value, or for people."""


from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from yanbian_cli import lookup
from yanbian_cli.render import json as js
from yanbian_cli.render import terminal as tty
from yanbian_cli.render.safe import safe_lines, write_line
from yanbian_cli.store.cache import IndexStatus

# result type -> (its JSON, how people see it)
_SHAPES: dict[type, tuple[Callable[[Any], object], Callable[[Any], None]]] = {
    lookup.SearchResult: (js.search_json, tty.print_search),
    lookup.StatResult: (js.stat_json, tty.print_stat),
    lookup.FactList: (js.list_json, tty.print_list),
    lookup.ArticleView: (js.article_json, tty.print_article),
    lookup.Counts: (js.counts_json, tty.print_counts),
    lookup.Chart: (js.chart_json, tty.print_chart),
    lookup.CheckReport: (js.check_json, tty.print_check),
    IndexStatus: (js.index_json, tty.print_index),
}


def show(result: object, *, as_json: bool = False, value_only: bool = False) -> None:
    """Print a result of `lookup`: as JSON, as its value alone (stat), or for people."""
    if isinstance(result, lookup.Citation):
        if as_json:
            js.write_json(js.cite_json(result))
        else:
            sys.stdout.write(safe_lines(result.text) + "\n")
        _after(result.found)
        return
    if value_only and isinstance(result, lookup.StatResult):
        write_line(tty.plain_value(result))
    else:
        to_json, for_people = _SHAPES[type(result)]
        if as_json:
            js.write_json(to_json(result))
        else:
            for_people(result)
    if isinstance(result, lookup.StatResult):
        _after(result)


def _after(found: lookup.StatResult) -> None:
    """Once the answer is out: which fact a key that is not an id named, on stderr."""
    sys.stdout.flush()
    tty.took(found)
