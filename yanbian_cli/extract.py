"""Draft facts from a new article: every figure it states, with its clause, for a person to review.

`read_article` turns plain text into title, byline and paragraphs; `extract`
finds every figure (numbers.find_figures) and proposes a fact for it: the figure
as written, its value, unit and qualifier, the clause around it as the quote,
a label from the words before it, the period and place the sentence names, and
an id. Every proposal is marked `draft = true`; `yb check --drafts` accepts them.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from yanbian_cli.errors import UsageError
from yanbian_cli.model import (
    Article,
    Fact,
    Place,
    Publication,
    Source,
    Topic,
    is_id,
    place_chain,
    slug,
)
from yanbian_cli.numbers import Figure, find_figures
from yanbian_cli.record import Record
from yanbian_cli.text import visible

SENTENCE_END = "\u3002\uff01\uff1f\uff1b!?;"  # 。！？； and their ASCII forms
CLAUSE_END = SENTENCE_END + "\uff0c,\u3001\uff1a: "  # ，、： too
_BYLINE = re.compile(r"本[报報][讯訊][(\uff08]([^)\uff09]{1,40})[)\uff09]")
# A block that is only a byline: (본사기자 김철), 최미란 기자, 本报讯(记者王丽 金哲), 本報訊（記者崔東日）, (记者 张琰).
_BYLINE_BLOCK = re.compile(r"[(\uff08]?(?:본사기자|특약기자|기자|记者|記者|本[报報][讯訊][(\uff08]?(?:记者|記者)?)\s*"
                           r"[^()\uff08\uff09]{1,30}[)\uff09]*"
                           r"|[가-힣]{2,4}(?: [가-힣]{2,4})* (?:기자|특파원)")


class ArticleText(Record):
    title: str
    byline: str
    paragraphs: tuple[str, ...]


def read_article(text: str) -> ArticleText:
    """Plain text to title, byline and paragraphs.

    Paragraphs are separated by blank lines, or are one a line when the text has no
    blank line. A first paragraph that is short and does not end a sentence (or ends
    in ! or ?, as headlines do) is the title. The byline is a block of its own after
    the title ((본사기자 김철), 최미란 기자, 本報訊（記者崔東日）), which is no paragraph,
    or the `本报讯(记者…)` that opens the first paragraph.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if re.search(r"\n\s*\n", text):
        blocks = [_join_lines(b.split("\n")) for b in re.split(r"\n\s*\n", text)]
    else:
        blocks = [line.strip() for line in text.split("\n")]
    blocks = [b.lstrip("#").strip() for b in blocks if b.strip()]
    title = ""
    if (len(blocks) > 1 and len(blocks[0]) <= 60 and (blocks[0][-1] not in SENTENCE_END or blocks[0][-1] in "!?\uff01\uff1f")
            and not _BYLINE.search(blocks[0])):
        title, blocks = blocks[0], blocks[1:]
    byline = ""
    if len(blocks) > 1 and _BYLINE_BLOCK.fullmatch(blocks[0]):
        byline, blocks = _byline_of(blocks[0]), blocks[1:]
    else:
        for block in blocks[:2]:
            m = _BYLINE.search(block)
            if m:
                byline = m.group(1)
                break
    return ArticleText(title, byline, tuple(blocks))


def _byline_of(block: str) -> str:
    """The reporters of a byline block, without its brackets and 本报讯."""
    inner = _BYLINE.search(block)
    return inner.group(1) if inner else block.strip("()\uff08\uff09 ")


