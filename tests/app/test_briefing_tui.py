"""Dossiers, pins, the briefing and its export, used as a person would (issue 4's TUI part).

Tests on the seeds need the real model (roles and quotes come from spaCy's parser); the ones on
hand-made data check that untrusted text stays literal and that a dossier still being analysed
says so, then fills in.
"""

from __future__ import annotations

import re
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from index import Cooccurrence, Dossier, Entity, Library, Period, Pinned, Quote, Role, Source
from index.models import ArticleSummary
from reader.config import Config
from reader.dialogs.confirm_dialog import ConfirmDialog
from reader.dialogs.export_dialog import ExportDialog, chosen_path, default_path
from reader.dialogs.note_dialog import NoteDialog
from reader.screens.briefing_screen import BriefingScreen
from reader.screens.dossier_screen import FILL_STEP, IDLE_STEPS, DossierScreen
from reader.screens.help_screen import HelpScreen
from reader.screens.main_screen import MainScreen
from reader.widgets.article_list import ArticleList
from reader.widgets.article_view import ArticleView
from reader.widgets.crossref_panel import CrossRefList
from reader.widgets.item_list import ItemList
from tests.app.helpers import (
    open_by_search,
    screen_text,
    select_entity,
    settle,
    status,
    type_query,
)
from tests.conftest import REUTERS_TITLE, SCMP_TITLE

pytestmark = pytest.mark.anyio

WIDE = (160, 48)
SCMP = "scmp-china-kazakhstan-xinjiang"
QUOTE = "We appreciated the Kazakh government"


async def open_wang_yi_dossier(pilot) -> None:
    await open_by_search(pilot, "kazakh", SCMP_TITLE)
    await select_entity(pilot, "wang yi")
    assert pilot.app.screen.query_one(ArticleView).entity == "wang-yi"
    await pilot.press("d")
    await settle(pilot, rounds=6)
    assert isinstance(pilot.app.screen, DossierScreen)


def notes(app) -> list[str]:
    return [notification.message for notification in app._notifications]


def highlight(app, text: str) -> None:
    """Put the list's highlight on the first selectable item holding ``text``."""
    listing = app.screen.query_one(ItemList)
    for index, (prompt, selectable) in enumerate(listing.items):
        if selectable and text in prompt.plain:
            listing.highlight(index)
            return
    raise AssertionError(f"no item holds {text!r}")


# --- the dossier ---------------------------------------------------------------------------------
@pytest.mark.model
async def test_d_on_wang_yi_shows_his_dossier(make_app, seed_library):
    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await open_wang_yi_dossier(pilot)
        text = screen_text(app)
        assert "Wang Yi" in text and "PERSON" in text
        assert "also: Wang" in text
        assert "5 mentions in 1 article" in text
        assert "Roles" in text and "Chinese Foreign Minister" in text
        assert f"“{QUOTE}" in text
        assert "South China Morning Post" in text
        assert "Appears with" in text and "Beibut Atamkulov" in text
        assert "When" in text
        assert "Still analysing" not in text
        listing = app.screen.query_one(ItemList)
        plain = "\n".join(prompt.plain for prompt, _ in listing.items)
        assert "undated: 5 mentions (counted apart)" in plain
        assert "Articles, newest first (1)" in plain and SCMP_TITLE in plain
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


@pytest.mark.model
async def test_an_article_in_the_dossier_opens_at_the_first_mention(make_app, seed_library):
    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await open_by_search(pilot, "etim", REUTERS_TITLE)  # start somewhere else
        await pilot.press("escape")
        await pilot.press("e")
        await settle(pilot)
        for char in "xinjiang":
            await pilot.press(char)
        await pilot.press("ctrl+d")  # the entity list: select and open the dossier
        await settle(pilot, rounds=6)
        assert isinstance(app.screen, DossierScreen)
        assert "Xinjiang" in screen_text(app)
        highlight(app, SCMP_TITLE)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        view = app.screen.query_one(ArticleView)
        assert view.article.title == SCMP_TITLE
        assert view.entity == "xinjiang"
        assert "mention 1 of" in status(app)
        assert app.focused is view


