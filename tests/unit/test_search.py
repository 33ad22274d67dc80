"""index.search on a real Whoosh index in tmp_path: query syntax, snippets, and surviving damage."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import query_help
from index.errors import LibraryBusy, LibraryError, QueryError
from index.search import IndexDoc, RawHit, SearchIndex, analyze, normalize_key

REUTERS = IndexDoc(
    "reuters",
    "China appeals for U.S. help to fight Xinjiang militants",
    "BEIJING (Reuters) - China appealed on Thursday for U.S. help to fight Islamist militants "
    "in Xinjiang. Foreign Minister Wang Yi said the threat from terrorism was growing, and that "
    "Uighurs trained abroad had returned.\nThe foreign ministry declined further comment.",
    source="Reuters",
    date="2014-03-05T10:00:00",
    author="Ben Blanchard",
    keys=("china", "wang yi", "xinjiang", "united states"),
    types=("GPE", "PERSON"),
)
SCMP = IndexDoc(
    "scmp",
    "China thanks Kazakhstan for support on Xinjiang de-radicalisation scheme",
    "Uygurs and Kazakhs in Xinjiang were sent to the scheme, a spokesman said. Kazakhstan's "
    "foreign ministry said it understood. Advertisement [bold]not markup[/] \x1b[2Jstill text.",
    source="South China Morning Post",
    date="2019-01-02",
    author="Catherine Wong",
    keys=("china", "kazakhstan", "xinjiang"),
    types=("GPE",),
)
TRADE = IndexDoc(
    "trade",
    "Trade talks stall",
    "Officials said trade talks between the two countries stalled over tariffs on steel. "
    "Beijing did not comment.",
    source="Reuters",
    date="2014-07-20",
    keys=("beijing",),
    types=("GPE",),
)
UNDATED = IndexDoc("undated", "Notes", "China and trade, with no date at all.", source="Blog")
DOCS = [REUTERS, SCMP, TRADE, UNDATED]
TEXT = {d.id: d.body for d in DOCS}
ENTITIES = {
    "wang yi": ["wang yi"],
    "kazakhstan": ["kazakhstan", "republic of kazakhstan"],
}
ALIASES = {"uyghur": ["Uighurs", "Uygurs", "Uyghur"], "uyghurs": ["Uighurs", "Uyghur", "Uygurs"]}


def entity_keys(name: str) -> list[str] | None:
    return ENTITIES.get(" ".join(name.lower().split()))


def expand(term: str) -> list[str]:
    return ALIASES.get(term.lower(), [])


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "index"


@pytest.fixture
def ix(folder: Path):
    index = SearchIndex(folder, lock_timeout=0.5)
    assert index.rebuilt_reason is None
    assert index.add(DOCS) == len(DOCS)
    yield index
    index.close()


def ids(ix: SearchIndex, q: str, **kw) -> set[str]:
    kw.setdefault("entity_keys", entity_keys)
    hits, total, _ = ix.search(q, text_of=TEXT.__getitem__, **kw)
    assert total == len(hits)
    return {h.id for h in hits}


# --- query syntax --------------------------------------------------------------------------------


def test_words_are_anded_by_default(ix):
    assert ids(ix, "china") == {"reuters", "scmp", "undated"}
    assert ids(ix, "china trade") == {"undated"}
    assert ids(ix, "china AND trade") == {"undated"}


def test_or_widens(ix):
    assert ids(ix, "tariffs OR kazakhs") == {"trade", "scmp"}
    assert ids(ix, "tariffs || kazakhs") == {"trade", "scmp"}


def test_not_and_minus_exclude(ix):
    assert ids(ix, "china NOT xinjiang") == {"undated"}
    assert ids(ix, "china -xinjiang") == {"undated"}
    assert ids(ix, "NOT china") == {"trade"}
    assert ids(ix, "(china OR trade) -kazakhs") == {"reuters", "trade", "undated"}


def test_phrases_need_adjacent_words(ix):
    assert ids(ix, '"foreign ministry"') == {"reuters", "scmp"}
    assert ids(ix, '"ministry foreign"') == set()
    assert ids(ix, '"trade talks" steel') == {"trade"}


def test_proximity_counts_positions_in_order(ix):
    assert ids(ix, '"china thursday"') == set()
    assert ids(ix, '"china thursday"~2') == {"reuters"}  # "on" is not counted
    assert ids(ix, '"thursday china"~2') == set()


def test_words_match_by_stem_and_case(ix):
    assert ids(ix, "MILITANT") == {"reuters"}
    assert ids(ix, "stalling") == {"trade"}


def test_title_source_author_fields_any_case(ix):
    assert ids(ix, "title:kazakhstan") == {"scmp"}
    assert ids(ix, "TITLE:trade") == {"trade"}
    assert ids(ix, "title:(stall OR appeals)") == {"trade", "reuters"}
    assert ids(ix, "source:reuters") == {"reuters", "trade"}
    assert ids(ix, 'Source:"morning post"') == {"scmp"}
    assert ids(ix, "author:blanchard") == {"reuters"}
    assert ids(ix, "body:kazakhstan") == {"scmp"}


def test_entity_uses_the_callback_keys(ix):
    assert ids(ix, 'entity:"Wang Yi"') == {"reuters"}
    assert ids(ix, "entity:kazakhstan") == {"scmp"}
    with pytest.raises(QueryError, match="no entity named 'Nobody Here'"):
        ix.search('entity:"Nobody Here"', entity_keys=entity_keys)


def test_entity_default_is_the_normalized_name(ix):
    assert {h.id for h in ix.search('entity:"United  States"')[0]} == {"reuters"}


def test_type_is_case_insensitive_and_checked(ix):
    assert ids(ix, "type:person") == {"reuters"}
    assert ids(ix, "type:GPE") == {"reuters", "scmp", "trade"}
    with pytest.raises(QueryError, match="unknown entity type"):
        ix.search("type:wizard")


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("date:2014", {"reuters", "trade"}),
        ("date:2014-03", {"reuters"}),
        ("date:2014-03-05", {"reuters"}),
        ("date:2014-03-06", set()),
        ("date:>2014-03", {"trade", "scmp"}),
        ("date:>=2014-03", {"reuters", "trade", "scmp"}),
        ("date:<2014-07", {"reuters"}),
        ("date:<=2014-07", {"reuters", "trade"}),
        ("date:[2014-01-01 TO 2014-06-30]", {"reuters"}),
        ("date:[2014-07 TO *]", {"trade", "scmp"}),
        ("date:{2014-03-05 TO 2019-01-02}", {"trade"}),
        ("china date:2019", {"scmp"}),
    ],
)
def test_date_ranges(ix, q, expected):
    assert ids(ix, q) == expected


def test_date_ranges_skip_deleted_and_undated(ix):
    assert ids(ix, "date:<2030") == {"reuters", "trade", "scmp"}
    ix.delete(["trade"])
    assert ids(ix, "date:2014") == {"reuters"}
    ix.add([IndexDoc("partial", "Month only", "copper", date="2014-07"),
            IndexDoc("junk", "Bad date", "copper", date="someday")])
    assert {h.id for h in ix.search("date:2014-07-01")[0]} == {"partial"}
    assert {h.id for h in ix.search("copper date:<2100")[0]} == {"partial"}


def test_fuzzy_and_wildcards(ix):
    assert ids(ix, "xinjang~") == {"reuters", "scmp"}
    assert ids(ix, "kazakstan~2") == {"scmp"}
    assert ids(ix, "terror*") == {"reuters"}
    assert ids(ix, "terrorism*") == {"reuters"}  # the stem "terror" is what is indexed
    assert ids(ix, "tar?ff") == {"trade"}
    hits, _, _ = ix.search("xinjang~", text_of=TEXT.__getitem__)
    assert all("Xinjiang" in h.terms for h in hits)


def test_alias_expansion_reports_what_it_added(ix):
    hits, total, also = ix.search("uyghurs", expand=expand, text_of=TEXT.__getitem__)
    assert {h.id for h in hits} == {"reuters", "scmp"} and total == 2
    assert also == ("Uighurs", "Uygurs")  # "Uyghur" stems like "uyghurs": it adds nothing
    hits, _, also = ix.search('"uyghur"', expand=expand)
    assert hits == [] and also == ()  # a quoted phrase is matched as written
    marked = {t for h in ix.search("uyghurs", expand=expand, text_of=TEXT.__getitem__)[0]
              for t in h.terms}
    assert marked == {"Uighurs", "Uygurs"}


def test_a_full_name_of_several_words_brings_its_other_full_names(ix):
    names = {"foreign minister wang": ["Uighurs"], "wang": ["Beibut"]}
    hits, _, also = ix.search(
        "foreign minister wang", expand=lambda t: names.get(" ".join(t.lower().split()), [])
    )
    assert also == ("Uighurs",)  # the run names the entity; "wang" alone is not expanded
    assert {h.id for h in hits} == {"reuters"}
    hits, _, also = ix.search('"foreign minister wang"', expand=lambda t: names.get(t.lower(), []))
    assert also == ()


def test_only_full_names_are_expanded_and_added():
    from index.library import _full_names

    assert _full_names(["James Baker", "Baker", "Jim Baker"]) == ["James Baker", "Jim Baker"]
    assert _full_names(["Equity Silver", "Equity", "Silver"]) == ["Equity Silver"]
    assert _full_names(["Uyghurs", "Uighurs", "Uygurs"]) == ["Uyghurs", "Uighurs", "Uygurs"]


def test_aliases_that_only_narrow_are_not_reported(ix):
    names = {"wang": ["Wang Yi", "Foreign Minister Wang", "Mr Wang"]}
    hits, _, also = ix.search("wang", expand=lambda t: names.get(t.lower(), []))
    assert {h.id for h in hits} == {"reuters"}
    assert also == ()  # every one of them contains "wang": nothing new was searched


def test_no_expansion_without_the_callback(ix):
    hits, total, also = ix.search("uyghurs")
    assert hits == [] and total == 0 and also == ()


def test_sort_by_date_newest_first_undated_last(ix):
    hits, total, _ = ix.search("china OR trade", sort="date")
    assert [h.id for h in hits] == ["scmp", "trade", "reuters", "undated"]
    assert total == 4 and all(h.score == 0.0 for h in hits)


def test_relevance_weighs_the_title(ix):
    hits, _, _ = ix.search("kazakhstan OR trade")
    assert hits[0].id in {"scmp", "trade"}
    assert hits[0].score >= hits[-1].score > 0


def test_limit_and_total(ix):
    hits, total, _ = ix.search("china", limit=1)
    assert len(hits) == 1 and total == 3


# --- snippets ------------------------------------------------------------------------------------


def test_snippet_spans_slice_to_the_matched_words(ix):
    hits, _, _ = ix.search('militants "foreign ministry"', text_of=TEXT.__getitem__)
    (hit,) = hits
    assert isinstance(hit, RawHit)
    marked = [hit.snippet[s:e] for s, e in hit.highlights]
    assert "militants" in marked and "foreign ministry" in marked
    assert set(hit.terms) == {"militants", "foreign ministry"}
    assert "\n" not in hit.snippet and "<" not in hit.snippet


def test_hit_spans_mark_the_article_as_the_snippet_marks_it(ix):
    body = REUTERS.body
    for q in ('militants "foreign ministry"', "terrorism* uighur", 'entity:"wang yi"', "xinjang~"):
        hits, _, _ = ix.search(q, text_of=TEXT.__getitem__, entity_keys=entity_keys)
        (hit,) = [h for h in hits if h.id == "reuters"]
        spans = ix.hit_spans(q, body, entity_keys=entity_keys)
        assert spans == sorted(spans) and spans
        marked = [body[s:e] for s, e in spans]
        assert {m.casefold() for m in marked} == {t.casefold() for t in hit.terms}
    spans = ix.hit_spans('"foreign ministry" -islamist', body)
    assert [body[s:e] for s, e in spans] == ["foreign ministry"]
    assert ix.hit_spans("title:xinjiang", body) == []  # a title word is not marked in the body
    with pytest.raises(QueryError):
        ix.hit_spans("militants AND", body)


def test_snippet_of_a_long_text_has_fragments_around_the_matches(folder):
    filler = "Nothing happened on this day in the capital. " * 40
    body = (filler + "The envoy met Wang Yi in Astana. " + filler + "The envoy left Astana. "
            + filler + "Later the envoy flew home. " + filler)
    ix = SearchIndex(folder)
    ix.add([IndexDoc("long", "t", body)])
    (hit,), _, _ = ix.search("envoy OR met OR left OR flew", text_of=lambda _id: body)
    assert hit.snippet.count(" … ") == 2 and len(hit.snippet) < 400
    marked = [hit.snippet[s:e] for s, e in hit.highlights]
    assert marked == ["envoy", "met", "envoy", "left", "envoy", "flew"]
    assert hit.terms == ("envoy", "met", "left", "flew")
    (hit,), _, _ = ix.search("envoy OR flew", text_of=lambda _id: body)  # the best group first
    assert hit.snippet.startswith("Later the envoy flew home.")
    (hit,), _, _ = ix.search("envoy", text_of=lambda _id: body)  # one word: one window
    assert " … " not in hit.snippet and hit.snippet.startswith("The envoy met")
    ix.close()


def test_a_huge_article_gets_its_snippet_quickly(folder):
    import time

    body = "Nothing said happened on this day in the capital.\n" * 60_000 + "The envoy left."
    ix = SearchIndex(folder)
    ix.add([IndexDoc("huge", "t", body)])
    t = time.perf_counter()
    (hit,), _, _ = ix.search("envoy OR said", text_of=lambda _id: body)
    assert time.perf_counter() - t < 2.0
    assert "envoy" in [hit.snippet[s:e] for s, e in hit.highlights]
    ix.close()


def test_title_only_hit_shows_the_start_of_the_text(ix):
    (hit,), _, _ = ix.search("title:appeals", text_of=TEXT.__getitem__)
    assert hit.snippet.startswith("BEIJING (Reuters)") and hit.highlights == () and hit.terms == ()


def test_markup_and_escapes_in_text_come_back_as_data(ix):
    (hit,), _, _ = ix.search("advertisement", text_of=TEXT.__getitem__)
    assert "[bold]not markup[/]" in hit.snippet
    assert "\x1b" not in hit.snippet
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["Advertisement"]


def test_no_text_callback_gives_empty_snippets(ix):
    hits, _, _ = ix.search("china")
    assert all(h.snippet == "" and h.highlights == () for h in hits)


# --- malformed queries ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("a", "no searchable terms in 'a'"),
        ("the of", "no searchable terms"),
        ("*", "no searchable terms in '*'"),
        ("(", "no searchable terms in '('"),
        ("(" * 5000, "no searchable terms"),
        ("\x00", "no searchable terms"),
        ("\x1b", "no searchable terms"),
        ("\x1b[2J", "no searchable terms"),
        ("", "no searchable terms"),
        ("a*", "no searchable terms"),
        ('"', "no searchable terms"),
        ('"china', "unclosed quote"),
        ("(china", "'(' has no ')'"),
        ("merkel(", "'(' has no ')'"),
        ("x (", "'(' has no ')'"),
        ("0(", "'(' has no ')'"),
        ("paris AND (", "'(' has no ')'"),
        ("title:(china", "'(' has no ')'"),
        ("china)", "')' has no '('"),
        ("title:", "nothing after 'title:'"),
        ("title: china", "nothing after 'title:'"),
        ("china AND", "nothing after 'AND'"),
        ("OR china", "nothing before 'OR'"),
        ("titel:china", "unknown field 'titel:'"),
        ("date:yesterday", "can't read the date"),
        ("date:[2014 TO", "unclosed date range"),
        ("entity:(a b)", "takes one name"),
        ("((((((((((((((((((((((((((((((((((((china", "too many nested"),
        ("x" * 100_000, "query too long"),
        ("co* " + "x" * 3000, "query too long"),
    ],
)
def test_malformed_queries_give_one_line(ix, q, message):
    with pytest.raises(QueryError) as err:
        ix.search(q)
    text = str(err.value)
    assert message in text
    assert "\n" not in text and "\x1b" not in text and "\x00" not in text
    assert len(text) < 200


def test_too_broad_a_wildcard_is_refused(folder):
    ix = SearchIndex(folder)
    ix.add(IndexDoc(f"d{i}", "t", f"ab{i:04d}x") for i in range(400))
    with pytest.raises(QueryError, match="too many different words"):
        ix.search("ab*")
    assert ix.search("ab000*")[1] == 10
    ix.close()


def test_query_escapes_are_not_echoed(ix):
    with pytest.raises(QueryError) as err:
        ix.search('"\x1b]0;owned\x07 china')
    assert "\x1b" not in str(err.value) and "\x07" not in str(err.value)


def test_odd_but_valid_queries(ix):
    assert ids(ix, "é china") == {"reuters", "scmp", "undated"}  # é alone is not searched
    assert ids(ix, "10:30") == set()  # not a field: just words
    assert ids(ix, "()china") == {"reuters", "scmp", "undated"}
    assert ids(ix, "[bold] china") == {"scmp"}


# --- writing -------------------------------------------------------------------------------------


def test_re_adding_replaces_and_never_duplicates(ix):
    changed = IndexDoc("trade", "Trade talks resume", "Talks on tariffs resumed.", "Reuters")
    assert ix.add([changed, changed]) == 1
    assert ix.count() == 4
    assert ids(ix, "resume") == {"trade"}
    assert ids(ix, "steel") == set()
    ix.add(DOCS)
    assert ix.count() == 4 and ix.ids() == {d.id for d in DOCS}
    hits, total, _ = ix.search("china")
    assert total == 3 and len({h.id for h in hits}) == 3


def test_delete_and_clear(ix):
    assert ix.delete(["trade", "missing"]) == 1
    assert ix.ids() == {"reuters", "scmp", "undated"}
    assert ids(ix, "tariffs") == set()
    ix.clear()
    assert ix.count() == 0 and ix.ids() == set()
    assert ix.add([TRADE]) == 1 and ids(ix, "tariffs") == {"trade"}


def test_another_instance_sees_commits_without_refresh(ix, folder):
    other = SearchIndex(folder)
    assert other.count() == 4
    ix.add([IndexDoc("new", "Fresh", "A brand new article about copper.")])
    assert {h.id for h in other.search("copper")[0]} == {"new"}
    ix.delete(["new"])
    assert other.search("copper")[1] == 0 and other.count() == 4
    other.close()


def test_lone_surrogates_and_nul_are_indexed_cleanly(folder):
    ix = SearchIndex(folder)
    ix.add([IndexDoc("odd", "bad \ud800 title", "text with \x00 nul and copper")])
    assert {h.id for h in ix.search("copper")[0]} == {"odd"}
    with pytest.raises(ValueError, match="text id"):
        ix.add([IndexDoc("bad\ud800id", "t", "b")])
    assert ix.count() == 1
    ix.close()


def test_a_seeded_global_random_does_not_clash_segment_names(folder):
    import random

    state = random.getstate()
    ix = SearchIndex(folder)
    try:
        for n in range(3):
            random.seed(0)  # a caller's script may well do this
            ix.add([IndexDoc(f"s{n}", "Story", f"the mayor spoke on day {n}")])
    finally:
        random.setstate(state)
    assert ix.count() == 3 and ix.leftovers() == 0
    ix.close()
    assert SearchIndex(folder).rebuilt_reason is None


def test_a_held_write_lock_is_reported_as_busy(ix, folder):
    from whoosh.filedb.filestore import FileStorage

    lock = FileStorage(str(folder)).lock("MAIN_WRITELOCK")
    assert lock.acquire()
    try:
        with pytest.raises(LibraryBusy, match="another process"):
            ix.add([TRADE])
        assert ix.search("tariffs")[1] == 1  # reading goes on
    finally:
        lock.release()
    assert ix.add([TRADE]) == 1


def test_a_full_disk_is_a_clean_error_and_nothing_half_done(ix, monkeypatch):
    import errno

    from index.search import segments

    real = segments.SegmentWriter._finalize_segment

    def full(self):  # the new segment's files are written, then the disk fills
        real(self)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(segments.SegmentWriter, "_finalize_segment", full)
    with pytest.raises(LibraryError, match="No space left on device"):
        ix.add([IndexDoc("new", "Fresh", "copper")])
    monkeypatch.undo()
    assert ix.count() == 4 and ix.search("copper")[1] == 0
    assert ix.add([IndexDoc("new", "Fresh", "copper")]) == 1
    assert ix.search("copper")[1] == 1 and ix.leftovers() == 0


# --- damage and recovery -------------------------------------------------------------------------


def newest_toc(folder: Path) -> Path:
    tocs = sorted(folder.glob("_MAIN_*.toc"), key=lambda p: int(p.stem.split("_")[-1]))
    return tocs[-1]


def test_zero_byte_toc_is_rebuilt(ix, folder):
    ix.close()
    newest_toc(folder).write_bytes(b"")
    again = SearchIndex(folder)
    assert again.rebuilt_reason and "table of contents" in again.rebuilt_reason
    assert "\n" not in again.rebuilt_reason
    assert again.count() == 0
    assert again.add(DOCS) == 4 and ids(again, "tariffs") == {"trade"}
    assert again.leftovers() == 0
    again.close()
    assert SearchIndex(folder).rebuilt_reason is None


def test_flipped_byte_in_a_segment_is_rebuilt(ix, folder):
    ix.close()
    (segment,) = folder.glob("MAIN_*.seg")
    data = bytearray(segment.read_bytes())
    data[len(data) // 2] ^= 0x40
    segment.write_bytes(bytes(data))
    again = SearchIndex(folder)
    assert again.rebuilt_reason and "damaged" in again.rebuilt_reason
    assert again.count() == 0
    again.add(DOCS)
    assert ids(again, '"foreign ministry"') == {"reuters", "scmp"}
    again.close()


def test_missing_segment_is_rebuilt(ix, folder):
    ix.close()
    for segment in folder.glob("MAIN_*.seg"):
        segment.unlink()
    again = SearchIndex(folder)
    assert again.rebuilt_reason and "missing" in again.rebuilt_reason
    assert again.add(DOCS) == 4
    again.close()


KILL_BEFORE_TOC_RENAME = """
import os, sys
from whoosh.filedb.filestore import FileStorage
from index.search import IndexDoc, SearchIndex

