"""index.dates: every form of date the library reads, in one table."""

from __future__ import annotations

import datetime as dt

import pytest

from index.dates import date_key, date_range, day_number, day_of, iso_date, period, shift_day

D = dt.date

CASES = [
    # iso_date: what an article's date field or dateline says, as ISO 8601; None if unsure
    (iso_date, "1987-02-26T15:01:01", "1987-02-26T15:01:01"),
    (iso_date, "2020-01-02T03:04:05Z", "2020-01-02T03:04:05+00:00"),
    (iso_date, "2020-01-02 03:04:05+0800", "2020-01-02T03:04:05+08:00"),
    (iso_date, "2019-05-17", "2019-05-17"),
    (iso_date, "Tue, 10 Jun 2003 04:00:00 GMT", "2003-06-10T04:00:00+00:00"),
    (iso_date, "6 Dec 2018", "2018-12-06"),
    (iso_date, "December 6, 2018", "2018-12-06"),
    (iso_date, 1_000_000_000, "2001-09-09T01:46:40+00:00"),
    (iso_date, "yesterday", None),
    (iso_date, "2019-02-30", None),
    (iso_date, None, None),
    # day_of: the day an ISO date names (a month alone is its first day); None if unreadable
    (day_of, "1987-02-26T15:01:01", D(1987, 2, 26)),
    (day_of, "1987-02", D(1987, 2, 1)),
    (day_of, "1987-02-30", None),
    (day_of, "undated", None),
    (day_of, None, None),
    # date_key: an ISO date or datetime as YYYYMMDDhhmmss (its wall clock); None if unreadable
    (date_key, "2014-03-05T10:00:00", 20140305100000),
    (date_key, "2014-03-05T10:00:00+08:00", 20140305100000),
    (date_key, "2014-03-05 10:07", 20140305100700),
    (date_key, "  2014-03-05", 20140305000000),
    (date_key, "2014-7", 20140701000000),
    (date_key, "2014", 20140101000000),
    (date_key, "1987-02-26T15:01:01.790Z", 19870226150101),
    (date_key, "2014-02-30", None),
    (date_key, "2014-13-01", None),
    (date_key, "March 2014", None),
    (date_key, "", None),
    (date_key, None, None),
    # period: first and last day of a year, a month or a day
    (period, "2014", (D(2014, 1, 1), D(2014, 12, 31))),
    (period, "2014-02", (D(2014, 2, 1), D(2014, 2, 28))),
    (period, "2016/2", (D(2016, 2, 1), D(2016, 2, 29))),
    (period, "2014-12", (D(2014, 12, 1), D(2014, 12, 31))),
    (period, "2014.3.5", (D(2014, 3, 5), D(2014, 3, 5))),
    (period, "0000", None),
    (period, "2014-02-30", None),
    (period, "2014-00", None),
    (period, "14-03", None),
    (period, "2014-03-05T10:00", None),
    # day_number and shift_day
    (day_number, D(2014, 3, 5), 20140305),
    (lambda d: shift_day(d, 1), D(2014, 12, 31), D(2015, 1, 1)),
    (lambda d: shift_day(d, -1), D(2016, 3, 1), D(2016, 2, 29)),
    (lambda d: shift_day(d, 1), D(9999, 12, 31), None),
    (lambda d: shift_day(d, -1), D(1, 1, 1), None),
    # date_range: what date: takes, as an inclusive YYYYMMDD range (None: that end is open)
    (date_range, "2014", (20140101, 20141231)),
    (date_range, "2014-03", (20140301, 20140331)),
    (date_range, "2014-03-05", (20140305, 20140305)),
    (date_range, " 2014-03 ", (20140301, 20140331)),
    (date_range, ">=2014-03", (20140301, None)),
    (date_range, ">2014-03", (20140401, None)),
    (date_range, "<=2014-03", (None, 20140331)),
    (date_range, "<2014-03", (None, 20140228)),
    (date_range, ">9999", (99991232, None)),
    (date_range, "<0001-01-01", (None, 0)),
    (date_range, "[2014-01-01 TO 2014-06-30]", (20140101, 20140630)),
    (date_range, "[2014 to 2015-02]", (20140101, 20150228)),
    (date_range, "{2014-01 TO 2014-06}", (20140201, 20140531)),
    (date_range, "[2014-03 TO *]", (20140301, None)),
    (date_range, "[* TO 2014-03]", (None, 20140331)),
    (date_range, "[ TO 2014]", None),
    (date_range, "[* TO *]", (None, None)),
    (date_range, "[2014 - 2015]", None),
    (date_range, "[2014 TO 2015", None),
    (date_range, "[2014 TO 2015-13]", None),
    (date_range, ">soon", None),
    (date_range, "yesterday", None),
    (date_range, "", None),
]


@pytest.mark.parametrize(
    ("read", "value", "expected"),
    CASES,
    ids=[f"{getattr(f, '__name__', 'shift_day')}:{v!r}" for f, v, _ in CASES],
)
def test_what_each_reader_of_dates_accepts(read, value, expected):
    assert read(value) == expected
