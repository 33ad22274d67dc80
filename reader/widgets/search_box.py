"""Provides SearchBox: the query input, with the search history on up and down."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

from index import safe_line


class SearchBox(Input):
    """Type a query; ``up``/``down`` walk earlier queries, ``escape`` goes back to the article."""

    BINDINGS = [
        Binding("up", "history(-1)", "Older query", id="search.history_back"),
        Binding("down", "history(1)", "Newer query", id="search.history_forward"),
        Binding("escape", "leave", "Article", id="search.leave"),
    ]

    class Leave(Message):
        """The reader wants the article back."""

    def __init__(self, history: list[str] | None = None, *, id: str | None = None) -> None:
        super().__init__(
            placeholder='Search: words, "a phrase", title:, source:, entity:, type:  (? help)',
            id=id,
            select_on_focus=False,
        )
        self.history: list[str] = list(history or [])
        self._position = len(self.history)
        self._draft = ""

    def remember(self, query: str) -> bool:
        """Add ``query`` to the history (most recent last); True when the history changed."""
        query = safe_line(query)
        self._position = len(self.history)
        if not query or (self.history and self.history[-1] == query):
            return False
        if query in self.history:
            self.history.remove(query)
        self.history.append(query)
        self._position = len(self.history)
        return True

    def action_history(self, step: int) -> None:
        if not self.history:
            return
        if self._position == len(self.history):
            self._draft = self.value
        position = max(0, min(len(self.history), self._position + step))
        if position == self._position:
            self.app.bell()
            return
        self._position = position
        self.value = self.history[position] if position < len(self.history) else self._draft
        self.cursor_position = len(self.value)

    def action_leave(self) -> None:
        self.post_message(self.Leave())
