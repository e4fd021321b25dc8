"""Type checks of raw TOML tables against the field specs of `model` (the one schema)."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from typing import Any

from yanbian_cli.model import Field

_TYPE_NAMES = {str: "a string", int: "an integer", float: "a number", list: "an array", dict: "a table",
               bool: "true or false"}

# report(message, field) records one problem at the place the caller knows.
Report = Callable[[str, "str | None"], None]


def type_name(types: tuple[type, ...]) -> str:
    return " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in types)


def value_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def has_type(value: Any, types: tuple[type, ...]) -> bool:
    """`value` is one of `types` (a boolean is not an integer here)."""
    return isinstance(value, types) and not (isinstance(value, bool) and bool not in types)


_KNOWN: dict[int, tuple[Sequence[Field], dict[str, Field]]] = {}  # id of a spec -> (the spec, its fields by name)


def _known(spec: Sequence[Field]) -> dict[str, Field]:
    """The fields of a spec by name (made once a spec: a base checks every fact against the same one)."""
    held = _KNOWN.get(id(spec))
    if held is None or held[0] is not spec:
        held = _KNOWN[id(spec)] = (spec, {f.name: f for f in spec})
    return held[1]


def check_fields(table: dict[str, Any], spec: Sequence[Field], report: Report, prefix: str = "") -> bool:
    """Unknown keys, missing keys and wrong types of one table; True when there are none."""
    ok = True
    known = _known(spec)
    if not table.keys() <= known.keys():
        for key in table:
            if key not in known:
                close = difflib.get_close_matches(key, list(known), n=1)
                report(f"unknown field{f' (did you mean {close[0]!r}?)' if close else ''}", prefix + key)
                ok = False
    for f in spec:
        if f.name not in table:
            if f.required:
                report("missing", prefix + f.name)
                ok = False
        elif not has_type(table[f.name], f.types):
            report(f"expected {type_name(f.types)}, got {value_name(table[f.name])}", prefix + f.name)
            ok = False
    return ok


def check_strings(values: list[Any], report: Report, field: str) -> tuple[str, ...]:
    """The strings of an array; a problem for each item that is not one."""
    for i, v in enumerate(values):
        if not isinstance(v, str):
            report(f"item {i + 1} is {value_name(v)}, expected a string", field)
    return tuple(v for v in values if isinstance(v, str))
