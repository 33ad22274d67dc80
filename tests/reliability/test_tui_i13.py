"""Issue 13 in the TUI: a search box typed or pasted into without end (item 7), and a library
restored or its index deleted under an open reader (item 10). Pilot tests on the real app."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import Library
from tests.reliability.test_tui import assert_screen_safe, hostile_library, make_app
from tests.app.helpers import settle

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_i13_07_search_box_caps_its_length_and_a_key_when_full_costs_nothing(
        tmp_path: Path, monkeypatch):
    from textual import events

    from reader.widgets import search_box
    from reader.widgets.search_box import MAX_QUERY, SearchBox

    cleaned: list[int] = []  # how many characters each cleaning of the box's text read
    real = search_box.one_line

    def counting(text: str) -> str:
        cleaned.append(len(text))
        return real(text)

    monkeypatch.setattr(search_box, "one_line", counting)
    path = hostile_library(tmp_path)
    with Library.open(path, create=False) as lib:
        app = make_app(lib, tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("slash")
            box = app.screen.query_one("#search", SearchBox)
            said: list[str] = []
            monkeypatch.setattr(box, "notify", lambda text, **kw: said.append(text))
            # 1 MB pasted with bracketed paste: cut to the cap, said once.
            box.post_message(events.Paste("merkel " * 150_000))
            await pilot.pause(0.3)
            assert len(box.value) == MAX_QUERY and box.value.startswith("merkel merkel")
            assert max(cleaned) < 20_000, "the whole megabyte was cleaned"
            # Typed without bracketed paste (a terminal without it, tmux send-keys): keys past
            # the cap change nothing and clean nothing.
            cleaned.clear()
            await pilot.press(*"abcdefghij" * 30)
            assert len(box.value) == MAX_QUERY and "abcdefghij" not in box.value
            assert cleaned == [], cleaned
            assert len(said) == 1 and "at most 2,000 characters" in said[0], said
            # Below the cap, typing works as before, and at the cap it stops again (said anew).
            box.value = "merkel "
            box.cursor_position = len(box.value)
            await pilot.press(*"paris")
            assert box.value == "merkel paris"
            assert max(cleaned) <= len("merkel paris") + 1, cleaned
            box.value = "x" * (MAX_QUERY - 3)
            box.cursor_position = len(box.value)
            await pilot.press(*"abcdef")
            assert box.value == "x" * (MAX_QUERY - 3) + "abc"
            assert len(said) == 2, said
            # Set by code (the history): cut too.
            box.value = "y" * 1_000_000
            assert len(box.value) == MAX_QUERY
            # The search still runs on what the box holds; the app lives.
            box.value = "merkel " * 200
            await pilot.pause(0.5)
            await settle(pilot)
            assert app.is_running
            assert_screen_safe(app)


def _library(tmp_path: Path, name: str, titles: list[str]) -> Path:
    from tests.reliability.conftest import run_reader, write

    for n, title in enumerate(titles):
        body = ["Olaf Scholz spoke in Leeds about {w} farming and the price of feed.",
                "Jacinda Ardern visited a {w} sanctuary in Hanoi on a rainy Tuesday."][n % 2]
        write(tmp_path / f"{name}-in" / f"{name}{n}.txt",
              f"{title}\n\n" + body.format(w=title.split()[0].lower()))
    path = tmp_path / name
    made = run_reader(path, "add", "--jobs", "1", tmp_path / f"{name}-in")
    assert made.code == 0, made
    return path


async def _search(pilot, app, query: str) -> str:
    from tests.app.helpers import screen_text
    from reader.widgets.search_box import SearchBox

    await pilot.press("slash")
    box = app.screen.query_one("#search", SearchBox)
    box.value = query
    box.cursor_position = len(query)
    await pilot.press("enter")
    await pilot.pause(0.5)
    await settle(pilot)
    return screen_text(app)


async def _wait_for(pilot, app, words: str, seconds: float = 20) -> None:
    import time

    from tests.reliability.test_tui import notices

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not any(words in n for n in notices(app)):
        await pilot.pause(0.1)


async def test_i13_10_a_restore_under_an_open_reader_is_noticed_and_read_again(
        tmp_path: Path, monkeypatch):
    from tests.reliability.conftest import assert_check_clean, run_reader
    from tests.reliability.test_tui import notices

    monkeypatch.setattr("reader.upkeep.POLL_SECONDS", 0.3)
    path = _library(tmp_path, "library", ["Alpha story one", "Alpha story two"])
    other = _library(tmp_path, "other", ["Zebra story one", "Zebra story two"])
    backup = tmp_path / "other.db"
    assert run_reader(other, "backup", backup).code == 0
    with Library.open(path, create=False) as lib:
        app = make_app(lib, tmp_path)
        async with app.run_test(size=(140, 45)) as pilot:
            await settle(pilot)
            assert "Alpha story one" in await _search(pilot, app, "alpha")
            # The same counts, the same index generation: only the files are new.
            done = run_reader(path, "restore", "--force", backup)
            assert done.code == 0, done
            await _wait_for(pilot, app, "changed on disk")
            await pilot.pause(0.5)
            await settle(pilot)
            said = [n for n in notices(app) if "on disk" in n]
            assert said == ["The library changed on disk (a restore, or its search index made"
                            " anew): it was read again."], notices(app)
            text = await _search(pilot, app, "zebra")
            assert "Zebra story one" in text and "Zebra story two" in text, text
            text = await _search(pilot, app, "alpha")
            assert "Alpha story" not in text, text
            await pilot.pause(1.0)  # more looks: said once
            assert len([n for n in notices(app) if "on disk" in n]) == 1
    assert_check_clean(path)


async def test_i13_10_a_deleted_index_under_an_open_reader_is_rebuilt_with_a_notice(
        tmp_path: Path, monkeypatch):
    import shutil

    from tests.reliability.conftest import assert_check_clean
    from tests.reliability.test_tui import notices

    monkeypatch.setattr("reader.upkeep.POLL_SECONDS", 0.3)
    path = _library(tmp_path, "library", ["Alpha story one", "Alpha story two"])
    with Library.open(path, create=False) as lib:
        app = make_app(lib, tmp_path)
        async with app.run_test(size=(140, 45)) as pilot:
            await settle(pilot)
            assert "Alpha story one" in await _search(pilot, app, "alpha")
            shutil.rmtree(path / "index")
            await _wait_for(pilot, app, "search index was deleted")
            await pilot.pause(0.3)
            await settle(pilot)
            said = [n for n in notices(app) if "index" in n]
            assert said == ["The search index was deleted: it was rebuilt from the library"
                            " (2 articles)."], notices(app)
            text = await _search(pilot, app, "alpha")
            assert "Alpha story one" in text and "Alpha story two" in text, text
    assert_check_clean(path)
