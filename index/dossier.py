"""Provides the analysis behind an entity's dossier: roles, attributed quotations, co-occurrence
and mentions over time, as pure functions over an article's text and its mentions.

Nothing here touches the store: the Library decides what to read, calls these functions and
caches what they return per (article, entity), or per article for ``article_quotes``. spaCy is
never imported here; the caller passes a loaded pipeline with the parser
(``index.nlp.load_model(parse=True)``; a tagger is used when present, never needed). Only the
sentences that can hold a role or a quotation of the entity are parsed, in one ``nlp.pipe``
batch, and remembered for the next call; ``roles_and_quotes`` batches many articles.

Why not textacy's ``direct_quotations``: it gives up on a whole document when one quotation
mark is unbalanced, takes the grammatical subject as the speaker (so "Xinhua quoted Huang Ming
as saying" goes to Xinhua), resolves no pronoun and links no entity, needs the whole article
parsed, and would bring scikit-learn, scipy, networkx and floret along. The reporting-verb list
and the "nearest cue outside the quotation" idea are borrowed from it.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING, Any, NamedTuple

from index.models import ArticleSummary, Entity, Mention

if TYPE_CHECKING:  # pragma: no cover - typing only; spaCy is never imported at run time here
    from spacy.tokens import Doc, Token

__all__ = [
    "Cooccurrence",
    "Dossier",
    "Period",
    "Quote",
    "Role",
    "article_quotes",
    "cooccurring",
    "find_quotations",
    "merge_roles",
    "quotes",
    "roles",
    "roles_and_quotes",
    "sentences",
    "sparkline",
    "timeline",
]


# --- results ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Role:
    """A role or title an article gives an entity: ``text == article_text[start:end]``."""

    text: str  # e.g. "Chinese Foreign Minister"
    article: str  # the article id
    start: int
    end: int
    entity: str = ""  # the entity id the role belongs to


@dataclass(frozen=True)
class Quote:
    """A direct quotation with its speaker: ``text == article_text[start:end]``."""

    text: str  # the quoted words, without the quotation marks or a trailing comma
    speaker: str  # the speaker as cued: "Wang", "the ministry", "he"
    article: str
    start: int
    end: int
    cue: str  # the cue verb phrase: "said", "quoted as saying", "according to"
    entity: str = ""  # the entity the speaker resolves to; "" when no mention stands for it
    speaker_start: int = -1  # the cue's speaker in the article text
    speaker_end: int = -1


class Cooccurrence(NamedTuple):
    """Another entity seen with the dossier's entity."""

    entity: Entity
    sentences: int  # sentences both appear in
    articles: int  # articles both appear in


class Period(NamedTuple):
    """One bar of a timeline: mentions in the articles dated in ``period``."""

    period: str  # "2015", "2015-08" or "2015-08-04"
    mentions: int


@dataclass(frozen=True)
class Dossier:
    """Everything the dossier screen and the briefing show about an entity; the Library fills it."""

    entity: Entity
    first_seen: str | None = None  # ISO date of the earliest dated article; None when none is dated
    last_seen: str | None = None
    roles: tuple[Role, ...] = ()
    quotes: tuple[Quote, ...] = ()
    cooccurring: tuple[Cooccurrence, ...] = ()  # ranked, most shared first
    timeline: tuple[Period, ...] = ()  # mentions by article date, oldest first, gaps as zeros
    undated: int = 0  # mentions in articles with no date: counted apart, never given one
    articles: tuple[ArticleSummary, ...] = ()  # newest first
    analysed: int = 0  # articles whose roles and quotes are in; the rest wait for the parser
    of: int = 0  # articles that mention the entity (analysed == of: the dossier is complete)


# --- words -----------------------------------------------------------------------------------
# Reporting verbs (after textacy's list, less the mental ones: believe, think, hope, fear).
_SPEECH_BASES = [
    "acknowledge",
    "add",
    "admit",
    "affirm",
    "announce",
    "argue",
    "ask",
    "assert",
    "call",
    "claim",
    "comment",
    "complain",
    "conclude",
    "confirm",
    "declare",
    "deny",
    "describe",
    "emphasise",
    "emphasize",
    "explain",
    "insist",
    "note",
    "pledge",
    "predict",
    "promise",
    "quote",
    "recall",
    "remark",
    "reply",
    "report",
    "respond",
    "say",
    "state",
    "stress",
    "suggest",
    "tell",
    "testify",
    "tweet",
    "urge",
    "vow",
    "warn",
    "write",
]
_IRREGULAR = {
    "said": "say",
    "says": "say",
    "saying": "say",
    "told": "tell",
    "wrote": "write",
    "written": "write",
    "admitted": "admit",
    "admitting": "admit",
    "stresses": "stress",
    "according": "according",
}
_PERSONAL = {"he": "PERSON", "she": "PERSON", "it": "ORG"}
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those"}
_HONORIFICS = {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "mx", "mx.", "dr", "dr.", "sir"}
_NOT_MODIFIERS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
_NAME_LABELS = {"PERSON", "GPE", "LOC", "FAC"}  # an appositive that is one of these is a list
_TITLE_LABELS = {"PERSON", "ORG"}  # who gets titles before the name


