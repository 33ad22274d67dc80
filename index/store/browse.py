"""Provides the SQL of the library as a whole: every entity with its first and last dates (the
entity browser), and the entities, sources and dates of a set of articles (facets)."""

from __future__ import annotations

import sqlite3

from index.models import EntitySummary, Facet, Facets

#: Which entity types each facet gathers.
GROUPS = (("people", ("PERSON",)), ("organisations", ("ORG",)), ("places", ("GPE", "LOC")))


def summaries(db: sqlite3.Connection, *, dated: bool = True) -> list[EntitySummary]:
    """Every entity, most mentioned first, with the dates of the first and last article that
    names it (None when none of them is dated, or without ``dated``: the dates cost a pass over
    every mention, the rest one read of the entities table)."""
    dates = {} if not dated else {
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


def facets(db: sqlite3.Connection, ids: list[str], query: str, top: int) -> Facets:
    """The ``top`` people, organisations, places and sources among the articles ``ids``, each
    with how many of them name it, and how many of them fall in each month (each day when they
    all fall within two months)."""
    db.execute("CREATE TEMP TABLE IF NOT EXISTS facet_ids (id TEXT PRIMARY KEY)")
    db.execute("DELETE FROM facet_ids")
    db.executemany("INSERT OR IGNORE INTO facet_ids VALUES (?)", ((i,) for i in ids))
    rows = "SELECT a.rowid FROM articles a JOIN facet_ids f ON f.id = a.id"
    grouped: dict[str, list[Facet]] = {name: [] for name, _ in GROUPS}
    which = {label: name for name, labels in GROUPS for label in labels}
    for name, label, n in db.execute(
        "SELECT en.name, en.label, count(DISTINCT m.article) AS n FROM mentions m"
        " JOIN entity_of e ON e.key = m.key JOIN entities en ON en.id = e.entity"
        f" WHERE m.article IN ({rows}) AND en.label IN ('PERSON', 'ORG', 'GPE', 'LOC')"
        " GROUP BY en.id ORDER BY n DESC, en.mentions DESC, en.name"
    ):
        group = grouped[which[label]]
        if len(group) < top:
            group.append(Facet(name, n))
    sources = [
        Facet(source or "(no source)", n)
        for source, n in db.execute(
            f"SELECT source, count(*) AS n FROM articles WHERE rowid IN ({rows})"
            " GROUP BY source ORDER BY n DESC, source LIMIT ?",
            (top,),
        )
    ]
    first, last, undated = db.execute(
        f"SELECT min(date), max(date), sum(date IS NULL) FROM articles WHERE rowid IN ({rows})"
    ).fetchone()
    width = 7
    if first and last and (int(last[:4]) * 12 + int(last[5:7])) - (int(first[:4]) * 12 + int(first[5:7])) < 2:
        width = 10
    dates = [
        Facet(period, n)
        for period, n in db.execute(
            f"SELECT substr(date, 1, {width}) AS p, count(*) FROM articles WHERE rowid IN ({rows})"
            " AND date IS NOT NULL GROUP BY p ORDER BY p"
        )
    ]
    db.execute("DELETE FROM facet_ids")
    return Facets(query, len(ids), tuple(grouped["people"]), tuple(grouped["organisations"]),
                  tuple(grouped["places"]), tuple(sources), tuple(dates), int(undated or 0))
