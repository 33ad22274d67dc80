"""Provides BriefingScreen: the pinned passages in briefing order, to reorder, annotate, delete,
open at their place, and export.

Changes show at once and are written by one thread worker that applies them in the order they
were made (each is one transaction in the library, so a crash loses at most the last); when it
has written them all, the screen shows the pins as the library has them. Passages, titles and
notes go in as Content (literal text, never markup).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from index import Library, Pinned, ReaderError, safe_line
from reader.dialogs.confirm_dialog import ConfirmDialog
from reader.dialogs.export_dialog import ExportDialog
from reader.dialogs.note_dialog import NoteDialog
from reader.screens.navigation import Destination
from reader.widgets.item_list import ItemList
from reader.widgets.key_bar import KeyBar


def citation(pin: Pinned) -> tuple[str, str]:
    """The pin's title and its "source · date" line, from the copy taken when it was pinned."""
    source = pin.source
    if source is None:
        return safe_line(pin.article), ""
    facts = [safe_line(source.source), (source.date or "undated")[:10]]
    return safe_line(source.title) or safe_line(pin.article), " · ".join(f for f in facts if f)


class BriefingScreen(Screen[Destination | None]):
    """Answers with the article to open at a pin (enter), or None (escape)."""

    CSS_PATH = "briefing_screen.tcss"
    _MOVE = Binding.Group("Move", compact=True)

    BINDINGS = [
        Binding("escape", "close", "Close", id="briefing.close"),
        Binding("K,shift+up", "move_pin(-1)", "Move up", id="briefing.move_up", group=_MOVE),
        Binding("J,shift+down", "move_pin(1)", "Move down", id="briefing.move_down", group=_MOVE),
        Binding("a", "annotate", "Note", id="briefing.annotate"),
        Binding("x,delete", "delete", "Delete", id="briefing.delete"),
        Binding("ctrl+e", "export", "Export", id="briefing.export"),
    ]

    class Loaded(Message):
        """The pins as the library has them."""

        def __init__(self, pins: list[Pinned]) -> None:
            super().__init__()
            self.pins = pins

    class Failed(Message):
        """A library call failed; ``reason`` is one line."""

        def __init__(self, what: str, reason: str) -> None:
            super().__init__()
            self.what = what
            self.reason = reason

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.pins: list[Pinned] | None = None  # None until loaded
        self._changes: deque[Callable[[], object]] = deque()
        self._changes_lock = threading.Lock()
        self._writing = False
        self._index_of: dict[int, int] = {}  # pin id -> its item in the list

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content(""), id="briefing-head", markup=False)
        yield ItemList(id="briefing-list")
        yield KeyBar()

    @property
    def listing(self) -> ItemList:
        return self.query_one(ItemList)

    def on_mount(self) -> None:
        self.title = "reader · briefing"
        self._head()
        self.listing.set_items([(Content.styled("Reading the pins…", "dim"), False)])
        self.listing.focus()
        self._load()

    # --- showing the pins ------------------------------------------------------------------
    def _head(self) -> None:
        count = len(self.pins or [])
        heading = Content.styled("Briefing", "bold $text-accent")
        if self.pins is not None:
            heading += Content(f" · {count} pinned passage{'' if count == 1 else 's'}")
        self.query_one("#briefing-head", Static).update(
            Content.assemble(
                heading,
                Content.styled(
                    "\nenter opens the article · K/J move · a note · x delete · ctrl+e export",
                    "dim",
                ),
            )
        )

    def _show(self, selected: int | None = None) -> None:
        """Fill the list; put the highlight on pin id ``selected`` (else keep the current one)."""
        pins = self.pins or []
        if selected is None:
            selected = self._selected_id()
        items: list[tuple[Content, bool]] = []
        index_of: dict[int, int] = {}
        for number, pin in enumerate(pins, 1):
            if items:
                items.append((Content(""), False))
            index_of[pin.id] = len(items)
            title, facts = citation(pin)
            parts = [
                Content.styled(f"{number:>2}", "bold $text-accent"),
                Content.styled(f" · {facts}" if facts else "", "dim"),
                "\n   ",
                Content.styled(title, "bold"),
                "\n   ",
                Content(safe_line(pin.passage)),
            ]
            if pin.note:
                note = Content.styled(f"note: {safe_line(pin.note)}", "italic $text-success")
                parts += ["\n   ", note]
            items.append((Content.assemble(*parts), True))
        if not pins:
            items.append(
                (
                    Content.styled(
                        "Nothing pinned yet. In an article, p pins the sentence at the cursor.",
                        "dim",
                    ),
                    False,
                )
            )
        self._index_of = index_of
        scroll_y = self.listing.scroll_y
        self.listing.set_items(items)
        if selected in index_of:
            self.listing.scroll_to(y=scroll_y, animate=False, force=True)
            self.listing.highlight(index_of[selected])
        self._head()

    def _selected_id(self) -> int | None:
        pin = self.selected_pin
        return pin.id if pin else None

    @property
    def selected_pin(self) -> Pinned | None:
        """The highlighted pin."""
        index = self.listing.highlighted
        if index is None or not self.pins:
            return None
        for pin in self.pins:
            if self._index_of.get(pin.id) == index:
                return pin
        return None

    def on_briefing_screen_loaded(self, message: Loaded) -> None:
        with self._changes_lock:
            if self._changes or self._writing:
                return  # more changes are on their way; the last batch brings the pins
        selected = self._selected_id()
        self.pins = message.pins
        self._show(selected)

    def on_briefing_screen_failed(self, message: Failed) -> None:
        self.notify(f"{message.what}: {message.reason}", severity="error", markup=False)

    # --- actions ---------------------------------------------------------------------------
    def action_close(self) -> None:
        self.dismiss(None)

    def on_cross_ref_list_selected(self, event: ItemList.Selected) -> None:
        event.stop()
        pin = self.selected_pin
        if pin is not None:
            self.dismiss(Destination(pin.article, None, pin.start))

    def action_move_pin(self, step: int) -> None:
        pin = self.selected_pin
        if pin is None or not self.pins:
            return
        index = self.pins.index(pin)
        target = index + step
        if not 0 <= target < len(self.pins):
            self.app.bell()
            return
        self.pins.insert(target, self.pins.pop(index))
        self._show(pin.id)
        self._change(lambda: self.library.move_pin(pin.id, target))

    def action_annotate(self) -> None:
        pin = self.selected_pin
        if pin is None:
            return

        def noted(note: str | None) -> None:
            if note is None or self.pins is None:
                return
            note = safe_line(note).strip()
            self.pins = [replace(p, note=note) if p.id == pin.id else p for p in self.pins]
            self._show(pin.id)
            self._change(lambda: self.library.annotate(pin.id, note))

        self.app.push_screen(NoteDialog(pin.passage, pin.note), noted)

    def action_delete(self) -> None:
        pin = self.selected_pin
        if pin is None:
            return
        title, _ = citation(pin)
        passage = safe_line(pin.passage)
        if len(passage) > 160:
            passage = passage[:159] + "…"

        def confirmed(yes: bool | None) -> None:
            if not yes or self.pins is None or pin not in self.pins:
                return
            index = self.pins.index(pin)
            self.pins.remove(pin)
            after = self.pins[min(index, len(self.pins) - 1)].id if self.pins else None
            self._show(after)
            self._change(lambda: self.library.unpin(pin.id))
            self.notify("Pin deleted.", markup=False, timeout=2)

        question = Content.styled("Delete this pin?", "bold")
        detail = Content.assemble(Content(passage), Content.styled(f"\n{title}", "dim"))
        self.app.push_screen(ConfirmDialog(question, detail), confirmed)

    def action_export(self) -> None:
        def written(path: Path | None) -> None:
            if path is not None:
                self.notify(f"Briefing written to {path}", markup=False)

        self.app.push_screen(ExportDialog(self.library), written)

    # --- the library, off the UI thread -----------------------------------------------------
    def _change(self, change: Callable[[], object]) -> None:
        """Queue a change for the writer, starting it when it is idle."""
        with self._changes_lock:
            self._changes.append(change)
            start = not self._writing
            self._writing = True
        if start:
            self._write()

    @work(thread=True, group="pins-write")
    def _write(self) -> None:
        """Apply the queued changes one after another, then report the pins as stored."""
        while True:
            with self._changes_lock:
                change = self._changes.popleft() if self._changes else None
            if change is not None:
                try:
                    change()
                except ReaderError as error:
                    self.post_message(
                        self.Failed("Could not change the briefing", safe_line(error))
                    )
                continue
            try:
                pins: list[Pinned] | None = self.library.pins()
            except ReaderError as error:
                pins = None
                self.post_message(self.Failed("Could not read the pins", safe_line(error)))
            with self._changes_lock:
                if self._changes:
                    continue  # more came while reading: they bring the pins
                self._writing = False
            break
        if pins is not None:
            self.post_message(self.Loaded(pins))

    @work(thread=True, exclusive=True, group="pins-read")
    def _load(self) -> None:
        try:
            pins = self.library.pins()
        except ReaderError as error:
            self.post_message(self.Failed("Could not read the pins", safe_line(error)))
            pins = []
        self.post_message(self.Loaded(pins))
