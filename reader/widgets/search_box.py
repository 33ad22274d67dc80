"""Provides SearchBox: the query input, with the search history on up and down.

Whatever is typed, pasted or set is cleaned first: Input paints its value as it is, so an
escape sequence, a C1 control or a bidi override pasted from an article would reach the
terminal (case 4).
"""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

from index import safe_line, safe_text


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

    def validate_value(self, value: str) -> str:
        """Every value the box takes (typed, pasted, set from the history or by code), cleaned."""
        return one_line(value)

    def replace(self, text: str, start: int, end: int) -> None:
        """Typing and pasting come here: clean the new text first, so that the cursor lands
        after what was really inserted."""
        super().replace(one_line(text), start, end)

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


def one_line(text: str) -> str:
    """``text`` without escape sequences, controls or bidi overrides, on one line; unlike
    safe_line, spaces are kept as typed (a trailing space is the start of the next word)."""
    return safe_text(text).replace("\n", " ").replace("\t", " ")
