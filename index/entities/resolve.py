"""Provides resolve(): the library's keys grouped into entities, each with its label, name and id,
and the user's merges and ignores applied last; cheap enough to rerun after every import.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from index.entities import institutions
from index.entities.institutions import country_key
from index.entities.names import (
    _CORPORATE,
    _FIRM_END,
    not_names,
    Keyed,
    defines,
    initials,
    is_firm,
    alias_table,
    is_acronym_of,
    is_demonym,
    is_region,
    is_subsequence,
    normalize,
    short_forms,
    slug,
)
from index.entities.teams import is_team_name, sports, team_of, team_suffix

__all__ = ["Decisions", "EntityInfo", "KeyStats", "Resolution", "key_stats", "resolve"]


# --- the library -------------------------------------------------------------------------------
@dataclass
class KeyStats:
    """What the library knows about one key: how it is written and labelled, how often."""

    key: str
    forms: dict[str, int]  # surface text -> count
    labels: dict[str, int]  # spaCy label -> count
    mentions: int
    articles: int


@dataclass
class Decisions:
    """The user's word, applied after every automatic rule."""

    merges: list[tuple[str, str]] = field(default_factory=list)  # (a, b): b is the same as a
    ignored: set[str] = field(default_factory=set)  # normalized names that are not entities
    apart: set[str] = field(default_factory=set)  # keys no rule may link to anything


@dataclass
class EntityInfo:
    """One resolved entity: a stable id, a display name, a label, its other names."""

    id: str
    name: str
    label: str
    aliases: tuple[str, ...]  # other surface forms, most frequent first


@dataclass
class Resolution:
    """Where every key went."""

    entity_of: dict[str, str]  # key -> entity id (ignored keys absent)
    entities: dict[str, EntityInfo]
    #: key -> (the key it was joined to, why): every automatic join and every user merge.
    evidence: dict[str, tuple[str, str]] = field(default_factory=dict)


#: Order that breaks label ties: the more specific reading first.
_LABEL_ORDER = (
    "PERSON",
    "GPE",
    "ORG",
    "NORP",
    "LOC",
    "FAC",
    "EVENT",
    "LAW",
    "PRODUCT",
    "WORK_OF_ART",
)
_RANK = {label: i for i, label in enumerate(_LABEL_ORDER)}
_PLACE_LIKE = frozenset({"GPE", "LOC", "NORP", "FAC"})
_ACRONYM_FORM = re.compile(r"^[A-Z][A-Z0-9&.\-]{1,11}$")


def top_label(s: KeyStats) -> str:
    """The label resolve() gives a key by its own mentions."""
    return "PERSON" if _is_person_name(s) else _top_label(s.labels)


#: A surname (or a given name) more people than this share links nobody by it alone.
CROWD = 300


def _crowded(bucket: str, keys: list[str], crowded: frozenset[str] | None) -> bool:
    return len(keys) > CROWD if crowded is None else bucket in crowded


def _top_label(labels: dict[str, int]) -> str:
    if len(labels) == 1:
        return next(iter(labels))
    if not labels:
        return "ORG"
    return max(labels, key=lambda lb: (labels[lb], -_rank(lb)))


def _is_person_name(s: KeyStats) -> bool:
    """A multi-word key that spaCy calls PERSON at least half the times it is written in full.

    Its short forms do not vote: "Wang" tagged ORG three times does not outvote "Wang Yi".
    """
    person = s.labels.get("PERSON", 0)
    if not person or " " not in s.key:
        return False
    full = sum(n for f, n in s.forms.items() if " " in f.strip())
    return 2 * person >= full


def _rank(label: str) -> int:
    return _RANK.get(label, len(_LABEL_ORDER))


