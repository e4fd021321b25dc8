"""Exports, called directly: columns and keys derived from the schema, a TOML that reads back the same."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from yanbian_cli import lookup
from yanbian_cli.export import fact_toml, render, to_delimited, to_markdown, to_ndjson
from yanbian_cli.factbase import check
from yanbian_cli.model import FACT_FIELDS, Article, Fact, Source

FACT = Fact("x-1", "标签|竖线", "a label", "", ("别名", "alias"), "12个", 12, "count", "exact", "延边州", "", "t",
            Source("a", 1, "共有12个\n展区"))
ARTICLE = Article("a", "标题", "", "记者甲", "", "article", "", "t", ("共有12个\n展区",))


def test_csv_columns_are_the_json_object_flattened() -> None:
    rows = list(csv.DictReader(io.StringIO(to_delimited([(FACT, ARTICLE)], ","))))
    assert list(rows[0])[:4] == ["id", "label", "label_en", "label_ko"] and list(rows[0])[-1] == "aliases"
    assert rows[0]["quote"] == "共有12个\n展区" and rows[0]["aliases"] == "别名; alias" and rows[0]["title"] == "标题"
    assert rows[0]["value_en"] == "12"


def test_an_empty_csv_still_has_its_header() -> None:
    assert to_delimited([], ",").splitlines()[0].startswith("id,label,label_en")


def test_tsv_keeps_one_line_a_fact() -> None:
    lines = to_delimited([(FACT, ARTICLE)], "\t").splitlines()
    assert len(lines) == 2 and lines[1].count("\t") == lines[0].count("\t")


def test_markdown_escapes_pipes_and_flattens_lines() -> None:
    row = to_markdown([(FACT, ARTICLE)]).splitlines()[2]
    assert "标签\\|竖线" in row and "《标题》 ¶1" in row


def test_ndjson_is_one_fact_object_a_line() -> None:
    (line,) = to_ndjson([(FACT, ARTICLE)]).splitlines()
    assert json.loads(line)["id"] == "x-1"


def test_fact_toml_writes_the_schema_in_order_and_leaves_out_empty_optional_keys() -> None:
    keys = [line.split(" = ")[0] for line in fact_toml(FACT).splitlines()[1:]]
    assert keys == [f.name for f in FACT_FIELDS if f.name not in ("label_ko", "quote_en", "quote_ko", "quote_zh", "note", "draft", "metric")]
    assert "draft = true" in fact_toml(FACT._replace(draft=True))


def test_a_toml_export_reads_back_as_the_same_facts(shipped, tmp_path: Path) -> None:
    result = lookup.export(shipped, "toml", topic="ginseng")
    path = tmp_path / "ginseng.toml"
    path.write_text(render(result), encoding="utf-8")
    base, problems = check(path)
    assert problems == [] and base is not None
    assert list(base.facts) == [f for f, _ in result.rows]
