"""`reader facets QUERY`: the people, organisations, places, sources and dates of the results,
with counts; entity:"..." and NOT entity:"..." narrow them (issue 11)."""

from __future__ import annotations

import json

import pytest

from index import Library, QueryError
from tests.integration.test_brief_cli import reader

pytestmark = pytest.mark.model


def values(facet: list[dict]) -> dict[str, int]:
    return {f["value"]: f["count"] for f in facet}


def test_facets_count_the_results_and_narrow_with_the_query(seed_library):
    both = json.loads(reader(seed_library, "facets", "xinjiang", "--json").stdout)
    assert both["total"] == 2
    assert values(both["places"])["Xinjiang"] == 2 and values(both["places"])["China"] == 2
    assert values(both["people"])["Wang Yi"] == 1
    assert sum(values(both["sources"]).values()) == 2
    one = json.loads(reader(seed_library, "facets", 'xinjiang NOT entity:"Wang Yi"', "--json").stdout)
    assert one["total"] == 1 and "Wang Yi" not in values(one["people"])
    only = json.loads(reader(seed_library, "facets", 'xinjiang entity:"Wang Yi"', "--json").stdout)
    assert only["total"] == 1 and values(only["people"])["Wang Yi"] == 1
    text = reader(seed_library, "facets", "xinjiang").stdout
    assert text.startswith("2 articles match xinjiang") and "\nplaces\n" in text


def test_facets_follow_a_correction(seed_library):
    with Library.open(seed_library, create=False) as lib:
        lib.rename("Wang Yi", "Foreign Minister Wang")
        found = lib.facets("xinjiang")
        assert "Foreign Minister Wang" in [f.value for f in found.people]
        with pytest.raises(QueryError):
            lib.facets("the")
