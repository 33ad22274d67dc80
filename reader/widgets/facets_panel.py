"""Provides FacetsPanel: beside search results, who and what they are about and when, with
counts; enter on a value narrows the query to it, minus leaves it out."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from index import Facets, safe_line
from reader.widgets.crossref_panel import CrossRefList

BAR = 10


class FacetList(CrossRefList, inherit_bindings=False):
    """The values, one a line, under their facet's heading."""

    BINDINGS = [
        Binding("j,down", "move(1)", "Down", show=False, id="facets.down"),
        Binding("k,up", "move(-1)", "Up", show=False, id="facets.up"),
        Binding("enter", "select", "Only these", id="facets.include"),
        Binding("minus", "exclude", "Leave out", id="facets.exclude"),
        Binding("escape", "screen.focus_list", "Results", id="facets.leave"),
    ]

    class Excluded(Message):
        """Leave out the value at ``index``."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def action_exclude(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Excluded(self.highlighted))


class FacetsPanel(Vertical):
    """Filled by the screen with Facets; posts Picked with the query text to add."""

    class Picked(Message):
        """Add ``term`` to the query (``entity:"Brazil"``, ``NOT source:"Reuters"``)."""

        def __init__(self, term: str) -> None:
            super().__init__()
            self.term = term

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.facets: Facets | None = None
        self.terms: list[str | None] = []  # the query term of each item (None: a heading)

    def compose(self) -> ComposeResult:
        yield Static(Content.styled("Facets", "bold"), id="facets-head", markup=False)
        yield FacetList(id="facets-list")

    @property
    def listing(self) -> FacetList:
        return self.query_one(FacetList)

    def show(self, facets: Facets | None, note: str = "") -> None:
        self.facets = facets
        items: list[tuple[Content, bool]] = []
        self.terms = []
        if facets is None:
            items.append((Content.styled(safe_line(note), "dim"), False))
            self.terms.append(None)
        else:
            groups = (("People", "entity", facets.people),
                      ("Organisations", "entity", facets.organisations),
                      ("Places", "entity", facets.places), ("Sources", "source", facets.sources))
            for title, field, values in groups:
                if not values:
                    continue
                items.append((Content.styled(title, "bold"), False))
                self.terms.append(None)
                for f in values:
                    value = safe_line(f.value).replace('"', "")
                    items.append((Content.assemble(Content(value), Content.styled(f"  {f.count}", "dim")),
                                  True))
                    self.terms.append(f'{field}:"{value}"')
            if facets.dates:
                items.append((Content.styled("Dates", "bold"), False))
                self.terms.append(None)
                most = max(f.count for f in facets.dates)
                for f in facets.dates:
                    bar = "█" * max(1, round(BAR * f.count / most))
                    items.append((Content.assemble(Content(f"{f.value} "), Content.styled(bar, "$accent"),
                                                   Content.styled(f" {f.count}", "dim")), True))
                    self.terms.append(f"date:{f.value}")
        head = "Facets" if facets is None else f"Facets of {facets.total} results"
        self.query_one("#facets-head", Static).update(
            Content.assemble(Content.styled(head, "bold"),
                             Content.styled("  F · enter only · - leave out", "dim")), layout=False)
        self.listing.set_items(items)

    def on_cross_ref_list_selected(self, event: CrossRefList.Selected) -> None:
        event.stop()
        if 0 <= event.index < len(self.terms) and self.terms[event.index]:
            self.post_message(self.Picked(self.terms[event.index] or ""))

    def on_facet_list_excluded(self, event: FacetList.Excluded) -> None:
        event.stop()
        if 0 <= event.index < len(self.terms) and self.terms[event.index]:
            self.post_message(self.Picked(f"NOT {self.terms[event.index]}"))
