"""Where things are: the shipped fact base, and the fact file a command uses."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path


def shipped_data_dir() -> Path:
    """The fact base shipped with yb: inside the installed package, or `data/` in a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "_data"
    return packaged if packaged.is_dir() else here.parent / "data"


def data_path(option: str | None, environ: Mapping[str, str]) -> Path:
    """Which fact file to use: `--data`, else $YB_DATA, else the shipped base.

    A folder stands for the `facts.toml` inside it (and a folder without one is told as that file missing).
    """
    chosen = option or environ.get("YB_DATA") or ""
    path = Path(chosen).expanduser() if chosen else shipped_data_dir() / "facts.toml"
    if chosen and path.is_dir():
        path = path / "facts.toml"
    return path
