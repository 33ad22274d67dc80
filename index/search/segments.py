"""Provides the index's files on disk: segment naming, the writer, checksums and fsync.

Whoosh (whoosh-reloaded 2.7.5) is unmaintained and fragile: its segment names come from the
global ``random`` module, its commit re-reads lengths per posting, and it leaves
``_MAIN_N.toc.<timestamp>`` files behind. ``SearchIndex`` uses what is here to work around that.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
import zlib
from pathlib import Path
from typing import Any

from index.private import open_private

__all__ = [
    "INDEXNAME",
    "LOCK_FILE",
    "WANTED",
    "MANIFEST",
    "SEGMENT_RE",
    "TOC_RE",
    "TOC_TEMP_RE",
    "VERIFIED",
    "Verified",
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
#: The segment files a full checksum found sound, with their size, times and inode then.
VERIFIED = "reader-index-verified.json"
#: A file whose times are this close to its checksum is checksummed again at the next open: file
#: times are coarse, and a write in the same tick would not change them.
_RACY_NS = 2_000_000_000
_clock = time.time_ns
#: Memory the writer may use for postings before it spills to sorted runs on disk. It bounds a
#: commit's merges too, so an import's memory does not grow with the library: indexing 38,000
#: Reuters stories in commits of 1,000 peaked at 373 MB with 512 and 243 MB with 128, no slower.
WRITER_MB = 128

TOC_RE = re.compile(rf"^_{INDEXNAME}_(\d+)\.toc$")
TOC_TEMP_RE = re.compile(rf"^_{INDEXNAME}_(\d+)\.toc\..+$")
SEGMENT_RE = re.compile(rf"^({INDEXNAME}_[0-9a-z]+)\.[A-Za-z0-9_.]+$")
WRITER_TEMP = f"{INDEXNAME}.tmp"
LOCK_FILE = f"{INDEXNAME}_WRITELOCK"
#: Touched over and over by a writer waiting for the write lock: a compaction holding it gives
#: way (``SearchIndex.compact``). One left by a killed process goes stale in seconds.
WANTED = "reader-index-wanted"


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


class Verified:
    """Which segment files a full checksum at an earlier open found sound, so that an open can
    skip them while they are unchanged: checksumming every file was 28 ms of CPU at 19,000
    articles (0.2 s for ``reader search --json``) and 65 ms at 100,000.

    A file counts as unchanged while its size, modification and change times and inode are the
    ones it had when it was checksummed, and both times were then over 2 s old (a write in the
    same clock tick as the last one would not move them). Any write to the file moves its change
    time, which cannot be set back; a file copied elsewhere has a new inode. So a flipped byte is
    still noticed at the next open; only damage that bypasses the file system (the disk itself)
    waits for ``reader check``, which checksums every file.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: dict[str, list[int]] = {}
        self._changed = False
        try:
            with open(folder / VERIFIED, encoding="utf-8") as f:
                data = json.load(f)
            files = data.get("files") if isinstance(data, dict) else None
            if isinstance(files, dict):
                self.files = {k: v for k, v in files.items() if isinstance(v, list)}
        except (OSError, ValueError):
            pass

    def _now(self, name: str, want: Any) -> list[int] | None:
        try:
            st = os.stat(self.folder / name)
        except OSError:
            return None
        return [*want, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]

    def sound(self, name: str, want: Any) -> bool:
        """Whether ``name`` was found to have the sum ``want`` and is unchanged since."""
        rec = self.files.get(name)
        if rec is None or len(rec) != 7:
            return False
        now = self._now(name, want)
        return now is not None and rec[:6] == now and max(now[3], now[4]) < rec[6] - _RACY_NS

    def before_sum(self, name: str, want: Any) -> list[int] | None:
        """The file's state just before it is checksummed (recorded by ``checked``)."""
        now = self._now(name, want)
        return None if now is None else [*now, _clock()]

    def checked(self, name: str, state: list[int] | None) -> None:
        """``name`` was checksummed whole and matched; ``state`` is ``before_sum``'s."""
        if state is not None and self.files.get(name) != state:
            self.files[name] = state
            self._changed = True

    def save(self, names: set[str]) -> None:
        """Keep what is known of ``names`` (the current segment files); best effort."""
        files = {k: v for k, v in self.files.items() if k in names}
        if not self._changed and files == self.files:
            return
        tmp = self.folder / f"{VERIFIED}.{os.getpid()}.tmp"
        try:
            fd = open_private(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump({"files": files}, f)
            os.replace(tmp, self.folder / VERIFIED)
        except OSError:  # a read-only library: every open checksums, as before
            with contextlib.suppress(OSError):
                tmp.unlink()