@pytest.mark.model
async def test_a_quote_opens_its_article_at_the_speaker(make_app, seed_library):
    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await open_wang_yi_dossier(pilot)
        highlight(app, QUOTE)
        await pilot.press("enter")
        await settle(pilot)
        view = app.screen.query_one(ArticleView)
        assert view.entity == "wang-yi"
        cursor = view.place().cursor
        assert cursor is not None
        assert view.article.text.index(QUOTE) < cursor  # "..., Wang said": after the quote


@pytest.mark.model
async def test_who_appears_with_it_opens_their_dossier_and_backspace_returns(
    make_app, seed_library
):
    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await open_wang_yi_dossier(pilot)
        highlight(app, "Beibut Atamkulov")
        await pilot.press("enter")
        await settle(pilot, rounds=6)
        assert isinstance(app.screen, DossierScreen)
        assert app.screen.dossier.entity.name == "Beibut Atamkulov"
        assert "Beibut Atamkulov  PERSON" in screen_text(app)
        await pilot.press("backspace")
        await settle(pilot, rounds=6)
        assert app.screen.dossier.entity.id == "wang-yi"
        assert "Chinese Foreign Minister" in screen_text(app)


@pytest.mark.model
async def test_d_in_the_panel_opens_the_highlighted_entity(make_app, seed_library):
    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await open_by_search(pilot, "etim", REUTERS_TITLE)
        await pilot.press("escape")
        await pilot.press("enter")  # to the panel: the article's entities
        await settle(pilot)
        assert isinstance(app.focused, CrossRefList)
        entity = app.screen.panel.highlighted_entity()
        assert entity is not None
        await pilot.press("d")
        await settle(pilot, rounds=6)
        assert isinstance(app.screen, DossierScreen)
        assert app.screen.dossier.entity.id == entity


@pytest.mark.model
async def test_d_with_nothing_selected_says_what_to_do(make_app, seed_library):
    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await open_by_search(pilot, "etim", REUTERS_TITLE)
        await pilot.press("escape", "d")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert "Select an entity first" in status(app)


# --- pins and the briefing -----------------------------------------------------------------------
@pytest.mark.model
async def test_p_pins_the_sentence_and_P_lists_it(make_app, seed_library):
    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await open_by_search(pilot, "kazakh", SCMP_TITLE)
        await select_entity(pilot, "wang yi")
        await pilot.press("n")  # the second mention: "... Wang Yi said ..."
        await pilot.press("p")
        await settle(pilot)
        assert status(app).startswith("Pinned: "), status(app)
        assert not [n for n in notes(app) if n.startswith("Pinned")]  # nothing over the text
        pins = app.library.pins()
        assert len(pins) == 1
        await pilot.press("p")  # the same sentence again: not pinned twice
        await settle(pilot)
        assert status(app).startswith("Already pinned: ")
        assert len(app.library.pins()) == 1
        view = app.screen.query_one(ArticleView)
        cursor = view.place().cursor
        assert pins[0].start <= cursor < pins[0].end
        await pilot.press("P")
        await settle(pilot)
        assert isinstance(app.screen, BriefingScreen)
        text = screen_text(app)
        assert "1 pinned passage" in text
        assert SCMP_TITLE in text
        assert "1 · South China Morning Post · undated" in text
        assert pins[0].passage[:40] in text
        await pilot.press("enter")  # back to the article, at the pin
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.query_one(ArticleView).article.title == SCMP_TITLE


def pin_three(path: Path) -> list[Pinned]:
    with Library.open(path) as lib:
        text = lib.article(SCMP).text
        made = []
        for words in ("Chinese Foreign Minister Wang Yi and", QUOTE, "Xinjiang"):
            span = lib.sentence_at(SCMP, text.index(words))
            made.append(lib.pin(SCMP, span.start, span.end))
    return made


