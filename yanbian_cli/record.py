"""`Record`: typing.NamedTuple, made in a tenth of the time.

Every call of `yb` is a new process, and it pays again for every class its modules define. A
typing.NamedTuple class costs 0.1-0.35 ms to make: typing checks each annotation, and
collections.namedtuple compiles a `__new__` from source for it. A query defines about thirty of
them: 4-5 ms of a call whose whole budget over `import typer` is 12-18 ms.

A Record class is the same class: a tuple with named fields, defaults, `_fields`,
`_field_defaults`, `_make`, `_replace`, `_asdict`, the same repr, `__match_args__`, equality and
pickling of a tuple. Its `__new__` is a copy of one compiled once for its number of fields, with
the field names put in as its parameter names (so keywords work as in a NamedTuple), and the
other methods are shared by all records. Write one exactly as a NamedTuple:

    class Hit(Record):
        fact: Fact
        match: Match | None = None

For the type checker a Record *is* typing.NamedTuple, so mypy checks every use as before. From
Python 3.14 (annotations made lazily) it is typing.NamedTuple at run time as well.
tests/test_record.py holds every Record of the package to the NamedTuple built from the same class.
"""

import collections
import sys
import types
from collections.abc import Callable
from operator import itemgetter
from typing import TYPE_CHECKING, Any

# What collections.namedtuple reads a field with: a descriptor written in C where there is one.
_tuplegetter: Callable[[int, str], Any] = (collections.__dict__.get("_tuplegetter")
                                           or (lambda index, doc: property(itemgetter(index), doc=doc)))

_TEMPLATES: dict[int, types.CodeType] = {}  # a compiled __new__ for each number of fields


def _new(name: str, fields: tuple[str, ...], defaults: tuple[Any, ...]) -> Any:
    """`__new__(_cls, field, ...)` for a record, from the template of its arity."""
    code = _TEMPLATES.get(len(fields))
    if code is None:
        params = ", ".join(f"_{i}" for i in range(len(fields)))
        code = eval(f"lambda _cls, {params}: _tuple_new(_cls, ({params}{',' if fields else ''}))",
                    {"_tuple_new": tuple.__new__}).__code__
        _TEMPLATES[len(fields)] = code
    fn = types.FunctionType(code.replace(co_varnames=("_cls", *fields)), {"_tuple_new": tuple.__new__}, "__new__",
                            defaults or None)
    fn.__qualname__ = f"{name}.__new__"
    return fn


class _Methods(tuple):
    """What every record shares: written once, as collections.namedtuple writes it for each class."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()
    _field_defaults: dict[str, Any] = {}

    @classmethod
    def _make(cls, iterable: Any) -> Any:
        result = tuple.__new__(cls, iterable)
        if len(result) != len(cls._fields):
            raise TypeError(f"Expected {len(cls._fields)} arguments, got {len(result)}")
        return result

    def _replace(self, **changes: Any) -> Any:
        result = self._make(map(changes.pop, self._fields, self))
        if changes:
            raise ValueError(f"Got unexpected field names: {list(changes)!r}")
        return result

    def _asdict(self) -> dict[str, Any]:
        return dict(zip(self._fields, self))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={v!r}' for n, v in zip(self._fields, self))})"

    def __getnewargs__(self) -> tuple[Any, ...]:
        return tuple(self)


class _RecordMeta(type):
    def __new__(mcls, name: str, bases: tuple[type, ...], ns: dict[str, Any]) -> Any:
        if ns.get("_root"):
            return super().__new__(mcls, name, bases, ns)
        if bases != (Record,):
            raise TypeError(f"{name}: a record is made from Record alone")
        fields = tuple(ns.get("__annotations__", {}))
        defaults = tuple(ns[f] for f in fields if f in ns)
        if any(f.startswith("_") for f in fields):
            raise ValueError(f"{name}: field names cannot start with an underscore")
        if defaults and any(f not in ns for f in fields[len(fields) - len(defaults):]):
            raise TypeError(f"{name}: a field without a default cannot follow one with a default")
        body = {k: v for k, v in ns.items() if k not in fields}
        body.update({f: _tuplegetter(i, f"Alias for field number {i}") for i, f in enumerate(fields)})
        body.update(__slots__=(), _fields=fields, __match_args__=fields,
                    _field_defaults=dict(zip(fields[len(fields) - len(defaults):], defaults)),
                    __new__=_new(name, fields, defaults))
        return type.__new__(mcls, name, (_Methods,), body)


if TYPE_CHECKING or sys.version_info >= (3, 14):
    from typing import NamedTuple as Record
else:
    class Record(metaclass=_RecordMeta):
        """Base of a record class: see the module's docstring."""

        _root = True
