"""Provides CrossRefPanel: what the other articles say about the selected entity.

With no entity selected it lists the open article's entities by type. Every string from the
library goes in as Content (literal text, never markup).
"""

from __future__ import annotations

from itertools import groupby

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content, Span
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from index import ENTITY_LABELS, CrossRef, Entity, safe_line
from reader.widgets.colours import LABEL_NAMES, label_variable


def when(date: str | None) -> str:
    return (date or "")[:10]


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class CrossRefList(OptionList):
    """The panel's list; ``j``/``k`` move like everywhere else."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="panel.down"),
        Binding("k", "cursor_up", "Up", show=False, id="panel.up"),
        Binding("enter", "select", "Open", id="panel.open"),
        Binding("escape", "screen.focus_article", "Article", id="panel.leave"),
    ]


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

    def compose(self) -> ComposeResult:
        yield Static(Content("Cross-references"), id="xref-head", markup=False)
        yield CrossRefList(id="xref-list", markup=False)

    @property
    def list(self) -> CrossRefList:
        return self.query_one(CrossRefList)

    def _head(self, content: Content) -> None:
        self.query_one("#xref-head", Static).update(content)

    def show_message(self, text: str) -> None:
        """A line in place of the content (loading, errors, nothing open)."""
        self.entity, self.crossrefs, self.entities = None, [], []
        self._head(Content.styled("Cross-references", "bold"))
        self.list.set_options([Option(Content(safe_line(text)), disabled=True)])

    def show_entity(self, entity: Entity, crossrefs: list[CrossRef]) -> None:
        """The selected entity: who it is, how often it is mentioned, and where else."""
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
        self._head(Content.assemble(*parts))
        options: list[Option | None] = []
        for index, crossref in enumerate(crossrefs):
            if options:
                options.append(None)
            options.append(Option(self._crossref_prompt(crossref, colour), id=f"x{index}"))
        if not crossrefs:
            options.append(Option(Content(f"No other article mentions {name}."), disabled=True))
        self.list.set_options(options)
        self.list.highlighted = 0 if crossrefs else None

    @staticmethod
    def _crossref_prompt(crossref: CrossRef, colour: str) -> Content:
        summary = crossref.article
        title = Content.styled(safe_line(summary.title) or "(untitled)", "bold")
        facts = [safe_line(summary.source), when(summary.date)]
        if crossref.mentions > 1:
            facts.append(plural(crossref.mentions, "mention"))
        meta = Content.styled(" · ".join(fact for fact in facts if fact), "dim")
        sentence = safe_line(crossref.sentence)
        spans: list[Span] = []
        if sentence == crossref.sentence and 0 <= crossref.mark.start < crossref.mark.end <= len(
            sentence
        ):
            spans.append(Span(crossref.mark.start, crossref.mark.end, f"bold underline {colour}"))
        quote = Content(sentence, spans)
        return Content.assemble(title, "\n", meta, "\n", quote)

    def show_entities(self, entities: list[Entity]) -> None:
        """No entity selected: the open article's entities, grouped by type, most mentioned first."""
        self.entity, self.crossrefs, self.entities = None, [], entities
        self.filled += 1
        self._head(
            Content.assemble(
                Content.styled("Entities in this article", "bold"),
                Content.styled("\nenter selects · ] next mention · e filter", "dim"),
            )
        )
        order = {label: index for index, label in enumerate(ENTITY_LABELS)}
        ranked = sorted(entities, key=lambda e: (order.get(e.label, 99), -e.mentions, e.name))
        options: list[Option | None] = []
        for label, group in groupby(ranked, key=lambda e: e.label):
            members = list(group)
            colour = label_variable(label)
            options.append(
                Option(
                    Content.styled(f"{label} · {LABEL_NAMES.get(label, '')}", f"bold {colour}"),
                    disabled=True,
                )
            )
            for entity in members:
                prompt = Content.assemble(
                    Content.styled(safe_line(entity.name), colour),
                    Content.styled(f"  {entity.mentions}", "dim"),
                )
                options.append(Option(prompt, id=f"e{self.entities.index(entity)}"))
        if not entities:
            options.append(Option(Content("No entities found in this article."), disabled=True))
        self.list.set_options(options)
        first = next((i for i, o in enumerate(options) if o and not o.disabled), None)
        self.list.highlighted = first

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith("x"):
            self.post_message(self.CrossRefChosen(self.crossrefs[int(option_id[1:])]))
        elif option_id.startswith("e"):
            self.post_message(self.EntityChosen(self.entities[int(option_id[1:])].id))
