"""Provides the SQL of articles and imported files: pages of the library, one article, the rows an
import writes, and the bookkeeping of what the search index holds."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator

from index.errors import NotFound
from index.models import Article, ArticleSummary, Stats
from index.safe import safe_line

ARTICLE_COLUMNS = "id, title, text, source, date, author, url, path, place, meta, lang"
SUMMARY_COLUMNS = "id, title, source, date, author, lang"


def _order(order: str) -> str:
    return "title COLLATE NOCASE, rowid" if order == "title" else "date DESC, rowid DESC"


# --- reading -------------------------------------------------------------------------------------
def count(db: sqlite3.Connection) -> int:
    return int(db.execute("SELECT count(*) FROM articles").fetchone()[0])


def version(db: sqlite3.Connection) -> tuple[int, int, str]:
    """(article count, highest rowid, entity generation): changes with every import or relink."""
    count_, last, generation = db.execute(
        "SELECT count(*), coalesce(max(rowid), 0),"
        " coalesce((SELECT value FROM meta WHERE key = 'generation'), '') FROM articles"
    ).fetchone()
    return int(count_), int(last), str(generation)


def page(db: sqlite3.Connection, *, offset: int, limit: int, order: str) -> list[ArticleSummary]:
    rows = db.execute(
        f"SELECT {SUMMARY_COLUMNS} FROM articles ORDER BY {_order(order)} LIMIT ? OFFSET ?",
        (limit, offset),
    )
    return [ArticleSummary(*r) for r in rows]


def position(db: sqlite3.Connection, article_id: str, order: str) -> int | None:
    row = db.execute(
        f"SELECT n FROM (SELECT id, row_number() OVER (ORDER BY {_order(order)}) - 1 AS n"
        " FROM articles) WHERE id = ?", (article_id,)
    ).fetchone()
    return None if row is None else int(row[0])


def get(db: sqlite3.Connection, article_id: str) -> Article:
    row = db.execute(
        f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)
    ).fetchone()
    if row is None:
        raise NotFound(f"no article with id '{safe_line(article_id)}'")
    return _article(row)


def every(db: sqlite3.Connection) -> Iterator[Article]:
    for row in db.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY rowid"):
        yield _article(row)


def stats(db: sqlite3.Connection) -> Stats:
    articles = count(db)
    entities, mentions = db.execute(
        "SELECT count(*), coalesce(sum(mentions), 0) FROM entities"
    ).fetchone()
    by_label = dict(db.execute("SELECT label, count(*) FROM entities GROUP BY label ORDER BY 2 DESC"))
    sources = dict(
        db.execute(
            "SELECT source, count(*) FROM articles GROUP BY source ORDER BY 2 DESC LIMIT 20"
        )
    )
    first, last = db.execute("SELECT min(date), max(date) FROM articles").fetchone()
    return Stats(articles, entities, mentions, by_label, sources, first, last)


def rowid(db: sqlite3.Connection, article_id: str) -> int:
    row = db.execute("SELECT rowid FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None:
        raise NotFound(f"no article with id '{safe_line(article_id)}'")
    return int(row[0])


def path_of(db: sqlite3.Connection, article_id: str) -> str | None:
    """The file an article came from (its resolved path), or None when there is no such article."""
    row = db.execute("SELECT path FROM articles WHERE id = ?", (article_id,)).fetchone()
    return None if row is None else row[0]


def text_of(db: sqlite3.Connection, article_id: str) -> str:
    row = db.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
    return row[0] if row else ""


def hit_fields(db: sqlite3.Connection, article_id: str) -> tuple[str, str, str | None] | None:
    """(title, source, date) of a search hit, or None when the article is gone."""
    return db.execute(
        "SELECT title, source, date FROM articles WHERE id = ?", (article_id,)
    ).fetchone()


def totals(db: sqlite3.Connection) -> tuple[int, int, int]:
    """How many articles, mentions and entities the library holds."""
    return db.execute(
        "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM mentions),"
        " (SELECT count(*) FROM entities)"
    ).fetchone()


# --- removing ------------------------------------------------------------------------------------
def remove(db: sqlite3.Connection, article_id: str, path: str) -> None:
    """Delete one article and its file's record (inside the caller's write transaction)."""
    db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
    db.execute("DELETE FROM files WHERE path = ?", (path,))


def delete(db: sqlite3.Connection, ids: Iterable[str]) -> None:
    db.executemany("DELETE FROM articles WHERE id = ?", [(i,) for i in ids])


# --- the search index's bookkeeping --------------------------------------------------------------
def ids(db: sqlite3.Connection) -> list[str]:
    return [r[0] for r in db.execute("SELECT id FROM articles")]


def pending(db: sqlite3.Connection) -> list[int]:
    """Rowids of the articles the search index has not committed yet."""
    return [r[0] for r in db.execute("SELECT rowid FROM articles WHERE indexed = 0")]


def pending_count(db: sqlite3.Connection) -> int:
    return int(db.execute("SELECT count(*) FROM articles WHERE indexed = 0").fetchone()[0])


def mark_unindexed(db: sqlite3.Connection, ids_: Iterable[str]) -> None:
    db.executemany("UPDATE articles SET indexed = 0 WHERE id = ?", [(i,) for i in ids_])


def mark_indexed(db: sqlite3.Connection, rowids: Iterable[int]) -> None:
    db.executemany("UPDATE articles SET indexed = 1 WHERE rowid = ?", [(r,) for r in rowids])


def index_fields(db: sqlite3.Connection, rowid_: int) -> tuple[tuple, set[str], set[str]]:
    """An article's (id, title, text, source, date, author, lang), its mention keys and labels."""
    fields = db.execute(
        "SELECT id, title, text, source, date, author, lang FROM articles WHERE rowid = ?",
        (rowid_,),
    ).fetchone()
    keys, types = set(), set()
    for key, label in db.execute("SELECT key, label FROM mentions WHERE article = ?", (rowid_,)):
        keys.add(key)
        types.add(label)
    return fields, keys, types


