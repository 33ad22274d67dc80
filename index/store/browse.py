"""Provides the SQL of the library as a whole: every entity with its first and last dates (the
entity browser), and the entities, sources and dates of a set of articles (facets)."""

from __future__ import annotations

import sqlite3

from index.models import EntitySummary


def summaries(db: sqlite3.Connection) -> list[EntitySummary]:
    """Every entity, most mentioned first, with the dates of the first and last article that
    names it (None when none of them is dated)."""
    dates = {
        eid: (first, last)
        for eid, first, last in db.execute(
            "SELECT e.entity, min(k.first), max(k.last) FROM entity_of e JOIN ("
            "  SELECT m.key AS key, min(a.date) AS first, max(a.date) AS last"
            "  FROM mentions m JOIN articles a ON a.rowid = m.article GROUP BY m.key"
            ") AS k ON k.key = e.key GROUP BY e.entity"
        )
    }
    out = []
    for eid, name, label, mentions, articles in db.execute(
        "SELECT id, name, label, mentions, articles FROM entities ORDER BY mentions DESC, name"
    ):
        first, last = dates.get(eid, (None, None))
        out.append(EntitySummary(eid, name, label, mentions, articles, first, last))
    return out