def _speech_forms() -> dict[str, str]:
    forms = dict(_IRREGULAR)
    for base in _SPEECH_BASES:
        if base.endswith("e"):
            more = (base + "s", base + "d", base[:-1] + "ing")
        elif base.endswith("y") and base[-2] not in "aeiou":
            more = (base[:-1] + "ies", base[:-1] + "ied", base + "ing")
        else:
            more = (base + "s", base + "ed", base + "ing")
        for form in (base, *more):
            forms.setdefault(form, base)
    return forms


#: word form -> lemma; does not depend on the pipeline having a lemmatizer.
_SPEECH = _speech_forms()


# --- sentences and quotation marks (no model) --------------------------------------------------
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "sen",
        "rep",
        "gov",
        "st",
        "jr",
        "sr",
        "inc",
        "corp",
        "co",
        "ltd",
        "bros",
        "no",
        "vs",
        "etc",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mt",
        "ft",
        "rev",
        "hon",
        "pres",
        "supt",
        "dept",
        "fig",
    ]
)
_BOUNDARY = re.compile(r"[.!?…]+[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)+$")


def sentences(text: str) -> list[tuple[int, int]]:
    """Cheap sentence spans ``(start, end)`` of ``text``, found by rule, never by the model.

    A line break always ends a sentence (articles are stored one paragraph a line); inside a
    line, a full stop followed by a capital starts a new one unless it closes an abbreviation or
    initials ("Mr.", "Sept.", "U.S."): joining two sentences only widens what gets parsed.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        cut = start
        for match in _BOUNDARY.finditer(line):
            word = line[: match.start() + 1].rsplit(None, 1)[-1].lstrip('"“‘(')
            if line[match.start()] == "." and (
                word[:-1].lower() in _ABBREVIATIONS or _INITIALS.fullmatch(word)
            ):
                continue
            spans.append((cut, start + match.end()))
            cut = start + match.end()
        spans.append((cut, end))
    out = []
    for s, e in spans:
        chunk = text[s:e]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk.rstrip())
        if trail > lead:
            out.append((s + lead, s + trail))
    return out


class _Marks(NamedTuple):
    open: int  # index of the opening mark
    close: int  # index of the closing mark; the quoted text is text[open + 1:close]


_DOUBLE = {"“": "open", "„": "open", "«": "open", "”": "close", "»": "close", '"': ""}
_SINGLE = {"‘": "open", "’": "close"}
_OPENING_CONTEXT = set("([{—–-/") | set(_DOUBLE) | set(_SINGLE)
_CLOSING_CONTEXT = set(".,;:!?)]}—–-…") | set(_DOUBLE) | set(_SINGLE)


def _direction(line: str, i: int, nominal: str, single: bool) -> str:
    before = line[i - 1] if i > 0 else " "
    after = line[i + 1] if i + 1 < len(line) else " "
    if single:  # ’ is also the apostrophe: only a mark with no letter on the inner side counts
        if line[i] == "‘":
            return "open" if not before.isalnum() and not after.isspace() else ""
        return "close" if not after.isalnum() and not before.isspace() else ""
    can_open = not after.isspace() and (before.isspace() or before in _OPENING_CONTEXT)
    can_close = not before.isspace() and (after.isspace() or after in _CLOSING_CONTEXT)
    if can_open and not can_close:
        return "open"
    if can_close and not can_open:
        return "close"
    return nominal if can_open and can_close else ""


def _pairs(line: str, table: dict[str, str], single: bool) -> list[_Marks]:
    pairs: list[_Marks] = []
    pending: int | None = None
    for i, char in enumerate(line):
        if char not in table:
            continue
        way = _direction(line, i, table[char], single)
        if way == "open":
            pending = i  # an earlier opener left pending was unbalanced: dropped
        elif way == "close" and pending is not None:
            pairs.append(_Marks(pending, i))
            pending = None
    return pairs


def _quotations(text: str) -> list[_Marks]:
    found: list[_Marks] = []
    pos = 0
    for line in text.split("\n"):
        spans = _pairs(line, _DOUBLE, False) + _pairs(line, _SINGLE, True)
        # Top level only: a quotation inside another is part of it.
        for s in spans:
            if not any(o.open < s.open and s.close < o.close for o in spans if o != s):
                found.append(_Marks(s.open + pos, s.close + pos))
        pos += len(line) + 1
    return sorted(found)


def find_quotations(text: str) -> list[tuple[int, int]]:
    """Offsets ``(start, end)`` of every balanced quotation in ``text``, marks excluded.

    Quotations open and close on one line; an unbalanced mark is skipped and the rest kept.
    Curly double and single quotes, straight double quotes, « » and „ are understood; a
    straight single quote is not (it is an apostrophe far more often than a quotation mark).
    """
    return [(m.open + 1, m.close) for m in _quotations(text)]


_WORD = re.compile(r"\w+(?:['’]\w+)*")


def _worth_quoting(content: str) -> bool:
    """Scare quotes ("politicise") and titles are not statements worth a dossier line."""
    words = _WORD.findall(content)
    if len(words) < 3 and content.rstrip()[-1:] not in {",", ".", "!", "?", "…"}:
        return False
    significant = [w for w in words if len(w) > 3 and not w.isdigit()]
    return not (significant and len(words) <= 6 and all(w[0].isupper() for w in significant))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop spaces and the comma that replaces a full stop before '" he said'."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end


# --- parsing, on demand ------------------------------------------------------------------------
_CACHE: OrderedDict[tuple[int, str], Doc] = OrderedDict()
_CACHE_SIZE = 512  # more than the windows of one batch of articles (see roles_and_quotes)
_LOCK = threading.Lock()


def _parse(nlp: Any, text: str) -> Doc:
    """Parse one short stretch of text, remembering the last few hundred (roles and quotes of
    one article ask for the same sentences)."""
    key = (id(nlp), text)
    with _LOCK:
        doc = _CACHE.get(key)
        if doc is not None:
            _CACHE.move_to_end(key)
            return doc
    doc = nlp(text)
    with _LOCK:
        _CACHE[key] = doc
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return doc


def _prefetch(nlp: Any, texts: Iterable[str]) -> None:
    """Parse the stretches not parsed yet in one ``nlp.pipe`` batch: spaCy's cost per call is
    most of the cost of one short sentence, so a batch is about twice as fast."""
    with _LOCK:
        missing = [t for t in dict.fromkeys(texts) if (id(nlp), t) not in _CACHE]
    if len(missing) < 2:
        return  # _parse will do the one there is
    pipe = getattr(nlp, "pipe", None)
    docs = pipe(missing, batch_size=64) if pipe is not None else map(nlp, missing)
    for text, doc in zip(missing, docs):
        with _LOCK:
            _CACHE[(id(nlp), text)] = doc
            while len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)


def _sentence_at(spans: list[tuple[int, int]], pos: int) -> int:
    for i, (s, e) in enumerate(spans):
        if pos < e or (i + 1 < len(spans) and pos < spans[i + 1][0]):
            return i
    return len(spans) - 1


def _covering(spans: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    first = _sentence_at(spans, start)
    last = max(first, _sentence_at(spans, max(start, end - 1)))
    return first, last


class _Window(NamedTuple):
    doc: Doc
    offset: int  # the article offset of doc's first character

    def at(self, tok: Token) -> int:
        return tok.idx + self.offset

    def tokens(self, start: int, end: int) -> list[Token]:
        return [t for t in self.doc if start <= t.idx + self.offset < end]


def _window(nlp: Any, text: str, start: int, end: int) -> _Window:
    return _Window(_parse(nlp, text[start:end]), start)


# --- coarse parts of speech ----------------------------------------------------------------------
# index.nlp.load_model(parse=True) keeps the parser but not the tagger (it costs time and the
# parser does not need it), so a missing tag is worked out from the dependency label.
_DEP_POS = {
    "amod": "ADJ",
    "acomp": "ADJ",
    "det": "DET",
    "predet": "DET",
    "prep": "ADP",
    "agent": "ADP",
    "prt": "ADP",
    "aux": "AUX",
    "auxpass": "AUX",
    "nummod": "NUM",
    "cc": "CCONJ",
    "preconj": "CCONJ",
    "mark": "SCONJ",
    "advmod": "ADV",
    "neg": "ADV",
    "case": "PART",
    "expl": "PRON",
    "punct": "PUNCT",
}
_CLAUSE_DEPS = {"ROOT", "ccomp", "xcomp", "advcl", "relcl", "pcomp", "acl", "parataxis", "csubj"}
_NOMINAL_CHILDREN = {"det", "amod", "compound", "poss", "nummod", "case"}
_PRONOUNS = frozenset(
    [
        "i",
        "me",
        "you",
        "he",
        "him",
        "she",
        "her",
        "it",
        "we",
        "us",
        "they",
        "them",
        "who",
        "whom",
        "which",
        "what",
        "this",
        "that",
        "these",
        "those",
        "there",
        "myself",
        "yourself",
        "himself",
        "herself",
        "itself",
        "ourselves",
        "themselves",
    ]
)


def _pos(tok: Token) -> str:
    """The universal part of speech: the tagger's when it ran, else a guess from the parse."""
    if tok.pos_:
        return tok.pos_
    if tok.is_punct:
        return "PUNCT"
    if tok.like_num:
        return "NUM"
    dep = tok.dep_
    if dep in _DEP_POS:
        return _DEP_POS[dep]
    if tok.lower_ in _PRONOUNS:
        return "PRON"
    if dep == "conj" and tok.head.i != tok.i:
        return _pos(tok.head)
    if dep in _CLAUSE_DEPS and not any(c.dep_ in _NOMINAL_CHILDREN for c in tok.children):
        return "VERB"
    return "PROPN" if tok.text[:1].isupper() else "NOUN"