class _Groups:
    """Union-find over keys; the root keeps the representative chosen for it."""

    def __init__(self, apart: set[str] | None = None) -> None:
        self.parent: dict[str, str] = {}
        self.why: dict[str, tuple[str, str]] = {}
        self.apart = apart or set()  # the user split these off: rules leave them alone

    def find(self, key: str) -> str:
        parent = self.parent
        root = key
        while parent.get(root, root) != root:
            root = parent[root]
        while key != root:
            parent[key], key = root, parent.get(key, key)
        return root

    def join(self, into: str, other: str, reason: str) -> None:
        """Put ``other``'s group under ``into``'s, and say why ``other`` belongs there."""
        if into in self.apart or other in self.apart:
            return
        a, b = self.find(into), self.find(other)
        if a != b:
            self.parent[b] = a
            self.why[other] = (into, reason)


def resolve(
    stats: Iterable[KeyStats], decisions: Decisions, *, crowded: frozenset[str] | None = None,
    library: Mapping[str, KeyStats] | None = None,
) -> Resolution:
    """Group the library's keys into entities; the user's merges and ignores come last.

    ``stats`` may be one part of the library (index.entities.partition: keys no rule links to
    the rest), with ``library`` every key (the labels of other keys some rules read) and
    ``crowded`` the library's surnames and given names too common to link ("last:smith",
    "given:john"); by default both come from ``stats``.

    Automatic joins, each only when one candidate fits (or one outweighs all the others
    together ``DOMINANCE`` times over):

    - a multi-word person name joins the longer one holding its words in order ("mark felt"
      -> "w mark felt", "vincent gigante" -> "vincent the chin gigante");
    - a one-word key joins the person whose last word it is, or whose articles used it as a
      short name (their local keys put "Wang" under "wang yi"), unless the word is a people or
      mostly a place nobody used it for;
    - else the one-word key joins the ORG whose last word it is ("saints" -> "new orleans
      saints");
    - a one-word acronym ("etim") joins the long form an article defined it for.
    """
    table = {s.key: s for s in sorted(stats, key=lambda s: s.key) if s.key}
    groups = _Groups(decisions.apart)
    top = {k: top_label(s) for k, s in table.items()}
    library = table if library is None else library
    outside: dict[str, str | None] = {}

    def label_of(key: str) -> str | None:
        """The label of any key of the library, in this part or not."""
        if key in top:
            return top[key]
        if key not in outside:
            found = library.get(key)
            outside[key] = None if found is None else top_label(found)
        return outside[key]

    # Who each short word could stand for, with how often an article used it so.
    person_word: dict[str, dict[str, int]] = {}
    org_word: dict[str, dict[str, int]] = {}
    by_acronym: dict[str, dict[str, int]] = {}  # acronym -> {long form: times defined so}
    by_last: dict[str, list[str]] = {}
    by_initials: dict[str, set[str]] = {}
    by_tail: dict[str, set[str]] = {}
    firm = {k: any(is_firm(f) for f in s.forms) for k, s in table.items()}
    for key, s in table.items():
        if " " not in key:
            continue
        label = top[key]
        if label == "ORG":
            for form in s.forms:
                if " " in form.strip() and not form.isupper():
                    # "AMC" keeps the firm's "Corp"; "TWA" drops its "Inc"
                    plain = _FIRM_END.sub("", form)
                    # "AMC" counts the Corp of "American Motors Corp"; no "Inc" is an initial
                    # (First Boston Inc is not the FBI)
                    corp = form[len(plain) :].strip().lower().startswith("co")
                    variants = {initials(form) if corp else "", initials(plain)}
                    variants.add(initials(_of_form(plain)))  # "USDA": U.S. Department of Agriculture
                    for letters in variants - {""}:
                        by_initials.setdefault(letters, set()).add(key)
            head, _, rest = key.partition(" ")
            if " " in rest and label_of(head) in ("GPE", "LOC") and country_key(head) is None:
                by_tail.setdefault(rest, set()).add(key)  # "red sox" of "boston red sox"
        if label == "ORG" and label_of(key.rsplit(" ", 1)[0]) not in ("GPE", "LOC"):
            label = ""  # only "<place> <name>" lends its last word ("new orleans saints")
        if label == "PERSON" and firm[key]:
            label = ""  # "Birr, Wilson and Co." lends nobody its "Wilson"
        if label == "PERSON" or label == "ORG":
            short_names = person_word if label == "PERSON" else org_word
            last = normalize(key.rsplit(" ", 1)[1])
            short_names.setdefault(last, {}).setdefault(key, 0)
            if label == "PERSON":
                by_last.setdefault(last, []).append(key)
            for form, n in s.forms.items():
                if " " not in form.strip():
                    short = normalize(form)
                    if short and short != key:
                        home = short_names.setdefault(short, {})
                        home[key] = home.get(key, 0) + n
        for form in s.forms:
            if _ACRONYM_FORM.match(form) and defines(form, key):
                short = normalize(form)
                if short != key:
                    home = by_acronym.setdefault(short, {})
                    home[key] = home.get(key, 0) + s.forms[form]

    # Shorter full names into longer ones, the longest first so that the names a short one
    # could stand for are already grouped ("vincent chin gigante" before "vincent gigante").
    for last, keys in by_last.items():
        if len(keys) < 2 or _crowded(f"last:{last}", keys, crowded):
            continue
        keys.sort(key=lambda k: (-k.count(" "), k))
        for short in keys:
            parts = short.split()
            longer: dict[str, int] = {}
            for k in keys:
                longer_name = k.count(" ") > short.count(" ") or (
                    k.count(" ") == short.count(" ") and len(k) > len(short)  # "c" of "cheney"
                )
                if k != short and longer_name and _same_person(parts, k.split()):
                    root = groups.find(k)
                    longer[root] = longer.get(root, 0) + table[k].mentions
            target = _dominant(longer)
            if target is not None:
                groups.join(target, short, "the same name, written in full")

    # "Duncan Raite" is "Duncan Rait": the same given names, a surname one letter apart.
    by_given: dict[str, list[str]] = {}
    for keys in by_last.values():
        for k in keys:
            by_given.setdefault(k.rsplit(" ", 1)[0], []).append(k)
    for given, keys in sorted(by_given.items()):  # in an order no other key can change
        if len(keys) < 2 or _crowded(f"given:{given}", keys, crowded):
            continue
        keys.sort(key=lambda k: (-table[k].mentions, k))
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                if _one_typo(a.rsplit(" ", 1)[1], b.rsplit(" ", 1)[1]):
                    groups.join(a, b, "the same name, one letter apart")

    # "Academy of Motion Pictures Arts and Sciences" is "... Motion Picture Arts ...".
    by_singular: dict[str, list[str]] = {}
    for key in table:
        if top[key] == "ORG" and key.count(" ") >= 2:
            by_singular.setdefault(singular(key), []).append(key)
    for keys in by_singular.values():
        keys.sort(key=lambda k: (-table[k].mentions, k))
        for other in keys[1:]:
            groups.join(keys[0], other, "the same name but for a plural")

    weight: dict[str, int] = {}
    for key, s in table.items():
        root = groups.find(key)
        weight[root] = weight.get(root, 0) + s.mentions

    for key, s in table.items():
        if " " in key:
            continue
        homes = by_acronym.get(key)
        if homes is None and top[key] == "ORG" and _ACRONYM_FORM.match(_top_form(s)):
            letters = "".join(c for c in _top_form(s) if c.isalpha()).upper()
            fits = by_initials.get(letters, set())
            roots = {groups.find(k) for k in fits}
            long_form = min(fits) if len(roots) == 1 else ""  # any order gives the same
            # A name far more written than the only firm it fits is something else: NBC is
            # not the National Bank of Canada.
            if len(letters) >= 3 and long_form and s.mentions <= 10 * weight[roots.pop()]:
                groups.join(
                    long_form, key, f"initials of {_top_form(table[long_form])}, the only"
                    " organisation they fit"
                )
                continue
        long_form = _dominant(homes) if homes else None  # "EC": the European Community,
        if long_form is not None:  # not the junk span that once wrote it beside "EC"
            # Not when the letters mostly name a place: "Md." is Maryland, whatever "McDonnell
            # Douglas (MD)" once said.
            if top[key] not in _PLACE_LIKE or top[long_form] in _PLACE_LIKE:
                groups.join(long_form, key, "acronym defined in the library's stories")
            continue
        if is_demonym(key):
            continue
        place = sum(n for lb, n in s.labels.items() if lb in _PLACE_LIKE)
        for short_names, label in ((person_word, "PERSON"), (org_word, "ORG")):
            candidates = short_names.get(key)
            if not candidates or (label == "PERSON" and firm[key]):
                continue  # "Johnson Co" is written as a firm: it joins no person
            evidence: dict[str, int] = {}
            for candidate, n in candidates.items():
                r = groups.find(candidate)
                evidence[r] = evidence.get(r, 0) + n
            best = _dominant({r: weight[r] for r in evidence})
            if best is None:
                continue
            root = best
            used = evidence[root]  # how often articles used this word for that entity
            if used < s.mentions:
                if place * 2 > s.mentions:
                    continue  # mostly a place, and mostly not used for the name
                if label == "ORG" and top[key] == "PERSON":
                    continue
                if label == "PERSON" and top[key] == "ORG" and 2 * used < s.mentions:
                    continue  # "Salomon" the firm is not Robert Salomon
                # A one-word name far more frequent than the full name lives its own life.
                if s.labels.get("PERSON", 0) == 0 and s.mentions > 4 * weight[root]:
                    continue
            word = s.forms and max(s.forms, key=lambda f: (s.forms[f], f)) or key
            if label == "PERSON":
                reason = (
                    f"surname; the only {word} in the library"
                    if len(candidates) == 1
                    else f"surname; {word} stands for this person in most articles"
                )
            else:
                reason = "short form of the name in the same stories"
            groups.join(root, key, reason)
            break

    by_place: dict[str, set[str]] = {}
    for key, s in table.items():
        if " " in key and top[key] == "ORG" and not key.endswith(")"):
            words = key.split()
            for n in (1, 2, 3):
                if len(words) > n:
                    by_place.setdefault(" ".join(words[:n]), set()).add(key)
        else:
            place = team_place(s, label_of)
            if place:
                by_place.setdefault(place, set()).add(key)
    teams: dict[str, dict[str, str]] = {}  # place -> {a team's key: its sport, "" unknown}
    for key in table:
        team = team_of(key)
        if team is not None:
            teams.setdefault(team[0], {})[key] = team[1]
    for place, keyed in sorted(teams.items()):
        if label_of(place) == "ORG":  # "Creighton" is a team everywhere: no place to leave
            for key in sorted(keyed):
                groups.join(place, key, "the same name; the library calls it an organisation")
            continue
        # A team whose story named no sport ("Boston (team)") is the team of that place the
        # library knows best, by name or by sport; one whose story did is that sport's team,
        # which only an organisation of the place can be.
        for key, sport in sorted(keyed.items(), key=lambda kv: (kv[1] == "", kv[0])):
            weights: dict[str, int] = {}
            others = [k for k, sp in keyed.items() if sp and not sport]
            candidates = [*by_place.get(place, ()), *others]
            # the place's teams, when it has any, not its newspaper or college: "Boston
            # (baseball team)" is the Red Sox or the Celtics, never the Boston Herald
            teams_only = [k for k in candidates if team_of(k) is not None or is_team_name(k)]
            for k in teams_only or candidates:
                root = groups.find(k)
                weights[root] = weights.get(root, 0) + table[k].mentions
            target = _dominant(weights)
            if target is not None:
                groups.join(target, key, f"the team of {_top_form(library[place]) if place in library else place}"
                            f" the library knows best: {_top_form(table[target])}{_team_shown(target)}")
            elif place in table and not _known_place(place):
                # "Creighton (25 - 7)": no one team of it and no town by it the library knows
                groups.join(place, key, "the same name; no team or place by it is known")
    for tail, longer in by_tail.items():
        if tail in table and top[tail] == "ORG" and len({groups.find(k) for k in longer}) == 1:
            target = min(longer)  # any order gives the same
            groups.join(target, tail, f"short form of {_top_form(table[target])}")

    # Representatives before the user's merges, so "b is a" keeps a's id.
    members: dict[str, list[str]] = {}
    for key in table:
        members.setdefault(groups.find(key), []).append(key)
    rep_of_root = {
        root: keys[0] if len(keys) == 1 else _representative(keys, table, top)
        for root, keys in members.items()
    }

    ids: dict[str, str] = {}
    if decisions.merges:
        for root in sorted(rep_of_root, key=lambda r: rep_of_root[r]):
            ids.setdefault(slug(rep_of_root[root]), root)
    for a, b in decisions.merges:
        ka, kb = _key_for(a, table, ids, groups), _key_for(b, table, ids, groups)
        if ka is None or kb is None:
            continue
        ra, rb = groups.find(ka), groups.find(kb)
        if ra != rb:
            groups.parent[rb] = ra
        groups.why[kb] = (ka, "your merge")

    ignored = {normalize(n) for n in decisions.ignored} | set(decisions.ignored)
    # "U.S. Dlrs", "Canadian Dlrs": a table's label after a name is no entity (not-names.txt)
    labels_only = not_names() - _CORPORATE  # a firm's suffix there is a firm's, not a label
    ignored |= {k for k in table if " " in k and k.rsplit(" ", 1)[1] in labels_only}
    members = {}
    for key in table:
        if key not in ignored:
            members.setdefault(groups.find(key), []).append(key)

    entity_of: dict[str, str] = {}
    entities: dict[str, EntityInfo] = {}
    for root in sorted(members, key=lambda r: rep_of_root.get(r) or r):
        keys = members[root]
        rep = rep_of_root.get(root)
        if rep is None or rep in ignored:
            rep = _representative(keys, table, top)
        info = _entity(rep, keys, table, top)
        while info.id in entities:  # only when keys came from outside normalize()
            info.id += "-2"
        entities[info.id] = info
        for key in keys:
            entity_of[key] = info.id
    evidence = {
        k: why for k, why in groups.why.items() if k in entity_of and why[0] in entity_of
    }
    return Resolution(entity_of=entity_of, entities=entities, evidence=evidence)