def _join_lines(lines: list[str]) -> str:
    """A paragraph wrapped over several lines: Chinese joins without a space, other text with one."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if out and line and not (out[-1] > "\u2e80" and line[0] > "\u2e80"):
            out += " "
        out += line
    return out


@functools.lru_cache(maxsize=8)
def _stops_in(text: str, stops: str) -> list[int]:
    """Where the `stops` characters stand in `text`, in order (found once for every figure of a paragraph)."""
    return [i for i, c in enumerate(text) if c in stops]


def _span(text: str, start: int, end: int, stops: str) -> tuple[int, int]:
    """The stretch of `text` around [start, end) between two of the `stops` characters."""
    positions = _stops_in(text, stops)
    before = bisect.bisect_left(positions, start)
    after = bisect.bisect_left(positions, end)
    return (positions[before - 1] + 1 if before else 0), (positions[after] if after < len(positions) else len(text))


WIDE = 200  # characters after a figure read for what its clause is about (a sentence may be a whole page)
_RISE_KO = ("늘어", "증가", "성장", "높아", "올라", "상승", "늘었", "증장")
_FALL_KO = ("줄어", "감소", "하락", "낮아", "내려", "줄었")
_CHANGE_ZH = ("增长", "增加", "提高", "提升", "上升", "下降", "减少", "回落")


def _label(paragraph: str, simple: str, fig: Figure, prev_end: int, next_start: int, prev_label: str,
           korean: bool) -> str:
    """What the figure measures, taken inside its own clause (from the end of the figure before it to the
    start of the one after it); a rate of change with no noun of its own is the previous figure's."""
    from yanbian_cli import phrases

    if korean:
        left, right = paragraph[prev_end:fig.start], paragraph[fig.end:next_start]
        sentence_end = min(_span(paragraph, fig.start, fig.end, SENTENCE_END)[1], fig.end + WIDE)
        label = phrases.ko_label(left, right, fig.unit, wide=paragraph[fig.end:sentence_end], after_figure=prev_end > 0)
        if prev_label and (label == "이름 없는 수치" or "보다" in left[-8:]):
            # 전년보다 8.6% 늘어났다, 지난해보다 1.2만무 늘었는데: the change of the figure before
            rest = paragraph[fig.end:sentence_end]
            words = rest.split()
            if rest[:1].strip() and words and not words[0].startswith(_RISE_KO + _FALL_KO):
                words = words[1:]  # this figure's particle (8.6%를, 1.2만무로)
            verb = next((w for w in words if not any(c.isdigit() for c in w) and w not in ("각각", ",")), "")
            if verb.startswith(_RISE_KO) or verb.startswith(_FALL_KO):
                kind = "증가" if verb.startswith(_RISE_KO) else "감소"
                subject = re.sub(r" (?:증가|감소)(?:률|폭)$", "", prev_label)  # 각각 35.2퍼센트, 41.7퍼센트 늘어난
                return f"{subject} {kind}{'률' if fig.unit == 'percent' else '폭'}"
        return label
    stops = phrases.ZH_CLAUSE
    cut = max([simple.rfind(c, prev_end, fig.start) for c in stops] + [prev_end - 1])
    end = min([i for i in (simple.find(c, fig.end, next_start) for c in stops) if i >= 0] + [next_start])
    left, right = simple[cut + 1:fig.start], simple[fig.end:end]
    sentence_end = min(_span(simple, fig.start, fig.end, SENTENCE_END)[1], fig.end + WIDE)
    label = phrases.zh_label(left, right, fig.unit, wide=simple[fig.end:sentence_end])
    bare = left.rstrip("了的")
    change = next((c for c in _CHANGE_ZH if bare.endswith(c)), "")
    if prev_label and fig.unit in ("percent", "percentage-point") and (change or bare.startswith("占")) \
            and (len(label) < 2 or label in left[-8:]):
        at = simple.rfind(change, cut + 1, fig.start) if change else cut + 1
        head = simple[cut + 1:at]
        if not change:  # 占全州的45.6%: the previous figure's share of something
            said = paragraph[cut + 1:fig.start].rstrip("的")
        elif head.startswith(("同比", "比", "占")):
            said = paragraph[cut + 1:at + len(change)]
        else:
            said = paragraph[at:at + len(change)]
        return prev_label + said.strip("分别 ")
    return _as_printed(label, paragraph, simple, cut + 1, sentence_end) if label else "未命名数字"


def _as_printed(label: str, paragraph: str, simple: str, start: int, end: int) -> str:
    """A label found in the simplified view, as the paragraph prints it (traditional stays traditional)."""
    if paragraph == simple:
        return label
    at = simple.rfind(label, start, end)
    if at >= 0:
        return paragraph[at:at + len(label)]
    for cut in range(len(label) - 1, 0, -1):  # a label joined from before and after the figure
        head, tail = label[:cut], label[cut:]
        i, j = simple.rfind(head, start, end), simple.find(tail, start, end)
        if i >= 0 and j >= 0:
            return paragraph[i:i + len(head)] + paragraph[j:j + len(tail)]
    return label


