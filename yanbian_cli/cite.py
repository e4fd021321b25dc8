"""Ready-to-paste attributions of a fact, in Chinese or English, plain or Markdown.

What the page prints (title, byline, the sentence) is quoted as printed; what
the page does not print (the paper's name, its year) comes from the
`[publication]` table and is marked as inferred.
"""

from __future__ import annotations

from yanbian_cli.model import Article, Fact, Publication, where
from yanbian_cli.units import figure_en

LANGS = ("zh", "en")


def _publication_zh(pub: Publication) -> str:
    parts = [p for p in (pub.paper, f"{pub.year}年" if pub.year else "") if p]
    return f";报名与年份系推断,版面未印:{','.join(parts)}" if parts else ""


def _publication_en(pub: Publication) -> str:
    parts = [p for p in (pub.paper_en or pub.paper, str(pub.year) if pub.year else "") if p]
    return f" ({', '.join(parts)}: inferred, not printed on the page)" if parts else ""


def _sentence(quote: str) -> str:
    """The quote as a sentence: ends with 。 unless it already ends a sentence."""
    return quote if quote.endswith(("。", "!", "?", "!", "?", "…")) else quote + "。"


def cite_zh(fact: Fact, article: Article, pub: Publication, markdown: bool = False) -> str:
    """据《标题》(记者…)报道,<quote>。 with where it stands and what is inferred."""
    # An untitled photo caption is cited by who supplied it: 据敦化市委宣传部供图的图片说明
    title = f"《{article.title}》" if article.title else f"{article.byline}的图片说明"
    byline = f"({article.byline})" if article.title and article.byline else ""
    quote = _sentence(fact.source.quote)
    source = f"{where(fact.source.paragraph, 'zh')}{_publication_zh(pub)}"
    if markdown:
        return f"> 据{title}{byline}报道,{quote}\n>\n> — {title},{source}"
    return f"据{title}{byline}报道,{quote}({source})"


def cite_en(fact: Fact, article: Article, pub: Publication, markdown: bool = False) -> str:
    """'<Label>: <figure in English>, according to “<title>” (<Chinese title>) by <byline>, ...'."""
    label = fact.label_en[:1].upper() + fact.label_en[1:]
    figure = figure_en(fact.value, fact.unit, fact.qualifier)
    written = f" ({fact.text})"
    title = article.title_en or article.title
    titled = f"“{title}”" + (f" ({article.title})" if article.title and article.title_en else "")
    if not article.title:
        titled = f"a {article.kind}"
    byline = article.byline_en or article.byline
    by = f", {byline}" if byline else ""
    at = ", headline" if fact.source.paragraph == 0 else f", {where(fact.source.paragraph)}"
    if markdown:
        return (f"**{label}: {figure}**{written}, according to *{titled}*{by}{at}"
                f"{_publication_en(pub)}.\n\n> {fact.source.quote}")
    return f"{label}: {figure}{written}, according to {titled}{by}{at}{_publication_en(pub)}."


def cite(fact: Fact, article: Article, pub: Publication, lang: str = "zh", markdown: bool = False) -> str:
    return (cite_zh if lang == "zh" else cite_en)(fact, article, pub, markdown)