_BODIES = frozenset({"department", "ministry", "bureau", "office", "agency", "service"})


def _of_form(name: str) -> str:
    """ "U.S. Department Agriculture" for "U.S. Agriculture Department": the order whose
    initials make the acronym ("USDA"); other names as they are."""
    words = name.split()
    if len(words) < 2 or words[-1].lower() not in _BODIES:
        return name
    lead = words[:1] if words[0].replace(".", "").upper() in ("US", "UK") else []
    return " ".join([*lead, words[-1], *words[len(lead) : -1]])


def singular(key: str) -> str:
    """A multi-word name with every plural word made singular ("arts" -> "art"): two
    organisations written so differ only by a slip."""
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
                    for w in key.split())


def team_place(s: KeyStats, label_of: Callable[[str], str | None]) -> str:
    """The place of a "<place> <team>" key that spaCy did not call an organisation ("Jacksonville
    Jaguars", mostly PERSON, a quarter of the time FAC or ORG); "" for any other key, and for a
    person's name ("Paris Jones": always a person)."""
    if top_label(s) == "ORG" or not is_team_name(s.key):
        return ""
    place = s.key.rsplit(" ", 1)[0]
    other = s.mentions - s.labels.get("PERSON", 0)
    return place if 4 * other >= s.mentions and label_of(place) in ("GPE", "LOC") else ""


