"""How `yb`'s tables read at 60, 80, 100, 120 and 200 columns: measured on real output.

    python scripts/widths.py            # a Markdown table for the README
    python scripts/widths.py --show 80  # the outputs themselves at one width

For each width and each command below it runs `yb` with COLUMNS set (into a pipe, no colour) and
counts: the layout (a table, or cards on a narrow terminal), lines per fact, the label's narrowest
line budget, ids broken across lines, figures broken across lines, lines that start with closing
punctuation, and lines wider than the terminal. tests/test_widths.py asserts the last three are 0 at every width.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIDTHS = (60, 80, 100, 120, 200)
COMMANDS = (
    ("search", "人参", "--limit", "30"),
    ("search", "ginseng", "area"),
    ("search", "인삼", "면적"),
    ("list", "--topic", "ecology"),
    ("stat", "ginseng-fresh-output-2021"),
    ("stat", "yanji-good-air-days-ratio-2021", "--lang", "ko"),
    ("chart", "--topic", "ginseng", "--unit", "mu"),
    ("topics",),
    ("places",),
)
CLOSING = tuple("，。、；：！？）」』》〉】,.;:!?)")


def yb(args: tuple[str, ...], width: int, *extra: str) -> str:
    env = {**os.environ, "COLUMNS": str(width), "NO_COLOR": "1"}
    env.pop("FORCE_COLOR", None)
    proc = subprocess.run([sys.executable, "-m", "yanbian_cli", *args, *extra], capture_output=True, text=True,
                          encoding="utf-8", env=env, cwd=ROOT)
    return proc.stdout


def cells(text: str) -> int:
    from yanbian_cli.render.wrap import cells as count

    return count(text)


def measure(args: tuple[str, ...], width: int) -> dict[str, object]:
    """The counts for one command at one width."""
    return counts(yb(args, width), _facts(args) if args[0] in ("search", "list", "stat") else [], width,
                  ids_shown=args[0] in ("search", "list"))


def counts(out: str, facts: list[dict[str, str]], width: int, ids_shown: bool = True) -> dict[str, object]:
    """What reads badly in `out`, the output of a command that shows `facts` at `width` columns."""
    lines = out.splitlines()
    flat = "\n".join(line.rstrip() for line in lines)
    return {
        "layout": "cards" if lines and lines[0].lstrip()[:2] == "1." else "table",
        "lines_per_fact": round(len(lines) / len(facts), 1) if facts else None,
        "ids_broken": sum(1 for f in facts if f["id"] not in flat) if ids_shown else 0,
        "figures_broken": sum(1 for f in facts if f["text"] not in out),
        "closing_at_line_start": sum(1 for line in lines if line.strip().startswith(CLOSING)),
        "too_wide": sum(1 for line in lines if cells(line.rstrip()) > width),
    }


_FACTS: dict[tuple[str, ...], list[dict[str, str]]] = {}


def _facts(args: tuple[str, ...]) -> list[dict[str, str]]:
    """The facts a command shows, from its --json (charts and counts tables show none)."""
    if args not in _FACTS:
        data = json.loads(yb(args, 100, "--json") or "[]")
        _FACTS[args] = data if isinstance(data, list) else [data]
    return _FACTS[args]


def main() -> int:
    if "--show" in sys.argv:
        width = int(sys.argv[sys.argv.index("--show") + 1])
        for args in COMMANDS:
            print(f"$ COLUMNS={width} yb {' '.join(args)}")
            print(yb(args, width))
        return 0
    print("| width | command | layout | lines a fact | ids broken | figures broken | closing punct. at line start "
          "| lines too wide |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for width in WIDTHS:
        for args in COMMANDS:
            m = measure(args, width)
            print(f"| {width} | `yb {' '.join(args)}` | {m['layout']} | {m['lines_per_fact'] or '—'} | "
                  f"{m['ids_broken']} | {m['figures_broken']} | {m['closing_at_line_start']} | {m['too_wide']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
