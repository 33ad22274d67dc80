"""Cases 23 (library side), 24 and 29: a second process, a long writer, a read-only library."""

from __future__ import annotations

import fcntl
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from index import Library, LibraryError
from tests.reliability.conftest import (
    ROOT,
    assert_check_clean,
    assert_one_line_errors,
    db_rows,
    no_duplicates,
    reader_cmd,
    reader_env,
    require_mounts,
    run_reader,
    write,
)
from tests.reliability.test_crashes import make_corpus

STORY = "Fresh story\n\nOlaf Scholz met Jacinda Ardern in Hanoi on Friday."


@pytest.fixture
def small_library(tmp_path, library) -> Path:
    make_corpus(tmp_path / "first", 6)
    run = run_reader(library, "add", "--jobs", "1", tmp_path / "first")
    assert run.code == 0, run
    return library


# --- case 23 (the library side; the TUI side is in test_tui.py) ------------------------------


def test_case_23_add_while_a_reader_has_the_library_open(tmp_path, small_library):
    """A reader process (here: this one, reading in a thread the way the TUI's workers do) keeps
    the library open while ``reader add`` runs: the add succeeds, and the open library sees the
    new articles once."""
    make_corpus(tmp_path / "second", 40)
    for path in (tmp_path / "second").iterdir():
        path.rename(path.with_name("new-" + path.name))
    lib = Library.open(small_library)
    before = lib.version()
    stop = threading.Event()
    errors: list[BaseException] = []

    def keep_reading() -> None:
        while not stop.is_set():
            try:
                lib.articles(limit=50)
                lib.search("story")
                lib.entities(limit=10)
            except BaseException as exc:  # noqa: BLE001 - collected for the assertion
                errors.append(exc)
                return
            time.sleep(0.02)

    reader_thread = threading.Thread(target=keep_reading)
    reader_thread.start()
    try:
        run = run_reader(small_library, "add", "--jobs", "1", tmp_path / "second")
    finally:
        stop.set()
        reader_thread.join(30)
    try:
        assert errors == []
        assert lib.version() != before  # what the TUI polls to notice
        assert run.code == 0, run
        assert_one_line_errors(run)
        assert "40 added" in run.out, run
        assert lib.count() == 46
        ids = [a.id for a in lib.articles(limit=1000)]
        assert len(ids) == len(set(ids)) == 46
        hits = lib.search("story", limit=100)
        assert len({h.id for h in hits.hits}) == len(hits.hits) == hits.total == 46
    finally:
        lib.close()
    no_duplicates(small_library)
    assert_check_clean(small_library)


def test_version_and_position_for_the_reloading_list(tmp_path, small_library):
    """version() changes with every article added or removed and every relink, and stays put
    otherwise; position() agrees with articles() in both orders."""
    with Library.open(small_library, create=False) as lib:
        first = lib.version()
        assert lib.version() == first
        lib.search("story")
        assert lib.version() == first
        for order in ("date", "title"):
            ids = [a.id for a in lib.articles(limit=100, order=order)]
            assert [lib.position(i, order=order) for i in ids] == list(range(len(ids)))
        assert lib.position("no such article") is None
        lib.add([write(tmp_path / "extra" / "x.txt", STORY)], jobs=1)
        second = lib.version()
        assert second != first and second[0] == first[0] + 1
        lib.remove(lib.articles(limit=1)[0].id)
        assert lib.version() not in (first, second)


# --- case 24 ---------------------------------------------------------------------------------


