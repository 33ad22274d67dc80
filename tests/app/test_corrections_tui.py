"""Corrections one key from the selected entity, and their undo: the article's marks and n/N
counts, the panel and the header show the new graph at once, with no ctrl+r (issue 11)."""

from __future__ import annotations

import pytest

from index import Library
from reader.dialogs.ask_dialog import AskDialog
from reader.dialogs.entity_finder import EntityFinder
from reader.screens.main_screen import MainScreen
from reader.widgets.article_view import ArticleView
from reader.widgets.crossref_panel import CrossRefPanel
from tests.app.helpers import open_by_search, screen_text, select_entity, settle, status
from tests.conftest import REUTERS_TITLE, SCMP_TITLE

pytestmark = [pytest.mark.model, pytest.mark.anyio]

WIDE = (160, 48)


def marks(app, name: str) -> int:
    """How many mentions the open article marks as the entity named ``name``."""
    view = app.screen.query_one(ArticleView)
    return sum(1 for m in view._mentions if m.name == name)


def panel(app) -> CrossRefPanel:
    return app.screen.query_one(CrossRefPanel)


async def test_t_detaches_a_mention_and_u_puts_it_back(make_app, seed_library):
    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await open_by_search(pilot, "kazakhstan", SCMP_TITLE)
        await select_entity(pilot, "Wang Yi")
        await pilot.press("n", "n")  # the first "Wang" (the third mention)
        assert status(app) == "Wang Yi · mention 3 of 5"
        await pilot.press("t")
        await settle(pilot)
        assert marks(app, "Wang Yi") == 4 and marks(app, "Wang") == 1
        assert status(app) == "Wang · mention 1 of 1"
        assert panel(app).entity.name == "Wang" and panel(app).entity.mentions == 1
        assert "fix: m merge · t detach" in screen_text(app)  # the keys under the evidence
        await pilot.press("u")
        await settle(pilot)
        assert marks(app, "Wang Yi") == 5 and status(app) == "Wang Yi · mention 3 of 5"
        assert panel(app).entity.mentions == 5
        with Library.open(seed_library, create=False) as lib:
            assert lib.decisions() == []


async def test_m_merges_into_an_entity_found_by_typing(make_app, seed_library):
    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await open_by_search(pilot, "etim", REUTERS_TITLE)
        await select_entity(pilot, "Cheng Guoping")
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, EntityFinder)
        await pilot.press(*"hng mng")  # fuzzy: Huang Ming
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert marks(app, "Huang Ming") == 2 and marks(app, "Cheng Guoping") == 0
        assert panel(app).entity.name == "Huang Ming" and panel(app).entity.mentions == 2
        assert status(app).startswith("Huang Ming · mention ")
        await pilot.press("u")
        await settle(pilot)
        assert marks(app, "Huang Ming") == 1 and marks(app, "Cheng Guoping") == 1


async def test_r_renames_and_l_relabels_in_place(make_app, seed_library):
    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await open_by_search(pilot, "kazakhstan", SCMP_TITLE)
        await select_entity(pilot, "Wang Yi")
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, AskDialog)
        app.screen.query_one("#ask-input").value = ""
        await pilot.press(*"FM Wang", "enter")
        await settle(pilot)
        assert marks(app, "FM Wang") == 5 and panel(app).entity.name == "FM Wang"
        assert "FM Wang" in screen_text(app)
        await pilot.press("L")
        await settle(pilot)
        await pilot.press("down", "enter")  # PERSON -> ORG
        await settle(pilot)
        assert panel(app).entity.label == "ORG"
        await pilot.press("u", "u")
        await settle(pilot)
        assert marks(app, "Wang Yi") == 5 and panel(app).entity.label == "PERSON"


async def test_i_ignores_a_name_in_this_article_only(make_app, seed_library):
    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await open_by_search(pilot, "etim", REUTERS_TITLE)
        await select_entity(pilot, "Xinjiang")
        china = marks(app, "Xinjiang")
        assert china > 1
        await pilot.press("i")
        await settle(pilot)
        assert marks(app, "Xinjiang") == 0
        assert app.screen.query_one(ArticleView).entity is None
        assert "Xinjiang" not in [e.name for e in panel(app).entities]
        with Library.open(seed_library, create=False) as lib:
            assert lib.entity("Xinjiang").articles == 1  # the other article keeps it
        await pilot.press("u")
        await settle(pilot)
        assert marks(app, "Xinjiang") == china


