"""The seed articles, imported with the real model, as the library issue specifies them."""

from __future__ import annotations

import pytest

from index import Library
from tests.conftest import REUTERS_TITLE, SCMP_TITLE

pytestmark = pytest.mark.model

FURNITURE = [
    "Advertisement",
    "Get more with myNEWS",
    "A personalised news feed of stories that matter to you",
    "Learn more",
    "Photo: Xinhua",
    "EU rejects China’s offer of Xinjiang tour",
    "This article appeared in the South China Morning Post print edition",
]


@pytest.fixture(scope="module")
def lib(seed_library_master):
    with Library.open(seed_library_master, create=False) as lib:
        yield lib


def by_title(lib, title):
    return next(a for a in lib.export() if a.title == title)


def test_search_xinjiang_finds_both_with_titles_and_sources(lib):
    result = lib.search("xinjiang")
    found = {(h.title, h.source) for h in result.hits}
    assert found == {(REUTERS_TITLE, "Reuters"), (SCMP_TITLE, "South China Morning Post")}
    for hit in result.hits:
        assert hit.snippet
        assert all(hit.snippet[s.start:s.end].lower() == "xinjiang" for s in hit.highlights)


def test_scmp_body_holds_no_page_furniture(lib):
    text = by_title(lib, SCMP_TITLE).text
    for line in FURNITURE:
        assert line not in text
    assert "Wang Yi" in text


def test_reuters_credit_line_goes_to_metadata(lib):
    art = by_title(lib, REUTERS_TITLE)
    assert "(Reporting by" not in art.text
    assert "Michael Martina" in art.author
    assert art.place.upper() == "BEIJING"


def mentions_of(lib, name):
    return lib.mentions(entity=name)


def test_wang_yi_has_five_mentions_with_the_three_wangs(lib):
    wang = lib.entity("Wang Yi")
    assert wang.label == "PERSON"
    found = mentions_of(lib, "Wang Yi")
    assert len(found) == 5
    assert sorted(m.text for m in found).count("Wang") == 3


@pytest.mark.parametrize("name", ["Beibut Atamkulov", "Cheng Guoping", "Tina Kaidanow", "Huang Ming"])
def test_people(lib, name):
    assert lib.entity(name).label == "PERSON"


def test_etim_is_one_entity_with_its_long_form(lib):
    etim = lib.entity("ETIM")
    assert etim.id == lib.entity("East Turkestan Islamic Movement").id
    assert len(mentions_of(lib, "ETIM")) == 5


def test_us_and_the_united_states_are_one(lib):
    assert lib.entity("U.S.").id == lib.entity("United States").id


def test_uighurs_and_uygurs_are_one_norp_across_articles(lib):
    entity = lib.entity("Uighurs")
    assert entity.id == lib.entity("Uygurs").id
    assert entity.label == "NORP"
    assert entity.articles == 2


@pytest.mark.parametrize("name", ["China", "Xinjiang", "Beijing"])
def test_shared_places_span_both_articles(lib, name):
    assert lib.entity(name).articles == 2


def test_beijing_dateline_joins_beijing(lib):
    texts = {m.text for m in mentions_of(lib, "Beijing")}
    assert {"BEIJING", "Beijing"} <= texts


def test_kazakhstan_is_a_gpe(lib):
    assert lib.entity("Kazakhstan").label == "GPE"


def test_every_mention_slices_the_stored_text(lib):
    texts = {a.id: a.text for a in lib.export()}
    found = lib.mentions()
    assert len(found) > 50
    for m in found:
        assert texts[m.doc][m.start:m.end] == m.text
        assert "\n" not in m.text
        assert m.sent_start <= m.start < m.end <= m.sent_end


def test_no_dates_or_numbers_are_entities(lib):
    labels = {e.label for e in lib.entities()}
    assert labels <= {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT",
                      "WORK_OF_ART"}


def test_crossrefs_show_the_other_article_with_its_sentence(lib):
    reuters = by_title(lib, REUTERS_TITLE)
    refs = lib.crossrefs("Xinjiang", exclude=reuters.id)
    assert [r.article.title for r in refs] == [SCMP_TITLE]
    ref = refs[0]
    assert ref.sentence[ref.mark.start:ref.mark.end] == "Xinjiang"


def test_alias_aware_search_says_what_it_also_searched(lib):
    result = lib.search("Uyghur")
    assert {h.source for h in result.hits} == {"Reuters", "South China Morning Post"}
    assert {"Uighurs", "Uygurs"} <= set(result.also_searched)
    plain = lib.search("Uyghur", aliases=False)
    assert plain.hits == () and plain.also_searched == ()


def test_entity_query(lib):
    result = lib.search('entity:"Wang Yi"')
    assert [h.title for h in result.hits] == [SCMP_TITLE]
