"""Provides the index's writer: segment names from the OS's randomness, a commit that reads
each document's field lengths once, and a merge policy that keeps the segments few without making
a small import pay for the library's big merges. Imported only when the index is written.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any

from whoosh.codec.whoosh3 import W3Codec, W3Segment
from whoosh.writing import SegmentWriter

__all__ = [
    "MAX_SEGMENTS",
    "MERGE_BUDGET",
    "MERGE_FACTOR",
    "MERGE_FLOOR",
    "Codec",
    "SegmentWriter",
    "Stopped",
    "Writer",
    "merge_tiers",
    "plan",
]

#: Segments of one size tier are merged into the commit's new segment once there would be this
#: many; a tier holds segments up to MERGE_FACTOR times as big as the one below it, the first
#: everything under MERGE_FLOOR * MERGE_FACTOR documents.
MERGE_FACTOR = 6
MERGE_FLOOR = 1000
#: What a commit may merge is paid from what its process wrote: each document indexed earns this
#: many documents of merging (``Writer.budget``). A big import keeps the tiers as before; an
#: import of 1,000 into a big library merges at most about 2,000 documents, not the library's
#: small tier (7,000 at 19,000 articles), which ``SearchIndex.compact`` merges where nobody waits.
MERGE_BUDGET = 2
#: Past this many segments a commit merges the smallest, whatever its budget: a bound that keeps
#: search fast when the index is never compacted. Search p95 at 100,000 articles: 57 ms in 12
#: segments (two of 40,000, ten of 2,000), as in 5; 124 ms in 35 (thirty of 250), 70 ms in 5 in
#: the same hour. The tiers alone leave at most (MERGE_FACTOR - 1) per tier plus one: 16 below
#: 216,000 articles.
MAX_SEGMENTS = 16

_ID_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz"
_system_random = random.SystemRandom()


class Codec(W3Codec):
    """Whoosh's codec, naming new segments from the OS's randomness.

    Whoosh names segments with the global ``random`` module: after a caller's ``random.seed(0)``
    two commits chose the same name and the second failed. Pickles as a plain W3Codec.
    """

    def new_segment(self, storage: Any, indexname: str) -> W3Segment:
        segid = "".join(_system_random.choice(_ID_CHARS) for _ in range(16))
        return W3Segment(self, indexname, segid=segid)

    def __reduce__(self) -> tuple[Any, ...]:
        return (W3Codec, (self._blocklimit, self._compression, self._inlinelimit))


class Stopped(Exception):
    """A merge gave way to another writer (``Writer(stop=...)``); nothing was committed."""


class Writer(SegmentWriter):
    """SegmentWriter whose commit reads each document's field lengths once, not per posting, and
    merges segments by size tiers within a budget (``merge_tiers``).

    Whoosh 2.7.5 looks a document's length up in the on-disk column for every posting it writes
    (a third of commit time on Reuters); this caches the lengths in memory for the flush.

    ``budget``: how many documents of older segments the commit may merge (None: as many as the
    tiers want); ``merged`` says how many it did. ``stop``: asked every few hundred documents and
    every few thousand postings of a merge; when it answers True the merge raises ``Stopped``
    (the caller cancels the writer: the index is left as it was).
    """

    def __init__(
        self, *args: Any, budget: int | None = None, stop: Callable[[], bool] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.mergetype = merge_tiers
        self.budget = budget
        self.merged = 0
        self.stop = stop

    def add_reader(self, reader: Any) -> None:
        super().add_reader(_Stoppable(reader, self.stop) if self.stop else reader)

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        postings = self.pool.iter_postings()
        if self.stop is not None and self.merged:
            postings = _checked(postings, self.stop, 20_000)
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


def _checked(items: Iterator[Any], stop: Callable[[], bool], every: int) -> Iterator[Any]:
    for n, item in enumerate(items):
        if n % every == 0 and stop():
            raise Stopped
        yield item


class _Stoppable:
    """A segment reader whose documents and postings, read for a merge, ask ``stop``."""

    def __init__(self, reader: Any, stop: Callable[[], bool]) -> None:
        self._reader = reader
        self._stop = stop

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)

    def iter_docs(self) -> Iterator[Any]:
        return _checked(self._reader.iter_docs(), self._stop, 200)

    def iter_postings(self) -> Iterator[Any]:
        return _checked(self._reader.iter_postings(), self._stop, 20_000)


def _tier(docs: int) -> int:
    tier, n = 0, docs // MERGE_FLOOR
    while n >= MERGE_FACTOR:
        n //= MERGE_FACTOR
        tier += 1
    return tier


def merge_tiers(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy: the segments to keep; the ones merged go into the new segment.

    Whoosh's own (MERGE_SMALL) compares document counts with Fibonacci numbers made for small
    indexes: at 100,000 articles it let 22 segments pile up, then merged nearly all of them in
    one commit. Here, once a size tier would hold MERGE_FACTOR segments (the new one counted),
    they are merged into the new segment, and so on up while the result fills the next tier.
    Imported 1,000 at a time up to 100,000 articles (simulated), each article is rewritten 1.4
    times on average (1.7 with Whoosh's), 6 segments are left on average (11), at most 11 (22),
    and no merge rewrites more than 35,000 articles (98,000). Merging goes through the writer's
    pool, whose memory is capped (``WRITER_MB``). Segments whose documents were all deleted are
    dropped.

    A step up the tiers is taken only while the documents it merges fit the writer's ``budget``
    (an import pays for merges in proportion to what it writes, not to the library), unless the
    index would hold more than MAX_SEGMENTS segments.
    """
    from whoosh.reading import SegmentReader

    keep = [s for s in segments if s.doc_count() > 0]
    size = writer.docnum - writer.docbase
    chosen = plan([s.doc_count() for s in keep], size, getattr(writer, "budget", None))
    merged = [keep[i] for i in chosen]
    keep = [s for i, s in enumerate(keep) if i not in set(chosen)]
    writer.merged = sum(s.doc_count() for s in merged)
    for seg in merged:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        try:
            writer.add_reader(reader)
        finally:
            reader.close()
    return keep


def plan(sizes: list[int], size: int, budget: int | None = None) -> list[int]:
    """Which of the segments (their live document counts) a commit writing ``size`` documents
    merges, by position; ``merge_tiers`` without Whoosh.

    When the segments would be more than MAX_SEGMENTS, the smallest are merged, as many as leave
    room for MERGE_FACTOR - 1 more commits: the cheapest merge that keeps search fast (the
    tiers would merge the whole smallest tier, 7,000 articles or more at 19,000).
    """
    left = list(range(len(sizes)))
    merged: list[int] = []
    while True:
        tier = _tier(size)
        same = [i for i in left if _tier(sizes[i]) <= tier]
        if len(same) + 1 < MERGE_FACTOR:
            break
        cost = sum(sizes[i] for i in same)
        if budget is not None:
            if cost > budget:
                break
            budget -= cost
        for i in same:
            left.remove(i)
            merged.append(i)
        size += cost
    after = len(left) + (1 if size else 0)
    if after > MAX_SEGMENTS:
        smallest = sorted(left, key=lambda i: sizes[i])
        merged += smallest[:after - (MAX_SEGMENTS - MERGE_FACTOR + 1) + (0 if size else 1)]
    return merged
