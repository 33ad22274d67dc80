"""The partition of the library's keys (index/entities/partition.py): resolving again only the
part a change reaches gives exactly what resolving the whole library gives, whatever the change
(a correction's new decision, a mention detached, names added or gone)."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.entities import Decisions, KeyStats, Resolution, resolve
from index.entities.partition import Partition

GIVEN = ["james", "john", "nancy", "ronald", "fred", "frederick", "wang", "mark", "w"]
SURNAMES = ["baker", "barker", "reagan", "shultz", "schultz", "shevardnadze", "shevardnaze",
            "yi", "felt", "tower", "wilson"]
PLACES = ["boston", "brazil", "new orleans", "texas", "oregon"]
ORG_WORDS = ["saints", "steel", "bank", "red sox", "power", "securities"]
FIRMS = [("trans world airlines", "TWA"), ("american motors corp", "AMC"),
         ("european community", "EC"), ("east turkestan islamic movement", "ETIM"),
         # one organisation written with and without a plural
         ("academy of motion pictures arts", "AMPA"), ("academy of motion picture arts", "AMPA")]


def _stats(key: str, forms: dict[str, int], label: str, rng: random.Random) -> KeyStats:
    total = sum(forms.values())
    labels = {label: total}
    if total > 1 and rng.random() < 0.3:  # spaCy's slips: another label now and then
        other = rng.choice(["ORG", "GPE", "PERSON"])
        slips = rng.randint(1, total - 1)
        labels[label] -= slips
        labels[other] = labels.get(other, 0) + slips
    return KeyStats(key, forms, labels, total, 1)


def library(rng: random.Random) -> dict[str, KeyStats]:
    """A small library of keys as the recogniser makes them, with their traps: namesakes,
    surnames one letter apart, teams named after places, acronyms and firms."""
    table: dict[str, KeyStats] = {}

    def put(key: str, forms: dict[str, int], label: str) -> None:
        table[key] = _stats(key, forms, label, rng)

    for _ in range(rng.randint(5, 25)):
        given, surname = rng.choice(GIVEN), rng.choice(SURNAMES)
        n = rng.randint(1, 6)
        forms = {f"{given.title()} {surname.title()}": n}
        if rng.random() < 0.5:
            forms[surname.title()] = rng.randint(1, 4)  # the article's short name
        put(f"{given} {surname}", forms, "PERSON")
    for surname in rng.sample(SURNAMES, rng.randint(1, 5)):
        put(surname, {surname.title(): rng.randint(1, 8)}, rng.choice(["PERSON", "ORG", "GPE"]))
    for place in rng.sample(PLACES, rng.randint(1, 4)):
        if rng.random() < 0.8:
            put(place, {place.title(): rng.randint(1, 9)}, rng.choice(["GPE", "GPE", "ORG"]))
        for word in rng.sample(ORG_WORDS, rng.randint(0, 3)):
            put(f"{place} {word}", {f"{place.title()} {word.title()}": rng.randint(1, 5)}, "ORG")
            if rng.random() < 0.5:
                put(word, {word.title(): rng.randint(1, 5)}, rng.choice(["ORG", "PERSON"]))
        if rng.random() < 0.4:
            put(f"{place} (team)", {place.title(): rng.randint(1, 4)}, "ORG")
        for sport in rng.sample(["rugby", "cricket"], rng.randint(0, 2)):
            put(f"{place} ({sport} team)", {place.title(): rng.randint(1, 6)}, "GPE")
    for long_form, short in rng.sample(FIRMS, rng.randint(1, 4)):
        forms = {long_form.title(): rng.randint(1, 4)}
        if rng.random() < 0.6:
            forms[short] = 1  # "Trans World Airlines (TWA)" defined it
        put(long_form, forms, "ORG")
        if rng.random() < 0.7:
            put(short.lower(), {short: rng.randint(1, 9)}, "ORG")
    return table


def change(table: dict[str, KeyStats], decisions: Decisions, rng: random.Random
           ) -> tuple[dict[str, KeyStats | None], Decisions, set[str]]:
    """One change as corrections and imports make them: (new stats, decisions, touched)."""
    keys = sorted(table)
    decisions = Decisions(list(decisions.merges), set(decisions.ignored), set(decisions.apart))
    kind = rng.choice(["detach", "merge", "gone", "new", "more", "ignore", "apart", "unmerge"])
    key = rng.choice(keys)
    s = table[key]
    if kind == "detach" and s.mentions > 1:
        form = next(iter(s.forms))
        kept = dict(s.forms)
        kept[form] -= 1
        label = max(s.labels, key=s.labels.get)
        labels = dict(s.labels)
        labels[label] -= 1
        tagged = f"{key}§d{rng.randint(1, 99)}"
        decisions.apart.add(tagged)
        if rng.random() < 0.5:
            decisions.merges.append((rng.choice(keys), tagged))  # detached into another
        return ({key: KeyStats(key, {f: n for f, n in kept.items() if n},
                               {lb: n for lb, n in labels.items() if n}, s.mentions - 1, 1),
                 tagged: KeyStats(tagged, {form: 1}, {label: 1}, 1, 1)}, decisions, {tagged})
    if kind == "merge":
        other = rng.choice(keys)
        decisions.merges.append((key, other))
        return {}, decisions, {key, other}
    if kind == "unmerge" and decisions.merges:
        a, b = decisions.merges.pop(rng.randrange(len(decisions.merges)))
        return {}, decisions, {a, b}
    if kind == "gone":
        return {key: None}, decisions, set()
    if kind == "ignore":
        decisions.ignored.add(key)
        return {}, decisions, {key}
    if kind == "apart":
        decisions.apart.add(key)
        return {}, decisions, {key}
    if kind == "new":
        fresh = library(rng)
        new = rng.choice(sorted(fresh))
        return {new: fresh[new]}, decisions, set()
    forms = dict(s.forms)  # "more": the same key, written more often, maybe labelled otherwise
    form = rng.choice(sorted(forms))
    more = rng.randint(1, 9)
    forms[form] += more
    labels = dict(s.labels)
    label = rng.choice(["PERSON", "ORG", "GPE"])
    labels[label] = labels.get(label, 0) + more
    return {key: KeyStats(key, forms, labels, sum(labels.values()), 1)}, decisions, set()


def assert_same(whole: Resolution, before: Resolution, part: Resolution, keys: set[str],
                table: dict[str, KeyStats]) -> None:
    for key in table:
        if key in keys:  # resolved again: as the whole library resolves it
            assert part.entity_of.get(key) == whole.entity_of.get(key), key
            if key in whole.entity_of:
                assert part.entities[part.entity_of[key]] == whole.entities[whole.entity_of[key]]
            assert part.evidence.get(key) == whole.evidence.get(key), key
        else:  # left alone: and the whole library agrees nothing changed there
            assert before.entity_of.get(key) == whole.entity_of.get(key), key
            if key in whole.entity_of:
                assert before.entities[before.entity_of[key]] == whole.entities[whole.entity_of[key]]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32))
def test_resolving_the_changed_part_gives_what_resolving_everything_gives(seed):
    rng = random.Random(seed)
    table = library(rng)
    decisions = Decisions()
    partition = Partition(table.values(), decisions)
    before = resolve(table.values(), decisions)
    for _ in range(6):
        stats, decisions, touched = change(table, decisions, rng)
        for key, s in stats.items():
            if s is None:
                table.pop(key, None)
            else:
                table[key] = s
        keys = partition.update(stats, decisions, touched)
        whole = resolve(table.values(), decisions)
        if keys is None:  # the partition cannot be sure: it says so, and is rebuilt
            partition = Partition(table.values(), decisions)
        else:
            part = resolve([partition.table[k] for k in keys if k in partition.table],
                           partition.within(decisions, keys), crowded=partition.crowded(),
                           library=partition.table)
            assert_same(whole, before, part, keys, table)
        before = whole


def test_a_correction_reaches_only_its_part_of_the_library():
    """Detaching one Baker mention resolves the Bakers again, not Brazil or the EC."""
    rng = random.Random(7)
    table = {
        "james baker": _stats("james baker", {"James Baker": 5, "Baker": 3}, "PERSON", rng),
        "baker": _stats("baker", {"Baker": 2}, "PERSON", rng),
        "george baker": _stats("george baker", {"George Baker": 1}, "PERSON", rng),
        "brazil": _stats("brazil", {"Brazil": 9}, "GPE", rng),
        "european community": _stats("european community", {"European Community": 4, "EC": 1},
                                     "ORG", rng),
        "ec": _stats("ec", {"EC": 7}, "ORG", rng),
    }
    partition = Partition(table.values(), Decisions())
    keys = partition.update({}, Decisions(apart={"baker"}), {"baker"})
    assert keys == {"james baker", "baker", "george baker"}


def test_a_part_gives_the_evidence_the_whole_library_gives_whatever_else_it_holds():
    """Who a name was joined to, and why, does not hang on unrelated names: "Ann Yi" and
    "Wang Yi" once changed the order in which the surnames one letter apart were joined."""
    rng = random.Random(1)
    shev = {
        "w shevardnadze": {"W Shevardnadze": 3},
        "wang shevardnadze": {"Wang Shevardnadze": 2},
        "w shevardnaze": {"W Shevardnaze": 2},
        "wang shevardnaze": {"Wang Shevardnaze": 1},
    }
    table = {k: KeyStats(k, forms, {"PERSON": sum(forms.values())}, sum(forms.values()), 1)
             for k, forms in shev.items()}
    for key in ("ann yi", "wang yi"):
        table[key] = _stats(key, {key.title(): 2}, "PERSON", rng)
    partition = Partition(table.values(), Decisions())
    keys = partition.update({"w shevardnaze": table["w shevardnaze"]}, Decisions(), set())
    assert keys == set(shev)
    part = resolve([table[k] for k in keys], Decisions(), crowded=partition.crowded(),
                   library=table)
    whole = resolve(table.values(), Decisions())
    assert {k: part.evidence.get(k) for k in shev} == {k: whole.evidence.get(k) for k in shev}
