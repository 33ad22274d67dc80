"""Widgets, dialogs and settings on hand-made data (no library, no model)."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from index import ArticleSummary, CrossRef, Entity, Span
from reader.app import ReaderApp
from reader.config import load_config, load_history, save_history
from reader.dialogs.entity_dialog import EntityDialog
from reader.widgets.colours import DARK, LIGHT, entity_variables
from reader.widgets.crossref_panel import CrossRefPanel
from tests.app.helpers import screen_text

pytestmark = pytest.mark.anyio

EVIL = "Acme [Corp] [/] [@click=app.quit]x[/] [link=file:///etc/passwd]y"


class PanelApp(App[None]):
    CSS_PATH = "../../reader/app.tcss"

    def get_css_variables(self) -> dict[str, str]:
        return {**entity_variables(self.current_theme.dark), **super().get_css_variables()}

    def compose(self) -> ComposeResult:
        yield CrossRefPanel()


def evil_crossref() -> CrossRef:
    sentence = f"Yesterday {EVIL} said [bold]nothing[/]."
    start = sentence.index("Acme")
    summary = ArticleSummary("a1", "[b]Title [/] with markup", "[i]Source[/]", "2020-02-02")
    return CrossRef(summary, sentence, Span(start, start + 4), 100, 104, 3)


async def test_panel_shows_markup_in_names_and_sentences_literally():
    app = PanelApp()
    async with app.run_test(size=(100, 30)) as pilot:
        panel = app.query_one(CrossRefPanel)
        entity = Entity("e1", EVIL, "ORG", ("[/]",), 7, 2)
        panel.show_entity(entity, [evil_crossref()])
        await pilot.pause()
        text = screen_text(app)
        assert "Acme [Corp] [/]" in text
        assert "[b]Title [/] with markup" in text
        assert "[i]Source[/]" in text
        assert "7 mentions in 2 articles" in text
        assert "[bold]nothing[/]" in text
        await pilot.click(CrossRefPanel, offset=(5, 8))
        await pilot.pause()
        assert app.is_running


async def test_panel_lists_entities_by_type_and_reports_a_choice():
    app = PanelApp()
    chosen: list[str] = []
    seen: list[object] = []

    def hook(message: object) -> None:
        # the hook sees a message at every node it bubbles through: count it once
        if isinstance(message, CrossRefPanel.EntityChosen) and message not in seen:
            seen.append(message)
            chosen.append(message.entity)

    async with app.run_test(size=(100, 30), message_hook=hook) as pilot:
        panel = app.query_one(CrossRefPanel)
        panel.show_entities(
            [
                Entity("p", "Wang Yi", "PERSON", (), 5, 1),
                Entity("g", "Xinjiang", "GPE", (), 7, 2),
                Entity("g2", EVIL, "GPE", (), 1, 1),
            ]
        )
        panel.listing.focus()
        await pilot.pause()
        text = screen_text(app)
        assert text.index("PERSON") < text.index("Wang Yi") < text.index("GPE")
        assert EVIL[:20] in text
        await pilot.press("enter")
        await pilot.press("j", "enter")
        await pilot.pause()
        assert chosen == ["p", "g"]


async def test_entity_dialog_filters_and_answers_with_the_id():
    app = PanelApp()
    entities = [
        Entity("etim", "East Turkestan Islamic Movement", "ORG", ("ETIM",), 5, 1),
        Entity("x", "Xinjiang", "GPE", (), 7, 2),
        Entity("evil", EVIL, "ORG", (), 1, 1),
    ]
    answers: list[str | None] = []
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(EntityDialog(entities, "[bold]t[/]"), answers.append)
        await pilot.pause()
        assert "Acme [Corp] [/]" in screen_text(app)
        for char in "etim":
            await pilot.press(char)
        await pilot.pause()
        text = screen_text(app)
        assert "East Turkestan Islamic Movement" in text and "Xinjiang" not in text
        await pilot.press("enter")
        await pilot.pause()
    assert answers == ["etim"]


async def test_entity_dialog_takes_a_filter_typed_in_one_burst():
    """e then "etim" and enter at once (a fast typist, a paste, tmux send-keys): the letters
    are the filter even before the box has the focus, and enter picks what they match."""
    from textual import events

    app = PanelApp()
    entities = [
        Entity("cheng", "Cheng Guoping", "PERSON", (), 1, 1),
        Entity("etim", "East Turkestan Islamic Movement", "ORG", ("ETIM",), 5, 1),
    ]
    answers: list[str | None] = []
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(EntityDialog(entities), answers.append)
        for key, char in [*((c, c) for c in "etim"), ("enter", "\r")]:
            app.post_message(events.Key(key, char))
        await pilot.pause()
        await pilot.pause()
    assert answers == ["etim"]


def test_entity_colours_follow_the_theme():
    app = ReaderApp(None)  # type: ignore[arg-type]  # colours need no library
    app.theme = "textual-dark"
    assert app.get_css_variables()["entity-person"] == DARK["PERSON"]
    app.theme = "textual-light"
    assert app.get_css_variables()["entity-person"] == LIGHT["PERSON"]
    assert app.theme_variables["entity-work-of-art"] == LIGHT["WORK_OF_ART"]


def test_config_file(tmp_path):
    path = tmp_path / "config.toml"
    assert load_config(path).keys == {}
    path.write_text('theme = "nord"\n[keys]\n"article.next_mention" = "l, ]"\n')
    config = load_config(path)
    assert config.theme == "nord" and config.keys == {"article.next_mention": "l,]"}
    assert not config.problem
    path.write_text("theme = [broken")
    broken = load_config(path)
    assert broken.problem and broken.keys == {}


def test_history_round_trip(tmp_path):
    path = tmp_path / "deep" / "history.txt"
    assert load_history(path) == []
    save_history(path, ["xinjiang", "etim\x1b[2J", "  "])
    assert load_history(path) == ["xinjiang", "etim"]
