"""The entity browser (E): every entity of the library, filtered, sorted, opened, corrected."""

from __future__ import annotations

import pytest

from index import Library
from reader.dialogs.entity_finder import EntityFinder
from reader.screens.dossier_screen import DossierScreen
from reader.screens.entity_browser import EntityBrowser
from reader.screens.main_screen import MainScreen
from tests.app.helpers import screen_text, settle

pytestmark = [pytest.mark.model, pytest.mark.anyio]


def names(app) -> list[str]:
    return [row.name for row in app.screen.table.rows]


async def test_e_opens_every_entity_filters_sorts_and_opens_a_dossier(make_app, seed_library):
    app = make_app(seed_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        assert isinstance(app.screen, EntityBrowser)
        with Library.open(seed_library, create=False) as lib:
            assert len(names(app)) == len(lib.entities())
        assert names(app)[0] == "China"  # most mentioned first
        assert "China" in screen_text(app) and "first" in screen_text(app)
        await pilot.press(*"xinj")
        await settle(pilot)
        assert names(app) == ["Xinjiang"]
        app.screen.box.value = ""
        await pilot.press("ctrl+t")  # PERSON
        await settle(pilot)
        assert {row.label for row in app.screen.table.rows} == {"PERSON"}
        await pilot.press("ctrl+s")  # by articles
        await settle(pilot)
        rows = app.screen.table.rows
        assert [r.articles for r in rows] == sorted((r.articles for r in rows), reverse=True)
        app.screen.box.value = "wang"
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DossierScreen)
        assert app.screen.dossier.entity.name == "Wang Yi"
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_corrections_work_in_the_browser(make_app, seed_library):
    app = make_app(seed_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        await pilot.press(*"cheng", "tab", "m")
        await settle(pilot)
        assert isinstance(app.screen, EntityFinder)
        await pilot.press(*"huang", "enter")
        await settle(pilot)
        assert isinstance(app.screen, EntityBrowser)
        assert names(app) == []  # Cheng Guoping is Huang Ming now
        app.screen.box.value = "huang"
        await settle(pilot)
        assert app.screen.table.rows[0].mentions == 2
        assert app.screen.table.has_focus
        await pilot.press("u")
        await settle(pilot)
        app.screen.box.value = "cheng"
        await settle(pilot)
        assert names(app) == ["Cheng Guoping"]
