"""Provides the library's SQL, all of it: the database (db), articles and imported files
(articles), entities, decisions, mentions and cross-references (entities), pins and the
dossier cache (dossiers), the names spread across articles (spread), backup and restore
(backup) and the salvage of a damaged database (salvage).

Callers open a Store and pass its connection (``store.db``, or the one ``store.write()`` yields)
to the functions of ``articles`` and ``entities``; nothing outside this package runs SQL.
"""

from index.store import articles, corrections, entities, spread
from index.store.db import SCHEMA, SCHEMA_VERSION, Store, dumps, lock_wait, sqlite_uri

__all__ = ["SCHEMA", "SCHEMA_VERSION", "Store", "articles", "browse", "corrections", "dumps", "entities", "lock_wait",
           "spread", "sqlite_uri"]
