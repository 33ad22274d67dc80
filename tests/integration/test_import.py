"""Import behaviour a user notices: furniture repeated across a folder, re-adds, updates, ids."""

from __future__ import annotations

import json

import pytest

from index import Library

pytestmark = pytest.mark.model

BODY = (
    "The minister said on Monday that exports to Europe rose by {n} percent in March.\n\n"
    "{line}\n\n"
    "Officials in Brussels welcomed the figures and said talks would continue next week.\n"
)


def test_a_line_repeated_across_a_folder_is_furniture(tmp_path):
    folder = tmp_path / "site"
    folder.mkdir()
    for n in range(4):
        text = f"Exports story number {n}\n\n" + BODY.format(n=n, line="Subscribers only zone")
        (folder / f"story{n}.txt").write_text(text, encoding="utf-8")
    with Library.open(tmp_path / "lib") as lib:
        assert lib.add([folder], jobs=1).added == 4
        for art in lib.export():
            assert "Subscribers only zone" not in art.text
            assert "Officials in Brussels" in art.text


def test_readd_is_unchanged_and_an_edit_updates_in_place(tmp_path):
    data = tmp_path / "wire.jsonl"
    rows = [{"id": f"w{n}", "title": f"Story {n}", "body": BODY.format(n=n, line="More to come."),
             "source": "Wire", "date": f"2020-01-0{n + 1}"} for n in range(3)]
    data.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    with Library.open(tmp_path / "lib") as lib:
        first = lib.add([data], jobs=1)
        assert (first.added, first.unchanged) == (3, 0)
        again = lib.add([data], jobs=1)
        assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
        rows[1]["body"] = rows[1]["body"].replace("Brussels", "Madrid")
        data.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
        edit = lib.add([data], jobs=1)
        assert (edit.added, edit.updated, edit.unchanged) == (0, 1, 2)
        assert [a.id for a in lib.articles()] == ["w2", "w1", "w0"]
        assert "Madrid" in lib.article("w1").text
        assert lib.search("madrid").hits[0].id == "w1"
        assert lib.search("brussels").total == 2
        lib.remove("w0")
        assert lib.count() == 2
        assert lib.search("brussels").total == 1


def test_a_copy_of_an_article_from_another_folder_is_not_a_second_article(tmp_path):
    for folder in ("downloads", "desk"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "minister.txt").write_text(
            "Exports rise in March\n\n" + BODY.format(n=4, line="More to come."), encoding="utf-8")
    (tmp_path / "desk" / "other.txt").write_text(
        "Exports fall in May\n\n" + BODY.format(n=9, line="More to come."), encoding="utf-8")
    with Library.open(tmp_path / "lib") as lib:
        first = lib.add([tmp_path / "downloads"], jobs=1)
        assert (first.added, first.duplicates) == (1, 0)
        second = lib.add([tmp_path / "desk"], jobs=1)
        assert (second.added, second.duplicates) == (1, 1)
        titles = sorted(a.title for a in lib.articles())
        assert titles == ["Exports fall in May", "Exports rise in March"]
        assert lib.search("brussels").total == 2
        # Inputs with ids of their own are taken at their word, even with the same text.
        same = BODY.format(n=1, line="x")
        rows = [{"id": f"r{n}", "title": "Same", "body": same} for n in (1, 2)]
        (tmp_path / "wire.jsonl").write_text("\n".join(map(json.dumps, rows)), encoding="utf-8")
        assert lib.add([tmp_path / "wire.jsonl"], jobs=1).added == 2


def test_compressed_json_lines_over_64_mb_are_judged_by_the_records_cap(tmp_path):
    """A .jsonl.gz is held to the 256 MB cap for JSON lines (before and after decompression),
    not refused unread at 64 MB like a .json file."""
    import gzip

    record = json.dumps({"id": "big1", "title": "A big export",
                         "body": BODY.format(n=7, line="The end.")}).encode()
    # Blank lines are skipped by the reader; stored uncompressed, they make the file 65 MB.
    data = gzip.compress(record + b"\n" + b" " * (65 * 1024 * 1024) + b"\n", compresslevel=0)
    assert len(data) > 64 * 1024 * 1024
    big = tmp_path / "big.jsonl.gz"
    big.write_bytes(data)
    with Library.open(tmp_path / "lib") as lib:
        report = lib.add([big], jobs=1)
        assert report.failed == ()
        assert report.added == 1
