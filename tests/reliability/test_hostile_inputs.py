"""Issue 13, hangs, crashes and stale or wrong results (items 5-12 and 15): odd files and names in
a folder, an interrupted import, huge numbers, NaN, wildcards and invisible characters."""

from __future__ import annotations

import json
from pathlib import Path

from tests.reliability.conftest import (
    assert_check_clean,
    assert_one_line_errors,
    db_rows,
    run_reader,
)

INVISIBLE = ["\u200b", "\u2060", "\u00ad", "\ufeff", "\u200d", "\U000e0041\U000e0042"]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


# --- item 12: zero-width and invisible characters ---------------------------------------------


def test_i13_12_invisible_characters_removed_before_indexing_and_display(tmp_path):
    library = tmp_path / "library"
    hidden = "Secret Project about " + "".join(f"{ch}{c}" for ch, c in zip("China", INVISIBLE))
    body = "The plan for Bei\u200bjing was kept se\u00adcret by the mi\u2060nistry of trade."
    write_jsonl(tmp_path / "in" / "a.jsonl", [
        {"id": "secret", "title": hidden, "text": body},
        {"id": "other", "title": "Markets today", "text": "Stocks rose in London on Monday."},
    ])
    added = run_reader(library, "add", "--jobs", "1", tmp_path / "in")
    assert added.code == 0, added
    for query in ("china", "title:china", "beijing", "secret", "ministry"):
        found = run_reader(library, "search", "--json", query)
        assert found.code == 0, found
        hits = [json.loads(line) for line in found.out.splitlines()]
        assert [h["id"] for h in hits] == ["secret"], (query, found)
        assert hits[0]["title"] == "Secret Project about China", found
    shown = run_reader(library, "show", "secret")
    assert "Secret Project about China" in shown.out, shown
    assert "Beijing" in shown.out and "secret by the ministry" in shown.out, shown
    stored = db_rows(library, "SELECT title, text FROM articles WHERE id = 'secret'")[0]
    assert stored == ("Secret Project about China", body.replace("\u200b", "").replace(
        "\u00ad", "").replace("\u2060", "")), stored
    assert_one_line_errors(shown)
    assert_check_clean(library)


# --- item 9: numbers too big for SQLite, NaN and Infinity ---------------------------------------


def strict_json(line: str):
    """json.loads as a strict parser reads it: NaN, Infinity and -Infinity are not JSON."""
    def refuse(name):
        raise ValueError(f"{name} is not JSON")
    return json.loads(line, parse_constant=refuse)


def test_i13_09_huge_numbers_are_one_line_errors(seed_library):
    for args in (["unpin", "99999999999999999999"], ["entities", "-n", "99999999999999999999"],
                 ["pin", "reuters-china-us-xinjiang-militants", "99999999999999999999", "1"],
                 ["search", "-n", "99999999999999999999", "china"]):
        run = run_reader(seed_library, *args)
        assert run.code == 2, run
        assert_one_line_errors(run)
        assert len(run.err.splitlines()) == 1, run
        assert "99999999999999999999 is not in the range" in run.err, run
        assert "Overflow" not in run.err and "unexpected" not in run.err, run
    assert_check_clean(seed_library)


def test_i13_09_nan_and_infinity_never_reach_the_export(tmp_path):
    library = tmp_path / "library"
    source = tmp_path / "in" / "odd.jsonl"
    source.parent.mkdir()
    source.write_text(
        '{"id": "n1", "title": "Odd numbers", "text": "Trade talks resumed in Geneva.",'
        ' "score": NaN, "rank": Infinity, "low": -Infinity, "big": 1e400, "ok": 1.5,'
        ' "nested": {"x": [NaN, 2]}}\n'
        '{"id": "n2", "title": NaN, "text": "Markets rose in Tokyo.", "date": Infinity}\n',
        encoding="utf-8",
    )
    added = run_reader(library, "add", "--jobs", "1", source)
    assert added.code == 0, added
    assert "2 added" in added.out, added
    # A library an older reader filled with NaN in an article's metadata exports strictly too.
    import sqlite3
    with sqlite3.connect(library / "library.db") as db:
        db.execute("""UPDATE articles SET meta = '{"old": NaN, "older": Infinity}' WHERE id = 'n2'""")
    exported = run_reader(library, "export")
    assert exported.code == 0, exported
    records = {r["id"]: r for r in map(strict_json, exported.out.splitlines())}
    assert set(records) == {"n1", "n2"}, exported
    meta = records["n1"]["metadata"]
    assert meta["score"] is meta["rank"] is meta["low"] is meta["big"] is None, meta
    assert meta["ok"] == 1.5 and meta["nested"] == {"x": [None, 2]}, meta
    assert records["n2"]["metadata"] == {"old": None, "older": None}, records["n2"]
    for args in (["show", "--json", "n1"], ["search", "--json", "trade"]):
        run = run_reader(library, *args)
        assert run.code == 0, run
        for line in run.out.splitlines():
            strict_json(line)
    assert_check_clean(library)


