"""``reader backup`` and ``reader restore``: pins, merges and ignores survive the round trip."""

from __future__ import annotations

import sqlite3
import subprocess
import time

from index import Library
from tests.reliability.conftest import (
    ROOT,
    assert_check_clean,
    assert_one_line_errors,
    db_rows,
    no_duplicates,
    reader_cmd,
    reader_env,
    run_reader,
    write,
)
from tests.reliability.test_crashes import decided_library, make_corpus, state_of


def articles_of(library) -> list[tuple]:
    return db_rows(library, "SELECT id, title, text, source, date, meta FROM articles ORDER BY id")


def test_backup_and_restore_round_trip(tmp_path, library):
    before = decided_library(tmp_path, library)
    if hasattr(Library, "pin"):
        assert len(before["pins"]) == 2, before
    assert len(before["decisions"]) == 2, before  # a merge and an ignore
    texts = articles_of(library)
    made = run_reader(library, "backup", tmp_path / "copy.db")
    assert made.code == 0, made
    assert_one_line_errors(made)
    assert "12 articles" in made.out, made
    copy = tmp_path / "copy.db"
    assert copy.is_file() and not (tmp_path / "copy.db-wal").exists()
    with sqlite3.connect(copy) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file, whole
    restored = tmp_path / "restored"
    back = run_reader(restored, "restore", copy)
    assert back.code == 0, back
    assert_one_line_errors(back)
    assert "rebuilt" in back.out, back
    assert state_of(restored) == before  # decisions, pins, the merged entity, the ignored name
    assert articles_of(restored) == texts
    assert not (restored / "index").exists() or len(list((restored / "index").iterdir())) > 0
    found = run_reader(restored, "search", "Merkel")
    assert found.code == 0 and "Story" in found.out, found
    assert "note:" not in found.err  # the index was rebuilt by the restore, not found broken
    assert_check_clean(restored)
    no_duplicates(restored)


def test_backup_into_a_folder_and_refusals(tmp_path, library):
    decided_library(tmp_path, library)
    folder = tmp_path / "backups"
    folder.mkdir()
    made = run_reader(library, "backup", folder)
    assert made.code == 0, made
    (copy,) = folder.glob("reader-library-*.db")
    again = run_reader(library, "backup", copy)  # never overwrites by surprise
    assert again.code != 0 and "--force" in again.err, again
    assert_one_line_errors(again)
    assert run_reader(library, "backup", "--force", copy).code == 0
    # A library with something in it is not replaced without --force ...
    refused = run_reader(library, "restore", copy)
    assert refused.code != 0 and "not empty" in refused.err and "--force" in refused.err, refused
    assert_one_line_errors(refused)
    # ... and with it, the old database is kept beside the library.
    forced = run_reader(library, "restore", "--force", copy)
    assert forced.code == 0, forced
    kept = list(library.glob("library.db.before-restore-*"))
    assert len(kept) == 1
    with sqlite3.connect(kept[0]) as db:
        assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 12
    assert_check_clean(library)


def test_restore_refuses_what_is_not_a_backup(tmp_path):
    target = tmp_path / "lib"
    for name, data in (("png.db", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200), ("empty.db", b""),
                       ("text.db", b"hello world\n")):
        bad = write(tmp_path / name, data)
        run = run_reader(target, "restore", bad)
        assert run.code != 0, run
        assert_one_line_errors(run)
        assert "backup" in run.err or "database" in run.err, run
    missing = run_reader(target, "restore", tmp_path / "nowhere.db")
    assert missing.code != 0 and "no backup file" in missing.err, missing
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE t (x)")
    run = run_reader(target, "restore", other)
    assert run.code != 0 and "not a reader backup" in run.err, run


def test_backup_while_an_import_runs_is_consistent(tmp_path, library):
    make_corpus(tmp_path / "first", 5)
    assert run_reader(library, "add", "--jobs", "1", tmp_path / "first").code == 0
    make_corpus(tmp_path / "big", 300)
    importing = subprocess.Popen(reader_cmd(library, "add", "--jobs", "1", tmp_path / "big"),
                                 env=reader_env(), stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, cwd=ROOT)
    copies = []
    try:
        for n in range(4):
            time.sleep(1.5)
            made = run_reader(library, "backup", tmp_path / f"during{n}.db")
            assert made.code == 0, made
            copies.append(tmp_path / f"during{n}.db")
        _, err = importing.communicate(timeout=300)
        assert importing.returncode == 0, err.decode()
    finally:
        if importing.poll() is None:
            importing.kill()
            importing.communicate()
    for copy in copies:
        restored = tmp_path / f"from-{copy.stem}"
        run = run_reader(restored, "restore", copy)
        assert run.code == 0, run
        count = db_rows(restored, "SELECT count(*) FROM articles")[0][0]
        assert 5 <= count <= 305
        # Every article in the copy came with its mentions: a snapshot, never half a batch.
        assert db_rows(restored, "SELECT count(*) FROM articles a WHERE NOT EXISTS"
                                 " (SELECT 1 FROM mentions m WHERE m.article = a.rowid)") == [(0,)]
        assert_check_clean(restored)
        # Finishing the import from a restored copy adds exactly what it lacked.
        finish = run_reader(restored, "add", "--jobs", "1", tmp_path / "big")
        assert finish.code == 0, finish
        assert db_rows(restored, "SELECT count(*) FROM articles") == [(305,)]
        no_duplicates(restored)


def test_library_api_backup_and_restore(tmp_path, library):
    before = decided_library(tmp_path, library)
    with Library.open(library, create=False) as lib:
        report = lib.backup(tmp_path / "api.db")
    assert report.articles == 12 and report.decisions == len(before["decisions"])
    assert report.pins == len(before["pins"])
    restored = tmp_path / "api-restored"
    back = Library.restore(tmp_path / "api.db", restored)
    assert back.articles == 12
    assert state_of(restored) == before
    with Library.open(restored, create=False) as lib:
        assert lib.search("Merkel").total > 0
