"""Provides the quotation marks of a text, paired by rule on each line (no model), and the
tests that tell a statement worth quoting from scare quotes."""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["Marks", "find_quotations", "quotations", "trim", "worth_quoting"]


class Marks(NamedTuple):
    """A balanced pair of quotation marks, or a quotation that runs on into the next paragraph
    (``open_ended``: ``close`` is then the end of its line, where no mark stands)."""

    open: int  # index of the opening mark
    close: int  # index of the closing mark; the quoted text is text[open + 1:close]
    open_ended: bool = False


_DOUBLE = {"“": "open", "„": "open", "«": "open", "”": "close", "»": "close", '"': ""}
_SINGLE = {"‘": "open", "’": "close"}
_OPENING_CONTEXT = set("([{—–-/") | set(_DOUBLE) | set(_SINGLE)
_CLOSING_CONTEXT = set(".,;:!?)]}—–-…") | set(_DOUBLE) | set(_SINGLE)


def _direction(line: str, i: int, nominal: str, single: bool) -> str:
    before = line[i - 1] if i > 0 else " "
    after = line[i + 1] if i + 1 < len(line) else " "
    if single:  # ’ is also the apostrophe: only a mark with no letter on the inner side counts
        if line[i] == "‘":
            return "open" if not before.isalnum() and not after.isspace() else ""
        return "close" if not after.isalnum() and not before.isspace() else ""
    can_open = not after.isspace() and (before.isspace() or before in _OPENING_CONTEXT)
    can_close = not before.isspace() and (after.isspace() or after in _CLOSING_CONTEXT)
    if can_open and not can_close:
        return "open"
    if can_close and not can_open:
        return "close"
    return nominal if can_open and can_close else ""


def _pairs(line: str, table: dict[str, str], single: bool) -> tuple[list[Marks], int | None]:
    """The pairs of one line, and the opening mark left open at its end (if any)."""
    pairs: list[Marks] = []
    pending: int | None = None
    for i, char in enumerate(line):
        if char not in table:
            continue
        way = _direction(line, i, table[char], single)
        if way == "open":
            pending = i  # an earlier opener left pending was unbalanced: dropped
        elif way == "close" and pending is not None:
            pairs.append(Marks(pending, i))
            pending = None
    return pairs, pending


_OPENS_QUOTE = re.compile(r"[ \t]*[\"“„«]\S")


def quotations(text: str) -> list[Marks]:
    """The top-level quotation mark pairs of ``text``, in reading order."""
    found: list[Marks] = []
    pos = 0
    lines = text.split("\n")
    for k, line in enumerate(lines):
        double, left_open = _pairs(line, _DOUBLE, False)
        spans = double + _pairs(line, _SINGLE, True)[0]
        if left_open is not None and _runs_on(lines, k):
            # A quotation over paragraphs: this one opens a mark, the next opens another.
            spans.append(Marks(left_open, len(line.rstrip()), True))
        # Top level only: a quotation inside another is part of it.
        for s in spans:
            if not any(o.open < s.open and s.close < o.close for o in spans if o != s):
                found.append(Marks(s.open + pos, s.close + pos, s.open_ended))
        pos += len(line) + 1
    return sorted(found)


def _runs_on(lines: list[str], k: int) -> bool:
    """Does the next non-blank line after line ``k`` open with a quotation mark?"""
    for line in lines[k + 1 :]:
        if line.strip():
            return _OPENS_QUOTE.match(line) is not None
    return False


def find_quotations(text: str) -> list[tuple[int, int]]:
    """Offsets ``(start, end)`` of every balanced quotation in ``text``, marks excluded.

    Quotations open and close on one line, or run on to the next paragraph when it opens with a
    mark (the newspaper way of quoting over paragraphs); another unbalanced mark is skipped
    and the rest kept.
    Curly double and single quotes, straight double quotes, « » and „ are understood; a
    straight single quote is not (it is an apostrophe far more often than a quotation mark).
    """
    return [(m.open + 1, m.close) for m in quotations(text)]


_WORD = re.compile(r"\w+(?:['’]\w+)*")


def worth_quoting(content: str) -> bool:
    """Scare quotes ("politicise") and titles are not statements worth a dossier line."""
    words = _WORD.findall(content)
    if len(words) < 4 and content.rstrip()[-1:] not in {",", ".", "!", "?", "…"}:
        return False
    significant = [w for w in words if len(w) > 3 and not w.isdigit()]
    return not (significant and len(words) <= 6 and all(w[0].isupper() for w in significant))


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop spaces and the comma that replaces a full stop before '" he said'."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end
