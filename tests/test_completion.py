"""Completion in a real bash: `yb --install-completion bash` into a scratch HOME, then bash itself
asks the completion function (and, where tmux is installed, a real Tab on a real terminal)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import yb_command

BASH = shutil.which("bash")
pytestmark = pytest.mark.skipif(BASH is None or len(yb_command()) != 1, reason="needs bash and an installed yb")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A HOME with yb's bash completion installed the way a user installs it."""
    home = tmp_path_factory.mktemp("home")
    env = {**os.environ, "HOME": str(home), "SHELL": "/bin/bash",
           "XDG_CACHE_HOME": str(tmp_path_factory.getbasetemp() / "cache")}
    subprocess.run([*yb_command(), "--install-completion", "bash"], env=env, check=True, capture_output=True)
    assert (home / ".bashrc").exists()
    return home


def complete(home: Path, line: str) -> list[str]:
    """What bash offers after `line` (the last word is the one completed; '' for a new word)."""
    words = shlex.split(line) + ([""] if line.endswith(" ") else [])
    script = (f"COMP_WORDS=({' '.join(shlex.quote(w) for w in words)}); COMP_CWORD={len(words) - 1}; "
              "_yb_completion yb; printf '%s\\n' \"${COMPREPLY[@]}\"")
    env = {**os.environ, "HOME": str(home), "PATH": f"{Path(yb_command()[0]).parent}:{os.environ['PATH']}",
           "XDG_CACHE_HOME": str(home / "cache")}
    result = subprocess.run([BASH, "-i", "-c", script], env=env, capture_output=True, text=True, timeout=60)
    return [line for line in result.stdout.splitlines() if line]


@pytest.mark.parametrize("line,expected", [
    ("yb search ginseng --lang ", {"zh", "en", "ko"}),
    ("yb cite ginseng-suitable-area --lang k", {"ko"}),
    ("yb export --format ", {"csv", "tsv", "ndjson", "markdown", "toml", "sqlite"}),
    ("yb export --format n", {"ndjson"}),
    ("yb stat ginseng-suitable-area --unit ", {"ha", "mu", "t", "km2"}),
    ("yb chart --unit C", {"CNY"}),
])
def test_option_values(home: Path, line: str, expected: set[str]) -> None:
    offered = set(complete(home, line))
    assert expected <= offered, offered
    if line.endswith(("k", "n", "C")):
        assert offered == expected


@pytest.mark.parametrize("line,must", [
    ("yb list --place 연", "연길"),         # Korean place alias
    ("yb list --place Yan", "Yanji"),       # English place alias
    ("yb search 蓝莓 --topic 人", "人参"),   # Chinese topic alias
    ("yb list --topic 인", "인삼"),          # Korean topic alias
    ("yb list --place Lon", "Longjing"),
])
def test_aliases_in_every_language(home: Path, line: str, must: str) -> None:
    offered = complete(home, line)
    assert must in offered, offered
    prefix = shlex.split(line)[-1]
    assert all(word.lower().startswith(prefix.lower()) for word in offered), offered


def test_commands_and_ids(home: Path) -> None:
    assert {"stat", "search", "pick", "cite"} <= set(complete(home, "yb "))
    assert "ginseng-suitable-area" in complete(home, "yb stat ginseng-s")
    archive = str(Path(__file__).parent / "fixtures" / "archive")
    offered = complete(home, f"yb stat --data {archive} ginseng-under")  # a metric, then its facts' ids
    assert offered[0] == "ginseng-understory-area" and "ginseng-understory-area-2021" in offered


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_tab_in_a_real_terminal(home: Path) -> None:
    """A person presses Tab twice after `--format ` in an interactive bash and sees the formats."""
    session = f"ybcomp{os.getpid()}"
    tmux = ["tmux", "-L", session]
    env = {**os.environ, "HOME": str(home), "PATH": f"{Path(yb_command()[0]).parent}:{os.environ['PATH']}",
           "XDG_CACHE_HOME": str(home / "cache"), "TERM": "xterm-256color", "PS1": "$ "}
    subprocess.run([*tmux, "new-session", "-d", "-s", session, "-x", "120", "-y", "20", f"{BASH} -i"],
                   check=True, env=env)
    try:
        time.sleep(1)
        subprocess.run([*tmux, "send-keys", "-t", session, "-l", "yb export --format "], check=True)
        subprocess.run([*tmux, "send-keys", "-t", session, "Tab", "Tab"], check=True)
        deadline = time.monotonic() + 30
        screen = ""
        while time.monotonic() < deadline:
            screen = subprocess.run([*tmux, "capture-pane", "-p", "-t", session], capture_output=True,
                                    text=True).stdout
            if "ndjson" in screen:
                break
            time.sleep(0.3)
        assert "ndjson" in screen and "markdown" in screen, screen
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
