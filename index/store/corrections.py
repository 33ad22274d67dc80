"""Provides the user's corrections beyond merge, split and ignore: detach a mention, ignore a
form in one article, rename and relabel an entity; the list of every decision, and undo.

They are rows of the ``decisions`` table like merges and ignores (so backup, restore and
``check --repair`` keep them with no migration): kind 'ignore' with ``b`` naming the
correction ("in:ID", "detach:[...]", "name:...", "label:..."), ``a`` the key it is about.

A mention-level correction moves the mentions it names to a tagged key ("brazil§i" for one
ignored here, "brazil§d7" for one detached by decision 7). relink() puts every tagged key back
and tags again from the decisions, so an undo, a re-import or a salvage all end the same.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone

from index.entities import Decisions
from index.safe import safe_line

#: Between a mention's key and the correction that moved it.
TAG = "§"
IGNORED_HERE = TAG + "i"

HERE, DETACH, NAME, LABEL = "in:", "detach:", "name:", "label:"


@dataclass
class Tagged:
    """What relink() needs from the mention-level corrections."""

    hidden: set[str] = field(default_factory=set)  # keys no entity may have
    apart: set[str] = field(default_factory=set)  # detached keys: no rule links them
    merges: list[tuple[str, str]] = field(default_factory=list)  # (into, detached key)


def kind_of(kind: str, b: str) -> str:
    """The user's word for a decision row."""
    if kind == "merge":
        return "merge"
    if b == "":
        return "ignore"
    if b == "apart":
        return "split"
    for prefix, word in ((HERE, "ignore-here"), (DETACH, "detach"), (NAME, "rename"),
                         (LABEL, "relabel")):
        if b.startswith(prefix):
            return word
    return "unknown"


# --- writing -------------------------------------------------------------------------------------
def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _add(db: sqlite3.Connection, a: str, b: str) -> int:
    """Insert (or renew) a correction; its id. A repeated one moves to the end of the list."""
    db.execute("DELETE FROM decisions WHERE kind = 'ignore' AND a = ? AND b = ?", (a, b))
    cur = db.execute(
        "INSERT INTO decisions (kind, a, b, made) VALUES ('ignore', ?, ?, ?)", (a, b, _now())
    )
    return int(cur.lastrowid or 0)


def add_ignore_here(db: sqlite3.Connection, key: str, article_id: str, form: str) -> int:
    return _add(db, key, HERE + json.dumps([article_id, form], ensure_ascii=False))


def add_detach(
    db: sqlite3.Connection, key: str, article_id: str | None, *, start: int | None, form: str | None,
    into: str | None,
) -> int:
    """Detach the mention of ``key`` at ``start`` (or every one written ``form``) in the article."""
    return _add(db, key, DETACH + json.dumps([article_id, start, form, into], ensure_ascii=False))


def add_rename(db: sqlite3.Connection, key: str, name: str) -> int:
    db.execute("DELETE FROM decisions WHERE kind = 'ignore' AND a = ? AND b LIKE 'name:%'", (key,))
    return _add(db, key, NAME + name)


def add_relabel(db: sqlite3.Connection, key: str, label: str) -> int:
    db.execute("DELETE FROM decisions WHERE kind = 'ignore' AND a = ? AND b LIKE 'label:%'", (key,))
    return _add(db, key, LABEL + label)


def drop(db: sqlite3.Connection, decision_id: int) -> None:
    db.execute("DELETE FROM decisions WHERE id = ?", (decision_id,))


# --- applying ------------------------------------------------------------------------------------
def tag_mentions(db: sqlite3.Connection, bases: set[str] | None = None) -> Tagged:
    """Put every tagged mention back on its own key, then tag the ones the decisions name;
    with ``bases``, only the mentions of those (untagged) keys. Returns every tag of the
    library's decisions."""
    if bases is None:
        db.execute(
            f"UPDATE mentions SET key = substr(key, 1, instr(key, '{TAG}') - 1)"
            f" WHERE instr(key, '{TAG}') > 0"
        )
    else:
        db.executemany("UPDATE mentions SET key = ? WHERE key >= ? AND key < ?",
                       [(b, *_tagged_range(b)) for b in bases])
    out = Tagged()
    for decision_id, key, b in _mention_decisions(db):
        article, start, form, tagged, into = _tag_of(decision_id, key, b)
        if bases is None or key.split(TAG, 1)[0] in bases:
            # a later correction of the same mention wins over an earlier one
            sql = "UPDATE mentions SET key = ? WHERE (key = ? OR (key >= ? AND key < ?))"
            args: list[object] = [tagged, key, *_tagged_range(key)]
            if article is not None:  # else a form split off everywhere
                sql += " AND article = (SELECT rowid FROM articles WHERE id = ?)"
                args.append(article)
            if start is not None:
                sql += " AND start = ?"
                args.append(start)
            elif form is not None:
                sql += " AND text = ? COLLATE NOCASE"
                args.append(form)
            db.execute(sql, args)
        if tagged == key + IGNORED_HERE:
            out.hidden.add(tagged)
        else:
            out.apart.add(tagged)
            if into:
                out.merges.append((into, tagged))
    return out


