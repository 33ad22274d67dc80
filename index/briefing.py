"""Provides BriefingMixin: the Library's dossiers, pins and briefings (issue 4)."""

from __future__ import annotations


class BriefingMixin:
    """Dossier, pin and briefing methods of Library; they use its store and entity queries."""
