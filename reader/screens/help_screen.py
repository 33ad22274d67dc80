"""Provides HelpScreen: every key (with its id for config.toml), the query syntax, the colours."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from index import ENTITY_LABELS, query_help, safe_text
from reader.locations import config_file
from reader.widgets.colours import LABEL_NAMES, label_variable

def binding_rows(
    bindings: Iterable[BindingType], keymap: Mapping[str, str], key_display
) -> list[tuple[str, str, str]]:
    """(keys, description, id) for each binding id, with the user's keymap applied."""
    rows: dict[str, tuple[list[str], str]] = {}
    for binding in Binding.make_bindings(bindings):
        if not binding.description:
            continue
        ident = binding.id or binding.action
        keys = keymap.get(ident, "")
        shown = [key_display(binding.with_key(key)) for key in keys.split(",")] if keys else []
        entry = rows.setdefault(ident, (shown, binding.description))
        if not keys:
            entry[0].append(key_display(binding))
    return [(" ".join(dict.fromkeys(keys)), text, ident) for ident, (keys, text) in rows.items()]


class HelpScreen(ModalScreen[None]):
    """``?``: scrollable help. Any of escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
        Binding("j,down", "scroll('down')", "Down", show=False, id="help.down"),
        Binding("k,up", "scroll('up')", "Up", show=False, id="help.up"),
    ]

    def __init__(
        self, sections: list[tuple[str, list[BindingType]]], keymap: Mapping[str, str]
    ) -> None:
        super().__init__()
        self.sections = sections
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(self._keys(), markup=False, id="help-keys")
            yield Static(self._colours(), markup=False, id="help-colours")
            yield Static(self._queries(), markup=False, id="help-queries")

    def _keys(self) -> Content:
        parts = [Content.styled("Keys", "bold $text-accent"), Content("\n")]
        for title, bindings in self.sections:
            parts.append(Content.styled(f"\n{title}\n", "bold"))
            for keys, text, ident in binding_rows(bindings, self.keymap, self.app.get_key_display):
                parts.append(
                    Content.assemble(
                        Content.styled(f"  {keys:<16}", "bold $text-primary"),
                        f"{text:<30}",
                        Content.styled(ident, "dim"),
                        "\n",
                    )
                )
        parts.append(
            Content.styled(
                f"\nRemap a key in {config_file()} under [keys],"
                ' e.g. "article.next_mention" = "l".\n',
                "dim",
            )
        )
        return Content.assemble(*parts)

    def _colours(self) -> Content:
        parts = [Content.styled("Entity colours\n", "bold $text-accent")]
        for label in ENTITY_LABELS:
            parts.append(
                Content.assemble(
                    Content.styled(f"  {label:<12}", f"bold {label_variable(label)}"),
                    Content(f"{LABEL_NAMES[label]}\n"),
                )
            )
        parts.append(
            Content.assemble(
                "  ",
                Content.styled("selected entity", "bold on $selected-background"),
                "  ",
                Content.styled("search hit", "on $hit-background"),
                "  ",
                Content.styled("current mark", "reverse"),
                "\n",
            )
        )
        return Content.assemble(*parts)

    def _queries(self) -> Content:
        return Content.assemble(
            Content.styled("Query syntax\n", "bold $text-accent"), Content(safe_text(query_help()))
        )

    def action_scroll(self, direction: str) -> None:
        scroller = self.query_one("#help", VerticalScroll)
        if direction == "down":
            scroller.scroll_down()
        else:
            scroller.scroll_up()