def _known_place(key: str) -> bool:
    """A country, a capital, a big city or a region the data names (Boston, England, Texas)."""
    return institutions.place_country(key) is not None or is_region(key)


def _team_shown(key: str) -> str:
    """ " (rugby team)" as a name shows it ("American football" as the data file spells it);
    "" for a key that is no team's."""
    team = team_of(key)
    if team is None:
        return ""
    return team_suffix(sports()[team[1]][0] if team[1] in sports() else team[1])


def _top_form(s: KeyStats) -> str:
    return max(s.forms, key=lambda f: (s.forms[f], f)) if s.forms else s.key


def _same_person(short: list[str], long: list[str]) -> bool:
    """Whether a shorter full name can be the longer one: the same surname, and each given
    name the same, an initial of it, its first letters ("fred" of "frederick") or a short form
    index/data/given-names.tsv gives ("mo" of "maurice"), in order;
    "nancy reagan" never fits "ronald wilson reagan"."""
    if short[-1] != long[-1] and not _one_typo(short[-1], long[-1]):
        return False
    if is_subsequence(short, long):
        return True
    it = iter(long[:-1])
    for w in short[:-1]:
        for x in it:
            if (
                w == x
                or (len(w) >= 3 and x.startswith(w))
                or (len(w) == 1 and x[0] == w)
                or x in short_forms().get(w, ())  # "mo" of "maurice"
            ):
                break
        else:
            return False
    return True


