"""Reading a query: slots (one per thing typed), each with its atoms (the readings of it).

An atom is one reading of what was typed: the word itself, a close word of the
vocabulary (typos), the Chinese that a pinyin string or its initials spell, a
number's value, the other names of a place or topic it names.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from yanbian_cli.text import (
    NUMBER_RE,
    decimal_text,
    is_cjk,
    is_latin,
    normalize,
    tokens,
)

if TYPE_CHECKING:  # pragma: no cover
    from yanbian_cli.search.corpus import Corpus

# Readings that are less certain than what was typed.
PINYIN_SYLLABLE_FACTOR = 0.85  # one syllable spells many characters
INITIALS_FACTOR = 0.9
PREFIX_SIM = 85.0
EXPANSION_SIM = 90.0  # another name of the place or topic that was typed
FUZZY_CUTOFF = 80  # rapidfuzz ratio below which a vocabulary word is not a typo of the token
MAX_TYPO_FORMS = 40
MAX_INITIALS = 6  # longest run of syllables indexed by its initials (rsjgqy: 人参加工企业)
MAX_PHRASE = 8  # longest Chinese phrase an unspaced query is split into

# Question and function words of Chinese queries (多少, 一共 ...), removed from a run of Chinese
# that has other words in it.
CJK_FUNCTION_WORDS = ("多少钱", "是多少", "有多少", "多少", "一共", "总共", "几个", "几项", "什么", "哪些", "哪个", "怎么",
                      "了", "的", "吗", "呢", "是", "有")
STOPWORDS = frozenset(
    "a an the of in on at to for and or by with from is are was were how many much what which when".split()
    # Korean question words and counters: how many, counter, number, how much, when, how many days, what
    + "몇 개 몇개 수 얼마 얼마나 언제 며칠 무엇 뭐 은 는 이 가 을 를 의".split()
)


class Atom(NamedTuple):
    """One reading of something typed: what to look for, how sure, and why."""

    kind: str  # "word", "text", "number", "digits" or "date"
    surface: str
    sim: float
    how: str = ""
    percent: bool = False


class Slot(NamedTuple):
    typed: str
    atoms: tuple[Atom, ...]


class Query(NamedTuple):
    text: str
    normalized: str
    variants: tuple[tuple[Slot, ...], ...]  # alternative ways to read the whole query


def _latin_atoms(token: str, corpus: Corpus, typos: bool = True) -> tuple[Atom, ...]:
    """A latin token: the word, its pinyin readings, and when it is no known word, close words (typos)."""
    atoms = [Atom("word", token, 100.0)]
    if corpus.vocab(token):
        keys = [(token, 100.0)]
    elif len(token) <= 3 or not typos:
        keys = []
    else:
        from rapidfuzz import (  # only for a word the vocabulary does not know
            fuzz,
            process,
        )

        forms = corpus.vocab_forms()
        # A typo costs twice its distance: ratio 90 -> 80, ratio 80 (the cutoff) -> 60.
        keys = [(k, 100 - 2 * (100 - s)) for k, s, _ in
                process.extract(token, forms, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=MAX_TYPO_FORMS)]
        seen = {k for k, _ in keys}
        keys += [(k, PREFIX_SIM) for k in forms if k.startswith(token) and k not in seen][:MAX_TYPO_FORMS]
    for key, sim in keys:
        for surface in corpus.vocab(key) or ():
            if is_cjk(surface):
                factor = PINYIN_SYLLABLE_FACTOR if len(surface) == 1 else 1.0
                atoms.append(Atom("text", surface, sim * factor, f"pinyin {key}"))
            elif surface != token:
                atoms.append(Atom("word", surface, sim, f"~{key}"))
    if 2 <= len(token) <= MAX_INITIALS:
        # Surfaces come most frequent first: the likelier reading ranks a little higher.
        for rank_, surface in enumerate(corpus.initials(token)):
            atoms.append(Atom("text", surface, 100 * INITIALS_FACTOR - min(rank_, 5), f"initials {token}"))
    return tuple(atoms)


def _segment(run: str, corpus: Corpus) -> list[str]:
    """Split unspaced Chinese into known phrases, longest first (面积人参 -> 面积 人参)."""
    out: list[str] = []
    i = 0
    while i < len(run):
        for j in range(min(len(run), i + MAX_PHRASE), i, -1):
            if j == i + 1 or corpus.is_phrase(run[i:j]):
                out.append(run[i:j])
                i = j
                break
    # Single characters left over are joined back into their neighbours' run.
    merged: list[str] = []
    for piece in out:
        if merged and len(piece) == 1 and len(merged[-1]) == 1:
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged


def _figure_slot(raw: str) -> Slot | None:
    """A whole token that is a figure (98.6%, 56.35亿元, 五十六点三五亿, 7月30日) read as one."""
    if not any(c.isdigit() for c in raw) and (len(raw) < 2 or not any(c in "〇零一二两三四五六七八九十百千万亿" for c in raw)):
        return None
    from yanbian_cli.numbers import parse_figure

    fig = parse_figure(raw)
    if fig is None:
        return None
    atoms = [Atom("text", raw, 100.0)]
    if fig.unit == "date":
        atoms.append(Atom("date", str(fig.value), 100.0))
    else:
        atoms.append(Atom("number", decimal_text(fig.value), 100.0, percent=fig.unit == "percent"))
        digits = re.match(NUMBER_RE, raw)
        if digits:
            atoms.append(Atom("digits", digits.group(1), 100.0, "digits as written"))
    return Slot(raw, tuple(atoms))


def _expanded(slot: Slot, corpus: Corpus) -> Slot:
    """A slot that names a place or topic also looks for that entity's other names in a fact's own fields.

    (블루베리 names the topic whose aliases include 蓝莓, so a fact labelled 蓝莓… matches as if 蓝莓 was typed.)
    """
    extra: list[Atom] = []
    for kind, key in corpus.entity_names().get(slot.typed, ()):
        doc = (corpus.places if kind == "place" else corpus.topics)[key]
        for name in sorted(set(doc.exact) - {slot.typed}):
            if not is_latin(name):
                extra.append(Atom("text", name, EXPANSION_SIM, f"{kind} {key}"))
            elif " " not in name:
                extra.append(Atom("word", name, EXPANSION_SIM, f"{kind} {key}"))
    return Slot(slot.typed, slot.atoms + tuple(extra)) if extra else slot


def _slots_for(kind: str, tok: str, corpus: Corpus) -> list[Slot]:
    if kind == "num":
        m = re.fullmatch(NUMBER_RE, tok)
        if m is None:  # pragma: no cover - the tokeniser only makes numbers of this form
            return [Slot(tok, (Atom("text", tok, 100.0),))]
        from decimal import Decimal

        value = decimal_text(Decimal(m.group(1)) * {"": 1, "万": 10**4, "亿": 10**8, "万亿": 10**12}[m.group(2) or ""])
        return [Slot(tok, (Atom("number", value, 100.0, percent=bool(m.group(3))),
                           Atom("digits", m.group(1), 100.0, "digits as written")))]
    if kind == "latin":
        return [Slot(tok, _latin_atoms(tok, corpus))]
    if kind == "cjk" and len(tok) > 2:
        stripped = tok
        for word in CJK_FUNCTION_WORDS:
            stripped = stripped.replace(word, " ")
        if stripped.split() and stripped.replace(" ", "") != tok:
            return [s for part in stripped.split() for s in _slots_for(kind, part, corpus)]
        pieces = _segment(tok, corpus)
        if len(pieces) > 1:
            return [Slot(p, (Atom("text", p, 100.0),)) for p in pieces]
    return [Slot(tok, (Atom("text", tok, 100.0),))]


def parse_query(text: str, corpus: Corpus) -> Query:
    """Read a query into alternative lists of slots (one slot per thing typed)."""
    normalized = normalize(text, corpus.t2s)
    split_slots: list[Slot] = []  # every part its own slot; Chinese split into phrases
    joined_slots: list[Slot] = []  # hyphenated latin parts joined (e-comerce -> ecomerce); Chinese whole
    latin_only: list[str] = []
    raw_tokens = normalized.split()
    for raw in raw_tokens:
        figure = _figure_slot(raw)
        if figure is not None:
            split_slots.append(figure)
            joined_slots.append(figure)
            continue
        parts = tokens(raw)
        latin_parts = [t for k, t in parts if k == "latin"]
        all_latin = len(latin_parts) > 1 and len(latin_parts) == len(parts)
        if all_latin:
            # e-comerce -> ecomerce; looked up with typos only when a part is no known word
            typo = not all(corpus.vocab(p) for p in latin_parts)
            joined_slots.append(Slot(raw, _latin_atoms("".join(latin_parts), corpus, typos=typo)))
        for kind, tok in parts:
            slots = _slots_for(kind, tok, corpus)
            split_slots.extend(slots)
            if not all_latin:
                whole = kind in ("cjk", "hangul", "other")
                joined_slots.extend([Slot(tok, (Atom("text", tok, 100.0),))] if whole else slots)
        latin_only.extend(latin_parts)
    # Stop words count only when the query has nothing else.
    content = [s for s in split_slots if s.typed not in STOPWORDS] or split_slots
    variants: list[list[Slot]] = [content, [s for s in joined_slots if s.typed not in STOPWORDS] or joined_slots]
    if 1 < len(latin_only) == len(raw_tokens) and len("".join(latin_only)) <= 30:
        # spaced pinyin ("ren shen") read as one word too, exactly (its parts carry the typos)
        variants.append([Slot(" ".join(latin_only), _latin_atoms("".join(latin_only), corpus, typos=False))])
    unique: list[tuple[Slot, ...]] = []
    for v in variants:
        expanded = tuple(_expanded(s, corpus) for s in v if s.atoms)
        if expanded and expanded not in unique:
            unique.append(expanded)
    return Query(text, normalized, tuple(unique))
