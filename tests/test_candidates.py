"""The candidate policy of a large base, over postings held in dicts (no SQLite), and the term
contract it relies on: every fact an atom matches is listed under the atom's terms."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yanbian_cli.model import Article, Fact, FactBase, Place, Publication, Source, Topic
from yanbian_cli.search import Corpus, Filter, parse_query, search
from yanbian_cli.search import candidates as policy
from yanbian_cli.search.analyze import Analysis, analyze
from yanbian_cli.search.doc import Doc
from yanbian_cli.search.postings import MemoryPostings, atom_terms, doc_terms
from yanbian_cli.search.score import own_match

PLACES = {"延边州": Place("延边州", "Yanbian", ("延边", "연변"), ""),
          "延吉市": Place("延吉市", "Yanji", ("延吉", "연길"), "延边州"),
          "龙井市": Place("龙井市", "Longjing", ("龙井", "룡정"), "延边州")}
TOPICS = {"ginseng": Topic("ginseng", "人参产业", "ginseng industry", ("人参",)),
          "rice": Topic("rice", "水稻", "rice", ("稻米",))}


def fact(i: int, label: str, text: str, value: float, unit: str, place: str = "延边州", topic: str = "ginseng",
         label_en: str = "a figure") -> Fact:
    quote = f"{label}{text}"
    return Fact(f"f-{i}", label, label_en, "", (), text, value, unit, "exact", place, "", topic,
                Source("a", 1, quote))


def base_of(facts: list[Fact]) -> FactBase:
    article = Article("a", "标题", "", "", "", "article", "", "ginseng", ("".join(f.source.quote for f in facts),))
    return FactBase(Path("mem.toml"), Publication(), {"a": article}, TOPICS, PLACES, tuple(facts))


def memory(analysis: Analysis, rows: list[tuple[dict, set[str] | None]] | None = None) -> MemoryPostings:
    """The analysis held in dicts (`rows`: its facts, when the caller has read them already)."""
    rows = list(analysis.facts) if rows is None else rows
    docs = [Doc.from_row(d) for d, _ in rows]
    terms = None if analysis.whole else [t or set() for _, t in rows]
    return MemoryPostings(docs, terms, place_docs={k: Doc.from_row(v) for k, v in analysis.place_docs.items()},
                          topic_docs={k: Doc.from_row(v) for k, v in analysis.topic_docs.items()},
                          place_chains=analysis.place_chains, vocab=analysis.vocab, initials=analysis.initials,
                          phrases=analysis.phrases, t2s=analysis.t2s)


@pytest.fixture(scope="module")
def archive() -> list[Fact]:
    """60 ginseng facts that share their words; one rice fact in Longjing; one in Yanji with a rare figure."""
    facts = [fact(i, "人参种植面积", f"{1000 + i}亩", 1000 + i, "mu") for i in range(60)]
    facts.append(fact(60, "水稻种植面积", "12.6万亩", 126000, "mu", place="龙井市", topic="rice", label_en="rice area"))
    facts.append(fact(61, "人参加工产值", "14.72亿元", 1472000000, "CNY", place="延吉市"))
    return facts


@pytest.fixture(scope="module")
def corpus(archive: list[Fact]) -> Corpus:
    return Corpus(memory(analyze(base_of(archive), whole=False)))


def selected(corpus: Corpus, text: str, only: Filter | None = None) -> list[str]:
    ords = policy.select(parse_query(text, corpus), corpus, corpus.source, only)
    return [d.id for d in corpus.docs(ords)]


def test_a_rare_reading_outweighs_a_common_one(corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(policy, "CANDIDATES", 1)
    assert selected(corpus, "人参 1042亩") == ["f-42"]  # every fact holds 人参; one holds 1042
    assert selected(corpus, "面积 12.6万亩") == ["f-60"]


def test_a_rounded_figure_finds_the_fact_near_it(corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(policy, "CANDIDATES", 1)
    assert selected(corpus, "14.7亿") == ["f-61"]


def test_filters_keep_only_their_facts(corpus: Corpus) -> None:
    assert selected(corpus, "面积", Filter(topic="rice")) == ["f-60"]
    assert selected(corpus, "产值", Filter(place="延吉市")) == ["f-61"]
    assert selected(corpus, "面积", Filter(place="延吉市")) == []


def test_a_place_named_brings_the_facts_about_the_places_within_it(corpus: Corpus) -> None:
    assert "f-60" in selected(corpus, "룡정")  # the Korean name of Longjing
    assert {"f-60", "f-61"} <= set(selected(corpus, "延边"))  # both lie within Yanbian


def test_postings_give_the_same_answers_as_scoring_everything(archive: list[Fact]) -> None:
    base = base_of(archive)
    by_postings = Corpus(memory(analyze(base, whole=False)))
    whole = Corpus(memory(analyze(base, whole=True)))
    assert by_postings.whole() is None and whole.whole() is not None
    for q in ("人参 面积", "1042亩", "rice area", "14.7亿", "룡정 水稻", "renshen chanzhi"):
        got = search(by_postings, q).answers
        expected = search(whole, q).answers
        assert [(m.id, m.score) for m in got[:3]] == [(m.id, m.score) for m in expected[:3]], q


# -- the term contract, as a property -------------------------------------------------------

_HAN = st.sampled_from("人参面积产值延吉龙井水稻种植加工企业网络零售额优良天数")
_WORD = st.sampled_from(["ginseng", "area", "output", "rice", "online", "retail", "sales", "days"])


@settings(max_examples=40, deadline=None)
@given(label=st.text(_HAN, min_size=2, max_size=8), words=st.lists(_WORD, min_size=1, max_size=4),
       number=st.integers(min_value=1, max_value=10**9), unit=st.sampled_from(["亩", "元", "万元", "天", "%", "个"]),
       start=st.integers(min_value=0, max_value=6), length=st.integers(min_value=1, max_value=6),
       place=st.sampled_from(sorted(PLACES)))
def test_every_term_a_query_looks_up_for_a_facts_own_words_is_indexed_for_it(
        label: str, words: list[str], number: int, unit: str, start: int, length: int, place: str) -> None:
    from yanbian_cli.numbers import parse_figure

    text = f"{number}{unit}"
    fig = parse_figure(text)
    assert fig is not None
    f = Fact("f-0", label, " ".join(words), "", (), text, fig.value, fig.unit or "count", "exact", place, "",
             "ginseng", Source("a", 1, f"{label}{text}"))
    analysis = analyze(base_of([f]), whole=False)
    rows = list(analysis.facts)
    (doc_row, terms), = rows
    assert terms is not None
    corpus = Corpus(memory(analysis, rows))
    doc = Doc.from_row(doc_row)
    assert terms == doc_terms(doc, corpus.chain(place))
    # Queries made of the fact's own words: a piece of its label, its English words, its figure, its place.
    piece = label[start:start + length] or label
    for query in (piece, " ".join(words), text, str(number), f"{piece} {words[0]}", place, label):
        for variant in parse_query(query, corpus).variants:
            for slot in variant:
                for atom in slot.atoms:
                    if own_match(atom, doc):
                        missing = set(atom_terms(atom)) - terms
                        assert not missing, (query, atom, missing)
