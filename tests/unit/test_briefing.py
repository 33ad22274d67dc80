"""The Library's dossiers, pins and briefings (index/dossiers.py) on the seed library."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest

from index import Library, NotFound, safe_text
from index.analysis import cooccurring
from index.dossiers import ANALYSIS_VERSION, COOCCURRING
from index.models import Source
from index.render import dossier_json, render_dossier, render_markdown
from index.store.dossiers import DossierStore
from tests.conftest import REUTERS_TITLE, SCMP_TITLE

WANG_QUOTE = (
    "We appreciated the Kazakh government’s understanding and support for China’s position, and"
    " we will never let any person or any force damage the friendship and mutual trust between"
    " China and Kazakhstan"
)
HUANG_QUOTE = "The bottom line is anti-terrorism work must be implemented well"
KAIDANOW_ROLE = "Ambassador-At-Large for the U.S. State Department's Bureau of Counterterrorism"
REUTERS = "reuters-china-us-xinjiang-militants"
SCMP = "scmp-china-kazakhstan-xinjiang"

pytestmark = pytest.mark.model  # the seed library is built with the real model


@pytest.fixture
def lib(seed_library):
    with Library.open(seed_library) as lib:
        yield lib


def run_python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


# --- dossiers ----------------------------------------------------------------------------------
def test_wang_yi_dossier_holds_his_role_quotes_company_and_articles(lib):
    d = lib.dossier("Wang Yi", budget=None)
    assert (d.entity.name, d.entity.label, d.entity.mentions, d.entity.articles) == (
        "Wang Yi",
        "PERSON",
        5,
        1,
    )
    assert "Wang" in d.entity.aliases
    assert [r.text for r in d.roles] == ["Chinese Foreign Minister"]
    assert (d.roles[0].article, d.roles[0].entity) == (SCMP, d.entity.id)
    assert len(d.quotes) == 3  # '..., Wang said', '..., he said', '..., Wang said'
    assert WANG_QUOTE in [q.text for q in d.quotes]
    text = lib.article(SCMP).text
    for q in d.quotes:
        assert text[q.start : q.end] == q.text and q.article == SCMP and q.entity == d.entity.id
        assert text[q.speaker_start : q.speaker_end] == q.speaker
    assert {q.speaker for q in d.quotes} == {"Wang", "he"}
    assert [a.title for a in d.articles] == [SCMP_TITLE]
    assert (d.analysed, d.of) == (1, 1)
    names = [c.entity.name for c in d.cooccurring]
    assert "Beibut Atamkulov" in names[:6]
    for c in d.cooccurring:  # each one openable
        assert lib.entity(c.entity.id) == c.entity


def test_huang_ming_role_and_quote_come_through_the_library(lib):
    d = lib.dossier("Huang Ming", budget=None)
    assert [r.text for r in d.roles] == ["deputy public security minister"]
    (quote,) = d.quotes
    assert quote.text.startswith(HUANG_QUOTE)
    assert (quote.speaker, quote.cue, quote.article) == ("Huang Ming", "quoted as saying", REUTERS)


def test_kaidanow_and_cheng_roles(lib):
    assert [r.text for r in lib.dossier("Tina Kaidanow", budget=None).roles] == [KAIDANOW_ROLE]
    assert [r.text for r in lib.dossier("Cheng Guoping", budget=None).roles] == [
        "Chinese Vice Foreign Minister"
    ]


def test_the_ministry_statements_are_the_ministrys_not_a_persons(lib):
    ministry = lib.dossier("Foreign Ministry", budget=None)
    said = [q.text for q in ministry.quotes]
    assert any("severe by the day" in s for s in said)
    assert any(s.startswith("China stressed the serious threat of ETIM") for s in said)
    assert {q.speaker for q in ministry.quotes} == {"Foreign Ministry", "the ministry"}
    for person in ("Cheng Guoping", "Tina Kaidanow", "Huang Ming"):
        theirs = [q.text for q in lib.dossier(person, budget=None).quotes]
        assert not any("ETIM" in s or "severe by the day" in s for s in theirs), person


def test_undated_articles_are_counted_apart_and_dates_order_the_articles(lib, tmp_path):
    d = lib.dossier("Wang Yi", budget=None)
    assert d.timeline == () and d.undated == 5  # the seeds carry no date
    assert d.first_seen is None and d.last_seen is None
    story = {
        "id": "dated-wang",
        "title": "Wang Yi visits Astana",
        "date": "2019-06-02",
        "source": "Test Wire",
        "body": "Chinese Foreign Minister Wang Yi arrived in Astana on Sunday.\n\n"
        "Wang Yi met officials there, the Foreign Ministry said.",
    }
    (tmp_path / "dated.jsonl").write_text(json.dumps(story) + "\n", encoding="utf-8")
    assert lib.add([tmp_path / "dated.jsonl"], jobs=1).added == 1
    d = lib.dossier("Wang Yi", budget=None)
    assert [(p.period, p.mentions) for p in d.timeline] == [("2019-06-02", 2)]
    assert d.undated == 5  # never given the dated article's date
    assert (d.first_seen, d.last_seen) == ("2019-06-02", "2019-06-02")
    assert [a.id for a in d.articles] == ["dated-wang", SCMP]  # newest first, undated last
    assert (d.analysed, d.of) == (2, 2)


def test_cooccurrence_in_sql_ranks_as_the_pure_function_does(lib):
    for name in ("Wang Yi", "Xinjiang", "ETIM"):
        entity = lib.entity(name)
        articles = {m.doc for m in lib.mentions(entity=entity.id)}
        every = [m for a in sorted(articles) for m in lib.mentions(article=a)]
        expected = cooccurring(entity.id, every)
        got = DossierStore(lib.store).cooccurring(entity.id, COOCCURRING)
        assert [(c.entity.id, c.sentences, c.articles) for c in got] == [
            (c.entity.id, c.sentences, c.articles) for c in expected[: len(got)]
        ]


# --- the cache -----------------------------------------------------------------------------------
def test_analysis_is_cached_per_article_text_and_read_without_spacy(seed_library):
    with Library.open(seed_library) as lib:
        first = lib.dossier("Huang Ming", budget=None)
        hashes = {r[0] for r in lib.store.db.execute("SELECT hash FROM articles")}
        rows = lib.store.db.execute("SELECT hash, version FROM analysis").fetchall()
        assert rows and all(h in hashes and v == ANALYSIS_VERSION for h, v in rows)
    code = (
        "import sys; from pathlib import Path; from index import Library;"
        f"lib = Library.open(Path({str(seed_library)!r}), create=False);"
        "d = lib.dossier('Huang Ming', budget=0);"
        "print(d.analysed, d.of, d.quotes[0].text[:20], d.roles[0].text, 'spacy' in sys.modules)"
    )
    assert run_python(code) == f"1 1 {first.quotes[0].text[:20]} {first.roles[0].text} False"


def test_with_no_budget_and_nothing_cached_the_dossier_says_so_without_loading_spacy(
    seed_library,
):
    code = (
        "import sys; from pathlib import Path; from index import Library;"
        f"lib = Library.open(Path({str(seed_library)!r}), create=False);"
        "d = lib.dossier('Wang Yi', budget=0);"
        "print(d.analysed, d.of, len(d.roles), len(d.quotes), d.undated, len(d.cooccurring) > 0,"
        " 'spacy' in sys.modules)"
    )
    assert run_python(code) == "0 1 0 0 5 True False"


def test_a_budgeted_dossier_finishes_on_later_calls(lib):
    first = lib.dossier("Wang Yi", budget=0)
    assert (first.analysed, first.of, first.roles) == (0, 1, ())
    later = lib.dossier("Wang Yi", budget=None)
    assert (later.analysed, later.of) == (1, 1) and later.roles
    assert lib.dossier("Wang Yi") is later  # finished dossiers are kept in memory


def test_merges_and_splits_reuse_the_cache_and_refresh_the_dossier(lib):
    kaidanow = lib.dossier("Tina Kaidanow", budget=None)
    cheng = lib.dossier("Cheng Guoping", budget=None)
    merged = lib.merge("Tina Kaidanow", "Cheng Guoping")
    d = lib.dossier(merged.id, budget=0)  # the cache alone: both were analysed already
    assert (d.analysed, d.of) == (1, 1)
    assert {r.text for r in d.roles} == {KAIDANOW_ROLE, "Chinese Vice Foreign Minister"}
    assert d.entity.mentions == kaidanow.entity.mentions + cheng.entity.mentions
    lib.split(merged.id)
    again = lib.dossier("Cheng Guoping", budget=0)
    assert [r.text for r in again.roles] == ["Chinese Vice Foreign Minister"]
    assert [r.text for r in lib.dossier("Tina Kaidanow", budget=0).roles] == [KAIDANOW_ROLE]


def test_two_threads_asking_at_once_get_the_same_dossier(lib):
    results: list = []

    def ask() -> None:
        results.append(lib.dossier("Wang Yi", budget=None))

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({(tuple(r.roles), tuple(r.quotes)) for r in results}) == 1


def test_an_unknown_entity_is_not_found(lib):
    with pytest.raises(NotFound):
        lib.dossier("Nobody At All", budget=0)


# --- pins ------------------------------------------------------------------------------------------
def test_pins_survive_reopening_and_reorder_annotate_delete_work(seed_library):
    with Library.open(seed_library) as lib:
        text = lib.article(SCMP).text
        start = text.index("We appreciated")
        end = text.index("Kazakhstan", start) + len("Kazakhstan")
        first = lib.pin(SCMP, start, end, note="his key line")
        assert first.passage == text[start:end] and first.source.title == SCMP_TITLE
        span = lib.sentence_at(REUTERS, lib.article(REUTERS).text.index("Huang Ming"))
        second = lib.pin(REUTERS, span.start, span.end)
        third = lib.pin(SCMP, 0, 20)
    with Library.open(seed_library) as lib:
        assert [p.id for p in lib.pins()] == [first.id, second.id, third.id]
        assert lib.pins()[0].note == "his key line"
        assert "Huang Ming" in lib.pins()[1].passage
        assert [p.id for p in lib.move_pin(third.id, 0)] == [third.id, first.id, second.id]
        assert [p.id for p in lib.move_pin(third.id, 99)] == [first.id, second.id, third.id]
        assert lib.annotate(second.id, "ask about this").note == "ask about this"
        lib.unpin(first.id)
    with Library.open(seed_library) as lib:
        assert [(p.id, p.note) for p in lib.pins()] == [
            (second.id, "ask about this"),
            (third.id, ""),
        ]
        with pytest.raises(NotFound):
            lib.unpin(first.id)
        with pytest.raises(NotFound):
            lib.annotate(first.id, "x")
        with pytest.raises(NotFound):
            lib.move_pin(first.id, 0)


def test_a_pin_needs_a_real_passage(lib):
    n = len(lib.article(SCMP).text)
    for start, end in ((5, 5), (-1, 4), (10, n + 1), (30, 10)):
        with pytest.raises(NotFound):
            lib.pin(SCMP, start, end)
    with pytest.raises(NotFound):
        lib.pin("no-such-article", 0, 10)
    assert lib.pins() == []


def test_a_pin_keeps_its_citation_after_its_article_is_removed(lib):
    made = lib.pin(REUTERS, 0, 40, note="opening")
    lib.remove(REUTERS)
    (kept,) = lib.pins()
    assert kept.passage == made.passage and kept.source.source == "Reuters"
    out = render_markdown(lib.brief(pins=True))
    assert f"1. {REUTERS_TITLE} — Reuters" in out


def test_pin_notes_are_made_safe(lib):
    made = lib.pin(SCMP, 0, 20, note="\x1b[31mred\x1b[0m \u202eflip")
    assert made.note == "red flip" == lib.pins()[0].note


# --- briefings --------------------------------------------------------------------------------------
def test_the_briefing_cites_every_article_it_quotes_or_pins(lib, tmp_path):
    lib.pin(REUTERS, 0, 40, note="opening")
    made = lib.brief(["Wang Yi", "Tina Kaidanow", "wang yi"], title="Xinjiang")
    assert made.title == "Xinjiang" and [d.entity.name for d in made.dossiers] == [
        "Wang Yi",
        "Tina Kaidanow",
    ]
    assert {s.article for s in made.sources} == {SCMP, REUTERS}
    assert {s.source for s in made.sources} == {"Reuters", "South China Morning Post"}
    assert all(isinstance(s, Source) and s.path for s in made.sources)
    out = lib.export_brief(tmp_path / "brief.md", ["Wang Yi"], pins=False)
    text = (tmp_path / "brief.md").read_text(encoding="utf-8")
    assert text.startswith("# Briefing: Wang Yi\n") and WANG_QUOTE in text and not out.pins
    lib.export_brief(tmp_path / "brief.json", ["Wang Yi"])
    data = json.loads((tmp_path / "brief.json").read_text(encoding="utf-8"))
    assert data["pins"][0]["note"] == "opening" and data["dossiers"][0]["analysed"] == 1


def test_the_dossier_as_text_and_json(lib):
    made = lib.brief(["Huang Ming"], pins=False)
    text = render_dossier(made)
    assert text == safe_text(text)
    lines = text.splitlines()
    assert lines[0] == "Huang Ming · PERSON · id huang-ming"
    assert "  deputy public security minister — Reuters, undated [1]" in lines
    assert any(line.startswith(f"  “{HUANG_QUOTE}") for line in lines)
    assert "  undated: 1 (counted apart)" in lines
    data = dossier_json(made)
    assert data["roles"][0]["text"] == "deputy public security minister"
    assert data["quotes"][0]["speaker"] == "Huang Ming" and data["quotes"][0]["date"] is None
    assert data["sources"][0]["source"] == "Reuters" and (data["analysed"], data["of"]) == (1, 1)
