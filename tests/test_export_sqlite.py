"""`yb export --format sqlite`: a database Datasette and sqlite-utils open as they are, whose tables
hold the base, whose search finds Chinese, Korean and English, written whole or not at all."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from conftest import yb_command

from yanbian_cli import export_sqlite, lookup
from yanbian_cli.errors import OutputError, UsageError
from yanbian_cli.model import FACT_FIELDS, SOURCE_FIELDS, Fact, Field, Source
from yanbian_cli.render.json import fact_figure_en

TABLES = {"facts", "articles", "places", "topics", "metrics"}
HAS_METRIC = any(f.name == "metric" for f in FACT_FIELDS)  # the schema main is growing
# (column, table, column) of each link of facts
LINKS = {("source_article", "articles", "id"), ("place", "places", "name"), ("topic", "topics", "id"),
         *([("metric", "metrics", "metric")] if HAS_METRIC else [])}


@pytest.fixture(scope="module")
def exported(shipped, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped base exported once for the module (read-only: tests that write use their own)."""
    path = tmp_path_factory.mktemp("sqlite") / "facts.db"
    export_sqlite.write(lookup.export(shipped, "sqlite"), path, force=False, protected=set())
    return path


def connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]


# -- tables ---------------------------------------------------------------------------------


def test_the_tables_hold_the_whole_base(shipped, exported: Path) -> None:
    conn = connect(exported)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert TABLES <= names
    store = shipped.store
    count = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in TABLES}
    assert count == {"facts": len(store.facts()), "articles": len(store.articles()), "places": len(store.places()),
                     "topics": len(store.topics()), "metrics": 0}  # no fact of the shipped base has a metric
    assert count["facts"] == 90


def test_every_field_of_the_schema_is_a_column_the_source_flattened(exported: Path) -> None:
    cols = columns(connect(exported), "facts")
    expected = []
    for f in FACT_FIELDS:
        expected += [f"source_{s.name}" for s in SOURCE_FIELDS] if f.name == "source" else [f.name]
        if f.name == "value":
            expected.append("value_en")
    assert cols == expected


def test_a_fact_row_reads_back_as_the_fact(shipped, exported: Path) -> None:
    conn = connect(exported)
    conn.row_factory = sqlite3.Row
    rows = {r["id"]: r for r in conn.execute("SELECT * FROM facts")}
    for fact in shipped.store.facts():
        row = rows[fact.id]
        back = {}
        for f in FACT_FIELDS:
            if f.name == "source":
                back["source"] = Source(*(row[f"source_{s.name}"] for s in SOURCE_FIELDS))
            elif f.name == "aliases":
                back["aliases"] = tuple(json.loads(row["aliases"]))
            elif f.name == "draft":
                back["draft"] = bool(row["draft"])
            else:
                back[f.name] = "" if row[f.name] is None and not f.required else row[f.name]
        assert Fact(**back) == fact
        assert type(row["value"]) is type(fact.value)  # INTEGER, REAL, or an ISO date as TEXT
        assert row["value_en"] == fact_figure_en(fact)


def test_value_keeps_its_sqlite_type(exported: Path) -> None:
    types = dict(connect(exported).execute("SELECT unit, group_concat(DISTINCT typeof(value)) FROM facts GROUP BY unit"))
    assert types["date"] == "text" and types["count"] == "integer" and types["km2"] == "real"


def test_articles_keep_their_paragraphs_and_text(shipped, exported: Path) -> None:
    conn = connect(exported)
    for article in shipped.store.articles():
        paragraphs, text, title = conn.execute("SELECT paragraphs, text, title FROM articles WHERE id = ?",
                                               (article.id,)).fetchone()
        assert tuple(json.loads(paragraphs)) == article.paragraphs and title == article.title
        assert text == "\n\n".join(article.paragraphs)


def test_places_and_topics(shipped, exported: Path) -> None:
    conn = connect(exported)
    for place in shipped.store.places():
        within, aliases = conn.execute("SELECT within, aliases FROM places WHERE name = ?", (place.name,)).fetchone()
        assert (within or "") == place.within and tuple(json.loads(aliases)) == place.aliases
    assert {r[0] for r in conn.execute("SELECT id FROM topics")} == {t.id for t in shipped.store.topics()}


def test_foreign_keys_hold_and_are_declared(exported: Path) -> None:
    conn = connect(exported)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert {(r[3], r[2], r[4]) for r in conn.execute("PRAGMA foreign_key_list(facts)")} == LINKS
    indexed = {conn.execute(f'PRAGMA index_info("{r[1]}")').fetchone()[2] for r in conn.execute("PRAGMA index_list(facts)")}
    assert {"place", "topic", "source_article"} <= indexed


