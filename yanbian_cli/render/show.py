"""The one place that chooses how a result of `lookup` is printed: JSON, a value, or for people.

The terminal renderer (and Rich) is imported only when the output is for people: a script's
`--json` or `--value` call does not pay for it.
"""


from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from yanbian_cli import lookup
from yanbian_cli.render import json as js
from yanbian_cli.render.safe import note, safe_lines, write_line
from yanbian_cli.store.cache import IndexStatus

# result type -> (its JSON, the name of the function in render.terminal that shows it to people)
_SHAPES: dict[type, tuple[Callable[[Any], object], str]] = {
    lookup.SearchResult: (js.search_json, "print_search"),
    lookup.StatResult: (js.stat_json, "print_stat"),
    lookup.FactList: (js.list_json, "print_list"),
    lookup.ArticleView: (js.article_json, "print_article"),
    lookup.Counts: (js.counts_json, "print_counts"),
    lookup.Chart: (js.chart_json, "print_chart"),
    lookup.CheckReport: (js.check_json, "print_check"),
    IndexStatus: (js.index_json, "print_index"),
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
        write_line(plain_value(result))
    else:
        to_json, for_people = _SHAPES[type(result)]
        if as_json:
            js.write_json(to_json(result))
        else:
            from yanbian_cli.render import terminal

            getattr(terminal, for_people)(result)
    if isinstance(result, lookup.StatResult):
        _after(result)


def plain_value(result: lookup.StatResult) -> str:
    """The value alone, for $(yb stat KEY --value)."""
    value = result.converted.value if result.converted else result.hit.fact.value
    if isinstance(value, float):
        from yanbian_cli.text import decimal_text

        return decimal_text(value)
    return str(value)


def _after(found: lookup.StatResult) -> None:
    """Once the answer is out: for a key that is not an exact id, which fact it named and why (on stderr)."""
    sys.stdout.flush()
    if not found.exact:
        note(f"took {found.hit.fact.id} for {found.key!r} ({found.why})")