def _one_typo(a: str, b: str) -> bool:
    """ "shevardnaze" / "shevardnadze", "schultz" / "shultz", "klistchko" / "klitschko": one
    letter dropped from a long surname, two swapped, or one changed in a very long one. Short
    names that differ so are other families (Baker, Barker; Hansen, Hanson; Wood, Woods)."""
    if a[0] != b[0] or abs(len(a) - len(b)) > 1 or a + "s" == b or b + "s" == a:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return len(a) >= 8
        swapped = len(diff) == 2 and diff[1] == diff[0] + 1
        return swapped and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]] and len(a) >= 6
    short, long = sorted((a, b), key=len)
    return len(long) >= 7 and any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def key_stats(articles: Iterable[Iterable[Keyed]]) -> list[KeyStats]:
    """KeyStats from each article's mentions (objects with ``key``, ``text`` and ``label``)."""
    table: dict[str, KeyStats] = {}
    for mentions in articles:
        seen: set[str] = set()
        for m in mentions:
            s = table.get(m.key)
            if s is None:
                s = table[m.key] = KeyStats(m.key, {}, {}, 0, 0)
            s.forms[m.text] = s.forms.get(m.text, 0) + 1
            s.labels[m.label] = s.labels.get(m.label, 0) + 1
            s.mentions += 1
            if m.key not in seen:
                seen.add(m.key)
                s.articles += 1
    return list(table.values())


