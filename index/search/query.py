"""Provides the query language: a lexer, a recursive-descent parser and its typed syntax tree.

Whoosh's own parser never raises on junk and quietly finds nothing; this one explains a bad
query in one line (``QueryError``). It needs no Whoosh: ``compile`` turns the tree into Whoosh
query objects, and the limits here keep any typed text cheap to parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.dates import date_range
from index.errors import QueryError
from index.models import ENTITY_LABELS
from index.safe import safe_line

__all__ = [
    "DEFAULT_FIELDS",
    "MAX_DEPTH",
    "MAX_QUERY_CHARS",
    "MAX_QUERY_TERMS",
    "TEXT_FIELDS",
    "And",
    "DateRange",
    "Empty",
    "EntityName",
    "EntityType",
    "Language",
    "Node",
    "Not",
    "Or",
    "Text",
    "parse",
    "quote",
]

#: Longer queries are refused ("query too long"): nobody types them, and they cost.
MAX_QUERY_CHARS = 2000
#: At most this many words, phrases and field terms in one query (before alias expansion).
MAX_QUERY_TERMS = 100
#: Parentheses and NOTs nest at most this deep.
MAX_DEPTH = 32

_FIELD_NAMES = ("title", "body", "source", "author", "entity", "type", "date", "lang")
_FIELD_ALIASES = {"text": "body", "label": "type", "language": "lang"}
TEXT_FIELDS = frozenset({"title", "body", "source", "author"})
DEFAULT_FIELDS = ("title", "body")
_LABELS = frozenset(ENTITY_LABELS)


# --- the syntax tree ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """Words to find: ``kind`` is word, phrase, wild or fuzzy; no ``field`` means title or body."""

    kind: str
    value: str
    field: str | None = None
    num: int = 0  # a phrase's slop or a fuzzy word's distance


@dataclass(frozen=True)
class EntityName:
    """``entity:NAME``: articles mentioning the entity by any of its keys."""

    name: str


@dataclass(frozen=True)
class EntityType:
    """``type:LABEL``: articles mentioning an entity of this type."""

    label: str


@dataclass(frozen=True)
class Language:
    """``lang:CODE``: articles whose text is in this language (an ISO 639 code, "ja")."""

    code: str


@dataclass(frozen=True)
class DateRange:
    """``date:...``: articles dated from ``first`` to ``last`` (YYYYMMDD, None is open)."""

    first: int | None
    last: int | None


@dataclass(frozen=True)
class And:
    """All of the parts."""

    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """Any of the parts."""

    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """Not the part."""

    part: Node


@dataclass(frozen=True)
class Empty:
    """``()``: nothing to search for."""


Node = Text | EntityName | EntityType | Language | DateRange | And | Or | Not | Empty


def quote(text: str, limit: int = 60) -> str:
    """``text`` fit to be echoed in a one-line message: cleaned, truncated, in quotes."""
    line = safe_line(text)
    if len(line) > limit:
        line = line[: limit - 1] + "…"
    return f"'{line}'"


def parse(query: object) -> tuple[str, Node]:
    """The query as searched (one clean line) and its tree; QueryError says what is wrong."""
    if not isinstance(query, str):
        raise QueryError("the query must be text")
    if not any(ch.isalnum() for ch in query):  # "(", "*", 5,000 "(", NUL, ESC, ""
        raise QueryError(f"no searchable terms in {quote(query[:200])}")
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(
            f"query too long ({len(query):,} characters; the limit is {MAX_QUERY_CHARS:,})"
        )
    q = safe_line(query)
    if not any(ch.isalnum() for ch in q):  # only an escape sequence's letters: "ESC[2J"
        raise QueryError(f"no searchable terms in {quote(query)}")
    return q, _Parser(_lex(q), q).parse()


# --- the lexer ---------------------------------------------------------------------------------


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
                raise QueryError(f"unclosed quote in {quote(q)}: add the closing \"")
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
                    raise QueryError(f"nothing after '{raw}:' in {quote(q)}")
                toks.append(_Tok("field", name))
                i = after
                if name == "date":
                    i = _lex_date(q, i, toks)
                continue
            if attached:
                raise QueryError(
                    f"unknown field '{safe_line(raw)[:20]}:' in {quote(q)} "
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
            raise QueryError(f"unclosed date range in {quote(q)}: add the closing {close}")
        toks.append(_Tok("dateval", q[i : j + 1]))
        return j + 1
    j = i
    while j < n and not q[j].isspace() and q[j] != ")":
        j += 1
    toks.append(_Tok("dateval", q[i:j]))
    return j


# --- the parser --------------------------------------------------------------------------------


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
            raise QueryError(f"unbalanced parentheses in {quote(self.q)}: a '(' has no ')'")
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node:
        node = self.or_expr()
        if self.i < len(self.toks):  # only a stray ")" stops or_expr early
            raise QueryError(f"unbalanced parentheses in {quote(self.q)}: a ')' has no '('")
        return node

    def _need_operand(self, op: str) -> None:
        if self.peek() in (None, ")", "OR", "AND"):
            raise QueryError(f"nothing after '{op}' in {quote(self.q)}")

    def or_expr(self) -> Node:
        parts = [self.and_expr()]
        while self.peek() == "OR":
            self.take()
            self._need_operand("OR")
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_expr(self) -> Node:
        parts = [self.unary()]
        while self.peek() not in (None, ")", "OR"):
            if self.peek() == "AND":
                self.take()
                self._need_operand("AND")
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryError(f"too many nested parentheses or NOTs in {quote(self.q)}")

    def unary(self) -> Node:
        kind = self.peek()
        if kind in ("NOT", "-"):
            self.take()
            self._need_operand("NOT" if kind == "NOT" else "-")
            self._enter()
            node = Not(self.unary())
            self.depth -= 1
            return node
        if kind in ("AND", "OR"):
            raise QueryError(f"nothing before '{kind}' in {quote(self.q)}")
        if kind == ")":
            raise QueryError(f"unbalanced parentheses in {quote(self.q)}: a ')' has no '('")
        return self.atom()

    def group(self) -> Node:
        self._enter()
        node: Node
        if self.peek() == ")":
            self.take()
            node = Empty()
        else:
            node = self.or_expr()
            if self.peek() != ")":
                raise QueryError(f"unbalanced parentheses in {quote(self.q)}: a '(' has no ')'")
            self.take()
        self.depth -= 1
        return node

    def _leaf(self, node: Node) -> Node:
        self.leaves += 1
        if self.leaves > MAX_QUERY_TERMS:
            raise QueryError(f"too many terms in the query (the limit is {MAX_QUERY_TERMS})")
        return node

    def atom(self) -> Node:
        tok = self.take()
        if tok.kind == "(":
            return self.group()
        if tok.kind == "field":
            return self.fielded(tok.value)
        if tok.kind == "dateval":  # only reachable after date:, handled in fielded
            raise QueryError(f"can't read the date in {quote(self.q)}")
        return self._leaf(Text(tok.kind, tok.value, self.field, tok.num))

    def fielded(self, name: str) -> Node:
        if self.field is not None and name != self.field:
            raise QueryError(f"'{name}:' inside '{self.field}:(...)' in {quote(self.q)}")
        nxt = self.take() if self.i < len(self.toks) else None
        if nxt is None or nxt.kind in (")", "AND", "OR", "NOT", "-", "field"):
            raise QueryError(f"nothing after '{name}:' in {quote(self.q)}")
        if name == "date":
            got = date_range(nxt.value)
            if got is None:
                raise QueryError(
                    f"can't read the date in {quote(nxt.value)}: use date:2014, date:2014-03, "
                    "date:2014-03-05, date:>2014-01 or date:[2014-01-01 TO 2014-06-30]"
                )
            return self._leaf(DateRange(*got))
        if name in TEXT_FIELDS:
            if nxt.kind == "(":
                outer, self.field = self.field, name
                try:
                    return self.group()
                finally:
                    self.field = outer
            return self._leaf(Text(nxt.kind, nxt.value, name, nxt.num))
        if name == "lang":
            code = nxt.value.strip().lower()
            if nxt.kind != "word" or not re.fullmatch(r"[a-z]{2,3}", code):
                raise QueryError("'lang:' takes a language code, like lang:ja or lang:en")
            return self._leaf(Language(code))
        if nxt.kind not in ("word", "phrase"):
            example = 'entity:"Wang Yi"' if name == "entity" else "type:PERSON"
            raise QueryError(f"'{name}:' takes one name, like {example}")
        if name == "entity":
            return self._leaf(EntityName(nxt.value))
        label = nxt.value.strip().upper()
        if label not in _LABELS:
            raise QueryError(
                f"unknown entity type {quote(nxt.value, 30)} "
                f"(use one of {', '.join(ENTITY_LABELS)})"
            )
        return self._leaf(EntityType(label))
