"""Facets beside the search results: counts of the results, a value picked narrows the query
as the reader could have typed it, and the counts follow the query (issue 11)."""

from __future__ import annotations

import pytest

from reader.widgets.article_list import ArticleList
from reader.widgets.facets_panel import FacetsPanel
from reader.widgets.search_box import SearchBox
from tests.app.helpers import screen_text, settle, type_query

pytestmark = [pytest.mark.model, pytest.mark.anyio]


async def test_facets_narrow_the_query_and_follow_it(make_app, seed_library):
    app = make_app(seed_library)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_query(pilot, "xinjiang")
        await pilot.press("enter")
        await settle(pilot)
        facets = app.screen.query_one(FacetsPanel)
        assert facets.facets.total == 2 and "Facets of 2 results" in screen_text(app)
        assert "Wang Yi" in [f.value for f in facets.facets.people]
        await pilot.press("F")
        await settle(pilot)
        wang = facets.terms.index('entity:"Wang Yi"')
        for _ in range(wang - 1):  # the first value is highlighted: walk to Wang Yi
            await pilot.press("j")
        await pilot.press("minus")  # leave him out
        await pilot.pause(0.3)
        await settle(pilot)
        assert app.screen.query_one(SearchBox).value == 'xinjiang NOT entity:"Wang Yi"'
        assert facets.facets.total == 1 and len(app.screen.query_one(ArticleList)._hits) == 1
        assert "Wang Yi" not in [f.value for f in facets.facets.people]
        box = app.screen.query_one(SearchBox)
        box.value = ""
        await pilot.pause(0.3)
        await settle(pilot)
        assert not facets.display or not app.screen.has_class("-facets")
