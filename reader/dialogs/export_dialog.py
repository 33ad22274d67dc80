"""Provides ExportDialog: asks for the briefing's title, whether to add the dossiers of the
people and organisations named in the pins, and where to write it; writes it in a worker, and
answers with the path it wrote."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Static
from textual.worker import get_current_worker

from index import Entity, Library, ReaderError, safe_line


def default_path(folder: Path | None = None) -> Path:
    """``briefing-YYYY-MM-DD.md`` in ``folder`` (the current directory), numbered when taken."""
    folder = folder or Path.cwd()
    stem = f"briefing-{date.today().isoformat()}"
    path = folder / f"{stem}.md"
    number = 2
    while path.exists():
        path = folder / f"{stem}-{number}.md"
        number += 1
    return path


def chosen_path(text: str, folder: Path | None = None) -> Path:
    """What the reader typed as a path: ``~`` expanded, relative to the current directory, and
    a folder gets the default file name inside it."""
    path = Path(text.strip()).expanduser()
    if not path.is_absolute():
        path = (folder or Path.cwd()) / path
    if path.is_dir():
        path = default_path(path)
    return path


#: Dossiers of pinned entities listed by name (all are added).
DOSSIERS = 8


class ExportDialog(ModalScreen[Path | None]):
    """Writes a Markdown briefing: its title, the pinned passages, the dossiers of ``entities``
    and, when ticked, of the people and organisations the pins name."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="export.cancel")]

    class Written(Message):
        """The worker finished: ``path`` written, or ``error`` (one line)."""

        def __init__(self, path: Path | None, error: str = "") -> None:
            super().__init__()
            self.path = path
            self.error = error

    class Named(Message):
        """The entities the pinned passages name (looked up in a worker)."""

        def __init__(self, entities: list[Entity]) -> None:
            super().__init__()
            self.entities = entities

    def __init__(
        self,
        library: Library,
        entities: Sequence[str] = (),
        default: Path | None = None,
        title: str = "",
    ) -> None:
        super().__init__()
        self.library = library
        self.entities = list(entities)
        self.default = default or default_path()
        self.title_default = title or "Briefing"
        self.pinned: list[Entity] = []  # the people and organisations the pins name
        self._replace: Path | None = None  # the existing file the reader agreed to replace
        self._busy = False

    def compose(self) -> ComposeResult:
        what = "the pinned passages"
        if self.entities:
            what = "the dossier and " + what
        with Vertical(id="export-dialog", classes="dialog"):
            yield Static(
                Content.assemble(
                    Content.styled("Export the briefing", "bold"),
                    Content.styled(f"\nMarkdown with {what} and their sources.", "dim"),
                ),
                markup=False,
            )
            yield Static(Content.styled("Title", "dim"), classes="export-label", markup=False)
            yield Input(value=self.title_default, id="export-title", select_on_focus=False)
            yield Checkbox(
                "Add the dossiers of the people and organisations in the pins",
                value=True,
                id="export-dossiers",
                disabled=True,
            )
            yield Static(
                Content.styled("looking for them…", "dim"), id="export-names", markup=False
            )
            yield Static(Content.styled("To", "dim"), classes="export-label", markup=False)
            yield Input(value=str(self.default), id="export-path", select_on_focus=False)
            hint = Content.styled("tab moves · enter writes · esc cancels", "dim")
            yield Static(hint, id="export-status", markup=False)

    def on_mount(self) -> None:
        self.query_one("#export-title", Input).focus()
        self._find_pinned()

    @work(thread=True, exclusive=True, group="export-pinned")
    def _find_pinned(self) -> None:
        worker = get_current_worker()
        try:
            found = self.library.pinned_entities()
        except ReaderError:
            found = []
        if not worker.is_cancelled:
            self.post_message(self.Named(found))

    def on_export_dialog_named(self, message: Named) -> None:
        self.pinned = message.entities
        box = self.query_one("#export-dossiers", Checkbox)
        names = self.query_one("#export-names", Static)
        if not self.pinned:
            box.value = False
            names.update(Content.styled("(no person or organisation is named in the pins)", "dim"))
            return
        listed = ", ".join(safe_line(e.name) for e in self.pinned[:DOSSIERS])
        more = len(self.pinned) - DOSSIERS
        if more > 0:
            listed += f" and {more} more"
        names.update(Content.styled(listed, "dim"))
        box.disabled = False

    def _status(self, text: str, style: str = "dim") -> None:
        self.query_one("#export-status", Static).update(Content.styled(safe_line(text), style))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "export-path":
            self._replace = None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._busy:
            return
        typed = self.query_one("#export-path", Input).value  # enter in either field writes
        if not typed.strip():
            self._status("Type a file name.", "$text-error")
            return
        path = chosen_path(typed)
        if path.exists() and path != self._replace:
            self._replace = path
            self._status(f"{path.name} exists: enter again to replace it.", "$text-warning")
            return
        if not path.parent.is_dir():
            self._status(f"No folder {path.parent}", "$text-error")
            return
        title = self.query_one("#export-title", Input).value.strip() or self.title_default
        entities = list(self.entities)
        box = self.query_one("#export-dossiers", Checkbox)
        if box.value and not box.disabled:
            entities += [e.id for e in self.pinned if e.id not in entities]
        self._busy = True
        self._status(f"Writing {path}…")
        self._write(path, title, entities)

    @work(thread=True, exclusive=True, group="export")
    def _write(self, path: Path, title: str, entities: list[str]) -> None:
        worker = get_current_worker()
        try:
            self.library.export_brief(path, entities, pins=True, title=title)
        except ReaderError as error:
            if not worker.is_cancelled:
                self.post_message(self.Written(None, safe_line(error) or "could not write it"))
            return
        if not worker.is_cancelled:
            self.post_message(self.Written(path))

    def on_export_dialog_written(self, message: Written) -> None:
        self._busy = False
        if message.path is None:
            self._status(f"Not written: {message.error}", "$text-error")
            return
        self.dismiss(message.path)
