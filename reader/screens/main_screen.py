"""Provides MainScreen: the library or results, the article, and the cross-reference panel.

The screen talks to the library through its Session (reader.session): each call runs in a
thread worker and reports back by message (reader.messages); every answer carries the
generation of its request and is dropped when a newer request has been made since. The
dossier, pin and briefing actions delegate to BriefingActions.
"""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Resize
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Header, Input, Static

from index import Entity, Library, Stats, openable_url, safe_line
from reader.config import save_history
from reader.dialogs.confirm_dialog import ConfirmDialog
from reader.dialogs.entity_dialog import EntityDialog
from reader.messages import (
    ArticleEntitiesLoaded,
    ArticleLoaded,
    Corrected,
    CrossRefsLoaded,
    EntitiesForFinder,
    FacetsLoaded,
    EntityListReady,
    LibraryFailed,
    LibraryReloaded,
    RowsLoaded,
    SearchDone,
)
from reader.screens.briefing_actions import BriefingActions
from reader.screens.correction_actions import BINDINGS as CORRECTION_KEYS
from reader.screens.correction_actions import CorrectionActions
from reader.screens.navigation import Trail
from reader.session import PinAdded, Session
from reader.widgets.article_list import ArticleList
from reader.widgets.article_view import ArticleView, Place
from reader.widgets.crossref_panel import CrossRefPanel
from reader.widgets.facets_panel import FacetsPanel
from reader.widgets.key_bar import KeyBar
from reader.widgets.search_box import SearchBox
from reader.wording import plural

#: Wider than this, the three panes sit side by side.
WIDE = 120
DEBOUNCE = 0.15