def test_a_filtered_export_stands_alone(shipped, tmp_path: Path) -> None:
    path = tmp_path / "ginseng.db"
    result = lookup.export(shipped, "sqlite", topic="ginseng")
    export_sqlite.write(result, path, force=False, protected=set())
    conn = connect(path)
    assert conn.execute("SELECT count(*) FROM facts").fetchone()[0] == len(result.rows) > 0
    assert {r[0] for r in conn.execute("SELECT id FROM articles")} == {f.source.article for f, _ in result.rows}
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


# -- metrics: built from the facts that carry one, whatever the schema holds ----------------------


def _fact(id: str, period: str, metric: str, unit: str = "mu"):
    from yanbian_cli.model import Fact, Source

    return Fact(id, f"标签{id}", f"label {id}", "", (), "1亩", 1, unit, "exact", "延边州", period, "t",
                Source("p", 1, "1亩"), metric=metric)


def test_metrics_take_the_facts_that_share_one_in_time_order() -> None:
    from yanbian_cli.model import Article

    page = Article("p", "", "", "", "", "article", "", "t", ("1亩",), date="2023-05-02")
    facts = [_fact("a", "2021年", "area"), _fact("b", "", ""), _fact("c", "2015年", "area"), _fact("d", "目前", "x")]
    rows = export_sqlite.metric_rows(facts, [page])
    assert rows == [("area", "标签a", "label a", "mu", 2, "2015", "2021"),
                    ("x", "标签d", "label d", "mu", 1, "as of 2023-05-02", "as of 2023-05-02")]
    assert export_sqlite.metric_rows([_fact("b", "", "")]) == []


def test_a_field_added_to_the_schema_becomes_a_column_and_metric_links(monkeypatch: pytest.MonkeyPatch) -> None:
    """What main is adding: an optional `metric` on facts. Facts that lack it hold NULL, and it links."""
    if not HAS_METRIC:
        monkeypatch.setattr(export_sqlite, "FACT_FIELDS", (*FACT_FIELDS, Field("metric", (str,), False, "a series")))
    fact = Fact("x-1", "标签", "a label", "", ("别名",), "12个", 12, "count", "exact", "p", "", "t", Source("a", 1, "共12个"))
    conn = sqlite3.connect(":memory:")
    export_sqlite.fill(conn, export_sqlite.tables([fact], [], [], []), [fact], fts=True)
    assert columns(conn, "facts")[-1] == "metric"
    assert ("metric", "metrics", "metric") in {(r[3], r[2], r[4]) for r in conn.execute("PRAGMA foreign_key_list(facts)")}
    assert conn.execute("SELECT metric FROM facts").fetchone() == (None,)
    assert conn.execute("SELECT count(*) FROM metrics").fetchone() == (0,)


# -- full-text search -------------------------------------------------------------------------


def found(conn: sqlite3.Connection, query: str) -> set[str]:
    """The facts Datasette's search box finds for `query` (it quotes each word, as escape_fts does)."""
    match = " ".join(f'"{w}"' for w in query.split())
    return {r[0] for r in conn.execute("SELECT id FROM facts WHERE rowid IN (SELECT rowid FROM facts_fts "
                                       "WHERE facts_fts MATCH ?)", (match,))}


def containing(conn: sqlite3.Connection, word: str) -> set[str]:
    cols = " || ' ' || ".join(f"coalesce({c}, '')" for c in export_sqlite.FTS_COLUMNS)
    return {r[0] for r in conn.execute(f"SELECT id FROM facts WHERE instr(lower({cols}), lower(?))", (word,))}


@pytest.mark.parametrize("word", ["人参", "面积", "参", "林下参", "蓝莓", "인삼", "면적", "연길", "ginseng", "Yanji"])
def test_search_finds_exactly_the_facts_that_contain_a_word(exported: Path, word: str) -> None:
    conn = connect(exported)
    assert found(conn, word) == containing(conn, word) != set()


def test_search_finds_english_by_its_stem_figures_and_words_together(exported: Path) -> None:
    conn = connect(exported)
    assert found(conn, "areas") >= containing(conn, "area ")
    assert "yanji-good-air-days-ratio-2021" in found(conn, "98.1")
    assert found(conn, "人参 面积") == containing(conn, "人参") & containing(conn, "面积") != set()
    assert found(conn, "ginseng-nowhere-word 人参") == set()


