"""Provides propagation: a name the recogniser found once is a mention wherever the library
writes it, spaCy's recall made whole.

A name (a mention's text, with the label most of its mentions carry) is looked for in every
article: capitalised as found, at word boundaries, not inside a longer capitalised name, not in
a title-case headline and at a sentence's start, one word counts only in an article where spaCy
found it too (or a person of that surname), and at a sentence's start only if the article never
writes it in lowercase ("Turkey" in a recipe, "New crop sales"). What it finds is stored like spaCy's mentions, marked as spread.

``spread`` does it for texts in memory (the benchmarks); ``run`` does it for a library as a pass
at the end of an import: it first notes, in one transaction, which names came or went since the
last pass and which articles hold them (beside the articles the import wrote), then redoes those
articles in batches, each batch one transaction that also clears its articles' marks. A kill at
any moment leaves marks that the next run (or the next opening of the library) finishes.
"""

from __future__ import annotations

import bisect
import dataclasses

import re
from collections.abc import Callable, Iterable, Iterator, Sequence

from index.entities import local_keys
from index.ingest.nlp import RawMention, _is_headline, _verb_like
from index.ingest.spans import _lead_words, _not_names, _titles
from index.models import ENTITY_LABELS

__all__ = ["Names", "find", "library_names", "run", "spread"]

#: Articles redone per write transaction.
BATCH = 500
#: A capitalised word (or an acronym, "U.S."): where a name may start.
_CAPITAL = re.compile(r"(?<![\w'’.-])[A-Z][\w]*")
#: A character that makes a name found in a text part of a longer word (before it, after it).
_WORD_BEFORE = re.compile(r"[\w'’.-]")
_WORD_AFTER = re.compile(r"\w")
#: A capitalised word right after a name: the name is part of a longer one ("Cook County").
_NEXT_CAPITAL = re.compile(r"[ \t]+(?:[A-Z]|&)")
_PREVIOUS_WORD = re.compile(r"([\w.'’&-]+)[ \t]+$")
#: Where a sentence ends: its punctuation, closing quotes, then space.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+")
_OPENING = "\"'“‘([«"
_LABELS = frozenset(ENTITY_LABELS)
#: Words whose capitalised form is a sentence's start or a title, never a name by itself.
_SMALL = frozenset(
    "a an the i he she it we they you his her its our their my your this that these those there"
    " here what who when where why how which mr mrs ms dr".split()
)

#: Words spaCy sometimes calls a name by themselves but that are a longer name's part or an
#: ordinary word capitalised ("Federal funds", "the Bank", "Western countries").
_GENERIC = frozenset(
    "new central federal national international western eastern northern southern republic"
    " fund bank state states group company union general united world people news health tv"
    " january february march april may june july august september october november december"
    " monday tuesday wednesday thursday friday saturday sunday".split()
)
#: A line holding a web address: its words are a path, not prose.
_URL_LINE = re.compile(r"://|www\.|\.(?:com|org|net|html?|php|aspx?)\b")


class Names:
    """The library's names (text -> label) ready to be looked for: by their first word."""

    def __init__(self, names: dict[str, str]) -> None:
        self.labels = {t: lb for t, lb in names.items() if eligible(t)}
        first: dict[str, list[str]] = {}
        for text in self.labels:
            m = _CAPITAL.match(text)
            if m is not None:
                first.setdefault(m.group(), []).append(text)
        for texts in first.values():
            texts.sort(key=len, reverse=True)  # the longest name first
        self.first = first

    def __len__(self) -> int:
        return len(self.labels)

    def __contains__(self, text: object) -> bool:
        return text in self.labels


def eligible(text: str) -> bool:
    """Whether a mention's text is worth looking for everywhere."""
    if not text or not text[0].isupper() or "\n" in text or len(text) > 80:
        return False
    words = text.split()
    if any(w.isdigit() for w in words):
        return False  # "Feb 25", "Boeing 747": a date or a number is too
    if len(words) == 1:
        word = text.rstrip(".").lower()
        if len(text) < 3 and not text.isupper():
            return False
        if (
            word in _SMALL
            or word in _GENERIC
            or word in _not_names()
            or word in _lead_words()
            or word in _titles()
        ):
            return False
    return not text.islower()


def library_names(rows: Iterable[tuple[str, str, int]]) -> dict[str, str]:
    """The label most mentions of each text carry, from (text, label, count) rows."""
    best: dict[str, tuple[int, str]] = {}
    for text, label, count in rows:
        if label not in _LABELS:
            continue
        have = best.get(text)
        if have is None or (count, label) > have:
            best[text] = (count, label)
    return {t: lb for t, (_, lb) in best.items()}


def names_of(found: Iterable[Sequence[RawMention]]) -> dict[str, str]:
    """``library_names`` of texts' mentions in memory."""
    counts: dict[tuple[str, str], int] = {}
    for ms in found:
        for m in ms:
            counts[(m.text, m.label)] = counts.get((m.text, m.label), 0) + 1
    return library_names((t, lb, n) for (t, lb), n in counts.items())


