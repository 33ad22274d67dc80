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
