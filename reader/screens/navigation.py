"""Provides Trail, the back/forward history of places the reader opened, and Destination,
where a dossier or briefing item sends the reader."""

from __future__ import annotations

from dataclasses import dataclass

from reader.widgets.article_view import Place

#: Enough for a long session; the oldest places fall off.
LIMIT = 200


@dataclass(frozen=True)
class Destination:
    """An article to open: at ``cursor`` (a text offset), with ``entity`` selected; no cursor
    with an entity puts the reader on the entity's first mention."""

    article_id: str
    entity: str | None = None
    cursor: int | None = None


class Trail:
    """Back and forward stacks of Places, like a browser's."""

    def __init__(self) -> None:
        self.back: list[Place] = []
        self.forward: list[Place] = []

    def visit(self, here: Place | None) -> None:
        """Leaving ``here`` for somewhere new: remember it, forget the forward trail."""
        if here is not None:
            self.back.append(here)
            del self.back[:-LIMIT]
        self.forward.clear()

    def go_back(self, here: Place | None) -> Place | None:
        if not self.back:
            return None
        if here is not None:
            self.forward.append(here)
        return self.back.pop()

    def go_forward(self, here: Place | None) -> Place | None:
        if not self.forward:
            return None
        if here is not None:
            self.back.append(here)
        return self.forward.pop()
