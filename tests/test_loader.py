"""Validation: the shipped base passes, and every kind of broken file is caught with its place."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DATA

from yanbian_cli.errors import DataError
from yanbian_cli.factbase import check, load
from yanbian_cli.locations import data_path


def problems_of(path: Path, **kwargs) -> list[str]:
    base, problems = check(path, **kwargs)
    assert (base is None) == bool(problems)
    return [str(p) for p in problems]


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace `old` in the file, or (for a fact file) in the article file of its base that holds it."""
    from conftest import holding

    path = holding(path, old)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_shipped_base_is_clean() -> None:
    base, problems = check(DATA / "facts.toml")
    assert problems == []
    assert base is not None and len(base.facts) >= 80 and len(base.articles) == 8


def test_every_article_is_cited() -> None:
    base = load(DATA / "facts.toml")
    assert {f.source.article for f in base.facts} == set(base.articles)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('text = "近150万亩"', 'text = "近160万亩"', 'fact "ginseng-suitable-area": field text: "近160万亩" is not inside'),
        ("value = 1500000", "value = 150", 'field value: 150 does not follow from "近150万亩" (reads as 1500000)'),
        ('value = 1500000', 'value = "a lot"', "field value: 'a lot' does not follow"),
        ('qualifier = "nearly"', 'qualifier = "exact"', 'field qualifier: "exact" does not follow from "近150万亩"'),
        ('unit = "mu"\nqualifier = "nearly"', 'unit = "km2"\nqualifier = "nearly"', 'field unit: "km2" does not follow'),
        ('quote = "延边州宜参面积近150万亩,占全省资源面积的70%"', 'quote = "延边州宜参面积近150万亩,占全省面积的70%"',
         'field source.quote: not found verbatim in article "ginseng" paragraph 2'),
        ('id = "ginseng-suitable-area"', 'id = "Ginseng Area"', "field id: must be lowercase"),
        ('id = "ginseng-suitable-area"', 'id = "yanji-good-air-days-2021"', 'fact "yanji-good-air-days-2021": field id: duplicate id'),
        ('label = "延边州宜参面积"', 'lable = "延边州宜参面积"', "field lable: unknown field (did you mean 'label'?)"),
        ('label = "延边州宜参面积"\n', "", "field label: missing"),
        ("value = 1500000", "value = [1500000]", "field value: expected an integer or a number or a string, got an array"),
        ('place = "延边州"\nperiod = ""\ntopic = "ginseng"', 'place = "长春市"\nperiod = ""\ntopic = "ginseng"',
         'field place: unknown place "长春市"'),
        ('topic = "ginseng"\nsource = { article = "ginseng", paragraph = 2, quote = "延边州宜参',
         'topic = "gin"\nsource = { article = "ginseng", paragraph = 2, quote = "延边州宜参', 'field topic: unknown topic "gin"'),
        ('article = "ginseng", paragraph = 2, quote = "延边州宜参', 'article = "ginseng", paragraph = 3, quote = "延边州宜参',
         "not found verbatim in article \"ginseng\" paragraph 3 (it is in paragraph 2)"),
        ('article = "ginseng", paragraph = 2, quote = "延边州宜参', 'article = "ginseng", paragraph = 99, quote = "延边州宜参',
         "field source.paragraph: article \"ginseng\" has paragraphs 1 to 7"),
        ('article = "ginseng", paragraph = 2, quote = "延边州宜参', 'article = "nope", paragraph = 2, quote = "延边州宜参',
         'field source.article: unknown article "nope"'),
        ("schema = 2", "schema = 3", "field schema: schema 3 is not supported"),
        ('ginseng = "articles/ginseng.toml"', 'ginseng = "articles/missing.toml"', "articles/missing.toml: no such file"),
    ],
)
def test_each_kind_of_problem_is_caught_with_its_place(data_copy: Path, old: str, new: str, expected: str) -> None:
    edit(data_copy, old, new)
    found = problems_of(data_copy)
    assert any(expected in p for p in found), found
    assert all(p.startswith(str(data_copy)) or "articles/" in p for p in found), found


