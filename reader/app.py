"""Provides ReaderApp, the Textual application (``reader.run.run_app`` starts it)."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from pathlib import Path

from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from index import Library, ReaderError, safe_line
from reader import keys
from reader.config import Config, load_history
from reader.locations import demo_library, samples_dir
from reader.messages import (
    Corrected,
    DemoReady,
    LibraryChanged,
    LibraryChecked,
    LibraryFailed,
    LibraryLoaded,
    LibraryReopened,
)
from reader.screens.entity_browser import EntityBrowser
from reader.screens.help_screen import HelpScreen
from reader.screens.main_screen import MainScreen
from reader.screens.navigation import Destination
from reader.screens.welcome_screen import WelcomeScreen
from reader.upkeep import LibraryUpkeep
from reader.widgets.colours import entity_variables


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
        return keys.help_sections(ReaderApp.BINDINGS)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette offers every action of the screen and its widgets, not only the focused."""
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Keys, query syntax and entity colours (?)", self.action_help)
        yield SystemCommand("Reload", "Read the library again (ctrl+r)", self.action_reload)
        yield from keys.palette_commands(self, screen)
