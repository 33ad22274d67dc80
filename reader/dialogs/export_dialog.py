"""Provides ExportDialog: asks where to write the briefing, writes it in a worker, and answers
with the path it wrote."""

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
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from index import Library, ReaderError, safe_line


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


class ExportDialog(ModalScreen[Path | None]):
    """Writes a Markdown briefing (the pinned passages, and the dossiers of ``entities``)."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="export.cancel")]

    class Written(Message):
        """The worker finished: ``path`` written, or ``error`` (one line)."""

        def __init__(self, path: Path | None, error: str = "") -> None:
            super().__init__()
            self.path = path
            self.error = error

    def __init__(
        self, library: Library, entities: Sequence[str] = (), default: Path | None = None
    ) -> None:
        super().__init__()
        self.library = library
        self.entities = list(entities)
        self.default = default or default_path()
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
                    Content.styled(f"\nMarkdown with {what} and their sources, to:", "dim"),
                ),
                markup=False,
            )
            yield Input(value=str(self.default), id="export-path", select_on_focus=False)
            hint = Content.styled("enter writes · esc cancels", "dim")
            yield Static(hint, id="export-status", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def _status(self, text: str, style: str = "dim") -> None:
        self.query_one("#export-status", Static).update(Content.styled(safe_line(text), style))

    def on_input_changed(self, event: Input.Changed) -> None:
        self._replace = None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._busy:
            return
        if not event.value.strip():
            self._status("Type a file name.", "$text-error")
            return
        path = chosen_path(event.value)
        if path.exists() and path != self._replace:
            self._replace = path
            self._status(f"{path.name} exists: enter again to replace it.", "$text-warning")
            return
        if not path.parent.is_dir():
            self._status(f"No folder {path.parent}", "$text-error")
            return
        self._busy = True
        self._status(f"Writing {path}…")
        self._write(path)

    @work(thread=True, exclusive=True, group="export")
    def _write(self, path: Path) -> None:
        worker = get_current_worker()
        try:
            self.library.export_brief(path, self.entities, pins=True)
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
