"""Provides the SQL of entities: relinking mentions to entities, the user's decisions, and the
lookups of entities, mentions and cross-references."""

from __future__ import annotations

import functools
import json
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timezone
from pathlib import Path

from index.entities import Decisions, KeyStats, normalize, resolve
from index.entities.names import _fold as fold
from index.entities.names import alias_table
from index.entities.partition import Partition
from index.entities.institutions import display, generic, lookup_key, qualified, qualify
from index.errors import NotFound
from index.models import ArticleSummary, CrossRef, Entity, Link, Mention, Span, Why
from index.safe import safe_line
from index.store import corrections
from index.store.db import Store, sqlite_uri

_ENTITY = "SELECT id, name, label, aliases, mentions, articles FROM entities"
_MENTION = (
    "SELECT a.id, m.start, m.end, m.text, en.id, en.name, en.label, m.sent_start, m.sent_end"
    " FROM mentions m JOIN entity_of e ON e.key = m.key JOIN entities en ON en.id = e.entity"
    " JOIN articles a ON a.rowid = m.article"
)
#: An import reads the library's keys beside it (about 2.7 KB each: 80 MB at 19,000 Reuters
#: stories, 30,000 keys) only up to this many; a bigger library is relinked whole after it,
#: which keeps an import's memory bounded.
WARM_KEYS = 60_000
#: An import touching more than this share of the library's keys relinks all of it.
PART_OF_LIBRARY = 0.4
SENTENCE_CAP = 400  # characters of context shown around a cross-referenced mention


# --- relinking -----------------------------------------------------------------------------------
class Linker:
    """What a long-lived reader keeps between corrections so that each relinks only the part
    of the library it touches: the partition of the library's keys, true while the database's
    ``linked`` token (written by every relink) is the one it holds."""

    def __init__(self) -> None:
        self.partition: Partition | None = None
        self.token: str | None = None
        self.lock = threading.Lock()
        self.parts = 0  # relinks of a part of the library, for tests and benchmarks

    def warm(self, path: Path) -> None:
        """Read the keys of the library database at ``path`` (a second at 19,000 articles),
        unless the linker is true to it already. On a connection of its own, opened and
        closed here: a reader closing the library meanwhile leaves it alone."""
        snapshot = self.snapshot(path)
        if snapshot is not None:
            self.build(snapshot)

    def snapshot(self, path: Path) -> sqlite3.Connection | None:
        """The first, quick half of ``warm``: a connection of its own to the database at
        ``path``, reading one snapshot from now on; None when there is nothing to read (the
        linker is true to it already, or its entities are stale). ``build`` reads the keys
        and closes it: an import takes the snapshot before it writes and builds meanwhile."""
        try:
            db = sqlite3.connect(sqlite_uri(path, "mode=ro"), uri=True, isolation_level=None,
                                 check_same_thread=False)
        except sqlite3.Error:
            return None  # corrections relink everything until the next try
        try:
            db.execute("BEGIN")  # one snapshot: the token and the mentions it stands for
            token = _meta(db, "linked")
            if token is None or token == self.token or _meta(db, "entities_stale") == "1":
                db.close()  # true to it already, or the next relink reads the keys
                return None
        except sqlite3.Error:
            db.close()
            return None
        return db

    def build(self, db: sqlite3.Connection) -> None:
        """The second half of ``warm``: read the snapshot's keys into the partition."""
        try:
            token = _meta(db, "linked")
            stats = _stats(db)
            tagged = corrections.tags(db)
            decided = corrections.extend(decisions(db), tagged)
            db.execute("COMMIT")
            for key in tagged.hidden:
                stats.pop(key, None)
            partition = Partition(stats.values(), decided)
            with self.lock:
                if _meta(db, "linked") == token != self.token:  # no relink since it was read
                    self.partition, self.token = partition, token
        except sqlite3.Error:
            return
        finally:
            db.close()


