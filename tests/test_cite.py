"""Citations, called directly, in Chinese, English and Korean, plain and Markdown."""

from __future__ import annotations

import pytest

from yanbian_cli.cite import cite, cite_en, cite_ko, cite_zh, inferred
from yanbian_cli.model import Article, Fact, Publication, Source

FACT = Fact("x-1", "展区数量", "exhibition areas of the base", "교육기지 전시구역 수", (), "12个", 12, "count", "exact",
            "图们市", "", "t", Source("a", 2, "共设12个展区"))
ARTICLE = Article("a", "图们:多措并举", "Tumen: many measures", "记者甲", "reporter Jia", "article", "", "t",
                  ("第一段", "基地共设12个展区。"))
INFERRED = Publication("延边日报", "Yanbian Daily", "inferred", 2022, "inferred")
PRINTED = Publication("延边日报", "Yanbian Daily", "printed on the page", 2022, "printed on the page")


def test_chinese_quotes_the_sentence_and_ends_with_a_short_note_of_what_is_inferred() -> None:
    assert cite_zh(FACT, ARTICLE, INFERRED) == "据延边日报2022年《图们:多措并举》(记者甲)报道,共设12个展区。(报名、年份系推断)"


def test_nothing_inferred_no_note() -> None:
    assert cite_zh(FACT, ARTICLE, PRINTED).endswith("共设12个展区。")
    assert cite_en(FACT, ARTICLE, PRINTED).endswith("(Yanbian Daily, 2022).")
    assert inferred(PRINTED) == (False, False) and inferred(INFERRED) == (True, True)


def test_an_untitled_caption_is_cited_by_who_supplied_it() -> None:
    caption = ARTICLE._replace(title="", byline="敦化市委宣传部供图", byline_en="photo: Dunhua publicity department",
                               kind="photo caption")
    assert cite_zh(FACT, caption, Publication()).startswith("据刊登的敦化市委宣传部供图图片说明报道,")
    assert "a photo caption (photo: Dunhua publicity department)" in cite_en(FACT, caption, INFERRED)


def test_english_is_prose_with_the_figure_once() -> None:
    text = cite_en(FACT, ARTICLE, INFERRED)
    assert text == ("The exhibition areas of the base is 12, according to “Tumen: many measures” by reporter Jia "
                    "(Yanbian Daily, 2022). (paper and year inferred)")
    assert text.count("12") == 1


def test_korean_gives_the_korean_label_and_figure() -> None:
    text = cite_ko(FACT, ARTICLE, INFERRED)
    assert text == ("연변일보 중문판 2022년 《图们:多措并举》(记者甲) 보도에 따르면 교육기지 전시구역 수는 12개이다. "
                    "(신문 이름과 년도는 추정)")  # 중문판: the Chinese edition, not the Korean one


def test_markdown_quotes_the_page_in_a_block() -> None:
    assert cite_zh(FACT, ARTICLE, Publication(), markdown=True).startswith("> 据《图们:多措并举》")
    assert "\n\n> 共设12个展区\n" in cite_en(FACT, ARTICLE, Publication(), markdown=True)
    assert "\n\n> 共设12个展区\n" in cite_ko(FACT, ARTICLE, Publication(), markdown=True)


# -- articles of the Korean-language edition and traditional reprints (issue 13) ------------------

KO_FACT = Fact("ko-1", "인삼산업 총생산액", "output of the ginseng industry", "인삼산업 총생산액", (), "102.3억원",
               10230000000, "CNY", "exact", "延边州", "2022년", "t",
               Source("k", 1, "2022년 전 주 인삼산업 총생산액은 102.3억원에 달해"))
KO_ARTICLE = Article("k", "연변 인삼산업 총생산액 102.3억원 달성", "Ginseng output reaches CNY 10.23 billion",
                     "본사기자 김철", "", "article", "", "t", ("2022년 전 주 인삼산업 총생산액은 102.3억원에 달해 늘어났다.",),
                     "ko")
PUB = Publication("延边日报", "Yanbian Daily", "inferred: not printed", 2022, "inferred: not printed")


@pytest.mark.parametrize("lang", ["zh", "en", "ko"])
def test_a_korean_article_is_quoted_as_printed_in_every_language_with_its_edition(lang: str) -> None:
    text = cite(KO_FACT, KO_ARTICLE, PUB, lang)
    assert "“2022년 전 주 인삼산업 총생산액은 102.3억원에 달해”" in text
    assert {"zh": "朝鲜文版", "en": "Korean-language edition", "ko": "연변일보"}[lang] in text
    assert ("朝鲜文原文" in text) == (lang == "zh") and ("quoted in Korean" in text) == (lang == "en")
    assert text.rstrip(")").endswith(("推断", "inferred", "추정"))


@pytest.mark.parametrize("lang", ["zh", "en", "ko"])
def test_a_traditional_reprint_is_quoted_as_printed_and_the_script_said(lang: str) -> None:
    article = KO_ARTICLE._replace(title="圖們:多措並舉", byline="記者甲", lang="zh-Hant")
    fact = KO_FACT._replace(source=Source("k", 1, "共設12個展區"), text="12個", value=12, unit="count",
                            label_ko="전시구역 수")
    text = cite(fact, article, PUB, lang)
    assert "共設12個展區" in text  # never converted to 共设12个展区
    assert {"zh": "繁体字原文", "en": "traditional Chinese characters", "ko": "번체자 원문"}[lang] in text
    assert {"zh": "繁体字转载版", "en": "traditional-character reprint", "ko": "번체자 전재판"}[lang] in text
