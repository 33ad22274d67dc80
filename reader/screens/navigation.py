"""Provides Trail: the back/forward history of places the reader opened."""

from __future__ import annotations

from reader.widgets.article_view import Place

#: Enough for a long session; the oldest places fall off.
LIMIT = 200


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