def _hyphen(tok: Token) -> bool:
    return tok.tag_ == "HYPH" or tok.text in {"-", "‐", "–"}


def _plural(tok: Token) -> bool:
    """A plural common noun ("stocks"): never the title of one name."""
    if tok.tag_:
        return tok.tag_ == "NNS"
    word = tok.text
    return word.islower() and word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _possessive(tok: Token) -> bool:
    return tok.tag_ == "POS" or tok.lower_ in {"'s", "’s", "'", "’"}


# --- roles -------------------------------------------------------------------------------------
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
    planned = _role_windows(text, mentions, spans)
    _prefetch(nlp, (text[s:e] for _, s, e in planned))
    found: list[Role] = []
    for m, s, e in planned:
        win = _window(nlp, text, s, e)
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


def _role_windows(
    text: str, mentions: Sequence[Mention], spans: list[tuple[int, int]]
) -> list[tuple[Mention, int, int]]:
    """The mentions that may have a role, in reading order, each with its sentence's span."""
    out = []
    for m in sorted(mentions, key=lambda m: m.start):
        if _may_have_role(text, m):  # most mentions cannot: no parse for them
            first, last = _covering(spans, m.start, m.end)
            out.append((m, spans[first][0], spans[last][1]))
    return out


def _may_have_role(text: str, m: Mention) -> bool:
    """A title needs a word right before the name; an apposition a comma and a word after it."""
    if m.label in _TITLE_LABELS and _WORD_BEFORE.search(text, max(0, m.start - 60), m.start):
        return True
    return _COMMA_AFTER.match(text, m.end) is not None


