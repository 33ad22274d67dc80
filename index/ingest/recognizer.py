"""Provides the entity recognizer for an import: spawned processes fed through bounded queues, or
the model in this process for a handful of texts.

The processes are spawned, never forked, so a threaded caller cannot deadlock them, and each
ends itself when the importing process dies.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from index.errors import LibraryError, ReaderError

IN_FLIGHT = 3  # batches queued per process: enough to keep it busy, little memory


def analyse_here(texts: list[str]) -> list[list[tuple]]:
    """Mentions of ``texts`` found in this process, as rows for the store."""
    from index.ingest import nlp

    return [[pack(m) for m in ms] for ms in nlp.analyse(local_model(), texts)]


_MODEL_LOCK = threading.Lock()
_MODEL: list = []


def local_model():
    """The model for small imports in this process, loaded once: a TUI or a script that adds a
    file at a time would otherwise pay a second of loading for every file."""
    from index.ingest import nlp

    with _MODEL_LOCK:
        if not _MODEL:
            _MODEL.append(nlp.load_model())
        return _MODEL[0]


def pack(m) -> tuple:
    """A mention as the row the store writes (the order of the mentions table's columns)."""
    return (m.start, m.end, m.text, m.label, m.sent_start, m.sent_end, m.key)


# --- the recognizer processes ----------------------------------------------------------------
def _worker(inbox: mp.Queue, outbox: mp.Queue, parent: int) -> None:
    """Entity-recognizer process: load the model once, then run it over batches until told to
    stop; it sends back what the model found (nlp.recognize), the importer makes the mentions.

    It ends itself when the importing process dies (kill -9 included): nothing else would ever
    tell it, and an orphan holds a model's worth of memory for good.
    """
    ignore_sigint()
    _exit_with_parent(parent)
    from index.ingest import nlp

    try:
        model = nlp.load_model()
    except ReaderError as exc:
        outbox.put(("error", str(exc)))
        return
    while True:
        item = inbox.get()
        if item is None:
            return
        seq, texts = item
        try:
            found = [pieces for _, pieces in nlp.recognize(model, texts)]
        except Exception as exc:  # report, never die silently
            outbox.put(("error", f"entity recognizer failed: {type(exc).__name__}: {exc}"))
            return
        outbox.put((seq, found))


@contextmanager
def _main_hidden() -> Iterator[None]:
    """Start processes without re-running the caller's __main__ in them.

    The recognizer needs nothing from the caller's script, and re-importing it fails when
    there is no file behind it (stdin, a notebook) and costs time when there is.
    """
    main = sys.modules.get("__main__")
    saved = {k: main.__dict__[k] for k in ("__file__", "__spec__") if main and k in main.__dict__}
    main.__dict__.pop("__file__", None)
    main.__dict__["__spec__"] = None
    try:
        yield
    finally:
        if main is not None:
            main.__dict__.pop("__spec__", None)
            main.__dict__.update(saved)


@contextmanager
def sigint_blocked() -> Iterator[None]:
    """Start processes with Ctrl-C held back: a child inherits the blocked mask through fork and
    exec, so Ctrl-C while it is still starting (importing spaCy) prints no traceback from it; the
    child ignores SIGINT before it unblocks it (ignore_sigint). Here a Ctrl-C that came meanwhile
    is noted and raised once they are all started, never half-way through handing a child its
    start-up data (another thread, a progress bar's, may be the one the signal reaches)."""
    came: list[int] = []
    main = threading.current_thread() is threading.main_thread()
    handler = signal.signal(signal.SIGINT, lambda *_: came.append(1)) if main else None
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
        if main:
            signal.signal(signal.SIGINT, handler)
    if came:
        raise KeyboardInterrupt


def ignore_sigint() -> None:
    """In a worker: Ctrl-C is the importer's to handle (it stops the workers and says so)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _exit_with_parent(parent: int) -> None:
    """A watcher thread ends this process once ``parent`` is gone."""
    if os.getppid() != parent:
        os._exit(0)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


class Pool:
    """``jobs`` spawned recognizer processes fed through bounded queues."""

    def __init__(self, jobs: int) -> None:
        ctx = mp.get_context("spawn")
        self.inbox: mp.Queue = ctx.Queue()
        self.outbox: mp.Queue = ctx.Queue()
        self.procs = [
            ctx.Process(target=_worker, args=(self.inbox, self.outbox, os.getpid()), daemon=True)
            for _ in range(jobs)
        ]
        try:
            with _main_hidden(), sigint_blocked():
                for p in self.procs:
                    p.start()
        except BaseException:  # Ctrl-C while starting: no child is left to fail on its own
            for p in self.procs:
                if p.pid is not None:
                    p.kill()
                    p.join(1)
            raise
        self.limit = jobs * IN_FLIGHT
        self.waiting: dict[int, list[Any]] = {}  # the importer's Pending items, by batch
        self.order: deque[int] = deque()
        self.seq = 0
        self.stopped = False

    def submit(self, batch: list[Any], write: Callable) -> None:
        """Queue the texts of ``batch`` (items with ``.ner_text``); ``write(batch, mentions)``
        gets each batch back, in the order they finish."""
        while len(self.waiting) >= self.limit:
            self._receive(write)
        self.seq += 1
        self.waiting[self.seq] = batch
        self.inbox.put((self.seq, [p.ner_text for p in batch]))

    def finish(self, write: Callable) -> None:
        while self.waiting:
            self._receive(write)

    def _receive(self, write: Callable) -> None:
        while True:
            try:
                seq, found = self.outbox.get(timeout=1.0)
                break
            except queue.Empty:
                if not any(p.is_alive() for p in self.procs):
                    raise LibraryError(
                        "the entity recognizer stopped unexpectedly; run the import again"
                    ) from None
        if seq == "error":
            raise LibraryError(found)
        from index.ingest import nlp

        batch = self.waiting.pop(seq)
        write(batch, [[pack(m) for m in nlp.mentions(p.ner_text, pieces)]
                      for p, pieces in zip(batch, found)])

    def stop(self) -> None:
        """Tell the processes to end, without waiting: they unload while the importer writes
        its last batch to the search index (``close`` waits for them)."""
        if not self.stopped:
            self.stopped = True
            for _ in self.procs:
                try:
                    self.inbox.put_nowait(None)
                except Exception:
                    pass

    def close(self) -> None:
        if self.seq == 0:  # started for nothing (the import was smaller than it looked)
            for p in self.procs:
                p.kill()
                p.join(1)
        self.stop()
        deadline = time.monotonic() + 2
        for p in self.procs:
            p.join(max(0.0, deadline - time.monotonic()))
            if p.is_alive():
                p.kill()
                p.join(1)
        self.inbox.close()
        self.outbox.close()
        self.inbox.cancel_join_thread()
        self.outbox.cancel_join_thread()
