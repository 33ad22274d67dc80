"""Provides SearchIndex: full-text search over the library in one Whoosh index folder.

The SQLite store is the source of truth; this index can always be rebuilt from it. Whoosh
(whoosh-reloaded 2.7.5) is unmaintained and fragile, so the index:

* parses queries itself (``query``), builds Whoosh query objects directly (``compile``) and
  explains a bad query in one line (``QueryError``);
* takes the write lock itself with a bounded wait (``LibraryBusy``), fsyncs what a commit wrote,
  keeps a checksum manifest of the segment files so a flipped byte is noticed at open, and
  removes the ``_MAIN_N.toc.<timestamp>`` files Whoosh leaves behind (``segments``);
* opens a fresh searcher whenever the index generation changes (``refresh()`` can return stale
  and duplicated hits);
* never lets a Whoosh exception escape: an unreadable index is emptied and ``rebuilt_reason`` says
  why (the caller re-indexes from SQLite); other failures become ``LibraryError``.

Snippets are made from the text the caller passes back (``text_of``); bodies are not stored.

It is a little over 600 lines, all of it the one SearchIndex class: opening, writing, the
lock, rebuilding and searching share its state; the parser, compiler, snippets, counting and
segment handling are the modules beside it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Container, Iterable, Iterator
from pathlib import Path
from typing import Any, Self

from whoosh import sorting
from whoosh.collectors import TopCollector
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile
from whoosh.index import TOC, FileIndex

from index.dates import date_key
from index.errors import LibraryBusy, LibraryError, QueryError, ReaderError
from index.private import open_private, private_dir, private_file
from index.safe import safe_line, safe_text
from index.search.analysis import WORD, normalize_key, term_of
from index.search.compile import Compiler
from index.search.count import count, countable
from index.search.query import parse, quote
from index.search.records import IndexDoc, RawHit
from index.search.schema import SCHEMA, SCHEMA_VERSION
from index.search.segments import (
    INDEXNAME,
    LOCK_FILE,
    MANIFEST,
    SEGMENT_RE,
    TOC_RE,
    TOC_TEMP_RE,
    VERIFIED,
    WANTED,
    WRITER_MB,
    WRITER_TEMP,
    Verified,
    describe,
    file_sum,
    fsync,
)
from index.search.snippets import Highlighter

__all__ = ["SearchIndex"]

_DEFAULT_LOCK_TIMEOUT = 10.0
_WANTED_FRESH_NS = 2_000_000_000  # a request to give way is this recent, or stale
_SURROGATE = re.compile("[\ud800-\udfff]")


def _default_entity_keys(name: str) -> list[str] | None:
    return [normalize_key(name)]


def _no_text(doc_id: str) -> str:
    return ""


class SearchIndex:
    """The Whoosh index in one folder. Thread-safe: calls are serialised by a lock.

    Opening never fails on a damaged index: it is emptied, ``rebuilt_reason`` says why in one
    sentence, and the caller re-indexes from the store. Call ``leftovers(remove=True)`` at start
    to clear what a killed writer left behind.
    """

    def __init__(
        self, folder: Path, *, lock_timeout: float = _DEFAULT_LOCK_TIMEOUT, verify: bool = False
    ) -> None:
        """``verify``: checksum every segment file at opening, even those found sound before
        and unchanged since (``reader check``); see ``segments.Verified``."""
        self.folder = Path(folder)
        self.lock_timeout = lock_timeout
        self._verify = verify
        self.rebuilt_reason: str | None = None
        self._lock = threading.RLock()
        #: Documents of older segments this object's commits may still merge: each document it
        #: indexes earns MERGE_BUDGET (index/search/writer.py), each one merged spends one.
        self._credit = 0
        self._searcher: Any = None
        self._searcher_gen = -2
        try:
            private_dir(self.folder)
        except OSError as e:
            raise LibraryError(
                f"cannot create the search index folder: {e.strerror or e}"
            ) from None
        # Not memory-mapped: Whoosh copies every mapped file it opens into a BytesIO, so a
        # searcher held all the segments in memory twice (470 MB at 100,000 articles, for one
        # search); read from the files instead, searches are as fast.
        self._storage = _PrivateStorage(str(self.folder), supports_mmap=False)
        self._ix = self._open()

    # --- opening and checking ---------------------------------------------------------------

    def _open(self) -> FileIndex:
        gen = self._latest_gen()
        if gen >= 0 and self._problem(gen) is None:
            return FileIndex(self._storage, schema=SCHEMA, indexname=INDEXNAME)
        # New, or damaged. Look again holding the write lock before creating or emptying
        # anything: another process may be creating the index, or replacing files under us.
        with self._write_lock():
            gen = self._latest_gen()
            if gen < 0:
                segments = any(SEGMENT_RE.match(n) for n in self._listdir())
                problem = "its table of contents is missing" if segments else None
            else:
                problem = self._problem(gen)
                if problem is None:
                    return FileIndex(self._storage, schema=SCHEMA, indexname=INDEXNAME)
            return self._reset(problem)

    def _listdir(self) -> list[str]:
        try:
            return os.listdir(self.folder)
        except OSError:
            return []

    def _latest_gen(self) -> int:
        gens = [int(m.group(1)) for n in self._listdir() if (m := TOC_RE.match(n))]
        return max(gens, default=-1)

    def _read_manifest(self) -> dict[str, object] | None:
        try:
            with open(self.folder / MANIFEST, encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _problem(self, gen: int) -> str | None:
        """Why the index at generation ``gen`` can't be used, or None when it looks sound."""
        tocname = f"_{INDEXNAME}_{gen}.toc"
        try:
            if os.path.getsize(self.folder / tocname) == 0:
                return f"its newest table of contents ({tocname}) is empty"
        except OSError:
            return f"its newest table of contents ({tocname}) is missing"
        try:
            toc = TOC.read(self._storage, INDEXNAME, gen, schema=SCHEMA)
        except Exception as e:  # noqa: BLE001 - Whoosh raises anything on a bad TOC
            return f"its table of contents ({tocname}) is unreadable: {type(e).__name__}"
        manifest = self._read_manifest()
        listed: dict[str, object] = {}
        if manifest is not None:
            if manifest.get("schema") != SCHEMA_VERSION:
                return "it was written by another version of reader"
            got = manifest.get("files")
            listed = got if isinstance(got, dict) else {}
        names = self._listdir()
        unverified = False
        verified = Verified(self.folder)
        for seg in toc.segments:
            segid = seg.segment_id()
            present = [n for n in names if (m := SEGMENT_RE.match(n)) and m.group(1) == segid]
            expected = [n for n in listed if n.startswith(segid + ".")]
            missing = sorted(set(expected) - set(present))
            if not present or missing:
                return f"segment {(missing or [segid])[0]} is missing"
            for name in present:
                want = listed.get(name)
                if want is None:
                    unverified = True
                    continue
                if not self._verify and verified.sound(name, want):
                    continue
                state = verified.before_sum(name, want)
                try:
                    have = file_sum(str(self.folder / name))
                except OSError as e:
                    return f"segment file {name} cannot be read ({e.strerror or e})"
                if have != want:
                    return f"segment file {name} is damaged (its checksum changed)"
                verified.checked(name, state)
        try:
            ix = FileIndex(self._storage, schema=SCHEMA, indexname=INDEXNAME)
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
        verified.save({n for n in names if SEGMENT_RE.match(n)})
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
                    TOC_RE.match(name)
                    or TOC_TEMP_RE.match(name)
                    or SEGMENT_RE.match(name)
                    or name.startswith((MANIFEST, VERIFIED))
                ):
                    path.unlink()
                elif name == WRITER_TEMP and path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
            ix = FileIndex.create(self._storage, SCHEMA, INDEXNAME)
            self._sync_new(set())
        except OSError as e:
            raise LibraryError(
                f"cannot write the search index in {safe_line(str(self.folder))}: "
                f"{e.strerror or e}"
            ) from None
        return ix

    # --- locking, manifest, durability -----------------------------------------------------------

    @contextlib.contextmanager
    def _write_lock(self, wait: bool = True) -> Iterator[None]:
        """The write lock, waiting at most ``lock_timeout`` (or not at all); while it waits, it
        asks a compaction holding the lock to give way (``WANTED``)."""
        lock = self._storage.lock(LOCK_FILE)
        deadline = time.monotonic() + self.lock_timeout
        asked = False
        try:
            while not lock.acquire():
                if not wait or time.monotonic() > deadline:
                    raise LibraryBusy(
                        f"another process has been updating the search index for over "
                        f"{self.lock_timeout:g} s; try again when it has finished"
                    )
                with contextlib.suppress(OSError):
                    os.close(open_private(self.folder / WANTED, os.O_WRONLY | os.O_CREAT))
                    os.utime(self.folder / WANTED)
                    asked = True
                time.sleep(0.05)
        except OSError as e:
            raise LibraryError(
                f"cannot lock the search index for writing: {e.strerror or e}"
            ) from None
        if asked:  # another waiter asks again within 50 ms
            with contextlib.suppress(OSError):
                os.unlink(self.folder / WANTED)
        try:
            yield
        finally:
            with contextlib.suppress(Exception):
                lock.release()

    def _wanted(self) -> bool:
        """Whether another writer is waiting for the write lock (see ``_write_lock``)."""
        try:
            when = os.stat(self.folder / WANTED).st_mtime_ns
        except OSError:
            return False
        return when > time.time_ns() - _WANTED_FRESH_NS

    def _current_segment_ids(self) -> set[str] | None:
        gen = self._latest_gen()
        if gen < 0:
            return set()
        try:
            toc = TOC.read(self._storage, INDEXNAME, gen, schema=SCHEMA)
        except Exception:  # noqa: BLE001
            return None
        return {s.segment_id() for s in toc.segments}

    def _write_manifest(self, files: dict[str, list[int]]) -> None:
        data = {"schema": SCHEMA_VERSION, "files": files}
        tmp = self.folder / (MANIFEST + ".tmp")
        fd = open_private(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.folder / MANIFEST)

    def _sync_new(self, old: set[str]) -> None:
        """After a commit: fsync the new files, record their checksums, drop leftovers."""
        self._remove_strays()
        segids = self._current_segment_ids() or set()
        manifest = self._read_manifest() or {}
        listed = manifest.get("files") if manifest.get("schema") == SCHEMA_VERSION else None
        before: dict[str, list[int]] = listed if isinstance(listed, dict) else {}
        files: dict[str, list[int]] = {}
        for name in self._listdir():
            m = SEGMENT_RE.match(name)
            if not m or m.group(1) not in segids:
                continue
            if name in before and name in old:
                files[name] = before[name]
            else:
                path = str(self.folder / name)
                fsync(path)
                files[name] = file_sum(path)
        gen = self._latest_gen()
        if gen >= 0:
            fsync(str(self.folder / f"_{INDEXNAME}_{gen}.toc"))
        self._write_manifest(files)
        fsync(str(self.folder))

    def _strays(self) -> list[str]:
        segids = self._current_segment_ids()
        gen = self._latest_gen()
        out = []
        for name in self._listdir():
            if (TOC_TEMP_RE.match(name) or name == MANIFEST + ".tmp"
                    or name.startswith(VERIFIED + ".") and name.endswith(".tmp")):
                out.append(name)
            elif m := TOC_RE.match(name):
                if int(m.group(1)) != gen:
                    out.append(name)
            elif (m := SEGMENT_RE.match(name)) and segids is not None:
                if m.group(1) not in segids:
                    out.append(name)
            elif name == WRITER_TEMP:
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
                private_dir(self.folder)
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
    def _writing(
        self, action: str, *, budget: int | None = 0, stop: Callable[[], bool] | None = None,
    ) -> Iterator[Any]:
        """One writer under our own bounded write lock; commit, fsync, checksum, tidy.

        ``budget``: documents of older segments its commit may merge (None: what the size tiers
        want). With ``stop`` (a compaction), the lock is not waited for and the merge gives way
        when ``stop`` says so, raising ``Stopped``: nothing is committed.
        """
        from index.search.writer import Codec, Stopped, Writer

        self._ensure()
        with self._write_lock(wait=stop is None):
            old = set(self._listdir())
            try:
                writer = Writer(self._ix, _lk=False, limitmb=WRITER_MB, codec=Codec(),
                                budget=budget, stop=stop)
            except Exception as e:  # noqa: BLE001
                raise LibraryError(
                    f"cannot write the search index while {action}: {describe(e)}"
                ) from None
            try:
                yield writer
            except BaseException as e:
                with contextlib.suppress(Exception):
                    writer.cancel()
                if isinstance(e, ReaderError) or not isinstance(e, Exception):
                    raise
                raise LibraryError(
                    f"cannot write the search index while {action}: {describe(e)}"
                ) from None
            try:
                writer.commit()
            except Exception as e:  # noqa: BLE001
                with contextlib.suppress(Exception):
                    writer.cancel()
                if isinstance(e, Stopped):  # what the merge wrote goes now, not at the next write
                    with contextlib.suppress(OSError):
                        self._remove_strays()
                    raise
                self._drop_searcher()
                raise LibraryError(
                    f"cannot write the search index while {action}: {describe(e)}"
                ) from None
            if stop is None:  # a compaction's thread does not wait for searches to finish
                self._drop_searcher()
            try:
                self._sync_new(old)
            except OSError as e:
                raise LibraryError(
                    f"cannot finish writing the search index: {e.strerror or e}"
                ) from None

    # --- the contract ----------------------------------------------------------------------------

    def add(self, docs: Iterable[IndexDoc], *, new: Container[str] = frozenset()) -> int:
        """Index (or re-index) documents by id in one commit; returns how many were written.

        ``new``: ids the caller knows the index does not hold (articles new to the library):
        they are added without looking for an old version, which costs a lookup in every
        segment per document.
        """
        pending: dict[str, IndexDoc] = {}
        for doc in docs:
            if not isinstance(doc.id, str) or not doc.id or _SURROGATE.search(doc.id):
                raise ValueError(f"an IndexDoc needs a non-empty text id, not {doc.id!r}")
            pending[doc.id] = doc  # the same id twice in one batch: the last one wins
        if not pending:
            return 0
        from index.search.writer import MERGE_BUDGET

        budget = self._credit + MERGE_BUDGET * len(pending)
        with self._lock, self._writing("adding articles", budget=budget) as w:
            # an empty index has nothing to replace; one searcher serves every lookup (Whoosh
            # would open one over all segments per document)
            old = [i for i in pending if i not in new] if w.segments else []
            if old:
                searcher = w.searcher()
                try:
                    for doc_id in old:
                        w.delete_by_term("id", doc_id, searcher=searcher)
                finally:
                    searcher.close()
            for doc in pending.values():
                w.add_document(**_fields_of(doc))
        self._credit = budget - w.merged
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
        from whoosh.writing import CLEAR

        from index.search.writer import Codec, Writer

        with self._lock, self._write_lock():
            self._drop_searcher()
            try:
                writer = Writer(self._ix, _lk=False, codec=Codec())
                writer.commit(mergetype=CLEAR)
                self._sync_new(set())
            except ReaderError:
                raise
            except Exception as e:  # noqa: BLE001
                raise LibraryError(f"cannot empty the search index: {describe(e)}") from None

    def compact(self, stop: Callable[[], bool] | None = None) -> int:
        """Merge the segments as far as the size tiers want, however many documents that
        rewrites (an import merges only what it pays for: see ``add``); returns how many
        documents were merged, 0 when there was nothing to do or another writer held or wanted
        the index, or ``stop`` said so (it gives way at once, leaving the index as it was).

        For a place nobody waits on (the reader's start-up check, ``reader check --repair``):
        searches go on meanwhile, on the segments as they were; a kill leaves the index as it
        was, and what the merge had written as leftovers the next writer removes.
        """
        from index.search.writer import Stopped, plan

        with self._lock:
            self._ensure()
        if not plan(self.segment_sizes(), 0):
            return 0
        try:
            with self._writing("merging its segments", budget=None,
                               stop=lambda: self._wanted() or bool(stop and stop())) as w:
                pass
        except (Stopped, LibraryBusy):
            return 0
        return int(w.merged)

    def segment_sizes(self) -> list[int]:
        """How many live documents each segment holds, in the order of the table of contents."""
        with self._lock:
            gen = self._ensure()
            try:
                toc = TOC.read(self._storage, INDEXNAME, gen, schema=SCHEMA)
            except Exception as e:  # noqa: BLE001
                raise LibraryError(
                    f"the search index could not be read ({type(e).__name__}); "
                    "run 'reader check --repair' to rebuild it"
                ) from None
            return [s.doc_count() for s in toc.segments]

    def ids(self) -> set[str]:
        """Every indexed document id."""
        with self._lock, self._reading("listing ids") as s:
            return {f["id"] for f in s.all_stored_fields() if "id" in f}

    def containing(self, names: Iterable[str]) -> set[str] | None:
        """The ids of the documents whose body may write one of ``names`` as whole words: a
        superset (the caller reads those texts), from the postings of each name's rarest word.
        None when a name has no word the index holds (a stop word, "US"): only reading every
        text can tell.

        A name's last word may run on into a longer token ("Amazon" of "Amazon.com"), so it
        serves only when it is the name's one word, and then the index's words that begin with
        it and a dot are looked up too."""
        wanted: list[tuple[list[str], str]] = []
        for name in names:
            words = WORD.findall(name)
            inner = [t for t in map(term_of, words[:-1]) if t]  # tokens as the text has them
            last = term_of(words[-1]) if words else ""
            if inner:
                wanted.append((inner, ""))
            elif last:
                runs_on = name[-1].isalnum() or name[-1] == "_"
                wanted.append(([last], words[-1].lower() + "." if runs_on else ""))
            else:
                return None
        with self._lock, self._reading("looking up names") as s:
            reader = s.reader()
            docs: set[int] = set()
            for terms, prefix in wanted:
                rare = min(terms, key=lambda t: reader.doc_frequency("body", t))
                for term in [rare, *(reader.expand_prefix("body", prefix) if prefix else ())]:
                    if reader.doc_frequency("body", term):
                        docs.update(reader.postings("body", term).all_ids())
            return {s.stored_fields(n)["id"] for n in docs}

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
        with self._lock:
            compiler, compiled = self._compile(query, entity_keys, expand)
            with self._reading("searching") as s:
                if sort == "date":  # the sorting collector sees every match: it counts them
                    results = s.search(compiled, limit=max(1, limit),
                                       sortedby=sorting.FieldFacet("when", reverse=True))
                    total = len(results)
                elif countable(compiled):
                    # Whoosh ranks skipping blocks that cannot reach the top; the total is
                    # counted apart, from posting blocks (its own count walks every match again)
                    results = s.search(compiled, limit=max(1, limit))
                    got = count(s, compiled)
                    total = len(results) if got is None else got
                else:
                    # A phrase (an entity's other names) or a NOT: one walk both ranks and counts
                    # (no block skipped, no part of the query dropped for a low score), where
                    # ranking then counting walked every match twice
                    top = TopCollector(max(1, limit), usequality=False, replace=0)
                    s.search_with_collector(compiled, top)
                    results, total = top.results(), top.count()
                # Sorted by date, Whoosh's "score" is the sort key: report no relevance then.
                found = [
                    (r["id"], float(r.score or 0.0) if sort == "relevance" else 0.0)
                    for r in results[: max(0, limit)]
                ]
        highlighter = Highlighter(compiler.marks)
        hits = []
        for doc_id, score in found:
            body = text_of(doc_id) or ""  # cleaned piece by piece in the snippet
            if not isinstance(body, str):
                body = str(body)
            snippet, spans, terms = highlighter.snippet(body)
            hits.append(RawHit(doc_id, score, snippet, spans, terms))
        return hits, total, tuple(compiler.also)

    def matching(
        self,
        query: str,
        *,
        entity_keys: Callable[[str], list[str] | None] = _default_entity_keys,
        expand: Callable[[str], list[str]] | None = None,
    ) -> list[str]:
        """The ids of every article ``query`` matches, in no order (facets count over them)."""
        with self._lock:
            _, compiled = self._compile(query, entity_keys, expand)
            with self._reading("searching") as s:
                return [s.stored_fields(n)["id"] for n in s.docs_for_query(compiled)]

    def hit_spans(
        self,
        query: str,
        text: str,
        *,
        entity_keys: Callable[[str], list[str] | None] = _default_entity_keys,
        expand: Callable[[str], list[str]] | None = None,
    ) -> list[tuple[int, int]]:
        """(start, end) of what ``query`` marks in ``text``: the marks its snippets are cut around.

        Raises QueryError like ``search`` for a malformed query.
        """
        with self._lock:
            compiler, _ = self._compile(query, entity_keys, expand)
        return [(s, e) for s, e, _ in Highlighter(compiler.marks).find(text)]

    def _compile(
        self,
        query: str,
        entity_keys: Callable[[str], list[str] | None],
        expand: Callable[[str], list[str]] | None,
    ) -> tuple[Compiler, Any]:
        """The query parsed and compiled against the current index (lock held)."""
        q, tree = parse(query)
        with self._reading("searching") as s:
            reader = s.reader()
        compiler = Compiler(reader, entity_keys, expand, q)
        compiled = compiler.compile(tree)
        if compiled is None:
            raise QueryError(f"no searchable terms in {quote(query)}")
        return compiler, compiled

    def close(self) -> None:
        with self._lock:
            self._drop_searcher()

    def __enter__(self) -> Self:
        return self

    def __del__(self) -> None:
        # The searcher holds the segment files open (they are read, not mapped): a forgotten
        # index closes them when it goes, instead of leaving it to the garbage collector.
        with contextlib.suppress(Exception):
            self._drop_searcher()

    def __exit__(self, *exc: object) -> None:
        self.close()


class _PrivateStorage(FileStorage):
    """Whoosh's file storage, with every file it creates private (0600): an index holds the
    text of every article."""

    def create_file(self, name, excl=False, mode="wb", **kwargs):  # noqa: ANN001 - Whoosh's
        flags = os.O_CREAT | os.O_RDWR | (os.O_EXCL if excl else os.O_TRUNC)
        fd = open_private(Path(self._fpath(name)), flags)
        return StructFile(os.fdopen(fd, mode), name=name, **kwargs)

    def lock(self, name):  # noqa: ANN001 - Whoosh's
        private_file(Path(self._fpath(name)))  # Whoosh's lock would make it 0755
        return super().lock(name)


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
    out["written"] = "\n".join(
        str(out[f]) for f in ("title", "body", "source", "author") if out.get(f))
    keys = sorted({normalize_key(k) for k in doc.keys if k} - {""})
    if keys:
        out["keys"] = ",".join(keys)
    labels = sorted({safe_line(t).lower() for t in doc.types if t} - {""})
    if labels:
        out["types"] = ",".join(labels)
    if doc.lang:
        out["lang"] = safe_line(doc.lang).lower()
    when = date_key(doc.date)
    if when:
        out["when"] = when
    return out