def _label(win: _Window, tok: Token, others: Sequence[Mention], *, names: bool = False) -> str:
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
    win: _Window, names: list[Token], m: Mention, others: Sequence[Mention]
) -> tuple[int, int] | None:
    if m.label not in _TITLE_LABELS:
        return None
    doc = win.doc
    run: list[Token] = []  # right to left
    i = names[0].i - 1
    while i >= 0 and len(run) < 8:
        tok = doc[i]
        label = _label(win, tok, others)
        if _pos(tok) in ("ADJ", "NOUN", "PROPN") and tok.dep_ != "poss":
            if label in _NOT_MODIFIERS or (label == "PERSON" and not run):
                break
        elif not (_hyphen(tok) and run and not tok.whitespace_ and not doc[i - 1].whitespace_):
            break  # a hyphen joins a title ("Ambassador-At-Large"); a spaced dash ends it
        run.append(tok)
        i -= 1
    if run and _hyphen(run[-1]):
        return None  # cut out of a compound: "the 13-nation OPEC" is no title "nation"
    while run and run[-1].lower_ in _HONORIFICS:
        run.pop()
    if not run:
        return None
    near = run[0]  # the word next to the name: the title's head
    if _pos(near) not in ("NOUN", "PROPN") or _label(win, near, others) or _plural(near):
        return None
    before = doc[run[-1].i - 1] if run[-1].i > 0 else None
    lowercase = not any(t.text[:1].isupper() for t in run)
    if lowercase and before is not None and _pos(before) == "DET":
        return None  # "at the right price Wendy's would ...": a phrase, not a title
    if not (near.head in names or any(t.head == near for t in names)):
        return None  # not attached to the name ("on Tuesday Wang said")
    begin = win.at(run[-1])
    # "China's Foreign Minister": take the possessor along when it is a named entity.
    if run[-1].i >= 2 and _possessive(doc[run[-1].i - 1]):
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
    win: _Window, names: list[Token], others: Sequence[Mention]
) -> tuple[int, int] | None:
    doc = win.doc
    comma = names[-1].i + 1
    if comma + 1 >= len(doc) or doc[comma].text != ",":
        return None
    first = doc[comma + 1]
    if _pos(first) in ("PRON", "NUM", "VERB", "AUX", "ADP", "SCONJ", "CCONJ", "ADV", "PUNCT"):
        return None  # "Wang, 65,", "Wang, who", "Xinjiang, saying"
    head = first
    while (
        head.head.i != head.i
        and comma < head.head.i <= comma + 7
        and _pos(head.head) in ("NOUN", "PROPN")
    ):
        head = head.head
    if _pos(head) not in ("NOUN", "PROPN") or head.lower_.rstrip(".") in _DATE_WORDS:
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


