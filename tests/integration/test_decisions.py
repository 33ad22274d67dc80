"""The user's last word: `reader merge`, `split` and `ignore` (and its `--undo`) on the seeds,
kept when an article is imported again."""

from __future__ import annotations

import pytest

from index import Library, NotFound
from tests.conftest import SEEDS
from tests.integration.test_brief_cli import reader

pytestmark = pytest.mark.model


def people(library) -> dict[str, int]:
    with Library.open(library, create=False) as lib:
        return {e.name: e.mentions for e in lib.entities(label="PERSON")}


def reimport(library) -> None:
    """Remove both seed articles and import them again: every entity is resolved anew."""
    for article in ("reuters-china-us-xinjiang-militants", "scmp-china-kazakhstan-xinjiang"):
        reader(library, "remove", article)
    done = reader(library, "add", "--jobs", "1", str(SEEDS))
    assert done.stdout.startswith("2 added"), done.stdout


def test_merge_survives_a_reimport_and_split_undoes_it(seed_library):
    merged = reader(seed_library, "merge", "Huang Ming", "cheng guoping").stdout
    assert merged.startswith("merged: Huang Ming (PERSON), 2 mentions in 1 article")
    reimport(seed_library)
    found = people(seed_library)
    assert found["Huang Ming"] == 2 and "Cheng Guoping" not in found
    reader(seed_library, "split", "Huang Ming")
    found = people(seed_library)
    assert found["Huang Ming"] == 1 and found["Cheng Guoping"] == 1


def test_ignore_survives_a_reimport_and_undo_brings_the_name_back(seed_library):
    assert "ignored 'Tina Kaidanow': 1 mention hidden" in reader(
        seed_library, "ignore", "Tina Kaidanow").stdout
    reimport(seed_library)
    assert "Tina Kaidanow" not in people(seed_library)
    shown = reader(seed_library, "mentions", "--entity", "Tina Kaidanow", ok=False)
    assert shown.returncode != 0 and "Tina Kaidanow" in shown.stderr
    back = reader(seed_library, "ignore", "--undo", "tina kaidanow").stdout
    assert "is a name again: 1 mention back" in back
    assert people(seed_library)["Tina Kaidanow"] == 1
    with Library.open(seed_library, create=False) as lib, pytest.raises(NotFound):
        lib.unignore("Tina Kaidanow")  # nothing left to undo
