"""The articles are the page's text, exactly, with only the page-break artefacts repaired."""

from __future__ import annotations

from conftest import DATA

from yanbian_cli.factbase import load


def _page_paragraphs() -> list[str]:
    page = (DATA / "page.txt").read_text(encoding="utf-8")
    return [p for p in page.split("\n") if p.strip() and not p.startswith("#")]


def test_every_paragraph_is_on_the_page_and_every_page_paragraph_is_in_an_article() -> None:
    base = load(DATA / "facts.toml")
    page = _page_paragraphs()
    page_text = "".join(page)
    article_paragraphs = [p for a in base.articles.values() for p in a.paragraphs]
    # Joined back together, the articles are the page's body text in order: nothing added, nothing lost.
    assert "".join(article_paragraphs) == page_text
    # Each article paragraph is one page paragraph, or two the page broke apart.
    for paragraph in article_paragraphs:
        assert paragraph in page or any(
            paragraph == a + b for a, b in zip(page, page[1:])
        ), paragraph[:30]


def test_page_breaks_are_repaired() -> None:
    base = load(DATA / "facts.toml")
    ecology = base.articles["ecology"]
    assert any("安全利用率达到100%……" in p for p in ecology.paragraphs)
    assert any("国家级生态示范县市" in p for p in ecology.paragraphs)
    assert any("加强与国内外的技术交流" in p for p in base.articles["ginseng"].paragraphs)


def test_titles_bylines_and_sections() -> None:
    base = load(DATA / "facts.toml")
    page = (DATA / "page.txt").read_text(encoding="utf-8")
    assert len(base.articles) == 8
    for article in base.articles.values():
        if article.title:
            assert f"# {article.title}\n" in page
        assert article.byline in article.paragraphs[0] or article.byline in article.paragraphs[-1]
    assert base.articles["ginseng"].byline == "记者张琰 相文雅"
    assert base.articles["dunhua"].kind == "photo caption" and base.articles["dunhua"].title == ""
    assert {a.section for a in base.articles.values()} == {"", "延边视点"}
