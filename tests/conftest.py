"""Shared fixtures: the seed library is built once per session with the real pipeline."""

from __future__ import annotations

import fnmatch
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "corpora" / "seeds"
SAMPLES = ROOT / "reader" / "samples"
REUTERS_TITLE = "China appeals for U.S. help to fight Xinjiang militants"
SCMP_TITLE = (
    "China thanks Kazakhstan for ‘understanding and support’ on Xinjiang de-radicalisation scheme"
)


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory, monkeypatch):
    """Never touch the user's real library, cache or config."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("READER_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("READER_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("READER_CONFIG_DIR", str(home / "config"))
    monkeypatch.delenv("READER_LIBRARY", raising=False)


_ROOT_ENTRIES: set[str] = set()


def _ignored(name: str) -> bool:
    """Whether .gitignore already covers this top-level name (.hypothesis/, caches, ...)."""
    try:
        patterns = (ROOT / ".gitignore").read_text().split()
    except OSError:
        return False
    return any(fnmatch.fnmatch(name, p.strip("/")) for p in patterns if not p.startswith("#"))


@pytest.fixture(autouse=True)
def _nothing_left_in_the_checkout():
    """Tests write under tmp_path, never into the checkout: whatever a test leaves in the
    repository's root (an untracked ``kids`` file of PIDs was once found there after a full
    run) fails that very test, by name."""
    if not _ROOT_ENTRIES:
        _ROOT_ENTRIES.update(os.listdir(ROOT))
    yield
    left = sorted(n for n in os.listdir(ROOT) if n not in _ROOT_ENTRIES and not _ignored(n))
    if left:
        _ROOT_ENTRIES.update(left)  # said once
        pytest.fail(f"this test left {left} in {ROOT}: write under tmp_path instead")


@pytest.fixture(scope="session")
def seed_library_master(tmp_path_factory) -> Path:
    """The two seed articles imported with the real spaCy model (built once)."""
    from index import Library

    path = tmp_path_factory.mktemp("seedlib") / "library"
    source = SEEDS if SEEDS.exists() else SAMPLES
    with Library.open(path) as lib:
        report = lib.add([source], jobs=1)
    assert report.added == 2, report
    return path


@pytest.fixture
def seed_library(seed_library_master, tmp_path) -> Path:
    """A private copy of the seed library, free to modify."""
    path = tmp_path / "library"
    shutil.copytree(seed_library_master, path)
    return path
