"""Search: a query in, ranked matches out; and names of places and topics resolved.

query -> candidates -> score: `parse_query` reads what was typed, the candidate
policy narrows a large base, `rank` scores. Nothing here reads files or prints.
"""

from __future__ import annotations

from yanbian_cli.search.candidates import select
from yanbian_cli.search.corpus import Corpus, Filter
from yanbian_cli.search.query import parse_query
from yanbian_cli.search.score import DEFAULT_CUTOFF, Match, rank
from yanbian_cli.text import normalize


def search(corpus: Corpus, text: str, *, cutoff: float = DEFAULT_CUTOFF,
           only: Filter | None = None) -> tuple[list[Match], list[Match]]:
    """(matches at or above the cutoff, best first; the nearest misses when there are none).

    `only` keeps the facts of a topic or place (the --topic and --place filters).
    """
    query = parse_query(text, corpus)
    whole = corpus.whole()
    if whole is not None:
        docs = whole if only is None else [d for d in whole if only.accepts(d.topic, corpus.chain(d.place))]
    else:
        docs = corpus.docs(select(query, corpus, corpus.source, only))
    ranked = rank(query, corpus, docs)
    hits = [m for m in ranked if m.score >= cutoff]
    return hits, ([] if hits else [m for m in ranked[:3] if m.score > 0])


def resolve_name(corpus: Corpus, kind: str, name: str) -> str | None:
    """The place name or topic id that `name` (a name, label or alias, in any script) stands for."""
    for found_kind, key in corpus.entity_names().get(normalize(name, corpus.t2s), ()):
        if found_kind == kind:
            return key
    return None
