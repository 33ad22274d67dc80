"""Provides the app-wide messages: workers report results with these, widgets ask with these.

Workers never touch widgets; they post one of these and the screen decides. Results carry the
generation number of the request that made them, so an older answer never overwrites a newer one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.message import Message

from index import (
    Article,
    ArticleSummary,
    CrossRef,
    Entity,
    Mention,
    SearchResult,
    Stats,
)


@dataclass
class LibraryLoaded(Message):
    """The library's counts, for the header and the list (first thing after start)."""

    stats: Stats
    count: int
    #: Library.version() when the counts were read: the poll compares with it.
    version: object = None


@dataclass
class LibraryChanged(Message):
    """Another process (or this one) added, removed or relinked articles since the last look."""

    version: object


@dataclass
class LibraryReopened(Message):
    """The library on disk was replaced (a restore) or its search index deleted; it was opened
    again. ``text`` says what happened, in one line."""

    text: str
    version: object


@dataclass
class LibraryReloaded(Message):
    """The library's counts again, and where the selected article now is in the list."""

    stats: Stats
    selected: str | None
    position: int | None
    version: object
    quiet: bool  # the poll asked, not the reader
    announce: bool = False  # an import elsewhere has finished: say how many are new


@dataclass
class LibraryChecked(Message):
    """What the start-up check found or fixed, in one plain line for a notification."""

    severity: str
    text: str


@dataclass
class RowsLoaded(Message):
    """A page of the library list arrived."""

    generation: int
    offset: int
    rows: list[ArticleSummary]


@dataclass
class SearchDone(Message):
    """A search finished; ``error`` is a one-line message when the query could not be run."""

    generation: int
    query: str
    result: SearchResult | None
    error: str = ""


@dataclass
class ArticleLoaded(Message):
    """An article and its mentions are ready to show.

    ``entity``, ``cursor`` (a text offset) and ``scroll_y`` say where to put the reader: they
    come from the place that asked for the article (a cross-reference, back, ``>``).
    """

    generation: int
    article: Article
    mentions: list[Mention]
    hits: list[tuple[int, int]]
    entity: str | None = None
    cursor: int | None = None
    scroll_y: int | None = None
    push: bool = True
    focus: bool = False
    #: With no entity selected, the article's entities for the panel, fetched with the article
    #: so both show in one frame (an entity's cross-references follow as CrossRefsLoaded).
    entities: list[Entity] | None = None
    #: Said on the status line with the article (``>``: "article 3 of 7 naming it").
    note: str = ""


@dataclass
class CrossRefsLoaded(Message):
    """The cross-reference panel's content for the selected entity."""

    generation: int
    entity: Entity
    crossrefs: list[CrossRef]
    evidence: str = ""  # why its forms are one entity ("GM: acronym defined in reuters-16242")


@dataclass
class ArticleEntitiesLoaded(Message):
    """The current article's entities, for the panel with no entity selected."""

    generation: int
    article_id: str
    entities: list[Entity]


@dataclass
class EntityListReady(Message):
    """The article's entities for the entity dialog."""

    entities: list[Entity]


@dataclass
class LibraryFailed(Message):
    """An index call failed with a readable one-line reason."""

    what: str
    reason: str


@dataclass
class DemoReady(Message):
    """The demo library is built and open."""

    library: object = field(default=None)


@dataclass
class Corrected(Message):
    """A correction of the entity graph was made (or undone): every view shows the new graph.

    ``entity`` is the entity to select afterwards (None: none), ``text`` what to tell the user.
    """

    text: str
    entity: str | None = None
    error: bool = False


@dataclass
class EntitiesForFinder(Message):
    """Every entity of the library, for the "merge into" / "detach into" finder."""

    purpose: str  # "merge" or "detach"
    entities: list = field(default_factory=list)


@dataclass
class FacetsLoaded(Message):
    """The facets of the search numbered ``generation`` (None and ``error`` when it failed)."""

    generation: int
    facets: object = None
    error: str = ""
