"""Provides an entity's mentions over time: the timeline of periods, its first and last dated
article, and the sparkline that draws a long timeline in one line. Dates are read by
``index.dates``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from index.dates import day_of
from index.models import Period

__all__ = ["first_and_last", "sparkline", "timeline"]

def timeline(
    dated: Iterable[tuple[str | None, int]], *, by: str = "auto"
) -> tuple[list[Period], int]:
    """Mentions over time from ``(article date, mentions in it)`` pairs.

    Returns the periods oldest first with the empty ones between filled with zeros (so bars
    read as time), and the count from undated articles, kept apart and never given a date.
    ``by`` is "day", "month", "year" or "auto" (by days up to two months, by months up to six
    years, else by years).
    """
    days: list[tuple[date, int]] = []
    undated = 0
    for when, count in dated:
        day = day_of(when)
        if day is None:
            undated += count
        else:
            days.append((day, count))
    if not days:
        return [], undated
    lo, hi = min(d for d, _ in days), max(d for d, _ in days)
    if by == "auto":
        span = (hi - lo).days
        by = "day" if span <= 62 else "month" if span <= 6 * 366 else "year"
    counts: dict[str, int] = defaultdict(int)
    for day, count in days:
        counts[_period(day, by)] += count
    periods: list[Period] = []
    cur = lo
    while cur <= hi:
        label = _period(cur, by)
        if not periods or periods[-1].period != label:
            periods.append(Period(label, counts.get(label, 0)))
        cur = _step(cur, by)
    return periods, undated


def _period(day: date, by: str) -> str:
    if by == "day":
        return day.isoformat()
    if by == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if by == "year":
        return f"{day.year:04d}"
    raise ValueError(f"unknown period {by!r}: day, month, year or auto")


def _step(day: date, by: str) -> date:
    if by == "day":
        return date.fromordinal(day.toordinal() + 1)
    if by == "month":
        return date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return date(day.year + 1, 1, 1)


_BLOCKS = "▁▂▃▄▅▆▇█"


def sparkline(counts: Sequence[int]) -> str:
    """One character a period; an empty period is a space, any mention at least the lowest bar."""
    top = max(counts, default=0)
    if top <= 0:
        return " " * len(counts)
    return "".join(
        " " if c <= 0 else _BLOCKS[min(len(_BLOCKS) - 1, (c * len(_BLOCKS) - 1) // top)]
        for c in counts
    )


def first_and_last(dates: Iterable[str | None]) -> tuple[str | None, str | None]:
    """The earliest and latest of the dated ones among ``dates``, each cut to its day
    (``None, None`` when none is dated)."""
    dated = sorted(d[:10] for d in dates if day_of(d) is not None)
    return (dated[0], dated[-1]) if dated else (None, None)
