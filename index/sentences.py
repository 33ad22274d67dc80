"""Provides the one sentence splitter: cheap sentence spans of an article, by rule, no model.

The import clips each mention's sentence with it (stored with the mention, shown by the side
panel), and dossiers, quotes and pins split the stored text with it again: the same rule on
the same text gives the same spans, so the three always agree."""

from __future__ import annotations

import re

from index.words import words

__all__ = ["covering", "sentence_at", "sentences"]

#: Abbreviations whose full stop ends no sentence ("Mr.", "Sept."), from data/abbreviations.txt.
_ABBREVIATIONS = frozenset(words("abbreviations.txt"))
_BOUNDARY = re.compile(r"[.!?…]+[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)+$")


def sentences(text: str) -> list[tuple[int, int]]:
    """Cheap sentence spans ``(start, end)`` of ``text``, found by rule, never by the model.

    A line break always ends a sentence (articles are stored one paragraph a line); inside a
    line, a full stop followed by a capital starts a new one unless it closes an abbreviation or
    initials ("Mr.", "Sept.", "U.S."): joining two sentences only widens what gets parsed.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        cut = start
        for match in _BOUNDARY.finditer(line):
            word = line[: match.start() + 1].rsplit(None, 1)[-1].lstrip('"“‘(')
            if line[match.start()] == "." and (
                word[:-1].lower() in _ABBREVIATIONS or _INITIALS.fullmatch(word)
            ):
                continue
            spans.append((cut, start + match.end()))
            cut = start + match.end()
        spans.append((cut, end))
    out = []
    for s, e in spans:
        chunk = text[s:e]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk.rstrip())
        if trail > lead:
            out.append((s + lead, s + trail))
    return out


def sentence_at(spans: list[tuple[int, int]], pos: int) -> int:
    """The index of the span holding ``pos``; in a blank between spans, the one before it."""
    for i, (s, e) in enumerate(spans):
        if pos < e or (i + 1 < len(spans) and pos < spans[i + 1][0]):
            return i
    return len(spans) - 1


def covering(spans: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The first and last index of the spans ``text[start:end]`` runs across."""
    first = sentence_at(spans, start)
    last = max(first, sentence_at(spans, max(start, end - 1)))
    return first, last

