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


def dump(library: Path) -> list[str]:
    db = sqlite3.connect(f"file:{quote(str(library / 'library.db'))}?mode=ro", uri=True)
    try:
        return list(db.iterdump())
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


# --- item 2: a changed feed or JSON lines file never deletes what it no longer lists ------------

PEOPLE = ["Angela Merkel", "Joe Biden", "Xi Jinping", "Emmanuel Macron", "Narendra Modi"]


def rolling_feed(first: int, last: int, *, guids: bool) -> str:
    items = "".join(
        f"<item><title>Story {n}</title>{f'<guid>urn:story:{n}</guid>' if guids else ''}"
        f"<description>{PEOPLE[n - 1]} spoke in Paris about topic number {n} on Monday."
        "</description></item>"
        for n in range(first, last + 1)
    )
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}'
            "</channel></rss>")


def titles(library: Path) -> dict[str, str]:
    return dict(db_rows(library, "SELECT id, title FROM articles"))


@pytest.mark.parametrize("guids", [True, False], ids=["guids", "no-guids"])
def test_i13_02_rolling_feed_keeps_every_item(tmp_path, library, guids):
    feed = tmp_path / "news.rss"
    feed.write_text(rolling_feed(1, 3, guids=guids), encoding="utf-8")
    assert run_reader(library, "add", "--jobs", "1", feed).code == 0
    first = titles(library)
    assert sorted(first.values()) == ["Story 1", "Story 2", "Story 3"]
    with Library.open(library, create=False) as lib:  # something of the user's on story 1
        story1 = next(i for i, t in first.items() if t == "Story 1")
        lib.pin(story1, 0, 5, note="keep me")
    feed.write_text(rolling_feed(3, 5, guids=guids), encoding="utf-8")
    run = run_reader(library, "add", "--jobs", "1", feed)
    assert run.code == 0, run
    assert "2 added, 0 updated, 1 unchanged" in run.out, run
    assert "2 kept" in run.out and "--prune" in run.out, run  # the summary says so
    now = titles(library)
    assert sorted(now.values()) == [f"Story {n}" for n in range(1, 6)]
    for aid, title in first.items():  # every old article kept its id and its text
        assert now[aid] == title
    assert_check_clean(library)
    # Only --prune removes them, naming each.
    pruned = run_reader(library, "add", "--prune", "--jobs", "1", feed)
    assert pruned.code == 0, pruned
    gone = sorted(i for i, t in first.items() if t in ("Story 1", "Story 2"))
    assert sorted(line.split()[1] for line in pruned.out.splitlines()
                  if line.startswith("removed ")) == gone, pruned
    assert sorted(titles(library).values()) == ["Story 3", "Story 4", "Story 5"]
    assert_check_clean(library)


def test_i13_02_edited_json_lines_known_by_id_link_or_text_never_position(tmp_path, library):
    import json

    def line(n: int, **extra: str) -> str:
        return json.dumps({"title": f"Story {n}", **extra,
                           "body": f"{PEOPLE[n % 5]} spoke in Lima about topic {n}."})

    data = tmp_path / "wire.jsonl"
    data.write_text("\n".join([line(1, id="a1"), line(2, url="https://example.org/2"),
                               line(3), line(4)]), encoding="utf-8")
    assert run_reader(library, "add", "--jobs", "1", data).code == 0
    first = titles(library)
    assert len(first) == 4
    # Reordered, two dropped, one edited (by id), a new one first: nothing is overwritten.
    edited = json.dumps({"id": "a1", "title": "Story 1 (corrected)",
                         "body": "Angela Merkel spoke in Lima about topic 1, corrected."})
    data.write_text("\n".join([line(9), line(4), edited]), encoding="utf-8")
    run = run_reader(library, "add", "--jobs", "1", data)
    assert run.code == 0, run
    assert "1 added, 1 updated, 1 unchanged" in run.out and "2 kept" in run.out, run
    now = titles(library)
    assert now["a1"] == "Story 1 (corrected)"
    assert sorted(now.values()) == ["Story 1 (corrected)", "Story 2", "Story 3", "Story 4",
                                    "Story 9"]
    for aid, title in first.items():
        if aid != "a1":
            assert now[aid] == title  # no id was reused for another story
    assert_check_clean(library)


# --- item 4: restore takes rows, never the backup's schema --------------------------------------


