"""One exception tree: each error carries a message for people and an exit code."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum


class ExitCode(IntEnum):
    """The exit codes of `yb`, as documented in the README."""

    OK = 0
    NOT_FOUND = 1
    USAGE = 2
    INVALID_DATA = 3  # also: a file yb must write (-o, the output itself) cannot be written


class YbError(Exception):
    """An error a user can cause; `str(error)` is one line ready to print."""

    code = ExitCode.USAGE


class UsageError(YbError):
    """Bad arguments or a bad query."""

    code = ExitCode.USAGE


class NotFoundError(YbError):
    """The query is well formed but nothing matches.

    `empty_json` is what a command asked for JSON prints on stdout all the same
    (`[]` for a list), so that a script always reads JSON.
    """

    code = ExitCode.NOT_FOUND

    def __init__(self, message: str, *, empty_json: str | None = None) -> None:
        super().__init__(message)
        self.empty_json = empty_json


class OutputError(YbError):
    """What yb was asked to write cannot be written (a full disk, a closed output, no permission)."""

    code = ExitCode.INVALID_DATA


class CacheError(YbError):
    """The index cache cannot be read (a damaged file): rebuilt and asked again by the command boundary."""

    code = ExitCode.INVALID_DATA

    def __init__(self, location: str, why: str) -> None:
        super().__init__(f"the index cache {location} cannot be read ({why}); run 'yb index --clear'")
        self.location = location


class DataError(YbError):
    """The fact base (or a file it names) cannot be used; carries every problem found."""

    code = ExitCode.INVALID_DATA

    def __init__(self, problems: Sequence[object]) -> None:  # factbase.Problem
        self.problems = problems
        first = str(problems[0]) if problems else "invalid fact base"
        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{first}{more}; run 'yb check' to list every problem")
