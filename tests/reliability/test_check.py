"""``reader check`` says in plain words what it found; ``--repair`` fixes it and says what it did."""

from __future__ import annotations

import json
import sqlite3

from index.search import IndexDoc, SearchIndex
from tests.reliability.conftest import (
    assert_check_clean,
    assert_one_line_errors,
    run_reader,
    write,
)
from tests.reliability.test_crashes import make_corpus


def test_check_reports_counts_in_plain_words(tmp_path, library):
    make_corpus(tmp_path / "in", 4)
    assert run_reader(library, "add", "--jobs", "1", tmp_path / "in").code == 0
    run = run_reader(library, "check")
    assert run.code == 0, run
    assert_one_line_errors(run)
    out = run.out
    assert "4 articles" in out and "mentions" in out and "entities" in out
    assert "4 documents in the search index" in out
    assert "0 articles missing from the index" in out
    assert "0 index documents with no article" in out
    assert "0 leftover files" in out
    assert "database integrity: ok" in out
    assert "all good" in out


def test_check_finds_and_repairs_every_kind_of_mismatch(tmp_path, library):
    make_corpus(tmp_path / "in", 6)
    assert run_reader(library, "add", "--jobs", "1", tmp_path / "in").code == 0
    # An index document with no article, an article missing from the index, stray files.
    with SearchIndex(library / "index") as index:
        index.add([IndexDoc("ghost", "Ghost", "A document nobody stored.")])
        index.delete(["story0002"])
    write(library / "index" / "_MAIN_1.toc.1700000000.5", b"half a table of contents")
    write(library / "index" / "MAIN_zzzzzzzzzzzzzzzz.seg", b"a segment no TOC names")
    with sqlite3.connect(library / "library.db") as db:
        db.execute("UPDATE meta SET value = '1' WHERE key = 'entities_stale'")
    found = run_reader(library, "check")
    assert found.code == 1, found
    assert_one_line_errors(found)
    assert "1 articles missing from the index" in found.out, found
    assert "1 index documents with no article" in found.out, found
    assert "2 leftover files" in found.out, found
    assert found.out.count("problem:") >= 3, found
    assert "reader check --repair" in found.out
    report = json.loads(run_reader(library, "check", "--json").out)
    assert report["missing"] == 1 and report["orphans"] == 1 and report["leftovers"] == 2
    assert not report["ok"]
    fixed = run_reader(library, "check", "--repair")
    assert fixed.code == 0, fixed
    assert "fixed:" in fixed.out and "repaired" in fixed.out, fixed
    assert "problem:" not in fixed.out, fixed
    assert_check_clean(library)
    assert not (library / "index" / "MAIN_zzzzzzzzzzzzzzzz.seg").exists()
    hits = run_reader(library, "search", "story", "--json")
    ids = [json.loads(line)["id"] for line in hits.out.splitlines()]
    assert "ghost" not in ids and "story0002" in ids


def test_check_repair_on_a_read_only_library_says_so(tmp_path, library):
    make_corpus(tmp_path / "in", 2)
    assert run_reader(library, "add", "--jobs", "1", tmp_path / "in").code == 0
    from index import Library

    with Library.open(library, readonly=True) as lib:
        report = lib.check(repair=True)
    assert report.ok and not report.repaired


def test_check_on_no_library(tmp_path):
    run = run_reader(tmp_path / "nothing-here", "check")
    assert run.code != 0, run
    assert_one_line_errors(run)
    assert "no library" in run.err
