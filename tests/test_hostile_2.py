"""The second hostile battery: no data loss through -o, no stale or corrupt cache trusted, no raw
controls in JSON, no traceback anywhere. One test (or more) an item of the issue, numbered as there;
each ran against the version before the fixes (YB_UNDER_TEST=old/bin/yb) and failed."""

from __future__ import annotations

import json
import os
import pty
import shutil
import signal
import stat
import subprocess
import time
from pathlib import Path

import pytest
from conftest import DATA, ROOT, one_line, yb_command

HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
N400 = "1" + "0" * 400


def yb(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None, stdout: int | None = None,
       input: bytes | None = None) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR", "YB_DATA")}
    full.update(env or {})
    return subprocess.run([*yb_command(), *args], stdout=stdout if stdout is not None else subprocess.PIPE,
                          stderr=subprocess.PIPE, env=full, cwd=cwd, timeout=120, input=input)


def copy_base(tmp_path: Path) -> Path:
    target = tmp_path / "base"
    shutil.copytree(DATA, target)
    return target / "facts.toml"


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace `old` in the file, or (for a fact file) in the article file of its base that holds it."""
    from conftest import holding

    path = holding(path, old)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def on_a_terminal(*args: str, env: dict[str, str] | None = None) -> tuple[int, bytes]:
    """Run yb with its stdout on a pseudo-terminal; (exit code, what the terminal received)."""
    full = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    full.update({"COLUMNS": "100"}, **(env or {}))
    main, sub = pty.openpty()
    proc = subprocess.Popen([*yb_command(), *args], stdout=sub, stderr=subprocess.PIPE, env=full)
    os.close(sub)
    out = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(main)
    return proc.wait(timeout=60), out


# -- 1, 2: data loss through -o -----------------------------------------------------------


def test_1_a_link_at_the_old_temp_name_is_not_followed(tmp_path: Path) -> None:
    facts = copy_base(tmp_path)
    before = facts.read_bytes()
    (tmp_path / "out.csv.yb-tmp").symlink_to(facts)
    proc = yb("--data", str(facts), "export", "-o", str(tmp_path / "out.csv"))
    assert proc.returncode == 0 and facts.read_bytes() == before
    assert (tmp_path / "out.csv").read_text(encoding="utf-8").startswith("id,label")


def test_1_a_file_or_folder_at_the_old_temp_name_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "notes.md.yb-tmp").write_text("mine", encoding="utf-8")
    assert yb("export", "-f", "markdown", "-o", str(tmp_path / "notes.md")).returncode == 0
    assert (tmp_path / "notes.md.yb-tmp").read_text(encoding="utf-8") == "mine"
    (tmp_path / "other.md.yb-tmp").mkdir()
    proc = yb("export", "-f", "markdown", "-o", str(tmp_path / "other.md"))
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr and (tmp_path / "other.md.yb-tmp").is_dir()


def test_2_a_fifo_is_written_into_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    proc = yb("export", "-f", "ndjson", "-o", str(fifo), "--force")
    got = reader.communicate(timeout=60)[0]
    assert proc.returncode == 0 and stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert len(got.splitlines()) >= 80 and json.loads(got.splitlines()[0])["id"]


def test_2_dev_stdout_works() -> None:
    proc = yb("export", "-f", "ndjson", "-o", "/dev/stdout")
    assert proc.returncode == 0 and len(proc.stdout.splitlines()) >= 80, proc.stderr


# -- 3, 4, 5: stale or corrupt answers ----------------------------------------------------------


def test_3_a_link_pointed_at_another_article_is_seen(tmp_path: Path) -> None:
    facts = copy_base(tmp_path)
    articles = facts.parent / "articles"
    for version, label in (("v1", "v1"), ("v2", "v2")):
        (tmp_path / version).mkdir()
        shutil.copy(articles / "tumen.toml", tmp_path / version / "tumen.toml")
    edit(tmp_path / "v2" / "tumen.toml", "12个展区", "12个展览区")  # the quote no longer stands in v2
    (articles / "tumen.toml").unlink()
    (articles / "tumen.toml").symlink_to(tmp_path / "v1" / "tumen.toml")
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    assert yb("--data", str(facts), "stat", "tumen-integrity-exhibition-areas", env=env).returncode == 0
    (articles / "tumen.toml").unlink()
    (articles / "tumen.toml").symlink_to(tmp_path / "v2" / "tumen.toml")
    assert json.loads(yb("--data", str(facts), "index", "--json", env=env).stdout)["fresh"] is False
    one_line(yb("--data", str(facts), "stat", "tumen-integrity-exhibition-areas", env=env), 3, "not found verbatim")


def test_4_a_change_while_the_cache_checks_is_seen_later(tmp_path: Path) -> None:
    """The stamp recorded after a rehash is the stat taken before hashing: a same-size save landing
    just after the hash leaves an older mtime in the stamp, so the next check hashes again."""
    from yanbian_cli.model import Stamp
    from yanbian_cli.store import cache

    path = tmp_path / "a.toml"
    path.write_text("x = 1\n", encoding="utf-8")
    import hashlib

    st = path.stat()
    stamp = Stamp(str(path), st.st_size, st.st_mtime_ns - 10**9, st.st_ctime_ns, st.st_ino,
                  hashlib.sha256(b"x = 1\n").hexdigest())
    original = cache._rehash

    def rehash_then_save(name: str) -> tuple[str, os.stat_result] | None:
        result = original(name)
        time.sleep(0.01)
        path.write_text("x = 2\n", encoding="utf-8")  # same size, after the hash
        return result

    import sqlite3

    from yanbian_cli.store import stamps
    from yanbian_cli.store.schema import SCHEMA

    def index_of(given: list[Stamp] | tuple[bytes, bytes, str]) -> sqlite3.Connection:
        conn = sqlite3.connect(":memory:")
        conn.executescript(SCHEMA)
        if isinstance(given, list):
            stamps.store(conn, given)
        else:
            stamps.store_row(conn, given)  # a row of renewed stamps, as _fresh returns it
        return conn

    cache._rehash = rehash_then_save
    try:
        fresh, renewed = cache._fresh(index_of([stamp]), checked_at=time.time())
    finally:
        cache._rehash = original
    assert fresh and renewed is not None
    assert cache._fresh(index_of(renewed), checked_at=time.time() + 60) == (False, None)


def test_5_a_cache_with_a_damaged_page_is_rebuilt_and_the_answer_is_right(tmp_path: Path) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    right = yb("search", "蓝莓", "--json", env=env).stdout
    cache_file = Path(json.loads(yb("index", "--json", env=env).stdout)["cache_file"])
    data = bytearray(cache_file.read_bytes())
    page = 4096
    data[3 * page: 8 * page] = bytes(5 * page)  # the meta table (page 2) is intact
    cache_file.write_bytes(data)
    info = json.loads(yb("index", "--json", env=env).stdout)
    assert info["state"] == "corrupt" and not info["fresh"]
    again = yb("search", "蓝莓", "--json", env=env)
    assert again.returncode == 0 and again.stdout == right and again.stderr == b""
    assert json.loads(yb("index", "--json", env=env).stdout)["state"] == "current"


# -- 6 to 11: invalid output and terminal injection -------------------------------------------------


def test_6_an_infinite_value_and_an_impossible_date_are_refused(tmp_path: Path) -> None:
    facts = copy_base(tmp_path)
    edit(facts, 'text = "74亿元"\nvalue = 7400000000', 'text = "74亿元"\nvalue = inf')
    one_line(yb("--data", str(facts), "list", "--json"), 3, "out of range")
    facts = copy_base(tmp_path / "b")
    edit(facts, 'text = "8月3日"\nvalue = "2022-08-03"', 'text = "8月3日"\nvalue = "2022-02-30"')
    proc = yb("check", str(facts))
    assert proc.returncode == 3 and b"'2022-02-30' does not follow from \"8\xe6\x9c\x883\xe6\x97\xa5\"" in proc.stdout


def test_7_json_on_a_terminal_escapes_what_json_leaves_raw() -> None:
    code, out = on_a_terminal("list", "--json", env={"YB_DATA": str(HOSTILE)})
    text = out.decode("utf-8").replace("\r\n", "\n")
    assert code == 0 and json.loads(text)
    for ch in ("\u009b", "\u202e", "\u2028", "\u200b", "\x1b"):
        assert ch not in text, repr(ch)


def test_8_file_names_reach_neither_the_terminal_nor_the_draft_raw(tmp_path: Path) -> None:
    source = tmp_path / "a\nschema = 9\n.txt"
    source.write_text("标题\n\n本报讯(记者甲)全市共有12个展区。\n", encoding="utf-8")
    out = tmp_path / "draft\x1b[31m.toml"
    proc = yb("extract", str(source), "--article-id", "a", "-o", str(out))
    assert proc.returncode == 0 and b"\x1b" not in proc.stdout
    draft = out.read_text(encoding="utf-8")
    assert [line for line in draft.splitlines() if line.startswith("schema")] == ["schema = 2"]
    assert "\\x0a" in draft.splitlines()[0]
    assert yb("check", "--drafts", str(out)).returncode == 0


def test_9_spreadsheet_formulas_are_inert(tmp_path: Path) -> None:
    import csv
    import io

    facts = copy_base(tmp_path)
    edit(facts, 'label = "延边州宜参面积"', 'label = "=HYPERLINK(\\"http://x\\")"')
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        rows = list(csv.reader(io.StringIO(yb("--data", str(facts), "export", "-f", fmt).stdout.decode()),
                               delimiter=delimiter))
        cells = [c for row in rows for c in row]
        assert "'=HYPERLINK(\"http://x\")" in cells or "'=HYPERLINK(\"\"http://x\"\")" in cells
        assert not any(c.startswith(("=", "+", "@")) for c in cells), fmt


def test_10_invisible_characters_are_shown_and_warned_of(tmp_path: Path) -> None:
    base = tmp_path / "hostile"
    shutil.copytree(HOSTILE, base)
    text = (base / "facts.toml").read_text(encoding="utf-8")
    (base / "facts.toml").write_text(text.replace('id = "hostile-markup"\nlabel = "',
                                                  'id = "hostile-markup"\nlabel = "\\u200b\\u2062\\U000e0041', 1),
                                     encoding="utf-8")
    code, out = on_a_terminal("stat", "hostile-markup", env={"YB_DATA": str(base)})
    assert code == 0
    for ch, shown in (("\u200b", b"\\u200b"), ("\u2062", b"\\u2062"), ("\U000e0041", b"\\U000e0041")):
        assert ch.encode() not in out and shown in out, ch
    proc = yb("check", str(base))
    assert proc.returncode == 0 and b"warning: U+200B" in proc.stdout and b"warnings" in proc.stdout


def test_10_a_warning_names_the_article_file_and_line_of_its_fact(tmp_path: Path) -> None:
    # (a QA pass: the warning named facts.toml, which holds no fact in a schema-2 base, and no line)
    facts = copy_base(tmp_path)
    edit(facts, 'label_ko = "도문시 청렴문화교육기지 전시구역 수"', 'label_ko = "도문시\\u202e 청렴문화교육기지 전시구역 수"')
    article = facts.parent / "articles" / "tumen.toml"
    lines = article.read_text(encoding="utf-8").splitlines()
    line = lines.index('id = "tumen-integrity-exhibition-areas"') + 1
    proc = yb("check", str(facts))
    out = proc.stdout.decode()
    assert proc.returncode == 0 and "warning: U+202E" in out, out
    warned = next(row for row in out.splitlines() if "U+202E" in row)
    assert warned.startswith(f"{article}:{line}:") or f"tumen.toml:{line}" in warned, warned


@pytest.mark.parametrize("words", ["yb list --place ", "yb source "])
def test_11_completion_never_prints_a_control_character(words: str, tmp_path: Path) -> None:
    base = tmp_path / "hostile"
    shutil.copytree(HOSTILE, base)
    for path in (base / "facts.toml", base / "articles" / "h.toml"):  # a place and an article named with ESC
        text = path.read_text(encoding="utf-8").replace("恶意村", "恶意\\u001b[31m村")
        path.write_text(text.replace('"h"', '"h\\u001b]0;x\\u0007"').replace("[articles]\nh =", '[articles]\n"h\\u001b]0;x\\u0007" ='),
                        encoding="utf-8")
    assert yb("check", str(base)).returncode == 0
    env = {"YB_DATA": str(base), "_YB_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()))}
    proc = yb(env=env)
    assert proc.returncode == 0 and b"\x1b" not in proc.stdout and b"\x07" not in proc.stdout


# -- 12 to 19: tracebacks ------------------------------------------------------------------


@pytest.mark.parametrize("args", [["list"], ["--help"], ["search", "人参", "--json"], ["stat", "ginseng-area"]])
def test_12_a_full_disk(args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        one_line(yb(*args, stdout=full.fileno()), 3, "cannot write the output")


def test_12_a_closed_stdout() -> None:
    proc = subprocess.run([*yb_command(), "list"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          preexec_fn=lambda: os.close(1), timeout=60)
    one_line(proc, 3, "standard output is closed")


@pytest.mark.parametrize("args", [["search", "人参", "--json"], ["stat", "ginseng-area"]])
def test_12_a_closed_or_full_stderr_loses_the_notes_not_the_answer(args: list[str]) -> None:
    # (a QA pass: with stderr closed, a search that printed its answers exited 1; with stderr full, 3)
    closed = subprocess.run([*yb_command(), *args], capture_output=False, stdout=subprocess.PIPE,
                            preexec_fn=lambda: os.close(2), timeout=60)
    with open("/dev/full", "wb") as full:
        filled = subprocess.run([*yb_command(), *args], stdout=subprocess.PIPE, stderr=full, timeout=60)
    for proc in (closed, filled):
        assert proc.returncode == 0 and proc.stdout
    closed = subprocess.run([*yb_command(), "search", "zqxjkvw"], stdout=subprocess.PIPE,
                            preexec_fn=lambda: os.close(2), timeout=60)
    assert closed.returncode == 1 and closed.stdout == b""


def test_13_huge_values_are_refused_by_check_not_crashed_on(tmp_path: Path) -> None:
    facts = copy_base(tmp_path)
    edit(facts, 'text = "74亿元"\nvalue = 7400000000', f'text = "74亿元"\nvalue = {N400}')
    proc = yb("check", str(facts))
    assert proc.returncode == 3 and b"out of range" in proc.stdout and b"Traceback" not in proc.stderr
    facts = copy_base(tmp_path / "b")
    edit(facts, 'text = "74亿元"\nvalue = 7400000000', f'text = "74亿元"\nvalue = {"1" * 5001}')
    proc = yb("check", str(facts))
    assert proc.returncode == 3 and b"invalid TOML" in proc.stdout and b"Traceback" not in proc.stderr


def test_14_a_number_beyond_floats(tmp_path: Path) -> None:
    from benchmarks.synth import generate

    archive = generate(600, tmp_path / "archive")  # over 500 facts: searched through postings
    proc = yb("--data", str(archive), "search", "--json", "1" + "0" * 309)
    assert proc.returncode == 1 and proc.stdout == b"[]\n" and b"Traceback" not in proc.stderr


def test_15_a_folder_name_that_is_not_utf8(tmp_path: Path) -> None:
    folder = Path(os.fsdecode(bytes(tmp_path) + b"/\xc9\xfa\xbb\xee"))  # 生活 in GBK
    shutil.copytree(DATA, folder)
    proc = yb("--data", os.fsdecode(folder), "stat", "ginseng-suitable-area", "--value")
    assert (proc.returncode, proc.stdout) == (0, b"1500000\n"), proc.stderr
    proc = yb("check", os.fsdecode(folder))
    assert proc.returncode == 0 and b"ok: " in proc.stdout


def test_16_loops_of_links_and_long_names(tmp_path: Path) -> None:
    loop = tmp_path / "loopy"
    loop.symlink_to(loop)
    one_line(yb("--data", str(loop), "list"), 3, "Too many levels of symbolic links")
    assert b"Traceback" not in yb("check", str(loop)).stderr
    facts = copy_base(tmp_path)
    article = facts.parent / "articles" / "tumen.toml"
    article.unlink()
    article.symlink_to(article)
    proc = yb("check", str(facts))
    assert proc.returncode == 3 and b"Traceback" not in proc.stderr
    one_line(yb("--data", "x" * 5000, "list"), 3)
    one_line(yb("export", "-o", str(tmp_path / ("y" * 300))), 3, "File name too long")


def test_17_index_clear_where_the_cache_cannot_be(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    one_line(yb("index", "--clear", env={"XDG_CACHE_HOME": str(blocker)}), 3, "cannot clear")
    env = {"XDG_CACHE_HOME": str(tmp_path / "c")}
    target = Path(json.loads(yb("index", "--json", env=env).stdout)["cache_file"])
    target.unlink(missing_ok=True)
    target.mkdir(parents=True)
    one_line(yb("index", "--clear", env=env), 3, "cannot clear")


def test_18_no_home_at_all(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from yanbian_cli.lookup import open_base
    from yanbian_cli.store import cache

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    env = {"PATH": os.environ["PATH"]}  # no HOME, no XDG_CACHE_HOME
    assert cache.cache_dir(env) is None
    base = open_base(DATA / "facts.toml", env)
    assert base.store.location == ":memory:" and base.store.fact("ginseng-suitable-area")
    assert cache.status(DATA / "facts.toml", env).state == "cannot be cached"


@pytest.mark.parametrize("source", ["/dev/zero", "/dev/urandom", "fifo"])
def test_19_extract_refuses_what_is_not_a_file(source: str, tmp_path: Path) -> None:
    if source == "fifo":
        source = str(tmp_path / "fifo")
        os.mkfifo(source)
    one_line(yb("extract", source), 2, "is not a regular file")


# -- 20 to 24: unclear messages and wrong exit codes ----------------------------------------------


def test_20_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    facts = copy_base(tmp_path)
    facts.write_bytes(b"\xef\xbb\xbf" + facts.read_bytes())
    proc = yb("check", str(facts))
    assert proc.returncode == 0, proc.stdout


def test_21_a_duplicate_id_is_one_short_problem(tmp_path: Path) -> None:
    from conftest import holding

    facts = holding(copy_base(tmp_path), 'id = "ginseng-suitable-area"')
    text = facts.read_text(encoding="utf-8")
    block = text[text.index("[[fact]]\nid = \"ginseng-suitable-area\""):]
    block = block[:block.index("\n[[fact]]") + 1]
    facts.write_text(text + ("\n" + block) * 50, encoding="utf-8")
    proc = yb("check", str(facts))
    lines = [line for line in proc.stdout.decode().splitlines() if "duplicate id" in line]
    assert proc.returncode == 3 and len(lines) == 1 and len(lines[0]) < 300 and "51 facts" in lines[0]


def test_22_a_cache_that_cannot_be_written_is_said_so(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    env = {"XDG_CACHE_HOME": str(blocker)}
    assert b"cannot be cached" in yb("index", env=env).stdout
    one_line(yb("index", "--rebuild", env=env), 3, "cannot cache it")
    one_line(yb("export", "-o", str(blocker / "x.csv")), 3, "cannot write")


def test_23_an_empty_place_name(tmp_path: Path) -> None:
    facts = copy_base(tmp_path)
    edit(facts, '[place."延边州"]', '[place.""]\nlabel_en = ""\naliases = []\nwithin = ""\n\n[place."延边州"]')
    proc = yb("check", str(facts))
    assert proc.returncode == 3 and b'place."": the name is empty' in proc.stdout and b" -> " not in proc.stdout


def test_24_help_into_a_pipe_that_closes() -> None:
    proc = subprocess.run(f"set -o pipefail; '{yb_command()[0]}' --help | head -c1", shell=True, executable="/bin/bash",
                          capture_output=True, timeout=60)
    assert proc.returncode == 0 and proc.stderr == b""


# -- 25 to 29: resource use (timed by benchmarks/hostile.py; here, what bounds the work) ---------------


def test_27_a_query_asks_about_a_bounded_number_of_things() -> None:
    one_line(yb("search", *(["abcde"] * 60)), 2, "too many words")
    one_line(yb("search", "人参" * 300), 2, "too many things")


def test_28_a_deep_chain_of_places(tmp_path: Path) -> None:
    from benchmarks.hostile import nested_places

    facts = nested_places(tmp_path / "places", 300)
    assert yb("check", str(facts)).returncode == 0
    proc = yb("--data", str(facts), "search", "p0", "--json")
    assert proc.returncode == 0 and json.loads(proc.stdout)[0]["place"] == "p299"  # within p0, 299 places down


# -- 30: an interrupted cache write ---------------------------------------------------------------


def test_30_sigterm_while_the_cache_is_written_leaves_nothing(tmp_path: Path) -> None:
    from benchmarks.synth import generate

    archive = generate(3000, tmp_path / "archive")
    folder = tmp_path / "cache" / "yb"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    proc = subprocess.Popen([*yb_command(), "--data", str(archive), "list"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env)
    deadline = time.time() + 120
    while time.time() < deadline and not (folder.is_dir() and any(folder.glob("*.tmp"))):
        time.sleep(0.005)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    leftovers = [p.name for p in folder.glob("*")] if folder.is_dir() else []
    assert not [n for n in leftovers if ".tmp" in n], leftovers
    # what an older yb left behind, `index --clear` removes
    (folder / "index-0000.tmp").parent.mkdir(parents=True, exist_ok=True)
    target = Path(json.loads(subprocess.run([*yb_command(), "--data", str(archive), "index", "--json"],
                                            capture_output=True, env=env).stdout)["cache_file"])
    (target.parent / f"{target.stem}.abc123.tmp").write_bytes(b"x" * 100)
    (target.parent / f"{target.stem}.abc123.tmp-journal").write_bytes(b"x")
    subprocess.run([*yb_command(), "--data", str(archive), "index", "--clear"], env=env, check=True)
    assert not list(target.parent.glob("*.tmp*"))
