"""Provides the index's files on disk: segment naming, the writer, checksums and fsync.

Whoosh (whoosh-reloaded 2.7.5) is unmaintained and fragile: its segment names come from the
global ``random`` module, its commit re-reads lengths per posting, and it leaves
``_MAIN_N.toc.<timestamp>`` files behind. ``SearchIndex`` uses what is here to work around that.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import zlib
from typing import Any

from whoosh.codec.whoosh3 import W3Codec, W3Segment
from whoosh.writing import SegmentWriter

__all__ = [
    "INDEXNAME",
    "LOCK_FILE",
    "MANIFEST",
    "SEGMENT_RE",
    "TOC_RE",
    "TOC_TEMP_RE",
    "WRITER_MB",
    "WRITER_TEMP",
    "Codec",
    "SegmentWriter",
    "Writer",
    "describe",
    "file_sum",
    "fsync",
]

INDEXNAME = "MAIN"
MANIFEST = "reader-index.json"
#: Memory the writer may use for postings before it spills to temporary runs (Reuters needs ~300).
WRITER_MB = 512

TOC_RE = re.compile(rf"^_{INDEXNAME}_(\d+)\.toc$")
TOC_TEMP_RE = re.compile(rf"^_{INDEXNAME}_(\d+)\.toc\..+$")
SEGMENT_RE = re.compile(rf"^({INDEXNAME}_[0-9a-z]+)\.[A-Za-z0-9_.]+$")
WRITER_TEMP = f"{INDEXNAME}.tmp"
LOCK_FILE = f"{INDEXNAME}_WRITELOCK"


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


def file_sum(path: str) -> list[int]:
    """[size, CRC-32] of a file, as the manifest records it."""
    crc = 0
    size = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
    return [size, crc]


def fsync(path: str) -> None:
    """Flush a file or folder to disk; an error is ignored (the next open checks the sums)."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def describe(e: BaseException) -> str:
    """A write failure in a few words: the OS's reason, or the exception's name."""
    if isinstance(e, OSError):
        return str(e.strerror or e)
    return type(e).__name__
