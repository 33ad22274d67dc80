"""Spans trimmed and names spread, through ``reader add`` with the real model (issue 10): a web
page's "Questioning Vindman" and "Hosting Cook", a name doubled by a hover card; names found in one article are
mentions in every other, whichever is imported first; a killed pass is finished by the next run.
"""

from __future__ import annotations

import sqlite3

import pytest

from index import Library
from index.ingest import propagate
from index.store import spread

pytestmark = pytest.mark.model

PAGE = """<!DOCTYPE html>
<html><head><title>Impeachment hearing: what happened on day three | The Daily Report</title></head>
<body>
<nav><a href="/">Home</a> <a href="/politics">Politics</a> <a href="/tech">Tech</a></nav>
<article>
<h1>Impeachment hearing: what happened on day three</h1>
<p>Lt. Col. Alexander Vindman, the top Ukraine expert on the National Security Council, told
lawmakers on Tuesday that he reported his concerns about the July call to a lawyer.</p>
<p>Questioning Vindman, Republicans pressed him on his contacts with the whistleblower. Vindman
said he had never met the whistleblower and did not know who it was.</p>
<p>Representative <a class="hover" href="/people/ilhan-omar">Ilhan Omar</a><span class="card">Ilhan
Omar</span> said the hearing was important. Representative Devin Nunes said Vindman had leaked
details of the call.</p>
<p>Vindman, who wore his dress uniform, said his father had come to America forty years ago.
Vindman thanked him. "Dad, I'm going to be fine," Vindman said.</p>
<p>On his loyalty, Vindman replied that he was an American. Asked about reporters, Vindman said he
had not spoken to any. When the session ended, the room emptied, and Vindman's lawyer spoke to
the press.</p>
<h2>Apple's chief at the White House</h2>
<p>Hosting Cook at the White House on Wednesday, the president praised Apple. Tim Cook, Apple's
chief executive, smiled. Cook said Apple would build a plant in Texas. Cook added that the plant
would open soon. Earlier in the day Cook met the president. Cook declined to comment.</p>
</article>
<footer>Share this story. Copyright 2019 The Daily Report.</footer>
</body></html>
"""

#: spaCy finds "Mandrivel" once in A and never in B.
A = "They said Mandrivel is their home, and Mandrivel will stay.\n"
B = "Farmers said Mandrivel is their home and the rains came late to Mandrivel this year.\n"


def mentions_of(lib: Library) -> set[tuple]:
    return {(m.doc, m.start, m.end, m.text, m.name, m.label) for m in lib.mentions()}


def test_a_web_page_trimmed_and_spread(tmp_path):
    page = tmp_path / "vindman.html"
    page.write_text(PAGE, encoding="utf-8")
    with Library.open(tmp_path / "lib") as lib:
        assert lib.add([page], jobs=1).added == 1
        (art,) = lib.articles()
        text = lib.article(art.id).text
        found = lib.mentions(article=art.id)
        assert not any(m.text.startswith(("Questioning", "Hosting")) for m in found)
        vindman = [m for m in found if m.name == "Alexander Vindman"]
        assert len(vindman) == text.count("Vindman") == 10  # what `n` walks
        cook = [m for m in found if m.text == "Cook"]
        assert len(cook) == text.count("Cook") - text.count("Tim Cook") == 5
        assert {m.name for m in cook} == {"Tim Cook"}


def test_a_page_copied_with_its_hover_card_names_the_person_once(tmp_path):
    """The page reader drops hover cards; text copied from the page keeps them glued on."""
    copied = tmp_path / "copied.txt"
    copied.write_text(
        "Hearing, day three\n\nRepresentative Ilhan OmarIlhan Omar said the hearing was"
        " important. Later Ilhan Omar left the room.\n",
        encoding="utf-8",
    )
    with Library.open(tmp_path / "lib") as lib:
        lib.add([copied], jobs=1)
        assert "OmarIlhan" in lib.article("copied").text
        omar = [m for m in lib.mentions() if m.name == "Ilhan Omar"]
        assert [m.text for m in omar] == ["Ilhan Omar", "Ilhan Omar"]


def test_names_spread_across_imports_in_either_order(tmp_path):
    (tmp_path / "a.txt").write_text(A, encoding="utf-8")
    (tmp_path / "b.txt").write_text(B, encoding="utf-8")
    got = []
    for order in (["a.txt", "b.txt"], ["b.txt", "a.txt"]):
        with Library.open(tmp_path / f"lib-{order[0]}") as lib:
            for name in order:
                lib.add([tmp_path / name], jobs=1)
            got.append(mentions_of(lib))
    with Library.open(tmp_path / "lib-both") as lib:
        lib.add([tmp_path / "a.txt", tmp_path / "b.txt"], jobs=1)
        both = mentions_of(lib)
        in_b = [m for m in lib.mentions(article="b") if m.text == "Mandrivel"]
        assert len(in_b) == 2  # spaCy found none of them
        assert {m.name for m in lib.mentions() if m.text == "Mandrivel"} == {in_b[0].name}
        assert lib.search(f'entity:"{in_b[0].name}"').total == 2
    assert got[0] == got[1] == both


