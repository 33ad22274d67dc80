"""Provides backup() and restore(): a library's database copied with SQLite's backup API.

Only ``library.db`` is copied: it holds every article, mention, decision and pin. The search
index is derived from it and is rebuilt on restore. The backup API copies a consistent snapshot
even while another process writes, and never touches ``-wal`` files by hand; the copy is a
single self-contained file (journal mode DELETE), checked with ``integrity_check``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from index.errors import LibraryDamaged, LibraryError
from index.private import open_private, private_dir, private_file
from index.safe import safe_line
from index.store import SCHEMA, SCHEMA_VERSION, lock_wait, sqlite_uri
from index.store import salvage
from index.store.db import is_damage, open_read

#: Tables a file must have to be taken for a reader library.
_REQUIRED = frozenset({"meta", "articles", "mentions", "decisions"})


@dataclass(frozen=True)
class BackupReport:
    """What a backup or a restore copied."""

    path: Path  # the backup file (backup) or the library folder (restore)
    articles: int
    decisions: int  # merges and ignores
    pins: int
    size: int  # bytes of the database copied
    replaced: Path | None = None  # restore --force: where the library's old database was kept


#: In the library folder: the path of the last backup made, for the damaged-database message.
LAST_BACKUP = "last-backup.txt"


def backup(db_file: Path, dest: Path, *, force: bool = False, remember: bool = True) -> BackupReport:
    """Copy the database ``db_file`` to ``dest`` (a file, or a folder to put a dated file in);
    ``remember``: note it as the library's last backup."""
    dest = Path(dest).expanduser()
    if dest.is_dir():
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
        dest = dest / f"reader-library-{stamp}.db"
    if dest.exists() and not force:
        raise LibraryError(f"{safe_line(str(dest))} exists already; use --force to overwrite it")
    if not dest.parent.is_dir():
        raise LibraryError(f"no folder {safe_line(str(dest.parent))} to write the backup in")
    tmp = dest.with_name(f".{dest.name}.partial")
    _unlink(tmp)
    try:
        source = _connect(db_file, readonly=True)
        try:
            _same_file(source, db_file)
            target = _connect(tmp, readonly=False)
            try:
                source.backup(target)  # one step: a consistent snapshot
                target.execute("PRAGMA journal_mode=DELETE")
                found = salvage.damage(tmp)  # SQLite's integrity check, and every text read
                if found:
                    raise damaged(db_file.parent, found[0])
                report = _counts(target, dest)
            finally:
                target.close()
        finally:
            source.close()
        _fsync(tmp)
        os.replace(tmp, dest)
        _fsync(dest.parent)
        try:
            report = _verify(dest, report)
        except (LibraryError, sqlite3.Error):
            _unlink(dest)
            raise
    except sqlite3.Error as exc:
        _unlink(tmp)
        if is_damage(exc):
            raise damaged(db_file.parent, str(exc)) from None
        raise LibraryError(f"the backup failed: {_reason(exc)}") from None
    except LibraryError:
        _unlink(tmp)
        raise
    except OSError as exc:
        _unlink(tmp)
        raise LibraryError(f"the backup failed: {exc.strerror or exc}") from None
    if remember:
        _remember(db_file.parent, dest)
    return BackupReport(dest, report.articles, report.decisions, report.pins, dest.stat().st_size)


def last_backup(folder: Path) -> Path | None:
    """The last backup made of the library ``folder``, if it is still there."""
    try:
        text = (folder / LAST_BACKUP).read_text(encoding="utf-8", errors="surrogateescape")
    except OSError:
        return None
    path = Path(text.strip())
    return path if text.strip() and path.is_file() else None


def damaged(folder: Path, what: str) -> LibraryDamaged:
    """The one line every command says on a damaged database: what, and the two ways out."""
    what = " ".join(what.split())
    if "Could not decode to UTF-8" in what:
        column = what.split("column ")[1].split(" with")[0] if "column " in what else "a column"
        what = f"a text in {column} is not UTF-8"
    elif len(what) > 160:
        what = what[:160] + "..."
    last = last_backup(folder)
    way_back = (f"or bring back the last backup with `reader restore --force {last}`" if last
                else "or bring back a backup with `reader restore --force FILE` (none is known)")
    return LibraryDamaged(f"the library's database is damaged ({safe_line(what)}): run"
                        f" `reader check --repair` to save what can be read, {safe_line(way_back)}")


