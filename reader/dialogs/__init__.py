"""Provides reader's modal dialogs."""

from reader.dialogs.entity_dialog import EntityDialog

__all__ = ["EntityDialog"]
