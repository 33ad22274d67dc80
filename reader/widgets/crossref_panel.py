"""Provides CrossRefPanel: what the other articles say about the selected entity.

With no entity selected it lists the open article's entities by type. Every string from the
library goes in as Content (literal text, never markup).
"""

from __future__ import annotations

from itertools import groupby

from rich.cells import cell_len
from rich.segment import Segment
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.cache import LRUCache
from textual.containers import Vertical
from textual.content import Content, Span
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from index import ENTITY_LABELS, CrossRef, Entity, safe_line, safe_text
from reader.widgets.colours import LABEL_NAMES, label_variable
from reader.wording import plural


#: The correction keys (reader.screens.correction_actions), under the evidence line.
CORRECTION_KEYS = "m merge · t detach · S split · R rename · L type · i/I ignore · u undo"


def when(date: str | None) -> str:
    return (date or "")[:10]


class CrossRefList(ScrollView, can_focus=True):
    """The panel's list: items of a few lines each, painted line by line.

    Filling it never lays out the screen again (unlike OptionList), so the panel can change
    with every keypress in the article.
    """

    COMPONENT_CLASSES = {"crossref-list--highlight", "crossref-list--highlight-blurred"}

    BINDINGS = [
        Binding("j,down", "move(1)", "Down", show=False, id="panel.down"),
        Binding("k,up", "move(-1)", "Up", show=False, id="panel.up"),
        Binding("enter", "select", "Open", id="panel.open"),
        Binding("d", "screen.dossier", "Dossier", id="panel.dossier"),
        Binding("escape", "screen.focus_article", "Article", id="panel.leave"),
    ]

    class Selected(Message):
        """The reader chose the item at ``index``."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: list[tuple[Content, bool]] = []  # (prompt, selectable)
        self.highlighted: int | None = None
        self._lines: list[tuple[int, int]] = []  # (item index or -1, line of the item)
        self._first: list[int] = []  # first line of each item
        self._width = -1
        self._spaced = False
        self._cache: LRUCache[tuple[int, int], Strip] = LRUCache(256)
        # The wrapped lines of the items, by the prompt's identity, made when first needed: an
        # item none of whose lines is too long is wrapped only when painted, and items given
        # again (a dossier's 16,523 articles at each step of its filling in) are not wrapped
        # again.
        self._wrapped: dict[int, tuple[Content, int, list[Content]]] = {}

    def set_items(self, items: list[tuple[Content, bool]], spaced: bool = False) -> None:
        """Replace the items; ``spaced`` puts a blank line between them."""
        self.items = items
        self._spaced = spaced
        self.highlighted = next((i for i, (_, ok) in enumerate(items) if ok), None)
        self._width = -1
        self._layout_lines()
        self.scroll_to(y=0, animate=False, force=True)

    def _layout_lines(self) -> None:
        width = max(4, self.scrollable_content_region.width or self.size.width)
        if width == self._width:
            return
        self._width = width
        self._cache.clear()
        lines: list[tuple[int, int]] = []
        firsts: list[int] = []
        known = self._wrapped
        self._wrapped = {}
        for index, (prompt, _) in enumerate(self.items):
            if index and self._spaced:
                lines.append((-1, 0))
            firsts.append(len(lines))
            done = known.get(id(prompt))
            if done is not None and done[0] is prompt and done[1] == width:
                self._wrapped[id(prompt)] = done
                count = len(done[2])
            else:
                count = self._fits(prompt, width - 1) or len(self._item_lines(index))
            lines.extend((index, n) for n in range(count))
        self._lines, self._first = lines, firsts
        size = Size(width, len(lines))
        if size != self.virtual_size:
            self.set_reactive(ScrollView.virtual_size, size)
            self._scroll_update(size)
        self.refresh()

    def _fits(self, prompt: Content, width: int) -> int | None:
        """How many lines the item takes when ``_wrap`` need not be asked (its lines all fit
        as they are), else None."""
        if "\n" in prompt.plain or cell_len(prompt.plain) >= width:
            return None
        return 1

    def _item_lines(self, index: int) -> list[Content]:
        """Item ``index`` wrapped to the list's width (made once per width)."""
        prompt = self.items[index][0]
        done = self._wrapped.get(id(prompt))
        if done is None or done[0] is not prompt or done[1] != self._width:
            done = (prompt, self._width, self._wrap(prompt, self._width - 1))
            self._wrapped[id(prompt)] = done
        return done[2]

    def _wrap(self, prompt: Content, width: int) -> list[Content]:
        """The display lines of one item."""
        return prompt.wrap(width)

    def on_resize(self, event: events.Resize) -> None:
        self._layout_lines()

    def on_focus(self) -> None:
        self._cache.clear()

    def on_blur(self) -> None:
        self._cache.clear()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def action_move(self, step: int) -> None:
        if self.highlighted is None:
            return
        index = self.highlighted + step
        while 0 <= index < len(self.items) and not self.items[index][1]:
            index += step
        if not 0 <= index < len(self.items):
            return
        self.highlighted = index
        self._cache.clear()
        self.refresh()
        self._reveal(index)

    def _reveal(self, index: int) -> None:
        first = self._first[index]
        last = self._first[index + 1] - 1 if index + 1 < len(self._first) else len(self._lines) - 1
        top, height = round(self.scroll_y), self.scrollable_content_region.height
        if first < top:
            self.scroll_to(y=first, animate=False, force=True)
        elif last >= top + height:
            self.scroll_to(y=min(first, last - height + 1), animate=False, force=True)

    def action_select(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Selected(self.highlighted))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        line = offset.y + round(self.scroll_y)
        if 0 <= line < len(self._lines):
            index = self._lines[line][0]
            if index >= 0 and self.items[index][1]:
                self.highlighted = index
                self._cache.clear()
                self.refresh()
                self.post_message(self.Selected(index))

    def render_line(self, y: int) -> Strip:
        line = round(self.scroll_y) + y
        width = self.scrollable_content_region.width
        key = (line, width)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._paint(line, width)
            self._cache[key] = strip
        return strip

    def _paint(self, line: int, width: int) -> Strip:
        base = self.visual_style
        rich_base = base.rich_style
        if not 0 <= line < len(self._lines):
            return Strip.blank(width, rich_base)
        index, part = self._lines[line]
        pieces = self._item_lines(index) if index >= 0 else []
        content = pieces[part] if part < len(pieces) else Content("")
        style = base
        if index >= 0 and index == self.highlighted:
            name = (
                "crossref-list--highlight" if self.has_focus else "crossref-list--highlight-blurred"
            )
            style = base + self.get_visual_style(name, partial=True)
        segments = [Segment(" ", style.rich_style), *content.render_segments(style)]
        return Strip(segments).adjust_cell_length(width, style.rich_style)


