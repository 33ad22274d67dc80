"""Provides the library's upkeep: what opening a library finishes (languages, an interrupted
import), noticing a library replaced on disk (a restore, a deleted index), `check` and
`check --repair` (which salvages a damaged database), and the import lock.

These are functions of a Library's own parts (its store, search index and lock), kept apart
from the facade: Library's methods of the same names delegate here.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from index.errors import LibraryBusy, LibraryError, ReaderError
from index.models import CheckReport
from index.private import open_private, private_file
from index.store import articles, lock_wait

if TYPE_CHECKING:
    from index.library import Library

__all__ = [
    "INDEX_TOKEN", "check", "detect_languages", "explain_error", "file_id", "finish_interrupted",
    "folder_lock", "index_token", "reopen", "replaced", "unusable",
]


def detect_languages(lib: Library) -> None:
    """A library made before languages were detected gets them once, when first opened
    for writing (under 1 ms an article); its search index is rebuilt with them. Opening
    never fails for this: a busy library is done at a later opening."""
    if lib.readonly:
        return
    try:
        if lib.store.get_meta("langs_unknown") != "1":
            return
        from index.ingest.language import detect

        last = 0
        while rows := articles.unknown_langs(lib.store.db, last, 2000):
            last = rows[-1][0]
            found = [
                (lang, rowid) for rowid, title, text in rows if (lang := detect(text, title))
            ]
            with lib.store.write() as db:
                articles.set_langs(db, found)
        with lib.store.write() as db:
            lib.store.set_meta(db, "langs_unknown", "0")
    except (ReaderError, sqlite3.Error):
        pass

def finish_interrupted(lib: Library) -> None:
    """An import killed before its end left entities to relink: do it now, unless an import
    is running (it relinks when it ends). Opening never fails for this; check reports it."""
    if lib.readonly:
        return
    try:
        if lib.store.get_meta("entities_stale") != "1":
            return
        with lib._import_lock(wait=0.0):
            lib._spread()
            if lib.store.get_meta("entities_stale") == "1":
                lib.relink()
    except (ReaderError, sqlite3.Error, OSError):
        pass

def replaced(lib: Library) -> str | None:
    """Why what this object has open is no longer the library on disk, or None: "restored"
    when the database file was replaced (a ``reader restore`` from another process: its
    counts may even equal the old ones), "index" when the search index folder was deleted
    or replaced. A long-lived reader (the TUI) polls this and then calls ``reopen``."""
    if file_id(lib.path / "library.db") not in (None, lib._db_file_id):
        return "restored"
    with lib._search_lock:
        if lib._search is not None and index_token(lib.path) != lib._index_id:
            return "index"
    return None

def reopen(lib: Library) -> str:
    """Read the library on disk again (after ``replaced``): the database and the search
    index are opened anew, the index rebuilt from the store if it is missing. Raises
    LibraryBusy while a restore or an import holds the library (look again later). Returns
    one line for the user."""
    lock = nullcontext() if lib.readonly else folder_lock(lib.path, 0)
    with lock, lib._search_lock:
        db_id = file_id(lib.path / "library.db")
        restored = db_id not in (None, lib._db_file_id)
        gone = index_token(lib.path) is None  # deleted, not replaced
        if lib._search is not None:
            lib._search.close()
            lib._search = None
        lib.store.close()
        lib._db_file_id = db_id
        lib._summaries = None
        lib.index_notice = None
        search = lib._index()
        lib.index_notice = None
        count = search.count()
    if restored:
        return "The library's database was replaced on disk: it was read again."
    if gone:
        return (f"The search index was deleted: it was rebuilt from the library ({count}"
                f" {'article' if count == 1 else 'articles'}).")
    return ("The library changed on disk (a restore, or its search index made anew):"
            " it was read again.")

def check(lib: Library, *, repair: bool = False, wait: float | None = None, salvage: bool = False
) -> CheckReport:
    """Compare the store and the index; with ``repair``, re-index and clean up.

    A repair takes the import lock, waiting ``wait`` seconds (READER_LOCK_WAIT by default)
    before raising LibraryBusy. Searches wait while the index is compared; SQLite's
    integrity check and the reading of every text, the slow part on a big library, run
    before, without holding them up. A damaged database is only reported, unless
    ``repair`` and ``salvage`` (`reader check --repair`): then what can be read is saved
    into a fresh database and the report says what was lost.
    """
    from index.search import SearchIndex
    from index.store import salvage as salvaging

    damage = salvaging.damage(lib.store.path)
    if damage:
        return _damaged(lib, damage, repair=repair and salvage and not lib.readonly,
                             wait=wait)
    db = lib.store.db
    integrity = "ok"
    with lib._search_lock:
        if lib._search is None:  # every segment file checksummed, sound before or not
            lib._search = SearchIndex(lib.path / "index", verify=True)
        search = lib._search
        rebuilt = search.rebuilt_reason
        ids = set(articles.ids(db))
        have = search.ids()
        missing = len(ids - have)
        orphans = len(have - ids)
        leftovers = search.leftovers()
        indexed = search.count()
        pending = articles.pending_count(db)
        stale = lib.store.get_meta("entities_stale") == "1"
        problems = []
        if rebuilt:
            problems.append(f"{unusable(rebuilt)}; it was emptied to be rebuilt")
        if missing:
            problems.append(f"{missing} articles are missing from the search index")
        if orphans:
            problems.append(f"{orphans} index documents have no article")
        if pending and not missing:
            problems.append(f"{pending} articles are waiting to be indexed")
        if leftovers:
            problems.append(f"{leftovers} leftover files in the index folder")
        if stale:
            problems.append("entities need relinking after an interrupted import")
        repaired = False
        if repair and problems and not lib.readonly:
            with lib._import_lock(wait):
                lib._catch_up(search, full=True)
                search.leftovers(remove=True)
                if stale:
                    lib._spread()
                    lib.relink()
            search.rebuilt_reason = None  # said once; the index is whole again
            repaired = True
    counts = articles.totals(db)
    return CheckReport(
        articles=counts[0], mentions=counts[1], entities=counts[2], indexed=indexed,
        missing=missing, orphans=orphans, leftovers=leftovers, integrity=integrity,
        rebuilt=rebuilt is not None, repaired=repaired, problems=tuple(problems),
    )

def _damaged(lib: Library, damage: list[str], *, repair: bool, wait: float | None) -> CheckReport:
    """check() on a damaged database: say what is damaged; with ``repair``, salvage."""
    from index.store.backup import damaged

    problems = tuple(f"the database is damaged: {d}" for d in damage)
    if not repair:
        try:
            counts = articles.totals(lib.store.db)
        except (sqlite3.Error, LibraryError):
            counts = (0, 0, 0)
        return CheckReport(
            articles=counts[0], mentions=counts[1], entities=counts[2], indexed=0, missing=0,
            orphans=0, leftovers=0, integrity=damage[0], problems=problems,
            advice=str(damaged(lib.path, "see the problems above")),
        )
    with lib._import_lock(wait):
        said = _salvage(lib)
    counts = articles.totals(lib.store.db)
    return CheckReport(
        articles=counts[0], mentions=counts[1], entities=counts[2],
        indexed=lib._search.count() if lib._search is not None else 0, missing=0,
        orphans=0, leftovers=0, integrity=damage[0], repaired=True, problems=problems,
        salvaged=tuple(said),
    )

def _salvage(lib: Library) -> list[str]:
    """Save what can be read of the damaged database into a fresh one, put it in place,
    rebuild the search index from it; the damaged file is kept beside it. Says what."""
    import shutil
    from datetime import datetime, timezone

    from index.search import SearchIndex
    from index.store import salvage as salvaging

    db_file = lib.store.path
    known: set[str] = set()
    with lib._search_lock:
        try:
            if lib._search is None:
                lib._search = SearchIndex(lib.path / "index")
            known = set(lib._search.ids())
        except Exception:  # noqa: BLE001 - an unreadable index names no lost article
            known = set()
        if lib._search is not None:
            lib._search.close()
            lib._search = None
    fresh = lib.path / ".library.db.salvage"
    _remove(fresh)
    result = salvaging.salvage(db_file, fresh, known)
    lib.store.close()
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    kept = lib.path / f"library.db.damaged-{stamp}"
    private_file(kept)
    shutil.copyfile(db_file, kept)
    if Path(f"{db_file}-wal").exists():
        private_file(Path(f"{kept}-wal"))
        shutil.copyfile(f"{db_file}-wal", f"{kept}-wal")
    salvaging.install(fresh, db_file)
    lib.store.damage = None
    shutil.rmtree(lib.path / "index", ignore_errors=True)
    lib._index()  # indexes every saved article again
    lib.relink()
    lib.index_notice = None
    saved = result.saved
    said = [f"saved {saved.get('articles', 0)} articles, {saved.get('mentions', 0)} mentions,"
            f" {saved.get('decisions', 0)} merges and ignores and {saved.get('pins', 0)} pins"
            " into a fresh database; the search index was rebuilt from it"]
    if result.from_pages:
        found = ", ".join(f"{n} {t}" for t, n in result.from_pages.items())
        said.append(f"found by reading the file's pages where SQLite could not: {found}"
                    " (an article found so is analysed again when its file is added again)")
    for table in result.unreadable:
        if table != "articles" or not known:
            said.append(f"lost: the rows of the {table} table that could not be read, if any"
                        " (how many, nothing else can tell)")
    if result.lost_articles:
        shown = ", ".join(result.lost_articles[:10])
        more = f" and {len(result.lost_articles) - 10} more" if len(result.lost_articles) > 10 else ""
        said.append(f"lost: {len(result.lost_articles)} articles ({shown}{more}); add their"
                    " files again with `reader add` to bring them back")
    if result.damaged_text:
        shown = ", ".join(result.damaged_text[:10])
        texts = "1 text" if len(result.damaged_text) == 1 else f"{len(result.damaged_text)} texts"
        said.append(f"kept with \ufffd for their damaged bytes: {texts} ({shown})")
    said.append(f"the damaged database is kept as {kept}")
    return said



@contextmanager
def folder_lock(path: Path, wait: float | None) -> Iterator[None]:
    """The import lock of the library folder ``path`` (an flock, freed if the holder dies)."""
    wait = lock_wait() if wait is None else wait
    try:
        handle = os.fdopen(open_private(path / "import.lock", os.O_RDWR | os.O_CREAT | os.O_APPEND),
                           "a+")
    except OSError as exc:
        raise LibraryError(f"cannot lock the library {path}: {exc.strerror or exc}") from None
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LibraryBusy(
                        f"another import is running in {path}; try again when it ends"
                    ) from None
                time.sleep(0.1)
        yield
    finally:
        handle.close()


def explain_error(folder: Path, exc: BaseException) -> ReaderError | None:
    """An SQLite error met while reading the library ``folder``, as the one line to say (a
    damaged database: what, `reader check --repair`, the last backup), or None."""
    from index.store.db import _translate

    if isinstance(exc, sqlite3.Error):
        return _translate(exc, Path(folder) / "library.db")
    return None


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def unusable(reason: str) -> str:
    """SearchIndex.rebuilt_reason as the first half of a sentence: "the search index could not
    be used (its newest table of contents ... is empty)"."""
    why = reason.split("; it was emptied")[0].strip().rstrip(".")
    return why[:1].lower() + why[1:]


def file_id(path: Path) -> tuple[int, int] | None:
    """(device, inode) of ``path``: a file replaced by rename or a folder made anew differs."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


#: A random token written into each search index folder when it is first opened: an index made
#: anew (restored, deleted and rebuilt) has another one, even where its generation number and
#: its folder's inode are the same as the old one's.
INDEX_TOKEN = "reader-index-id"


def index_token(library: Path, make: bool = False) -> str | None:
    path = library / "index" / INDEX_TOKEN
    try:
        return path.read_text(encoding="ascii").strip() or None
    except (OSError, ValueError):
        if not make:
            return None
    import uuid

    token = uuid.uuid4().hex
    tmp = path.with_name(INDEX_TOKEN + ".tmp")
    try:
        with os.fdopen(open_private(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), "w") as f:
            f.write(token)
        os.replace(tmp, path)
    except OSError:
        return None
    return token
