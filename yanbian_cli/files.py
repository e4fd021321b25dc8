"""Files yb writes on request (`export -o`, `extract -o`): never over a file without --force,
never over a source of the fact base, never half-written."""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path

from yanbian_cli.errors import UsageError


def write_new(path: Path, text: str, *, force: bool, protected: Collection[str]) -> None:
    """Write a file yb creates: an existing file only with --force, a source of the fact base never.

    The text goes to a temporary file first, renamed into place (through a symlink, to
    the file it points to), so a failed or interrupted write leaves nothing half-written.
    """
    target = path.resolve()
    if str(target) in protected:
        raise UsageError(f"{path} is a source file of the fact base; yb does not write to it")
    if target.is_dir():
        raise UsageError(f"{path} is a folder")
    if target.exists() and not force:
        raise UsageError(f"{path} exists; add --force to overwrite it")
    tmp = target.with_name(target.name + ".yb-tmp")
    try:
        tmp.write_text(text, encoding="utf-8", newline="")
        os.replace(tmp, target)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if tmp.exists():
            tmp.unlink()
