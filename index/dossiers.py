"""Provides Dossiers: an entity's dossier, the pinned passages and the briefing of a library
(issue 4), as a collaborator the Library holds and delegates to.

How a dossier stays fast (the target: 1 s the first time, 100 ms after):

- The counts, the timeline, who appears with the entity and its articles are SQL over the
  mentions table: no model.
- Roles and quotations need spaCy's parser. It is loaded once per process, in a background
  thread, the first time a dossier has something to analyse (the dossier shows what the cache
  has meanwhile); reading never imports spaCy otherwise.
- What the parser finds is cached per article text (the ``analysis`` table, keyed by
  ``articles.hash``) as offsets, each role or quotation anchored to the mention it belongs to.
  The entity is looked up through the mentions table when the dossier is read, so merges,
  splits and ignores do not invalidate the cache. Each row also records which mentions were
  analysed: a dossier parses only its own entity's sentences (about a fifth of an article's),
  and another entity's dossier later adds its own.
- With a time budget, the articles that mention the entity most (then the newest) are analysed
  first, and the dossier says how far it got (``Dossier.analysed`` of ``Dossier.of``); the next
  call carries on where it stopped, from the rows the first call read: a step of a big entity's
  dossier (16,523 articles for United States at 100k) costs its new articles, not its SQL again.
  The parser starts loading as soon as the first call knows it has articles to analyse, so its
  loading overlaps that call's SQL.
- Finished dossiers are kept in memory until ``relink`` bumps the ``generation`` meta value.

The SQL lives in ``index.store.dossiers``; the analysis in ``index.analysis``; the Markdown and
JSON in ``index.render``.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
import zlib
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from index import analysis
from index.analysis import (
    PARSER,
    Parser,
    first_and_last,
    roles_and_quotes,
    sentences,
    timeline,
)
from index.copies import copy_of
from index.errors import LibraryError, NotFound, ReaderError
from index.models import (
    DOSSIER_BUDGET,
    Article,
    ArticleSummary,
    Brief,
    Dossier,
    Entity,
    Mention,
    Pinned,
    Quote,
    Role,
    Source,
    Span,
)
from index.render import cited_articles, render_json, render_markdown
from index.safe import safe_line, safe_text
from index.store.dossiers import DossierStore, EntityArticle, Payload
from index.words import DATA, WORD_LISTS

if TYPE_CHECKING:  # pragma: no cover
    from index.store import Store

__all__ = ["ANALYSIS_VERSION", "COOCCURRING", "DOSSIER_BUDGET", "Dossiers"]

#: Entities kept in a dossier's "appears with" list.
COOCCURRING = 50
#: Seconds one article's analysis is expected to take before any was timed (Reuters: 5-20 ms).
_FIRST_PACE = 0.03
#: Finished dossiers kept in memory per Library.
KEPT = 64
#: Dossiers still filling in whose articles are kept between steps, per Library (United States
#: at 100k articles: 16,523 rows, 13 MB beside its dossier); each goes once complete.
FILLING = 2

_FORMAT = 1  # the payload layout (index.store.dossiers.Payload)


def _analysis_version() -> int:
    """The cache is as good as the code that filled it: any change to index/analysis/, to the
    sentence splitter or to the word lists it reads makes a new version, and rows of another
    version are analysed again (the cache is cheap to lose)."""
    files = [
        *sorted(Path(analysis.__file__).parent.glob("*.py")),
        Path(__file__).parent / "sentences.py",
        *(DATA / n for n in WORD_LISTS),
    ]
    crc = 0
    for file in files:
        crc = zlib.crc32(file.read_bytes(), crc)
    return (crc ^ _FORMAT) & 0x7FFFFFFF


ANALYSIS_VERSION = _analysis_version()


class Dossiers:
    """Dossiers, pins and briefings of one library.

    ``entity`` and ``article`` look an entity (by id, name or alias) and an article (by id) up,
    raising NotFound; ``parser`` is the parse engine (the process's one by default). State (the
    kept dossiers) is per instance and safe to share between threads.
    """

    def __init__(
        self,
        store: Store,
        *,
        entity: Callable[[str], Entity],
        article: Callable[[str], Article],
        parser: Parser = PARSER,
    ) -> None:
        self._sql = DossierStore(store)
        self._readonly = store.readonly
        self._entity = entity
        self._article = article
        self._parser = parser
        self._lock = threading.Lock()  # guards the three fields below
        self._kept: OrderedDict[tuple[str, str], Dossier] = OrderedDict()
        self._filling: OrderedDict[tuple[str, str], _Filling] = OrderedDict()
        self._citation_column_known: bool | None = None

    # --- dossiers -------------------------------------------------------------------------------
    def dossier(
        self, name: str, *, budget: float | None = DOSSIER_BUDGET, sample: int | None = None
    ) -> Dossier:
        """Everything the library knows about the entity ``name`` (its id, name or any alias).

        ``sample``: roles and quotations from at most this many of its articles, the most
        relevant first (``Dossier.analysed`` of ``Dossier.of`` says how many): a big entity's
        first screen, in a few seconds.

        ``budget`` is the seconds this call may spend on roles and quotations not analysed yet
        (the parser's loading included); ``None`` waits for all of them, 0 uses the cache
        alone. ``Dossier.analysed < Dossier.of`` says the budget ran out; call again (say from
        a worker, with ``budget=None``) to finish: the next call goes on from what this one
        read. Raises NotFound, or ModelMissing when the parser is needed and not installed.
        """
        started = time.monotonic()
        deadline = None if budget is None else started + max(0.0, budget)
        generation = self._sql.generation()
        entity = self._entity(name)
        key = (entity.id, generation)
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
        if kept is not None:
            enough = kept.of if sample is None else min(kept.of, sample)
            if kept.analysed >= enough or budget == 0:
                return kept
        made = self._make_dossier(entity, key, deadline, sample, parse=budget != 0)
        with self._lock:
            self._kept[key] = made
            self._kept.move_to_end(key)
            while len(self._kept) > KEPT:
                self._kept.popitem(last=False)
        return made

    def _make_dossier(
        self,
        entity: Entity,
        key: tuple[str, str],
        deadline: float | None,
        sample: int | None,
        *,
        parse: bool,
    ) -> Dossier:
        """One step of a dossier: what was read for it before (or is read now), and the
        analysis of its next articles, the most relevant first, until the deadline."""
        fill = self._filling_of(entity, key, deadline, parse=parse)
        try:
            enough = fill.base.of if sample is None else min(fill.base.of, sample)
            if fill.analysed < enough and (deadline is None or time.monotonic() < deadline):
                todo = fill.todo(enough - fill.analysed)
                fill.analysed_now(self._analyse(entity.id, todo, fill.payloads, deadline))
            roles, quotes = self._findings(entity.id, fill)
            made = replace(
                fill.base,
                entity=entity,
                roles=tuple(roles),
                quotes=tuple(quotes),
                analysed=fill.analysed,
            )
        finally:
            fill.lock.release()
        with self._lock:
            for other in [k for k in self._filling if k[1] != key[1]]:
                del self._filling[other]  # relinked since: read again when asked
            if made.analysed < made.of:
                self._filling[key] = fill
                self._filling.move_to_end(key)
                while len(self._filling) > FILLING:
                    self._filling.popitem(last=False)
            elif self._filling.get(key) is fill:
                del self._filling[key]  # complete: the kept dossier is all that is needed
        return made

    def _filling_of(
        self, entity: Entity, key: tuple[str, str], deadline: float | None, *, parse: bool
    ) -> _Filling:
        """The dossier's state from an earlier step, else read now; returned locked."""
        with self._lock:
            fill = self._filling.get(key)
        if fill is not None:
            wait = -1.0 if deadline is None else max(0.0, deadline - time.monotonic())
            if fill.lock.acquire(timeout=wait):
                return fill
            # another thread is on this step: this call reads its own (the old way) and shows
            # what the cache has by its deadline
        fill = self._read(entity, parse=parse)
        fill.lock.acquire()
        return fill

    def _read(self, entity: Entity, *, parse: bool) -> _Filling:
        """The SQL of a dossier, once for all its steps. When there are articles to analyse
        (and ``parse``: not the cache alone), the parser starts loading before the query of
        who appears with the entity, the longest, which leaves Python free to load it."""
        rows = self._sql.entity_articles(entity.id)
        payloads = self._sql.payloads({r.hash for r in rows}, ANALYSIS_VERSION)
        newest = sorted(rows, key=_newest_first, reverse=True)
        pending = [
            r for r in _by_relevance(newest) if not r.starts <= payloads.get(r.hash, _EMPTY).checked
        ]
        periods, undated = timeline((r.date, r.mentions) for r in rows)
        first_seen, last_seen = first_and_last(r.date for r in rows)
        articles = tuple(ArticleSummary(r.id, r.title, r.source, r.date, r.author) for r in newest)
        if pending and parse:
            self._parser.start()
        company = self._sql.cooccurring(entity.id, COOCCURRING)
        base = Dossier(
            entity=entity,
            first_seen=first_seen,
            last_seen=last_seen,
            cooccurring=tuple(company),
            timeline=tuple(periods),
            undated=undated,
            articles=articles,
            of=len(rows),
        )
        return _Filling(base, newest, pending, payloads)

    def _findings(self, entity_id: str, fill: _Filling) -> tuple[list[Role], list[Quote]]:
        """Roles and quotes of the entity from the cache, anchors read as the entity is now.
        Roles said by more articles come first; quotes come newest first."""
        found: list[Role] = []
        quotes: list[Quote] = []
        seen: set[str] = set()
        for row in sorted(fill.shown.values(), key=_newest_first, reverse=True):
            made = fill.found.get(row.rowid)
            if made is None:
                made = fill.found[row.rowid] = self._article_findings(
                    entity_id, row, fill.payloads[row.hash]
                )
            roles, said = made
            found += roles
            for words, quote in said:
                if words in seen:
                    continue  # the same words in an earlier (newer) article
                seen.add(words)
                quotes.append(quote)
        return _ranked_roles(found), quotes

    def _article_findings(
        self, entity_id: str, row: EntityArticle, payload: Payload
    ) -> tuple[list[Role], list[tuple[str, Quote]]]:
        """One article's roles and quotes of the entity (each quote with its words, to tell
        repeats apart); the text is read only when there are some."""
        roles = sorted(r for r in payload.roles if r[2] in row.starts)
        said = sorted((span, q) for span, q in payload.quotes.items() if q[2] in row.starts)
        if not roles and not said:
            return [], []
        text = self._sql.article_text(row.rowid)
        return (
            [Role(text[s:e], row.id, s, e, entity_id) for s, e, _ in roles],
            [
                (
                    " ".join(text[s:e].lower().split()),
                    Quote(text[s:e], text[ss:se], row.id, s, e, cue, entity_id, ss, se),
                )
                for (s, e), (ss, se, _, cue) in said
            ],
        )

    def _analyse(
        self,
        entity_id: str,
        pending: Iterable[EntityArticle],
        payloads: dict[str, Payload],
        deadline: float | None,
    ) -> set[str]:
        """Parse the pending articles' sentences about the entity, most relevant first, until
        the deadline; the results go into ``payloads`` and the cache table. Returns the hashes
        of the articles analysed."""
        touched: set[str] = set()
        nlp = self._parser.get(None if deadline is None else deadline - time.monotonic())
        if nlp is None:
            return touched
        wait = -1.0 if deadline is None else max(0.0, deadline - time.monotonic())
        if not self._parser.using.acquire(timeout=wait):
            return touched  # another thread is analysing: this call shows what the cache has
        fed: deque[tuple[EntityArticle, list[Mention]]] = deque()
        done: dict[str, Payload] = {}
        began = time.monotonic()
        finished = 0  # articles analysed by this call

        def items() -> Iterator[tuple[str, list[Mention], list[Mention]]]:
            for row in pending:
                if deadline is not None:
                    # The articles fed so far wait to be parsed together: stop feeding when
                    # they and this one would, at the pace so far, run past the deadline.
                    now = time.monotonic()
                    pace = (now - began) / finished if finished else _FIRST_PACE
                    if now + pace * (len(fed) + 1) > deadline:
                        return
                if row.starts <= payloads.get(row.hash, _EMPTY).checked:
                    continue  # the same text under another article id, just analysed
                text = self._sql.article_text(row.rowid)
                every = self._sql.article_mentions(row.rowid, row.id)
                own = [m for m in every if m.start in row.starts]
                fed.append((row, own))
                yield text, own, every

        try:
            batch = 16 if deadline is None else 4
            for roles, quotes in roles_and_quotes(items(), nlp, batch=batch):
                row, own = fed.popleft()
                finished += 1
                found = _payload(own, roles, quotes)
                payloads.setdefault(row.hash, Payload()).update(found)
                done.setdefault(row.hash, Payload()).update(found)
                touched.add(row.hash)
                if len(done) >= 32:
                    self._save(done)
                    done = {}
                if deadline is not None and time.monotonic() >= deadline:
                    break
        finally:
            try:
                self._save(done)
            finally:
                self._parser.using.release()
        return touched

    def _save(self, done: dict[str, Payload]) -> None:
        """Merge new findings into the cache rows, in one transaction; a read-only or busy
        library just keeps them for this call."""
        if not done or self._readonly:
            return
        try:
            self._sql.save_payloads(done, ANALYSIS_VERSION)
        except ReaderError:
            pass  # the cache is cheap to lose; the next dossier analyses these again

    # --- pins -------------------------------------------------------------------------------------
    def pin(self, article_id: str, start: int, end: int, note: str = "") -> Pinned:
        """Pin ``text[start:end]`` of an article (the sentence at the cursor, or a mention's
        sentence) to the briefing, last in order. The passage and its citation are written at
        once, in one transaction. Raises NotFound for an unknown article or offsets outside it."""
        art = self._article(article_id)
        if not 0 <= start < end <= len(art.text) or not art.text[start:end].strip():
            raise NotFound(
                f"article '{safe_line(article_id)}' has no passage at {start}-{end}"
                f" (its text has {len(art.text)} characters)"
            )
        while art.text[start].isspace():
            start += 1
        while art.text[end - 1].isspace():
            end -= 1
        passage = art.text[start:end]
        source = Source.of(art)
        made = datetime.now(UTC).isoformat(timespec="seconds")
        note = safe_text(note).strip()
        cited = self._citation_column()
        pin_id = self._sql.add_pin(
            art.id, start, end, passage, note, made, source if cited else None
        )
        return Pinned(pin_id, art.id, start, end, passage, note, made, source)

    def pins(self) -> list[Pinned]:
        """The pinned passages in the user's order."""
        return self._sql.pins(cited=self._citation_column(create=False))

    def pinned_entities(self, labels: tuple[str, ...]) -> list[Entity]:
        """The entities of these labels named in the pinned passages, in more pins first."""
        return self._sql.pinned_entities(labels)

    def unpin(self, pin_id: int) -> None:
        """Delete a pin (raises NotFound)."""
        self._sql.delete_pin(pin_id)

    def move_pin(self, pin_id: int, index: int) -> list[Pinned]:
        """Move a pin to ``index`` in the order (0 is first; out-of-range goes to an end), in
        one transaction; returns the pins in their new order."""
        self._sql.move_pin(pin_id, index)
        return self.pins()

    def annotate(self, pin_id: int, note: str) -> Pinned:
        """Set a pin's note ("" clears it); raises NotFound."""
        self._sql.set_note(pin_id, safe_text(note).strip())
        return next(p for p in self.pins() if p.id == pin_id)

    def sentence_at(self, article_id: str, offset: int) -> Span:
        """The sentence of an article around ``offset`` (for pinning the sentence at the cursor):
        the importer's sentence when a mention is there, else the rule-based one."""
        row = self._sql.mention_sentence(article_id, offset)
        if row is not None and row[1] > row[0]:
            return Span(row[0], row[1])
        text = self._article(article_id).text
        spans = sentences(text)
        for s, e in spans:
            if offset < e:  # inside it, or in the blank before it
                return Span(s, e)
        return Span(*spans[-1]) if spans else Span(0, len(text))

    def _citation_column(self, *, create: bool = True) -> bool:
        """Pins keep a copy of their article's citation in ``pins.citation``; a library made
        before that column existed gets it on the first pin (one ALTER TABLE, idempotent)."""
        if self._citation_column_known:
            return True
        if self._sql.citation_column(create=create and not self._readonly):
            self._citation_column_known = True
        return bool(self._citation_column_known)

    # --- briefings ------------------------------------------------------------------------------
    def brief(
        self,
        entities: Iterable[str] = (),
        *,
        pins: bool = True,
        title: str | None = None,
        budget: float | None = None,
        sample: int | None = None,
    ) -> Brief:
        """A briefing: each entity's dossier (complete unless a ``budget`` or ``sample`` is
        given), the pinned passages with their notes when ``pins``, and a source for every
        article cited."""
        dossiers: list[Dossier] = []
        for name in entities:
            d = self.dossier(name, budget=budget, sample=sample)
            if all(d.entity.id != other.entity.id for other in dossiers):
                dossiers.append(d)
        pinned = self.pins() if pins else []
        pin_items = tuple(p.pin() for p in pinned)
        cited = cited_articles(dossiers, pin_items, every=True)
        known = self._sql.sources(cited)
        kept = {p.article: p.source for p in pinned if p.source is not None}
        texts = self._sql.texts(cited)
        copies = copy_of((a, known[a].title, texts[a]) for a in cited if a in known and a in texts)
        also: dict[str, list[str]] = {}
        for copy, first in copies.items():
            also.setdefault(first, []).append(copy)
        sources = [
            replace(known.get(a) or kept.get(a) or Source(a, a), also=tuple(also.get(a, ())))
            for a in cited
            if a not in copies
        ]
        if title is None:
            names = ", ".join(d.entity.name for d in dossiers)
            title = f"Briefing: {names}" if names else "Briefing"
        return Brief(safe_line(title), date.today(), tuple(dossiers), pin_items, tuple(sources))

    def export_brief(
        self,
        path: Path,
        entities: Iterable[str] = (),
        *,
        pins: bool = True,
        title: str | None = None,
        format: str | None = None,
    ) -> Brief:
        """Write a briefing to ``path`` as Markdown or JSON (``format`` "md" or "json"; by default
        from the suffix). The file is replaced whole or not at all."""
        made = self.brief(entities, pins=pins, title=title)
        kind = format or ("json" if Path(path).suffix.lower() == ".json" else "md")
        text = render_json(made) + "\n" if kind == "json" else render_markdown(made)
        _write_atomically(Path(path), text)
        return made


# --- helpers --------------------------------------------------------------------------------------
_EMPTY = Payload()


def _newest_first(row: EntityArticle) -> tuple[str, int]:
    """The sort key of the newest first (with ``reverse``; undated last)."""
    return (row.date or "", row.rowid)


def _by_relevance(newest: list[EntityArticle]) -> list[EntityArticle]:
    """Most mentions first, then the newest (``newest``: the rows newest first)."""
    return sorted(newest, key=lambda r: -r.mentions)


class _Filling:
    """A dossier between its steps: what needs no parser, read once (``base``), the articles
    still to analyse in relevance order, the cache rows and each article's findings, so a step
    costs its new articles, not the entity's thousands. ``lock`` is held by the step on it."""

    def __init__(
        self,
        base: Dossier,
        newest: list[EntityArticle],
        pending: list[EntityArticle],
        payloads: dict[str, Payload],
    ) -> None:
        self.lock = threading.Lock()
        self.base = base  # all but roles, quotes and analysed
        self.payloads = payloads
        self.pending = pending  # not analysed when read, most relevant first
        self._place = {r.rowid: i for i, r in enumerate(pending)}
        self._done: set[int] = set()  # places in pending analysed since
        self._next = 0  # the first place in pending not analysed
        self._same_text: dict[str, list[EntityArticle]] = {}
        for row in newest:
            self._same_text.setdefault(row.hash, []).append(row)
        # the articles with a cache row, by rowid, and their findings once read
        self.shown = {r.rowid: r for r in newest if r.hash in payloads}
        self.found: dict[int, tuple[list[Role], list[tuple[str, Quote]]]] = {}
        self.analysed = base.of - len(pending)

    def todo(self, limit: int) -> Iterator[EntityArticle]:
        """The next ``limit`` articles not analysed, most relevant first."""
        for place in range(self._next, len(self.pending)):
            if limit <= 0:
                return
            if place not in self._done:
                limit -= 1
                yield self.pending[place]

    def analysed_now(self, hashes: set[str]) -> None:
        """Take in the analysis of these article texts (every article with one of them)."""
        for h in hashes:
            checked = self.payloads[h].checked
            for row in self._same_text.get(h, ()):
                self.shown[row.rowid] = row
                self.found.pop(row.rowid, None)
                place = self._place.get(row.rowid)
                if place is not None and place not in self._done and row.starts <= checked:
                    self._done.add(place)
                    self.analysed += 1
        while self._next < len(self.pending) and self._next in self._done:
            self._next += 1


def _payload(own: list[Mention], roles: list[Role], quotes: list[Quote]) -> Payload:
    """What one article's analysis for one entity adds to its cache row: each finding anchored
    to one of the entity's mentions, so it follows that mention to whatever entity it joins."""
    found = Payload()
    found.checked = {m.start for m in own}
    if not own:
        return found
    for r in roles:
        anchor = min(own, key=lambda m: _gap(m, r.start, r.end))
        found.roles.add((r.start, r.end, anchor.start))
    for q in quotes:
        inside = [m for m in own if q.speaker_start <= m.start and m.end <= q.speaker_end]
        if inside:
            anchor = inside[-1]
        else:  # "he", "the ministry": the entity's last mention before the cue, else the next
            before = [m for m in own if m.start < q.speaker_start]
            anchor = before[-1] if before else min(own, key=lambda m: m.start)
        found.quotes[(q.start, q.end)] = (q.speaker_start, q.speaker_end, anchor.start, q.cue)
    return found


def _gap(m: Mention, start: int, end: int) -> int:
    if start >= m.end:
        return start - m.end
    if end <= m.start:
        return m.start - end
    return 0


def _ranked_roles(found: list[Role]) -> list[Role]:
    """Roles grouped by their words (any case), each with every article giving it, newest
    first; the roles most articles give come first (ties: the newest first). A role inside a
    fuller one goes only when the fuller one's articles already say it all."""
    groups: dict[str, list[Role]] = {}
    for r in found:  # found is newest first
        groups.setdefault(" ".join(r.text.lower().split()), []).append(r)
    made = []
    for rs in groups.values():
        articles = tuple(dict.fromkeys(r.article for r in rs))
        first = rs[0]
        made.append(Role(first.text, first.article, first.start, first.end, first.entity, articles))
    made.sort(key=lambda r: -len(r.articles))  # stable: the newest first among equals
    keys = [_role_key(r.text) for r in made]
    kept = []
    for i, (role, key) in enumerate(zip(made, keys)):
        inside = [
            made[j] for j, other in enumerate(keys) if j != i and key != other and key in other
        ]
        if inside and set(role.articles) <= {a for r in inside for a in r.articles}:
            continue  # "Finance Minister" in the articles that say "Brazilian Finance Minister"
        kept.append(role)
    return kept


def _role_key(text: str) -> str:
    return " " + " ".join(text.lower().replace("-", " - ").split()) + " "


def _write_atomically(path: Path, text: str) -> None:
    folder = path.expanduser().resolve().parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as exc:
        raise LibraryError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise LibraryError(f"cannot write {path}: {exc.strerror}") from None
