"""The reader used as a person would, on the two seed articles; asserts what is on screen."""

from __future__ import annotations

import re

import pytest

from reader.config import Config
from reader.screens.help_screen import HelpScreen
from reader.screens.main_screen import MainScreen
from reader.screens.welcome_screen import WelcomeScreen
from reader.widgets.article_list import ArticleList
from reader.widgets.article_view import ArticleView
from reader.widgets.crossref_panel import CrossRefPanel
from tests.app.helpers import (
    DEBOUNCE,
    open_by_search,
    screen_text,
    select_entity,
    settle,
    status,
    type_query,
)
from tests.conftest import REUTERS_TITLE, SCMP_TITLE

pytestmark = [pytest.mark.model, pytest.mark.anyio]

WIDE = (160, 48)


async def test_start_shows_the_library_newest_first(make_app, seed_library):
    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        text = screen_text(app)
        assert "reader · seed" in text
        assert "2 articles" in text
        assert "China appeals for U.S. help" in text
        assert "China thanks Kazakhstan" in text
        assert isinstance(app.focused, ArticleList)


async def test_search_finds_both_seed_articles(make_app, seed_library):
    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_query(pilot, "xinjiang")
        text = screen_text(app)
        assert "2 results" in text
        assert "China appeals for U.S. help" in text
        assert "China thanks Kazakhstan" in text
        hits = app.screen.query_one(ArticleList)._hits
        assert {hit.title for hit in hits} == {REUTERS_TITLE, SCMP_TITLE}
        await pilot.press("enter")
        assert isinstance(app.focused, ArticleList)
        await pilot.press("enter")
        await settle(pilot)
        assert "hits · n walks them" in status(app)
        await pilot.press("n")
        assert re.fullmatch(r"hit 1 of \d+", status(app))


async def test_a_query_typed_straight_after_the_slash_lands_in_the_box(make_app, seed_library):
    """All keys at once, as a paste or `tmux send-keys / x i n j i a n g Enter` sends them: the
    x must not reach the article (where it hides the panel)."""
    from textual import events

    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        for key, char in [("slash", "/"), *((c, c) for c in "xinjiang")]:
            app.post_message(events.Key(key, char))
        await pilot.pause(DEBOUNCE + 0.1)  # the search runs once typing pauses
        await settle(pilot)
        assert app.screen.query_one("#search").value == "xinjiang"
        assert app.screen.query_one(CrossRefPanel).display
        assert "2 results" in screen_text(app)
        await pilot.press("slash", "x")  # in the box, "/" is text
        assert app.screen.query_one("#search").value == "xinjiang/x"


async def test_etim_n_walks_its_five_mentions(make_app, seed_library):
    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await open_by_search(pilot, "etim", REUTERS_TITLE)
        await select_entity(pilot, "ETIM")
        assert status(app) == "ETIM · mention 1 of 5"
        seen = []
        for _ in range(5):
            await pilot.press("n")
            seen.append(status(app))
        assert seen == [f"ETIM · mention {k} of 5" for k in (2, 3, 4, 5, 1)]
        await pilot.press("N")
        assert status(app) == "ETIM · mention 5 of 5"
        assert "ETIM · mention 5 of 5" in screen_text(app)
        await pilot.press("escape")
        assert app.screen.query_one(ArticleView).entity is None


async def test_e_and_a_filter_typed_in_one_burst_select_that_entity(make_app, seed_library):
    """"e", "etim" and enter all at once (tmux send-keys, a fast typist): ETIM, not the
    first entity of the list."""
    from textual import events

    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await open_by_search(pilot, "etim", REUTERS_TITLE)
        for key, char in [("e", "e"), *((c, c) for c in "etim"), ("enter", "\r")]:
            app.post_message(events.Key(key, char))
        await settle(pilot)
        assert status(app) == "ETIM · mention 1 of 5"