def test_case_24_second_import_waits_a_bounded_time_then_says_so(tmp_path, small_library):
    story = write(tmp_path / "one.txt", STORY)
    with open(small_library / "import.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # an import is running (as far as anyone can tell)
        started = time.monotonic()
        run = run_reader(small_library, "add", story, env=reader_env(READER_LOCK_WAIT="1.5"))
        elapsed = time.monotonic() - started
    assert run.code != 0, run
    assert_one_line_errors(run)
    assert "another import is running" in run.err, run
    assert 1.5 <= elapsed < 15, elapsed
    assert db_rows(small_library, "SELECT count(*) FROM articles") == [(6,)]
    again = run_reader(small_library, "add", story)  # the lock is free again
    assert again.code == 0 and "1 added" in again.out, again
    assert_check_clean(small_library)


def test_case_24_two_real_imports_at_once(tmp_path, small_library):
    make_corpus(tmp_path / "big", 400)
    other = write(tmp_path / "other" / "one.txt", STORY)
    first = subprocess.Popen(reader_cmd(small_library, "add", "--jobs", "1", tmp_path / "big"),
                             env=reader_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             cwd=ROOT)
    try:
        time.sleep(1.0)  # the first holds the import lock by now
        started = time.monotonic()
        second = run_reader(small_library, "add", other, env=reader_env(READER_LOCK_WAIT="1"))
        elapsed = time.monotonic() - started
        out, err = first.communicate(timeout=300)
    finally:
        if first.poll() is None:
            first.kill()
            first.communicate()
    assert first.returncode == 0, err.decode()
    assert b"400 added" in out, out
    if second.code == 0:  # the first had not taken the lock yet: both imports went through
        assert "1 added" in second.out, second
    else:
        assert_one_line_errors(second)
        assert "another import is running" in second.err, second
        assert elapsed < 15, elapsed
    # And with enough patience, the second simply waits its turn.
    third = run_reader(small_library, "add", other, env=reader_env(READER_LOCK_WAIT="120"))
    assert third.code == 0, third
    assert db_rows(small_library, "SELECT count(*) FROM articles") == [(407,)]
    no_duplicates(small_library)
    assert_check_clean(small_library)


# --- case 29 ---------------------------------------------------------------------------------

HOLD_WRITE_LOCK = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('held', '1')")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("ROLLBACK")
"""


def test_case_29_database_held_by_a_long_writer(tmp_path, small_library):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_WRITE_LOCK, str(small_library / "library.db"), "60"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
    )
    try:
        assert holder.stdout.readline().strip() == b"holding"
        env = reader_env(READER_LOCK_WAIT="2")
        # Reading goes on: WAL readers never wait for the writer.
        started = time.monotonic()
        found = run_reader(small_library, "search", "story", env=env)
        assert found.code == 0, found
        assert time.monotonic() - started < 10
        # Writing waits the busy timeout, then says why, with a non-zero exit.
        for args in (["add", write(tmp_path / "x.txt", STORY)],
                     ["merge", "Angela Merkel", "Joe Biden"],
                     ["ignore", "Paris"]):
            started = time.monotonic()
            run = run_reader(small_library, *map(str, args), env=env)
            elapsed = time.monotonic() - started
            assert run.code != 0, run
            assert_one_line_errors(run)
            assert "busy" in run.err and "another process" in run.err, run
            assert elapsed < 2 + 15, (args, elapsed)  # the wait, the start-up and the model
    finally:
        holder.kill()
        holder.communicate()
    assert db_rows(small_library, "SELECT count(*) FROM articles") == [(6,)]
    assert db_rows(small_library, "SELECT count(*) FROM decisions") == [(0,)]
    assert_check_clean(small_library)


READ_ONLY = """
set -u
mount --bind "$LIB" "$LIB"
mount -o remount,ro,bind "$LIB"
run() {{ name=$1; shift; "$PY" -m reader --library "$LIB" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"; echo $? >"$OUT/$name.code"; }}
run add add "$NEW"
run search search story
run entities entities
run show show story0001
run check check
run repair check --repair
run merge merge "Angela Merkel" "Joe Biden"
"""


def test_case_29_read_only_library(tmp_path, small_library):
    require_mounts()
    out = tmp_path / "out"
    out.mkdir()
    new = write(tmp_path / "new.txt", STORY)
    env = reader_env(LIB=str(small_library), OUT=str(out), NEW=str(new), PY=sys.executable)
    done = subprocess.run(["unshare", "-m", "sh", "-c", READ_ONLY.format()], env=env,
                          capture_output=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr.decode()

    def result(name: str) -> tuple[int, str, str]:
        return (int((out / f"{name}.code").read_text()), (out / f"{name}.out").read_text(),
                (out / f"{name}.err").read_text())

    for name in ("add", "repair", "merge"):  # writes: refused in one line, non-zero
        code, stdout, stderr = result(name)
        assert code != 0, (name, stdout, stderr)
        assert "Traceback" not in stderr
        assert stderr.startswith("reader: ") and "read-only" in stderr, (name, stderr)
    for name in ("search", "entities", "show", "check"):  # reads: work
        code, stdout, stderr = result(name)
        assert code == 0, (name, stdout, stderr)
        assert "Traceback" not in stderr
    assert "Story 1" in result("show")[1]
    assert "all good" in result("check")[1]
    assert db_rows(small_library, "SELECT count(*) FROM articles") == [(6,)]
    assert_check_clean(small_library)


def test_case_29_library_opened_read_only_by_request(small_library, tmp_path):
    """The same promise through the API, where no read-only mount is at hand."""
    with Library.open(small_library, readonly=True) as lib:
        assert lib.readonly
        assert lib.count() == 6
        assert lib.search("story").total == 6
        with pytest.raises(LibraryError, match="read-only"):
            lib.add([write(tmp_path / "x.txt", STORY)])
        with pytest.raises(LibraryError, match="read-only"):
            lib.merge("Angela Merkel", "Joe Biden")
    with pytest.raises(LibraryError, match="no library"):
        Library.open(tmp_path / "nowhere", readonly=True)


def test_a_thread_connection_closes_with_its_thread(small_library):
    """Every Textual thread worker is a new thread with its own SQLite connection: a long TUI
    session must not keep them all (two file descriptors each) until it runs out."""
    import os

    def open_files() -> int:
        return len(os.listdir("/proc/self/fd"))

    with Library.open(small_library, create=False) as lib:
        lib.count()
        before = open_files()
        for _ in range(100):
            thread = threading.Thread(target=lib.count)
            thread.start()
            thread.join()
        assert open_files() <= before + 2
        worker_db: list = []
        thread = threading.Thread(target=lambda: worker_db.append(lib.store.db))
        thread.start()
        thread.join()
        assert lib.count() == 6  # this thread's connection is still open
    # close() closed what was left; a connection of a thread that ended is closed too.
    with pytest.raises(Exception, match="closed"):
        worker_db[0].execute("SELECT 1")