def tags(db: sqlite3.Connection) -> Tagged:
    """What tag_mentions() returns, without tagging anything (a reader's view)."""
    return tag_mentions(db, set())


def _mention_decisions(db: sqlite3.Connection) -> list[tuple[int, str, str]]:
    return db.execute(
        "SELECT id, a, b FROM decisions WHERE kind = 'ignore' AND (b LIKE 'in:%' OR b LIKE"
        " 'detach:%') ORDER BY id"
    ).fetchall()


def _tag_of(decision_id: int, key: str, b: str) -> tuple[str | None, int | None, str | None, str,
                                                       str | None]:
    """(article, start, form, tagged key, into) of a mention-level decision."""
    if b.startswith(HERE):
        (article, form), start, into = json.loads(b[len(HERE):]), None, None
        return article, start, form, key + IGNORED_HERE, into
    article, start, form, into = json.loads(b[len(DETACH):])
    return article, start, form, f"{key}{TAG}d{decision_id}", into


def _tagged_range(key: str) -> tuple[str, str]:
    """The keys ``key`` tagged by a correction lie between these two (an index range)."""
    return key + TAG, key + TAG + "\U0010ffff"


def keys_tagged(db: sqlite3.Connection, bases: set[str]) -> set[str]:
    """The keys of the mentions of ``bases``, tagged or not. Each found by one seek of the
    index (a DISTINCT would read every mention of the key: 2.6 s for an import's 7,000 keys
    at 100,000 articles)."""
    out: set[str] = set()
    for base in bases:
        if db.execute("SELECT 1 FROM mentions WHERE key = ? LIMIT 1", (base,)).fetchone():
            out.add(base)
        low, high = _tagged_range(base)
        while True:
            row = db.execute("SELECT key FROM mentions WHERE key >= ? AND key < ? ORDER BY key"
                             " LIMIT 1", (low, high)).fetchone()
            if row is None:
                break
            out.add(row[0])
            low = row[0] + "\x00"  # the next key after it
    return out


def keys_of_decision(db: sqlite3.Connection, decision_id: int) -> set[str]:
    """The keys a decision is about (for relinking only their part of the library)."""
    row = db.execute("SELECT kind, a, b FROM decisions WHERE id = ?", (decision_id,)).fetchone()
    if row is None:
        return set()
    kind, a, b = row
    keys = {a, b} if kind == "merge" else {a}
    if kind == "ignore" and (b.startswith(HERE) or b.startswith(DETACH)):
        _, _, _, tagged, into = _tag_of(decision_id, a, b)
        keys |= {tagged} | ({into} if into else set())
    return keys


def touched(db: sqlite3.Connection) -> None:
    """Entities changed without a relink: dossiers cached before are stale, and readers polling
    Library.version() look again (relink() does the same)."""
    db.execute("INSERT INTO meta VALUES ('generation', '1') ON CONFLICT (key) DO UPDATE"
               " SET value = CAST(value AS INTEGER) + 1")


def rename_and_relabel(db: sqlite3.Connection) -> None:
    """The user's names and labels over the resolver's, the latest last (after relinking)."""
    rows = db.execute(
        "SELECT a, b FROM decisions WHERE kind = 'ignore' AND (b LIKE 'name:%' OR b LIKE"
        " 'label:%') ORDER BY id"
    ).fetchall()
    for key, b in rows:
        found = db.execute(
            "SELECT en.id, en.name, en.aliases FROM entity_of e JOIN entities en"
            " ON en.id = e.entity WHERE e.key = ?",
            (key,),
        ).fetchone()
        if found is None:
            continue
        eid, old, aliases = found
        if b.startswith(LABEL):
            db.execute("UPDATE entities SET label = ? WHERE id = ?", (b[len(LABEL):], eid))
            continue
        new = safe_line(b[len(NAME):])
        names = [a for a in json.loads(aliases) if a.casefold() != new.casefold()]
        if old.casefold() != new.casefold() and old not in names:
            names.insert(0, old)  # still found by the name the resolver gave it
        db.execute(
            "UPDATE entities SET name = ?, aliases = ? WHERE id = ?",
            (new, json.dumps(names, ensure_ascii=False), eid),
        )


