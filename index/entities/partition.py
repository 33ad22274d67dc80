"""Provides Partition: the library's keys in the parts resolve() decides independently of one
another, so that a correction or an import resolves again only the parts it touches.

Every rule of resolve() links a key only to keys it finds through a word they share: a
surname and an initial ("L:baker|j"), a given name and a surname's length ("G:..."), a short
name ("W:baker"), an acronym ("A:ec"), initials ("I:TWA"), a place's team ("T:boston", which
"boston (baseball team)" offers as well as wants), or a key by name ("K:red sox"). A key *offers* some of these tokens (``look``) and *wants* others
(``want``); a key holding a symmetric token (``both``) meets every other key holding it. The
parts are the connected groups of that graph, with the user's merges as more edges. A few
rules also read the label of a key they do not link to (``reads``: "Boston" is a place, so
"Boston Red Sox" lends "Red Sox"): a change to that key is a change to its readers.

A token here may link keys that never join (that costs time, not correctness); a rule of
resolve() that links keys through no token here would be a bug, and
tests/unit/test_partition.py compares the parts' resolution with the whole one's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from index.entities.institutions import country_key
from index.entities.names import defines, initials, is_demonym, is_firm, normalize, slug
from index.entities.teams import team_of
from index.entities.resolve import (
    _ACRONYM_FORM,
    _FIRM_END,
    CROWD,
    Decisions,
    KeyStats,
    _of_form,
    _top_form,
    singular,
    team_place,
    top_label,
)

__all__ = ["Partition"]

_PLACES = ("GPE", "LOC")


@dataclass(frozen=True)
class _Edges:
    both: frozenset[str]  # shared with every key holding the same token
    look: frozenset[str]  # offered to the keys that want the token
    want: frozenset[str]
    reads: frozenset[str]  # other keys whose labels the rules read for this one
    buckets: tuple[str, ...]  # the surname and given-name lists it is in ("last:x", "given:y")


class Partition:
    """The library's keys, their stats and the tokens that connect them; kept up to date by
    ``update`` after each change, which says which keys must be resolved again."""

    def __init__(self, stats: Iterable[KeyStats], decisions: Decisions) -> None:
        self.table: dict[str, KeyStats] = {s.key: s for s in stats if s.key}
        self._top = {k: top_label(s) for k, s in self.table.items()}
        self._edges: dict[str, _Edges] = {}
        self._index: dict[str, dict[str, set[str]]] = {"both": {}, "look": {}, "want": {}}
        self._readers: dict[str, set[str]] = {}
        self._counts: dict[str, int] = {}
        self._slugs: dict[str, set[str]] = {}
        for key in self.table:
            self._slugs.setdefault(slug(key), set()).add(key)
        for key in self.table:
            self._add(key)
        self._joined: dict[str, set[str]] = {}
        self._unsure = False
        self._decide(decisions)

    def crowded(self) -> frozenset[str]:
        """The surname and given-name lists resolve() leaves alone, for the whole library."""
        return frozenset(b for b, n in self._counts.items() if n > CROWD)

    def update(
        self, stats: Mapping[str, KeyStats | None], decisions: Decisions, touched: Iterable[str]
    ) -> set[str] | None:
        """Take the new stats of the keys in ``stats`` (None: the key is gone) and the new
        decisions, ``touched`` naming the keys the decisions changed. Returns the keys to
        resolve again (whole parts of the new graph), or None when only resolving the whole
        library is sure to give the right answer."""
        touched = set(touched)
        seeds = set(stats) | touched | {normalize(t) for t in touched}  # an ignored name's key
        for key, s in stats.items():
            if (top_label(s) if s is not None else None) != self._top.get(key):
                seeds |= self._readers.get(key, set())  # their rules read a label that changed
        crowded = self.crowded()
        before = self._part(seeds)
        for key in seeds:
            if key in self._edges:
                self._drop(key)
        for key, s in stats.items():
            old = self.table.pop(key, None)
            if old is not None:
                self._slugs[slug(key)].discard(key)
            self._top.pop(key, None)
            if s is not None:
                self.table[key] = s
                self._top[key] = top_label(s)
                self._slugs.setdefault(slug(key), set()).add(key)
        for key in seeds:
            if key in self.table:
                self._add(key)
        self._decide(decisions)
        if self._unsure or self.crowded() != crowded:
            return None
        return self._part(before | seeds)

    def within(self, decisions: Decisions, part: set[str]) -> Decisions:
        """The decisions about the keys of ``part`` (the merges naming them; ignores and
        splits only ever touch their own key)."""
        merges = [(a, b) for a, b in decisions.merges
                  if (self._keys_for(a) | self._keys_for(b)) & part]
        return Decisions(merges=merges, ignored=decisions.ignored, apart=decisions.apart)

    # --- the graph ---------------------------------------------------------------------------
    def _part(self, seeds: set[str]) -> set[str]:
        """``seeds`` and every key connected to them."""
        both, look, want = self._index["both"], self._index["look"], self._index["want"]
        seen = set(seeds)
        todo = [k for k in seeds if k in self._edges]
        while todo:
            key = todo.pop()
            e = self._edges[key]
            near: list[Iterable[str]] = [both[t] for t in e.both]
            near += [want.get(t, ()) for t in e.look]
            near += [look.get(t, ()) for t in e.want]
            near.append(self._joined.get(key, ()))
            for keys in near:
                for other in keys:
                    if other not in seen:
                        seen.add(other)
                        if other in self._edges:
                            todo.append(other)
        return seen

    def _add(self, key: str) -> None:
        e = self._edges[key] = _edges(key, self.table[key], self._label)
        for kind in ("both", "look", "want"):
            index = self._index[kind]
            for token in getattr(e, kind):
                index.setdefault(token, set()).add(key)
        for other in e.reads:
            self._readers.setdefault(other, set()).add(key)
        for bucket in e.buckets:
            self._counts[bucket] = self._counts.get(bucket, 0) + 1

    def _drop(self, key: str) -> None:
        e = self._edges.pop(key)
        for kind in ("both", "look", "want"):
            index = self._index[kind]
            for token in getattr(e, kind):
                index[token].discard(key)
                if not index[token]:
                    del index[token]
        for other in e.reads:
            self._readers[other].discard(key)
        for bucket in e.buckets:
            self._counts[bucket] -= 1

    def _label(self, key: str) -> str | None:
        return self._top.get(key)

    def _decide(self, decisions: Decisions) -> None:
        """The user's merges as edges (resolve() finds their names as _key_for does)."""
        self._joined = {}
        self._unsure = False
        for a, b in decisions.merges:
            keys = self._keys_for(a) | self._keys_for(b)
            for key in keys:
                self._joined.setdefault(key, set()).update(keys - {key})

    def _keys_for(self, name: str) -> set[str]:
        """Every key resolve()'s _key_for may find for a decision's name: the name as a key,
        else the key of the entity id it is, else the name normalized."""
        if name in self.table:
            return {name}
        same = self._slugs.get(name, set())
        if len(same) > 1:  # an entity id two keys could have: which one is only known whole
            self._unsure = True
        key = normalize(name)
        return same | ({key} if key in self.table else set())


