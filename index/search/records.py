"""Provides the records the search index takes and gives: ``IndexDoc`` in, ``RawHit`` out."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["IndexDoc", "RawHit"]


@dataclass(frozen=True)
class IndexDoc:
    """One article as the index sees it; the body is analyzed, never stored."""

    id: str
    title: str
    body: str
    source: str = ""
    date: str | None = None  # ISO 8601 date or datetime; its wall-clock date is what counts
    author: str = ""
    keys: tuple[str, ...] = ()  # normalized entity keys mentioned ("wang yi", "united states")
    types: tuple[str, ...] = ()  # entity labels present (PERSON, ORG, GPE, ...)
    lang: str = ""  # ISO 639-1 code of the text ("en", "ja"); "" when unknown


@dataclass(frozen=True)
class RawHit:
    """One search hit before the caller adds the article's metadata."""

    id: str
    score: float  # BM25F relevance; 0.0 when sorted by date
    snippet: str  # plain text (no markup): 1-3 fragments of the body joined with " … "
    highlights: tuple[tuple[int, int], ...]  # (start, end) spans of ``snippet`` to mark
    terms: tuple[str, ...]  # words and phrases as they appear in the body, to mark in the article
