"""Provides the library upkeep commands of ``reader``: add, remove, check, backup, restore."""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path

import click

from index import Library, safe_line
from reader.cli.common import fail, json_lines, open_library
from reader.output import Output
from reader.wording import plural

@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Entity-recognizer processes (default: the machine's cores).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--prune", is_flag=True,
              help="Remove the articles a changed file no longer holds (each is named).")
@click.pass_context
def add(ctx: click.Context, paths: tuple[Path, ...], jobs: int | None, as_json: bool,
        prune: bool) -> None:
    """Import files and folders (.txt .md .html .json .jsonl[.gz] .rss .atom .xml).

    Re-adding a changed feed or JSON lines file never removes the articles it no longer lists:
    they are kept and counted; --prune removes them, naming each.
    """
    out = Output()
    try:
        with open_library(ctx) as lib:
            report = lib.add(paths, jobs=jobs, progress=out.progress("Importing"), prune=prune)
    finally:
        out.done()  # the bar ends its line, so Ctrl-C's or an error's one line stands alone
    for where, reason in report.failed:
        click.echo(f"reader: {safe_line(where)}: {safe_line(reason)}", err=True)
    for where, reason in report.passed_over:
        click.echo(f"reader: note: {safe_line(where)}: skipped, {safe_line(reason)}", err=True)
    if as_json:
        json_lines([{**asdict(report), "failed": [list(f) for f in report.failed]}])
    else:
        parts = [f"{report.added} added", f"{report.updated} updated", f"{report.unchanged} unchanged",
                 f"{len(report.failed)} failed"]
        if report.duplicates:
            parts.append(f"{plural(report.duplicates, 'copy', 'copies')} of articles already in "
                         "the library skipped")
        for reason, count in report.skips.items():
            parts.append(f"{count} skipped: {reason}")
        if report.kept:
            parts.append(f"{report.kept} kept though no longer in their file"
                         " (`reader add --prune` removes them)")
        for aid in report.removed:
            click.echo(f"removed {safe_line(aid)} (no longer in its file)")
        click.echo(", ".join(parts))
    if report.failed:
        sys.exit(1)


@click.command()
@click.argument("article_id")
@click.pass_context
def remove(ctx: click.Context, article_id: str) -> None:
    """Remove one article from the library."""
    with open_library(ctx, create=False) as lib:
        lib.remove(article_id)
    click.echo(f"removed {safe_line(article_id)}")


@click.command()
@click.option("--repair", is_flag=True, help="Re-index what is missing and clean up.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def check(ctx: click.Context, repair: bool, as_json: bool) -> None:
    """Check that the search index and the store agree (and the database is sound).

    Counts the articles, mentions and index documents, the articles the index lacks, the index
    documents with no article, and leftover files; --repair re-indexes, removes what is stray,
    rebuilds an unreadable index and says what it did, then merges the index segments imports
    left unmerged.
    """
    with open_library(ctx, create=False) as lib:
        if repair and lib.readonly:
            fail(f"the library {lib.path} is read-only: nothing can be repaired")
        report = lib.check(repair=repair, salvage=repair)
        after = lib.check() if report.repaired else report
        # the big merges an import leaves (index/search/writer.py)
        merged = lib.compact_index() if repair and after.ok else 0
    if as_json:
        json_lines([{**asdict(report), "ok": report.ok, "ok_now": after.ok,
                      "still": list(after.problems) if report.repaired else list(report.problems),
                      "merged": merged}])
    else:
        _print_check(ctx.obj["library"], report, after)
        if merged:
            click.echo(f"merged the search index's small segments into one ({merged} articles)")
    if not after.ok:
        sys.exit(1)


def _print_check(path: Path, report, after) -> None:
    click.echo(f"library: {safe_line(str(path))}")
    click.echo(f"{report.articles} articles, {report.mentions} mentions of {report.entities}"
               f" entities; {report.indexed} documents in the search index")
    click.echo(f"mismatches: {report.missing} articles missing from the index, {report.orphans}"
               f" index documents with no article; {report.leftovers} leftover files in the index"
               f" folder; database integrity: {safe_line(report.integrity)}")
    for problem in report.problems:
        click.echo(f"{'fixed' if report.repaired and problem not in after.problems else 'problem'}:"
                   f" {safe_line(problem)}")
    for line in report.salvaged:
        click.echo(f"repaired: {safe_line(line)}")
    if report.repaired:
        for problem in after.problems:
            if problem not in report.problems:
                click.echo(f"problem: {safe_line(problem)}")
        if after.ok:
            click.echo(f"repaired: the index and the store agree again ({after.indexed} documents"
                       f" for {after.articles} articles)")
        else:
            click.echo("not everything could be repaired: see the problems above")
    elif report.ok:
        click.echo("all good: the index and the store agree")
    elif report.advice:
        click.echo(safe_line(report.advice))
    else:
        click.echo("run `reader check --repair` to fix this")


@click.command()
@click.argument("dest", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite DEST if it exists.")
@click.pass_context
def backup(ctx: click.Context, dest: Path, force: bool) -> None:
    """Write a consistent copy of the library to DEST (a file, or a folder for a dated file).

    The copy holds every article, mention, merge, ignore and pin; the search index is not
    copied (`reader restore` rebuilds it). Safe to run while the reader or an import is open.
    """
    with open_library(ctx, create=False) as lib:
        report = lib.backup(dest, force=force)
    click.echo(f"backed up {report.articles} articles, {report.decisions} merges and ignores,"
               f" {report.pins} pins to {safe_line(str(report.path))}"
               f" ({report.size / 2**20:.1f} MB)")


@click.command()
@click.argument("src", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True,
              help="Replace a library that is not empty (its database is kept beside it).")
@click.pass_context
def restore(ctx: click.Context, src: Path, force: bool) -> None:
    """Bring back a backup made by `reader backup` into the library, and rebuild its index."""
    folder = ctx.obj["library"]
    report = Library.restore(src, folder, force=force)
    if report.replaced is not None:
        click.echo(f"the library's previous database is kept as {safe_line(str(report.replaced))}")
    click.echo(f"restored {report.articles} articles, {report.decisions} merges and ignores,"
               f" {report.pins} pins into {safe_line(str(folder))}; the search index was rebuilt")


#: Registered on the group by reader.cli.
COMMANDS = [add, remove, check, backup, restore]