def test_a_name_that_came_reaches_older_articles_through_the_search_index(tmp_path, monkeypatch):
    """The pass reads only the texts the search index says may write the names that came: the
    older article (and one writing "Mandrivel.com") gets its mentions all the same."""
    (tmp_path / "a.txt").write_text(A, encoding="utf-8")
    (tmp_path / "b.txt").write_text(B, encoding="utf-8")
    (tmp_path / "c.txt").write_text(
        "Farmers wrote to Mandrivel.com that the rains came late.\n", encoding="utf-8")
    with Library.open(tmp_path / "once") as lib:
        lib.add([tmp_path / n for n in ("a.txt", "b.txt", "c.txt")], jobs=1)
        want = mentions_of(lib)
    with Library.open(tmp_path / "lib") as lib:
        lib.add([tmp_path / "b.txt", tmp_path / "c.txt"], jobs=1)
        assert not [m for m in lib.mentions() if m.text == "Mandrivel"]

        def every_text(db):
            raise AssertionError("the pass read every text of the library")

        monkeypatch.setattr(spread, "unmarked_texts", every_text)
        lib.add([tmp_path / "a.txt"], jobs=1)
        assert mentions_of(lib) == want
        assert len([m for m in lib.mentions(article="b") if m.text == "Mandrivel"]) == 2


def test_the_library_counts_its_names_as_it_changes(tmp_path):
    """The names pass reads the library's names from counts triggers keep: true to the mentions
    after an import, a removal, a re-import of a changed file and the pass's own rewrites."""
    (tmp_path / "a.txt").write_text(A, encoding="utf-8")
    (tmp_path / "b.txt").write_text(B, encoding="utf-8")
    grouped = ("SELECT text, label, count(*) FROM mentions WHERE spread = 0"
               " GROUP BY text, label ORDER BY 1, 2")
    with Library.open(tmp_path / "lib") as lib:
        db = lib.store.db

        def counted():
            return db.execute("SELECT text, label, n FROM name_counts ORDER BY 1, 2").fetchall()

        lib.add([tmp_path], jobs=1)
        assert counted() and counted() == db.execute(grouped).fetchall()
        (tmp_path / "a.txt").write_text(A + "Olaf Brenning said so.\n", encoding="utf-8")
        lib.add([tmp_path], jobs=1)
        assert "Olaf Brenning" in {t for t, _, _ in counted()}
        assert counted() == db.execute(grouped).fetchall()
        lib.remove("a")
        assert "Olaf Brenning" not in {t for t, _, _ in counted()}
        assert counted() == db.execute(grouped).fetchall()


def test_a_killed_pass_is_finished_by_the_next_opening(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(A, encoding="utf-8")
    (tmp_path / "b.txt").write_text(B, encoding="utf-8")
    with Library.open(tmp_path / "clean") as lib:
        lib.add([tmp_path], jobs=1)
        want = mentions_of(lib)
    monkeypatch.setattr(propagate, "BATCH", 1)
    real, run = propagate.find, propagate.run
    calls = []

    def dies(*args):
        if passing:
            calls.append(1)
            if len(calls) == 2:
                raise KeyboardInterrupt  # killed after the pass's first article's transaction
        return real(*args)

    def the_pass(*args):
        passing.append(1)
        return run(*args)

    passing: list[int] = []  # find() runs in the import too, for the names known before it
    monkeypatch.setattr(propagate, "find", dies)
    monkeypatch.setattr(propagate, "run", the_pass)
    with Library.open(tmp_path / "lib") as lib, pytest.raises(KeyboardInterrupt):
        lib.add([tmp_path], jobs=1)
    monkeypatch.setattr(propagate, "find", real)
    monkeypatch.setattr(propagate, "run", run)
    db = sqlite3.connect(tmp_path / "lib" / "library.db")
    assert db.execute("SELECT count(*) FROM spread_pending").fetchone()[0] == 1
    db.close()
    with Library.open(tmp_path / "lib") as lib:
        assert mentions_of(lib) == want
        assert lib.search('entity:"Mandrivel"').total == 2


def test_a_library_from_before_propagation_is_spread_on_opening(tmp_path):
    (tmp_path / "a.txt").write_text(A, encoding="utf-8")
    (tmp_path / "b.txt").write_text(B, encoding="utf-8")
    with Library.open(tmp_path / "lib") as lib:
        lib.add([tmp_path], jobs=1)
        want = mentions_of(lib)
    db = sqlite3.connect(tmp_path / "lib" / "library.db")
    db.executescript(
        "DROP TRIGGER name_counts_in; DROP TRIGGER name_counts_out;"
        "DROP TRIGGER name_counts_changed; DROP TABLE name_counts;"
        "DELETE FROM mentions WHERE spread = 1; ALTER TABLE mentions DROP COLUMN spread;"
        "DROP TABLE spread_names; DROP TABLE spread_pending;"
    )
    db.close()
    with Library.open(tmp_path / "lib") as lib:
        assert mentions_of(lib) == want
