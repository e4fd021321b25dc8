"""What the record classes of a query cost to define, as typing.NamedTuple and as yanbian_cli.record.Record.

    python -m benchmarks.records

Runs `yb stat ginseng-area --json` once as a process (so that the index is built), then in this process on
the shipped base, noting each record class defined on the way (and so which a query defines); then makes each of those classes again from its own namespace (its
annotations as written, defaults, methods) both ways, REPEAT times, and prints the median time of the whole
set each way. Both ways run in the same process, interleaved.
"""

from __future__ import annotations

import contextlib
import io
import statistics
import sys
import time
import typing
from typing import Any

REPEAT = 21


def _recorded_namespaces() -> list[tuple[str, dict[str, Any]]]:
    """(name, namespace) of every Record class that `yb stat ginseng-area --json` defines."""
    from yanbian_cli import record

    seen: list[tuple[str, dict[str, Any]]] = []
    meta: Any = type(record.Record)
    original = meta.__new__

    def noting(mcls: Any, name: str, bases: tuple[type, ...], ns: dict[str, Any]) -> Any:
        if not ns.get("_root"):
            seen.append((name, dict(ns)))
        return original(mcls, name, bases, ns)

    meta.__new__ = noting
    try:
        from yanbian_cli.cli.app import main

        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            try:
                main(["stat", "ginseng-area", "--json"])
            except SystemExit:
                pass
    finally:
        meta.__new__ = original
    return seen


def _define_all(namespaces: list[tuple[str, dict[str, Any]]], base: Any) -> float:
    start = time.perf_counter()
    for name, ns in namespaces:
        types_new_class(name, base, ns)
    return time.perf_counter() - start


def types_new_class(name: str, base: Any, ns: dict[str, Any]) -> Any:
    import types

    body = {k: v for k, v in ns.items() if k not in ("__qualname__", "__classcell__")}
    return types.new_class(name, (base,), exec_body=lambda n: n.update(body))


def main() -> int:
    from yanbian_cli.record import Record

    if Record is typing.NamedTuple:
        print("Record is typing.NamedTuple on this Python: nothing to compare")
        return 0
    import subprocess

    subprocess.run([sys.executable, "-m", "yanbian_cli", "stat", "ginseng-area", "--json"], capture_output=True)
    namespaces = _recorded_namespaces()
    if not namespaces:
        print("no record class was defined: were the modules imported before? run this as a script")
        return 1
    as_namedtuple, as_record = [], []
    for _ in range(REPEAT):
        as_namedtuple.append(_define_all(namespaces, typing.NamedTuple))
        as_record.append(_define_all(namespaces, Record))
    nt, rec = statistics.median(as_namedtuple) * 1000, statistics.median(as_record) * 1000
    fields = sum(len(ns.get("__annotations__", {})) for _, ns in namespaces)
    print(f"Python {sys.version.split()[0]}: the {len(namespaces)} record classes `yb stat ginseng-area --json` "
          f"defines ({fields} fields), made {REPEAT} times each way; median of the whole set:")
    print(f"| as typing.NamedTuple | {nt:6.2f} ms |")
    print(f"| as record.Record     | {rec:6.2f} ms |  ({nt / rec:.1f} times less)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
