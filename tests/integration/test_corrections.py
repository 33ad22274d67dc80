"""The user's corrections of the entity graph (detach, split off a form, rename, relabel, ignore
here), `reader decisions` and `reader undo`: each one undoable, and kept across re-imports,
restore and `check --repair` (issue 11)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from index import Library, NotFound
from tests.conftest import SHARED
from tests.integration.test_brief_cli import reader
from tests.integration.test_decisions import reimport
from tests.reliability.test_library_data import damage_text

pytestmark = pytest.mark.model

SCMP = "scmp-china-kazakhstan-xinjiang"
REUTERS = "reuters-china-us-xinjiang-militants"


def graph(library) -> list[tuple[str, str, int, int]]:
    """Every entity as the user sees it in `reader entities`."""
    with Library.open(library, create=False) as lib:
        return sorted((e.name, e.label, e.mentions, e.articles) for e in lib.entities())


def linked(library, article: str, text: str) -> set[str]:
    """The names of the entities the mentions written ``text`` in ``article`` belong to."""
    with Library.open(library, create=False) as lib:
        return {m.name for m in lib.mentions(article=article) if m.text == text}


def test_detach_a_mention_makes_it_its_own_entity_and_undo_puts_it_back(seed_library):
    with Library.open(seed_library, create=False) as lib:
        wang = next(m for m in lib.mentions(article=SCMP) if m.text == "Wang")
        own = lib.detach(SCMP, offset=wang.start + 1)
        assert own.name == "Wang" and own.mentions == 1
        assert lib.entity("Wang Yi").mentions == 4
        assert [d.kind for d in lib.decisions()] == ["detach"]
        lib.undo()
        assert lib.entity("Wang Yi").mentions == 5 and lib.decisions() == []


def test_detach_into_an_entity_you_pick(seed_library):
    done = reader(seed_library, "detach", SCMP, "Wang", "--into", "Huang Ming").stdout
    assert "now Huang Ming (PERSON), 4 mentions in 2 articles" in done
    assert linked(seed_library, SCMP, "Wang") == {"Huang Ming"}
    why = reader(seed_library, "why", "Huang Ming").stdout
    assert "you took it out of its entity" in why and "your merge" in why
    reader(seed_library, "undo")
    assert linked(seed_library, SCMP, "Wang") == {"Wang Yi"}


def test_split_off_a_form_a_rule_linked_in_its_article(seed_library):
    """'Wang' is Wang Yi by the article's own short-name rule (no key of its own to split)."""
    done = reader(seed_library, "split", "Wang Yi", "--form", "Wang").stdout
    assert done.startswith("split into: Wang Yi (PERSON); Wang")
    assert linked(seed_library, SCMP, "Wang") == {"Wang"}
    assert linked(seed_library, SCMP, "Wang Yi") == {"Wang Yi"}
    reimport(seed_library)
    assert linked(seed_library, SCMP, "Wang") == {"Wang"}
    reader(seed_library, "undo")
    assert linked(seed_library, SCMP, "Wang") == {"Wang Yi"}


def test_rename_and_relabel_are_kept_across_a_reimport(seed_library):
    assert reader(seed_library, "rename", "Wang Yi", "Foreign Minister Wang Yi").stdout == (
        "renamed: Foreign Minister Wang Yi (PERSON)\n")
    assert reader(seed_library, "relabel", "Xinjiang", "loc").stdout == "relabelled: Xinjiang (LOC)\n"
    reimport(seed_library)
    with Library.open(seed_library, create=False) as lib:
        renamed = lib.entity("Wang Yi")  # the old name still finds it
        assert renamed.name == "Foreign Minister Wang Yi" and "Wang Yi" in renamed.aliases
        assert lib.entity("Xinjiang").label == "LOC"
    reader(seed_library, "undo")
    reader(seed_library, "undo")
    with Library.open(seed_library, create=False) as lib:
        assert lib.entity("Wang Yi").name == "Wang Yi" and lib.entity("Xinjiang").label == "GPE"
    bad = reader(seed_library, "relabel", "Xinjiang", "CITY", ok=False)
    assert bad.returncode != 0 and "CITY" in bad.stderr


