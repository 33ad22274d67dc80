"""Provides ArticleView: an article painted line by line, with its entity mentions and search hits.

Only the visible lines are ever styled, so a 50,000-word article opens and scrolls as fast as a
short one. Text reaches the terminal only as plain segments (never through a markup parser),
after ``safe_text``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from index import ENTITY_LABELS, Article, Mention, safe_line, safe_text
from reader.widgets.colours import label_slug
from reader.widgets.painted import PaintedView
from reader.widgets.wrap import wrap_offsets

_LABEL_CLASS = {label: f"article-view--{label_slug(label)}" for label in ENTITY_LABELS}


@dataclass(frozen=True)
class Place:
    """Where the reader is in an article: enough to come back to it exactly."""

    article_id: str
    scroll_y: int
    entity: str | None
    cursor: int | None  # start offset of the highlighted mention or hit


class ArticleView(PaintedView, can_focus=True):
    """The open article. The screen hands it data; it reports what the reader selects."""

    COMPONENT_CLASSES = {
        "article-view--title",
        "article-view--meta",
        "article-view--hit",
        "article-view--selected",
        "article-view--cursor",
        "article-view--placeholder",
        *_LABEL_CLASS.values(),
    }

    _MENTION = Binding.Group("Mention", compact=True)
    _WALK = Binding.Group("Walk", compact=True)
    _OTHER = Binding.Group("Article", compact=True)

    BINDINGS = [
        Binding(
            "right_square_bracket",
            "next_mention",
            "Next mention",
            id="article.next_mention",
            group=_MENTION,
        ),
        Binding(
            "left_square_bracket",
            "previous_mention",
            "Previous mention",
            id="article.previous_mention",
            group=_MENTION,
        ),
        Binding("n", "walk(1)", "Next of entity or hits", id="article.walk_next", group=_WALK),
        Binding(
            "N", "walk(-1)", "Previous of entity or hits", id="article.walk_previous", group=_WALK
        ),
        Binding(
            "greater_than_sign",
            "screen.other_article(1)",
            "Next article naming it",
            id="article.next_article",
            group=_OTHER,
        ),
        Binding(
            "less_than_sign",
            "screen.other_article(-1)",
            "Previous article naming it",
            id="article.previous_article",
            group=_OTHER,
        ),
        # priority: the dialog opens in the app's own turn, so letters typed right after the
        # "e" reach its filter, not the article
        Binding("e", "screen.entity_list", "Entities", id="article.entities", priority=True),
        Binding("d", "screen.dossier", "Dossier", id="article.dossier"),
        Binding("p", "screen.pin", "Pin", id="article.pin"),
        Binding("o", "screen.open_link", "Open link", show=False, id="article.open_link"),
        Binding("enter", "screen.focus_panel", "Cross-refs", id="article.to_panel"),
        Binding("escape", "clear", "Clear", id="article.clear"),
        Binding("j", "scroll_down", "Down", show=False, id="article.down"),
        Binding("k", "scroll_up", "Up", show=False, id="article.up"),
        Binding("space", "page_down", "Page down", show=False, id="article.page_down"),
    ]

    class EntitySelected(Message):
        """The selected entity changed (None: cleared)."""

        def __init__(self, entity: str | None, name: str = "") -> None:
            super().__init__()
            self.entity = entity
            self.name = name

    class StatusChanged(Message):
        """Where the reader is among the current target, e.g. "ETIM · mention 2 of 5"."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.article: Article | None = None
        self.placeholder = "Open an article from the list (enter)."
        self._mentions: list[Mention] = []
        self._mention_starts: list[int] = []
        self._mention_ends: list[int] = []
        self._hits: list[tuple[int, int]] = []
        self._hit_ends: list[int] = []
        self.entity: str | None = None
        self._cursor: tuple[int, int] | None = None
        self._head: list[tuple[str, str]] = []  # (text, component class) per header line
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._wrapped_width = -1

    # --- data in ---------------------------------------------------------------------------
    def show(
        self,
        article: Article,
        mentions: list[Mention],
        hits: list[tuple[int, int]],
        *,
        entity: str | None = None,
        cursor: int | None = None,
        scroll_y: int | None = None,
    ) -> None:
        """Show ``article``; put the reader on ``entity``/``cursor`` or at ``scroll_y``."""
        self.article = article
        self._mentions = sorted(mentions, key=lambda mention: mention.start)
        self._mention_starts = [mention.start for mention in self._mentions]
        self._mention_ends = [mention.end for mention in self._mentions]
        self._hits = sorted(hits)
        self._hit_ends = [end for _, end in self._hits]
        self.entity = entity
        self._cursor = None
        if cursor is not None:
            self._cursor = self._span_at(cursor)
            if self._cursor is None and entity is not None:
                self._cursor = self._nearest_mention(cursor)
        elif entity is not None:
            first = self._entity_indices()
            self._cursor = self._span(first[0]) if first else None
        self._wrapped_width = -1
        self._rewrap()
        if scroll_y is not None:
            self._scroll_line(scroll_y)
        elif self._cursor is not None or cursor is not None:
            self._scroll_line(0)
            self._reveal(self._cursor[0] if self._cursor is not None else cursor or 0)
        else:
            self._scroll_line(0)
        self._changed(report_entity=False)

    def show_placeholder(self, text: str) -> None:
        """Show a one-line message instead of an article (welcome, errors)."""
        self.article = None
        self.placeholder = text
        self._mentions, self._hits, self._cursor, self.entity = [], [], None, None
        self._wrapped_width = -1
        self._rewrap()
        self._scroll_line(0)
        self._changed(report_entity=False)

    def place(self) -> Place | None:
        """Where the reader is now, to come back to later."""
        if self.article is None:
            return None
        cursor = self._cursor[0] if self._cursor else None
        return Place(self.article.id, round(self.scroll_y), self.entity, cursor)

    def select_entity(self, entity: str | None, at: int | None = None) -> None:
        """Select ``entity`` and put the cursor on its mention at offset ``at`` (or its first)."""
        self.entity = entity
        if entity is None:
            self._cursor = None
        else:
            indices = self._entity_indices()
            if at is not None and (span := self._span_at(at)) is not None:
                self._cursor = span
            elif indices:
                self._cursor = self._span(indices[0])
            else:
                self._cursor = None
            if self._cursor:
                self._reveal(self._cursor[0])
        self._changed()

    def reading_offset(self) -> int | None:
        """Where the reader is in the text: the start of the marked mention or hit, else the
        first line shown (``p`` pins the sentence there)."""
        if self.article is None:
            return None
        if self._cursor is not None:
            return self._cursor[0]
        return self._offset_at_line(max(round(self.scroll_y), len(self._head)))

    def selected_mention(self, entity: str | None = None) -> Mention | None:
        """The mention under the cursor, else the first of ``entity`` (default: the selected)."""
        if self._cursor is not None:
            index = self._mention_index(self._cursor)
            if index is not None:
                return self._mentions[index]
        entity = entity or self.entity
        return next((m for m in self._mentions if m.entity == entity), None)

    @property
    def mention_count(self) -> int:
        return len(self._mentions)

    @property
    def hit_count(self) -> int:
        return len(self._hits)

    def entity_name(self, entity: str) -> str:
        """The display name of ``entity`` as this article knows it."""
        for mention in self._mentions:
            if mention.entity == entity:
                return mention.name
        return entity

    def short_name(self, entity: str) -> str:
        """The name for the status line: an acronym the article defines and uses ("ETIM"),
        else the entity's name."""
        counts: dict[str, int] = {}
        for mention in self._mentions:
            if mention.entity == entity:
                counts[mention.text] = counts.get(mention.text, 0) + 1
        name = self.entity_name(entity)
        acronyms = [
            text
            for text in counts
            if text.isupper()
            and " " not in text
            and len(text) <= 8
            and text.casefold() != name.casefold()
        ]
        if acronyms:
            return max(acronyms, key=lambda text: counts[text])
        return name

    # --- actions ---------------------------------------------------------------------------
    def action_next_mention(self) -> None:
        self._step_mention(1)

    def action_previous_mention(self) -> None:
        self._step_mention(-1)

    def _step_mention(self, direction: int) -> None:
        if not self._mentions:
            self._status("No entity mentions in this article.")
            return
        if self._cursor is not None and (index := self._mention_index(self._cursor)) is not None:
            target = index + direction
        else:
            top = self._offset_at_line(round(self.scroll_y))
            target = bisect_left(self._mention_starts, top)
            if direction < 0:
                target -= 1
        if not 0 <= target < len(self._mentions):
            self.app.bell()
            self._status("No more mentions " + ("below." if direction > 0 else "above."))
            return
        mention = self._mentions[target]
        self.entity = mention.entity
        self._cursor = (mention.start, mention.end)
        self._reveal(mention.start)
        self._changed()

    def action_walk(self, direction: int) -> None:
        """``n``/``N``: the selected entity's mentions, or else the search hits."""
        spans = self._target_spans()
        if not spans:
            self._status(
                "No search hits in this article; select an entity with ] or e."
                if self.entity is None
                else "No mentions of the selected entity here."
            )
            return
        starts = [start for start, _ in spans]
        if self._cursor is not None and self._cursor in spans:
            target = (spans.index(self._cursor) + direction) % len(spans)
        else:
            anchor = self._cursor[0] if self._cursor else self._offset_at_line(round(self.scroll_y))
            if direction > 0:
                target = bisect_left(starts, anchor) % len(spans)
            else:
                target = (bisect_left(starts, anchor) - 1) % len(spans)
        self._cursor = spans[target]
        self._reveal(self._cursor[0])
        self._changed(report_entity=False)

    def action_clear(self) -> None:
        if self.entity is None and self._cursor is None:
            return
        self.entity = None
        self._cursor = None
        self._changed()

    # --- mouse -----------------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or self.article is None:
            return
        position = self._offset_at(offset.x + round(self.scroll_x), offset.y + round(self.scroll_y))
        if position is None:
            return
        index = bisect_right(self._mention_starts, position) - 1
        if index >= 0 and self._mentions[index].end > position:
            mention = self._mentions[index]
            self.entity = mention.entity
            self._cursor = (mention.start, mention.end)
            self._changed()
            event.stop()

    # --- state helpers ---------------------------------------------------------------------
    def _span(self, index: int) -> tuple[int, int]:
        mention = self._mentions[index]
        return (mention.start, mention.end)

    def _span_at(self, offset: int) -> tuple[int, int] | None:
        index = bisect_right(self._mention_starts, offset) - 1
        if index >= 0 and self._mentions[index].end > offset:
            return self._span(index)
        index = bisect_right([start for start, _ in self._hits], offset) - 1
        if index >= 0 and self._hits[index][1] > offset:
            return self._hits[index]
        return None

    def _nearest_mention(self, offset: int) -> tuple[int, int] | None:
        """The selected entity's mention closest to ``offset`` (a role or quote beside it)."""
        indices = self._entity_indices()
        if not indices:
            return None
        best = min(indices, key=lambda i: abs(self._mentions[i].start - offset))
        return self._span(best)

    def _mention_index(self, span: tuple[int, int]) -> int | None:
        index = bisect_left(self._mention_starts, span[0])
        if index < len(self._mentions) and self._span(index) == span:
            return index
        return None

    def _entity_indices(self) -> list[int]:
        return [i for i, mention in enumerate(self._mentions) if mention.entity == self.entity]

    def _target_spans(self) -> list[tuple[int, int]]:
        if self.entity is not None:
            return [self._span(i) for i in self._entity_indices()]
        return list(self._hits)

    def status_text(self) -> str:
        """The status line for the current selection ("ETIM · mention 2 of 5", "hit 3 of 7")."""
        if self.article is None:
            return ""
        if self.entity is not None:
            spans = self._target_spans()
            name = safe_line(self.short_name(self.entity))
            if self._cursor in spans:
                return f"{name} · mention {spans.index(self._cursor) + 1} of {len(spans)}"
            return f"{name} · {len(spans)} mention{'s' if len(spans) != 1 else ''}"
        if self._hits:
            if self._cursor in self._hits:
                return f"hit {self._hits.index(self._cursor) + 1} of {len(self._hits)}"
            return f"{len(self._hits)} hit{'s' if len(self._hits) != 1 else ''} · n walks them"
        if self._mentions:
            return "] next mention · e entities"
        return ""

    def _status(self, text: str) -> None:
        self.post_message(self.StatusChanged(text))

    def _changed(self, report_entity: bool = True) -> None:
        self._cache.clear()
        self.refresh()
        if report_entity:
            name = self.entity_name(self.entity) if self.entity else ""
            self.post_message(self.EntitySelected(self.entity, name))
        self._status(self.status_text())

    # --- geometry --------------------------------------------------------------------------
    @property
    def _text_width(self) -> int:
        return max(10, self.scrollable_content_region.width or self.size.width)

    def _rewrap(self) -> None:
        width = self._text_width
        if width == self._wrapped_width:
            return
        self._wrapped_width = width
        self._cache.clear()
        head: list[tuple[str, str]] = []
        if self.article is None:
            text = self.placeholder
            for start, end in zip(*wrap_offsets(text, width)):
                head.append((text[start:end].rstrip(), "article-view--placeholder"))
            self._starts, self._ends = [], []
        else:
            article = self.article
            title = safe_line(article.title) or "(untitled)"
            for start, end in zip(*wrap_offsets(title, width)):
                head.append((title[start:end].rstrip(), "article-view--title"))
            date = (article.date or "").replace("T", " ")[:16]  # to the minute is plenty
            facts = [article.source, date, article.author and f"by {article.author}"]
            meta = " · ".join(safe_line(fact) for fact in facts if fact)
            if meta:
                for start, end in zip(*wrap_offsets(meta, width)):
                    head.append((meta[start:end].rstrip(), "article-view--meta"))
            head.append(("", ""))
            self._starts, self._ends = wrap_offsets(article.text, width)
        self._head = head
        self._set_virtual_size(Size(width, len(head) + len(self._starts)))

    def _line_of(self, offset: int) -> int:
        """The display line holding text offset ``offset``."""
        return len(self._head) + max(0, bisect_right(self._starts, offset) - 1)

    def _offset_at_line(self, y: int) -> int:
        index = y - len(self._head)
        if index < 0 or not self._starts:
            return 0
        return self._starts[min(index, len(self._starts) - 1)]

    def _offset_at(self, x: int, y: int) -> int | None:
        index = y - len(self._head)
        if self.article is None or not 0 <= index < len(self._starts):
            return None
        start, end = self._starts[index], self._ends[index]
        line = self.article.text[start:end]
        used = 0
        for position, char in enumerate(line):
            used += cell_len(char)
            if used > x:
                return start + position
        return None

    def _scroll_line(self, y: int) -> None:
        self.scroll_to(y=y, animate=False, force=True)

    def _reveal(self, offset: int) -> None:
        """Scroll so the line holding ``offset`` is in view, a third of the way down if it moves."""
        line = self._line_of(offset)
        top, height = round(self.scroll_y), self.scrollable_content_region.height or 1
        if not top <= line < top + height:
            self._scroll_line(max(0, line - height // 3))

    def on_resize(self, event: events.Resize) -> None:
        anchor = self._offset_at_line(round(self.scroll_y)) if self.article else 0
        self._rewrap()
        if self.article is not None:
            self._scroll_line(self._line_of(anchor) if round(self.scroll_y) else 0)

    # --- painting --------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        key = (index, width)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_index(index).adjust_cell_length(
                max(width, self.virtual_size.width), self._base
            )
            self._cache[key] = strip
        return strip.crop(scroll_x, scroll_x + width)

    def _render_index(self, index: int) -> Strip:
        base = self._base
        if index < len(self._head):
            text, component = self._head[index]
            # not partial: the theme's text colours are "auto" and must be worked out against
            # this widget's background
            style = self.get_component_rich_style(component) if component else base
            return Strip([Segment(text, style)])
        index -= len(self._head)
        if self.article is None or index >= len(self._starts):
            return Strip.blank(0, base)
        start, end = self._starts[index], self._ends[index]
        return Strip(self._segments(start, end, base))

    def _segments(self, start: int, end: int, base: Style) -> list[Segment]:
        """The styled pieces of text[start:end]: plain text, never markup."""
        assert self.article is not None
        text = safe_text(self.article.text[start:end]).replace("\t", " ")
        if len(text) != end - start:  # stored text is already safe; never misalign the marks
            return [Segment(text, base)]
        marks: list[tuple[int, int, Style]] = []
        partial = self.get_component_rich_style
        first = bisect_right(self._mention_ends, start)
        for mention in self._mentions[first:]:
            if mention.start >= end:
                break
            style = partial(_LABEL_CLASS.get(mention.label, "article-view--meta"), partial=True)
            if self.entity is not None and mention.entity == self.entity:
                style += partial("article-view--selected", partial=True)
            marks.append((mention.start, mention.end, style))
        first = bisect_right(self._hit_ends, start)
        for hit_start, hit_end in self._hits[first:]:
            if hit_start >= end:
                break
            marks.append((hit_start, hit_end, partial("article-view--hit", partial=True)))
        if self._cursor is not None and self._cursor[0] < end and self._cursor[1] > start:
            marks.append((*self._cursor, partial("article-view--cursor", partial=True)))
        if not marks:
            return [Segment(text, base)]
        cuts = {start, end}
        for mark_start, mark_end, _ in marks:
            cuts.add(min(max(mark_start, start), end))
            cuts.add(min(max(mark_end, start), end))
        points = sorted(cuts)
        segments = []
        for left, right in zip(points, points[1:]):
            style = base
            for mark_start, mark_end, mark_style in marks:
                if mark_start <= left and right <= mark_end:
                    style += mark_style
            segments.append(Segment(text[left - start : right - start], style))
        return segments
