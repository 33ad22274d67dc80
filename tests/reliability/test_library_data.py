"""Issue 13: nothing the user made is lost, whatever the library's path, the re-added file or
the damage to the database (items 1-4, 13 and 14)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

import pytest

from index import Library
from tests.reliability.conftest import (
    assert_check_clean,
    assert_one_line_errors,
    db_rows,
    run_reader,
)
from tests.reliability.test_crashes import make_corpus


def counts(db_file: Path) -> tuple[int, int]:
    db = sqlite3.connect(f"file:{quote(str(db_file))}?mode=ro", uri=True)
    try:
        return (db.execute("SELECT count(*) FROM articles").fetchone()[0],
                db.execute("SELECT count(*) FROM pins").fetchone()[0])
    finally:
        db.close()


# --- item 1: a library path with # or ? ---------------------------------------------------------


@pytest.mark.parametrize("folder", ["News #2", "what?mode=memory&x=1", "100% sure#?"])
def test_i13_01_backup_and_restore_in_a_folder_named_with_hash_or_question_mark(tmp_path, folder):
    parent = tmp_path / folder
    library = parent / "library"
    make_corpus(tmp_path / "in", 3)
    assert run_reader(library, "add", "--jobs", "1", tmp_path / "in").code == 0
    with Library.open(library, create=False) as lib:
        lib.pin("story0001", 0, 5, note="mine")
    copy = parent / "copy.db"
    made = run_reader(library, "backup", copy)
    assert made.code == 0, made
    assert_one_line_errors(made)
    assert "backed up 3 articles" in made.out and "1 pins" in made.out, made
    assert counts(copy) == (3, 1)
    # Nothing written beside the library under a name cut at the # or the ?.
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({"in", folder}), list(tmp_path.iterdir())
    assert sorted(p.name for p in parent.iterdir()) == ["copy.db", "library"]
    # restore --force keeps the library's real database as the previous one, not an empty file.
    back = run_reader(library, "restore", "--force", copy)
    assert back.code == 0, back
    assert "restored 3 articles" in back.out, back
    (kept,) = library.glob("library.db.before-restore-*")
    assert counts(kept) == (3, 1)
    assert counts(library / "library.db") == (3, 1)
    other = tmp_path / folder / "other #lib?"
    assert run_reader(other, "restore", copy).code == 0
    assert counts(other / "library.db") == (3, 1)
    assert_check_clean(library)
    assert_check_clean(other)
