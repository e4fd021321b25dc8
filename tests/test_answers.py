"""Answers a reporter can trust: a fact answers only when it answers every word asked about, a figure
typed with its unit only by that figure, a period only by that period; otherwise yb says why."""

from __future__ import annotations

import json

import pytest

from yanbian_cli import lookup
from yanbian_cli.errors import NotFoundError
from yanbian_cli.text import stem


def answers(shipped, query: str) -> list[str]:
    try:
        return [h.fact.id for h in lookup.find(shipped, query, limit=50).hits]
    except NotFoundError:
        return []


def refusal(shipped, query: str) -> str:
    with pytest.raises(NotFoundError) as caught:
        lookup.find(shipped, query)
    assert caught.value.empty_json == "[]"
    return str(caught.value)


@pytest.mark.parametrize("query", ["城镇登记失业率", "图们市人口", "蓝莓亩产", "how many tourists came to Yanji", "연변 실업률",
                                   "zzzz", "GDP", "PM2.5浓度"])
def test_what_the_page_does_not_say_gets_no_answer(shipped, query: str) -> None:
    assert answers(shipped, query) == []
    assert "the page says nothing about" in refusal(shipped, query)


def test_the_refusal_names_the_missing_word_and_where_the_rest_is(shipped) -> None:
    message = refusal(shipped, "图们市人口")
    assert message.startswith("the page says nothing about '人口'")
    n = len(answers(shipped, "图们市"))
    assert f"; {n} facts answer '图们市': yb search 图们市" in message


def test_every_word_must_be_answered_by_the_same_fact(shipped) -> None:
    both = set(answers(shipped, "延吉 优良天数"))
    assert both and both <= set(answers(shipped, "优良天数")) & set(answers(shipped, "延吉"))
    assert answers(shipped, "敦化 优良天数") == []  # both words are on the page, never in one fact
    assert "does not answer" in refusal(shipped, "敦化 优良天数")


def test_question_words_are_not_content(shipped) -> None:
    assert answers(shipped, "图们 展区")[:1] == answers(shipped, "图们有多少个展区")[:1] == ["tumen-integrity-exhibition-areas"]
    assert answers(shipped, "how many exhibition areas does Tumen have")[:1] == ["tumen-integrity-exhibition-areas"]


@pytest.mark.parametrize(("query", "unit"), [("蓝莓采摘节是哪天", "date"), ("蓝莓采摘节持续多久", "day"),
                                             ("when does the blueberry festival open", "date"),
                                             ("延吉 优良天数 比例", "percent"), ("延吉 优良天数 几天", "day"),
                                             ("满河村直播卖了多少钱", "CNY"), ("龙井 驻村干部 多少人", "count")])
def test_the_question_word_ranks_its_kind_of_figure_first(shipped, query: str, unit: str) -> None:
    first = answers(shipped, query)[0]
    assert lookup.stat(shipped, first).hit.fact.unit == unit


def test_a_figure_typed_with_its_unit_is_answered_only_by_that_figure(shipped) -> None:
    assert answers(shipped, "12.8亿元") == ["ginseng-planting-output-value-2021"]
    assert answers(shipped, "12.8万亩") == []  # the page gives 12.8 only in yuan
    assert "the page gives no figure of '12.8万亩'" in refusal(shipped, "12.8万亩")
    assert answers(shipped, "3亿元") == []  # not 6.53亿元, not 三分钟
    assert answers(shipped, "21万公顷") == []  # 21万亩 is not hectares
    assert answers(shipped, "56.35 million yuan") == []  # 56.35亿元 is 5.635 billion
    assert answers(shipped, "5635000000")[:1] == answers(shipped, "五十六点三五亿")[:1] == ["rural-online-retail-sales-h1"]


def test_people_are_counted_by_people_words_only(shipped) -> None:
    visitors = "tumen-integrity-base-visitors"  # 440人次
    assert visitors in answers(shipped, "440人") and visitors in answers(shipped, "440名")
    assert answers(shipped, "440次") == []  # 次 counts times, not people
    assert answers(shipped, "440个") == []


def test_a_qualifier_is_a_range_and_a_bare_number_shows_its_digits(shipped) -> None:
    assert answers(shipped, "300家") == answers(shipped, "300余家") == ["ginseng-processing-companies"]
    assert "ginseng-understory-area-2021" in answers(shipped, "21")  # 21万亩 shows 21
    assert answers(shipped, "14.7亿")[:1] == ["ecommerce-618-online-retail-sales"]  # 14.72亿 rounded
    assert answers(shipped, "14.8亿") == []


