"""Search: read a query, narrow a large base to candidates, score them, rank.

    query.py       what was typed -> slots of atoms (readings)
    analyze.py     a fact -> its search fields (Doc), at build time
    postings.py    the term contract of both sides; what search asks of storage
    candidates.py  the policy that narrows a large base
    score.py       fields, weights and the ranking
    corpus.py      the base as a query sees it
    words.py       question words and fillers of each language, units typed in words
    engine.py      search() and name resolution
"""

from yanbian_cli.search.corpus import Corpus, Filter
from yanbian_cli.search.engine import Outcome, resolve_name, search
from yanbian_cli.search.query import STOPWORDS, parse_query
from yanbian_cli.search.score import Match, MatchPart, rank

__all__ = ["STOPWORDS", "Corpus", "Filter", "Match", "MatchPart", "Outcome", "parse_query", "rank", "resolve_name",
           "search"]
