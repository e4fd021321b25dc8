"""The promise, as one property over every command: any arguments, any environment -> exit 0, 1, 2 or 3;
on failure one `yb:` line on stderr with no control character in it; valid JSON whenever JSON was asked
for and something was printed; no file written but what -o names and the index cache."""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from pathlib import Path

from conftest import DATA, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yanbian_cli.cli import main

HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
COMMANDS = ["stat", "search", "list", "source", "topics", "places", "cite", "chart", "export", "check", "extract",
            "index"]
OPTIONS = ["--json", "--limit", "--topic", "--place", "--article", "--strict", "--value", "--unit", "--lang",
           "--markdown", "--format", "-f", "--bom", "--explain", "--partial", "--drafts", "--rebuild", "--clear",
           "--data", "-o", "--force", "--article-id", "--help", "--version", "--"]
NASTY = st.sampled_from(["\x1b[31m", "\u202e", "\u200b", "\x00", "[bold]", "-", "--", "%s", "../", "人参", "룡정",
                         "12.8万亩", "1" + "0" * 40, "-5", "ginseng-suitable-area", "ginseng", "csv", "toml", "ha", "en",
                         "ko", "延吉市", "Yanji", "blueberry", "", " ", "😀", "\U000e0041"])
WORD = st.one_of(NASTY, st.text(max_size=12))


def _snapshot(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(command=st.sampled_from(COMMANDS), words=st.lists(st.one_of(st.sampled_from(OPTIONS), WORD), max_size=6),
       data=st.sampled_from([None, "shipped", "hostile", "missing"]), columns=st.sampled_from(["100", "20", "0", "x"]))
def test_any_command_with_any_arguments_keeps_the_promise(command: str, words: list[str], data: str | None,
                                                          columns: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        args = [command, *words]
        for i, arg in enumerate(args[:-1]):  # what -o names may be written: give it a place inside the folder
            if arg == "-o":
                args[i + 1] = str(work / "out.txt")
        env = {"COLUMNS": columns, "XDG_CACHE_HOME": str(work / "cache")}
        if data:
            env["YB_DATA"] = {"shipped": str(DATA), "hostile": str(HOSTILE), "missing": str(work / "nope")}[data]
        before = _snapshot(work)
        out, err = io.StringIO(), io.StringIO()
        old = {k: os.environ.get(k) for k in ("COLUMNS", "XDG_CACHE_HOME", "YB_DATA")}
        old_cwd = os.getcwd()
        try:
            os.environ.update(env)
            if not data:
                os.environ.pop("YB_DATA", None)
            os.chdir(work)
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    main(args)
                    code = 0
                except SystemExit as exc:
                    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            os.chdir(old_cwd)
            for k, v in old.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        stderr = err.getvalue()
        assert code in (0, 1, 2, 3), (args, code, stderr)
        assert "Traceback" not in stderr
        if code == 3 and command == "check" and not stderr and "--json" in args:  # its report, as JSON
            assert json.loads(out.getvalue())["problems"], (args, out.getvalue())
        elif code == 3 and command == "check" and not stderr:  # its report is its output, on stdout
            assert out.getvalue().rstrip().endswith(("problem", "problems")), (args, out.getvalue())
        elif code != 0:
            lines = stderr.splitlines()
            assert len(lines) == 1 and lines[0].startswith("yb: "), (args, stderr)
        assert not any(ord(c) < 32 and c != "\n" or 0x7F <= ord(c) <= 0x9F or c in "\u202e\u200b" for c in stderr), \
            (args, stderr)
        if "--json" in args and "--help" not in args and out.getvalue().strip() and code in (0, 1):
            json.loads(out.getvalue())
        written = _snapshot(work) - before
        assert all(p == "out.txt" or p == "cache" or p.startswith("cache/") for p in written), (args, written)


@given(st.text(alphabet=st.characters(min_codepoint=0x3300, max_codepoint=0xFB10), max_size=6))
def test_is_cjk_is_every_character_of_script_cjk(text: str) -> None:
    """The pattern `is_cjk` matches with says what `script` says of each character (at the ranges' edges too)."""
    from yanbian_cli.text import is_cjk, script

    assert is_cjk(text) == (bool(text) and all(script(c) == "cjk" for c in text))
