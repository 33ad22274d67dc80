"""Provides the plain, frozen dataclasses index/ hands to its callers."""

from __future__ import annotations

from dataclasses import dataclass, field

# --- import records ----------------------------------------------------------------------------


@dataclass
class RawDoc:
    """One article as read from a file, before it is stored."""

    title: str = ""
    text: str = ""  # body text, paragraphs separated by "\n\n" (or "\n"); never the title
    id: str | None = None  # JSON "id" (as str), feed entry id/guid; None otherwise
    source: str = ""  # publication/agency, e.g. "Reuters", "South China Morning Post"
    date: str | None = None  # ISO 8601 (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[+TZ]); None when unknown
    author: str = ""
    url: str = ""
    place: str = ""  # dateline place, e.g. "BEIJING"
    meta: dict = field(default_factory=dict)  # everything else worth keeping (JSON-serialisable)


@dataclass
class ReadResult:
    """What one file gave: its articles, and the records inside it that failed."""

    docs: list[RawDoc]
    errors: list[tuple[str, str]]  # ("line 417", "invalid JSON: ..."), ("line 500", "no text")
    warnings: list[str] = field(default_factory=list)  # whole-file notes (feed encoding, ...)


#: Entity types a reader can jump between; dates and numbers are not entities.
ENTITY_LABELS: tuple[str, ...] = (
    "PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART",
)


@dataclass(frozen=True)
class ArticleSummary:
    """One row of the library list: enough to show and open an article, no text."""

    id: str
    title: str
    source: str = ""
    date: str | None = None  # ISO 8601 (YYYY-MM-DD or full timestamp); None when unknown
    author: str = ""


@dataclass(frozen=True)
class Article:
    """An article as stored: clean text, its metadata and where it came from."""

    id: str
    title: str
    text: str
    source: str = ""
    date: str | None = None
    author: str = ""
    url: str = ""
    path: str = ""
    place: str = ""  # from the dateline, e.g. "BEIJING"
    meta: dict[str, object] = field(default_factory=dict, hash=False, compare=False)

    def summary(self) -> ArticleSummary:
        return ArticleSummary(self.id, self.title, self.source, self.date, self.author)


@dataclass(frozen=True)
class Mention:
    """One occurrence of an entity: ``text == article.text[start:end]``."""

    doc: str  # the article id
    start: int
    end: int
    text: str
    entity: str  # entity id
    name: str  # the entity's display name
    label: str  # the entity's label (decided by all its mentions)
    sent_start: int = 0
    sent_end: int = 0


@dataclass(frozen=True)
class Entity:
    """One real-world thing behind many mentions."""

    id: str
    name: str
    label: str
    aliases: tuple[str, ...] = ()  # other surface names, most frequent first
    mentions: int = 0
    articles: int = 0


@dataclass(frozen=True)
class Span:
    """A highlighted stretch of a snippet or sentence: ``text[start:end]``."""

    start: int
    end: int


@dataclass(frozen=True)
class Hit:
    """One search result."""

    id: str
    title: str
    source: str
    date: str | None
    score: float
    snippet: str
    highlights: tuple[Span, ...] = ()  # spans of snippet to mark
    terms: tuple[str, ...] = ()  # the matched words, to mark hits in the opened article


@dataclass(frozen=True)
class SearchResult:
    """Hits for one query, with the names searched on the user's behalf."""

    query: str
    hits: tuple[Hit, ...]
    total: int
    also_searched: tuple[str, ...] = ()  # other names of entities the query named


@dataclass(frozen=True)
class CrossRef:
    """Another article that mentions an entity, with the sentence around the mention."""

    article: ArticleSummary
    sentence: str
    mark: Span  # the mention inside ``sentence``
    start: int  # the mention's offsets in the article text
    end: int
    mentions: int = 1  # how many times that article mentions the entity


@dataclass(frozen=True)
class AddReport:
    """What one import did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # hidden files and unknown extensions
    duplicates: int = 0  # the same article already in the library from another file
    failed: tuple[tuple[str, str], ...] = ()  # (file, reason)


@dataclass(frozen=True)
class CheckReport:
    """What ``check`` found in the store and the index, and what it repaired."""

    articles: int
    mentions: int
    entities: int
    indexed: int  # documents in the search index
    missing: int  # articles the index lacks
    orphans: int  # index documents with no article
    leftovers: int  # stray files in the index folder
    integrity: str  # SQLite's integrity_check answer
    rebuilt: bool = False
    repaired: bool = False
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Stats:
    """Counts for the header and ``reader stats``."""

    articles: int
    entities: int
    mentions: int
    by_label: dict[str, int] = field(default_factory=dict, hash=False, compare=False)
    sources: dict[str, int] = field(default_factory=dict, hash=False, compare=False)
    first_date: str | None = None
    last_date: str | None = None