class CrossRefPanel(Vertical):
    """The right-hand pane. The screen fills it; it reports what the reader picks."""

    class CrossRefChosen(Message):
        """Open this other article at this mention."""

        def __init__(self, crossref: CrossRef) -> None:
            super().__init__()
            self.crossref = crossref

    class EntityChosen(Message):
        """Select this entity of the open article."""

        def __init__(self, entity: str) -> None:
            super().__init__()
            self.entity = entity

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entity: Entity | None = None
        self.crossrefs: list[CrossRef] = []
        self.entities: list[Entity] = []
        self.filled = 0  # how many times content arrived (benchmarks and tests watch it)
        self._item_entity: list[int | None] = []

    def compose(self) -> ComposeResult:
        yield Static(Content("Cross-references"), id="xref-head", markup=False)
        yield CrossRefList(id="xref-list")

    @property
    def listing(self) -> CrossRefList:
        return self.query_one(CrossRefList)

    def _head(self, content: Content) -> None:
        # The head has a fixed height (CSS), so a new entity repaints without a layout pass.
        self.query_one("#xref-head", Static).update(content, layout=False)

    def show_message(self, text: str) -> None:
        """A line in place of the content (loading, errors, nothing open)."""
        self.entity, self.crossrefs, self.entities = None, [], []
        self._head(Content.styled("Cross-references", "bold"))
        self.listing.set_items([(Content.styled(safe_line(text), "dim"), False)])

    def show_entity(self, entity: Entity, crossrefs: list[CrossRef], evidence: str = "") -> None:
        """The selected entity: who it is, how often it is mentioned, why its names are one
        (``evidence``, from ``Library.why``), and where else."""
        self.entity, self.crossrefs, self.entities = entity, crossrefs, []
        self.filled += 1
        colour = label_variable(entity.label)
        name = safe_line(entity.name)
        parts: list[Content] = [
            Content.styled(name, f"bold {colour}"),
            Content.styled(f"\n{entity.label} · {LABEL_NAMES.get(entity.label, '')}", "dim"),
        ]
        aliases = [safe_line(alias) for alias in entity.aliases if safe_line(alias) != name]
        if aliases:
            parts.append(Content("\nalso: ") + Content(", ".join(aliases)))
        parts.append(
            Content(
                f"\n{plural(entity.mentions, 'mention')} in {plural(entity.articles, 'article')}"
            )
        )
        if evidence:
            parts.append(Content.styled(f"\nwhy: {safe_line(evidence)}", "dim"))
        parts.append(Content.styled(f"\nfix: {CORRECTION_KEYS}", "dim"))
        self._head(Content.assemble(*parts))
        items = [(self._crossref_prompt(crossref, colour), True) for crossref in crossrefs]
        if not crossrefs:
            items.append((Content.styled(f"No other article mentions {name}.", "dim"), False))
        self.listing.set_items(items, spaced=True)

    @staticmethod
    def _crossref_prompt(crossref: CrossRef, colour: str) -> Content:
        summary = crossref.article
        title = Content.styled(safe_line(summary.title) or "(untitled)", "bold")
        facts = [safe_line(summary.source), when(summary.date)]
        if crossref.mentions > 1:
            facts.append(plural(crossref.mentions, "mention"))
        meta = Content.styled(" · ".join(fact for fact in facts if fact), "dim")
        # Same length as stored, so the mark still lines up; anything odd loses the mark only.
        sentence = safe_text(crossref.sentence).replace("\n", " ").replace("\t", " ")
        spans: list[Span] = []
        mark = crossref.mark
        if len(sentence) == len(crossref.sentence) and 0 <= mark.start < mark.end <= len(sentence):
            spans.append(Span(mark.start, mark.end, f"bold underline {colour}"))
        quote = Content(sentence, spans)
        return Content.assemble(title, "\n", meta, "\n", quote)

    def show_entities(self, entities: list[Entity]) -> None:
        """No entity selected: the article's entities, grouped by type, most mentioned first."""
        self.entity, self.crossrefs, self.entities = None, [], entities
        self.filled += 1
        self._head(
            Content.assemble(
                Content.styled("Entities in this article", "bold"),
                Content.styled("\nenter selects · ] next mention · e filter", "dim"),
            )
        )
        order = {label: index for index, label in enumerate(ENTITY_LABELS)}
        ranked: list[tuple[int, Entity]] = sorted(
            enumerate(entities), key=lambda pair: (order.get(pair[1].label, 99), -pair[1].mentions)
        )
        items: list[tuple[Content, bool]] = []
        self._item_entity = []
        for label, group in groupby(ranked, key=lambda pair: pair[1].label):
            colour = label_variable(label)
            heading = Content.styled(f"{label} · {LABEL_NAMES.get(label, '')}", f"bold {colour}")
            items.append((heading, False))
            self._item_entity.append(None)
            for index, entity in group:
                prompt = Content.assemble(
                    Content.styled(safe_line(entity.name), colour),
                    Content.styled(f"  {entity.mentions}", "dim"),
                )
                items.append((prompt, True))
                self._item_entity.append(index)
        if not entities:
            items.append((Content.styled("No entities found in this article.", "dim"), False))
            self._item_entity.append(None)
        self.listing.set_items(items)

    def highlighted_entity(self) -> str | None:
        """The entity the panel is about, else the one highlighted in its list of entities."""
        if self.entity is not None:
            return self.entity.id
        index = self.listing.highlighted
        if self.entities and index is not None and index < len(self._item_entity):
            entity_index = self._item_entity[index]
            if entity_index is not None:
                return self.entities[entity_index].id
        return None

    def on_cross_ref_list_selected(self, event: CrossRefList.Selected) -> None:
        event.stop()
        if self.entity is not None:
            if event.index < len(self.crossrefs):
                self.post_message(self.CrossRefChosen(self.crossrefs[event.index]))
        elif self.entities and event.index < len(self._item_entity):
            entity_index = self._item_entity[event.index]
            if entity_index is not None:
                self.post_message(self.EntityChosen(self.entities[entity_index].id))