#: A candidate wins a contested short name when it outweighs the next one this many times
#: (and all the others together twice over): "reagan" goes to Ronald Reagan (52 mentions),
#: not Nancy (4); "gigante" stays apart from Vincent (41) and Louis (30).
DOMINANCE = 4


def _dominant(weights: dict[str, int]) -> str | None:
    """The only candidate, or the one that clearly outweighs the others."""
    if not weights:
        return None
    if len(weights) == 1:
        return next(iter(weights))
    ranked = sorted(weights, key=lambda k: (-weights[k], k))
    best, second = weights[ranked[0]], weights[ranked[1]]
    rest = sum(weights.values()) - best
    return ranked[0] if best >= DOMINANCE * second and best >= 2 * rest else None


def _key_for(
    name: str, table: dict[str, KeyStats], ids: dict[str, str], groups: _Groups
) -> str | None:
    """A decision's name as a key: a key, an entity id, or a name to normalize."""
    if name in table:
        return name
    if name in ids:
        return ids[name]
    key = normalize(name)
    return key if key in table else None


def _representative(keys: list[str], table: dict[str, KeyStats], top: dict[str, str]) -> str:
    """The key that names the group: an alias-table entry, else (in a person's group) a
    multi-word PERSON name, else the most mentioned key."""
    _, display = alias_table()
    person = _is_person_group(keys, table, top)
    return max(
        keys,
        key=lambda k: (
            k in display,
            person and top[k] == "PERSON" and " " in k,
            table[k].mentions,
            len(k),
            k,
        ),
    )