@pytest.mark.model
async def test_reorder_annotate_delete_survive_reopening(make_app, seed_library):
    first, second, third = pin_three(seed_library)
    assert len({first.passage, second.passage, third.passage}) == 3
    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BriefingScreen)
        assert "3 pinned passages" in screen_text(app)
        assert screen.selected_pin.id == first.id
        await pilot.press("J")  # first moves down one
        await settle(pilot)
        assert [p.id for p in screen.pins] == [second.id, first.id, third.id]
        assert screen.selected_pin.id == first.id
        await pilot.press("shift+down")  # and once more, to the end
        await pilot.press("k", "k")  # up to the top: second
        await settle(pilot)
        assert screen.selected_pin.id == second.id
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, NoteDialog)
        for char in "key line":
            await pilot.press(char)
        await pilot.press("enter")
        await settle(pilot)
        assert "note: key line" in screen_text(app)
        await pilot.press("j")  # third
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert len(screen.pins) == 3
        await pilot.press("delete")
        await pilot.press("y")
        await settle(pilot)
        assert [p.id for p in screen.pins] == [second.id, first.id]
        assert "2 pinned passages" in screen_text(app)
    with Library.open(seed_library) as lib:
        kept = lib.pins()
    assert [p.id for p in kept] == [second.id, first.id]
    assert kept[0].note == "key line" and kept[1].note == ""
    app = make_app(seed_library)  # and the reader shows them so after a restart
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        text = screen_text(app)
        assert "2 pinned passages" in text and "note: key line" in text
        assert text.index(second.passage[:30]) < text.index(first.passage[:30])


@pytest.mark.model
async def test_ctrl_e_writes_the_briefing_as_markdown(make_app, seed_library, tmp_path):
    app = make_app(seed_library)
    target = tmp_path / "out" / "my-briefing.md"
    target.parent.mkdir()
    async with app.run_test(size=WIDE) as pilot:
        await open_by_search(pilot, "kazakh", SCMP_TITLE)
        await select_entity(pilot, "wang yi")
        await pilot.press("p")
        await settle(pilot)
        passage = app.library.pins()[0].passage
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        field = app.screen.query_one("#export-path")
        assert field.value.endswith(".md") and "briefing-" in field.value
        field.value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert f"Briefing written to {target}" in notes(app)
    text = target.read_text(encoding="utf-8")
    assert passage in text
    assert "South China Morning Post" in text
    assert SCMP_TITLE.split("‘")[0].strip() in text


@pytest.mark.model
@pytest.mark.parametrize("dossiers", [True, False])
async def test_the_export_asks_for_a_title_and_adds_the_pinned_peoples_dossiers(
    make_app, seed_library, tmp_path, dossiers
):
    app = make_app(seed_library)
    target = tmp_path / "brief.md"
    async with app.run_test(size=WIDE) as pilot:
        await open_by_search(pilot, "kazakh", SCMP_TITLE)
        await select_entity(pilot, "wang yi")
        await pilot.press("p")  # the sentence naming Wang Yi
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        text = screen_text(app)
        assert "Title" in text and "Add the dossiers of the people and organisations" in text
        assert "Wang Yi" in app.screen.query_one("#export-names").render().plain
        assert app.screen.focused is app.screen.query_one("#export-title")
        await pilot.press("ctrl+u", *"Kazakhstan visit")
        if not dossiers:
            await pilot.press("tab", "space", "tab")  # untick the dossiers, on to the path
        app.screen.query_one("#export-path").value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BriefingScreen)
    out = target.read_text(encoding="utf-8")
    assert out.startswith("# Kazakhstan visit\n")
    assert ("## Wang Yi (PERSON)" in out) is dossiers
    assert "## Pinned passages" in out


@pytest.mark.model
async def test_export_from_the_dossier_holds_the_dossier_and_asks_before_replacing(
    make_app, seed_library, tmp_path
):
    app = make_app(seed_library)
    target = tmp_path / "wang.md"
    target.write_text("old", encoding="utf-8")
    async with app.run_test(size=WIDE) as pilot:
        await open_wang_yi_dossier(pilot)
        await pilot.press("ctrl+e")
        await settle(pilot)
        app.screen.query_one("#export-path").value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert "exists: enter again to replace it" in screen_text(app)
        assert target.read_text(encoding="utf-8") == "old"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DossierScreen)
    text = target.read_text(encoding="utf-8")
    assert "Chinese Foreign Minister" in text and QUOTE in text


