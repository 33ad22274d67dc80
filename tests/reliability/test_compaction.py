"""Case 25 for the search index: a kill -9 or a Ctrl-C while the index's segments are merged (the
compaction the reader runs after its start-up check, and `reader check --repair`) leaves a
library that opens and finds every article once; the next compaction finishes the job."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from index import Library
from tests.reliability.conftest import (
    ROOT,
    assert_check_clean,
    assert_one_line_errors,
    check_report,
    no_duplicates,
    reader_env,
    run_reader,
    write,
)
from tests.reliability.test_crashes import make_corpus


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"

STOP_MID_MERGE = """
import os, signal, sys
from pathlib import Path
from index import Library
from index.store import articles

how, library = sys.argv[1:3]
lib = Library.open(Path(library), create=False)
search = lib._index()
rowids = [r for (r,) in lib.store.db.execute("SELECT rowid FROM articles ORDER BY rowid")]
for rowid in rowids[:6]:  # six commits, as six imports' re-indexing leave them
    search._credit = 0  # each import is its own process, with nothing earned to merge with
    search.add(lib._index_docs([rowid]))
assert len(search.segment_sizes()) >= 6, search.segment_sizes()
calls = []

def stop():
    calls.append(1)
    if len(calls) == 3:  # the merge has written part of the new segment
        if how == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        raise KeyboardInterrupt
    return False