def _edges(key: str, s: KeyStats, label_of) -> _Edges:  # noqa: C901 (one rule per branch)
    """The tokens of one key: each branch mirrors a rule of resolve()."""
    both: set[str] = set()
    look: set[str] = set()
    want: set[str] = {"K:" + key}
    reads: set[str] = set()
    buckets: list[str] = []
    label = label_of(key)
    if " " in key:
        prefix, last_word = key.rsplit(" ", 1)
        head, _, rest = key.partition(" ")
        reads |= {prefix, head}
        if label == "ORG":
            for form in s.forms:  # initials for one-word acronyms
                if " " in form.strip() and not form.isupper():
                    plain = _FIRM_END.sub("", form)
                    corp = form[len(plain) :].strip().lower().startswith("co")
                    variants = {initials(form) if corp else "", initials(plain)}
                    variants.add(initials(_of_form(plain)))
                    look |= {"I:" + v for v in variants - {""}}
            if " " in rest and label_of(head) in _PLACES and country_key(head) is None:
                look.add("K:" + rest)  # "red sox" of "boston red sox"
            if not key.endswith(")"):
                words = key.split()
                look |= {"T:" + " ".join(words[:n]) for n in (1, 2, 3) if len(words) > n}
            if key.count(" ") >= 2:
                both.add("P:" + singular(key))  # "... Motion Pictures Arts ..." = "... Picture ...
        elif team_place(s, label_of):
            look.add("T:" + prefix)  # "jacksonville jaguars", labelled a person, is a team
        lends = label
        if lends == "ORG" and label_of(prefix) not in _PLACES:
            lends = ""
        if lends == "PERSON" and any(is_firm(f) for f in s.forms):
            lends = ""
        if lends in ("PERSON", "ORG"):
            last = normalize(last_word)
            look.add("W:" + last)
            for form in s.forms:
                if " " not in form.strip():
                    short = normalize(form)
                    if short and short != key:
                        look.add("W:" + short)
            if lends == "PERSON":
                buckets += [f"last:{last}", f"given:{prefix}"]
                both |= {f"L:{last}|{w[0]}" for w in prefix.split() if w}
                n = len(last_word)
                pairs = ([(n, n), (n, n + 1)] if n >= 6 else []) + ([(n - 1, n)] if n >= 7 else [])
                both |= {f"G:{prefix}|{last_word[0]}|{a}-{b}" for a, b in pairs}
        for form in s.forms:
            if _ACRONYM_FORM.match(form) and defines(form, key):
                short = normalize(form)
                if short != key:
                    look.add("A:" + short)
    else:
        want.add("A:" + key)
        if not is_demonym(key):
            want.add("W:" + key)
        if label == "ORG":
            form = _top_form(s)
            if _ACRONYM_FORM.match(form):
                letters = "".join(c for c in form if c.isalpha()).upper()
                if len(letters) >= 3:
                    want.add("I:" + letters)
    team = team_of(key)
    if team is not None:
        place, sport = team
        reads.add(place)
        look.add("K:" + place)
        want.add("T:" + place)
        if sport:  # the bare "boston (team)" may be the one sport's team the library knows
            look.add("T:" + place)
    reads.discard(key)
    return _Edges(frozenset(both), frozenset(look), frozenset(want), frozenset(reads),
                  tuple(buckets))
