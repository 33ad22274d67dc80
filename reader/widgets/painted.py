"""Provides PaintedView: a ScrollView that paints its own lines and caches them as Strips."""

from __future__ import annotations

from rich.style import Style
from textual.cache import LRUCache
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


class PaintedView(ScrollView):
    """The base of the article list and the article view: a line cache, the widget's own
    style worked out once per style change, and a cheap change of the scrollable size."""

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._cache: LRUCache[tuple[int, int], Strip] = LRUCache(512)
        self._base_style: Style | None = None

    def _set_virtual_size(self, size: Size) -> None:
        """Change the scrollable size without a layout pass of the whole screen.

        The widget's own box never depends on its content (CSS fixes it), so only the
        scrollbars need to know; a scrollbar appearing or going still lays out, by itself.
        """
        if size != self.virtual_size:
            self.set_reactive(ScrollView.virtual_size, size)
            self._scroll_update(size)
            self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._base_style = None
        self._cache.clear()

    @property
    def _base(self) -> Style:
        """The widget's own style, worked out once per style change (rich_style walks the DOM)."""
        if self._base_style is None:
            self._base_style = self.rich_style
        return self._base_style
