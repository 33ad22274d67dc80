"""Languages a user sees: every web page imported, its language shown and searchable with
``lang:``, English NER only on English text, and libraries from before languages upgraded."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from index import Library
from index.errors import QueryError

pytestmark = pytest.mark.model

WEB = Path(__file__).resolve().parents[1] / "data" / "web"
ENGLISH = """<html lang="en"><head><title>Talks resume in Geneva</title></head><body><article>
<h1>Talks resume in Geneva</h1>
<p>GENEVA (Reuters) - Foreign Minister Mevlut Cavusoglu said on Wednesday that talks between
the two delegations would resume in Geneva next week.</p>
<p>The United Nations welcomed the announcement and said it stood ready to help.</p>
</article></body></html>"""


@pytest.fixture(scope="module")
def languages_library(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pages")
    for name in ("ja-nikkei.html", "ru-exclusive.html"):
        shutil.copy(WEB / name, folder / name)
    (folder / "geneva.html").write_text(ENGLISH, encoding="utf-8")
    path = tmp_path_factory.mktemp("langlib") / "library"
    with Library.open(path) as lib:
        report = lib.add([folder], jobs=1)
    assert (report.added, report.failed) == (3, ()), report
    return path


def test_each_article_has_its_language(languages_library):
    with Library.open(languages_library) as lib:
        langs = {a.id: a.lang for a in lib.articles()}
        assert langs == {"ja-nikkei": "ja", "ru-exclusive": "ru", "geneva": "en"}
        assert lib.article("ja-nikkei").lang == "ja"


def test_lang_field_finds_the_articles_in_a_language(languages_library):
    with Library.open(languages_library) as lib:
        assert [h.id for h in lib.search("lang:ja").hits] == ["ja-nikkei"]
        assert [h.id for h in lib.search("language:RU").hits] == ["ru-exclusive"]
        assert [h.id for h in lib.search("talks -lang:en").hits] == []
        with pytest.raises(QueryError, match="language code"):
            lib.search("lang:japanese")


def test_other_languages_are_searchable_but_not_read_by_english_ner(languages_library):
    with Library.open(languages_library) as lib:
        assert [h.id for h in lib.search("Эксклюзивный").hits] == ["ru-exclusive"]
        names = {e.name for e in lib.entities(limit=1000)}
        assert "Geneva" in names  # English text still goes through the recognizer
        assert not any(any(ord(c) > 0x400 for c in name) for name in names), names


def test_a_library_from_before_languages_gets_them_when_opened(languages_library, tmp_path):
    old = tmp_path / "old"
    shutil.copytree(languages_library, old)
    db = sqlite3.connect(old / "library.db")
    db.execute("ALTER TABLE articles DROP COLUMN lang")
    db.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    db.execute("DELETE FROM meta WHERE key = 'langs_unknown'")
    db.commit()
    db.close()
    with Library.open(old, readonly=True) as lib:  # read-only: shown as unknown, no failure
        assert {a.lang for a in lib.articles()} == {""}
        assert lib.article("geneva").lang == ""
    with Library.open(old) as lib:
        assert {a.id: a.lang for a in lib.articles()}["ja-nikkei"] == "ja"
        assert [h.id for h in lib.search("lang:ru").hits] == ["ru-exclusive"]


def test_japanese_words_inside_a_sentence_are_found(languages_library):
    with Library.open(languages_library) as lib:
        for query in ("金融政策", "植田総裁", '"長期金利"', "lang:ja 円高"):
            assert [h.id for h in lib.search(query).hits] == ["ja-nikkei"], query
        assert lib.search("政策 NOT 円高").total == 0
        hit = lib.search("植田総裁").hits[0]
        marked = {hit.snippet[s.start:s.end] for s in hit.highlights}
        assert marked == {"植田総裁"}  # the word marked whole in the snippet


def test_export_carries_the_language(languages_library):
    import json

    from click.testing import CliRunner

    from reader.cli import main

    result = CliRunner().invoke(main, ["--library", str(languages_library), "export"])
    assert result.exit_code == 0, result.output
    langs = {r["id"]: r["lang"] for r in map(json.loads, result.output.splitlines())}
    assert langs == {"ja-nikkei": "ja", "ru-exclusive": "ru", "geneva": "en"}


def test_a_busy_old_library_still_opens_and_gets_languages_later(
    languages_library, tmp_path, monkeypatch
):
    from index.store import Store

    monkeypatch.setenv("READER_LOCK_WAIT", "0.2")
    old = tmp_path / "old"
    shutil.copytree(languages_library, old)
    db = sqlite3.connect(old / "library.db")
    db.execute("UPDATE articles SET lang = ''")
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('langs_unknown', '1')")
    db.commit()
    db.close()
    writer = Store(old / "library.db")
    with writer.write():  # another process holds the write lock
        lib = Library(old, readonly=False)
        assert lib.count() == 3
        lib.close()
    with Library.open(old) as lib:
        assert {a.id: a.lang for a in lib.articles()}["ru-exclusive"] == "ru"
    writer.close()
