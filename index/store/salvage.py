"""Provides damage() and salvage(): what is wrong with a damaged library database, and a fresh
database holding every row of it that can still be read (SQLite's ``.recover`` approach, done
through SQL: each table read in key order, resumed past what cannot be read).

``damage`` runs SQLite's integrity check and reads every text value as UTF-8, since a damaged
byte inside a text leaves the b-tree sound (the integrity check says "ok") but the text
unreadable. ``salvage`` copies rows into a new file made with the project's own schema: the
user's tables (articles, mentions, decisions, pins, files, meta) row by row; the tables derived
from them (entities, links, the analysis cache) are left to be rebuilt.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from index.private import private_file
from index.store.db import SCHEMA, SCHEMA_VERSION, open_read, sqlite_uri

#: Tables copied row by row, with the columns that order them (their primary key).
KEPT = {
    "meta": ("key",),
    "files": ("path",),
    "articles": ("rowid",),
    "mentions": ("article", "start"),
    "decisions": ("id",),
    "pins": ("id",),
}
#: How far ahead a read resumes past a damaged stretch of a table keyed by a number.
_MAX_SKIP = 1 << 40


@dataclass
class Salvaged:
    """What a salvage saved and lost."""

    saved: dict[str, int] = field(default_factory=dict)  # table -> rows copied
    unreadable: dict[str, int] = field(default_factory=dict)  # table -> damaged stretches
    damaged_text: list[str] = field(default_factory=list)  # "articles story0017", ...
    lost_articles: list[str] = field(default_factory=list)  # ids known elsewhere, not saved


def damage(db_file: Path) -> list[str]:
    """The damage in plain words ([] when the database is sound). Never raises for damage."""
    try:
        db = _open(db_file)
    except sqlite3.Error as exc:
        return [f"the database cannot be opened ({exc})"]
    try:
        try:
            answer = "; ".join(_str(r[0]) for r in db.execute("PRAGMA integrity_check(20)"))
        except sqlite3.Error as exc:
            return [f"SQLite's integrity check cannot read it ({exc})"]
        answer = " ".join(answer.split())
        found = [] if answer == "ok" else [f"SQLite's integrity check: {answer[:300]}"]
        bad: dict[str, list[str]] = {}
        try:
            for table in _tables(db):
                for key, _row, broken in _scan_text(db, table):
                    if broken:
                        bad.setdefault(table, []).append(key)
        except sqlite3.Error as exc:
            if not found:
                found.append(f"a table cannot be read to its end ({exc})")
        for table, keys in bad.items():
            shown = ", ".join(keys[:5]) + (", ..." if len(keys) > 5 else "")
            rows = "1 row of {} holds".format(table) if len(keys) == 1 else (
                f"{len(keys)} rows of {table} hold")
            found.append(f"{rows} text that is not UTF-8 ({shown})")
        return found
    finally:
        db.close()


def salvage(db_file: Path, fresh_file: Path, known_ids: set[str]) -> Salvaged:
    """Copy what can be read of ``db_file`` into the new database ``fresh_file``.

    ``known_ids``: the article ids the search index holds, to name the articles lost.
    Text that is not UTF-8 is kept with U+FFFD for its damaged bytes; an article whose text
    changed length so loses its mentions (their offsets would point elsewhere).
    """
    out = Salvaged()
    source = _open(db_file)
    private_file(fresh_file)
    fresh = sqlite3.connect(sqlite_uri(fresh_file, "mode=rwc"), uri=True, isolation_level=None)
    try:
        fresh.executescript("BEGIN;" + SCHEMA + "COMMIT;")
        try:
            have = _tables(source)
        except sqlite3.Error:
            have = []
        reshaped: set[int] = set()  # articles whose text had damaged bytes
        fresh.execute("BEGIN")
        for table, key in KEPT.items():
            if table not in have:
                continue
            want = [r[1] for r in fresh.execute(f'PRAGMA table_info("{table}")')]
            theirs = {_str(r[1]) for r in source.execute(f'PRAGMA table_info("{table}")')}
            columns = [c for c in want if c in theirs]
            listed = ", ".join(f'"{c}"' for c in columns)
            insert = (f'INSERT OR IGNORE INTO "{table}" ({listed})'
                      f" VALUES ({', '.join('?' for _ in columns)})")
            count = 0
            for row in _rows(source, table, columns, key, out):
                fixed = []
                for name, value in zip(columns, row):
                    if isinstance(value, bytes):
                        try:
                            value = value.decode("utf-8")
                        except UnicodeDecodeError:
                            text = value.decode("utf-8", "replace")
                            label = row[columns.index("id")] if "id" in columns else row[0]
                            out.damaged_text.append(f"{table} {_str(label)}")
                            if table == "articles":
                                reshaped.add(int(row[columns.index("rowid")]))
                            value = text
                    fixed.append(value)
                fresh.execute(insert, fixed)
                count += 1
            out.saved[table] = count
        # What the salvage cannot vouch for is rebuilt: mentions of lost or reshaped articles
        # go, every article is indexed again, entities are relinked, every file re-read.
        fresh.execute("DELETE FROM mentions WHERE article NOT IN (SELECT rowid FROM articles)")
        for rowid in reshaped:  # a mention stays where the text under it still reads the same
            (text,) = fresh.execute("SELECT text FROM articles WHERE rowid = ?", (rowid,)).fetchone()
            stale = [(rowid, start) for start, end, said in fresh.execute(
                "SELECT start, end, text FROM mentions WHERE article = ?", (rowid,))
                if text[start:end] != said]
            fresh.executemany("DELETE FROM mentions WHERE article = ? AND start = ?", stale)
        fresh.execute("UPDATE articles SET indexed = 0")
        fresh.execute("DELETE FROM files")
        for key_, value in (("schema", str(SCHEMA_VERSION)), ("entities_stale", "1")):
            fresh.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key_, value))
        fresh.execute("COMMIT")
        saved_ids = {r[0] for r in fresh.execute("SELECT id FROM articles")}
        out.lost_articles = sorted(known_ids - saved_ids)
        out.saved["mentions"] = int(fresh.execute("SELECT count(*) FROM mentions").fetchone()[0])
    finally:
        source.close()
        if fresh.in_transaction:
            fresh.execute("ROLLBACK")
        fresh.close()
    return out


def _open(db_file: Path) -> sqlite3.Connection:
    db = open_read(db_file)
    db.text_factory = bytes  # every text is decoded by hand, strictly
    return db


def _str(value: object) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _before(a: object, b: object, strict: bool = True) -> bool:
    try:
        return bool(a < b if strict else a <= b)  # type: ignore[operator]
    except TypeError:
        return False


def _tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                      " AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'")
    return [_str(r[0]) for r in rows]


def _scan_text(db: sqlite3.Connection, table: str) -> Iterator[tuple[str, tuple, bool]]:
    """Every row of ``table`` as (its name for the user, the row, whether a text is broken)."""
    columns = [_str(r[1]) for r in db.execute(f'PRAGMA table_info("{table}")')]
    label = "id" if "id" in columns else columns[0]
    listed = ", ".join(f'"{c}"' for c in columns)
    for row in db.execute(f'SELECT {listed} FROM "{table}"'):
        broken = False
        for value in row:
            if isinstance(value, bytes):
                try:
                    value.decode("utf-8")
                except UnicodeDecodeError:
                    broken = True
                    break
        yield _str(row[columns.index(label)]), row, broken


def _rows(db: sqlite3.Connection, table: str, columns: list[str], key: tuple[str, ...],
          out: Salvaged) -> Iterator[tuple]:
    """The readable rows of ``table`` in key order, resuming past each damaged stretch.

    A read that fails is resumed after the last row read; if that fails too (a number key),
    further and further ahead until a read works, then back by halves to just past the damage,
    so that only the rows SQLite cannot reach are lost. A text key stops at the damage.
    """
    first = key[0]
    listed = ", ".join(f'"{c}"' for c in columns)
    select = f'SELECT {listed}, "{first}" FROM "{table}"'
    numbered = first in ("rowid", "id", "article")
    strict = len(key) == 1  # mentions: many rows share an article

    def readable(after: int) -> bool:
        try:
            db.execute(f'SELECT "{first}" FROM "{table}" WHERE "{first}" > ? ORDER BY "{first}"'
                       " LIMIT 1", (after,)).fetchall()
        except sqlite3.DatabaseError:
            return False
        return True

    last: object = None
    while True:
        if last is None:
            query, args = f'{select} ORDER BY "{first}"', ()
        else:
            query, args = f'{select} WHERE "{first}" > ? ORDER BY "{first}"', (last,)
        held: tuple | None = None  # a row is given once the next one follows it in key order:
        try:  # a damaged cell can read as a row out of order (rowid 121 between 24 and 33)
            for row in db.execute(query, args):
                *values, key_ = row
                if held is not None and _before(held[0], key_, strict):
                    last = held[0]
                    yield held[1]
                held = (key_, tuple(values)) if last is None or _before(last, key_, strict) else None
            if held is not None:
                last = held[0]
                yield held[1]
            return
        except sqlite3.DatabaseError:
            out.unreadable[table] = out.unreadable.get(table, 0) + 1
            if not numbered or not isinstance(last, (int, type(None))):
                return  # a text key: no way to step past the damage
            low = last if isinstance(last, int) else 0
            skip = 1
            while not readable(low + skip):
                skip *= 2
                if skip > _MAX_SKIP:
                    return
            high = low + skip
            low = low + skip // 2 if skip > 1 else low
            while high - low > 1:
                middle = (low + high) // 2
                if readable(middle):
                    high = middle
                else:
                    low = middle
            last = high
