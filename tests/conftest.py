"""Shared fixtures: an isolated cache, an in-process `yb`, the installed `yb`, fact-file factories."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from yanbian_cli.cli import main
from yanbian_cli.locations import shipped_data_dir

ROOT = Path(__file__).resolve().parent.parent
DATA = shipped_data_dir()


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test: a cache folder of the test session's own, no $YB_DATA, a fixed width, no colour, no watcher."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))
    monkeypatch.delenv("YB_DATA", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("YB_WATCH", "0")  # no watcher process (tests/test_watch.py starts its own)


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids of the processes this test's process forks from now on (a checker beside a query, a watcher)."""
    found: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            found.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return found


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]):
    """Run `yb ARGS...` in this process; returns exit code, stdout and stderr."""

    def _run(*args: str) -> Result:
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return _run


def yb_command() -> list[str]:
    """The installed `yb` console script next to this Python, else `python -m yanbian_cli`.

    $YB_UNDER_TEST names another `yb` to run the process tests against (an older version, to see a
    test of the hostile battery fail before its fix)."""
    if os.environ.get("YB_UNDER_TEST"):
        return [os.environ["YB_UNDER_TEST"]]
    script = Path(sys.executable).parent / ("yb.exe" if os.name == "nt" else "yb")
    return [str(script)] if script.exists() else [sys.executable, "-m", "yanbian_cli"]


@pytest.fixture
def yb_proc(tmp_path: Path):
    """Run the installed `yb` in a subprocess, from a folder outside the repository."""

    def _run(*args: str, env: dict[str, str] | None = None, input: str | None = None,
             cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, **(env or {})}
        return subprocess.run([*yb_command(), *args], capture_output=True, text=True, encoding="utf-8",
                              env=full_env, cwd=cwd or tmp_path, input=input, timeout=120)

    return _run


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped fact base; returns the path of its facts.toml."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target / "facts.toml"


@pytest.fixture(scope="session")
def shipped(tmp_path_factory: pytest.TempPathFactory):
    """The shipped base, opened once for the session (through the session's shared cache)."""
    from yanbian_cli.lookup import open_base

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path_factory.getbasetemp() / "cache")}
    return open_base(DATA / "facts.toml", env)


def holding(path: Path, text: str) -> Path:
    """The file of a base that holds `text`: `path` itself, or (schema 2: facts live in the article files)
    the first article file of its folder that does."""
    if text in path.read_text(encoding="utf-8"):
        return path
    for article in sorted((path.parent / "articles").rglob("*.toml")):
        if text in article.read_text(encoding="utf-8"):
            return article
    raise AssertionError(f"{text!r} is in no file of {path.parent}")


def replace_in_base(fact_file: Path, old: str, new: str, count: int = 1) -> Path:
    """Replace `old` in the file of the base that holds it (see `holding`); that file."""
    path = holding(fact_file, old)
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, count), encoding="utf-8")
    return path


def one_line(proc: subprocess.CompletedProcess, code: int, *needles: str) -> str:
    """A failing yb process's stderr: exactly one line starting "yb: ", holding each needle, and no traceback."""
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == code, (proc.returncode, err)
    assert "Traceback" not in err and err.startswith("yb: ") and err.count("\n") == 1, err
    for needle in needles:
        assert needle in err, (needle, err)
    return err
