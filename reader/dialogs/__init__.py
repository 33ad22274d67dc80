"""Provides reader's modal dialogs."""

from reader.dialogs.confirm_dialog import ConfirmDialog
from reader.dialogs.entity_dialog import EntityDialog
from reader.dialogs.export_dialog import ExportDialog
from reader.dialogs.note_dialog import NoteDialog

__all__ = ["ConfirmDialog", "EntityDialog", "ExportDialog", "NoteDialog"]
