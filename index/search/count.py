"""Provides count(): how many live documents a compiled query matches, read from the posting
blocks as sets of document numbers.

Whoosh counts a result set by walking every match through its matcher tree (a union per word,
a filter for deleted documents), one Python call per document per level: at 100,000 articles
that was half of a search's time for a common word. Here each word's postings are read a block
at a time, only their document numbers (``_block_ids``), and the tree is set arithmetic. Query
kinds it does not know return None, and the caller lets Whoosh count: so does any query with a
NOT, whose count is Whoosh's own (its matchers exclude in ways set arithmetic does not
reproduce). ``countable`` says which before anything is read.
"""

from __future__ import annotations

import zlib
from itertools import accumulate
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher

__all__ = ["count", "countable"]


def countable(q: Any) -> bool:
    """Whether ``count`` can count ``q`` (known before reading anything)."""
    kind = type(q)
    if kind is wq.Term or q is wq.NullQuery:
        return True
    if kind is wq.And or (kind is wq.Or and getattr(q, "minmatch", 0) <= 1):
        return all(countable(sub) for sub in q.subqueries)
    return False


def count(searcher: Any, q: Any) -> int | None:
    """The number of live documents ``q`` matches in ``searcher``'s index, or None."""
    docs = _docs(searcher, q)
    return None if docs is None else len(docs)


def _docs(searcher: Any, q: Any) -> set[int] | None:
    kind = type(q)
    if kind is wq.Term:
        return _term(searcher, q.fieldname, q.text)
    if q is wq.NullQuery:
        return set()
    if kind is wq.And or (kind is wq.Or and getattr(q, "minmatch", 0) <= 1):
        parts = []
        for sub in q.subqueries:
            got = _docs(searcher, sub)
            if got is None:
                return None
            parts.append(got)
        if not parts:
            return set()
        if kind is wq.Or:
            return set().union(*parts)
        parts.sort(key=len)
        return parts[0].intersection(*parts[1:])
    return None


def _term(searcher: Any, fieldname: str, text: Any) -> set[int] | None:
    out: set[int] = set()
    for reader, offset in searcher.reader().leaf_readers():
        try:
            matcher = reader.postings(fieldname, text)
        except Exception:  # noqa: BLE001 - TermNotFound, a field this segment lacks
            continue
        deleted: Any = ()
        if isinstance(matcher, FilterMatcher):
            deleted = reader.deleted_docs_set
            matcher = matcher.child
        ids = _ids(matcher)
        if ids is None:
            return None
        if deleted:
            ids -= deleted
        out.update(ids if not offset else map(offset.__add__, ids))
    return out


def _ids(matcher: Any) -> set[int] | None:
    if type(matcher) is W3LeafMatcher:
        ids: set[int] = set()
        while matcher.is_active():
            got = _block_ids(matcher) if matcher._ids is None else None
            if got is None:
                if matcher._ids is None:
                    matcher._read_ids()
                got = matcher._ids[matcher._i :]
            ids.update(got)
            matcher._next_block()
        return ids
    try:
        return set(matcher.all_ids())
    except Exception:  # noqa: BLE001
        return None


#: Pickle opcodes (protocol 2) that can appear in a posting block's tuple of document numbers.
_MARK, _TUPLE, _TUPLES = ord("("), 0x74, {0x85: 1, 0x86: 2, 0x87: 3}
_BININT1, _BININT2, _BININT, _LONG1 = 0x4B, 0x4D, 0x4A, 0x8A


def _block_ids(matcher: Any) -> list[int] | None:
    """The document numbers of the matcher's current block, read from the start of its data
    only; None when the block is not as expected (the caller reads it Whoosh's way).

    A Whoosh 3 posting block is a pickle (protocol 2), usually compressed, of (document
    numbers as deltas, weights, values), and a text field's values are each posting's
    positions, each unpickled through a ``_codecs.encode`` call: for a common word, unpickling
    the block was most of the cost of counting it, and decompressing all of it the rest. The
    numbers come first, so only as much as holds them is decompressed, and they are read from
    the pickle's opcodes.
    """
    n = matcher._blocklength
    if matcher._byteids or not n:
        return None
    start, end = matcher._dataoffset, matcher._nextoffset
    raw = matcher._postfile.get(start, end - start)
    if matcher._compression:
        try:
            raw = zlib.decompressobj().decompress(raw, 4 + 10 * n)
        except zlib.error:
            return None
    if raw[:2] != b"\x80\x02":
        return None
    i = 2
    marked = raw[i] == _MARK
    if marked:
        i += 1
    try:
        deltas = _deltas(raw, i, marked)
    except IndexError:  # ran out of bytes: not the layout expected
        return None
    if deltas is None or len(deltas) != n:
        return None
    return list(accumulate(deltas))


def _deltas(raw: bytes, i: int, marked: bool) -> list[int] | None:
    deltas: list[int] = []
    size = len(raw)
    while i < size:
        op = raw[i]
        if op == _BININT1:
            deltas.append(raw[i + 1])
            i += 2
        elif op == _BININT2:
            deltas.append(raw[i + 1] | raw[i + 2] << 8)
            i += 3
        elif op == _BININT:
            deltas.append(int.from_bytes(raw[i + 1 : i + 5], "little", signed=True))
            i += 5
        elif op == _LONG1:
            width = raw[i + 1]
            deltas.append(int.from_bytes(raw[i + 2 : i + 2 + width], "little", signed=True))
            i += 2 + width
        elif (op == _TUPLE and marked) or (not marked and _TUPLES.get(op) == len(deltas)):
            return deltas
        else:
            return None
    return None
