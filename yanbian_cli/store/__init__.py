"""Storage: the SQLite index of a fact base (schema, build, reader) and its cache on disk.

Storage answers search's questions (`reader.Store` implements search's Postings and
Lexicon protocols by shape) and never imports search.
"""
