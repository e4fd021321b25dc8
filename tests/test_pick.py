"""`yb pick`: the picker driven headlessly by Textual's pilot, then once in a real terminal (tmux)."""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import yb_command

pytest.importorskip("textual")

from yanbian_cli.pick import Picked, Picker  # noqa: E402


def drive(base, keys: list[str], query: str = "", lang: str | None = None, size=(120, 30)):
    """Run the picker headless, press `keys`, and return (what it exited with, the preview text, the answers)."""
    seen: dict[str, object] = {}

    async def go() -> Picked | None:
        app = Picker(base, query, lang)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
            from textual.widgets import Static

            seen["preview"] = str(app.query_one("#preview", Static).render())
            seen["answers"] = [h.fact.id for h in app.hits]
            seen["lang"] = app.lang
            if app.return_value is None:
                await pilot.press("escape")
                await pilot.pause()
        return app.return_value

    result = asyncio.run(go())
    return result, seen


def test_typing_searches_at_every_key_and_enter_prints_the_id(shipped):
    from yanbian_cli import lookup

    result, seen = drive(shipped, list("人参") + ["enter"])

    expected = lookup.find(shipped, "人参", limit=50).hits
    assert result == Picked("id", expected[0].fact.id)
    assert seen["answers"] == [h.fact.id for h in expected]


def test_the_query_given_on_the_command_line_starts_the_search(shipped):
    from yanbian_cli import lookup

    result, seen = drive(shipped, ["enter"], query="ginseng area")
    assert result is not None and result.what == "id"
    assert result.text == lookup.find(shipped, "ginseng area", limit=50).hits[0].fact.id
    assert seen["lang"] == "en"


def test_moving_down_changes_the_preview_and_the_choice(shipped):
    from yanbian_cli import lookup

    hits = lookup.find(shipped, "人参", limit=50).hits
    assert len(hits) > 2
    result, seen = drive(shipped, ["down", "down", "enter"], query="人参")
    assert result == Picked("id", hits[2].fact.id)


def test_the_preview_shows_figure_quote_and_citation_in_the_query_language(shipped):
    from yanbian_cli import lookup

    _, seen = drive(shipped, [], query="인삼 면적")
    hit = lookup.find(shipped, "인삼 면적", limit=1).hits[0]
    preview = str(seen["preview"])
    assert seen["lang"] == "ko"
    assert hit.fact.label_ko in preview
    assert hit.fact.text in preview  # the figure as printed is always there
    assert hit.fact.source.quote.replace("\n", "")[:12] in preview.replace("\n", "")
    assert "연변일보" in preview  # the Korean citation


@pytest.mark.parametrize("key,what", [("ctrl+f", "figure"), ("ctrl+o", "citation"), ("ctrl+t", "json")])
def test_keys_print_the_figure_the_citation_or_the_json(shipped, key, what):
    from yanbian_cli import lookup

    result, _ = drive(shipped, [key], query="ginseng area")
    hit = lookup.find(shipped, "ginseng area", limit=1).hits[0]
    assert result is not None and result.what == what
    if what == "figure":
        assert any(ch.isdigit() for ch in result.text) and result.text != hit.fact.text  # English, converted
    elif what == "citation":
        assert result.text == lookup.cite(shipped, hit.fact.id, lang="en").text
    else:
        assert json.loads(result.text)["id"] == hit.fact.id


def test_escape_leaves_with_nothing_and_a_query_with_no_answer_says_why(shipped):
    result, seen = drive(shipped, ["escape"], query="zzqx unicorn budget")
    assert result == Picked("", "")
    assert seen["answers"] == []
    assert str(seen["preview"]).strip()  # the no-answer message, not a blank pane


def test_pick_refuses_without_a_terminal(yb_proc):
    result = yb_proc("pick", input="")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "terminal" in result.stderr


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_pick_in_a_real_terminal(tmp_path: Path):
    """tmux send-keys / capture-pane: the picker draws, answers the typed query, and its choice reaches stdout."""
    out = tmp_path / "picked.txt"
    env_cache = tmp_path / "cache"
    command = " ".join(shlex.quote(part) for part in yb_command()) + f" pick > {shlex.quote(str(out))}"
    session = f"ybpick{os.getpid()}"
    tmux = ["tmux", "-L", session]
    env = {**os.environ, "XDG_CACHE_HOME": str(env_cache), "TERM": "xterm-256color"}
    subprocess.run([*tmux, "new-session", "-d", "-s", session, "-x", "120", "-y", "30",
                    f"env XDG_CACHE_HOME={shlex.quote(str(env_cache))} {command}; echo done-$? > {out}.rc; sleep 30"],
                   check=True, env=env)
    try:
        def screen() -> str:
            return subprocess.run([*tmux, "capture-pane", "-p", "-t", session], capture_output=True, text=True,
                                  check=True).stdout

        deadline = time.monotonic() + 60
        while "type to search" not in screen() and time.monotonic() < deadline:
            time.sleep(0.3)
        assert "type to search" in screen()
        subprocess.run([*tmux, "send-keys", "-t", session, "-l", "blueberry festival"], check=True)
        deadline = time.monotonic() + 20
        while "蓝莓" not in screen() and time.monotonic() < deadline:
            time.sleep(0.3)
        shown = screen()
        assert "蓝莓" in shown and "blueberry" in shown.lower()
        subprocess.run([*tmux, "send-keys", "-t", session, "Enter"], check=True)
        deadline = time.monotonic() + 20
        while not Path(f"{out}.rc").exists() and time.monotonic() < deadline:
            time.sleep(0.3)
        assert Path(f"{out}.rc").read_text().strip() == "done-0"
        picked = out.read_text().strip()
        check = subprocess.run([*yb_command(), "stat", "--strict", picked], capture_output=True, text=True,
                               env={**os.environ, "XDG_CACHE_HOME": str(env_cache)})
        assert check.returncode == 0, (picked, check.stderr)
        assert "蓝莓" in check.stdout
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
