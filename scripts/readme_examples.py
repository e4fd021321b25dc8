"""Keep the README's example outputs real: rerun every ```console block and compare or rewrite.

A block looks like

    ```console
    $ yb search 蓝莓
    ...the output, exactly as `yb` prints it at COLUMNS=100 into a pipe...
    ```

Usage: python scripts/readme_examples.py [--write]
Without --write it exits 1 and shows the first difference when an example is stale.
tests/test_readme.py runs the same check.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK_RE = re.compile(r"```console\n(.*?)```", re.S)


def run_example(command_line: str, env: dict[str, str] | None = None) -> str:
    """The output of one `$ yb ...` line (stdout then stderr, as a terminal would show both)."""
    args = shlex.split(command_line)
    assert args[0] == "yb", command_line
    full_env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", **(env or {})}
    full_env.pop("FORCE_COLOR", None)
    proc = subprocess.run([sys.executable, "-m", "yanbian_cli", *args[1:]], capture_output=True, text=True,
                          encoding="utf-8", env=full_env, cwd=ROOT)
    # Trailing spaces (Rich pads table cells) are dropped, so editors that trim them change nothing.
    return "\n".join(line.rstrip() for line in (proc.stdout + proc.stderr).splitlines())


def render_block(block: str, env: dict[str, str] | None = None) -> str:
    """The block with every command's output replaced by a fresh run."""
    out: list[str] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            out.append(line)
            out.append(run_example(line[2:], env))
    return "\n".join(out) + "\n"


def refreshed(text: str, env: dict[str, str] | None = None) -> str:
    return BLOCK_RE.sub(lambda m: "```console\n" + render_block(m.group(1), env) + "```", text)


def main() -> int:
    text = README.read_text(encoding="utf-8")
    new = refreshed(text)
    if "--write" in sys.argv:
        README.write_text(new, encoding="utf-8")
        return 0
    if new != text:
        import difflib

        sys.stdout.writelines(difflib.unified_diff(text.splitlines(True), new.splitlines(True), "README.md", "fresh"))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