def test_i13_04_restore_copies_rows_never_triggers_views_or_bad_text(tmp_path, library):
    make_corpus(tmp_path / "in", 3)
    assert run_reader(library, "add", "--jobs", "1", tmp_path / "in").code == 0
    copy = tmp_path / "crafted.db"
    assert run_reader(library, "backup", copy).code == 0
    with sqlite3.connect(copy) as db:  # a crafted backup: it would eat pins and rewrite text
        db.executescript(
            "CREATE TRIGGER eat_pins AFTER INSERT ON pins BEGIN DELETE FROM pins; END;"
            "CREATE TRIGGER rewrite AFTER UPDATE ON articles BEGIN"
            "  UPDATE articles SET text = 'pwned' WHERE rowid = new.rowid; END;"
            "CREATE TRIGGER rewrite_new AFTER INSERT ON articles BEGIN"
            "  UPDATE articles SET text = 'pwned' WHERE rowid = new.rowid; END;"
            "CREATE VIEW spy AS SELECT text FROM articles;"
            "CREATE INDEX odd ON articles (text);"
        )
    restored = tmp_path / "restored"
    run = run_reader(restored, "restore", copy)
    assert run.code == 0, run
    assert "restored 3 articles" in run.out, run
    assert db_rows(restored, "SELECT name FROM sqlite_master WHERE type IN ('trigger', 'view')"
                             " OR name = 'odd' ORDER BY name") == [  # reader's own triggers only
        ("name_counts_changed",), ("name_counts_in",), ("name_counts_out",)]
    with Library.open(restored, create=False) as lib:
        lib.pin("story0001", 0, 5, note="mine")
        assert [p.note for p in lib.pins()] == ["mine"]
    make_corpus(tmp_path / "in", 4)  # a fourth story, and the first three re-added
    (tmp_path / "in" / "story0001.txt").write_text("Story 1 again\n\nAngela Merkel met Joe"
                                                    " Biden in Lima to talk.", encoding="utf-8")
    assert run_reader(restored, "add", "--jobs", "1", tmp_path / "in").code == 0
    assert db_rows(restored, "SELECT count(*) FROM articles WHERE text = 'pwned'") == [(0,)]
    assert db_rows(restored, "SELECT count(*) FROM articles") == [(4,)]
    assert_check_clean(restored)
    # Text that is not UTF-8: refused in one line, the library left as it was.
    bad = tmp_path / "bad.db"
    assert run_reader(library, "backup", bad).code == 0
    with sqlite3.connect(bad) as db:
        db.execute("UPDATE articles SET title = CAST(X'4142FF43' AS TEXT) WHERE id = 'story0002'")
    before = db_rows(restored, "SELECT id, title, text FROM articles ORDER BY id")
    refused = run_reader(restored, "restore", "--force", bad)
    assert refused.code != 0, refused
    assert_one_line_errors(refused)
    assert "not UTF-8" in refused.err and "nothing was restored" in refused.err, refused
    assert db_rows(restored, "SELECT id, title, text FROM articles ORDER BY id") == before
    assert not list(restored.glob("library.db.before-restore-*"))


def test_i13_04_newer_backup_and_newer_library_are_refused(tmp_path, library):
    from index.store import SCHEMA_VERSION

    make_corpus(tmp_path / "in", 2)
    assert run_reader(library, "add", "--jobs", "1", tmp_path / "in").code == 0
    newer = tmp_path / "newer.db"
    assert run_reader(library, "backup", newer).code == 0
    with sqlite3.connect(newer) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION + 1),))
    refused = run_reader(tmp_path / "other", "restore", newer)
    assert refused.code != 0 and "newer reader" in refused.err, refused
    assert_one_line_errors(refused)
    # A library whose schema is newer than this reader: every command refuses it, untouched.
    with sqlite3.connect(library / "library.db") as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION + 1),))
        db.execute("ALTER TABLE articles ADD COLUMN future TEXT")
    image = dump(library)
    for args in (["stats"], ["search", "Story"], ["add", "--jobs", "1", tmp_path / "in"],
                 ["check"], ["export"], ["pins"]):
        run = run_reader(library, *args)
        assert run.code != 0, run
        assert_one_line_errors(run)
        assert "newer reader" in run.err and "update reader" in run.err, run
    assert db_rows(library, "SELECT value FROM meta WHERE key = 'schema'") == [
        (str(SCHEMA_VERSION + 1),)]
    assert dump(library) == image


