"""Helpers for Pilot tests: wait for workers, read what is on the screen."""

from __future__ import annotations

from textual.pilot import Pilot

from reader.app import ReaderApp
from reader.screens.main_screen import DEBOUNCE


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
