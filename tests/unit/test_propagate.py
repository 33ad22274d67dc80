"""Propagation (issue 10): a name found once is a mention wherever it is written, with the rules
that keep it a name (word boundaries, not inside a longer name, not a common word at a
sentence's start, not in a title-case headline)."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index import Library
from index.ingest import propagate as P
from index.ingest.nlp import RawMention


def m(text: str, name: str, label: str = "PERSON", nth: int = 0) -> RawMention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    return RawMention(start, start + len(name), name, label, 0, len(text), name.lower())


def found_in(text: str, names: dict[str, str], taken=()) -> list[tuple[str, str]]:
    return [(x.text, x.label) for x in P.find(text, list(taken), P.Names(names))]


def test_a_name_is_found_at_word_boundaries_only():
    text = "Vindman spoke. Vindmans are many; Vindman's lawyer and VindmanX came. Vindman."
    got = P.find(text, [], P.Names({"Vindman": "PERSON"}), {"Vindman"})
    assert [text[x.start : x.end] for x in got] == ["Vindman", "Vindman", "Vindman"]
    assert [x.start for x in got] == [0, text.index("Vindman's"), text.rindex("Vindman")]
    for x in got:
        assert x.sent_start <= x.start < x.end <= x.sent_end


def test_spacys_own_mentions_are_left_alone_and_the_longest_name_wins():
    text = "Tim Cook met Cook County officials. Then Tim Cook left. Cook agreed."
    names = P.Names({"Tim Cook": "PERSON", "Cook": "PERSON"})
    got = P.find(text, [(0, 8)], names, {"Cook"})
    assert [(x.text, x.start) for x in got] == [("Tim Cook", 41), ("Cook", 56)]


def test_not_the_tail_of_a_longer_capitalised_name():
    text = "Jeff Cook spoke. President Cook spoke. Hosting Cook, they ate. Then Tim Cook left."
    got = P.find(text, [], P.Names({"Cook": "PERSON", "Tim Cook": "PERSON"}))
    assert [x.text for x in got] == ["Cook", "Cook", "Tim Cook"]


def test_a_common_word_at_a_sentence_start_is_not_a_name():
    names = {"Turkey": "GPE", "Apple": "ORG"}
    text = "Turkey is best roasted. We bought a turkey. Apple fell. We ate an apple pie."
    assert found_in(text, names) == []
    text = "Turkey said no. Talks with Turkey went on. Apple fell. New rates rose."
    got = [(x.text, x.label) for x in P.find(text, [], P.Names({**names, "New": "GPE"}), {"Turkey"})]
    # "Apple" and "New" start sentences in an article where spaCy never found them
    assert got == [("Turkey", "GPE"), ("Turkey", "GPE")]
    assert found_in("Talks went on. IMF said no.", {"IMF": "ORG"}) == [("IMF", "ORG")]


def test_one_word_names_skip_title_case_headlines():
    text = "Apple Falls As Market Slides\nShares of Apple fell."
    assert found_in(text, {"Apple": "ORG", "Market": "ORG"}) == [("Apple", "ORG")]
    text = "Colts Clinch Playoff Berth\nThe Colts won. Manning threw well."
    names = P.Names({"Colts": "ORG", "Manning": "PERSON"})
    # where spaCy found the name (or a person by that surname) in the article, it counts
    got = P.find(text, [], names, P._own([RawMention(0, 5, "Colts", "ORG", 0, 5, ""),
                                          RawMention(0, 0, "Peyton Manning", "PERSON", 0, 0, "")]))
    assert [(x.text, x.start) for x in got] == [("Colts", 0), ("Colts", 31), ("Manning", 42)]


def test_a_web_address_in_lowercase_does_not_make_a_name_a_common_word():
    # ECB+ 35_1: the page's address ".../chargers/..." hid "Chargers defensive tackle ..."
    text = ("http://usatoday.com/sports/nfl/chargers/2009-williams-arrested.htm\n"
            "Chargers defensive tackle Jamal Williams was arrested. Turkey rose; a turkey fell.")
    got = P.find(text, [], P.Names({"Chargers": "ORG", "Turkey": "GPE"}), {"Chargers", "Turkey"})
    assert [(x.text, x.start) for x in got] == [("Chargers", text.index("Chargers d"))]


def test_not_in_a_web_address_and_never_a_month():
    text = "http://example.com/Breaking-man-charged\nBreaking news: June Smith left in June."
    names = {"Breaking": "PERSON", "June": "PERSON", "June Smith": "PERSON"}
    assert found_in(text, names) == [("June Smith", "PERSON")]


def test_what_is_looked_for_and_with_which_label():
    names = P.library_names(
        [("Vindman", "PERSON", 3), ("Vindman", "ORG", 5), ("Shr", "ORG", 2), ("He", "PERSON", 1),
         ("Co", "ORG", 9), ("Asked", "PERSON", 1), ("UN", "ORG", 4), ("five", "CARDINAL", 3),
         ("Feb 25", "LAW", 2), ("Federal", "ORG", 2)]
    )
    assert names == {"Vindman": "ORG", "Shr": "ORG", "He": "PERSON", "Co": "ORG",
                     "Asked": "PERSON", "UN": "ORG", "Feb 25": "LAW", "Federal": "ORG"}
    assert set(P.Names(names).labels) == {"Vindman", "UN"}


def test_spread_across_texts_links_a_surname_to_its_full_name():
    a = "Alexander Vindman testified. Vindman said so."
    b = "Later that day, reporters asked whether Vindman would return."
    out = P.spread([a, b], [[m(a, "Alexander Vindman"), m(a, "Vindman", nth=1)], []])
    assert [(x.text, x.key) for x in out[0]] == [
        ("Alexander Vindman", "alexander vindman"), ("Vindman", "alexander vindman")
    ]
    assert [(x.text, x.label) for x in out[1]] == [("Vindman", "PERSON")]


# --- the pass over a library: any order of imports ends the same -----------------------------
STORIES = {
    "a.txt": "Minister Zorblax spoke in Kelvar on Monday. Officials met.\n",
    "b.txt": "Critics said Zorblax lied about Kelvar, and Zorblax denied it.\n",
    "c.txt": "Envoy Quennel met Minister Zorblax. Later Quennel flew home.\n",
    "d.txt": "Traders said Quennel and Zorblax would meet. Nothing else happened.\n",
}


@pytest.fixture
def ruled_library(monkeypatch):
    """``reader add`` with a rule-based recogniser: it finds "Zorblax" and "Quennel" only after
    a title, and "Kelvar" only in a.txt's sentence; the rest is propagation's."""
    from index.ingest import recognizer
    from tests.unit.test_nlp import ruler_pipeline

    nlp = ruler_pipeline({"PERSON": ["Minister Zorblax", "Envoy Quennel"], "GPE": ["Kelvar on"]})
    monkeypatch.setattr(recognizer, "local_model", lambda: nlp)


def library_state(lib) -> tuple:
    mentions = sorted((m.doc, m.start, m.end, m.text, m.name, m.label) for m in lib.mentions())
    entities = sorted((e.name, e.label, e.mentions, e.articles) for e in lib.entities())
    return mentions, entities


def import_in(tmp_path, batches: list[list[str]]) -> tuple:
    folder = tmp_path / "files"
    folder.mkdir(exist_ok=True)
    for name, text in STORIES.items():
        (folder / name).write_text(text, encoding="utf-8")
    library = tmp_path / f"lib-{uuid.uuid4().hex}"
    with Library.open(library) as lib:
        for batch in batches:
            lib.add([folder / n for n in batch], jobs=1)
        return library_state(lib)


def test_names_found_by_the_pass_in_one_import(tmp_path, ruled_library):
    mentions, entities = import_in(tmp_path, [sorted(STORIES)])
    assert ("b", 13, 20, "Zorblax", "Zorblax", "PERSON") in mentions
    assert ("Zorblax", "PERSON", 5, 4) in entities
    assert ("Quennel", "PERSON", 3, 2) in entities
    assert ("Kelvar", "GPE", 2, 2) in entities


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(sorted(STORIES)), cuts=st.sets(st.integers(1, 3), max_size=3))
def test_any_order_of_imports_gives_the_same_entities(tmp_path, ruled_library, order, cuts):
    bounds = [0, *sorted(cuts), len(order)]
    batches = [order[a:b] for a, b in zip(bounds, bounds[1:])]
    assert import_in(tmp_path, batches) == import_in(tmp_path, [sorted(STORIES)])