@contextmanager
def recording(db: sqlite3.Connection) -> Iterator[Callable[[], set[str]]]:
    """Note every mention key written, changed or removed on the connection ``db`` while
    inside (temporary triggers: nothing is left in the database); yields a function that
    returns those keys. An import relinks only their part of the library with them."""
    db.execute("CREATE TEMP TABLE IF NOT EXISTS touched_keys (key TEXT PRIMARY KEY) WITHOUT ROWID")
    db.execute("DELETE FROM temp.touched_keys")
    note = "INSERT OR IGNORE INTO touched_keys (key) VALUES"
    db.execute("CREATE TEMP TRIGGER IF NOT EXISTS touched_in AFTER INSERT ON main.mentions"
               f" BEGIN {note} (new.key); END")
    db.execute("CREATE TEMP TRIGGER IF NOT EXISTS touched_out AFTER DELETE ON main.mentions"
               f" BEGIN {note} (old.key); END")
    db.execute("CREATE TEMP TRIGGER IF NOT EXISTS touched_changed AFTER UPDATE ON main.mentions"
               f" BEGIN {note} (old.key); {note} (new.key); END")
    try:
        yield lambda: {r[0] for r in db.execute("SELECT key FROM temp.touched_keys")}
    finally:
        # Ctrl-C may leave a statement of the connection unfinished, and SQLite drops nothing
        # then ("database table is locked"): the user is told of the interrupt, not of that;
        # what is left is temporary and the next recording starts it afresh.
        with suppress(sqlite3.Error):
            for trigger in ("touched_in", "touched_out", "touched_changed"):
                db.execute(f"DROP TRIGGER IF EXISTS temp.{trigger}")
            db.execute("DROP TABLE IF EXISTS temp.touched_keys")


def key_count(db: sqlite3.Connection) -> int:
    """How many keys the library's last relink linked (a cheap count)."""
    return db.execute("SELECT count(*) FROM entity_of").fetchone()[0]


def stamp_linked(db: sqlite3.Connection) -> None:
    """Give a library relinked before relinks wrote a ``linked`` token one (inside the
    caller's write transaction): its entities are true to its mentions unless stale."""
    if _meta(db, "linked") is None and _meta(db, "entities_stale") != "1":
        Store.set_meta(db, "linked", uuid.uuid4().hex)


def relink(
    db: sqlite3.Connection, linker: Linker | None = None, touched: Iterable[str] | None = None,
    *, imported: bool = False,
) -> None:
    """Resolve every mention key to an entity, applying the user's decisions last, inside the
    caller's write transaction: a decision and the entities it changes commit together, so a
    kill at any moment leaves both or neither.

    With a ``linker`` and the keys a decision ``touched``, only their part of the library is
    resolved again (the same answer, see index.entities.partition), when the linker is true
    to the database; otherwise, and without them, the whole library is. ``imported``: the
    keys are every key an import wrote or removed since the linker's snapshot (``recording``),
    so the entities the import left stale are relinked by their part too."""
    if linker is not None:
        with linker.lock:
            if touched is not None and _relink_part(db, linker, set(touched), imported):
                return
            linker.partition = linker.token = None
            # An import that touched much of the library: relinking all of it is cheaper than
            # its part, and its keys are read again only when a correction wants them.
            _relink_all(db, None if imported else linker)
    else:
        _relink_all(db, None)


@functools.cache
def rules() -> str:
    """A digest of the code and data of entity resolution (index/entities, index/data): a
    library relinked by other rules is relinked whole by its next relink, never in part (a
    part would follow the new rules and the rest the old)."""
    import hashlib

    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted([*(root / "entities").glob("*.py"), *(root / "data").iterdir()]):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _relink_all(db: sqlite3.Connection, linker: Linker | None) -> None:
    _qualify_institutions(db)
    tagged = corrections.tag_mentions(db)
    stats = _stats(db)
    for key in tagged.hidden:
        stats.pop(key, None)
    decided = corrections.extend(decisions(db), tagged)
    resolution = resolve(stats.values(), decided)
    db.execute("DELETE FROM entity_of")
    db.execute("DELETE FROM links")
    db.execute("DELETE FROM entities")
    _write(db, resolution)
    _count(db)
    token = _stamp(db)
    Store.set_meta(db, "rules", rules())
    if linker is not None:
        linker.partition, linker.token = Partition(stats.values(), decided), token