def test_a_long_chinese_run_is_found_whole_and_by_its_words(exported: Path) -> None:
    conn = connect(exported)
    whole = found(conn, "延边州宜参面积")  # a label, a run of 7 characters
    assert "ginseng-suitable-area" in whole and whole <= found(conn, "宜参 面积")


def test_search_text_writes_each_run_of_chinese_or_hangul_as_its_short_substrings() -> None:
    assert export_sqlite.search_text("近150万亩") == "近 150 万 万亩 亩"
    assert export_sqlite.search_text("인삼재배 area") == "인 인삼 인삼재 인삼재배 삼 삼재 삼재배 재 재배 배  area"
    tokens = export_sqlite.search_text("延边州宜参面积").split()
    assert "延边州宜参面积" in tokens and "宜参面积" in tokens and "延边州宜参" not in tokens
    assert export_sqlite.search_text("") == ""


def test_datasette_is_told_where_the_search_table_is(exported: Path) -> None:
    meta = json.loads(export_sqlite.metadata_path(exported).read_text(encoding="utf-8"))
    facts = meta["databases"]["facts"]["tables"]["facts"]
    assert (facts["fts_table"], facts["fts_pk"]) == ("facts_fts", "rowid")
    assert connect(exported).execute("SELECT count(*) FROM facts_fts").fetchone() == (90,)


def test_without_fts5_there_is_no_search_table_and_the_command_says_so(run, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_sqlite, "has_fts5", lambda: False)
    r = run("export", "--format", "sqlite", "-o", str(tmp_path / "f.db"))
    assert r.code == 0 and "no FTS5" in r.err
    conn = connect(tmp_path / "f.db")
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'facts_fts'").fetchone() == (0,)
    assert "fts_table" not in json.loads((tmp_path / "f.metadata.json").read_text())["databases"]["f"]["tables"]["facts"]


# -- Datasette's metadata ---------------------------------------------------------------------


def test_the_metadata_describes_every_table_and_column(exported: Path) -> None:
    meta_path = exported.with_name("facts.metadata.json")
    assert export_sqlite.metadata_path(exported) == meta_path
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    tables = meta["databases"]["facts"]["tables"]  # Datasette names a database by its file name, less .db
    conn = connect(exported)
    assert set(tables) == TABLES
    for name, table in tables.items():
        assert table["description"]
        assert list(table["columns"]) == columns(conn, name)
        assert all(isinstance(d, str) and d for d in table["columns"].values()), name
    assert tables["facts"]["columns"]["label"] == "what the figure measures, in Chinese"  # model's Field.about


def test_units_only_when_every_value_has_one_that_pint_reads() -> None:
    def facts_table(*units: str) -> export_sqlite.Table:
        facts = [Fact(f"x-{i}", "l", "l", "", (), "1", 1, u, "exact", "p", "", "t", Source("a", 1, "1"))
                 for i, u in enumerate(units)]
        return next(t for t in export_sqlite.tables(facts, [], [], []) if t.name == "facts")

    def units(*codes: str) -> object:
        return export_sqlite.metadata("d", [facts_table(*codes)], fts=False, title="", description="")[
            "databases"]["d"]["tables"]["facts"].get("units")

    assert units("ha", "ha") == {"value": "hectare"}
    assert units("ha", "mu") is None  # two units in one column
    assert units("mu") is None and units("CNY") is None  # pint reads mu as a milli atomic mass unit


def test_the_units_given_to_pint_are_the_units_meant() -> None:
    pint = pytest.importorskip("pint")
    ureg = pint.UnitRegistry()
    base = {"ha": (1e4, "m**2"), "km2": (1e6, "m**2"), "m2": (1, "m**2"), "t": (1000, "kg"), "kg": (1, "kg"),
            "km": (1000, "m"), "m": (1, "m"), "MW": (1e6, "W"), "kW": (1000, "W"), "percent": (0.01, ""),
            "day": (86400, "s"), "hour": (3600, "s"), "minute": (60, "s")}
    for code, name in export_sqlite.PINT_UNITS.items():
        quantity = ureg(name)
        if code in base:
            factor, unit = base[code]
            assert quantity.to(unit or "dimensionless").magnitude == pytest.approx(factor), code


# -- other tools open it ----------------------------------------------------------------------


def test_sqlite_utils_opens_it(exported: Path) -> None:
    sqlite_utils = pytest.importorskip("sqlite_utils")
    db = sqlite_utils.Database(exported)
    assert TABLES <= set(db.table_names())
    assert db["facts"].count == 90
    assert {(fk.column, fk.other_table, fk.other_column) for fk in db["facts"].foreign_keys} == LINKS
    assert db.execute("SELECT count(*) FROM facts WHERE rowid IN (SELECT rowid FROM facts_fts WHERE facts_fts "
                      "MATCH '\"人参\"')").fetchone()[0] > 0


