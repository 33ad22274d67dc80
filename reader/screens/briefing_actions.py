"""Provides BriefingActions: the main screen's dossier, pin, briefing and export actions.

The main screen holds one and its ``action_*`` methods delegate here, so the main screen's file
stays about the library, the article and the panel. The bindings that call these are declared
with the widgets they act on (``d`` and ``p`` in the article, ``d`` in the panel) and on the
main screen (``P``, ``ctrl+e``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from textual.app import App

from index import Library, safe_line
from reader.dialogs.export_dialog import ExportDialog
from reader.messages import Corrected
from reader.screens.briefing_screen import BriefingScreen
from reader.screens.dossier_screen import DossierScreen
from reader.screens.navigation import Destination
from reader.session import PinAdded, Session

if TYPE_CHECKING:  # pragma: no cover
    from reader.widgets.article_view import ArticleView
    from reader.widgets.crossref_panel import CrossRefPanel

#: Characters of a pinned passage shown in the "Pinned: …" notification.
SHOWN = 90


class BriefingHost(Protocol):
    """What the actions use of the main screen."""

    @property
    def app(self) -> App: ...

    library: Library
    session: Session

    @property
    def view(self) -> ArticleView: ...

    @property
    def panel(self) -> CrossRefPanel: ...

    def notify(self, message: str, **kwargs: object) -> None: ...

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


class BriefingActions:
    """Opens dossiers and the briefing from the main screen, pins, and exports."""

    def __init__(self, screen: BriefingHost) -> None:
        self.screen = screen

    def dossier(self, entity: str | None = None) -> None:
        """``d``: the dossier of the selected entity (in the panel: the one it is about or the
        one highlighted)."""
        screen = self.screen
        if entity is None:
            if screen.panel.listing.has_focus:
                entity = screen.panel.highlighted_entity()
            else:
                entity = screen.view.entity
        if entity is None:
            screen._status("Select an entity first (] or e), then d opens its dossier.")
            return
        dossier = DossierScreen(screen.library, entity)

        def back(destination: Destination | None) -> None:
            if dossier.corrected:  # the graph changed while the dossier was open
                screen.post_message(Corrected("", dossier.entity))
            if destination is not None:  # backspace in that article comes back here
                screen.from_dossier = (destination.article_id, dossier.entity)
            self.go(destination)

        screen.app.push_screen(dossier, back)

    def pin(self) -> None:
        """``p``: pin the sentence at the cursor (or at the top of the article shown)."""
        view = self.screen.view
        article, offset = view.article, view.reading_offset()
        if article is None or offset is None:
            self.screen._status("Open an article first; p pins the sentence at the cursor.")
            return
        self.screen.session.pin(article.id, offset)

    def briefing(self) -> None:
        """``P``: the briefing (the pinned passages)."""
        self.screen.app.push_screen(BriefingScreen(self.screen.library), self.go)

    def export_brief(self) -> None:
        """``ctrl+e``: write the briefing to a Markdown file."""

        def written(path: Path | None) -> None:
            if path is not None:
                self.screen.notify(f"Briefing written to {path}", markup=False)

        self.screen.app.push_screen(ExportDialog(self.screen.library), written)

    def go(self, destination: Destination | None) -> None:
        """Back from a dossier or the briefing: open the article it points at, if any."""
        if destination is not None:
            self.screen._open(
                destination.article_id,
                entity=destination.entity,
                cursor=destination.cursor,
                focus=True,
            )

    def pinned(self, message: PinAdded) -> None:
        """Say what was pinned (or that it was already)."""
        passage = safe_line(message.passage)
        if len(passage) > SHOWN:
            passage = passage[: SHOWN - 1] + "…"
        said = "Already pinned" if message.already else "Pinned"
        # The status line under the article, not a notice over it: the notice covered the
        # very sentence it was about.
        self.screen._status(f"{said}: {passage} (P: the briefing)")


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
