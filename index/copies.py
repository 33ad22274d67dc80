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


def _shingles(text: str) -> frozenset[int]:
    """The text's word 4-grams, hashed (sets of ints intersect fast)."""
    words = _WORD.findall(text.casefold())
    if len(words) < 4:
        return frozenset([hash(tuple(words))]) if words else frozenset()
    return frozenset(hash((words[i], words[i + 1], words[i + 2], words[i + 3]))
                     for i in range(len(words) - 3))


def same_story(a: str, b: str, *, title_a: str = "", title_b: str = "") -> bool:
    """Are texts ``a`` and ``b`` copies of one story?"""
    return _copies(_shingles(a), _shingles(b), _same_title(title_a, title_b))


def _same_title(a: str, b: str) -> bool:
    return bool(a.strip()) and " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _copies(x: frozenset, y: frozenset, same_title: bool) -> bool:
    if not x or not y:
        return False
    small, large = sorted((len(x), len(y)))
    if not same_title and small < SIMILAR * large:
        return False  # too different in length to overlap by SIMILAR
    shared = len(x & y)
    if shared / len(x | y) >= SIMILAR:
        return True
    return same_title and shared / min(len(x), len(y)) >= CONTAINED


def copy_of(items: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """For (id, title, text) items in order, each id that copies an earlier item, mapped to
    the first item of its story. Ids not in the answer are the first (or only) of their story.

    Only items with the same title or the same first words are compared (copies share both,
    near always), so a page of unrelated results costs no shingling."""
    firsts: list[tuple[str, str, tuple[str, ...], str]] = []
    shingles: dict[str, frozenset[int]] = {}
    out: dict[str, str] = {}

    def of(aid: str, text: str) -> frozenset[int]:
        if aid not in shingles:
            shingles[aid] = _shingles(text)
        return shingles[aid]

    texts: dict[str, str] = {}
    for aid, title, text in items:
        texts[aid] = text
        opening = tuple(_WORD.findall(text[:200].casefold())[:6])
        for first, first_title, first_opening, _ in firsts:
            same_title = _same_title(title, first_title)
            if not same_title and opening != first_opening:
                continue
            if _copies(of(aid, text), of(first, texts[first]), same_title):
                out[aid] = first
                break
        else:
            firsts.append((aid, title, opening, text))
    return out
