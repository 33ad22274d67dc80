"""Provides CorrectionActions: the main screen's corrections of the entity graph, one key from
the selected entity (merge into, detach, split off, rename, relabel, ignore) and undo.

Each runs in a thread worker and answers with Corrected; the screen then shows the new graph
(the article's marks and counts, the panel, the results) without a reload. The keys are
declared on the main screen (they act on the article's selected entity and mention).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.binding import Binding

from index import ENTITY_LABELS, Entity, ReaderError, safe_line
from reader.dialogs.ask_dialog import AskDialog
from reader.dialogs.entity_finder import EntityFinder
from reader.messages import Corrected, EntitiesForFinder
from reader.wording import plural

if TYPE_CHECKING:  # pragma: no cover
    from reader.screens.main_screen import MainScreen

#: The keys, declared on the main screen; the panel's "why" line names them.
BINDINGS = [
    Binding("m", "correct('merge')", "Merge into…", show=False, id="fix.merge"),
    Binding("t", "correct('detach')", "Not this entity (detach mention)", show=False,
            id="fix.detach"),
    Binding("T", "correct('detach_into')", "Mention is another entity…", show=False,
            id="fix.detach_into"),
    Binding("S", "correct('split')", "Split this name off", show=False, id="fix.split"),
    Binding("R", "correct('rename')", "Rename entity…", show=False, id="fix.rename"),
    Binding("L", "correct('relabel')", "Change entity type…", show=False, id="fix.relabel"),
    Binding("i", "correct('ignore_here')", "Not a name here (ignore in article)", show=False,
            id="fix.ignore_here"),
    Binding("I", "correct('ignore')", "Not a name anywhere (ignore)", show=False,
            id="fix.ignore"),
    Binding("u", "correct('undo')", "Undo last correction", show=False, id="fix.undo"),
]


class CorrectionActions:
    """What the correction keys do; the screen holds one."""

    def __init__(self, host: MainScreen) -> None:
        self.host = host

    # --- what the corrections act on ------------------------------------------------------
    def _target(self) -> tuple[str, str, int, int, str] | None:
        """(article id, entity id, mention start, end, form) of the selected mention."""
        view = self.host.view
        article = view.article
        entity = view.entity or self.host.panel.highlighted_entity()
        mention = view.selected_mention(entity) if article is not None else None
        if article is None or entity is None or mention is None:
            self.host._status("Select an entity first (] or e), then correct it.")
            return None
        entity = mention.entity if view.entity is not None else entity
        return article.id, entity, mention.start, mention.end, mention.text

    def run(self, what: str) -> None:
        if what == "undo":
            place = self.host.view.place()
            self._work(self._undo, place.article_id if place else None,
                       place.cursor if place else None)
            return
        target = self._target()
        if target is None:
            return
        article, entity, start, _, form = target
        library = self.host.library
        if what in ("merge", "detach_into"):
            self._work(self._finder_entities, "merge" if what == "merge" else "detach")
        elif what == "detach":
            self._work(self._detach, article, start, None)
        elif what == "split":
            self._work(lambda: self._said(
                f"'{form}' split off", library.split(entity, form)[-1].id))
        elif what == "rename":
            name = self.host.view.entity_name(entity)

            def renamed(new: str | None) -> None:
                if new:
                    self._work(lambda: self._said(
                        f"renamed to {new}", library.rename(entity, new).id))

            self.host.app.push_screen(AskDialog(f"Rename {name} to", name), renamed)
        elif what == "relabel":
            found = self.host.view.selected_mention(entity)
            current = found.label if found else ""

            def relabelled(label: str | None) -> None:
                if label:
                    self._work(lambda: self._said(
                        f"now a {label}", library.relabel(entity, label).id))

            self.host.app.push_screen(
                AskDialog(f"What is {self.host.view.entity_name(entity)}?", current,
                          list(ENTITY_LABELS)),
                relabelled,
            )
        elif what == "ignore_here":
            self._work(lambda: self._said(
                f"'{form}' is not a name in this article:"
                f" {plural(library.ignore(form, article=article), 'mention')} unmarked", None))
        elif what == "ignore":
            self._work(lambda: self._said(
                f"'{form}' is not a name anywhere:"
                f" {plural(library.ignore(form), 'mention')} unmarked", None))

    def finder(self, message: EntitiesForFinder) -> None:
        """The library's entities arrived: ask which one."""
        target = self._target()
        if target is None:
            return
        article, entity, start, _, form = target
        library = self.host.library
        name = self.host.view.entity_name(entity)
        if message.purpose == "merge":
            title, skip = f"Merge {name} into…", entity
        else:
            title, skip = f"'{form}' here is…", entity

        def chosen(into: str | None) -> None:
            if into is None:
                return
            if message.purpose == "merge":
                self._work(lambda: self._said(f"{name} merged", library.merge(into, entity).id))
            else:
                self._work(self._detach, article, start, into)

        self.host.app.push_screen(EntityFinder(title, message.entities, skip), chosen)

    # --- the workers ----------------------------------------------------------------------
    def _work(self, job: Callable[..., None], *args: object) -> None:
        def guarded() -> None:
            try:
                job(*args)
            except ReaderError as error:
                self.host.post_message(Corrected(safe_line(error), error=True))

        self.host.run_worker(guarded, name="correct", group="correct", thread=True,
                             exclusive=False)

    def _said(self, text: str, entity: str | None) -> None:
        self.host.post_message(Corrected(text, entity))

    def _finder_entities(self, purpose: str) -> None:
        entities: list[Entity] = self.host.library.entities()
        self.host.post_message(EntitiesForFinder(purpose, entities))

    def _detach(self, article: str, start: int, into: str | None) -> None:
        now = self.host.library.detach(article, offset=start, into=into)
        self._said(f"this mention is now {now.name}", now.id)

    def _undo(self, article: str | None, cursor: int | None) -> None:
        undone = self.host.library.undo()
        entity = None  # the entity the mention under the cursor belongs to now
        if article is not None and cursor is not None:
            entity = next((m.entity for m in self.host.library.mentions(article=article)
                           if m.start <= cursor < m.end), None)
        self._said(f"undone: {undone.kind} {undone.subject}: {undone.detail}", entity)
