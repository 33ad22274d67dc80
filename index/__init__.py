"""Provides reader's library: import, entities, cross-references and search, with no UI.

Everything a caller needs is named in ``__all__``; nothing here returns Whoosh or spaCy objects.
"""

from typing import TYPE_CHECKING

from index.errors import (
    BadInput,
    LibraryBusy,
    LibraryDamaged,
    LibraryError,
    ModelMissing,
    NotFound,
    QueryError,
    ReaderError,
)
from index.library import Library
from index.upkeep import explain_error
from index.models import (
    DOSSIER_BUDGET,
    ENTITY_LABELS,
    AddReport,
    Article,
    ArticleSummary,
    Brief,
    CheckReport,
    Cooccurrence,
    CrossRef,
    Decision,
    Dossier,
    Entity,
    EntitySummary,
    Facet,
    Facets,
    Hit,
    Link,
    Mention,
    Period,
    Pin,
    Pinned,
    Quote,
    Role,
    SearchResult,
    Source,
    Span,
    Stats,
    Why,
)
from index.safe import openable_url, safe_line, safe_text

if TYPE_CHECKING:  # pragma: no cover
    from index.analysis import sparkline
    from index.render import dossier_json, render_dossier, render_json, render_markdown

#: Names imported on first use: a one-shot command (``reader search``) never loads the analysis.
_LAZY = {
    "sparkline": "index.analysis",
    "dossier_json": "index.render",
    "render_dossier": "index.render",
    "render_json": "index.render",
    "render_markdown": "index.render",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'index' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def query_help() -> str:
    """The query syntax help page (plain text), shown by ``reader help-query`` and the help
    screen alike."""
    from index.words import DATA

    return (DATA / "query-help.txt").read_text(encoding="utf-8")


__all__ = [
    "DOSSIER_BUDGET",
    "ENTITY_LABELS",
    "AddReport",
    "Article",
    "ArticleSummary",
    "BadInput",
    "Brief",
    "CheckReport",
    "Cooccurrence",
    "CrossRef",
    "Decision",
    "Dossier",
    "Entity",
    "EntitySummary",
    "Facet",
    "Facets",
    "Hit",
    "Link",
    "Library",
    "explain_error",
    "LibraryBusy",
    "LibraryDamaged",
    "LibraryError",
    "Mention",
    "ModelMissing",
    "NotFound",
    "Period",
    "Pin",
    "Pinned",
    "QueryError",
    "Quote",
    "ReaderError",
    "Role",
    "SearchResult",
    "Source",
    "Span",
    "Stats",
    "Why",
    "dossier_json",
    "openable_url",
    "query_help",
    "render_dossier",
    "render_json",
    "render_markdown",
    "safe_line",
    "safe_text",
    "sparkline",
]
