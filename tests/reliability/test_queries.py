"""Case 19: hostile and odd queries, through ``reader search`` and through Library.search."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from index import Library, QueryError
from tests.reliability.conftest import assert_one_line_errors, run_reader, write

ARTICLES = [
    ("Merkel meets Macron", "Angela Merkel met Emmanuel Macron in Paris to discuss the budget."),
    ("Café owners protest", "Café owners in Zürich protested against the new rent rules."),
    ("A council vote", "The council of Leeds voted for a new bridge over the river Aire."),
]


@pytest.fixture(scope="module")
def query_library(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("queries")
    for n, (title, text) in enumerate(ARTICLES):
        write(root / "in" / f"a{n}.txt", f"{title}\n\n{text}\n")
    path = root / "library"
    with Library.open(path) as lib:
        report = lib.add([root / "in"], jobs=1)
    assert report.added == len(ARTICLES), report
    return path


#: (query, what the user must be told: None = any answer without a traceback)
QUERIES = [
    ("(", "no searchable terms"),
    ('"', "no searchable terms"),
    ("title:", "nothing after 'title:'"),
    ("*", "no searchable terms"),
    ("a", "no searchable terms"),
    ("é", "no searchable terms"),
    ("(" * 5000, "no searchable terms"),
    ("merkel " * 15_000, "too long"),  # about 100 KB
    ("x" * 100_000, "too long"),
    ("\x1b[2J\x1b]0;pwned\x07merkel", None),
    ("[/] [bold]merkel [@click=app.quit]x[/]", None),
    ("\x9b31mparis", None),
    ('"unclosed merkel', "quote"),
    ("merkel AND", "nothing after"),
    ("((((merkel", "parenthes"),
    ("date:2014-13-45", "date"),
    ("type:BOGUS", "unknown entity type"),
    ("entity:", "nothing after 'entity:'"),
    ("co*", None),
    ("~~~~", "no searchable terms"),
    ("NOT NOT NOT", None),
]


@pytest.mark.parametrize("query,told", QUERIES, ids=[f"q{i}" for i in range(len(QUERIES))])
def test_case_19_hostile_queries_in_the_library(query_library, query, told):
    with Library.open(query_library, create=False) as lib:
        started = time.monotonic()
        try:
            result = lib.search(query)
        except QueryError as exc:
            message = str(exc)
            assert "\n" not in message and len(message) < 400, message
            assert "\x1b" not in message and "\x9b" not in message and "\x00" not in message
            if told is not None:
                assert told in message, message
        else:
            assert told is None, f"expected an error saying {told!r}, got {result.total} hits"
            assert "\x1b" not in result.query and "\x00" not in result.query
        assert time.monotonic() - started < 5


def test_case_19_nul_in_a_query(query_library):
    # A NUL cannot travel in argv; the TUI's search box and scripts can hand one over.
    with Library.open(query_library, create=False) as lib:
        for query in ("\x00", "merkel\x00", "\x00" * 1000, "mer\x00kel"):
            try:
                lib.search(query)
            except QueryError as exc:
                assert "\x00" not in str(exc)


def test_case_19_queries_through_the_command(query_library):
    """The same through ``reader search`` as a user types it: no traceback, one line, safe."""
    for query, told in QUERIES:
        if len(query) > 120_000:
            continue
        started = time.monotonic()
        run = run_reader(query_library, "search", "--", query, timeout=60)
        assert time.monotonic() - started < 30
        assert_one_line_errors(run)
        assert run.code in (0, 1), run
        if told is not None:
            assert run.code == 1, run
            assert told in run.err, run
    found = run_reader(query_library, "search", "\x1b[31mmerkel[/]")
    assert found.code == 0, found
    assert "Merkel meets Macron" in found.out
    assert_one_line_errors(found)
