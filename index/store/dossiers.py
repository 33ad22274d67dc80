"""Provides the SQL of dossiers, pins and briefings: the articles and mentions a dossier reads,
the analysis cache (one ``Payload`` per article text) and the pins table."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from index.errors import NotFound
from index.models import Cooccurrence, Entity, Mention, Pinned, Source

if TYPE_CHECKING:  # pragma: no cover
    import sqlite3

    from index.store import Store

__all__ = ["DossierStore", "EntityArticle", "Payload"]


class EntityArticle(NamedTuple):
    """One article that mentions the dossier's entity."""

    rowid: int
    id: str
    title: str
    source: str
    date: str | None
    author: str
    hash: str
    mentions: int  # of the entity in this article
    starts: frozenset[int]  # the entity's mention offsets in this article


class Payload:
    """The analysis cache row of one article text: what was analysed and what it gave."""

    __slots__ = ("checked", "quotes", "roles")

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        data = data or {}
        self.checked: set[int] = set(data.get("checked", ()))
        # (start, end, anchor): the role's offsets and the mention it belongs to
        self.roles: set[tuple[int, int, int]] = {tuple(r) for r in data.get("roles", ())}  # type: ignore[misc]
        # (start, end) -> (speaker_start, speaker_end, anchor, cue)
        self.quotes: dict[tuple[int, int], tuple[int, int, int, str]] = {
            (q[0], q[1]): (q[2], q[3], q[4], q[5]) for q in data.get("quotes", ())
        }

    def update(self, other: Payload) -> None:
        self.checked |= other.checked
        self.roles |= other.roles
        for span, quote in other.quotes.items():
            self.quotes.setdefault(span, quote)

    def dumps(self) -> str:
        return json.dumps(
            {
                "checked": sorted(self.checked),
                "roles": sorted(self.roles),
                "quotes": [[*span, *q] for span, q in sorted(self.quotes.items())],
            },
            ensure_ascii=False,
        )


