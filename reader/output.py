"""Provides Output: what the CLI prints on a terminal (progress, highlighted hits), built from
rich Text objects, never from markup strings, so article text cannot restyle the terminal."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from index import SearchResult, safe_line, safe_text


class Output:
    """Terminal output for one command; quiet where stderr is not a terminal."""

    def __init__(self) -> None:
        self.err = Console(stderr=True, markup=False, highlight=False, emoji=False)
        self.out = Console(markup=False, highlight=False, emoji=False)
        self._progress: Progress | None = None
        self._task = None

    def progress(self, label: str):
        """A progress(done, total, name) callback drawing a bar with articles/s and ETA."""
        if not sys.stderr.isatty():
            return None
        self._progress = Progress(
            TextColumn(label),
            BarColumn(),
            MofNCompleteColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[rate]}", markup=False),
            TimeRemainingColumn(),
            TextColumn("{task.fields[name]}", markup=False),
            console=self.err,
            transient=True,
        )
        self._progress.start()
        self._task = self._progress.add_task(label, total=None, rate="", name="")

        def update(done: int, total: int, name: str) -> None:
            task = self._progress.tasks[0]
            speed = task.speed
            rate = f"{speed:,.0f} articles/s" if speed else ""
            self._progress.update(self._task, completed=done, total=max(total, done) or None,
                                  rate=rate, name=safe_line(name)[:40])

        return update

    def done(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def hits(self, result: SearchResult) -> None:
        if not result.hits:
            self.out.print(Text(f"no articles match {safe_line(result.query)[:200]}"))
        for n, hit in enumerate(result.hits, 1):
            self.out.print(Text(f"{n:>3}. {safe_line(hit.title)}", style="bold"))
            copies = (
                f"{len(hit.copies) + 1} copies (also {', '.join(hit.copies)})" if hit.copies else ""
            )
            meta = " · ".join(
                x for x in (hit.source, (hit.date or "")[:10], f"id {hit.id}", copies) if x
            )
            self.out.print(Text("     " + safe_line(meta), style="dim"))
            snippet = Text("     " + safe_line(hit.snippet))
            for span in hit.highlights:
                snippet.stylize("bold reverse", span.start + 5, span.end + 5)
            self.out.print(snippet)
        if result.also_searched:
            self.out.print(Text(safe_text("also searched: " + ", ".join(result.also_searched))))
        if result.total > len(result.hits):
            self.out.print(Text(f"{len(result.hits)} of {result.total} shown", style="dim"))
