"""Provides ConfirmDialog: a yes/no question (deleting a pin)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmDialog(ModalScreen[bool]):
    """Answers True for y or enter, False for n or escape."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [
        Binding("y,enter", "dismiss(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "dismiss(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: Content, detail: Content | None = None) -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Static(self.question, markup=False)
            if self.detail is not None:
                yield Static(self.detail, markup=False, id="confirm-detail")
            yield Static(Content.styled("y or enter: yes · n or esc: no", "dim"), markup=False)