async def test_xinjiang_cross_reference_opens_the_other_story_and_back(make_app, seed_library):
    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await open_by_search(pilot, "etim", REUTERS_TITLE)
        await select_entity(pilot, "Xinjiang")
        view = app.screen.query_one(ArticleView)
        panel = app.screen.query_one(CrossRefPanel)
        assert panel.entity is not None and panel.entity.name == "Xinjiang"
        assert [ref.article.title for ref in panel.crossrefs] == [SCMP_TITLE]
        sentence = panel.crossrefs[0].sentence
        assert "Xinjiang" in sentence
        text = screen_text(app)
        assert "South China Morning Post" in text
        assert re.search(r"\d+ mentions in 2 articles", text)
        before = status(app)
        assert before.startswith("Xinjiang · mention 1 of ")
        entity = view.entity
        # enter on the selected entity: focus to the panel; enter there: open it at the mention.
        await pilot.press("enter")
        assert app.focused is panel.listing
        await pilot.press("enter")
        await settle(pilot)
        assert view.article is not None and view.article.title == SCMP_TITLE
        assert view.entity == entity
        mark = view._cursor
        assert mark is not None and view.article.text[mark[0] : mark[1]] == "Xinjiang"
        crossref_start = mark[0]
        assert re.fullmatch(r"Xinjiang · mention \d+ of \d+", status(app))
        # the mention is on screen
        assert "Xinjiang" in screen_text(app)
        # back: the Reuters story, Xinjiang still selected, same place
        await pilot.press("backspace")
        await settle(pilot)
        assert view.article.title == REUTERS_TITLE
        assert view.entity == entity
        assert status(app) == before
        # forward again
        await pilot.press("alt+right")
        await settle(pilot)
        assert view.article.title == SCMP_TITLE
        assert view._cursor is not None and view._cursor[0] == crossref_start


async def test_uighurs_lists_the_sentence_with_uygurs(make_app, seed_library):
    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await open_by_search(pilot, "etim", REUTERS_TITLE)
        await select_entity(pilot, "Uighurs")
        panel = app.screen.query_one(CrossRefPanel)
        assert panel.entity is not None
        assert len(panel.crossrefs) == 1
        ref = panel.crossrefs[0]
        assert ref.article.title == SCMP_TITLE
        assert "Uygurs" in ref.sentence
        assert ref.sentence[ref.mark.start : ref.mark.end] == "Uygurs"
        assert "Uygurs" in screen_text(app)


async def test_next_article_naming_the_entity(make_app, seed_library):
    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await open_by_search(pilot, "etim", REUTERS_TITLE)
        view = app.screen.query_one(ArticleView)
        await select_entity(pilot, "Beijing")
        await pilot.press("greater_than_sign")
        await settle(pilot)
        assert view.article.title == SCMP_TITLE
        assert status(app).startswith("Beijing · mention 1 of ")
        await pilot.press("less_than_sign")
        await settle(pilot)
        assert view.article.title == REUTERS_TITLE
        assert status(app).startswith("Beijing · mention 1 of ")


async def test_right_bracket_selects_mentions_in_reading_order(make_app, seed_library):
    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await open_by_search(pilot, "etim", REUTERS_TITLE)
        view = app.screen.query_one(ArticleView)
        starts = []
        for _ in range(4):
            await pilot.press("right_square_bracket")
            await settle(pilot)
            starts.append(view._cursor[0])
        assert starts == sorted(starts) and len(set(starts)) == 4
        await pilot.press("left_square_bracket")
        assert view._cursor[0] == starts[2]
        panel = app.screen.query_one(CrossRefPanel)
        await settle(pilot)
        assert panel.entity is not None and panel.entity.id == view.entity


async def test_no_entity_selected_panel_lists_the_article_entities(make_app, seed_library):
    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await open_by_search(pilot, "etim", REUTERS_TITLE)
        text = screen_text(app)
        assert "Entities in this article" in text
        assert "PERSON" in text and "GPE" in text
        panel = app.screen.query_one(CrossRefPanel)
        names = {entity.name for entity in panel.entities}
        assert {"East Turkestan Islamic Movement", "Xinjiang"} <= names


