"""The article view on its own: long articles, marks, wrapping, clicks (no library needed)."""

from __future__ import annotations

import time

import pytest
from textual.app import App, ComposeResult

from index import Article, Mention
from reader.widgets.article_view import ArticleView
from reader.widgets.colours import entity_variables
from reader.widgets.wrap import wrap_offsets

pytestmark = pytest.mark.anyio


class ViewApp(App[None]):
    CSS_PATH = "../../reader/app.tcss"

    def get_css_variables(self) -> dict[str, str]:
        return {**entity_variables(self.current_theme.dark), **super().get_css_variables()}

    def compose(self) -> ComposeResult:
        yield ArticleView()


def big_article(words: int) -> tuple[Article, list[Mention]]:
    """``words`` words in paragraphs of 200, with "Xinjiang" every 50 words."""
    parts, mentions, offset = [], [], 0
    for index in range(words):
        word = "Xinjiang" if index % 50 == 0 else f"word{index % 97}"
        if index % 50 == 0:
            mentions.append(
                Mention("big", offset, offset + len(word), word, "e1", "Xinjiang", "GPE")
            )
        separator = "\n\n" if index % 200 == 199 else " "
        parts.append(word + separator)
        offset += len(word) + len(separator)
    text = "".join(parts)
    return Article("big", "A very long article", text, "Test", "2020-01-01"), mentions


def lines_text(view: ArticleView) -> list[str]:
    return [view.render_line(y).text for y in range(view.scrollable_content_region.height)]


def test_wrap_offsets_cover_every_word_once():
    text = "alpha beta gamma delta\n\nepsilon " + "x" * 25 + " zeta"
    starts, ends = wrap_offsets(text, 10)
    lines = [text[s:e] for s, e in zip(starts, ends)]
    assert all(len(line.rstrip()) <= 10 for line in lines)
    assert "".join(lines) == text.replace("\n", "")
    assert "" in lines  # the blank line between paragraphs


def test_wrap_offsets_wide_characters():
    text = "漢字" * 20
    starts, ends = wrap_offsets(text, 10)
    assert all(ends[i] - starts[i] <= 5 for i in range(len(starts)))
    assert "".join(text[s:e] for s, e in zip(starts, ends)) == text


async def test_fifty_thousand_words_open_and_scroll_fast():
    article, mentions = big_article(50_000)
    app = ViewApp()
    app.animation_level = "none"  # time the work, not the smooth-scroll animation
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.query_one(ArticleView)
        start = time.perf_counter()
        view.show(article, mentions, [])
        await pilot.pause()
        opened = time.perf_counter() - start
        assert opened < 1.0, opened
        view.focus()
        start = time.perf_counter()
        for _ in range(20):
            await pilot.press("pagedown")
        await pilot.press("end")
        await pilot.pause()
        scrolled = time.perf_counter() - start
        assert scrolled < 2.0, scrolled
        assert view.scroll_y == view.max_scroll_y > 1000
        assert any("word" in line for line in lines_text(view))


async def test_a_one_megabyte_article_opens_under_two_seconds():
    article, mentions = big_article(170_000)
    assert len(article.text) > 1_000_000
    app = ViewApp()
    app.animation_level = "none"
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.query_one(ArticleView)
        start = time.perf_counter()
        view.show(article, mentions, [])
        await pilot.pause()
        assert time.perf_counter() - start < 2.0
        view.focus()
        await pilot.press("end")
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y


async def test_next_mention_scrolls_it_into_view_and_walks():
    article, mentions = big_article(5_000)
    app = ViewApp()
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(ArticleView)
        view.show(article, mentions, [])
        view.focus()
        await pilot.pause()
        view.select_entity("e1", at=mentions[60].start)
        await pilot.pause()
        line = view._line_of(mentions[60].start)
        assert view.scroll_y <= line < view.scroll_y + view.scrollable_content_region.height
        assert view.status_text() == f"Xinjiang · mention 61 of {len(mentions)}"
        await pilot.press("n")
        assert view.status_text() == f"Xinjiang · mention 62 of {len(mentions)}"
        await pilot.press("N", "N")
        assert view.status_text() == f"Xinjiang · mention 60 of {len(mentions)}"


async def test_markup_in_text_is_painted_as_text():
    text = "[bold]x[/] [@click=app.quit]y[/] [link=file:///etc/passwd]z [/] [b unclosed"
    article = Article("m", "[/] title [bold]", text)
    mention = Mention("m", 11, 29, text[11:29], "e", "[@click=app.quit]y[/]", "ORG")
    app = ViewApp()
    async with app.run_test(size=(100, 20)) as pilot:
        view = app.query_one(ArticleView)
        view.show(article, [mention], [(0, 6)])
        await pilot.pause()
        shown = "\n".join(lines_text(view))
        assert "[/] title [bold]" in shown
        assert text in shown
        await pilot.click(ArticleView, offset=(14, 2))
        await pilot.pause()
        assert app.is_running
        assert view.entity == "e"
