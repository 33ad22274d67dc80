"""Provides full-text search: the index, its query language and its snippets; only here is Whoosh.

Modules, one concept each: ``analysis`` (the tokenizer every term goes through), ``query``
(lexer, parser and syntax tree; no Whoosh), ``compile`` (tree to Whoosh queries), ``snippets``
(the highlighter; no Whoosh), ``schema``, ``segments`` (files on disk), ``records`` and
``index`` (``SearchIndex``); ``lean`` imports Whoosh first, and ``blocks`` reads its posting blocks faster.
"""

from index.search import blocks
from index.search.lean import import_whoosh

import_whoosh()  # before any other Whoosh import: see lean
blocks.install()

from index.search.analysis import analyze, normalize_key  # noqa: E402
from index.search.index import SearchIndex  # noqa: E402
from index.search.query import MAX_QUERY_CHARS  # noqa: E402
from index.search.records import IndexDoc, RawHit  # noqa: E402

__all__ = [
    "MAX_QUERY_CHARS",
    "IndexDoc",
    "RawHit",
    "SearchIndex",
    "analyze",
    "normalize_key",
]
