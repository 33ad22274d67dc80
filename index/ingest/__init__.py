"""Provides the import pipeline: files in (decode, markdown, records, web, cleaned by clean),
HTML and feeds parsed in the sandbox, entities recognized (nlp, recognizer), articles out
(importer).

Names are loaded on first use: the sandbox worker imports this package and must not pay for
Whoosh, SQLite or spaCy.
"""

from __future__ import annotations

import importlib

_WHERE = {
    "Importer": "index.ingest.importer",
    "discover": "index.ingest.importer",
    "kind_of": "index.ingest.importer",
    "parse": "index.ingest.importer",
    "read": "index.ingest.importer",
    "clean_text": "index.ingest.clean",
    "decode": "index.ingest.decode",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> object:
    if name not in _WHERE:
        raise AttributeError(f"module 'index.ingest' has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
