"""Provides the compiler from a query's syntax tree to Whoosh query objects, filling in its marks.

Besides plain Whoosh terms and phrases it builds two query types of its own, both much cheaper
than Whoosh's: ``_AnyTerm`` for an expanded wildcard or fuzzy word, and ``_DateIn`` for a date
range read straight from the ``when`` column.
"""

from __future__ import annotations

import re
import struct
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any

from whoosh import matching, query

from index.errors import LibraryError, QueryError, ReaderError
from index.safe import safe_line
from index.search.analysis import WORD, analyze, normalize_key, porter_stem, term_of
from index.search.query import (
    DEFAULT_FIELDS,
    And,
    DateRange,
    Empty,
    EntityName,
    EntityType,
    Language,
    Node,
    Not,
    Or,
    Text,
    quote,
)
from index.search.snippets import Marks, anchor

__all__ = ["MAX_ALIASES", "MAX_ALIASES_PER_TERM", "MAX_EXPANSION", "Compiler"]

#: Other names one word may bring in, and in all, through ``expand``.
MAX_ALIASES_PER_TERM = 20
MAX_ALIASES = 100
#: A wildcard or fuzzy word may stand for at most this many indexed words per field ("co*" is
#: refused: it would read most of the index and tell the user nothing).
MAX_EXPANSION = 300
#: Up to this many expanded words are scored one by one; more match with one constant score.
_SCORED_EXPANSION = 8
#: Words as written a wildcard or fuzzy term may expand to (several share a stem).
_WRITTEN_EXPANSION = 4 * MAX_EXPANSION

_NOTHING = query.Term("id", "\x00")  # matches no document (ids are never NUL)


def _contains(longer: tuple[str, ...], part: tuple[str, ...]) -> bool:
    """Whether ``part`` occurs in ``longer`` as a run of consecutive terms."""
    n = len(part)
    return any(longer[i : i + n] == part for i in range(len(longer) - n + 1))


