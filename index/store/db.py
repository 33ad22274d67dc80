"""Provides Store: the SQLite file that is the library's source of truth (connections, schema,
migrations, locks).

WAL journal, ``synchronous=FULL`` (a pin or merge survives a power cut), and ``BEGIN IMMEDIATE``
for every write so that a second writer waits for the lock instead of failing half-way.
Each thread gets its own connection.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from index.errors import LibraryBusy, LibraryDamaged, LibraryError
from index.private import private_file

SCHEMA_VERSION = 2
#: Columns added to a table after version 1: (table, column, definition), for _add_columns().
ADDED_COLUMNS = (
    ("articles", "lang", "TEXT NOT NULL DEFAULT ''"),
    ("mentions", "spread", "INTEGER NOT NULL DEFAULT 0"),
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- One row a file fully imported: re-adding it with the same hash does no work.
CREATE TABLE IF NOT EXISTS files (
    path    TEXT PRIMARY KEY,
    sha256  TEXT NOT NULL,
    size    INTEGER NOT NULL,
    records INTEGER NOT NULL,
    failed  INTEGER NOT NULL DEFAULT 0,
    updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS articles (
    rowid   INTEGER PRIMARY KEY,
    id      TEXT NOT NULL UNIQUE,
    path    TEXT NOT NULL,
    record  TEXT NOT NULL DEFAULT '',
    hash    TEXT NOT NULL,
    title   TEXT NOT NULL,
    text    TEXT NOT NULL,
    source  TEXT NOT NULL DEFAULT '',
    date    TEXT,
    author  TEXT NOT NULL DEFAULT '',
    url     TEXT NOT NULL DEFAULT '',
    place   TEXT NOT NULL DEFAULT '',
    meta    TEXT NOT NULL DEFAULT '{}',
    added   TEXT NOT NULL,
    indexed INTEGER NOT NULL DEFAULT 0,
    lang    TEXT NOT NULL DEFAULT ''  -- ISO 639-1 code of the text, '' when unknown (version 2)
);
CREATE INDEX IF NOT EXISTS articles_date ON articles (date DESC, rowid DESC);
CREATE INDEX IF NOT EXISTS articles_path ON articles (path, record);
CREATE INDEX IF NOT EXISTS articles_pending ON articles (indexed) WHERE indexed = 0;
CREATE INDEX IF NOT EXISTS articles_hash ON articles (hash);
CREATE TABLE IF NOT EXISTS mentions (
    article    INTEGER NOT NULL REFERENCES articles (rowid) ON DELETE CASCADE,
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL,
    text       TEXT NOT NULL,
    label      TEXT NOT NULL,
    sent_start INTEGER NOT NULL,
    sent_end   INTEGER NOT NULL,
    key        TEXT NOT NULL,
    spread     INTEGER NOT NULL DEFAULT 0,  -- 1: a name found elsewhere (ingest/propagate.py)
    PRIMARY KEY (article, start)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS mentions_key ON mentions (key, article);
-- Relinking reads how each key is written and labelled: from this index alone (1.15 s to 0.1 s
-- over the 912,000 mentions of 100,000 articles).
CREATE INDEX IF NOT EXISTS mentions_form ON mentions (key, text, label);
-- The names propagate.py last spread, with their label; and the articles still to redo (new or
-- changed, or holding a name that came or went since).
CREATE TABLE IF NOT EXISTS spread_names (
    text  TEXT PRIMARY KEY,
    label TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS spread_pending (
    article INTEGER PRIMARY KEY REFERENCES articles (rowid) ON DELETE CASCADE
);
-- Derived from mentions and decisions by resolve(); rebuilt after every import or decision.
CREATE TABLE IF NOT EXISTS entity_of (
    key    TEXT PRIMARY KEY,
    entity TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entity_of_entity ON entity_of (entity);
-- Why each key joined its entity: the rule's evidence or the user's merge (rebuilt with entity_of).
CREATE TABLE IF NOT EXISTS links (
    key    TEXT PRIMARY KEY,
    target TEXT NOT NULL,
    reason TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entities (
    id       TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    label    TEXT NOT NULL,
    aliases  TEXT NOT NULL DEFAULT '[]',
    mentions INTEGER NOT NULL DEFAULT 0,
    articles INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entities_rank ON entities (mentions DESC);
-- The user's word: merges and ignores, keyed by normalized names so they survive re-imports.
CREATE TABLE IF NOT EXISTS decisions (
    id   INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('merge', 'ignore')),
    a    TEXT NOT NULL,
    b    TEXT NOT NULL DEFAULT '',
    made TEXT NOT NULL,
    UNIQUE (kind, a, b)
);
-- Passages the user pinned for the briefing, in the user's order; a pin outlives its article's
-- re-import (it keeps its own copy of the passage and citation).
CREATE TABLE IF NOT EXISTS pins (
    id       INTEGER PRIMARY KEY,
    article  TEXT NOT NULL,
    start    INTEGER NOT NULL,
    end      INTEGER NOT NULL,
    passage  TEXT NOT NULL,
    note     TEXT NOT NULL DEFAULT '',
    position REAL NOT NULL,
    made     TEXT NOT NULL
);
-- Dossier analysis (roles, quotes) cached per article text hash; cheap to lose.
CREATE TABLE IF NOT EXISTS analysis (
    hash    TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    payload TEXT NOT NULL
);
"""


