"""Text as search sees it, on both sides: one normaliser, tokens, scripts, numbers as text.

The index reads every field through `normalize` and `tokens` when it is built, and
a query is read through the same two functions, so both sides tokenise alike.

Every `yb` call imports this module, so it keeps its start-up cheap: no regular
expression with large Unicode ranges (they take milliseconds to compile) and
`decimal` imported only where a number is written out.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping

# Patterns are strings, compiled (and cached by `re`) on first use, and none has a large
# Unicode range (CJK and Hangul are \w letters): compiling one of those takes milliseconds.
TOKEN_RE = r"[a-z][a-z0-9]*|\d+(?:\.\d+)?(?:万亿|万|亿)?%?|[^\W\d_a-z]+|[^\s\w]+|_"
NUMBER_RE = r"(\d+(?:\.\d+)?)(万亿|万|亿)?(%?)"
_SEPARATOR_RE = r"[^\w%.]+|_|(?<!\d)\.|\.(?!\d)"
_TONE_DIGIT_RE = r"(?<=[a-z])(?<!km)(?<![^a-z]m)(?<!^m)[1-5](?=[a-z]|\b)"  # not km2, m2
_MIDDOT_RE = r"(?<=\d)[·・•](?=\d)"
_MAGNITUDE_SPACE_RE = r"(?<=\d)\s+(?=[万亿])"
_CJK_RE = "[\u3400-\u9fff\uf900-\ufaff]+"  # the characters `script` calls "cjk"


@functools.cache
def _pattern(pattern: str) -> re.Pattern[str]:
    """A pattern of this module, compiled on first use (cheaper to call than `re`'s own cache)."""
    return re.compile(pattern)


@functools.cache
def _marked() -> frozenset[str]:
    """The characters `_strip_latin_marks` rewrites (Latin letters with marks, pinyin with tones)."""
    return frozenset(map(chr, (*range(0xC0, 0x250), *range(0x1E00, 0x1F00))))


def _strip_latin_marks(text: str) -> str:
    """rénshēn -> renshen, lǜ -> lv; Hangul and CJK are left whole."""
    if text.isascii() or _marked().isdisjoint(text):
        return text
    out = []
    for ch in text:
        if "\u00c0" <= ch <= "\u024f" or "\u1e00" <= ch <= "\u1eff":
            if ch in "üǖǘǚǜ":
                out.append("v")
                continue
            out.append("".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)))
        else:
            out.append(ch)
    return "".join(out)


