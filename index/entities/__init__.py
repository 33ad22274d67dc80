"""Provides entity resolution: names made keys (names), keys grouped into entities with the user's
merges and ignores applied on top (resolve); index/data holds their word lists."""

from index.entities.names import DATA, PARTICLES, is_demonym, local_keys, normalize, slug
from index.entities.resolve import (
    Decisions,
    EntityInfo,
    KeyStats,
    Resolution,
    key_stats,
    resolve,
)

__all__ = [
    "DATA",
    "PARTICLES",
    "Decisions",
    "EntityInfo",
    "KeyStats",
    "Resolution",
    "is_demonym",
    "key_stats",
    "local_keys",
    "normalize",
    "resolve",
    "slug",
]