def _relink_part(
    db: sqlite3.Connection, linker: Linker, touched: set[str], imported: bool = False
) -> bool:
    """Relink the part of the library ``touched`` reaches; False when it cannot be sure of
    the answer (the caller relinks everything: the linker is then rebuilt)."""
    partition = linker.partition
    if partition is None or linker.token is None or _meta(db, "linked") != linker.token:
        return False
    if _meta(db, "entities_stale") == "1" and not imported:
        return False
    if _meta(db, "rules") != rules():
        return False  # relinked by other rules: all of it is relinked by these
    if imported and len(touched) > PART_OF_LIBRARY * len(partition.table):
        return False  # relinking everything costs less (at 3,000 articles, 0.25 s against 0.56)
    if imported and any(_unplaced(key) for key in touched):
        return False  # placed by an older list of heads: relinking everything places it again
    linker.token = None  # half-updated until the end
    bases = {k.split(corrections.TAG, 1)[0] for k in touched}
    before = corrections.keys_tagged(db, bases)
    tagged = corrections.tag_mentions(db, bases)
    changed = before | corrections.keys_tagged(db, bases) | bases
    stats = _stats(db, changed)
    for key in tagged.hidden:
        stats.pop(key, None)
    decided = corrections.extend(decisions(db), tagged)
    part = partition.update({k: stats.get(k) for k in changed}, decided, touched)
    if part is None:
        return False
    resolution = resolve(
        [partition.table[k] for k in sorted(part) if k in partition.table],
        partition.within(decided, part), crowded=partition.crowded(), library=partition.table,
    )
    keys = json.dumps(sorted(part))
    old = [r[0] for r in db.execute(
        "SELECT DISTINCT entity FROM entity_of WHERE key IN (SELECT value FROM json_each(?))",
        (keys,))]
    ids = json.dumps(old)
    spread = db.execute(  # an entity with keys outside the part: the partition was wrong
        "SELECT 1 FROM entity_of WHERE entity IN (SELECT value FROM json_each(?))"
        " AND key NOT IN (SELECT value FROM json_each(?)) LIMIT 1", (ids, keys)).fetchone()
    new = json.dumps(sorted(resolution.entities))
    taken = db.execute(  # an id another entity holds: only the whole library can number them
        "SELECT 1 FROM entities WHERE id IN (SELECT value FROM json_each(?))"
        " AND id NOT IN (SELECT value FROM json_each(?)) LIMIT 1", (new, ids)).fetchone()
    if spread or taken:
        return False
    db.execute("DELETE FROM entity_of WHERE key IN (SELECT value FROM json_each(?))", (keys,))
    db.execute("DELETE FROM links WHERE key IN (SELECT value FROM json_each(?))", (keys,))
    db.execute("DELETE FROM entities WHERE id IN (SELECT value FROM json_each(?))", (ids,))
    _write(db, resolution)
    _count(db, new)
    linker.token = _stamp(db)
    linker.parts += 1
    return True


def _stats(db: sqlite3.Connection, keys: set[str] | None = None) -> dict[str, KeyStats]:
    """How the library writes and labels each key (of ``keys``, else every key)."""
    stats: dict[str, KeyStats] = {}
    if keys is None:
        rows = db.execute("SELECT key, text, label, count(*) FROM mentions GROUP BY key, text, label")
    else:
        rows = db.execute(
            "SELECT key, text, label, count(*) FROM mentions WHERE key IN"
            " (SELECT value FROM json_each(?)) GROUP BY key, text, label", (json.dumps(sorted(keys)),))
    for key, text, label, count in rows:
        ks = stats.get(key)
        if ks is None:
            ks = stats[key] = KeyStats(key=key, forms={}, labels={}, mentions=0, articles=0)
        ks.forms[text] = ks.forms.get(text, 0) + count
        ks.labels[label] = ks.labels.get(label, 0) + count
        ks.mentions += count
    return stats


def _write(db: sqlite3.Connection, resolution) -> None:
    db.executemany(
        "INSERT INTO entity_of (key, entity) VALUES (?, ?)", resolution.entity_of.items()
    )
    db.executemany(
        "INSERT INTO links (key, target, reason) VALUES (?, ?, ?)",
        [(k, t, r) for k, (t, r) in resolution.evidence.items()],
    )
    db.executemany(
        "INSERT INTO entities (id, name, label, aliases) VALUES (?, ?, ?, ?)",
        [
            (e.id, safe_line(e.name), e.label, json.dumps([safe_line(a) for a in e.aliases],
                                                         ensure_ascii=False))
            for e in resolution.entities.values()
        ],
    )


