"""One metric across pages: periods resolved against the issue's date, the series, the latest first,
conflicts between sources, citations of the article's own issue, extract --into (issue 14).

The archive here is fictional, written for these tests: three issues of one understory-ginseng figure.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from yanbian_cli.series import comparable, resolve, series

PAGE = '''id = "{aid}"
title = "林下参"
title_en = "Understory ginseng"
byline = ""
kind = "article"
section = ""
topic = "ginseng"
date = "{date}"
page = "3"
paragraphs = ["{period},林下参留存面积{text}。"]

[[fact]]
id = "{fid}"
label = "林下参留存面积"
label_en = "understory ginseng area"
aliases = []
text = "{text}"
value = {value}
unit = "mu"
qualifier = "{qualifier}"
place = "延边州"
period = "{period}"
topic = "ginseng"
source = {{ paragraph = 1, quote = "林下参留存面积{text}" }}
metric = "ginseng-understory-area"
'''


def page(base: Path, date: str, aid: str, fid: str, period: str, text: str, value: int, qualifier: str = "exact"):
    folder = base / "articles" / date
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{aid}.toml").write_text(PAGE.format(aid=aid, date=date, fid=fid, period=period, text=text,
                                                    value=value, qualifier=qualifier), encoding="utf-8")


@pytest.fixture()
def archive(tmp_path: Path) -> Path:
    (tmp_path / "facts.toml").write_text(
        'schema = 2\n[publication]\npaper = "延边日报"\npaper_en = "Yanbian Daily"\n[topic.ginseng]\nlabel = "人参"\n'
        'label_en = "ginseng"\naliases = []\n[place."延边州"]\nlabel_en = "Yanbian"\naliases = []\nwithin = ""\n',
        encoding="utf-8")
    page(tmp_path, "2022-03-01", "g2022", "understory-2021", "去年", "21万亩", 210000)
    page(tmp_path, "2023-05-02", "g2023", "understory-2022", "去年", "24万亩", 240000)
    page(tmp_path, "2024-05-02", "g2024", "understory-now", "目前", "近26万亩", 260000, "nearly")
    return tmp_path / "facts.toml"


def test_relative_periods_resolve_against_the_issue_date() -> None:
    assert resolve("去年", "2023-05-02") == ("2022-12-31", "2022")
    assert resolve("今年上半年", "2023-08-01") == ("2023-06-30", "2023 H1")
    assert resolve("目前", "2023-05-02") == ("2023-05-02", "as of 2023-05-02")
    assert resolve("2021年", "2023-05-02") == ("2021-12-31", "2021")
    assert resolve("2021—2022年", "2023-05-02") == ("2022-12-31", "2021–2022")  # a range holds until its end
    assert resolve("1-9月", "2023-10-10") == ("2023-09-30", "2023-01..09")
    assert resolve("올해 상반기", "2024-07-01").label == "2024 H1"
    assert resolve("去年", "") == ("", "去年")  # no date: nothing to resolve against


def test_stat_of_a_metric_answers_the_latest_with_the_series(run, archive: Path) -> None:
    r = run("--data", str(archive), "stat", "ginseng-understory-area", "--json")
    out = json.loads(r.out)
    assert r.code == 0 and out["id"] == "understory-now" and out["as_of"] == "as of 2024-05-02"
    assert [p["id"] for p in out["series"]] == ["understory-2021", "understory-2022", "understory-now"]
    assert out["series"][1]["change"] == 30000 and out["series"][1]["change_pct"] == pytest.approx(14.29)
    assert out["series"][2]["change"] is None  # 近26万亩 is not exactly 26万亩: no change is claimed
    text = run("--data", str(archive), "stat", "ginseng-understory-area").out
    assert "as of 2024-05-02" in text and "+30,000 mu, +14.3%" in text and "not comparable" in text


def test_search_puts_the_latest_first_and_marks_the_older(run, archive: Path) -> None:
    out = json.loads(run("--data", str(archive), "search", "林下参面积", "--json").out)
    assert [h["id"] for h in out] == ["understory-now", "understory-2022", "understory-2021"]
    assert "latest" not in out[0] and out[1]["latest"]["id"] == out[2]["latest"]["id"] == "understory-now"
    assert "older: latest" in run("--data", str(archive), "search", "林下参面积").out


def test_a_year_asked_finds_the_relative_period_that_means_it(run, archive: Path) -> None:
    out = json.loads(run("--data", str(archive), "search", "2022年林下参面积", "--json").out)
    assert [h["id"] for h in out] == ["understory-2022"]  # 去年 of the 2023 issue
    r = run("--data", str(archive), "search", "2019年林下参面积")
    assert r.code == 1 and "does not give this for '2019年'" in r.err and "去年 (2021)" in r.err


def test_chart_of_a_metric_draws_the_series_in_time_order(run, archive: Path) -> None:
    out = json.loads(run("--data", str(archive), "chart", "ginseng-understory-area", "--json").out)
    assert [(p["id"], p["as_of"]) for p in out] == [("understory-2021", "2021"), ("understory-2022", "2022"),
                                                    ("understory-now", "as of 2024-05-02")]


def test_check_warns_when_two_sources_differ_on_a_metric_and_period(run, archive: Path) -> None:
    assert "sources differ" not in run("check", str(archive)).out
    page(archive.parent, "2023-06-01", "g2023b", "understory-2022-revised", "去年", "25万亩", 250000)
    r = run("check", str(archive))
    assert r.code == 0 and "warning: sources differ on ginseng-understory-area for 2022" in r.out
    assert "24万亩 in understory-2022" in r.out and "25万亩 in understory-2022-revised" in r.out


def test_citation_names_the_articles_own_issue(run, archive: Path) -> None:
    r = run("--data", str(archive), "cite", "understory-2022")
    assert r.out.startswith("据延边日报2023年5月2日") and "系推断" not in r.out
    assert "2 May 2023" in run("--data", str(archive), "cite", "understory-2022", "--lang", "en").out


def test_extract_into_proposes_the_metric_and_holds_the_draft_back(run, archive: Path, tmp_path: Path) -> None:
    new = tmp_path / "new.txt"
    new.write_text("林下参面积再创新高\n\n本报讯(记者甲)今年,延边州林下参留存面积28万亩。\n", encoding="utf-8")
    r = run("extract", str(new), "--into", str(archive), "--date", "2025-03-01", "--article-id", "g2025")
    assert r.code == 0, r.err
    written = archive.parent / "articles" / "2025-03-01" / "g2025.toml"
    text = written.read_text(encoding="utf-8")
    assert 'metric = "ginseng-understory-area"' in text and 'date = "2025-03-01"' in text and "draft = true" in text
    check = run("check", str(archive))
    assert check.code == 0 and "1 draft facts wait for review" in check.out
    assert run("check", "--drafts", str(archive)).code == 0
    # served only once reviewed; a second extract never overwrites the file
    assert run("extract", str(new), "--into", str(archive), "--date", "2025-03-01", "--article-id", "g2025").code != 0
    written.write_text(text.replace("draft = true\n", ""), encoding="utf-8")
    out = json.loads(run("--data", str(archive), "stat", "ginseng-understory-area", "--json").out)
    assert out["text"] == "28万亩" and out["as_of"] == "2025"


def test_extract_into_never_files_a_second_article_of_an_id_the_base_has(run, archive: Path, tmp_path: Path) -> None:
    new = tmp_path / "g2022.txt"  # named as an article of the base: the default id is taken
    new.write_text("林下参面积再创新高\n\n本报讯(记者甲)今年,延边州林下参留存面积28万亩。\n", encoding="utf-8")
    before = sorted(p.relative_to(archive.parent) for p in archive.parent.rglob("*"))
    for args in ((), ("--article-id", "g2022")):
        r = run("extract", str(new), "--into", str(archive), "--date", "2025-03-01", *args)
        assert r.code == 2 and "already" in r.err and "--article-id" in r.err, r.err
    assert sorted(p.relative_to(archive.parent) for p in archive.parent.rglob("*")) == before
    assert run("--data", str(archive), "search", "林下参").code == 0
    # a draft filed already (not in the index) holds its id too
    assert run("extract", str(new), "--into", str(archive), "--date", "2025-03-01", "--article-id", "g2025").code == 0
    r = run("extract", str(new), "--into", str(archive), "--date", "2025-04-01", "--article-id", "g2025")
    assert r.code == 2 and "already" in r.err


def test_the_fictional_archive_fixture_checks_by_a_relative_path(run, monkeypatch) -> None:
    from conftest import ROOT

    monkeypatch.chdir(ROOT)
    r = run("check", "tests/fixtures/archive/facts.toml")
    assert r.code == 0 and "sources differ on ginseng-understory-area for 2022" in r.out, r.out + r.err
    out = json.loads(run("--data", "tests/fixtures/archive/facts.toml", "stat", "ginseng-understory-area",
                         "--json").out)
    ends = [p["ends"] for p in out["series"]]
    assert ends == sorted(ends) and out["id"] == out["series"][-1]["id"]
    same_year = [p for p in out["series"] if p["ends"] == "2022-12-31"]
    assert len(same_year) == 2 and same_year[1]["change"] is None  # two sources on one year: no growth claimed


def test_the_latest_is_first_even_when_it_ranks_below_the_older(run) -> None:
    from conftest import ROOT

    archive = str(ROOT / "tests" / "fixtures" / "archive")
    out = json.loads(run("--data", archive, "search", "林下参面积", "--limit", "1", "--json").out)
    assert [h["id"] for h in out] == ["ginseng-understory-area-2023"] and "latest" not in out[0]
    text = run("--data", archive, "search", "林下参面积", "--limit", "3").out
    assert "今年 (2022)" in text  # a relative period is shown with what it means on the issue's date


@pytest.mark.parametrize("where", ["fixture", "synthetic", "updated"])
def test_the_latest_of_a_metric_read_without_its_facts_is_the_series_latest(where: str, tmp_path: Path) -> None:
    """Search marks older figures with the latest of their metric, read from the rank the index keeps beside
    each fact (`lookup._latest_of`): the same fact and period as the latest point of the whole series, on every
    metric; also after an article moved to a later issue was indexed again by the file (store/update.py)."""
    from conftest import ROOT

    from benchmarks.synth import generate
    from yanbian_cli.lookup import _latest_of, metric_series, open_base
    from yanbian_cli.series import latest

    fact_file = ROOT / "tests" / "fixtures" / "archive" / "facts.toml" if where == "fixture" else \
        generate(1500, tmp_path / "synth")
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    base = open_base(fact_file, env)
    metrics = base.store.metrics()
    if where == "updated":  # the first issue's articles reprinted in 2031: their 去年 is now 2030, the latest
        moved = sorted(fact_file.parent.glob("articles/*/*.toml"))[:8]
        for f in moved:
            f.write_text(f.read_text(encoding="utf-8").replace('date = "2019-01-01"', 'date = "2031-01-01"'),
                         encoding="utf-8")
        base.close()
        base = open_base(fact_file, env)
        assert base.store.conn.execute("SELECT count(*) FROM term_add").fetchone()[0] > 0  # (updated by the file)
        changed = {m for m in metrics if "2031" in _latest_of(base, m).article.date}
        assert any(_latest_of(base, m).period.end == "2030-12-31" for m in changed)
    assert len(metrics) >= (1 if where == "fixture" else 20)
    for metric in metrics:
        whole, light = latest(metric_series(base, metric)), _latest_of(base, metric)
        assert (light.fact, light.article, light.period) == (whole.fact, whole.article, whole.period), metric
