"""Cases 1-4, 13, 14, 18 and 23 in the TUI (``App.run_test``), plus the start-up check; and the
same hostile text through ``reader show`` on a pipe and on a terminal.

Hostile articles go in through the real import path; the 1 MB and 50,000-article libraries are
written straight into the store (the import is tested elsewhere; here the screens are).
"""

from __future__ import annotations

import json
import os
import pty
import select
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from index import Library, safe_text
from reader.app import ReaderApp
from reader.config import Config
from reader.screens.main_screen import MainScreen
from reader.widgets.article_list import ArticleList
from reader.widgets.article_view import ArticleView
from tests.app.helpers import screen_text, settle
from tests.reliability.conftest import (
    ROOT,
    UNSAFE_OUTPUT,
    assert_check_clean,
    assert_one_line_errors,
    reader_cmd,
    reader_env,
    run_reader,
    write,
)

pytestmark = pytest.mark.anyio

MARKUP = ["[/]", "[bold]x", "unclosed [b", "[@click=app.quit]x[/]", "[link=file:///etc/passwd]y"]
ESCAPES = {
    "clear": "\x1b[2J",
    "title": "\x1b]0;pwned-title\x07",
    "osc8": "\x1b]8;;file:///etc/passwd\x1b\\link text\x1b]8;;\x1b\\",
    "osc52": "\x1b]52;c;cHduZWQ=\x07",
    "c1": "\x9b31m",
    "dcs": "\x1bPq#0;2;0;0;0#1\x1b\\",
    "bel": "\x07",
    "cr": "overwrite\rOK",
    "bs": "abc\x08\x08\x08",
    "unterminated": "\x1b]0;never ends",
}
BIDI_TITLE = "Invoice \u202etxt.exe\u202c report \u2066isolated\u2069 words"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def make_app(library: Library, tmp_path: Path) -> ReaderApp:
    app = ReaderApp(library, name="test", config=Config(theme="textual-dark"),
                    history_path=tmp_path / "history.txt")
    app.animation_level = "none"
    return app


def hostile_library(tmp_path: Path) -> Path:
    """Articles whose every field carries markup, escapes and bidi overrides."""
    records = [
        {"id": "markup", "title": "Markup " + " ".join(MARKUP),
         "source": "Feed x [/] y", "author": "Ann [bold]Author[/]",
         "url": "javascript:alert(1)",
         "text": "Angela Merkel met Emmanuel Macron in Paris. " + " ".join(MARKUP)
                 + "\n\nAcme [Corp] [/] said nothing. [link=javascript:alert(1)]click[/link]"},
        {"id": "escapes", "title": "Escapes " + ESCAPES["title"] + ESCAPES["c1"] + "title",
         "source": "Esc \x1b[31mred\x1b[0m", "url": "file:///etc/passwd",
         "text": "Olaf Scholz spoke in Berlin. " + " ".join(ESCAPES.values())
                 + "\n\nThe end of the escapes story."},
        {"id": "bidi", "title": BIDI_TITLE, "source": "Bidi \u202ereversed\u202c",
         "text": "Jacinda Ardern visited Hanoi. Trojan \u202e source \u2066 text \u2069 here."},
    ]
    src = write(tmp_path / "hostile.jsonl", "\n".join(json.dumps(r) for r in records) + "\n")
    path = tmp_path / "library"
    with Library.open(path) as lib:
        report = lib.add([src], jobs=1)
        assert report.added == 3, report
        # An entity whose very name is markup (the recognizer would not make one up).
        add_entity(lib, "markup", "Acme [Corp] [/]", "ORG")
    return path


def add_entity(lib: Library, article_id: str, name: str, label: str) -> None:
    """A mention of ``name`` where it occurs in the article, written as the importer would."""
    from index.entities import normalize

    article = lib.article(article_id)
    start = article.text.index(name)
    with lib.store.write() as db:
        (rowid,) = db.execute("SELECT rowid FROM articles WHERE id = ?", (article_id,)).fetchone()
        db.execute(
            "INSERT INTO mentions (article, start, end, text, label, sent_start, sent_end, key)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (rowid, start, start + len(name), name, label, start, start + len(name),
             normalize(name)),
        )
    lib.relink()


