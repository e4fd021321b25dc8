"""Regenerate the README's screenshots: real `yb` output, in colour, saved as SVG by Rich.

    python scripts/screenshots.py          # writes docs/screenshots/*.svg

Each command runs as the installed `yb` (or `python -m yanbian_cli`) with FORCE_COLOR=1 and
COLUMNS=100; Rich reads the terminal codes back (Text.from_ansi) and records them as an SVG.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"

SHOTS = {
    "stat": ["stat", "ginseng-area"],
    "search": ["search", "蓝莓"],
    "search-pinyin": ["search", "renshen", "mianji", "--limit", "4"],
    "search-korean": ["search", "룡정", "간부", "--limit", "3", "--explain"],
    "source": ["source", "blueberry"],
    "cite": ["cite", "ginseng-suitable-area", "--lang", "en"],
    "chart": ["chart", "--topic", "ginseng", "--unit", "mu"],
    "check": ["check"],
}


def yb_command() -> list[str]:
    script = Path(sys.executable).parent / "yb"
    return [str(script)] if script.exists() else [sys.executable, "-m", "yanbian_cli"]


def shoot(name: str, args: list[str], cache: str) -> Path:
    from rich.console import Console
    from rich.text import Text

    env = {**os.environ, "FORCE_COLOR": "1", "COLUMNS": "100", "XDG_CACHE_HOME": cache}
    env.pop("NO_COLOR", None)
    env.pop("YB_DATA", None)
    proc = subprocess.run([*yb_command(), *args], capture_output=True, text=True, encoding="utf-8", env=env,
                          cwd=ROOT)
    console = Console(record=True, width=100, force_terminal=True, file=open(os.devnull, "w"))
    console.print(Text(f"$ yb {' '.join(args)}", style="bold"))
    console.print(Text.from_ansi(proc.stdout + proc.stderr))
    path = OUT / f"{name}.svg"
    console.save_svg(str(path), title=f"yb {' '.join(args)}")
    return path


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as cache:
        for name, args in SHOTS.items():
            print(shoot(name, args, cache).relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
