"""Snapshots of the screens that explore the library as a whole (issue 11): the entity
browser, at 120x40 and 80x24."""

from __future__ import annotations

import pytest

from tests.app.helpers import settle, type_query
from tests.snapshots.test_screens import SIZES, app_for  # noqa: F401 - the fixture

pytestmark = pytest.mark.model


@pytest.mark.parametrize("size", SIZES)
def test_entity_browser(snap_compare, app_for, seed_library, size):  # noqa: F811
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)

    assert snap_compare(app_for(seed_library), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_entity_browser_people_by_articles(snap_compare, app_for, seed_library, size):  # noqa: F811
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        await pilot.press("ctrl+t", "ctrl+s", "tab", "down")
        await settle(pilot)

    assert snap_compare(app_for(seed_library), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_facets_of_results(snap_compare, app_for, seed_library, size):  # noqa: F811
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("slash")
        await type_query(pilot, "xinjiang")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("F")
        await settle(pilot)

    assert snap_compare(app_for(seed_library), terminal_size=size, run_before=run_before)