def _count(db: sqlite3.Connection, ids: str | None = None) -> None:
    """Each entity's mentions and articles (of the entity ids in the JSON list ``ids``, else
    of every entity); an entity left with none goes."""
    only = "" if ids is None else " WHERE e.entity IN (SELECT value FROM json_each(:ids))"
    db.execute(
        "UPDATE entities SET mentions = c.n, articles = c.a FROM ("
        " SELECT e.entity AS id, count(*) AS n, count(DISTINCT m.article) AS a"
        f" FROM entity_of e JOIN mentions m ON m.key = e.key{only} GROUP BY e.entity) AS c"
        " WHERE entities.id = c.id", {"ids": ids},
    )
    db.execute("DELETE FROM entities WHERE mentions = 0"
               + ("" if ids is None else " AND id IN (SELECT value FROM json_each(:ids))"),
               {"ids": ids})


def _stamp(db: sqlite3.Connection) -> str:
    """The end of every relink: the user's names and labels over the resolver's, a new
    ``linked`` token, and a new generation (dossiers cached before are stale)."""
    corrections.rename_and_relabel(db)
    token = uuid.uuid4().hex
    Store.set_meta(db, "linked", token)
    Store.set_meta(db, "entities_stale", "0")
    db.execute("INSERT INTO meta VALUES ('generation', '1') ON CONFLICT (key) DO UPDATE"
               " SET value = CAST(value AS INTEGER) + 1")
    return token


