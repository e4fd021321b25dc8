"""Text from the data, made safe for a terminal: control characters shown, never obeyed."""

from __future__ import annotations

import re
import sys

# Characters that can drive a terminal or reorder what it shows: C0/C1 controls
# (ESC starts CSI/OSC sequences), DEL, bidirectional overrides and isolates,
# line/paragraph separators.
_UNSAFE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def safe(text: str) -> str:
    """`text` with every character that could control a terminal shown as a visible escape (\\x1b)."""
    return _UNSAFE_RE.sub(lambda m: _escape(m.group()), text)


def safe_lines(text: str) -> str:
    """`safe` for text of several lines (tabs and line breaks are kept)."""
    return "\n".join("\t".join(safe(cell) for cell in line.split("\t")) for line in text.split("\n"))


def write_data(text: str) -> None:
    """Write data (CSV, Markdown, TOML, a citation) to stdout: exact into a file or pipe, made safe on a terminal."""
    sys.stdout.write(safe_lines(text.replace("\r\n", "\n")) if sys.stdout.isatty() else text)


def write_line(text: str) -> None:
    """One line for people on stdout, made safe."""
    sys.stdout.write(safe(text) + "\n")
