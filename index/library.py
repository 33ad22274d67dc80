"""Provides Library: the one object callers use to import, read, search and resolve entities."""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from index.dossiers import DOSSIER_BUDGET, Dossiers
from index.errors import LibraryBusy, LibraryError, NotFound, ReaderError
from index.models import (
    AddReport,
    Article,
    ArticleSummary,
    CheckReport,
    CrossRef,
    Entity,
    Hit,
    Mention,
    SearchResult,
    Span,
    Stats,
)
from index.models import Brief, Dossier, Pinned
from index.safe import safe_line
from index.store import Store, lock_wait

#: progress(done, total, label) is called from the importing thread; total may grow.
Progress = Callable[[int, int, str], None]

_ARTICLE = "id, title, text, source, date, author, url, path, place, meta"
_SUMMARY = "id, title, source, date, author"
_MENTION = (
    "SELECT a.id, m.start, m.end, m.text, en.id, en.name, en.label, m.sent_start, m.sent_end"
    " FROM mentions m JOIN entity_of e ON e.key = m.key JOIN entities en ON en.id = e.entity"
    " JOIN articles a ON a.rowid = m.article"
)
SENTENCE_CAP = 400  # characters of context shown around a cross-referenced mention

class Library:
    """A library folder: ``library.db`` (SQLite, the source of truth) and ``index/`` (Whoosh).

    Reading never imports spaCy. Every method is safe to call from a worker thread; each thread
    gets its own SQLite connection. A library in a folder we cannot write opens read-only.
    """

    def __init__(self, path: Path, *, create: bool = True, readonly: bool = False) -> None:
        self.path = Path(path).expanduser()
        db_file = self.path / "library.db"
        if self.path.exists() and not self.path.is_dir():
            raise LibraryError(f"{self.path} is a file, not a library folder")
        if not db_file.exists():
            if not create or readonly:
                raise LibraryError(f"no library at {self.path}")
            try:
                self.path.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise LibraryError(f"cannot create a library at {self.path}: {exc.strerror}") from None
        if not readonly and not os.access(self.path, os.W_OK):
            readonly = True
        self.readonly = readonly
        self.store = Store(db_file, readonly=readonly)
        self._dossiers = Dossiers(self.store, entity=self.entity, article=self.article)
        self._search = None
        self._search_lock = threading.RLock()
        #: Set when opening found the search index unusable and rebuilt it: say so to the user.
        self.index_notice: str | None = None
        self._finish_interrupted()

    def _finish_interrupted(self) -> None:
        """An import killed before its end left entities to relink: do it now, unless an import
        is running (it relinks when it ends). Opening never fails for this; check reports it."""
        if self.readonly:
            return
        try:
            if self.store.get_meta("entities_stale") != "1":
                return
            with self._import_lock(wait=0.0):
                if self.store.get_meta("entities_stale") == "1":
                    self.relink()
        except (ReaderError, sqlite3.Error, OSError):
            pass

    @classmethod
    def open(cls, path: Path, *, create: bool = True, readonly: bool = False) -> Library:
        """Open (and by default create) the library at ``path``."""
        return cls(path, create=create, readonly=readonly)

    def close(self) -> None:
        with self._search_lock:
            if self._search is not None:
                self._search.close()
                self._search = None
        self.store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- import ----------------------------------------------------------------------------
    def add(
        self, paths: Iterable[Path], *, jobs: int | None = None, progress: Progress | None = None
    ) -> AddReport:
        """Import files and folders; unchanged files do no work; failures are reported, not raised."""
        from index.importer import Importer

        with self._import_lock():
            search = self._index()
            with self._search_lock:
                report, changed = Importer(self.store, search, jobs=jobs, progress=progress).run(
                    [Path(p) for p in paths]
                )
            if changed or self.store.get_meta("entities_stale") == "1":
                self.relink()
        return report

    def remove(self, article_id: str) -> None:
        """Remove one article (raises NotFound)."""
        with self._import_lock():
            row = self.store.db.execute(
                "SELECT path FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
            if row is None:
                raise NotFound(f"no article with id '{safe_line(article_id)}'")
            with self.store.write() as db:
                db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
                db.execute("DELETE FROM files WHERE path = ?", (row[0],))
                self.store.set_meta(db, "entities_stale", "1")
            with self._search_lock:
                self._index().delete([article_id])
            self.relink()

    @contextmanager
    def _import_lock(self, wait: float | None = None) -> Iterator[None]:
        """One writer of articles at a time; a second waits a bounded time, then says so."""
        if self.readonly:
            raise LibraryError(f"the library {self.path} is read-only")
        with _folder_lock(self.path, wait):
            yield

    # --- backup ----------------------------------------------------------------------------
    def backup(self, dest: Path, *, force: bool = False):
        """Write a consistent copy of the library's database to ``dest`` (a file, or a folder for
        a dated file); returns an index.backup.BackupReport. Safe while others write."""
        from index import backup

        return backup.backup(self.store.path, Path(dest), force=force)

    @classmethod
    def restore(cls, src: Path, dest: Path, *, force: bool = False):
        """Bring the backup ``src`` back into the library folder ``dest`` and rebuild its search
        index. Refuses a library that holds anything unless ``force`` (the old database is then
        kept beside it). Returns an index.backup.BackupReport."""
        from index import backup

        dest = Path(dest).expanduser()
        try:
            dest.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LibraryError(f"cannot create a library at {dest}: {exc.strerror}") from None
        with _folder_lock(dest, None):
            report = backup.restore(Path(src), dest, force=force)
            with cls(dest) as lib:
                lib._index()  # the search index, rebuilt from the restored database
        return report

    # --- entity resolution -----------------------------------------------------------------
    def relink(self) -> None:
        """Resolve every mention key to an entity, applying the user's decisions last."""
        with self.store.write() as db:
            self._relink(db)

    def _relink(self, db) -> None:
        """relink() inside the caller's write transaction: a decision and the entities it
        changes commit together, so a kill at any moment leaves both or neither."""
        from index import resolve

        stats: dict[str, resolve.KeyStats] = {}
        for key, text, label, count in db.execute(
            "SELECT key, text, label, count(*) FROM mentions GROUP BY key, text, label"
        ):
            ks = stats.get(key)
            if ks is None:
                ks = stats[key] = resolve.KeyStats(key=key, forms={}, labels={}, mentions=0, articles=0)
            ks.forms[text] = ks.forms.get(text, 0) + count
            ks.labels[label] = ks.labels.get(label, 0) + count
            ks.mentions += count
        for key, articles in db.execute(
            "SELECT key, count(DISTINCT article) FROM mentions GROUP BY key"
        ):
            stats[key].articles = articles
        resolution = resolve.resolve(stats.values(), self._decisions())
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
        self.store.set_meta(db, "entities_stale", "0")
        db.execute("INSERT INTO meta VALUES ('generation', '1') ON CONFLICT (key) DO UPDATE"
                   " SET value = CAST(value AS INTEGER) + 1")  # dossiers cached before are stale

    def _decisions(self):
        from index import resolve

        merges: list[tuple[str, str]] = []
        ignored: set[str] = set()
        for kind, a, b in self.store.db.execute("SELECT kind, a, b FROM decisions ORDER BY id"):
            if kind == "merge":
                merges.append((a, b))
            else:
                ignored.add(a)
        return resolve.Decisions(merges=merges, ignored=ignored)

    def _main_key(self, entity_id: str) -> str:
        row = self.store.db.execute(
            "SELECT m.key FROM mentions m JOIN entity_of e ON e.key = m.key WHERE e.entity = ?"
            " GROUP BY m.key ORDER BY count(*) DESC, m.key LIMIT 1",
            (entity_id,),
        ).fetchone()
        if row is None:
            raise NotFound(f"no entity '{safe_line(entity_id)}'")
        return row[0]

    def _keys(self, entity_id: str) -> list[str]:
        return [
            r[0]
            for r in self.store.db.execute("SELECT key FROM entity_of WHERE entity = ?", (entity_id,))
        ]

    def merge(self, a: str, b: str) -> Entity:
        """Make ``b`` the same entity as ``a`` (a user decision that survives re-imports)."""
        first, second = self.entity(a), self.entity(b)
        if first.id == second.id:
            return first
        key_a, key_b = self._main_key(first.id), self._main_key(second.id)
        with self.store.write() as db:
            db.execute(
                "INSERT OR IGNORE INTO decisions (kind, a, b, made) VALUES ('merge', ?, ?, ?)",
                (key_a, key_b, _now()),
            )
            self._relink(db)
        return self.entity(key_a)

    def split(self, entity: str) -> list[Entity]:
        """Undo the user's merges into ``entity``; returns the entities it splits into."""
        target = self.entity(entity)
        keys = self._keys(target.id)
        marks = ",".join("?" * len(keys))
        rows = self.store.db.execute(
            f"SELECT id, a, b FROM decisions WHERE kind = 'merge' AND (a IN ({marks}) OR b IN ({marks}))",
            (*keys, *keys),
        ).fetchall()
        if not rows:
            raise NotFound(f"'{target.name}' holds no merge of yours to undo")
        with self.store.write() as db:
            db.executemany("DELETE FROM decisions WHERE id = ?", [(r[0],) for r in rows])
            self._relink(db)
        parts = {self.entity(k).id: self.entity(k) for r in rows for k in (r[1], r[2]) if self._has_key(k)}
        return list(parts.values())

    def _has_key(self, key: str) -> bool:
        return self.store.db.execute("SELECT 1 FROM entity_of WHERE key = ?", (key,)).fetchone() is not None

    def ignore(self, name: str) -> int:
        """Mark a name as "not an entity" everywhere; returns how many mentions it hid."""
        from index.resolve import normalize

        key = normalize(safe_line(name))
        if not key:
            raise NotFound(f"'{safe_line(name)}' is not a name")
        (hidden,) = self.store.db.execute(
            "SELECT count(*) FROM mentions WHERE key = ?", (key,)
        ).fetchone()
        with self.store.write() as db:
            db.execute(
                "INSERT OR IGNORE INTO decisions (kind, a, b, made) VALUES ('ignore', ?, '', ?)",
                (key, _now()),
            )
            self._relink(db)
        return int(hidden)

    def unignore(self, name: str) -> int:
        """Undo ``ignore(name)``; returns how many mentions are names again."""
        from index.resolve import normalize

        key = normalize(safe_line(name))
        found = self.store.db.execute(
            "SELECT 1 FROM decisions WHERE kind = 'ignore' AND a = ?", (key,)
        ).fetchone()
        if not key or found is None:
            raise NotFound(f"'{safe_line(name)}' is not ignored")
        (back,) = self.store.db.execute(
            "SELECT count(*) FROM mentions WHERE key = ?", (key,)
        ).fetchone()
        with self.store.write() as db:
            db.execute("DELETE FROM decisions WHERE kind = 'ignore' AND a = ?", (key,))
            self._relink(db)
        return int(back)

    # --- reading ---------------------------------------------------------------------------
    def count(self) -> int:
        return int(self.store.db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def version(self) -> tuple[int, int, str]:
        """A cheap token that changes when articles come or go or entities are relinked, by
        this process or another (a ``reader add`` while the reader is open): poll it."""
        count, last, generation = self.store.db.execute(
            "SELECT count(*), coalesce(max(rowid), 0),"
            " coalesce((SELECT value FROM meta WHERE key = 'generation'), '') FROM articles"
        ).fetchone()
        return int(count), int(last), str(generation)

    def articles(
        self, *, offset: int = 0, limit: int = 100, order: str = "date"
    ) -> list[ArticleSummary]:
        """A page of the library, newest first (``order="date"``, undated last) or by title."""
        by = "title COLLATE NOCASE, rowid" if order == "title" else "date DESC, rowid DESC"
        rows = self.store.db.execute(
            f"SELECT {_SUMMARY} FROM articles ORDER BY {by} LIMIT ? OFFSET ?", (limit, offset)
        )
        return [ArticleSummary(*r) for r in rows]

    def position(self, article_id: str, *, order: str = "date") -> int | None:
        """Where ``article_id`` is in ``articles(order=order)`` (0-based), or None: the list
        keeps the reader's place when it is read again."""
        by = "title COLLATE NOCASE, rowid" if order == "title" else "date DESC, rowid DESC"
        row = self.store.db.execute(
            f"SELECT n FROM (SELECT id, row_number() OVER (ORDER BY {by}) - 1 AS n"
            " FROM articles) WHERE id = ?", (article_id,)
        ).fetchone()
        return None if row is None else int(row[0])

    def article(self, article_id: str) -> Article:
        row = self.store.db.execute(
            f"SELECT {_ARTICLE} FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"no article with id '{safe_line(article_id)}'")
        return _article(row)

    def export(self) -> Iterator[Article]:
        for row in self.store.db.execute(f"SELECT {_ARTICLE} FROM articles ORDER BY rowid"):
            yield _article(row)

    def stats(self) -> Stats:
        db = self.store.db
        articles = self.count()
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

    # --- entities --------------------------------------------------------------------------
    def entities(
        self, *, label: str | None = None, article: str | None = None, limit: int | None = None
    ) -> list[Entity]:
        """Entities, most-mentioned first; with ``article``, mentions count within that article."""
        args: list[object] = []
        if article is not None:
            rowid = self._rowid(article)
            sql = (
                "SELECT en.id, en.name, en.label, en.aliases, count(*), en.articles"
                " FROM mentions m JOIN entity_of e ON e.key = m.key"
                " JOIN entities en ON en.id = e.entity WHERE m.article = ?"
            )
            args.append(rowid)
            if label:
                sql += " AND en.label = ?"
                args.append(label.upper())
            sql += " GROUP BY en.id ORDER BY count(*) DESC, en.name"
        else:
            sql = "SELECT id, name, label, aliases, mentions, articles FROM entities"
            if label:
                sql += " WHERE label = ?"
                args.append(label.upper())
            sql += " ORDER BY mentions DESC, name"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        return [_entity(r) for r in self.store.db.execute(sql, args)]

    def entity(self, name: str) -> Entity:
        """The entity with this id, name or alias (any case); raises NotFound."""
        from index.resolve import normalize

        db = self.store.db
        sql = "SELECT id, name, label, aliases, mentions, articles FROM entities"
        row = db.execute(f"{sql} WHERE id = ?", (name,)).fetchone()
        if row is None:
            key = normalize(safe_line(name))
            row = db.execute(
                f"{sql} WHERE id = (SELECT entity FROM entity_of WHERE key = ?)", (key,)
            ).fetchone()
        if row is None:
            row = db.execute(
                f"{sql} WHERE name = ? COLLATE NOCASE ORDER BY mentions DESC", (safe_line(name),)
            ).fetchone()
        if row is None:  # one of its other names, as printed ("Wang" for Wang Yi)
            row = db.execute(
                f"{sql} WHERE EXISTS (SELECT 1 FROM json_each(entities.aliases)"
                " WHERE value = ? COLLATE NOCASE) ORDER BY mentions DESC",
                (safe_line(name),),
            ).fetchone()
        if row is None:
            raise NotFound(f"no entity named '{safe_line(name)[:80]}'")
        return _entity(row)

    def mentions(self, *, entity: str | None = None, article: str | None = None) -> list[Mention]:
        """Mentions in reading order (article, then offset)."""
        sql, args = _MENTION, []
        where = []
        if entity is not None:
            where.append("e.entity = ?")
            args.append(self.entity(entity).id)
        if article is not None:
            where.append("m.article = ?")
            args.append(self._rowid(article))
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY m.article, m.start"
        return [Mention(*r) for r in self.store.db.execute(sql, args)]

    def crossrefs(
        self, entity: str, *, exclude: str | None = None, limit: int = 20
    ) -> list[CrossRef]:
        """Other articles that mention ``entity``, most mentions first, each with the sentence
        of its first mention."""
        target = self.entity(entity)
        skip = self._rowid(exclude) if exclude is not None else -1
        rows = self.store.db.execute(
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
            (target.id, skip, limit),
        )
        out = []
        for aid, title, source, date, author, start, end, s0, s1, sentence, n in rows:
            sentence, mark = _clip(sentence or "", start - s0, end - s0)
            out.append(
                CrossRef(ArticleSummary(aid, title, source, date, author), sentence, mark, start, end, n)
            )
        return out

    def _rowid(self, article_id: str) -> int:
        row = self.store.db.execute("SELECT rowid FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFound(f"no article with id '{safe_line(article_id)}'")
        return int(row[0])

    # --- search ----------------------------------------------------------------------------
    def _index(self):
        """The search index, opened once; pending or missing documents are indexed first."""
        from index.search import SearchIndex

        with self._search_lock:
            if self._search is None:
                self._search = SearchIndex(self.path / "index")
                if not self.readonly:
                    done = self._catch_up(self._search)
                    reason = self._search.rebuilt_reason
                    if reason is not None:
                        self.index_notice = (
                            f"{_unusable(reason)}; it was rebuilt from the library"
                            f" ({done} articles indexed again)"
                        )
            return self._search

    def _catch_up(self, search, full: bool = False) -> int:
        """Index what the store has and the index lacks (after a crash or a lost index), and
        drop what the index has and the store lacks. On opening, equal counts are taken for
        agreement; ``full`` (check --repair) compares every id."""
        db = self.store.db
        if full or search.rebuilt_reason is not None or search.count() != self.count():
            have = search.ids()
            ids = [r[0] for r in db.execute("SELECT id FROM articles")]
            known = set(ids)
            orphans = [i for i in have if i not in known]
            if orphans:
                search.delete(orphans)
            missing = [i for i in ids if i not in have]
            if missing:
                with self.store.write() as w:
                    w.executemany("UPDATE articles SET indexed = 0 WHERE id = ?", [(i,) for i in missing])
        pending = [r[0] for r in db.execute("SELECT rowid FROM articles WHERE indexed = 0")]
        for start in range(0, len(pending), 2000):
            chunk = pending[start:start + 2000]
            search.add(self._index_docs(chunk))
            with self.store.write() as w:
                w.executemany("UPDATE articles SET indexed = 1 WHERE rowid = ?", [(r,) for r in chunk])
        return len(pending)

    def _index_docs(self, rowids: list[int]):
        from index.search import IndexDoc

        db = self.store.db
        docs = []
        for rowid in rowids:
            aid, title, text, source, date, author = db.execute(
                "SELECT id, title, text, source, date, author FROM articles WHERE rowid = ?", (rowid,)
            ).fetchone()
            keys, types = set(), set()
            for key, label in db.execute("SELECT key, label FROM mentions WHERE article = ?", (rowid,)):
                keys.add(key)
                types.add(label)
            docs.append(IndexDoc(aid, title, text, source, date, author, tuple(sorted(keys)),
                                 tuple(sorted(types))))
        return docs

    def search(
        self, query: str, *, limit: int = 20, sort: str = "relevance", aliases: bool = True
    ) -> SearchResult:
        """Full-text search; raises QueryError with a one-line message on a malformed query."""
        search = self._index()
        with self._search_lock:
            raw, total, also = search.search(
                query,
                limit=limit,
                sort=sort,
                entity_keys=self._entity_keys,
                expand=self._expand if aliases else None,
                text_of=self._text_of,
            )
        hits = []
        db = self.store.db
        for h in raw:
            row = db.execute("SELECT title, source, date FROM articles WHERE id = ?", (h.id,)).fetchone()
            if row is None:
                continue
            hits.append(
                Hit(h.id, row[0], row[1], row[2], h.score, h.snippet,
                    tuple(Span(a, b) for a, b in h.highlights), tuple(h.terms))
            )
        return SearchResult(safe_line(query), tuple(hits), total, tuple(also))

    def hit_spans(self, text: str, query: str, *, aliases: bool = True) -> list[Span]:
        """Where ``query`` marks ``text`` (an article's text): the same marks as its snippets.

        Raises QueryError with a one-line message on a malformed query.
        """
        search = self._index()
        with self._search_lock:
            spans = search.hit_spans(
                query, text, entity_keys=self._entity_keys, expand=self._expand if aliases else None
            )
        return [Span(a, b) for a, b in spans]

    def _text_of(self, article_id: str) -> str:
        row = self.store.db.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row else ""

    def _entity_keys(self, name: str) -> list[str] | None:
        try:
            return self._keys(self.entity(name).id)
        except NotFound:
            return None

    def _expand(self, term: str) -> list[str]:
        """Other names of the entity ``term`` names, if it names one."""
        from index.resolve import normalize

        row = self.store.db.execute(
            "SELECT en.name, en.aliases FROM entity_of e JOIN entities en ON en.id = e.entity"
            " WHERE e.key = ?",
            (normalize(term),),
        ).fetchone()
        if row is None:
            return []
        names = [row[0], *json.loads(row[1])]
        folded = term.casefold()
        out: list[str] = []
        for n in names:
            if n.casefold() != folded and n not in out:
                out.append(n)
        return out

    # --- upkeep ----------------------------------------------------------------------------
    def check(self, *, repair: bool = False, wait: float | None = None) -> CheckReport:
        """Compare the store and the index; with ``repair``, re-index and clean up.

        A repair takes the import lock, waiting ``wait`` seconds (READER_LOCK_WAIT by default)
        before raising LibraryBusy. Searches wait while the index is compared; SQLite's
        integrity check, the slow part on a big library, runs before, without holding them up.
        """
        from index.search import SearchIndex

        db = self.store.db
        integrity = self.store.integrity()
        with self._search_lock:
            if self._search is None:
                self._search = SearchIndex(self.path / "index")
            search = self._search
            rebuilt = search.rebuilt_reason
            ids = {r[0] for r in db.execute("SELECT id FROM articles")}
            have = search.ids()
            missing = len(ids - have)
            orphans = len(have - ids)
            leftovers = search.leftovers()
            indexed = search.count()
            pending = db.execute("SELECT count(*) FROM articles WHERE indexed = 0").fetchone()[0]
            stale = self.store.get_meta("entities_stale") == "1"
            problems = []
            if rebuilt:
                problems.append(f"{_unusable(rebuilt)}; it was emptied to be rebuilt")
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
            if integrity != "ok":
                problems.append(
                    f"the database file is damaged (SQLite integrity check: {integrity});"
                    " restore it from a backup with `reader restore`"
                )
            repaired = False
            if repair and problems and not self.readonly:
                with self._import_lock(wait):
                    self._catch_up(search, full=True)
                    search.leftovers(remove=True)
                    if stale:
                        self.relink()
                search.rebuilt_reason = None  # said once; the index is whole again
                repaired = True
        counts = db.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM mentions),"
            " (SELECT count(*) FROM entities)"
        ).fetchone()
        return CheckReport(
            articles=counts[0], mentions=counts[1], entities=counts[2], indexed=indexed,
            missing=missing, orphans=orphans, leftovers=leftovers, integrity=integrity,
            rebuilt=rebuilt is not None, repaired=repaired, problems=tuple(problems),
        )

    # --- dossiers, pins and briefings: index.dossiers.Dossiers does the work ----------------
    def dossier(self, name: str, *, budget: float | None = DOSSIER_BUDGET) -> Dossier:
        """Everything the library knows about an entity; see ``Dossiers.dossier``."""
        return self._dossiers.dossier(name, budget=budget)

    def pin(self, article_id: str, start: int, end: int, note: str = "") -> Pinned:
        """Pin ``text[start:end]`` of an article to the briefing; see ``Dossiers.pin``."""
        return self._dossiers.pin(article_id, start, end, note)

    def pins(self) -> list[Pinned]:
        """The pinned passages in the user's order."""
        return self._dossiers.pins()

    def unpin(self, pin_id: int) -> None:
        """Delete a pin (raises NotFound)."""
        self._dossiers.unpin(pin_id)

    def move_pin(self, pin_id: int, index: int) -> list[Pinned]:
        """Move a pin to ``index`` in the order; returns the pins in their new order."""
        return self._dossiers.move_pin(pin_id, index)

    def annotate(self, pin_id: int, note: str) -> Pinned:
        """Set a pin's note ("" clears it); raises NotFound."""
        return self._dossiers.annotate(pin_id, note)

    def sentence_at(self, article_id: str, offset: int) -> Span:
        """The sentence of an article around ``offset``; see ``Dossiers.sentence_at``."""
        return self._dossiers.sentence_at(article_id, offset)

    def brief(
        self,
        entities: Iterable[str] = (),
        *,
        pins: bool = True,
        title: str | None = None,
        budget: float | None = None,
    ) -> Brief:
        """A briefing of these entities and the pins; see ``Dossiers.brief``."""
        return self._dossiers.brief(entities, pins=pins, title=title, budget=budget)

    def export_brief(
        self,
        path: Path,
        entities: Iterable[str] = (),
        *,
        pins: bool = True,
        title: str | None = None,
        format: str | None = None,
    ) -> Brief:
        """Write a briefing to ``path`` as Markdown or JSON; see ``Dossiers.export_brief``."""
        return self._dossiers.export_brief(path, entities, pins=pins, title=title, format=format)


@contextmanager
def _folder_lock(path: Path, wait: float | None) -> Iterator[None]:
    """The import lock of the library folder ``path`` (an flock, freed if the holder dies)."""
    wait = lock_wait() if wait is None else wait
    try:
        handle = open(path / "import.lock", "a+")  # noqa: SIM115 - closed below
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


def _unusable(reason: str) -> str:
    """SearchIndex.rebuilt_reason as the first half of a sentence: "the search index could not
    be used (its newest table of contents ... is empty)"."""
    why = reason.split("; it was emptied")[0].strip().rstrip(".")
    return why[:1].lower() + why[1:]


def _now() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _article(row: tuple) -> Article:
    aid, title, text, source, date, author, url, path, place, meta = row
    return Article(aid, title, text, source, date, author, url, path, place, json.loads(meta))


def _entity(row: tuple) -> Entity:
    eid, name, label, aliases, mentions, articles = row
    return Entity(eid, name, label, tuple(json.loads(aliases)), mentions, articles)


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
