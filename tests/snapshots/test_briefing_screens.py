"""Snapshots of the dossier and briefing screens at 120x40 and 80x24 (issue 4), on the seeds.

Update after a deliberate change with ``pytest tests/snapshots --snapshot-update`` and look at
the report before committing the new SVGs.
"""

from __future__ import annotations

import pytest

from tests.app.helpers import settle
from tests.app.test_briefing_tui import pin_three
from tests.snapshots.test_screens import SIZES, app_for  # noqa: F401 - the fixture

pytestmark = pytest.mark.model


async def open_wang_yi_dossier(pilot) -> None:
    """enter opens the newest article (the SCMP one), e selects Wang Yi, d opens his dossier."""
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("e")
    await settle(pilot)
    for char in "wang yi":
        await pilot.press(char)
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("d")
    await settle(pilot, rounds=6)


@pytest.mark.parametrize("size", SIZES)
def test_dossier(snap_compare, app_for, seed_library, size):  # noqa: F811
    assert snap_compare(app_for(seed_library), terminal_size=size, run_before=open_wang_yi_dossier)


@pytest.mark.parametrize("size", SIZES)
def test_dossier_end(snap_compare, app_for, seed_library, size):  # noqa: F811
    async def run_before(pilot):
        await open_wang_yi_dossier(pilot)
        await pilot.press("end")  # the last article: when, and the articles
        await settle(pilot)

    assert snap_compare(app_for(seed_library), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_briefing(snap_compare, app_for, seed_library, size):  # noqa: F811
    pin_three(seed_library)

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        for char in "lead with this":
            await pilot.press(char)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)

    assert snap_compare(app_for(seed_library), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_briefing_delete_confirm(snap_compare, app_for, seed_library, size):  # noqa: F811
    pin_three(seed_library)

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)

    assert snap_compare(app_for(seed_library), terminal_size=size, run_before=run_before)
