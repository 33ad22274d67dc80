"""Provides SearchBox: the query input, with the search history on up and down.

Whatever is typed, pasted or set is cleaned first: Input paints its value as it is, so an
escape sequence, a C1 control or a bidi override pasted from an article would reach the
terminal (case 4).

The box holds at most MAX_QUERY characters, however they come (typed, pasted with or without
bracketed paste, set): Input repaints its whole value on every key, so an uncapped box costs
O(length) a key and O(length^2) a paste typed as keys (20 KB took 20 s; 1 MB froze the app).
Once it is full a key costs nothing, and one notice says so.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

from index import safe_line, safe_text

#: The most a query holds: what the search itself reads (index.search.query.MAX_QUERY_CHARS).
MAX_QUERY = 2000
#: Pasted text past this many characters is not even cleaned: it could never fit.
_PASTE_READ = 4 * MAX_QUERY + 1024


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
            max_length=MAX_QUERY,
        )
        self._cut_said = False
        self.history: list[str] = list(history or [])
        self._position = len(self.history)
        self._draft = ""

    def validate_value(self, value: str) -> str:
        """Every value the box takes (typed, pasted, set from the history or by code), cleaned
        and cut to MAX_QUERY."""
        if len(value) > MAX_QUERY:
            value = one_line(value[:_PASTE_READ])[:MAX_QUERY]
            self._say_cut()
            return value
        return one_line(value)

    def replace(self, text: str, start: int, end: int) -> None:
        """Typing and pasting come here: clean the new text first, so that the cursor lands
        after what was really inserted; cut it to the room left (nothing at all when full)."""
        room = MAX_QUERY - (len(self.value) - (max(start, end) - min(start, end)))
        if text and room <= 0:
            self._say_cut()
            return  # full: O(1), no repaint, no search
        clean = one_line(text[:_PASTE_READ])
        if len(clean) > room or len(text) > _PASTE_READ:
            clean = clean[:room]
            self._say_cut()
        super().replace(clean, start, end)
        if len(self.value) < MAX_QUERY:
            self._cut_said = False

    def _say_cut(self) -> None:
        if not self._cut_said and self.is_mounted:
            self._cut_said = True
            self.notify(f"A query holds at most {MAX_QUERY:,} characters: the rest was left out.",
                        severity="warning", markup=False, timeout=4)

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
