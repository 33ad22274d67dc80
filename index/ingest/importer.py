"""Provides Importer: files in, articles, mentions and index documents out, resumably; and read():
one file's bytes as RawDocs, HTML and feeds parsed in the sandbox, the other kinds here.

One main thread reads and cleans files, hands batches of texts to ``jobs`` entity-recognizer
processes (spawned, never forked, so a threaded caller cannot deadlock them), and writes each
finished batch in one ``BEGIN IMMEDIATE`` transaction. The search index is fed after the store
commits, and each article is marked indexed only once the index has committed it; a kill at any
moment leaves committed articles that the next run (or ``check``) indexes, and files that the
next run finishes without duplicates.

It stays one module of a little over 600 lines because that resumable run is one piece of
state (the batch, the files in flight, what is stored but not yet indexed); reading a file's
kinds lives in the modules beside it.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import sqlite3
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from index.errors import BadInput, Interrupted, ReaderError
from index.ingest import language, markdown, recognizer, records, web
from index.ingest.decode import check_size, decode, size_limit, too_large
from index.models import AddReport, RawDoc, ReadResult
from index.safe import safe_line, safe_text
from index.search import IndexDoc, SearchIndex
from index.store import Store, articles, dumps
from index.store import spread as spread_sql

BATCH = 32  # texts per message to a recognizer process
#: Articles per search-index commit. With a core the recognizer leaves free, commits overlap it
#: and the last one, after it, is small; when the recognizer takes every core, each commit takes
#: time from it, and fewer are cheaper (3,000 Reuters stories, --jobs 2: 22.4 s against 24.5 s).
INDEX_EVERY = 500
INDEX_EVERY_BUSY = 1000
#: With a core free, the articles waiting for the index are committed once the recognizer holds
#: only this many batches more (about 0.7 s of its work at --jobs 1): the commit after its last
#: batch, which nothing overlaps, is then of those batches alone (0.5 s to 0.1 s at 100,000).
TAIL_BATCHES = 2
SMALL = 16  # at most this many texts are analysed in-process (a process start costs ~2 s)
RECORD_BYTES = 2000  # bytes of a JSON lines file or feed per article, to guess their number

Progress = Callable[[int, int, str], None]

SUFFIXES: dict[str, str] = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".jsonl.gz": "jsonl",
    ".ndjson": "jsonl",
    ".ndjson.gz": "jsonl",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
}
_BY_LENGTH = sorted(SUFFIXES, key=len, reverse=True)
#: Files of many records: each record is known by its own id, link or text, never its place in
#: the file, so a feed that rolls on or a JSON lines file that is edited loses nothing.
RECORD_KINDS = frozenset({"json", "jsonl", "feed"})


def kind_of(path: Path) -> str | None:
    """The reader for ``path`` by its name ("text", "markdown", "html", "json", "jsonl",
    "feed"), or None when reader does not read such files (the caller skips and counts them)."""
    name = path.name.lower()
    for suffix in _BY_LENGTH:
        if name.endswith(suffix) and len(name) > len(suffix):
            return SUFFIXES[suffix]
    return None



def read(path: Path, data: bytes, *, common_lines: frozenset[str] = frozenset()) -> ReadResult:
    """Read one file's ``data``; raises BadInput (a one-line reason) when the whole file fails.

    HTML and feeds are parsed in the sandbox worker (byte cap, timeout, memory limit).
    ``common_lines``: furniture lines seen across the library (see clean.find_common_lines).
    """
    kind = kind_of(path)
    if kind is None:
        raise BadInput(f"unsupported file type ({path.suffix or 'no extension'})")
    check_size(kind, len(data))
    if kind == "feed" and path.name.lower().endswith(".xml") and not web.looks_like_feed(data):
        if not data.strip():
            raise BadInput("empty file")
        raise BadInput("not an RSS or Atom feed")
    if kind in ("html", "feed"):
        from index.ingest import sandbox

        return sandbox.parse(kind, data, common_lines=common_lines)
    return parse(kind, data, common_lines=common_lines)


def parse(kind: str, data: bytes, *, common_lines: frozenset[str] = frozenset()) -> ReadResult:
    """Parse ``data`` as ``kind`` in this process (HTML and feeds unsandboxed: tests, tools)."""
    check_size(kind, len(data))
    if kind == "text":
        return markdown.read_text(data, common_lines)
    if kind == "markdown":
        return markdown.read_markdown(data, common_lines)
    if kind == "json":
        return records.read_json(data)
    if kind == "jsonl":
        return records.read_json_lines(data)
    if kind in ("html", "feed"):
        return web.parse(kind, data, common_lines=common_lines)
    raise BadInput(f"unsupported file type ({kind})")



#: Why a path found in a folder was not read (the summary counts each reason).
HIDDEN_OR_UNKNOWN = "hidden or unknown type"
NOT_REGULAR = "not a regular file"
SYMLINKED_FOLDER = "symlinked folder (not followed)"
UNREADABLE_FOLDER = "folder could not be read"
LIBRARY_FOLDER = "the library's own folder"


@dataclass
class Found:
    """What discover() found under the paths it was given."""

    files: list[Path] = field(default_factory=list)
    skips: dict[str, int] = field(default_factory=dict)  # reason -> how many paths
    passed_over: list[tuple[str, str]] = field(default_factory=list)  # (path, reason), said by name
    missing: list[tuple[str, str]] = field(default_factory=list)  # (path, reason): failures

    def skip(self, reason: str, path: Path | None = None, detail: str = "") -> None:
        self.skips[reason] = self.skips.get(reason, 0) + 1
        if path is not None:
            self.passed_over.append((path_text(path), f"{reason}{detail}"))


def path_text(path: Path | str) -> str:
    """A path as text that SQLite and a terminal take: a name that is not valid UTF-8
    (``caf\\xe9.txt``) keeps its bytes as ``\\xe9`` escapes, so two such names never collide and
    the stored path is the file's own, byte for byte."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    return text


