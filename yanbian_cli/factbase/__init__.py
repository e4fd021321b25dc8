"""Fact files: read them, check them against the one schema, build the validated `FactBase`.

`check(path)` returns the base (None when there are problems) and every problem;
`load(path)` returns the base or raises `DataError`.
"""

from yanbian_cli.factbase.check import check, load, suspicious
from yanbian_cli.factbase.sources import Problem, shown_path

__all__ = ["Problem", "check", "load", "shown_path", "suspicious"]