class MainScreen(Screen[None]):
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
        *CORRECTION_KEYS,
        Binding("F", "focus_facets", "Facets of the results", show=False, id="main.facets"),
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
        self._debounce: Timer | None = None
        self.session = Session(library, self)
        self.briefing = BriefingActions(self)
        self.corrections = CorrectionActions(self)
        self._note = ""  # said on the status line with the next article (see ArticleLoaded)
        #: (article, entity): an article opened from that entity's dossier; backspace there
        #: goes back to the dossier.
        self.from_dossier: tuple[str, str] | None = None

    # --- layout ----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            with Vertical(id="left"):
                yield SearchBox(self.history, id="search")
                yield Static(Content(""), id="search-info", markup=False)
                yield ArticleList(id="articles")
                yield FacetsPanel(id="facets")
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
        self.session.warm_up()

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
        article = self.view.article
        if self.from_dossier and article is not None and article.id == self.from_dossier[0]:
            entity, self.from_dossier = self.from_dossier[1], None
            self.briefing.dossier(entity)  # the dossier the quote or article was opened from
            return
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
        self.session.open_other(entity, article.id, direction, self.hit_query)

    def action_entity_list(self) -> None:
        article = self.view.article
        if article is None:
            return
        entities = self.session.entities_of(article.id)
        if entities is not None:
            self._push_entity_dialog(entities)
        else:
            self.session.entity_list(article.id)

    def _push_entity_dialog(self, entities: list[Entity]) -> None:
        title = self.view.article.title if self.view.article else ""

        dialog = EntityDialog(entities, title)

        def chosen(entity: str | None) -> None:
            if entity is not None:
                self.view.select_entity(entity)
            self.view.focus()
            if entity is not None and dialog.wants_dossier:
                self.briefing.dossier(entity)
            elif entity is not None and dialog.wants_correction:
                self.corrections.run(dialog.wants_correction)

        self.app.push_screen(dialog, chosen)

    def _focus_now(self, widget: Widget) -> None:
        """Move the focus and show its keys in the same frame as the content that goes with it."""
        self.set_focus(widget)
        self.query_one(KeyBar).rebuild()

    def _status(self, text: str) -> None:
        self.query_one("#status", Static).update(Content(safe_line(text)), layout=False)

    # --- the list --------------------------------------------------------------------------
    def on_article_list_need_rows(self, message: ArticleList.NeedRows) -> None:
        self.session.load_rows(message.generation, message.offset, message.limit, self.order)

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
        self.session.reload(selected[0] if selected else None, self.order, quiet, announce)

    def on_library_reloaded(self, message: LibraryReloaded) -> None:
        self.stats, self.count = message.stats, message.stats.articles
        self._show_counts()
        self.session.forget()  # entities may have been relinked: what was kept is stale
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
        if not self.session.current("search", self.session.answered):
            # Results are on their way: never leave the library list under the cursor, where
            # the next enter would open an article the reader did not search for.
            self.articles.show_hits([], "Searching…")
        self.set_focus(self.articles)

    def on_search_box_leave(self, message: SearchBox.Leave) -> None:
        self.set_focus(self.view)

    def search_again(self) -> None:
        """Run the query in the box again (the library was opened anew under it)."""
        if self.query_one(SearchBox).value.strip():
            self._run_search()

    def _run_search(self) -> None:
        self._debounce = None
        query = self.query_one(SearchBox).value.strip()
        generation = self.session.new("search")
        if not query:
            self.session.answered = generation
            self.set_class(False, "-facets")
            self.hit_query = ""
            self.articles.show_library(self.count, "The library is empty.")
            self._library_info()
            return
        self._search_info("searching…")
        self.session.search(generation, query, self.sort)
        self.session.facets(generation, query)

    def on_search_done(self, message: SearchDone) -> None:
        if not self.session.current("search", message.generation):
            return
        self.session.answered = message.generation
        self._results_query = message.query
        result = message.result
        if result is None:
            self.articles.show_hits([], "No results.")
            self._search_info(message.error, error=True)
            return
        hits = list(result.hits)
        self.articles.show_hits(hits, "No articles match.")
        info = plural(result.total, "result")
        shown = len(hits) + sum(len(h.copies) for h in hits)  # copies of a story share a line
        if result.total > shown:
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
        self.session.open_article(article_id, entity, cursor, scroll_y, push, self.hit_query, focus)

    def on_article_loaded(self, message: ArticleLoaded) -> None:
        if not self.session.current("article", message.generation):
            return
        self._note = message.note
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
                self.session.article_entities = (message.article.id, message.entities)
            if message.entities is not None:
                self.panel.show_entities(message.entities)
            # else: the selected entity's cross-references follow in their own message
            if message.focus:
                self._focus_now(self.view)

    def on_article_view_entity_selected(self, message: ArticleView.EntitySelected) -> None:
        self._fill_panel(message.entity)

    def on_article_view_status_changed(self, message: ArticleView.StatusChanged) -> None:
        note, self._note = self._note, ""  # said once, with the article it came with
        self._status(f"{message.text} · {note}" if note and message.text else note or message.text)

    def _fill_panel(self, entity: str | None) -> None:
        article = self.view.article
        if article is None:
            return
        generation = self.session.new("panel")
        cached = self.session.entities_of(article.id)
        if entity is not None:
            self.session.load_crossrefs(generation, entity, article.id)
        elif cached is not None:
            self.panel.show_entities(cached)
        else:
            self.session.load_article_entities(generation, article.id)

    def on_cross_refs_loaded(self, message: CrossRefsLoaded) -> None:
        if self.session.current("panel", message.generation):
            self.panel.show_entity(message.entity, message.crossrefs, message.evidence)

    def on_article_entities_loaded(self, message: ArticleEntitiesLoaded) -> None:
        self.session.article_entities = (message.article_id, message.entities)
        if self.session.current("panel", message.generation):
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

    # --- the dossier, pin and briefing actions (BriefingActions) ---------------------------
    def action_dossier(self, entity: str | None = None) -> None:
        self.briefing.dossier(entity)

    def action_pin(self) -> None:
        self.briefing.pin()

    def action_briefing(self) -> None:
        self.briefing.briefing()

    def action_export_brief(self) -> None:
        self.briefing.export_brief()

    def on_pin_added(self, message: PinAdded) -> None:
        self.briefing.pinned(message)

    # --- corrections of the entity graph (CorrectionActions) --------------------------------
    def action_correct(self, what: str) -> None:
        self.corrections.run(what)

    def on_entities_for_finder(self, message: EntitiesForFinder) -> None:
        self.corrections.finder(message)

    def on_corrected(self, message: Corrected) -> None:
        """Show the new graph at once: the article's marks and counts, the panel, the results
        and the header's counts."""
        if message.error:
            self._status(message.text)
            self.notify(message.text, severity="warning", markup=False)
            return
        self.session.forget()
        if message.text:
            self.notify(message.text, markup=False, timeout=4)
        place = self.view.place()
        if place is not None:
            self._open(
                place.article_id,
                entity=message.entity,
                cursor=place.cursor if message.entity else None,
                scroll_y=place.scroll_y,
                push=False,
            )
        if self.articles.mode == "results":
            self._run_search()
        self.reload(quiet=True)

    # --- facets of the results (FacetsPanel) ------------------------------------------------
    def on_facets_loaded(self, message: FacetsLoaded) -> None:
        if not self.session.current("search", message.generation):
            return
        self.set_class(True, "-facets")
        self.query_one(FacetsPanel).show(message.facets, message.error)  # type: ignore[arg-type]

    def action_focus_facets(self) -> None:
        if not self.has_class("-facets"):
            self._status("Search first (/): F shows the facets of the results.")
            return
        if self.has_class("-narrow"):
            self._show_panel(False)
        self.set_focus(self.query_one(FacetsPanel).listing)

    def on_facets_panel_picked(self, message: FacetsPanel.Picked) -> None:
        """A facet value: add it to the query, as the reader could have typed it."""
        box = self.query_one(SearchBox)
        box.value = f"{box.value.strip()} {message.term}".strip()
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        self._run_search()
