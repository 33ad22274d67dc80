"""Provides who appears with an entity: the entities sharing its sentences and articles."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from index.models import Cooccurrence, Entity, Mention

__all__ = ["cooccurring"]


def cooccurring(
    entity: str,
    mentions: Iterable[Mention],
    entities: Mapping[str, Entity] | None = None,
    *,
    limit: int | None = None,
) -> list[Cooccurrence]:
    """Entities that share sentences and articles with ``entity``, most shared first.

    ``mentions`` are every entity's mentions in the articles that mention ``entity`` (more is
    harmless); sentences are told apart by the mentions' ``sent_start``/``sent_end``.
    """
    entities = entities or {}
    own: dict[str, set[tuple[int, int]]] = defaultdict(set)
    items = list(mentions)
    for m in items:
        if m.entity == entity:
            own[m.doc].add((m.sent_start, m.sent_end))
    sents: dict[str, set[tuple[str, int, int]]] = defaultdict(set)
    docs: dict[str, set[str]] = defaultdict(set)
    first: dict[str, Mention] = {}
    for m in items:
        if m.entity == entity or m.doc not in own:
            continue
        first.setdefault(m.entity, m)
        docs[m.entity].add(m.doc)
        if m.sent_end > m.sent_start and (m.sent_start, m.sent_end) in own[m.doc]:
            sents[m.entity].add((m.doc, m.sent_start, m.sent_end))
    ranked = []
    for other, m in first.items():
        known = entities.get(other) or Entity(other, m.name, m.label)
        ranked.append(Cooccurrence(known, len(sents[other]), len(docs[other])))
    ranked.sort(key=lambda c: (-c.sentences, -c.articles, c.entity.name.lower()))
    return ranked[:limit] if limit is not None else ranked

