"""Provides the index's files on disk: segment naming, the writer, checksums and fsync.

Whoosh (whoosh-reloaded 2.7.5) is unmaintained and fragile: its segment names come from the
global ``random`` module, its commit re-reads lengths per posting, and it leaves
``_MAIN_N.toc.<timestamp>`` files behind. ``SearchIndex`` uses what is here to work around that.
"""

from __future__ import annotations

import contextlib
import os
import re
import zlib
from typing import Any

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
#: Memory the writer may use for postings before it spills to sorted runs on disk. It bounds a
#: commit's merges too, so an import's memory does not grow with the library: indexing 38,000
#: Reuters stories in commits of 1,000 peaked at 373 MB with 512 and 243 MB with 128, no slower.
WRITER_MB = 128

TOC_RE = re.compile(rf"^_{INDEXNAME}_(\d+)\.toc$")
TOC_TEMP_RE = re.compile(rf"^_{INDEXNAME}_(\d+)\.toc\..+$")
SEGMENT_RE = re.compile(rf"^({INDEXNAME}_[0-9a-z]+)\.[A-Za-z0-9_.]+$")
WRITER_TEMP = f"{INDEXNAME}.tmp"
LOCK_FILE = f"{INDEXNAME}_WRITELOCK"


def __getattr__(name: str) -> Any:
    """The writer classes, imported on first use: searching never loads Whoosh's writer."""
    if name in ("Codec", "SegmentWriter", "Writer"):
        from index.search import writer

        return getattr(writer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
