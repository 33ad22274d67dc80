"""Provides the user's decisions about entities: merge, split (and split off a form), ignore
(everywhere or in one article), detach a mention, rename, relabel, and undo. Each is a row of
the decisions table (index.store.entities and index.store.corrections), applied last by every
relink, so it survives re-imports, restore and `check --repair`.

Functions of a Library's own parts: Library's methods of the same names delegate here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from index.errors import BadInput, NotFound
from index.models import ENTITY_LABELS, Decision, Entity
from index.safe import safe_line
from index.store import corrections, entities

if TYPE_CHECKING:
    from index.library import Library

__all__ = [
    "decisions", "detach", "ignore", "merge", "relabel", "rename", "split", "undo", "unignore",
]


def merge(lib: Library, a: str, b: str) -> Entity:
    """Make ``b`` the same entity as ``a`` (a user decision that survives re-imports)."""
    first, second = lib.entity(a), lib.entity(b)
    if first.id == second.id:
        return first
    key_a = entities.main_key(lib.store.db, first.id)
    key_b = entities.main_key(lib.store.db, second.id)
    with lib.store.write() as db:
        entities.add_merge(db, key_a, key_b)
        lib._relink(db, touched={key_a, key_b})
    return lib.entity(key_a)

def split(lib: Library, entity: str, form: str | None = None) -> list[Entity]:
    """Undo the user's merges into ``entity``; with ``form``, take the mentions written so
    out of it, away from every automatic link (kept across re-imports). Returns the
    entities it splits into."""
    target = lib.entity(entity)
    if form is not None:
        return _split_form(lib, target, form)
    keys = entities.keys(lib.store.db, target.id)
    rows = entities.merges_touching(lib.store.db, keys)
    if not rows:
        raise NotFound(f"'{target.name}' holds no merge of yours to undo")
    with lib.store.write() as db:
        entities.drop_decisions(db, [r[0] for r in rows])
        lib._relink(db, touched={k for r in rows for k in (r[1], r[2])})
    parts = {
        lib.entity(k).id: lib.entity(k) for r in rows for k in (r[1], r[2]) if _has_key(lib, k)
    }
    return list(parts.values())

def _split_form(lib: Library, target: Entity, form: str) -> list[Entity]:
    from index.entities import normalize

    keys = set(entities.keys(lib.store.db, target.id))
    key = normalize(safe_line(form))
    if key not in keys:
        written = corrections.keys_writing(lib.store.db, sorted(keys), safe_line(form))
        if written:  # articles linked the form as a short name: take those mentions out
            return _split_written(lib, target, safe_line(form), written)
        raise NotFound(f"'{safe_line(form)}' is not a name of {target.name} of its own")
    if len(keys) == 1:
        raise NotFound(f"{target.name} has no other name to split '{safe_line(form)}' from")
    with lib.store.write() as db:
        entities.add_apart(db, key)
        lib._relink(db, touched={key})
    return [lib.entity(_main_key_of(lib, keys - {key})), lib.entity(key)]

def _split_written(lib: Library, target: Entity, form: str, keys: list[str]) -> list[Entity]:
    """Every mention written ``form`` under ``keys`` leaves ``target``, in every article."""
    with lib.store.write() as db:
        made = [
            corrections.add_detach(db, k, None, start=None, form=form, into=None)
            for k in keys
        ]
        lib._relink(db, touched=set(keys))
    return [lib.entity(target.id), lib._entity_of_key(f"{keys[0]}{corrections.TAG}d{made[0]}")]

def _main_key_of(lib: Library, keys: set[str]) -> str:
    """The most mentioned of ``keys`` (after a split, the rest of the old entity)."""
    return max(keys, key=lambda k: (entities.mention_count(lib.store.db, k), k))

def _has_key(lib: Library, key: str) -> bool:
    return entities.has_key(lib.store.db, key)

def ignore(lib: Library, name: str, *, article: str | None = None) -> int:
    """Mark a name as "not an entity" everywhere (or, with ``article``, only as written in
    that article); returns how many mentions it hid."""
    from index.entities import normalize

    if article is not None:
        return _ignore_here(lib, name, article)
    key = normalize(safe_line(name))
    if not key:
        raise NotFound(f"'{safe_line(name)}' is not a name")
    hidden = entities.mention_count(lib.store.db, key)
    with lib.store.write() as db:
        entities.add_ignore(db, key)
        lib._relink(db, touched={key})
    return hidden

def _ignore_here(lib: Library, name: str, article: str) -> int:
    lib.article(article)
    keys = corrections.keys_written(lib.store.db, article, safe_line(name))
    if not keys:
        raise NotFound(f"'{safe_line(name)}' is not a name in {safe_line(article)}")
    rowid = lib._rowid(article)
    before = len(entities.mentions(lib.store.db, article=rowid))
    with lib.store.write() as db:
        for key in keys:
            corrections.add_ignore_here(db, key, article, safe_line(name))
        lib._relink(db, touched=set(keys))
    return before - len(entities.mentions(lib.store.db, article=rowid))

def unignore(lib: Library, name: str) -> int:
    """Undo ``ignore(name)``; returns how many mentions are names again."""
    from index.entities import normalize

    key = normalize(safe_line(name))
    if not key or not entities.is_ignored(lib.store.db, key):
        raise NotFound(f"'{safe_line(name)}' is not ignored")
    back = entities.mention_count(lib.store.db, key)
    with lib.store.write() as db:
        entities.drop_ignore(db, key)
        lib._relink(db, touched={key})
    return back

# --- corrections: each one a decision, kept across re-imports; undo() takes one back ---
def detach(lib: Library, article_id: str, *, offset: int | None = None, form: str | None = None,
    into: str | None = None,
) -> Entity:
    """This mention is not that entity: the mention at ``offset`` in the article (or every
    one written ``form`` there) becomes an entity of its own, or joins ``into``. Returns
    the entity it is part of now."""
    lib.article(article_id)  # NotFound for an unknown article
    db = lib.store.db
    if offset is not None:
        found = corrections.key_at(db, article_id, offset)
        if found is None:
            raise NotFound(f"no name at offset {offset} of {safe_line(article_id)}")
        targets = [(found[0], found[1])]
        form = None
    else:
        form = safe_line(form or "")
        keys = corrections.keys_written(db, article_id, form)
        if not keys:
            raise NotFound(f"'{form}' is not a name in {safe_line(article_id)}")
        targets = [(k, None) for k in keys]
    into_key = entities.main_key(lib.store.db, lib.entity(into).id) if into is not None else None
    with lib.store.write() as wdb:
        made = [
            corrections.add_detach(wdb, k, article_id, start=s, form=form, into=into_key)
            for k, s in targets
        ]
        lib._relink(wdb, touched={k for k, _ in targets} | ({into_key} if into_key else set()))
    return lib._entity_of_key(f"{targets[0][0]}{corrections.TAG}d{made[0]}")

def rename(lib: Library, entity: str, name: str) -> Entity:
    """Give the entity the display name ``name`` (its old name stays one of its aliases)."""
    name = safe_line(name).strip()
    if not name:
        raise BadInput("a new name cannot be empty")
    key = entities.main_key(lib.store.db, lib.entity(entity).id)
    with lib.store.write() as db:  # no regrouping: the entities table alone changes
        corrections.add_rename(db, key, name)
        corrections.rename_and_relabel(db)
        corrections.touched(db)
    return lib._entity_of_key(key)

def relabel(lib: Library, entity: str, label: str) -> Entity:
    """Make the entity a ``label`` (PERSON, ORG, GPE, ...) whatever its mentions say."""
    label = label.strip().upper()
    if label not in ENTITY_LABELS:
        raise BadInput(f"'{safe_line(label)}' is not a type; one of {', '.join(ENTITY_LABELS)}")
    key = entities.main_key(lib.store.db, lib.entity(entity).id)
    with lib.store.write() as db:
        corrections.add_relabel(db, key, label)
        corrections.rename_and_relabel(db)
        corrections.touched(db)
    return lib._entity_of_key(key)

def decisions(lib: Library) -> list[Decision]:
    """Every correction of the user's, oldest first."""
    return [Decision(*row) for row in corrections.listing(lib.store.db)]

def undo(lib: Library, decision_id: int | None = None) -> Decision:
    """Take back one decision (by default the latest); returns it."""
    made = lib.decisions()
    if not made:
        raise NotFound("there is no decision to undo")
    if decision_id is None:
        chosen = made[-1]
    else:
        found = [d for d in made if d.id == decision_id]
        if not found:
            raise NotFound(f"no decision {decision_id}; `reader decisions` lists them")
        chosen = found[0]
    with lib.store.write() as db:
        touched = corrections.keys_of_decision(db, chosen.id)
        corrections.drop(db, chosen.id)
        lib._relink(db, touched=touched)
    return chosen
