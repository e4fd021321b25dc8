"""The full build on every core (indexer.py) writes the index the build in one process writes, and leaves
to that build whatever it cannot do as it would: every problem is reported as before."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from benchmarks.synth import generate
from yanbian_cli import indexer
from yanbian_cli.factbase import load
from yanbian_cli.lookup import _index
from yanbian_cli.store.schema import load_doc

KOREAN = ["인삼 재배 면적", "연길시 공기 우량일수", "림하삼 면적", "관광 수입", "로동력 취업", "전자상거래 판매액"]
TRADITIONAL = str.maketrans({"产": "產", "业": "業", "积": "積", "资": "資", "额": "額", "参": "參"})


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1,500 facts in 46 files; some articles Korean (with Korean labels and quotes), some traditional."""
    facts = generate(1500, tmp_path_factory.mktemp("archive") / "base")
    for i, path in enumerate(sorted((facts.parent / "articles").rglob("*.toml"))):
        text = path.read_text(encoding="utf-8")
        if i % 10 == 3:
            count = iter(range(10**6))
            text = text.replace('kind = "article"', 'kind = "article"\nlang = "ko"', 1)
            text = re.sub(r'label_en = "[^"]*"', lambda m: m.group() + (
                f'\nlabel_ko = "{KOREAN[(n := next(count)) % 6]}"\nquote_ko = "{KOREAN[(n + 1) % 6]} 늘었다"'), text)
        elif i % 7 == 5:
            text = text.translate(TRADITIONAL).replace('kind = "article"', 'kind = "article"\nlang = "zh-Hant"', 1)
        path.write_text(text, encoding="utf-8")
    return facts


def _copy(archive: Path, tmp_path: Path) -> Path:
    import shutil

    shutil.copytree(archive.parent, tmp_path / "base")
    return tmp_path / "base" / "facts.toml"


def _tables(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    """Every row of every table; docs read back (marshal may write equal rows in other bytes), the time of the
    build left out."""
    out = {}
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
        rows = conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
        if table == "meta":
            rows = [r for r in rows if r[0] != "built_at"]
        if table == "fact":
            rows = [r[:6] + (load_doc(r[6]),) + r[7:] for r in rows]
        if table in ("place", "topic"):
            rows = [r[:3] + (load_doc(r[3]),) + r[4:] for r in rows]
        out[table] = rows
    return out


def _one_process(fact_file: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(":memory:")
    _index(load(fact_file))(conn)
    return _tables(conn)


def _parallel(fact_file: Path, workers: int = 2) -> dict[str, list[tuple]] | None:
    fill = indexer.fill(fact_file, workers=workers, min_files=0)
    if fill is None:
        return None
    conn = sqlite3.connect(":memory:")
    fill(conn)
    return _tables(conn)


@pytest.mark.parametrize("part_files", [1, 7, 64])
def test_the_parallel_build_writes_what_the_build_in_one_process_writes(archive: Path, part_files: int,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(indexer, "PART_FILES", part_files)
    expected = _one_process(archive)
    got = _parallel(archive, workers=3 if part_files == 7 else 2)
    assert got is not None
    assert got.keys() == expected.keys()
    for table in expected:
        assert got[table] == expected[table], table
    vocab = dict(expected["meta"])["vocab_forms"].split("\n")
    assert len(vocab) > 1000 and json.loads(dict(expected["meta"])["readings"])  # Korean articles were read


def test_a_small_base_or_one_core_is_built_in_one_process(archive: Path) -> None:
    assert indexer.fill(archive, workers=2) is None  # 46 files: fewer than MIN_FILES
    assert indexer.fill(archive, workers=1, min_files=0) is None


@pytest.mark.parametrize("case", ["syntax", "value", "cross-file duplicate id"])
def test_a_problem_found_in_a_worker_is_reported_as_yb_check_reports_it(archive: Path, tmp_path: Path, run,
                                                                        monkeypatch: pytest.MonkeyPatch,
                                                                        case: str) -> None:
    fact_file = _copy(archive, tmp_path)
    files = sorted((fact_file.parent / "articles").rglob("*.toml"))
    text = files[30].read_text(encoding="utf-8")
    if case == "syntax":
        text = text.replace('text = "', 'text = "x', 1).replace('"\nvalue', '\nvalue', 1)
    elif case == "value":
        text = re.sub(r"\nvalue = [^\n]*", "\nvalue = 123456789", text, count=1)
    else:
        other = re.search(r'\[\[fact\]\]\nid = "([^"]*)"', files[2].read_text(encoding="utf-8")).group(1)
        text = re.sub(r'\[\[fact\]\]\nid = "[^"]*"', f'[[fact]]\nid = "{other}"', text, count=1)
    files[30].write_text(text, encoding="utf-8")
    monkeypatch.setattr(indexer, "MIN_FILES", 0)
    monkeypatch.setattr(indexer, "_cores", lambda: 2)
    assert indexer.fill(fact_file) is None  # the build in one process reports it
    built = run("--data", str(fact_file), "list", "--json")
    assert built.code == 3 and built.out == "" and "Traceback" not in built.err
    assert re.search(r"a000030\.toml: fact .*duplicate id" if case.endswith("id") else r"a000030\.toml:\d+",
                     built.err)  # at its file (and line: a duplicate id is reported at the fact)
    monkeypatch.setattr(indexer, "fill", lambda *args, **kwargs: None)  # as yb did before it had workers
    assert run("--data", str(fact_file), "list", "--json") == built
    first = built.err.removeprefix("yb: ").split("; run 'yb check'")[0].split(" (and ")[0]
    assert first in run("--data", str(fact_file), "check").out


@pytest.mark.parametrize("part_files", [8, 64])
def test_a_fact_of_another_files_article(archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        part_files: int) -> None:
    """A fact that names the article of another file: read in one process unless both files are in one part."""
    monkeypatch.setattr(indexer, "PART_FILES", part_files)
    fact_file = _copy(archive, tmp_path)
    files = sorted((fact_file.parent / "articles").rglob("*.toml"))
    first = files[0].read_text(encoding="utf-8")
    fact = "[[fact]]" + first.split("[[fact]]")[2]  # its source names its article: a000000
    files[0].write_text(first.replace(fact, "", 1), encoding="utf-8")
    files[20].write_text(files[20].read_text(encoding="utf-8") + "\n" + fact, encoding="utf-8")
    expected = _one_process(fact_file)
    assert _parallel(fact_file) == (None if part_files == 8 else expected)


def test_a_file_changed_after_it_was_checked_is_read_again_in_one_process(archive: Path, tmp_path: Path) -> None:
    fact_file = _copy(archive, tmp_path)
    fill = indexer.fill(fact_file, workers=2, min_files=0)
    assert fill is not None
    page = sorted((fact_file.parent / "articles").rglob("*.toml"))[10]
    page.write_text(page.read_text(encoding="utf-8").replace("综述", "综述(修订)", 1), encoding="utf-8")
    conn = sqlite3.connect(":memory:")
    fill(conn)
    assert _tables(conn) == _one_process(fact_file)


def test_a_worker_that_fails_leaves_the_build_to_one_process(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(job: object) -> None:
        raise MemoryError

    monkeypatch.setattr(indexer, "_analyse_part", broken)
    assert _parallel(archive) == _one_process(archive)
    monkeypatch.setattr(indexer, "_check_part", broken)
    assert indexer.fill(archive, workers=2, min_files=0) is None
