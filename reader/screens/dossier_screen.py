"""Provides DossierScreen: who or what an entity is, what it said, who appears with it, when,
and its articles, each openable.

The dossier is read in a thread worker: first with the library's time budget (so the screen
fills within a second), then, while the parser has not got through every article, in steps of
a second, each shown (the library goes on from what the step before read). Every string from
the library goes in as Content (literal text, never markup).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static
from textual.worker import get_current_worker

from index import (
    ENTITY_LABELS,
    ArticleSummary,
    Dossier,
    Library,
    ModelMissing,
    ReaderError,
    safe_line,
    sparkline,
)
from reader.dialogs.ask_dialog import AskDialog
from reader.dialogs.entity_finder import EntityFinder
from reader.dialogs.export_dialog import ExportDialog
from reader.screens.navigation import Destination
from reader.widgets.colours import LABEL_NAMES, label_variable
from reader.widgets.item_list import ItemList
from reader.widgets.key_bar import KeyBar
from reader.wording import plural

#: Entities listed under "Appears with" (the library ranks up to 50).
COMPANY = 20
#: Up to this many periods as bars, more as one sparkline.
BAR_PERIODS = 12
BAR_WIDTH = 24
#: Characters of an article title in a role's or quote's citation (the articles list has it whole).
TITLE = 50


def day(date: str | None) -> str:
    return (date or "undated")[:10]


#: Seconds of parsing between two showings of a dossier being filled in.
FILL_STEP = 1.0
#: Steps in a row without headway before the worker waits for the whole analysis instead.
IDLE_STEPS = 10


@dataclass(frozen=True)
class OtherDossier:
    """An item that opens another entity's dossier in place."""

    entity: str