#: Every table and index the schema creates: a database that has them all needs no migration.
#: How many mentions the recogniser found of each name (text, label): the names pass reads the
#: library's names from these rows (38,000 at 100,000 articles) where it grouped every mention
#: (0.6 s); triggers keep them true to ``mentions`` whoever writes it. Made after the columns
#: of version 2 (``spread``), counted once from the mentions a library holds.
NAME_COUNTS = """
CREATE TABLE IF NOT EXISTS name_counts (
    text  TEXT NOT NULL,
    label TEXT NOT NULL,
    n     INTEGER NOT NULL,
    PRIMARY KEY (text, label)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS name_counts_in AFTER INSERT ON mentions WHEN new.spread = 0 BEGIN
    INSERT INTO name_counts (text, label, n) VALUES (new.text, new.label, 1)
        ON CONFLICT (text, label) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS name_counts_out AFTER DELETE ON mentions WHEN old.spread = 0 BEGIN
    UPDATE name_counts SET n = n - 1 WHERE text = old.text AND label = old.label;
    DELETE FROM name_counts WHERE text = old.text AND label = old.label AND n <= 0;
END;
CREATE TRIGGER IF NOT EXISTS name_counts_changed AFTER UPDATE OF text, label, spread ON mentions
BEGIN
    UPDATE name_counts SET n = n - 1
        WHERE old.spread = 0 AND text = old.text AND label = old.label;
    DELETE FROM name_counts
        WHERE old.spread = 0 AND text = old.text AND label = old.label AND n <= 0;
    INSERT INTO name_counts (text, label, n) SELECT new.text, new.label, 1 WHERE new.spread = 0
        ON CONFLICT (text, label) DO UPDATE SET n = n + 1;
END;
INSERT INTO name_counts (text, label, n)
    SELECT text, label, count(*) FROM mentions
    WHERE spread = 0 AND NOT EXISTS (SELECT 1 FROM name_counts) GROUP BY text, label;
"""
_OBJECT = r"CREATE (?:TABLE|INDEX|TRIGGER) IF NOT EXISTS (\w+)"
_SCHEMA_OBJECTS = frozenset(re.findall(_OBJECT, SCHEMA))
_NAME_OBJECTS = frozenset(re.findall(_OBJECT, NAME_COUNTS))
#: Seconds a writer waits for another process's write lock (READER_LOCK_WAIT overrides).
BUSY_TIMEOUT = 10.0


def sqlite_uri(path: Path, flags: str) -> str:
    """A ``file:`` URI for ``path`` with its query ``flags`` ("mode=ro"): the path quoted, so
    that a folder named "News #2" or "what?" is the file opened, never a file cut at the ``#``."""
    return f"file:{quote(os.fsencode(Path(path).absolute()))}?{flags}"


def lock_wait() -> float:
    """How long to wait for another process's lock: READER_LOCK_WAIT seconds, else 10."""
    try:
        return max(0.0, float(os.environ.get("READER_LOCK_WAIT", "") or BUSY_TIMEOUT))
    except ValueError:
        return BUSY_TIMEOUT


