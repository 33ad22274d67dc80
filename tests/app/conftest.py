"""Fixtures for the TUI tests: an app over a private copy of the seed library."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from index import Library
from reader.app import ReaderApp
from reader.config import Config


@pytest.fixture
def make_app(tmp_path: Path) -> Iterator[Callable[..., ReaderApp]]:
    """Build a ReaderApp over a library folder; libraries are closed after the test."""
    opened: list[Library] = []

    def make(path: Path, *, config: Config | None = None, name: str = "seed") -> ReaderApp:
        library = Library.open(path)
        opened.append(library)
        return ReaderApp(
            library,
            name=name,
            config=config or Config(theme="textual-dark"),
            history_path=tmp_path / "history.txt",
        )

    yield make
    for library in opened:
        library.close()


@pytest.fixture
def anyio_backend() -> str:
    """Pilot tests run on asyncio (Textual's loop)."""
    return "asyncio"
