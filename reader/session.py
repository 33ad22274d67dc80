"""Provides Session: the main screen's calls to the library, its caches and its generations.

Every library call runs in a thread worker started on the screen (so Textual cancels it and
waits for it with the screen) and reports back by message (reader.messages); every answer
carries the generation of its request, and ``current()`` tells the screen whether a newer
request has been made since. What is fetched again and again while reading (an entity's
cross-references, the articles naming it, the open article's entities) is kept here, and
``forget()`` drops it when the library is read again. The session never touches a widget.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual.message import Message
from textual.dom import DOMNode
from textual.worker import get_current_worker

from index import CrossRef, Entity, Library, QueryError, ReaderError, safe_line
from reader.messages import (
    ArticleEntitiesLoaded,
    ArticleLoaded,
    CrossRefsLoaded,
    EntityListReady,
    FacetsLoaded,
    LibraryFailed,
    LibraryReloaded,
    RowsLoaded,
    SearchDone,
)

SEARCH_LIMIT = 50
#: Entities whose articles ``>`` and ``<`` walk are kept listed.
DOCS_KEPT = 8
CROSSREF_LIMIT = 20
#: Entities whose cross-references are kept.
CROSSREF_CACHE = 128

#: Search hits marked in one article at the most.
MAX_HITS = 5000


@dataclass
class PinAdded(Message):
    """A passage was pinned to the briefing (``p``), or ``already`` was."""

    passage: str
    already: bool = False


class Session:
    """What the main screen knows about the library; ``host`` is the screen."""

    def __init__(self, library: Library, host: DOMNode) -> None:
        self.library = library
        self._host = host
        self._generation = {"search": 0, "article": 0, "panel": 0}
        #: The search generation whose results are shown.
        self.answered = 0
        #: The last article whose entities were read, and those entities.
        self.article_entities: tuple[str, list[Entity]] | None = None
        self._docs: dict[str, list[tuple[str, int]]] = {}
        self._crossref_cache: dict[str, tuple[Entity, list[CrossRef]]] = {}
        self._evidence_cache: dict[str, str] = {}  # entity id -> its "why" line

    # --- generations and caches ----------------------------------------------------------
    def new(self, kind: str) -> int:
        """A new request of ``kind`` ("search", "article", "panel"): older answers are stale."""
        self._generation[kind] += 1
        return self._generation[kind]

    def current(self, kind: str, generation: int) -> bool:
        """Whether an answer of ``kind`` answers the latest request."""
        return generation == self._generation[kind]

    def entities_of(self, article_id: str) -> list[Entity] | None:
        """The article's entities if they were read already."""
        if self.article_entities and self.article_entities[0] == article_id:
            return self.article_entities[1]
        return None

    def forget(self) -> None:
        """The library was read again: entities may have been relinked, what was kept is stale."""
        self._crossref_cache.clear()
        self._evidence_cache.clear()
        self._docs.clear()
        self.article_entities = None

    def _run(self, work: Callable[..., None], *args: Any, group: str, exclusive: bool = True,
             exit_on_error: bool = True) -> None:
        self._host.run_worker(
            partial(work, *args), name=work.__name__, group=group, exclusive=exclusive,
            exit_on_error=exit_on_error, thread=True,
        )

    def _post(self, message: Message) -> None:
        self._host.post_message(message)

    def _failed(self, what: str, error: Exception) -> None:
        self._post(LibraryFailed(what, safe_line(error) or type(error).__name__))

    # --- domain: called in the workers -----------------------------------------------------
    def crossrefs(self, entity: str, exclude: str) -> tuple[Entity, list[CrossRef]]:
        """An entity and the other articles naming it.

        Fetched once per entity (one more than shown, so any one article can be left out) and
        kept: walking a frequent entity with > or ] asks again and again.
        """
        cached = self._crossref_cache.get(entity)
        if cached is None:
            found = self.library.entity(entity)
            refs = self.library.crossrefs(entity, limit=CROSSREF_LIMIT + 1)
            cached = self._crossref_cache[entity] = (found, refs)
            while len(self._crossref_cache) > CROSSREF_CACHE:
                self._crossref_cache.pop(next(iter(self._crossref_cache)))
        found, refs = cached
        return found, [ref for ref in refs if ref.article.id != exclude][:CROSSREF_LIMIT]

    def evidence(self, entity: Entity) -> str:
        """The panel's "why" line: the most mentioned form that a rule or the user linked, with
        its evidence (kept with the cross-references)."""
        cached = self._evidence_cache.get(entity.id)
        if cached is None:
            cached = ""
            try:
                why = self.library.why(entity.id)
            except ReaderError:
                why = None
            for link in why.links if why else ():
                if not link.reason.startswith("the same name"):
                    cached = f"{link.form}: {link.reason}"
                    break
            self._evidence_cache[entity.id] = cached
            while len(self._evidence_cache) > CROSSREF_CACHE:
                self._evidence_cache.pop(next(iter(self._evidence_cache)))
        return cached

    def hit_spans(self, text: str, query: str) -> list[tuple[int, int]]:
        """Where the opened hit's query marks ``text``: the index's highlighter, as in snippets."""
        if not query:
            return []
        try:
            spans = self.library.hit_spans(text, query)
        except QueryError:  # e.g. an entity the query named has gone since the search
            return []
        return [(span.start, span.end) for span in spans[:MAX_HITS]]

    def article_message(
        self,
        generation: int,
        article_id: str,
        entity: str | None,
        cursor: int | None,
        scroll_y: int | None,
        push: bool,
        query: str,
        focus: bool = False,
    ) -> ArticleLoaded:
        """An opened article put together: its text, mentions, the query's marks and, when no
        entity is selected, its entities (cheap: one frame for both)."""
        article = self.library.article(article_id)
        mentions = self.library.mentions(article=article_id)
        hits = self.hit_spans(article.text, query)
        message = ArticleLoaded(
            generation, article, mentions, hits, entity, cursor, scroll_y, push, focus
        )
        if entity is None:
            message.entities = self.library.entities(article=article_id)
        return message

    def other_article(self, entity: str, current: str, direction: int) -> tuple[str, int] | None:
        """The next (or previous) article naming ``entity`` after ``current``, and where it is
        first named there; None when no other article names it."""
        docs = self._docs.get(entity)
        if docs is None:
            docs = self.library.articles_naming(entity)
            while len(self._docs) >= DOCS_KEPT:  # a big entity's list is 16,000 rows at 100k
                self._docs.pop(next(iter(self._docs)))
            self._docs[entity] = docs
        others = [doc for doc in docs if doc[0] != current]
        if not others:
            return None
        ids = [doc for doc, _ in docs]
        if current in ids:
            return docs[(ids.index(current) + direction) % len(docs)]
        return others[0] if direction > 0 else others[-1]

    def pin_sentence(self, article_id: str, offset: int) -> tuple[str, bool]:
        """Pin the sentence around ``offset``: (its passage, whether it was pinned already)."""
        span = self.library.sentence_at(article_id, offset)
        for pinned in self.library.pins():  # p twice in one sentence pins it once
            inside = span.start <= pinned.start < pinned.end <= span.end
            if pinned.article == article_id and inside:
                return pinned.passage, True
        return self.library.pin(article_id, span.start, span.end).passage, False

    # --- requests: each starts a worker that answers by message -----------------------------
    def warm_up(self) -> None:
        """Open the search index now, so the first query answers as fast as the next ones."""
        self._run(self._warm_up, group="warm")

    def load_rows(self, generation: int, offset: int, limit: int, order: str) -> None:
        # Pages are not exclusive: each is a different, still-wanted part of the same list.
        self._run(self._load_rows, generation, offset, limit, order, group="rows", exclusive=False)

    def search(self, generation: int, query: str, sort: str) -> None:
        self._run(self._search, generation, query, sort, group="search")

    def facets(self, generation: int, query: str) -> None:
        """The facets of a query's results (FacetsLoaded)."""
        self._run(self._facets, generation, query, group="facets")

    def open_article(
        self,
        article_id: str,
        entity: str | None,
        cursor: int | None,
        scroll_y: int | None,
        push: bool,
        query: str,
        focus: bool,
    ) -> None:
        """Read an article (and, with an entity, its cross-references) for the screen."""
        generation = self.new("article")
        panel_generation = self.new("panel")  # the article brings its own panel content
        self._run(self._load_article, generation, panel_generation, article_id, entity, cursor,
                  scroll_y, push, query, focus, group="article")

    def open_other(self, entity: str, current: str, direction: int, query: str) -> None:
        """Open the next (``direction`` 1) or previous (-1) article naming ``entity``."""
        generation, panel_generation = self.new("article"), self.new("panel")
        self._run(self._load_other, generation, panel_generation, entity, current, direction,
                  query, group="article")

    def load_crossrefs(self, generation: int, entity: str, exclude: str) -> None:
        self._run(self._load_crossrefs, generation, entity, exclude, group="panel")

    def load_article_entities(self, generation: int, article_id: str) -> None:
        self._run(self._load_article_entities, generation, article_id, group="panel")

    def reload(self, selected: str | None, order: str, quiet: bool, announce: bool) -> None:
        self._run(self._reload, selected, order, quiet, announce, group="reload")

    def entity_list(self, article_id: str) -> None:
        """The article's entities for the entity dialog (EntityListReady)."""
        self._run(self._entity_list, article_id, group="dialog")

    def pin(self, article_id: str, offset: int) -> None:
        """Pin the sentence at ``offset`` (PinAdded)."""
        self._run(self._pin, article_id, offset, group="pin", exclusive=False)

    # --- the workers ----------------------------------------------------------------------
    def _warm_up(self) -> None:
        try:
            self.library.search("reader", limit=1)
        except Exception:  # only a warm-up: the real search will report any problem
            pass

    def _load_rows(self, generation: int, offset: int, limit: int, order: str) -> None:
        try:
            rows = self.library.articles(offset=offset, limit=limit, order=order)
        except ReaderError as error:
            self._failed("Could not list the library", error)
            return
        self._post(RowsLoaded(generation, offset, rows))

    def _search(self, generation: int, query: str, sort: str) -> None:
        worker = get_current_worker()
        try:
            result = self.library.search(query, limit=SEARCH_LIMIT, sort=sort)
        except ReaderError as error:
            if not worker.is_cancelled:
                self._post(SearchDone(generation, query, None, safe_line(error)))
            return
        except Exception as error:  # any text can be typed here; a parser slip must not end the app
            self._host.log.error("search failed", query=query, error=repr(error))
            if not worker.is_cancelled:
                reason = f"could not search for that ({type(error).__name__})"
                self._post(SearchDone(generation, query, None, reason))
            return
        if not worker.is_cancelled:
            self._post(SearchDone(generation, query, result))

    def _facets(self, generation: int, query: str) -> None:
        worker = get_current_worker()
        try:
            found = self.library.facets(query)
        except ReaderError as error:
            if not worker.is_cancelled:
                self._post(FacetsLoaded(generation, None, safe_line(error)))
            return
        except Exception as error:  # any text can be typed; a parser slip must not end the app
            if not worker.is_cancelled:
                self._post(FacetsLoaded(generation, None, type(error).__name__))
            return
        if not worker.is_cancelled:
            self._post(FacetsLoaded(generation, found))

    def _deliver(self, message: ArticleLoaded, panel_generation: int) -> None:
        """Post the article, then (when an entity is selected) its cross-references.

        Cross-references of a frequent entity can take tens of milliseconds; the article
        should not wait for them.
        """
        worker = get_current_worker()
        if worker.is_cancelled:
            return
        self._post(message)
        if message.entity is None:
            return
        found, crossrefs = self.crossrefs(message.entity, message.article.id)
        if not worker.is_cancelled:
            self._post(CrossRefsLoaded(panel_generation, found, crossrefs, self.evidence(found)))

    def _load_article(
        self,
        generation: int,
        panel_generation: int,
        article_id: str,
        entity: str | None,
        cursor: int | None,
        scroll_y: int | None,
        push: bool,
        query: str,
        focus: bool,
    ) -> None:
        try:
            message = self.article_message(
                generation, article_id, entity, cursor, scroll_y, push, query, focus
            )
            self._deliver(message, panel_generation)
        except ReaderError as error:
            self._failed("Could not open the article", error)

    def _load_other(
        self,
        generation: int,
        panel_generation: int,
        entity: str,
        current: str,
        direction: int,
        query: str,
    ) -> None:
        try:
            target = self.other_article(entity, current, direction)
            if target is None:
                self._post(LibraryFailed("No other article", "nothing else mentions it"))
                return
            message = self.article_message(
                generation, target[0], entity, target[1], None, True, query
            )
            message.note = self.where_among(entity, current, target[0], direction)
            self._deliver(message, panel_generation)
        except ReaderError as error:
            self._failed("Could not open the next article", error)

    def where_among(self, entity: str, current: str, opened: str, direction: int) -> str:
        """Where ``>``/``<`` landed among the articles naming ``entity``: "article 3 of 7", and
        when it went round, "back to the first" (or "round to the last")."""
        ids = [doc for doc, _ in self._docs.get(entity, [])]
        if opened not in ids:
            return ""
        at, count = ids.index(opened) + 1, len(ids)
        where = f"article {at} of {count} naming it"
        if current in ids:
            was = ids.index(current) + 1
            if direction > 0 and at < was:
                return f"{where}: back to the first"
            if direction < 0 and at > was:
                return f"{where}: round to the last"
        return where

    def _load_crossrefs(self, generation: int, entity: str, exclude: str) -> None:
        worker = get_current_worker()
        try:
            found, crossrefs = self.crossrefs(entity, exclude)
        except ReaderError as error:
            self._failed("Could not load cross-references", error)
            return
        if not worker.is_cancelled:
            self._post(CrossRefsLoaded(generation, found, crossrefs, self.evidence(found)))

    def _load_article_entities(self, generation: int, article_id: str) -> None:
        worker = get_current_worker()
        try:
            entities = self.library.entities(article=article_id)
        except ReaderError as error:
            self._failed("Could not list the entities", error)
            return
        if not worker.is_cancelled:
            self._post(ArticleEntitiesLoaded(generation, article_id, entities))

    def _reload(self, selected: str | None, order: str, quiet: bool, announce: bool) -> None:
        try:
            version = self.library.version()
            stats = self.library.stats()
            position = self.library.position(selected, order=order) if selected else None
        except ReaderError as error:
            if not quiet:
                self._failed("Could not read the library again", error)
            return
        self._post(LibraryReloaded(stats, selected, position, version, quiet, announce))

    def _entity_list(self, article_id: str) -> None:
        try:
            entities = self.library.entities(article=article_id)
        except ReaderError as error:
            self._failed("Could not list the entities", error)
            return
        self.article_entities = (article_id, entities)
        self._post(EntityListReady(entities))

    def _pin(self, article_id: str, offset: int) -> None:
        try:
            passage, already = self.pin_sentence(article_id, offset)
        except ReaderError as error:
            reason = safe_line(error) or type(error).__name__
            self._post(LibraryFailed("Could not pin it", reason))
            return
        self._post(PinAdded(passage, already))
