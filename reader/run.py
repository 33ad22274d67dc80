"""Provides run_app(), which the ``reader`` command calls to open a library in the app."""

from __future__ import annotations

from pathlib import Path

from index import Library, ReaderError, safe_line
from reader.app import ReaderApp
from reader.config import load_config
from reader.locations import config_file, demo_library, history_file


def run_app(library_path: Path, demo: bool = False) -> None:
    """Open the library at ``library_path`` and run the reader until the user quits.

    A library that cannot be opened ends the program with a one-line message, no traceback.
    """
    config = load_config(config_file())
    path = demo_library() if demo and library_path is None else library_path
    try:
        library = Library.open(Path(path))
    except ReaderError as error:
        raise SystemExit(f"reader: {safe_line(error)}") from None
    name = "demo" if demo else Path(path).name
    app = ReaderApp(library, name=name, demo=demo, config=config, history_path=history_file())
    try:
        app.run()
    finally:
        app.library.close()  # the demo key may have swapped libraries; the first is closed then
