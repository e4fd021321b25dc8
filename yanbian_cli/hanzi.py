"""Pinyin and traditional-character tables for the corpus, made when the index is built.

This is the only module that imports pypinyin, opencc and hanja. Both are costly to
import (pypinyin ~200 ms and ~65 MB), so they are used once, to build the
search index, and never on the path of an ordinary query: the index stores
the pinyin of every searchable phrase and the traditional -> simplified map
of every character the corpus uses.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from yanbian_cli.text import is_cjk

# Readings pypinyin gets wrong in this corpus: place names and 参 in its
# ginseng sense (shēn), which pypinyin reads as cān outside the word 人参.
PHRASE_READINGS: dict[str, str] = {
    "珲春": "hún chūn",
    "宜参": "yí shēn",
    "鲜参": "xiān shēn",
    "林下参": "lín xià shēn",
    "参业": "shēn yè",
    "参农": "shēn nóng",
    "园参": "yuán shēn",
    "红参": "hóng shēn",
    "野山参": "yě shān shēn",
    "做货参": "zuò huò shēn",
    "参园": "shēn yuán",
    "参茸": "shēn róng",
    "长白山": "cháng bái shān",
}

_OPENCC_CONFIGS = ("s2t", "s2tw", "s2hk")


class Pinyin:
    """Toneless pinyin of Chinese text, with the corrections above loaded once (`pinyin()` shares one)."""

    def __init__(self) -> None:
        import pypinyin  # costly: see the module docstring

        pypinyin.load_phrases_dict(
            {phrase: [[syllable] for syllable in reading.split()] for phrase, reading in PHRASE_READINGS.items()}
        )
        self._pypinyin = pypinyin

    def syllables(self, text: str) -> list[str]:
        """One toneless syllable per Chinese character of `text` (other characters are skipped)."""
        chars = "".join(ch for ch in text if is_cjk(ch))
        if not chars:
            return []
        result = self._pypinyin.lazy_pinyin(chars, style=self._pypinyin.Style.NORMAL, v_to_u=False)
        return [s.replace("ü", "v") for s in result] if len(result) == len(chars) else []


@functools.lru_cache(maxsize=1)
def pinyin() -> Pinyin:
    """The one Pinyin reader of this process."""
    return Pinyin()


def load() -> None:
    """Load the tables every build reads (pypinyin's, the hanja package's, OpenCC's) ahead of their first
    use: a build on several processes loads them once, in the process its workers are forked from."""
    pinyin()
    _hanja()
    for config in ("s2t", *_OPENCC_CONFIGS):
        _converter(config)


@functools.lru_cache(maxsize=None)
def _converter(config: str) -> Any:
    import opencc  # costly: see the module docstring

    return opencc.OpenCC(config)


def simplified(text: str) -> str:
    """`text` in simplified characters, character for character (so every offset still points into
    `text`): OpenCC's t2s conversion, keeping only its one-for-one replacements."""
    if all(ord(ch) < 0x3400 for ch in text):
        return text
    converted = str(_converter("t2s").convert(text))
    if len(converted) == len(text):
        return converted
    return "".join(c if len(c := str(_converter("t2s").convert(ch))) == 1 else ch for ch in text)


def traditional_map(texts: Iterable[str], phrases: Iterable[str]) -> dict[str, str]:
    """Traditional (and variant) forms of the characters in `texts` -> their simplified form.

    Made with OpenCC's simplified -> traditional tables (mainland, Taiwan and
    Hong Kong standards), applied to each character alone and to each of the
    `phrases` (labels, aliases, names) whole, where phrase rules give forms
    such as 人蔘. A form that is itself a character of the corpus is left
    alone, so no corpus character is ever rewritten into another.
    """
    seen: set[str] = set()
    for text in texts:
        seen.update(text)
    corpus = {ch for ch in seen if is_cjk(ch)}
    # One item a line, so that no phrase rule joins unrelated neighbours.
    lines = sorted(corpus) + sorted({p.replace("\n", " ") for p in phrases if any(is_cjk(ch) for ch in p)})
    mapping: dict[str, str] = {}
    for config in _OPENCC_CONFIGS:
        converted = _converter(config).convert("\n".join(lines)).split("\n")
        if len(converted) != len(lines):  # pragma: no cover - OpenCC keeps line breaks
            continue
        for simplified, traditional in zip(lines, converted):
            if len(traditional) != len(simplified):
                continue
            for s_ch, t_ch in zip(simplified, traditional):
                if t_ch != s_ch and t_ch not in corpus and is_cjk(s_ch):
                    mapping.setdefault(t_ch, s_ch)
    return mapping


# -- Sino-Korean readings (the `hanja` package's table), for search across scripts ----------------


@functools.lru_cache(maxsize=1)
def _hanja() -> tuple[dict[str, str], Any]:
    """(character -> Sino-Korean reading, the initial-sound rule) from the `hanja` package (build time only)."""
    from hanja.hangul import dooeum  # costly: a 0.5 MB table parsed at import
    from hanja.table import hanja_table

    return hanja_table, dooeum


def korean_reading(phrase: str) -> str:
    """The Sino-Korean reading of a Chinese phrase as Yanbian writes it (initial ㄹ and ㄴ kept: 林下参 ->
    림하삼), or "" when a character has none. Simplified characters are read through their traditional
    form; 参 in its ginseng sense (pinyin shen, see PHRASE_READINGS) reads 삼, not 참."""
    if "参" not in phrase and "參" not in phrase:
        readings = list(map(_char_reading, phrase))
        return "".join(readings) if all(readings) else ""
    out = []
    for i, ch in enumerate(phrase):
        reading = ("삼" if _ginseng_sense(phrase, i) else "참") if ch in "参參" else _char_reading(ch)
        if not reading:
            return ""
        out.append(reading)
    return "".join(out)


_SENSE_CONTEXT = 3  # characters either side that decide how 参 reads (pypinyin's phrases are short)


def _ginseng_sense(phrase: str, i: int) -> bool:
    """Whether 参 at `i` is shen (ginseng, 삼), read from its neighbours only: the pinyin of a short window
    is the pinyin of the whole for that character, at a fraction of the cost on a long sentence."""
    start = max(0, i - _SENSE_CONTEXT)
    window = phrase[start:i + _SENSE_CONTEXT + 1]
    if not all(is_cjk(ch) for ch in window):
        return _ginseng_window(phrase[i])
    return _ginseng_window(window, i - start)


@functools.lru_cache(maxsize=4096)
def _ginseng_window(window: str, at: int = 0) -> bool:
    syllables = pinyin().syllables(window)
    return at < len(syllables) and syllables[at] == "shen"


@functools.lru_cache(maxsize=None)
def _char_reading(ch: str) -> str:
    table, _ = _hanja()
    # A simplified character is read as the character it simplifies (洁 as 潔, 결; not as the rare 洁, 길).
    traditional = str(_converter("s2t").convert(ch))
    reading = table.get(traditional) if len(traditional) == 1 and traditional != ch else None
    if not reading or len(reading) != 1:
        reading = table.get(ch)
    return reading if reading and len(reading) == 1 else ""


def reading_table() -> dict[str, str]:
    """Every character the `hanja` package reads -> its Sino-Korean readings (simplified characters through
    their traditional form; 参/參 both 삼, its ginseng sense, and 참): stored in the index of a base with
    Korean-language articles, so that a Chinese query is read in Korean without loading this package."""
    table, _ = _hanja()
    out = {ch: r for ch, r in table.items() if len(ch) == 1 and len(r) == 1}
    simple = [chr(c) for c in range(0x4E00, 0xA000)]
    converted = str(_converter("s2t").convert("\n".join(simple))).split("\n")
    if len(converted) == len(simple):
        for s_ch, t_ch in zip(simple, converted):
            reading = table.get(t_ch) if len(t_ch) == 1 and t_ch != s_ch else None
            if reading and len(reading) == 1:  # the character it simplifies first (洁: 潔 결, then 길)
                out[s_ch] = reading + out.get(s_ch, "").replace(reading, "")
    out["参"] = out["參"] = "삼참"
    return out


def initial_sound_forms(reading: str) -> list[str]:
    """Each part of a reading from one of its syllables to its end that the initial-sound rule changes,
    changed (림하삼 -> 임하삼; 인삼 -> none): initial_sound_rule(reading[i:]) where that differs."""
    out = []
    for i, syllable in enumerate(reading):
        south = _initial_sound(syllable)
        if south != syllable:
            out.append(south + reading[i + 1:])
    return out


def initial_sound_rule(reading: str) -> str:
    """A reading as South Korean spelling writes it at the start of a word (림하삼 -> 임하삼, 로동 -> 노동)."""
    return _initial_sound(reading[0]) + reading[1:] if reading else reading


@functools.lru_cache(maxsize=None)
def _initial_sound(syllable: str) -> str:
    _, dooeum = _hanja()
    return str(dooeum(" ", syllable))


@functools.lru_cache(maxsize=1)
def korean_lexicon() -> dict[str, tuple[str, ...]]:
    """Sino-Korean reading (both spellings) -> Chinese words of pypinyin's phrase dictionary (2 to 4
    characters), so that a Korean word can be mapped back to the Chinese words it may write."""
    from pypinyin.phrases_dict import phrases_dict

    out: dict[str, set[str]] = {}
    for phrase in phrases_dict:
        if 2 <= len(phrase) <= 4:
            reading = korean_reading(phrase)
            if reading:
                out.setdefault(reading, set()).add(phrase)
                out.setdefault(initial_sound_rule(reading), set()).add(phrase)
    return {k: tuple(sorted(v)) for k, v in out.items()}
