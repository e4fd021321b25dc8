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
from typing import NamedTuple

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
from yanbian_cli.text import visible

SENTENCE_END = "。!?!?;;"
CLAUSE_END = SENTENCE_END + ",,、:: "
# Words between the thing measured and its figure (为, 达到 ...) and before it (2021年, 其中 ...).
_VERB_TAIL = re.compile(r"(?:累计|共计|总计|合计|共|已|均|分别|全部|增长至|提高至|提升至|发展到|增至|达到|达|实现|为|是|有|约|近|超过|占|至|到|了|的)+$")
_LEAD = re.compile(r"^(?:(?:19|20)\d{2}年|今年以来|上半年|目前|其中|同时|此外|截至目前|近年来|据了解|全州|全市|该村|该局|占|共|有)+")
# After a count (72个人参产品获得…): the thing counted, up to the verb that follows it.
_COUNTED = re.compile(r"[^,,。;;、::“”‘’\d获取被的在是开表集为有和与及将已共中]{2,8}")
_BYLINE = re.compile(r"本[报報][讯訊][((]([^))]{1,40})[))]")
# A block that is only a byline: (본사기자 김철), 최미란 기자, 本报讯(记者王丽 金哲), 本報訊（記者崔東日）, (记者 张琰).
_BYLINE_BLOCK = re.compile(r"[((]?(?:본사기자|특약기자|기자|记者|記者|本[报報][讯訊][((]?(?:记者|記者)?)\s*[^()()]{1,30}[))]*"
                           r"|[가-힣]{2,4}(?: [가-힣]{2,4})* (?:기자|특파원)")
_YEAR = re.compile(r"((?:19|20)\d{2})年")


class ArticleText(NamedTuple):
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
    if (len(blocks) > 1 and len(blocks[0]) <= 60 and (blocks[0][-1] not in SENTENCE_END or blocks[0][-1] in "!?!?")
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
    return inner.group(1) if inner else block.strip("()() ")


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


def _label(before: str, after: str, unit: str) -> str:
    """What the figure measures: for a count, the thing counted after it; else the words before it,
    without dates and verbs; else the words after it."""
    if unit == "count":
        counted = _COUNTED.match(after)
        if counted:
            return counted.group()
    label = _LEAD.sub("", _VERB_TAIL.sub("", before.strip(" “”‘’\"'()()"))).strip(" “”‘’\"'()()")
    if len(label) < 2:
        m = re.match(r"[^,,。;;、::\d]{2,12}", after)
        label = (label + (m.group() if m else "")).strip()
    return label[-20:] or "未命名数字"


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
    years: dict[tuple[int, int], re.Match[str] | None] = {}  # (paragraph, sentence start) -> the year it names
    named: dict[str, str] = {}  # text -> the place it names (a paragraph is looked at once, not once a figure)

    def place_of(texts: tuple[str, ...]) -> str:
        for text in texts:
            if text not in named:
                named[text] = _place((text,), places)
            if named[text]:
                return named[text]
        return ""

    texts = (article.title, *article.paragraphs)
    for n, paragraph in enumerate(texts):
        for fig in find_figures(paragraph):
            if not _is_figure(fig):
                continue
            quote = _quote(paragraph, fig)
            at = quote.find(fig.text)
            label = _label(quote[:at], quote[at + len(fig.text):], fig.unit)
            s_left, s_right = _span(paragraph, fig.start, fig.end, SENTENCE_END)
            sentence = paragraph[s_left:s_right]
            if (n, s_left) not in years:  # one look a sentence, not one a figure
                years[(n, s_left)] = _YEAR.search(sentence)
            year = years[(n, s_left)]
            place = place_of((quote, sentence, paragraph, article.title)) or undecided_place
            base_id = f"{article_id}-{_slug(label)}"
            fid, k = base_id, next_number.get(base_id, 2)
            while fid in ids:
                fid, k = f"{base_id}-{k}", k + 1
            next_number[base_id] = k
            ids.add(fid)
            drafts.append(Fact(fid, label, "TODO: English label", "", (label,), fig.text, fig.value,
                               fig.unit or "count", fig.qualifier, place, f"{year.group(1)}年" if year else "", topic,
                               Source(article_id, n, quote), note="proposed by yb extract; check every field",
                               draft=True))
    return drafts


def as_article(article: ArticleText, article_id: str, topic: str) -> Article:
    return Article(article_id, article.title, "", article.byline, "", "article", "", topic, article.paragraphs)


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


def draft_file(text: str, source_name: str, article_id: str, *, places: Sequence[Place],
               topics: Sequence[Topic], topic: str | None = None) -> tuple[str, int, int]:
    """(a fact file of draft facts with the article inline, number of drafts, number of paragraphs)."""
    from yanbian_cli.export import to_toml

    article = read_article(text)
    if not article.paragraphs:
        raise UsageError(f"{source_name} has no paragraphs")
    topic_id = topic or DRAFT_TOPIC.id
    drafts = extract(article, article_id, places=places, topic=topic_id, undecided_place=UNDECIDED.name)
    known_places = {p.name: p for p in places}
    known_places.setdefault(UNDECIDED.name, UNDECIDED)
    known_topics = {t.id: t for t in topics}
    known_topics.setdefault(DRAFT_TOPIC.id, DRAFT_TOPIC)
    header = (f"# Draft facts proposed by `yb extract` from {visible(source_name)}: {len(drafts)} figures.\n"
              "# Review every field (labels, place, period, quote), write label_en, then remove `draft = true`.\n"
              "# Check with: yb check --drafts FILE\n")
    out = to_toml(drafts, {article_id: as_article(article, article_id, topic_id)}, known_topics, known_places,
                  Publication(), header=header)
    return out, len(drafts), len(article.paragraphs)
