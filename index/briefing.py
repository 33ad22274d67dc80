"""Provides BriefingMixin: the Library's dossiers, pins and briefings (issue 4).

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
  call carries on where it stopped.
- Finished dossiers are kept in memory until ``relink`` bumps the ``generation`` meta value.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
import time
import zlib
from collections import OrderedDict, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from index import dossier as _dossier
from index.brief import Brief, Pin, Source, _bars, cited_articles, render_json, render_markdown
from index.dossier import Cooccurrence, Dossier, Quote, Role, merge_roles, roles_and_quotes
from index.errors import LibraryError, NotFound, ReaderError
from index.models import Article, ArticleSummary, Entity, Mention, Span
from index.safe import safe_line, safe_text

if TYPE_CHECKING:  # pragma: no cover
    from index.store import Store

__all__ = [
    "DOSSIER_BUDGET",
    "BriefingMixin",
    "Pinned",
    "dossier_json",
    "render_dossier",
]

#: Seconds a dossier may spend parsing when opened (model loading included); what is left is
#: analysed by the next call, or by a call with ``budget=None`` from a background worker.
DOSSIER_BUDGET = 0.75
#: Entities kept in a dossier's "appears with" list.
COOCCURRING = 50
#: Seconds one article's analysis is expected to take before any was timed (Reuters: 5-20 ms).
_FIRST_PACE = 0.03
#: Finished dossiers kept in memory per Library.
KEPT = 64

_FORMAT = 1  # the payload layout below
#: The cache is as good as the code that filled it: any change to index/dossier.py makes a new
#: version, and rows of another version are analysed again (the cache is cheap to lose).
ANALYSIS_VERSION = (zlib.crc32(Path(_dossier.__file__).read_bytes()) ^ _FORMAT) & 0x7FFFFFFF

_DATED = re.compile(r"\d{4}-\d{2}")


@dataclass(frozen=True)
class Pinned:
    """A pinned passage as stored. The passage and its citation are copies taken when it was
    pinned, so a pin outlives its article's re-import or removal."""

    id: int
    article: str  # the article id
    start: int  # the passage's offsets in the article text when pinned
    end: int
    passage: str
    note: str = ""
    made: str = ""  # when it was pinned, ISO 8601 UTC
    source: Source | None = None  # title, source, date, path and URL of the article

    def pin(self) -> Pin:
        """The pin as the briefing renders it."""
        return Pin(self.passage, self.article, self.start, self.end, self.note)


class _Row(NamedTuple):
    """One article that mentions the dossier's entity."""

    rowid: int
    id: str
    title: str
    source: str
    date: str | None
    author: str
    hash: str
    mentions: int  # of the entity in this article
    starts: frozenset[int]  # the entity's mention offsets in this article


class _Payload:
    """The analysis cache row of one article text: what was analysed and what it gave."""

    __slots__ = ("checked", "quotes", "roles")

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        data = data or {}
        self.checked: set[int] = set(data.get("checked", ()))
        # (start, end, anchor): the role's offsets and the mention it belongs to
        self.roles: set[tuple[int, int, int]] = {tuple(r) for r in data.get("roles", ())}  # type: ignore[misc]
        # (start, end) -> (speaker_start, speaker_end, anchor, cue)
        self.quotes: dict[tuple[int, int], tuple[int, int, int, str]] = {
            (q[0], q[1]): (q[2], q[3], q[4], q[5]) for q in data.get("quotes", ())
        }

    def update(self, other: _Payload) -> None:
        self.checked |= other.checked
        self.roles |= other.roles
        for span, quote in other.quotes.items():
            self.quotes.setdefault(span, quote)

    def dumps(self) -> str:
        return json.dumps(
            {
                "checked": sorted(self.checked),
                "roles": sorted(self.roles),
                "quotes": [[*span, *q] for span, q in sorted(self.quotes.items())],
            },
            ensure_ascii=False,
        )