# --- item 3: damage the integrity check cannot see, and damage that breaks every read ---------


def damage_text(db_file: Path, needle: bytes) -> None:
    """A byte inside one article's text becomes 0xFF: the b-tree stays sound (SQLite's integrity
    check says ok), the text is no longer UTF-8."""
    data = bytearray(db_file.read_bytes())
    at = data.find(needle)
    assert at > 0
    data[at + 4] = 0xFF
    db_file.write_bytes(bytes(data))


def damage_page(db_file: Path, needle: bytes) -> None:
    """Garbage over the cell pointers of the page holding ``needle``: its rows unreadable."""
    data = bytearray(db_file.read_bytes())
    at = data.find(needle)
    assert at > 0
    page = at - at % 4096
    data[page + 8: page + 40] = b"\xee" * 32
    db_file.write_bytes(bytes(data))


def damaged_library(tmp_path: Path, library: Path) -> None:
    make_corpus(tmp_path / "in", 60, size=4)
    assert run_reader(library, "add", "--jobs", "1", tmp_path / "in").code == 0
    with Library.open(library, create=False) as lib:
        lib.pin("story0005", 0, 5, note="mine")
        lib.store.close()  # the WAL checkpointed into library.db: the damage lands there
    assert not (library / "library.db-wal").exists() or (library / "library.db-wal").stat().st_size == 0


def assert_damage_line(run) -> None:
    assert run.code != 0, run
    assert_one_line_errors(run)
    assert len(run.err.splitlines()) == 1, run
    assert "damaged" in run.err and "reader check --repair" in run.err, run
    assert "restore" in run.err, run  # ... and the way back from a backup


def test_i13_03_bad_utf8_found_by_check_and_repaired(tmp_path, library):
    damaged_library(tmp_path, library)
    good = tmp_path / "good.db"
    assert run_reader(library, "backup", good).code == 0
    damage_text(library / "library.db", b"day 17 to talk")
    check = run_reader(library, "check")
    assert check.code == 1, check
    assert "all good" not in check.out and "story0017" in check.out, check
    assert "not UTF-8" in check.out and "reader check --repair" in check.out, check
    assert f"reader restore --force {good}" in check.out, check  # the last backup, by name
    export = run_reader(library, "export")
    assert_damage_line(export)
    assert f"reader restore --force {good}" in export.err, export
    again = run_reader(library, "backup", tmp_path / "of-damage.db")  # no backup of damage
    assert_damage_line(again)
    repair = run_reader(library, "check", "--repair")
    assert repair.code == 0, repair
    assert "saved 60 articles" in repair.out and "story0017" in repair.out, repair
    assert "kept with \ufffd" in repair.out and "library.db.damaged-" in repair.out, repair
    assert_check_clean(library)
    export = run_reader(library, "export")
    assert export.code == 0 and len(export.out.splitlines()) == 60, export
    assert db_rows(library, "SELECT note FROM pins") == [("mine",)]


def test_i13_03_malformed_database_one_line_everywhere_and_repair_salvages(tmp_path, library):
    damaged_library(tmp_path, library)
    damage_page(library / "library.db", b"day 30 to talk")
    for args in (["stats"], ["search", "Merkel"], ["export"], ["entities"],
                 ["backup", tmp_path / "b.db"], ["add", "--jobs", "1", tmp_path / "in"]):
        run = run_reader(library, *args)
        assert "Traceback" not in run.err, run
        if run.code != 0:
            assert_damage_line(run)
    for args in (["stats"], ["export"], ["search", "Merkel"]):
        assert_damage_line(run_reader(library, *args))
    with Library.open(library, create=False) as lib:  # what the reader's workers meet
        from index import LibraryDamaged, ReaderError

        assert issubclass(LibraryDamaged, ReaderError)
        for read in (lib.stats, lambda: list(lib.export()), lambda: lib.articles(limit=100)):
            with pytest.raises(LibraryDamaged, match="reader check --repair"):
                read()
    check = run_reader(library, "check")
    assert check.code == 1 and "integrity check" in check.out, check
    assert "reader check --repair" in check.out and "none is known" in check.out, check
    repair = run_reader(library, "check", "--repair")
    assert repair.code == 0, repair
    assert_one_line_errors(repair)
    saved = db_rows(library, "SELECT count(*) FROM articles")[0][0]
    assert 30 <= saved < 60, repair
    assert f"saved {saved} articles" in repair.out and "lost: " in repair.out, repair
    assert "story0030" in repair.out, repair  # the lost articles are named
    assert_check_clean(library)
    assert db_rows(library, "SELECT note FROM pins") == [("mine",)]
    # The lost articles come back from their files.
    back = run_reader(library, "add", "--jobs", "1", tmp_path / "in")
    assert back.code == 0 and f"{60 - saved} added" in back.out, back
    assert db_rows(library, "SELECT count(*) FROM articles") == [(60,)]
    assert_check_clean(library)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
