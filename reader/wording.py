"""Provides plural(): counts in words, the same on the screen and on the command line."""

from __future__ import annotations


def plural(count: int, word: str, words: str = "") -> str:
    """'1 article', '2 articles', '1,204 entities' (``words`` for irregular plurals)."""
    return f"{count:,} {word if count == 1 else words or word + 's'}"
