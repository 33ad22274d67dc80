"""A big entity's dossier opens from a sample of its most relevant articles and says how many of
how many it read; --all (or budget=None without a sample) reads every one."""

from __future__ import annotations

import json

from click.testing import CliRunner

from index import Library
from reader.cli import main

TEXTS = [
    "Chancellor Angela Merkel said on Monday that the talks would go on. Merkel met the "
    "ministers in Berlin.",
    "Angela Merkel, the German chancellor, told reporters the budget was sound.",
    "Critics of Angela Merkel said the plan came too late.",
]


def _library(tmp_path):
    feed = tmp_path / "merkel.jsonl"
    feed.write_text(
        "".join(
            json.dumps({"id": f"m{i}", "title": f"Berlin {i}", "body": text, "date": f"2020-01-0{i + 1}"})
            + "\n"
            for i, text in enumerate(TEXTS)
        ),
        encoding="utf-8",
    )
    path = tmp_path / "library"
    with Library.open(path) as lib:
        assert lib.add([feed], jobs=1).added == 3
    return path


def test_a_sample_reads_that_many_articles_and_says_so(tmp_path):
    path = _library(tmp_path)
    with Library.open(path) as lib:
        first = lib.dossier("Angela Merkel", budget=None, sample=2)
        assert (first.analysed, first.of) == (2, 3)
        assert first.cooccurring or first.timeline  # the rest of the first screen is whole
        whole = lib.dossier("Angela Merkel", budget=None)
        assert (whole.analysed, whole.of) == (3, 3)

    runner = CliRunner()
    sampled = runner.invoke(main, ["--library", str(path), "dossier", "Angela Merkel", "--sample", "1"])
    assert sampled.exit_code == 0, sampled.output
    # a fresh library copy is not needed: the cache holds all three now, so --sample 1 has more
    assert "Merkel" in sampled.output
    every = runner.invoke(main, ["--library", str(path), "dossier", "Angela Merkel", "--all"])
    assert every.exit_code == 0, every.output
    assert "of 3 articles so far" not in every.output


def test_the_cli_dossier_of_a_big_entity_says_its_coverage(tmp_path):
    path = _library(tmp_path)
    runner = CliRunner()
    got = runner.invoke(main, ["--library", str(path), "dossier", "Angela Merkel", "--sample", "1"])
    assert got.exit_code == 0, got.output
    assert "roles and quotes from 1 of 3 articles" in got.output