# --- quotations --------------------------------------------------------------------------------
class _Cue(NamedTuple):
    verb: Token
    speaker: Token
    text: str


def quotes(
    text: str, mentions: Sequence[Mention], all_mentions: Sequence[Mention], nlp: Any
) -> list[Quote]:
    """The direct quotations ``text`` attributes to the entity whose ``mentions`` are given.

    The speaker is found from the cue and resolved through ``all_mentions`` (every entity's
    mentions in the article, as the Library resolved them), so "Wang" counts for Wang Yi and
    "the ministry" for the ministry, never for a person named nearby.
    """
    if not mentions:
        return []
    ids = {m.entity for m in mentions}
    spans = {(m.start, m.end) for m in mentions}
    known = set(all_mentions)
    every = list(all_mentions) + [m for m in mentions if m not in known]
    found = _article_quotes(text, every, nlp, mentions[0].doc, _concerns(text, mentions))
    return [q for q in found if q.entity in ids or (q.speaker_start, q.speaker_end) in spans]


def _concerns(text: str, mentions: Sequence[Mention]) -> Callable[[int, int], bool]:
    heads = {m.text.lower().split()[-1] for m in mentions if m.text.strip()}
    cued = _cued_words(tuple(sorted(h for h in heads if len(h) > 2)))

    def may_concern(start: int, end: int) -> bool:
        """Could a quotation in text[start:end] be credited to this entity? Only if it is named
        there, or a pronoun or a noun like its name's last word ("the ministry") is the subject
        of a reporting verb there."""
        return any(start <= m.start < end for m in mentions) or bool(cued.search(text, start, end))

    return may_concern


@lru_cache(maxsize=256)
def _cued_words(heads: tuple[str, ...]) -> re.Pattern[str]:
    """'he said', 'it added', 'said the ministry': a pronoun or one of ``heads`` next to a
    reporting verb (two words may stand between)."""
    who = "|".join(["he", "she", "it", *(re.escape(h) for h in heads)])
    verbs = "|".join(sorted(_SPEECH, key=len, reverse=True))
    gap = r"(?:[ \t]+[\w.’'-]+){0,2}?[ \t]+"
    return re.compile(
        rf"\b(?:{who}){gap}(?:{verbs})\b|\b(?:{verbs}){gap}(?:\w+[ \t]+){{0,2}}?(?:{who})\b",
        re.IGNORECASE,
    )


def article_quotes(
    text: str, all_mentions: Sequence[Mention], nlp: Any, *, article: str | None = None
) -> list[Quote]:
    """Every attributable direct quotation in one article, in reading order.

    One call per article is enough to answer ``quotes`` for all its entities: cache this per
    article. A quotation with no cue, or whose cue names no one we can stand behind (an
    unresolvable pronoun, a joint statement), is left out rather than guessed.
    """
    if article is None:
        article = all_mentions[0].doc if all_mentions else ""
    return _article_quotes(text, all_mentions, nlp, article, None)


def roles_and_quotes(
    articles: Iterable[tuple[str, Sequence[Mention], Sequence[Mention]]],
    nlp: Any,
    *,
    batch: int = 16,
) -> Iterator[tuple[list[Role], list[Quote]]]:
    """``roles`` and ``quotes`` of one entity in many articles, in the order given.

    Each item is (article text, the entity's mentions in it, every mention in it). The
    sentences of ``batch`` articles at a time go through the parser together. Results come one
    article at a time, so the caller can cache each under (article, entity) and stop when its
    time is up (newest articles first, say).
    """
    items = iter(articles)
    while chunk := list(islice(items, batch)):
        texts: list[str] = []
        for text, mentions, _ in chunk:
            if not mentions:
                continue
            spans = sentences(text)
            texts += [text[s:e] for _, s, e in _role_windows(text, mentions, spans)]
            marks = _quotations(text)
            planned = _quote_plan(text, marks, spans, _concerns(text, mentions)) if marks else []
            texts += [text[spans[p.first][0] : spans[p.last][1]] for p in planned if p.read]
        _prefetch(nlp, texts)
        for text, mentions, every in chunk:
            yield roles(text, mentions, nlp, all_mentions=every), quotes(text, mentions, every, nlp)


