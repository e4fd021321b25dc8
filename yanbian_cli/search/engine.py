"""Search: a query in, the facts that answer it out; and names of places and topics resolved.

query -> candidates -> score: `parse_query` reads what was typed, the candidate
policy narrows a large base, `rank` scores and tells answers from the rest.
Nothing here reads files or prints.
"""

from __future__ import annotations

from yanbian_cli.record import Record
from yanbian_cli.search.candidates import select
from yanbian_cli.search.corpus import Corpus, Filter
from yanbian_cli.search.query import Query, Slot, parse_query
from yanbian_cli.search.score import Match, rank
from yanbian_cli.text import normalize


class Outcome(Record):
    """What a search found: the answers, and what a person needs when there are none."""

    query: Query
    answers: list[Match]  # facts that answer every content word, best first
    partial: list[Match]  # facts that answer some of them, with what they miss, best first
    unknown: tuple[str, ...]  # content words that no fact searched answers
    searched: int  # how many facts were scored (the candidates; every fact of a base built to be scored whole)

    @property
    def content(self) -> tuple[Slot, ...]:
        return self.query.variants[0] if self.query.variants else ()


def search(corpus: Corpus, text: str, *, only: Filter | None = None) -> Outcome:
    """The facts that answer `text` (those `only` accepts: the --topic and --place filters)."""
    query = parse_query(text, corpus)
    whole = corpus.whole()
    if whole is not None:
        docs = whole if only is None else [d for d in whole if only.accepts(d.topic, corpus.chain(d.place))]
    else:
        docs = corpus.docs(select(query, corpus, corpus.source, only))
    ranked = rank(query, corpus, docs)
    answers = [m for m in ranked if m.answers]
    partial = [m for m in ranked if not m.answers]
    answered_somewhere = {p.typed for m in ranked for p in m.parts if p.answers}
    first = query.variants[0] if query.variants else ()
    unknown = tuple(s.typed for s in first if s.typed not in answered_somewhere)
    return Outcome(query, answers, partial, unknown, len(docs))


def resolve_name(corpus: Corpus, kind: str, name: str) -> str | None:
    """The place name or topic id that `name` (a name, label or alias, in any script) stands for."""
    for found_kind, key in corpus.entity_names().get(normalize(name, corpus.t2s), ()):
        if found_kind == kind:
            return key
    return None
