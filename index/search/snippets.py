"""Provides the highlighter: what a query marks in a text, and the snippet cut around the marks.

It is the one place that decides where a query's words and phrases occur in an article: the
snippets of search hits and the marks in the opened article both come from it, so they agree
(stems, phrases, wildcards and entity names alike). It needs no Whoosh: ``compile`` fills in
the ``Marks`` while it builds the Whoosh query.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field

from index.safe import safe_line, safe_text
from index.search.analysis import WORD, term_of

__all__ = ["Highlighter", "Marks", "anchor"]

_FRAGMENT = 120  # marks within this many characters are shown in one window
_CONTEXT = 60  # characters of context before the first mark of a window, at most
_SNIPPET = 300  # characters the windows of one snippet share
_LEAD = 200  # characters shown when nothing in the body matched (a title-only hit)
_MAX_FRAGMENTS = 3
_MAX_TERMS = 40
_SCAN_ALL_LIMIT = 200_000  # a leading-wildcard query marks words in this much text at most
_MAX_CANDIDATES = 20_000  # words looked at in one body (a common word in a 5 MB article)
_PHRASE_WALK = 40  # tokens looked at after a phrase's first word (stop words included)
_SPACE = re.compile(r"\s+")


def anchor(term: str) -> str:
    """A prefix of every word that stems to ``term``, to find candidates fast."""
    # A Porter stem is the word with its ending cut or changed (y -> i): all but its last letter
    # is a prefix of every word that stems to it.
    return term[:-1] if len(term) >= 3 else term


@dataclass
class Marks:
    """What to mark in a body: index terms, term sequences, and wildcard patterns over terms."""

    words: set[str] = field(default_factory=set)
    phrases: set[tuple[str, ...]] = field(default_factory=set)
    patterns: list[re.Pattern[str]] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)  # lowercase prefixes of marked tokens
    scan_all: bool = False  # a pattern with no literal prefix: every token is a candidate

    def add_terms(self, terms: list[str]) -> None:
        if not terms:
            return
        if len(terms) == 1:
            self.words.add(terms[0])
        else:
            self.phrases.add(tuple(terms))
        self.anchors.add(anchor(terms[0]))

    def empty(self) -> bool:
        return not (self.words or self.phrases or self.patterns)


def _is_token_start(text: str, p: int) -> bool:
    if p == 0:
        return True
    prev = text[p - 1]
    if prev.isalnum() or prev == "_":
        return False
    # inside "U.S." or "3.5"
    return not (prev == "." and p >= 2 and (text[p - 2].isalnum() or text[p - 2] == "_"))


class Highlighter:
    """Finds the marked words and phrases of a body and cuts a snippet around the best of them."""

    def __init__(self, marks: Marks) -> None:
        self.marks = marks
        self.phrase_heads: dict[str, list[tuple[str, ...]]] = {}
        for ph in marks.phrases:
            self.phrase_heads.setdefault(ph[0], []).append(ph)
        self.anchors = sorted({a.lower() for a in marks.anchors if a})

    def _starts(self, text: str) -> list[int] | None:
        """Where tokens that may be marked begin (None: look at every token).

        ``str.find`` on the lowercased text, one anchor at a time, is C speed; a regex of all
        anchors with a look-behind took 280 ms on a 5 MB article.
        """
        if self.marks.scan_all or not self.anchors:
            return None
        low = text.lower()
        if len(low) != len(text):  # a few characters lowercase to two: offsets would shift
            return None
        found: set[int] = set()
        each = _MAX_CANDIDATES // len(self.anchors)
        for anchor_ in self.anchors:
            seen = 0
            i = low.find(anchor_)
            while i >= 0 and seen < each:
                if _is_token_start(text, i):
                    found.add(i)
                    seen += 1
                i = low.find(anchor_, i + 1)
        return sorted(found)

    def _term_matches(self, term: str, token: str) -> bool:
        if term in self.marks.words:
            return True
        low = token.lower()
        return any(p.fullmatch(term) or p.fullmatch(low) for p in self.marks.patterns)

    def _phrase_end(self, text: str, start: int, phrase: tuple[str, ...]) -> int:
        want = 1
        walked = 0
        for m in WORD.finditer(text, start):
            walked += 1
            if walked > _PHRASE_WALK:
                return -1
            term = term_of(m.group())
            if not term:
                continue
            if term != phrase[want]:
                return -1
            want += 1
            if want == len(phrase):
                return m.end()
        return -1

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, what matched) of the spans of ``text`` to mark, in order, not overlapping."""
        if self.marks.empty():
            return []
        spans: list[tuple[int, int, str]] = []
        tokens: Iterable[re.Match[str] | None]
        starts = self._starts(text)
        if starts is not None:
            tokens = (WORD.match(text, p) for p in starts)
        else:
            tokens = WORD.finditer(text, 0, min(len(text), _SCAN_ALL_LIMIT))
        for m in tokens:
            if m is None:
                continue
            term = term_of(m.group())
            if not term:
                continue
            best, which = -1, ""
            for ph in self.phrase_heads.get(term, ()):
                end = self._phrase_end(text, m.end(), ph)
                if end > best:
                    best, which = end, " ".join(ph)
            if best > 0:
                spans.append((m.start(), best, which))
            elif self._term_matches(term, m.group()):
                spans.append((m.start(), m.end(), term))
        spans.sort()
        merged: list[tuple[int, int, str]] = []
        for s, e, key in spans:
            if merged and s < merged[-1][1]:
                if e > merged[-1][1]:
                    merged[-1] = (merged[-1][0], e, merged[-1][2])
                continue
            merged.append((s, e, key))
        return merged

    def snippet(self, text: str) -> tuple[str, tuple[tuple[int, int], ...], tuple[str, ...]]:
        """(snippet, marks in the snippet, the marked words as written) for one body."""
        spans = self.find(text)
        terms: list[str] = []
        seen: set[str] = set()
        for s, e, _ in spans:
            surface = _clean(text[s:e]).strip()
            key = surface.casefold()
            if key not in seen:
                seen.add(key)
                terms.append(surface)
                if len(terms) >= _MAX_TERMS:
                    break
        if not spans:
            return _lead(text), (), ()
        frags = _fragments(text, spans)
        out = ""
        marks: list[tuple[int, int]] = []
        for a, b, inside in frags:
            if out:
                out += " … "
            pos = a
            for s, e in inside:
                out += _clean(text[pos:s])
                start = len(out)
                out += _clean(text[s:e])
                if len(out) > start:
                    marks.append((start, len(out)))
                pos = e
            out += _clean(text[pos:b])
        return out, tuple(marks), tuple(terms)


