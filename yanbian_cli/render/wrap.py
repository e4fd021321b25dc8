"""Line breaking for mixed Chinese, Korean and English text in terminal cells.

Rich folds a long Chinese cell at any character: a figure splits (生产鲜参2 / 680万斤) and a line can
start with a comma. `wrap` breaks as a typesetter would: between Chinese characters, at spaces
between words, never inside a number or a word, never inside what the caller keeps whole (the
figure of a fact), never before closing punctuation (，。、）」》 …) nor after opening punctuation
(（「《 …). Widths are terminal cells: a wide (East Asian) character takes two.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

CLOSING = set("，。、；：！？）」』》〉】〕〗…‥,.;:!?)]}%·”’々ー゛゜-")  # a hyphen holds to the word before it
OPENING = set("（「『《〈【〔〖“‘([{")
# Runs that stay together: Latin words and numbers (with their decimal point, %, and hyphens/slashes inside),
# and Korean words (Korean breaks at spaces, as English does, not between syllables as Chinese does).
_RUN = re.compile(r"[0-9A-Za-z\u00c0-\u024f]+(?:[.,:/'’][0-9A-Za-z\u00c0-\u024f]+)*%?"
                  r"|[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f0-9.%]+|\S")


def cells(text: str) -> int:
    """Terminal cells `text` takes."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _units(text: str, keep: Sequence[str]) -> list[str]:
    """The text cut into pieces no line break may enter, spaces as their own pieces."""
    kept: list[tuple[int, int]] = []
    for k in keep:
        start = text.find(k) if k else -1
        while start >= 0:
            kept.append((start, start + len(k)))
            start = text.find(k, start + len(k))
    units: list[str] = []
    i = 0
    while i < len(text):
        span = next(((s, e) for s, e in kept if s == i), None)
        if span:
            units.append(text[span[0]:span[1]])
            i = span[1]
            continue
        if text[i].isspace():
            j = i
            while j < len(text) and text[j].isspace():
                j += 1
            units.append(" ")
            i = j
            continue
        inside = next((e for s, e in kept if s < i < e), None)
        if inside:  # (a kept stretch that started inside a run: already taken)
            i = inside
            continue
        m = _RUN.match(text, i)
        end = m.end() if m else i + 1
        nxt = min((s for s, _ in kept if i < s < end), default=end)
        units.append(text[i:nxt])
        i = nxt
    # Closing punctuation holds to what is before it; opening punctuation to what follows.
    glued: list[str] = []
    for unit in units:
        if glued and (unit[0] in CLOSING or glued[-1][-1] in OPENING) and unit != " " and glued[-1] != " ":
            glued[-1] += unit
        else:
            glued.append(unit)
    return glued


def wrap(text: str, width: int, keep: Sequence[str] = ()) -> list[str]:
    """`text` broken into lines of at most `width` cells (a piece longer than a line is cut only when
    nothing else can be done)."""
    width = max(width, 2)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for unit in _units(paragraph, keep):
            if unit == " ":
                if line:
                    line += " "
                continue
            if cells(line) + cells(unit) <= width:
                line += unit
                continue
            if line.strip():
                lines.append(line.rstrip())
                line = ""
            while cells(unit) > width:  # one piece longer than a line: cut it, as little as may be
                cut = 0
                while cells(unit[:cut + 1]) <= width:
                    cut += 1
                cut = max(cut, 1)
                lines.append(unit[:cut])
                unit = unit[cut:]
            line = unit
        lines.append(line.rstrip())
    return lines
