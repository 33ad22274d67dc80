"""Provides entity resolution: the rules that make one entity of "Wang Yi" and "Wang", and the
user's merges and ignores applied on top (index/data holds their word lists)."""

from index.entities.resolve import (
    DATA,
    PARTICLES,
    Decisions,
    EntityInfo,
    KeyStats,
    Resolution,
    is_demonym,
    key_stats,
    local_keys,
    normalize,
    resolve,
    slug,
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
