"""Provides KeyBar: the keys that work where the focus is, in one line.

Textual's Footer builds a widget per key and rebuilds them on every focus change, which costs
tens of milliseconds each time the reader opens an article; this paints the same line as one
Content (keys clickable) and repaints without a layout pass.
"""

from __future__ import annotations

from itertools import groupby

from textual import events
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget


class KeyBar(Widget):
    """One line of ``key description`` pairs for the active bindings; click one to run it."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._content = Content("")
        self._targets: list[tuple[int, int, str, object]] = []
        self._palette = Content("")

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.rebuild()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            self.rebuild()

    def rebuild(self) -> None:
        """Show the keys for where the focus is now (repaints only when they changed)."""
        active = [
            (node, binding, enabled)
            for node, binding, enabled, _ in self.screen.active_bindings.values()
            if binding.show and binding.action != "command_palette"
        ]
        seen: set[str] = set()
        unique = []
        for node, binding, enabled in active:
            if binding.action in seen:
                continue
            seen.add(binding.action)
            unique.append((node, binding, enabled))
        key_style = "bold $footer-key-foreground"
        parts: list[Content] = []
        targets: list[tuple[int, int, str, object]] = []
        position = 0

        def add(text: str, style: str = "", target: tuple[str, object] | None = None) -> None:
            nonlocal position
            piece = Content.styled(text, style) if style else Content(text)
            if target is not None:
                targets.append((position, position + piece.cell_length, *target))
            parts.append(piece)
            position += piece.cell_length

        for group, members in groupby(unique, key=lambda item: item[1].group):
            items = list(members)
            if group is not None and len(items) > 1:
                add(" ")
                for index, (node, binding, _) in enumerate(items):
                    if index:
                        add("/", "dim")  # "⌫/alt+→", never "⌫alt+→"
                    add(self.app.get_key_display(binding), key_style, (binding.action, node))
                add(f" {group.description} ")
            else:
                for node, binding, enabled in items:
                    style = key_style if enabled else "dim"
                    add(" ")
                    add(self.app.get_key_display(binding), style, (binding.action, node))
                    add(f" {binding.description} ")
        content = Content.assemble(*parts)
        self._targets = targets
        self._palette = Content.assemble(("^p", key_style), " Commands ")
        if content.markup != self._content.markup:
            self._content = content
            self.refresh()

    def render(self) -> Content:
        width = self.size.width
        palette = self._palette
        room = width - palette.cell_length - 1
        keys = self._content
        if keys.cell_length > room:
            keys = keys.truncate(max(0, room), ellipsis=True)
        gap = max(1, width - keys.cell_length - palette.cell_length)
        return Content.assemble(keys, " " * gap, palette)

    async def on_click(self, event: events.Click) -> None:
        x = event.x
        if x >= self.size.width - self._palette.cell_length:
            await self.app.run_action("command_palette")
            return
        for start, end, action, node in self._targets:
            if start <= x < end:
                await self.app.run_action(action, node)  # type: ignore[arg-type]
                return
