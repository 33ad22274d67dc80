"""Provides Library: the one object callers use to import, read, search and resolve entities."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from index import decisions, upkeep
from index.copies import copy_of
from index.errors import LibraryError, NotFound
from index.models import (
    DOSSIER_BUDGET,
    AddReport,
    Article,
    ArticleSummary,
    Brief,
    CheckReport,
    CrossRef,
    Decision,
    Dossier,
    Entity,
    EntitySummary,
    Facets,
    Hit,
    Mention,
    Pinned,
    SearchResult,
    Span,
    Stats,
    Why,
)
from index.private import private_dir
from index.safe import safe_line
from index.store import Store, articles, browse, corrections, entities

#: progress(done, total, label) is called from the importing thread; total may grow.
Progress = Callable[[int, int, str], None]


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
                private_dir(self.path)
            except OSError as exc:
                raise LibraryError(f"cannot create a library at {self.path}: {exc.strerror}") from None
        if not readonly and not os.access(self.path, os.W_OK):
            readonly = True
        self.readonly = readonly
        self.store = Store(db_file, readonly=readonly)
        self.readonly = readonly or self.store.readonly  # a full disk: read, never written
        self._db_file_id = upkeep.file_id(db_file)  # the database file this object reads (see replaced)
        self._index_id: str | None = None  # the token of the index folder it searches
        self._dossiers_made = None  # made on first use: a search never imports the analysis
        self._search = None
        self._search_lock = threading.RLock()
        self._summaries: tuple[object, list[EntitySummary]] | None = None  # (version, rows)
        #: Set when opening found the search index unusable and rebuilt it: say so to the user.
        self.index_notice: str | None = None
        self._linker: entities.Linker | None = None  # see prepare_corrections
        self._closed = False
        if self.store.damage is None:  # a damaged database waits for `check --repair`
            upkeep.detect_languages(self)
            upkeep.finish_interrupted(self)

    @classmethod
    def open(cls, path: Path, *, create: bool = True, readonly: bool = False) -> Library:
        """Open (and by default create) the library at ``path``."""
        return cls(path, create=create, readonly=readonly)

    def replaced(self) -> str | None:
        """Why what this object has open is no longer the library on disk ("restored",
        "index"), or None; a long-lived reader polls it, then calls ``reopen``."""
        return upkeep.replaced(self)

    def reopen(self) -> str:
        """Read the library on disk again; one line for the user (LibraryBusy while a restore
        or an import holds it)."""
        return upkeep.reopen(self)

    def close(self) -> None:
        self._closed = True
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
        self, paths: Iterable[Path], *, jobs: int | None = None, progress: Progress | None = None,
        prune: bool = False,
    ) -> AddReport:
        """Import files and folders; unchanged files do no work; failures are reported, not raised.

        An article its changed file no longer holds (a feed that rolled on) is kept and counted
        in ``kept``; with ``prune`` it is removed and named in ``removed``.
        """
        from index.ingest.importer import Importer

        with self._import_lock():
            search = self._index()
            warm = self._warm_for_import()
            try:
                with entities.recording(self.store.db) as touched:
                    with self._search_lock:
                        importer = Importer(self.store, search, jobs=jobs, progress=progress,
                                            prune=prune, library=self.path, started=warm.start)
                        report, changed = importer.run([Path(p) for p in paths])
                    self._spread()
                    if changed or self.store.get_meta("entities_stale") == "1":
                        linker = warm.linker()
                        self.relink(touched=touched(), linker=linker)
                        if self._linker is None and linker is not None:
                            self._linker = linker  # true to the library: corrections use it
            finally:
                warm.close()
        return report

    def _warm_for_import(self) -> _Warm:
        """What an import relinks only its part of the library with (see _Warm)."""
        if self._linker is not None and self._linker.token == self.store.get_meta("linked"):
            return _Warm(self._linker, None)
        if self.store.get_meta("linked") is None and self.store.get_meta("entities_stale") != "1":
            with self.store.write() as db:
                entities.stamp_linked(db)  # relinked before relinks wrote a token
        linker = entities.Linker()
        if entities.key_count(self.store.db) > entities.WARM_KEYS:
            return _Warm(linker, None)  # the keys would take too much memory: relink all
        return _Warm(linker, linker.snapshot(self.store.path))

    def _spread(self) -> None:
        """Find the library's names everywhere (index/ingest/propagate.py). Holding the import
        lock. An open search index tells which articles may write the names that came or went
        (else every text is read). The articles whose entities that changed are marked
        unindexed: an open search index takes them now, else the next one opened does."""
        from index.ingest import propagate

        with self._search_lock:
            search = self._search
        if propagate.run(self.store, search.containing if search is not None else None):
            with self._search_lock:
                if self._search is not None:
                    self._catch_up(self._search)

    def remove(self, article_id: str) -> None:
        """Remove one article (raises NotFound)."""
        with self._import_lock():
            path = articles.path_of(self.store.db, article_id)
            if path is None:
                raise NotFound(f"no article with id '{safe_line(article_id)}'")
            with self.store.write() as db:
                articles.remove(db, article_id, path)
                self.store.set_meta(db, "entities_stale", "1")
            with self._search_lock:
                self._index().delete([article_id])
            self._spread()
            self.relink()

    @contextmanager
    def _import_lock(self, wait: float | None = None) -> Iterator[None]:
        """One writer of articles at a time; a second waits a bounded time, then says so."""
        if self.store.full:
            raise self.store.full_error()
        if self.readonly:
            raise LibraryError(f"the library {self.path} is read-only")
        with upkeep.folder_lock(self.path, wait):
            yield

    # --- backup ----------------------------------------------------------------------------
    def backup(self, dest: Path, *, force: bool = False):
        """Write a consistent copy of the library's database to ``dest`` (a file, or a folder for
        a dated file); returns an index.store.backup.BackupReport. Safe while others write."""
        from index.store import backup

        return backup.backup(self.store.path, Path(dest), force=force)

    @classmethod
    def restore(cls, src: Path, dest: Path, *, force: bool = False):
        """Bring the backup ``src`` back into the library folder ``dest`` and rebuild its search
        index. Refuses a library that holds anything unless ``force`` (the old database is then
        kept beside it). Returns an index.store.backup.BackupReport."""
        from index.store import backup

        dest = Path(dest).expanduser()
        try:
            private_dir(dest)
        except OSError as exc:
            raise LibraryError(f"cannot create a library at {dest}: {exc.strerror}") from None
        with upkeep.folder_lock(dest, None):
            report = backup.restore(Path(src), dest, force=force)
            with cls(dest) as lib:
                if lib.store.get_meta("entities_stale") == "1":  # a copy taken mid-import
                    lib._spread()
                    lib.relink()
                lib._index()  # the search index, rebuilt from the restored database
        return report

    # --- entity resolution -----------------------------------------------------------------
    def relink(
        self, *, touched: set[str] | None = None, linker: entities.Linker | None = None
    ) -> None:
        """Resolve every mention key to an entity, applying the user's decisions last. Articles
        whose keys it changed (a "Treasury" placed in its country) are indexed again: now by an
        open search index, else by the next one opened. An import names the keys it
        ``touched`` and a ``linker`` read before it: only their part is relinked."""
        with self.store.write() as db:
            if linker is None:
                self._relink(db)
            else:
                entities.relink(db, linker, touched, imported=True)
        if articles.pending_count(self.store.db):
            with self._search_lock:
                if self._search is not None:
                    self._catch_up(self._search)

    def _relink(self, db, touched: set[str] | None = None) -> None:
        """relink() inside the caller's write transaction (see store.entities.relink); a
        correction names the keys it ``touched``, and with a linker (prepare_corrections)
        only their part of the library is relinked."""
        entities.relink(db, self._linker, touched)

    def prepare_corrections(self) -> None:
        """Make the corrections that follow fast: read the library's keys once (about a second
        at 19,000 articles), so that each correction relinks only the part of the library it
        touches. For a long-lived reader (the TUI calls it in a worker); a correction works
        without it, relinking everything."""
        if self._closed:
            return
        if self._linker is None:
            self._linker = entities.Linker()
        if not self.readonly and self.store.get_meta("linked") is None:
            with self.store.write() as db:
                entities.stamp_linked(db)
        self._linker.warm(self.store.path)

    def _main_key(self, entity_id: str) -> str:
        return entities.main_key(self.store.db, entity_id)

    def _keys(self, entity_id: str) -> list[str]:
        return entities.keys(self.store.db, entity_id)

    # --- the user's decisions: index.decisions does the work ---------------------------
    def merge(self, a: str, b: str) -> Entity:
        """Make ``b`` the same entity as ``a`` (a user decision that survives re-imports)."""
        return decisions.merge(self, a, b)

    def split(self, entity: str, form: str | None = None) -> list[Entity]:
        """Undo the user's merges into ``entity``; with ``form``, take that name out of it,
        away from every automatic link. Returns the entities it splits into."""
        return decisions.split(self, entity, form)

    def ignore(self, name: str, *, article: str | None = None) -> int:
        """A name is not an entity everywhere (or only in ``article``); how many mentions it hid."""
        return decisions.ignore(self, name, article=article)

    def unignore(self, name: str) -> int:
        """Undo ``ignore(name)``; returns how many mentions are names again."""
        return decisions.unignore(self, name)

    def detach(
        self, article_id: str, *, offset: int | None = None, form: str | None = None,
        into: str | None = None,
    ) -> Entity:
        """The mention at ``offset`` (or every one written ``form``) in the article is not its
        entity: it becomes its own, or joins ``into``. Returns the entity it is part of now."""
        return decisions.detach(self, article_id, offset=offset, form=form, into=into)

    def rename(self, entity: str, name: str) -> Entity:
        """Give the entity the display name ``name`` (the old one stays an alias)."""
        return decisions.rename(self, entity, name)

    def relabel(self, entity: str, label: str) -> Entity:
        """Make the entity a ``label`` (PERSON, ORG, GPE, ...) whatever its mentions say."""
        return decisions.relabel(self, entity, label)

    def decisions(self) -> list[Decision]:
        """Every correction of the user's, oldest first."""
        return decisions.decisions(self)

    def undo(self, decision_id: int | None = None) -> Decision:
        """Take back one decision (by default the latest); returns it."""
        return decisions.undo(self, decision_id)

    def entity_summaries(self, *, dated: bool = True) -> list[EntitySummary]:
        """Every entity with its counts and first and last dates (the entity browser), most
        mentioned first; read once per version of the library. Without ``dated`` (when they
        are not read yet) the dates are None and it answers at once."""
        version = self.version()
        cached = self._summaries
        if not dated and (cached is None or cached[0] != version):
            return browse.summaries(self.store.db, dated=False)
        if cached is None or cached[0] != version:
            cached = self._summaries = (version, browse.summaries(self.store.db))
        return cached[1]

    def _entity_of_key(self, key: str) -> Entity:
        found = corrections.entity_of_key(self.store.db, key)
        if found is None:
            raise NotFound(f"no entity holds '{safe_line(key)}' now")
        return self.entity(found)

    # --- reading ---------------------------------------------------------------------------
    def count(self) -> int:
        return articles.count(self.store.db)

    def version(self) -> tuple[int, int, str]:
        """A cheap token that changes when articles come or go or entities are relinked, by
        this process or another (a ``reader add`` while the reader is open): poll it."""
        return articles.version(self.store.db)

    def articles(
        self, *, offset: int = 0, limit: int = 100, order: str = "date"
    ) -> list[ArticleSummary]:
        """A page of the library, newest first (``order="date"``, undated last) or by title."""
        return articles.page(self.store.db, offset=offset, limit=limit, order=order)

    def position(self, article_id: str, *, order: str = "date") -> int | None:
        """Where ``article_id`` is in ``articles(order=order)`` (0-based), or None: the list
        keeps the reader's place when it is read again."""
        return articles.position(self.store.db, article_id, order)

    def article(self, article_id: str) -> Article:
        return articles.get(self.store.db, article_id)

    def export(self) -> Iterator[Article]:
        yield from articles.every(self.store.db)

    def stats(self) -> Stats:
        return articles.stats(self.store.db)

    # --- entities --------------------------------------------------------------------------
    def entities(
        self, *, label: str | None = None, article: str | None = None, limit: int | None = None
    ) -> list[Entity]:
        """Entities, most-mentioned first; with ``article``, mentions count within that article."""
        rowid = self._rowid(article) if article is not None else None
        return entities.listing(self.store.db, label=label, article=rowid, limit=limit)

    def entity(self, name: str) -> Entity:
        """The entity with this id, name or alias (any case); raises NotFound."""
        return entities.find(self.store.db, name)

    def why(self, name: str) -> Why:
        """The entity's forms with the evidence that joined each; raises NotFound."""
        return entities.why(self.store.db, name)

    def mentions(self, *, entity: str | None = None, article: str | None = None) -> list[Mention]:
        """Mentions in reading order (article, then offset)."""
        entity_id = self.entity(entity).id if entity is not None else None
        rowid = self._rowid(article) if article is not None else None
        return entities.mentions(self.store.db, entity=entity_id, article=rowid)

    def articles_naming(self, entity: str) -> list[tuple[str, int]]:
        """(article id, offset of its first mention) of every article naming ``entity``, in
        reading order; for walking them without loading every mention of a big entity."""
        return entities.articles_naming(self.store.db, self.entity(entity).id)

    def crossrefs(
        self, entity: str, *, exclude: str | None = None, limit: int = 20
    ) -> list[CrossRef]:
        """Other articles that mention ``entity``, most mentions first, each with the sentence
        of its first mention."""
        target = self.entity(entity)
        skip = self._rowid(exclude) if exclude is not None else -1
        return entities.crossrefs(self.store.db, target.id, skip=skip, limit=limit)

    def _rowid(self, article_id: str) -> int:
        return articles.rowid(self.store.db, article_id)

    # --- search ----------------------------------------------------------------------------
    def _index(self):
        """The search index, opened once; pending or missing documents are indexed first."""
        from index.search import SearchIndex

        with self._search_lock:
            if self._search is None:
                self._search = SearchIndex(self.path / "index")
                self._index_id = upkeep.index_token(self.path, make=not self.readonly)
                if not self.readonly:
                    done = self._catch_up(self._search)
                    reason = self._search.rebuilt_reason
                    if reason is not None:
                        self.index_notice = (
                            f"{upkeep.unusable(reason)}; it was rebuilt from the library"
                            f" ({done} articles indexed again)"
                        )
            return self._search

    def _catch_up(self, search, full: bool = False) -> int:
        """Index what the store has and the index lacks (after a crash or a lost index), and
        drop what the index has and the store lacks. On opening, equal counts are taken for
        agreement; ``full`` (check --repair) compares every id."""
        db = self.store.db
        new: set[str] = set()  # ids the index is known not to hold: added, not updated
        if full or search.rebuilt_reason is not None or search.count() != self.count():
            have = search.ids()
            ids = articles.ids(db)
            known = set(ids)
            orphans = [i for i in have if i not in known]
            if orphans:
                search.delete(orphans)
            missing = [i for i in ids if i not in have]
            new.update(missing)
            if missing:
                with self.store.write() as w:
                    articles.mark_unindexed(w, missing)
        pending = articles.pending(db)
        for start in range(0, len(pending), 2000):
            chunk = pending[start:start + 2000]
            search.add(self._index_docs(chunk), new=new)
            with self.store.write() as w:
                articles.mark_indexed(w, chunk)
        return len(pending)

    def _index_docs(self, rowids: list[int]):
        from index.search import IndexDoc

        db = self.store.db
        docs = []
        for rowid in rowids:
            (aid, title, text, source, date, author, lang), keys, types = articles.index_fields(
                db, rowid
            )
            docs.append(IndexDoc(aid, title, text, source, date, author, tuple(sorted(keys)),
                                 tuple(sorted(types)), lang))
        return docs

    def search(
        self, query: str, *, limit: int = 20, sort: str = "relevance", aliases: bool = True
    ) -> SearchResult:
        """Full-text search; raises QueryError with a one-line message on a malformed query."""
        search = self._index()
        with self._search_lock:
            raw, total, also = search.search(
                query,
                limit=limit + COPIES_SLACK,
                sort=sort,
                entity_keys=self._entity_keys,
                expand=self._expand if aliases else None,
                text_of=self._text_of,
            )
        hits = []
        db = self.store.db
        for h in raw:
            row = articles.hit_fields(db, h.id)
            if row is None:
                continue
            hits.append(
                Hit(h.id, row[0], row[1], row[2], h.score, h.snippet,
                    tuple(Span(a, b) for a, b in h.highlights), tuple(h.terms))
            )
        hits = self._one_per_story(hits)[:limit]
        return SearchResult(safe_line(query), tuple(hits), total, tuple(also))

    def facets(self, query: str, *, top: int = 10) -> Facets:
        """The top people, organisations, places and sources of every article ``query``
        matches, with counts, and their dates by month (or day); raises QueryError like
        search."""
        search = self._index()
        with self._search_lock:
            ids = search.matching(query, entity_keys=self._entity_keys, expand=self._expand)
        return browse.facets(self.store.db, ids, safe_line(query), top)

    def _one_per_story(self, hits: list[Hit]) -> list[Hit]:
        """Copies of one story (near-identical text: wire re-sends) as one hit, the best
        ranked, with the others' ids in ``copies``."""
        copied = copy_of((h.id, h.title, self._text_of(h.id)) for h in hits)
        if not copied:
            return hits
        others: dict[str, list[str]] = {}
        for copy, first in copied.items():
            others.setdefault(first, []).append(copy)
        return [
            replace(h, copies=tuple(others.get(h.id, ()))) for h in hits if h.id not in copied
        ]

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
        return articles.text_of(self.store.db, article_id)

    def _entity_keys(self, name: str) -> list[str] | None:
        try:
            return self._keys(self.entity(name).id)
        except NotFound:
            return None

    def _expand(self, term: str) -> list[str]:
        """The other full names of the entity ``term`` names by one of its full names, if it
        does. A full name is one not inside another of its names: "Baker" is inside "James
        Baker", so "Baker" names no one and "James Baker" adds no bare "Baker"; a word inside a
        name is not the entity ("silver" is not "Equity Silver")."""
        from index.entities import normalize

        names = entities.names_of_key(self.store.db, normalize(term))
        if not names:
            return []
        full = _full_names(names)
        folded = " ".join(term.casefold().split())
        key = normalize(term)  # a spelling of a full name names it too ("Uyghur": "Uighurs")
        if key not in {normalize(n) for n in full}:
            return []
        out: list[str] = []
        for n in full:
            if " ".join(n.casefold().split()) != folded and n not in out:
                out.append(n)
        return out

    # --- upkeep ----------------------------------------------------------------------------
    # --- upkeep: index.upkeep does the work -----------------------------------------------
    def check(
        self, *, repair: bool = False, wait: float | None = None, salvage: bool = False
    ) -> CheckReport:
        """Compare the store and the index; with ``repair``, re-index and clean up (waiting
        ``wait`` seconds for the import lock). A damaged database is only reported, unless
        ``repair`` and ``salvage`` (`reader check --repair`) save what can be read."""
        return upkeep.check(self, repair=repair, wait=wait, salvage=salvage)

    def compact_index(self, stop: Callable[[], bool] | None = None) -> int:
        """Merge the search index's segments as far as its size tiers want; returns how many
        articles were merged. An import merges only in proportion to what it adds, so the big
        merges wait for this: the reader runs it in a worker after its start-up check, and
        `reader check --repair` runs it. Searches go on meanwhile; it gives way at once to any
        other writer of the index, here or in another process, or when ``stop`` says so (0
        then)."""
        if self.readonly or self._closed:
            return 0
        return self._index().compact(stop)

    # --- dossiers, pins and briefings: index.dossiers.Dossiers does the work ----------------
    @property
    def _dossiers(self):
        if self._dossiers_made is None:
            from index.dossiers import Dossiers

            self._dossiers_made = Dossiers(self.store, entity=self.entity, article=self.article)
        return self._dossiers_made

    def dossier(
        self, name: str, *, budget: float | None = DOSSIER_BUDGET, sample: int | None = None
    ) -> Dossier:
        """Everything the library knows about an entity; see ``Dossiers.dossier``."""
        return self._dossiers.dossier(name, budget=budget, sample=sample)

    def pin(self, article_id: str, start: int, end: int, note: str = "") -> Pinned:
        """Pin ``text[start:end]`` of an article to the briefing; see ``Dossiers.pin``."""
        return self._dossiers.pin(article_id, start, end, note)

    def pins(self) -> list[Pinned]:
        """The pinned passages in the user's order."""
        return self._dossiers.pins()

    def pinned_entities(self, labels: Iterable[str] = ("PERSON", "ORG")) -> list[Entity]:
        """The entities named in the pinned passages (people and organisations by default),
        those in more pins first: whose dossiers an exported briefing may add."""
        return self._dossiers.pinned_entities(tuple(labels))

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
        sample: int | None = None,
    ) -> Brief:
        """A briefing of these entities and the pins; see ``Dossiers.brief``."""
        return self._dossiers.brief(entities, pins=pins, title=title, budget=budget, sample=sample)

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


