"""Provides EntityFinder: a fuzzy finder over the library's entities ("merge into...")."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from index import Entity, safe_line
from reader.widgets.colours import label_variable

#: Matches shown at once; the typing narrows them.
SHOWN = 40
#: The most mentioned entities scored fuzzily when the plain substring finds too few.
FUZZY_POOL = 5000


def rank(entities: list[Entity], typed: str, *, skip: str | None = None) -> list[Entity]:
    """The entities that fit ``typed``: names containing it first (most mentioned first), then
    fuzzy matches ("wng y" finds Wang Yi), at most SHOWN."""
    needle = typed.strip().casefold()
    pool = [e for e in entities if e.id != skip]
    if not needle:
        return pool[:SHOWN]
    plain = [e for e in pool if any(needle in n.casefold() for n in (e.name, *e.aliases))]
    # "citicorp" puts Citicorp before Citicorp Investment Bank Ltd: the name itself, then the
    # names it begins, each most mentioned first (the sort keeps that order).
    plain.sort(key=lambda e: (e.name.casefold() != needle, not e.name.casefold().startswith(needle)))
    if len(plain) >= SHOWN:
        return plain[:SHOWN]
    seen = {e.id for e in plain}
    matcher = Matcher(typed.strip())
    scored = [
        (score, e) for e in pool[:FUZZY_POOL]
        if e.id not in seen and (score := matcher.match(e.name)) > 0
    ]
    scored.sort(key=lambda pair: (-pair[0], -pair[1].mentions))
    return plain + [e for _, e in scored[: SHOWN - len(plain)]]


class EntityFinder(ModalScreen[str | None]):
    """Answers with the chosen entity's id, or None when dismissed."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="finder.cancel"),
        Binding("down", "move(1)", "Down", show=False, id="finder.down"),
        Binding("up", "move(-1)", "Up", show=False, id="finder.up"),
        Binding("enter", "choose", "Choose", id="finder.choose"),
    ]

    def __init__(self, title: str, entities: list[Entity], skip: str | None = None) -> None:
        super().__init__()
        self.heading = title
        self.entities = entities  # most mentioned first
        self.skip = skip
        self.shown: list[Entity] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="finder-dialog", classes="dialog"):
            yield Static(Content.styled(safe_line(self.heading), "bold"), markup=False)
            yield Input(placeholder="type a name", id="finder-input")
            yield OptionList(id="finder-options", markup=False)
            yield Static(Content.styled("type to find · ↑↓ · enter chooses · esc cancels", "dim"),
                         markup=False)

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_choose()

    def on_key(self, event: events.Key) -> None:
        box = self.query_one(Input)
        if event.is_printable and event.character and not box.has_focus:
            event.stop()
            box.focus()
            box.insert_text_at_cursor(event.character)

    def _fill(self, typed: str) -> None:
        self.shown = rank(self.entities, typed, skip=self.skip)
        options = [
            Option(Content.assemble(
                Content.styled(safe_line(e.name), label_variable(e.label)),
                Content.styled(f"  {e.label} · {e.mentions} in {e.articles}", "dim"),
            ), id=str(i))
            for i, e in enumerate(self.shown)
        ] or [Option(Content("No entity matches."), disabled=True)]
        listing = self.query_one(OptionList)
        listing.set_options(options)
        listing.highlighted = 0 if self.shown else None

    def action_move(self, step: int) -> None:
        listing = self.query_one(OptionList)
        listing.action_cursor_down() if step > 0 else listing.action_cursor_up()

    def action_choose(self) -> None:
        listing = self.query_one(OptionList)
        option = listing.highlighted_option
        if option is not None and option.id is not None:
            self.dismiss(self.shown[int(option.id)].id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(self.shown[int(event.option.id)].id)
