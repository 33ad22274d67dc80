"""Provides the plain, frozen dataclasses index/ hands to its callers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

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
    lang: str = ""  # ISO 639-1 code found by the importer ("en", "ja"); "" when unknown


@dataclass
class ReadResult:
    """What one file gave: its articles, and the records inside it that failed."""

    docs: list[RawDoc]
    errors: list[tuple[str, str]]  # ("line 417", "invalid JSON: ..."), ("line 500", "no text")
    warnings: list[str] = field(default_factory=list)  # whole-file notes (feed encoding, ...)


#: Seconds a dossier may spend parsing when opened (model loading included); what is left is
#: analysed by the next call, or by a call with ``budget=None`` from a background worker.
DOSSIER_BUDGET = 0.75

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
    lang: str = ""  # ISO 639-1 code of the text ("en", "ja"); "" when unknown


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
    lang: str = ""  # ISO 639-1 code of the text ("en", "ja"); "" when unknown

    def summary(self) -> ArticleSummary:
        return ArticleSummary(self.id, self.title, self.source, self.date, self.author, self.lang)


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
class Link:
    """One way an entity is written, and why it belongs to the entity."""

    form: str  # the text as articles write it
    mentions: int
    reason: str  # "the entity's name", "acronym defined in reuters-123", "your merge", ...


@dataclass(frozen=True)
class EntitySummary:
    """One line of the entity browser: an entity, how much the library names it, and when."""

    id: str
    name: str
    label: str
    mentions: int
    articles: int
    first: str | None  # the date of the first dated article naming it
    last: str | None


@dataclass(frozen=True)
class Facet:
    """One value of a facet and how many of the results have it."""

    value: str
    count: int


@dataclass(frozen=True)
class Facets:
    """What the results of a query are about: top people, organisations, places and sources,
    and a histogram of their dates (months, or days when they span under two months)."""

    query: str
    total: int
    people: tuple[Facet, ...]
    organisations: tuple[Facet, ...]
    places: tuple[Facet, ...]
    sources: tuple[Facet, ...]
    dates: tuple[Facet, ...]
    undated: int = 0


@dataclass(frozen=True)
class Decision:
    """One of the user's corrections, as ``reader decisions`` lists it (``reader undo ID``)."""

    id: int
    kind: str  # merge, split, ignore, ignore-here, detach, rename, relabel
    subject: str  # the name it is about, as the articles write it
    detail: str  # "into Huang Ming", "in reuters-359", "named ...", "labelled ORG"
    made: str  # when, ISO 8601 UTC


@dataclass(frozen=True)
class Why:
    """An entity's forms with the evidence that joined each (``reader why``)."""

    entity: Entity
    links: tuple[Link, ...]


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
    copies: tuple[str, ...] = ()  # ids of other hits with the same story (near-identical text)


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
    kept: int = 0  # articles their changed files no longer hold: kept (never removed by an add)
    removed: tuple[str, ...] = ()  # the same, removed because the caller asked (``prune``)
    skips: dict[str, int] = field(default_factory=dict)  # why paths were skipped -> how many
    passed_over: tuple[tuple[str, str], ...] = ()  # (path, why) for skips worth naming


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
    advice: str = ""  # what to do next, when it is not `reader check --repair` alone
    salvaged: tuple[str, ...] = ()  # a damaged database's repair: what was saved and lost

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


# --- dossiers and briefs --------------------------------------------------------------------------
@dataclass(frozen=True)
class Role:
    """A role or title an article gives an entity: ``text == article_text[start:end]``."""

    text: str  # e.g. "Chinese Foreign Minister"
    article: str  # the article id
    start: int
    end: int
    entity: str = ""  # the entity id the role belongs to
    articles: tuple[str, ...] = ()  # in a dossier: every article giving it, newest first

    @property
    def count(self) -> int:
        """How many articles give this role (1 outside a dossier)."""
        return max(1, len(self.articles))


@dataclass(frozen=True)
class Quote:
    """A direct quotation with its speaker: ``text == article_text[start:end]``."""

    text: str  # the quoted words, without the quotation marks or a trailing comma
    speaker: str  # the speaker as cued: "Wang", "the ministry", "he"
    article: str
    start: int
    end: int
    cue: str  # the cue verb phrase: "said", "quoted as saying", "according to"
    entity: str = ""  # the entity the speaker resolves to; "" when no mention stands for it
    speaker_start: int = -1  # the cue's speaker in the article text
    speaker_end: int = -1


class Cooccurrence(NamedTuple):
    """Another entity seen with the dossier's entity."""

    entity: Entity
    sentences: int  # sentences both appear in
    articles: int  # articles both appear in


class Period(NamedTuple):
    """One bar of a timeline: mentions in the articles dated in ``period``."""

    period: str  # "2015", "2015-08" or "2015-08-04"
    mentions: int


@dataclass(frozen=True)
class Dossier:
    """Everything the dossier screen and the briefing show about an entity; the Library fills it."""

    entity: Entity
    first_seen: str | None = None  # ISO date of the earliest dated article; None when none is dated
    last_seen: str | None = None
    roles: tuple[Role, ...] = ()
    quotes: tuple[Quote, ...] = ()
    cooccurring: tuple[Cooccurrence, ...] = ()  # ranked, most shared first
    timeline: tuple[Period, ...] = ()  # mentions by article date, oldest first, gaps as zeros
    undated: int = 0  # mentions in articles with no date: counted apart, never given one
    articles: tuple[ArticleSummary, ...] = ()  # newest first
    analysed: int = 0  # articles whose roles and quotes are in; the rest wait for the parser
    of: int = 0  # articles that mention the entity (analysed == of: the dossier is complete)


@dataclass(frozen=True)
class Source:
    """One article the briefing cites."""

    article: str  # the article id, as in Role.article, Quote.article and Pin.article
    title: str
    source: str = ""  # "Reuters", "South China Morning Post"
    date: str | None = None
    path: str = ""  # the file it was imported from: kept, never printed as the citation
    url: str = ""
    also: tuple[str, ...] = ()  # ids of copies of the same story (wire re-sends) cited as this one

    @classmethod
    def of(cls, article: Article | ArticleSummary) -> Source:
        return cls(
            article.id,
            article.title,
            article.source,
            article.date,
            getattr(article, "path", ""),
            getattr(article, "url", ""),
        )


@dataclass(frozen=True)
class Pin:
    """A passage the user pinned, with the note they wrote."""

    passage: str
    article: str
    start: int = 0  # the passage's offsets in the article text
    end: int = 0
    note: str = ""


@dataclass(frozen=True)
class Pinned:
    """A pinned passage as stored. The passage and its citation are copies taken when it was
    pinned, so a pin outlives its article's re-import or removal."""

    id: int
    article: str  # the article id
    start: int  # the passage's offsets in the article text when pinned
    end: int
    passage: str
    note: str = ""
    made: str = ""  # when it was pinned, ISO 8601 UTC
    source: Source | None = None  # title, source, date, path and URL of the article

    def pin(self) -> Pin:
        """The pin as the briefing renders it."""
        return Pin(self.passage, self.article, self.start, self.end, self.note)


@dataclass(frozen=True)
class Brief:
    """What a briefing holds; sources are numbered in the order the document first cites them."""

    title: str
    made: date
    dossiers: tuple[Dossier, ...] = ()
    pins: tuple[Pin, ...] = ()
    sources: tuple[Source, ...] = ()  # every cited article; uncited ones are listed last
