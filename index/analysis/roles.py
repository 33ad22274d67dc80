"""Provides the roles an article gives an entity: titles before its name ("Chinese Foreign
Minister Wang Yi") and appositions after it ("Tina Kaidanow, Ambassador-At-Large for ...")."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
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
from index.words import words
from index.models import Mention, Role

if TYPE_CHECKING:  # pragma: no cover - typing only
    from index.analysis.parse import Doc, Token

__all__ = ["is_role", "merge_roles", "role_windows", "roles"]

_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those"}
#: Words of address and abbreviated ranks: "Mr", "Sen.", "Vice Adm.", "Lt Col" say no role alone.
_HONORIFICS = frozenset(
    "mr mrs ms miss mx dr sir dame lord lady prof rev sen rep gen adm lt col maj capt sgt cpl pvt "
    "cmdr gov hon messrs mme mlle herr".split()
)
#: Closed-class words a role never opens with ("to President", "nothing President").
_CLOSED = frozenset(
    "the a an this that these those to of in on at for from by with about as into onto over under "
    "after before during since until than via per against among between through toward towards "
    "and or but nor so yet if while when where whom who whose which what nothing something "
    "anything everything most much many all some any each every both either neither no few "
    "several more less other another such his her its their our my your him them us me it he she "
    "they we i you not only also even just very said says told".split()
)
#: Lowercase words that may stand before a capitalised title ("former White House Chief").
_PRE = frozenset(
    "former new acting outgoing incoming interim then ex late current retired newly ruling "
    "deputy vice chief senior junior first second top assistant associate executive "
    "designate elected appointed embattled veteran longtime long-time".split()
)
#: Role heads (data/role-nouns.txt) and the news agencies (data/agencies.txt): "Reuters" is
#: where a story came from, never a part of a title ("told Reuters Finance Secretary ...").
_ROLE_NOUNS = frozenset(w.lower() for w in words("role-nouns.txt"))
#: What an organisation can be: the kinds of organisation (the file's second part) and the
#: parts a firm plays in a deal ("Piedmont suitor", "lead manager").
_ORG_NOUNS = frozenset(
    w.lower() for w in words("role-nouns.txt")[words("role-nouns.txt").index("company") :]
) | frozenset(
    "suitor parent owner shareholder stockholder investor bidder buyer seller rival partner "
    "member operator developer producer manufacturer maker lender trader dealer broker "
    "manager leader champion creator designer supplier publisher player".split()
)
_AGENCIES = frozenset(
    part.strip().lower() for line in words("agencies.txt") for part in line.split("=")
)
_ROLE_SUFFIXES = ("man", "woman", "person", "ist", "ists")
_BRACKETS = set("()[]{}<>")
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
        for span in (_title_before(win, names, m, others), _apposition_after(win, names, others, m.label)):
            if span is not None and is_role(text[span[0] : span[1]]):
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


def role_word(word: str, label: str = "PERSON") -> bool:
    """Can ``word`` head a role ("Minister", "vice-chairman", "economist", "unit")? An
    organisation's role is a kind of organisation or a part in a deal, never an office."""
    w = word.lower().rstrip(".")
    parts = [p for p in re.split(r"[-‐]", w) if p]
    if label == "ORG":
        return any(p in _ORG_NOUNS for p in parts)
    return any(p in _ROLE_NOUNS or (len(p) > 5 and p.endswith("ist")) for p in parts)


def _honorific(tok: Token) -> bool:
    return tok.lower_.rstrip(".") in _HONORIFICS


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
        if tok.lower_ in _AGENCIES or "\n" in tok.whitespace_:
            break  # "told Reuters Finance Secretary ...": the agency is no part of the title
        if coarse_pos(tok) in ("ADJ", "NOUN", "PROPN") and tok.dep_ != "poss":
            if label in _NOT_MODIFIERS or (label == "PERSON" and not run):
                break
        elif tok.lower_ == "of" and run and i > 0 and role_word(doc[i - 1].text):
            pass  # "White House Chief of Staff", "Secretary of State"
        elif not (is_hyphen(tok) and run and not tok.whitespace_ and not doc[i - 1].whitespace_):
            break  # a hyphen joins a title ("Ambassador-At-Large"); a spaced dash ends it
        run.append(tok)
        i -= 1
    if run and is_hyphen(run[-1]):
        return None  # cut out of a compound: "the 13-nation OPEC" is no title "nation"
    while run and (_honorific(run[0]) or run[0].text in {"of", "-"}):
        run.pop(0)  # "Vice Adm. John Poindexter": the rank abbreviation is not the title
        if run and run[0].lower_ == "vice":
            run.pop(0)
    _trim_far_end(run, lambda t: bool(_label(win, t, others, names=True)))
    if not run:
        return None
    near = run[0]  # the word next to the name: the title's head
    of = next((k for k, t in enumerate(run) if t.lower_ == "of"), None)
    top = run[of + 1] if of is not None and of + 1 < len(run) else near  # "Chief of Staff"
    if coarse_pos(near) not in ("NOUN", "PROPN") or _label(win, near, others) or is_plural(near):
        return None
    head = top.text
    if top is near and len(run) > 2 and is_hyphen(run[1]):
        head = run[2].text + "-" + head  # "chairman-elect"
    if not role_word(head, m.label):
        return None  # "sweetened deal", "much support": no office, trade or kind named
    before = doc[run[-1].i - 1] if run[-1].i > 0 else None
    lowercase = not any(t.text[:1].isupper() for t in run)
    if lowercase and before is not None and coarse_pos(before) == "DET":
        return None  # "at the right price Wendy's would ...": a phrase, not a title
    if not any(h.head in names or any(t.head == h for t in names) for h in (near, top)):
        return None  # not attached to the name ("on Tuesday Wang said")
    begin = win.at(run[-1])
    # "Securities and Exchange Commission Chairman": a name cut by "and" is taken whole.
    owner_mention = next((o for o in others if o.start < begin < o.end), None)
    cut = owner_mention is not None and re.search(
        r"\s(?:and|&)\s", win.doc.text[owner_mention.start - win.offset : begin - win.offset]
    )
    if cut and owner_mention.label in ("GPE", "ORG", "NORP", "FAC"):
        begin = owner_mention.start
    # "China's Foreign Minister": take the possessor along when it is a named entity.
    elif run[-1].i >= 2 and is_possessive(doc[run[-1].i - 1]):
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


