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
