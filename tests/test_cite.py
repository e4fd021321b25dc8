"""Citations, called directly, in Chinese and English, plain and Markdown."""

from __future__ import annotations

from yanbian_cli.cite import cite_en, cite_zh
from yanbian_cli.model import Article, Fact, Publication, Source

FACT = Fact("x-1", "展区数量", "exhibition areas", "", (), "12个", 12, "count", "exact", "图们市", "", "t",
            Source("a", 2, "共设12个展区"))
ARTICLE = Article("a", "图们:多措并举", "Tumen: many measures", "记者甲", "reporter Jia", "article", "", "t",
                  ("第一段", "基地共设12个展区。"))
INFERRED = Publication("延边日报", "Yanbian Daily", "inferred", 2022, "inferred")


def test_chinese_quotes_the_sentence_and_says_what_is_inferred() -> None:
    assert cite_zh(FACT, ARTICLE, INFERRED) == ("据《图们:多措并举》(记者甲)报道,共设12个展区。"
                                               "(第2段;报名与年份系推断,版面未印:延边日报,2022年)")


def test_chinese_without_a_publication_says_nothing_inferred() -> None:
    assert cite_zh(FACT, ARTICLE, Publication()).endswith("(第2段)")


def test_an_untitled_caption_is_cited_by_who_supplied_it() -> None:
    caption = ARTICLE._replace(title="", byline="敦化市委宣传部供图", kind="photo caption")
    assert cite_zh(FACT, caption, Publication()).startswith("据敦化市委宣传部供图的图片说明报道,")


def test_english_gives_the_label_figure_title_and_byline() -> None:
    text = cite_en(FACT, ARTICLE, INFERRED)
    assert text == ("Exhibition areas: 12 (12个), according to “Tumen: many measures” (图们:多措并举), reporter Jia, "
                    "paragraph 2 (Yanbian Daily, 2022: inferred, not printed on the page).")


def test_markdown_quotes_in_a_block() -> None:
    assert cite_zh(FACT, ARTICLE, Publication(), markdown=True).startswith("> 据《图们:多措并举》")
    assert cite_en(FACT, ARTICLE, Publication(), markdown=True).endswith("\n\n> 共设12个展区")
