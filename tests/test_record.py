"""yanbian_cli.record: a Record class behaves as the typing.NamedTuple written the same way."""

from __future__ import annotations

import importlib
import pickle
import pkgutil
import sys
from typing import Any, NamedTuple

import pytest

import yanbian_cli
from yanbian_cli.record import Record

fast = sys.version_info < (3, 14)  # from 3.14 Record is typing.NamedTuple itself


class Sample(Record):
    """A record with a method, a property and defaults."""

    name: str
    size: int = 0
    tags: tuple[str, ...] = ()

    @property
    def shout(self) -> str:
        return self.name.upper()

    def twice(self) -> int:
        return self.size * 2


class SampleNT(NamedTuple):
    name: str
    size: int = 0
    tags: tuple[str, ...] = ()


def test_a_record_is_built_read_and_changed_as_a_namedtuple() -> None:
    for cls in (Sample, SampleNT):
        a: Any = cls("x")
        b: Any = cls("x", 2, tags=("t",))
        assert (a, b) == (("x", 0, ()), ("x", 2, ("t",)))
        assert cls(name="y", size=3) == ("y", 3, ())
        assert (b.name, b.size, b.tags, b[1], b[-1]) == ("x", 2, ("t",), 2, ("t",))
        assert b._replace(size=5) == ("x", 5, ("t",)) and type(b._replace(size=5)) is cls
        assert b._asdict() == {"name": "x", "size": 2, "tags": ("t",)}
        assert cls._make(["z", 1, ()]) == ("z", 1, ())
        assert cls._fields == ("name", "size", "tags")
        assert cls._field_defaults == {"size": 0, "tags": ()}
        assert cls.__match_args__ == ("name", "size", "tags")
        assert repr(b) == f"{cls.__name__}(name='x', size=2, tags=('t',))"
        assert hash(b) == hash(("x", 2, ("t",))) and isinstance(b, tuple)
        assert pickle.loads(pickle.dumps(b)) == b and type(pickle.loads(pickle.dumps(b))) is cls
        with pytest.raises(AttributeError):
            b.name = "changed"
        with pytest.raises(AttributeError):
            b.other = 1  # no __dict__: a record is as small as its tuple
        with pytest.raises(TypeError):
            cls()
        with pytest.raises(TypeError):
            cls("x", 1, (), 4)
        with pytest.raises(TypeError):
            cls("x", nope=1)
        with pytest.raises(ValueError):
            b._replace(nope=1)
        with pytest.raises(TypeError):
            cls._make(["x"])
        match b:
            case cls(n, c, t):  # type: ignore[misc]
                assert (n, c, t) == ("x", 2, ("t",))
    s = Sample("ab", 4)
    assert (s.shout, s.twice(), Sample.__doc__) == ("AB", 8, "A record with a method, a property and defaults.")


@pytest.mark.skipif(not fast, reason="Record is typing.NamedTuple here")
def test_a_record_is_refused_where_a_namedtuple_is() -> None:
    with pytest.raises(TypeError):
        class Bad(Record):
            a: int = 1
            b: int
    with pytest.raises(ValueError):
        class Under(Record):
            _a: int


def _records() -> list[type]:
    found = []
    for info in pkgutil.walk_packages(yanbian_cli.__path__, "yanbian_cli."):
        if info.name.endswith(("__main__", ".pick", ".record")):  # (pick needs textual: optional)
            continue
        module = importlib.import_module(info.name)
        found += [v for v in vars(module).values()
                  if isinstance(v, type) and hasattr(v, "_fields") and v.__module__ == info.name]
    return found


@pytest.mark.parametrize("cls", _records(), ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_every_record_of_the_package_has_the_fields_and_defaults_of_its_namedtuple(cls: type) -> None:
    annotations = cls.__dict__.get("__annotations__", {})
    defaults = {k: cls._field_defaults[k] for k in cls._field_defaults}  # type: ignore[attr-defined]
    twin: Any = NamedTuple(cls.__name__, [(name, object) for name in annotations])  # type: ignore[misc]
    twin.__new__.__defaults__ = tuple(defaults.values()) or None
    assert cls._fields == tuple(annotations) == twin._fields  # type: ignore[attr-defined]
    values = [object() for _ in cls._fields]  # type: ignore[attr-defined]
    assert tuple(cls(*values)) == tuple(twin(*values))
    assert cls(**dict(zip(cls._fields, values)))._asdict() == twin(*values)._asdict()  # type: ignore[attr-defined]
    required = len(cls._fields) - len(defaults)  # type: ignore[attr-defined]
    assert tuple(cls(*values[:required])) == tuple(twin(*values[:required]))


@pytest.mark.skipif(not fast, reason="Record is typing.NamedTuple here")
def test_the_records_benchmark_makes_the_classes_of_a_query_both_ways() -> None:
    """benchmarks/records.py (the README quotes it) finds the record classes a `stat` call defines and times them."""
    import os
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-m", "benchmarks.records"], cwd=root, env=os.environ, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "record classes `yb stat ginseng-area --json` defines" in out.stdout
    assert "| as typing.NamedTuple |" in out.stdout and "| as record.Record     |" in out.stdout