def _quote(paragraph: str, fig: Figure) -> str:
    """The clause that states the figure, with the clause before it when it alone says too little."""
    left, right = _span(paragraph, fig.start, fig.end, CLAUSE_END.replace("、", "").replace(" ", ""))
    s_left, _ = _span(paragraph, fig.start, fig.end, SENTENCE_END)
    words = re.sub(r"[\d.%]", "", paragraph[left:right].replace(fig.text, ""))
    while len(words) < 6 and left > s_left:
        left = max((paragraph.rfind(c, s_left, left - 1) for c in ",,"), default=-1) + 1
        left = max(left, s_left)
        words = re.sub(r"[\d.%]", "", paragraph[left:right].replace(fig.text, ""))
    return paragraph[left:right].strip()


def _is_figure(fig: Figure) -> bool:
    """Not a figure: a year that only dates a sentence, a festival written as a date (6·18)."""
    if fig.unit == "year" and isinstance(fig.value, str):
        return False
    return not (fig.unit == "date" and "·" in fig.text)


def _place(texts: Iterable[str], places: Sequence[Place]) -> str:
    """The most specific known place a text names (a village before its town, a town before its county)."""
    by_name = {p.name: p for p in places}
    depth = {p.name: len(place_chain(by_name, p.name)) for p in places}
    for text in texts:
        named = [p for p in places if any(n in text for n in (p.name, *p.aliases) if len(n) >= 2 and not n.isascii())]
        if named:
            return max(named, key=lambda p: (depth[p.name], len(p.name))).name
    return ""


@functools.lru_cache(maxsize=4096)
def _slug(text: str) -> str:
    """An id for a label: its first pinyin syllables, else its latin words."""
    from yanbian_cli.hanzi import pinyin

    syllables = pinyin().syllables(text)[:5]
    return slug(" ".join(syllables) if syllables else text)[:40].strip("-") or "figure"


def extract(article: ArticleText, article_id: str, *, places: Sequence[Place] = (), topic: str = "draft",
            undecided_place: str = "未定") -> list[Fact]:
    """One draft fact for every figure of the article, in reading order."""
    drafts: list[Fact] = []
    ids: set[str] = set()
    next_number: dict[str, int] = {}  # base id -> the next number to try (no rescans of taken ids)
    named: dict[str, str] = {}  # text -> the place it names (a paragraph is looked at once, not once a figure)

    def place_of(texts: tuple[str, ...]) -> str:
        for text in texts:
            if text not in named:
                named[text] = _place((text,), places)
            if named[text]:
                return named[text]
        return ""

    texts = (article.title, *article.paragraphs)
    from yanbian_cli import phrases
    from yanbian_cli.hanzi import simplified
    from yanbian_cli.numbers import script_of

    for n, paragraph in enumerate(texts):
        korean = script_of(paragraph) == "ko"
        simple = paragraph if korean else simplified(paragraph)
        figures = [f for f in find_figures(paragraph) if _is_figure(f)]
        every = find_figures(paragraph)  # years too: a label stops at them
        ends, starts = sorted(f.end for f in every), sorted(f.start for f in every)
        first_end = _span(paragraph, 0, 0, SENTENCE_END)[1]
        opening = phrases.period_phrases(simple[:first_end], korean)
        sentences: dict[int, tuple[list[tuple[int, int, str]], str]] = {}  # sentence start -> (periods, place)
        prev_label = ""
        for fig in figures:
            quote = _quote(paragraph, fig)
            i = bisect.bisect_right(ends, fig.start)
            prev_end = ends[i - 1] if i else 0
            j = bisect.bisect_left(starts, fig.end)
            next_start = starts[j] if j < len(starts) else len(paragraph)
            label = _label(paragraph, simple, fig, prev_end, next_start, prev_label, korean)
            prev_label = label
            s_left, s_right = _span(paragraph, fig.start, fig.end, SENTENCE_END)
            if s_left not in sentences:  # once a sentence, not once a figure (a paragraph may hold thousands)
                sentence = simple[s_left:s_right]
                sentences[s_left] = (phrases.period_phrases(sentence, korean),
                                     place_of((sentence, paragraph, article.title)))
            found, sentence_place = sentences[s_left]
            when = "" if fig.unit == "date" else phrases.period(found, fig.start - s_left, opening)
            if when and not korean and paragraph != simple:
                at = simple.find(when, s_left, s_right)
                when = paragraph[at:at + len(when)] if at >= 0 else when
            unit = fig.unit or "count"
            if unit == "CNY" and re.search(r"每公顷|每公頃|헥타르당|1헥타르에", simple[max(s_left, fig.start - 40):fig.start]):
                unit = "CNY/ha"
            place = place_of((quote,)) or sentence_place or undecided_place
            base_id = f"{article_id}-{_slug(label)}"
            fid, k = base_id, next_number.get(base_id, 2)
            while fid in ids:
                fid, k = f"{base_id}-{k}", k + 1
            next_number[base_id] = k
            ids.add(fid)
            drafts.append(Fact(fid, label, "TODO: English label", label if korean else "", (label,), fig.text,
                               fig.value, unit, fig.qualifier, place, when, topic, Source(article_id, n, quote),
                               note="proposed by yb extract; check every field", draft=True))
    return drafts


