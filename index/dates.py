"""Provides the library's one reading of dates: ISO keys, ``YYYY[-MM[-DD]]`` periods and ranges.

Dates are handled as plain numbers where they are compared in bulk: ``YYYYMMDD`` for a day and
``YYYYMMDDhhmmss`` for a moment (the wall clock as written; a time zone is ignored).
"""

from __future__ import annotations

import datetime as _dt
import re

__all__ = ["date_key", "date_range", "day_number", "period", "shift_day"]

_ISO = re.compile(
    r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?)?)?"
)
_PERIOD = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?")
_RANGE_TO = re.compile(r"\s+TO\s+|\s+to\s+")
#: The day after the last day a date can name, for "after 9999-12-31".
_AFTER_ALL = 99991231 + 1


def date_key(value: str | None) -> int | None:
    """YYYYMMDDhhmmss of an ISO date or datetime (its wall clock); None if missing or unreadable."""
    if not value:
        return None
    m = _ISO.match(value)
    if not m:
        return None
    try:  # "2014-07" counts as the first of July
        year, month, day, hour, minute, second = (int(g) if g else 0 for g in m.groups())
        when = _dt.datetime(year, month or 1, day or 1, hour, minute, second)
    except ValueError:
        return None
    day = when.year * 10000 + when.month * 100 + when.day
    return day * 1_000_000 + when.hour * 10000 + when.minute * 100 + when.second


def period(text: str) -> tuple[_dt.date, _dt.date] | None:
    """First and last day of ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (also with / or .)."""
    m = _PERIOD.fullmatch(text)
    if not m:
        return None
    year = int(m.group(1))
    try:
        if m.group(3):
            day = _dt.date(year, int(m.group(2)), int(m.group(3)))
            return day, day
        if m.group(2):
            month = int(m.group(2))
            first = _dt.date(year, month, 1)
            nxt = _dt.date(year + 1, 1, 1) if month == 12 else _dt.date(year, month + 1, 1)
            return first, nxt - _dt.timedelta(days=1)
        if year < 1:
            return None
        return _dt.date(year, 1, 1), _dt.date(year, 12, 31)
    except (ValueError, OverflowError):
        return None


def day_number(d: _dt.date) -> int:
    """``d`` as YYYYMMDD."""
    return d.year * 10000 + d.month * 100 + d.day


def shift_day(d: _dt.date, days: int) -> _dt.date | None:
    """``d`` moved by ``days``; None past the calendar's ends."""
    try:
        return d + _dt.timedelta(days=days)
    except OverflowError:
        return None


def date_range(value: str) -> tuple[int | None, int | None] | None:
    """An inclusive (first, last) YYYYMMDD range, either end open (None); None if unreadable.

    Accepts a period (``2014``, ``2014-03``, ``2014-03-05``), a comparison (``>2014-01``,
    ``>=``, ``<``, ``<=``) and a range (``[2014-01-01 TO 2014-06-30]``; ``{...}`` leaves its
    ends out; ``*`` or nothing leaves an end open).
    """
    v = value.strip()
    if not v:
        return None
    if v[0] in "[{":
        close = "]" if v[0] == "[" else "}"
        if not v.endswith(close):
            return None
        parts = _RANGE_TO.split(v[1:-1].strip())
        if len(parts) != 2:
            return None
        lo_s, hi_s = parts[0].strip(), parts[1].strip()
        lo = hi = None
        if lo_s not in ("", "*"):
            got = period(lo_s)
            if got is None:
                return None
            first, last = got
            lo = day_number(first) if close == "]" else day_number(shift_day(last, 1) or last)
        if hi_s not in ("", "*"):
            got = period(hi_s)
            if got is None:
                return None
            first, last = got
            hi = day_number(last) if close == "]" else day_number(shift_day(first, -1) or first)
        if lo is None and hi is None:
            return None
        return lo, hi
    for op in (">=", "<=", ">", "<"):
        if v.startswith(op):
            got = period(v[len(op) :].strip())
            if got is None:
                return None
            first, last = got
            if op == ">=":
                return day_number(first), None
            if op == "<=":
                return None, day_number(last)
            if op == ">":
                after = shift_day(last, 1)
                return (day_number(after) if after else _AFTER_ALL), None
            before = shift_day(first, -1)
            return None, (day_number(before) if before else 0)
    got = period(v)
    if got is None:
        return None
    return day_number(got[0]), day_number(got[1])