# --- listing -------------------------------------------------------------------------------------
def listing(db: sqlite3.Connection) -> list[tuple[int, str, str, str, str]]:
    """Every decision: (id, kind, subject, detail, made), oldest first, in the user's words."""
    out = []
    for decision_id, kind, a, b, made in db.execute(
        "SELECT id, kind, a, b, made FROM decisions ORDER BY id"
    ).fetchall():
        word = kind_of(kind, b)
        subject = form_of(db, a)
        if word == "merge":
            subject, detail = form_of(db, b), f"into {form_of(db, a)}"
        elif word == "ignore":
            detail = "everywhere"
        elif word == "split":
            detail = "split off its entity; no rule links it"
        elif word == "ignore-here":
            article, form = json.loads(b[len(HERE):])
            subject, detail = form, f"in {article}"
        elif word == "detach":
            article, start, form, into = json.loads(b[len(DETACH):])
            subject = form or subject
            if article is None:
                word, where = "split", "everywhere"
            else:
                where = f"in {article}" + (f" at {start}" if start is not None else "")
            detail = where + (f", into {form_of(db, into)}" if into else ", as its own entity")
        elif word == "rename":
            detail = f"named {b[len(NAME):]}"
        elif word == "relabel":
            detail = f"labelled {b[len(LABEL):]}"
        else:
            detail = b
        out.append((decision_id, word, safe_line(subject), safe_line(detail), made))
    return out


def _like(text: str) -> str:
    """``text`` as a LIKE pattern that matches only itself (with ESCAPE '\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def form_of(db: sqlite3.Connection, key: str) -> str:
    """How the articles write ``key`` most often (the key itself when none does)."""
    row = db.execute(
        "SELECT text FROM mentions WHERE key = ? OR (key >= ? AND key < ?) GROUP BY text"
        " ORDER BY count(*) DESC, text LIMIT 1",
        (key, *_tagged_range(key)),
    ).fetchone()
    return row[0] if row else key


def keys_writing(db: sqlite3.Connection, keys: list[str], form: str) -> list[str]:
    """Which of ``keys`` some article writes as ``form`` (any case)."""
    marks = ",".join("?" * len(keys))
    rows = db.execute(
        f"SELECT DISTINCT key FROM mentions WHERE key IN ({marks}) AND text = ? COLLATE NOCASE",
        (*keys, form),
    ).fetchall()
    return sorted(r[0] for r in rows)


def key_at(db: sqlite3.Connection, article_id: str, offset: int) -> tuple[str, int] | None:
    """The key (untagged) and start of the mention at ``offset`` in the article."""
    row = db.execute(
        "SELECT m.key, m.start FROM mentions m JOIN articles a ON a.rowid = m.article"
        " WHERE a.id = ? AND m.start <= ? AND ? < m.end ORDER BY m.start DESC LIMIT 1",
        (article_id, offset, offset),
    ).fetchone()
    return (row[0].split(TAG, 1)[0], row[1]) if row else None


def entity_of_key(db: sqlite3.Connection, key: str) -> str | None:
    row = db.execute("SELECT entity FROM entity_of WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def keys_written(db: sqlite3.Connection, article_id: str, form: str) -> list[str]:
    """The keys (untagged) of the mentions written ``form`` (any case) in the article."""
    rows = db.execute(
        "SELECT DISTINCT m.key FROM mentions m JOIN articles a ON a.rowid = m.article"
        " WHERE a.id = ? AND m.text = ? COLLATE NOCASE",
        (article_id, form),
    ).fetchall()
    return sorted({r[0].split(TAG, 1)[0] for r in rows})


def extend(decisions: Decisions, tagged: Tagged) -> Decisions:
    """The decisions with the detached mentions kept apart and joined where the user said."""
    decisions.apart |= tagged.apart
    decisions.merges.extend(tagged.merges)
    return decisions
