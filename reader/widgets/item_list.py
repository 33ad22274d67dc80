"""Provides ItemList: a keyboard list of multi-line items with headings, for the dossier and the
briefing screens.

It is the cross-reference panel's list (painted line by line from Content, so untrusted text is
never parsed as markup) with its own keys and a way to put the highlight back on an item after
the content is replaced.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.binding import Binding
from textual.content import Content

from reader.widgets.crossref_panel import CrossRefList


class ItemList(CrossRefList, inherit_bindings=False):
    """Items of a few lines each; headings and blank lines are items that cannot be selected."""

    BINDINGS = [
        Binding("j,down", "move(1)", "Down", show=False, id="items.down"),
        Binding("k,up", "move(-1)", "Up", show=False, id="items.up"),
        Binding("pagedown,space", "page(1)", "Page down", show=False, id="items.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="items.page_up"),
        Binding("home", "edge(-1)", "First", show=False, id="items.first"),
        Binding("end", "edge(1)", "Last", show=False, id="items.last"),
        Binding("enter", "select", "Open", id="items.open"),
    ]

    def highlight(self, index: int | None) -> None:
        """Put the highlight on item ``index`` (when it can be selected) and scroll to it."""
        if index is None or not 0 <= index < len(self.items) or not self.items[index][1]:
            return
        self.highlighted = index
        self._cache.clear()
        self.refresh()
        self._layout_lines()
        if self._first:
            self._reveal(index)

    def action_page(self, direction: int) -> None:
        """Move by about a screenful of lines, to the nearest item that can be selected."""
        if self.highlighted is None or not self._first:
            return
        height = max(1, self.scrollable_content_region.height - 1)
        line = self._first[self.highlighted] + direction * height
        selectable = [i for i, (_, ok) in enumerate(self.items) if ok]
        if direction > 0:
            later = [i for i in selectable if self._first[i] >= line]
            target = later[0] if later else selectable[-1]
        else:
            earlier = [i for i in selectable if self._first[i] <= line]
            target = earlier[-1] if earlier else selectable[0]
        self.highlight(target)
        if direction < 0 and target == selectable[0]:
            self.scroll_to(y=0, animate=False, force=True)

    def action_edge(self, direction: int) -> None:
        selectable = [i for i, (_, ok) in enumerate(self.items) if ok]
        if selectable:
            self.highlight(selectable[-1] if direction > 0 else selectable[0])
        if direction < 0:
            self.scroll_to(y=0, animate=False, force=True)

    def _fits(self, prompt: Content, width: int) -> int | None:
        """Items are a few short lines (a dossier's articles: title, then source and date): when
        every line fits, the count is known without wrapping them."""
        lines = prompt.plain.split("\n")
        if any(cell_len(line) >= width for line in lines):
            return None
        return len(lines)

    def _wrap(self, prompt: Content, width: int) -> list[Content]:
        """Each line of the item wrapped on its own, continuation lines indented like the line
        (a hanging indent keeps a long quote or title readable as one block)."""
        lines: list[Content] = []
        for line in prompt.split("\n", allow_blank=True):
            plain = line.plain
            lead = len(plain) - len(plain.lstrip(" "))
            if lead == 0 or lead >= width // 2:
                lines.extend(line.wrap(width))
                continue
            body = line[lead:]
            lines.extend(piece.pad_left(lead) for piece in body.wrap(width - lead))
        return lines
