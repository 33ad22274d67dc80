"""Provides MainScreen: the library or results, the article, and the cross-reference panel.

The screen is the one place that talks to the library: each call runs in a thread worker and
reports back by message (reader.messages); every answer carries the generation of its request
and is dropped when a newer request has been made since.
"""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Resize
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Header, Input, Static
from textual.worker import get_current_worker

from index import (
    CrossRef,
    Entity,
    Library,
    QueryError,
    ReaderError,
    Stats,
    openable_url,
    safe_line,
)
from reader.config import save_history
from reader.dialogs.confirm_dialog import ConfirmDialog
from reader.dialogs.entity_dialog import EntityDialog
from reader.messages import (
    ArticleEntitiesLoaded,
    ArticleLoaded,
    CrossRefsLoaded,
    EntityListReady,
    LibraryFailed,
    LibraryReloaded,
    RowsLoaded,
    SearchDone,
)
from reader.screens.briefing_actions import BriefingActions
from reader.screens.navigation import Trail
from reader.widgets.article_list import ArticleList
from reader.widgets.article_view import ArticleView, Place
from reader.widgets.crossref_panel import CrossRefPanel
from reader.widgets.key_bar import KeyBar
from reader.widgets.search_box import SearchBox
from reader.wording import plural

#: Wider than this, the three panes sit side by side.
WIDE = 120
SEARCH_LIMIT = 50
CROSSREF_LIMIT = 20
DEBOUNCE = 0.15
MAX_HITS = 5000