# -- where it is written, and how ----------------------------------------------------------------


def test_the_command_needs_a_file_and_refuses_standard_output(run) -> None:
    r = run("export", "--format", "sqlite")
    assert (r.code, r.out) == (2, "")
    assert r.err == "yb: --format sqlite writes a binary file: name it with -o FILE.db\n"


@pytest.mark.parametrize("name", ["-", "/dev/stdout"])
def test_a_name_of_standard_output_is_standard_output(name: str, tmp_path: Path) -> None:
    """`-o -` (and /dev/stdout with the output redirected to a file, which is a file that exists) is the
    command's own output: a text format is written there, a database refused as without -o; no file named
    `-` is made."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    out = tmp_path / "out.txt"
    with open(out, "w", encoding="utf-8") as stdout:
        done = subprocess.run([*yb_command(), "export", "--format", "csv", "-o", name], stdout=stdout, check=False,
                              stderr=subprocess.PIPE, text=True, cwd=tmp_path, env=env, timeout=120)
    assert done.returncode == 0 and done.stderr == ""
    assert out.read_text(encoding="utf-8").startswith("id,label,")
    with open(out, "w", encoding="utf-8") as stdout:
        done = subprocess.run([*yb_command(), "export", "--format", "sqlite", "-o", name], stdout=stdout, check=False,
                              stderr=subprocess.PIPE, text=True, cwd=tmp_path, env=env, timeout=120)
    assert done.returncode == 2 and out.read_text(encoding="utf-8") == ""
    assert done.stderr == "yb: --format sqlite writes a binary file: name it with -o FILE.db\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "out.txt"]


def test_a_pipe_is_refused_without_waiting_for_a_reader(run, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    r = run("export", "--format", "sqlite", "-o", str(fifo), "--force")
    assert r.code == 2 and r.err.count("\n") == 1 and "pipe or terminal" in r.err


def test_an_existing_metadata_file_is_refused_before_anything_is_written(run, tmp_path: Path) -> None:
    (tmp_path / "f.metadata.json").write_text("mine", encoding="utf-8")
    r = run("export", "--format", "sqlite", "-o", str(tmp_path / "f.db"))
    assert r.code == 2 and "f.metadata.json exists; add --force" in r.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.metadata.json"]
    assert run("export", "--format", "sqlite", "-o", str(tmp_path / "f.db"), "--force").code == 0
    assert json.loads((tmp_path / "f.metadata.json").read_text(encoding="utf-8"))["databases"]["f"]


def test_a_failed_write_leaves_no_file_and_the_old_one_whole(shipped, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    def fail_halfway(conn: sqlite3.Connection, tables: object, facts: object, *, fts: bool) -> None:
        conn.execute("CREATE TABLE facts (id TEXT)")
        conn.commit()
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(export_sqlite, "fill", fail_halfway)
    result = lookup.export(shipped, "sqlite")
    with pytest.raises(OutputError, match="database or disk is full"):
        export_sqlite.write(result, tmp_path / "new.db", force=False, protected=set())
    assert list(tmp_path.iterdir()) == []  # neither the database, nor its temporary file, nor a journal
    old = tmp_path / "old.db"
    old.write_bytes(b"the previous export")
    with pytest.raises(OutputError):
        export_sqlite.write(result, old, force=True, protected=set())
    assert [p.name for p in tmp_path.iterdir()] == ["old.db"] and old.read_bytes() == b"the previous export"


def test_a_source_of_the_base_is_never_written(shipped, data_copy: Path) -> None:
    with pytest.raises(UsageError, match="source file"):
        export_sqlite.write(lookup.export(shipped, "sqlite"), data_copy, force=True, protected={str(data_copy)})


def test_the_installed_yb_writes_it_in_one_call(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "YB_DATA"}
    proc = subprocess.run([*yb_command(), "export", "-f", "sqlite", "-o", "facts.db", "--place", "延吉市"],
                          capture_output=True, text=True, encoding="utf-8", cwd=tmp_path, env=env, timeout=120)
    assert proc.returncode == 0 and proc.stdout == ""
    assert proc.stderr.startswith("yb: wrote facts.db (") and proc.stderr.count("\n") == 1
    assert "datasette facts.db -m facts.metadata.json" in proc.stderr
    assert connect(tmp_path / "facts.db").execute("PRAGMA foreign_key_check").fetchall() == []