def normalize(text: str, t2s: Mapping[int, str] | None = None) -> str:
    """The one normaliser, for queries and indexed fields alike.

    NFKC (full-width digits and letters), casefold, traditional -> simplified
    (through the index's table), Latin accents and pinyin tone marks/digits
    dropped, 6·18 -> 618, `56.35 亿` -> `56.35亿`, separators collapsed to
    single spaces. Keeps `%` and decimal points, so `98.1%` survives.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    if t2s:
        text = text.translate(t2s)
    text = _strip_latin_marks(text)
    if any(map(str.isdigit, text)):
        text = _pattern(_MIDDOT_RE).sub("", text) if "·" in text or "・" in text or "•" in text else text
        text = _pattern(_MAGNITUDE_SPACE_RE).sub("", text) if "万" in text or "亿" in text else text
        text = _pattern(_TONE_DIGIT_RE).sub("", text)
    return " ".join(_pattern(_SEPARATOR_RE).sub(" ", text).split())


def script(ch: str) -> str:
    """'cjk', 'hangul' or 'other' for one character."""
    if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff":
        return "cjk"
    if "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f":
        return "hangul"
    return "other"


def tokens(normalized: str) -> list[tuple[str, str]]:
    """(kind, token) pairs of normalised text; kinds: latin, num, cjk, hangul, other."""
    out: list[tuple[str, str]] = []
    for tok in _pattern(TOKEN_RE).findall(normalized):  # (its groups do not capture)
        first = tok[0]
        if "a" <= first <= "z":
            out.append(("latin", tok))
        elif first.isdigit() and first.isascii():
            out.append(("num", tok))
        else:
            low, high = min(tok), max(tok)
            if "\u3400" <= low and high <= "\u9fff":  # all Chinese (most runs): one token
                out.append(("cjk", tok))
                continue
            if "\uac00" <= low and high <= "\ud7a3":  # all Hangul syllables
                out.append(("hangul", tok))
                continue
            # A run of letters: split where the script changes (人参룡정 -> 人参, 룡정).
            start, kind = 0, script(first)
            for i in range(1, len(tok)):
                k = script(tok[i])
                if k != kind:
                    out.append((kind, tok[start:i]))
                    start, kind = i, k
            out.append((kind, tok[start:]))
    return out


def is_latin(text: str) -> bool:
    return all(c < "\u0250" for c in text)


def has_hangul(text: str) -> bool:
    """Whether `text` holds a Hangul syllable."""
    return _pattern("[가-힣]").search(text) is not None


def hangul_final(syllable: str) -> int:
    """The final consonant of a Hangul syllable, as its index (0: none; 8: ㄹ); -1 for anything else."""
    return (ord(syllable) - 0xAC00) % 28 if len(syllable) == 1 and "가" <= syllable <= "힣" else -1


def is_cjk(text: str) -> bool:
    """Whether `text` is Chinese characters only (`script` "cjk"), and not empty."""
    return _pattern(_CJK_RE).fullmatch(text) is not None


def decimal_text(value: object) -> str:
    """A number as plain decimal text, the same however it was written: 5.635E+9 -> 5635000000."""
    from decimal import Decimal

    return format(Decimal(str(value)).normalize(), "f")


def holds_figure(text: str, figure: str) -> bool:
    """`figure` (it starts with a digit) in `text`, not as part of a longer number
    (98.1% is not in 998.1%, 5 is not in 56.58%)."""
    start = text.find(figure)
    while start >= 0:
        end = start + len(figure)
        before_ok = start == 0 or not (text[start - 1].isdigit() or text[start - 1] == ".")
        after_ok = not figure[-1].isdigit() or end == len(text) or not (
            text[end].isdigit() or (text[end] == "." and end + 1 < len(text) and text[end + 1].isdigit()))
        if before_ok and after_ok:
            return True
        start = text.find(figure, start + 1)
    return False


# English word forms: what `stem` maps to one form (visited, visits, visitors -> visit).
_IRREGULAR = {"sent": "send", "spent": "spend", "built": "build", "held": "hold", "made": "make", "kept": "keep",
              "brought": "bring", "bought": "buy", "sold": "sell", "grew": "grow", "grown": "grow", "rose": "rise",
              "risen": "rise", "fell": "fall", "fallen": "fall", "won": "win", "led": "lead", "paid": "pay",
              "children": "child", "women": "woman", "men": "man", "took": "take", "taken": "take", "gave": "give",
              "given": "give", "began": "begin", "begun": "begin", "ran": "run", "met": "meet", "found": "find"}
_SUFFIXES = (("ications", "y"), ("ication", "y"), ("ments", ""), ("ment", ""), ("ions", ""), ("ion", ""),
             ("ings", ""), ("ing", ""),
             ("ies", "y"), ("ied", "y"), ("ors", ""), ("or", ""), ("ers", ""), ("er", ""), ("ed", ""), ("es", ""),
             ("s", ""))


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """One form for the English forms of a word: a small suffix rule (visits, visited, visitors -> visit;
    invested, investment -> invest; company, companies -> company), with common irregular verbs.

    Both the index and the query go through it, so it need only be consistent, not a dictionary form.
    A build stems every English word of every fact (millions of calls on a vocabulary of thousands):
    the forms are remembered, a bounded number of them.
    """
    if len(word) < 4 or not word.isascii() or not word.isalpha():
        return word
    word = _IRREGULAR.get(word, word)
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= (4 if suffix.startswith("ion") else 3):
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                continue
            word = word[: len(word) - len(suffix)] + replacement
            break
    if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]  # running -> runn -> run
    if len(word) >= 4 and word.endswith("e"):
        word = word[:-1]  # receive, received -> receiv
    return word


# Characters that can drive a terminal, reorder what it shows or hide text: C0/C1 controls (ESC
# starts CSI/OSC sequences), DEL, bidirectional marks, overrides and isolates, line/paragraph
# separators, and invisible format characters (soft hyphen, zero-width spaces and joiners, word
# joiner and invisible operators, deprecated format characters, the BOM, interlinear annotation,
# tag characters) that can make two labels look alike.
UNSAFE = ("\x00-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064"
          "\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f")
_UNSAFE_RE = f"[{UNSAFE}]"  # (every one of them is unprintable: str.isprintable says when none is there)


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def visible(text: str) -> str:
    """`text` with every character that could control a terminal, reorder or hide text shown as an
    escape (\\x1b, \\u202e)."""
    if text.isprintable():
        return text
    return re.sub(_UNSAFE_RE, lambda m: _escape(m.group()), text)


_SYLLABLE = ("(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ang|eng|ing|ong|uai|ian|iao|uan|van|ai|ei|ao|ou"
             "|an|en|er|in|un|vn|ia|ie|iu|ua|uo|ui|ve|a|o|e|i|u|v)")


def is_pinyin(word: str) -> bool:
    """Whether a latin word is made only of pinyin syllables (renshen, lanmei; not ginseng)."""
    return re.fullmatch(f"(?:{_SYLLABLE})+", word) is not None
