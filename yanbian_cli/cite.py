"""Ready-to-paste attributions of a fact, in Chinese, English or Korean, plain or Markdown.

What the page prints (title, byline, the sentence) is quoted as printed; what the page does not
print (the paper's name, its year) comes from the `[publication]` table, and a citation never
drops that it is inferred: a short note at the end says so. The figure is given once: in Chinese
inside the quoted sentence; in English and Korean in the sentence around it, with the page's own
words quoted in the Markdown form.

An article of the Korean-language edition or of a traditional-character reprint (`lang` ko or
zh-Hant) is quoted as printed in every citation language, never converted or translated: the
citation names the edition, and says so when the quote is in another script than the sentence
around it (朝鲜文原文 / quoted in Korean, as printed / 번체자 원문).
"""

from __future__ import annotations

from yanbian_cli.model import DEFAULT_LANG, Article, Fact, Publication, where
from yanbian_cli.text import hangul_final
from yanbian_cli.units import figure_en, figure_ko

LANGS = ("zh", "en", "ko")
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")
# The edition an article of another language or script comes from, in each citation language.
EDITION = {"zh": {"ko": "朝鲜文版", "zh-Hant": "繁体字转载版"},
           "en": {"ko": "Korean-language edition", "zh-Hant": "traditional-character reprint"},
           "ko": {"ko": "", "zh-Hant": "번체자 전재판", "zh-Hans": "중문판"}}
# Where the quote's script differs from the citation's: what to say (None: the same script).
SCRIPT_NOTE = {"zh": {"ko": "引文为朝鲜文原文,照录未译", "zh-Hant": "引文为繁体字原文,照录"},
               "en": {"ko": "quoted in Korean, as printed", "zh-Hant": "quoted in traditional Chinese characters, as printed",
                      "zh-Hans": "quoted in Chinese, as printed"},
               "ko": {"zh-Hant": "인용문은 번체자 원문", "zh-Hans": "인용문은 중문 원문"}}


def inferred(pub: Publication) -> tuple[bool, bool]:
    """(whether the paper's name, whether the year, is inferred rather than printed)."""
    return pub.paper_basis.startswith("inferred"), pub.year_basis.startswith("inferred")


def _note(pub: Publication, lang: str) -> str:
    paper, year = inferred(pub)
    if not (paper and pub.paper or year and pub.year):
        return ""
    what = {"zh": {(True, True): "报名、年份", (True, False): "报名", (False, True): "年份"},
            "en": {(True, True): "paper and year", (True, False): "paper", (False, True): "year"},
            "ko": {(True, True): "신문 이름과 년도", (True, False): "신문 이름", (False, True): "년도"}}[lang]
    said = what[(paper and bool(pub.paper), year and bool(pub.year))]
    return {"zh": f"({said}系推断)", "en": f" ({said} inferred)", "ko": f" ({said}는 추정)"}[lang]


def _sentence(quote: str) -> str:
    """The quote as a sentence: ends with 。 unless it already ends a sentence."""
    return quote if quote.endswith(("。", "!", "?", "!", "?", "…")) else quote + "。"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def cite_zh(fact: Fact, article: Article, pub: Publication, markdown: bool = False) -> str:
    """据延边日报2022年《标题》(记者…)报道,<quote>。(报名、年份系推断); 据延边日报朝鲜文版… for the Korean edition."""
    when = f"{int(pub.date[:4])}年{int(pub.date[5:7])}月{int(pub.date[8:10])}日" if pub.date else \
        f"{pub.year}年" if pub.year else ""
    paper = f"{pub.paper}{EDITION['zh'].get(article.lang, '')}{when}"
    # An untitled photo caption is cited by who supplied it: 据敦化市委宣传部供图的图片说明
    title = f"{paper}《{article.title}》" if article.title else f"{paper}刊登的{article.byline}图片说明"
    byline = f"({article.byline})" if article.title and article.byline else ""
    if article.lang == DEFAULT_LANG:
        quote = _sentence(fact.source.quote)
    else:  # another script: in quotation marks, exactly as printed
        quote = f"“{fact.source.quote}”({SCRIPT_NOTE['zh'][article.lang]})。"
    text = f"据{title}{byline}报道,{quote}{_note(pub, 'zh')}"
    if markdown:
        return f"> {text}\n>\n> — {where(fact.source.paragraph, 'zh')}"
    return text


