"""Provides the index's writer: segment names from the OS's randomness, and a commit that reads
each document's field lengths once. Imported only when the index is written.
"""

from __future__ import annotations

import random
from typing import Any

from whoosh.codec.whoosh3 import W3Codec, W3Segment
from whoosh.writing import SegmentWriter

__all__ = ["Codec", "SegmentWriter", "Writer"]

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


class Writer(SegmentWriter):
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


