"""An import notes the keys it writes (store.entities.recording) to relink only their part: a
Ctrl-C in the middle of it is reported as the interrupt it is, whatever the database was doing.
In CI, `reader add` interrupted while a statement was unfinished said "the library is busy:
another process is writing" and exited 1 (the note's cleanup failed over the interrupt)."""

from __future__ import annotations

import sqlite3

import pytest

from index.store.entities import recording


def test_an_interrupt_with_a_statement_unfinished_stays_an_interrupt():
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.execute("CREATE TABLE mentions (article INTEGER, key TEXT)")
    db.executemany("INSERT INTO mentions VALUES (?, ?)", [(1, "baker"), (2, "volcker")])
    with pytest.raises(KeyboardInterrupt), recording(db) as touched:
        db.execute("INSERT INTO mentions VALUES (3, 'funaro')")
        assert touched() == {"funaro"}
        unfinished = db.execute("SELECT key FROM mentions")
        unfinished.fetchone()
        raise KeyboardInterrupt
    unfinished.close()
    with recording(db) as touched:  # the next import notes afresh
        db.execute("DELETE FROM mentions WHERE article = 1")
        assert touched() == {"baker"}
