"""Provides EntityDialog: the open article's entities, grouped by type, filtered as you type."""

from __future__ import annotations

from itertools import groupby

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from index import ENTITY_LABELS, Entity, safe_line
from reader.widgets.colours import LABEL_NAMES, label_variable


class EntityDialog(ModalScreen[str | None]):
    """Answers with the chosen entity's id, or None when dismissed."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="entities.close"),
        Binding("down", "move(1)", "Down", show=False, id="entities.down"),
        Binding("up", "move(-1)", "Up", show=False, id="entities.up"),
        # Not a priority binding: enter must wait its turn behind the letters typed before it.
        Binding("enter", "choose", "Select", id="entities.select"),
        Binding("ctrl+d", "dossier", "Dossier", id="entities.dossier", priority=True),
        Binding("ctrl+g", "correct('merge')", "Merge into…", id="entities.merge", priority=True),
        Binding("ctrl+n", "correct('rename')", "Rename…", id="entities.rename", priority=True),
    ]

    def __init__(self, entities: list[Entity], title: str = "") -> None:
        super().__init__()
        self.entities = entities
        self.article_title = title
        self.wants_dossier = False  # ctrl+d: the opener shows the chosen entity's dossier
        self.wants_correction: str | None = None  # ctrl+g, ctrl+n: the opener corrects it
        self._filled: str | None = None  # the filter the list shows

    def compose(self) -> ComposeResult:
        with Vertical(id="entity-dialog"):
            heading = Content.styled("Entities", "bold")
            if self.article_title:
                heading = heading + Content.styled(" in " + safe_line(self.article_title), "dim")
            yield Static(heading, id="entity-dialog-title", markup=False)
            yield Input(placeholder="filter by name or type", id="entity-filter")
            yield OptionList(id="entity-options", markup=False)
            yield Static(
                Content.styled(
                    "type to filter · ↑↓ · enter select · ctrl+d dossier · ctrl+g merge into ·"
                    " ctrl+n rename · esc close", "dim"
                ),
                markup=False,
            )

    def on_mount(self) -> None:
        self._fill("")
        self.set_focus(self.query_one("#entity-filter", Input))

    def on_key(self, event: events.Key) -> None:
        # Letters typed straight after "e" (fast, pasted, tmux send-keys) can reach the dialog
        # before the box has the focus, and those from the list bubble up here: they are the
        # filter all the same (the box itself takes its own letters).
        box = self.query_one("#entity-filter", Input)
        if event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            self.set_focus(box)
            box.insert_text_at_cursor(event.character)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_choose()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, text: str) -> None:
        self._filled = text
        needle = text.strip().casefold()
        order = {label: index for index, label in enumerate(ENTITY_LABELS)}

        def matches(entity: Entity) -> bool:
            if not needle:
                return True
            names = (entity.name, entity.label, *entity.aliases)
            return any(needle in name.casefold() for name in names)

        chosen = [(i, e) for i, e in enumerate(self.entities) if matches(e)]
        chosen.sort(
            key=lambda pair: (order.get(pair[1].label, 99), -pair[1].mentions, pair[1].name)
        )
        options: list[Option] = []
        for label, group in groupby(chosen, key=lambda pair: pair[1].label):
            members = list(group)
            colour = label_variable(label)
            header = Content.styled(
                f"{label} · {LABEL_NAMES.get(label, '')} · {len(members)}", f"bold {colour}"
            )
            options.append(Option(header, disabled=True))
            for index, entity in members:
                prompt = Content.assemble(
                    "  ",
                    Content.styled(safe_line(entity.name), colour),
                    Content.styled(f"  {entity.mentions}", "dim"),
                )
                aliases = [safe_line(a) for a in entity.aliases if a != entity.name]
                if aliases:
                    prompt += Content.styled("  (" + ", ".join(aliases[:3]) + ")", "dim")
                options.append(Option(prompt, id=str(index)))
        if not options:
            options.append(Option(Content("No entity matches."), disabled=True))
        option_list = self.query_one(OptionList)
        option_list.set_options(options)
        option_list.highlighted = next(
            (i for i, option in enumerate(options) if not option.disabled), None
        )

    def action_move(self, step: int) -> None:
        option_list = self.query_one(OptionList)
        if step > 0:
            option_list.action_cursor_down()
        else:
            option_list.action_cursor_up()

    def action_choose(self) -> None:
        typed = self.query_one("#entity-filter", Input).value
        if typed != self._filled:  # enter came before the list caught up with the typing
            self._fill(typed)
        option_list = self.query_one(OptionList)
        option = option_list.highlighted_option
        if option is not None and option.id is not None:
            self.dismiss(self.entities[int(option.id)].id)

    def action_correct(self, what: str) -> None:
        self.wants_correction = what
        self.action_choose()

    def action_dossier(self) -> None:
        self.wants_dossier = True
        self.action_choose()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(self.entities[int(event.option.id)].id)
