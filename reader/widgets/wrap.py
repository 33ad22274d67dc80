"""Provides wrap_offsets(): word-wrapping as character offsets, so lines are sliced, never copied.

The article view keeps only two integer lists per width, whatever the article's size, and
builds a line's styled text when that line is painted.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

_TOKEN = re.compile(r"\S+\s*|\s+")


def _fit(text: str, width: int) -> int:
    """How many leading characters of ``text`` fit in ``width`` cells (at least one)."""
    if text.isascii():
        return max(1, min(len(text), width))
    used = 0
    for index, char in enumerate(text):
        used += cell_len(char)
        if used > width:
            return max(1, index)
    return len(text)


def wrap_offsets(text: str, width: int, base: int = 0) -> tuple[list[int], list[int]]:
    """Wrap ``text`` at ``width`` cells; return the start and end offset of every line.

    Paragraphs are split on ``\\n`` (an empty paragraph is a blank line); words longer than a
    line are cut. Offsets are into ``text`` plus ``base``; the line break characters belong to
    no line.
    """
    width = max(1, width)
    starts: list[int] = []
    ends: list[int] = []
    add_start, add_end = starts.append, ends.append
    position = 0
    for paragraph in text.split("\n"):
        origin = base + position
        position += len(paragraph) + 1
        if len(paragraph) <= width and (paragraph.isascii() or cell_len(paragraph) <= width):
            add_start(origin)
            add_end(origin + len(paragraph))
            continue
        ascii_only = paragraph.isascii()
        line_start = origin
        used = 0
        for match in _TOKEN.finditer(paragraph):
            token = match.group()
            word = token.rstrip()
            spaces = len(token) - len(word)
            size = len(word) if ascii_only else cell_len(word)
            token_start = origin + match.start()
            if used and used + size > width:
                add_start(line_start)
                add_end(token_start)
                line_start, used = token_start, 0
            while size > width:
                cut = _fit(word, width)
                add_start(line_start)
                add_end(line_start + cut)
                line_start += cut
                word = word[cut:]
                size = len(word) if ascii_only else cell_len(word)
            used += size + spaces
        add_start(line_start)
        add_end(origin + len(paragraph))
    return starts, ends
