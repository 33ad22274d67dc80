"""Adding articles in any order gives the same entities: resolution reads the library as a
whole, never the order it came in (a blank pipeline with an entity ruler stands in for the
model)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.entities import Decisions, key_stats, resolve
from index.entities.institutions import qualify
from index.ingest import nlp as N
from tests.unit.test_nlp import ruler_pipeline

ARTICLES = [
    "General Motors Corp (GM) will close a plant. GM said Tuesday it agreed.",
    "GM shares rose. Ford fell. The Treasury said rates would hold in Washington.",
    "ROME - The Italian Treasury sold bonds. The Treasury said demand was strong.",
    "Treasury Secretary James Baker met Nancy Reagan. Baker said talks went well.",
    "President Reagan spoke. Reagan and Nancy Reagan will visit Rome.",
    "He told Funaro Brazil had to pay. Brazil wants more time, Dilson Funaro said.",
    "Trans World Airlines Inc bid for USAir. TWA said the offer was final.",
    "Birr, Wilson and Co. managed the offer. Finance Minister Michael Wilson said Wilson agreed.",
    "The U.S. Agriculture Department (USDA) said exports rose. USDA expects more.",
    "Kim Mahn-je said Kim expects growth. Andrew Kim of Eberstadt disagreed.",
]
PATTERNS = {
    "ORG": [
        "General Motors Corp", "GM", "Ford", "Treasury", "Italian Treasury", "Trans World Airlines Inc",
        "USAir", "TWA", "Birr, Wilson and Co.", "U.S. Agriculture Department", "USDA", "Eberstadt",
    ],
    "PERSON": [
        "James Baker", "Nancy Reagan", "Baker", "Reagan", "Funaro Brazil", "Dilson Funaro",
        "Michael Wilson", "Wilson", "Kim Mahn-je", "Kim", "Andrew Kim",
    ],
    "GPE": ["Washington", "ROME", "Rome", "Brazil"],
}


@pytest.fixture(scope="module")
def analysed():
    return list(N.analyse(ruler_pipeline(PATTERNS), ARTICLES))


def entities_in(order: list[int], analysed) -> dict[tuple[int, int], tuple[str, str]]:
    """(article, start) -> (entity name, label), resolving the articles in ``order``."""
    keyed = []
    for i in order:
        found = analysed[i]
        keyed.append([m.__class__(**{**m.__dict__, "key": k})
                      for m, k in zip(found, qualify(found, [m.key for m in found]))])
    res = resolve(key_stats(keyed), Decisions())
    out = {}
    for i, found in zip(order, keyed):
        for m in found:
            info = res.entities[res.entity_of[m.key]]
            out[(i, m.start)] = (info.name, info.label)
    return out


@settings(max_examples=40, deadline=None)
@given(order=st.permutations(range(len(ARTICLES))))
def test_any_order_gives_the_same_entities(analysed, order):
    assert entities_in(list(order), analysed) == entities_in(list(range(len(ARTICLES))), analysed)


def test_the_stand_in_library_resolves_the_cases(analysed):
    seen = entities_in(list(range(len(ARTICLES))), analysed)
    gm = seen[(0, ARTICLES[0].index("GM said"))]
    assert gm == seen[(1, 0)] == seen[(0, 0)]
    assert seen[(2, ARTICLES[2].index("Italian"))][0] == "Treasury (Italy)"
    assert seen[(1, ARTICLES[1].index("Treasury"))][0] != "Treasury (Italy)"
    assert seen[(5, ARTICLES[5].index("Brazil wants"))][0] == "Brazil"


_INITIALS = """
from index.entities import Decisions, KeyStats, resolve
def stats(key, form, n):
    return KeyStats(key=key, forms={form: n}, labels={"ORG": n}, mentions=n, articles=n)
res = resolve([stats("futures industry association", "Futures Industry Association", 3),
               stats("future industry association", "Future Industry Association", 1),
               stats("fia", "FIA", 2)], Decisions())
assert res.entity_of["fia"] == res.entity_of["futures industry association"]
print(res.evidence["fia"])
"""


def test_which_long_form_initials_point_to_is_the_same_in_every_process():
    """FIA fits one organisation written two ways ("Futures Industry Association" and
    "Future Industry Association"): its link names the same one in every process. It named
    either by the order of a set of strings, which Python's hashing changes from one process
    to the next: a relink of part of the library and one of the whole could disagree."""
    import os
    import subprocess
    import sys

    seen = set()
    for seed in ("1", "2", "3", "4"):
        out = subprocess.run([sys.executable, "-c", _INITIALS], capture_output=True, text=True,
                             check=True, env={**os.environ, "PYTHONHASHSEED": seed})
        seen.add(out.stdout)
    assert len(seen) == 1, seen
