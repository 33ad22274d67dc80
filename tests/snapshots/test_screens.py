"""Snapshots of every screen at 120x40 and 80x24, on the seed library with a fixed theme.

Update after a deliberate change with ``pytest tests/snapshots --snapshot-update`` and look at
the report before committing the new SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from index import Library
from reader.app import ReaderApp
from reader.config import Config
from tests.app.helpers import settle, type_query

pytestmark = pytest.mark.model

SIZES = [pytest.param((120, 40), id="120x40"), pytest.param((80, 24), id="80x24")]


@pytest.fixture
def app_for(tmp_path: Path):
    opened: list[Library] = []

    def make(path: Path) -> ReaderApp:
        library = Library.open(path)
        opened.append(library)
        return ReaderApp(
            library,
            name="seed",
            config=Config(theme="textual-dark"),
            history_path=tmp_path / "history.txt",
        )

    yield make
    for library in opened:
        library.close()


async def open_reuters(pilot) -> None:
    await settle(pilot)
    await pilot.press("slash")
    await type_query(pilot, "etim")
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def select(pilot, name: str) -> None:
    await pilot.press("e")
    await settle(pilot)
    for char in name:
        await pilot.press(char)
    await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_library(snap_compare, app_for, seed_library, size):
    assert snap_compare(app_for(seed_library), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_search_results(snap_compare, app_for, seed_library, size):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("slash")
        await type_query(pilot, "uyghur")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app_for(seed_library), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_article_with_entities_panel(snap_compare, app_for, seed_library, size):
    async def run_before(pilot):
        await open_reuters(pilot)
        if size[0] < 120:
            await pilot.press("x")
            await settle(pilot)

    assert snap_compare(app_for(seed_library), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_article_entity_selected_with_cross_references(snap_compare, app_for, seed_library, size):
    async def run_before(pilot):
        await open_reuters(pilot)
        await select(pilot, "Xinjiang")
        await pilot.press("n")
        if size[0] < 120:
            await pilot.press("x")
        await settle(pilot)

    assert snap_compare(app_for(seed_library), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_entity_dialog(snap_compare, app_for, seed_library, size):
    async def run_before(pilot):
        await open_reuters(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("c", "h")
        await settle(pilot)

    assert snap_compare(app_for(seed_library), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, app_for, seed_library, size):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(app_for(seed_library), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_welcome(snap_compare, app_for, tmp_path, size, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the screen names the library's folder: the same every run
    assert snap_compare(app_for(Path("empty")), terminal_size=size, run_before=settle)
