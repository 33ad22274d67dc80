"""Provides the test for copies of one story: wire re-sends and syndicated reprints whose text
is near-identical, so that a briefing cites them once ("also: ...") and search lists them once
("2 copies").

Two texts are copies when their word 4-gram shingles overlap by 80% (Jaccard), or when one's
shingles are 95% inside the other's and the titles agree (a re-send with a paragraph added).
Updates that rewrite the story are not copies. Pure Python, for the few dozen articles a
briefing or a page of results holds; nothing is stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["copy_of", "same_story"]

_WORD = re.compile(r"\w+")
SIMILAR = 0.8
CONTAINED = 0.95


def _shingles(text: str) -> frozenset[tuple[str, ...]]:
    words = _WORD.findall(text.casefold())
    if len(words) < 4:
        return frozenset([tuple(words)]) if words else frozenset()
    return frozenset(tuple(words[i : i + 4]) for i in range(len(words) - 3))


def same_story(a: str, b: str, *, title_a: str = "", title_b: str = "") -> bool:
    """Are texts ``a`` and ``b`` copies of one story?"""
    return _copies(_shingles(a), _shingles(b), _same_title(title_a, title_b))


def _same_title(a: str, b: str) -> bool:
    return bool(a.strip()) and " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _copies(x: frozenset, y: frozenset, same_title: bool) -> bool:
    if not x or not y:
        return False
    shared = len(x & y)
    if shared / len(x | y) >= SIMILAR:
        return True
    return same_title and shared / min(len(x), len(y)) >= CONTAINED


def copy_of(items: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """For (id, title, text) items in order, each id that copies an earlier item, mapped to
    the first item of its story. Ids not in the answer are the first (or only) of their story."""
    firsts: list[tuple[str, str, frozenset]] = []
    out: dict[str, str] = {}
    for aid, title, text in items:
        shingles = _shingles(text)
        for first, first_title, first_shingles in firsts:
            if _copies(shingles, first_shingles, _same_title(title, first_title)):
                out[aid] = first
                break
        else:
            firsts.append((aid, title, shingles))
    return out