def _remember(folder: Path, dest: Path) -> None:
    note = folder / LAST_BACKUP
    try:
        fd = open_private(Path(f"{note}.partial"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(str(dest.absolute()) + "\n")
        os.replace(f"{note}.partial", note)
    except OSError:  # a read-only library or a full disk: the backup itself is made
        _unlink(Path(f"{note}.partial"))


def restore(src: Path, folder: Path, *, force: bool = False) -> BackupReport:
    """Bring the backup ``src`` back as the database of the library ``folder``.

    Refuses to replace a library that holds articles, decisions or pins unless ``force``; then
    the old database is first backed up beside it (``library.db.before-restore-<time>``). The
    search index folder is emptied: the caller rebuilds it by opening the library.

    Only rows come back: they are copied, their text checked as UTF-8, into a fresh database
    made with this reader's own schema, so no trigger, view or index of the file survives.
    """
    src = Path(src).expanduser()
    folder = Path(folder).expanduser()
    if not src.is_file():
        raise LibraryError(f"no backup file {safe_line(str(src))}")
    try:
        source = _connect(src, readonly=True)
    except sqlite3.Error as exc:
        raise LibraryError(f"{safe_line(str(src))} cannot be read: {_reason(exc)}") from None
    fresh_file = folder / ".library.db.restoring"
    fresh: sqlite3.Connection | None = None
    try:
        _validate(source, src)
        incoming = _counts(source, folder)
        private_dir(folder)
        _unlink(fresh_file)
        fresh = _connect(fresh_file, readonly=False)
        _copy_rows(source, fresh, src)
        db_file = folder / "library.db"
        replaced = None
        if db_file.exists():
            current = _connect(db_file, readonly=False)
            try:
                have = _counts(current, folder)
                if have.articles or have.decisions or have.pins:
                    if not force:
                        raise LibraryError(
                            f"the library {safe_line(str(folder))} is not empty ({have.articles}"
                            f" articles, {have.decisions} decisions, {have.pins} pins); use --force"
                            " to replace it (its database is kept beside it)"
                        )
                    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
                    replaced = folder / f"library.db.before-restore-{stamp}"
                    backup(db_file, replaced, remember=False)
            finally:
                current.close()
        target = _connect(db_file, readonly=False)
        try:
            fresh.backup(target)  # page by page, through SQLite: the WAL stays consistent
            target.execute("PRAGMA journal_mode=WAL")
            _check(target, db_file)
        finally:
            target.close()
    except sqlite3.Error as exc:
        raise LibraryError(f"the restore failed: {_reason(exc)}") from None
    except OSError as exc:
        raise LibraryError(f"the restore failed: {exc.strerror or exc}") from None
    finally:
        source.close()
        if fresh is not None:
            fresh.close()
        _unlink(fresh_file)
    index = folder / "index"
    if index.is_dir():
        shutil.rmtree(index, ignore_errors=True)
    return BackupReport(folder, incoming.articles, incoming.decisions, incoming.pins,
                        src.stat().st_size, replaced)


def _connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    if readonly:
        db = open_read(path, lock_wait())
    else:
        private_file(path)  # backups, restores and their journals are the user's alone
        db = sqlite3.connect(sqlite_uri(path, "mode=rwc"), uri=True, isolation_level=None,
                             timeout=lock_wait())
    db.execute(f"PRAGMA busy_timeout={int(lock_wait() * 1000)}")
    return db


def _verify(dest: Path, made: BackupReport) -> BackupReport:
    """Read the finished backup back: it opens, and holds what was copied (its counts)."""
    db = _connect(dest, readonly=True)
    try:
        _validate(db, dest)
        got = _counts(db, dest)
    finally:
        db.close()
    if (got.articles, got.decisions, got.pins) != (made.articles, made.decisions, made.pins):
        raise LibraryError(
            f"the backup {safe_line(str(dest))} does not read back as written ({got.articles}"
            f" articles, {got.pins} pins instead of {made.articles} and {made.pins})"
        )
    return got


def _same_file(db: sqlite3.Connection, path: Path) -> None:
    """The connection opened ``path`` itself (SQLite names the file it opened)."""
    opened = next((r[2] for r in db.execute("PRAGMA database_list") if r[1] == "main"), "")
    if not opened or not os.path.samefile(opened, path):
        raise LibraryError(f"{safe_line(str(path))} could not be opened as itself")


def _validate(db: sqlite3.Connection, path: Path) -> None:
    name = safe_line(str(path))
    try:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError:
        raise LibraryError(f"{name} is not a reader backup (not an SQLite database)") from None
    if not _REQUIRED <= tables:
        raise LibraryError(f"{name} is not a reader backup (it has no articles table)")
    row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    if row is None or not str(row[0]).isdigit() or int(row[0]) > SCHEMA_VERSION:
        raise LibraryError(f"{name} was written by a newer reader; update reader to restore it")
    _check(db, path)


def _copy_rows(source: sqlite3.Connection, fresh: sqlite3.Connection, path: Path) -> None:
    """Make ``fresh`` a library with this reader's schema holding the rows of ``source``: the
    columns both know, every text checked as UTF-8 (a damaged or crafted text is refused)."""
    fresh.executescript("BEGIN;" + SCHEMA + "COMMIT;")
    ours = [r[0] for r in fresh.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    theirs = {r[0] for r in source.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'")}
    source.text_factory = bytes  # read text as bytes: decoded strictly below
    unknown_columns = False
    fresh.execute("BEGIN")
    try:
        for table in ours:
            if table not in theirs:
                continue
            want = [r[1] for r in fresh.execute(f'PRAGMA table_info("{table}")')]
            have = {r[1].decode() if isinstance(r[1], bytes) else r[1]
                    for r in source.execute(f'PRAGMA table_info("{table}")')}
            columns = [c for c in want if c in have]
            unknown_columns |= len(columns) < len(want)
            listed = ", ".join(f'"{c}"' for c in columns)
            insert = (f'INSERT OR IGNORE INTO "{table}" ({listed})'
                      f" VALUES ({', '.join('?' for _ in columns)})")
            rows = source.execute(f'SELECT {listed} FROM main."{table}"')
            while batch := rows.fetchmany(1000):
                fresh.executemany(insert, [_text_row(row, table, path) for row in batch])
        fresh.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)",
                      (str(SCHEMA_VERSION),))
        if unknown_columns:  # an older backup: the library fills in what it lacks on opening
            fresh.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('langs_unknown', '1')")
        if "spread_pending" not in theirs:  # names never spread (ingest/propagate.py): on opening
            fresh.execute("INSERT OR IGNORE INTO spread_pending SELECT rowid FROM articles")
            fresh.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('entities_stale', '1')")
        fresh.execute("COMMIT")
    finally:
        source.text_factory = str
        if fresh.in_transaction:
            fresh.execute("ROLLBACK")
    _check(fresh, path)


def _text_row(row: tuple, table: str, path: Path) -> tuple:
    out = []
    for value in row:
        if isinstance(value, bytes):
            try:
                value = value.decode("utf-8")
            except UnicodeDecodeError:
                raise LibraryError(
                    f"{safe_line(str(path))} is damaged: a row of its {table} table holds text"
                    " that is not UTF-8; nothing was restored"
                ) from None
        out.append(value)
    return tuple(out)


def _check(db: sqlite3.Connection, path: Path) -> None:
    answer = "; ".join(str(r[0]) for r in db.execute("PRAGMA integrity_check"))
    if answer != "ok":
        raise LibraryError(f"{safe_line(str(path))} is damaged (integrity check: {answer[:200]})")


def _counts(db: sqlite3.Connection, path: Path) -> BackupReport:
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def count(table: str) -> int:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]) if table in tables else 0

    return BackupReport(path, count("articles"), count("decisions"), count("pins"), 0)


def _reason(exc: sqlite3.Error) -> str:
    message = str(exc)
    if "full" in message:
        return "the disk is full"
    return message


def _fsync(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
