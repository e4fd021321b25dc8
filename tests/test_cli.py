"""The commands, run in-process: output, JSON schema, filters, exit codes, help."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from yanbian_cli.cli import full_app

FACT_KEYS = {"id", "label", "label_en", "label_ko", "aliases", "text", "value", "value_en", "unit", "qualifier", "place", "period", "topic",
             "source", "quote_en", "quote_ko", "quote_zh", "metric"}
SOURCE_KEYS = {"article", "lang", "title", "byline", "paragraph", "quote"}
GINSENG_AREAS = {"ginseng-suitable-area", "ginseng-understory-area-2021", "ginseng-field-area-2021",
                 "ginseng-harvest-area-2021"}


def test_version(run) -> None:
    from yanbian_cli import __version__

    r = run("--version")
    assert (r.code, r.out) == (0, f"yb {__version__}\n")


def test_stat_exact_id_with_citation(run) -> None:
    r = run("stat", "ginseng-suitable-area")
    assert r.code == 0 and r.err == ""
    assert "近150万亩" in r.out and "nearly 1.5 million mu (about 100,000 ha)" in r.out
    assert "《延边州着力推进人参产业高质量发展》" in r.out and "记者张琰 相文雅" in r.out and "paragraph 2" in r.out
    assert "“延边州宜参面积近150万亩,占全省资源面积的70%”" in r.out
    assert "best match" not in r.out


def test_stat_fuzzy_key_answers_with_a_ginseng_area_and_lists_others(run) -> None:
    r = run("stat", "ginseng-area", "--json")
    assert r.code == 0
    obj = json.loads(r.out)
    assert obj["id"] in GINSENG_AREAS and obj["match"] == {"kind": "alias", "score": 100.0}
    assert r.err == f"yb: took {obj['id']} for 'ginseng-area' (alias, 100)\n"
    r = run("stat", "ginseng", "area")  # several words, like search
    assert r.code == 0 and "also:" in r.out and r.err.startswith("yb: took ginseng-")
    obj = json.loads(run("stat", "ginseng-suitable-area", "--json").out)
    assert obj["match"] == {"kind": "exact", "score": 100.0}


def test_stat_strict_accepts_only_an_exact_id(run) -> None:
    r = run("stat", "ginseng-area", "--strict")
    assert r.code == 1 and r.out == ""
    assert r.err.startswith("yb: no fact has the id 'ginseng-area'; did you mean: ")
    assert r.err.count("\n") == 1
    assert run("stat", "ginseng-suitable-area", "--strict").code == 0


@pytest.mark.parametrize(("key", "value"), [("ginseng-suitable-area", "1500000"), ("yanji-good-air-days-ratio-2021", "98.1"),
                                            ("dunhua-anniversary-opening-date", "2022-08-03")])
def test_stat_value_prints_only_the_value(run, key: str, value: str) -> None:
    assert run("stat", key, "--value").out == value + "\n"


def test_stat_json_schema(run) -> None:
    obj = json.loads(run("stat", "ecommerce-618-online-retail-sales", "--json").out)
    assert set(obj) == FACT_KEYS | {"match"} and set(obj["source"]) == SOURCE_KEYS
    assert obj["value"] == 1472000000 and obj["unit"] == "CNY" and obj["text"] == "14.72亿元"
    assert obj["source"]["title"] == "延边州推动农村电商扩面增效"
    assert obj["text"] in obj["source"]["quote"]


def test_json_is_utf8_not_ascii_escaped(run) -> None:
    out = run("stat", "ginseng-suitable-area", "--json").out
    assert "近150万亩" in out and "\\u" not in out


def test_search_blueberry(run) -> None:
    r = run("search", "蓝莓")
    assert r.code == 0 and "7月30日" in r.out and "20天" in r.out


def test_search_ginseng_json(run) -> None:
    r = run("search", "ginseng", "--json")
    hits = json.loads(r.out)
    assert r.code == 0 and 1 <= len(hits) <= 10
    assert all(set(h) == FACT_KEYS | {"score"} for h in hits)
    assert all(0 <= h["score"] <= 100 for h in hits)
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert all(h["topic"] == "ginseng" for h in hits[:5])


def test_search_limit(run) -> None:
    assert len(json.loads(run("search", "ginseng", "--limit", "3", "--json").out)) == 3
    r = run("search", "ginseng", "--limit", "0")
    assert r.code == 2 and "--limit" in r.err and r.err.count("\n") == 1


def test_search_filters(run) -> None:
    hits = json.loads(run("search", "面积", "--topic", "ginseng", "--json").out)
    assert hits and all(h["topic"] == "ginseng" for h in hits)
    hits = json.loads(run("search", "days", "--place", "延吉市", "--json").out)
    assert hits and hits[0]["id"] == "yanji-good-air-days-2021"


def test_search_nothing_matches(run) -> None:
    r = run("search", "qqqqzzzz")
    assert (r.code, r.out, r.err) == (1, "", "yb: the page says nothing about 'qqqqzzzz'\n")


def test_a_unit_alone_finds_nothing_and_says_what_to_add(run) -> None:
    """Nothing is filed under a unit: a query of one finds nothing (a word is searched, not refused)."""
    for unit in ("亩", "hectares", "KILOMETERS"):
        r = run("search", unit, "--json")
        assert (r.code, r.out.strip()) == (1, "[]") and "names only a unit" in r.err and "add what it measures" in r.err


def test_unknown_topic_is_a_usage_error(run) -> None:
    r = run("search", "面积", "--topic", "weather")
    assert r.code == 2 and r.err.startswith("yb: unknown topic 'weather' (known: ecology,")


def test_list_and_filters(run) -> None:
    everything = json.loads(run("list", "--json").out)
    assert len(everything) >= 80 and len({f["id"] for f in everything}) == len(everything)
    ginseng = json.loads(run("list", "--topic", "人参", "--json").out)
    assert ginseng and all(f["topic"] == "ginseng" for f in ginseng)
    yanji = json.loads(run("list", "--place", "Yanji", "--json").out)
    # places within Yanji (the blueberry village, the ginseng park) are included
    assert {f["place"] for f in yanji} >= {"延吉市", "北张芝村", "延吉长白山人参加工现代农业产业园"}
    tumen = json.loads(run("list", "--article", "tumen", "--json").out)
    assert {f["source"]["article"] for f in tumen} == {"tumen"}
    assert "facts" in run("list").out


def test_source_marks_cited_figures(run) -> None:
    r = run("source", "ginseng")
    assert r.code == 0
    assert "延边州着力推进人参产业高质量发展" in r.out and "记者张琰 相文雅" in r.out
    assert "近150万亩[3]" in r.out and "ginseng-suitable-area" in r.out
    doc = json.loads(run("source", "ginseng", "--json").out)
    assert doc["paragraphs"][1]["number"] == 2 and "ginseng-suitable-area" in doc["paragraphs"][1]["facts"]
    r = run("source", "nope")
    assert r.code == 1 and r.err.startswith("yb: no article 'nope' (articles: ecology,")


def test_topics_and_places_count_every_fact(run) -> None:
    total = len(json.loads(run("list", "--json").out))
    topics = json.loads(run("topics", "--json").out)
    assert sum(t["facts"] for t in topics) == total
    places = json.loads(run("places", "--json").out)
    assert sum(p["facts"] for p in places) == total
    yanbian = next(p for p in places if p["name"] == "延边州")
    assert yanbian["facts_within"] == total
    assert any("연길" in p["aliases"] for p in places)
    assert "ginseng" in run("topics").out and "延吉市" in run("places").out


def test_check_shipped_and_broken(run, data_copy: Path) -> None:
    r = run("check")
    assert r.code == 0 and "0 problems" in r.out
    from conftest import replace_in_base

    replace_in_base(data_copy, "value = 1500000", "value = 15")
    replace_in_base(data_copy, 'text = "98.1%"', 'text = "98.2%"')
    r = run("check", str(data_copy))
    assert r.code == 3
    assert "ginseng-suitable-area" in r.out and "98.2%" in r.out and r.out.strip().endswith("3 problems")
    report = json.loads(run("check", str(data_copy), "--json").out)
    assert len(report["problems"]) == 3 and report["problems"][0]["fact"]


def test_other_commands_refuse_an_invalid_base(run, data_copy: Path) -> None:
    from conftest import replace_in_base

    replace_in_base(data_copy, "value = 1500000", "value = 15")
    r = run("--data", str(data_copy), "stat", "ginseng-suitable-area")
    assert r.code == 3 and r.out == ""
    assert "field value" in r.err and "run 'yb check'" in r.err and r.err.count("\n") == 1


def test_data_option_and_env_use_another_base(run, data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import replace_in_base

    replace_in_base(data_copy, 'label = "延边州宜参面积"', 'label = "延边州宜参面积(副本)"')
    assert "(副本)" in run("--data", str(data_copy), "stat", "ginseng-suitable-area").out
    assert "(副本)" in run("stat", "ginseng-suitable-area", "--data", str(data_copy.parent)).out
    monkeypatch.setenv("YB_DATA", str(data_copy))
    assert "(副本)" in run("stat", "ginseng-suitable-area").out


def test_missing_data_file(run, tmp_path: Path) -> None:
    r = run("--data", str(tmp_path / "none.toml"), "list")
    assert r.code == 3 and "no such file" in r.err and "Traceback" not in r.err


@pytest.mark.parametrize("name", sorted(c.name or c.callback.__name__ for c in full_app().registered_commands))
def test_every_command_has_help_with_examples(run, name: str) -> None:
    r = run(name, "--help")
    assert r.code == 0 and "Examples" in r.out and len(r.out) > 200


def test_bare_yb_prints_the_help_once_with_the_exit_codes(yb_proc) -> None:
    r = yb_proc()
    assert r.returncode == 0, r.stderr
    help_text = r.stdout + r.stderr
    assert help_text.count("Usage: yb") == 1
    assert "Exit codes" in help_text and all(f"{code} " in help_text for code in ("0", "1", "2", "3"))


def test_help_names_the_publication_table_and_ends_with_examples(run) -> None:
    r = run("cite", "--help")
    assert "[publication]" in r.out
    assert r.out.rstrip().splitlines()[-1].strip().startswith("yb cite")


def test_usage_errors_are_one_line(run) -> None:
    for args in (["stat"], ["search", "x", "--bogus"], ["nosuchcommand"]):
        r = run(*args)
        assert r.code == 2 and r.err.startswith("yb: ") and r.err.count("\n") == 1 and "Traceback" not in r.err


def test_output_to_a_pipe_has_no_colour(run) -> None:
    for args in (["search", "蓝莓"], ["stat", "ginseng-area"], ["source", "ginseng"], ["list"]):
        assert "\x1b" not in run(*args).out