@pytest.mark.model
async def test_the_new_keys_can_be_remapped_by_binding_id(make_app, seed_library):
    keys = {"article.pin": "ctrl+b", "main.briefing": "ctrl+o", "briefing.close": "c"}
    app = make_app(seed_library, config=Config(theme="textual-dark", keys=keys))
    async with app.run_test(size=WIDE) as pilot:
        await open_by_search(pilot, "kazakh", SCMP_TITLE)
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert len(app.library.pins()) == 1
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, BriefingScreen)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


@pytest.mark.model
async def test_help_lists_the_new_keys(make_app, seed_library):
    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        keys = str(app.screen.query_one("#help-keys").render())
        for ident in (
            "article.dossier",
            "article.pin",
            "panel.dossier",
            "entities.dossier",
            "main.briefing",
            "main.export",
            "dossier.close",
            "dossier.previous",
            "briefing.move_up",
            "briefing.move_down",
            "briefing.annotate",
            "briefing.delete",
            "briefing.export",
        ):
            assert ident in keys, ident


# --- hand-made data: untrusted text, and a dossier still being analysed ------------------------
EVIL = "Acme [Corp] [/] [@click=app.quit]x[/] [link=file:///etc/passwd]y"


def evil_dossier(analysed: int = 1) -> Dossier:
    entity = Entity("evil", EVIL, "ORG", ("[b]alias[/b]",), 3, 1)
    article = ArticleSummary("a1", "[b]Title[/b] [red]x", "[i]Source[/i]", "2015-09-02")
    other = Entity("o", "[@click=app.bell]Other[/]", "PERSON", (), 1, 1)
    return Dossier(
        entity=entity,
        first_seen="2015-09-02",
        last_seen="2015-09-02",
        roles=(Role("[bold]chief[/bold] of [link=x]y[/link]", "a1", 0, 5, "evil"),),
        quotes=(Quote("[blink]we said[/]", "[red]he", "a1", 10, 20, "said", "evil"),),
        cooccurring=(Cooccurrence(other, 1, 1),),
        timeline=(Period("2015-08", 1), Period("2015-09", 2)),
        undated=4,
        articles=(article,),
        analysed=analysed,
        of=1,
    )


class FakeLibrary:
    """Answers dossier() and pins() with hand-made data; the second, unbudgeted dossier call
    waits until the test lets it go."""

    def __init__(self, first: Dossier, full: Dossier | None = None) -> None:
        self.first, self.full = first, full or first
        self.go = threading.Event()
        self.calls: list[object] = []
        self.pinned = [
            Pinned(
                1,
                "a1",
                0,
                5,
                "[bold]passage[/] [@click=app.quit]q[/]",
                "[i]note[/i]",
                source=Source("a1", "[b]T[/b]", "[u]S[/u]", "2015-09-02"),
            )
        ]

    def dossier(self, name: str, *, budget: float | None = 0.75) -> Dossier:
        self.calls.append(budget)
        if budget is None:
            self.go.wait(10)
            return self.full
        return self.first

    def pins(self) -> list[Pinned]:
        return list(self.pinned)


async def test_dossier_and_briefing_show_markup_literally(make_app, tmp_path):
    app = make_app(tmp_path / "empty")
    fake = FakeLibrary(evil_dossier())
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        app.push_screen(DossierScreen(fake, "evil"))  # type: ignore[arg-type]
        await settle(pilot)
        text = screen_text(app)
        assert EVIL[:30] in text
        assert "[b]alias[/b]" in text
        assert "[bold]chief[/bold] of [link=x]y[/link]" in text
        assert "“[blink]we said[/]”" in text and "— [red]he said" in text
        assert "[@click=app.bell]Other[/]" in text
        assert "[i]Source[/i] · 2015-09-02 · [b]Title[/b] [red]x" in text
        assert re.search(r"2015-08 █{12} 1 ", text) and re.search(r"2015-09 █{24} 2 ", text)
        assert "undated: 4 mentions (counted apart)" in text
        await pilot.click(ItemList, offset=(5, 3))
        await pilot.press("escape")
        await settle(pilot)
        app.push_screen(BriefingScreen(fake))  # type: ignore[arg-type]
        await settle(pilot)
        text = screen_text(app)
        assert "[b]T[/b]" in text and "1 · [u]S[/u] · 2015-09-02" in text
        assert "[bold]passage[/] [@click=app.quit]q[/]" in text
        assert "note: [i]note[/i]" in text
        await pilot.click(ItemList, offset=(5, 1))
        await settle(pilot)
        assert app.is_running


