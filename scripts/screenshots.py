"""Regenerate the README's screenshots: real `yb` output, in colour, saved as SVG by Rich.

    python scripts/screenshots.py          # writes docs/screenshots/*.svg

The picker (`yb pick`) is driven headlessly by Textual's pilot and saved with Textual's own SVG export.

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
    "search-english": ["search", "ginseng", "fresh", "output"],
    "source": ["source", "blueberry"],
    "cite": ["cite", "ginseng-suitable-area", "--lang", "en"],
    "cite-korean": ["cite", "ginseng-suitable-area", "--lang", "ko"],
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


def shoot_picker(cache: str, query: str = "ginseng area", moves: int = 1) -> Path:
    """`yb pick`, driven by Textual's pilot: the query typed key by key, one step down, then Textual's SVG."""
    import asyncio

    from yanbian_cli.lookup import open_base
    from yanbian_cli.pick import Picker

    base = open_base(ROOT / "data" / "facts.toml", {**os.environ, "XDG_CACHE_HOME": cache})
    path = OUT / "pick.svg"

    async def go() -> None:
        app = Picker(base)
        async with app.run_test(size=(120, 32)) as pilot:
            await pilot.pause()
            for key in query:
                await pilot.press("space" if key == " " else key)
            for _ in range(moves):
                await pilot.press("down")
            await pilot.pause()
            app.save_screenshot(filename=path.name, path=str(path.parent))

    asyncio.run(go())
    return path


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as cache:
        for name, args in SHOTS.items():
            print(shoot(name, args, cache).relative_to(ROOT))
        print(shoot_picker(cache).relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
