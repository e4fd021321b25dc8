"""A base's glossary at build time: the synonyms a fact is also found by.

A glossary group names words that mean the same in the base's articles (采摘, picking, 따기, 채취). When a
fact's own words (labels, aliases, the clause of its figure) hold one of them, the
fact also carries, in a field of its own ("synonym", weighed below the sentence): every other word of the
group, and each word of its text that holds the found word rewritten with the group's other words of the
same script, so that a compound typed another way is found too (생태따기축제 -> 생태채취축제; 采摘节 ->
采收节). English words are matched by their stems, as words, never inside another word; an English phrase of
the glossary finds the facts that hold it, and the single words of a group are what a fact carries.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from yanbian_cli.model import Synonyms
from yanbian_cli.text import has_hangul, stem, tokens

WITHIN = 4  # characters of a compound kept on either side of a word rewritten with its synonyms
_SPANS = re.compile(r"[^\s,.;:!?()\[\]'\"，。、；：！？（）《》“”‘’·]+")


class Glossary:
    """Finds a glossary's words in a fact's texts, and writes the synonyms the fact carries."""

    def __init__(self, groups: Sequence[Synonyms], norm: Callable[[str], str]) -> None:
        self.groups = list(groups)
        self.norm = norm
        self._forms: dict[str, list[int]] = {}  # a Chinese or Korean word, normalised -> its groups
        self._phrases: dict[str, list[tuple[tuple[str, ...], int]]] = {}  # first stem -> (stems, group)
        for i, g in enumerate(self.groups):
            for form in (*g.zh, *g.ko):
                n = norm(form)
                if len(n) >= 2:  # a single character is inside too many other words to tell
                    self._forms.setdefault(n, []).append(i)
            for phrase in g.en:
                stems = self._stems(phrase)
                if stems:
                    self._phrases.setdefault(stems[0], []).append((stems, i))
        words = sorted(self._forms, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, words))) if words else None

    @staticmethod
    def _stems(text: str) -> tuple[str, ...]:
        """The stems of a text's English words; "non" and the word after it are one (non-forest ginseng holds
        no "forest ginseng": the understory ginseng's phrase would make a field-ginseng fact carry 林下参)."""
        words = [tok for kind, tok in tokens(text.lower()) if kind == "latin"]
        joined: list[str] = []
        for word in words:
            if joined and joined[-1] == "non":
                joined[-1] += word
            else:
                joined.append(word)
        return tuple(stem(word) for word in joined)

    def _same_script(self, group: int, word: str) -> tuple[str, ...]:
        g = self.groups[group]
        return tuple(self.norm(w) for w in (g.ko if has_hangul(word) else g.zh))

    def synonyms(self, texts: Iterable[str], english: Iterable[str]) -> tuple[str, str]:
        """(the Chinese and Korean synonyms, the English ones) of a fact whose own words are `texts`
        (normalised) and `english`; ("", "") when it holds no word of the glossary."""
        if not self.groups:
            return "", ""
        found: dict[int, None] = {}
        rewritten: dict[str, None] = {}
        maybe: list[tuple[int, str, str]] = []  # (group, word, its compound) of a word in several groups
        for text in texts:
            if not text or self._pattern is None:
                continue
            for m in self._pattern.finditer(text):
                word = m.group()
                # the word within its compound: up to WITHIN characters on either side, inside its span
                bounds = next(((s.start(), s.end()) for s in _SPANS.finditer(text)
                               if s.start() <= m.start() < s.end()), (m.start(), m.end()))
                span = text[max(bounds[0], m.start() - WITHIN):min(bounds[1], m.end() + WITHIN)]
                groups = self._forms[word]
                for group in groups:
                    if len(groups) > 1:  # a word of two meanings (거리: street, distance) chooses none by itself
                        maybe.append((group, word, span))
                        continue
                    found[group] = None
                    for other in self._same_script(group, word):
                        if other != word:
                            rewritten[span.replace(word, other)] = None
        for text in english:
            stems = self._stems(text)
            for at, first in enumerate(stems):
                for phrase, group in self._phrases.get(first, ()):
                    if stems[at:at + len(phrase)] == phrase:
                        found[group] = None
        for group, word, span in maybe:  # ... but is rewritten in a group another of the fact's words chose
            if group in found:
                for other in self._same_script(group, word):
                    if other != word:
                        rewritten[span.replace(word, other)] = None
        if not found:
            return "", ""
        words = dict.fromkeys(self.norm(w) for i in found for w in (*self.groups[i].zh, *self.groups[i].ko))
        # an English phrase finds a fact (above) but is not carried word by word: "fact" of fact-finding,
        # "field" of field study would stand for the whole
        english_words = dict.fromkeys(w for i in found for w in self.groups[i].en if len(self._stems(w)) == 1)
        return " ".join([*rewritten, *words]), " ".join(english_words)