def find(
    text: str,
    taken: Sequence[tuple[int, int]],
    names: Names,
    own: frozenset[str] | set[str] = frozenset(),
) -> list[RawMention]:
    """The names of ``names`` written in ``text`` outside the spans ``taken`` (sorted), as
    mentions without keys. ``own``: the names spaCy found in this text; only those are taken
    as one word at a sentence's start ("New crop sales", "Central bank governor" are not)."""
    if not names.first:
        return []
    out: list[RawMention] = []
    spans = sorted(taken)
    k = 0
    lower: set[str] | None = None
    headlines: dict[int, bool | None] = {}  # line start -> a title (None: a web address)
    pos_end = 0
    for cap in _CAPITAL.finditer(text):
        pos = cap.start()
        if pos < pos_end:
            continue
        candidates = names.first.get(cap.group())
        if candidates is None:
            continue
        while k < len(spans) and spans[k][1] <= pos:
            k += 1
        for name in candidates:
            end = pos + len(name)
            if not text.startswith(name, pos):
                continue
            if end < len(text) and (text[end].isalnum() or text[end] == "_"):
                continue
            if k < len(spans) and spans[k][0] < end:
                break  # spaCy's mention is there
            line = text.rfind("\n", 0, pos) + 1
            headline = headlines.get(line)
            if headline is None:
                line_end = text.find("\n", line)
                if _URL_LINE.search(text, line, line_end if line_end != -1 else len(text)):
                    headline = headlines[line] = None  # an address: nothing here
                else:
                    headline = headlines[line] = _is_headline(text, line)
            if headline is None:
                break
            one_word = " " not in name
            if headline:
                # every word of a title is capitalised: trust only the article's own names
                if one_word and name not in own:
                    break
            elif _NEXT_CAPITAL.match(text, end) is not None:
                break  # part of a longer name
            start_of_sentence = _at_sentence_start(text, pos)
            if not start_of_sentence and not headline and _after_name(text, pos):
                break
            if one_word and start_of_sentence:
                if name not in own and not name.isupper():
                    break
                if lower is None:
                    lower = _lowercase_words(text)
                if name.lower() in lower:
                    break  # a common word at a sentence's start
            ss, se = _sentence(text, pos, end)
            out.append(RawMention(pos, end, name, names.labels[name], ss, se, ""))
            pos_end = end
            break
    return out


def _lowercase_words(text: str) -> set[str]:
    """The words the text writes in lowercase, its web addresses left out: a page's
    ".../chargers/2009-williams-arrested" does not make "Chargers" a common word."""
    lines = text.split("\n")
    prose = "\n".join(line for line in lines if not _URL_LINE.search(line))
    return set(re.findall(r"\b[a-z][a-z'’-]+\b", prose))