async def test_a_dossier_being_analysed_says_so_then_fills_in(make_app, tmp_path):
    app = make_app(tmp_path / "empty")
    full = replace(evil_dossier(analysed=4), of=4)
    partial = replace(full, roles=(), quotes=(), analysed=1)
    fake = FakeLibrary(partial, full)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        app.push_screen(DossierScreen(fake, "evil"))  # type: ignore[arg-type]
        for _ in range(20):
            await pilot.pause(0.05)
            if "Still analysing" in screen_text(app):
                break
        text = screen_text(app)
        assert "Still analysing: roles and quotes from 1 of 4 articles so far…" in text
        assert "none yet" in text
        assert "chief" not in text
        fake.go.set()
        await settle(pilot)
        text = screen_text(app)
        assert "Still analysing" not in text
        assert "[bold]chief[/bold]" in text
    # no step made headway (in real life: the parser busy elsewhere): wait for all
    assert fake.calls == [0.75, *[FILL_STEP] * IDLE_STEPS, None]


class SteppingLibrary(FakeLibrary):
    """Each budgeted call has read one more article; the test lets each step go. The first
    ``loading`` steps read none (the parser still loading)."""

    def __init__(self, full: Dossier, loading: int = 0) -> None:
        super().__init__(full, full)
        self.steps = threading.Semaphore(0)
        self.read = 0
        self.loading = loading

    def dossier(self, name: str, *, budget: float | None = 0.75) -> Dossier:
        self.calls.append(budget)
        if self.read and self.loading:
            self.loading -= 1
            return replace(self.full, roles=self.full.roles[:1], analysed=1)
        if self.read:
            self.steps.acquire(timeout=10)
        self.read = min(self.full.of, self.read + 1)
        if self.read == self.full.of:
            return self.full
        return replace(self.full, roles=self.full.roles[: self.read], analysed=self.read)


async def test_a_big_dossier_fills_in_step_by_step_most_relevant_first(make_app, tmp_path):
    """A big entity's dossier shows what the first articles gave while the rest are read: each
    step of the background analysis is shown, with how many of how many articles it covers."""
    app = make_app(tmp_path / "empty")
    full = replace(evil_dossier(analysed=3), of=3)
    fake = SteppingLibrary(full)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        app.push_screen(DossierScreen(fake, "evil"))  # type: ignore[arg-type]
        seen = []
        for step in range(3):
            for _ in range(40):
                await pilot.pause(0.05)
                text = screen_text(app)
                if f"from {step + 1} of 3 articles" in text or "Still analysing" not in text:
                    break
            seen.append("Still analysing" in text)
            fake.steps.release()
        await settle(pilot)
        assert seen[:2] == [True, True]
        assert "Still analysing" not in screen_text(app)
    assert None not in fake.calls and fake.calls[1:] == [FILL_STEP] * (len(fake.calls) - 1)


async def test_a_dossier_goes_on_filling_in_while_the_parser_loads(make_app, tmp_path):
    """At 100k articles the parser's loading can outlast the first step (the screen lays out
    16,523 articles meanwhile): steps with no headway then go on, each still shown when it has
    some, instead of one wait for all the articles with nothing shown for minutes."""
    app = make_app(tmp_path / "empty")
    fake = SteppingLibrary(replace(evil_dossier(analysed=3), of=3), loading=2)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        app.push_screen(DossierScreen(fake, "evil"))  # type: ignore[arg-type]
        for _ in range(40):
            await pilot.pause(0.05)
            if "from 1 of 3 articles" in screen_text(app):
                break
        fake.steps.release()
        for _ in range(40):
            await pilot.pause(0.05)
            if "from 2 of 3 articles" in screen_text(app):
                break
        assert "from 2 of 3 articles" in screen_text(app)
        fake.steps.release()
        await settle(pilot)
        assert "Still analysing" not in screen_text(app)
    assert None not in fake.calls
    assert fake.calls == [0.75, FILL_STEP, FILL_STEP, FILL_STEP, FILL_STEP]


