"""Provides EntityTable: the entity browser's list, one entity a line, painted on demand (a
hundred thousand entities scroll as smoothly as a hundred)."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from index import EntitySummary, safe_line
from reader.widgets.painted import PaintedView

#: Columns after the name: type, mentions, articles, first and last seen.
COLUMNS = f"{'type':<11}{'mentions':>9}{'articles':>9}  {'first':<10}  {'last':<10}"


def day(date: str | None) -> str:
    return (date or "")[:10] or "undated"


class EntityTable(PaintedView, can_focus=True):
    """Rows of EntitySummary; the screen decides what they are."""

    COMPONENT_CLASSES = {"entity-table--highlight"}

    BINDINGS = [
        Binding("j,down", "move(1)", "Down", show=False, id="browser.down"),
        Binding("k,up", "move(-1)", "Up", show=False, id="browser.up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="browser.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="browser.page_up"),
        Binding("home", "edge(0)", "First", show=False, id="browser.first"),
        Binding("end", "edge(-1)", "Last", show=False, id="browser.last"),
    ]

    DEFAULT_CSS = """
    EntityTable { height: 1fr; }
    EntityTable > .entity-table--highlight { background: $accent 40%; }
    """

    class Chosen(Message):
        """enter (or a click) on a row."""

        def __init__(self, entity: EntitySummary) -> None:
            super().__init__()
            self.entity = entity

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[EntitySummary] = []
        self.highlighted = 0
        self.dated = True  # False while the dates are still being read: "…" in their place

    def set_rows(self, rows: list[EntitySummary], keep: str | None = None) -> None:
        """Show ``rows``; the highlight stays on the entity ``keep`` when it is among them."""
        self.rows = rows
        self.highlighted = 0
        if keep is not None:
            self.highlighted = next((i for i, r in enumerate(rows) if r.id == keep), 0)
        self._cache.clear()
        self._set_virtual_size(Size(self.size.width, len(rows)))
        self._reveal()
        self.refresh()

    def current(self) -> EntitySummary | None:
        return self.rows[self.highlighted] if 0 <= self.highlighted < len(self.rows) else None

    # --- moving ----------------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        self._go(self.highlighted + step)

    def action_page(self, step: int) -> None:
        self._go(self.highlighted + step * max(1, self.scrollable_content_region.height - 1))

    def action_edge(self, where: int) -> None:
        self._go(0 if where == 0 else len(self.rows) - 1)

    def _go(self, index: int) -> None:
        if not self.rows:
            return
        self.highlighted = max(0, min(len(self.rows) - 1, index))
        self._cache.clear()
        self._reveal()
        self.refresh()

    def _reveal(self) -> None:
        top, height = round(self.scroll_y), max(1, self.scrollable_content_region.height)
        if self.highlighted < top:
            self.scroll_to(y=self.highlighted, animate=False, force=True)
        elif self.highlighted >= top + height:
            self.scroll_to(y=self.highlighted - height + 1, animate=False, force=True)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and 0 <= offset.y + round(self.scroll_y) < len(self.rows):
            self._go(offset.y + round(self.scroll_y))
            self.post_message(self.Chosen(self.rows[self.highlighted]))

    # --- painting --------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_y) + y
        width = self.scrollable_content_region.width or self.size.width
        key = (index, width)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._cache[key] = self._paint(index, width)
        return strip

    def _paint(self, index: int, width: int) -> Strip:
        base = self._base
        if not 0 <= index < len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[index]
        style = base
        if index == self.highlighted:
            style = base + self.get_component_rich_style("entity-table--highlight")
        first, last = (day(row.first), day(row.last)) if self.dated else ("…", "…")
        tail = f"{row.label:<11}{row.mentions:>9}{row.articles:>9}  {first:<10}  {last:<10}"
        room = max(8, width - len(tail) - 2)
        name = safe_line(row.name)
        name = name if len(name) <= room else name[: room - 1] + "…"
        segments = [
            Segment(" " + name.ljust(room) + " ", style + Style(bold=True)),
            Segment(tail, style),
        ]
        return Strip(segments).adjust_cell_length(width, style)
