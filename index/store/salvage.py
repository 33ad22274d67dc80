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

import os
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
    from_pages: dict[str, int] = field(default_factory=dict)  # rows found reading pages
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
        if any(t in out.unreadable or t not in have for t in _BY_PAGES):
            found = _from_pages(db_file, fresh, out)
            for table, n in found.items():
                out.saved[table] = out.saved.get(table, 0) + n
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


# --- reading the file's pages directly, where SQL cannot reach -----------------------------------

#: The tables worth a page-by-page search when SQL could not read them all: the user's own.
_BY_PAGES = ("articles", "pins", "decisions")


def _from_pages(db_file: Path, fresh: sqlite3.Connection, out: Salvaged) -> dict[str, int]:
    """Rows of articles, pins and decisions found by reading every table leaf page of the file
    (as SQLite's ``.recover`` does): what a damaged page above them hid from SQL. Known by
    their shape; a row SQL saved already is not added twice. An article found so is marked
    changed (empty hash), so that adding its file again analyses it afresh."""
    import mmap

    added = {"articles": 0, "pins": 0, "decisions": 0}
    try:
        with open(db_file, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
            for rowid, values in _leaf_cells(data):
                table = _shape(values)
                if table is None:
                    continue
                row = [rowid] + [_text(v) for v in values[1:]]
                if table == "articles":
                    row = row + [""] * (16 - len(row))
                    row[4] = ""  # hash: re-adding the file analyses it again
                    row[14] = 0  # indexed
                    columns = ("rowid, id, path, record, hash, title, text, source, date, author,"
                               " url, place, meta, added, indexed, lang")
                elif table == "pins":
                    columns = "id, article, start, end, passage, note, position, made"
                else:
                    columns = "id, kind, a, b, made"
                marks = ", ".join("?" for _ in row)
                cur = fresh.execute(f"INSERT OR IGNORE INTO {table} ({columns}) VALUES ({marks})", row)
                added[table] += cur.rowcount
    except (OSError, ValueError, sqlite3.Error):
        pass
    out.from_pages = {t: n for t, n in added.items() if n}
    return added


def _text(value: object) -> object:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _shape(values: list) -> str | None:
    """Which of the user's tables a record belongs to, by its columns, or None."""
    n = len(values)
    if not values or values[0] is not None:  # the INTEGER PRIMARY KEY is stored as NULL
        return None
    if n in (15, 16) and isinstance(values[1], bytes) and isinstance(values[4], bytes) \
            and len(values[4]) == 64 and isinstance(values[14], int) and isinstance(values[6], bytes):
        return "articles"
    if n == 8 and isinstance(values[1], bytes) and isinstance(values[2], int) \
            and isinstance(values[3], int) and isinstance(values[4], bytes) \
            and isinstance(values[6], (int, float)) and isinstance(values[7], bytes):
        return "pins"
    if n == 5 and values[1] in (b"merge", b"ignore", b"apart") and all(
            isinstance(v, bytes) for v in values[2:]):
        return "decisions"
    return None


def _leaf_cells(data) -> Iterator[tuple[int, list]]:
    """(rowid, values) of every cell of every table leaf page not on the freelist."""
    size = int.from_bytes(data[16:18], "big")
    size = 65536 if size == 1 else size
    if size < 512 or size > 65536 or size & (size - 1):
        size = 4096
    usable = size - data[20] if len(data) > 20 else size
    pages = len(data) // size
    free = _freelist(data, size, pages)
    for page in range(1, pages + 1):
        if page in free:
            continue
        base = (page - 1) * size
        head = base + (100 if page == 1 else 0)
        if data[head] != 0x0D:
            continue
        cells = int.from_bytes(data[head + 3:head + 5], "big")
        for i in range(min(cells, size // 4)):
            try:
                at = base + int.from_bytes(data[head + 8 + 2 * i:head + 10 + 2 * i], "big")
                if not head + 8 <= at < base + size:
                    continue
                length, at = _varint(data, at)
                rowid, at = _varint(data, at)
                payload = _payload(data, at, length, size, usable, pages)
                yield rowid, _record(payload)
            except (IndexError, ValueError):
                continue


def _freelist(data, size: int, pages: int) -> set[int]:
    free: set[int] = set()
    trunk = int.from_bytes(data[32:36], "big")
    while 0 < trunk <= pages and trunk not in free:
        free.add(trunk)
        base = (trunk - 1) * size
        count = int.from_bytes(data[base + 4:base + 8], "big")
        for i in range(min(count, size // 4 - 2)):
            free.add(int.from_bytes(data[base + 8 + 4 * i:base + 12 + 4 * i], "big"))
        trunk = int.from_bytes(data[base:base + 4], "big")
    return free


def _varint(data, at: int) -> tuple[int, int]:
    value = 0
    for i in range(9):
        byte = data[at + i]
        if i == 8:
            return (value << 8) | byte, at + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at + i + 1
    raise ValueError("varint")  # pragma: no cover


def _payload(data, at: int, length: int, size: int, usable: int, pages: int) -> bytes:
    """A cell's payload, its overflow pages followed (SQLite's file format, section 1.6)."""
    if length > 1 << 30:
        raise ValueError("payload too long")
    most = usable - 35
    if length <= most:
        return bytes(data[at:at + length])
    least = ((usable - 12) * 32 // 255) - 23
    local = least + (length - least) % (usable - 4)
    if local > most:
        local = least
    parts = [bytes(data[at:at + local])]
    left = length - local
    page = int.from_bytes(data[at + local:at + local + 4], "big")
    seen: set[int] = set()
    while left > 0:
        if not 0 < page <= pages or page in seen:
            raise ValueError("overflow chain")
        seen.add(page)
        base = (page - 1) * size
        chunk = bytes(data[base + 4:base + 4 + min(left, usable - 4)])
        parts.append(chunk)
        left -= len(chunk)
        page = int.from_bytes(data[base:base + 4], "big")
    return b"".join(parts)


def _record(payload: bytes) -> list:
    """The values of one record (SQLite's record format): None, int, float or bytes."""
    import struct

    header, at = _varint(payload, 0)
    if not 0 < header <= len(payload):
        raise ValueError("record header")
    types = []
    while at < header:
        kind, at = _varint(payload, at)
        types.append(kind)
    values: list = []
    at = header
    widths = {1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8}
    for kind in types:
        if kind == 0:
            values.append(None)
        elif kind in widths:
            width = widths[kind]
            values.append(int.from_bytes(payload[at:at + width], "big", signed=True))
            at += width
        elif kind == 7:
            values.append(struct.unpack(">d", payload[at:at + 8])[0])
            at += 8
        elif kind in (8, 9):
            values.append(kind - 8)
        elif kind >= 12:
            width = (kind - 12) // 2
            values.append(bytes(payload[at:at + width]))
            at += width
        else:
            raise ValueError("serial type")
        if at > len(payload):
            raise ValueError("record body")
    return values


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


def install(fresh: Path, db_file: Path) -> None:
    """Make the database ``fresh`` the library's ``db_file``: copied in page by page through
    SQLite (its WAL stays consistent); if SQLite cannot open the damaged file even for that,
    the file is replaced, with its WAL and shared-memory files, which belonged to it."""
    try:
        source = sqlite3.connect(sqlite_uri(fresh, "mode=ro"), uri=True)
        try:
            target = sqlite3.connect(sqlite_uri(db_file, "mode=rw"), uri=True)
            try:
                source.backup(target)
                target.execute("PRAGMA journal_mode=WAL")
            finally:
                target.close()
        finally:
            source.close()
    except sqlite3.DatabaseError:
        for leftover in (Path(f"{db_file}-wal"), Path(f"{db_file}-shm")):
            _unlink(leftover)
        os.replace(fresh, db_file)
        return
    _unlink(fresh)


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
