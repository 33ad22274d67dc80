"""Helpers for Pilot tests: wait for workers, read what is on the screen."""

from __future__ import annotations

from textual.pilot import Pilot

from reader.app import ReaderApp
from reader.screens.main_screen import DEBOUNCE
from reader.widgets.article_list import ArticleList
from reader.widgets.article_view import ArticleView


async def settle(pilot: Pilot, rounds: int = 3) -> None:
    """Let workers finish and their messages land (twice over: answers start new work)."""
    for _ in range(rounds):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def type_query(pilot: Pilot, text: str) -> None:
    """Type into the focused box as a person would, then wait out the debounce."""
    for char in text:
        await pilot.press(char)
    await pilot.pause(DEBOUNCE + 0.1)
    await settle(pilot)


def screen_text(app: ReaderApp) -> str:
    """Every line on the terminal as plain text."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


def status(app: ReaderApp) -> str:
    return str(app.screen.query_one("#status").render())


async def open_by_search(pilot: Pilot, query: str, title: str) -> None:
    """/ query, enter to the results, pick the one titled ``title``, enter to open it."""
    await settle(pilot)
    await pilot.press("slash")
    box = pilot.app.screen.query_one("#search")
    box.value = ""
    await type_query(pilot, query)
    await pilot.press("enter")
    await settle(pilot)
    articles = pilot.app.screen.query_one(ArticleList)
    titles = [hit.title for hit in articles._hits]
    assert title in titles, titles
    for _ in range(titles.index(title)):
        await pilot.press("j")
    await pilot.press("enter")
    await settle(pilot)
    view = pilot.app.screen.query_one(ArticleView)
    assert view.article is not None and view.article.title == title


async def select_entity(pilot: Pilot, name: str) -> None:
    """e, type the name, enter."""
    await pilot.press("e")
    await settle(pilot)
    for char in name:
        await pilot.press(char)
    await pilot.press("enter")
    await settle(pilot)