async def test_a_big_dossiers_articles_are_laid_out_only_as_far_as_they_are_seen(
    make_app, tmp_path, monkeypatch
):
    """United States is in 16,523 articles at 100k: wrapping them all for the first showing,
    then again at each step of the filling in, held the keys up for seconds. Only the items on
    screen are wrapped, once; every article stays listed and reachable."""
    app = make_app(tmp_path / "empty")
    many = tuple(ArticleSummary(f"a{i}", f"Story {i}", "Wire", "2015-09-02") for i in range(300))
    fake = SteppingLibrary(replace(evil_dossier(analysed=3), of=3, articles=many))
    wrapped: list[str] = []
    wrap = ItemList._wrap

    def counted(self, prompt, width):
        wrapped.append(prompt.plain)
        return wrap(self, prompt, width)

    monkeypatch.setattr(ItemList, "_wrap", counted)

    async def shown(text: str) -> str:
        for _ in range(40):
            await pilot.pause(0.05)
            if text in screen_text(app):
                break
        await pilot.pause(0.2)
        return screen_text(app)

    def stories() -> int:
        return sum(p.startswith("Story") for p in wrapped)

    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        app.push_screen(DossierScreen(fake, "evil"))  # type: ignore[arg-type]
        text = await shown("from 1 of 3 articles")
        assert "Articles, newest first (300)" in text and "Story 0" in text
        first = stories()
        assert 0 < first < 50  # the ones on screen
        fake.steps.release()
        text = await shown("from 2 of 3 articles")
        assert "from 2 of 3 articles" in text and "Story 0" in text
        assert stories() == first  # the step wrapped no article again
        fake.steps.release()
        await pilot.press("end")  # the last article is still there to open
        await pilot.pause(0.2)
        assert "Story 299" in screen_text(app)
        assert stories() < 100


def test_export_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = default_path()
    assert first.parent == tmp_path and first.name.startswith("briefing-")
    first.write_text("x")
    assert default_path().name.endswith("-2.md")
    assert chosen_path("notes.md") == tmp_path / "notes.md"
    assert chosen_path(str(tmp_path)).name.endswith("-2.md")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert chosen_path("~/b.md") == tmp_path / "home" / "b.md"


@pytest.mark.model
async def test_copies_of_a_story_are_one_search_result(make_app, tmp_path):
    import json

    body = (
        "Brazil is not happy with the existing structure of the 14-bank advisory committee "
        "which coordinates its commercial bank debt, Finance Minister Dilson Funaro said.\n\n"
        "U.S. banks have 50 pct representation on the committee while holding only 35 pct of "
        "Brazil's debt to banks, he said."
    )
    data = tmp_path / "wire.jsonl"
    with data.open("w", encoding="utf-8") as out:
        for n in (1, 2):  # the same story sent twice, the second with a word fixed
            text = body if n == 1 else body.replace("U.S. banks", "U.S. Banks")
            record = {"id": f"wire-{n}", "title": "BRAZIL CRITICISES ADVISORY COMMITTEE",
                      "body": text, "source": "Reuters", "date": "1987-03-02"}
            out.write(json.dumps(record) + "\n")
    with Library.open(tmp_path / "lib") as lib:
        assert lib.add([data], jobs=1).added == 2
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_query(pilot, "advisory")
        await settle(pilot)
        hits = app.screen.query_one(ArticleList)._hits
        assert len(hits) == 1 and len(hits[0].copies) == 1
        text = screen_text(app)
        assert "2 copies" in text and "2 results" in text and "first 1" not in text


@pytest.mark.model
async def test_backspace_after_a_quote_returns_to_its_dossier(make_app, seed_library):
    app = make_app(seed_library)
    async with app.run_test(size=WIDE) as pilot:
        await open_wang_yi_dossier(pilot)
        highlight(app, QUOTE)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        await pilot.press("backspace")
        await settle(pilot)
        assert isinstance(app.screen, DossierScreen)
        assert app.screen.dossier.entity.name == "Wang Yi"
