"""Pinyin and traditional-character tables for the corpus, made when the index is built.

This is the only module that imports pypinyin and opencc. Both are costly to
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


@functools.lru_cache(maxsize=None)
def _converter(config: str) -> Any:
    import opencc  # costly: see the module docstring

    return opencc.OpenCC(config)


def simplified(text: str) -> str:
    """`text` in simplified characters, character for character (so offsets still point into `text`);
    `text` itself where OpenCC would change its length."""
    converted = _converter("t2s").convert(text)
    return converted if len(converted) == len(text) else text


def traditional_map(texts: Iterable[str], phrases: Iterable[str]) -> dict[str, str]:
    """Traditional (and variant) forms of the characters in `texts` -> their simplified form.

    Made with OpenCC's simplified -> traditional tables (mainland, Taiwan and
    Hong Kong standards), applied to each character alone and to each of the
    `phrases` (labels, aliases, names) whole, where phrase rules give forms
    such as 人蔘. A form that is itself a character of the corpus is left
    alone, so no corpus character is ever rewritten into another.
    """
    corpus = {ch for text in texts for ch in text if is_cjk(ch)}
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
