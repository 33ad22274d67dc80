"""Untrusted text is data: markup and control sequences in an article render literally."""

from __future__ import annotations

import pytest

from index import Library
from reader.screens.main_screen import MainScreen
from reader.widgets.article_list import ArticleList
from reader.widgets.article_view import ArticleView
from tests.app.helpers import screen_text, settle, type_query

pytestmark = [pytest.mark.model, pytest.mark.anyio]

TITLE = "Markup [bold]test[/] and [@click=app.quit]click me[/]"
BODY = (
    "WASHINGTON (Reuters) - The [bold]Senate[/] voted on [/] and [b unclosed while "
    "[link=file:///etc/passwd]Acme Corp[/link] said \x1b[2J\x1b]0;pwned\x07 nothing.\n\n"
    "Later [@click=app.quit]John Smith[/] of Acme [Corp] [/] met officials in Paris."
)


@pytest.fixture
def markup_library(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    (source / "markup.txt").write_text(f"{TITLE}\n\n{BODY}\n", encoding="utf-8")
    path = tmp_path / "markup-lib"
    with Library.open(path) as library:
        report = library.add([source], jobs=1)
    assert report.added == 1, report
    return path


async def test_markup_in_an_article_renders_literally(make_app, markup_library):
    app = make_app(markup_library)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert "Markup [bold]test[/]" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        view = app.screen.query_one(ArticleView)
        assert view.article is not None
        text = screen_text(app)
        assert "[@click=app.quit]click me[/]" in text
        assert "[bold]Senate[/]" in text
        assert "[link=file:///etc/passwd]" in text
        assert "[@click=app.quit]John Smith[/]" in text
        # clicking the would-be action runs nothing; walking the entities still works
        await pilot.click(ArticleView, offset=(10, 5))
        await pilot.press("right_square_bracket", "right_square_bracket", "n")
        await settle(pilot)
        assert app.is_running
        # a query holding markup is echoed and searched safely
        await pilot.press("slash")
        await type_query(pilot, "[bold] [/] (")
        assert app.is_running
        assert app.screen.query_one("#search").value == "[bold] [/] ("
        assert isinstance(app.screen.query_one(ArticleList), ArticleList)


async def test_no_escape_sequences_reach_the_screen(make_app, markup_library):
    app = make_app(markup_library)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        for bad in ("\x1b", "\x07", "\x9b", "\x00", "pwned"):
            assert bad not in text
