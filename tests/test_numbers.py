"""Chinese and Arabic figures: parsing one, finding all in running text."""

from decimal import Decimal

import pytest

from yanbian_cli.numbers import find_figures, parse_cn_number, parse_figure


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [
        ("近150万亩", 1500000, "mu", "nearly"),
        ("74亿元", 7400000000, "CNY", "exact"),
        ("98.1%", 98.1, "percent", "exact"),
        ("2500余万元", 25000000, "CNY", "over"),
        ("百余种", 100, "count", "over"),
        ("600余名", 600, "count", "over"),
        ("超过300种", 300, "count", "over"),
        ("50%以上", 50, "percent", "at-least"),
        ("不足10万元", 100000, "CNY", "under"),
        ("约30亩", 30, "mu", "about"),
        ("30亩左右", 30, "mu", "about"),
        ("1.2万平方米", 12000, "m2", "exact"),
        ("24507.92平方公里", 24507.92, "km2", "exact"),
        ("2.5万吨", 25000, "t", "exact"),
        ("2680万斤", 26800000, "jin", "exact"),
        ("三分钟", 3, "minute", "exact"),
        ("一百天", 100, "day", "exact"),
        ("1个月", 1, "month", "exact"),
        ("70周年", 70, "year", "exact"),
        ("第二届", 2, "ordinal", "exact"),
        ("第三批", 3, "ordinal", "exact"),
        ("八县", 8, "count", "exact"),
        ("21批次", 21, "count", "exact"),
        ("440人次", 440, "count", "exact"),
        ("4大类", 4, "count", "exact"),
        ("五十六点三五亿", 5635000000, "", "exact"),
        ("5635000000", 5635000000, "", "exact"),
    ],
)
def test_parse_figure(text: str, value: float, unit: str, qualifier: str) -> None:
    fig = parse_figure(text)
    assert fig is not None
    assert (fig.value, fig.unit, fig.qualifier) == (value, unit, qualifier)


@pytest.mark.parametrize(
    ("text", "year", "value", "qualifier"),
    [("7月30日", None, "--07-30", "exact"), ("7月30日", 2022, "2022-07-30", "exact"),
     ("9月3日前", 2022, "2022-09-03", "before"), ("2021年5月1日", 2022, "2021-05-01", "exact")],
)
def test_parse_dates(text: str, year: int | None, value: str, qualifier: str) -> None:
    fig = parse_figure(text, year)
    assert fig is not None and (fig.value, fig.unit, fig.qualifier) == (value, "date", qualifier)


@pytest.mark.parametrize("text", ["", "人参", "abc", "13月40日", "一点"])
def test_parse_figure_rejects_what_is_not_a_figure(text: str) -> None:
    assert parse_figure(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [("十", 10), ("十二", 12), ("二十", 20), ("一百零五", 105), ("三万五千", 35000), ("一亿二千万", 120000000),
     ("五十六点三五亿", 5635000000), ("二〇二一", 2021), ("两千", 2000)],
)
def test_parse_cn_number(text: str, value: int) -> None:
    assert parse_cn_number(text) == Decimal(value)


def test_parse_figure_reads_arabic_with_magnitudes() -> None:
    assert parse_figure("56.35亿").value == 5635000000
    assert parse_figure("abc") is None


def test_find_figures_in_running_text() -> None:
    sentence = "7月30日,持续20天的北张芝村第二届蓝莓生态采摘节开幕,全州累计投入资金74亿元,销号率为98.6%。"
    assert [f.text for f in find_figures(sentence)] == ["7月30日", "20天", "第二届", "74亿元", "98.6%"]


@pytest.mark.parametrize(
    "sentence",
    ["一批企业", "形成了一支高水平的专业技术团队", "万里绿水长廊", "千方百计", "“三线一单”", "“两山”理念",
     "第一书记", "市二小学", "一件代发"],
)
def test_find_figures_skips_words_that_only_look_numeric(sentence: str) -> None:
    assert find_figures(sentence) == []


def test_find_figures_positions_point_at_the_text() -> None:
    sentence = "鲜参加工能力达2.5万吨。"
    (fig,) = find_figures(sentence)
    assert sentence[fig.start:fig.end] == "2.5万吨" and fig.value == 25000
