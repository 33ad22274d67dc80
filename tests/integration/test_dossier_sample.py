"""A big entity's dossier opens from a sample of its most relevant articles and says how many of
how many it read; --all (or budget=None without a sample) reads every one."""

from __future__ import annotations

import json

from click.testing import CliRunner

from index import Library
from index.analysis import Parser
from index.dossiers import Dossiers
from index.store.dossiers import DossierStore
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


def test_filling_in_reads_the_entitys_articles_once_and_ends_as_a_fresh_dossier(
    tmp_path, monkeypatch
):
    """The TUI fills a dossier in a step at a time: the steps after the first go on from the
    articles and co-occurrence read by the first (at 100k, United States is 16,523 articles)."""
    path = _library(tmp_path)
    reads: list[str] = []
    articles, company = DossierStore.entity_articles, DossierStore.cooccurring

    def read_articles(self, entity_id):
        reads.append("articles")
        return articles(self, entity_id)

    def read_company(self, entity_id, limit):
        reads.append("co-occurrence")
        return company(self, entity_id, limit)

    monkeypatch.setattr(DossierStore, "entity_articles", read_articles)
    monkeypatch.setattr(DossierStore, "cooccurring", read_company)
    with Library.open(path) as lib:
        steps = [lib.dossier("Angela Merkel", budget=0)]
        steps += [lib.dossier("Angela Merkel", budget=None, sample=n) for n in (1, 2)]
        steps.append(lib.dossier("Angela Merkel", budget=None))
    assert [(d.analysed, d.of) for d in steps] == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert reads == ["articles", "co-occurrence"]  # once, for all four steps
    assert [r.text for r in steps[-1].roles] == ["German chancellor", "Chancellor"]
    with Library.open(path) as lib:  # the same dossier read whole from the cache
        fresh = lib.dossier("Angela Merkel", budget=0)
    assert fresh == steps[-1]


def test_a_budgeted_dossier_starts_loading_the_parser_even_when_its_budget_runs_out(tmp_path):
    """A first step whose budget the SQL uses up still starts the parser loading, so the next
    step has it: the first roles of a big entity do not wait for the parser from scratch."""
    path = _library(tmp_path)
    parser = Parser()
    with Library.open(path) as lib:
        dossiers = Dossiers(lib.store, entity=lib.entity, article=lib.article, parser=parser)
        first = dossiers.dossier("Angela Merkel", budget=1e-9)
        assert first.analysed == 0
        assert parser.loader is not None  # loading behind, for the next step
        parser.get(None)
        assert dossiers.dossier("Angela Merkel", budget=None).analysed == 3