def test_ignore_here_keeps_the_name_in_the_other_articles(seed_library):
    before = {a: len(linked(seed_library, a, "China")) for a in (SCMP, REUTERS)}
    assert before == {SCMP: 1, REUTERS: 1}
    done = reader(seed_library, "ignore", "China", "--here", REUTERS).stdout
    assert done.startswith(f"ignored 'China' in {REUTERS}: ")
    assert linked(seed_library, REUTERS, "China") == set()
    assert linked(seed_library, SCMP, "China") == {"China"}
    reader(seed_library, "undo")
    assert linked(seed_library, REUTERS, "China") == {"China"}


def test_decisions_lists_every_correction_with_its_time_and_undo_n_takes_that_one_back(
    seed_library,
):
    assert reader(seed_library, "decisions").stdout == "no decisions yet\n"
    reader(seed_library, "merge", "Huang Ming", "Cheng Guoping")
    reader(seed_library, "rename", "Xinjiang", "Xinjiang region")
    reader(seed_library, "ignore", "Iraq")
    listed = reader(seed_library, "decisions").stdout.splitlines()
    assert len(listed) == 3
    assert "merge" in listed[0] and "Cheng Guoping: into Huang Ming" in listed[0]
    assert "rename" in listed[1] and "named Xinjiang region" in listed[1]
    records = [json.loads(line) for line in reader(seed_library, "decisions", "--json").stdout.splitlines()]
    assert [r["kind"] for r in records] == ["merge", "rename", "ignore"]
    assert all(r["made"].endswith("+00:00") for r in records)
    undone = reader(seed_library, "undo", str(records[0]["id"])).stdout
    assert undone.startswith(f"undone {records[0]['id']}: merge Cheng Guoping")
    names = {n for n, *_ in graph(seed_library)}
    assert {"Cheng Guoping", "Xinjiang region"} <= names and "Iraq" not in names
    missing = reader(seed_library, "undo", "999", ok=False)
    assert missing.returncode != 0 and "no decision 999" in missing.stderr


def every_correction(library) -> None:
    reader(library, "merge", "Huang Ming", "Cheng Guoping")
    reader(library, "detach", SCMP, "Wang")
    reader(library, "rename", "Xinjiang", "Xinjiang region")
    reader(library, "relabel", "Beijing", "ORG")
    reader(library, "ignore", "China", "--here", REUTERS)
    reader(library, "ignore", "Iraq")


def test_a_reimport_after_corrections_changes_nothing(seed_library):
    every_correction(seed_library)
    before, made = graph(seed_library), reader(seed_library, "decisions").stdout
    reimport(seed_library)
    assert graph(seed_library) == before
    assert reader(seed_library, "decisions").stdout == made


def test_corrections_are_kept_by_restore_and_check_repair(seed_library, tmp_path):
    every_correction(seed_library)
    before, made = graph(seed_library), reader(seed_library, "decisions").stdout
    reader(seed_library, "backup", str(tmp_path / "b.db"))
    restored = tmp_path / "restored"
    reader(restored, "restore", str(tmp_path / "b.db"))
    assert graph(restored) == before and reader(restored, "decisions").stdout == made
    with Library.open(seed_library, create=False) as lib:
        lib.store.close()  # checkpointed: the damage lands in library.db
    damage_text(seed_library / "library.db", b"tacit agreement to programme")
    reader(seed_library, "check", "--repair")
    assert reader(seed_library, "decisions").stdout == made
    assert {n for n, *_ in graph(seed_library)} == {n for n, *_ in before}


def test_ignoring_a_wrong_span_keeps_the_real_name(tmp_path):
    """"U.S. Banks" (a sentence's "U.S. banks", capitalised) is one ORG to spaCy: ignoring it
    leaves the United States. ("Lawson told Funaro Brazil had to...", once one PERSON, is now
    Funaro and Brazil by itself.)"""
    corpus = SHARED / "corpora" / "reuters21578.jsonl.gz"
    if not corpus.exists():
        pytest.skip("the Reuters corpus is not here")
    wanted = {"reuters-950", "reuters-359"}
    src = tmp_path / "two.jsonl"
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        src.write_text("".join(line for line in f if json.loads(line)["id"] in wanted))
    library = tmp_path / "lib"
    reader(library, "add", "--jobs", "1", str(src))
    with Library.open(library, create=False) as lib:
        with pytest.raises(NotFound):
            lib.entity("Funaro Brazil")
        us = lib.entity("United States").mentions
        assert lib.entity("U.S. Banks")
        assert lib.ignore("U.S. Banks") == 2  # "U.S. Banks, holding 35 pct", "than U.S. Banks"
        assert lib.entity("United States").mentions == us
        with pytest.raises(NotFound):
            lib.entity("U.S. Banks")
