"""Provides ArticleList: the library or the search results as a virtual list.

Rows are fixed-height and painted only when visible; library rows arrive a page at a time
(the list asks with NeedRows, the screen answers with ``set_rows``), so 50,000 articles open
as fast as 5.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from index import ArticleSummary, Hit, safe_line, safe_text
from reader.widgets.painted import PaintedView
from reader.widgets.wrap import wrap_offsets

PAGE = 100


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells with an ellipsis when it does not fit."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1).rstrip() + "…"


def when(date: str | None) -> str:
    """The day of an ISO date, or nothing."""
    return (date or "")[:10]


class ArticleList(PaintedView, can_focus=True):
    """A cursor over rows of articles or hits; ``enter`` or a click opens one."""

    COMPONENT_CLASSES = {
        "article-list--title",
        "article-list--meta",
        "article-list--snippet",
        "article-list--highlight",
        "article-list--cursor",
        "article-list--cursor-blurred",
        "article-list--current",
    }

    BINDINGS = [
        Binding("j,down", "move(1)", "Down", show=False, id="list.down"),
        Binding("k,up", "move(-1)", "Up", show=False, id="list.up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="list.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="list.page_up"),
        Binding("home", "jump(0)", "First", show=False, id="list.first"),
        Binding("end", "jump(-1)", "Last", show=False, id="list.last"),
        Binding("enter", "open", "Open", id="list.open"),
        Binding("s", "sort", "Sort", id="list.sort"),
        Binding("v", "dense", "One line each", show=False, id="list.dense"),
    ]

    class Opened(Message):
        """The reader chose an article."""

        def __init__(self, article_id: str, hit: Hit | None) -> None:
            super().__init__()
            self.article_id = article_id
            self.hit = hit

    class NeedRows(Message):
        """Library rows in [offset, offset+limit) are needed to paint."""

        def __init__(self, generation: int, offset: int, limit: int) -> None:
            super().__init__()
            self.generation = generation
            self.offset = offset
            self.limit = limit

    class SortRequested(Message):
        """``s``: the screen decides what the other order is."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.generation = 0
        self.total = 0
        self.mode = "library"  # or "results"
        self.empty_text = ""
        self._rows: dict[int, ArticleSummary] = {}
        self._hits: list[Hit] = []
        self._requested: set[int] = set()
        self.cursor = 0
        self.current_id: str | None = None
        self.dense = False  # v: one line an article (date and title), as newsboat shows them

    # --- data in ---------------------------------------------------------------------------
    @property
    def row_height(self) -> int:
        if self.dense:
            return 1
        return 3 if self.mode == "library" else 5

    @property
    def _lines(self) -> int:
        """The lines of a row that are the article (the others are the gap below it)."""
        return max(1, self.row_height - 1)

    def show_library(self, total: int, empty_text: str = "") -> None:
        """Switch to the library: ``total`` rows, fetched on demand."""
        self.generation += 1
        self.mode, self.total, self.empty_text = "library", total, empty_text
        self._rows, self._hits, self._requested = {}, [], set()
        self._reset()

    def reload_library(self, total: int, keep: str | None, position: int | None) -> None:
        """The library again, its rows fetched afresh. When the row under the cursor is still
        ``keep`` (the reader has not moved since the reload was asked for), the cursor follows
        that article to ``position`` and stays at the same height on the screen."""
        selected = self.selected()
        old_cursor, old_top = self.cursor, self.scroll_y
        cursor = position if position is not None and selected and selected[0] == keep else None
        self.generation += 1
        self.mode, self.total = "library", total
        self._rows, self._hits, self._requested = {}, [], set()
        self.cursor = max(0, min(total - 1, old_cursor if cursor is None else cursor))
        self._cache.clear()
        self._resize_virtual()
        top = old_top + (self.cursor - old_cursor) * self.row_height
        self.scroll_to(y=max(0, top), animate=False, force=True)
        self.refresh()

    def set_rows(self, generation: int, offset: int, rows: list[ArticleSummary]) -> None:
        if generation != self.generation or self.mode != "library":
            return
        for index, row in enumerate(rows, offset):
            self._rows[index] = row
        self._requested.discard(offset // PAGE)
        self._cache.clear()
        self.refresh()

    def show_hits(self, hits: list[Hit], empty_text: str = "") -> None:
        """Switch to search results."""
        self.generation += 1
        self.mode, self._hits, self.total, self.empty_text = "results", hits, len(hits), empty_text
        self._rows, self._requested = {}, set()
        self._reset()

    def _reset(self) -> None:
        self.cursor = 0
        self._cache.clear()
        self._resize_virtual()
        self.scroll_to(y=0, animate=False, force=True)
        self.refresh()

    def _resize_virtual(self) -> None:
        width = self.scrollable_content_region.width
        self._set_virtual_size(Size(width, max(1, self.total * self.row_height)))

    def selected(self) -> tuple[str, Hit | None] | None:
        if not 0 <= self.cursor < self.total:
            return None
        if self.mode == "results":
            hit = self._hits[self.cursor]
            return hit.id, hit
        row = self._rows.get(self.cursor)
        return (row.id, None) if row else None

    def mark_current(self, article_id: str | None) -> None:
        """Mark the open article's row."""
        previous = self._index_of(self.current_id)
        self.current_id = article_id
        self._forget(previous, self._index_of(article_id))

    def _index_of(self, article_id: str | None) -> int | None:
        if article_id is None:
            return None
        if self.mode == "results":
            return next((i for i, hit in enumerate(self._hits) if hit.id == article_id), None)
        return next((i for i, row in self._rows.items() if row.id == article_id), None)

    # --- actions ---------------------------------------------------------------------------
    def action_move(self, delta: int) -> None:
        self._set_cursor(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        per_page = max(1, self.scrollable_content_region.height // self.row_height)
        self._set_cursor(self.cursor + direction * per_page)

    def action_jump(self, where: int) -> None:
        self._set_cursor(where if where >= 0 else self.total - 1)

    def action_open(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.post_message(self.Opened(*chosen))

    def action_sort(self) -> None:
        self.post_message(self.SortRequested())

    def action_dense(self) -> None:
        """One line an article, or the full rows again; the cursor stays on its article."""
        self.dense = not self.dense
        self._cache.clear()
        self._resize_virtual()
        self.scroll_to(y=max(0, self.cursor * self.row_height - 3), animate=False, force=True)
        self._set_cursor(self.cursor)
        self.refresh()

    def _set_cursor(self, index: int) -> None:
        if not self.total:
            return
        previous = self.cursor
        self.cursor = max(0, min(self.total - 1, index))
        top = self.cursor * self.row_height
        height = self.scrollable_content_region.height
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False, force=True)
        elif top + self.row_height > self.scroll_y + height:
            self.scroll_to(y=top + self.row_height - height, animate=False, force=True)
        self._forget(previous, self.cursor)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = (offset.y + round(self.scroll_y)) // self.row_height
        if 0 <= index < self.total:
            self._set_cursor(index)
            self.action_open()

    def on_resize(self, event: events.Resize) -> None:
        self._cache.clear()
        self._resize_virtual()

    def on_focus(self) -> None:
        self._forget(self.cursor)

    def on_blur(self) -> None:
        self._forget(self.cursor)

    def _forget(self, *indices: int | None) -> None:
        """Repaint only the rows of these items."""
        height, width = self.row_height, self.scrollable_content_region.width
        for index in indices:
            if index is None or index < 0:
                continue
            for line in range(index * height, (index + 1) * height):
                self._cache.discard((line, width))
            self.refresh_lines(index * height, height)

    # --- painting --------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = round(self.scroll_y) + y
        key = (line, width)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._paint(line, width)
            self._cache[key] = strip
        return strip

    def _paint(self, line: int, width: int) -> Strip:
        base = self._base
        if not self.total:
            if line == 1 and self.empty_text:
                style = base + self.get_component_rich_style("article-list--meta", partial=True)
                return Strip(
                    [Segment(fit(" " + self.empty_text, width), style)]
                ).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        index, row = divmod(line, self.row_height)
        if index >= self.total:
            return Strip.blank(width, base)
        if self.mode == "results":
            item = self._hits[index]
            segments = (self._dense_line(item.date, item.title, width - 2, base) if self.dense
                        else self._hit_line(item, row, width - 2, base))
            article_id = item.id
        else:
            summary = self._rows.get(index)
            if summary is None:
                self._request(index)
                segments = [Segment("…" if row == 0 else "", base)]
                article_id = None
            elif self.dense:
                segments = self._dense_line(summary.date, summary.title, width - 2, base)
                article_id = summary.id
            else:
                segments = self._summary_line(summary, row, width - 2, base)
                article_id = summary.id
        style = base
        if index == self.cursor and row < self._lines:
            name = "article-list--cursor" if self.has_focus else "article-list--cursor-blurred"
            cursor = self.get_component_rich_style(name, partial=self.has_focus)  # blend alpha
            style = base + cursor
            segments = [
                Segment(text, (seg_style or base) + cursor) for text, seg_style, _ in segments
            ]
        is_current = article_id is not None and article_id == self.current_id
        gutter = "▌" if is_current and row < self._lines else " "
        current = base + self.get_component_rich_style("article-list--current", partial=True)
        strip = Strip([Segment(gutter, current), Segment(" ", style), *segments])
        return strip.adjust_cell_length(width, style)

    def _dense_line(self, date: str | None, title: str, width: int, base: Style) -> list[Segment]:
        partial = self.get_component_rich_style
        day = f"{when(date) or '':<10}  "
        return [
            Segment(fit(day, width), base + partial("article-list--meta", partial=True)),
            Segment(fit(safe_line(title) or "(untitled)", max(0, width - cell_len(day))),
                    base + partial("article-list--title", partial=True)),
        ]

    def _summary_line(
        self, summary: ArticleSummary, row: int, width: int, base: Style
    ) -> list[Segment]:
        partial = self.get_component_rich_style
        if row == 0:
            title = safe_line(summary.title) or "(untitled)"
            return [Segment(fit(title, width), base + partial("article-list--title", partial=True))]
        if row == 1:
            # The language only when it is not English (most of a library; "" is unknown).
            lang = safe_line(summary.lang) if summary.lang not in ("", "en") else ""
            meta = " · ".join(
                part for part in (safe_line(summary.source), when(summary.date), lang) if part
            )
            return [Segment(fit(meta, width), base + partial("article-list--meta", partial=True))]
        return []

    def _hit_line(self, hit: Hit, row: int, width: int, base: Style) -> list[Segment]:
        partial = self.get_component_rich_style
        if row == 0:
            title = safe_line(hit.title) or "(untitled)"
            return [Segment(fit(title, width), base + partial("article-list--title", partial=True))]
        if row == 1:
            copies = f"{len(hit.copies) + 1} copies" if hit.copies else ""
            meta = " · ".join(
                part for part in (safe_line(hit.source), when(hit.date), copies) if part
            )
            return [Segment(fit(meta, width), base + partial("article-list--meta", partial=True))]
        if row in (2, 3):
            return self._snippet_line(hit, row - 2, width, base)
        return []

    def _snippet_line(self, hit: Hit, row: int, width: int, base: Style) -> list[Segment]:
        snippet = safe_text(hit.snippet).replace("\n", " ").replace("\t", " ")
        highlights = hit.highlights if len(snippet) == len(hit.snippet) else ()
        starts, ends = wrap_offsets(snippet, width)
        if row >= len(starts):
            return []
        start, end = starts[row], ends[row]
        last = row == 1 and len(starts) > 2
        normal = base + self.get_component_rich_style("article-list--snippet", partial=True)
        marked = normal + self.get_component_rich_style("article-list--highlight", partial=True)
        cuts = {start, end}
        spans = [(s.start, s.end) for s in highlights if s.start < end and s.end > start]
        for span_start, span_end in spans:
            cuts.update((max(span_start, start), min(span_end, end)))
        points = sorted(cuts)
        segments = []
        for left, right in zip(points, points[1:]):
            inside = any(s <= left and right <= e for s, e in spans)
            segments.append(Segment(snippet[left:right], marked if inside else normal))
        if last:
            text = "".join(segment.text for segment in segments).rstrip()
            if cell_len(text) >= width:
                segments = [Segment(fit(text, width), normal)]
            else:
                segments.append(Segment("…", normal))
        return segments

    def _request(self, index: int) -> None:
        page = index // PAGE
        if page in self._requested:
            return
        self._requested.add(page)
        self.post_message(self.NeedRows(self.generation, page * PAGE, PAGE))