class _Parser:
    """The parser pipeline, loaded at most once per process, in a background thread, so a
    dossier can show what the cache has while it loads (about 1.5 s with spaCy's import)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # guards starting the loader
        self.using = threading.Lock()  # one thread parses at a time: spaCy's vocab is shared
        self.loaded = threading.Event()
        self.loader: threading.Thread | None = None
        self.nlp: Any = None
        self.error: BaseException | None = None

    def get(self, timeout: float | None) -> Any:
        with self.lock:
            if self.loader is None:
                self.loader = threading.Thread(target=self._load, name="reader-parser", daemon=True)
                self.loader.start()
        if not self.loaded.wait(None if timeout is None else max(0.0, timeout)):
            return None
        if self.error is not None:
            raise self.error
        return self.nlp

    def _load(self) -> None:
        try:
            from index.ingest.nlp import load_model

            nlp = load_model(parse=True)
            list(nlp.pipe(["Warm up, said the parser.", "Its first call is slow."]))
            self.nlp = nlp
        except Exception as exc:  # noqa: BLE001 - handed to the thread waiting for the parser
            self.error = exc
        finally:
            self.loaded.set()


PARSER = _Parser()


class _State:
    """Per-Library state of the mixin (the Library's __init__ stays as it is)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # guards the fields below
        self.dossiers: OrderedDict[tuple[str, str], Dossier] = OrderedDict()
        self.citation_column: bool | None = None


_STATE_LOCK = threading.Lock()


class BriefingMixin:
    """Dossier, pin and briefing methods of Library; they use its store and entity queries."""

    if TYPE_CHECKING:  # provided by Library
        store: Store
        readonly: bool

        def entity(self, name: str) -> Entity: ...

        def article(self, article_id: str) -> Article: ...

    # --- dossiers -------------------------------------------------------------------------------
    def dossier(self, name: str, *, budget: float | None = DOSSIER_BUDGET) -> Dossier:
        """Everything the library knows about the entity ``name`` (its id, name or any alias).

        ``budget`` is the seconds this call may spend on roles and quotations not analysed yet
        (the parser's loading included); ``None`` waits for all of them, 0 uses the cache
        alone. ``Dossier.analysed < Dossier.of`` says the budget ran out; call again (say from
        a worker, with ``budget=None``) to finish. Raises NotFound, or ModelMissing when the
        parser is needed and not installed.
        """
        started = time.monotonic()
        deadline = None if budget is None else started + max(0.0, budget)
        generation = self.store.get_meta("generation", "0") or "0"
        entity = self.entity(name)
        state = self._briefing()
        key = (entity.id, generation)
        with state.lock:
            kept = state.dossiers.get(key)
            if kept is not None:
                state.dossiers.move_to_end(key)
        if kept is not None and (kept.analysed >= kept.of or budget == 0):
            return kept
        made = self._make_dossier(entity, deadline)
        with state.lock:
            state.dossiers[key] = made
            state.dossiers.move_to_end(key)
            while len(state.dossiers) > KEPT:
                state.dossiers.popitem(last=False)
        return made

    def _make_dossier(self, entity: Entity, deadline: float | None) -> Dossier:
        rows = self._dossier_rows(entity.id)
        newest = sorted(rows, key=lambda r: (r.date or "", r.rowid), reverse=True)
        periods, undated = _dossier.timeline((r.date, r.mentions) for r in rows)
        dated = sorted(r.date[:10] for r in rows if r.date and _DATED.match(r.date))
        company = self._cooccurring(entity.id)  # before the analysis: it has the rest of the time
        payloads = self._payloads({r.hash for r in rows})
        pending = [
            r for r in _by_relevance(rows) if not r.starts <= payloads.get(r.hash, _EMPTY).checked
        ]
        if pending and (deadline is None or time.monotonic() < deadline):
            self._analyse(entity.id, pending, payloads, deadline)
        analysed = sum(1 for r in rows if r.starts <= payloads.get(r.hash, _EMPTY).checked)
        roles, quotes = self._findings(entity.id, newest, payloads)
        return Dossier(
            entity=entity,
            first_seen=dated[0] if dated else None,
            last_seen=dated[-1] if dated else None,
            roles=tuple(roles),
            quotes=tuple(quotes),
            cooccurring=tuple(company),
            timeline=tuple(periods),
            undated=undated,
            articles=tuple(
                ArticleSummary(r.id, r.title, r.source, r.date, r.author) for r in newest
            ),
            analysed=analysed,
            of=len(rows),
        )

    def _dossier_rows(self, entity_id: str) -> list[_Row]:
        rows = self.store.db.execute(
            "SELECT a.rowid, a.id, a.title, a.source, a.date, a.author, a.hash, count(*),"
            " group_concat(m.start)"
            " FROM entity_of e JOIN mentions m ON m.key = e.key"
            " JOIN articles a ON a.rowid = m.article"
            " WHERE e.entity = ? GROUP BY m.article",
            (entity_id,),
        )
        return [
            _Row(
                rowid, aid, title, source, day, author, h, n, frozenset(map(int, starts.split(",")))
            )
            for rowid, aid, title, source, day, author, h, n, starts in rows
        ]

    def _cooccurring(self, entity_id: str) -> list[Cooccurrence]:
        """Entities sharing sentences, then articles, with this one: ``dossier.cooccurring``
        done in SQL, so an entity in thousands of articles costs no Python objects."""
        rows = self.store.db.execute(
            "WITH own AS ("
            "  SELECT DISTINCT m.article, m.sent_start, m.sent_end"
            "  FROM entity_of e JOIN mentions m ON m.key = e.key WHERE e.entity = ?1"
            "), docs AS (SELECT DISTINCT article FROM own),"
            " other AS ("
            "  SELECT eo.entity, m.article, m.sent_start, m.sent_end"
            "  FROM docs d JOIN mentions m ON m.article = d.article"
            "  JOIN entity_of eo ON eo.key = m.key WHERE eo.entity != ?1"
            "), shared AS ("
            "  SELECT x.entity, count(DISTINCT x.article) AS articles,"
            "  count(DISTINCT CASE WHEN w.article IS NOT NULL AND x.sent_end > x.sent_start"
            "   THEN x.article || ' ' || x.sent_start || ' ' || x.sent_end END) AS sentences"
            "  FROM other x LEFT JOIN own w ON w.article = x.article"
            "  AND w.sent_start = x.sent_start AND w.sent_end = x.sent_end GROUP BY x.entity"
            ")"
            " SELECT en.id, en.name, en.label, en.aliases, en.mentions, en.articles,"
            " s.sentences, s.articles FROM shared s JOIN entities en ON en.id = s.entity"
            " ORDER BY s.sentences DESC, s.articles DESC, lower(en.name) LIMIT ?2",
            (entity_id, COOCCURRING),
        )
        return [Cooccurrence(_entity(r[:6]), r[6], r[7]) for r in rows]

    def _payloads(self, hashes: Iterable[str]) -> dict[str, _Payload]:
        out: dict[str, _Payload] = {}
        wanted = list(hashes)
        db = self.store.db
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for h, payload in db.execute(
                f"SELECT hash, payload FROM analysis WHERE version = ? AND hash IN ({marks})",
                (ANALYSIS_VERSION, *chunk),
            ):
                try:
                    out[h] = _Payload(json.loads(payload))
                except (ValueError, TypeError, IndexError):
                    continue  # a damaged row is analysed again
        return out

    def _findings(
        self, entity_id: str, newest: list[_Row], payloads: dict[str, _Payload]
    ) -> tuple[list[Role], list[Quote]]:
        """Roles and quotes of the entity from the cache, anchors read as the entity is now.
        Roles said by more articles come first; quotes come newest first."""
        found: list[Role] = []
        quotes: list[Quote] = []
        seen: set[str] = set()
        db = self.store.db
        for row in newest:
            payload = payloads.get(row.hash)
            if payload is None:
                continue
            roles = sorted(r for r in payload.roles if r[2] in row.starts)
            said = sorted((span, q) for span, q in payload.quotes.items() if q[2] in row.starts)
            if not roles and not said:
                continue
            (text,) = db.execute(
                "SELECT text FROM articles WHERE rowid = ?", (row.rowid,)
            ).fetchone()
            found += [Role(text[s:e], row.id, s, e, entity_id) for s, e, _ in roles]
            for (s, e), (ss, se, _, cue) in said:
                words = " ".join(text[s:e].lower().split())
                if words in seen:
                    continue  # the same words in an earlier (newer) article
                seen.add(words)
                quotes.append(Quote(text[s:e], text[ss:se], row.id, s, e, cue, entity_id, ss, se))
        return _ranked_roles(found), quotes

    def _analyse(
        self,
        entity_id: str,
        pending: list[_Row],
        payloads: dict[str, _Payload],
        deadline: float | None,
    ) -> None:
        """Parse the pending articles' sentences about the entity, most relevant first, until
        the deadline; the results go into ``payloads`` and the cache table."""
        nlp = self._parser(None if deadline is None else deadline - time.monotonic())
        if nlp is None:
            return
        wait = -1.0 if deadline is None else max(0.0, deadline - time.monotonic())
        if not PARSER.using.acquire(timeout=wait):
            return  # another thread is analysing: this call shows what the cache has
        fed: deque[tuple[_Row, list[Mention]]] = deque()
        done: dict[str, _Payload] = {}
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
                text, every = self._article_mentions(row)
                own = [m for m in every if m.start in row.starts]
                fed.append((row, own))
                yield text, own, every

        try:
            batch = 16 if deadline is None else 4
            for roles, quotes in roles_and_quotes(items(), nlp, batch=batch):
                row, own = fed.popleft()
                finished += 1
                found = _payload(own, roles, quotes)
                payloads.setdefault(row.hash, _Payload()).update(found)
                done.setdefault(row.hash, _Payload()).update(found)
                if len(done) >= 32:
                    self._save(done)
                    done = {}
                if deadline is not None and time.monotonic() >= deadline:
                    break
        finally:
            try:
                self._save(done)
            finally:
                PARSER.using.release()

    def _article_mentions(self, row: _Row) -> tuple[str, list[Mention]]:
        db = self.store.db
        (text,) = db.execute("SELECT text FROM articles WHERE rowid = ?", (row.rowid,)).fetchone()
        every = [
            Mention(row.id, *r)
            for r in db.execute(
                "SELECT m.start, m.end, m.text, en.id, en.name, en.label, m.sent_start, m.sent_end"
                " FROM mentions m JOIN entity_of e ON e.key = m.key"
                " JOIN entities en ON en.id = e.entity WHERE m.article = ? ORDER BY m.start",
                (row.rowid,),
            )
        ]
        return text, every

    def _save(self, done: dict[str, _Payload]) -> None:
        """Merge new findings into the cache rows, in one transaction; a read-only or busy
        library just keeps them for this call."""
        if not done or self.readonly:
            return
        try:
            with self.store.write() as db:
                for h, payload in done.items():
                    row = db.execute(
                        "SELECT payload FROM analysis WHERE hash = ? AND version = ?",
                        (h, ANALYSIS_VERSION),
                    ).fetchone()
                    merged = _Payload()
                    if row is not None:
                        try:
                            merged = _Payload(json.loads(row[0]))
                        except (ValueError, TypeError, IndexError):
                            pass
                    merged.update(payload)
                    db.execute(
                        "INSERT OR REPLACE INTO analysis (hash, version, payload) VALUES (?, ?, ?)",
                        (h, ANALYSIS_VERSION, merged.dumps()),
                    )
        except ReaderError:
            pass  # the cache is cheap to lose; the next dossier analyses these again

    # --- the parser, loaded once, in the background -------------------------------------------
    def _briefing(self) -> _State:
        state = self.__dict__.get("_briefing_state")
        if state is None:
            with _STATE_LOCK:
                state = self.__dict__.setdefault("_briefing_state", _State())
        return state

    def _parser(self, timeout: float | None) -> Any:
        """The parser pipeline, or None if it is still loading after ``timeout`` seconds (it
        keeps loading for the next call). Raises ModelMissing if it cannot be loaded."""
        return PARSER.get(timeout)

    # --- pins -------------------------------------------------------------------------------------
    def pin(self, article_id: str, start: int, end: int, note: str = "") -> Pinned:
        """Pin ``text[start:end]`` of an article (the sentence at the cursor, or a mention's
        sentence) to the briefing, last in order. The passage and its citation are written at
        once, in one transaction. Raises NotFound for an unknown article or offsets outside it."""
        art = self.article(article_id)
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
        with self.store.write() as db:
            (last,) = db.execute("SELECT coalesce(max(position), 0) FROM pins").fetchone()
            columns = "article, start, end, passage, note, position, made"
            values: list[object] = [art.id, start, end, passage, note, last + 1, made]
            if cited:
                columns += ", citation"
                values.append(json.dumps(_source_record(source), ensure_ascii=False))
            cursor = db.execute(
                f"INSERT INTO pins ({columns}) VALUES ({','.join('?' * len(values))})", values
            )
            pin_id = int(cursor.lastrowid or 0)
        return Pinned(pin_id, art.id, start, end, passage, note, made, source)

    def pins(self) -> list[Pinned]:
        """The pinned passages in the user's order."""
        cited = self._citation_column(create=False)
        extra = ", citation" if cited else ", NULL"
        rows = self.store.db.execute(
            f"SELECT id, article, start, end, passage, note, made{extra} FROM pins"
            " ORDER BY position, id"
        )
        return [_pinned(r) for r in rows]

    def unpin(self, pin_id: int) -> None:
        """Delete a pin (raises NotFound)."""
        with self.store.write() as db:
            if db.execute("DELETE FROM pins WHERE id = ?", (pin_id,)).rowcount == 0:
                raise NotFound(f"no pin #{pin_id}")

    def move_pin(self, pin_id: int, index: int) -> list[Pinned]:
        """Move a pin to ``index`` in the order (0 is first; out-of-range goes to an end), in
        one transaction; returns the pins in their new order."""
        with self.store.write() as db:
            ids = [r[0] for r in db.execute("SELECT id FROM pins ORDER BY position, id")]
            if pin_id not in ids:
                raise NotFound(f"no pin #{pin_id}")
            ids.remove(pin_id)
            ids.insert(max(0, min(index, len(ids))), pin_id)
            db.executemany(
                "UPDATE pins SET position = ? WHERE id = ?", [(n, i) for n, i in enumerate(ids, 1)]
            )
        return self.pins()

    def annotate(self, pin_id: int, note: str) -> Pinned:
        """Set a pin's note ("" clears it); raises NotFound."""
        with self.store.write() as db:
            changed = db.execute(
                "UPDATE pins SET note = ? WHERE id = ?", (safe_text(note).strip(), pin_id)
            ).rowcount
            if changed == 0:
                raise NotFound(f"no pin #{pin_id}")
        return next(p for p in self.pins() if p.id == pin_id)

    def sentence_at(self, article_id: str, offset: int) -> Span:
        """The sentence of an article around ``offset`` (for pinning the sentence at the cursor):
        the importer's sentence when a mention is there, else the rule-based one."""
        row = self.store.db.execute(
            "SELECT m.sent_start, m.sent_end FROM mentions m JOIN articles a ON a.rowid = m.article"
            " WHERE a.id = ? AND m.start <= ? AND ? < m.end",
            (article_id, offset, offset),
        ).fetchone()
        if row is not None and row[1] > row[0]:
            return Span(row[0], row[1])
        text = self.article(article_id).text
        spans = _dossier.sentences(text)
        for s, e in spans:
            if offset < e:  # inside it, or in the blank before it
                return Span(s, e)
        return Span(*spans[-1]) if spans else Span(0, len(text))

    def _citation_column(self, *, create: bool = True) -> bool:
        """Pins keep a copy of their article's citation in ``pins.citation``; a library made
        before that column existed gets it on the first pin (one ALTER TABLE, idempotent)."""
        state = self._briefing()
        if state.citation_column:
            return True

        def present(db: Any) -> bool:
            return any(r[1] == "citation" for r in db.execute("PRAGMA table_info(pins)"))

        if present(self.store.db):
            state.citation_column = True
        elif create and not self.readonly:
            with self.store.write() as db:
                if not present(db):
                    db.execute("ALTER TABLE pins ADD COLUMN citation TEXT NOT NULL DEFAULT '{}'")
            state.citation_column = True
        return bool(state.citation_column)

    # --- briefings ------------------------------------------------------------------------------
    def brief(
        self,
        entities: Iterable[str] = (),
        *,
        pins: bool = True,
        title: str | None = None,
        budget: float | None = None,
    ) -> Brief:
        """A briefing: each entity's dossier (complete unless a ``budget`` is given), the pinned
        passages with their notes when ``pins``, and a source for every article cited."""
        dossiers: list[Dossier] = []
        for name in entities:
            d = self.dossier(name, budget=budget)
            if all(d.entity.id != other.entity.id for other in dossiers):
                dossiers.append(d)
        pinned = self.pins() if pins else []
        pin_items = tuple(p.pin() for p in pinned)
        cited = cited_articles(dossiers, pin_items)
        known = self._sources(cited)
        kept = {p.article: p.source for p in pinned if p.source is not None}
        sources = [known.get(a) or kept.get(a) or Source(a, a) for a in cited]
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

    def _sources(self, article_ids: Sequence[str]) -> dict[str, Source]:
        out: dict[str, Source] = {}
        db = self.store.db
        for i in range(0, len(article_ids), 500):
            chunk = list(article_ids[i : i + 500])
            marks = ",".join("?" * len(chunk))
            for aid, title, source, day, path, url in db.execute(
                f"SELECT id, title, source, date, path, url FROM articles WHERE id IN ({marks})",
                chunk,
            ):
                out[aid] = Source(aid, title, source, day, path, url)
        return out


# --- helpers ---------------------------------------------------------------------------------------
_EMPTY = _Payload()


def _by_relevance(rows: list[_Row]) -> list[_Row]:
    """Most mentions first, then the newest (undated last)."""
    ordered = sorted(rows, key=lambda r: (r.date or "", r.rowid), reverse=True)
    return sorted(ordered, key=lambda r: -r.mentions)


def _payload(own: list[Mention], roles: list[Role], quotes: list[Quote]) -> _Payload:
    """What one article's analysis for one entity adds to its cache row: each finding anchored
    to one of the entity's mentions, so it follows that mention to whatever entity it joins."""
    found = _Payload()
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
    """Roles given by more articles first (ties: the newest first), fuller ones kept."""
    count: dict[str, set[str]] = {}
    for r in found:
        count.setdefault(" ".join(r.text.lower().split()), set()).add(r.article)
    order = sorted(
        range(len(found)),
        key=lambda i: (-len(count[" ".join(found[i].text.lower().split())]), i),
    )
    return merge_roles(found[i] for i in order)


def _entity(row: Sequence[Any]) -> Entity:
    eid, name, label, aliases, mentions, articles = row
    return Entity(eid, name, label, tuple(json.loads(aliases)), mentions, articles)


def _source_record(source: Source) -> dict[str, Any]:
    return {
        "title": source.title,
        "source": source.source,
        "date": source.date,
        "path": source.path,
        "url": source.url,
    }


def _pinned(row: Sequence[Any]) -> Pinned:
    pid, article, start, end, passage, note, made, citation = row
    source = None
    if citation:
        try:
            kept = json.loads(citation)
        except ValueError:
            kept = {}
        if kept.get("title"):
            source = Source(
                article,
                kept["title"],
                kept.get("source", ""),
                kept.get("date"),
                kept.get("path", ""),
                kept.get("url", ""),
            )
    return Pinned(pid, article, start, end, passage, note, made, source)


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


# --- a dossier for the terminal and for scripts ----------------------------------------------------
def dossier_json(brief: Brief) -> dict[str, Any]:
    """The first dossier of ``brief`` as one JSON-ready dict: the briefing's JSON for it, each
    role and quote with its article's ``date``, and the numbered ``sources`` they cite."""
    data = json.loads(render_json(brief, indent=None))
    if not data["dossiers"]:
        raise NotFound("the briefing holds no dossier")
    item: dict[str, Any] = data["dossiers"][0]
    dates = {s["article"]: s["date"] for s in data["sources"]}
    for part in item["roles"] + item["quotes"]:
        part["date"] = dates.get(part["article"])
    item["sources"] = data["sources"]
    return item


def render_dossier(brief: Brief) -> str:
    """The first dossier of ``brief`` as plain text for the terminal (it passes safe_text)."""
    if not brief.dossiers:
        raise NotFound("the briefing holds no dossier")
    d = brief.dossiers[0]
    e = d.entity
    sources = {s.article: s for s in brief.sources}
    numbers = {a: n for n, a in enumerate(cited_articles([d]), 1)}

    def cite(article: str) -> str:
        s = sources.get(article) or Source(article, article)
        return f"{s.source or s.title}, {(s.date or 'undated')[:10]} [{numbers.get(article, '?')}]"

    out = [f"{e.name} · {e.label} · id {e.id}"]
    others = [a for a in e.aliases if a != e.name]
    if others:
        out.append("also called: " + ", ".join(others))
    seen = f"{e.mentions} mention{'s' * (e.mentions != 1)} in {e.articles} article"
    seen += "s" * (e.articles != 1)
    if d.first_seen:
        seen += f"; first seen {d.first_seen}, last seen {d.last_seen}"
    out.append(seen)
    if d.analysed < d.of:
        out.append(f"roles and quotes from {d.analysed} of {d.of} articles so far")
    if d.roles:
        out += ["", "Roles"]
        out += [f"  {r.text} — {cite(r.article)}" for r in d.roles]
    if d.quotes:
        out += ["", "Quotes"]
        for q in d.quotes:
            out += [f"  “{q.text}”", f"      — {q.speaker} ({q.cue}); {cite(q.article)}"]
    if d.cooccurring:
        out += ["", "Appears with"]
        for c in d.cooccurring[:15]:
            out.append(
                f"  {c.entity.name} ({c.entity.label}): {c.sentences} sentence"
                f"{'s' * (c.sentences != 1)}, {c.articles} article{'s' * (c.articles != 1)}"
            )
    if d.timeline or d.undated:
        out += ["", "When (mentions)"]
        out += ["  " + line for line in _bars(d.timeline, d.undated)]
    if d.articles:
        out += ["", "Articles, newest first"]
        for a in d.articles:
            out.append(f"  {(a.date or 'undated')[:10]}  {a.title} — {a.source or '?'}  [{a.id}]")
    if numbers:
        out += ["", "Sources"]
        for article, n in numbers.items():
            s = sources.get(article) or Source(article, article)
            where = s.url or s.path
            line = (
                f"  [{n}] {s.title} — {s.source or 'unknown source'}, {(s.date or 'undated')[:10]}"
            )
            out.append(line + (f". {where}" if where else ""))
    flat = [line[: len(line) - len(line.lstrip(" "))] + safe_line(line) for line in out]
    return safe_text("\n".join(flat) + "\n")