#: The entity of a quotation left unread by a filter: pronouns and continuations never reach
#: across it to an earlier speaker.
_UNREAD = "\x00unread"


def _article_quotes(
    text: str,
    all_mentions: Sequence[Mention],
    nlp: Any,
    article: str,
    wanted: Callable[[int, int], bool] | None,
) -> list[Quote]:
    marks = _quotations(text)
    if not marks:
        return []
    spans = sentences(text)
    ments = sorted(all_mentions, key=lambda m: m.start)
    planned = _quote_plan(text, marks, spans, wanted)
    _prefetch(nlp, (text[spans[p.first][0] : spans[p.last][1]] for p in planned if p.read))
    found: list[Quote] = []
    for q, start, end, first, last, read in planned:
        if not read:
            found.append(Quote("", "", article, start, end, "", _UNREAD, q.open, q.open))
            continue
        quote = _attribute(
            text, q, start, end, marks, (first, last), spans, ments, found, nlp, article
        )
        if quote is None:
            quote = _continuation(text, q, start, end, found, article)
        if quote is not None:
            found.append(quote)
    return [q for q in found if q.entity != _UNREAD]


class _Planned(NamedTuple):
    marks: _Marks
    start: int  # the quoted text, trimmed
    end: int
    first: int  # the sentences its cue may be in
    last: int
    read: bool  # False: cannot concern the entity asked about, left unparsed


def _quote_plan(
    text: str,
    marks: list[_Marks],
    spans: list[tuple[int, int]],
    wanted: Callable[[int, int], bool] | None,
) -> list[_Planned]:
    planned = []
    for q in marks:
        start, end = _trim(text, q.open + 1, q.close)
        if start >= end or not _worth_quoting(text[start:end]):
            continue
        first, last = _quote_window(text, q, spans)
        read = wanted is None or wanted(spans[first][0], spans[last][1])
        planned.append(_Planned(q, start, end, first, last, read))
    return planned


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _paragraph_before(text: str, para: int) -> int:
    """Start of the last non-blank line before the line starting at ``para`` (or ``para``)."""
    pos = para - 1
    while pos > 0:
        start = text.rfind("\n", 0, pos) + 1
        if text[start:pos].strip():
            return start
        pos = start - 1
    return para


def _quote_window(text: str, q: _Marks, spans: list[tuple[int, int]]) -> tuple[int, int]:
    """The sentences (first, last) a quotation's cue can be in: its own, the next one on its
    line ('"...!" Wang said.' split by the rules), the one before if it ends with a colon."""
    first, last = _covering(spans, q.open, q.close + 1)
    line = _line_start(text, q.open)
    line_end = text.find("\n", q.close)
    if line_end < 0:
        line_end = len(text)
    if last + 1 < len(spans) and spans[last + 1][0] < line_end:
        last += 1
    if first > 0 and spans[first - 1][0] >= line and text[: spans[first - 1][1]].endswith(":"):
        first -= 1
    return first, last


def _attribute(
    text: str,
    q: _Marks,
    start: int,
    end: int,
    marks: list[_Marks],
    window: tuple[int, int],
    spans: list[tuple[int, int]],
    ments: list[Mention],
    prior: list[Quote],
    nlp: Any,
    article: str,
) -> Quote | None:
    first, last = window
    win = _window(nlp, text, spans[first][0], spans[last][1])
    cue = _find_cue(win, q, marks)
    if cue is None:
        return None
    speaker = _speaker(win, cue.speaker, text, q, marks, ments, prior)
    if speaker is None:
        return None
    name, s_start, s_end, entity = speaker
    return Quote(text[start:end], name, article, start, end, cue.text, entity, s_start, s_end)


def _inside(pos: int, marks: Iterable[_Marks]) -> bool:
    return any(m.open <= pos <= m.close for m in marks)