# --- items 5, 6 and 15: what a folder may hold ---------------------------------------------------

STORY = ("The trade talks between the two countries resumed in Geneva on Monday, officials said."
         " Negotiators met for six hours and agreed to meet again next week.\n")


def test_i13_05_fifo_and_dev_zero_are_skipped_and_counted(tmp_path):
    import os
    library = tmp_path / "library"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Markets rise\n\n" + STORY, encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")  # nobody ever writes to it: reading it would hang for ever
    (folder / "zero.txt").symlink_to("/dev/zero")  # reading it would never end
    (folder / "null.jsonl").symlink_to("/dev/null")
    run = run_reader(library, "add", "--jobs", "1", folder, timeout=120)
    assert run.code == 0, run
    assert_one_line_errors(run)
    assert "1 added" in run.out and "3 skipped: not a regular file" in run.out, run
    for name in ("pipe.txt", "zero.txt", "null.jsonl"):
        assert f"{folder / name}: skipped, not a regular file" in run.err, run
    # Named on the command line, the same.
    again = run_reader(library, "add", "--jobs", "1", folder / "pipe.txt", folder / "zero.txt",
                       timeout=120)
    assert again.code == 0 and "2 skipped: not a regular file" in again.out, again
    assert_check_clean(library)


def test_i13_05_sizes_are_capped_while_reading_not_by_st_size(tmp_path, monkeypatch):
    """A file whose size says 0 but that reads on (as /proc files and growing files do) is
    refused at the cap, not read into memory."""
    from index.errors import BadInput
    from index.ingest import importer

    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 5000)
    assert importer.read_capped(big, 5000) == b"x" * 5000
    try:
        importer.read_capped(big, 4096)
    except BadInput as exc:
        assert "file too large" in str(exc)
    else:
        raise AssertionError("read past the cap")
    real_fstat = importer.os.fstat

    def lying_fstat(fd):  # st_size 0, as /proc/self/status or a file still being written says
        got = real_fstat(fd)
        return importer.os.stat_result((got.st_mode, got.st_ino, got.st_dev, got.st_nlink,
                                         got.st_uid, got.st_gid, 0, 0, 0, 0))

    monkeypatch.setattr(importer.os, "fstat", lying_fstat)
    try:
        importer.read_capped(big, 4096)
    except BadInput as exc:
        assert "file too large (over" in str(exc)
    else:
        raise AssertionError("trusted st_size")


def test_i13_06_a_file_name_that_is_not_utf8_is_imported(tmp_path):
    import os
    library = tmp_path / "library"
    folder = tmp_path / "in"
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9.txt")
    (folder / name).write_text("Coffee prices climb\n\n" + STORY.replace("trade", "coffee"),
                               encoding="utf-8")
    (folder / os.fsdecode(b"caf\xe8.txt")).write_text("Tea prices fall\n\n" + STORY.replace(
        "trade", "tea"), encoding="utf-8")
    (folder / "plain.txt").write_text("Markets rise\n\n" + STORY, encoding="utf-8")
    run = run_reader(library, "add", "--jobs", "1", folder)
    assert run.code == 0, run
    assert_one_line_errors(run)
    assert "3 added" in run.out, run
    rows = dict(db_rows(library, "SELECT path, title FROM articles"))
    # Stored losslessly: each name's own bytes, as \x escapes; two such names never collide.
    assert rows[f"{folder}/caf\\xe9.txt"] == "Coffee prices climb", rows
    assert rows[f"{folder}/caf\\xe8.txt"] == "Tea prices fall", rows
    again = run_reader(library, "add", "--jobs", "1", folder)
    assert "0 added" in again.out and "3 unchanged" in again.out, again
    # A file with no title of its own is shown by its name, with a replacement character.
    (folder / os.fsdecode(b"na\xefve.md")).write_text(STORY, encoding="utf-8")
    named = run_reader(library, "add", "--jobs", "1", folder)
    assert "1 added" in named.out, named
    shown = run_reader(library, "show", "na-ve")
    assert shown.code == 0 and shown.out.startswith("na\ufffdve\n"), shown
    assert_check_clean(library)