async def test_i13_03_the_reader_on_a_damaged_library_says_so_in_one_notice(tmp_path, library):
    from tests.app.helpers import settle
    from tests.reliability.test_tui import make_app, notices

    damaged_library(tmp_path, library)
    damage_page(library / "library.db", b"day 30 to talk")
    with Library.open(library, create=False) as lib:
        app = make_app(lib, tmp_path)
        async with app.run_test(size=(140, 45)) as pilot:
            await settle(pilot, rounds=5)
            said = [n for n in notices(app) if "damaged" in n]
            assert said and "reader check --repair" in said[0], notices(app)
            assert app.is_running  # no traceback: the reader stays up


def test_i13_03_a_damaged_table_root_is_salvaged_from_its_pages(tmp_path, library):
    """Damage over the articles table's root page: SQL reaches no article at all, so the
    salvage reads the file's leaf pages, as SQLite's .recover does."""
    damaged_library(tmp_path, library)
    ((root,),) = db_rows(library, "SELECT rootpage FROM sqlite_master WHERE name = 'articles'")
    before = db_rows(library, "SELECT id, title, text FROM articles ORDER BY id")
    data = bytearray((library / "library.db").read_bytes())
    data[(root - 1) * 4096:(root - 1) * 4096 + 12] = b"\x77" * 12
    (library / "library.db").write_bytes(bytes(data))
    assert_damage_line(run_reader(library, "search", "Merkel"))
    repair = run_reader(library, "check", "--repair")
    assert repair.code == 0, repair
    assert "found by reading the file's pages" in repair.out and "60 articles" in repair.out, repair
    assert db_rows(library, "SELECT id, title, text FROM articles ORDER BY id") == before
    assert db_rows(library, "SELECT note FROM pins") == [("mine",)]
    assert_check_clean(library)
    found = run_reader(library, "search", "Merkel")
    assert found.code == 0 and "story00" in found.out, found
    # Re-adding the files analyses the articles found so again; nothing is added twice.
    again = run_reader(library, "add", "--jobs", "1", tmp_path / "in")
    assert again.code == 0 and "0 added" in again.out, again
    assert db_rows(library, "SELECT count(*) FROM articles") == [(60,)]
    assert_check_clean(library)


# --- item 13: a full disk: reading and backing up work, a write says the disk is full ----------

FULL_DISK = """
set -u
mount -t tmpfs -o size=4m tmpfs "$MNT"
"$PY" -m reader --library "$MNT/lib" add --jobs 1 "$INPUT" >/dev/null 2>"$OUT/add.err" || exit 3
"$PY" -m reader --library "$MNT/lib" pin story0001 0 5 >/dev/null || exit 4
dd if=/dev/zero of="$MNT/filler" bs=4k 2>/dev/null
n=0
while IFS= read -r args; do
    n=$((n + 1))
    eval "\\"$PY\\" -m reader --library \\"$MNT/lib\\" $args" >"$OUT/$n.out" 2>"$OUT/$n.err"
    echo $? >"$OUT/$n.code"
done <"$OUT/commands"
rm "$MNT/filler"
"$PY" -m reader --library "$MNT/lib" ignore Leeds >"$OUT/after.out" 2>"$OUT/after.err"
echo $? >"$OUT/after.code"
cp -a "$MNT/lib" "$OUT/final"
"""

READS = ["stats", "check", "pins", "search Merkel", "export", 'backup "$OUT/copy.db"']
WRITES = ["ignore Paris", "pin story0002 0 5", 'merge "$A" "$B"', 'add --jobs 1 "$EXTRA"']


