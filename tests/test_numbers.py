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


# -- Korean and traditional figures (issue 13) ---------------------------------------------------

@pytest.mark.parametrize(
    "text,value,unit,qualifier",
    [
        ("102.3억원", 10230000000, "CNY", "exact"), ("24만무", 240000, "mu", "exact"),
        ("2340만근", 23400000, "jin", "exact"), ("55개", 55, "count", "exact"),
        ("50% 이상", 50, "percent", "at-least"), ("근 150만무", 1500000, "mu", "nearly"),
        ("300여개", 300, "count", "over"), ("약 3만톤", 30000, "t", "about"), ("300종 넘는", 300, "count", "over"),
        ("1.2만명 남짓", 12000, "count", "over"), ("4% 이하", 4, "percent", "at-most"),
        ("5000위안 미만", 5000, "CNY", "under"), ("35.2퍼센트", 35.2, "percent", "exact"),
        ("2.5퍼센트포인트", 2.5, "percentage-point", "exact"), ("0.35평방키로메터", 0.35, "km2", "exact"),
        ("18제곱킬로미터", 18, "km2", "exact"), ("12키로메터", 12, "km", "exact"), ("약 25킬로미터", 25, "km", "about"),
        ("2만헥타르", 20000, "ha", "exact"), ("5천톤", 5000, "t", "exact"), ("9천원", 9000, "CNY", "exact"),
        ("42세", 42, "year", "exact"), ("3개월", 3, "month", "exact"), ("20일", 20, "day", "exact"),
        ("사흘", 3, "day", "exact"), ("제2회", 2, "ordinal", "exact"), ("두번째", 2, "ordinal", "exact"),
        ("3차", 3, "ordinal", "exact"), ("126차례", 126, "count", "exact"), ("120가구", 120, "count", "exact"),
        ("1만원 넘게", 10000, "CNY", "over"), ("3만명 넘는", 30000, "count", "over"), ("1,200명", 1200, "count", "exact"),
        # traditional
        ("2萬畝", 20000, "mu", "exact"), ("20畝以上", 20, "mu", "at-least"), ("6個", 6, "count", "exact"),
        ("一萬二千元", 12000, "CNY", "exact"), ("近15萬畝", 150000, "mu", "nearly"), ("8.5萬噸", 85000, "t", "exact"),
        ("3.5億元", 350000000, "CNY", "exact"), ("300餘家", 300, "count", "over"), ("約5000噸", 5000, "t", "about"),
        ("第三屆", 3, "ordinal", "exact"), ("12項", 12, "count", "exact"), ("超過12萬人", 120000, "count", "over"),
        ("逾百萬噸", 1000000, "t", "over"), ("千萬元以上", 10000000, "CNY", "at-least"),
        ("七成以上", 70, "percent", "at-least"), ("40分鐘", 40, "minute", "exact"), ("2小時", 2, "hour", "exact"),
        ("4.6萬輛次", 46000, "count", "exact"), ("6.5億袋", 650000000, "count", "exact"),
        # spaces inside a figure, and the qualifiers added with them
        ("300 余家", 300, "count", "over"), ("不少于2000人次", 2000, "count", "at-least"),
        ("3.5%以内", 3.5, "percent", "at-most"),
    ],
)
def test_parse_korean_and_traditional_figures(text: str, value: float, unit: str, qualifier: str) -> None:
    fig = parse_figure(text)
    assert fig is not None, text
    assert (fig.text, fig.value, fig.unit, fig.qualifier) == (text, value, unit, qualifier)


def test_korean_dates() -> None:
    assert parse_figure("9월 8일").value == "--09-08"
    assert parse_figure("7월 30일", year=2022).value == "2022-07-30"
    assert parse_figure("2월 30일") is None


@pytest.mark.parametrize("text", ["1인당", "1회성", "제1중학교", "하루", "7월", "2022년", "최근", "5무역"])
def test_korean_words_that_only_look_numeric_are_no_figures(text: str) -> None:
    assert parse_figure(text) is None
    assert [f for f in find_figures(text) if f.unit != "year"] == []


def test_find_korean_figures_in_running_text() -> None:
    paragraph = ("주 농업농촌국 관계자에 따르면 연변주의 인삼재배 적합면적은 근 150만무로서 전 성 자원면적의 70%를 차지한다. "
                 "지난해 전 주 림하삼 보유면적은 24만무, 1~9월 300여개 기업이 1인당 1만원 넘게 벌었고 오는 9월 8일부터 "
                 "사흘간 제2회 박람회가 열린다.")
    found = [f.text for f in find_figures(paragraph) if f.unit != "year"]
    assert found == ["근 150만무", "70%", "24만무", "300여개", "1만원 넘게", "9월 8일", "사흘", "제2회"]


def test_ranges_that_name_a_period_are_no_figures() -> None:
    assert [f.text for f in find_figures("2022—2023冰雪季,延边州共接待游客368.5万人次")] == ["368.5万人次"]
    assert [f.text for f in find_figures("8月25日至27日举行")] == ["8月25日", "27日"]
    assert [f.value for f in find_figures("8月25日至27日举行")] == ["--08-25", "--08-27"]


def test_traditional_figures_keep_their_place_and_characters() -> None:
    sentence = "琿春市各口岸進出境貨物108.6萬噸,同比增長27.4%,口岸日均通關車輛300餘台次。"
    found = find_figures(sentence)
    assert [f.text for f in found] == ["108.6萬噸", "27.4%", "300餘台次"]
    assert all(sentence[f.start:f.end] == f.text for f in found)


def test_the_traditional_table_agrees_with_opencc() -> None:
    """TRADITIONAL is ours; every pair in it must be what OpenCC (a maintained table) says."""
    opencc = pytest.importorskip("opencc")
    from yanbian_cli.numbers import TRADITIONAL

    t2s = opencc.OpenCC("t2s")
    for traditional, simplified in TRADITIONAL.items():
        assert t2s.convert(chr(traditional)) == chr(simplified), chr(traditional)