def _trim_far_end(run: list[Token], named: Callable[[Token], bool]) -> None:
    """Drop what stands before the title at its far end (``run`` is right to left): closed-class
    words ("to President"), honorifics ("Mr"), verbs ("overriding President"), and everything
    from a lowercase word that is no title word and stands before a capitalised part of the
    title ("pct growth rate Finance Minister", "Image caption Vogue editor"; "central bank
    President" stays)."""
    for k, tok in enumerate(run):
        low = tok.lower_
        if (
            tok.text[:1].islower()
            and any(t.text[:1].isupper() for t in run[:k])
            and low not in _PRE
            and not role_word(low)
            and coarse_pos(tok) != "ADJ"
            and not is_hyphen(tok)
            and low != "of"  # "Chief of Staff": let in by the walk
        ):
            del run[k:]
            break
    while run:
        far = run[-1]
        low = far.lower_
        verb_form = (
            low.endswith(("ing", "ed"))
            and (far.text[:1].islower() or far.is_sent_start)
            and not named(far)  # "Fed Chairman", "United Auto Workers"
            and low not in _PRE
            and not role_word(low)
        )
        if low in _CLOSED or _honorific(far) or low in ("of", "-", "—", "–") or verb_form:
            run.pop()
            continue
        break


def _under_clause(tok: Token, head: Token, stop: frozenset[int] = frozenset()) -> bool:
    """Is ``tok`` inside a clause below ``head`` (the walk up also ends at ``stop``)?"""
    node = tok
    while node.i != head.i and node.i not in stop and node.head.i != node.i:
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
    win: Window, names: list[Token], others: Sequence[Mention], label: str = "PERSON"
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
    while end + 2 < len(doc) and is_hyphen(doc[end + 1]) and not doc[end].whitespace_:
        end += 2  # "vice-president of GM": the compound is one word, its phrase follows
    subtree = sorted({*head.subtree, *doc[end].subtree}, key=lambda t: t.i)
    stop = frozenset({end, *(n.i for n in names)})
    for tok in subtree:
        if tok.i <= end:
            continue
        if tok.i != end + 1 or tok.text in {",", ";", "(", ")", "—", "–"} or tok.text in _BRACKETS:
            break
        if _under_clause(tok, head, stop) or tok.lower_ in _CUT_AT:
            break
        end = tok.i
    after = doc[end + 1] if end + 1 < len(doc) else None
    if after is not None and after.lower_ in ("and", "or"):
        return None
    if end - first.i > 20:
        return None
    begin = first
    while begin.i < end and (begin.lower_ in _DETERMINERS or coarse_pos(begin) == "DET"):
        begin = doc[begin.i + 1]
    if begin.lower_ in _CLOSED or begin.text[:1] in _BRACKETS:
        return None  # "most of all in Xinjiang"
    while end + 2 < len(doc) and is_hyphen(doc[end + 1]) and not doc[end].whitespace_:
        end += 2  # "vice-president": the compound is one word
    last = doc[end]
    while last.i > begin.i and (last.is_punct or coarse_pos(last) in ("CCONJ", "ADP", "DET")):
        last = doc[last.i - 1]
    if coarse_pos(doc[last.i + 1] if last.i + 1 < len(doc) else last) == "CCONJ" and last.i < end:
        return None  # "principal shareholder of Pesch and": cut inside a name
    if is_plural(head) or not role_word(_compound(doc, head), label):
        return None  # "a symbol of strength", "coffee quotas": not what the name is
    if head.i == begin.i == last.i and head.text.isupper() and len(head.text) <= 6:
        return None  # "International Monetary Fund, IMF": an abbreviation, not a role
    return win.at(begin), win.at(last) + len(last.text)


def _compound(doc: Doc, tok: Token) -> str:
    """``tok`` with the words hyphens join to it: "Ambassador-At-Large", "vice-chairman"."""
    first = last = tok.i
    while first >= 2 and is_hyphen(doc[first - 1]) and not doc[first - 2].whitespace_ \
            and not doc[first - 1].whitespace_:
        first -= 2
    while last + 2 < len(doc) and is_hyphen(doc[last + 1]) and not doc[last].whitespace_ \
            and not doc[last + 1].whitespace_:
        last += 2
    return doc[first : last + 1].text


#: Words an apposition's role stops before ("Treasury Secretary during Reagan's first term").
_CUT_AT = frozenset("during since until after before when while since whose who which".split())


def is_role(text: str) -> bool:
    """The last word on a role: no bracket ("CNN)President"), no closed-class word first
    ("to President"), more than an honorific ("Mr."), not a long phrase."""
    if any(c in _BRACKETS for c in text):
        return False
    words_ = text.split()
    if not words_ or len(words_) > 12:
        return False
    if words_[0].lower() in _CLOSED:
        return False
    return not all(w.lower().rstrip(".") in _HONORIFICS for w in words_)


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