def test_i13_13_full_disk_reads_and_backs_up_and_writes_say_the_disk_is_full(tmp_path):
    from tests.reliability.conftest import require_mounts

    require_mounts()
    import subprocess
    import sys

    from tests.reliability.conftest import ROOT, reader_env

    make_corpus(tmp_path / "in", 5)
    first = (tmp_path / "in" / "story0000.txt").read_text(encoding="utf-8").split("\n")[2]
    a, b = first.split(" met ")[0], first.split(" met ")[1].split(" in ")[0]
    extra = make_corpus(tmp_path / "extra", 1) / "story0000.txt"
    extra.write_text("A new story\n\nOlaf Scholz met Cyril Ramaphosa in Hanoi.", encoding="utf-8")
    mnt, out = tmp_path / "mnt", tmp_path / "out"
    mnt.mkdir()
    out.mkdir()
    (out / "commands").write_text("\n".join(READS + WRITES) + "\n", encoding="utf-8")
    env = reader_env(MNT=str(mnt), OUT=str(out), INPUT=str(tmp_path / "in"), PY=sys.executable,
                     EXTRA=str(extra), A=a, B=b)
    done = subprocess.run(["unshare", "-m", "sh", "-c", FULL_DISK], env=env, capture_output=True,
                          timeout=600, cwd=ROOT)
    assert done.returncode == 0, (done.returncode, done.stderr.decode(),
                                  (out / "add.err").read_text() if (out / "add.err").exists() else "")
    for n, args in enumerate(READS + WRITES, 1):
        code = int((out / f"{n}.code").read_text())
        said, err = (out / f"{n}.out").read_text(), (out / f"{n}.err").read_text()
        assert "Traceback" not in err and "disk I/O error" not in err, (args, err)
        if args in READS:
            assert code == 0, (args, said, err)
        else:
            assert code != 0, (args, said, err)
            lines = err.splitlines()
            assert len(lines) == 1 and lines[0].startswith("reader: "), (args, err)
            assert "the disk is full" in lines[0], (args, err)
    said = {args: (out / f"{n}.out").read_text() for n, args in enumerate(READS, 1)}
    assert "5 articles" in said["stats"], said
    assert "all good" in said["check"], said
    assert "story0001" in said["pins"], said
    assert len(said["export"].splitlines()) == 5, said
    assert "backed up 5 articles" in said[READS[-1]] and "1 pins" in said[READS[-1]], said
    assert counts(out / "copy.db") == (5, 1)
    # With room again, the next write works, and nothing was half-written.
    assert (out / "after.code").read_text().strip() == "0", (out / "after.err").read_text()
    assert db_rows(out / "final", "SELECT kind, a FROM decisions") == [("ignore", "leeds")]
    assert db_rows(out / "final", "SELECT count(*) FROM pins") == [(1,)]
    assert_check_clean(out / "final")


# --- item 14: library files are private -------------------------------------------------------


def modes(folder: Path) -> dict[str, int]:
    import os

    found = {".": os.stat(folder).st_mode & 0o777}
    for path in folder.rglob("*"):
        found[str(path.relative_to(folder))] = path.stat().st_mode & 0o777
    return found


def test_i13_14_library_files_and_folders_are_created_private(tmp_path, library):
    import os

    old = os.umask(0o022)  # the usual umask: without care, files 0644 and folders 0755
    try:
        make_corpus(tmp_path / "in", 3)
        assert run_reader(library, "add", "--jobs", "1", tmp_path / "in").code == 0
        assert run_reader(library, "pin", "story0001", "0", "5", "--note", "private").code == 0
        backups = tmp_path / "backups"
        backups.mkdir()
        assert run_reader(library, "backup", backups).code == 0
        (copy,) = backups.glob("*.db")
        assert run_reader(library, "restore", "--force", copy).code == 0
        restored = tmp_path / "restored"
        assert run_reader(restored, "restore", copy).code == 0
        brief = tmp_path / "brief.md"
        assert run_reader(library, "brief", "--pins", "-o", brief).code == 0
        with Library.open(library, create=False) as lib:  # open: its -wal and -shm are there
            lib.ignore("Leeds")
            lib.search("Merkel")
            assert (library / "library.db-wal").exists() and (library / "library.db-shm").exists()
            for folder in (library, restored):
                found = modes(folder)
                assert "library.db" in found and "index" in found, found
                for name, mode in found.items():
                    is_dir = name == "." or (folder / name).is_dir()
                    assert mode == (0o700 if is_dir else 0o600), (folder, name, oct(mode))
        assert any(name.startswith("library.db.before-restore-") for name in modes(library))
        assert copy.stat().st_mode & 0o777 == 0o600
        assert brief.stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(old)
