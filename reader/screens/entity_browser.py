"""Provides EntityBrowser: every entity of the library with its type, mentions, articles and
first and last dates; filtered as you type and by type, sorted by mentions, articles or
recency; enter opens the dossier, and the corrections work here too."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from index import ENTITY_LABELS, EntitySummary, Library, ReaderError, safe_line
from reader.dialogs.ask_dialog import AskDialog
from reader.dialogs.entity_finder import EntityFinder
from reader.screens.dossier_screen import DossierScreen
from reader.screens.navigation import Destination
from reader.widgets.entity_table import COLUMNS, EntityTable
from reader.widgets.key_bar import KeyBar
from reader.wording import plural

SORTS = ("mentions", "articles", "recent")
TYPES = ("all", *ENTITY_LABELS)


def sort_key(sort: str):
    if sort == "articles":
        return lambda e: (-e.articles, -e.mentions, e.name)
    if sort == "recent":
        return lambda e: (e.last or "", e.mentions)
    return lambda e: (-e.mentions, e.name)


class EntityBrowser(Screen[Destination | None]):
    """Answers with an article to open (from a dossier opened here), or None."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="browser.close"),
        Binding("enter", "open", "Dossier", id="browser.dossier"),
        Binding("tab", "switch", "Filter/list", id="browser.switch", priority=True),
        Binding("ctrl+t", "cycle_type", "Type", id="browser.type", priority=True),
        Binding("ctrl+s", "cycle_sort", "Sort", id="browser.sort", priority=True),
        Binding("down", "table('move', 1)", "Down", show=False, id="browser.row_down"),
        Binding("up", "table('move', -1)", "Up", show=False, id="browser.row_up"),
        Binding("pagedown", "table('page', 1)", "Page down", show=False, id="browser.rows_down"),
        Binding("pageup", "table('page', -1)", "Page up", show=False, id="browser.rows_up"),
        Binding("m", "correct('merge')", "Merge into…", id="browser.merge"),
        Binding("R", "correct('rename')", "Rename…", id="browser.rename"),
        Binding("L", "correct('relabel')", "Type…", show=False, id="browser.relabel"),
        Binding("u", "correct('undo')", "Undo", id="browser.undo"),
    ]

    DEFAULT_CSS = """
    EntityBrowser #browser-info { height: 1; padding: 0 1; color: $text-muted; }
    EntityBrowser #browser-filter { margin: 0 1; }
    EntityBrowser #browser-columns { height: 1; padding: 0 1; text-style: bold; }
    """

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.every: list[EntitySummary] = []
        self._folded: list[str] = []
        self.type = "all"
        self.sort = "mentions"
        self.loaded = 0  # how many times the entities arrived (tests watch it)
        self.corrected = False  # a correction was made here: the screen below reads again

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content("Reading the entities…"), id="browser-info", markup=False)
        yield Input(placeholder="type to filter by name", id="browser-filter")
        yield Static(Content(""), id="browser-columns", markup=False)
        yield EntityTable(id="browser-table")
        yield KeyBar()

    @property
    def table(self) -> EntityTable:
        return self.query_one(EntityTable)

    @property
    def box(self) -> Input:
        return self.query_one("#browser-filter", Input)

    def on_mount(self) -> None:
        self.title = "reader · entities"
        self.box.focus()
        self._load()

    def on_resize(self) -> None:
        width = self.table.scrollable_content_region.width or self.size.width
        tail = len(COLUMNS)
        self.query_one("#browser-columns", Static).update(
            Content(" " + "name".ljust(max(8, width - tail - 2)) + " " + COLUMNS), layout=False)

    # --- data ------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="browser")
    def _load(self, keep: str | None = None) -> None:
        """The entities at once, then again with their first and last dates."""
        try:
            quick = self.library.entity_summaries(dated=False)
            if quick and quick[0].first is None and quick[0].last is None:
                self.app.call_from_thread(self._loaded, quick, keep, False)
            rows = self.library.entity_summaries()
        except ReaderError as error:
            self.app.call_from_thread(self._info, f"Could not read the entities: {error}")
            return
        self.app.call_from_thread(self._loaded, rows, keep, True)

    def _loaded(self, rows: list[EntitySummary], keep: str | None, dated: bool) -> None:
        self.every = rows
        self.table.dated = dated
        self._folded = [r.name.casefold() for r in rows]
        self.loaded += 1
        self.on_resize()
        current = self.table.current()
        self._fill(keep or (current.id if current else None))

    def _fill(self, keep: str | None = None) -> None:
        needle = self.box.value.strip().casefold()
        rows = [
            r for r, folded in zip(self.every, self._folded)
            if (not needle or needle in folded) and (self.type == "all" or r.label == self.type)
        ]
        if self.sort != "mentions":
            rows.sort(key=sort_key(self.sort), reverse=self.sort == "recent")
        current = self.table.current()
        self.table.set_rows(rows, keep or (current.id if current else None))
        self._info(
            f"{plural(len(rows), 'entity', 'entities')} of {len(self.every):,} · type: {self.type}"
            f" (ctrl+t) · by {self.sort} (ctrl+s) · tab: filter/list · enter: dossier"
        )

    def _info(self, text: str) -> None:
        self.query_one("#browser-info", Static).update(Content(safe_line(text)), layout=False)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_open()

    # --- actions ---------------------------------------------------------------------------
    def action_close(self) -> None:
        self.dismiss(None)

    def action_switch(self) -> None:
        (self.table if self.box.has_focus else self.box).focus()

    def action_table(self, what: str, step: int) -> None:
        getattr(self.table, f"action_{what}")(step)

    def action_cycle_type(self) -> None:
        self.type = TYPES[(TYPES.index(self.type) + 1) % len(TYPES)]
        self._fill()

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._fill()

    def on_entity_table_chosen(self, message: EntityTable.Chosen) -> None:
        self._dossier(message.entity.id)

    def action_open(self) -> None:
        current = self.table.current()
        if current is not None:
            self._dossier(current.id)

    def _dossier(self, entity: str) -> None:
        dossier = DossierScreen(self.library, entity)

        def back(destination: Destination | None) -> None:
            if dossier.corrected:
                self.corrected = True
                self._load(entity)
            if destination is not None:
                self.dismiss(destination)

        self.app.push_screen(dossier, back)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Letters typed in the filter are the filter's, not corrections.
        if action == "correct" and self.box.has_focus:
            return False
        return True

    def action_correct(self, what: str) -> None:
        current = self.table.current()
        if what == "undo":
            self._correct(lambda: (self.library.undo(), current.id if current else None)[1])
            return
        if current is None:
            return
        if what == "merge":
            self._merge_finder(current.id, current.name)
        elif what == "rename":

            def renamed(new: str | None) -> None:
                if new:
                    self._correct(lambda: self.library.rename(current.id, new).id)

            self.app.push_screen(AskDialog(f"Rename {current.name} to", current.name), renamed)
        elif what == "relabel":

            def relabelled(label: str | None) -> None:
                if label:
                    self._correct(lambda: self.library.relabel(current.id, label).id)

            self.app.push_screen(
                AskDialog(f"What is {current.name}?", current.label, list(ENTITY_LABELS)),
                relabelled,
            )

    @work(thread=True, group="browser-fix")
    def _merge_finder(self, entity: str, name: str) -> None:
        entities = self.library.entities()
        self.app.call_from_thread(self._pick, entity, name, entities)

    def _pick(self, entity: str, name: str, entities: list) -> None:
        def chosen(into: str | None) -> None:
            if into is not None:
                self._correct(lambda: self.library.merge(into, entity).id)

        self.app.push_screen(EntityFinder(f"Merge {name} into…", entities, entity), chosen)

    @work(thread=True, group="browser-fix")
    def _correct(self, job) -> None:
        try:
            keep = job()
        except ReaderError as error:
            self.app.call_from_thread(self.notify, safe_line(error), severity="warning",
                                      markup=False)
            return
        self.app.call_from_thread(self._corrected, keep)

    def _corrected(self, keep: str | None) -> None:
        self.corrected = True
        self.notify("Corrected; the list is read again", markup=False, timeout=3)
        self._load(keep)
