"""Where things are: the shipped fact base, the fact file a command uses, the index cache."""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from pathlib import Path


def shipped_data_dir() -> Path:
    """The fact base shipped with yb: inside the installed package, or `data/` in a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "_data"
    return packaged if packaged.is_dir() else here.parent / "data"


def data_path(option: str | None, environ: Mapping[str, str]) -> Path:
    """Which fact file to use: `--data`, else $YB_DATA, else the shipped base.

    A folder stands for the `facts.toml` inside it.
    """
    chosen = option or environ.get("YB_DATA") or ""
    path = Path(chosen).expanduser() if chosen else shipped_data_dir() / "facts.toml"
    if chosen and path.is_dir() and (path / "facts.toml").is_file():
        path = path / "facts.toml"
    return path


def cache_dir(environ: Mapping[str, str]) -> Path:
    """`$XDG_CACHE_HOME/yb`, else `~/.cache/yb`."""
    base = environ.get("XDG_CACHE_HOME") or ""
    root = Path(base) if base and Path(base).is_absolute() else Path(environ.get("HOME") or Path.home()) / ".cache"
    return root / "yb"


def cache_file(fact_file: Path, environ: Mapping[str, str]) -> Path:
    """One cache file per fact file, named by a checksum of its absolute path.

    (The index records the path it was built for and is not used for another.)
    """
    name = str(fact_file.resolve()).encode("utf-8", "surrogatepass")
    return cache_dir(environ) / f"index-{zlib.crc32(name):08x}{zlib.adler32(name):08x}.sqlite"