def assert_screen_safe(app: ReaderApp) -> str:
    text = screen_text(app)
    for bad in ("\x1b", "\x9b", "\x00", "\x07", "\x08", "\r", "\u202e", "\u2066", "pwned"):
        assert bad not in text, f"{bad!r} reached the screen"
    return text


class Recorder:
    """Stands in for every way the app could open a URL or leave the app."""

    def __init__(self, app: ReaderApp, monkeypatch) -> None:
        self.calls: list[tuple] = []
        monkeypatch.setattr(app, "open_url", lambda *a, **k: self.calls.append(("open_url", a)))
        import webbrowser

        monkeypatch.setattr(webbrowser, "open", lambda *a, **k: self.calls.append(("web", a)))
        monkeypatch.setattr(webbrowser, "open_new_tab",
                            lambda *a, **k: self.calls.append(("web", a)))


CLICK_TARGETS = ("[@click", "[link", "click", "Acme", "link text", "Author", "Feed", "[/]")


def clickable_cells(app: ReaderApp) -> list[tuple[int, int, str]]:
    """Every piece of the screen whose style would run an action (``@click`` meta, as markup
    makes) or open a link when clicked. Reading the styles covers every cell; the clicks below
    then check, on the known targets and a coarse grid, that a click really does nothing."""
    found = []
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        x = 0
        for segment in strip:
            style = segment.style
            meta = style.meta if style is not None else {}
            if style is not None and (style.link or any(key.startswith("@") for key in meta)):
                found.append((x, y, segment.text))
            x += segment.cell_length
    return found