class DossierScreen(Screen[Destination | None]):
    """Answers with the article to open (enter on a role, quote or article), or None (escape)."""

    CSS_PATH = "dossier_screen.tcss"

    BINDINGS = [
        Binding("escape", "close", "Close", id="dossier.close"),
        Binding("backspace", "previous", "Previous dossier", id="dossier.previous"),
        Binding("ctrl+e", "export", "Export briefing", id="dossier.export"),
        Binding("m", "correct('merge')", "Merge into…", show=False, id="dossier.merge"),
        Binding("R", "correct('rename')", "Rename entity…", show=False, id="dossier.rename"),
        Binding("L", "correct('relabel')", "Change entity type…", show=False,
                id="dossier.relabel"),
        Binding("u", "correct('undo')", "Undo last correction", show=False, id="dossier.undo"),
    ]

    class Loaded(Message):
        """A dossier (complete or not yet) for the request numbered ``generation``."""

        def __init__(self, generation: int, dossier: Dossier, note: str = "") -> None:
            super().__init__()
            self.generation = generation
            self.dossier = dossier
            self.note = note

    class Failed(Message):
        """The dossier could not be read; ``reason`` is one line."""

        def __init__(self, generation: int, reason: str) -> None:
            super().__init__()
            self.generation = generation
            self.reason = reason

    def __init__(self, library: Library, entity: str) -> None:
        super().__init__()
        self.library = library
        self.entity = entity
        self.dossier: Dossier | None = None
        self.previous: list[str] = []  # dossiers opened before this one, from "Appears with"
        self._generation = 0
        self._targets: list[Destination | OtherDossier | None] = []
        # the articles' items of the dossier shown: its articles, entity, items and targets
        self._articles: tuple[tuple[ArticleSummary, ...], str, list, list] | None = None
        self.corrected = False  # a correction was made here: the screen below reads again

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content(""), id="dossier-head", markup=False)
        yield Static(Content(""), id="dossier-note", markup=False)
        yield ItemList(id="dossier-list")
        yield KeyBar()

    @property
    def listing(self) -> ItemList:
        return self.query_one(ItemList)

    def on_mount(self) -> None:
        self.title = "reader · dossier"
        self.listing.focus()
        self._start(self.entity)

    def _start(self, entity: str) -> None:
        self.entity = entity
        self.dossier = None
        self._generation += 1
        self._head(Content.styled("Opening the dossier…", "dim"))
        self._note("")
        self._targets = [None]
        self.listing.set_items([(Content(""), False)])
        self._load(self._generation, entity)

    # --- actions ---------------------------------------------------------------------------
    def action_close(self) -> None:
        self.dismiss(None)

    def action_previous(self) -> None:
        if not self.previous:
            self.notify("No previous dossier; escape closes this one.", markup=False, timeout=2)
            return
        self._start(self.previous.pop())

    def action_export(self) -> None:
        entities = [self.dossier.entity.id] if self.dossier else [self.entity]

        def written(path: Path | None) -> None:
            if path is not None:
                self.notify(f"Briefing written to {path}", markup=False)

        self.app.push_screen(ExportDialog(self.library, entities), written)

    # --- corrections of the entity the dossier is about ---------------------------------------
    def action_correct(self, what: str) -> None:
        entity = self.dossier.entity if self.dossier else None
        if entity is None and what != "undo":
            return
        if what == "undo":
            self._correct(lambda: (self.library.undo(), self.entity)[1], "undone")
        elif what == "merge":
            self._finder_entities(entity.id, entity.name)
        elif what == "rename":

            def renamed(new: str | None) -> None:
                if new:
                    self._correct(lambda: self.library.rename(entity.id, new).id, "renamed")

            self.app.push_screen(AskDialog(f"Rename {entity.name} to", entity.name), renamed)
        elif what == "relabel":

            def relabelled(label: str | None) -> None:
                if label:
                    self._correct(lambda: self.library.relabel(entity.id, label).id, "relabelled")

            self.app.push_screen(
                AskDialog(f"What is {entity.name}?", entity.label, list(ENTITY_LABELS)), relabelled
            )

    @work(thread=True, group="dossier-fix")
    def _finder_entities(self, entity: str, name: str) -> None:
        entities = self.library.entities()
        self.app.call_from_thread(self._pick_merge, entity, name, entities)

    def _pick_merge(self, entity: str, name: str, entities: list) -> None:
        def chosen(into: str | None) -> None:
            if into is not None:
                self._correct(lambda: self.library.merge(into, entity).id, "merged")

        self.app.push_screen(EntityFinder(f"Merge {name} into…", entities, entity), chosen)

    @work(thread=True, group="dossier-fix")
    def _correct(self, job, done: str) -> None:
        try:
            entity = job()
            try:
                entity = self.library.entity(entity).id
            except ReaderError:  # an undone merge may leave the old id behind
                entity = self.dossier.entity.id if self.dossier else self.entity
        except ReaderError as error:
            self.app.call_from_thread(
                self.notify, safe_line(error), severity="warning", markup=False)
            return
        self.app.call_from_thread(self._corrected, entity, done)

    def _corrected(self, entity: str, done: str) -> None:
        self.corrected = True
        self.notify(f"{done}; the dossier is read again", markup=False, timeout=3)
        self._start(entity)

    def on_cross_ref_list_selected(self, event: ItemList.Selected) -> None:
        event.stop()
        if not 0 <= event.index < len(self._targets):
            return
        target = self._targets[event.index]
        if isinstance(target, OtherDossier):
            if self.dossier is not None:
                self.previous.append(self.dossier.entity.id)
            self._start(target.entity)
        elif isinstance(target, Destination):
            self.dismiss(target)

    # --- showing it ------------------------------------------------------------------------
    def on_dossier_screen_loaded(self, message: Loaded) -> None:
        if message.generation != self._generation:
            return
        keep = self.listing.highlighted
        kept_target = self._targets[keep] if keep is not None and self.dossier else None
        scroll_y = self.listing.scroll_y
        self.dossier = message.dossier
        self._show(message.dossier)
        d = message.dossier
        if message.note:
            self._note(message.note)
        elif d.analysed < d.of:
            self._note(
                f"Still analysing: roles and quotes from {d.analysed} of {plural(d.of, 'article')}"
                " so far…"
            )
        else:
            self._note("")
        if kept_target is not None and kept_target in self._targets:
            self.listing.scroll_to(y=scroll_y, animate=False, force=True)
            self.listing.highlight(self._targets.index(kept_target))

    def on_dossier_screen_failed(self, message: Failed) -> None:
        if message.generation != self._generation:
            return
        if self.dossier is None:
            self._head(Content.styled(f"No dossier: {message.reason}", "$text-error"))
        else:
            self._note(f"Could not finish the analysis: {message.reason}")
        self.notify(f"Dossier: {message.reason}", severity="error", markup=False)

    def _head(self, content: Content) -> None:
        self.query_one("#dossier-head", Static).update(content)

    def _note(self, text: str) -> None:
        note = self.query_one("#dossier-note", Static)
        note.update(Content.styled(safe_line(text), "italic $text-warning"))
        note.display = bool(text)

    def _show(self, d: Dossier) -> None:
        e = d.entity
        colour = label_variable(e.label)
        name = safe_line(e.name)
        parts = [
            Content.styled(name, f"bold {colour}"),
            Content.styled(f"  {e.label} · {LABEL_NAMES.get(e.label, '')}", "dim"),
        ]
        aliases = [safe_line(alias) for alias in e.aliases if safe_line(alias) != name]
        if aliases:
            parts += [Content.styled("\nalso: ", "dim"), Content(", ".join(aliases))]
        seen = f"\n{plural(e.mentions, 'mention')} in {plural(e.articles, 'article')}"
        if d.first_seen:
            seen += f" · first seen {d.first_seen} · last seen {d.last_seen}"
        else:
            seen += " · no dated article"
        parts.append(Content(seen))
        self._head(Content.assemble(*parts))

        sources = {a.id: a for a in d.articles}
        pending = d.analysed < d.of
        items: list[tuple[Content, bool]] = []
        targets: list[Destination | OtherDossier | None] = []

        def add(prompt: Content, target: Destination | OtherDossier | None = None) -> None:
            items.append((prompt, target is not None))
            targets.append(target)

        def heading(title: str, empty: bool, when_empty: str) -> None:
            if items:
                add(Content(""))
            text = Content.styled(title, "bold $text-accent")
            if empty:
                text += Content.styled(f"  {when_empty if not pending else 'none yet'}", "dim")
            add(text)

        heading("Roles", not d.roles, "none found")
        for role in d.roles:
            add(
                Content.assemble(
                    Content.styled(safe_line(role.text), "bold"),
                    Content.styled(
                        f"  {plural(role.count, 'article')}" if role.count > 1 else "", "dim"
                    ),
                    "\n  ",
                    self._cite(sources.get(role.article), role.article),
                ),
                Destination(role.article, e.id, role.start),
            )
        heading("Quotes", not d.quotes, "none found")
        for quote in d.quotes:
            cursor = quote.speaker_start if quote.speaker_start >= 0 else quote.start
            add(
                Content.assemble(
                    Content(f"“{safe_line(quote.text)}”"),
                    "\n  ",
                    Content.styled(
                        f"— {safe_line(quote.speaker)} {safe_line(quote.cue)} · ", "dim"
                    ),
                    self._cite(sources.get(quote.article), quote.article),
                ),
                Destination(quote.article, e.id, cursor),
            )
        heading("Appears with", not d.cooccurring, "no other entity")
        for other in d.cooccurring[:COMPANY]:
            shared = [plural(other.sentences, "sentence")] if other.sentences else []
            shared.append(plural(other.articles, "article"))
            add(
                Content.assemble(
                    Content.styled(
                        safe_line(other.entity.name), label_variable(other.entity.label)
                    ),
                    Content.styled(f"  {other.entity.label} · {', '.join(shared)}", "dim"),
                ),
                OtherDossier(other.entity.id),
            )
        if len(d.cooccurring) > COMPANY:
            add(Content.styled(f"… and {len(d.cooccurring) - COMPANY} more", "dim"))
        heading("When", not d.timeline and not d.undated, "no mentions")
        for line in self._when(d):
            add(line)
        heading(f"Articles, newest first ({len(d.articles)})", not d.articles, "none")
        shown = self._articles
        if shown is None or shown[0] is not d.articles or shown[1] != e.id:
            # made once per dossier: the steps of its filling in bring the same articles
            rows = [
                (
                    Content.assemble(
                        Content.styled(safe_line(article.title) or "(untitled)", "bold"),
                        "\n  ",
                        Content.styled(
                            " · ".join(
                                x for x in (safe_line(article.source), day(article.date)) if x
                            ),
                            "dim",
                        ),
                    ),
                    True,
                )
                for article in d.articles
            ]
            places = [Destination(article.id, e.id, None) for article in d.articles]
            shown = self._articles = (d.articles, e.id, rows, places)
        items.extend(shown[2])
        targets.extend(shown[3])
        self._targets = targets
        self.listing.set_items(items)

    @staticmethod
    def _cite(article: ArticleSummary | None, article_id: str) -> Content:
        if article is None:
            return Content.styled(safe_line(article_id), "dim")
        title = safe_line(article.title)
        if len(title) > TITLE:
            title = title[: TITLE - 1].rstrip() + "…"
        facts = [safe_line(article.source), day(article.date), title]
        return Content.styled(" · ".join(fact for fact in facts if fact), "dim")

    @staticmethod
    def _when(d: Dossier) -> list[Content]:
        """Mentions by article date: bars for a few periods, a sparkline for many; undated
        mentions on their own line, never given a date."""
        lines: list[Content] = []
        counts = [p.mentions for p in d.timeline]
        if len(d.timeline) > BAR_PERIODS:
            lines.append(
                Content.assemble(
                    f"{d.timeline[0].period} ",
                    Content.styled(sparkline(counts), "$accent"),
                    f" {d.timeline[-1].period}",
                )
            )
            lines.append(Content.styled(f"one mark a period; most in one: {max(counts)}", "dim"))
        elif d.timeline:
            top = max(max(counts), 1)
            width = max(len(p.period) for p in d.timeline)
            for p in d.timeline:
                bar = "█" * max(1, round(p.mentions * BAR_WIDTH / top)) if p.mentions else ""
                lines.append(
                    Content.assemble(
                        f"{p.period:<{width}} ", Content.styled(bar, "$accent"), f" {p.mentions}"
                    )
                )
        if d.undated:
            lines.append(
                Content.styled(f"undated: {plural(d.undated, 'mention')} (counted apart)", "dim")
            )
        return lines

    # --- the worker --------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="dossier")
    def _load(self, generation: int, name: str) -> None:
        worker = get_current_worker()
        try:
            try:
                made = self.library.dossier(name)
            except ModelMissing as missing:
                # Roles and quotes need the parser; the rest is there without it.
                made = self.library.dossier(name, budget=0)
                note = f"Roles and quotes need the English model: {safe_line(missing)}"
                if not worker.is_cancelled:
                    self.post_message(self.Loaded(generation, made, note))
                return
            if worker.is_cancelled:
                return
            self.post_message(self.Loaded(generation, made))
            # Filled in behind, a step at a time, the most relevant articles first: a big
            # entity's roles and quotes show from its first articles while the rest are read.
            idle = 0  # steps in a row without headway
            while made.analysed < made.of:
                before = made.analysed
                made = self.library.dossier(name, budget=FILL_STEP)
                if worker.is_cancelled:
                    return
                if made.analysed == before:
                    # The parser still loading (seconds on a busy machine) or busy elsewhere:
                    # step on, then wait for all.
                    idle += 1
                    if idle >= IDLE_STEPS:
                        made = self.library.dossier(name, budget=None)
                        break
                    continue
                idle = 0
                if made.analysed < made.of:
                    self.post_message(self.Loaded(generation, made))
        except ReaderError as error:
            if not worker.is_cancelled:
                self.post_message(self.Failed(generation, safe_line(error) or "unknown error"))
            return
        if not worker.is_cancelled:
            self.post_message(self.Loaded(generation, made))
