"""Provides LibraryUpkeep, which the app holds: the start-up check and the watch for changes.

Once the first screen is up, ``Library.check(repair=True)`` runs in a thread worker and the
reader is told in plain words if it rebuilt or repaired anything. It never waits for another
import (``wait=0``: a busy library is simply not checked this time). Searches wait only while
the index is compared with the store (a quarter of a second for 50,000 articles) or while a
damaged index is rebuilt; SQLite's integrity check holds nothing up. A read-only library is
not checked: nothing could be repaired.

Every few seconds another worker reads ``Library.version()`` (one small query): when another
process (``reader add``) has added or removed articles, the list and the counts are read again,
keeping the selected article under the cursor. ``ctrl+r`` does the same at once. The same look
notices a library replaced on disk (a ``reader restore``, whose counts may equal the old ones)
or a deleted search index: the library is opened again (the index rebuilt), the list and the
current search read again, and one notice says so.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.app import App
from textual.worker import get_current_worker

from index import CheckReport, Library, LibraryBusy, ReaderError, safe_line
from reader.messages import (
    LibraryChanged,
    LibraryChecked,
    LibraryFailed,
    LibraryLoaded,
    LibraryReopened,
)
from reader.screens.main_screen import MainScreen

#: Seconds between two looks at the library's version.
POLL_SECONDS = 3.0


def check_notice(report: CheckReport, after: CheckReport) -> tuple[str, str] | None:
    """(severity, one line) telling what the start-up check fixed and what is still wrong."""
    fixed = [p for p in report.problems if p not in after.problems] if report.repaired else []
    fixed = [p.replace("; it was emptied to be rebuilt", "") for p in fixed]
    parts = []
    if report.rebuilt and report.repaired:
        parts.append("The search index was rebuilt: " + "; ".join(fixed) + ".")
    elif fixed:
        parts.append("The start-up check repaired the library: " + "; ".join(fixed) + ".")
    if after.problems:
        parts.append("The start-up check found: " + "; ".join(after.problems) + ".")
    if not parts:
        return None
    return ("warning" if after.problems else "information", safe_line(" ".join(parts)))


def _generation(version: object) -> object:
    return version[2] if isinstance(version, tuple) else None


class LibraryUpkeep:
    """Keeps what the screens show in step with the library on disk; ``app`` is the ReaderApp.

    Its workers run on the app and report to it by message; the app's handlers call back here.
    """

    def __init__(self, app: App[None]) -> None:
        self.app = app
        self._version: object = None
        self._checked: Library | None = None

    @property
    def library(self) -> Library:
        """The app's library (the demo key can swap it)."""
        return self.app.library  # type: ignore[attr-defined]

    def _run(self, work: Callable[..., None], *args: Any, group: str,
             exit_on_error: bool = True) -> None:
        self.app.run_worker(partial(work, *args), name=work.__name__, group=group,
                            exclusive=True, exit_on_error=exit_on_error, thread=True)

    def start(self) -> None:
        """Called once the app is mounted: start polling the library's version."""
        self.app.set_interval(POLL_SECONDS, self._poll, name="library-poll")

    def loaded(self, message: LibraryLoaded) -> None:
        """The counts were read (at start, after ctrl+r, after the demo was built)."""
        self._version = message.version
        if self._checked is not self.library:
            self._checked = self.library
            self.app.call_after_refresh(self._start_up_check, self.library)  # after the first paint

    # --- reading the counts -------------------------------------------------------------------
    def probe(self) -> None:
        """Read the counts (LibraryLoaded, or LibraryFailed)."""
        self._run(self._read_counts, group="probe")

    def _read_counts(self) -> None:
        try:
            # The version first: a change made while the counts are read is seen by the poll.
            version = self.library.version()
            stats, count = self.library.stats(), self.library.count()
        except ReaderError as error:
            self.app.post_message(LibraryFailed("Could not read the library", safe_line(error)))
            return
        self.app.post_message(LibraryLoaded(stats, count, version))

    def reload(self, *, quiet: bool, announce: bool = False) -> None:
        """Read the library again: articles another process added or removed show up."""
        stack = self.app.screen_stack
        main = next((s for s in reversed(stack) if isinstance(s, MainScreen)), None)
        if main is not None:
            main.reload(quiet=quiet, announce=announce)
        else:  # the welcome screen: the library may not be empty any more
            self.probe()

    # --- the watch ----------------------------------------------------------------------------
    def _poll(self) -> None:
        if self._version is not None:
            self._run(self._read_version, self._version, group="poll", exit_on_error=False)

    def _read_version(self, known: object) -> None:
        try:
            if self.library.replaced() is not None:
                text = self.library.reopen()
                self.app.post_message(LibraryReopened(text, self.library.version()))
                return
            version = self.library.version()
        except Exception:  # busy, closing, gone: look again next time
            return
        if version != known:
            self.app.post_message(LibraryChanged(version))

    def changed(self, message: LibraryChanged) -> None:
        """Another process changed the library: read it again, quietly."""
        if message.version == self._version:
            return
        # Entities are relinked when an import ends: only then is there news to announce.
        finished = _generation(message.version) != _generation(self._version)
        self._version = message.version
        self.reload(quiet=True, announce=finished)
        if not self.library.readonly:  # an import elsewhere: read the keys again
            self._run(self._prepare, self.library, group="prepare", exit_on_error=False)
        if finished and not self.library.readonly:  # and merge what it left unmerged
            self._run(self._compact, self.library, group="compact", exit_on_error=False)

    def reopened(self, message: LibraryReopened) -> None:
        """The library was opened anew: show it again, the current search too, and say why."""
        self._version = message.version
        self.reload(quiet=True)
        main = next((s for s in reversed(self.app.screen_stack) if isinstance(s, MainScreen)), None)
        if main is not None:
            main.search_again()
        self.app.notify(message.text, severity="warning", markup=False, timeout=10)

    # --- the start-up check -------------------------------------------------------------------
    def _start_up_check(self, library: Library) -> None:
        self._run(self._check, library, group="check", exit_on_error=False)

    def _check(self, library: Library) -> None:
        if library.readonly:
            return
        try:
            report = library.check(repair=True, wait=0)
            after = library.check() if report.repaired else report
        except LibraryBusy:
            self.app.post_message(LibraryChecked(
                "information", "The start-up check was skipped: another import is running."))
            return
        except ReaderError as error:
            self.app.post_message(LibraryChecked(
                "warning", f"The start-up check could not run: {safe_line(error)}"))
            return
        except Exception as error:  # noqa: BLE001 - only a check: it must never end the app
            self.app.log.error("start-up check failed", error=repr(error))
            return
        notice = check_notice(report, after)
        if notice is not None:
            self.app.post_message(LibraryChecked(*notice))
        self._prepare(library)
        self._compact(library)

    def _compact(self, library: Library) -> None:
        """Merge the search index's segments an import left for later; gives way to any write,
        and stops when the app quits (its workers are cancelled)."""
        worker = get_current_worker()
        try:
            library.compact_index(stop=lambda: worker.is_cancelled)
        except Exception as error:  # noqa: BLE001 - searches work without it, only slower
            self.app.log.error("merging the search index failed", error=repr(error))

    def _prepare(self, library: Library) -> None:
        """Read what makes corrections fast (each then relinks only what it touches)."""
        try:
            library.prepare_corrections()
        except Exception as error:  # noqa: BLE001 - corrections work without it, only slower
            self.app.log.error("preparing corrections failed", error=repr(error))
