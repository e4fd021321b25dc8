"""Hostile input and broken environments: one clear line and a documented exit code, nothing
lost, and no text from the data ever driving the terminal."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from conftest import ROOT, one_line, yb_command
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from yanbian_cli.cli import main
from yanbian_cli.lookup import MAX_QUERY_CHARS
from yanbian_cli.model import Article, Fact, Source
from yanbian_cli.search import STOPWORDS
from yanbian_cli.search.words import EN_WANT_ONLY

HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
ESC = "\x1b"
SGR = re.compile(r"\x1b\[[0-9;]*m")  # Rich's own colour codes (only when colour is on)


def yb(*args: str | bytes, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The installed yb; bytes arguments go to it undecoded."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    full_env.update(env or {})
    return subprocess.run([*yb_command(), *args], capture_output=True, env=full_env, cwd=cwd, timeout=120)


# -- bad fact files -----------------------------------------------------------------------


def _write(path: Path, content: str | bytes) -> Path:
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def _broken_copy(data_copy: Path, old: str, new: str) -> Path:
    from conftest import replace_in_base

    replace_in_base(data_copy, old, new)
    return data_copy


BAD_FILES = {
    "syntax error": (lambda d, t: _broken_copy(d, 'text = "近150万亩"', 'text = "近150万亩'), ["invalid TOML", ":"]),
    "not UTF-8": (lambda d, t: _write(t / "latin1.toml", "schema = 1\nlabel = '延边'\n".encode("gb18030")),
                  ["not UTF-8 text"]),
    "empty file": (lambda d, t: _write(t / "empty.toml", b""), ["file is empty"]),
    "missing file": (lambda d, t: t / "nope.toml", ["no such file"]),
    "missing folder": (lambda d, t: t / "no" / "such" / "folder" / "facts.toml", ["no such file"]),
    # a folder stands for its facts.toml, and one without it is told so (not "is a folder, not a file")
    "a folder given as the file": (lambda d, t: (t / "adir").mkdir() or t / "adir", ["adir/facts.toml: no such file"]),
    "wrong type": (lambda d, t: _broken_copy(d, "value = 1500000", 'value = "many"'),
                   ['fact "ginseng-suitable-area": field value']),
    "missing field": (lambda d, t: _broken_copy(d, 'label = "延边州宜参面积"\n', ""),
                      ['fact "ginseng-suitable-area": field label: missing']),
    "unknown field": (lambda d, t: _broken_copy(d, 'label = "延边州宜参面积"', 'lable = "延边州宜参面积"'),
                      ["field lable: unknown field"]),
    "duplicate id": (lambda d, t: _broken_copy(d, 'id = "ginseng-suitable-area"', 'id = "yanji-good-air-days-2021"'),
                     ["duplicate id"]),
    "quote not in its article": (lambda d, t: _broken_copy(d, "占全省资源面积的70%", "占全省面积的70%"),
                                 ["not found verbatim"]),
    "article file missing": (lambda d, t: (d.parent / "articles" / "tumen.toml").unlink() or d,
                             ["articles/tumen.toml: no such file"]),
    "deeply nested": (lambda d, t: _write(t / "deep.toml", "a = " + "[" * 50000 + "]" * 50000 + "\n"),
                      ["nested too deeply"]),
    "deeply nested tables": (lambda d, t: _write(t / "deep-tables.toml", "[" + ".".join(["a"] * 20000) + "]\n"),
                             []),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_fact_files(case: str, data_copy: Path, tmp_path: Path) -> None:
    make, needles = BAD_FILES[case]
    path = make(data_copy, tmp_path)
    for args in (["--data", str(path), "stat", "ginseng-suitable-area"], ["check", str(path)]):
        proc = yb(*args)
        out, err = proc.stdout.decode(), proc.stderr.decode()
        assert proc.returncode == 3, (case, args, proc.returncode, err)
        assert "Traceback" not in out + err
        if args[0] == "check":  # the problems are the output, on stdout, one a line
            assert all(n in out for n in needles), out
        else:
            one_line(proc, 3, *needles)
            assert "run 'yb check'" in err


def test_a_huge_fact_file_fails_cleanly_without_a_hang(tmp_path: Path) -> None:
    """50 MB: parsed, found wanting, reported. (How long it takes is measured by benchmarks/, not here.)"""
    path = tmp_path / "huge.toml"
    with path.open("w", encoding="utf-8") as f:
        f.write('schema = 1\nblob = "')
        f.write("延边" * (50 * 2**20 // 6))
        f.write('"\n')
    assert path.stat().st_size >= 50 * 2**20
    proc = yb("check", str(path))
    out = proc.stdout.decode()
    assert proc.returncode == 3 and "field blob: unknown field" in out and "field articles: missing" in out


def test_check_lists_every_problem_and_the_others_refuse_with_the_first(data_copy: Path, tmp_path: Path) -> None:
    _broken_copy(data_copy, "value = 1500000", "value = 15")
    _broken_copy(data_copy, 'text = "98.1%"', 'text = "98.2%"')
    proc = yb("check", str(data_copy))
    assert proc.returncode == 3 and proc.stdout.decode().strip().endswith("3 problems")
    one_line(yb("--data", str(data_copy), "list"), 3, "(+2 more)")


# -- bad queries and arguments ------------------------------------------------------------

BAD_ARGS = [
    (["search", ""], 2, "the query is empty"),
    (["search", "   "], 2, "the query is empty"),
    (["search", "x" * 100_000], 2, f"the limit is {MAX_QUERY_CHARS}"),
    (["search", "人参\x1b[31m"], 2, "control characters"),
    (["search", "a\tb"], 2, "control characters"),
    (["search", b"\xff\xfe\xfd"], 2, "not valid UTF-8"),
    (["stat", b"ginseng-\xe4\xba"], 2, "not valid UTF-8"),
    (["source", b"\xff"], 2, "the article is not valid UTF-8"),  # (it blamed the cache, exit 3)
    (["list", "--article", b"\xff"], 2, "the article is not valid UTF-8"),
    (["chart", b"\xff"], 2, "the key is not valid UTF-8"),
    (["search", "人参", "--topic", b"\xff"], 2, "the topic is not valid UTF-8"),
    (["search", "?!…。，"], 2, "no words or numbers"),
    (["search", "人参", "--limit", "0"], 2, "--limit"),
    (["search", "人参", "--limit", "-5"], 2, "--limit"),
    (["search", "人参", "--limit", "ten"], 2, "--limit"),
    (["search", "人参", "--topic", "weather"], 2, "unknown topic 'weather'"),
    (["search", "人参", "--place", "Pyongyang"], 2, "unknown place 'Pyongyang'"),
    (["list", "--article", "sports"], 1, "no article 'sports'"),
    (["stat", "no-such-fact", "--strict"], 1, "no fact has the id 'no-such-fact'"),
    (["source", "no-such-article"], 1, "no article 'no-such-article'"),
    (["search", "zqxjkvw"], 1, "the page says nothing about 'zqxjkvw'"),
    (["nosuchcommand"], 2, "No such command"),
    (["search", "人参", "--no-such-option"], 2, "No such option"),
]


@pytest.mark.parametrize(("args", "code", "message"), BAD_ARGS, ids=[repr(a[:2])[:40] for a, _, _ in BAD_ARGS])
def test_bad_queries_and_arguments(args: list, code: int, message: str, tmp_path: Path) -> None:
    proc = yb(*args)
    one_line(proc, code, message)
    assert proc.stdout == b""


def test_utf8_arguments_under_a_c_locale_are_read_as_utf8() -> None:
    # Python reads them as surrogates when UTF-8 mode is off; they are valid UTF-8 all the same
    proc = yb("search", "人参", "--json", env={"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"})
    assert proc.returncode == 0 and json.loads(proc.stdout), proc.stderr


def test_a_huge_limit_is_fine(tmp_path: Path) -> None:
    proc = yb("search", "人参", "--limit", "99999999999999999999", "--json")
    assert proc.returncode == 0 and len(json.loads(proc.stdout)) > 10


def test_a_nul_in_the_query(run) -> None:
    """argv cannot carry NUL; a caller of main() can."""
    r = run("search", "人参\x00")
    assert r.code == 2 and r.err == "yb: the query contains control characters\n"


# -- output safety --------------------------------------------------------------------------

HOSTILE_COMMANDS = [
    ["stat", "hostile-markup"], ["stat", "hostile-rtl"], ["stat", "hostile-long"], ["stat", "标签"],
    ["search", "资金"], ["search", "展区", "--explain"], ["search", "面积"], ["list"], ["source", "h"],
    ["topics"], ["places"], ["check"], ["index"], ["cite", "hostile-markup"], ["cite", "hostile-rtl", "--lang", "en"],
    ["cite", "hostile-long", "--markdown"], ["chart", "--topic", "hostile", "--unit", "CNY"],
    ["chart", "hostile-long"], ["export", "--format", "toml"],
]


@pytest.mark.parametrize("args", HOSTILE_COMMANDS, ids=[" ".join(a) for a in HOSTILE_COMMANDS])
@pytest.mark.parametrize("colour", ["pipe", "FORCE_COLOR", "COLUMNS=40"])
def test_hostile_data_never_reaches_the_terminal(args: list[str], colour: str, tmp_path: Path) -> None:
    env = {"YB_DATA": str(HOSTILE)}
    if colour == "FORCE_COLOR":
        env["FORCE_COLOR"] = "1"
    if colour == "COLUMNS=40":
        env["COLUMNS"] = "40"
    proc = yb(*args, env=env)
    out, err = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    assert proc.returncode == 0, err
    assert all(line.startswith("yb: took ") for line in err.splitlines()) and ESC not in err  # only the note of stat
    shown = SGR.sub("", out)  # Rich's own colours, when it was told to use them
    assert ESC not in shown and "\x9b" not in shown and "\x07" not in shown and "\x00" not in shown
    assert "\u202e" not in shown and "\r" not in shown
    if args[0] in ("stat", "source") and args[-1] in ("hostile-markup", "h"):
        assert "[bold red]" in shown or "[bold]" in shown or "[red]展区[/red]" in shown  # markup shown as typed
        assert "\\x1b[31m" in shown  # the escape shown as text


@pytest.mark.parametrize("args", [["stat", "hostile-markup", "--json"], ["search", "资金", "--json"], ["list", "--json"],
                                  ["source", "h", "--json"], ["topics", "--json"], ["places", "--json"]])
def test_json_output_stays_exact_json(args: list[str], tmp_path: Path) -> None:
    proc = yb(*args, env={"YB_DATA": str(HOSTILE)})
    assert proc.returncode == 0
    text = proc.stdout.decode("utf-8")
    assert "\\u001b" in text  # JSON writes the data's escape characters escaped ...
    data = json.loads(text)  # ... and round-trips them exactly

    def strings(x: object) -> list[str]:
        if isinstance(x, str):
            return [x]
        if isinstance(x, dict):
            return [s for v in x.values() for s in strings(v)]
        if isinstance(x, list):
            return [s for v in x for s in strings(v)]
        return []

    assert any(ESC in s or "\u202e" in s for s in strings(data))


@pytest.mark.parametrize("fmt", ["csv", "tsv", "markdown", "ndjson", "toml"])
def test_export_is_exact_into_a_pipe_and_safe_on_a_terminal(fmt: str, tmp_path: Path) -> None:
    import pty

    env = {**{k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")},
           "YB_DATA": str(HOSTILE)}
    piped = subprocess.run([*yb_command(), "export", "--format", fmt], capture_output=True, env=env, timeout=60)
    assert piped.returncode == 0
    if fmt in ("csv", "tsv", "markdown"):  # the data, exactly, for the file or program reading it
        assert ESC.encode() in piped.stdout
    leader, follower = pty.openpty()
    proc = subprocess.Popen([*yb_command(), "export", "--format", fmt], stdout=follower, stderr=follower, env=env)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    assert proc.wait(timeout=60) == 0
    os.close(leader)
    assert ESC.encode() not in shown and b"\xe2\x80\xae" not in shown  # no ESC, no U+202E on the terminal


def test_markup_and_escapes_are_shown_not_obeyed_in_error_lines(tmp_path: Path) -> None:
    broken = tmp_path / "data"
    import shutil

    shutil.copytree(HOSTILE, broken)
    facts = broken / "facts.toml"
    facts.write_text(facts.read_text(encoding="utf-8").replace('text = "12个"', 'text = "13个"'), encoding="utf-8")
    proc = yb("--data", str(broken), "list")
    err = one_line(proc, 3)
    assert ESC not in err


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=40))
@example(query="COST")  # (found by this test in a CI run: it only asks for a kind of figure)
def test_any_unicode_query_gives_json_or_one_line(query: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(["search", query, "--json"])
            code = 0
        except SystemExit as exc:
            code = exc.code
    assert "Traceback" not in err.getvalue()
    if code in (0, 1):  # an answer, or none: JSON all the same
        hits = json.loads(out.getvalue())
        assert isinstance(hits, list) and (code == 0) == bool(hits)
        assert err.getvalue().count("\n") == (1 if code else 0)
    else:  # refused: nothing on stdout, one line on stderr
        assert code == 2 and out.getvalue() == "" and err.getvalue().startswith("yb: ")
        assert err.getvalue().count("\n") == 1
    # What must be refused, whatever the search would make of it:
    if any(unicodedata.category(c) == "Cc" for c in query) or not query.strip() or len(query) > 1000:
        assert code == 2
    # What must be searched: a word of letters (not one that only asks for a kind of figure, as `cost` or `people`
    # do: such a query alone is refused, "add what you are looking for").
    if query.isalpha() and query.isascii() and len(query) > 3 and query.lower() not in STOPWORDS | EN_WANT_ONLY:
        assert code in (0, 1)
    if query.strip().lower() in EN_WANT_ONLY:
        assert code == 2 and "question words" in err.getvalue()


_HOSTILE_CHARS = st.sampled_from(["\x1b[31m", "\x1b]8;;http://x\x1b\\", "\x1b]52;c;eA==\x07", "\x9b2J", "\u202e",
                                  "\u2066", "\u200b", "\r", "\x08", "\x00", "[bold]", "[/]", "[link=x]", "\\", "\x7f"])
_HOSTILE_TEXT = st.lists(st.one_of(_HOSTILE_CHARS, st.text(max_size=5)), max_size=8).map("".join)


@settings(max_examples=60, deadline=None)
@given(label=_HOSTILE_TEXT, quote=_HOSTILE_TEXT, title=_HOSTILE_TEXT, place=_HOSTILE_TEXT)
def test_any_hostile_fact_renders_without_a_terminal_escape(label: str, quote: str, title: str, place: str) -> None:
    from yanbian_cli.lookup import ArticleView, FactList, Hit, StatResult
    from yanbian_cli.render import terminal

    quote = quote + "12个"
    fact = Fact("x", label, label, label, (label,), "12个", 12, "count", "exact", place, label, "t",
                Source("a", 1, quote), note=label)
    article = Article("a", title, title, title, title, "article", title, "t", (quote,))
    for colour in ("", "1"):
        out = io.StringIO()
        env = {"FORCE_COLOR": colour} if colour else {}
        with contextlib.redirect_stdout(out), _env(env):
            terminal.print_stat(StatResult(Hit(fact, article), exact=False, key=label, also=(fact,)))
            terminal.print_list(FactList([Hit(fact, article)]))
            terminal.print_article(ArticleView(article, [fact]))
        shown = SGR.sub("", out.getvalue())
        assert ESC not in shown and "\x9b" not in shown and "\x00" not in shown and "\u202e" not in shown


@contextlib.contextmanager
def _env(values: dict[str, str]):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


# -- pipes, terminals, locales --------------------------------------------------------------


@pytest.mark.parametrize("args", [["search", "人参"], ["list"], ["source", "ginseng"], ["list", "--json"]])
def test_a_closed_pipe_ends_quietly(args: list[str], tmp_path: Path) -> None:
    env = dict(os.environ)
    yb("stat", "ginseng-suitable-area")  # build the index first
    proc = subprocess.Popen([*yb_command(), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None
    proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0 and all(line.startswith("yb: ") and " of " in line for line in err.splitlines())


def test_shell_pipe_to_head(tmp_path: Path) -> None:
    cmd = " ".join(f"'{c}'" for c in yb_command())
    proc = subprocess.run(f"set -o pipefail; {cmd} list | head -1; {cmd} search 人参 | head -1", shell=True,
                          executable="/bin/bash", capture_output=True)
    assert proc.returncode == 0 and proc.stdout.count(b"\n") == 2
    assert proc.stderr == b"yb: 10 of 24 answers; --limit 24 for all\n"  # a note for people; nothing broke


def test_no_color_and_force_color(tmp_path: Path) -> None:
    base: dict[str, str] = {}
    colour = re.compile(rb"\x1b\[[0-9;]*(?:3[0-8]|9[0-7])[;m]")  # a foreground colour code
    assert b"\x1b" not in yb("search", "蓝莓", env=base).stdout  # a pipe: plain
    assert colour.search(yb("search", "蓝莓", env={**base, "FORCE_COLOR": "1"}).stdout)
    assert not colour.search(yb("search", "蓝莓", env={**base, "FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout)


def test_narrow_terminal_is_still_readable(tmp_path: Path) -> None:
    proc = yb("search", "人参", "--limit", "3", env={"COLUMNS": "40"})
    lines = proc.stdout.decode().splitlines()
    assert proc.returncode == 0 and all(len(line) <= 40 for line in lines)
    assert any("ginseng-" in line for line in lines) and any("人参" in line for line in lines)


@pytest.mark.parametrize("locale", [{"LANG": "C"}, {"LC_ALL": "C"}, {"LC_ALL": "POSIX", "LANG": "C"}])
def test_c_locale_still_prints_chinese(locale: dict[str, str], tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHONIOENCODING", "PYTHONUTF8"))}
    env.update(locale)
    proc = subprocess.run([*yb_command(), "stat", "ginseng-suitable-area"], capture_output=True, env=env, timeout=60)
    assert proc.returncode == 0 and "近150万亩" in proc.stdout.decode("utf-8") and proc.stderr == b""


def test_a_read_only_home_and_cache(tmp_path: Path) -> None:
    """As root, permission bits do not stop writes: a file where the folders should be does."""
    blocker = tmp_path / "readonly"
    blocker.write_text("", encoding="utf-8")
    env = {"HOME": str(blocker), "XDG_CACHE_HOME": str(blocker / "cache")}
    proc = yb("search", "蓝莓", "--json", env=env)
    assert proc.returncode == 0 and json.loads(proc.stdout) and proc.stderr == b""


def test_yb_never_writes_to_the_fact_files(data_copy: Path, tmp_path: Path) -> None:
    folder = data_copy.parent
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    source = tmp_path / "new.txt"
    source.write_text("标题\n\n本报讯(记者甲)全市共有12个展区。\n", encoding="utf-8")
    env: dict[str, str] = {}
    for args in (["stat", "ginseng-area"], ["search", "人参"], ["list"], ["check"], ["index", "--rebuild"],
                 ["source", "ginseng"], ["topics"], ["places"], ["cite", "ginseng-area"], ["chart", "--topic", "ginseng",
                 "--unit", "mu"], ["export"], ["index", "--clear"]):
        proc = yb("--data", str(data_copy), *args, env=env)
        assert proc.returncode == 0, (args, proc.stderr)
    for target in (data_copy, folder / "articles" / "ginseng.toml"):  # told to: refused, even with --force
        for args in (["export", "-o", str(target), "--force"], ["extract", str(source), "-o", str(target), "--force"]):
            one_line(yb("--data", str(data_copy), *args, env=env), 2, "source file of the fact base")
    after = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert after == before
