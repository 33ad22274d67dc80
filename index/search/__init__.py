"""Provides full-text search: the index, its query language and its snippets; only here is Whoosh.

Modules, one concept each: ``analysis`` (the tokenizer every term goes through), ``query``
(lexer, parser and syntax tree; no Whoosh), ``compile`` (tree to Whoosh queries), ``snippets``
(the highlighter; no Whoosh), ``schema``, ``segments`` (files on disk), ``records`` and
``index`` (``SearchIndex``).
"""

from index.search.analysis import analyze, normalize_key
from index.search.index import SearchIndex
from index.search.query import MAX_QUERY_CHARS
from index.search.records import IndexDoc, RawHit

__all__ = [
    "MAX_QUERY_CHARS",
    "IndexDoc",
    "RawHit",
    "SearchIndex",
    "analyze",
    "normalize_key",
]
