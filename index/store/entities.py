"""Provides the SQL of entities: relinking mentions to entities, the user's decisions, and the
lookups of entities, mentions and cross-references."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone

from index.entities import Decisions, KeyStats, normalize, resolve
from index.errors import NotFound
from index.models import ArticleSummary, CrossRef, Entity, Mention, Span
from index.safe import safe_line
from index.store.db import Store

_ENTITY = "SELECT id, name, label, aliases, mentions, articles FROM entities"
_MENTION = (
    "SELECT a.id, m.start, m.end, m.text, en.id, en.name, en.label, m.sent_start, m.sent_end"
    " FROM mentions m JOIN entity_of e ON e.key = m.key JOIN entities en ON en.id = e.entity"
    " JOIN articles a ON a.rowid = m.article"
)
SENTENCE_CAP = 400  # characters of context shown around a cross-referenced mention


# --- relinking -----------------------------------------------------------------------------------
def relink(db: sqlite3.Connection) -> None:
    """Resolve every mention key to an entity, applying the user's decisions last, inside the
    caller's write transaction: a decision and the entities it changes commit together, so a
    kill at any moment leaves both or neither."""
    stats: dict[str, KeyStats] = {}
    for key, text, label, count in db.execute(
        "SELECT key, text, label, count(*) FROM mentions GROUP BY key, text, label"
    ):
        ks = stats.get(key)
        if ks is None:
            ks = stats[key] = KeyStats(key=key, forms={}, labels={}, mentions=0, articles=0)
        ks.forms[text] = ks.forms.get(text, 0) + count
        ks.labels[label] = ks.labels.get(label, 0) + count
        ks.mentions += count
    for key, articles in db.execute(
        "SELECT key, count(DISTINCT article) FROM mentions GROUP BY key"
    ):
        stats[key].articles = articles
    resolution = resolve(stats.values(), decisions(db))
    db.execute("DELETE FROM entity_of")
    db.executemany(
        "INSERT INTO entity_of (key, entity) VALUES (?, ?)", resolution.entity_of.items()
    )
    db.execute("DELETE FROM entities")
    db.executemany(
        "INSERT INTO entities (id, name, label, aliases) VALUES (?, ?, ?, ?)",
        [
            (e.id, safe_line(e.name), e.label, json.dumps([safe_line(a) for a in e.aliases],
                                                         ensure_ascii=False))
            for e in resolution.entities.values()
        ],
    )
    db.execute(
        "UPDATE entities SET mentions = c.n, articles = c.a FROM ("
        " SELECT e.entity AS id, count(*) AS n, count(DISTINCT m.article) AS a"
        " FROM mentions m JOIN entity_of e ON e.key = m.key GROUP BY e.entity) AS c"
        " WHERE entities.id = c.id"
    )
    db.execute("DELETE FROM entities WHERE mentions = 0")
    Store.set_meta(db, "entities_stale", "0")
    db.execute("INSERT INTO meta VALUES ('generation', '1') ON CONFLICT (key) DO UPDATE"
               " SET value = CAST(value AS INTEGER) + 1")  # dossiers cached before are stale


# --- decisions -----------------------------------------------------------------------------------
def decisions(db: sqlite3.Connection) -> Decisions:
    merges: list[tuple[str, str]] = []
    ignored: set[str] = set()
    for kind, a, b in db.execute("SELECT kind, a, b FROM decisions ORDER BY id"):
        if kind == "merge":
            merges.append((a, b))
        else:
            ignored.add(a)
    return Decisions(merges=merges, ignored=ignored)


def add_merge(db: sqlite3.Connection, key_a: str, key_b: str) -> None:
    db.execute(
        "INSERT OR IGNORE INTO decisions (kind, a, b, made) VALUES ('merge', ?, ?, ?)",
        (key_a, key_b, _now()),
    )


def merges_touching(db: sqlite3.Connection, keys: list[str]) -> list[tuple[int, str, str]]:
    """The user's merges (id, a, b) that name any of ``keys``."""
    marks = ",".join("?" * len(keys))
    return db.execute(
        f"SELECT id, a, b FROM decisions WHERE kind = 'merge' AND (a IN ({marks}) OR b IN ({marks}))",
        (*keys, *keys),
    ).fetchall()