def test_i13_15_a_folder_holding_the_library_skips_the_library(tmp_path):
    folder = tmp_path / "news"
    library = folder / "library"
    folder.mkdir()
    (folder / "a.txt").write_text("Markets rise\n\n" + STORY, encoding="utf-8")
    first = run_reader(library, "add", "--jobs", "1", folder)
    assert first.code == 0, first
    # The library holds files reader could read (an export, a briefing) and its own database.
    (library / "export.jsonl").write_text(json.dumps({"id": "x", "title": "X", "text": STORY}))
    (library / "notes.md").write_text("# Notes\n\n" + STORY)
    for _ in range(2):
        run = run_reader(library, "add", "--jobs", "1", folder)
        assert run.code == 0, run
        assert_one_line_errors(run)
        assert "0 added" in run.out and "1 unchanged" in run.out and "0 failed" in run.out, run
        assert "1 skipped: the library's own folder" in run.out, run
    assert db_rows(library, "SELECT count(*) FROM articles") == [(1,)]
    assert_check_clean(library)


def test_i13_15_two_word_headlines_are_titles(tmp_path):
    library = tmp_path / "library"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "talks.txt").write_text("Trade talks\n\n" + STORY, encoding="utf-8")
    (tmp_path / "in" / "notes.md").write_text("World News\nBy Ann Lee\n\n" + STORY.replace(
        "trade", "peace"), encoding="utf-8")
    run = run_reader(library, "add", "--jobs", "1", tmp_path / "in")
    assert run.code == 0, run
    rows = dict(db_rows(library, "SELECT id, title FROM articles"))
    assert rows["talks"] == "Trade talks", rows
    text = db_rows(library, "SELECT text FROM articles WHERE id = 'talks'")[0][0]
    assert text.startswith("The trade talks"), text


def test_i13_15_symlinked_and_unreadable_folders_are_counted_and_named(tmp_path, monkeypatch):
    import os

    from index.ingest.importer import discover
    folder = tmp_path / "in"
    (folder / "ok").mkdir(parents=True)
    (folder / "ok" / "a.txt").write_text(STORY)
    (folder / "locked").mkdir()
    (folder / "locked" / "b.txt").write_text(STORY)
    (folder / "elsewhere").symlink_to(tmp_path / "outside", target_is_directory=True)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "c.txt").write_text(STORY)
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    os.chmod(folder / "locked", 0)
    try:
        if os.geteuid() == 0:  # root reads any folder: make this one fail as it would for a user
            real = os.scandir

            def scandir(path="."):
                if os.fspath(path).endswith("locked"):
                    raise PermissionError(13, "Permission denied", os.fspath(path))
                return real(path)

            monkeypatch.setattr(os, "scandir", scandir)
        found = discover([folder])
    finally:
        os.chmod(folder / "locked", 0o755)
    assert [p.name for p in found.files] == ["a.txt"]
    assert found.skips == {"symlinked folder (not followed)": 2, "folder could not be read": 1}
    named = dict(found.passed_over)
    assert named[str(folder / "elsewhere")] == "symlinked folder (not followed)"
    assert named[str(folder / "locked")] == "folder could not be read (Permission denied)"
    monkeypatch.undo()
    run = run_reader(tmp_path / "library", "add", "--jobs", "1", folder)
    assert run.code == 0, run
    assert_one_line_errors(run)
    assert "2 skipped: symlinked folder (not followed)" in run.out, run
    assert f"reader: note: {folder / 'loop'}: skipped, symlinked folder (not followed)" in run.err


def test_i13_15_one_json_lines_file_from_two_paths_is_stored_once(tmp_path):
    library = tmp_path / "library"
    records = [{"id": f"w{n}", "title": f"Story {n}", "text": STORY + f" Number {n}."}
               for n in range(5)]
    write_jsonl(tmp_path / "downloads" / "wire.jsonl", records)
    write_jsonl(tmp_path / "desk" / "wire.jsonl", records)
    first = run_reader(library, "add", "--jobs", "1", tmp_path / "downloads" / "wire.jsonl",
                       tmp_path / "desk" / "wire.jsonl")
    assert first.code == 0, first
    assert "5 added" in first.out and "5 copies of articles already in the library" in first.out
    write_jsonl(tmp_path / "third" / "wire.jsonl", records)
    second = run_reader(library, "add", "--jobs", "1", tmp_path / "third")
    assert "0 added" in second.out and "5 copies" in second.out, second
    assert sorted(r[0] for r in db_rows(library, "SELECT id FROM articles")) == [
        f"w{n}" for n in range(5)]
    assert_check_clean(library)


def test_i13_15_date_range_open_at_both_ends(tmp_path):
    library = tmp_path / "library"
    write_jsonl(tmp_path / "in" / "d.jsonl", [
        {"id": "dated", "title": "Dated story", "text": STORY, "date": "2014-05-01"},
        {"id": "undated", "title": "Undated story", "text": STORY + " Again."},
    ])
    assert run_reader(library, "add", "--jobs", "1", tmp_path / "in").code == 0
    for query in ("date:[* TO *]", "trade date:[* TO *]", "date:[2014 TO *]"):
        run = run_reader(library, "search", "--json", query)
        assert run.code == 0, run
        assert_one_line_errors(run)
        assert [json.loads(line)["id"] for line in run.out.splitlines()] == ["dated"], run


