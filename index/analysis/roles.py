"""Provides the roles an article gives an entity: titles before its name ("Chinese Foreign
Minister Wang Yi") and appositions after it ("Tina Kaidanow, Ambassador-At-Large for ...")."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from index.analysis.parse import (
    Window,
    coarse_pos,
    is_hyphen,
    is_plural,
    is_possessive,
    parse_window,
    prefetch,
)
from index.sentences import covering, sentences
from index.models import Mention, Role

if TYPE_CHECKING:  # pragma: no cover - typing only
    from index.analysis.parse import Token

__all__ = ["merge_roles", "role_windows", "roles"]

_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those"}
_HONORIFICS = {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "mx", "mx.", "dr", "dr.", "sir"}
_NOT_MODIFIERS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
_NAME_LABELS = {"PERSON", "GPE", "LOC", "FAC"}  # an appositive that is one of these is a list
_TITLE_LABELS = {"PERSON", "ORG"}  # who gets titles before the name


def roles(
    text: str,
    mentions: Sequence[Mention],
    nlp: Any,
    *,
    all_mentions: Sequence[Mention] = (),
) -> list[Role]:
    """The roles ``text`` gives the entity whose ``mentions`` (all in this article) are given.

    Titles before the name ("Chinese Foreign Minister Wang Yi", for people and organisations)
    and appositions after it ("Tina Kaidanow, Ambassador-At-Large for ...") both count. A role
    contained in a fuller one of the same article is dropped; distinct ones are kept, in reading
    order. ``all_mentions`` (every entity's) helps tell a role from a list of names.
    """
    if not mentions:
        return []
    spans = sentences(text)
    own = set(mentions)
    others = [m for m in all_mentions if m not in own]
    planned = role_windows(text, mentions, spans)
    prefetch(nlp, (text[s:e] for _, s, e in planned))
    found: list[Role] = []
    for m, s, e in planned:
        win = parse_window(nlp, text, s, e)
        names = win.tokens(m.start, m.end)
        if not names:
            continue
        for span in (_title_before(win, names, m, others), _apposition_after(win, names, others)):
            if span is not None:
                found.append(Role(text[span[0] : span[1]], m.doc, span[0], span[1], m.entity))
    return merge_roles(found)


_WORD_BEFORE = re.compile(r"[^\W\d_][\w.’'-]*[ \t]+$")
_COMMA_AFTER = re.compile(
    r"[ \t]*,[ \t]*(?!(?:who|whom|whose|which|where|when|and|or|but|said|says|told|added|saying|"
    r"according)\b)[^\W\d_]",
    re.IGNORECASE,
)


def role_windows(
    text: str, mentions: Sequence[Mention], spans: list[tuple[int, int]]
) -> list[tuple[Mention, int, int]]:
    """The mentions that may have a role, in reading order, each with its sentence's span."""
    out = []
    for m in sorted(mentions, key=lambda m: m.start):
        if _may_have_role(text, m):  # most mentions cannot: no parse for them
            first, last = covering(spans, m.start, m.end)
            out.append((m, spans[first][0], spans[last][1]))
    return out


def _may_have_role(text: str, m: Mention) -> bool:
    """A title needs a word right before the name; an apposition a comma and a word after it."""
    if m.label in _TITLE_LABELS and _WORD_BEFORE.search(text, max(0, m.start - 60), m.start):
        return True
    return _COMMA_AFTER.match(text, m.end) is not None


def _label(win: Window, tok: Token, others: Sequence[Mention], *, names: bool = False) -> str:
    """The label of the entity ``tok`` belongs to: the Library's mentions first; the window's
    own NER only for dates and numbers (and, with ``names``, for names), since a sentence parsed
    alone may glue a title to a name ("Kazakh counterpart Beibut Atamkulov")."""
    pos = win.at(tok)
    for m in others:
        if m.start <= pos < m.end:
            return m.label
    if tok.ent_type_ in _NOT_MODIFIERS or (names and tok.ent_type_ in _NAME_LABELS):
        return tok.ent_type_
    return ""


def _title_before(
    win: Window, names: list[Token], m: Mention, others: Sequence[Mention]
) -> tuple[int, int] | None:
    if m.label not in _TITLE_LABELS:
        return None
    doc = win.doc
    run: list[Token] = []  # right to left
    i = names[0].i - 1
    while i >= 0 and len(run) < 8:
        tok = doc[i]
        label = _label(win, tok, others)
        if coarse_pos(tok) in ("ADJ", "NOUN", "PROPN") and tok.dep_ != "poss":
            if label in _NOT_MODIFIERS or (label == "PERSON" and not run):
                break
        elif not (is_hyphen(tok) and run and not tok.whitespace_ and not doc[i - 1].whitespace_):
            break  # a hyphen joins a title ("Ambassador-At-Large"); a spaced dash ends it
        run.append(tok)
        i -= 1
    if run and is_hyphen(run[-1]):
        return None  # cut out of a compound: "the 13-nation OPEC" is no title "nation"
    while run and run[-1].lower_ in _HONORIFICS:
        run.pop()
    if not run:
        return None
    near = run[0]  # the word next to the name: the title's head
    if coarse_pos(near) not in ("NOUN", "PROPN") or _label(win, near, others) or is_plural(near):
        return None
    before = doc[run[-1].i - 1] if run[-1].i > 0 else None
    lowercase = not any(t.text[:1].isupper() for t in run)
    if lowercase and before is not None and coarse_pos(before) == "DET":
        return None  # "at the right price Wendy's would ...": a phrase, not a title
    if not (near.head in names or any(t.head == near for t in names)):
        return None  # not attached to the name ("on Tuesday Wang said")
    begin = win.at(run[-1])
    # "China's Foreign Minister": take the possessor along when it is a named entity.
    if run[-1].i >= 2 and is_possessive(doc[run[-1].i - 1]):
        owner = doc[run[-1].i - 2]
        pos = win.at(owner)
        mention = next((o for o in others if o.start <= pos < o.end), None)
        if mention is not None and mention.label in ("GPE", "ORG", "NORP"):
            begin = mention.start
        elif owner.ent_type_ in ("GPE", "ORG", "NORP"):
            first = owner
            while first.ent_iob_ == "I" and first.i > 0:
                first = doc[first.i - 1]
            begin = win.at(first)
    return begin, win.at(near) + len(near.text)


def _under_clause(tok: Token, head: Token) -> bool:
    node = tok
    while node.i != head.i and node.head.i != node.i:
        if node.dep_ in ("relcl", "acl", "advcl", "ccomp"):
            return True
        node = node.head
    return False


def _fronted(tok: Token) -> bool:
    """Is ``tok`` inside a phrase put before the verb it modifies ("In Beijing, ...")?"""
    node = tok
    while node.head.i != node.i:
        node = node.head
        if node.dep_ in ("prep", "advcl", "npadvmod") and node.head.i > tok.i > node.i:
            return True
    return False


_DATE_WORDS = frozenset(
    "jan feb mar apr jun jul aug sep sept oct nov dec january february march april may june "
    "july august september october november december monday tuesday wednesday thursday friday "
    "saturday sunday today yesterday tomorrow".split()
)


def _apposition_after(
    win: Window, names: list[Token], others: Sequence[Mention]
) -> tuple[int, int] | None:
    doc = win.doc
    comma = names[-1].i + 1
    if comma + 1 >= len(doc) or doc[comma].text != ",":
        return None
    first = doc[comma + 1]
    if coarse_pos(first) in ("PRON", "NUM", "VERB", "AUX", "ADP", "SCONJ", "CCONJ", "ADV", "PUNCT"):
        return None  # "Wang, 65,", "Wang, who", "Xinjiang, saying"
    head = first
    while (
        head.head.i != head.i
        and comma < head.head.i <= comma + 7
        and coarse_pos(head.head) in ("NOUN", "PROPN")
    ):
        head = head.head
    if coarse_pos(head) not in ("NOUN", "PROPN") or head.lower_.rstrip(".") in _DATE_WORDS:
        return None  # "the U.S., effective Feb 26, ...": a date, not what the name is
    if _label(win, head, others, names=True) in _NAME_LABELS | {"NORP"}:
        return None  # "Cheng Guoping, Tina Kaidanow and ...": a list, not a role
    if head.dep_ == "conj" or any(c.dep_ == "conj" for c in head.children):
        return None
    if head.dep_ != "appos" and head.dep_ not in ("npadvmod", "dep"):
        return None  # "in Beijing, the ministry said": the subject of what follows
    if head.dep_ != "appos" and head.head in names:
        return None
    if _fronted(names[-1]):
        return None  # "In a filing with the SEC, the concern, which ...": the comma ends it
    end = head.i
    for tok in head.subtree:
        if tok.i <= head.i:
            continue
        if tok.i != end + 1 or tok.text in {",", ";", "(", ")", "—", "–"}:
            break
        if _under_clause(tok, head):
            break
        end = tok.i
    after = doc[end + 1] if end + 1 < len(doc) else None
    if after is not None and after.lower_ in ("and", "or"):
        return None
    if end - first.i > 20:
        return None
    begin = first
    while begin.i < end and begin.lower_ in _DETERMINERS:
        begin = doc[begin.i + 1]
    last = doc[end]
    while last.i > begin.i and last.is_punct:
        last = doc[last.i - 1]
    return win.at(begin), win.at(last) + len(last.text)


def _key(text: str) -> str:
    return " " + " ".join(re.sub(r"[-‐–]", " - ", text.lower()).split()) + " "


def merge_roles(found: Iterable[Role]) -> list[Role]:
    """Distinct roles in first-seen order, a role contained in a fuller one dropped
    ("Foreign Minister" when "Chinese Foreign Minister" is there). Works across articles too."""
    items = list(found)
    keys = [_key(r.text) for r in items]
    kept: list[Role] = []
    seen: set[str] = set()
    for role, key in zip(items, keys):
        if key in seen or any(key != other and key in other for other in keys):
            continue
        seen.add(key)
        kept.append(role)
    return kept

