"""Provides what the keys are called where the user looks them up: the help screen's sections
(every binding, by where it works) and the command palette's entries (every action of the
screen and its widgets in a user's words, with its key)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from reader.dialogs.entity_dialog import EntityDialog
from reader.screens.briefing_actions import briefing_help
from reader.screens.correction_actions import BINDINGS as CORRECTION_KEYS
from reader.screens.entity_browser import EntityBrowser
from reader.screens.main_screen import MainScreen
from reader.screens.welcome_screen import WelcomeScreen
from reader.widgets.article_list import ArticleList
from reader.widgets.article_view import ArticleView
from reader.widgets.crossref_panel import CrossRefList
from reader.widgets.search_box import SearchBox

__all__ = ["PALETTE_NAMES", "help_sections", "palette_commands"]

#: Bindings that move a cursor: the palette leaves them out.
_MOVES = frozenset({"down", "up", "page_down", "page_up", "first", "last"})

#: What the palette calls an action whose footer label is too short to say it by itself.
PALETTE_NAMES = {
    "search.leave": "Leave the search box",
    "search.history_back": "Older query in the search box",
    "search.history_forward": "Newer query in the search box",
    "panel.leave": "Back to the article",
    "panel.open": "Open the highlighted cross-reference",
    "list.open": "Open the highlighted article",
    "list.sort": "Sort the list (newest, title, relevance)",
    "article.to_panel": "Go to the cross-references",
    "article.clear": "Clear the selected entity",
    "article.entities": "Entities of this article",
    "article.dossier": "Dossier of the selected entity",
    "panel.dossier": "Dossier of the selected entity",
    "main.toggle_panel": "Show or hide the panel",
    "main.list": "Go to the article list",
    "main.search": "Search",
    "main.back": "Back",
    "main.forward": "Forward",
}


def help_sections(app_bindings: Iterable) -> list[tuple[str, list]]:
    """Every key, by where it works (``app_bindings``: the App's own)."""
    return [
        ("Everywhere", [*app_bindings,
                        *[b for b in MainScreen.BINDINGS if b not in CORRECTION_KEYS]]),
        ("Library and search results", list(ArticleList.BINDINGS)),
        ("Search box", list(SearchBox.BINDINGS)),
        ("Article", list(ArticleView.BINDINGS)),
        ("Cross-reference panel", list(CrossRefList.BINDINGS)),
        ("Corrections of the selected entity (article and panel)", list(CORRECTION_KEYS)),
        ("Entity list (e)", list(EntityDialog.BINDINGS)),
        ("All entities (E)", list(EntityBrowser.BINDINGS)),
        ("Welcome screen", list(WelcomeScreen.BINDINGS)),
        *briefing_help(),
    ]


def palette_commands(app: App, screen: Screen) -> Iterator[SystemCommand]:
    """Every action of ``screen`` and its widgets once, named as a user would (no cursor moves;
    Help, Reload and Quit are the app's own)."""
    seen: set[str] = {"app.quit", "app.help", "app.commands", "app.reload"}
    names: set[str] = {"Help", "Reload", "Quit"}
    for node in [screen, *screen.query("*")]:
        for binding in Binding.make_bindings(getattr(type(node), "BINDINGS", [])):
            ident = binding.id or f"{type(node).__name__}.{binding.action}"
            if not binding.description or ident in seen or not node.display:
                continue
            if ident.rsplit(".", 1)[-1] in _MOVES:
                continue  # j/k and the like: keys to press, not commands to look up
            name = PALETTE_NAMES.get(ident, binding.description)
            seen.add(ident)
            if name in names:  # "Dossier" from the article and from the panel: once
                continue
            names.add(name)
            yield SystemCommand(
                name,
                f"key {app.get_key_display(binding)}",
                partial(app.run_action, binding.action, node),
            )