def test_a_period_asked_for_must_be_the_facts(shipped) -> None:
    assert answers(shipped, "2021年鲜参产量") == ["ginseng-fresh-output-2021"]
    assert answers(shipped, "2022年鲜参产量") == []
    message = refusal(shipped, "2022年鲜参产量")
    assert message == "the page does not give this for '2022年'; it gives it for 2021年: ginseng-fresh-output-2021"
    assert answers(shipped, "上半年 农村网络零售额")[:1] == ["rural-online-retail-sales-h1"]
    assert answers(shipped, "first half online retail sales")[:1] == ["rural-online-retail-sales-h1"]


def test_a_place_asked_for_must_be_the_facts_or_contain_it(shipped) -> None:
    assert answers(shipped, "敦化 人参面积") == []  # the page gives Yanbian's only
    assert "ginseng-suitable-area" in answers(shipped, "延边 人参面积")
    assert "blueberry-festival-duration" in answers(shipped, "延吉 蓝莓")  # the village lies within Yanji


def test_a_sentence_that_states_two_figures_answers_each_with_its_own_words(shipped) -> None:
    """村均不足10万元 (2015) and 农村人均收入15268元 share a sentence: the 2015 figure is not rural income."""
    assert answers(shipped, "2015年龙井市农村人均收入") == []
    assert answers(shipped, "龙井市农村人均收入")[:1] == ["longjing-rural-income-per-capita"]


def test_an_unspaced_question_is_read_in_the_words_of_the_base(shipped) -> None:
    assert answers(shipped, "敦化建州70周年系列活动一共多少项比赛")[:1] == ["dunhua-anniversary-competitions"]
    assert answers(shipped, "延边州宜参面积占全省资源面积的比例")[:1] == ["ginseng-suitable-area-share-of-province"]


@pytest.mark.parametrize("forms", [("visited", "visits", "visitors", "visit"), ("invested", "investment", "invest"),
                                   ("company", "companies"), ("certified", "certification")])
def test_english_word_forms_meet(forms: tuple[str, ...]) -> None:
    assert len({stem(f) for f in forms}) == 1


def test_partial_lists_the_others_marked_with_what_they_miss(shipped, run) -> None:
    hits = lookup.find(shipped, "延吉 蓝莓 人口", partial=True).hits
    assert hits and all(h.match and h.match.missing == ("人口",) for h in hits[:3])
    assert [len(h.match.missing) for h in hits if h.match] == sorted(len(h.match.missing) for h in hits if h.match)
    out = json.loads(run("search", "延吉", "蓝莓", "人口", "--partial", "--json").out)
    assert out and out[0]["missing"] == ["人口"] and all("人口" in h["missing"] for h in out)
    plain = json.loads(run("search", "延吉", "蓝莓", "--json").out)
    assert plain and all("missing" not in h for h in plain)
    r = run("search", "延吉", "蓝莓", "人口", "--partial")
    assert r.code == 0 and "✗ not '人口'" in r.out


def test_stat_and_cite_refuse_a_key_nothing_answers(run) -> None:
    for args in (["stat", "城镇登记失业率", "--value"], ["stat", "城镇登记失业率", "--json"], ["cite", "城镇登记失业率"]):
        r = run(*args)
        assert (r.code, r.out) == (1, "") and r.err == "yb: the page says nothing about '城镇登记失业率'\n", args


def test_the_search_quality_targets_hold(shipped) -> None:
    """Abstention >= 0.9 on the unanswerable set; hit@5 >= 0.97 and hit@1 >= 0.9 on every answerable set (issue
    10's targets), but the whole questions at 0.93: four of their 63 were answered only by leaving a word to the
    fact's article, a rule that gave far more wrong answers than right ones and was taken out (README, "Quality")."""
    from benchmarks.search_quality import measure, stats

    by_kind, _, abstained, _ = measure(shipped)
    assert sum(abstained["all"]) / len(abstained["all"]) >= 0.9
    for name in ("set: ours", "set: blind", "set: sample", "set: cross-script", "set: questions"):
        _, hit1, hit5, _ = stats(by_kind[name])
        floor = 0.93 if name == "set: questions" else 0.97
        assert hit5 >= floor and hit1 >= 0.9, (name, hit1, hit5)