class MainScreen(BriefingActions):
    """Three panes (two below 120 columns, with ``x`` swapping in the panel)."""

    CSS_PATH = "main_screen.tcss"
    _TRAIL = Binding.Group("Back/fwd", compact=True)

    BINDINGS = [
        # A priority binding runs in the app's own turn, before the keys typed after it are
        # handed to a widget: "/xinjiang" typed fast (or pasted, or sent by tmux) all lands in
        # the box. In the box itself "/" is typed as text.
        Binding("slash", "search", "Search", id="main.search", priority=True),
        Binding("x", "toggle_panel", "Panel", id="main.toggle_panel"),
        Binding("backspace,alt+left", "back", "Back", id="main.back", group=_TRAIL),
        Binding("alt+right", "forward", "Forward", id="main.forward", group=_TRAIL),
        Binding("ctrl+l", "focus_list", "List", show=False, id="main.list"),
        Binding("P", "briefing", "Briefing", id="main.briefing"),
        Binding("ctrl+e", "export_brief", "Export briefing", id="main.export"),
    ]

    def __init__(
        self,
        library: Library,
        *,
        name: str,
        stats: Stats,
        count: int,
        history: list[str] | None = None,
        history_path: Path | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self.library_name = safe_line(name)
        self.stats = stats
        self.count = count
        self.history = history or []
        self.history_path = history_path
        self.trail = Trail()
        self.hit_query = ""  # the query of the opened hit: its words are marked in the article
        self._results_query = ""
        self.sort = "relevance"
        self.order = "date"
        self.wide_panel = True
        self.narrow_panel = False
        self._generation = {"search": 0, "article": 0, "panel": 0}
        self._debounce: Timer | None = None
        self._answered = 0  # the search generation whose results are shown
        self._article_entities: tuple[str, list[Entity]] | None = None
        self._docs: dict[str, list[tuple[str, int]]] = {}
        self._crossref_cache: dict[str, tuple[Entity, list[CrossRef]]] = {}
        self._evidence_cache: dict[str, str] = {}  # entity id -> its "why" line

    # --- layout ----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            with Vertical(id="left"):
                yield SearchBox(self.history, id="search")
                yield Static(Content(""), id="search-info", markup=False)
                yield ArticleList(id="articles")
            with Vertical(id="centre"):
                yield ArticleView(id="article")
                yield Static(Content(""), id="status", markup=False)
            yield CrossRefPanel(id="panel")
        yield KeyBar()

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def articles(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def panel(self) -> CrossRefPanel:
        return self.query_one(CrossRefPanel)

    def on_mount(self) -> None:
        self.title = f"reader · {self.library_name}"
        self._show_counts()
        self._announced = self.count  # the count the reader has been told about
        self.articles.show_library(self.count, "The library is empty.")
        self._library_info()
        self.view.show_placeholder(
            "Open an article: j/k or ↑↓ to move, enter to open.\n"
            "/ searches, ? shows every key, ctrl+p every command."
        )
        self.panel.show_message("Open an article to see its entities.")
        self.articles.focus()
        self._warm_up()

    def on_resize(self, event: Resize) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int | None = None) -> None:
        narrow = (width if width is not None else self.size.width) < WIDE
        self.set_class(narrow, "-narrow")
        self.set_class(narrow and self.narrow_panel, "-panel")
        self.set_class(not narrow and not self.wide_panel, "-nopanel")

    def _panel_visible(self) -> bool:
        return self.narrow_panel if self.has_class("-narrow") else self.wide_panel

    def _show_panel(self, shown: bool) -> None:
        if self.has_class("-narrow"):
            self.narrow_panel = shown
        else:
            self.wide_panel = shown
        self._layout()

    # --- actions ---------------------------------------------------------------------------
    def action_search(self) -> None:
        box = self.query_one(SearchBox)
        if box.has_focus:
            box.insert_text_at_cursor("/")
            return
        if self.has_class("-narrow"):
            self._show_panel(False)
        # set_focus, not focus(): focus() waits its turn in the queue, behind the keys typed
        # right after the "/".
        self.set_focus(box)

    def action_open_link(self) -> None:
        """Offer to open the article's web address in the browser: http(s) only, asked first."""
        article = self.view.article
        if article is None:
            self.notify("Open an article first.", markup=False)
            return
        url = openable_url(article.url)
        if url is None:
            why = ("This article has no web address." if not (article.url or "").strip() else
                   f"Not opened: only http and https links are (this one is {article.url}).")
            self.notify(safe_line(why), severity="warning", markup=False)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.open_url(url)

        question = Content("Open this article's web address in your browser?")
        self.app.push_screen(ConfirmDialog(question, Content(url)), answered)

    def action_focus_list(self) -> None:
        if self.has_class("-narrow"):
            self._show_panel(False)
        self.set_focus(self.articles)

    def action_focus_article(self) -> None:
        self.set_focus(self.view)

    def action_toggle_panel(self) -> None:
        shown = not self._panel_visible()
        self._show_panel(shown)
        if not shown and self.panel.listing.has_focus:
            self.set_focus(self.view)

    def action_focus_panel(self) -> None:
        self._show_panel(True)
        self.set_focus(self.panel.listing)

    def action_back(self) -> None:
        place = self.trail.go_back(self.view.place())
        if place is None:
            self.notify("Nothing to go back to.", markup=False, timeout=2)
            return
        self._restore(place)

    def action_forward(self) -> None:
        place = self.trail.go_forward(self.view.place())
        if place is None:
            self.notify("Nothing to go forward to.", markup=False, timeout=2)
            return
        self._restore(place)

    def _restore(self, place: Place) -> None:
        self._open(
            place.article_id,
            entity=place.entity,
            cursor=place.cursor,
            scroll_y=place.scroll_y,
            push=False,
            focus=True,
        )

    def action_other_article(self, direction: int) -> None:
        article, entity = self.view.article, self.view.entity
        if article is None:
            return
        if entity is None:
            self._status(
                "Select an entity first (] or e), then > opens the next article naming it."
            )
            return
        self._generation["article"] += 1
        self._generation["panel"] += 1
        self._load_other(
            self._generation["article"],
            self._generation["panel"],
            entity,
            article.id,
            direction,
            self.hit_query,
        )

    def action_entity_list(self) -> None:
        article = self.view.article
        if article is None:
            return
        if self._article_entities and self._article_entities[0] == article.id:
            self._push_entity_dialog(self._article_entities[1])
        else:
            self._entity_list(article.id)

    def _push_entity_dialog(self, entities: list[Entity]) -> None:
        title = self.view.article.title if self.view.article else ""

        dialog = EntityDialog(entities, title)

        def chosen(entity: str | None) -> None:
            if entity is not None:
                self.view.select_entity(entity)
            self.view.focus()
            if entity is not None and dialog.wants_dossier:
                self.action_dossier(entity)

        self.app.push_screen(dialog, chosen)

    def _focus_now(self, widget: Widget) -> None:
        """Move the focus and show its keys in the same frame as the content that goes with it."""
        self.set_focus(widget)
        self.query_one(KeyBar).rebuild()

    def _status(self, text: str) -> None:
        self.query_one("#status", Static).update(Content(safe_line(text)), layout=False)

    # --- the list --------------------------------------------------------------------------
    def on_article_list_need_rows(self, message: ArticleList.NeedRows) -> None:
        self._load_rows(message.generation, message.offset, message.limit, self.order)

    def on_rows_loaded(self, message: RowsLoaded) -> None:
        self.articles.set_rows(message.generation, message.offset, message.rows)

    def on_article_list_opened(self, message: ArticleList.Opened) -> None:
        if message.hit is not None:
            self.hit_query = self._results_query
        self._open(message.article_id, push=True, focus=True)

    def on_article_list_sort_requested(self, message: ArticleList.SortRequested) -> None:
        if self.articles.mode == "results":
            self.sort = "date" if self.sort == "relevance" else "relevance"
            self._run_search()
        else:
            self.order = "title" if self.order == "date" else "date"
            self.articles.show_library(self.count, "The library is empty.")
            self._library_info()

    # --- reading the library again (ctrl+r, or another process changed it) --------------------
    def _show_counts(self) -> None:
        stats = self.stats
        self.sub_title = " · ".join(
            (
                plural(stats.articles, "article"),
                plural(stats.entities, "entity", "entities"),
                plural(stats.mentions, "mention"),
            )
        )

    def reload(self, *, quiet: bool = False, announce: bool = False) -> None:
        """Read the counts and the list again, keeping the selected article under the cursor.
        ``quiet``: the poll asked; ``announce``: an import elsewhere finished, say what it added
        (once per import, not at every look while it runs)."""
        selected = self.articles.selected() if self.articles.mode == "library" else None
        self._reload(selected[0] if selected else None, self.order, quiet, announce)

    def on_library_reloaded(self, message: LibraryReloaded) -> None:
        self.stats, self.count = message.stats, message.stats.articles
        self._show_counts()
        # Entities may have been relinked: what was kept of them is stale.
        self._crossref_cache.clear()
        self._evidence_cache.clear()
        self._docs.clear()
        self._article_entities = None
        if self.articles.mode == "library":
            self.articles.reload_library(self.count, message.selected, message.position)
            self._library_info()
        # (search results stay as they are; the next search or an empty box shows the rest)
        if not message.quiet:
            self.notify(f"Library read again: {plural(self.count, 'article')}.",
                        markup=False, timeout=3)
        elif message.announce and self.count > self._announced:
            added = plural(self.count - self._announced, "new article")
            self.notify(f"{added} in the library.", markup=False, timeout=5)
        if message.announce or not message.quiet:
            self._announced = self.count

    # --- search ----------------------------------------------------------------------------
    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE, self._run_search)

    @on(Input.Submitted, "#search")
    def _query_submitted(self, event: Input.Submitted) -> None:
        box = self.query_one(SearchBox)
        if box.remember(event.value) and self.history_path is not None:
            save_history(self.history_path, box.history)
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
            self._run_search()
        if self._answered != self._generation["search"]:
            # Results are on their way: never leave the library list under the cursor, where
            # the next enter would open an article the reader did not search for.
            self.articles.show_hits([], "Searching…")
        self.set_focus(self.articles)

    def on_search_box_leave(self, message: SearchBox.Leave) -> None:
        self.set_focus(self.view)

    def _run_search(self) -> None:
        self._debounce = None
        query = self.query_one(SearchBox).value.strip()
        self._generation["search"] += 1
        if not query:
            self._answered = self._generation["search"]
            self.hit_query = ""
            self.articles.show_library(self.count, "The library is empty.")
            self._library_info()
            return
        self._search_info("searching…")
        self._search(self._generation["search"], query, self.sort)

    def on_search_done(self, message: SearchDone) -> None:
        if message.generation != self._generation["search"]:
            return
        self._answered = message.generation
        self._results_query = message.query
        result = message.result
        if result is None:
            self.articles.show_hits([], "No results.")
            self._search_info(message.error, error=True)
            return
        hits = list(result.hits)
        self.articles.show_hits(hits, "No articles match.")
        info = plural(result.total, "result")
        if result.total > len(hits):
            info += f", first {len(hits)}"
        info += f" · by {self.sort} (s)"
        if result.also_searched:
            info += " · also searched: " + ", ".join(safe_line(n) for n in result.also_searched)
        self._search_info(info)

    def _library_info(self) -> None:
        order = "by title" if self.order == "title" else "newest first"
        self._search_info(f"{plural(self.count, 'article')} · {order} (s)")

    def _search_info(self, text: str, error: bool = False) -> None:
        info = self.query_one("#search-info", Static)
        info.update(
            Content.styled(safe_line(text), "$text-error" if error else "dim"), layout=False
        )

    # --- the article -----------------------------------------------------------------------
    def _open(
        self,
        article_id: str,
        *,
        entity: str | None = None,
        cursor: int | None = None,
        scroll_y: int | None = None,
        push: bool = True,
        focus: bool = False,
    ) -> None:
        self._generation["article"] += 1
        self._generation["panel"] += 1  # the article brings its own panel content
        self._load_article(
            self._generation["article"],
            self._generation["panel"],
            article_id,
            entity,
            cursor,
            scroll_y,
            push,
            self.hit_query,
            focus,
        )

    def on_article_loaded(self, message: ArticleLoaded) -> None:
        if message.generation != self._generation["article"]:
            return
        with self.app.batch_update():  # article, panel, list and focus in one frame
            if message.push:
                self.trail.visit(self.view.place())
            self.view.show(
                message.article,
                message.mentions,
                message.hits,
                entity=message.entity,
                cursor=message.cursor,
                scroll_y=message.scroll_y,
            )
            self.articles.mark_current(message.article.id)
            if message.entities is not None:
                self._article_entities = (message.article.id, message.entities)
            if message.entities is not None:
                self.panel.show_entities(message.entities)
            # else: the selected entity's cross-references follow in their own message
            if message.focus:
                self._focus_now(self.view)

    def on_article_view_entity_selected(self, message: ArticleView.EntitySelected) -> None:
        self._fill_panel(message.entity)

    def on_article_view_status_changed(self, message: ArticleView.StatusChanged) -> None:
        self._status(message.text)

    def _fill_panel(self, entity: str | None) -> None:
        article = self.view.article
        if article is None:
            return
        self._generation["panel"] += 1
        generation = self._generation["panel"]
        if entity is not None:
            self._load_crossrefs(generation, entity, article.id)
        elif self._article_entities and self._article_entities[0] == article.id:
            self.panel.show_entities(self._article_entities[1])
        else:
            self._load_article_entities(generation, article.id)

    def on_cross_refs_loaded(self, message: CrossRefsLoaded) -> None:
        if message.generation == self._generation["panel"]:
            self.panel.show_entity(message.entity, message.crossrefs, message.evidence)

    def on_article_entities_loaded(self, message: ArticleEntitiesLoaded) -> None:
        self._article_entities = (message.article_id, message.entities)
        if message.generation == self._generation["panel"]:
            self.panel.show_entities(message.entities)

    def on_entity_list_ready(self, message: EntityListReady) -> None:
        self._push_entity_dialog(message.entities)

    def on_cross_ref_panel_cross_ref_chosen(self, message: CrossRefPanel.CrossRefChosen) -> None:
        entity = self.panel.entity.id if self.panel.entity else self.view.entity
        self._open(
            message.crossref.article.id, entity=entity, cursor=message.crossref.start, focus=True
        )

    def on_cross_ref_panel_entity_chosen(self, message: CrossRefPanel.EntityChosen) -> None:
        self.view.select_entity(message.entity)

    def on_library_failed(self, message: LibraryFailed) -> None:
        self._status(f"{message.what}: {message.reason}")
        self.notify(f"{message.what}: {message.reason}", severity="error", markup=False)

    # --- workers: every library call happens here, off the UI thread --------------------------
    def _failed(self, what: str, error: Exception) -> None:
        self.post_message(LibraryFailed(what, safe_line(error) or type(error).__name__))

    def _evidence(self, entity: Entity) -> str:
        """The panel's "why" line: the most mentioned form that a rule or the user linked, with
        its evidence (called from workers, cached with the cross-references)."""
        try:
            why = self.library.why(entity.id)
        except ReaderError:
            return ""
        for link in why.links:
            if not link.reason.startswith("the same name"):
                return f"{link.form}: {link.reason}"
        return ""

    def _evidence_of(self, entity: Entity) -> str:
        cached = self._evidence_cache.get(entity.id)
        if cached is None:
            cached = self._evidence_cache[entity.id] = self._evidence(entity)
            while len(self._evidence_cache) > 128:
                self._evidence_cache.pop(next(iter(self._evidence_cache)))
        return cached

    def _crossrefs(self, entity: str, exclude: str) -> tuple[Entity, list[CrossRef]]:
        """An entity and the other articles naming it; called from workers.

        Fetched once per entity (one more than shown, so any one article can be left out) and
        kept: walking a frequent entity with > or ] asks again and again.
        """
        cached = self._crossref_cache.get(entity)
        if cached is None:
            found = self.library.entity(entity)
            refs = self.library.crossrefs(entity, limit=CROSSREF_LIMIT + 1)
            cached = self._crossref_cache[entity] = (found, refs)
            while len(self._crossref_cache) > 128:
                self._crossref_cache.pop(next(iter(self._crossref_cache)))
        found, refs = cached
        return found, [ref for ref in refs if ref.article.id != exclude][:CROSSREF_LIMIT]

    @work(thread=True, exclusive=True, group="warm")
    def _warm_up(self) -> None:
        """Open the search index now, so the first query answers as fast as the next ones."""
        try:
            self.library.search("reader", limit=1)
        except Exception:  # only a warm-up: the real search will report any problem
            pass

    # Pages are not exclusive: each is a different, still-wanted part of the same list.
    @work(thread=True, group="rows")
    def _load_rows(self, generation: int, offset: int, limit: int, order: str) -> None:
        try:
            rows = self.library.articles(offset=offset, limit=limit, order=order)
        except ReaderError as error:
            self._failed("Could not list the library", error)
            return
        self.post_message(RowsLoaded(generation, offset, rows))

    @work(thread=True, exclusive=True, group="search")
    def _search(self, generation: int, query: str, sort: str) -> None:
        worker = get_current_worker()
        try:
            result = self.library.search(query, limit=SEARCH_LIMIT, sort=sort)
        except ReaderError as error:
            if not worker.is_cancelled:
                self.post_message(SearchDone(generation, query, None, safe_line(error)))
            return
        except Exception as error:  # any text can be typed here; a parser slip must not end the app
            self.log.error("search failed", query=query, error=repr(error))
            if not worker.is_cancelled:
                reason = f"could not search for that ({type(error).__name__})"
                self.post_message(SearchDone(generation, query, None, reason))
            return
        if not worker.is_cancelled:
            self.post_message(SearchDone(generation, query, result))

    def _article_message(
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
        article = self.library.article(article_id)
        mentions = self.library.mentions(article=article_id)
        hits = self._hit_spans(article.text, query)
        message = ArticleLoaded(
            generation, article, mentions, hits, entity, cursor, scroll_y, push, focus
        )
        if entity is None:  # cheap: comes with the article, one frame for both
            message.entities = self.library.entities(article=article_id)
        return message

    def _hit_spans(self, text: str, query: str) -> list[tuple[int, int]]:
        """Where the opened hit's query marks ``text``: the index's highlighter, as in snippets."""
        if not query:
            return []
        try:
            spans = self.library.hit_spans(text, query)
        except QueryError:  # e.g. an entity the query named has gone since the search
            return []
        return [(span.start, span.end) for span in spans[:MAX_HITS]]

    def _deliver(self, message: ArticleLoaded, panel_generation: int) -> None:
        """Post the article, then (when an entity is selected) its cross-references.

        Cross-references of a frequent entity can take tens of milliseconds; the article
        should not wait for them.
        """
        worker = get_current_worker()
        if worker.is_cancelled:
            return
        self.post_message(message)
        if message.entity is None:
            return
        found, crossrefs = self._crossrefs(message.entity, message.article.id)
        if not worker.is_cancelled:
            self.post_message(
                CrossRefsLoaded(panel_generation, found, crossrefs, self._evidence_of(found))
            )

    @work(thread=True, exclusive=True, group="article")
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
            message = self._article_message(
                generation, article_id, entity, cursor, scroll_y, push, query, focus
            )
            self._deliver(message, panel_generation)
        except ReaderError as error:
            self._failed("Could not open the article", error)

    @work(thread=True, exclusive=True, group="article")
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
            docs = self._docs.get(entity)
            if docs is None:
                firsts: dict[str, int] = {}
                for mention in self.library.mentions(entity=entity):
                    firsts.setdefault(mention.doc, mention.start)
                docs = self._docs[entity] = list(firsts.items())
            others = [doc for doc in docs if doc[0] != current]
            if not others:
                self.post_message(LibraryFailed("No other article", "nothing else mentions it"))
                return
            ids = [doc for doc, _ in docs]
            if current in ids:
                index = (ids.index(current) + direction) % len(docs)
                target = docs[index]
            else:
                target = others[0] if direction > 0 else others[-1]
            message = self._article_message(
                generation, target[0], entity, target[1], None, True, query
            )
            self._deliver(message, panel_generation)
        except ReaderError as error:
            self._failed("Could not open the next article", error)

    @work(thread=True, exclusive=True, group="panel")
    def _load_crossrefs(self, generation: int, entity: str, exclude: str) -> None:
        worker = get_current_worker()
        try:
            found, crossrefs = self._crossrefs(entity, exclude)
        except ReaderError as error:
            self._failed("Could not load cross-references", error)
            return
        if not worker.is_cancelled:
            self.post_message(CrossRefsLoaded(generation, found, crossrefs, self._evidence_of(found)))

    @work(thread=True, exclusive=True, group="panel")
    def _load_article_entities(self, generation: int, article_id: str) -> None:
        worker = get_current_worker()
        try:
            entities = self.library.entities(article=article_id)
        except ReaderError as error:
            self._failed("Could not list the entities", error)
            return
        if not worker.is_cancelled:
            self.post_message(ArticleEntitiesLoaded(generation, article_id, entities))

    @work(thread=True, exclusive=True, group="reload")
    def _reload(self, selected: str | None, order: str, quiet: bool, announce: bool) -> None:
        try:
            version = self.library.version()
            stats = self.library.stats()
            position = self.library.position(selected, order=order) if selected else None
        except ReaderError as error:
            if not quiet:
                self._failed("Could not read the library again", error)
            return
        self.post_message(LibraryReloaded(stats, selected, position, version, quiet, announce))

    @work(thread=True, exclusive=True, group="dialog")
    def _entity_list(self, article_id: str) -> None:
        try:
            entities = self.library.entities(article=article_id)
        except ReaderError as error:
            self._failed("Could not list the entities", error)
            return
        self._article_entities = (article_id, entities)
        self.post_message(EntityListReady(entities))
