"""The installed command: a non-editable wheel, run from outside the repository, finds its data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Build the wheel and install it (without dependencies, which this Python has) into a fresh folder."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(work / "dist"), str(ROOT)], check=True, capture_output=True, timeout=600)
    (wheel,) = (work / "dist").glob("yanbian_cli-*.whl")
    target = work / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=600)
    env = {**os.environ, "PYTHONPATH": str(target), "XDG_CACHE_HOME": str(work / "cache")}
    return target, env


def _yb(installed: tuple[Path, dict[str, str]], *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    target, env = installed
    return subprocess.run([str(target / "bin" / "yb"), *args], capture_output=True, text=True, encoding="utf-8",
                          env=env, cwd=cwd, timeout=120)


def test_wheel_ships_the_data_and_runs_outside_the_repo(installed, tmp_path: Path) -> None:
    target, env = installed
    where = subprocess.run([sys.executable, "-c", "import yanbian_cli.locations as l; print(l.shipped_data_dir())"],
                           capture_output=True, text=True, env=env, cwd=tmp_path, check=True).stdout.strip()
    assert Path(where).is_relative_to(target), where
    assert (Path(where) / "facts.toml").is_file() and (Path(where) / "articles" / "ginseng.toml").is_file()
    r = _yb(installed, "stat", "ginseng-area", "--json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["text"] in {"近150万亩", "21万亩", "6.06万亩", "2.13万亩"}
    r = _yb(installed, "check", cwd=tmp_path)
    assert r.returncode == 0 and str(target) in r.stdout


def test_installed_search_and_module_entry(installed, tmp_path: Path) -> None:
    r = _yb(installed, "search", "蓝莓", cwd=tmp_path)
    assert r.returncode == 0 and "7月30日" in r.stdout
    target, env = installed
    r = subprocess.run([sys.executable, "-m", "yanbian_cli", "--version"], capture_output=True, text=True, env=env,
                       cwd=tmp_path)
    assert r.returncode == 0 and r.stdout.startswith("yb ")