def language(article: ArticleText) -> str:
    """ko when the article is Korean, zh-Hant when it is in traditional characters, else zh-Hans."""
    from yanbian_cli.hanzi import simplified

    text = "".join((article.title, *article.paragraphs))
    hangul = sum("가" <= c <= "힣" for c in text)
    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if hangul > len(han):
        return "ko"
    changed = sum(a != b for a, b in zip(han, simplified("".join(han))))
    return "zh-Hant" if han and changed / len(han) > 0.02 else "zh-Hans"


def as_article(article: ArticleText, article_id: str, topic: str) -> Article:
    return Article(article_id, article.title, "", article.byline, "", "article", "", topic, article.paragraphs,
                   language(article))


UNDECIDED = Place("未定", "to be decided", ("undecided",), "")
DRAFT_TOPIC = Topic("draft", "待定", "to be decided", ("draft",))


MAX_ARTICLE_BYTES = 16 << 20  # an article larger than this is no article (a 16 MB page is ~5 million characters)


def read_text_file(path: Path) -> str:
    """An article file's text; UsageError when it cannot be read, is not a regular file (a FIFO,
    /dev/zero), is too large or is not UTF-8."""
    from yanbian_cli.factbase.sources import read_bytes

    try:
        raw, _ = read_bytes(path, MAX_ARTICLE_BYTES)
    except ValueError as exc:
        raise UsageError(f"{path} {exc}") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path} is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})") from None


def article_id_for(path: Path, given: str | None) -> str:
    """The article id: as given, or made from the file name; UsageError when it is not a slug."""
    aid = given or slug(path.stem) or "article"
    if not is_id(aid):
        raise UsageError(f"--article-id {aid!r}: use lowercase letters, digits and single hyphens")
    return aid


def draft_article(text: str, source_name: str, article_id: str, *, places: Sequence[Place],
                  topic: str | None = None, date: str = "") -> tuple[Article, list[Fact]]:
    """The article of a text file and a draft fact for each of its figures."""
    article = read_article(text)
    if not article.paragraphs:
        raise UsageError(f"{source_name} has no paragraphs")
    topic_id = topic or DRAFT_TOPIC.id
    drafts = extract(article, article_id, places=places, topic=topic_id, undecided_place=UNDECIDED.name)
    return as_article(article, article_id, topic_id)._replace(date=date), drafts


def draft_file(article: Article, drafts: Sequence[Fact], source_name: str, *, places: Sequence[Place],
               topics: Sequence[Topic]) -> str:
    """A fact file of draft facts with the article inline."""
    from yanbian_cli.export import to_toml

    known_places = {p.name: p for p in places}
    known_places.setdefault(UNDECIDED.name, UNDECIDED)
    known_topics = {t.id: t for t in topics}
    known_topics.setdefault(DRAFT_TOPIC.id, DRAFT_TOPIC)
    header = (f"# Draft facts proposed by `yb extract` from {visible(source_name)}: {len(drafts)} figures.\n"
              "# Review every field (labels, place, period, quote), write label_en, then remove `draft = true`.\n"
              "# Check with: yb check --drafts FILE\n")
    return to_toml(drafts, {article.id: article}, known_topics, known_places, Publication(), header=header)
