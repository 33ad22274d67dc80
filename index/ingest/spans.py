"""Provides the trimming of one recognised span to the name it holds: leading words that are
no part of a name ("Questioning Vindman"), titles, doubled hover-card text, trailing small
words, firms' suffixes, descriptors; and the cheap relabelling a span's own words allow
(a currency is no person, "Pizza Inn" is a firm). ``index.ingest.nlp`` calls it on every
entity spaCy finds, and uses its word sets for the article-wide fixes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from index.entities import DATA, PARTICLES, is_demonym, normalize
from index.entities.names import alias_table, is_firm, nicknamed_name

#: A mention as the recogniser's fixes pass it around (ingest/nlp.py, ingest/employers.py).
class _Found(NamedTuple):
    start: int
    end: int
    text: str
    label: str
    sent_start: int
    sent_end: int


_LEAD = re.compile(r"(?:['’]s\b|(?:the|The|THE)\s|[^\w\s]|\s)+")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)+")
_WORDS = re.compile(r"\S+")
#: Where a span breaks in two: a line break, a spaced dash or bar ("Reuters — China").
_BREAK = re.compile(r"\s*\n\s*|\s+[–—|]{1,2}\s+")
_URL = re.compile(r"\s/\s|/\S|www\.|https?:")
_TRAIL_LOWER = re.compile(r"(?:\s+[a-z]+)+$")
_TRAIL_SMALL = re.compile(
    r"(?:\s+(?:in|and|of|the|for|to|at|on|by|with|from|as|is|was|doesn|don|didn|isn|wasn|aren"
    r"|weren|won|wouldn|couldn|shouldn|hasn|haven|hadn|can))+$"
)
_NAMED_ONLY = frozenset({"PERSON", "GPE", "NORP"})
#: "Merrill Lynch and Co" is one firm, not two names.
_FIRM_WORDS = frozenset({"Co", "Co.", "Company", "Sons", "Son", "Partners", "Associates", "Cie"})
_SCORE = re.compile(r"\s+\d+\s*-\s*\d+$")
#: Degrees after a person's name ("Regina Benjamin, MD") are not entities.
_DEGREES = frozenset({"MD", "M.D.", "PhD", "Ph.D.", "MBA", "M.B.A.", "DDS", "Esq", "Esq."})
#: Lowercase even in title case: "Lohan Checks into Betty Ford".
_SMALL_WORDS = frozenset(
    [
        "into",
        "with",
        "from",
        "over",
        "after",
        "about",
        "than",
        "that",
        "this",
        "upon",
        "onto",
        "amid",
        "near",
    ]
)
_ALNUM = re.compile(r"\w")
#: Two names run together: "Philly and Cheeks", "Computerworld - Microsoft".
_JOINED = re.compile(r"\s+(?:and|&|-)\s+")
_HEADLINE_WORDS = re.compile(r"(?<![\w'’])[^\W\d_][\w'’-]{3,}")
#: Abbreviations whose dot belongs to a name's last word ("Acme Inc.", "Martin Luther King Jr.").
_ABBREVIATIONS = frozenset(
    [
        "inc",
        "corp",
        "co",
        "cos",
        "ltd",
        "plc",
        "llc",
        "jr",
        "sr",
        "bros",
        "st",
        "mt",
        "ft",
        "dept",
        "univ",
        "assn",
        "intl",
        "pty",
        "ave",
        "blvd",
        "ala",
        "ariz",
        "ark",
        "calif",
        "colo",
        "conn",
        "del",
        "fla",
        "ga",
        "ill",
        "ind",
        "kan",
        "ky",
        "la",
        "mass",
        "md",
        "mich",
        "minn",
        "miss",
        "mo",
        "mont",
        "neb",
        "nev",
        "okla",
        "ore",
        "pa",
        "tenn",
        "tex",
        "va",
        "vt",
        "wash",
        "wis",
        "wyo",
    ]
)
#: Names that end in a possessive: the "'s" stays.
_POSSESSIVE_NAMES = frozenset(
    [
        "moody",
        "mcdonald",
        "macy",
        "sotheby",
        "christie",
        "lloyd",
        "wendy",
        "denny",
        "domino",
        "kohl",
        "lowe",
        "sainsbury",
        "dillard",
        "applebee",
        "hardee",
        "carl",
        "friendly",
    ]
)
#: Lowercase words that belong inside names ("Bank of England", "Tour de France", "Mohammed
#: bin Salman"): the particles an acronym skips, and more.
_PARTICLES = PARTICLES | frozenset(
    "della dos das do les den ter al el bin ibn bint ben e upon by with from over under".split()
)
_DESCRIBED = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
#: Labels whose spans lose leading non-name words at a sentence start (a title of a work or
#: an event may start with any word).
_LEAD_LABELS = _DESCRIBED
#: A lowercase letter (or a dot) run into a capital: where a hover card's copy of a name starts.
_GLUED = re.compile(r"(?<=[a-z.])(?=[A-Z])")
#: Currency words: "U.S. Dlrs", "Canadian Dollars" are amounts, not people.
_CURRENCIES = frozenset(
    "dlrs dlr dollars francs lire pesos pounds stg cts cents rupees euros guilders pesetas"
    " schillings kronor kroner riyals roubles rubles ringgit dinars".split()
)  # not "yen", "yuan", "rand": names too (Robert Yen, the Executive Yuan)
#: Last words of a firm's or a body's name: never a person's ("Pizza Inn", "ICI Pharma").
_ORG_HEADS = frozenset(
    "inn pharma pharmaceuticals corp corporation inc co ltd plc llc ag sa nv gmbh bancorp bank"
    " group holdings airlines airways industries motors systems technologies petroleum foods"
    " stores securities insurance resources mining steel chemical chemicals communications"
    " electronics entertainment laboratories labs railroad railway railways trust association"
    " commission committee ministry department university college institute hospital"
    " party council agency exchange".split()
)
_QUOTE = re.compile(r'["“”]')
#: A first name and the opening of a nickname, right before a span: 'Vincent "The '.
_NICKNAME_OPEN = re.compile(r'(?<![\w.])(?!(?:The|A|An)\s)[A-Z][\w.]*\s+["“](?:[A-Za-z]+\s+){0,3}$')
#: A comma between two names in one span.
_COMMA = re.compile(r"\s*,\s*")
_AND = re.compile(r"\s(?:and|&)\s")
_NAME_GOES_ON = re.compile(r",?\s+(?:and|&)\s+[A-Z]")
#: What follows a name after a comma and belongs to it: "King, Jr.", "Rose, M.D.".
_AFTER_COMMA = frozenset(
    "jr sr ii iii iv md m.d phd ph.d esq dds mba inc ltd llc plc co corp".split()
)
#: Last words of a product model: "MacBook Pro" is no person.
_MODEL_WORDS = frozenset({"pro", "max", "mini", "plus", "ultra"})


@lru_cache(maxsize=1)
def _titles() -> frozenset[str]:
    text = (DATA / "titles.txt").read_text(encoding="utf-8")
    return frozenset(
        w.strip().lower().rstrip(".") for w in text.splitlines() if w.strip() and w[0] != "#"
    )


@lru_cache(maxsize=1)
def _lead_words() -> frozenset[str]:
    text = (DATA / "lead-words.txt").read_text(encoding="utf-8")
    return frozenset(w.strip().lower() for w in text.splitlines() if w.strip() and w[0] != "#")


@lru_cache(maxsize=1)
def _not_names() -> frozenset[str]:
    text = (DATA / "not-names.txt").read_text(encoding="utf-8")
    return frozenset(w.strip().lower() for w in text.splitlines() if w.strip() and w[0] != "#")


def _clean(text: str, s: int, e: int, label: str) -> list[tuple[int, int, str]]:
    """The name inside an entity span: one line, no stray words or punctuation."""
    if _BREAK.search(text, s, e) is None:
        if _URL.search(text, s, e) is not None:
            return []
        return _trim(text, s, e, label)
    out = []
    pos = s
    for brk in _BREAK.finditer(text, s, e):
        out += _trim(text, pos, brk.start(), label)
        pos = brk.end()
    out += _trim(text, pos, e, label)
    # Keep the name-like pieces.
    return [
        (a, b, lb)
        for a, b, lb in out
        if (text[a].isupper() or text[a].isdigit()) and _URL.search(text, a, b) is None
    ]


def _trim(
    text: str, s: int, e: int, label: str, lists: bool = True
) -> list[tuple[int, int, str]]:
    m = _LEAD.match(text, s, e)
    if m:
        s = m.end()
    e = _undouble(text, s, e)
    while e > s:
        c = text[e - 1]
        if c.isalnum():
            if (c == "s" or c == "S") and e - s > 2 and text[e - 2] in "'’":
                if text[s : e - 2].rsplit(None, 1)[-1].lower() in _POSSESSIVE_NAMES:
                    break  # "Moody's", "McDonald's"
                e -= 2  # possessive
                continue
            if (c == "s" or c == "S") and e - s > 4 and text[e - 3 : e - 1] in ("' ", "’ "):
                if text[s : e - 3].rsplit(None, 1)[-1].lower() in _POSSESSIVE_NAMES:
                    break
                e -= 3  # "Gray ’ s": a possessive as tokenised text writes it
                continue
            break
        if c == "." and _keeps_dot(text, s, e):
            break
        if c == ")" and text.count("(", s, e) >= text.count(")", s, e):
            break
        e -= 1
    if e <= s:
        return []
    quote = _QUOTE.search(text, s, e)
    if quote is not None and quote.start() > s and _QUOTE.search(text, quote.end(), e) is None:
        # One quote mark inside: spaCy's span opens a quoted name ('Mark “Deep Throat') or
        # starts inside a nickname ('Vincent "The Chin" Gigante' seen as 'Chin" Gigante'):
        # the name is what follows it, and after a nickname it is a person's.
        after = _WORDS.search(text, quote.end(), e)
        mark = quote.group()
        closing = mark == "”" or (mark == '"' and not text[quote.start() - 1].isspace())
        line = text.rfind("\n", 0, s) + 1
        if after is not None and after.group()[0].isupper():
            if not closing:
                return _trim(text, after.start(), e, label, lists)
            if _NICKNAME_OPEN.search(text, max(line, s - 40), s) is not None:
                return _trim(text, after.start(), e, "PERSON", lists)
    if "(" in text[s:e]:
        return _split_parenthesis(text, s, e, label)
    if lists and "," in text[s:e]:
        parts = _listed(text, s, e)
        if parts is not None:
            return [x for a, b in parts for x in _trim(text, a, b, label)]
    if text[s:e].islower() and (label == "PERSON" or " " not in text[s:e]):
        return []  # "dlrs vs", "cts": lowercase words are not names ("the foreign ministry" is)
    if text[s:e].lower() in _not_names():
        return []  # a table's label ("Revs", "Avg"), not a name
    if text[e - 1].isdigit():
        score = _SCORE.search(text, s, e)  # "Evansville 51-50", "Bengals 13 - 10"
        if score is not None and score.start() > s:
            e = score.start()
    elif label in _DESCRIBED and text[e - 1].islower():
        # "Thompson in", "Ross doesn": a name does not end in a small word; a person's or
        # a place's name does not end in any lowercase word.
        tail = (_TRAIL_LOWER if label in _NAMED_ONLY else _TRAIL_SMALL).search(text, s, e)
        if tail is not None and tail.start() > s:
            e = tail.start()
    if label in _DESCRIBED and " " in text[s:e]:
        s, label = _drop_descriptor(text, s, e, label)
    if " " in text[s:e]:
        return _relabel(text, s, e, label)
    return [(s, e, label)]


def _undouble(text: str, s: int, e: int) -> int:
    """The end of the first copy of a name a web page's hover card doubled: "Ilhan OmarIlhan
    Omar" (the link's text run into the card's heading) -> "Ilhan Omar"; "Ilhan Omar Ilhan Omar"
    too."""
    span = text[s:e]
    for glue in _GLUED.finditer(span):
        left, right = span[: glue.start()], span[glue.start() :]
        if len(right) > 1 and f" {right}" in f" {left}":  # the copy, or its start
            return s + len(left)
    words = span.split()
    half = len(words) // 2
    if half >= 2 and len(words) % 2 == 0 and words[:half] == words[half:]:  # not "Mourad Mourad"
        return s + span.index(words[half - 1]) + len(words[half - 1])
    return e


def _cut_lead(text: str, s: int, e: int) -> int:
    """The start of a span at a sentence's start without its leading words that are never
    part of a name there: "Questioning Vindman" -> "Vindman", "Later Tim Cook" -> "Tim Cook"."""
    words = _lead_words()
    while True:
        word = _WORDS.match(text, s, e)
        if word is None or word.end() >= e:
            return s
        if word.group().rstrip(",").lower() not in words:
            return s
        after = _WORDS.search(text, word.end(), e)
        if after is None or not after.group()[:1].isupper():
            return s
        s = after.start()


def _relabel(text: str, s: int, e: int, label: str) -> list[tuple[int, int, str]]:
    """Labels that the span's last word rules out: a currency is no person ("U.S. Dlrs" ->
    "U.S."), a firm's or a body's head word makes an ORG ("Pizza Inn", "ICI Pharma"), a model
    word a product ("MacBook Pro")."""
    head_at = text.rfind(" ", s, e) + 1
    head = text[head_at:e].rstrip(".").lower()
    if head in _CURRENCIES:
        rest = text[s:head_at].rstrip()
        if not rest:
            return []
        if label == "PERSON":
            label = "NORP" if is_demonym(normalize(rest)) else "GPE"
        return [(s, s + len(rest), label)]
    if label == "PERSON":
        if head in _ORG_HEADS:
            label = "ORG"
        elif head in _MODEL_WORDS:
            label = "PRODUCT"
    return [(s, e, label)]


def _listed(text: str, s: int, e: int) -> list[tuple[int, int]] | None:
    """The names of a span that lists them, one per comma: "Orange, Riverside" (two counties),
    "Hulu, Apple TV" (two services). None for a name with a comma in it: a firm ("Birr, Wilson
    and Co.", "Acme Group, Inc."), a list inside a name ("Bureau of Alcohol, Tobacco, Firearms
    and Explosives"), a generation or degree ("King, Jr.", "Rose, M.D."), a known name
    ("Washington, D.C.")."""
    span = text[s:e]
    if is_firm(span) or normalize(span) in alias_table()[1] or _NAME_GOES_ON.match(text, e):
        return None  # "Goldman, Sachs| and Co": spaCy cut the firm's name short
    parts = []
    pos = s
    for comma in _COMMA.finditer(text, s, e):
        parts.append((pos, comma.start()))
        pos = comma.end()
    parts.append((pos, e))
    if _AND.search(text, *parts[-1]) is not None:
        return None
    for a, b in parts:
        if b - a < 2 or not text[a].isupper() or text[a:b].rstrip(".").lower() in _AFTER_COMMA:
            return None
    # "Kidder, Peabody Mortgage Assets Trust Five" where the text also writes "Kidder, Peabody
    # and Co": the two names are one firm's.
    second = _WORDS.match(text, parts[1][0], parts[1][1])
    pair = re.escape(text[parts[0][0] : parts[0][1]]) + r",\s*" + re.escape(second.group())
    if re.search(pair + r",?\s+(?:and|&)\s+[A-Z]", text) is not None:
        return None
    return parts


def _keeps_dot(text: str, s: int, e: int) -> bool:
    """ "U.S.", "D.C.", "Inc.", "Jr." keep their final dot; a sentence's full stop does not."""
    word_start = text.rfind(" ", s, e) + 1 or s
    word = text[max(word_start, s) : e]
    return bool(_INITIALS.fullmatch(word)) or word[:-1].lower() in _ABBREVIATIONS


def _split_parenthesis(text: str, s: int, e: int, label: str) -> list[tuple[int, int, str]]:
    """ "East Turkestan Islamic Movement (ETIM)" tagged as one: the name and the acronym; but
    "Kimani (Kiki) Gray" is one name, a person's whatever spaCy called it."""
    if nicknamed_name(text[s:e]) is not None:
        return [(s, e, "PERSON")]
    open_at = text.index("(", s, e)
    close_at = text.find(")", open_at, e)
    # The name before an acronym is one name, commas and all: "SysAdmin, Audit, Network,
    # Security (SANS)".
    out = _trim(text, s, open_at, label, lists=False) if open_at > s else []
    inner_end = close_at if close_at != -1 else e
    if inner_end > open_at + 1:
        out += _trim(text, open_at + 1, inner_end, label)
    return out


def _drop_descriptor(text: str, s: int, e: int, label: str) -> tuple[int, str]:
    """Drop what precedes the name: "Kazakh counterpart Beibut Atamkulov" -> "Beibut
    Atamkulov" (after the last lowercase word), "President Barack Obama" -> "Barack Obama"."""
    words = [(m.start(), m.group()) for m in _WORDS.finditer(text, s, e)]
    cut = 0
    for i, (_, w) in enumerate(words[:-1]):
        if w.islower() and w.isalpha() and w not in _PARTICLES and words[i + 1][1][:1].isupper():
            cut = i + 1
    if label == "PERSON":
        titles = _titles()
        while cut < len(words) - 1 and words[cut][1].lower().rstrip(".") in titles:
            cut += 1
    if cut:
        return words[cut][0], label
    return s, label