class Store:
    """The SQLite database of one library."""

    def __init__(
        self, path: Path, *, readonly: bool = False, busy_timeout: float | None = None
    ) -> None:
        self.path = path
        self.readonly = readonly
        self.busy_timeout = lock_wait() if busy_timeout is None else busy_timeout
        self._immutable = False
        self._local = threading.local()
        # Every thread's connection, for close(). Held weakly: a thread worker's connection is
        # closed when its thread ends (each Textual thread worker is a new thread, and each
        # connection holds two file descriptors: kept, they ran a long session out of them).
        self._all: weakref.WeakSet[_Connection] = weakref.WeakSet()
        self._lock = threading.Lock()
        if not readonly and not path.exists():
            try:
                private_file(path)  # SQLite's -wal and -shm files take its mode
            except OSError:
                pass  # SQLite says why it cannot create it
        #: Set when opening met a damaged database: only check (and its repair) can work then.
        self.damage: str | None = None
        #: Set when the disk is full: the library is read (read-only), writes say the disk is full.
        self.full = False
        try:
            self._refuse_newer()
            if not readonly:
                try:
                    self._migrate()
                except LibraryError:
                    # An upgrade that fails on a damaged file (rows it reads are garbage)
                    # is the damage to report, not the upgrade's own error.
                    self._raise_if_damaged()
                    raise
        except LibraryDamaged as exc:
            self.damage = str(exc)

    # --- connections -----------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        try:
            if self.readonly:
                db = self._connect_readonly()
            else:
                db = sqlite3.connect(sqlite_uri(self.path, "mode=rwc"), uri=True,
                                     timeout=self.busy_timeout, isolation_level=None,
                                     check_same_thread=False, factory=_Library)
                try:
                    db.execute("PRAGMA journal_mode=WAL")
                except sqlite3.OperationalError as exc:
                    if not disk_full(self.path, exc):
                        raise
                    # No room for SQLite's -shm file: read the library read-only; a write
                    # says the disk is full.
                    db.close()
                    self.readonly = self.full = True
                    db = self._connect_readonly()
                else:
                    db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA foreign_keys=ON")
            db.execute(f"PRAGMA busy_timeout={int(self.busy_timeout * 1000)}")
            db.execute("PRAGMA cache_size=-32000")
        except sqlite3.Error as exc:
            if is_damage(exc):
                raise _translate(exc, self.path) from None
            raise LibraryError(f"cannot open {self.path}: {exc}") from None
        return db

    def _connect_readonly(self) -> sqlite3.Connection:
        """A read-only connection. A WAL database on read-only media cannot be opened plainly
        (SQLite must create its -shm file): then it is opened as immutable, which is true there."""
        tries = ("mode=ro&immutable=1",) if self._immutable else ("mode=ro", "mode=ro&immutable=1")
        for flags in tries:
            if "immutable" in flags and _wal_frames(self.path):
                # Immutable reads ignore the WAL: with committed pages still in it, they would
                # show an older library. Say why it cannot be read instead.
                raise sqlite3.OperationalError(
                    "the disk is full" if self.full else "unable to open database file")
            db = sqlite3.connect(sqlite_uri(self.path, flags), uri=True,
                                 timeout=self.busy_timeout, isolation_level=None,
                                 check_same_thread=False, factory=_Library)
            try:
                db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.OperationalError:
                db.close()
                if "immutable" in flags:
                    raise
                continue
            self._immutable = "immutable" in flags
            _shadow_missing_columns(db)
            return db
        raise sqlite3.OperationalError("unable to open database file")  # pragma: no cover

    @property
    def db(self) -> sqlite3.Connection:
        """This thread's connection, in autocommit mode (reads see the latest commit)."""
        held = getattr(self._local, "held", None)
        if held is None:
            held = self._local.held = _Connection(self._connect())
            with self._lock:
                self._all.add(held)
        return held.db

    def close(self) -> None:
        with self._lock:
            for held in list(self._all):
                held.close()
            self._all.clear()
        self._local = threading.local()

    def full_error(self) -> Exception:
        """What a write says on a full disk."""
        return _translate(sqlite3.OperationalError("database or disk is full"), self.path)

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: BEGIN IMMEDIATE ... COMMIT, rolled back on any error."""
        if self.full:
            raise self.full_error()
        if self.readonly:
            raise LibraryError(f"the library {self.path.parent} is open read-only")
        db = self.db
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise _translate(exc, self.path) from None
        try:
            yield db
        except sqlite3.Error as exc:  # disk full, I/O error, ...: one readable line
            _rollback(db)
            raise _translate(exc, self.path) from None
        except BaseException:
            _rollback(db)
            raise
        else:
            try:
                db.execute("COMMIT")
            except sqlite3.Error as exc:
                _rollback(db)
                raise _translate(exc, self.path) from None

    def _raise_if_damaged(self) -> None:
        try:
            answer = self.db.execute("PRAGMA quick_check(1)").fetchone()[0]
        except sqlite3.Error as exc:
            answer = str(exc)
        except LibraryError:
            raise
        if answer != "ok":
            raise _translate(sqlite3.DatabaseError(f"database disk image is malformed: {answer}"),
                             self.path)

    def _refuse_newer(self) -> None:
        """A library written by a newer reader is not opened: this one would misread it, and
        writing to it could spoil what the newer one stored."""
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):  # a new library: nothing written yet
                return
            raise _translate(exc, self.path) from None
        except sqlite3.Error as exc:
            raise _translate(exc, self.path) from None
        if row is not None and str(row[0]).isdigit() and int(row[0]) > SCHEMA_VERSION:
            self.close()
            raise LibraryError(
                f"the library {self.path.parent} was written by a newer reader (its schema is"
                f" version {row[0]}, this reader knows {SCHEMA_VERSION}): update reader to open it;"
                " it was left as it is"
            )

    def _migrate(self) -> None:
        """Create the tables (idempotent) in one transaction of its own.

        Skipped when every table and index is there already, so that opening a library to read
        it never waits for the write lock of another process (a long import, say).
        """
        try:
            have = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master")}
        except sqlite3.Error as exc:
            raise _translate(exc, self.path) from None
        if _SCHEMA_OBJECTS <= have:
            self._add_columns()
            self._count_names(have)
            return
        script = (
            "BEGIN IMMEDIATE;" + SCHEMA
            + f"INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', '{SCHEMA_VERSION}');"
            + "COMMIT;"
        )
        try:
            self.db.executescript(script)
        except sqlite3.Error as exc:
            _rollback(self.db)
            raise _translate(exc, self.path) from None
        self._add_columns()
        self._count_names(have)

    def _count_names(self, have: set[str]) -> None:
        """Make ``name_counts`` and its triggers (NAME_COUNTS) where they are not yet."""
        if _NAME_OBJECTS <= have:
            return
        try:
            self.db.executescript("BEGIN IMMEDIATE;" + NAME_COUNTS + "COMMIT;")
        except sqlite3.Error as exc:
            _rollback(self.db)
            raise _translate(exc, self.path) from None

    def _add_columns(self) -> None:
        """Bring a version-1 library up to date: add the columns it lacks. Their defaults mark
        the rows as unknown, and meta ``langs_unknown`` asks Library to detect the languages;
        without ``mentions.spread`` every article waits for propagation (ingest/propagate.py)."""
        missing = [added for added in ADDED_COLUMNS if added[1] not in _columns(self.db, added[0])]
        if not missing:
            return
        with self.write() as db:
            for table, column, definition in missing:
                if column not in _columns(db, table):  # another process may have added it
                    db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
            self.set_meta(db, "schema", str(SCHEMA_VERSION))
            added = {column for _, column, _ in missing}
            if "lang" in added:
                self.set_meta(db, "langs_unknown", "1")
            if "spread" in added:  # names were never spread: every article, on opening
                db.execute("INSERT OR IGNORE INTO spread_pending SELECT rowid FROM articles")
                self.set_meta(db, "entities_stale", "1")

    # --- meta ------------------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    @staticmethod
    def set_meta(db: sqlite3.Connection, key: str, value: str) -> None:
        db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def integrity(self) -> str:
        rows = self.db.execute("PRAGMA integrity_check").fetchall()
        return "; ".join(str(r[0]) for r in rows)


class _Cursor(sqlite3.Cursor):
    """A cursor that reports a damaged database as LibraryDamaged (a ReaderError: one line
    naming `reader check --repair` and the last backup), wherever the damage is met: running
    a statement or reading its rows. Every other error is SQLite's own."""

    def _damaged(self, exc: sqlite3.Error) -> Exception:
        if is_damage(exc):
            return _translate(exc, self.connection.library_file)  # type: ignore[attr-defined]
        return exc

    def execute(self, *args, **kwargs):  # noqa: ANN002, ANN003
        try:
            return super().execute(*args, **kwargs)
        except sqlite3.Error as exc:
            raise self._damaged(exc) from None

    def executemany(self, *args, **kwargs):  # noqa: ANN002, ANN003
        try:
            return super().executemany(*args, **kwargs)
        except sqlite3.Error as exc:
            raise self._damaged(exc) from None

    def fetchone(self):  # noqa: ANN201
        try:
            return super().fetchone()
        except sqlite3.Error as exc:
            raise self._damaged(exc) from None

    def fetchmany(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        try:
            return super().fetchmany(*args, **kwargs)
        except sqlite3.Error as exc:
            raise self._damaged(exc) from None

    def fetchall(self):  # noqa: ANN201
        try:
            return super().fetchall()
        except sqlite3.Error as exc:
            raise self._damaged(exc) from None

    def __next__(self):  # noqa: ANN204
        try:
            return super().__next__()
        except sqlite3.Error as exc:
            raise self._damaged(exc) from None


class _Library(sqlite3.Connection):
    """A connection to a library's database: its cursors say when the file is damaged."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        database = args[0] if args else kwargs.get("database", "")
        self.library_file = Path(_path_of(str(database)))

    def cursor(self, factory=_Cursor):  # noqa: ANN001, ANN201
        return super().cursor(factory)

    # sqlite3.Connection.execute runs its cursor's statement in C, past _Cursor.execute.
    def execute(self, sql: str, parameters=(), /):  # noqa: ANN001, ANN201
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, parameters, /):  # noqa: ANN001, ANN201
        return self.cursor().executemany(sql, parameters)


def _path_of(uri: str) -> str:
    """The file a ``file:`` URI of sqlite_uri names."""
    from urllib.parse import unquote

    return unquote(uri.removeprefix("file:").split("?", 1)[0])


class _Connection:
    """One thread's connection: closed with the thread (when its thread-local goes) or by
    Store.close(), whichever comes first."""

    __slots__ = ("db", "__weakref__")

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def close(self) -> None:
        try:
            self.db.close()
        except sqlite3.Error:
            pass

    def __del__(self) -> None:
        self.close()


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


def _shadow_missing_columns(db: sqlite3.Connection) -> None:
    """A version-1 library opened read-only can't gain columns: a temporary view of the same
    name, with each missing column at its default, lets every query run unchanged."""
    by_table: dict[str, list[str]] = {}
    for table, column, definition in ADDED_COLUMNS:
        if column not in _columns(db, table):
            default = definition.partition("DEFAULT")[2].strip() or "NULL"
            by_table.setdefault(table, []).append(f"{default} AS {column}")
    for table, extra in by_table.items():
        db.execute(f"CREATE TEMP VIEW {table} AS SELECT *, {', '.join(extra)} FROM main.{table}")


def _rollback(db: sqlite3.Connection) -> None:
    """Roll back what is left of a transaction: after SQLITE_FULL or an I/O error SQLite may
    have rolled it back already, and a second ROLLBACK would raise."""
    if db.in_transaction:
        try:
            db.execute("ROLLBACK")
        except sqlite3.Error:
            pass


def _translate(exc: sqlite3.Error, path: Path) -> Exception:
    message = str(exc)
    if is_damage(exc):
        from index.store.backup import damaged

        return damaged(path.parent, message)
    if "locked" in message or "busy" in message:
        return LibraryBusy(f"the library is busy: another process is writing to {path.parent}")
    if "readonly" in message or "read-only" in message:
        return LibraryError(f"the library {path.parent} is read-only")
    if "full" in message or disk_full(path, exc):
        return LibraryError(
            f"the disk is full where the library lives ({path.parent}): the last change was not"
            " saved; free some space and run the command again (what was saved is kept)"
        )
    return LibraryError(f"{path.parent}: {message}")


def disk_full(path: Path, exc: BaseException) -> bool:
    """Whether an SQLite error came from a full disk: SQLITE_FULL, or the "disk I/O error" of
    a -shm file that could not grow, on a filesystem with no room left."""
    message = str(exc)
    if "full" in message:
        return True
    if "disk I/O error" not in message:
        return False
    try:
        stat = os.statvfs(Path(path).parent)
    except OSError:
        return False
    return stat.f_bavail * stat.f_frsize < 64 * 1024


def open_read(path: Path, timeout: float = 5.0) -> sqlite3.Connection:
    """A read-only connection to ``path`` (backups, checks); on a full disk or read-only media,
    where SQLite cannot make its -shm file, an immutable one, which is true there while the WAL
    is empty."""
    db = sqlite3.connect(sqlite_uri(path, "mode=ro"), uri=True, isolation_level=None,
                         timeout=timeout)
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        db.close()
        if is_damage(exc) or "locked" in str(exc) or _wal_frames(path) or not path.exists():
            raise
        db = sqlite3.connect(sqlite_uri(path, "mode=ro&immutable=1"), uri=True,
                             isolation_level=None, timeout=timeout)
    return db


def _wal_frames(path: Path) -> bool:
    """Whether the database's -wal file holds committed pages not yet in the main file."""
    try:
        return os.path.getsize(f"{path}-wal") > 32
    except OSError:
        return False


def is_damage(exc: BaseException) -> bool:
    """Whether an SQLite error means the database file is damaged (not busy, full or locked)."""
    message = str(exc)
    return isinstance(exc, sqlite3.DatabaseError) and (
        "malformed" in message or "not a database" in message
        or "Could not decode to UTF-8" in message or "database corrupt" in message
    )


def dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
