"""At every width scripts/widths.py measures, no figure is split, no line starts with closing punctuation,
and no line is wider than the terminal (the same counts as the README's table, in-process)."""

from __future__ import annotations

import importlib.util
import json

import pytest

from conftest import ROOT

spec = importlib.util.spec_from_file_location("widths", ROOT / "scripts" / "widths.py")
assert spec is not None and spec.loader is not None
widths = importlib.util.module_from_spec(spec)
spec.loader.exec_module(widths)


@pytest.mark.parametrize("args", widths.COMMANDS, ids=" ".join)
def test_no_figure_split_no_closing_punctuation_first_nothing_too_wide(run, monkeypatch, args) -> None:
    facts: list[dict[str, str]] = []
    if args[0] in ("search", "list", "stat"):
        data = json.loads(run(*args, "--json").out)
        facts = data if isinstance(data, list) else [data]
    for width in (*widths.WIDTHS, 40):
        monkeypatch.setenv("COLUMNS", str(width))
        result = run(*args)
        assert result.code == 0, result.err
        found = widths.counts(result.out, facts, width, ids_shown=False)
        assert (found["figures_broken"], found["closing_at_line_start"], found["too_wide"]) == (0, 0, 0), \
            (width, found, result.out)


def test_narrow_terminals_get_cards_and_wide_ones_a_table(run, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    assert widths.counts(run("search", "人参").out, [], 60)["layout"] == "cards"
    monkeypatch.setenv("COLUMNS", "100")
    assert widths.counts(run("search", "人参").out, [], 100)["layout"] == "table"