lib.compact_index(stop)
print("not stopped")
"""


@pytest.mark.parametrize("how", ["kill", "interrupt"])
def test_case_25_a_compaction_killed_or_interrupted_leaves_a_library_that_opens(
    tmp_path, library, how
):
    corpus = make_corpus(tmp_path / "corpus", 8)
    added = run_reader(library, "add", corpus)
    assert added.code == 0, added
    script = write(tmp_path / "stop.py", STOP_MID_MERGE)
    proc = subprocess.run([sys.executable, script, how, library], env=reader_env(),
                          capture_output=True, cwd=ROOT, timeout=300)
    if how == "kill":
        assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    else:
        assert proc.returncode != 0 and b"KeyboardInterrupt" in proc.stderr, proc.stderr.decode()
    assert b"not stopped" not in proc.stdout

    found = run_reader(library, "search", "story")
    assert found.code == 0, found
    assert_one_line_errors(found)
    assert found.out.count("Story ") == 8, found
    report = check_report(library)
    assert report["missing"] == report["orphans"] == 0 and report["indexed"] == 8, report
    no_duplicates(library)

    with Library.open(library, create=False) as lib:
        assert lib.compact_index() > 0
        assert len(lib._index().segment_sizes()) == 1
    assert_check_clean(library)
    no_duplicates(library)
    assert run_reader(library, "search", "story").out.count("Story ") == 8


def scattered(path) -> None:
    """Six more segments in the library's index, as six imports' re-indexing leave them."""
    with Library.open(path, create=False) as lib:
        search = lib._index()
        rowids = [r for (r,) in lib.store.db.execute("SELECT rowid FROM articles")]
        for rowid in rowids[:6]:
            search._credit = 0  # each import is its own process
            search.add(lib._index_docs([rowid]))
        assert len(search.segment_sizes()) >= 6


@pytest.mark.anyio
async def test_the_reader_merges_the_segments_an_import_left_after_its_start_up_check(tmp_path):
    """The big merges an import leaves are made by the reader in a worker, after its start-up
    check: one segment is left, every article found once, nothing said to the user."""
    from tests.app.helpers import screen_text, settle
    from tests.reliability.test_tui import make_app, notices, two_batches

    path = two_batches(tmp_path)
    assert run_reader(path, "add", "--jobs", "1", tmp_path / "second").code == 0
    scattered(path)
    with Library.open(path, create=False) as lib:
        app = make_app(lib, tmp_path)
        async with app.run_test(size=(140, 45)) as pilot:
            await settle(pilot, rounds=5)
            assert notices(app) == []
            assert len(lib._index().segment_sizes()) == 1
            found = [h.id for h in lib.search("story").hits]
            assert sorted(found) == [*(f"new{n}" for n in range(5)), "old0", "old1", "old2"]
            assert "Old story 1" in screen_text(app)
    assert_check_clean(path)
    no_duplicates(path)


@pytest.mark.anyio
async def test_quitting_the_reader_stops_its_merge(tmp_path, monkeypatch):
    """A merge of a big index takes a minute; quitting does not wait for it: the app's workers
    are cancelled at exit, and the merge is asked to stop (and leaves the index as it was)."""
    from index.search import SearchIndex
    from tests.reliability.test_tui import make_app, two_batches

    path = two_batches(tmp_path)
    asked: list[bool] = []

    def slow_compact(self, stop=None):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if stop is not None and stop():
                asked.append(True)
                return 0
            time.sleep(0.01)
        return 0

    monkeypatch.setattr(SearchIndex, "compact", slow_compact)
    with Library.open(path, create=False) as lib:
        app = make_app(lib, tmp_path)
        async with app.run_test(size=(140, 45)) as pilot:
            while not any(w.group == "check" for w in app.workers):
                await pilot.pause(0.01)
            await pilot.pause(0.3)
            await pilot.press("q")
        deadline = time.monotonic() + 60
        while not asked and time.monotonic() < deadline:
            time.sleep(0.01)
    assert asked == [True]


def test_check_repair_merges_the_segments_imports_left_and_says_so(tmp_path, library):
    corpus = make_corpus(tmp_path / "corpus", 8)
    assert run_reader(library, "add", corpus).code == 0
    scattered(library)
    run = run_reader(library, "check", "--repair")
    assert run.code == 0, run
    assert run.out.splitlines()[-1] == (
        "merged the search index's small segments into one (8 articles)"), run
    with Library.open(library, create=False) as lib:
        assert len(lib._index().segment_sizes()) == 1
    again = run_reader(library, "check", "--repair")  # nothing left to merge: nothing said
    assert "merged" not in again.out, again
    assert_check_clean(library)
    no_duplicates(library)


def test_reader_add_rewrites_none_of_the_segments_it_finds(tmp_path, library):
    """A real `reader add` of two stories into a library whose index holds seven segments: it
    used to merge the six small ones into its own (a library of 19,043 rewrote 7,000 articles in
    every import); now it only adds, and `reader check --repair` merges them later."""
    corpus = make_corpus(tmp_path / "corpus", 8)
    assert run_reader(library, "add", corpus).code == 0
    scattered(library)
    with Library.open(library, create=False) as lib:
        before = lib._index()._current_segment_ids()
    write(tmp_path / "late" / "a.txt", "Late story one\n\nOlaf Scholz spoke in Leeds on Monday.")
    write(tmp_path / "late" / "b.txt", "Late story two\n\nXi Jinping spoke in Osaka on Tuesday.")
    added = run_reader(library, "add", "--jobs", "1", tmp_path / "late")
    assert added.code == 0, added
    with Library.open(library, create=False) as lib:
        assert before <= lib._index()._current_segment_ids()
    assert_check_clean(library)
    assert run_reader(library, "search", "story").out.count("tory ") == 10
    repaired = run_reader(library, "check", "--repair")
    assert "merged the search index's small segments into one" in repaired.out, repaired
    no_duplicates(library)


@pytest.mark.anyio
async def test_the_reader_merges_what_an_import_elsewhere_left(tmp_path, monkeypatch):
    """The reader stays open while `reader add` runs elsewhere (by hand, or from cron): when the
    import ends, it merges the segments imports left unmerged, in a worker, and says nothing."""
    from tests.app.helpers import settle
    from tests.reliability.test_tui import add_elsewhere, make_app, notices, two_batches

    monkeypatch.setattr("reader.upkeep.POLL_SECONDS", 0.3)
    path = two_batches(tmp_path)
    assert run_reader(path, "add", "--jobs", "1", tmp_path / "second").code == 0
    write(tmp_path / "third" / "late.txt", "Late story\n\nXi Jinping spoke in Osaka on Tuesday.")
    with Library.open(path, create=False) as lib:
        app = make_app(lib, tmp_path)
        async with app.run_test(size=(140, 45)) as pilot:
            await settle(pilot)
            scattered(path)  # as earlier imports left it, after the reader's start
            proc = add_elsewhere(path, tmp_path / "third")
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err.decode()
            with Library.open(path, create=False) as other:
                assert len(other._index().segment_sizes()) >= 6
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and len(lib._index().segment_sizes()) > 1:
                await pilot.pause(0.1)
            await settle(pilot)
            assert len(lib._index().segment_sizes()) == 1
            assert [m for m in notices(app) if "merge" in m.lower()] == []
            assert len(lib.search("story").hits) == 9
    assert_check_clean(path)
    no_duplicates(path)