def _meta(db: sqlite3.Connection, key: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


class _Row:
    __slots__ = ("key", "label", "sent_start", "start", "text")

    def __init__(self, start: int, text: str, label: str, sent_start: int, key: str) -> None:
        self.start, self.text, self.label, self.sent_start, self.key = (
            start, text, label, sent_start, key
        )


def _unplaced(key: str) -> bool:
    """Whether _qualify_institutions would change this key, which an import wrote: it placed
    its generic institutions as relinking does (institutions.placed), so only a key placed
    by an older list of heads."""
    found = generic(key)
    return found is not None and key.endswith(")") and qualified(*found) != key


def _qualify_institutions(db: sqlite3.Connection) -> None:
    """Key each generic institution mention with its country ("treasury (italy)"), for the
    articles that still have one unqualified: the article's dateline place is known here."""
    bare = []
    for (key,) in db.execute("SELECT DISTINCT key FROM mentions").fetchall():
        found = generic(key)
        if found is None:
            continue
        if not key.endswith(")"):
            bare.append(key)
        elif qualified(*found) != key:  # the list of heads changed since it was placed
            db.execute(
                "UPDATE articles SET indexed = 0 WHERE rowid IN"
                " (SELECT article FROM mentions WHERE key = ?)",
                (key,),
            )
            db.execute("UPDATE mentions SET key = ? WHERE key = ?", (qualified(*found), key))
    if not bare:
        return
    articles: set[int] = set()
    for i in range(0, len(bare), 500):
        chunk = bare[i : i + 500]
        marks = ",".join("?" * len(chunk))
        articles.update(
            r[0]
            for r in db.execute(f"SELECT DISTINCT article FROM mentions WHERE key IN ({marks})", chunk)
        )
    changes = []
    for article in sorted(articles):
        (place,) = db.execute("SELECT place FROM articles WHERE rowid = ?", (article,)).fetchone()
        rows = [
            _Row(*r)
            for r in db.execute(
                "SELECT start, text, label, sent_start, key FROM mentions WHERE article = ?"
                " ORDER BY start",
                (article,),
            )
        ]
        keys = qualify(rows, [r.key for r in rows], place or "")
        changes.extend(
            (new, article, r.start) for r, new in zip(rows, keys) if new != r.key
        )
    db.executemany("UPDATE mentions SET key = ? WHERE article = ? AND start = ?", changes)
    # The search index keeps each article's keys: those articles are indexed again.
    db.executemany(
        "UPDATE articles SET indexed = 0 WHERE rowid = ?", [(a,) for a in {c[1] for c in changes}]
    )


# --- decisions -----------------------------------------------------------------------------------
def decisions(db: sqlite3.Connection) -> Decisions:
    merges: list[tuple[str, str]] = []
    ignored: set[str] = set()
    apart: set[str] = set()
    for kind, a, b in db.execute("SELECT kind, a, b FROM decisions ORDER BY id"):
        if kind == "merge":
            merges.append((a, b))
        elif b == APART:
            apart.add(a)
        elif b == "":  # the other 'ignore' rows are corrections (index.store.corrections)
            ignored.add(a)
    return Decisions(merges=merges, ignored=ignored, apart=apart)


#: An 'ignore' decision with this ``b`` keeps its key apart from every automatic link instead
#: (the schema's kinds are 'merge' and 'ignore'; this needs no migration).
APART = "apart"


def add_apart(db: sqlite3.Connection, key: str) -> None:
    db.execute(
        "INSERT OR IGNORE INTO decisions (kind, a, b, made) VALUES ('ignore', ?, ?, ?)",
        (key, APART, _now()),
    )


def aparts_touching(db: sqlite3.Connection, keys: list[str]) -> list[int]:
    """The ids of the user's splits of any of ``keys``."""
    marks = ",".join("?" * len(keys))
    return [
        r[0]
        for r in db.execute(
            f"SELECT id FROM decisions WHERE kind = 'ignore' AND b = ? AND a IN ({marks})",
            (APART, *keys),
        )
    ]


def add_merge(db: sqlite3.Connection, key_a: str, key_b: str) -> None:
    db.execute(
        "INSERT OR IGNORE INTO decisions (kind, a, b, made) VALUES ('merge', ?, ?, ?)",
        (key_a, key_b, _now()),
    )


def merges_touching(db: sqlite3.Connection, keys: list[str]) -> list[tuple[int, str, str]]:
    """The user's merges (id, a, b) that name any of ``keys``."""
    marks = ",".join("?" * len(keys))
    return db.execute(
        f"SELECT id, a, b FROM decisions WHERE kind = 'merge' AND (a IN ({marks}) OR b IN ({marks}))",
        (*keys, *keys),
    ).fetchall()


def drop_decisions(db: sqlite3.Connection, ids: list[int]) -> None:
    db.executemany("DELETE FROM decisions WHERE id = ?", [(i,) for i in ids])


def add_ignore(db: sqlite3.Connection, key: str) -> None:
    db.execute(
        "INSERT OR IGNORE INTO decisions (kind, a, b, made) VALUES ('ignore', ?, '', ?)",
        (key, _now()),
    )


def is_ignored(db: sqlite3.Connection, key: str) -> bool:
    found = db.execute(
        "SELECT 1 FROM decisions WHERE kind = 'ignore' AND a = ? AND b = ''", (key,)
    ).fetchone()
    return found is not None


def drop_ignore(db: sqlite3.Connection, key: str) -> None:
    db.execute("DELETE FROM decisions WHERE kind = 'ignore' AND a = ? AND b = ''", (key,))


# --- keys ----------------------------------------------------------------------------------------
def main_key(db: sqlite3.Connection, entity_id: str) -> str:
    """The key most of an entity's mentions have."""
    row = db.execute(
        "SELECT m.key FROM mentions m JOIN entity_of e ON e.key = m.key WHERE e.entity = ?"
        " GROUP BY m.key ORDER BY count(*) DESC, m.key LIMIT 1",
        (entity_id,),
    ).fetchone()
    if row is None:
        raise NotFound(f"no entity '{safe_line(entity_id)}'")
    return row[0]


def keys(db: sqlite3.Connection, entity_id: str) -> list[str]:
    return [r[0] for r in db.execute("SELECT key FROM entity_of WHERE entity = ?", (entity_id,))]


def has_key(db: sqlite3.Connection, key: str) -> bool:
    return db.execute("SELECT 1 FROM entity_of WHERE key = ?", (key,)).fetchone() is not None


def mention_count(db: sqlite3.Connection, key: str) -> int:
    """How many mentions carry ``key``."""
    (n,) = db.execute("SELECT count(*) FROM mentions WHERE key = ?", (key,)).fetchone()
    return int(n)


def names_of_key(db: sqlite3.Connection, key: str) -> list[str] | None:
    """The name and aliases of the entity behind ``key``, or None."""
    row = db.execute(
        "SELECT en.name, en.aliases FROM entity_of e JOIN entities en ON en.id = e.entity"
        " WHERE e.key = ?",
        (key,),
    ).fetchone()
    if row is None:
        return None
    return [row[0], *json.loads(row[1])]


# --- lookups -------------------------------------------------------------------------------------
def listing(
    db: sqlite3.Connection, *, label: str | None, article: int | None, limit: int | None
) -> list[Entity]:
    """Entities, most-mentioned first; with ``article`` (a rowid), mentions count within it."""
    args: list[object] = []
    if article is not None:
        sql = (
            "SELECT en.id, en.name, en.label, en.aliases, count(*), en.articles"
            " FROM mentions m JOIN entity_of e ON e.key = m.key"
            " JOIN entities en ON en.id = e.entity WHERE m.article = ?"
        )
        args.append(article)
        if label:
            sql += " AND en.label = ?"
            args.append(label.upper())
        sql += " GROUP BY en.id ORDER BY count(*) DESC, en.name"
    else:
        sql = _ENTITY
        if label:
            sql += " WHERE label = ?"
            args.append(label.upper())
        sql += " ORDER BY mentions DESC, name"
    if limit is not None:
        sql += " LIMIT ?"
        args.append(limit)
    return [_entity(r) for r in db.execute(sql, args)]


def find(db: sqlite3.Connection, name: str) -> Entity:
    """The entity with this id, name or alias (any case); raises NotFound."""
    row = db.execute(f"{_ENTITY} WHERE id = ?", (name,)).fetchone()
    if row is None:
        key = lookup_key(safe_line(name)) or normalize(safe_line(name))
        row = db.execute(
            f"{_ENTITY} WHERE id = (SELECT entity FROM entity_of WHERE key = ?)", (key,)
        ).fetchone()
    if row is None:
        row = db.execute(
            f"{_ENTITY} WHERE name = ? COLLATE NOCASE ORDER BY mentions DESC", (safe_line(name),)
        ).fetchone()
    if row is None:  # one of its other names, as printed ("Wang" for Wang Yi)
        row = db.execute(
            f"{_ENTITY} WHERE EXISTS (SELECT 1 FROM json_each(entities.aliases)"
            " WHERE value = ? COLLATE NOCASE) ORDER BY mentions DESC",
            (safe_line(name),),
        ).fetchone()
    if row is None:
        raise NotFound(f"no entity named '{safe_line(name)[:80]}'")
    return _entity(row)


def why(db: sqlite3.Connection, name: str) -> Why:
    """The entity's forms, most mentioned first, each with the evidence that put it there."""
    entity = find(db, name)
    rows = db.execute(
        "SELECT m.key, m.text, count(*) FROM mentions m JOIN entity_of e ON e.key = m.key"
        " WHERE e.entity = ? GROUP BY m.key, m.text ORDER BY count(*) DESC, m.text",
        (entity.id,),
    ).fetchall()
    joined = {
        k: (t, r)
        for k, t, r in db.execute(
            "SELECT l.key, l.target, l.reason FROM links l JOIN entity_of e ON e.key = l.key"
            " WHERE e.entity = ?",
            (entity.id,),
        )
    }
    top_form: dict[str, str] = {}
    for key, text, _ in rows:  # a key is shown by its own spelling: "John Tower", not "Tower"
        if normalize(text) == key or key not in top_form:
            if top_form.get(key) is None or normalize(top_form[key]) != key:
                top_form[key] = text
    links = []
    for key, text, n in rows:
        parts = []
        local = _local_reason(db, key, text)
        own = _own_reason(text, key)
        if local:
            parts.append(local)
        elif key in joined and own != "the same name":
            parts.append(own)  # "Organisation of ... Countries": an alias of OPEC, joined so
        if key in joined:
            target, reason = joined[key]
            if reason.startswith("acronym defined"):  # say where: the story that defines it
                where = next(
                    (
                        aid
                        for aid, written in db.execute(
                            "SELECT a.id, m.text FROM mentions m"
                            " JOIN articles a ON a.rowid = m.article WHERE m.key = ?"
                            " ORDER BY a.rowid LIMIT 500",
                            (target,),
                        )
                        if normalize(written) == key  # the acronym, keyed to its long form
                    ),
                    None,
                )
                if where is not None:
                    reason = f"acronym defined in {safe_line(where)}"
            parts.append(f"{reason} (joined to {top_form.get(target, target)})")
        if not parts:
            parts.append(_own_reason(text, key))
        links.append(Link(safe_line(text), n, "; ".join(parts)))
    return Why(entity, tuple(links))


def _own_reason(text: str, key: str) -> str:
    """Why a form has its key by itself: the same name, a listed alias or a spelling variant."""
    folded = fold(text)
    if folded == key or normalize(text) != key:
        return "the same name"
    if folded in alias_table()[0]:
        return "a known other name (index/data/aliases.tsv)"
    return "the same name, spelled another way"


def _local_reason(db: sqlite3.Connection, key: str, text: str) -> str:
    """Why one article gave this form this key, when it is not the form's own key."""
    if corrections.TAG in key:
        return "you took it out of its entity in its article (`reader decisions`)"
    if normalize(text) == key:
        return ""
    country = display(key)
    if country is not None:
        named = generic(normalize(text))
        if named is not None and named[1] is not None:
            return f"its name says {country}"
        return f"placed in {country} by its story (sentence, dateline or most-named country)"
    row = db.execute(
        "SELECT a.id FROM mentions m JOIN articles a ON a.rowid = m.article"
        " WHERE m.key = ? AND m.text = ? ORDER BY a.rowid LIMIT 1",
        (key, text),
    ).fetchone()
    where = safe_line(row[0]) if row else "its article"
    if text.strip().isupper() and " " not in text.strip():
        return f"acronym defined in {where}"
    return f"short name in the same article ({where})"


def mentions(
    db: sqlite3.Connection, *, entity: str | None = None, article: int | None = None
) -> list[Mention]:
    """Mentions in reading order (article, then offset); ``entity`` an id, ``article`` a rowid."""
    sql, args = _MENTION, []
    where = []
    if entity is not None:
        where.append("e.entity = ?")
        args.append(entity)
    if article is not None:
        where.append("m.article = ?")
        args.append(article)
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY m.article, m.start"
    return [Mention(*r) for r in db.execute(sql, args)]


def articles_naming(db: sqlite3.Connection, entity_id: str) -> list[tuple[str, int]]:
    """(article id, where the entity is first named there) for every article naming it, in
    reading order: what ``mentions(entity=...)`` gives, without a Mention per mention."""
    return db.execute(
        "SELECT a.id, min(m.start) FROM entity_of e JOIN mentions m ON m.key = e.key"
        " JOIN articles a ON a.rowid = m.article WHERE e.entity = ?"
        " GROUP BY m.article ORDER BY m.article",
        (entity_id,),
    ).fetchall()


def crossrefs(db: sqlite3.Connection, entity_id: str, *, skip: int, limit: int) -> list[CrossRef]:
    """Articles (but the rowid ``skip``) that mention the entity, most mentions first, each with
    the sentence of its first mention."""
    rows = db.execute(
        "WITH hits AS ("
        "  SELECT m.article, min(m.start) AS first, count(*) AS n"
        "  FROM entity_of e JOIN mentions m ON m.key = e.key"
        "  WHERE e.entity = ? AND m.article != ? GROUP BY m.article"
        "), top AS ("
        "  SELECT h.article, h.first, h.n, a.date FROM hits h JOIN articles a ON a.rowid = h.article"
        "  ORDER BY h.n DESC, a.date DESC, a.rowid DESC LIMIT ?"
        ")"
        " SELECT a.id, a.title, a.source, a.date, a.author, m.start, m.end, m.sent_start,"
        " m.sent_end, substr(a.text, m.sent_start + 1, m.sent_end - m.sent_start), top.n"
        " FROM top JOIN articles a ON a.rowid = top.article"
        " JOIN mentions m ON m.article = top.article AND m.start = top.first"
        " ORDER BY top.n DESC, top.date DESC, a.rowid DESC",
        (entity_id, skip, limit),
    )
    out = []
    for aid, title, source, date, author, start, end, s0, s1, sentence, n in rows:
        sentence, mark = _clip(sentence or "", start - s0, end - s0)
        out.append(
            CrossRef(ArticleSummary(aid, title, source, date, author), sentence, mark, start, end, n)
        )
    return out


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _entity(row: tuple) -> Entity:
    eid, name, label, aliases, mentions_, articles = row
    return Entity(eid, name, label, tuple(json.loads(aliases)), mentions_, articles)


def _clip(sentence: str, start: int, end: int) -> tuple[str, Span]:
    """The sentence, cut to SENTENCE_CAP characters around the mention, and the mention's span."""
    lead = ""
    if len(sentence) > SENTENCE_CAP:
        left = max(0, min(start - SENTENCE_CAP // 3, len(sentence) - SENTENCE_CAP))
        right = left + SENTENCE_CAP
        trail = "…" if right < len(sentence) else ""
        lead = "…" if left > 0 else ""
        sentence = lead + sentence[left:right] + trail
        start, end = start - left + len(lead), end - left + len(lead)
    flat = sentence.replace("\n", " ")
    return flat, Span(max(0, start), min(len(flat), end))