def _find_cue(win: _Window, q: _Marks, marks: list[_Marks]) -> _Cue | None:
    doc = win.doc
    here = (q,)
    quoted = [t for t in doc if _inside(win.at(t), here)]  # the marks included
    if len(quoted) < 3:
        return None
    candidates: list[_Cue] = []
    # 1. The reporting verb that governs the quotation: walk up from its roots.
    for tok in quoted:
        if tok.head.i == tok.i or not _inside(win.at(tok.head), here):
            node = tok
            while node.head.i != node.i:
                node = node.head
                pos = win.at(node)
                if _inside(pos, here):
                    continue
                if _inside(pos, marks):
                    break
                cue = _as_cue(node)
                if cue is not None:
                    candidates.append(cue)
                    break
    if not candidates:
        # 2. A reporting verb elsewhere in the quotation's sentences (the parser may have hung
        # '", Wang said' off the quotation), in a short sentence right after it, or in one
        # ending with a colon right before it.
        sents = {t.sent.start: t.sent for t in quoted}
        after = quoted[-1].i + 1
        while after < len(doc) and doc[after].is_punct:
            after += 1
        if after < len(doc) and doc[after].sent.start == after and len(doc[after].sent) <= 12:
            sents[after] = doc[after].sent
        before = quoted[0].i - 1
        if before >= 0 and doc[before].text == ":":
            sents[doc[before].sent.start] = doc[before].sent
        for sent in sents.values():
            for tok in sent:
                if not _inside(win.at(tok), marks):
                    cue = _as_cue(tok)
                    if cue is not None:
                        candidates.append(cue)
    if not candidates:
        return None

    def distance(cue: _Cue) -> int:
        pos = win.at(cue.verb)
        return pos - q.close if pos > q.close else q.open - pos

    return min(candidates, key=distance)


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child
    return None


def _as_cue(tok: Token) -> _Cue | None:
    """``tok`` as a reporting verb with a speaker, or None."""
    lemma = _SPEECH.get(tok.lower_)
    if lemma is None or (_pos(tok) not in ("VERB", "AUX") and lemma != "according"):
        return None
    if any(c.dep_ == "neg" for c in tok.children):
        return None  # "did not say"
    if lemma == "according":
        for to in tok.children:
            for obj in to.children:
                if obj.dep_ == "pobj":
                    return _Cue(tok, obj, "according to")
        return None
    if lemma == "say" and tok.head.lower_ == "as" and _SPEECH.get(tok.head.head.lower_) == "quote":
        tok = tok.head.head  # 'quoted Huang Ming as saying': the verb that names the speaker
        lemma = "quote"
    if lemma == "quote":
        quoted = next((c for c in tok.children if c.dep_ == "dobj"), None)
        said = any(c.lower_ == "as" for c in tok.children)
        if quoted is not None and said:
            return _Cue(tok, quoted, tok.text + " as saying")
        subject = _subject(tok)
        if subject is not None and subject.dep_ == "nsubjpass":  # 'was quoted as saying'
            return _Cue(tok, subject, _verb_phrase(tok) + (" as saying" if said else ""))
        return None
    verb = tok
    subject = _subject(verb)
    hops = 0
    while subject is None and verb.dep_ in ("conj", "advcl", "xcomp") and hops < 2:
        verb, hops = verb.head, hops + 1  # 'Wang arrived and said ...', 'adding ...'
        subject = _subject(verb)
    if subject is None:
        return None
    return _Cue(tok, subject, _verb_phrase(tok))


def _verb_phrase(tok: Token) -> str:
    words = [c for c in tok.children if c.dep_ in ("aux", "auxpass") and c.i < tok.i]
    return " ".join([w.text for w in words] + [tok.text])


def _mention_at(ments: Sequence[Mention], pos: int) -> Mention | None:
    for m in ments:
        if m.start <= pos < m.end:
            return m
    return None


def _speaker(
    win: _Window,
    tok: Token,
    text: str,
    q: _Marks,
    marks: list[_Marks],
    ments: list[Mention],
    prior: list[Quote],
) -> tuple[str, int, int, str] | None:
    """(surface, start, end, entity id) of the speaker token, or None when unsafe."""
    if any(c.dep_ == "conj" for c in tok.children):
        return None  # a joint statement: no one speaker to credit
    pos = win.at(tok)
    m = _mention_at(ments, pos)
    if m is not None:
        return m.text, m.start, m.end, m.entity
    if tok.lower_ in _PERSONAL:
        return _pronoun(tok.text, pos, text, q, marks, ments, prior)
    if _pos(tok) == "PRON":
        return None  # "they", "we", "I": too loose to credit anyone
    left = tok.left_edge
    while left.i < tok.i and (_inside(win.at(left), (q,)) or left.is_punct):
        left = win.doc[left.i + 1]
    start, end = win.at(left), pos + len(tok.text)
    for m in ments:  # a name inside the phrase that ends it: "China's Foreign Ministry"
        if start <= m.start and m.end == end:
            return text[start:end], start, end, m.entity
    head = tok.lower_
    entity = ""
    before = [m for m in ments if m.end <= start and m.label == "ORG"]
    for m in reversed(before):  # "the ministry" after "the Foreign Ministry"
        if m.text.lower().split()[-1] in (head, head + "s"):
            entity = m.entity
            break
    return text[start:end], start, end, entity


