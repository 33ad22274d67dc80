"""Provides qualify(): generic institution names ("Treasury", "Finance Ministry", "Central Bank",
listed in index/data/generic-institutions.txt) keyed with the country they belong to, so that the
Italian Treasury never joins the U.S. one: "treasury (italy)".

The country comes from the name itself ("Italian Treasury", "U.S. Treasury"), else the nearest
country named in the same sentence, else the dateline, else the country the article names most;
with none of these the name keeps its bare key and links only with other unplaced mentions.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

from index.entities.names import DATA, _fold, normalize

__all__ = [
    "country_key",
    "display",
    "generic",
    "lookup_key",
    "place_country",
    "qualified",
    "qualify",
]

_PLACE_LABELS = frozenset({"GPE", "NORP", "LOC"})
_QUALIFIED = re.compile(r"^(.+) \((.+)\)$")


def _lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def _heads() -> dict[str, str]:
    """Every wording of a generic institution (as a key) -> its head key."""
    out: dict[str, str] = {}
    for line in _lines("generic-institutions.txt"):
        variant, _, head = line.partition("=")
        head_key = normalize((head or variant).strip())
        out[normalize(variant.strip())] = head_key
        out[_fold(variant.strip())] = head_key
    return out


@lru_cache(maxsize=1)
def _countries() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(country name or adjective -> country key, dateline city -> country key,
    country key -> display name)."""
    names: dict[str, str] = {}
    cities: dict[str, str] = {}
    shown: dict[str, str] = {}
    for line in _lines("countries.tsv"):
        parts = (line.split("\t") + ["", ""])[:3]
        country = parts[0].strip()
        key = normalize(country)
        shown[key] = country
        for word in [country, *parts[1].split(",")]:
            if word.strip():
                names.setdefault(normalize(word), key)
                names.setdefault(_fold(word), key)
        for city in parts[2].split(","):
            if city.strip():
                cities.setdefault(_fold(city), key)
    return names, cities, shown


def country_key(name: str) -> str | None:
    """The country a name or adjective stands for: "Italian", "Italy" -> "italy"."""
    names, _, _ = _countries()
    return names.get(normalize(name)) or names.get(_fold(name))


def place_country(place: str) -> str | None:
    """The country of a dateline place: "ROME" -> "italy", "Buenos Aires" -> "argentina"."""
    if not place:
        return None
    names, cities, _ = _countries()
    folded = _fold(place.split(",")[0])
    return cities.get(folded) or names.get(folded)


def generic(key: str) -> tuple[str, str | None] | None:
    """(head, country the name itself gives) when ``key`` is a generic institution.

    "treasury" -> ("treasury", None); "italian treasury" -> ("treasury", "italy");
    "treasury (italy)" -> ("treasury", "italy"); anything else -> None.
    """
    heads = _heads()
    head = heads.get(key)
    if head is not None:
        return head, None
    qualified_ = _QUALIFIED.match(key)
    if qualified_ is not None and qualified_.group(1) in heads:
        return heads[qualified_.group(1)], qualified_.group(2)
    words = key.split()
    if len(words) < 2 or len(words) > 6:
        return None
    names, _, _ = _countries()
    for i in range(1, len(words)):
        rest = heads.get(" ".join(words[i:]))
        if rest is not None:
            country = names.get(" ".join(words[:i]))
            return (rest, country) if country is not None else None
    return None


def placed(mentions: Sequence[Located], keys: Sequence[str], place: str) -> list[str]:
    """``keys`` as qualify() gives them, or as they are when no key is a generic institution
    (the common case, checked first): one article's mentions keyed as relinking keys them."""
    if not any(generic(k) is not None for k in keys):
        return list(keys)
    return qualify(mentions, keys, place)


def qualified(head: str, country: str | None) -> str:
    return f"{head} ({country})" if country else head


def display(key: str) -> str | None:
    """ "Italy" for the key "treasury (italy)"; None for any other key."""
    m = _QUALIFIED.match(key)
    if m is None or m.group(1) not in _heads():
        return None
    return _countries()[2].get(m.group(2), m.group(2).title())


def lookup_key(name: str) -> str | None:
    """The key a user means by "Treasury (Italy)", or None when the name is not of that form."""
    m = _QUALIFIED.match(name.strip())
    if m is None:
        return None
    found = generic(normalize(m.group(1)))
    country = country_key(m.group(2))
    if found is None or country is None:
        return None
    return qualified(found[0], country)


class Located(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def label(self) -> str: ...


def qualify(mentions: Sequence[Located], keys: Sequence[str], place: str = "") -> list[str]:
    """``keys`` (one per mention of one article) with each generic institution's key qualified
    by its country; ``place`` is the article's dateline place, if known. Mentions may carry a
    ``sent_start``: a country in the same sentence counts first."""
    out = list(keys)
    found = {i: g for i, k in enumerate(keys) if (g := generic(k)) is not None}
    if not found:
        return out
    names, _, _ = _countries()
    countries: list[tuple[int, str]] = []
    for i, m in enumerate(mentions):
        if m.label in _PLACE_LABELS and i not in found:
            c = names.get(keys[i]) or country_key(m.text)
            if c is not None:
                countries.append((i, c))
    counts = Counter(c for _, c in countries)
    ranked = counts.most_common(2)
    most = ranked[0][0] if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]) else None
    dateline = place_country(place)
    for i, (head, country) in found.items():
        if country is None:
            m = mentions[i]
            sentence = getattr(m, "sent_start", None)
            near = [
                (abs(mentions[j].start - m.start), mentions[j].start > m.start, c)
                for j, c in countries
                if sentence is not None and getattr(mentions[j], "sent_start", None) == sentence
            ]
            if near:
                country = min(near)[2]
            else:
                country = dateline or most
        out[i] = qualified(head, country)
    return out