async def test_help_screen_lists_keys_query_syntax_and_colours(make_app, seed_library):
    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Next mention" in text and "article.next_mention" in text
        colours = str(app.screen.query_one("#help-colours").render())
        assert "Entity colours" in colours and "PERSON" in colours
        assert "Query syntax" in str(app.screen.query_one("#help-queries").render())
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_search_history_is_kept_across_runs(make_app, seed_library, tmp_path):
    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_query(pilot, "kazakhstan")
        await pilot.press("enter")
        await settle(pilot)
    assert (tmp_path / "history.txt").read_text().splitlines() == ["kazakhstan"]
    again = make_app(seed_library)
    async with again.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("slash", "up")
        assert again.screen.query_one("#search").value == "kazakhstan"
        await pilot.press("down")
        assert again.screen.query_one("#search").value == ""


async def test_keys_can_be_remapped_by_binding_id(make_app, seed_library):
    app = make_app(
        seed_library, config=Config(theme="textual-dark", keys={"article.next_mention": "l"})
    )
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await open_by_search(pilot, "etim", REUTERS_TITLE)
        await pilot.press("l")
        await settle(pilot)
        assert app.screen.query_one(ArticleView)._cursor is not None


async def test_narrow_terminal_toggles_the_panel_and_cuts_titles(make_app, seed_library):
    app = make_app(seed_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.has_class("-narrow")
        assert not screen.query_one(CrossRefPanel).display
        assert "…" in screen_text(app)
        await open_by_search(pilot, "etim", REUTERS_TITLE)
        await pilot.press("x")
        await settle(pilot)
        assert screen.query_one(CrossRefPanel).display
        assert "Entities in this article" in screen_text(app)
        await pilot.press("x")
        assert not screen.query_one(CrossRefPanel).display


async def test_empty_library_shows_the_welcome_screen(make_app, tmp_path):
    app = make_app(tmp_path / "empty")
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        text = screen_text(app)
        assert "reader add PATH" in text
        assert "demo" in text
        shown = str(app.screen.query_one("#welcome").render())
        assert f"This library is empty ({tmp_path / 'empty'})" in shown  # where it lives


async def test_articles_added_elsewhere_replace_the_welcome_screen(make_app, tmp_path):
    from index import Library

    app = make_app(tmp_path / "empty")
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        story = tmp_path / "story.txt"
        story.write_text("Ministers meet in Lisbon today\n\nOlaf Scholz spoke in Lisbon.\n")
        with Library.open(tmp_path / "empty", create=False) as other:  # `reader add` elsewhere
            assert other.add([story], jobs=1).added == 1
        for _ in range(100):  # the reader looks every few seconds
            await pilot.pause(0.1)
            if isinstance(app.screen, MainScreen):
                break
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert "Ministers meet in Lisbon today" in screen_text(app)


async def test_command_palette_offers_the_article_actions(make_app, seed_library):
    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for wanted in ("Next mention", "Search", "Entities of this article", "Help", "Quit", "Back"):
            assert wanted in titles


async def test_welcome_key_builds_and_opens_the_demo(make_app, tmp_path):
    app = make_app(tmp_path / "empty")
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("d")
        for _ in range(600):  # the model runs once: a few seconds
            await pilot.pause(0.1)
            if isinstance(app.screen, MainScreen):
                break
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        text = screen_text(app)
        assert "reader · demo" in text and "2 articles" in text
    app.library.close()


async def test_the_panel_says_why_a_short_name_is_the_entity(make_app, seed_library):
    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await open_by_search(pilot, "Kazakhstan", SCMP_TITLE)
        await select_entity(pilot, "Wang Yi")
        await settle(pilot)
        shown = screen_text(app)
        assert "why: Wang: short name in the same article" in shown
