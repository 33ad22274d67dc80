"""Provides the direct quotations an article attributes to an entity, and ``roles_and_quotes``,
which finds both for many articles with their sentences parsed in batches.

Only the sentences that can hold a quotation of the entity are parsed, in one ``nlp.pipe`` batch,
and remembered for the next call.

Why not textacy's ``direct_quotations``: it gives up on a whole document when one quotation
mark is unbalanced, takes the grammatical subject as the speaker (so "Xinhua quoted Huang Ming
as saying" goes to Xinhua), resolves no pronoun and links no entity, needs the whole article
parsed, and would bring scikit-learn, scipy, networkx and floret along. The reporting-verb list
and the "nearest cue outside the quotation" idea are borrowed from it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING, Any, NamedTuple

from index.analysis.marks import Marks, quotations, trim, worth_quoting
from index.analysis.parse import Window, coarse_pos, parse_window, prefetch
from index.analysis.roles import role_windows, roles
from index.sentences import covering, sentence_at, sentences
from index.words import words
from index.models import Mention, Quote, Role

if TYPE_CHECKING:  # pragma: no cover - typing only
    from index.analysis.parse import Token

__all__ = ["article_quotes", "quotes", "roles_and_quotes"]


# --- words -----------------------------------------------------------------------------------
#: Reporting-verb forms the rules below cannot make (the bases are in data/speech-verbs.txt).
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


def _speech_forms() -> dict[str, str]:
    forms = dict(_IRREGULAR)
    for base in words("speech-verbs.txt"):  # after textacy's list, less the mental verbs
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
            texts += [text[s:e] for _, s, e in role_windows(text, mentions, spans)]
            marks = quotations(text)
            planned = _quote_plan(text, marks, spans, _concerns(text, mentions)) if marks else []
            texts += [text[spans[p.first][0] : spans[p.last][1]] for p in planned if p.read]
        prefetch(nlp, texts)
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
    marks = quotations(text)
    if not marks:
        return []
    spans = sentences(text)
    ments = sorted(all_mentions, key=lambda m: m.start)
    planned = _quote_plan(text, marks, spans, wanted)
    prefetch(nlp, (text[spans[p.first][0] : spans[p.last][1]] for p in planned if p.read))
    chain = _chains(text, planned)
    found: list[Quote] = []
    got: dict[int, Quote] = {}  # planned index -> its attributed quote
    for i, (q, start, end, first, last, read) in enumerate(planned):
        if not read:
            found.append(Quote("", "", article, start, end, "", _UNREAD, q.open, q.open))
            continue
        para = _line_start(text, planned[chain[i]].marks.open)
        quote = _attribute(
            text, q, start, end, marks, (first, last), spans, ments, found, nlp, article, para
        )
        if quote is None and chain[i] != i:
            quote = _carried(text, start, end, got.get(i - 1), article)
        if quote is None:
            quote = _continuation(text, q, start, end, found, article)
        if quote is not None:
            found.append(quote)
            got[i] = quote
    # Earlier paragraphs of a quotation over paragraphs take the speaker its last one names.
    for i in range(len(planned) - 1, -1, -1):
        if i not in got and planned[i].read and i + 1 in got and chain[i + 1] == chain[i]:
            p = planned[i]
            got[i] = _carried(text, p.start, p.end, got[i + 1], article)  # type: ignore[assignment]
            found.append(got[i])
    found.sort(key=lambda q: q.start)
    return [q for q in found if q.entity != _UNREAD]


def _chains(text: str, planned: list[_Planned]) -> list[int]:
    """For each planned quotation, the index of the first paragraph of the quotation over
    paragraphs it belongs to (its own index when it stands alone): a paragraph that opens a
    mark and does not close it runs on into the next paragraph, which opens one."""
    out: list[int] = []
    for i, p in enumerate(planned):
        prev = planned[i - 1] if i else None
        joined = (
            prev is not None
            and prev.marks.open_ended
            and not text[prev.marks.close : p.marks.open].strip()
        )
        out.append(out[i - 1] if joined else i)
    return out


def _carried(
    text: str, start: int, end: int, other: Quote | None, article: str
) -> Quote | None:
    """A paragraph of a quotation over paragraphs, said by whoever another paragraph names."""
    if other is None:
        return None
    return Quote(
        text[start:end],
        other.speaker,
        article,
        start,
        end,
        other.cue,
        other.entity,
        other.speaker_start,
        other.speaker_end,
    )


class _Planned(NamedTuple):
    marks: Marks
    start: int  # the quoted text, trimmed
    end: int
    first: int  # the sentences its cue may be in
    last: int
    read: bool  # False: cannot concern the entity asked about, left unparsed


def _quote_plan(
    text: str,
    marks: list[Marks],
    spans: list[tuple[int, int]],
    wanted: Callable[[int, int], bool] | None,
) -> list[_Planned]:
    planned = []
    for q in marks:
        start, end = trim(text, q.open + 1, q.close)
        if start >= end or not worth_quoting(text[start:end]):
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


def _quote_window(text: str, q: Marks, spans: list[tuple[int, int]]) -> tuple[int, int]:
    """The sentences (first, last) a quotation's cue can be in: its own, the next one on its
    line ('"...!" Wang said.' split by the rules), the one before if it ends with a colon."""
    first, last = covering(spans, q.open, q.close + 1)
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
    q: Marks,
    start: int,
    end: int,
    marks: list[Marks],
    window: tuple[int, int],
    spans: list[tuple[int, int]],
    ments: list[Mention],
    prior: list[Quote],
    nlp: Any,
    article: str,
    para: int | None = None,
) -> Quote | None:
    first, last = window
    win = parse_window(nlp, text, spans[first][0], spans[last][1])
    cue = _find_cue(win, q, marks)
    if cue is None:
        return None
    speaker = _speaker(win, cue.speaker, text, q, marks, ments, prior, para)
    if speaker is None:
        return None
    name, s_start, s_end, entity = speaker
    return Quote(text[start:end], name, article, start, end, cue.text, entity, s_start, s_end)


def _inside(pos: int, marks: Iterable[Marks]) -> bool:
    return any(m.open <= pos <= m.close for m in marks)


def _find_cue(win: Window, q: Marks, marks: list[Marks]) -> _Cue | None:
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
    if lemma is None or (coarse_pos(tok) not in ("VERB", "AUX") and lemma != "according"):
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
    if verb is not tok and tok.lower_.endswith("ing") and _SPEECH.get(verb.lower_):
        return _Cue(tok, subject, f"{_verb_phrase(verb)}, {tok.text}")  # "said, adding"
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
    win: Window,
    tok: Token,
    text: str,
    q: Marks,
    marks: list[Marks],
    ments: list[Mention],
    prior: list[Quote],
    para: int | None = None,
) -> tuple[str, int, int, str] | None:
    """(surface, start, end, entity id) of the speaker token, or None when unsafe."""
    if any(c.dep_ == "conj" for c in tok.children):
        return None  # a joint statement: no one speaker to credit
    pos = win.at(tok)
    m = _mention_at(ments, pos)
    if m is not None:
        return m.text, m.start, m.end, m.entity
    if tok.lower_ in _PERSONAL:
        return _pronoun(tok.text, pos, text, q, marks, ments, prior, para)
    if coarse_pos(tok) == "PRON":
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
    q: Marks,
    marks: list[Marks],
    ments: list[Mention],
    prior: list[Quote],
    para: int | None = None,
) -> tuple[str, int, int, str] | None:
    """Resolve "he"/"she" to a person and "it" to an organisation, only when nothing else could
    be meant: the last speaker in this or the previous paragraph with no rival named since, or
    else the only person (organisation) named in the last sentence of this paragraph naming
    one, or (none named here) of the previous paragraph. ``para`` is where the paragraph
    starts (a quotation over paragraphs: its first)."""
    para = _line_start(text, q.open) if para is None else para
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
    if not named and previous < para:
        named = [  # '..., Funaro said.' then '..., he said, adding "..."'
            m
            for m in ments
            if previous <= m.start < para and m.label == wanted and not _inside(m.start, marks)
        ]
    if not named:
        return None
    spans = sentences(text)
    s, e = spans[sentence_at(spans, named[-1].start)]
    if len({m.entity for m in named if s <= m.start < e}) == 1:
        return word, pos, pos + len(word), named[-1].entity
    return None


def _continuation(
    text: str, q: Marks, start: int, end: int, prior: list[Quote], article: str
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
