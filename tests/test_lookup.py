"""The library API, called directly: typed results, and the errors a user can cause."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from yanbian_cli import lookup
from yanbian_cli.errors import NotFoundError, UsageError


def test_find_returns_hits_with_facts_articles_and_matches(shipped) -> None:
    result = lookup.find(shipped, "蓝莓", limit=2)
    assert len(result.hits) == 2
    for hit in result.hits:
        assert hit.fact.topic == "blueberry" and hit.article is not None and hit.article.id == hit.fact.source.article
        assert hit.match is not None and hit.match.id == hit.fact.id and hit.match.score >= 60


def test_find_raises_not_found_with_json_for_scripts(shipped) -> None:
    with pytest.raises(NotFoundError) as caught:
        lookup.find(shipped, "zebra crossing")
    assert caught.value.empty_json == "[]" and str(caught.value) == "the page says nothing about 'zebra' or 'crossing'"


def test_stat_exact_fuzzy_strict_and_converted(shipped) -> None:
    exact = lookup.stat(shipped, "ginseng-suitable-area")
    assert exact.exact and exact.hit.fact.text == "近150万亩" and exact.hit.match is None
    fuzzy = lookup.stat(shipped, "ginseng-area")
    assert not fuzzy.exact and fuzzy.key == "ginseng-area" and fuzzy.hit.fact.unit == "mu"
    assert all(f.id != fuzzy.hit.fact.id for f in fuzzy.also)
    with pytest.raises(NotFoundError, match="did you mean"):
        lookup.stat(shipped, "ginseng-area", strict=True)
    converted = lookup.stat(shipped, "ginseng-fresh-output-2021", unit="t").converted
    assert converted is not None and converted.unit == "t" and converted.value == 13400


def test_convert_refuses_what_cannot_convert(shipped) -> None:
    fact = lookup.stat(shipped, "yanji-good-air-days-ratio-2021").hit.fact
    with pytest.raises(UsageError, match="converts to no other unit, not ha"):
        lookup.convert(fact, "ha")
    with pytest.raises(UsageError, match="unknown unit 'furlong'"):
        lookup.convert(fact, "furlong")


def test_facts_filter_in_sql_with_places_within(shipped) -> None:
    everything = lookup.facts(shipped).hits
    yanji = lookup.facts(shipped, place="Yanji").hits  # an English alias of 延吉市
    assert 0 < len(yanji) < len(everything)
    assert {"延吉市", "北张芝村"} <= {h.fact.place for h in yanji}  # the village lies within Yanji
    assert all(h.fact.place in {"延吉市", "三道湾镇", "北张芝村", "延吉长白山人参加工现代农业产业园"} for h in yanji)
    ginseng = lookup.facts(shipped, topic="인삼").hits  # a Korean alias of the topic
    assert ginseng and {h.fact.topic for h in ginseng} == {"ginseng"}
    tumen = lookup.facts(shipped, article="tumen").hits
    assert tumen and [h.fact.id for h in tumen] == [h.fact.id for h in everything if h.fact.source.article == "tumen"]


def test_an_unknown_article_is_not_found_everywhere(shipped) -> None:
    for call in (lambda: lookup.facts(shipped, article="sports"), lambda: lookup.article(shipped, "sports"),
                 lambda: lookup.export(shipped, "csv", article="sports")):
        with pytest.raises(NotFoundError, match="no article 'sports'"):
            call()


def test_unknown_topic_and_place_are_usage_errors(shipped) -> None:
    with pytest.raises(UsageError, match="unknown topic 'sports'"):
        lookup.facts(shipped, topic="sports")
    with pytest.raises(UsageError, match="unknown place 'Paris'"):
        lookup.find(shipped, "面积", place="Paris")
    with pytest.raises(UsageError, match="--topic needs a name"):
        lookup.facts(shipped, topic="")


def test_article_view_has_the_facts_it_states(shipped) -> None:
    view = lookup.article(shipped, "ginseng")
    assert view.article.id == "ginseng" and view.facts
    assert all(f.source.article == "ginseng" and f.source.quote in view.article.paragraph(f.source.paragraph)
               for f in view.facts)


def test_places_count_the_places_within(shipped) -> None:
    rows = {r.key: r for r in lookup.places(shipped).rows}
    assert rows["延边州"].facts_within == len(lookup.facts(shipped).hits)
    assert rows["延吉市"].facts_within == len(lookup.facts(shipped, place="延吉市").hits) > rows["延吉市"].facts
    topics = lookup.topics(shipped)
    assert topics.kind == "topic" and sum(r.facts for r in topics.rows) == len(lookup.facts(shipped).hits)


def test_chart_shares_a_unit_or_refuses(shipped) -> None:
    chart = lookup.chart(shipped, [], topic="ginseng", unit="ha")
    assert chart.unit == "ha" and len(chart.values) == len(chart.facts) and all(v > 0 for v in chart.values)
    with pytest.raises(UsageError, match="cannot chart figures of different units"):
        lookup.chart(shipped, [], topic="ginseng")
    with pytest.raises(UsageError, match="not amounts"):
        lookup.chart(shipped, ["blueberry-festival-opening-date"])
    with pytest.raises(UsageError, match="name the facts to chart"):
        lookup.chart(shipped, [])


def test_cite_and_its_languages(shipped) -> None:
    assert lookup.cite(shipped, "ginseng-suitable-area").text.startswith("据延边日报2022年《延边州着力推进人参产业高质量发展》")
    assert "according to" in lookup.cite(shipped, "ginseng-suitable-area", lang="en").text
    assert "보도에 따르면" in lookup.cite(shipped, "ginseng-suitable-area", lang="ko").text
    english = lookup.cite(shipped, "yanji air quality ratio")  # the key's language, when it is not an id
    assert english.lang == "en" and english.found.hit.fact.id == "yanji-good-air-days-ratio-2021"
    assert lookup.cite(shipped, "연길 공기질 량호일수 비률").lang == "ko"
    with pytest.raises(UsageError, match="unknown --lang 'fr'"):
        lookup.cite(shipped, "ginseng-suitable-area", lang="fr")


def test_export_result_and_format(shipped) -> None:
    result = lookup.export(shipped, "ndjson", topic="blueberry")
    assert result.fmt == "ndjson" and {f.topic for f, _ in result.rows} == {"blueberry"}
    with pytest.raises(UsageError, match="unknown --format 'xml'"):
        lookup.export(shipped, "xml")


def test_check_report(data_copy: Path) -> None:
    clean = lookup.check(data_copy)
    assert clean.problems == [] and clean.facts and clean.articles == 8
    from conftest import replace_in_base

    replace_in_base(data_copy, "value = 1500000", "value = 15")
    broken = lookup.check(data_copy)
    assert broken.facts is None and len(broken.problems) == 1 and broken.problems[0].field == "value"


def test_check_query_refuses_what_cannot_be_a_query() -> None:
    assert lookup.check_query(["人参", "面积"]) == "人参 面积"
    for words, message in ((["  "], "empty"), (["a\x1b"], "control"), (["x" * 1001], "too long"),
                           (["how", "many"], "only common words"), (["?!"], "no words")):
        with pytest.raises(UsageError, match=message):
            lookup.check_query(words)


def test_index_info_clear_and_rebuild(data_copy: Path, tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    assert not lookup.index_info(data_copy, env).exists
    built = lookup.index_info(data_copy, env, rebuild=True)
    assert built.exists and built.fresh and built.facts > 80
    cleared = lookup.index_info(data_copy, env, clear=True)
    assert not cleared.exists and not cleared.fresh