class Compiler:
    """One query compiled against one index reader; ``marks`` and ``also`` come with it."""

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
        self.marks = Marks()
        self.also: list[str] = []
        self._also_seen: set[str] = set()

    def compile(self, node: Node, negated: bool = False) -> query.Query | None:
        if isinstance(node, Empty):
            return None
        if isinstance(node, And):
            named = self._named_runs(node.parts) if not negated else []
            compiled: list[query.Query | None] = []
            i = 0
            while i < len(node.parts):
                run = next((r for r in named if r[0] == i), None)
                if run is None:
                    compiled.append(self.compile(node.parts[i], negated))
                    i += 1
                    continue
                start, end, names = run
                compiled.append(self._named(node.parts[start:end], names))
                i = end
            parts = [p for p in compiled if p is not None]
            if not parts:
                return None
            if all(isinstance(p, query.Not) for p in parts):
                parts.insert(0, query.Every())
            return parts[0] if len(parts) == 1 else query.And(parts)
        if isinstance(node, Or):
            parts = [p for p in (self.compile(c, negated) for c in node.parts) if p is not None]
            if not parts:
                return None
            every = query.Every()
            parts = [query.And([every, p]) if isinstance(p, query.Not) else p for p in parts]
            return parts[0] if len(parts) == 1 else query.Or(parts)
        if isinstance(node, Not):
            inner = self.compile(node.part, not negated)
            return None if inner is None else query.Not(inner)
        if isinstance(node, Text):
            return self.text(node.kind, node.value, node.field, node.num, negated)
        if isinstance(node, EntityName):
            return self.entity(node.name, negated)
        if isinstance(node, EntityType):
            return query.Term("types", node.label.lower())
        if isinstance(node, Language):
            return query.Term("lang", node.code)
        if isinstance(node, DateRange):
            return _DateIn(node.first, node.last)
        raise AssertionError(node)  # pragma: no cover

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
        fieldnames = (fieldname,) if fieldname else DEFAULT_FIELDS
        marks = None if negated or "body" not in fieldnames else self.marks
        if kind == "wild":
            return self.wildcard(value, fieldnames, marks)
        if kind == "fuzzy":
            return self.fuzzy(value, num, fieldnames, marks)
        terms = analyze(value)
        if not terms:
            return None
        variants = [terms]
        if self.expand is not None and kind == "word" and fieldname in (None, "title", "body"):
            variants += self.aliases(value, terms)  # a quoted phrase is matched as written
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

    def _named_runs(self, parts: tuple[Node, ...]) -> list[tuple[int, int, list[str]]]:
        """Runs of two or more plain words that name an entity by one of its full names
        ("James A. Baker", "International Monetary Fund") that has other full names: (start,
        end, those names). The longest run wins; its words are not expanded one by one."""
        if self.expand is None:
            return []
        plain = [
            isinstance(p, Text) and p.kind == "word" and p.field in (None, "title", "body")
            for p in parts
        ]
        runs: list[tuple[int, int, list[str]]] = []
        i = 0
        while i < len(parts):
            found = None
            for end in range(min(len(parts), i + 6), i + 1, -1):
                if not all(plain[i:end]):
                    continue
                value = " ".join(p.value for p in parts[i:end])  # type: ignore[union-attr]
                names = self.expand(value) or []
                if names:
                    found = (i, end, list(names))
                    break
            if found is not None:
                runs.append(found)
                i = found[1]
            else:
                i += 1
        return runs

    def _named(self, words: tuple[Node, ...], names: list[str]) -> query.Query | None:
        """The words of a full name as typed (each anywhere, as without the name), or any of
        the entity's other full names as a phrase."""
        typed: list[query.Query] = []
        for w in words:
            terms = analyze(w.value)  # type: ignore[union-attr]
            if terms:
                typed.append(self._terms_query(DEFAULT_FIELDS, terms))
                self.marks.add_terms(terms)
        if not typed:
            return None
        value = " ".join(w.value for w in words)  # type: ignore[union-attr]
        clauses: list[query.Query] = [typed[0] if len(typed) == 1 else query.And(typed)]
        for v in self._alias_terms(value, analyze(value), names):
            clauses.append(self._terms_query(DEFAULT_FIELDS, v))
            self.marks.add_terms(v)
        return clauses[0] if len(clauses) == 1 else query.Or(clauses)

    def aliases(self, value: str, terms: list[str]) -> list[list[str]]:
        assert self.expand is not None
        return self._alias_terms(value, terms, self.expand(value) or [])

    def _alias_terms(self, value: str, terms: list[str], names: list[str]) -> list[list[str]]:
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
            f"{quote(shown, 30)} matches too many different words "
            f"(over {MAX_EXPANSION}); add letters to narrow it"
        )

    def _expanded(self, words: Callable[[], Iterable[str | bytes]], shown: str,
                  limit: int = MAX_EXPANSION) -> set[str]:
        """The indexed words ``words()`` yields; a damaged lexicon is a LibraryError."""
        out: set[str] = set()
        try:
            for w in words():
                out.add(w.decode("utf-8") if isinstance(w, bytes) else w)
                if len(out) > limit:
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
        self, value: str, fieldnames: tuple[str, ...], marks: Marks | None
    ) -> query.Query | None:
        pattern = value.lower().strip(".,;:!")
        letters = "".join(WORD.findall(re.sub(r"[*?]", "", pattern)))
        if len(letters) < 2:
            return None  # "*", "a*": nothing to search on
        head = re.split(r"[*?]", pattern, maxsplit=1)[0]
        rx = re.compile(_wild_regex(pattern))
        # Matched against the words as written ("militan*", "beij?ng"), then searched by their
        # stems in the fields asked for, so scoring and fields work as for a typed word.
        written = self._expanded(partial(_matching, self.reader, "written", head, rx), value,
                                 limit=_WRITTEN_EXPANSION)
        # The stems themselves too: "tar?ff" finds "tariffs" (stem "tariff"), "terrorism*" the
        # stem "terror".
        stems: set[str] = set()
        heads, regexes = [head], [rx]
        if re.fullmatch(r"[^*?]+\*", pattern):
            stemmed = porter_stem(head)
            if stemmed != head and len(stemmed) >= 2:
                regexes.append(re.compile(re.escape(stemmed) + ".*"))
                heads.append(stemmed)
        for f in fieldnames:
            for h, r in zip(heads, regexes, strict=True):
                stems |= self._expanded(partial(_matching, self.reader, f, h, r), value)
        return self._stems_of(written, value, fieldnames, marks, stems)

    def _stems_of(self, written: set[str], shown: str, fieldnames: tuple[str, ...],
                  marks: Marks | None, also: set[str] = frozenset()) -> query.Query:
        """Search written words by their index terms in ``fieldnames`` (and mark them)."""
        stems = ({term_of(w) for w in written} | also) - {""}
        if len(stems) > MAX_EXPANSION:
            raise self._too_many(shown)
        clauses = []
        for f in fieldnames:
            clauses.append(self._any_of(f, sorted(s for s in stems if (f, s) in self.reader)))
        if marks is not None:
            marks.words.update(stems)
            marks.anchors.update(anchor(s) for s in stems)
        return self._join(clauses)

    def fuzzy(
        self, value: str, dist: int, fieldnames: tuple[str, ...], marks: Marks | None
    ) -> query.Query | None:
        words = WORD.findall(value)
        if len(words) != 1:  # "wang-yi~": not one word; search it as written
            field = fieldnames[0] if len(fieldnames) == 1 else None
            return self.text("word", value, field, 1, marks is None)
        term = term_of(words[0])
        if not term:
            return None
        low = words[0].lower()
        dist = max(1, min(dist, 2))
        if len(low) < 4:
            dist = 0  # fuzzy on a short word finds noise; search it as written
        # Words as written within ``dist`` letters ("militnts~" finds "militants"), searched by
        # their stems; fuzzy words score like plain ones (there are few of them).
        written = {low}
        stems: set[str] = set()  # and the stems near it: a word its stemmer left as it is
        if dist:
            near = partial(self.reader.terms_within, "written", low, dist, prefix=1)
            written |= self._expanded(near, value, limit=_WRITTEN_EXPANSION)
            for f in fieldnames:
                for form in {low, term}:
                    near = partial(self.reader.terms_within, f, form, dist, prefix=1)
                    stems |= self._expanded(near, value)
        return self._stems_of(written, value, fieldnames, marks, stems)

    def entity(self, name: str, negated: bool) -> query.Query:
        keys = self.entity_keys(name)
        if keys is None:
            raise QueryError(f"no entity named {quote(name, 40)}")
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