def _at_sentence_start(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and (text[i] in " \t" or text[i] in _OPENING):
        i -= 1
    return i < 0 or text[i] in ".!?:;\n—–-|"


def _after_name(text: str, pos: int) -> bool:
    """Whether a capitalised word that is no title precedes ``pos`` in the same sentence: the
    name found is the tail of a longer one ("Jeff Cook" when only "Cook" is known)."""
    m = _PREVIOUS_WORD.search(text, max(0, pos - 40), pos)
    if m is None:
        return False
    word = m.group(1)
    if not word[:1].isupper() or word.rstrip(".").lower() in _titles() or word.lower() in _SMALL:
        return False  # "President Cook", "The Colts"
    # "Hosting Cook", "Then Tim Cook": a sentence's first word that is no name
    lead = word.lower() in _lead_words() or _verb_like(word)
    return not (lead and _at_sentence_start(text, m.start(1)))


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around a span, clipped to its line."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end == -1:
        line_end = len(text)
    ss = line_start
    for m in _SENTENCE_END.finditer(text, line_start, start):
        ss = m.end()
    m = _SENTENCE_END.search(text, end, line_end)
    se = m.start() + 1 if m is not None else line_end
    return ss, max(se, end)


def merge(text: str, found: Sequence[RawMention], names: Names) -> list[RawMention]:
    """An article's mentions with the names spread into it, every key worked out again (a
    surname spread into the text joins the full name there)."""
    return _with(text, found, find(text, [(m.start, m.end) for m in found], names, _own(found)))


def _with(text: str, found: Sequence[RawMention], added: list[RawMention]) -> list[RawMention]:
    every = sorted([*found, *added], key=lambda m: m.start)
    keys = local_keys(text, every)
    return [
        RawMention(m.start, m.end, m.text, m.label, m.sent_start, m.sent_end, key)
        for m, key in zip(every, keys)
    ]


def _own(found: Sequence[RawMention]) -> set[str]:
    """The names spaCy found in a text, and the surnames of its people ("Manning" where it
    found "Peyton Manning")."""
    own = {m.text for m in found}
    own.update(m.text.rsplit(" ", 1)[1] for m in found if m.label == "PERSON" and " " in m.text)
    return own


def spread(texts: Sequence[str], found: Sequence[Sequence[RawMention]]) -> list[list[RawMention]]:
    """Every text's mentions with the names found in any of them spread into all."""
    names = Names(names_of(found))
    return [merge(text, ms, names) for text, ms in zip(texts, found)]


def spread_into(
    text: str, found: list[tuple], names: Names, place: str
) -> tuple[list[tuple], set[int]]:
    """A new article's mention rows (start, end, text, label, sent_start, sent_end, key) with
    ``names`` (the library's, as its last pass spread them) spread into it, as the pass does
    it, and the starts of those found so. The article is then like every other the pass did:
    redone only if it writes a name that pass changes."""
    raw = sorted((RawMention(*m) for m in found), key=lambda m: m.start)
    added = find(text, [(m.start, m.end) for m in raw], names, _own(raw))
    if not added:
        return found, set()
    rows = _placed(_with(text, raw, added), place)
    spacy = {m.start for m in raw}
    return (
        [(m.start, m.end, m.text, m.label, m.sent_start, m.sent_end, m.key) for m in rows],
        {m.start for m in rows if m.start not in spacy},
    )


# --- the pass over a library -----------------------------------------------------------------
def run(store, may_write: Callable[[set[str]], Iterable[str] | None] | None = None) -> int:
    """Spread the library's names into the articles that need it (see the module's doc); returns
    how many articles were redone. Call it holding the import lock.

    ``may_write(names)``, when given, names the articles that may write any of ``names`` (the
    search index's ids, a superset), or None: only those, and the articles the index does not
    hold yet, are read for the names that came or went, not every text of the library."""
    from index.store import spread as sql

    db = store.db
    names = library_names(sql.name_rows(db))
    before = sql.spread_names(db)
    changed = {t for t in names.keys() | before.keys() if names.get(t) != before.get(t)}
    changed = {t for t in changed if eligible(t)}
    if changed or names != before:
        holding = Names(dict.fromkeys(changed, "")) if changed else None
        with store.write() as w:
            if holding is not None:
                ids = may_write(changed) if may_write is not None else None
                texts = sql.unmarked_texts(w) if ids is None else sql.texts_among(w, ids)
                sql.mark(w, _holding(texts, holding, lambda rowid: sql.spacy_spans(w, rowid)))
            sql.set_names(w, names)
    look = Names(names)
    done = 0
    while True:
        batch = sql.marked(db, BATCH)
        if not batch:
            return done
        with store.write() as w:
            for rowid in batch:
                text, rows, spread_before = sql.found(w, rowid)
                found = [RawMention(*r) for r in rows]
                added = find(text, [(m.start, m.end) for m in found], look, _own(found))
                if added or spread_before:  # else its mentions stay as the import wrote them
                    rows = _placed(_with(text, found, added), sql.place(w, rowid))
                    sql.replace(w, rowid, rows, {m.start for m in found})
            sql.unmark(w, batch)
            store.set_meta(w, "entities_stale", "1")
        done += len(batch)


def _placed(mentions: list[RawMention], place: str) -> list[RawMention]:
    """The generic institutions keyed by their country, as relinking keys them (and the
    import did): an article's keys do not change back and forth, nor is it indexed twice."""
    from index.entities.institutions import placed

    keys = placed(mentions, [m.key for m in mentions], place)
    return [m if m.key == k else dataclasses.replace(m, key=k) for m, k in zip(mentions, keys)]


def _holding(
    texts: Iterable[tuple[int, str]], names: Names,
    spans: Callable[[int], list[tuple[int, int]]] | None = None,
) -> Iterator[int]:
    """Rowids of the texts that write any of ``names`` as whole words where ``find`` may find
    them: outside the ``spans`` (rowid -> sorted (start, end)) of the names spaCy found in it
    (a new name is written first where spaCy found it). Every text of the library is read:
    the names are looked for all at once, with an Aho-Corasick automaton (pyahocorasick, in
    C: 4-5 times faster than a regular expression per capitalised word, 0.1 s for 19,000
    Reuters stories)."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for name in names.labels:
        automaton.add_word(name, len(name))
    if not len(automaton):
        return
    automaton.make_automaton()
    for rowid, text in texts:
        taken: list[tuple[int, int]] | None = None
        for last, size in automaton.iter(text):
            start, end = last - size + 1, last + 1
            if (start == 0 or _WORD_BEFORE.match(text, start - 1) is None) and (
                end == len(text) or _WORD_AFTER.match(text, end) is None
            ):
                if spans is not None:
                    if taken is None:
                        taken = spans(rowid)
                    i = bisect.bisect_left(taken, (end,))
                    if i and taken[i - 1][1] > start:
                        continue  # inside spaCy's own mention: find() would pass it over
                yield rowid
                break