def test_problems_carry_file_line_fact_and_field(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(data_copy.parent.parent)
    edit(data_copy, "value = 1500000", "value = 150")
    (problem,) = check(Path("data/facts.toml"))[1]
    line = (data_copy.parent / "articles" / "ginseng.toml").read_text(encoding="utf-8").splitlines()[problem.line - 1]
    assert line == 'id = "ginseng-suitable-area"'
    assert str(problem).startswith(f'data/articles/ginseng.toml:{problem.line}: fact "ginseng-suitable-area": '
                                   "field value: ")


def test_every_problem_is_reported_at_once(data_copy: Path) -> None:
    edit(data_copy, "value = 1500000", "value = 150")
    edit(data_copy, 'text = "98.1%"', 'text = "98.2%"')
    edit(data_copy, 'label = "延边州宜参面积"', 'lable = "延边州宜参面积"')
    found = problems_of(data_copy)
    assert len(found) >= 3
    assert any("98.2%" in p for p in found) and any("lable" in p for p in found)


def test_toml_syntax_error_has_line_and_column(data_copy: Path) -> None:
    edit(data_copy, 'text = "近150万亩"', 'text = "近150万亩')
    (problem,) = problems_of(data_copy)
    assert "invalid TOML" in problem
    file, line = problem.split(":")[0], int(problem.split(":")[1])
    assert 'text = "近150万亩' in Path(file).read_text(encoding="utf-8").splitlines()[line - 1]


def test_article_problems_name_the_article_file(data_copy: Path) -> None:
    article = data_copy.parent / "articles" / "ginseng.toml"
    edit(article, 'byline = "记者张琰 相文雅"', 'byline = 3')
    found = problems_of(data_copy)
    assert any("articles/ginseng.toml" in p and "field byline: expected a string, got an integer" in p for p in found)


def test_article_id_must_match_its_key(data_copy: Path) -> None:
    edit(data_copy.parent / "articles" / "tumen.toml", 'id = "tumen"', 'id = "tumen2"')
    assert any('article id "tumen2" differs from its key "tumen"' in p for p in problems_of(data_copy))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "file is empty"),
        (b"   \n\n", "file is empty"),
        (b"\xff\xfeschema = 1\n", "not UTF-8 text"),
        (b"schema = 1\n[[fact]\n", "invalid TOML"),
        (b"schema = 1\narticles = {}\nfact = []\n", "field fact: no facts"),
        (b"a = " + b"[" * 5000 + b"]" * 5000 + b"\n", "invalid TOML"),
    ],
)
def test_unusable_files(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "facts.toml"
    path.write_bytes(content)
    found = problems_of(path)
    assert any(expected in p for p in found), found


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert problems_of(tmp_path / "nope.toml") == [f"{tmp_path / 'nope.toml'}: no such file"]
    (tmp_path / "dir").mkdir()
    assert any("is a folder" in p for p in problems_of(tmp_path / "dir"))


def test_load_raises_data_error_with_all_problems(data_copy: Path) -> None:
    edit(data_copy, "value = 1500000", "value = 150")
    edit(data_copy, 'text = "98.1%"', 'text = "98.2%"')
    with pytest.raises(DataError) as info:
        load(data_copy)
    # 98.2% is both outside its quote and a value that does not follow: three problems in all
    assert len(info.value.problems) == 3
    assert "(+2 more); run 'yb check'" in str(info.value)


def test_drafts_need_the_drafts_flag(data_copy: Path) -> None:
    # in the fact file, a draft is a problem without --drafts
    (data_copy.parent / "drafts.toml").write_text(
        data_copy.read_text(encoding="utf-8") + "\n" + _fact_block(data_copy)
        .replace("ginseng-suitable-area", "ginseng-suitable-area-draft") + "draft = true\n", encoding="utf-8")
    assert any("field draft" in p for p in problems_of(data_copy.parent / "drafts.toml"))
    assert problems_of(data_copy.parent / "drafts.toml", allow_drafts=True) == []
    # in an article file (schema 2), it is held back until reviewed
    edit(data_copy, 'id = "ginseng-suitable-area"', 'id = "ginseng-suitable-area"\ndraft = true')
    base, problems = check(data_copy)
    assert problems == [] and base is not None and base.pending == ("ginseng-suitable-area",)
    assert "ginseng-suitable-area" not in {f.id for f in base.facts}
    assert problems_of(data_copy, allow_drafts=True) == []


def _fact_block(data_copy: Path) -> str:
    from conftest import holding

    text = holding(data_copy, 'id = "ginseng-suitable-area"').read_text(encoding="utf-8")
    block = text[text.index('[[fact]]\nid = "ginseng-suitable-area"'):]
    return block[:block.index("\n[[fact]]") + 1]


def test_data_path_order(tmp_path: Path) -> None:
    (tmp_path / "facts.toml").write_text("", encoding="utf-8")
    env = {"YB_DATA": str(tmp_path)}
    assert data_path(None, env) == tmp_path / "facts.toml"
    assert data_path("other.toml", env) == Path("other.toml")
    assert data_path(None, {}).name == "facts.toml"


def test_topic_and_place_tables_are_checked(data_copy: Path) -> None:
    edit(data_copy, 'within = "延吉市"', 'within = "长春市"')  # 三道湾镇 within an unknown place
    edit(data_copy, 'label_en = "employment"', 'label_en = 3')
    text = data_copy.read_text(encoding="utf-8")
    data_copy.write_text(text.replace("[topic.ecology]\n", "[topic]\nspare = 1\n[topic.ecology]\n"), encoding="utf-8")
    found = problems_of(data_copy)
    assert any('field place."三道湾镇".within: unknown place "长春市"' in p for p in found), found
    assert any("field topic.employment.label_en: expected a string" in p for p in found), found
    assert any("field topic.spare: expected a table" in p for p in found), found


def test_the_korean_translations_keep_every_number_of_the_quote() -> None:
    """quote_ko is a translation: every Arabic number the Chinese sentence gives stands in it too
    (the English one writes magnitudes in words: 74亿元 is 7.4 billion yuan)."""
    import re

    for fact in load(DATA / "facts.toml").facts:
        assert fact.quote_en and fact.quote_ko, fact.id
        for number in re.findall(r"\d+(?:\.\d+)?", fact.source.quote):
            assert number in fact.quote_ko, (fact.id, number)


def _schema2_base(tmp_path: Path) -> Path:
    """A schema-2 base: no facts in the fact file; one article file listed nowhere, carrying its own facts."""
    (tmp_path / "articles" / "2023-05-02").mkdir(parents=True)
    (tmp_path / "facts.toml").write_text(
        'schema = 2\n[publication]\npaper = "延边日报"\n[topic.ginseng]\nlabel = "人参"\nlabel_en = "ginseng"\n'
        'aliases = []\n[place."延边州"]\nlabel_en = "Yanbian"\naliases = []\nwithin = ""\n', encoding="utf-8")
    (tmp_path / "articles" / "2023-05-02" / "ginseng.toml").write_text(
        'id = "ginseng-2023"\ntitle = "人参"\ntitle_en = "Ginseng"\nbyline = ""\nkind = "article"\nsection = ""\n'
        'topic = "ginseng"\ndate = "2023-05-02"\npage = "3"\nparagraphs = ["去年,林下参留存面积24万亩。"]\n\n'
        '[[fact]]\nid = "understory-2022"\nmetric = "ginseng-understory-area"\nlabel = "林下参留存面积"\n'
        'label_en = "understory ginseng area"\naliases = []\ntext = "24万亩"\nvalue = 240000\nunit = "mu"\n'
        'qualifier = "exact"\nplace = "延边州"\nperiod = "去年"\ntopic = "ginseng"\n'
        'source = { paragraph = 1, quote = "林下参留存面积24万亩" }\n', encoding="utf-8")
    return tmp_path / "facts.toml"


def test_schema_2_reads_every_article_file_of_the_folder_with_its_own_facts(tmp_path: Path) -> None:
    base, problems = check(_schema2_base(tmp_path))
    assert problems == [] and base is not None
    article = base.articles["ginseng-2023"]
    assert (article.date, article.page) == ("2023-05-02", "3")
    (fact,) = base.facts
    assert fact.source.article == "ginseng-2023" and fact.metric == "ginseng-understory-area"
    # a problem in an article file's fact is reported at that file
    page = tmp_path / "articles" / "2023-05-02" / "ginseng.toml"
    page.write_text(page.read_text(encoding="utf-8").replace("value = 240000", "value = 24"), encoding="utf-8")
    base, problems = check(tmp_path / "facts.toml")
    assert base is None and any("ginseng.toml" in p.file and p.field == "value" for p in problems), problems


def test_adding_an_article_file_is_seen_by_the_next_call(tmp_path: Path) -> None:
    import shutil

    from yanbian_cli.lookup import open_base

    fact_file = _schema2_base(tmp_path)
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    assert [f.id for f in open_base(fact_file, env).store.facts()] == ["understory-2022"]
    folder = tmp_path / "articles" / "2024-05-02"
    folder.mkdir()
    text = (tmp_path / "articles" / "2023-05-02" / "ginseng.toml").read_text(encoding="utf-8")
    (folder / "ginseng.toml").write_text(text.replace("ginseng-2023", "ginseng-2024").replace(
        "understory-2022", "understory-2023").replace("2023-05-02", "2024-05-02"), encoding="utf-8")
    assert [f.id for f in open_base(fact_file, env).store.facts()] == ["understory-2022", "understory-2023"]
    shutil.rmtree(folder)
    assert [f.id for f in open_base(fact_file, env).store.facts()] == ["understory-2022"]


def _with_glossary(data_copy: Path, text: str) -> Path:
    """The copy with `glossary = "glossary.toml"` holding `text` (replacing the shipped glossary if any)."""
    facts = data_copy.read_text(encoding="utf-8")
    if 'glossary = "' not in facts:
        data_copy.write_text(facts.replace("schema = 2\n", 'schema = 2\nglossary = "glossary.toml"\n', 1),
                             encoding="utf-8")
    (data_copy.parent / "glossary.toml").write_text(text, encoding="utf-8")
    return data_copy


def test_a_glossary_is_read_into_groups_and_checked_at_its_file(data_copy: Path) -> None:
    from yanbian_cli.model import Synonyms

    good = _with_glossary(data_copy, '[[synonyms]]\nzh = ["采摘"]\nen = ["picking"]\nko = ["따기", "채취", " "]\n')
    base, found = check(good)
    assert found == [] and base is not None
    assert base.synonyms == (Synonyms(("采摘",), ("picking",), ("따기", "채취")),)
    assert any(s.path.endswith("glossary.toml") for s in base.stamps)  # a changed glossary is seen
    _with_glossary(data_copy, '[[synonyms]]\nzh = ["采摘"]\nfr = ["cueillette"]\n[[synonyms]]\nen = ["alone"]\n'
                              '[[synonyms]]\nko = [1, "따기"]\nzh = ["采摘"]\nnote = 2\n')
    shown = problems_of(data_copy)
    assert any("glossary.toml" in p and "synonyms[1].fr" in p and "unknown field" in p for p in shown)
    assert any("synonyms[2]" in p and "two words or more" in p for p in shown)
    assert any("synonyms[3].note" in p for p in shown)
    _with_glossary(data_copy, "synonyms = 3\n")
    assert any("synonyms" in p and "expected an array of tables" in p for p in problems_of(data_copy))
    (data_copy.parent / "glossary.toml").unlink()
    assert any("glossary.toml" in p and "no such file" in p for p in problems_of(data_copy))


# TOML that toml_rs (TOML 1.1 by default) and tomllib (1.0) once read differently, values whose types or
# time zones could differ, nesting, and the BOM: read_toml must give exactly what tomllib gives.
TOML_SAMPLES = [
    'a = "\\e"', 'a = "\\x41"', "a = {b = 1,\n c = 2}", "a = {b=1,}", "t = 07:32", "a = 1987-07-05T17:45",
    "a = 1979-05-27T07:32:00Z", "a = 1979-05-27T07:32:00+05:30", "a = 1979-05-27T07:32:00.999999999-07:00",
    "a = 1979-05-27 07:32:00", "a = 1979-05-27", "a = 07:32:00.5", "a = 99999999999999999999", "a = 1e400",
    "a = -nan", "a = +inf", "a = 0x_1", "a = 1__0", "a = 3.0e+2_0", "a = 0o17\nb = 0b101\nc = -0.0",
    'a = """\nx\r\ny\\\n   z"""', "a = '''x'''", 'a = "x"\na = 1', "[a]\n[a]", "a.b = 1\n[a]\nc = 1",
    'x = 1 # \x01', "x = 1\r", "\ufeffa = 1", 'a = "\u200b"', "a = [1, [2, [3, {b = [4]}]]]",
    "a = " + "[" * 200 + "]" * 200, "a = " + "[" * 400 + "]" * 400, "a = " + "{b=" * 300 + "1" + "}" * 300,
    "a = " + "9" * 5000, "a = 1" + "_0" * 4300, "a = 0x" + "f" * 5000, "a = 0.1" + "1" * 5000, "a = 0000-01-01",
    "a = 1979-02-30", "a = 1979-05-27T07:32:60Z", "a = 00:00:60", "a = 9223372036854775808", "a = -0",
    "[[fact]]\nid = 1\n[[fact]]\nid = 2",
]


@pytest.mark.parametrize("text", TOML_SAMPLES, ids=range(len(TOML_SAMPLES)))
def test_toml_is_read_as_tomllib_reads_it(text: str, tmp_path: Path) -> None:
    import sys
    import tomllib

    from yanbian_cli.factbase.sources import read_toml

    path = tmp_path / "a.toml"
    path.write_bytes(text.encode("utf-8"))
    problems: list = []
    got = read_toml(path, problems)
    try:
        expected, error = tomllib.loads(text.removeprefix("\ufeff")), None
    except tomllib.TOMLDecodeError as exc:
        expected, error = None, str(exc).split(" (at line")[0].removesuffix(" (at end of document)")
    except (RecursionError, ValueError) as exc:
        expected, error = None, type(exc).__name__
    if error is None:
        digits = sys.get_int_max_str_digits()
        sys.set_int_max_str_digits(0)
        try:
            assert problems == [] and repr(got) == repr(expected)  # the same types and time zones, not only ==
        finally:
            sys.set_int_max_str_digits(digits)
    else:
        assert got is None and len(problems) == 1 and "invalid TOML" in problems[0].message
        assert error in problems[0].message or error in ("RecursionError", "ValueError")


def test_a_file_toml_rs_cannot_read_is_reported_as_tomllib_reports_it(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from yanbian_cli.factbase import sources

    reports = []
    for fast in (True, False):
        if not fast:
            monkeypatch.setattr(sources, "_FAST", [None])
        path = tmp_path / "facts.toml"
        path.write_text('schema = 1\n[publication]\npaper = "x"\nnote = "a \\e b"\n', encoding="utf-8")
        reports.append(problems_of(path))
    assert reports[0] == reports[1] and "invalid TOML" in reports[0][0] and ":4:" in reports[0][0]


def test_the_fast_parser_is_there_where_it_is_a_dependency() -> None:
    import sys

    from yanbian_cli.factbase.sources import _fast_parser

    assert (_fast_parser() is not None) == (sys.version_info >= (3, 11))


def test_a_syntax_error_at_the_end_of_the_file_has_its_line(tmp_path: Path) -> None:
    # (a QA pass: 'broken = [' as the last line gave "invalid TOML: Invalid value (at end of document)", no line)
    path = tmp_path / "facts.toml"
    path.write_text("schema = 1\nbroken = [\n", encoding="utf-8")
    assert problems_of(path) == [f"{path}:2:11: invalid TOML: Invalid value at the end of the file"]
