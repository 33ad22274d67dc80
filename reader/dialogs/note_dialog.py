"""Provides NoteDialog: the note that goes with a pinned passage in the briefing."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from index import safe_line

#: Characters of the passage shown above the note, for context.
SHOWN = 200


class NoteDialog(ModalScreen[str | None]):
    """Answers with the note as typed ("" clears it), or None when dismissed."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="note.cancel")]

    def __init__(self, passage: str, note: str = "") -> None:
        super().__init__()
        self.passage = passage
        self.note = note

    def compose(self) -> ComposeResult:
        passage = safe_line(self.passage)
        if len(passage) > SHOWN:
            passage = passage[: SHOWN - 1] + "…"
        with Vertical(id="note-dialog", classes="dialog"):
            yield Static(
                Content.assemble(
                    Content.styled("Note for the pinned passage", "bold"),
                    "\n",
                    Content.styled(passage, "italic dim"),
                ),
                markup=False,
            )
            yield Input(value=safe_line(self.note), placeholder="your note", id="note-input")
            yield Static(
                Content.styled("enter saves (empty clears) · esc cancels", "dim"), markup=False
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)