def _is_person_group(keys: list[str], table: dict[str, KeyStats], top: dict[str, str]) -> bool:
    """A group whose multi-word PERSON names carry a fair share (a fifth) of its mentions."""
    full = sum(table[k].mentions for k in keys if top[k] == "PERSON" and " " in k)
    return full > 0 and 5 * full >= sum(table[k].mentions for k in keys)


def _entity(
    rep: str, keys: list[str], table: dict[str, KeyStats], top: dict[str, str]
) -> EntityInfo:
    if len(keys) == 1:
        labels, forms = table[rep].labels, table[rep].forms
    else:
        labels, forms = {}, {}
        for k in keys:
            for lb, n in table[k].labels.items():
                labels[lb] = labels.get(lb, 0) + n
            for f, n in table[k].forms.items():
                forms[f] = forms.get(f, 0) + n
    label = _decide_label(keys, labels, _is_person_group(keys, table, top))
    if label == "PERSON" and any(_FIRM_END.search(f.strip()) for f in forms):
        label = "ORG"  # "ChemLawn Corp", "Outboard Marine Corp": written as a firm, no person
    name = _display_name(rep, forms, table[rep].forms, label)
    team = team_of(rep)
    if team is not None:  # "Boston (team)", "England (rugby team)", beside the place
        suffix = _team_shown(rep)
        if not name.endswith(suffix):
            name += suffix
    country = institutions.display(rep)
    if country is not None:  # "Treasury (Italy)": the bare head's spelling, and its country
        head = rep.rsplit(" (", 1)[0]
        bare = [f for f in forms if normalize(f) == head and f[:1].isupper() and not f.isupper()]
        name = f"{max(bare, key=lambda f: (forms[f], f)) if bare else head.title()} ({country})"
    if len(forms) == 1:
        aliases: tuple[str, ...] = () if name in forms else tuple(forms)
    else:
        seen = {name.casefold()}
        found = []
        for f in sorted(forms, key=lambda f: (-forms[f], f)):
            folded = f.casefold()
            if folded not in seen:
                seen.add(folded)
                found.append(f)
        aliases = tuple(found)
    return EntityInfo(id=slug(rep), name=name, label=label, aliases=aliases)


def _decide_label(keys: list[str], labels: dict[str, int], person: bool) -> str:
    """All mentions vote, with two priors that beat spaCy's usual slips.

    - A group holding a multi-word PERSON name is a person ("Wang" tagged ORG joins "Wang Yi").
    - A nationality, people or faith word is NORP ("Uighurs" tagged ORG, "Uygurs" tagged GPE),
      unless it is nearly always tagged PERSON (Han the surname).
    """
    if person:
        return "PERSON"
    total = sum(labels.values())
    if any(is_demonym(k) for k in keys) and labels.get("PERSON", 0) < 0.8 * total:
        return "NORP"
    return _top_label(labels)


def _display_name(rep: str, forms: dict[str, int], own: dict[str, int], label: str) -> str:
    """The form that reads best: not SHOUTED, a full name for a person, the representative
    key's own spelling, then the most frequent; an acronym is spelled out when it can be."""
    _, display = alias_table()
    if rep in display:
        return display[rep]
    if not forms:
        return rep
    if len(forms) == 1:
        best = next(iter(forms))
    else:

        def score(f: str) -> tuple:
            shouting = f.isupper() and len(f) > 5 and any(len(w) > 5 for w in f.split())
            return (
                not shouting and not f[:1].islower(),
                label == "PERSON" and " " in f.strip(),
                f in own,
                forms[f],
                f.count(" "),
                f,
            )

        best = max(forms, key=score)
    if _ACRONYM_FORM.match(best):
        longs = [f for f in forms if " " in f and is_acronym_of(best, f) and not f.isupper()]
        if longs:
            best = max(longs, key=lambda f: (forms[f], f))
    return best
