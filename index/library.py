"""Provides Library: the one object callers use to import, read, search and resolve entities."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from index.models import (
    AddReport,
    Article,
    ArticleSummary,
    CheckReport,
    CrossRef,
    Entity,
    Mention,
    SearchResult,
    Stats,
)

#: progress(done, total, label) is called from the importing thread; total may grow.
Progress = Callable[[int, int, str], None]


class Library:
    """A library folder: ``library.db`` (SQLite, the source of truth) and ``index/`` (Whoosh).

    Reading never imports spaCy. Every method is safe to call from a worker thread; each thread
    gets its own SQLite connection.
    """

    def __init__(self, path: Path, *, create: bool = True, readonly: bool = False) -> None:
        raise NotImplementedError

    # --- lifecycle -------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path, *, create: bool = True, readonly: bool = False) -> Library:
        """Open (and by default create) the library at ``path``."""
        return cls(path, create=create, readonly=readonly)

    def close(self) -> None: ...

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- import ----------------------------------------------------------------------------
    def add(
        self, paths: Iterable[Path], *, jobs: int | None = None, progress: Progress | None = None
    ) -> AddReport:
        """Import files and folders; unchanged files do no work; failures are reported, not raised."""
        raise NotImplementedError

    def remove(self, article_id: str) -> None:
        """Remove one article (raises NotFound)."""
        raise NotImplementedError

    # --- reading ---------------------------------------------------------------------------
    def count(self) -> int:
        raise NotImplementedError

    def articles(self, *, offset: int = 0, limit: int = 100, order: str = "date") -> list[ArticleSummary]:
        """A page of the library, newest first (``order="date"``) or by title."""
        raise NotImplementedError

    def article(self, article_id: str) -> Article:
        raise NotImplementedError

    def export(self) -> Iterator[Article]:
        raise NotImplementedError

    def stats(self) -> Stats:
        raise NotImplementedError

    # --- entities --------------------------------------------------------------------------
    def entities(
        self, *, label: str | None = None, article: str | None = None, limit: int | None = None
    ) -> list[Entity]:
        """Entities, most-mentioned first; with ``article``, counts are within that article."""
        raise NotImplementedError

    def entity(self, name: str) -> Entity:
        """The entity with this id, name or alias (any case); raises NotFound."""
        raise NotImplementedError

    def mentions(self, *, entity: str | None = None, article: str | None = None) -> list[Mention]:
        """Mentions in reading order (article, then offset)."""
        raise NotImplementedError

    def crossrefs(
        self, entity: str, *, exclude: str | None = None, limit: int = 20
    ) -> list[CrossRef]:
        """Other articles that mention ``entity``, each with the sentence of its first mention."""
        raise NotImplementedError

    def merge(self, a: str, b: str) -> Entity:
        """Make ``b`` the same entity as ``a`` (a user decision that survives re-imports)."""
        raise NotImplementedError

    def split(self, entity: str) -> list[Entity]:
        """Undo the user's merges into ``entity``; returns the entities it splits into."""
        raise NotImplementedError

    def ignore(self, name: str) -> int:
        """Mark a name as "not an entity" everywhere; returns how many mentions it hid."""
        raise NotImplementedError

    # --- search ----------------------------------------------------------------------------
    def search(
        self, query: str, *, limit: int = 20, sort: str = "relevance", aliases: bool = True
    ) -> SearchResult:
        """Full-text search; raises QueryError with a one-line message on a malformed query."""
        raise NotImplementedError

    # --- upkeep ----------------------------------------------------------------------------
    def check(self, *, repair: bool = False) -> CheckReport:
        """Compare the store and the index; with ``repair``, re-index and clean up."""
        raise NotImplementedError