# --- item 11: wildcards and fuzzy terms match the words as written -----------------------------

#: Every example of index/data/query-help.txt, and whether the two seed articles hold a match
#: (they are undated and in English, so the date and lang:ja examples rightly find nothing).
HELP_EXAMPLES = {
    "xinjiang militants": True, '"foreign ministry"': True, '"wang yi said"~3': True,
    "uighurs OR uygurs": True, "china NOT taiwan": True, "-taiwan": True,
    "(beijing OR moscow) AND visit": False, "title:xinjiang": True, 'body:"state media"': False,
    "source:reuters": True, 'author:"Ben Blanchard"': True, "title:(china OR beijing)": True,
    'entity:"Wang Yi"': True, "type:PERSON": True, "lang:ja": False, "date:2014": False,
    "date:2014-03": False, "date:2014-03-05": False, "date:>2014-01": False,
    "date:>=2014-01": False, "date:<2015": False, "date:<=2015-06": False,
    "date:[2014-01-01 TO 2014-06-30]": False, "xinjang~": True, "xinjang~2": True,
    "terror*": True, "te?ror": True,
}


def test_i13_11_wildcards_and_fuzzy_terms_match_words_as_written(seed_library):
    from index import Library, query_help

    help_text = query_help()
    for example in HELP_EXAMPLES:
        assert example in help_text, f"{example!r} is no longer in the help: update this list"
    with Library.open(seed_library, create=False) as lib:
        for query, found in HELP_EXAMPLES.items():
            result = lib.search(query)
            assert (result.total > 0) == found, (query, result.total)
        reuters = "reuters-china-us-xinjiang-militants"
        for query in ("militan*", "beiji*", "beij?ng", "mil?tants", "militnts~", "Beijing*",
                      "title:militan*", "title:mil?tants", "source:reut*", "kazak*", "xinj?ang"):
            ids = [h.id for h in lib.search(query).hits]
            assert ids, query
            if "militan" in query or "mil?t" in query:
                assert reuters in ids, (query, ids)
        # A field keeps its meaning: no seed title holds a word starting "beiji".
        assert lib.search("title:beiji*").total == 0
        # What a wildcard found is marked in the text where the word is written.
        hit = next(h for h in lib.search("militan*").hits if h.id == reuters)
        assert "militant" in hit.snippet.lower(), hit.snippet


# --- item 8: Ctrl-C during an import ------------------------------------------------------------


def test_i13_08_ctrl_c_during_add_prints_one_line_and_what_was_kept(tmp_path):
    """Ctrl-C reaches the whole foreground process group, as a terminal sends it: the recognizer
    workers ignore it, the importer stops them and says in one line what was saved."""
    import os
    import signal
    import subprocess
    import time
    import uuid

    from tests.reliability.conftest import ROOT, reader_cmd, reader_env
    from tests.reliability.test_crashes import make_corpus, wait_gone

    library = tmp_path / "library"
    folder = make_corpus(tmp_path / "in", 400)
    marker = f"reader-test-{uuid.uuid4().hex}"
    env = reader_env(READER_TEST_MARKER=marker)
    for moment in ("starting", "writing"):
        proc = subprocess.Popen(reader_cmd(library, "add", "--jobs", "2", folder), env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                                start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            workers = [p for p in processes_of(marker) if p != proc.pid]
            saved = _count(library) if (library / "library.db").exists() else 0
            if moment == "starting" and len(workers) >= 2:
                break  # the recognizers are still importing spaCy
            if moment == "writing" and saved >= 32:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the import ended before Ctrl-C: give it more to do"
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        text = err.decode()
        assert proc.returncode == 130, (moment, proc.returncode, text)
        assert "Traceback" not in text and "KeyboardInterrupt" not in text, (moment, text)
        lines = text.splitlines()
        assert len(lines) == 1 and lines[0].startswith("reader: interrupted"), (moment, text)
        if moment == "writing":
            saved = _count(library)
            assert f"reader: interrupted: {saved} articles saved ({saved} added, 0 updated)" \
                in lines[0], (saved, text)
        assert wait_gone(marker) == [], f"{moment}: processes left behind"
    final = run_reader(library, "add", "--jobs", "1", folder, env=env)
    assert final.code == 0, final
    assert _count(library) == 400
    assert_check_clean(library)


def _count(library: Path) -> int:
    import sqlite3
    try:
        return db_rows(library, "SELECT count(*) FROM articles")[0][0]
    except sqlite3.OperationalError:  # the library is still being made
        return 0


def processes_of(marker: str) -> list[int]:
    from tests.reliability.conftest import processes_mentioning
    return processes_mentioning(marker)