def _pronoun(
    word: str,
    pos: int,
    text: str,
    q: _Marks,
    marks: list[_Marks],
    ments: list[Mention],
    prior: list[Quote],
) -> tuple[str, int, int, str] | None:
    """Resolve "he"/"she" to a person and "it" to an organisation, only when nothing else could
    be meant: the last speaker in this or the previous paragraph with no rival named since, or
    else the only person (organisation) named in the last sentence of this paragraph naming one."""
    para = _line_start(text, q.open)
    previous = _paragraph_before(text, para)
    person = _PERSONAL[word.lower()] == "PERSON"
    labels = {m.entity: m.label for m in ments}

    def fits(entity: str) -> bool:
        return (labels.get(entity) == "PERSON") == person

    def rivals(since: int, keep: str) -> bool:
        return any(
            since <= m.start < pos
            and m.entity != keep
            and fits(m.entity)
            and (person or m.label == "ORG")
            for m in ments
        )

    last = next((p for p in reversed(prior) if p.speaker_start >= previous), None)
    if last is not None and last.entity == _UNREAD:
        return None  # the last quotation was not read: its speaker may be the one meant
    if last is not None and (last.entity or not person) and fits(last.entity):
        if not rivals(last.speaker_end, last.entity):
            return word, pos, pos + len(word), last.entity
        return None
    wanted = "PERSON" if person else "ORG"
    named = [
        m
        for m in ments
        if para <= m.start < pos and m.label == wanted and not _inside(m.start, marks)
    ]  # a name inside a quotation is what was said, not who said it
    if not named:
        return None
    spans = sentences(text)
    s, e = spans[_sentence_at(spans, named[-1].start)]
    if len({m.entity for m in named if s <= m.start < e}) == 1:
        return word, pos, pos + len(word), named[-1].entity
    return None


def _continuation(
    text: str, q: _Marks, start: int, end: int, prior: list[Quote], article: str
) -> Quote | None:
    """'"A," Wang said. "B."': B is Wang's too, when only his cue stands between them."""
    if not prior or prior[-1].entity == _UNREAD:
        return None
    last = prior[-1]
    gap_start = last.end
    if not (0 <= last.speaker_start and gap_start < last.speaker_start < q.open):
        return None
    gap = text[gap_start : q.open]
    if "\n" in gap or len(gap) > 80 or not re.search(r"[.!?:]\s*$", gap.rstrip(" ")):
        return None
    return Quote(
        text[start:end],
        last.speaker,
        article,
        start,
        end,
        last.cue,
        last.entity,
        last.speaker_start,
        last.speaker_end,
    )


# --- who appears with it, and when -------------------------------------------------------------
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


_DAY = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")


def timeline(
    dated: Iterable[tuple[str | None, int]], *, by: str = "auto"
) -> tuple[list[Period], int]:
    """Mentions over time from ``(article date, mentions in it)`` pairs.

    Returns the periods oldest first with the empty ones between filled with zeros (so bars
    read as time), and the count from undated articles, kept apart and never given a date.
    ``by`` is "day", "month", "year" or "auto" (by days up to two months, by months up to six
    years, else by years).
    """
    days: list[tuple[date, int]] = []
    undated = 0
    for when, count in dated:
        match = _DAY.match(when or "")
        try:
            day = date(int(match[1]), int(match[2]), int(match[3] or 1)) if match else None
        except ValueError:
            day = None
        if day is None:
            undated += count
        else:
            days.append((day, count))
    if not days:
        return [], undated
    lo, hi = min(d for d, _ in days), max(d for d, _ in days)
    if by == "auto":
        span = (hi - lo).days
        by = "day" if span <= 62 else "month" if span <= 6 * 366 else "year"
    counts: dict[str, int] = defaultdict(int)
    for day, count in days:
        counts[_period(day, by)] += count
    periods: list[Period] = []
    cur = lo
    while cur <= hi:
        label = _period(cur, by)
        if not periods or periods[-1].period != label:
            periods.append(Period(label, counts.get(label, 0)))
        cur = _step(cur, by)
    return periods, undated


def _period(day: date, by: str) -> str:
    if by == "day":
        return day.isoformat()
    if by == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if by == "year":
        return f"{day.year:04d}"
    raise ValueError(f"unknown period {by!r}: day, month, year or auto")


def _step(day: date, by: str) -> date:
    if by == "day":
        return date.fromordinal(day.toordinal() + 1)
    if by == "month":
        return date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return date(day.year + 1, 1, 1)


_BLOCKS = "▁▂▃▄▅▆▇█"


def sparkline(counts: Sequence[int]) -> str:
    """One character a period; an empty period is a space, any mention at least the lowest bar."""
    top = max(counts, default=0)
    if top <= 0:
        return " " * len(counts)
    return "".join(
        " " if c <= 0 else _BLOCKS[min(len(_BLOCKS) - 1, (c * len(_BLOCKS) - 1) // top)]
        for c in counts
    )