async def click_everywhere(pilot, app: ReaderApp, widget_type) -> None:
    """Click every would-be action or link on the screen (each spot once), and a coarse grid
    over the widget: a column near each edge and one in the middle, every third line (a list
    row is three lines: every row of the list is clicked)."""
    assert clickable_cells(app) == []
    lines = screen_text(app).split("\n")
    spots = [(line.find(target) + 1, y) for y, line in enumerate(lines)
             for target in CLICK_TARGETS if target in line]
    region = app.screen.query_one(widget_type).region
    columns = {region.x + 1, region.x + region.width // 2, region.right - 2}
    rows = range(region.y, region.y + min(region.height, 15), 3)
    spots += [(x, y) for x in sorted(columns) for y in rows]
    for x, y in dict.fromkeys(spots):
        await pilot.click(offset=(x, y))
        if not app.is_running:
            return
    await settle(pilot)
    assert clickable_cells(app) == []


async def test_clickable_cells_sees_what_markup_would_make_clickable():
    """The detector above is not vacuous: markup's actions and links are found, plain text not."""
    from textual.app import App
    from textual.widgets import Static

    class Probe(App[None]):
        def compose(self):
            yield Static("plain [b]text[/b] [@click=app.quit]quit me[/] [link='file:///x']file[/]")

    app = Probe()
    async with app.run_test(size=(80, 5)) as pilot:
        await pilot.pause()
        found = [text for _, _, text in clickable_cells(app)]  # type: ignore[arg-type]
        assert found == ["quit me", "file"], found


# --- cases 1, 2 and 18 -------------------------------------------------------------------------


async def test_case_01_02_18_markup_shown_literally_and_clicks_run_nothing(tmp_path, monkeypatch):
    path = hostile_library(tmp_path)
    with Library.open(path, create=False) as lib:
        app = make_app(lib, tmp_path)
        recorder = Recorder(app, monkeypatch)
        async with app.run_test(size=(170, 50)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, MainScreen)
            text = assert_screen_safe(app)
            assert "Markup [/] [bold]x unclosed [b" in text  # the list: the title as typed
            assert "Feed x [/] y" in text
            await click_everywhere(pilot, app, ArticleList)
            assert app.is_running
            # Open the markup article (the list is newest first; walk to it).
            for _ in range(3):
                article_list = app.screen.query_one(ArticleList)
                selected = article_list.selected()
                if selected and selected[0] == "markup":
                    break
                await pilot.press("j")
            await pilot.press("enter")
            await settle(pilot)
            view = app.screen.query_one(ArticleView)
            assert view.article is not None and view.article.id == "markup"
            text = assert_screen_safe(app)
            # Word by word (the view wraps lines at spaces), every piece as typed.
            for piece in MARKUP + ["Acme [Corp] [/]", "Feed x [/] y", "Ann [bold]Author[/]",
                                   "[link=javascript:alert(1)]click[/link]"]:
                for word in piece.split():
                    assert word in text, (piece, word)
            assert "Acme [Corp] [/]" in text  # the panel lists the entity by its name
            await click_everywhere(pilot, app, ArticleView)
            assert app.is_running, "a click ran [@click=app.quit]"
            # The entity named with markup, in the panel and in the entity dialog.
            await pilot.press("e")
            await settle(pilot)
            assert "Acme [Corp] [/]" in assert_screen_safe(app)
            await pilot.press("escape")
            await settle(pilot)
            assert app.is_running
        assert recorder.calls == [], recorder.calls  # no link was opened, javascript: or file:


def test_case_02_cli_prints_markup_literally(tmp_path):
    path = hostile_library(tmp_path)
    found = run_reader(path, "search", "Merkel")
    assert found.code == 0, found
    flat = " ".join(found.out.split())  # off a terminal, lines wrap at 80 columns
    assert "Markup [/] [bold]x unclosed [b [@click=app.quit]x[/] [link=file:///etc/passwd]y" in flat
    entities = run_reader(path, "entities")
    assert "Acme [Corp] [/]" in entities.out, entities
    shown = run_reader(path, "show", "markup")
    assert "Feed x [/] y" in shown.out and "Ann [bold]Author[/]" in shown.out, shown
    for run in (found, entities, shown):
        assert_one_line_errors(run)


FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>Wire [/] feed [bold]x</title>
<item><title>Talks x [/] y in Paris</title>
<dc:creator>Ann [bold]Author[/] [@click=app.quit]q[/]</dc:creator>
<link>javascript:alert(1)</link><pubDate>Tue, 01 Sep 2015 10:00:00 GMT</pubDate>
<description>Angela Merkel met Emmanuel Macron in Paris. Acme [Corp] [/] stayed away.</description>
</item></channel></rss>"""


async def test_case_02_feed_titles_and_authors_with_markup(tmp_path):
    """Through the real feed parser: an item's title and author holding markup are stored,
    printed and shown as written."""
    src = write(tmp_path / "wire.rss", FEED)
    path = tmp_path / "library"
    with Library.open(path) as lib:
        assert lib.add([src], jobs=1).added == 1
        (summary,) = lib.articles()
        article = lib.article(summary.id)
        assert article.title == "Talks x [/] y in Paris"
        assert article.author == "Ann [bold]Author[/] [@click=app.quit]q[/]"
    shown = run_reader(path, "show", summary.id)
    assert shown.code == 0, shown
    assert "Talks x [/] y in Paris" in shown.out and "Ann [bold]Author[/]" in shown.out, shown
    assert_one_line_errors(shown)
    with Library.open(path, create=False) as lib:
        app = make_app(lib, tmp_path)
        async with app.run_test(size=(170, 50)) as pilot:
            await settle(pilot)
            assert "Talks x [/] y in Paris" in assert_screen_safe(app)
            await pilot.press("enter")
            await settle(pilot)
            text = assert_screen_safe(app)
            for word in "Ann [bold]Author[/] [@click=app.quit]q[/]".split():
                assert word in text, word
            assert clickable_cells(app) == []
            assert app.is_running


def test_case_18_only_http_links_may_be_opened():
    from index.safe import openable_url

    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:x", "file:///etc/passwd",
                "data:text/html,<script>", "vbscript:x", "ftp://host/x", "mailto:a@b.c",
                "http://", "//evil.example/x", "http://ex\x1bample.com", "https://a.example/\x00",
                "", "not a url", "http://user:pass@host.example/"):
        assert openable_url(bad) is None, bad
    assert openable_url("https://www.reuters.com/article/x?y=1#z") == \
        "https://www.reuters.com/article/x?y=1#z"
    assert openable_url("  http://example.com/a b ") == "http://example.com/a%20b"


async def test_case_18_o_opens_only_http_links_and_only_after_the_user_says_yes(
        tmp_path, monkeypatch):
    from reader.dialogs.confirm_dialog import ConfirmDialog

    path = hostile_library(tmp_path)
    web = {"id": "web", "title": "A story on the web", "url": "https://news.example/story?id=7",
           "text": "Olaf Scholz spoke in Leeds on Monday."}
    src = write(tmp_path / "web.jsonl", json.dumps(web) + "\n")
    with Library.open(path, create=False) as lib:
        assert lib.add([src], jobs=1).added == 1
        app = make_app(lib, tmp_path)
        recorder = Recorder(app, monkeypatch)
        async with app.run_test(size=(140, 45)) as pilot:
            await settle(pilot)
            screen = app.screen
            for article, answer in (("web", "n"), ("web", "y"), ("markup", None),
                                    ("escapes", None)):
                screen._open(article, focus=True)
                await settle(pilot)
                assert screen.query_one(ArticleView).article.id == article
                screen.query_one(ArticleView).focus()
                await pilot.press("o")
                await settle(pilot)
                if answer is None:  # javascript: and file: are refused without asking
                    assert not isinstance(app.screen, ConfirmDialog)
                    assert "only http and https links" in " ".join(
                        str(n.message) for n in app._notifications)
                    continue
                assert isinstance(app.screen, ConfirmDialog)
                assert "https://news.example/story?id=7" in screen_text(app)
                await pilot.press(answer)
                await settle(pilot)
        assert recorder.calls == [("open_url", ("https://news.example/story?id=7",))]


# --- case 3 ---------------------------------------------------------------------------------


async def test_case_03_no_escape_reaches_the_tui(tmp_path):
    path = hostile_library(tmp_path)
    with Library.open(path, create=False) as lib:
        app = make_app(lib, tmp_path)
        async with app.run_test(size=(170, 50)) as pilot:
            await settle(pilot)
            for _ in range(3):
                await pilot.press("enter")
                await settle(pilot)
                assert_screen_safe(app)
                await pilot.press("ctrl+l", "j")
                await settle(pilot)
            # Search results carry snippets of the hostile text too.
            search = app.screen.query_one("#search")
            search.value = "escapes"
            await pilot.pause(0.4)
            await settle(pilot)
            assert_screen_safe(app)


def test_case_03_show_through_a_pipe_and_a_terminal(tmp_path):
    path = hostile_library(tmp_path)
    for article in ("escapes", "markup", "bidi"):
        run = run_reader(path, "show", article)
        assert run.code == 0, run
        assert not UNSAFE_OUTPUT.search(run.stdout), run.stdout
        assert "\u202e".encode() not in run.stdout and "\u2066".encode() not in run.stdout
        as_json = run_reader(path, "show", article, "--json")
        assert not UNSAFE_OUTPUT.search(as_json.stdout)
        json.loads(as_json.out)  # still valid JSON
    # On a terminal (a pseudo-terminal: the program sees isatty() true).
    main, child = pty.openpty()
    proc = subprocess.Popen(reader_cmd(path, "show", "escapes"), stdin=child, stdout=child,
                            stderr=child, env=reader_env(TERM="xterm-256color"), cwd=ROOT)
    os.close(child)
    out = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(main, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        elif proc.poll() is not None:
            break
    proc.wait(30)
    os.close(main)
    assert proc.returncode == 0, out
    assert b"The end of the escapes story." in out
    text = out.replace(b"\r\n", b"\n")  # the terminal's own line discipline adds \r
    assert not UNSAFE_OUTPUT.search(text), text
    assert b"pwned" not in text


# --- case 4 ---------------------------------------------------------------------------------


async def test_case_04_bidi_neutralised_found_by_visible_words_queries_echoed_safely(tmp_path):
    path = hostile_library(tmp_path)
    with Library.open(path, create=False) as lib:
        title = lib.article("bidi").title
        assert "\u202e" not in title and "\u2066" not in title
        assert title == safe_text(BIDI_TITLE)
        for words in ("invoice report", "isolated words", "txt.exe"):
            assert "bidi" in {h.id for h in lib.search(words).hits}, words
        app = make_app(lib, tmp_path)
        async with app.run_test(size=(170, 50)) as pilot:
            await settle(pilot)
            assert "Invoice" in assert_screen_safe(app)
            search = app.screen.query_one("#search")
            for query in ("[bold]isolated[/]", "[/]", "[@click=app.quit]x[/] invoice", "(",
                          "[link=file:///etc/passwd]y"):
                search.value = query
                await pilot.pause(0.4)
                await settle(pilot)
                assert app.is_running
                assert_screen_safe(app)
                assert query.split()[0] in screen_text(app)  # echoed as typed
            search.value = "invoice"
            await pilot.pause(0.4)
            await settle(pilot)
            assert "Invoice" in assert_screen_safe(app)


async def test_case_04_escapes_pasted_into_the_search_box_are_not_echoed(tmp_path):
    """Pasted, typed or set, the search box holds and paints no escape, C1 or bidi character;
    the cursor lands after what was really inserted and the search still runs as you type."""
    from textual import events

    from reader.widgets.search_box import SearchBox

    path = hostile_library(tmp_path)
    with Library.open(path, create=False) as lib:
        app = make_app(lib, tmp_path)
        async with app.run_test(size=(170, 50)) as pilot:
            await settle(pilot)
            await pilot.press("slash")
            search = app.screen.query_one("#search", SearchBox)
            for query, kept in (("\x1b[2J\x1b]0;pwned\x07[/] invoice", "[/] invoice"),
                                ("\u202eword", "word"), ("(\x9b31m", "("),
                                ("two\x1b[31m words\nsecond line", "two words")):
                search.value = ""
                search.post_message(events.Paste(query))
                await pilot.pause(0.4)
                await settle(pilot)
                assert app.is_running
                assert_screen_safe(app)
                assert search.value == kept, (query, search.value)
                assert search.cursor_position == len(kept)
            # Pasted into the middle: the cursor ends after the clean text, not further.
            search.value = "ab"
            search.cursor_position = 1
            search.post_message(events.Paste("\x1b]8;;file:///x\x1b\\X\u2066Y"))
            await pilot.pause()
            assert search.value == "aXYb" and search.cursor_position == 3
            # Set by code (the history, a test): cleaned too.
            search.value = "\x1b[2Jinvoice\u202e"
            assert search.value == "invoice"
            # Typing still searches as you type, spaces kept where they are typed.
            search.value = ""
            await pilot.press(*"merkel paris")
            await pilot.pause(0.4)
            await settle(pilot)
            assert search.value == "merkel paris"
            assert "1 result" in assert_screen_safe(app)  # the markup article (Merkel, Paris)


# --- cases 13 and 14 ------------------------------------------------------------------------


def store_articles(path: Path, rows: list[tuple[str, str, str, str | None]]) -> None:
    """Write (id, title, text, date) rows straight into a library's store, as committed imports
    leave them (the search index catches up when first used)."""
    Library.open(path).close()
    now = "2024-01-01T00:00:00+00:00"
    with sqlite3.connect(path / "library.db") as db:
        db.executemany(
            "INSERT INTO articles (id, path, record, hash, title, text, source, date, added,"
            " indexed) VALUES (?, ?, '', ?, ?, ?, 'Wire', ?, ?, 0)",
            [(aid, f"/data/{aid}.txt", f"h{aid}", title, text, date, now)
             for aid, title, text, date in rows],
        )


async def test_case_13_one_megabyte_article_opens_and_scrolls_to_its_end(tmp_path):
    """The times (target: under 2 s) are printed here and judged by `make bench`."""
    words = "the council met again on tuesday and discussed the harbour budget at length".split()
    body = " ".join(words[i % len(words)] for i in range(190_000))
    paragraphs = [body[i:i + 2000] for i in range(0, len(body), 2000)]
    text = "\n\n".join(paragraphs) + "\n\nTHE VERY LAST LINE OF THE ARTICLE."
    assert len(text) > 1_000_000
    path = tmp_path / "library"
    store_articles(path, [("big", "A very long article", text, "2024-01-02")])
    with Library.open(path, create=False) as lib:
        app = make_app(lib, tmp_path)
        async with app.run_test(size=(140, 45)) as pilot:
            await settle(pilot)
            view = app.screen.query_one(ArticleView)
            started = time.perf_counter()
            await pilot.press("enter")
            while view.article is None and time.perf_counter() - started < 10:
                await pilot.pause(0.02)
            await pilot.pause()
            opened = time.perf_counter() - started
            assert view.article is not None and view.article.id == "big"
            view.focus()
            started = time.perf_counter()
            await pilot.press("end")
            await pilot.pause()
            ended = time.perf_counter() - started
            assert view.scroll_y == view.max_scroll_y > 100
            assert "THE VERY LAST LINE OF THE ARTICLE." in screen_text(app)
            print(f"case 13: 1 MB article open in {opened:.2f} s, at its end in {ended:.2f} s")


@pytest.mark.slow
async def test_case_14_fifty_thousand_articles_list_opens(tmp_path):
    """The time (target: under 1 s) is printed here and judged by `make bench`."""
    path = tmp_path / "library"
    store_articles(path, [
        (f"a{n:05d}", f"Article number {n} about the harbour", f"Text {n} of the harbour story.",
         f"20{10 + n % 14:02d}-{1 + n % 12:02d}-{1 + n % 28:02d}")
        for n in range(50_000)
    ])
    with Library.open(path, create=False) as lib:
        assert lib.count() == 50_000
        app = make_app(lib, tmp_path)
        started = time.perf_counter()
        async with app.run_test(size=(140, 45)) as pilot:
            while time.perf_counter() - started < 10:
                if isinstance(app.screen, MainScreen) and "Article number" in screen_text(app):
                    break
                await pilot.pause(0.02)
            opened = time.perf_counter() - started
            assert "Article number" in screen_text(app)
            # And its far end is reachable: the oldest article (a00000) is the last row.
            article_list = app.screen.query_one(ArticleList)
            article_list.focus()
            started = time.perf_counter()
            await pilot.press("end")
            while time.perf_counter() - started < 10:
                if "Article number 0 about" in screen_text(app):
                    break
                await pilot.pause(0.05)
            jumped = time.perf_counter() - started
            assert "Article number 0 about" in screen_text(app)
            print(f"case 14: list open in {opened:.2f} s, end of 50,000 rows in {jumped:.2f} s")


# --- case 23 and the start-up check (the TUI side) --------------------------------------------


#: What each made-up story is about, so that no two are copies of one story (which search folds).
PLACES = [
    "rail freight and the new port tariffs",
    "coal mines closing before winter",
    "a tax on imported steel and cars",
    "fishing quotas in the North Sea",
    "flood defences along the river",
]


def two_batches(tmp_path: Path) -> Path:
    """A library of three old stories, and a folder of five new ones to add while it is open."""
    path = tmp_path / "library"
    for n, topic in enumerate(PLACES[:3]):  # three stories, not copies of one
        write(tmp_path / "first" / f"old{n}.txt",
              f"Old story {n}\n\nOlaf Scholz spoke in Leeds about {topic}.")
    assert run_reader(path, "add", "--jobs", "1", tmp_path / "first").code == 0
    for n, topic in enumerate(PLACES):
        write(tmp_path / "second" / f"new{n}.txt",
              f"New story {n}\n\nJacinda Ardern in Hanoi on {topic}.")
    return path


def add_elsewhere(path: Path, folder: Path) -> subprocess.Popen:
    return subprocess.Popen(reader_cmd(path, "add", "--jobs", "1", folder), env=reader_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)


def notices(app: ReaderApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def select_title(pilot, app: ReaderApp, title: str) -> None:
    article_list = app.screen.query_one(ArticleList)
    for _ in range(article_list.total):
        selected = article_list.selected()
        if selected and app.library.article(selected[0]).title == title:
            return
        await pilot.press("j")
        await settle(pilot)
    raise AssertionError(f"{title} is not in the list")


def selected_title(app: ReaderApp) -> str:
    selected = app.screen.query_one(ArticleList).selected()
    assert selected is not None
    return app.library.article(selected[0]).title


async def test_case_23_tui_open_while_reader_add_runs(tmp_path, monkeypatch):
    """ctrl+r reads the library again: every new article once, the selection kept."""
    monkeypatch.setattr("reader.upkeep.POLL_SECONDS", 3600.0)  # only the key reloads here
    path = two_batches(tmp_path)
    with Library.open(path, create=False) as lib:
        app = make_app(lib, tmp_path)
        async with app.run_test(size=(140, 45)) as pilot:
            await settle(pilot)
            assert "3 articles" in screen_text(app)
            await select_title(pilot, app, "Old story 1")
            proc = add_elsewhere(path, tmp_path / "second")
            while proc.poll() is None:  # the app stays responsive while the add runs
                await pilot.press("k", "j")
                await pilot.pause(0.1)
            out, err = proc.communicate()
            assert proc.returncode == 0, err.decode()
            assert b"5 added" in out
            assert app.is_running
            assert "New story" not in screen_text(app)  # not before a reload
            await pilot.press("ctrl+r")
            await settle(pilot)
            text = screen_text(app)
            for n in range(5):
                assert text.count(f"New story {n}") == 1, text
            assert "8 articles" in text  # the header and the count line
            assert selected_title(app) == "Old story 1"
            assert any("read again: 8 articles" in m for m in notices(app)), notices(app)
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen.query_one(ArticleView).article.title == "Old story 1"
            # Pressed again with nothing new: the same list, nothing doubled.
            await pilot.press("ctrl+l", "ctrl+r")
            await settle(pilot)
            assert screen_text(app).count("New story 0") == 1
    assert_check_clean(path)


async def test_case_23_new_articles_show_up_by_themselves(tmp_path, monkeypatch):
    """The app looks at the library's version every few seconds: an add in another process
    shows up without a key, once, with one notice when the import ends."""
    monkeypatch.setattr("reader.upkeep.POLL_SECONDS", 0.3)
    path = two_batches(tmp_path)
    with Library.open(path, create=False) as lib:
        app = make_app(lib, tmp_path)
        async with app.run_test(size=(140, 45)) as pilot:
            await settle(pilot)
            await select_title(pilot, app, "Old story 2")
            proc = add_elsewhere(path, tmp_path / "second")
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err.decode()
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and "New story 4" not in screen_text(app):
                await pilot.pause(0.1)
            await pilot.pause(1.0)  # a few more looks: nothing changes twice
            await settle(pilot)
            text = screen_text(app)
            for n in range(5):
                assert text.count(f"New story {n}") == 1, text
            assert "8 articles" in text
            assert selected_title(app) == "Old story 2"
            news = [m for m in notices(app) if "new article" in m]
            assert news == ["5 new articles in the library."], notices(app)


async def test_a_reload_on_the_welcome_screen_opens_the_library(tmp_path, monkeypatch):
    monkeypatch.setattr("reader.upkeep.POLL_SECONDS", 0.3)
    from reader.screens.welcome_screen import WelcomeScreen

    path = tmp_path / "library"
    with Library.open(path) as lib:
        app = make_app(lib, tmp_path)
        async with app.run_test(size=(140, 45)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, WelcomeScreen)
            await pilot.press("ctrl+r")  # still empty: the welcome screen stays
            await settle(pilot)
            assert isinstance(app.screen, WelcomeScreen)
            write(tmp_path / "in" / "one.txt", "A first story\n\nOlaf Scholz spoke in Leeds.")
            assert run_reader(path, "add", "--jobs", "1", tmp_path / "in").code == 0
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and not isinstance(app.screen, MainScreen):
                await pilot.pause(0.1)
            await settle(pilot)
            assert isinstance(app.screen, MainScreen)
            assert "A first story" in screen_text(app)


def damaged_index_library(tmp_path: Path) -> Path:
    path = tmp_path / "library"
    for n, topic in enumerate(PLACES[:3]):
        write(tmp_path / "in" / f"s{n}.txt", f"Story {n}\n\nOlaf Scholz spoke in Leeds about {topic}.")
    assert run_reader(path, "add", "--jobs", "1", tmp_path / "in").code == 0
    tocs = sorted((path / "index").glob("_MAIN_*.toc"))
    tocs[-1].write_bytes(b"")
    return path


async def test_tui_start_up_check_rebuilds_and_tells(tmp_path):
    """The check runs in a worker after the first screen is up, says in plain words that it
    rebuilt the index, and a search typed at once (racing it) finds the right articles."""
    path = damaged_index_library(tmp_path)
    with Library.open(path, create=False) as lib:
        app = make_app(lib, tmp_path)
        async with app.run_test(size=(140, 45)) as pilot:
            while not isinstance(app.screen, MainScreen):
                await pilot.pause(0.01)
            await pilot.pause()
            await pilot.press("slash")
            await pilot.pause()
            await pilot.press(*"scholz")
            await pilot.pause(0.4)
            await settle(pilot, rounds=5)
            assert "3 results" in screen_text(app)
            rebuilt = [n for n in app._notifications if "rebuilt" in str(n.message)]
            assert len(rebuilt) == 1, notices(app)
            assert rebuilt[0].markup is False
            message = str(rebuilt[0].message)
            assert message.startswith("The search index was rebuilt: the search index could not"
                                      " be used"), message
            assert "Traceback" not in message and "\n" not in message
            report = lib.check()
            assert report.ok, report
    assert_check_clean(path)


async def test_tui_start_up_check_says_nothing_when_all_is_well(tmp_path):
    path = two_batches(tmp_path)
    with Library.open(path, create=False) as lib:
        app = make_app(lib, tmp_path)
        async with app.run_test(size=(140, 45)) as pilot:
            await settle(pilot, rounds=5)
            assert notices(app) == []
            assert [w for w in app.workers if w.group == "check"] == [] or all(
                w.is_finished for w in app.workers if w.group == "check")


async def test_tui_start_up_check_repairs_what_is_missing(tmp_path):
    """An article the index lacks and a document with no article (equal counts: opening the
    index does not notice), and a leftover file: the check repairs them and says what it did."""
    from index.search import IndexDoc, SearchIndex

    path = two_batches(tmp_path)
    with SearchIndex(path / "index") as index:
        index.add([IndexDoc("ghost", "Ghost", "A document nobody stored.")])
        index.delete(["old1"])
    write(path / "index" / "_MAIN_1.toc.1700000000.5", b"half a table of contents")
    with Library.open(path, create=False) as lib:
        app = make_app(lib, tmp_path)
        async with app.run_test(size=(140, 45)) as pilot:
            await settle(pilot, rounds=5)
            said = notices(app)
            assert said == ["The start-up check repaired the library: 1 articles are missing from"
                            " the search index; 1 index documents have no article; 1 leftover"
                            " files in the index folder."], said
            assert {h.id for h in lib.search("story").hits} == {"old0", "old1", "old2"}
    assert_check_clean(path)


async def test_tui_start_up_check_skipped_when_another_import_runs(tmp_path):
    """A busy library is not waited for: one line says the check was skipped; the app works."""
    import fcntl

    path = damaged_index_library(tmp_path)
    with open(path / "import.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running `reader add` does
        with Library.open(path, create=False) as lib:
            app = make_app(lib, tmp_path)
            started = time.monotonic()
            async with app.run_test(size=(140, 45)) as pilot:
                await settle(pilot, rounds=5)
                assert time.monotonic() - started < 5  # READER_LOCK_WAIT is 10 s: not waited
                said = notices(app)
                assert said == ["The start-up check was skipped: another import is running."], said
                assert "Story 1" in screen_text(app)


async def test_tui_start_up_check_skips_a_read_only_library(tmp_path):
    path = two_batches(tmp_path)
    with Library.open(path, readonly=True) as lib:
        app = make_app(lib, tmp_path)
        async with app.run_test(size=(140, 45)) as pilot:
            await settle(pilot, rounds=5)
            assert notices(app) == []
            assert "Old story 1" in screen_text(app)