def drop_decisions(db: sqlite3.Connection, ids: list[int]) -> None:
    db.executemany("DELETE FROM decisions WHERE id = ?", [(i,) for i in ids])


def add_ignore(db: sqlite3.Connection, key: str) -> None:
    db.execute(
        "INSERT OR IGNORE INTO decisions (kind, a, b, made) VALUES ('ignore', ?, '', ?)",
        (key, _now()),
    )


def is_ignored(db: sqlite3.Connection, key: str) -> bool:
    found = db.execute(
        "SELECT 1 FROM decisions WHERE kind = 'ignore' AND a = ?", (key,)
    ).fetchone()
    return found is not None


def drop_ignore(db: sqlite3.Connection, key: str) -> None:
    db.execute("DELETE FROM decisions WHERE kind = 'ignore' AND a = ?", (key,))


# --- keys ----------------------------------------------------------------------------------------
def main_key(db: sqlite3.Connection, entity_id: str) -> str:
    """The key most of an entity's mentions have."""
    row = db.execute(
        "SELECT m.key FROM mentions m JOIN entity_of e ON e.key = m.key WHERE e.entity = ?"
        " GROUP BY m.key ORDER BY count(*) DESC, m.key LIMIT 1",
        (entity_id,),
    ).fetchone()
    if row is None:
        raise NotFound(f"no entity '{safe_line(entity_id)}'")
    return row[0]


def keys(db: sqlite3.Connection, entity_id: str) -> list[str]:
    return [r[0] for r in db.execute("SELECT key FROM entity_of WHERE entity = ?", (entity_id,))]


def has_key(db: sqlite3.Connection, key: str) -> bool:
    return db.execute("SELECT 1 FROM entity_of WHERE key = ?", (key,)).fetchone() is not None


def mention_count(db: sqlite3.Connection, key: str) -> int:
    """How many mentions carry ``key``."""
    (n,) = db.execute("SELECT count(*) FROM mentions WHERE key = ?", (key,)).fetchone()
    return int(n)


def names_of_key(db: sqlite3.Connection, key: str) -> list[str] | None:
    """The name and aliases of the entity behind ``key``, or None."""
    row = db.execute(
        "SELECT en.name, en.aliases FROM entity_of e JOIN entities en ON en.id = e.entity"
        " WHERE e.key = ?",
        (key,),
    ).fetchone()
    if row is None:
        return None
    return [row[0], *json.loads(row[1])]


# --- lookups -------------------------------------------------------------------------------------
def listing(
    db: sqlite3.Connection, *, label: str | None, article: int | None, limit: int | None
) -> list[Entity]:
    """Entities, most-mentioned first; with ``article`` (a rowid), mentions count within it."""
    args: list[object] = []
    if article is not None:
        sql = (
            "SELECT en.id, en.name, en.label, en.aliases, count(*), en.articles"
            " FROM mentions m JOIN entity_of e ON e.key = m.key"
            " JOIN entities en ON en.id = e.entity WHERE m.article = ?"
        )
        args.append(article)
        if label:
            sql += " AND en.label = ?"
            args.append(label.upper())
        sql += " GROUP BY en.id ORDER BY count(*) DESC, en.name"
    else:
        sql = _ENTITY
        if label:
            sql += " WHERE label = ?"
            args.append(label.upper())
        sql += " ORDER BY mentions DESC, name"
    if limit is not None:
        sql += " LIMIT ?"
        args.append(limit)
    return [_entity(r) for r in db.execute(sql, args)]


