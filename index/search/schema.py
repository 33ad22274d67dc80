"""Provides the Whoosh schema of the search index and the field types that analyze for it.

Bump ``SCHEMA_VERSION`` when the schema or the analysis changes: an index made by other code is
then rebuilt.
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh import columns, fields, formats
from whoosh.analysis import Tokenizer
from whoosh.analysis.acore import Token

from index.search.analysis import WORD, term_of

__all__ = ["SCHEMA", "SCHEMA_VERSION"]

SCHEMA_VERSION = 5


class _Analyzer(Tokenizer):
    """Whoosh-facing form of :func:`analyze` (Whoosh calls it only through ``_Positions``)."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for m in WORD.finditer(value):
            term = term_of(m.group())
            if not term:
                continue
            token.text = term
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = m.group()
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + m.start()
                token.endchar = start_char + m.end()
            pos += 1
            yield token


class _Positions(formats.Positions):
    """Positions format that analyzes with :func:`analyze` directly (no Token objects)."""

    def word_values(self, value, analyzer, **kwargs):
        poses: dict[str, list[int]] = {}
        pos = 0
        for m in WORD.finditer(value):
            term = term_of(m.group())
            if not term:
                continue
            found = poses.get(term)
            if found is None:
                poses[term] = [pos]
            else:
                found.append(pos)
            pos += 1
        boost = self.field_boost
        encode = self.encode
        for term, poslist in poses.items():
            yield term, len(poslist), len(poslist) * boost, encode(poslist)


class _Written(formats.Existence):
    """The words of a document as written (lowercase, not stemmed), without positions: the
    vocabulary wildcards and fuzzy terms are matched against ("militan*" must find "militants",
    whose stem "milit" it does not match). Only words the stemmer changes: the others are in the
    stemmed fields' own vocabulary already (this halves the field's cost)."""

    def word_values(self, value, analyzer, **kwargs):
        words = set()
        for w in WORD.findall(value):
            term = term_of(w)
            if term and term != (low := w.lower()):
                words.add(low)
        boost = self.field_boost
        return ((w, 1, boost, b"") for w in words)


def _written_field() -> fields.TEXT:
    f = fields.TEXT(analyzer=_Analyzer(), phrase=False)
    f.format = _Written()
    f.scorable = False  # never scored: only its lexicon is read
    return f


def _text_field(boost: float = 1.0) -> fields.TEXT:
    f = fields.TEXT(analyzer=_Analyzer(), field_boost=boost)
    f.format = _Positions(field_boost=boost)
    return f


class _Schema(fields.SchemaClass):
    id = fields.ID(stored=True, unique=True)
    title = _text_field(2.0)  # a word in the title counts double (BM25F field boost)
    body = _text_field()
    source = _text_field()
    author = _text_field()
    written = _written_field()  # title, body, source and author as written: see _Written
    keys = fields.KEYWORD(commas=True, lowercase=True)  # normalized entity keys
    types = fields.KEYWORD(commas=True, lowercase=True)  # entity labels present
    lang = fields.ID()  # ISO 639-1 code of the text, lowercase ("en", "ja"); absent when unknown
    # YYYYMMDDhhmmss (0 when undated): sorting and date ranges both read this column. A NUMERIC
    # field's trie terms cost 5% of indexing and made "date:1987-03 wheat" 4x slower.
    when = fields.COLUMN(columns.NumericColumn("Q", default=0))


SCHEMA = _Schema()
