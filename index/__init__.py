"""Provides reader's library: import, entities, cross-references and search, with no UI.

Everything a caller needs is named in ``__all__``; nothing here returns Whoosh or spaCy objects.
"""

from index.errors import (
    BadInput,
    LibraryBusy,
    LibraryError,
    ModelMissing,
    NotFound,
    QueryError,
    ReaderError,
)
from index.library import Library
from index.models import (
    ENTITY_LABELS,
    AddReport,
    Article,
    ArticleSummary,
    CheckReport,
    CrossRef,
    Entity,
    Hit,
    Mention,
    SearchResult,
    Span,
    Stats,
)
from index.safe import safe_line, safe_text


def query_help() -> str:
    """The query syntax help page (plain text)."""
    from pathlib import Path

    page = Path(__file__).parent / "data" / "query-help.txt"
    return page.read_text(encoding="utf-8") if page.exists() else ""


__all__ = [
    "ENTITY_LABELS",
    "AddReport",
    "Article",
    "ArticleSummary",
    "BadInput",
    "CheckReport",
    "CrossRef",
    "Entity",
    "Hit",
    "Library",
    "LibraryBusy",
    "LibraryError",
    "Mention",
    "ModelMissing",
    "NotFound",
    "QueryError",
    "ReaderError",
    "SearchResult",
    "Span",
    "Stats",
    "query_help",
    "safe_line",
    "safe_text",
]