def _source_en(article: Article, pub: Publication) -> str:
    title = article.title_en or article.title
    byline = article.byline_en or article.byline
    named = f"“{title}”" if article.title else f"a {article.kind}" + (f" ({byline})" if byline else "")
    by = f" by {byline}" if byline and article.title else ""
    edition = EDITION["en"].get(article.lang, "")
    when = f"{int(pub.date[8:10])} {_MONTHS_EN[int(pub.date[5:7]) - 1]} {pub.date[:4]}" if pub.date else \
        str(pub.year) if pub.year else ""
    paper = ", ".join(p for p in (pub.paper_en or pub.paper, edition, when) if p)
    return f"{named}{by}" + (f" ({paper})" if paper else "")


def _quoted(fact: Fact, article: Article, lang: str) -> str:
    """The page's sentence, as printed, for a citation in `lang` of an article in another language or
    script (", which reads: “…” (quoted in Korean, as printed)"); "" for the paper's own Chinese."""
    if article.lang == DEFAULT_LANG and lang == "en":
        return ""
    note = SCRIPT_NOTE[lang].get(article.lang)
    if note is None:
        return ""
    if lang == "ko":
        return f" ({note}: “{fact.source.quote}”)"
    return f", which reads: “{fact.source.quote}” ({note})"


def cite_en(fact: Fact, article: Article, pub: Publication, markdown: bool = False) -> str:
    """'<Label> is <figure in English>, according to “<title>” by <byline> (<paper>, <year>). (… inferred)'"""
    figure = figure_en(fact.value, fact.unit, fact.qualifier)
    label = fact.label_en if fact.label_en.lower().startswith(("the ", "a ", "an ")) else f"the {fact.label_en}"
    text = (f"{_capital(label)} is {figure}, according to {_source_en(article, pub)}{_quoted(fact, article, 'en')}."
            f"{_note(pub, 'en')}")
    if markdown:
        return f"{text}\n\n> {fact.source.quote}\n\n— {where(fact.source.paragraph)}"
    return text


def cite_ko(fact: Fact, article: Article, pub: Publication, markdown: bool = False) -> str:
    """'연변일보 2022년 《标题》(기자 …) 보도에 따르면 <label>은 <figure>이다. (… 추정)'"""
    from yanbian_cli.numbers import measure_word

    figure = figure_ko(fact.value, fact.unit, fact.qualifier, measure_word(fact.text))
    paper = _paper_ko(pub, EDITION["ko"].get(article.lang, ""))
    title = f"《{article.title}》" if article.title else f"{article.byline} 사진설명"
    byline = f"({article.byline})" if article.title and article.byline else ""
    label = fact.label_ko or fact.label
    if article.lang == "ko":  # the Korean edition's own sentence, as printed
        said = f"“{fact.source.quote}”"
        text = f"{paper} {title}{byline} 보도에 따르면 {said}.{_note(pub, 'ko')}"
    else:
        quoted = _quoted(fact, article, "ko") if article.lang == "zh-Hant" else ""
        text = (f"{paper} {title}{byline} 보도에 따르면 {label}{_topic_particle(label)} {figure}이다.{quoted}"
                f"{_note(pub, 'ko')}")
    if markdown:
        return f"{text.strip()}\n\n> {fact.source.quote}\n\n— {where(fact.source.paragraph)}"
    return text.strip()


def _paper_ko(pub: Publication, edition: str = "") -> str:
    """The paper's name in Korean (연변일보 for 延边日报), its edition where it is not the Korean one, and its year."""
    name = {"延边日报": "연변일보"}.get(pub.paper, pub.paper)
    when = f"{pub.date[:4]}년 {int(pub.date[5:7])}월 {int(pub.date[8:10])}일" if pub.date else \
        f"{pub.year}년" if pub.year else ""
    return " ".join(p for p in (name, edition, when) if p)


def _topic_particle(word: str) -> str:
    """은 after a final consonant, 는 after a vowel (Hangul); 은 after anything else."""
    final = hangul_final(word.rstrip(")")[-1:])
    return "는" if final == 0 else "은"


def cite(fact: Fact, article: Article, pub: Publication, lang: str = "zh", markdown: bool = False) -> str:
    return {"zh": cite_zh, "en": cite_en, "ko": cite_ko}[lang](fact, article, pub, markdown)
