"""Provides the library's one reading of dates: what an article's date says (``iso_date``), the
day it names (``day_of``), ISO keys, ``YYYY[-MM[-DD]]`` periods and query ranges.

Dates are handled as plain numbers where they are compared in bulk: ``YYYYMMDD`` for a day and
``YYYYMMDDhhmmss`` for a moment (the wall clock as written; a time zone is ignored).
"""

from __future__ import annotations

import datetime as _dt
import email.utils
import math
import re

__all__ = [
    "date_key", "date_range", "day_number", "day_of", "iso_date", "period", "shift_day",
]

_ISO = re.compile(
    r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?)?)?"
)
_PERIOD = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?")
_RANGE_TO = re.compile(r"\s+TO\s+|\s+to\s+")
#: The day after the last day a date can name, for "after 9999-12-31".
_AFTER_ALL = 99991231 + 1


_ISO_DATE = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?)?$",
    re.IGNORECASE,
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_HUMAN_DATES = [
    re.compile(rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{4}})$"),
    re.compile(rf"{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})$"),
    re.compile(r"(?P<year>\d{4})/(?P<month>\d{1,2})/(?P<day>\d{1,2})$"),
]
_WEEKDAY = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE)


def iso_date(value: object) -> str | None:
    """``value`` as ISO 8601 (``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM:SS[+HH:MM]``), or None.

    Accepts ISO strings, RFC 2822 ("Tue, 10 Jun 2003 04:00:00 GMT"), "6 Dec 2018",
    "December 6, 2018", and Unix times (seconds or milliseconds). Anything else is None: an
    unknown date is better than a wrong one.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        seconds = float(value)
        if not math.isfinite(seconds) or seconds <= 0:
            return None
        if seconds > 1e11:  # milliseconds
            seconds /= 1000
        try:
            stamp = _dt.datetime.fromtimestamp(seconds, tz=_dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
        return stamp.isoformat(timespec="seconds")
    text = " ".join(str(value).split())[:80]
    if not text:
        return None
    match = _ISO_DATE.match(text)
    if match:
        return _iso_from_parts(match)
    if "," in text or ":" in text:
        try:
            parsed = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            parsed = None
        if parsed is not None and 1 <= parsed.year <= 9999:
            return parsed.isoformat(timespec="seconds")
    text = _WEEKDAY.sub("", text)
    for pattern in _HUMAN_DATES:
        match = pattern.match(text)
        if match:
            month = match.group("month")
            number = int(month) if month.isdigit() else _MONTHS.get(month.casefold())
            if number is None:
                return None
            try:
                day = _dt.date(int(match.group("year")), number, int(match.group("day")))
                return day.isoformat()
            except ValueError:
                return None
    return None


def _iso_from_parts(match: re.Match[str]) -> str | None:
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        date = _dt.date(int(year), int(month), int(day))
        if hour is None:
            return date.isoformat()
        clock = _dt.time(int(hour), int(minute), int(second or 0))
    except ValueError:
        return None
    stamp = f"{date.isoformat()}T{clock.isoformat()}"
    if zone:
        zone = zone.upper()
        if zone in ("Z", "UTC", "GMT"):
            return stamp + "+00:00"
        digits = zone[1:].replace(":", "")
        return f"{stamp}{zone[0]}{digits[:2]}:{digits[2:]}"
    return stamp


_DAY = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")


def day_of(value: str | None) -> _dt.date | None:
    """The day an ISO date or datetime names (``YYYY-MM`` is the first of the month); None if
    missing or unreadable."""
    m = _DAY.match(value or "")
    if not m:
        return None
    try:
        return _dt.date(int(m[1]), int(m[2]), int(m[3] or 1))
    except ValueError:
        return None


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
    ends out; ``*`` or nothing leaves an end open, both ends too: any date).
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
        return lo, hi  # both open ("[* TO *]"): every dated article
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
