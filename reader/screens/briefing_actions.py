"""Provides BriefingActions: the main screen's dossier, pin, briefing and export actions.

A base class of MainScreen, so the main screen's file stays about the library, the article
and the panel. The bindings that call these are declared with the widgets they act on (``d``
and ``p`` in the article, ``d`` in the panel) and on the main screen (``P``, ``ctrl+e``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.screen import Screen

from index import Library, ReaderError, safe_line
from reader.dialogs.export_dialog import ExportDialog
from reader.messages import LibraryFailed
from reader.screens.briefing_screen import BriefingScreen
from reader.screens.dossier_screen import DossierScreen
from reader.screens.navigation import Destination

if TYPE_CHECKING:  # pragma: no cover
    from reader.widgets.article_view import ArticleView
    from reader.widgets.crossref_panel import CrossRefPanel

#: Characters of a pinned passage shown in the "Pinned: …" notification.
SHOWN = 90


class BriefingActions(Screen[None]):
    """The base of MainScreen; uses its library, article view, panel and ``_open``."""

    class PinAdded(Message):
        """A passage was pinned to the briefing (``p``), or ``already`` was."""

        def __init__(self, passage: str, already: bool = False) -> None:
            super().__init__()
            self.passage = passage
            self.already = already

    if TYPE_CHECKING:  # provided by MainScreen
        library: Library
        view: ArticleView
        panel: CrossRefPanel

        def _open(
            self,
            article_id: str,
            *,
            entity: str | None = None,
            cursor: int | None = None,
            scroll_y: int | None = None,
            push: bool = True,
            focus: bool = False,
        ) -> None: ...

        def _status(self, text: str) -> None: ...

    def action_dossier(self, entity: str | None = None) -> None:
        """``d``: the dossier of the selected entity (in the panel: the one it is about or the
        one highlighted)."""
        if entity is None:
            if self.panel.listing.has_focus:
                entity = self.panel.highlighted_entity()
            else:
                entity = self.view.entity
        if entity is None:
            self._status("Select an entity first (] or e), then d opens its dossier.")
            return
        self.app.push_screen(DossierScreen(self.library, entity), self._go)

    def action_pin(self) -> None:
        """``p``: pin the sentence at the cursor (or at the top of the article shown)."""
        article, offset = self.view.article, self.view.reading_offset()
        if article is None or offset is None:
            self._status("Open an article first; p pins the sentence at the cursor.")
            return
        self._pin_sentence(article.id, offset)

    def action_briefing(self) -> None:
        """``P``: the briefing (the pinned passages)."""
        self.app.push_screen(BriefingScreen(self.library), self._go)

    def action_export_brief(self) -> None:
        """``ctrl+e``: write the briefing to a Markdown file."""

        def written(path: Path | None) -> None:
            if path is not None:
                self.notify(f"Briefing written to {path}", markup=False)

        self.app.push_screen(ExportDialog(self.library), written)

    def _go(self, destination: Destination | None) -> None:
        """Back from a dossier or the briefing: open the article it points at, if any."""
        if destination is not None:
            self._open(
                destination.article_id,
                entity=destination.entity,
                cursor=destination.cursor,
                focus=True,
            )

    def on_briefing_actions_pin_added(self, message: PinAdded) -> None:
        passage = safe_line(message.passage)
        if len(passage) > SHOWN:
            passage = passage[: SHOWN - 1] + "…"
        said = "Already pinned" if message.already else "Pinned"
        self.notify(f"{said}: {passage}", markup=False, timeout=4)

    @work(thread=True, group="pin")
    def _pin_sentence(self, article_id: str, offset: int) -> None:
        try:
            span = self.library.sentence_at(article_id, offset)
            for pinned in self.library.pins():  # p twice in one sentence pins it once
                inside = span.start <= pinned.start < pinned.end <= span.end
                if pinned.article == article_id and inside:
                    self.post_message(self.PinAdded(pinned.passage, already=True))
                    return
            pinned = self.library.pin(article_id, span.start, span.end)
        except ReaderError as error:
            reason = safe_line(error) or type(error).__name__
            self.post_message(LibraryFailed("Could not pin it", reason))
            return
        self.post_message(self.PinAdded(pinned.passage))


def briefing_help() -> list[tuple[str, list]]:
    """The help screen's sections for the dossier, the briefing and their dialogs."""
    from reader.dialogs.confirm_dialog import ConfirmDialog
    from reader.dialogs.note_dialog import NoteDialog
    from reader.widgets.item_list import ItemList

    return [
        ("Dossier (d)", list(DossierScreen.BINDINGS)),
        ("Briefing (P)", list(BriefingScreen.BINDINGS)),
        ("Dossier and briefing lists", list(ItemList.BINDINGS)),
        (
            "Export, note and confirm dialogs",
            [*ExportDialog.BINDINGS, *NoteDialog.BINDINGS, *ConfirmDialog.BINDINGS],
        ),
    ]