class DossierStore:
    """The reads and writes of ``index.dossiers.Dossiers``, over the library's Store (each
    thread reads through its own connection; writes go through ``Store.write``)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # --- what a dossier reads ---------------------------------------------------------------
    def generation(self) -> str:
        """The entity generation: ``relink`` bumps it, which makes kept dossiers stale."""
        return self.store.get_meta("generation", "0") or "0"

    def entity_articles(self, entity_id: str) -> list[EntityArticle]:
        rows = self.store.db.execute(
            "SELECT a.rowid, a.id, a.title, a.source, a.date, a.author, a.hash, count(*),"
            " group_concat(m.start)"
            " FROM entity_of e JOIN mentions m ON m.key = e.key"
            " JOIN articles a ON a.rowid = m.article"
            " WHERE e.entity = ? GROUP BY m.article",
            (entity_id,),
        )
        return [
            EntityArticle(
                rowid, aid, title, source, day, author, h, n, frozenset(map(int, starts.split(",")))
            )
            for rowid, aid, title, source, day, author, h, n, starts in rows
        ]

    def cooccurring(self, entity_id: str, limit: int) -> list[Cooccurrence]:
        """Entities sharing sentences, then articles, with this one: ``analysis.cooccurring``
        done in SQL, so an entity in thousands of articles costs no Python objects."""
        rows = self.store.db.execute(
            "WITH own AS ("
            "  SELECT DISTINCT m.article, m.sent_start, m.sent_end"
            "  FROM entity_of e JOIN mentions m ON m.key = e.key WHERE e.entity = ?1"
            "), docs AS (SELECT DISTINCT article FROM own),"
            " other AS ("
            "  SELECT eo.entity, m.article, m.sent_start, m.sent_end"
            "  FROM docs d JOIN mentions m ON m.article = d.article"
            "  JOIN entity_of eo ON eo.key = m.key WHERE eo.entity != ?1"
            "), shared AS ("
            "  SELECT x.entity, count(DISTINCT x.article) AS articles,"
            "  count(DISTINCT CASE WHEN w.article IS NOT NULL AND x.sent_end > x.sent_start"
            "   THEN x.article || ' ' || x.sent_start || ' ' || x.sent_end END) AS sentences"
            "  FROM other x LEFT JOIN own w ON w.article = x.article"
            "  AND w.sent_start = x.sent_start AND w.sent_end = x.sent_end GROUP BY x.entity"
            ")"
            " SELECT en.id, en.name, en.label, en.aliases, en.mentions, en.articles,"
            " s.sentences, s.articles FROM shared s JOIN entities en ON en.id = s.entity"
            " ORDER BY s.sentences DESC, s.articles DESC, lower(en.name) LIMIT ?2",
            (entity_id, limit),
        )
        return [Cooccurrence(_entity(r[:6]), r[6], r[7]) for r in rows]

    def article_text(self, rowid: int) -> str:
        (text,) = self.store.db.execute(
            "SELECT text FROM articles WHERE rowid = ?", (rowid,)
        ).fetchone()
        return text  # type: ignore[no-any-return]

    def article_mentions(self, rowid: int, article_id: str) -> list[Mention]:
        """Every entity's mentions in one article, in reading order."""
        return [
            Mention(article_id, *r)
            for r in self.store.db.execute(
                "SELECT m.start, m.end, m.text, en.id, en.name, en.label, m.sent_start, m.sent_end"
                " FROM mentions m JOIN entity_of e ON e.key = m.key"
                " JOIN entities en ON en.id = e.entity WHERE m.article = ? ORDER BY m.start",
                (rowid,),
            )
        ]

    def mention_sentence(self, article_id: str, offset: int) -> tuple[int, int] | None:
        """The importer's sentence (start, end) of the mention at ``offset``, if one is there."""
        row = self.store.db.execute(
            "SELECT m.sent_start, m.sent_end FROM mentions m JOIN articles a ON a.rowid = m.article"
            " WHERE a.id = ? AND m.start <= ? AND ? < m.end",
            (article_id, offset, offset),
        ).fetchone()
        return None if row is None else (row[0], row[1])

    def sources(self, article_ids: Sequence[str]) -> dict[str, Source]:
        out: dict[str, Source] = {}
        db = self.store.db
        for i in range(0, len(article_ids), 500):
            chunk = list(article_ids[i : i + 500])
            marks = ",".join("?" * len(chunk))
            for aid, title, source, day, path, url in db.execute(
                f"SELECT id, title, source, date, path, url FROM articles WHERE id IN ({marks})",
                chunk,
            ):
                out[aid] = Source(aid, title, source, day, path, url)
        return out

    def texts(self, article_ids: Sequence[str]) -> dict[str, str]:
        """The texts of these articles, by id (to tell copies of one story apart)."""
        out: dict[str, str] = {}
        db = self.store.db
        for i in range(0, len(article_ids), 500):
            chunk = list(article_ids[i : i + 500])
            marks = ",".join("?" * len(chunk))
            for aid, text in db.execute(
                f"SELECT id, text FROM articles WHERE id IN ({marks})", chunk
            ):
                out[aid] = text
        return out

    # --- the analysis cache ---------------------------------------------------------------------
    def payloads(self, hashes: Iterable[str], version: int) -> dict[str, Payload]:
        """The cache rows of ``version`` for these article hashes; a damaged row is left out."""
        out: dict[str, Payload] = {}
        wanted = list(hashes)
        db = self.store.db
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for h, payload in db.execute(
                f"SELECT hash, payload FROM analysis WHERE version = ? AND hash IN ({marks})",
                (version, *chunk),
            ):
                try:
                    out[h] = Payload(json.loads(payload))
                except (ValueError, TypeError, IndexError):
                    continue  # a damaged row is analysed again
        return out

    def save_payloads(self, done: dict[str, Payload], version: int) -> None:
        """Merge new findings into the cache rows, in one transaction (raises ReaderError when
        the library is busy or read-only)."""
        with self.store.write() as db:
            for h, payload in done.items():
                row = db.execute(
                    "SELECT payload FROM analysis WHERE hash = ? AND version = ?",
                    (h, version),
                ).fetchone()
                merged = Payload()
                if row is not None:
                    try:
                        merged = Payload(json.loads(row[0]))
                    except (ValueError, TypeError, IndexError):
                        pass
                merged.update(payload)
                db.execute(
                    "INSERT OR REPLACE INTO analysis (hash, version, payload) VALUES (?, ?, ?)",
                    (h, version, merged.dumps()),
                )

    # --- pins -----------------------------------------------------------------------------------
    def citation_column(self, *, create: bool) -> bool:
        """Pins keep a copy of their article's citation in ``pins.citation``; a library made
        before that column existed gets it when ``create`` (one ALTER TABLE, idempotent).
        Whether the column is there now."""
        if _has_citation(self.store.db):
            return True
        if not create:
            return False
        with self.store.write() as db:
            if not _has_citation(db):
                db.execute("ALTER TABLE pins ADD COLUMN citation TEXT NOT NULL DEFAULT '{}'")
        return True

    def add_pin(
        self,
        article: str,
        start: int,
        end: int,
        passage: str,
        note: str,
        made: str,
        citation: Source | None,
    ) -> int:
        """Insert a pin last in order, in one transaction, with its citation unless ``None``
        (no citation column); returns its id."""
        with self.store.write() as db:
            (last,) = db.execute("SELECT coalesce(max(position), 0) FROM pins").fetchone()
            columns = "article, start, end, passage, note, position, made"
            values: list[object] = [article, start, end, passage, note, last + 1, made]
            if citation is not None:
                columns += ", citation"
                values.append(json.dumps(_source_record(citation), ensure_ascii=False))
            cursor = db.execute(
                f"INSERT INTO pins ({columns}) VALUES ({','.join('?' * len(values))})", values
            )
            return int(cursor.lastrowid or 0)

    def pins(self, *, cited: bool) -> list[Pinned]:
        """The pins in the user's order, with their citations when ``cited`` (the column exists)."""
        extra = ", citation" if cited else ", NULL"
        rows = self.store.db.execute(
            f"SELECT id, article, start, end, passage, note, made{extra} FROM pins"
            " ORDER BY position, id"
        )
        return [_pinned(r) for r in rows]

    def pinned_entities(self, labels: tuple[str, ...]) -> list[Entity]:
        """Entities of ``labels`` with a mention inside a pinned passage, in more pins first
        (then the most mentioned)."""
        if not labels:
            return []
        marks = ",".join("?" * len(labels))
        rows = self.store.db.execute(
            "SELECT en.id, en.name, en.label, en.aliases, en.mentions, en.articles"
            " FROM pins p JOIN articles a ON a.id = p.article"
            " JOIN mentions m ON m.article = a.rowid AND m.start >= p.start AND m.end <= p.end"
            " JOIN entity_of e ON e.key = m.key JOIN entities en ON en.id = e.entity"
            f" WHERE en.label IN ({marks}) GROUP BY en.id"
            " ORDER BY count(DISTINCT p.id) DESC, en.mentions DESC, lower(en.name)",
            labels,
        )
        return [_entity(r) for r in rows]

    def delete_pin(self, pin_id: int) -> None:
        with self.store.write() as db:
            if db.execute("DELETE FROM pins WHERE id = ?", (pin_id,)).rowcount == 0:
                raise NotFound(f"no pin #{pin_id}")

    def move_pin(self, pin_id: int, index: int) -> None:
        with self.store.write() as db:
            ids = [r[0] for r in db.execute("SELECT id FROM pins ORDER BY position, id")]
            if pin_id not in ids:
                raise NotFound(f"no pin #{pin_id}")
            ids.remove(pin_id)
            ids.insert(max(0, min(index, len(ids))), pin_id)
            db.executemany(
                "UPDATE pins SET position = ? WHERE id = ?", [(n, i) for n, i in enumerate(ids, 1)]
            )

    def set_note(self, pin_id: int, note: str) -> None:
        with self.store.write() as db:
            changed = db.execute("UPDATE pins SET note = ? WHERE id = ?", (note, pin_id)).rowcount
            if changed == 0:
                raise NotFound(f"no pin #{pin_id}")


# --- rows and records -----------------------------------------------------------------------------
def _has_citation(db: sqlite3.Connection) -> bool:
    return any(r[1] == "citation" for r in db.execute("PRAGMA table_info(pins)"))


def _entity(row: Sequence[Any]) -> Entity:
    eid, name, label, aliases, mentions, articles = row
    return Entity(eid, name, label, tuple(json.loads(aliases)), mentions, articles)


def _source_record(source: Source) -> dict[str, Any]:
    return {
        "title": source.title,
        "source": source.source,
        "date": source.date,
        "path": source.path,
        "url": source.url,
    }


def _pinned(row: Sequence[Any]) -> Pinned:
    pid, article, start, end, passage, note, made, citation = row
    source = None
    if citation:
        try:
            kept = json.loads(citation)
        except ValueError:
            kept = {}
        if kept.get("title"):
            source = Source(
                article,
                kept["title"],
                kept.get("source", ""),
                kept.get("date"),
                kept.get("path", ""),
                kept.get("url", ""),
            )
    return Pinned(pid, article, start, end, passage, note, made, source)