#: Hits fetched beyond the limit, so that a page keeps its length when copies fold together.
COPIES_SLACK = 4
_WORDS = re.compile(r"\w+")


class _Warm:
    """The linker an import relinks its part of the library with: the reader's own when it is
    true to the library, else a new one whose snapshot of the library is taken before the
    import writes and whose keys are read in a thread once the recognizer has its first batch
    (not before: the thread would hold up the reading that feeds it, 0.8 s at 100,000
    articles). A small import, analysed in this process, never starts it and relinks
    everything (as costly as reading the keys)."""

    def __init__(self, linker: entities.Linker, snapshot) -> None:
        self._linker, self._snapshot = linker, snapshot
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._snapshot is not None and self._thread is None:
            self._thread = threading.Thread(target=self._linker.build, args=(self._snapshot,),
                                            name="warm-linker", daemon=True)
            self._snapshot = None  # build closes it
            self._thread.start()

    def linker(self) -> entities.Linker | None:
        """The linker, its keys read; None when it never started reading them."""
        if self._thread is not None:
            self._thread.join()
        elif self._snapshot is not None:
            return None
        return self._linker

    def close(self) -> None:
        if self._snapshot is not None:
            self._snapshot.close()
            self._snapshot = None


def _full_names(names: list[str]) -> list[str]:
    """The names not found, word for word, inside another of the list ("Baker" is inside
    "James Baker"; "Uygurs" and "Uighurs" are both full)."""
    words = [tuple(_WORDS.findall(n.casefold())) for n in names]

    def inside(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
        return len(a) < len(b) and any(b[i : i + len(a)] == a for i in range(len(b) - len(a) + 1))

    return [n for n, w in zip(names, words) if w and not any(inside(w, o) for o in words)]
