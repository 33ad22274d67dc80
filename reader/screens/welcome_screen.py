"""Provides WelcomeScreen: what an empty library shows, and the one key that opens the demo."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from index import safe_line
from reader.widgets.key_bar import KeyBar


class WelcomeScreen(Screen[None]):
    """The library is empty: say how to fill it, offer the demo."""

    BINDINGS = [
        Binding("d", "app.open_demo", "Open the demo library", id="welcome.demo"),
    ]

    def __init__(self, library_path: str = "") -> None:
        super().__init__()
        self.library_path = library_path

    def compose(self) -> ComposeResult:
        yield Header()
        with Middle():
            with Center():
                yield Static(self._text(), id="welcome", markup=False)
        yield KeyBar()

    def _text(self) -> Content:
        where = safe_line(self.library_path)
        return Content.assemble(
            Content.styled("Welcome to reader\n\n", "bold $text-accent"),
            "This library is empty",
            Content.styled(f" ({where})" if where else "", "dim"),
            ".\n\nAdd articles from a terminal:\n\n",
            Content.styled("    reader add PATH...", "bold"),
            "\n\nPATH can be files or folders of .txt, .md, .html, .json, .jsonl\n"
            "or RSS/Atom feeds. They appear here as they come in.\n\n",
            "Or press ",
            Content.styled("d", "bold $text-primary"),
            " to open the demo library (two sample articles),\nthe same as ",
            Content.styled("reader demo", "bold"),
            ".\n\n",
            Content.styled("q", "bold $text-primary"),
            " quits.",
        )

    def set_status(self, text: str) -> None:
        """Say what the demo build is doing (or why it failed)."""
        self.query_one("#welcome", Static).update(
            Content.assemble(self._text(), "\n\n", Content.styled(safe_line(text), "italic"))
        )