def _is_regular(path: Path) -> bool:
    """A regular file, or a symbolic link to one; never a FIFO, device or socket (which would
    hang a read or never end). stat() does not open the file, so nothing is triggered."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def discover(paths: Iterable[Path], *, library: Path | None = None) -> Found:
    """Files to import under ``paths`` (recursively), and what was skipped and why.

    Only regular files are read; hidden names, unknown types, FIFOs and devices, symlinked
    folders (never followed: a link may loop or lead anywhere), unreadable folders and the
    ``library`` folder itself (its own files are no articles) are counted by reason.
    """
    found = Found()
    own = _resolved(library) if library is not None else None
    for path in paths:
        path = Path(path)
        if not path.exists():
            if path.is_symlink():
                found.missing.append((path_text(path), "a symbolic link to nothing"))
            else:
                found.missing.append((path_text(path), "no such file or folder"))
            continue
        if not path.is_dir():
            if kind_of(path) is None:
                found.skip(HIDDEN_OR_UNKNOWN)
            elif not _is_regular(path):
                found.skip(NOT_REGULAR, path)
            else:
                found.files.append(path)
            continue
        if own is not None and _resolved(path) == own:
            found.skip(LIBRARY_FOLDER, path)
            continue

        def unreadable(exc: OSError) -> None:
            where = Path(exc.filename) if exc.filename else path
            found.skip(UNREADABLE_FOLDER, where, f" ({exc.strerror or exc})")

        for root, dirs, files in os.walk(path, onerror=unreadable):
            keep = []
            for d in sorted(dirs):
                sub = Path(root) / d
                if d.startswith("."):
                    found.skip(HIDDEN_OR_UNKNOWN)
                elif sub.is_symlink():
                    found.skip(SYMLINKED_FOLDER, sub)
                elif own is not None and _resolved(sub) == own:
                    found.skip(LIBRARY_FOLDER, sub)
                else:
                    keep.append(d)
            dirs[:] = keep
            for name in sorted(files):
                file = Path(root) / name
                if name.startswith(".") or kind_of(file) is None:
                    found.skip(HIDDEN_OR_UNKNOWN)
                elif not _is_regular(file):
                    found.skip(NOT_REGULAR, file)
                else:
                    found.files.append(file)
    return found


def _resolved(path: Path) -> Path | None:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return None


def read_capped(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them: raises BadInput for a
    file that is not regular (checked on the open file, so a swap after discover() cannot slip a
    FIFO or a device in) or that holds more than ``limit`` bytes, counted while reading, never
    trusted from ``st_size`` (which /proc files and growing files get wrong)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as stream:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise BadInput(NOT_REGULAR)
        if info.st_size > limit:  # refused unread when the size is known to be too much
            raise BadInput(too_large(info.st_size, limit))
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise BadInput(too_large(None, limit))
    return data


COMMON_SCAN = 5000  # text files sampled for lines that recur across the library


def _common_lines(files: list[Path]) -> frozenset[str]:
    """Short lines that recur across the plain-text files of an import: page furniture that no
    data file lists (a site's own "Share this story" or section names)."""
    from index.ingest.clean import find_common_lines

    texts = [f for f in files if kind_of(f) in ("text", "markdown")][:COMMON_SCAN]
    if len(texts) < 3:
        return frozenset()

    def decoded():
        for f in texts:
            try:
                yield decode(read_capped(f, 2 * 1024 * 1024))
            except (OSError, ReaderError, ValueError):
                continue

    return find_common_lines(decoded())


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "article"


@dataclass
class Pending:
    """One article waiting for the entity recognizer."""

    id: str
    path: str
    record: str
    hash: str
    doc: RawDoc
    fresh: bool  # new (True) or an update of a stored article (False)

    @property
    def ner_text(self) -> str:
        """What the (English) entity recognizer reads: the text, or nothing when it is in
        another language (Russian through English NER made "Эксклюзивный" an ORG)."""
        return self.doc.text if language.is_english(self.doc.lang) else ""


@dataclass
class FileJob:
    path: str
    sha256: str
    size: int
    records: int
    failed: int
    waiting: set[str] = field(default_factory=set)
    reading: bool = True  # the file is done only once it is read to the end and all written


class Importer:
    """Runs one import into a store and a search index."""

    def __init__(
        self,
        store: Store,
        search: SearchIndex,
        *,
        jobs: int | None = None,
        progress: Progress | None = None,
        prune: bool = False,
        library: Path | None = None,
        started: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        # called once the recognizer has its first batch: work started before would slow the
        # reading that feeds it (a thread holds the interpreter's lock)
        self._started = started
        self.library = library  # its folder is never imported from
        self.prune = prune  # remove the articles a changed file no longer holds
        self.search = search
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.progress = progress or (lambda done, total, label: None)
        self.added = self.updated = self.unchanged = self.duplicates = 0
        self.failed: list[tuple[str, str]] = []
        self.total = self.done = 0
        self._files: dict[str, FileJob] = {}
        self._unindexed: list[int] = []
        self._to_index: list[IndexDoc] = []
        self._ending = False  # every batch is with the recognizer: see TAIL_BATCHES
        self._new: set[str] = set()  # ids of _to_index the library did not hold: added, not updated
        self._claimed: set[str] = set()
        self._digests: set[str] = set()  # new articles' contents, to spot copies
        self._pool: recognizer.Pool | None = None
        self._expected = 0  # articles the changed files read so far may hold (a guess)
        self._names = None  # the library's names as the last names pass spread them
        self._deleted_any = False
        self.kept: list[str] = []  # articles their changed files no longer hold, kept
        self.removed: list[str] = []  # the same, removed because ``prune`` asked for it

    # --- entry point -----------------------------------------------------------------------
    def run(self, paths: Iterable[Path]) -> tuple[AddReport, bool]:
        """Import; returns the report and whether anything in the store changed."""
        found = discover(paths, library=self.library)
        files = found.files
        self.failed.extend(found.missing)
        self._common = _common_lines(files)
        buffer: list[Pending] = []
        changed = False
        try:
            for path in files:
                for item in self._read(path):
                    buffer.append(item)
                    if len(buffer) >= BATCH and (self._pool or len(buffer) > SMALL):
                        self._submit(buffer[:BATCH])
                        del buffer[:BATCH]
                self._finish_ready_files()
            if buffer:
                if self._pool is None and len(buffer) <= SMALL:
                    self._analyse_here(buffer)
                else:
                    while buffer:
                        self._submit(buffer[:BATCH])
                        del buffer[:BATCH]
            if self._pool:
                self._ending = True
                self._pool.finish(self._write)
                self._pool.stop()
            self._flush_index(force=True)
            changed = bool(self.added or self.updated or self._deleted_any)
        except KeyboardInterrupt:
            saved = self.added + self.updated
            raise Interrupted(
                f"interrupted: {saved} {'article' if saved == 1 else 'articles'} saved"
                f" ({self.added} added, {self.updated} updated), the rest not;"
                " run the same command again to finish"
            ) from None
        finally:
            if self._pool:
                self._pool.close()  # waited for: a process not joined stays a zombie
        report = AddReport(
            added=self.added,
            updated=self.updated,
            unchanged=self.unchanged,
            skipped=sum(found.skips.values()),
            skips=dict(found.skips),
            passed_over=tuple(found.passed_over),
            duplicates=self.duplicates,
            failed=tuple(self.failed),
            kept=len(self.kept),
            removed=tuple(self.removed),
        )
        return report, changed

    # --- reading ---------------------------------------------------------------------------
    def _read(self, path: Path) -> Iterator[Pending]:
        name = path_text(path)
        key = path_text(path.resolve())
        try:
            data = read_capped(path, size_limit(kind_of(path) or ""))  # JSON lines: 256 MB
            size = len(data)
        except OSError as exc:
            self.failed.append((name, exc.strerror or str(exc)))
            return
        except BadInput as exc:
            self.failed.append((name, str(exc)))
            return
        sha = hashlib.sha256(data).hexdigest()
        row = articles.file_record(self.store.db, key)
        if row and row[0] == sha and not self.prune:
            self.unchanged += row[1]
            self.done += row[1]
            self.total += row[1]
            self.progress(self.done, self.total, path.name)
            return
        # Start the recognizer (its model loads in a second or two) while this file is parsed
        # when the files read so far are likely to hold more than a handful of articles.
        kind = kind_of(path)
        self._expected += max(1, size // RECORD_BYTES) if kind in RECORD_KINDS else 1
        if self._expected > SMALL:
            self._start_pool()
        try:
            result = read(path, data, common_lines=self._common)
        except BadInput as exc:
            self.failed.append((name, str(exc)))
            return
        except ReaderError as exc:
            self.failed.append((name, str(exc)))
            return
        except Exception as exc:  # a parser bug must fail this file alone
            self.failed.append((name, f"could not be read ({type(exc).__name__}: {exc})"))
            return
        for where, reason in result.errors:
            self.failed.append((f"{name}:{where}", reason))
        job = FileJob(key, sha, size, len(result.docs), len(result.errors))
        self._files[key] = job
        stored = _Stored(articles.records_of(self.store.db, key), kind_of(path) in RECORD_KINDS)
        seen: set[str] = set()
        self.total += len(result.docs)
        for i, doc in enumerate(result.docs):
            pending = self._pending(path, key, i + 1, doc, len(result.docs), stored)
            if pending is None:
                continue
            seen.add(pending.id)
            if pending.hash == "":
                continue
            job.waiting.add(pending.id)
            yield pending
        job.reading = False
        gone = [aid for aid in stored.ids() if aid not in seen]
        if gone and self.prune:
            self._delete(gone)
            self.removed.extend(gone)
        elif gone:
            self.kept.extend(gone)

    def _pending(
        self, path: Path, key: str, number: int, doc: RawDoc, count: int, stored: _Stored
    ) -> Pending | None:
        doc.title = safe_line(doc.title) or safe_line(path.stem)
        doc.text = safe_text(doc.text).strip()
        if not doc.text:
            self.failed.append((f"{path}:{number}", "no text"))
            return None
        fields = [doc.title, doc.text, doc.source, doc.date, doc.author, doc.url, doc.place, doc.meta]
        digest = hashlib.sha256(dumps(fields).encode("utf-8", "replace")).hexdigest()
        record = identity(doc) if stored.by_record else str(number)
        if record in stored.taken:  # the same record twice in one file: one article
            self.duplicates += 1
            self.done += 1
            self.progress(self.done, self.total, path.name)
            return None
        stored.taken.add(record)
        aid = stored.match(record, doc, digest) or self._new_id(path, key, number, doc, count)
        doc.lang = language.detect(doc.text, doc.title)
        row = articles.hash_of(self.store.db, aid)
        if row and row[0] == digest:
            self.unchanged += 1
            self.done += 1
            self.progress(self.done, self.total, path.name)
            return Pending(aid, key, record, "", doc, False)
        own = safe_line(doc.id) if doc.id else None
        if row is None and self._seen_elsewhere(digest, key, own):
            # A copy of an article already in the library (the same file saved twice, a folder
            # or a JSON lines file imported from two places): one article, not two. Inputs with
            # their own ids are taken at their word: a copy has the same id and content.
            self._claimed.discard(aid)
            self.duplicates += 1
            self.done += 1
            self.progress(self.done, self.total, path.name)
            return Pending(aid, key, record, "", doc, False)
        return Pending(aid, key, record, digest, doc, row is None)

    def _seen_elsewhere(self, digest: str, key: str, own: str | None) -> bool:
        marker = digest if own is None else f"{digest} {own}"
        if marker in self._digests:
            return True
        self._digests.add(marker)
        return articles.has_copy_elsewhere(self.store.db, digest, key, own)

    def _new_id(self, path: Path, key: str, number: int, doc: RawDoc, count: int) -> str:
        """An id for a record the library does not hold yet: the input's own id when it has one,
        else the file's name (numbered from the record's place, to the first free number);
        unique in the library."""
        if doc.id:
            base = aid = safe_line(doc.id)
            n = 1
            while True:
                where = articles.path_of(self.store.db, aid)
                if (where is None or where == key) and aid not in self._claimed:
                    break
                n += 1
                aid = f"{base}-{hashlib.sha1(key.encode()).hexdigest()[:6]}" if n == 2 else f"{base}-{n}"
        else:
            base = slug(path.stem)
            aid = base if count == 1 else f"{base}-{number}"
            while articles.path_of(self.store.db, aid) is not None or aid in self._claimed:
                number += 1
                aid = f"{base}-{number}"
        self._claimed.add(aid)
        return aid

    # --- analysis --------------------------------------------------------------------------
    def _start_pool(self) -> None:
        if self._pool is None:
            self._pool = recognizer.Pool(self.jobs)

    def _submit(self, batch: list[Pending]) -> None:
        self._start_pool()
        self._pool.submit(batch, self._write)
        if self._started is not None:
            started, self._started = self._started, None
            started()

    def _analyse_here(self, batch: list[Pending]) -> None:
        self._write(batch, recognizer.analyse_here([p.ner_text for p in batch]))

    # --- writing ---------------------------------------------------------------------------
    def _write(self, batch: list[Pending], mentions: list[list[tuple]]) -> None:
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        rowids: list[int] = []
        docs: list[IndexDoc] = []
        with self.store.write() as db:
            for item, found in zip(batch, mentions):
                doc = item.doc
                rowid = self._upsert(db, item, now)
                rowids.append(rowid)
                found, spread = self._spread_into(doc.text, found, safe_line(doc.place))
                articles.replace_mentions(db, rowid, found, spread)
                docs.append(
                    IndexDoc(
                        id=item.id, title=doc.title, body=doc.text, source=doc.source,
                        date=doc.date, author=doc.author,
                        keys=tuple(sorted({m[6] for m in found})),
                        types=tuple(sorted({m[3] for m in found})), lang=doc.lang,
                    )
                )
            self.store.set_meta(db, "entities_stale", "1")
            for item in batch:  # the files whose articles are all written now are done
                job = self._files.get(item.path)
                if job:
                    job.waiting.discard(item.id)
            self._finish_files(db, now)
        # Counted once committed: a Ctrl-C that rolls the batch back saved none of it.
        for item in batch:
            if item.fresh:
                self._new.add(item.id)
                self.added += 1
            else:
                self.updated += 1
        self._to_index.extend(docs)
        self._unindexed.extend(rowids)
        self.done += len(batch)
        self.progress(self.done, self.total, Path(batch[-1].path).name)
        self._flush_index()

    def _spread_into(self, text: str, found: list[tuple], place: str) -> tuple[list[tuple], set[int]]:
        """An article's mentions with the library's names spread into it now, as the names
        pass would (ingest/propagate.py), and the starts of those found so. The pass at the
        end of the import then redoes only the articles that write a name this import taught
        the library; before, it redid every new article, and the search index took each of
        them twice."""
        from index.ingest import propagate

        if self._names is None:
            self._names = propagate.Names(spread_sql.spread_names(self.store.db))
        return propagate.spread_into(text, _placed(found, place), self._names, place)

    def _upsert(self, db: sqlite3.Connection, item: Pending, now: str) -> int:
        doc = item.doc
        values = (
            item.id, item.path, item.record, item.hash, doc.title, doc.text,
            safe_line(doc.source), safe_line(doc.date) or None, safe_line(doc.author),
            safe_line(doc.url), safe_line(doc.place), _meta(doc.meta), now, safe_line(doc.lang),
        )
        return articles.upsert(db, values)

    def _finish_files(self, db: sqlite3.Connection, now: str) -> None:
        for key, job in list(self._files.items()):
            if not job.waiting and not job.reading:
                articles.finish_file(db, job.path, job.sha256, job.size, job.records, job.failed, now)
                del self._files[key]

    def _finish_ready_files(self) -> None:
        if any(not job.waiting and not job.reading for job in self._files.values()):
            now = datetime.now(timezone.utc).isoformat(timespec="seconds")
            with self.store.write() as db:
                self._finish_files(db, now)

    def _delete(self, ids: list[str]) -> None:
        with self.store.write() as db:
            articles.delete(db, ids)
            self.store.set_meta(db, "entities_stale", "1")
        self.search.delete(ids)
        self._deleted_any = True

    def _flush_index(self, force: bool = False) -> None:
        free = self.jobs < (os.cpu_count() or 1)  # a core the recognizer leaves free
        every = INDEX_EVERY if free else INDEX_EVERY_BUSY
        if self._ending and free and len(self._to_index) > TAIL_BATCHES * BATCH and (
            self._pool is not None and len(self._pool.waiting) <= TAIL_BATCHES
        ):
            self._ending = False  # once: the last batches wait for the final commit
            force = True
        if not self._to_index or (not force and len(self._to_index) < every):
            return
        self.search.add(self._to_index, new=self._new)
        self._to_index = []
        self._new = set()
        rowids, self._unindexed = self._unindexed, []
        with self.store.write() as db:
            articles.mark_indexed(db, rowids)


def identity(doc: RawDoc) -> str:
    """What a record of a many-record file is known by: its own id (a feed's guid), else its
    link, else its text. Never its place in the file."""
    if doc.id:
        return "id:" + safe_line(doc.id)
    if doc.url:
        return "url:" + safe_line(doc.url)
    text = f"{doc.title}\n{doc.text}".encode("utf-8", "replace")
    return "text:" + hashlib.sha256(text).hexdigest()[:32]


class _Stored:
    """The articles a file gave before, found again by what each record is known by."""

    def __init__(self, rows: dict[str, tuple[str, str, str]], by_record: bool) -> None:
        self.by_record = by_record
        self.rows = rows  # record -> (id, url, hash)
        self.taken: set[str] = set()  # records met in this reading of the file
        self._used: set[str] = set()

    def ids(self) -> list[str]:
        return [aid for aid, _url, _hash in self.rows.values()]

    def match(self, record: str, doc: RawDoc, digest: str) -> str | None:
        """The stored article this record is, or None for a new one."""
        row = self.rows.get(record)
        if row is not None and row[0] not in self._used:
            self._used.add(row[0])
            return row[0]
        if not self.by_record:
            return None
        # Records stored by an older reader are numbered by their place in the file: known
        # again by their id, link or whole content, and renamed to what they are known by.
        own = safe_line(doc.id) if doc.id else None
        for old, (aid, url, digest_) in self.rows.items():
            if not old.isdigit() or aid in self._used:
                continue
            if (own and aid == own) or (not own and doc.url and url == doc.url) or digest_ == digest:
                self._used.add(aid)
                return aid
        return None


def _meta(meta: dict) -> str:
    clean = {safe_line(k): _clean_value(v) for k, v in (meta or {}).items()}
    return dumps(clean)


def _clean_value(value: object) -> object:
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None  # NaN, Infinity, 1e400: not JSON, so never stored to be exported
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_clean_value(v) for v in value]
    if isinstance(value, dict):
        return {safe_line(k): _clean_value(v) for k, v in value.items()}
    return safe_text(json.dumps(value, default=str))




class _Found:
    """One recognised mention, (start, end, text, label, sent_start, sent_end, key), as
    index.entities.institutions.qualify reads it."""

    __slots__ = ("label", "sent_start", "start", "text")

    def __init__(self, m: tuple) -> None:
        self.start, self.text, self.label, self.sent_start = m[0], m[2], m[3], m[4]


def _placed(found: list[tuple], place: str) -> list[tuple]:
    """An article's mentions with each generic institution keyed by its country ("treasury
    (italy)"), as relinking would key them: the article is indexed once, with its final keys,
    instead of again after the relink."""
    from index.entities.institutions import placed

    order = sorted(range(len(found)), key=lambda i: found[i][0])  # by start, as stored
    keys = placed([_Found(found[i]) for i in order], [found[i][6] for i in order], place)
    out = list(found)
    for i, key in zip(order, keys):
        if key != found[i][6]:
            out[i] = (*found[i][:6], key, *found[i][7:])
    return out
