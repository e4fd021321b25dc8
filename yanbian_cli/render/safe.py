"""Text from the data, made safe for a terminal: control characters shown, never obeyed."""

from __future__ import annotations

import re
import sys

from yanbian_cli.text import UNSAFE, visible

_C0 = "\x00-\x1f"
_UNSAFE_IN_JSON_RE = "[" + UNSAFE[len(_C0):] + "]"  # JSON escapes the C0 controls itself


def safe(text: str) -> str:
    """`text` with every character that could control a terminal shown as a visible escape (\\x1b)."""
    return visible(text)


def json_safe(text: str) -> str:
    """JSON text with the characters JSON leaves raw (C1, bidi, separators, invisible ones) written as
    \\uXXXX escapes: the same JSON, safe to show on a terminal."""
    def escape(m: re.Match[str]) -> str:
        code = ord(m.group())
        if code > 0xFFFF:  # a surrogate pair, as JSON writes characters beyond the BMP
            code -= 0x10000
            return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
        return f"\\u{code:04x}"

    # (every character it escapes is unprintable; JSON's own line breaks are not among them)
    return text if text.replace("\n", "").isprintable() else re.sub(_UNSAFE_IN_JSON_RE, escape, text)


def safe_lines(text: str) -> str:
    """`safe` for text of several lines (tabs and line breaks are kept)."""
    return "\n".join("\t".join(safe(cell) for cell in line.split("\t")) for line in text.split("\n"))


def write_data(text: str, *, json: bool = False) -> None:
    """Write data (CSV, Markdown, TOML, NDJSON) to stdout: exact into a file or pipe, made safe on a
    terminal (JSON keeps being JSON there: its unsafe characters are written as \\u escapes)."""
    if sys.stdout.isatty():
        text = json_safe(text) if json else safe_lines(text.replace("\r\n", "\n"))
    sys.stdout.write(text)


def write_line(text: str) -> None:
    """One line for people on stdout, made safe."""
    sys.stdout.write(safe(text) + "\n")


def note(message: str) -> None:
    """A line for the reader, on stderr (it is not data: a pipe gets only the results). A note that cannot
    be written (stderr closed or full) is no failure of the answer."""
    try:
        sys.stderr.write(f"yb: {safe(message)}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass
