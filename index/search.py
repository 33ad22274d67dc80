"""Provides SearchIndex: full-text search over the library, the only module that imports Whoosh.

The SQLite store is the source of truth; this index can always be rebuilt from it. Whoosh
(whoosh-reloaded 2.7.5) is unmaintained and fragile, so this module:

* parses queries itself (Whoosh's parser never raises on junk and quietly finds nothing), builds
  Whoosh query objects directly and explains a bad query in one line (``QueryError``);
* takes the write lock itself with a bounded wait (``LibraryBusy``), fsyncs what a commit wrote,
  keeps a checksum manifest of the segment files so a flipped byte is noticed at open, and
  removes the ``_MAIN_N.toc.<timestamp>`` files Whoosh leaves behind;
* opens a fresh searcher whenever the index generation changes (``refresh()`` can return stale
  and duplicated hits);
* never lets a Whoosh exception escape: an unreadable index is emptied and ``rebuilt_reason`` says
  why (the caller re-indexes from SQLite); other failures become ``LibraryError``.

Snippets are made here from the text the caller passes back (``text_of``); bodies are not stored.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import random
import re
import shutil
import struct
import threading
import weakref
import zlib
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any, Self

from whoosh import columns, fields, formats, matching, query, sorting
from whoosh.analysis import STOP_WORDS, Tokenizer
from whoosh.analysis.acore import Token
from whoosh.codec.whoosh3 import W3Codec, W3Segment
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, FileIndex
from whoosh.lang.porter import stem as _porter_stem
from whoosh.util.filelock import try_for
from whoosh.writing import CLEAR, SegmentWriter

from index.errors import LibraryBusy, LibraryError, QueryError, ReaderError
from index.models import ENTITY_LABELS
from index.safe import safe_line, safe_text

__all__ = [
    "MAX_QUERY_CHARS",
    "IndexDoc",
    "RawHit",
    "SearchIndex",
    "analyze",
    "normalize_key",
    "query_help",
]

#: Longer queries are refused ("query too long"): nobody types them, and they cost.
MAX_QUERY_CHARS = 2000
#: At most this many words, phrases and field terms in one query (before alias expansion).
MAX_QUERY_TERMS = 100
#: Parentheses and NOTs nest at most this deep.
MAX_DEPTH = 32
#: Other names one word may bring in, and in all, through ``expand``.
MAX_ALIASES_PER_TERM = 20
MAX_ALIASES = 100
#: A wildcard or fuzzy word may stand for at most this many indexed words per field ("co*" is
#: refused: it would read most of the index and tell the user nothing).
MAX_EXPANSION = 300
#: Up to this many expanded words are scored one by one; more match with one constant score.
_SCORED_EXPANSION = 8

_INDEXNAME = "MAIN"
_MANIFEST = "reader-index.json"
#: Bump when the schema or the analysis changes: an index made by other code is rebuilt.
_SCHEMA_VERSION = 2
_DEFAULT_LOCK_TIMEOUT = 10.0
#: Memory the writer may use for postings before it spills to temporary runs (Reuters needs ~300).
_WRITER_MB = 512

_FIELD_NAMES = ("title", "body", "source", "author", "entity", "type", "date")
_FIELD_ALIASES = {"text": "body", "label": "type"}
_TEXT_FIELDS = frozenset({"title", "body", "source", "author"})
_DEFAULT_FIELDS = ("title", "body")
_LABELS = frozenset(ENTITY_LABELS)


# --- analysis --------------------------------------------------------------------------------
# One fused tokenizer (regex, lowercase, stop words, Porter stem, with a cache) for indexing and
# for queries alike, so the two always agree. It gives the same terms as Whoosh's
# StemmingAnalyzer at about a third of the cost (measured on Reuters-21578).

_WORD = re.compile(r"\w+(?:\.?\w+)*")
_STOP = frozenset(STOP_WORDS)
_MIN_LEN = 2
_MAX_LEN = 60
_stem_cache: dict[str, str] = {}


def _norm(word: str) -> str:
    """The index term for one token, or "" for a stop word, a single letter or junk."""
    term = _stem_cache.get(word)
    if term is None:
        low = word.lower()
        if len(low) < _MIN_LEN or len(low) > _MAX_LEN or low in _STOP:
            term = ""
        else:
            term = _porter_stem(low)
        if len(_stem_cache) > 200_000:
            _stem_cache.clear()
        _stem_cache[word] = term
    return term


def analyze(text: str) -> list[str]:
    """The index terms of ``text``, in order (what a word or phrase is searched as)."""
    out = []
    for m in _WORD.finditer(text):
        term = _norm(m.group())
        if term:
            out.append(term)
    return out


def normalize_key(key: str) -> str:
    """An entity key as the index keeps it: one line, case-folded, single spaces, no commas."""
    return " ".join(safe_text(key).casefold().replace(",", " ").split())


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
        for m in _WORD.finditer(value):
            term = _norm(m.group())
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
        for m in _WORD.finditer(value):
            term = _norm(m.group())
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
    keys = fields.KEYWORD(commas=True, lowercase=True)  # normalized entity keys
    types = fields.KEYWORD(commas=True, lowercase=True)  # entity labels present
    # YYYYMMDDhhmmss (0 when undated): sorting and date ranges both read this column. A NUMERIC
    # field's trie terms cost 5% of indexing and made "date:1987-03 wheat" 4x slower.
    when = fields.COLUMN(columns.NumericColumn("Q", default=0))


_SCHEMA = _Schema()


# --- the contract's dataclasses ---------------------------------------------------------------


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


@dataclass(frozen=True)
class RawHit:
    """One search hit before the caller adds the article's metadata."""

    id: str
    score: float  # BM25F relevance; 0.0 when sorted by date
    snippet: str  # plain text (no markup): 1-3 fragments of the body joined with " … "
    highlights: tuple[tuple[int, int], ...]  # (start, end) spans of ``snippet`` to mark
    terms: tuple[str, ...]  # words and phrases as they appear in the body, to mark in the article


def query_help() -> str:
    """The query syntax help page (plain text), for the CLI and the help screen."""
    return resources.files("index").joinpath("data/query-help.txt").read_text(encoding="utf-8")


def _default_entity_keys(name: str) -> list[str] | None:
    return [normalize_key(name)]


def _no_text(doc_id: str) -> str:
    return ""


# --- dates ---------------------------------------------------------------------------------------

_ISO = re.compile(
    r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?)?)?"
)


def _date_key(value: str | None) -> int | None:
    """YYYYMMDDhhmmss of an ISO date or datetime (its wall clock); None if missing or unreadable."""
    if not value:
        return None
    m = _ISO.match(value)
    if not m:
        return None
    try:  # "2014-07" counts as the first of July
        year, month, day, hour, minute, second = (int(g) if g else 0 for g in m.groups())
        when = _dt.datetime(year, month or 1, day or 1, hour, minute, second)
    except ValueError:
        return None
    day = when.year * 10000 + when.month * 100 + when.day
    return day * 1_000_000 + when.hour * 10000 + when.minute * 100 + when.second


def _period(text: str) -> tuple[_dt.date, _dt.date] | None:
    """First and last day of ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    m = re.fullmatch(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?", text)
    if not m:
        return None
    year = int(m.group(1))
    try:
        if m.group(3):
            day = _dt.date(year, int(m.group(2)), int(m.group(3)))
            return day, day
        if m.group(2):
            month = int(m.group(2))
            first = _dt.date(year, month, 1)
            nxt = _dt.date(year + 1, 1, 1) if month == 12 else _dt.date(year, month + 1, 1)
            return first, nxt - _dt.timedelta(days=1)
        if year < 1:
            return None
        return _dt.date(year, 1, 1), _dt.date(year, 12, 31)
    except (ValueError, OverflowError):
        return None


def _day(d: _dt.date) -> int:
    return d.year * 10000 + d.month * 100 + d.day


def _shift(d: _dt.date, days: int) -> _dt.date | None:
    try:
        return d + _dt.timedelta(days=days)
    except OverflowError:
        return None


def _date_range(value: str, shown: str) -> tuple[int | None, int | None]:
    """Parse the value of ``date:`` into an inclusive (first, last) YYYYMMDD range."""

    def bad() -> QueryError:
        return QueryError(
            f"can't read the date in {_quote(shown)}: use date:2014, date:2014-03, "
            "date:2014-03-05, date:>2014-01 or date:[2014-01-01 TO 2014-06-30]"
        )

    def period(text: str) -> tuple[_dt.date, _dt.date]:
        got = _period(text)
        if got is None:
            raise bad()
        return got

    v = value.strip()
    if v[:1] in "[{":
        close = "]" if v[0] == "[" else "}"
        if not v.endswith(close):
            raise bad()
        inner = v[1:-1].strip()
        parts = re.split(r"\s+TO\s+|\s+to\s+", inner)
        if len(parts) != 2:
            raise bad()
        lo_s, hi_s = parts[0].strip(), parts[1].strip()
        lo = hi = None
        if lo_s not in ("", "*"):
            first, last = period(lo_s)
            lo = _day(first) if close == "]" else _day(_shift(last, 1) or last)
        if hi_s not in ("", "*"):
            first, last = period(hi_s)
            hi = _day(last) if close == "]" else _day(_shift(first, -1) or first)
        if lo is None and hi is None:
            raise bad()
        return lo, hi
    for op in (">=", "<=", ">", "<"):
        if v.startswith(op):
            first, last = period(v[len(op):].strip())
            if op == ">=":
                return _day(first), None
            if op == "<=":
                return None, _day(last)
            if op == ">":
                after = _shift(last, 1)
                return (_day(after) if after else 99991231 + 1), None
            before = _shift(first, -1)
            return None, (_day(before) if before else 0)
    first, last = period(v)
    return _day(first), _day(last)


# --- query parsing -------------------------------------------------------------------------------


def _quote(text: str, limit: int = 60) -> str:
    """``text`` fit to be echoed in a one-line message: cleaned, truncated, in quotes."""
    line = safe_line(text)
    if len(line) > limit:
        line = line[: limit - 1] + "…"
    return f"'{line}'"


@dataclass
class _Tok:
    kind: str  # ( ) AND OR NOT - field phrase word wild fuzzy dateval
    value: str = ""
    num: int = 0  # phrase slop or fuzzy distance


_OPERATORS = {"AND", "OR", "NOT", "&&", "||"}
_FUZZY = re.compile(r"(.+?)~(\d?)")
_FIELD_PREFIX = re.compile(r"([A-Za-z_]+):")


def _lex(q: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(q)
    while i < n:
        c = q[i]
        if c.isspace():
            i += 1
            continue
        if c in "()":
            toks.append(_Tok(c))
            i += 1
            continue
        if c == '"':
            j = q.find('"', i + 1)
            if j < 0:
                raise QueryError(f"unclosed quote in {_quote(q)}: add the closing \"")
            text = q[i + 1 : j]
            i = j + 1
            slop = 0
            m = re.match(r"~(\d{1,2})", q[i:])
            if m:
                slop = int(m.group(1))
                i += m.end()
            toks.append(_Tok("phrase", text, slop))
            continue
        at_start = i == 0 or q[i - 1].isspace() or q[i - 1] == "("
        if c in "-+!" and at_start and i + 1 < n and not q[i + 1].isspace():
            if c != "+":
                toks.append(_Tok("-"))
            i += 1
            continue
        m = _FIELD_PREFIX.match(q, i)
        if m:
            raw = m.group(1)
            name = _FIELD_ALIASES.get(raw.lower(), raw.lower())
            after = m.end()
            attached = after < n and not q[after].isspace() and q[after] != ")"
            if name in _FIELD_NAMES:
                if not attached:
                    raise QueryError(f"nothing after '{raw}:' in {_quote(q)}")
                toks.append(_Tok("field", name))
                i = after
                if name == "date":
                    i = _lex_date(q, i, toks)
                continue
            if attached:
                raise QueryError(
                    f"unknown field '{safe_line(raw)[:20]}:' in {_quote(q)} "
                    f"(fields: {', '.join(_FIELD_NAMES)})"
                )
        j = i
        while j < n and not q[j].isspace() and q[j] not in '()"':
            j += 1
        bare = q[i:j]
        i = j
        if bare in _OPERATORS:
            toks.append(_Tok({"&&": "AND", "||": "OR"}.get(bare, bare)))
            continue
        fm = _FUZZY.fullmatch(bare)
        if fm:
            toks.append(_Tok("fuzzy", fm.group(1), int(fm.group(2) or 1)))
        elif "*" in bare or re.search(r"\w\?+\w", bare):
            toks.append(_Tok("wild", bare))
        else:
            toks.append(_Tok("word", bare))
    return toks


def _lex_date(q: str, i: int, toks: list[_Tok]) -> int:
    n = len(q)
    if q[i] in "[{":
        close = "]" if q[i] == "[" else "}"
        j = q.find(close, i)
        if j < 0:
            raise QueryError(f"unclosed date range in {_quote(q)}: add the closing {close}")
        toks.append(_Tok("dateval", q[i : j + 1]))
        return j + 1
    j = i
    while j < n and not q[j].isspace() and q[j] != ")":
        j += 1
    toks.append(_Tok("dateval", q[i:j]))
    return j


# AST: ("text", kind, value, field|None, num) ("entity", name) ("type", label) ("date", lo, hi)
#      ("and", [nodes]) ("or", [nodes]) ("not", node) ("empty",)
_Node = tuple


class _Parser:
    """Recursive descent: OR binds loosest, then AND (also implied by juxtaposition), then NOT."""

    def __init__(self, toks: list[_Tok], q: str) -> None:
        self.toks = toks
        self.q = q
        self.i = 0
        self.depth = 0
        self.leaves = 0
        self.field: str | None = None

    def peek(self) -> str | None:
        return self.toks[self.i].kind if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        if self.i >= len(self.toks):  # "merkel(", "paris AND (": the query stops too soon
            raise QueryError(f"unbalanced parentheses in {_quote(self.q)}: a '(' has no ')'")
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> _Node:
        node = self.or_expr()
        if self.i < len(self.toks):  # only a stray ")" stops or_expr early
            raise QueryError(f"unbalanced parentheses in {_quote(self.q)}: a ')' has no '('")
        return node

    def _need_operand(self, op: str) -> None:
        if self.peek() in (None, ")", "OR", "AND"):
            raise QueryError(f"nothing after '{op}' in {_quote(self.q)}")

    def or_expr(self) -> _Node:
        parts = [self.and_expr()]
        while self.peek() == "OR":
            self.take()
            self._need_operand("OR")
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else ("or", parts)

    def and_expr(self) -> _Node:
        parts = [self.unary()]
        while self.peek() not in (None, ")", "OR"):
            if self.peek() == "AND":
                self.take()
                self._need_operand("AND")
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else ("and", parts)

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryError(f"too many nested parentheses or NOTs in {_quote(self.q)}")

    def unary(self) -> _Node:
        kind = self.peek()
        if kind in ("NOT", "-"):
            self.take()
            self._need_operand("NOT" if kind == "NOT" else "-")
            self._enter()
            node = ("not", self.unary())
            self.depth -= 1
            return node
        if kind in ("AND", "OR"):
            raise QueryError(f"nothing before '{kind}' in {_quote(self.q)}")
        if kind == ")":
            raise QueryError(f"unbalanced parentheses in {_quote(self.q)}: a ')' has no '('")
        return self.atom()

    def group(self) -> _Node:
        self._enter()
        if self.peek() == ")":
            self.take()
            node: _Node = ("empty",)
        else:
            node = self.or_expr()
            if self.peek() != ")":
                raise QueryError(f"unbalanced parentheses in {_quote(self.q)}: a '(' has no ')'")
            self.take()
        self.depth -= 1
        return node

    def _leaf(self, node: _Node) -> _Node:
        self.leaves += 1
        if self.leaves > MAX_QUERY_TERMS:
            raise QueryError(f"too many terms in the query (the limit is {MAX_QUERY_TERMS})")
        return node

    def atom(self) -> _Node:
        tok = self.take()
        if tok.kind == "(":
            return self.group()
        if tok.kind == "field":
            return self.fielded(tok.value)
        if tok.kind == "dateval":  # only reachable after date:, handled in fielded
            raise QueryError(f"can't read the date in {_quote(self.q)}")
        return self._leaf(("text", tok.kind, tok.value, self.field, tok.num))

    def fielded(self, name: str) -> _Node:
        if self.field is not None and name != self.field:
            raise QueryError(f"'{name}:' inside '{self.field}:(...)' in {_quote(self.q)}")
        nxt = self.take() if self.i < len(self.toks) else None
        if nxt is None or nxt.kind in (")", "AND", "OR", "NOT", "-", "field"):
            raise QueryError(f"nothing after '{name}:' in {_quote(self.q)}")
        if name == "date":
            lo, hi = _date_range(nxt.value, nxt.value)
            return self._leaf(("date", lo, hi))
        if name in _TEXT_FIELDS:
            if nxt.kind == "(":
                outer, self.field = self.field, name
                try:
                    return self.group()
                finally:
                    self.field = outer
            return self._leaf(("text", nxt.kind, nxt.value, name, nxt.num))
        if nxt.kind not in ("word", "phrase"):
            example = 'entity:"Wang Yi"' if name == "entity" else "type:PERSON"
            raise QueryError(f"'{name}:' takes one name, like {example}")
        if name == "entity":
            return self._leaf(("entity", nxt.value))
        label = nxt.value.strip().upper()
        if label not in _LABELS:
            raise QueryError(
                f"unknown entity type {_quote(nxt.value, 30)} "
                f"(use one of {', '.join(ENTITY_LABELS)})"
            )
        return self._leaf(("type", label))


# --- query compilation ---------------------------------------------------------------------------

_NOTHING = query.Term("id", "\x00")  # matches no document (ids are never NUL)


@dataclass
class _Marks:
    """What to mark in a body: index terms, term sequences, and wildcard patterns over terms."""

    words: set[str] = field(default_factory=set)
    phrases: set[tuple[str, ...]] = field(default_factory=set)
    patterns: list[re.Pattern[str]] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)  # lowercase prefixes of marked tokens
    scan_all: bool = False  # a pattern with no literal prefix: every token is a candidate

    def add_terms(self, terms: list[str]) -> None:
        if not terms:
            return
        if len(terms) == 1:
            self.words.add(terms[0])
        else:
            self.phrases.add(tuple(terms))
        self.anchors.add(_anchor(terms[0]))

    def empty(self) -> bool:
        return not (self.words or self.phrases or self.patterns)


def _contains(longer: tuple[str, ...], part: tuple[str, ...]) -> bool:
    """Whether ``part`` occurs in ``longer`` as a run of consecutive terms."""
    n = len(part)
    return any(longer[i : i + n] == part for i in range(len(longer) - n + 1))


def _anchor(term: str) -> str:
    # A Porter stem is the word with its ending cut or changed (y -> i): all but its last letter
    # is a prefix of every word that stems to it.
    return term[:-1] if len(term) >= 3 else term


class _Compiler:
    def __init__(
        self,
        reader: Any,  # a whoosh IndexReader
        entity_keys: Callable[[str], list[str] | None],
        expand: Callable[[str], list[str]] | None,
        q: str,
    ) -> None:
        self.reader = reader
        self.entity_keys = entity_keys
        self.expand = expand
        self.q = q
        self.marks = _Marks()
        self.also: list[str] = []
        self._also_seen: set[str] = set()

    def compile(self, node: _Node, negated: bool = False) -> query.Query | None:
        kind = node[0]
        if kind == "empty":
            return None
        if kind == "and":
            parts = [p for p in (self.compile(c, negated) for c in node[1]) if p is not None]
            if not parts:
                return None
            if all(isinstance(p, query.Not) for p in parts):
                parts.insert(0, query.Every())
            return parts[0] if len(parts) == 1 else query.And(parts)
        if kind == "or":
            parts = [p for p in (self.compile(c, negated) for c in node[1]) if p is not None]
            if not parts:
                return None
            every = query.Every()
            parts = [query.And([every, p]) if isinstance(p, query.Not) else p for p in parts]
            return parts[0] if len(parts) == 1 else query.Or(parts)
        if kind == "not":
            inner = self.compile(node[1], not negated)
            return None if inner is None else query.Not(inner)
        if kind == "text":
            return self.text(node[1], node[2], node[3], node[4], negated)
        if kind == "entity":
            return self.entity(node[1], negated)
        if kind == "type":
            return query.Term("types", node[1].lower())
        if kind == "date":
            return _DateIn(node[1], node[2])
        raise AssertionError(kind)  # pragma: no cover

    @staticmethod
    def _terms_query(fieldnames: tuple[str, ...], terms: list[str], slop: int = 1) -> query.Query:
        if len(terms) == 1:
            qs: list[query.Query] = [query.Term(f, terms[0]) for f in fieldnames]
        else:
            qs = [query.Phrase(f, list(terms), slop=max(1, slop)) for f in fieldnames]
        return qs[0] if len(qs) == 1 else query.Or(qs)

    def text(
        self, kind: str, value: str, fieldname: str | None, num: int, negated: bool
    ) -> query.Query | None:
        fieldnames = (fieldname,) if fieldname else _DEFAULT_FIELDS
        marks = None if negated or "body" not in fieldnames else self.marks
        if kind == "wild":
            return self.wildcard(value, fieldnames, marks)
        if kind == "fuzzy":
            return self.fuzzy(value, num, fieldnames, marks)
        terms = analyze(value)
        if not terms:
            return None
        variants = [terms]
        if self.expand is not None and fieldname in (None, "title", "body"):
            variants += self.aliases(value, terms)
        clauses = []
        for v in variants:
            clauses.append(self._terms_query(fieldnames, v, num if kind == "phrase" else 1))
            if marks is not None:
                if num > 1 and len(v) > 1:  # a proximity search: mark the words one by one
                    for t in v:
                        marks.add_terms([t])
                else:
                    marks.add_terms(v)
        return clauses[0] if len(clauses) == 1 else query.Or(clauses)

    def aliases(self, value: str, terms: list[str]) -> list[list[str]]:
        assert self.expand is not None
        names = self.expand(value) or []
        seen = {tuple(terms)}
        out = []
        for name in list(names)[:MAX_ALIASES_PER_TERM]:
            if len(self._also_seen) >= MAX_ALIASES:
                break
            if not isinstance(name, str):
                continue
            alias_terms = analyze(name)
            key = tuple(alias_terms)
            if not alias_terms or key in seen or _contains(key, tuple(terms)):
                continue  # finds nothing the words typed do not already find ("Xi Jinping")
            seen.add(key)
            out.append(alias_terms)
            shown = safe_line(name)
            if shown.casefold() not in self._also_seen:
                self._also_seen.add(shown.casefold())
                self.also.append(shown)
        return out

    @staticmethod
    def _too_many(shown: str) -> QueryError:
        return QueryError(
            f"{_quote(shown, 30)} matches too many different words "
            f"(over {MAX_EXPANSION}); add letters to narrow it"
        )

    def _expanded(self, words: Callable[[], Iterable[str | bytes]], shown: str) -> set[str]:
        """The indexed words ``words()`` yields; a damaged lexicon is a LibraryError."""
        out: set[str] = set()
        try:
            for w in words():
                out.add(w.decode("utf-8") if isinstance(w, bytes) else w)
                if len(out) > MAX_EXPANSION:
                    raise self._too_many(shown)
        except ReaderError:
            raise
        except Exception as e:  # noqa: BLE001 - a damaged lexicon
            raise LibraryError(
                f"the search index could not be read while searching ({type(e).__name__}); "
                "run 'reader check --repair' to rebuild it"
            ) from None
        return out

    @staticmethod
    def _any_of(fieldname: str, words: list[str]) -> query.Query | None:
        if not words:
            return None
        if len(words) <= _SCORED_EXPANSION:
            qs = [query.Term(fieldname, w) for w in words]
            return qs[0] if len(qs) == 1 else query.Or(qs)
        return _AnyTerm(fieldname, tuple(words))

    def _join(self, clauses: list[query.Query | None]) -> query.Query:
        found = [c for c in clauses if c is not None]
        if not found:
            return _NOTHING  # a real query that matches nothing: not "no searchable terms"
        return found[0] if len(found) == 1 else query.Or(found)

    def wildcard(
        self, value: str, fieldnames: tuple[str, ...], marks: _Marks | None
    ) -> query.Query | None:
        pattern = value.lower().strip(".,;:!")
        letters = "".join(_WORD.findall(re.sub(r"[*?]", "", pattern)))
        if len(letters) < 2:
            return None  # "*", "a*": nothing to search on
        head = re.split(r"[*?]", pattern, maxsplit=1)[0]
        regexes = [re.compile(_wild_regex(pattern))]
        heads = [head]
        if re.fullmatch(r"[^*?]+\*", pattern):
            stemmed = _porter_stem(head)
            if stemmed != head and len(stemmed) >= 2:
                # "terrorism*" must also find the indexed stem "terror"
                regexes.append(re.compile(re.escape(stemmed) + ".*"))
                heads.append(stemmed)
        clauses = []
        for f in fieldnames:
            words: set[str] = set()
            for h, rx in zip(heads, regexes, strict=True):
                words |= self._expanded(partial(_matching, self.reader, f, h, rx), value)
            if len(words) > MAX_EXPANSION:
                raise self._too_many(value)
            clauses.append(self._any_of(f, sorted(words)))
        if marks is not None:
            marks.patterns.extend(regexes)
            if head:
                marks.anchors.update(_anchor(h) for h in heads)
            else:
                marks.scan_all = True
        return self._join(clauses)

    def fuzzy(
        self, value: str, dist: int, fieldnames: tuple[str, ...], marks: _Marks | None
    ) -> query.Query | None:
        words = _WORD.findall(value)
        if len(words) != 1:  # "wang-yi~": not one word; search it as written
            field = fieldnames[0] if len(fieldnames) == 1 else None
            return self.text("word", value, field, 1, marks is None)
        term = _norm(words[0])
        if not term:
            return None
        low = words[0].lower()
        dist = max(1, min(dist, 2))
        if len(low) < 4:
            dist = 0  # fuzzy on a short word finds noise; search it as written
        clauses = []
        for f in fieldnames:
            found: set[str] = set()
            for form in {low, term}:
                if dist:
                    near = partial(self.reader.terms_within, f, form, dist, prefix=1)
                    found |= self._expanded(near, value)
                else:
                    found.add(form)
            # fuzzy words score like plain ones (there are few of them), best match first
            clauses.append(self._any_of(f, sorted(found)))
            if marks is not None and f == "body":
                marks.words.update(found)
                marks.anchors.update(_anchor(w) for w in found)
        return self._join(clauses)

    def entity(self, name: str, negated: bool) -> query.Query:
        keys = self.entity_keys(name)
        if keys is None:
            raise QueryError(f"no entity named {_quote(name, 40)}")
        norm = sorted({normalize_key(k) for k in keys if isinstance(k, str)} - {""})
        if not norm:
            return _NOTHING
        if not negated:  # mark the name and its keys where they are written out in the body
            for text in [name, *norm]:
                self.marks.add_terms(analyze(text))
        qs = [query.Term("keys", k) for k in norm]
        return qs[0] if len(qs) == 1 else query.Or(qs)


def _matching(reader: Any, fieldname: str, head: str, rx: re.Pattern[str]) -> Iterator[str]:
    """Indexed words of a field that start with ``head`` and match ``rx`` entirely."""
    words = reader.expand_prefix(fieldname, head) if head else reader.lexicon(fieldname)
    for w in words:
        text = w.decode("utf-8") if isinstance(w, bytes) else w
        if rx.fullmatch(text):
            yield text


class _AnyTerm(query.Query):
    """Documents holding any of many words in one field, all scored alike.

    Whoosh ORs an expanded wildcard as a tree of scoring matchers: "co*" (881 words) took 20 s
    on Reuters. Reading the posting lists into one sorted list is far cheaper.
    """

    def __init__(self, fieldname: str, words: tuple[str, ...], boost: float = 1.0) -> None:
        self.fieldname = fieldname
        self.words = words
        self.boost = boost

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is type(self)
            and self.fieldname == other.fieldname
            and self.words == other.words
            and self.boost == other.boost
        )

    def __hash__(self) -> int:
        return hash((self.fieldname, self.words, self.boost))

    def __repr__(self) -> str:
        return f"_AnyTerm({self.fieldname!r}, {len(self.words)} words)"

    __str__ = __repr__

    def field(self) -> str:
        return self.fieldname

    def estimate_size(self, ixreader) -> int:
        return sum(ixreader.doc_frequency(self.fieldname, w) for w in self.words)

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        ids: set[int] = set()
        for w in self.words:
            if (self.fieldname, w) in reader:
                ids.update(reader.postings(self.fieldname, w).all_ids())
        if not ids:
            return matching.NullMatcher()
        return matching.ListMatcher(sorted(ids), all_weights=self.boost)


_WHEN: weakref.WeakKeyDictionary[object, list[int]] = weakref.WeakKeyDictionary()
_WHEN_LOCK = threading.Lock()


def _when_values(reader: Any) -> list[int]:
    """The ``when`` column of one segment, read once per segment reader (about 1 ms per 20,000)."""
    with _WHEN_LOCK:
        got = _WHEN.get(reader)
    if got is not None:
        return got
    cr = reader.column_reader("when", translate=False)
    doccount = reader.doc_count_all()
    try:  # one read and one unpack instead of a Python call per document
        count = cr._count
        data = cr._dbfile.get(cr._basepos, count * 8)
        values = list(struct.unpack(f"!{count}Q", data)) + [0] * (doccount - count)
    except Exception:  # noqa: BLE001 - another Whoosh layout: the slow, public way
        values = [int(v) for v in cr]
    with _WHEN_LOCK:
        _WHEN[reader] = values
    return values


class _DateIn(query.Query):
    """Documents dated between two days (YYYYMMDD, inclusive; None leaves that end open)."""

    def __init__(self, first: int | None, last: int | None, boost: float = 1.0) -> None:
        self.first = first
        self.last = last
        self.boost = boost

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is type(self)
            and (self.first, self.last, self.boost)
            == (other.first, other.last, other.boost)
        )

    def __hash__(self) -> int:
        return hash((self.first, self.last, self.boost))

    def __repr__(self) -> str:
        return f"_DateIn({self.first}, {self.last})"

    __str__ = __repr__

    def field(self) -> str:
        return "when"

    def estimate_size(self, ixreader) -> int:
        return int(ixreader.doc_count())

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        lo = (self.first or 0) * 1_000_000 or 1  # undated documents (0) never match
        hi = (self.last + 1) * 1_000_000 - 1 if self.last is not None else 2**64
        values = _when_values(reader)
        ids = [i for i, v in enumerate(values) if lo <= v <= hi]
        if reader.has_deletions():
            ids = [i for i in ids if not reader.is_deleted(i)]
        if not ids:
            return matching.NullMatcher()
        return matching.ListMatcher(ids, all_weights=self.boost)


def _wild_regex(pattern: str) -> str:
    out = []
    for ch in pattern:
        out.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
    return "".join(out)


# --- snippets -------------------------------------------------------------------------------------

_FRAGMENT = 120  # marks within this many characters are shown in one window
_CONTEXT = 60  # characters of context before the first mark of a window, at most
_SNIPPET = 300  # characters the windows of one snippet share
_LEAD = 200  # characters shown when nothing in the body matched (a title-only hit)
_MAX_FRAGMENTS = 3
_MAX_TERMS = 40
_SCAN_ALL_LIMIT = 200_000  # a leading-wildcard query marks words in this much text at most
_MAX_CANDIDATES = 20_000  # words looked at in one body (a common word in a 5 MB article)
_PHRASE_WALK = 40  # tokens looked at after a phrase's first word (stop words included)
_SPACE = re.compile(r"\s+")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _is_token_start(text: str, p: int) -> bool:
    if p == 0:
        return True
    prev = text[p - 1]
    if prev.isalnum() or prev == "_":
        return False
    # inside "U.S." or "3.5"
    return not (prev == "." and p >= 2 and (text[p - 2].isalnum() or text[p - 2] == "_"))


class _Highlighter:
    """Finds the marked words and phrases of a body and cuts a snippet around the best of them."""

    def __init__(self, marks: _Marks) -> None:
        self.marks = marks
        self.phrase_heads: dict[str, list[tuple[str, ...]]] = {}
        for ph in marks.phrases:
            self.phrase_heads.setdefault(ph[0], []).append(ph)
        self.anchors = sorted({a.lower() for a in marks.anchors if a})

    def _starts(self, text: str) -> list[int] | None:
        """Where tokens that may be marked begin (None: look at every token).

        ``str.find`` on the lowercased text, one anchor at a time, is C speed; a regex of all
        anchors with a look-behind took 280 ms on a 5 MB article.
        """
        if self.marks.scan_all or not self.anchors:
            return None
        low = text.lower()
        if len(low) != len(text):  # a few characters lowercase to two: offsets would shift
            return None
        found: set[int] = set()
        each = _MAX_CANDIDATES // len(self.anchors)
        for anchor in self.anchors:
            seen = 0
            i = low.find(anchor)
            while i >= 0 and seen < each:
                if _is_token_start(text, i):
                    found.add(i)
                    seen += 1
                i = low.find(anchor, i + 1)
        return sorted(found)

    def _term_matches(self, term: str, token: str) -> bool:
        if term in self.marks.words:
            return True
        low = token.lower()
        return any(p.fullmatch(term) or p.fullmatch(low) for p in self.marks.patterns)

    def _phrase_end(self, text: str, start: int, phrase: tuple[str, ...]) -> int:
        want = 1
        walked = 0
        for m in _WORD.finditer(text, start):
            walked += 1
            if walked > _PHRASE_WALK:
                return -1
            term = _norm(m.group())
            if not term:
                continue
            if term != phrase[want]:
                return -1
            want += 1
            if want == len(phrase):
                return m.end()
        return -1

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, what matched) of the spans of ``text`` to mark, in order, not overlapping."""
        if self.marks.empty():
            return []
        spans: list[tuple[int, int, str]] = []
        tokens: Iterable[re.Match[str] | None]
        starts = self._starts(text)
        if starts is not None:
            tokens = (_WORD.match(text, p) for p in starts)
        else:
            tokens = _WORD.finditer(text, 0, min(len(text), _SCAN_ALL_LIMIT))
        for m in tokens:
            if m is None:
                continue
            term = _norm(m.group())
            if not term:
                continue
            best, which = -1, ""
            for ph in self.phrase_heads.get(term, ()):
                end = self._phrase_end(text, m.end(), ph)
                if end > best:
                    best, which = end, " ".join(ph)
            if best > 0:
                spans.append((m.start(), best, which))
            elif self._term_matches(term, m.group()):
                spans.append((m.start(), m.end(), term))
        spans.sort()
        merged: list[tuple[int, int, str]] = []
        for s, e, key in spans:
            if merged and s < merged[-1][1]:
                if e > merged[-1][1]:
                    merged[-1] = (merged[-1][0], e, merged[-1][2])
                continue
            merged.append((s, e, key))
        return merged

    def snippet(self, text: str) -> tuple[str, tuple[tuple[int, int], ...], tuple[str, ...]]:
        spans = self.find(text)
        terms: list[str] = []
        seen: set[str] = set()
        for s, e, _ in spans:
            surface = _clean(text[s:e]).strip()
            key = surface.casefold()
            if key not in seen:
                seen.add(key)
                terms.append(surface)
                if len(terms) >= _MAX_TERMS:
                    break
        if not spans:
            return _lead(text), (), ()
        frags = _fragments(text, spans)
        out = ""
        marks: list[tuple[int, int]] = []
        for a, b, inside in frags:
            if out:
                out += " … "
            pos = a
            for s, e in inside:
                out += _clean(text[pos:s])
                start = len(out)
                out += _clean(text[s:e])
                if len(out) > start:
                    marks.append((start, len(out)))
                pos = e
            out += _clean(text[pos:b])
        return out, tuple(marks), tuple(terms)


def _clean(piece: str) -> str:
    """A piece of a snippet: no control or escape characters, whitespace as single spaces.

    Each piece is cleaned on its own, so the marks' offsets are those of the cleaned snippet.
    """
    return _SPACE.sub(" ", safe_text(piece))


def _lead(text: str) -> str:
    head = text[: _LEAD + 40]
    if len(head) > _LEAD:
        cut = head.rfind(" ", 0, _LEAD)
        head = head[: cut if cut > _LEAD // 2 else _LEAD]
    return safe_line(head)


def _fragments(
    text: str, spans: list[tuple[int, int, str]]
) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """Up to three (start, end, marks inside) windows of the text, in text order, not overlapping.

    Marks close together form a group; groups are taken best first (most words of the query not
    yet shown, then most marks), a later one only if it shows a word the others do not; the
    windows share about ``_SNIPPET`` characters.
    """
    groups: list[tuple[int, int, set[str], int]] = []  # first, last, what matched, marks
    for s, e, key in spans:
        if groups and e - groups[-1][0] <= _FRAGMENT:
            first, _, keys, n = groups[-1]
            keys.add(key)
            groups[-1] = (first, e, keys, n + 1)
        else:
            groups.append((s, e, {key}, 1))

    chosen: list[tuple[int, int, set[str], int]] = []
    shown: set[str] = set()
    left = list(groups)
    while left and len(chosen) < _MAX_FRAGMENTS:
        best = max(left, key=lambda g: (len(g[2] - shown), g[3], -g[0]))
        if chosen and not best[2] - shown:
            break
        chosen.append(best)
        shown |= best[2]
        left.remove(best)
    chosen.sort(key=lambda g: g[0])

    per = _SNIPPET // len(chosen)
    windows: list[tuple[int, int]] = []
    for first, last, _, _ in chosen:
        room = max(per - (last - first), 0)
        a = max(0, first - min(_CONTEXT, room // 3))
        if a > 0:  # start at a sentence if one begins in the context, else at a word
            sentence = max(text.rfind(". ", a, first), text.rfind("\n", a, first))
            if sentence >= 0:
                a = sentence + 1
            else:
                space = text.find(" ", a, first)
                a = space + 1 if space >= 0 else first
        while a < first and text[a].isspace():
            a += 1
        b = min(len(text), max(last, a + per))
        if b < len(text):  # end at a word
            space = text.rfind(" ", last, b)
            b = max(space, last)
        while b > last and text[b - 1].isspace():
            b -= 1
        if windows and a <= windows[-1][1] + 1:  # touches the previous window: one window
            windows[-1] = (windows[-1][0], max(windows[-1][1], b))
        else:
            windows.append((a, b))
    # Mark everything a window shows, also matches of groups that were not chosen.
    starts = [s for s, _, _ in spans]
    return [
        (a, b, [(s, e) for s, e, _ in spans[bisect_left(starts, a) : bisect_left(starts, b)]
                if e <= b])
        for a, b in windows
    ]


# --- the index -----------------------------------------------------------------------------------

_TOC_RE = re.compile(rf"^_{_INDEXNAME}_(\d+)\.toc$")
_TOC_TEMP_RE = re.compile(rf"^_{_INDEXNAME}_(\d+)\.toc\..+$")
_SEGMENT_RE = re.compile(rf"^({_INDEXNAME}_[0-9a-z]+)\.[A-Za-z0-9_.]+$")
_WRITER_TEMP = f"{_INDEXNAME}.tmp"
_LOCK_FILE = f"{_INDEXNAME}_WRITELOCK"


_ID_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz"
_system_random = random.SystemRandom()


class _Codec(W3Codec):
    """Whoosh's codec, naming new segments from the OS's randomness.

    Whoosh names segments with the global ``random`` module: after a caller's ``random.seed(0)``
    two commits chose the same name and the second failed. Pickles as a plain W3Codec.
    """

    def new_segment(self, storage: Any, indexname: str) -> W3Segment:
        segid = "".join(_system_random.choice(_ID_CHARS) for _ in range(16))
        return W3Segment(self, indexname, segid=segid)

    def __reduce__(self) -> tuple[Any, ...]:
        return (W3Codec, (self._blocklimit, self._compression, self._inlinelimit))


class _Writer(SegmentWriter):
    """SegmentWriter whose commit reads each document's field lengths once, not per posting.

    Whoosh 2.7.5 looks a document's length up in the on-disk column for every posting it writes
    (a third of commit time on Reuters); this caches the lengths in memory for the flush.
    """

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        postings = self.pool.iter_postings()
        self.fieldwriter.add_postings(self.schema, _Lengths(pdr) if pdr else None, postings)
        self.fieldwriter.close()
        if pdr:
            pdr.close()


class _Lengths:
    def __init__(self, pdr: Any) -> None:
        self._pdr = pdr
        self._cache: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self._cache.get(fieldname)
        if lengths is None:
            get = self._pdr.doc_field_length
            count = self._pdr.doc_count_all()
            lengths = self._cache[fieldname] = [get(i, fieldname) or 0 for i in range(count)]
        return lengths[docnum] if docnum < len(lengths) else default


def _file_sum(path: str) -> list[int]:
    crc = 0
    size = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
    return [size, crc]


def _fsync(path: str) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class SearchIndex:
    """The Whoosh index in one folder. Thread-safe: calls are serialised by a lock.

    Opening never fails on a damaged index: it is emptied, ``rebuilt_reason`` says why in one
    sentence, and the caller re-indexes from the store. Call ``leftovers(remove=True)`` at start
    to clear what a killed writer left behind.
    """

    def __init__(self, folder: Path, *, lock_timeout: float = _DEFAULT_LOCK_TIMEOUT) -> None:
        self.folder = Path(folder)
        self.lock_timeout = lock_timeout
        self.rebuilt_reason: str | None = None
        self._lock = threading.RLock()
        self._searcher: Any = None
        self._searcher_gen = -2
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise LibraryError(
                f"cannot create the search index folder: {e.strerror or e}"
            ) from None
        self._storage = FileStorage(str(self.folder))
        self._ix = self._open()

    # --- opening and checking ---------------------------------------------------------------

    def _open(self) -> FileIndex:
        gen = self._latest_gen()
        if gen >= 0 and self._problem(gen) is None:
            return FileIndex(self._storage, schema=_SCHEMA, indexname=_INDEXNAME)
        # New, or damaged. Look again holding the write lock before creating or emptying
        # anything: another process may be creating the index, or replacing files under us.
        with self._write_lock():
            gen = self._latest_gen()
            if gen < 0:
                segments = any(_SEGMENT_RE.match(n) for n in self._listdir())
                problem = "its table of contents is missing" if segments else None
            else:
                problem = self._problem(gen)
                if problem is None:
                    return FileIndex(self._storage, schema=_SCHEMA, indexname=_INDEXNAME)
            return self._reset(problem)

    def _listdir(self) -> list[str]:
        try:
            return os.listdir(self.folder)
        except OSError:
            return []

    def _latest_gen(self) -> int:
        gens = [int(m.group(1)) for n in self._listdir() if (m := _TOC_RE.match(n))]
        return max(gens, default=-1)

    def _read_manifest(self) -> dict[str, object] | None:
        try:
            with open(self.folder / _MANIFEST, encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _problem(self, gen: int) -> str | None:
        """Why the index at generation ``gen`` can't be used, or None when it looks sound."""
        tocname = f"_{_INDEXNAME}_{gen}.toc"
        try:
            if os.path.getsize(self.folder / tocname) == 0:
                return f"its newest table of contents ({tocname}) is empty"
        except OSError:
            return f"its newest table of contents ({tocname}) is missing"
        try:
            toc = TOC.read(self._storage, _INDEXNAME, gen, schema=_SCHEMA)
        except Exception as e:  # noqa: BLE001 - Whoosh raises anything on a bad TOC
            return f"its table of contents ({tocname}) is unreadable: {type(e).__name__}"
        manifest = self._read_manifest()
        listed: dict[str, object] = {}
        if manifest is not None:
            if manifest.get("schema") != _SCHEMA_VERSION:
                return "it was written by another version of reader"
            got = manifest.get("files")
            listed = got if isinstance(got, dict) else {}
        names = self._listdir()
        unverified = False
        for seg in toc.segments:
            segid = seg.segment_id()
            present = [n for n in names if (m := _SEGMENT_RE.match(n)) and m.group(1) == segid]
            expected = [n for n in listed if n.startswith(segid + ".")]
            missing = sorted(set(expected) - set(present))
            if not present or missing:
                return f"segment {(missing or [segid])[0]} is missing"
            for name in present:
                want = listed.get(name)
                if want is None:
                    unverified = True
                    continue
                try:
                    have = _file_sum(str(self.folder / name))
                except OSError as e:
                    return f"segment file {name} cannot be read ({e.strerror or e})"
                if have != want:
                    return f"segment file {name} is damaged (its checksum changed)"
        try:
            ix = FileIndex(self._storage, schema=_SCHEMA, indexname=_INDEXNAME)
            reader = ix.reader()
            try:
                reader.doc_count()
                if unverified:  # no checksum to go by: read every stored id and the lexicon
                    for _ in reader.all_stored_fields():
                        pass
                    for fieldname in ("title", "body"):
                        for _ in reader.lexicon(fieldname):
                            pass
            finally:
                reader.close()
        except Exception as e:  # noqa: BLE001
            return f"it cannot be read ({type(e).__name__})"
        return None

    def _reset(self, problem: str | None) -> FileIndex:
        """Empty the folder of index files and start a new, empty index (write lock held)."""
        if problem is not None:
            self.rebuilt_reason = (
                f"The search index could not be used ({problem}); it was emptied and must be "
                "rebuilt from the library."
            )
        try:
            for name in self._listdir():
                path = self.folder / name
                if (
                    _TOC_RE.match(name)
                    or _TOC_TEMP_RE.match(name)
                    or _SEGMENT_RE.match(name)
                    or name.startswith(_MANIFEST)
                ):
                    path.unlink()
                elif name == _WRITER_TEMP and path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
            ix = FileIndex.create(self._storage, _SCHEMA, _INDEXNAME)
            self._sync_new(set())
        except OSError as e:
            raise LibraryError(
                f"cannot write the search index in {safe_line(str(self.folder))}: "
                f"{e.strerror or e}"
            ) from None
        return ix

    # --- locking, manifest, durability -----------------------------------------------------------

    @contextlib.contextmanager
    def _write_lock(self) -> Iterator[None]:
        lock = self._storage.lock(_LOCK_FILE)
        try:
            got = try_for(lock.acquire, timeout=self.lock_timeout, delay=0.05)
        except OSError as e:
            raise LibraryError(
                f"cannot lock the search index for writing: {e.strerror or e}"
            ) from None
        if not got:
            raise LibraryBusy(
                f"another process has been updating the search index for over "
                f"{self.lock_timeout:g} s; try again when it has finished"
            )
        try:
            yield
        finally:
            with contextlib.suppress(Exception):
                lock.release()

    def _current_segment_ids(self) -> set[str] | None:
        gen = self._latest_gen()
        if gen < 0:
            return set()
        try:
            toc = TOC.read(self._storage, _INDEXNAME, gen, schema=_SCHEMA)
        except Exception:  # noqa: BLE001
            return None
        return {s.segment_id() for s in toc.segments}

    def _write_manifest(self, files: dict[str, list[int]]) -> None:
        data = {"schema": _SCHEMA_VERSION, "files": files}
        tmp = self.folder / (_MANIFEST + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(data, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.folder / _MANIFEST)

    def _sync_new(self, old: set[str]) -> None:
        """After a commit: fsync the new files, record their checksums, drop leftovers."""
        self._remove_strays()
        segids = self._current_segment_ids() or set()
        manifest = self._read_manifest() or {}
        listed = manifest.get("files") if manifest.get("schema") == _SCHEMA_VERSION else None
        before: dict[str, list[int]] = listed if isinstance(listed, dict) else {}
        files: dict[str, list[int]] = {}
        for name in self._listdir():
            m = _SEGMENT_RE.match(name)
            if not m or m.group(1) not in segids:
                continue
            if name in before and name in old:
                files[name] = before[name]
            else:
                path = str(self.folder / name)
                _fsync(path)
                files[name] = _file_sum(path)
        gen = self._latest_gen()
        if gen >= 0:
            _fsync(str(self.folder / f"_{_INDEXNAME}_{gen}.toc"))
        self._write_manifest(files)
        _fsync(str(self.folder))

    def _strays(self) -> list[str]:
        segids = self._current_segment_ids()
        gen = self._latest_gen()
        out = []
        for name in self._listdir():
            if _TOC_TEMP_RE.match(name) or name == _MANIFEST + ".tmp":
                out.append(name)
            elif m := _TOC_RE.match(name):
                if int(m.group(1)) != gen:
                    out.append(name)
            elif (m := _SEGMENT_RE.match(name)) and segids is not None:
                if m.group(1) not in segids:
                    out.append(name)
            elif name == _WRITER_TEMP:
                out.append(name)
        return sorted(out)

    def _remove_strays(self) -> int:
        removed = 0
        for name in self._strays():
            path = self.folder / name
            try:
                if path.is_dir():
                    shutil.rmtree(path)
                else:
                    path.unlink()
                removed += 1
            except OSError:
                pass
        return removed

    # --- searcher --------------------------------------------------------------------------------

    def _ensure(self) -> int:
        """The newest generation; an index deleted under us is recreated empty and said so."""
        gen = self._latest_gen()
        if gen < 0:
            self._drop_searcher()
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise LibraryError(f"the search index folder is gone: {e.strerror or e}") from None
            self._ix = self._open()
            self.rebuilt_reason = self.rebuilt_reason or (
                "The search index disappeared; it was recreated empty and must be rebuilt from "
                "the library."
            )
            gen = self._latest_gen()
        return gen

    def _get_searcher(self):
        """A searcher on the newest generation: a fresh one whenever any process committed."""
        gen = self._ensure()
        if self._searcher is None or gen != self._searcher_gen:
            self._drop_searcher()
            self._searcher = self._ix.searcher()
            self._searcher_gen = gen
        return self._searcher

    def _drop_searcher(self) -> None:
        if self._searcher is not None:
            with contextlib.suppress(Exception):
                self._searcher.close()
            self._searcher = None
            self._searcher_gen = -2

    @contextlib.contextmanager
    def _reading(self, action: str) -> Iterator[Any]:
        """A current searcher; a Whoosh failure while reading becomes a LibraryError."""
        try:
            yield self._get_searcher()
        except ReaderError:
            raise
        except Exception as e:  # noqa: BLE001
            self._drop_searcher()
            raise LibraryError(
                f"the search index could not be read while {action} ({type(e).__name__}); "
                "run 'reader check --repair' to rebuild it"
            ) from None

    @contextlib.contextmanager
    def _writing(self, action: str) -> Iterator[_Writer]:
        """One writer under our own bounded write lock; commit, fsync, checksum, tidy."""
        self._ensure()
        with self._write_lock():
            old = set(self._listdir())
            try:
                writer = _Writer(self._ix, _lk=False, limitmb=_WRITER_MB, codec=_Codec())
            except Exception as e:  # noqa: BLE001
                raise LibraryError(
                    f"cannot write the search index while {action}: {_describe(e)}"
                ) from None
            try:
                yield writer
            except BaseException as e:
                with contextlib.suppress(Exception):
                    writer.cancel()
                if isinstance(e, ReaderError) or not isinstance(e, Exception):
                    raise
                raise LibraryError(
                    f"cannot write the search index while {action}: {_describe(e)}"
                ) from None
            try:
                writer.commit()
            except Exception as e:  # noqa: BLE001
                with contextlib.suppress(Exception):
                    writer.cancel()
                self._drop_searcher()
                raise LibraryError(
                    f"cannot write the search index while {action}: {_describe(e)}"
                ) from None
            self._drop_searcher()
            try:
                self._sync_new(old)
            except OSError as e:
                raise LibraryError(
                    f"cannot finish writing the search index: {e.strerror or e}"
                ) from None

    # --- the contract ----------------------------------------------------------------------------

    def add(self, docs: Iterable[IndexDoc]) -> int:
        """Index (or re-index) documents by id in one commit; returns how many were written."""
        pending: dict[str, IndexDoc] = {}
        for doc in docs:
            if not isinstance(doc.id, str) or not doc.id or _SURROGATE.search(doc.id):
                raise ValueError(f"an IndexDoc needs a non-empty text id, not {doc.id!r}")
            pending[doc.id] = doc  # the same id twice in one batch: the last one wins
        if not pending:
            return 0
        with self._lock, self._writing("adding articles") as w:
            replace = bool(w.segments)  # an empty index has nothing to replace
            for doc in pending.values():
                if replace:
                    w.delete_by_term("id", doc.id)
                w.add_document(**_fields_of(doc))
        return len(pending)

    def delete(self, ids: Iterable[str]) -> int:
        """Remove documents by id; returns how many were in the index."""
        wanted = {i for i in ids if isinstance(i, str) and i}
        if not wanted:
            return 0
        count = 0
        with self._lock, self._writing("removing articles") as w:
            for doc_id in wanted:
                count += w.delete_by_term("id", doc_id) or 0
        return count

    def clear(self) -> None:
        """Empty the index (before a rebuild)."""
        with self._lock:
            self._ensure()
        with self._lock, self._write_lock():
            self._drop_searcher()
            try:
                writer = _Writer(self._ix, _lk=False, codec=_Codec())
                writer.commit(mergetype=CLEAR)
                self._sync_new(set())
            except ReaderError:
                raise
            except Exception as e:  # noqa: BLE001
                raise LibraryError(f"cannot empty the search index: {_describe(e)}") from None

    def ids(self) -> set[str]:
        """Every indexed document id."""
        with self._lock, self._reading("listing ids") as s:
            return {f["id"] for f in s.all_stored_fields() if "id" in f}

    def count(self) -> int:
        with self._lock, self._reading("counting") as s:
            return int(s.doc_count())

    def leftovers(self, remove: bool = False) -> int:
        """Stray files a killed or crashed writer left in the folder; ``remove`` deletes them."""
        with self._lock:
            if not remove:
                return len(self._strays())
            with self._write_lock():
                return self._remove_strays()

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        sort: str = "relevance",
        entity_keys: Callable[[str], list[str] | None] = _default_entity_keys,
        expand: Callable[[str], list[str]] | None = None,
        text_of: Callable[[str], str] = _no_text,
    ) -> tuple[list[RawHit], int, tuple[str, ...]]:
        """Run a query; returns (hits, total matches, other names also searched).

        Raises QueryError (one line) for a malformed query; never a Whoosh exception.
        """
        if sort not in ("relevance", "date"):
            raise ValueError(f"sort must be 'relevance' or 'date', not {sort!r}")
        if not isinstance(query, str):
            raise QueryError("the query must be text")
        if not any(ch.isalnum() for ch in query):  # "(", "*", 5,000 "(", NUL, ESC, ""
            raise QueryError(f"no searchable terms in {_quote(query[:200])}")
        if len(query) > MAX_QUERY_CHARS:
            raise QueryError(
                f"query too long ({len(query):,} characters; the limit is {MAX_QUERY_CHARS:,})"
            )
        q = safe_line(query)
        if not any(ch.isalnum() for ch in q):  # only an escape sequence's letters: "ESC[2J"
            raise QueryError(f"no searchable terms in {_quote(query)}")
        tree = _Parser(_lex(q), q).parse()
        with self._lock:
            with self._reading("searching") as s:
                reader = s.reader()
            compiler = _Compiler(reader, entity_keys, expand, q)
            compiled = compiler.compile(tree)
            if compiled is None:
                raise QueryError(f"no searchable terms in {_quote(query)}")
            with self._reading("searching") as s:
                kwargs: dict[str, object] = {"limit": max(1, limit)}
                if sort == "date":
                    kwargs["sortedby"] = sorting.FieldFacet("when", reverse=True)
                results = s.search(compiled, **kwargs)
                total = len(results)
                # Sorted by date, Whoosh's "score" is the sort key: report no relevance then.
                found = [
                    (r["id"], float(r.score or 0.0) if sort == "relevance" else 0.0)
                    for r in results[: max(0, limit)]
                ]
        highlighter = _Highlighter(compiler.marks)
        hits = []
        for doc_id, score in found:
            body = text_of(doc_id) or ""  # cleaned piece by piece in the snippet
            if not isinstance(body, str):
                body = str(body)
            snippet, spans, terms = highlighter.snippet(body)
            hits.append(RawHit(doc_id, score, snippet, spans, terms))
        return hits, total, tuple(compiler.also)

    def close(self) -> None:
        with self._lock:
            self._drop_searcher()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _describe(e: BaseException) -> str:
    if isinstance(e, OSError):
        return str(e.strerror or e)
    return type(e).__name__


def _fields_of(doc: IndexDoc) -> dict[str, object]:
    out: dict[str, object] = {
        "id": doc.id,
        "title": safe_text(doc.title or ""),
        "body": safe_text(doc.body or ""),
    }
    if doc.source:
        out["source"] = safe_text(doc.source)
    if doc.author:
        out["author"] = safe_text(doc.author)
    keys = sorted({normalize_key(k) for k in doc.keys if k} - {""})
    if keys:
        out["keys"] = ",".join(keys)
    labels = sorted({safe_line(t).lower() for t in doc.types if t} - {""})
    if labels:
        out["types"] = ",".join(labels)
    when = _date_key(doc.date)
    if when:
        out["when"] = when
    return out
