"""Provides AskDialog: one line of text for a correction (an entity's new name)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from index import safe_line


class AskDialog(ModalScreen[str | None]):
    """Answers with the text typed, or None when dismissed; with ``choices`` the answer is one
    of them, picked from a list (an entity's type)."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="ask.cancel")]

    def __init__(self, question: str, value: str = "", choices: list[str] | None = None) -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-dialog", classes="dialog"):
            yield Static(Content.styled(safe_line(self.question), "bold"), markup=False)
            if self.choices is None:
                yield Input(value=safe_line(self.value), id="ask-input")
                hint = "enter saves · esc cancels"
            else:
                yield OptionList(*[Option(Content(c), id=c) for c in self.choices],
                                 id="ask-options", markup=False)
                hint = "↑↓ · enter chooses · esc cancels"
            yield Static(Content.styled(hint, "dim"), markup=False)

    def on_mount(self) -> None:
        if self.choices is None:
            self.query_one(Input).focus()
            return
        listing = self.query_one(OptionList)
        listing.highlighted = self.choices.index(self.value) if self.value in self.choices else 0
        listing.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)
