"""Analysis, at build time: a fact base -> the search fields of every fact, place and topic.

Computes what a query will look up: normalised fields (with the traditional ->
simplified table of the corpus), the pinyin and initials of every Chinese phrase,
the phrases an unspaced query is split into, and, for a base too large to score
whole, the terms each fact is listed under. pypinyin, OpenCC and hanja are loaded
here only (through `hanzi`), never on the path of a query.

Search across scripts is made here, at build time, so a query costs what it did:
every Chinese phrase of a label, alias, place or topic also carries its Sino-Korean
readings (人参 -> 인삼; 林下参 -> 림하삼, as Yanbian spells it, and 임하삼, with the South
Korean initial-sound rule), so a Korean query finds Chinese facts; the Hangul words
of a Korean-language article's facts carry the Chinese words they read as (the
corpus's phrases and pypinyin's phrase dictionary), so a Chinese query finds Korean
facts; and a traditional-character article's characters are read as simplified, so
either script finds the other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TypeVar

from yanbian_cli.model import Article, Fact, FactBase
from yanbian_cli.record import Record
from yanbian_cli.search.candidates import BRUTE_FORCE_MAX
from yanbian_cli.search.doc import Doc
from yanbian_cli.search.glossary import Glossary
from yanbian_cli.search.postings import doc_terms
from yanbian_cli.search.query import MAX_INITIALS, MAX_PHRASE
from yanbian_cli.search.score import WEIGHTS
from yanbian_cli.text import decimal_text, has_hangul, is_cjk, normalize, stem, tokens

MAX_WINDOW = 4  # longest run of syllables indexed as one pinyin word
# How many texts each memo of an Analyzer holds. A base repeats its labels, aliases, periods and titles, which
# are memoised; the texts of one fact (its id, quote, translations) are not. A memo is emptied when full, so
# that it never grows with the base.
MEMO_MAX = 1 << 16
# The memos of what is repeated less, or is larger: the readings of the words of quotes (most are written once), and
# the fields of a fact's labels and aliases (`Analyzer._named`).
QUOTE_MEMO_MAX = 1 << 12
NAMED_MEMO_MAX = 1 << 14
# Fields of a fact's own words (its id, its translated quotes): read once, not memoised.
_OWN_FIELDS = frozenset({"id", "context"})
_V = TypeVar("_V")
MAX_INITIALS_WITHIN = 3  # longest run within a word indexed by its initials

# Words people type around a figure, by unit (matched with the unit's weight).
UNIT_WORDS: dict[str, str] = {
    "CNY": "yuan rmb cny money funds amount 元 金额 资金 钱",
    "CNY/ha": "yuan per hectare income 元 每公顷 收入",
    "mu": "mu area land size 亩 面积 면적 무",
    "km2": "area land size square kilometres kilometers km2 平方公里 面积 면적 평방키로메터 평방킬로미터",
    "m2": "area floor space size square metres meters m2 平方米 面积 면적 평방메터 평방미터",
    "ha": "hectares area land size 公顷 面积 면적 헥타르",
    "t": "tonnes tons weight capacity 吨",
    "kg": "kilograms weight 公斤",
    "jin": "jin weight output 斤",
    "percent": "percent percentage share rate ratio proportion 比例 比率 占比 百分比",
    "day": "days duration 天 天数",
    "month": "months duration 月",
    "minute": "minutes time 分钟",
    "year": "years anniversary 年 周年",
    "count": "number count how many 数量 个数 수",
    "ordinal": "edition batch round 第 届 批",
    "date": "date when day 日期 时间 哪天",
}


# Words for what a count's measure word counts (600余名 counts people, 300余家 companies).
MEASURE_WORDS: dict[str, str] = {
    "人": "people persons 人数 명 인원", "名": "people persons 人数 명 인원", "人次": "visits people times 人数 인차",
    "位": "people persons 人数", "家": "companies firms enterprises businesses 企业 기업", "户": "companies households 企业 기업 가구",
    "项": "items kinds 종목 가지", "种": "kinds types varieties 가지 종류", "件": "cases pieces items 건",
    "次": "times 차 번", "批次": "groups batches times 차", "期": "sessions classes 기", "个": "",
}


class Analysis(Record):
    """The search fields of a base, ready to store (plain data: tuples, dicts, lists, sets)."""

    facts: Iterable[tuple[tuple, set[str] | None]]  # Doc row and terms of each fact, in file order, made as read
    whole: bool  # True: the base is scored whole and no fact has terms
    place_docs: dict[str, tuple]  # Doc rows (Doc.row)
    topic_docs: dict[str, tuple]
    place_chains: dict[str, list[str]]
    vocab: dict[str, list[str]]  # latin form -> surfaces
    initials: dict[str, list[str]]  # pinyin initials -> Chinese phrases, most frequent first
    phrases: set[str]
    t2s: dict[str, str]
    readings: dict[str, str]  # character -> Sino-Korean readings; only for a base with Korean-language articles
    chars: str  # the Chinese characters the traditional table was made for (names, titles, quotes)


def measure_word(fact: Fact) -> str:
    """The measure word a count is written with (名 in 600余名, 人次 in 440人次); "" for other units."""
    from yanbian_cli.numbers import measure_word as written_with

    return written_with(fact.text) if fact.unit == "count" else ""


_CLAUSE_ENDS = "，,；;。！？!?：:"


# A Korean sentence joins its clauses with a verb's connective ending rather than a comma (…떨어져 있는데 7월
# 입장객은…, …늘어났으며 그중…, 예상돼): a word that ends in one ends its clause. Only endings no noun ends in; not
# the 해 of 달해 or 판매해 (해 is also a year: 올해, 지난해).
_KO_CONNECTIVE = r"(?<=[가-힣])(?:는데|며|으나|지만|[했였졌됐었았렸하이되르]고|돼) "


def _clauses(quote: str, korean: bool) -> list[str]:
    import re

    if korean:
        quote = re.sub(_KO_CONNECTIVE, lambda m: m.group()[:-1] + ",", quote)
    return [c for c in re.split(f"[{_CLAUSE_ENDS}]", quote) if c]


_POINTING_BACK = ("其中", "他们", "这些", "其", "그중", "그 중", "이중", "이 중", "그가운데", "그 가운데", "이들", "그들", "이는")
# What a Chinese clause says of its figure before it (比上年增加1.2万亩, 达到, 占): no name of what is counted.
_CHANGE_RE = r"(?:(?:比|较|同比|与)\S{0,6}?)?(?:增加|增长|减少|下降|提高|上升|扩大|达到|达|为|占|是|共)$"
BARE_CLAUSE = 3  # Chinese characters a figure's clause holds besides the figure, at most, to say nothing by itself


def figure_clause(quote: str, figure: str, others: Iterable[tuple[str, Sequence[str]]] = ()) -> tuple[str, str]:
    """(the clause of the quote that states the figure, the clauses around it that speak of it, as its context).

    Words of the clause speak of the figure. So do the clauses that lead into the sentence (before its first
    figure: 2021年, 延边州…), those after it when it is the sentence's last figure, and, when its own clause ends
    in the figure or says little else, those between the figure before it and this one and a clause that states
    another figure within it (持续20天的…采摘节开幕 speaks of the opening on 7月30日 too; 市文化馆带来了民族舞蹈
    does not of 市二小学的700名同学表演了篮球操). Not what names another figure (`others`: each one's text and label): a clause
    that ends in another figure is that figure's name and phrase (生产鲜参2680万斤, not 12.8亿元's), and so is a
    clause without a figure that leads into another one (种植业产值创历史新高 before 达到12.8亿元, not
    2.13万亩's); another figure's label is no context wherever the sentence writes it.
    """
    import re

    korean = has_hangul(quote)
    clauses = _clauses(quote, korean)
    others = [(text, names) for text, names in others if text]
    own_at = next((i for i, c in enumerate(clauses) if figure in c), None)
    if own_at is None:
        return quote, ""
    stating = [i for i, c in enumerate(clauses) if i == own_at or any(text in c for text, _ in others)]
    before = max((i for i in stating if i < own_at), default=-1)
    # A clause that names the figure's measure and ends in it (总储藏能力约5000吨), or says little else (7月30日),
    # takes its subject from the clauses before it or around it; one that goes on past the figure to say what
    # was done (市二小学的700名同学表演了篮球操) has its own, and its neighbours speak of other things.
    own = clauses[own_at]
    after = own[own.rindex(figure) + len(figure):]
    if korean:  # (the figure's particle, then at most a verb: 15.6만명으로 집계됐다, not 700명이 롱구체조를 공연했다)
        bare = len(after.split()[0 if after[:1].isspace() else 1:]) <= 1
    else:
        bare = len(after) <= 2 or sum(map(is_cjk, own.replace(figure, ""))) <= BARE_CLAUSE
    around = [i for i in range(len(clauses)) if i < stating[0] or (bare and before < i < own_at)
              or (i > own_at and own_at == stating[-1]) or (bare and i in stating and i != own_at)]
    kept = {}
    for i in around:
        clause = clauses[i]
        if any(text in clause and (korean or len(clause) - clause.rindex(text) - len(text) <= 2) for text, _ in others):
            continue  # NAME + FIGURE: the name of that figure (in Korean, the figure's particle and verb follow it)
        for _, names in others:
            for name in sorted(names, key=len, reverse=True):
                if len(name) > 1:
                    clause = clause.replace(name, " ")
        kept[i] = clause
    # A clause that opens with a word pointing back (其中, 이들이) is about what the clause before it names, whatever
    # that one states: its words up to its first figure, not its figure or what it says of it (그중 ... 근 20만명에
    # 달하며 이들이 벌어들인 로무수입은 52.3억원이다: 외지에 나가 일하는 인원, not 달하며; 比上年增加1.2万亩,其中…: not 增加).
    at = own_at
    while at > 0 and clauses[at].lstrip().startswith(_POINTING_BACK):
        at -= 1
        if at not in kept:
            named = clauses[at]
            cut = min((named.find(t) for t in (figure, *(text for text, _ in others)) if t in named), default=-1)
            named = named[:cut] if cut >= 0 else named
            kept[at] = re.sub(_CHANGE_RE, "", named) if cut >= 0 and not korean else named
    return clauses[own_at], " ".join(kept[i] for i in sorted(kept))


def _own_part(translation: str, fact: Fact, others: Sequence[Fact], label: Callable[[Fact], str]) -> str:
    """The clause of a translated quote that states the fact's figure, and its context, as `figure_clause` reads
    the quote itself (a sentence that states several figures states each in its own clause in translation
    too); the whole translation when it states no other figure, or its figures cannot be told apart."""
    if not translation or not others:
        return translation
    from yanbian_cli.numbers import find_figures

    figures = find_figures(translation)

    def written(f: Fact) -> str:
        same = [g.text for g in figures if g.value == f.value and (g.unit == f.unit or not g.unit)]
        return same[0] if len(same) == 1 else ""

    own = written(fact)
    if not own:
        return translation
    clause, context = figure_clause(translation, own, [(written(o), [label(o)]) for o in others])
    return f"{clause} {context}" if context else clause


def _windows(syllables: list[str], chars: str) -> Iterator[tuple[str, str, str]]:
    """(pinyin or "", initials, Chinese) for every run of 1..MAX_INITIALS characters."""
    firsts = [s[0] for s in syllables]
    for i in range(len(chars)):
        for j in range(i + 1, min(len(chars), i + MAX_INITIALS) + 1):
            py = "".join(syllables[i:j]) if j - i <= MAX_WINDOW else ""
            yield py, "".join(firsts[i:j]), chars[i:j]


def _chars(texts: Iterable[str]) -> set[str]:
    """The Chinese characters of some texts."""
    seen: set[str] = set()
    for text in texts:
        seen.update(text)
    return {ch for ch in seen if is_cjk(ch)}


class Survey(Record):
    """What the analysis must know of a whole base before it makes any doc (the traditional-character table
    and the vocabularies are made from it), gathered from some of its articles and facts (`survey`) and added
    up (`merged`)."""

    names: set[str]  # the facts' labels and aliases
    chars: set[str]  # the Chinese characters of those, of the articles' titles and of the facts' quotes
    traditional: set[str]  # those of traditional-character articles and of their facts
    learnt: dict[str, None]  # every fact's label, label_en, label_ko and aliases, in the order of the facts, once

    def add(self, part: Survey) -> None:
        """Add the survey of the next part of the base to this one."""
        self.names.update(part.names)
        self.chars.update(part.chars)
        self.traditional.update(part.traditional)
        self.learnt.update(part.learnt)  # a text keeps the place it was first learnt at


def survey(articles: Mapping[str, Article], facts: Iterable[Fact]) -> Survey:
    """The survey of some articles and the facts of those articles."""
    hant = {a.id for a in articles.values() if a.lang == "zh-Hant"}
    traditional: set[str] = set()
    for a in articles.values():
        if a.id in hant:
            traditional |= _chars((a.title, *a.paragraphs))
    names: set[str] = set()
    quotes: set[str] = set()
    learnt: dict[str, None] = {}
    for f in facts:
        names.add(f.label)
        names.update(f.aliases)
        quotes.add(f.source.quote)
        for text in (f.label, f.label_en, f.label_ko, *f.aliases):
            learnt[text] = None
        if f.source.article in hant:
            traditional |= _chars((f.label, f.text, f.source.quote, *f.aliases))
    return Survey(names, _chars(names | {a.title for a in articles.values()} | quotes), traditional, learnt)


def syllables_of(texts: Iterable[str], done: set[str], seen: set[str] | None = None) -> dict[str, list[str]]:
    """The pinyin syllables of the Chinese words of some labels, read ahead of `Analyzer.learn` (which takes
    them rather than read them itself: the same words, but for a character a traditional-character article
    reads otherwise); `done`: the words read already, which are left out (and to which these are added);
    `seen`: the labels read already (their words are in `done`), which are not split into words again (and
    to which these are added)."""
    from yanbian_cli.hanzi import pinyin

    reader = pinyin()
    out: dict[str, list[str]] = {}
    for text in texts:
        if seen is not None:
            if text in seen:
                continue
            seen.add(text)
        for kind, tok in tokens(normalize(text)):
            if kind == "cjk" and tok not in done:
                done.add(tok)
                out[tok] = reader.syllables(tok)
    return out


def merged(parts: Iterable[Survey]) -> Survey:
    """The survey of parts of a base, in their order."""
    out = Survey(set(), set(), set(), {})
    for part in parts:
        out.add(part)
    return out


class Analyzer:
    """Computes the search fields of a fact base (pinyin, vocabulary, t2s table).

    A year of the paper repeats the same labels, aliases and places thousands of
    times, so every step is memoised by the text it works on (each memo bounded: MEMO_MAX).
    """

    def __init__(self, base: FactBase, t2s: dict[str, str] | None = None, found: Survey | None = None) -> None:
        """`found`: the survey of the base's articles and facts, when `base` does not hold its facts."""
        from yanbian_cli.hanzi import (  # costly; only when building
            pinyin,
            traditional_map,
        )

        if found is None:
            found = survey(base.articles, base.facts)
        entities: set[str] = set()
        for p in base.places.values():
            entities.update(place_names(p.name, p.aliases))
        for t in base.topics.values():
            entities.add(t.label)
            entities.update(t.aliases)
        names = found.names | entities
        self.chars = found.chars | _chars(entities)  # what the table was made for
        self.t2s_map = traditional_map(self.chars, names)
        self._add_traditional_articles(found.traditional)
        if t2s is not None:  # a part of a base, read as the whole base was (an index updated by the file)
            self.t2s_map = dict(t2s)
        self.t2s = str.maketrans(self.t2s_map)
        self.korean_articles = {a.id for a in base.articles.values() if a.lang == "ko"}
        self._readings: dict[str, str] = {}
        self._token_readings: dict[str, tuple[str, ...]] = {}
        self._quote_readings: dict[str, tuple[str, ...]] = {}
        self._hanja_words: dict[str, str] = {}
        self._corpus_readings: dict[str, set[str]] | None = None
        self._names = names
        self.pinyin = pinyin()
        self.vocab: dict[str, set[str]] = {}
        self.initials: dict[str, Counter[str]] = {}
        self.phrases: set[str] = set()
        self._norm: dict[str, str] = {}
        self._tokens: dict[str, list[tuple[str, str]]] = {}
        self._forms: dict[str, tuple[str, ...]] = {}
        self._periods: dict[tuple[str, str], tuple[str, str, str]] = {}
        self._south: dict[str, str] = {}
        self._names_of: dict[tuple[str, str, tuple[str, ...]], _Named] = {}
        self._learnt: set[str] = set()
        self._learnt_texts: set[str] = set()
        self.heard: list[str] | None = None  # when a list: every word `hanja_words` learns, as it learns it
        self.syllables: dict[str, list[str]] = {}  # pinyin of words to learn, read ahead (`syllables_of`)
        self.glossary = Glossary(base.synonyms, self.norm)

    def _add_traditional_articles(self, chars: set[str]) -> None:
        """The characters of traditional-character articles (and of their facts) read as simplified."""
        from yanbian_cli.hanzi import simplified

        targets = set()
        for ch in sorted(chars):
            simple = simplified(ch)
            if simple != ch:
                self.t2s_map[ch] = simple
                targets.add(simple)
        # A variant table may map a simplified character to the traditional one (户 -> 戶 in Hong Kong
        # usage): a character the traditional articles are read into is never rewritten itself.
        for simple in targets:
            self.t2s_map.pop(simple, None)

    def readings(self, text: str, memo: bool = True) -> str:
        """The Sino-Korean readings of the Chinese phrases of a text (both spellings, each syllable a
        possible word start), as one string of Hangul words; "" when it has no Chinese. (`memo`: False for
        a text of one fact, such as its quote.)"""
        out = self._readings.get(text) if memo else None
        if out is None:
            out = self._readings_of(self.tokens(text, memo), memo)
            if memo:
                _remember(self._readings, text, out)
        return out

    def _readings_of(self, toks: Iterable[tuple[str, str]], memo: bool) -> str:
        forms: list[str] = []
        for kind, tok in toks:
            if kind == "cjk":
                forms += self._reading_forms(tok, memo)
        return " ".join(dict.fromkeys(forms))

    def _reading_forms(self, token: str, memo: bool) -> tuple[str, ...]:
        """The reading of a Chinese word and, for each syllable it may start a word at, that part in
        South Korean spelling where it differs; () when a character has no reading. (`memo`: False for a
        word of one fact's quote, remembered apart: a base repeats them too, but they would crowd out its
        labels' words.)"""
        held = self._token_readings if memo else self._quote_readings
        forms = held.get(token)
        if forms is None:
            from yanbian_cli.hanzi import initial_sound_forms, korean_reading

            reading = korean_reading(token)
            forms = _remember(held, token, (reading, *initial_sound_forms(reading)) if reading else (),
                              MEMO_MAX if memo else QUOTE_MEMO_MAX)
        return forms

    def hanja_words(self, text: str, memo: bool = True) -> str:
        """The Chinese words a Korean text's Hangul words read as: the corpus's own phrases (labels, aliases,
        places, topics) and pypinyin's phrase dictionary, matched against every 2-6 syllable part of a word."""
        out = self._hanja_words.get(text) if memo else None
        if out is None:
            from yanbian_cli.hanzi import korean_lexicon

            if self._corpus_readings is None:
                self._corpus_readings = {}
                for name in self._names:
                    for kind, tok in self.tokens(name):
                        if kind == "cjk":
                            for form in self.readings(tok).split():
                                self._corpus_readings.setdefault(form, set()).add(tok)
            lexicon = korean_lexicon()
            found: list[str] = []
            for kind, tok in self.tokens(text, memo):
                if kind != "hangul":
                    continue
                for i in range(len(tok)):
                    for j in range(i + 2, min(len(tok), i + 6) + 1):
                        part = tok[i:j]
                        found.extend(sorted(self._corpus_readings.get(part, ())))
                        found.extend(lexicon.get(part, ()))
            out = " ".join(dict.fromkeys(found))
            if memo:
                _remember(self._hanja_words, text, out)
            for word in dict.fromkeys(found):
                self.learn(word)
            if self.heard is not None:
                self.heard += dict.fromkeys(found)
        return out

    def norm(self, text: str) -> str:
        n = self._norm.get(text)
        if n is None:
            n = _remember(self._norm, text, normalize(text, self.t2s))
        return n

    def own(self, text: str) -> str:
        """A text of one fact or article (a quote, a paragraph) normalised, not memoised."""
        return normalize(text, self.t2s) if text else ""

    def tokens(self, text: str, memo: bool = True) -> list[tuple[str, str]]:
        """The tokens of a text (normalised first)."""
        if not memo:
            return tokens(self.own(text))
        t = self._tokens.get(text)
        if t is None:
            t = _remember(self._tokens, text, tokens(self.norm(text)))
        return t

    def learn(self, text: str) -> None:
        """Add a label's or alias's words, pinyin and phrases to the vocabularies."""
        if text in self._learnt_texts:
            return
        self._learnt_texts.add(text)
        for kind, tok in self.tokens(text):
            if tok in self._learnt:
                continue
            self._learnt.add(tok)
            if kind == "latin":
                self.vocab.setdefault(tok, set()).add(tok)
                self.vocab.setdefault(stem(tok), set()).add(tok)
            elif kind == "cjk":
                if len(tok) <= MAX_PHRASE:
                    self.phrases.add(tok)
                syllables = self.syllables.pop(tok, None)
                if syllables is None:
                    syllables = self.pinyin.syllables(tok)
                if len(syllables) != len(tok):
                    continue
                for py, initials, chars in _windows(syllables, tok):
                    if py:
                        surfaces = self.vocab.get(py)
                        if surfaces is None:
                            surfaces = self.vocab[py] = set()
                        surfaces.add(chars)
                    # Initials stand for a whole word, or for a run of two or three characters within one
                    # (rs 人参, ysmj 宜参面积; not zzzz for the 族自治州 inside 朝鲜族自治州).
                    if 2 <= len(chars) <= MAX_INITIALS_WITHIN or chars == tok:
                        counts = self.initials.get(initials)
                        if counts is None:
                            counts = self.initials[initials] = Counter()
                        counts[chars] += 1

    def initials_table(self) -> dict[str, list[str]]:
        """Pinyin initials -> the phrases learnt so far, most frequent first."""
        return {k: [s for s, _ in sorted(v.items(), key=lambda p: (-p[1], p[0]))] for k, v in self.initials.items()}

    def vocab_table(self) -> dict[str, list[str]]:
        """Latin form -> the surfaces learnt so far."""
        return {k: sorted(v) for k, v in self.vocab.items()}

    def words(self, pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
        """latin word -> the highest-weighted field it occurs in."""
        out: dict[str, str] = {}
        for field_name, text in pairs:
            weight = WEIGHTS[field_name]
            for form in self._latin_forms(text, field_name not in _OWN_FIELDS):
                held = out.get(form)
                if held is None or weight > WEIGHTS[held]:
                    out[form] = field_name
        return out

    def _latin_forms(self, text: str, memo: bool) -> tuple[str, ...]:
        """The latin words of a text in order, each followed by its stem where that differs."""
        forms = self._forms.get(text) if memo else None
        if forms is None:
            found: list[str] = []
            for kind, word in self.tokens(text, memo):
                if kind == "latin":
                    found.append(word)
                    stemmed = stem(word)  # every English word also under its stem, after the word itself
                    if stemmed != word:
                        found.append(stemmed)
            forms = tuple(found)
            if memo:
                _remember(self._forms, text, forms)
        return forms

    def periods(self, period: str, date: str) -> tuple[str, str, str]:
        """A fact's period as searched: normalised, its Korean read as Chinese, and the year it means on the
        issue's date."""
        out = self._periods.get((period, date))
        if out is None:
            norm = self.norm(period)
            out = _remember(self._periods, (period, date), (norm, _period_zh(norm), _resolved(period, date)))
        return out

    def south(self, text: str) -> str:
        """A label normalised and in South Korean spelling (`_south`), or "" when that spelling is the same."""
        out = self._south.get(text)
        if out is None:
            norm = self.norm(text)
            south = _south(norm)
            out = _remember(self._south, text, south if south != norm else "")
        return out

    def has_letters(self, text: str) -> bool:
        """Whether a text has Chinese, Korean or other non-latin words (it is matched as text)."""
        return any(k != "latin" for k, _ in self.tokens(text))

    def translated(self, quote: str, names: str, others: Iterable[str]) -> str:
        """A translated quote, without the words that name another figure of the sentence and not this one
        (the same rule as the Chinese context: `figure_clause`)."""
        if not quote:
            return ""
        own = {self._word(t) for _, t in self.tokens(names)}
        theirs = {self._word(t) for o in others for _, t in self.tokens(o)} - own
        return " ".join(t for _, t in self.tokens(quote, memo=False) if self._word(t) not in theirs)

    @staticmethod
    def _word(token: str) -> str:
        """A word as the translated quotes are compared: its stem, or a Korean word without its particles."""
        from yanbian_cli.search.words import strip_korean

        return stem(strip_korean(token))

    def entity_doc(self, key: str, ord: int, names: list[str], english: list[str]) -> Doc:
        for n in names + english:
            self.learn(n)
        texts = tuple(("alias", self.norm(n)) for n in names if self.has_letters(n))
        texts += tuple(("alias", r) for r in sorted({self.readings(n) for n in names}) if r)
        words = self.words([("alias", e) for e in english + names])
        return Doc(key, ord, tuple(sorted({self.norm(x) for x in names + english})), texts, words)

    def fact_doc(self, fact: Fact, ord: int, article: Article, others: Sequence[Fact] = ()) -> Doc:
        """The search fields of a fact (`others`: the other facts its quote states)."""
        measure = measure_word(fact)
        unit_words = UNIT_WORDS.get(fact.unit, "") + " " + MEASURE_WORDS.get(measure, "")
        named = self._named(fact)
        texts = [*named.labels, ("text", self.norm(fact.text)), *named.aliases_read]
        if fact.source.article in self.korean_articles:
            texts += [("label", self.hanja_words(fact.label)), ("label", self.hanja_words(fact.label_ko))]
            texts += [("alias", self.hanja_words(a)) for a in fact.aliases]
        texts += named.south
        clause, context = figure_clause(fact.source.quote, fact.text, [(o.text, [o.label]) for o in others])
        quote_ko = self.translated(_own_part(fact.quote_ko, fact, others, lambda o: o.label_ko), fact.label_ko,
                                   [o.label_ko for o in others])
        quote_zh = self.translated(self.own(_own_part(fact.quote_zh, fact, others, lambda o: o.label)), fact.label,
                                   [o.label for o in others])
        texts += [("period", p) for p in self.periods(fact.period, article.date)]
        clause = self.own(clause)
        texts += [("quote", clause), ("context", self.own(context)),
                  ("context", quote_ko), ("context", quote_zh), ("context", self._readings_of(tokens(clause), False)),
                  ("title", self.norm(article.title)), ("unit", self.norm(unit_words))]
        quote_en = self.translated(fact.quote_en, " ".join([fact.label_en, *fact.aliases]),
                                   [o.label_en for o in others])
        # (not from the translated quotes: they hold the words of the sentence's other figures too)
        synonyms, synonyms_en = self.glossary.synonyms(
            [*(self.norm(t) for t in (fact.label, fact.label_ko, *fact.aliases)), self.own(clause)],
            [fact.label_en, *fact.aliases]) if self.glossary.groups else ("", "")
        texts.append(("synonym", synonyms))
        words = self.words([("context", quote_en), ("id", fact.id.replace("-", " ")), ("label_en", fact.label_en),
                            *(("alias", a) for a in fact.aliases), ("unit", unit_words), ("synonym", synonyms_en)])
        if isinstance(fact.value, str):
            values: tuple[str, ...] = (fact.value,)  # a date
        else:
            values = (decimal_text(fact.value) + ("%" if fact.unit == "percent" else ""),)
        digits = {tok.rstrip("%万亿") for t in (fact.text, fact.period)
                  for kind, tok in self.tokens(t) if kind == "num"}
        names = named.names | {self.norm(fact.label_en)} if fact.label_en else named.names
        exact = tuple(sorted(names | {self.own(fact.id)} if fact.id else names))
        return Doc(fact.id, ord, exact, tuple([(f, t) for f, t in texts if t]), words, values,
                   tuple(sorted(digits | named.digits)), fact.place, fact.topic, fact.unit, measure)

    def _named(self, fact: Fact) -> _Named:
        """The fields a fact's labels and aliases give it (remembered: a base repeats them)."""
        key = (fact.label, fact.label_ko, fact.aliases)
        named = self._names_of.get(key)
        if named is None:
            norm = self.norm
            labels = (("label", norm(fact.label)), ("label", norm(fact.label_ko)))
            aliases = [("alias", norm(a)) for a in fact.aliases if self.has_letters(a)]
            # across scripts: the Korean readings of the Chinese (and, in fact_doc, the Chinese words of a Korean
            # article's Hangul)
            aliases += [("label", self.readings(fact.label))] + [("alias", self.readings(a)) for a in fact.aliases]
            # Korean words in South Korean spelling too (림하삼 보유면적 -> 임하삼 보유면적)
            south = tuple(("label", south) for t in dict.fromkeys((fact.label, fact.label_ko))
                          if (south := self.south(t)))
            digits = frozenset(tok.rstrip("%万亿") for t in (fact.label, *fact.aliases)
                               for kind, tok in self.tokens(t) if kind == "num")
            names = frozenset(norm(x) for x in (fact.label, fact.label_ko, *fact.aliases) if x)
            named = _remember(self._names_of, key, _Named(labels, tuple(aliases), south, digits, names),
                              NAMED_MEMO_MAX)
        return named


class _Named(Record):
    """The fields of a fact that come from its labels and aliases (`Analyzer._named`)."""

    labels: tuple[tuple[str, str], ...]  # its label and Korean label, normalised
    aliases_read: tuple[tuple[str, str], ...]  # its aliases with letters, normalised; the readings of label and aliases
    south: tuple[tuple[str, str], ...]  # its labels in South Korean spelling, where that differs
    digits: frozenset[str]  # the numbers its label and aliases write
    names: frozenset[str]  # its labels (but the English one) and aliases, normalised


def _remember(memo: dict, key: object, value: _V, limit: int = MEMO_MAX) -> _V:
    """Store `value` in a memo, emptied first when it holds `limit` items."""
    if len(memo) >= limit:
        memo.clear()
    memo[key] = value
    return value


_KO_PERIODS = (("상반기", "上半年"), ("상반년", "上半年"), ("하반기", "下半年"), ("하반년", "下半年"), ("올해", "今年"),
               ("금년", "今年"), ("지난해", "去年"), ("작년", "去年"), ("현재", "目前"))


def _period_zh(period: str) -> str:
    """A Korean period as the Chinese period words a query is read into (올해 상반기 -> 今年 上半年, 2022년 ->
    2022年), so that a period asked in any language finds it; "" when it has no Korean."""
    import re

    if not has_hangul(period):
        return ""
    for ko, zh in _KO_PERIODS:
        period = period.replace(ko, f" {zh} ")
    period = re.sub(r"(?<!\d)(\d{1,2})월", r"\1月", period)  # 7월 -> 7月
    return " ".join(re.sub(r"((?:19|20)\d\d)년", r"\1年", period).split())


def _resolved(period: str, date: str) -> str:
    """A relative period as the year it means on the issue's date (去年 in a 2023 issue -> 2022年), so that a
    question naming that year finds it; "" for an article without a date."""
    if not date:
        return ""
    from yanbian_cli.series import resolve

    r = resolve(period, date)
    if not r.end:
        return ""
    year = r.end[:4] + "年"
    return year + "上半年" if r.label.endswith("H1") else year + "下半年" if r.label.endswith("H2") else year


def _south(text: str) -> str:
    """Every Korean word of a text as South Korean spelling writes it (the initial-sound rule)."""
    from yanbian_cli.search.words import initial_sound

    return " ".join(initial_sound(word) for word in text.split())


def extended_table(part: FactBase, t2s: dict[str, str], chars: set[str]) -> tuple[dict[str, str], set[str]] | None:
    """The traditional-to-simplified table of a base (`t2s`, made for `chars`) as a table made for the base
    with `part` (new files of it) would be, and the characters it is then made for; None when that needs
    the whole base: a new character that the table reads as another (it would no longer be), or a form
    the new files read otherwise than the table does."""
    a = Analyzer(part)
    new = a.chars - chars
    if any(c in t2s for c in new):
        return None
    table = dict(t2s)
    for form, simple in a.t2s_map.items():
        if form in chars or form in a.chars:
            continue  # a character of the base is never rewritten
        if table.setdefault(form, simple) != simple:
            return None
    return table, chars | new


def analyze(base: FactBase, *, whole: bool | None = None, t2s: dict[str, str] | None = None) -> Analysis:
    """The search fields of every fact, place and topic of `base`.

    `whole`: score every fact (no terms), or list each fact's terms for the candidate
    policy; by default, whole up to BRUTE_FORCE_MAX facts. The vocabularies are learnt
    first; the facts' docs are made as the store reads them, so a large base is never
    held in memory twice.
    """
    found = survey(base.articles, base.facts)
    a = Analyzer(base, t2s, found)
    named = entities(a, base, found)
    if whole is None:
        whole = len(base.facts) <= BRUTE_FORCE_MAX
    initials = a.initials_table()  # (what `hanja_words` learns below is in the vocabulary, not in these)
    learn_articles(a, base.articles, base.facts)
    vocab = a.vocab_table()  # (what it learns from the facts' docs is not in this)
    return analysis(a, named, vocab, initials, fact_docs(a, base.articles, base.facts, named.chains, whole), whole)


# What a place's name ends in that a reader drops (龙井市 is 龙井, 룡정시 룡정, 汪清县 汪清).
_PLACE_SUFFIXES = ("市", "县", "州", "区", "镇", "乡", "縣", "區", "鎮", "鄉", "시", "현", "주", "구", "진", "향")


def place_names(name: str, aliases: Sequence[str]) -> list[str]:
    """A place's name and aliases, and each of three or four characters without its administrative suffix
    (a curator need not write 龙井 beside 龙井市)."""
    names = [name, *aliases]
    stems = [n[:-1] for n in names if 3 <= len(n) <= 4 and n.endswith(_PLACE_SUFFIXES)]
    return list(dict.fromkeys(names + stems))


class Entities(Record):
    """The search fields of a base's places and topics, and the places each place lies within."""

    place_docs: dict[str, tuple]
    topic_docs: dict[str, tuple]
    chains: dict[str, list[str]]


def entities(a: Analyzer, base: FactBase, found: Survey) -> Entities:
    """The places' and topics' docs; the vocabularies learnt from them and from every fact's labels."""
    chains = {name: base.place_chain(name) for name in base.places}
    place_docs = {p.name: a.entity_doc(p.name, i, place_names(p.name, p.aliases), [p.label_en]).row()
                  for i, p in enumerate(base.places.values())}
    topic_docs = {t.id: a.entity_doc(t.id, i, [t.label, *t.aliases], [t.id.replace("-", " "), t.label_en]).row()
                  for i, t in enumerate(base.topics.values())}
    for text in found.learnt:
        a.learn(text)
    return Entities(place_docs, topic_docs, chains)


def fact_docs(a: Analyzer, articles: Mapping[str, Article], facts: Sequence[Fact], chains: Mapping[str, list[str]],
              whole: bool, first: int = 0) -> Iterator[tuple[tuple, set[str] | None]]:
    """Doc row and terms of each fact, numbered from `first` (`articles` holds each fact's article, and
    `facts` every fact of each of its paragraphs)."""
    stated: dict[tuple[str, int], list[Fact]] = {}  # the facts of each paragraph
    for f in facts:
        stated.setdefault((f.source.article, f.source.paragraph), []).append(f)
    for i, f in enumerate(facts, first):
        others = [o for o in stated[(f.source.article, f.source.paragraph)]
                  if o.text != f.text and o.text in f.source.quote]
        doc = a.fact_doc(f, i, articles[f.source.article], others)
        yield doc.row(), (None if whole else doc_terms(doc, chains.get(f.place, [f.place])))


def learn_articles(a: Analyzer, articles: Mapping[str, Article], facts: Iterable[Fact]) -> None:
    """Learn the Chinese words the sentences of Korean-language articles read as (`hanja_words`), article by
    article, their facts in order (`facts`: every fact of those articles): a Chinese or pinyin query finds
    them through the vocabulary."""
    by_article: dict[str, list[Fact]] = {}
    for f in facts:
        by_article.setdefault(f.source.article, []).append(f)
    for aid in articles:
        if aid in a.korean_articles:
            for f in by_article.get(aid, []):
                a.hanja_words(f.source.quote, memo=False)


def analysis(a: Analyzer, entities: Entities, vocab: dict[str, list[str]], initials: dict[str, list[str]],
             facts: Iterable[tuple[tuple, set[str] | None]], whole: bool) -> Analysis:
    """The analysis of a base, from its parts."""
    readings: dict[str, str] = {}
    if a.korean_articles:
        from yanbian_cli.hanzi import reading_table

        readings = reading_table()
    return Analysis(facts, whole, entities.place_docs, entities.topic_docs, entities.chains, vocab, initials,
                    a.phrases, a.t2s_map, readings, "".join(sorted(a.chars)))

