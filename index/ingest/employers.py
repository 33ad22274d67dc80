"""Provides the team, firm or place named before a person's role, which the recogniser leaves
out ("Dodgers" in "Dodgers manager Don Mattingly"): one of the article-wide fixes of
ingest/nlp.py, with the words that say what a role is (index/data/role-nouns.txt) and what
kind of name stands before it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from index.entities import is_demonym, normalize
from index.entities.institutions import place_country
from index.entities.names import is_region
from index.ingest.spans import _Found, _lead_words
from index.words import words

if TYPE_CHECKING:
    from index.ingest.nlp import _Context

__all__ = ["_STARTS", "_employers", "_label_of_place"]


#: A role in lowercase right before a person: "manager", "general manager", "co-founder".
_ROLE_BEFORE = re.compile(r"(?<![\w'’-])((?:[a-z][a-z-]*[ \t]+){0,2}[a-z][a-z-]*)[ \t]+$")
#: One word of a name before a role: capitalised ("Dodgers", "U.S.", "76ers"), or a small word
#: inside a name ("Bank of England", "Arm & Hammer").
_NAME_WORD = re.compile(r"[A-Z0-9][\w&'’.-]*|of|and|de|&")
#: Words that modify a role but are not one: "Thursday and coach", "a Boy with his brother".
_NOT_ROLE_WORDS = frozenset(
    "a an the and or of to for with by from at in on his her its their our my your as".split()
)
#: Right before a name: the end of another one it belongs to ("Bank of", "AC and", "Bob's").
_TAIL_OF_NAME = re.compile(r"(?:[A-Z][\w.]*[ \t]+(?:of|and|&)|['’]s)[ \t]+\Z")
_DECADE = re.compile(r"(?:1[89]|20)?\d0['’]?s")
_CONNECTORS = frozenset({"of", "and", "de", "&"})
_FIRM_SUFFIXES = frozenset("co cos inc corp ltd plc llc bros".split())
_WHEN_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may"
    " june july august september october november december".split()
)


def _employers(ctx: _Context, found: list[_Found]) -> list[_Found]:
    """The team, firm or place named before a person's role, which the recogniser leaves out:
    "Dodgers" in "Dodgers manager Don Mattingly", "Los Angeles Lakers" in "When Los Angeles
    Lakers player Kobe Bryant". The role must end in a role noun (index/data/role-nouns.txt).
    Leading determiners, pronouns, titles, dates and words that start sentences are no part of
    the name ("Former Patriots coach", "But police chief"); one word at a sentence's start
    counts only when the text names it elsewhere or it is a known place ("Central bank
    governor", "Lead prosecutor" add nothing). The tail of another name is left alone ("Bank
    of England governor", "Wertheim and Co analyst", "Iraq War veteran")."""
    text = ctx.text
    added: list[_Found] = []
    ends = {m.end for m in found}
    for i, m in enumerate(found):
        if m.label != "PERSON":
            continue
        line = ctx.line_start(m.start)
        role = _ROLE_BEFORE.search(text, max(line, m.start - 40), m.start)
        if role is None or not _is_role(role.group(1)):
            continue
        words = _name_before(text, max(line, found[i - 1].end if i else 0), role.start())
        if not words:
            continue
        start = _STARTS.search(text, line, words[0].start()) is not None
        while words and _not_employer(words[0].group(), ctx.titles):
            words.pop(0)
        if not words:
            continue
        if _TAIL_OF_NAME.search(text, line, words[0].start()) or any(
            abs(words[0].start() - e) <= 1 for e in ends
        ):
            continue  # "Bank of England governor", "AC and R chairman", "Iraq War veteran"
        while words and (words[-1].group() in _CONNECTORS or _DECADE.fullmatch(words[-1].group())):
            words.pop()  # "Bank of", "Famous 1950s" are no names
        if not words or words[0].group().lower().rstrip(".") in _FIRM_SUFFIXES:
            continue  # "B. Riley & Co analyst"
        a, b = words[0].start(), words[-1].end()
        name = text[a:b]
        known = ctx.names.get(name)
        if start and len(words) == 1 and known is None and _label_of_place(name) != "GPE":
            continue  # "Central bank governor", "Lead prosecutor", "Airport chief"
        sent = m.sent_start if line <= m.sent_start <= a else line
        added.append(_Found(a, b, name, known or _label_of_place(name), sent, max(m.sent_end, b)))
    if not added:
        return found
    return sorted(found + added, key=lambda f: f.start)


def _name_before(text: str, line: int, end: int) -> list[re.Match]:
    """The words of the name that ends right before ``end``, read backwards to the start of
    the line, a comma, a quote or a sentence's end; at most five."""
    out: list[re.Match] = []
    pos = end
    while len(out) < 6:
        gap = pos
        while gap > line and text[gap - 1] in " \t":
            gap -= 1
        if gap == pos and out:
            break
        start = gap
        while start > line and not text[start - 1].isspace():
            start -= 1
        word = _NAME_WORD.fullmatch(text, start, gap)
        if word is None or start == gap:
            break
        w = word.group()
        if w.endswith(".") and len(w) > 4 and out:
            break  # "... on Wednesday. Chief": a sentence's end
        out.insert(0, word)
        pos = start
    return out if len(out) <= 5 else []


#: What comes before a name at a sentence's or a line's start.
_STARTS = re.compile(r"(?:^|[.!?:;\"“‘(\[|]|--)[\s\"'“‘]*\Z", re.MULTILINE)


def _not_employer(word: str, titles: frozenset[str]) -> bool:
    """Whether a leading word is no part of a name before a role: "the", "Former", "Monday",
    "1992", "But", a small word."""
    w = word.lower().rstrip(".")
    return (
        not word[:1].isupper()
        or w in _PRONOUNS_AND_ARTICLES
        or w in titles
        or w in _WHEN_WORDS
        or w in _lead_words()
    )


_PRONOUNS_AND_ARTICLES = frozenset(
    "the a an his her its their this that these those our my i he she it we they you"
    " but and or then when while if as so on in at for by from to with after before during"
    " since".split()
)


@lru_cache(maxsize=1)
def _role_nouns() -> frozenset[str]:
    return frozenset(w.lower() for w in words("role-nouns.txt"))


def _is_role(role: str) -> bool:
    """Whether a lowercase phrase ends in a role noun: "manager", "third baseman", "co-founder",
    "economist"."""
    *modifiers, head = role.split()
    if any(w in _NOT_ROLE_WORDS for w in modifiers):
        return False  # "Thursday and coach Sean Payton", "a Boy with his brother Paul"
    nouns = _role_nouns()
    last = head.rsplit("-", 1)[-1]
    return head in nouns or last in nouns or (len(head) > 5 and head.endswith("ist"))


def _label_of_place(name: str) -> str:
    """GPE for a country, a capital or a state ("Illinois congressman"), NORP for a people, else
    ORG (a team, a firm)."""
    if is_region(name) or place_country(name) is not None:
        return "GPE"
    return "NORP" if is_demonym(normalize(name)) else "ORG"