def unknown_langs(db: sqlite3.Connection, after: int, limit: int) -> list[tuple[int, str, str]]:
    """(rowid, title, text) of up to ``limit`` articles of unknown language past ``after``."""
    return db.execute(
        "SELECT rowid, title, text FROM articles WHERE lang = '' AND rowid > ?"
        " ORDER BY rowid LIMIT ?", (after, limit),
    ).fetchall()


def set_langs(db: sqlite3.Connection, langs: Iterable[tuple[str, int]]) -> None:
    """Store (lang, rowid) pairs; the articles go back to the search index for ``lang:``."""
    db.executemany("UPDATE articles SET lang = ?, indexed = 0 WHERE rowid = ?", list(langs))


# --- importing -----------------------------------------------------------------------------------
def file_record(db: sqlite3.Connection, path: str) -> tuple[str, int] | None:
    """(sha256, records) of a file imported whole before, or None."""
    return db.execute("SELECT sha256, records FROM files WHERE path = ?", (path,)).fetchone()


def records_of(db: sqlite3.Connection, path: str) -> dict[str, tuple[str, str, str]]:
    """The stored articles of one file: record (what it is known by) -> (id, url, hash)."""
    rows = db.execute("SELECT record, id, url, hash FROM articles WHERE path = ?", (path,))
    return {record: (aid, url, digest) for record, aid, url, digest in rows}


def hash_of(db: sqlite3.Connection, article_id: str) -> tuple[str] | None:
    return db.execute("SELECT hash FROM articles WHERE id = ?", (article_id,)).fetchone()


def has_copy_elsewhere(db: sqlite3.Connection, digest: str, path: str, own: str | None = None) -> bool:
    """Whether another file gave an article with this content (and this id, when ``own``)."""
    if own is None:
        sql, args = "SELECT 1 FROM articles WHERE hash = ? AND path != ? LIMIT 1", (digest, path)
    else:
        sql = "SELECT 1 FROM articles WHERE hash = ? AND path != ? AND id = ? LIMIT 1"
        args = (digest, path, own)
    return db.execute(sql, args).fetchone() is not None


def upsert(db: sqlite3.Connection, values: tuple) -> int:
    """Insert or update one article (the columns of the INSERT below, in order); its rowid."""
    row = db.execute(
        "INSERT INTO articles (id, path, record, hash, title, text, source, date, author, url,"
        " place, meta, added, lang, indexed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)"
        " ON CONFLICT (id) DO UPDATE SET path = excluded.path, record = excluded.record,"
        " hash = excluded.hash, title = excluded.title, text = excluded.text,"
        " source = excluded.source, date = excluded.date, author = excluded.author,"
        " url = excluded.url, place = excluded.place, meta = excluded.meta, lang = excluded.lang,"
        " indexed = 0"
        " RETURNING rowid",
        values,
    ).fetchone()
    return int(row[0])


def replace_mentions(
    db: sqlite3.Connection, rowid_: int, found: list[tuple], spread: set[int] | None = None
) -> None:
    """An article's mentions, each (start, end, text, label, sent_start, sent_end, key).
    ``spread``: the names of the library were spread into them already (ingest/propagate.py),
    and these are the starts of the mentions found so; without it, that is left to the end
    of the import."""
    db.execute("DELETE FROM mentions WHERE article = ?", (rowid_,))
    db.executemany(
        "INSERT OR IGNORE INTO mentions (article, start, end, text, label, sent_start,"
        " sent_end, key, spread) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(rowid_, *m, int(spread is not None and m[0] in spread)) for m in found],
    )
    if spread is None:
        db.execute("INSERT OR IGNORE INTO spread_pending (article) VALUES (?)", (rowid_,))


def finish_file(
    db: sqlite3.Connection, path: str, sha256: str, size: int, records: int, failed: int, now: str
) -> None:
    """Record a file as imported whole: re-adding it unchanged does no work."""
    db.execute(
        "INSERT INTO files (path, sha256, size, records, failed, updated)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET"
        " sha256 = excluded.sha256, size = excluded.size, records = excluded.records,"
        " failed = excluded.failed, updated = excluded.updated",
        (path, sha256, size, records, failed, now),
    )


def _article(row: tuple) -> Article:
    aid, title, text, source, date, author, url, path, place, meta, lang = row
    return Article(aid, title, text, source, date, author, url, path, place, json.loads(meta), lang)
