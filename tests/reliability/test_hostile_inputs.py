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
