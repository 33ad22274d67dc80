"""Provides a sandbox parser worker that fails on demand, for the tests of parsers that hang,
exhaust their memory or crash; the shipped worker (index.ingest.sandbox) has no such modes.

In this process the ``parser_fault`` fixture points ``sandbox.WORKER`` here and returns a switch:
``parser_fault("hang")`` (or ``"hog"``, ``"crash"``, ``""`` for none). A whole ``reader`` command
runs as ``python -m tests.parser_faults ARGS``, with READER_PARSER_FAULT naming a file that holds
the mode. A worker reads the mode before each file it parses, so a worker already running
(reused from file to file) obeys a new one.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator

import pytest

#: The environment variable naming the file that holds the mode.
SWITCH = "READER_PARSER_FAULT"


def _mode() -> str:
    path = os.environ.get(SWITCH, "")
    if not path:
        return ""
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read().strip()
    except OSError:
        return ""


def _worker_main() -> None:
    """The shipped worker, its parser wrapped to fail as the switch says (inside the worker's own
    error handling, where a real parser's failure would happen)."""
    from index.ingest import sandbox, web

    real = web.parse

    def parse(kind: str, data: bytes, *, common_lines: frozenset[str] = frozenset()):
        mode = _mode()
        if mode == "hang":
            while True:
                time.sleep(3600)
        if mode == "hog":
            hog = bytearray(4 * sandbox.MEMORY_LIMIT)
            del hog
        if mode == "crash":
            os._exit(70)
        return real(kind, data, common_lines=common_lines)

    web.parse = parse
    sandbox._worker_main()


@pytest.fixture
def parser_fault(tmp_path, monkeypatch) -> Iterator[Callable[[str], None]]:
    """A switch that makes this process's sandbox workers hang, hog or crash from now on."""
    from index.ingest import sandbox

    switch = tmp_path / "parser-fault"
    switch.write_text("", encoding="utf-8")
    monkeypatch.setenv(SWITCH, str(switch))
    monkeypatch.setattr(sandbox, "WORKER", __name__)
    sandbox.close_workers()  # an idle worker started before runs the shipped code

    def set_mode(mode: str) -> None:
        switch.write_text(mode, encoding="utf-8")

    yield set_mode
    sandbox.close_workers()


if __name__ == "__main__":
    import runpy

    from index.ingest import sandbox

    sandbox.WORKER = "tests.parser_faults"
    sys.argv = ["reader", *sys.argv[1:]]
    runpy.run_module("reader", run_name="__main__", alter_sys=True)
