"""Provides the SQL of propagation (index/ingest/propagate.py): the names last spread, the
articles still to redo, and an article's mentions as spaCy found them and as spread."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence


def name_rows(db: sqlite3.Connection) -> Iterator[tuple[str, str, int]]:
    """(text, label, count) of the mentions spaCy found (kept by triggers: store/db.py)."""
    yield from db.execute("SELECT text, label, n FROM name_counts")


def spread_names(db: sqlite3.Connection) -> dict[str, str]:
    return dict(db.execute("SELECT text, label FROM spread_names"))


def set_names(db: sqlite3.Connection, names: dict[str, str]) -> None:
    db.execute("DELETE FROM spread_names")
    db.executemany("INSERT INTO spread_names (text, label) VALUES (?, ?)", names.items())


def unmarked_texts(db: sqlite3.Connection) -> Iterator[tuple[int, str]]:
    """(rowid, text) of the articles not waiting to be redone."""
    yield from db.execute(
        "SELECT rowid, text FROM articles WHERE rowid NOT IN (SELECT article FROM spread_pending)"
    )


def texts_among(db: sqlite3.Connection, ids: Iterable[str]) -> Iterator[tuple[int, str]]:
    """(rowid, text) of the articles among ``ids`` or not yet in the search index, not waiting
    to be redone."""
    yield from db.execute(
        "SELECT rowid, text FROM articles WHERE rowid IN ("
        " SELECT rowid FROM articles WHERE id IN (SELECT value FROM json_each(?))"
        " UNION SELECT rowid FROM articles WHERE indexed = 0)"
        " AND rowid NOT IN (SELECT article FROM spread_pending)",
        (json.dumps(list(ids)),),
    )


def mark(db: sqlite3.Connection, rowids: Iterable[int]) -> None:
    db.executemany(
        "INSERT OR IGNORE INTO spread_pending (article) VALUES (?)", ((r,) for r in rowids)
    )


def marked(db: sqlite3.Connection, limit: int) -> list[int]:
    return [
        r[0]
        for r in db.execute(
            "SELECT article FROM spread_pending ORDER BY article LIMIT ?", (limit,)
        )
    ]


def unmark(db: sqlite3.Connection, rowids: list[int]) -> None:
    db.executemany("DELETE FROM spread_pending WHERE article = ?", [(r,) for r in rowids])


def found(db: sqlite3.Connection, rowid: int) -> tuple[str, list[tuple], bool]:
    """An article's text, the mentions spaCy found in it, in order, each (start, end, text,
    label, sent_start, sent_end, key), and whether it holds names spread before."""
    row = db.execute("SELECT text FROM articles WHERE rowid = ?", (rowid,)).fetchone()
    mentions = list(
        db.execute(
            "SELECT start, end, text, label, sent_start, sent_end, key FROM mentions"
            " WHERE article = ? AND spread = 0 ORDER BY start",
            (rowid,),
        )
    )
    spread = db.execute(
        "SELECT 1 FROM mentions WHERE article = ? AND spread = 1 LIMIT 1", (rowid,)
    ).fetchone()
    return (row[0] if row else ""), mentions, spread is not None


def spacy_spans(db: sqlite3.Connection, rowid: int) -> list[tuple[int, int]]:
    """(start, end) of the mentions spaCy found in an article, in order."""
    return list(db.execute(
        "SELECT start, end FROM mentions WHERE article = ? AND spread = 0 ORDER BY start",
        (rowid,)))


def place(db: sqlite3.Connection, rowid: int) -> str:
    """An article's dateline place ("" when it has none)."""
    row = db.execute("SELECT place FROM articles WHERE rowid = ?", (rowid,)).fetchone()
    return (row[0] or "") if row else ""


def replace(db: sqlite3.Connection, rowid: int, rows: Sequence, spacy: set[int]) -> None:
    """Store an article's mentions (RawMentions; those starting at ``spacy`` are spaCy's own);
    when its set of keys changes, the search index is told to index it again."""
    old = db.execute(
        "SELECT start, end, text, label, sent_start, sent_end, key, spread FROM mentions"
        " WHERE article = ? ORDER BY start",
        (rowid,),
    ).fetchall()
    new = [
        (m.start, m.end, m.text, m.label, m.sent_start, m.sent_end, m.key,
         0 if m.start in spacy else 1)
        for m in rows
    ]
    if old == new:
        return
    db.execute("DELETE FROM mentions WHERE article = ?", (rowid,))
    db.executemany(
        "INSERT OR IGNORE INTO mentions (article, start, end, text, label, sent_start, sent_end,"
        " key, spread) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(rowid, *row) for row in new],
    )
    if {r[6] for r in old} != {r[6] for r in new}:
        db.execute("UPDATE articles SET indexed = 0 WHERE rowid = ?", (rowid,))