def die(*args, **kwargs):
    os._exit(9)  # killed after the segment and the temporary TOC are written

ix = SearchIndex(sys.argv[1])
FileStorage.rename_file = die
ix.add([IndexDoc("lost", "Lost", "this copper never lands")])
"""


def test_a_writer_killed_before_its_toc_rename_leaves_only_leftovers(ix, folder):
    import subprocess
    import sys

    ix.close()
    run = subprocess.run(
        [sys.executable, "-c", KILL_BEFORE_TOC_RENAME, str(folder)], timeout=60, check=False
    )
    assert run.returncode == 9
    again = SearchIndex(folder, lock_timeout=1)
    assert again.rebuilt_reason is None  # the previous generation is intact
    assert again.ids() == {d.id for d in DOCS}
    assert again.leftovers() >= 2  # the new segment and the temporary TOC
    assert again.leftovers(remove=True) >= 2 and again.leftovers() == 0
    assert again.add([IndexDoc("lost", "Lost", "this copper lands now")]) == 1
    assert {h.id for h in again.search("copper")[0]} == {"lost"}
    again.close()


def test_an_index_deleted_while_open_is_recreated_and_said_so(ix, folder):
    import shutil

    shutil.rmtree(folder)
    assert ix.count() == 0 and ix.search("china") == ([], 0, ())
    assert ix.rebuilt_reason and "disappeared" in ix.rebuilt_reason
    assert ix.add(DOCS) == 4 and ids(ix, "tariffs") == {"trade"}


def test_leftovers_are_counted_and_removed(ix, folder):
    gen = int(newest_toc(folder).stem.split("_")[-1])
    (folder / f"_MAIN_{gen + 1}.toc.1712345678.5").write_bytes(b"half a toc")
    (folder / "MAIN_deadbeefdeadbeef.seg").write_bytes(b"orphan")
    (folder / "MAIN.tmp").mkdir()
    (folder / "MAIN.tmp" / "run.run").write_bytes(b"x")
    assert ix.leftovers() == 3
    assert ix.leftovers(remove=True) == 3
    assert ix.leftovers() == 0
    assert ids(ix, "tariffs") == {"trade"}
    assert SearchIndex(folder).rebuilt_reason is None


def test_commits_clean_up_after_themselves(ix, folder):
    for i in range(5):
        ix.add([IndexDoc(f"x{i}", "t", f"body {i} copper")])
    assert ix.leftovers() == 0
    assert len(list(folder.glob("_MAIN_*.toc"))) == 1


def test_an_empty_folder_is_a_new_index_not_a_rebuild(tmp_path):
    ix = SearchIndex(tmp_path / "fresh")
    assert ix.rebuilt_reason is None and ix.count() == 0
    with pytest.raises(QueryError, match="no searchable"):
        ix.search("the")
    assert ix.search("china") == ([], 0, ())
    ix.close()


# --- the small helpers ---------------------------------------------------------------------------


def test_analyze_and_keys():
    assert analyze("The Militants of Xinjiang") == ["milit", "xinjiang"]
    assert normalize_key("  Wang\tYi, Jr ") == "wang yi jr"


def test_query_help_is_one_page():
    text = query_help()
    lines = text.splitlines()
    assert 25 <= len(lines) <= 45
    assert all(len(line) <= 100 for line in lines)
    for needed in ('"', "AND", "OR", "NOT", "title:", "source:", "author:", "entity:", "type:",
                   "date:", "~", "*", "also searched"):
        assert needed in text


def test_only_the_search_package_imports_whoosh_and_its_parser_and_snippets_do_not():
    import ast

    root = Path(__file__).resolve().parents[2] / "index"

    def imports_whoosh(path: Path) -> bool:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[0] == "whoosh" for n in names):
                return True
        return False

    outside = [p for p in root.rglob("*.py") if "search" not in p.relative_to(root).parts]
    assert not [p.name for p in outside if imports_whoosh(p)]
    assert not imports_whoosh(root / "search" / "query.py")
    assert not imports_whoosh(root / "search" / "snippets.py")


# --- the names pass's look-up (ingest/propagate.py) ------------------------------------------------


def test_containing_names_every_document_that_may_write_a_name(ix):
    """The names pass reads only the texts this gives: each text writing the name is there,
    even where the name's last word runs on into a longer token."""
    extra = IndexDoc("web", "Shopping", "Amazon.com said sales rose; Kazakh traders agreed.")
    ix.add([extra])
    assert ix.containing(["Wang Yi"]) == {"reuters"}
    assert ix.containing(["Foreign Minister Wang Yi"]) >= {"reuters"}
    assert ix.containing(["Amazon"]) == {"web"}  # "Amazon" in "Amazon.com"
    assert ix.containing(["Kazakhstan", "Beijing"]) == {"scmp", "reuters", "trade"}
    assert ix.containing(["Mandrivel"]) == set()
    assert ix.containing(["US"]) is None  # a stop word: the index cannot tell
