"""Provides the analysis behind an entity's dossier: roles, attributed quotations, co-occurrence
and mentions over time, as pure functions over an article's text and its mentions.

Nothing here touches the store: ``index.dossiers`` decides what to read, calls these functions
and caches what they return per (article, entity), or per article for ``article_quotes``. The
caller passes a loaded pipeline with the parser (``PARSER.get``, which loads
``index.ingest.nlp.load_model(parse=True)`` once; a tagger is used when present, never needed). Only
the sentences that can hold a role or a quotation of the entity are parsed, in one ``nlp.pipe``
batch, and remembered for the next call; ``roles_and_quotes`` batches many articles.

- ``sentences``: the rule-based sentence splitter (no model).
- ``marks``: quotation marks paired by rule (no model).
- ``parse``: the parser, loaded once in the background, its cache and batches (spaCy lives here).
- ``roles``, ``quotes``: what the parse says about an entity.
- ``cooccur``, ``timeline``: who appears with it, and when (no model).
- ``words``: the word lists in ``index/data/``.
"""

from index.analysis.cooccur import cooccurring
from index.analysis.marks import find_quotations
from index.analysis.parse import PARSER, Parser
from index.analysis.quotes import article_quotes, quotes, roles_and_quotes
from index.analysis.roles import merge_roles, roles
from index.sentences import sentences
from index.analysis.timeline import first_and_last, sparkline, timeline

__all__ = [
    "PARSER",
    "Parser",
    "article_quotes",
    "cooccurring",
    "find_quotations",
    "first_and_last",
    "merge_roles",
    "quotes",
    "roles",
    "roles_and_quotes",
    "sentences",
    "sparkline",
    "timeline",
]
