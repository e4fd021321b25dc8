"""The README is true: its examples are real output, its test command is what CI runs."""

from __future__ import annotations

import importlib.util
import re

from conftest import ROOT


def _examples_module():
    spec = importlib.util.spec_from_file_location("readme_examples", ROOT / "scripts" / "readme_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_examples_are_current_output() -> None:
    module = _examples_module()
    text = module.README.read_text(encoding="utf-8")
    assert "```console" in text
    assert module.refreshed(text) == text, "README examples are stale: run python scripts/readme_examples.py --write"


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```sh\n(.*?)\n```", readme, re.S)
    assert len(commands) >= 2, "the Quick start has an install-and-run command and a test command"
    test_command = next(c for c in commands if "pytest" in c)
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
