"""Provides the library's word lists, read once from the data files in ``index/data/``."""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["DATA", "WORD_LISTS", "words"]

#: The data files ship inside the package (pyproject's package-data ships ``index/data/*``).
DATA = Path(__file__).resolve().parent / "data"

#: The lists the analysis reads: their contents are part of what the analysis cache depends on.
WORD_LISTS = (
    "abbreviations.txt",
    "agencies.txt",
    "pronouns.txt",
    "role-nouns.txt",
    "speech-verbs.txt",
)


@cache
def words(name: str) -> tuple[str, ...]:
    """The words of ``index/data/<name>``, one a line, in file order; blank lines and lines
    starting with "#" are skipped."""
    text = (DATA / name).read_text(encoding="utf-8")
    return tuple(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )
