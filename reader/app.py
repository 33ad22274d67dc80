"""Provides ReaderApp, the Textual application, and run_app(), which ``reader`` calls."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from functools import partial
from pathlib import Path

from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from index import Library, ReaderError, safe_line
from reader.config import Config, load_config, load_history
from reader.dialogs.entity_dialog import EntityDialog
from reader.locations import config_file, demo_library, history_file, samples_dir
from reader.messages import (
    DemoReady,
    LibraryChanged,
    LibraryChecked,
    LibraryFailed,
    LibraryLoaded,
    LibraryReopened,
)
from reader.messages import Corrected
from reader.screens.briefing_actions import briefing_help
from reader.screens.correction_actions import BINDINGS as CORRECTION_KEYS
from reader.screens.entity_browser import EntityBrowser
from reader.screens.navigation import Destination
from reader.screens.help_screen import HelpScreen
from reader.screens.main_screen import MainScreen
from reader.screens.welcome_screen import WelcomeScreen
from reader.upkeep import LibraryUpkeep
from reader.widgets.article_list import ArticleList
from reader.widgets.article_view import ArticleView
from reader.widgets.colours import entity_variables
from reader.widgets.crossref_panel import CrossRefList
from reader.widgets.search_box import SearchBox


#: Bindings that move a cursor: the palette leaves them out.
_MOVES = frozenset({"down", "up", "page_down", "page_up", "first", "last"})

#: What the palette calls an action whose footer label is too short to say it by itself.
PALETTE_NAMES = {
    "search.leave": "Leave the search box",
    "search.history_back": "Older query in the search box",
    "search.history_forward": "Newer query in the search box",
    "panel.leave": "Back to the article",
    "panel.open": "Open the highlighted cross-reference",
    "list.open": "Open the highlighted article",
    "list.sort": "Sort the list (newest, title, relevance)",
    "article.to_panel": "Go to the cross-references",
    "article.clear": "Clear the selected entity",
    "article.entities": "Entities of this article",
    "article.dossier": "Dossier of the selected entity",
    "panel.dossier": "Dossier of the selected entity",
    "main.toggle_panel": "Show or hide the panel",
    "main.list": "Go to the article list",
    "main.search": "Search",
    "main.back": "Back",
    "main.forward": "Forward",
}


class ReaderApp(App[None]):
    """Opens on the library (or the welcome screen when it is empty)."""

    CSS_PATH = "app.tcss"
    TITLE = "reader"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("ctrl+r", "reload", "Reload", id="app.reload"),
        Binding("E", "entity_browser", "All entities", show=False, id="app.entities"),
        Binding(
            "ctrl+p", "command_palette", "Commands", show=False, priority=True, id="app.commands"
        ),
    ]

    def __init__(
        self,
        library: Library,
        *,
        name: str = "library",
        demo: bool = False,
        config: Config | None = None,
        history_path: Path | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self.library_name = safe_line(name)
        self.demo = demo
        self.config = config or Config()
        self.history_path = history_path
        self.upkeep = LibraryUpkeep(self)
        if self.config.keys:
            self.set_keymap(self.config.keys)
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables plus the entity colours for a dark or light theme."""
        variables = {**entity_variables(self.current_theme.dark), **super().get_css_variables()}
        self.theme_variables = variables
        return variables

    def compose(self) -> ComposeResult:
        yield Static(Content("Opening the library…"), id="opening", markup=False)

    def on_mount(self) -> None:
        # Painting makes many short-lived objects; Python's default collector then stops the
        # UI for tens of milliseconds now and then. Collect less often and never rescan what
        # start-up built (measured: p95 keypress latency roughly halves).
        gc.set_threshold(50_000, 20, 100)
        gc.freeze()
        if self.config.problem:
            self.notify(self.config.problem, severity="warning", markup=False)
        self.upkeep.start()
        self.upkeep.probe()

    def on_library_loaded(self, message: LibraryLoaded) -> None:
        self.upkeep.loaded(message)
        screen: Screen[None]
        if not message.count and isinstance(self.screen, WelcomeScreen):
            return  # read again (ctrl+r) and still empty: keep the screen and what it says
        if message.count:
            history = load_history(self.history_path) if self.history_path else []
            screen = MainScreen(
                self.library,
                name=self.library_name,
                stats=message.stats,
                count=message.count,
                history=history,
                history_path=self.history_path,
            )
        else:
            screen = WelcomeScreen(str(self.library.path))
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        if not message.count and self.demo:
            self.action_open_demo()

    def on_library_failed(self, message: LibraryFailed) -> None:
        self.notify(f"{message.what}: {message.reason}", severity="error", markup=False)
        if isinstance(self.screen, WelcomeScreen):
            self.screen.set_status(f"{message.what}: {message.reason}")

    def action_open_demo(self) -> None:
        if isinstance(self.screen, WelcomeScreen):
            self.screen.set_status("Building the demo library (first time only, a few seconds)…")
        self._build_demo()

    @work(thread=True, exclusive=True, group="demo")
    def _build_demo(self) -> None:
        try:
            library = self.library if self.demo else Library.open(demo_library())
            if library.count() == 0:
                library.add([samples_dir()], jobs=1)
        except ReaderError as error:
            self.post_message(LibraryFailed("Could not build the demo library", safe_line(error)))
            return
        self.post_message(DemoReady(library))

    def on_demo_ready(self, message: DemoReady) -> None:
        library = message.library
        assert isinstance(library, Library)
        if library is not self.library:
            self.library.close()
            self.library, self.library_name, self.demo = library, "demo", True
        self.upkeep.probe()

    # --- keeping in step with the library on disk (LibraryUpkeep) ---------------------------
    def action_reload(self) -> None:
        """Read the library again: articles another process added or removed show up."""
        self.upkeep.reload(quiet=False)

    def on_library_changed(self, message: LibraryChanged) -> None:
        self.upkeep.changed(message)

    def on_library_reopened(self, message: LibraryReopened) -> None:
        self.upkeep.reopened(message)

    def on_library_checked(self, message: LibraryChecked) -> None:
        self.notify(message.text, severity=message.severity,  # type: ignore[arg-type]
                    markup=False, timeout=10)

    def action_entity_browser(self) -> None:
        """Every entity of the library (``E``, from anywhere)."""
        if isinstance(self.screen, EntityBrowser) or not self.library.count():
            return
        browser = EntityBrowser(self.library)

        def back(destination: Destination | None) -> None:
            main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
            if main is None:
                return
            if browser.corrected:
                main.post_message(Corrected("", None))
            if destination is not None:
                main.briefing.go(destination)

        self.push_screen(browser, back)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_sections(), self.config.keys))

    @staticmethod
    def help_sections() -> list[tuple[str, list]]:
        """Every key, by where it works: the help screen lists these."""
        return [
            ("Everywhere", [*ReaderApp.BINDINGS,
                            *[b for b in MainScreen.BINDINGS if b not in CORRECTION_KEYS]]),
            ("Library and search results", list(ArticleList.BINDINGS)),
            ("Search box", list(SearchBox.BINDINGS)),
            ("Article", list(ArticleView.BINDINGS)),
            ("Cross-reference panel", list(CrossRefList.BINDINGS)),
            ("Corrections of the selected entity (article and panel)", list(CORRECTION_KEYS)),
            ("Entity list (e)", list(EntityDialog.BINDINGS)),
            ("All entities (E)", list(EntityBrowser.BINDINGS)),
            ("Welcome screen", list(WelcomeScreen.BINDINGS)),
            *briefing_help(),
        ]

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette offers every action of the screen and its widgets, not only the focused."""
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Keys, query syntax and entity colours (?)", self.action_help)
        yield SystemCommand("Reload", "Read the library again (ctrl+r)", self.action_reload)
        seen: set[str] = {"app.quit", "app.help", "app.commands", "app.reload"}
        names: set[str] = {"Help", "Reload", "Quit"}
        for node in [screen, *screen.query("*")]:
            for binding in Binding.make_bindings(getattr(type(node), "BINDINGS", [])):
                ident = binding.id or f"{type(node).__name__}.{binding.action}"
                if not binding.description or ident in seen or not node.display:
                    continue
                if ident.rsplit(".", 1)[-1] in _MOVES:
                    continue  # j/k and the like: keys to press, not commands to look up
                name = PALETTE_NAMES.get(ident, binding.description)
                seen.add(ident)
                if name in names:  # "Dossier" from the article and from the panel: once
                    continue
                names.add(name)
                yield SystemCommand(
                    name,
                    f"key {self.get_key_display(binding)}",
                    partial(self.run_action, binding.action, node),
                )

def run_app(library_path: Path, demo: bool = False) -> None:
    """Open the library at ``library_path`` and run the reader until the user quits.

    A library that cannot be opened ends the program with a one-line message, no traceback.
    """
    config = load_config(config_file())
    path = demo_library() if demo and library_path is None else library_path
    try:
        library = Library.open(Path(path))
    except ReaderError as error:
        raise SystemExit(f"reader: {safe_line(error)}") from None
    name = "demo" if demo else Path(path).name
    app = ReaderApp(library, name=name, demo=demo, config=config, history_path=history_file())
    try:
        app.run()
    finally:
        app.library.close()  # the demo key may have swapped libraries; the first is closed then