def _clean(piece: str) -> str:
    """A piece of a snippet: no control or escape characters, whitespace as single spaces.

    Each piece is cleaned on its own, so the marks' offsets are those of the cleaned snippet.
    """
    return _SPACE.sub(" ", safe_text(piece))


def _lead(text: str) -> str:
    head = text[: _LEAD + 40]
    if len(head) > _LEAD:
        cut = head.rfind(" ", 0, _LEAD)
        head = head[: cut if cut > _LEAD // 2 else _LEAD]
    return safe_line(head)


def _fragments(
    text: str, spans: list[tuple[int, int, str]]
) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """Up to three (start, end, marks inside) windows of the text, in text order, not overlapping.

    Marks close together form a group; groups are taken best first (most words of the query not
    yet shown, then most marks), a later one only if it shows a word the others do not; the
    windows share about ``_SNIPPET`` characters.
    """
    groups: list[tuple[int, int, set[str], int]] = []  # first, last, what matched, marks
    for s, e, key in spans:
        if groups and e - groups[-1][0] <= _FRAGMENT:
            first, _, keys, n = groups[-1]
            keys.add(key)
            groups[-1] = (first, e, keys, n + 1)
        else:
            groups.append((s, e, {key}, 1))

    chosen: list[tuple[int, int, set[str], int]] = []
    shown: set[str] = set()
    left = list(groups)
    while left and len(chosen) < _MAX_FRAGMENTS:
        best = max(left, key=lambda g: (len(g[2] - shown), g[3], -g[0]))
        if chosen and not best[2] - shown:
            break
        chosen.append(best)
        shown |= best[2]
        left.remove(best)
    chosen.sort(key=lambda g: g[0])

    per = _SNIPPET // len(chosen)
    windows: list[tuple[int, int]] = []
    for first, last, _, _ in chosen:
        room = max(per - (last - first), 0)
        a = max(0, first - min(_CONTEXT, room // 3))
        if a > 0:  # start at a sentence if one begins in the context, else at a word
            sentence = max(text.rfind(". ", a, first), text.rfind("\n", a, first))
            if sentence >= 0:
                a = sentence + 1
            else:
                space = text.find(" ", a, first)
                a = space + 1 if space >= 0 else first
        while a < first and text[a].isspace():
            a += 1
        b = min(len(text), max(last, a + per))
        if b < len(text):  # end at a word
            space = text.rfind(" ", last, b)
            b = max(space, last)
        while b > last and text[b - 1].isspace():
            b -= 1
        if windows and a <= windows[-1][1] + 1:  # touches the previous window: one window
            windows[-1] = (windows[-1][0], max(windows[-1][1], b))
        else:
            windows.append((a, b))
    # Mark everything a window shows, also matches of groups that were not chosen.
    starts = [s for s, _, _ in spans]
    return [
        (a, b, [(s, e) for s, e, _ in spans[bisect_left(starts, a) : bisect_left(starts, b)]
                if e <= b])
        for a, b in windows
    ]