def find(db: sqlite3.Connection, name: str) -> Entity:
    """The entity with this id, name or alias (any case); raises NotFound."""
    row = db.execute(f"{_ENTITY} WHERE id = ?", (name,)).fetchone()
    if row is None:
        key = normalize(safe_line(name))
        row = db.execute(
            f"{_ENTITY} WHERE id = (SELECT entity FROM entity_of WHERE key = ?)", (key,)
        ).fetchone()
    if row is None:
        row = db.execute(
            f"{_ENTITY} WHERE name = ? COLLATE NOCASE ORDER BY mentions DESC", (safe_line(name),)
        ).fetchone()
    if row is None:  # one of its other names, as printed ("Wang" for Wang Yi)
        row = db.execute(
            f"{_ENTITY} WHERE EXISTS (SELECT 1 FROM json_each(entities.aliases)"
            " WHERE value = ? COLLATE NOCASE) ORDER BY mentions DESC",
            (safe_line(name),),
        ).fetchone()
    if row is None:
        raise NotFound(f"no entity named '{safe_line(name)[:80]}'")
    return _entity(row)


def mentions(
    db: sqlite3.Connection, *, entity: str | None = None, article: int | None = None
) -> list[Mention]:
    """Mentions in reading order (article, then offset); ``entity`` an id, ``article`` a rowid."""
    sql, args = _MENTION, []
    where = []
    if entity is not None:
        where.append("e.entity = ?")
        args.append(entity)
    if article is not None:
        where.append("m.article = ?")
        args.append(article)
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY m.article, m.start"
    return [Mention(*r) for r in db.execute(sql, args)]


def crossrefs(db: sqlite3.Connection, entity_id: str, *, skip: int, limit: int) -> list[CrossRef]:
    """Articles (but the rowid ``skip``) that mention the entity, most mentions first, each with
    the sentence of its first mention."""
    rows = db.execute(
        "WITH hits AS ("
        "  SELECT m.article, min(m.start) AS first, count(*) AS n"
        "  FROM entity_of e JOIN mentions m ON m.key = e.key"
        "  WHERE e.entity = ? AND m.article != ? GROUP BY m.article"
        "), top AS ("
        "  SELECT h.article, h.first, h.n, a.date FROM hits h JOIN articles a ON a.rowid = h.article"
        "  ORDER BY h.n DESC, a.date DESC, a.rowid DESC LIMIT ?"
        ")"
        " SELECT a.id, a.title, a.source, a.date, a.author, m.start, m.end, m.sent_start,"
        " m.sent_end, substr(a.text, m.sent_start + 1, m.sent_end - m.sent_start), top.n"
        " FROM top JOIN articles a ON a.rowid = top.article"
        " JOIN mentions m ON m.article = top.article AND m.start = top.first"
        " ORDER BY top.n DESC, top.date DESC, a.rowid DESC",
        (entity_id, skip, limit),
    )
    out = []
    for aid, title, source, date, author, start, end, s0, s1, sentence, n in rows:
        sentence, mark = _clip(sentence or "", start - s0, end - s0)
        out.append(
            CrossRef(ArticleSummary(aid, title, source, date, author), sentence, mark, start, end, n)
        )
    return out


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _entity(row: tuple) -> Entity:
    eid, name, label, aliases, mentions_, articles = row
    return Entity(eid, name, label, tuple(json.loads(aliases)), mentions_, articles)


def _clip(sentence: str, start: int, end: int) -> tuple[str, Span]:
    """The sentence, cut to SENTENCE_CAP characters around the mention, and the mention's span."""
    lead = ""
    if len(sentence) > SENTENCE_CAP:
        left = max(0, min(start - SENTENCE_CAP // 3, len(sentence) - SENTENCE_CAP))
        right = left + SENTENCE_CAP
        trail = "…" if right < len(sentence) else ""
        lead = "…" if left > 0 else ""
        sentence = lead + sentence[left:right] + trail
        start, end = start - left + len(lead), end - left + len(lead)
    flat = sentence.replace("\n", " ")
    return flat, Span(max(0, start), min(len(flat), end))
