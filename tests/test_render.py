"""Rendering, called directly: the JSON shapes follow the schema, `show` picks one way out, text stays safe."""

from __future__ import annotations

import json

import pytest

from yanbian_cli import lookup
from yanbian_cli.model import FACT_FIELDS, Article, Fact, Source
from yanbian_cli.render import json as js
from yanbian_cli.render.safe import safe, safe_lines
from yanbian_cli.render.show import plain_value, show
from yanbian_cli.render.terminal import bar, score_text

FACT = Fact("x-1", "标签", "a label", "라벨", ("别名",), "近150万亩", 1500000, "mu", "nearly", "延边州", "2021年", "t",
            Source("a", 2, "面积近150万亩"), note="a note", draft=False)
ARTICLE = Article("a", "标题", "Title", "记者甲", "", "article", "", "t", ("第一段", "面积近150万亩"))


def test_the_fact_object_follows_the_schema_with_value_en_after_value() -> None:
    obj = js.fact_object(FACT, ARTICLE)
    expected = [f.name for f in FACT_FIELDS if f.name not in ("note", "draft")]
    expected.insert(expected.index("value") + 1, "value_en")
    assert list(obj) == expected
    assert obj["value_en"] == "nearly 1.5 million mu (about 100,000 ha)"
    assert obj["source"] == {"article": "a", "lang": "zh-Hans", "title": "标题", "byline": "记者甲", "paragraph": 2, "quote": "面积近150万亩"}
    assert obj["aliases"] == ["别名"]


def test_a_fact_without_its_article_still_has_every_key() -> None:
    assert js.fact_object(FACT, None)["source"]["title"] == ""


def test_show_prints_json_or_the_value_or_a_grid(capsys: pytest.CaptureFixture[str]) -> None:
    result = lookup.StatResult(lookup.Hit(FACT, ARTICLE), exact=True, key="x-1")
    show(result, as_json=True)
    assert json.loads(capsys.readouterr().out)["id"] == "x-1"
    show(result, value_only=True)
    assert capsys.readouterr().out == "1500000\n"
    show(result)
    shown = capsys.readouterr()
    assert "近150万亩" in shown.out and "paragraph 2" in shown.out and shown.err == ""
    show(result._replace(exact=False, key="面积"))
    assert capsys.readouterr().err == "yb: took x-1 for '面积' (id)\n"


def test_show_a_list_and_its_empty_json(capsys: pytest.CaptureFixture[str]) -> None:
    show(lookup.FactList([lookup.Hit(FACT, ARTICLE)]))
    assert "1 facts" in capsys.readouterr().out
    show(lookup.FactList([]), as_json=True)
    assert json.loads(capsys.readouterr().out) == []


def test_plain_value_writes_floats_as_decimals() -> None:
    hit = lookup.Hit(FACT._replace(value=5.635e9), ARTICLE)
    assert plain_value(lookup.StatResult(hit, exact=True)) == "5635000000"
    conv = lookup.Converted("ha", 100000.0, "100,000 ha")
    assert plain_value(lookup.StatResult(hit, exact=True, converted=conv)) == "100000"


def test_safe_shows_control_characters_and_keeps_lines() -> None:
    assert safe("a\x1b[31mb\u202ec") == "a\\x1b[31mb\\u202ec"
    assert safe_lines("a\tb\nc\x07") == "a\tb\nc\\x07"


def test_every_unsafe_character_is_unprintable_so_printable_text_is_left_as_it_is() -> None:
    """visible() and json_safe() return printable text untouched without a regex: that holds only while
    every character of text.UNSAFE is one str.isprintable() refuses."""
    import re

    from yanbian_cli.render.safe import json_safe
    from yanbian_cli.text import UNSAFE

    unsafe = re.compile(f"[{UNSAFE}]")
    assert not [hex(c) for c in range(0x110000) if unsafe.match(chr(c)) and chr(c).isprintable()]
    assert safe("人参 ginseng 연길 98.1%") == "人参 ginseng 연길 98.1%"
    assert json_safe('"a\u2028b\u00adc"') == '"a\\u2028b\\u00adc"'
    assert json_safe('"\U000e0041"') == '"\\udb40\\udc41"'


@pytest.mark.parametrize(("value", "top", "width", "expected"), [(1, 1, 4, "████"), (1, 2, 4, "██"), (0, 5, 4, ""),
                                                                 (1, 1000, 4, "▏"), (3, 8, 1, "▍")])
def test_bar(value: float, top: float, width: int, expected: str) -> None:
    assert bar(value, top, width) == expected


def test_scores_print_99_9_as_such_and_100_whole() -> None:
    assert (score_text(99.9), score_text(100.0), score_text(80.0)) == ("99.9", "100", "80")


def test_check_json_shape() -> None:
    from yanbian_cli.factbase import Problem

    report = lookup.CheckReport("facts.toml", [Problem("facts.toml", "missing", 3, None, "x", "label")], None, None)
    assert js.check_json(report) == {"file": "facts.toml", "facts": None, "articles": None, "problems": [
        {"file": "facts.toml", "message": "missing", "line": 3, "column": None, "fact": "x", "field": "label"}],
        "warnings": []}


def test_every_result_type_names_a_function_of_the_terminal_renderer() -> None:
    """show() finds the people's renderer of a result by name (so that JSON output need not import Rich):
    a name that is no function of render.terminal would only fail when a person asks."""
    from yanbian_cli.render import terminal
    from yanbian_cli.render.show import _SHAPES

    for result_type, (_, name) in _SHAPES.items():
        assert callable(getattr(terminal, name, None)), (result_type.__name__, name)