async def test_the_command_palette_names_actions_as_a_user_would_and_finds_merge(
    make_app, seed_library
):
    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await open_by_search(pilot, "etim", REUTERS_TITLE)
        commands = list(app.get_system_commands(app.screen))
        titles = [c.title for c in commands]
        assert len(titles) == len(set(titles)), titles
        internal = ("SearchBox", "CrossRefList", "ArticleView", "ArticleList", "MainScreen")
        assert not [c for c in commands if any(w in c.title + c.help for w in internal)]
        assert {"Merge into…", "Undo last correction", "Leave the search box"} <= set(titles)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"merge")
        await pilot.pause(0.5)
        await settle(pilot)
        assert "Merge into…" in screen_text(app)
        assert "key m" in screen_text(app)


async def test_an_open_dossier_is_corrected_in_place_and_the_article_follows(
    make_app, seed_library
):
    from reader.screens.dossier_screen import DossierScreen

    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await open_by_search(pilot, "kazakhstan", SCMP_TITLE)
        await select_entity(pilot, "Wang Yi")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DossierScreen)
        await pilot.press("R")
        await settle(pilot)
        app.screen.query_one("#ask-input").value = ""
        await pilot.press(*"Minister Wang", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DossierScreen)
        assert app.screen.dossier.entity.name == "Minister Wang"
        assert "Minister Wang" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert marks(app, "Minister Wang") == 5  # the article's marks, with no ctrl+r
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert app.screen.dossier.entity.name == "Wang Yi"


def test_the_finder_puts_the_name_typed_first_then_fuzzy_matches():
    from index import Entity
    from reader.dialogs.entity_finder import rank

    entities = [Entity("a", "Citicorp Investment Bank Ltd", "ORG", (), 5, 4),
                Entity("b", "Citicorp", "ORG", (), 3, 2),
                Entity("c", "Wang Yi", "PERSON", (), 2, 1)]
    assert [e.name for e in rank(entities, "citicorp")][:2] == ["Citicorp",
                                                                "Citicorp Investment Bank Ltd"]
    assert [e.name for e in rank(entities, "wng y")] == ["Wang Yi"]
    assert [e.name for e in rank(entities, "", skip="a")] == ["Citicorp", "Wang Yi"]


async def test_the_footer_keeps_the_keys_of_a_group_apart(make_app, seed_library):
    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await open_by_search(pilot, "etim", REUTERS_TITLE)
        footer = screen_text(app).splitlines()[-1]
        assert "⌫/alt+→ Back/fwd" in footer and "⌫alt+→" not in footer


async def test_greater_than_says_where_it_is_and_when_it_went_round(make_app, seed_library):
    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await open_by_search(pilot, "etim", REUTERS_TITLE)
        await select_entity(pilot, "Beijing")
        said = []
        for _ in range(2):
            await pilot.press("greater_than_sign")
            await settle(pilot)
            said.append(status(app))
        assert all(s.startswith("Beijing · mention 1 of ") and "of 2 naming it" in s for s in said)
        assert sum("back to the first" in s for s in said) == 1, said
        await pilot.press("n")
        assert "naming it" not in status(app)  # said once, with the article


async def test_v_shows_one_line_an_article_and_back(make_app, seed_library):
    from reader.widgets.article_list import ArticleList

    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        articles = app.screen.query_one(ArticleList)
        await pilot.press("v")
        await settle(pilot)
        assert articles.row_height == 1
        lines = screen_text(app).splitlines()
        both = [line for line in lines if "China thanks Kazakhstan" in line or "China appeals" in line]
        assert len(both) == 2 and abs(lines.index(both[0]) - lines.index(both[1])) == 1
        await pilot.press("j", "enter")
        await settle(pilot)
        assert app.screen.query_one(ArticleView).article is not None
        await pilot.press("ctrl+l", "v")
        await settle(pilot)
        assert articles.row_height == 3


async def test_ctrl_g_in_the_entity_list_merges_the_entity_typed(make_app, seed_library):
    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await open_by_search(pilot, "etim", REUTERS_TITLE)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press(*"cheng", "ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, EntityFinder)
        await pilot.press(*"huang", "enter")
        await settle(pilot)
        assert marks(app, "Huang Ming") == 2 and marks(app, "Cheng Guoping") == 0
