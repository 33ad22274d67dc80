"""Provides the ``reader`` command: a bare ``reader`` opens the TUI, subcommands run headless.

Each command parses its options and calls one Library method. Every line printed passes
safe_text, so nothing from an article reaches the terminal as a control sequence; ``--json``
prints one JSON object a line.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

import click

from index import Library, ReaderError, explain_error, safe_line, safe_text
from reader import locations
from reader.output import Output
from reader.wording import plural

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _library(ctx: click.Context, *, create: bool = True) -> Library:
    path = ctx.obj["library"]
    try:
        lib = Library.open(path, create=create)
    except ReaderError as exc:
        _fail(str(exc))
    ctx.call_on_close(lambda: _notice(lib))
    return lib


def _notice(lib: Library) -> None:
    """Tell the user what the library repaired on its own while the command ran."""
    if lib.index_notice:
        click.echo(f"reader: note: {safe_line(lib.index_notice)}", err=True)


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"reader: {safe_line(message)}", err=True)
    sys.exit(code)


class _Group(click.Group):
    """Turns the library's named errors into one readable line and a non-zero exit."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ReaderError as exc:
            _fail(str(exc))
        except KeyboardInterrupt:
            _fail("interrupted; what was saved is kept, run the command again to finish", 130)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except BrokenPipeError:  # `reader search x | head`: the reader of our output left
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's final flush is quiet
            sys.exit(141)
        except Exception as exc:  # a bug: one line, not a traceback, unless debugging
            known = explain_error((ctx.obj or {}).get("library") or Path("."), exc)
            if known is not None:  # SQLite's word for a damaged, full or busy database
                _fail(str(known))
            if os.environ.get("READER_DEBUG"):
                raise
            _fail(f"unexpected error ({type(exc).__name__}: {exc}); set READER_DEBUG=1 for details", 70)


@click.group(cls=_Group, invoke_without_command=True, context_settings=CONTEXT)
@click.option(
    "--library",
    "library",
    type=click.Path(path_type=Path),
    default=None,
    help="Library folder (default: $READER_LIBRARY, else the user data folder).",
)
@click.version_option(package_name="reader", prog_name="reader")
@click.pass_context
def main(ctx: click.Context, library: Path | None) -> None:
    """reader: read, search and cross-reference news articles in the terminal.

    Run without a command to open the reader on your library.
    """
    ctx.ensure_object(dict)
    ctx.obj["library"] = library or locations.default_library()
    if ctx.invoked_subcommand is None:
        from reader.app import run_app

        run_app(ctx.obj["library"])


@main.command()
@click.pass_context
def demo(ctx: click.Context) -> None:
    """Open a library of the sample articles (built on first use)."""
    path = locations.demo_library()
    with Library.open(path) as lib:
        if lib.count() == 0:
            out = Output()
            report = lib.add([locations.samples_dir()], jobs=1, progress=out.progress("Building the demo library"))
            out.done()
            if report.failed:
                for where, reason in report.failed:
                    click.echo(f"reader: {safe_line(where)}: {safe_line(reason)}", err=True)
    from reader.app import run_app

    run_app(path, demo=True)


@main.command()
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
    with _library(ctx) as lib:
        report = lib.add(paths, jobs=jobs, progress=out.progress("Importing"), prune=prune)
    out.done()
    for where, reason in report.failed:
        click.echo(f"reader: {safe_line(where)}: {safe_line(reason)}", err=True)
    if as_json:
        _json_lines([{**asdict(report), "failed": [list(f) for f in report.failed]}])
    else:
        parts = [f"{report.added} added", f"{report.updated} updated", f"{report.unchanged} unchanged",
                 f"{len(report.failed)} failed"]
        if report.duplicates:
            parts.append(f"{plural(report.duplicates, 'copy', 'copies')} of articles already in "
                         "the library skipped")
        if report.skipped:
            parts.append(f"{report.skipped} skipped (hidden or unknown type)")
        if report.kept:
            parts.append(f"{report.kept} kept though no longer in their file"
                         " (`reader add --prune` removes them)")
        for aid in report.removed:
            click.echo(f"removed {safe_line(aid)} (no longer in its file)")
        click.echo(", ".join(parts))
    if report.failed:
        sys.exit(1)


@main.command()
@click.argument("article_id")
@click.pass_context
def remove(ctx: click.Context, article_id: str) -> None:
    """Remove one article from the library."""
    with _library(ctx, create=False) as lib:
        lib.remove(article_id)
    click.echo(f"removed {safe_line(article_id)}")


@main.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", "-n", type=click.IntRange(1, 10000), default=20, show_default=True)
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True)
@click.option("--no-aliases", is_flag=True, help="Search only the names typed, not the entities' other names.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@click.pass_context
def search(ctx: click.Context, query: tuple[str, ...], limit: int, sort: str, no_aliases: bool,
           as_json: bool) -> None:
    """Search the library. `reader help-query` explains the syntax."""
    with _library(ctx, create=False) as lib:
        result = lib.search(" ".join(query), limit=limit, sort=sort, aliases=not no_aliases)
    if as_json:
        _json_lines(
            {"id": h.id, "title": h.title, "source": h.source, "date": h.date,
             "score": round(h.score, 4), "snippet": h.snippet, "copies": list(h.copies),
             "also_searched": list(result.also_searched)}
            for h in result.hits
        )
        return
    Output().hits(result)


@main.command("help-query")
def help_query() -> None:
    """Show the query syntax."""
    from index import query_help

    click.echo(safe_text(query_help()))


@main.command()
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True, help="The article with its entities and mentions.")
@click.pass_context
def show(ctx: click.Context, article_id: str, as_json: bool) -> None:
    """Print an article's clean text."""
    with _library(ctx, create=False) as lib:
        art = lib.article(article_id)
        if as_json:
            record = _article_record(art)
            record["entities"] = [_entity_record(e) for e in lib.entities(article=art.id)]
            record["mentions"] = [asdict(m) for m in lib.mentions(article=art.id)]
            _json_lines([record])
            return
    lines = [art.title, " · ".join(x for x in (art.source, art.date or "", art.author) if x), "", art.text]
    click.echo(safe_text("\n".join(lines)))


@main.command()
@click.option("--type", "label", help="Only this type (PERSON, ORG, GPE, LOC, NORP, ...).")
@click.option("--article", help="Only entities of this article (counts within it).")
@click.option("--limit", "-n", type=click.IntRange(1), default=None)
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@click.pass_context
def entities(ctx: click.Context, label: str | None, article: str | None, limit: int | None,
             as_json: bool) -> None:
    """List entities, most mentioned first."""
    with _library(ctx, create=False) as lib:
        found = lib.entities(label=label, article=article, limit=limit)
    if as_json:
        _json_lines(_entity_record(e) for e in found)
        return
    for e in found:
        other = f"  (also: {', '.join(e.aliases[:4])})" if e.aliases else ""
        click.echo(safe_text(f"{e.name}  {e.label}  {plural(e.mentions, 'mention')} in "
                             f"{plural(e.articles, 'article')}"
                             f"  [{e.id}]{other}"))


@main.command()
@click.option("--entity", help="Only this entity (its name or any alias, any case).")
@click.option("--article", help="Only this article.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@click.pass_context
def mentions(ctx: click.Context, entity: str | None, article: str | None, as_json: bool) -> None:
    """List entity mentions in reading order."""
    with _library(ctx, create=False) as lib:
        found = lib.mentions(entity=entity, article=article)
    if as_json:
        _json_lines(
            {"doc": m.doc, "start": m.start, "end": m.end, "text": m.text, "entity": m.entity,
             "name": m.name, "label": m.label}
            for m in found
        )
        return
    for m in found:
        click.echo(safe_text(f"{m.doc}:{m.start}-{m.end}  {m.text}  → {m.name} ({m.label})"))


@main.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line (the default).")
@click.pass_context
def export(ctx: click.Context, as_json: bool) -> None:
    """Write every article as JSON lines (id, title, text, source, date, url, author, path, lang,
    metadata)."""
    with _library(ctx, create=False) as lib:
        _json_lines(_article_record(a) for a in lib.export())


@main.command()
@click.argument("a")
@click.argument("b")
@click.pass_context
def merge(ctx: click.Context, a: str, b: str) -> None:
    """Make B the same entity as A (kept across re-imports; `reader split` undoes it)."""
    with _library(ctx, create=False) as lib:
        e = lib.merge(a, b)
    click.echo(safe_text(f"merged: {e.name} ({e.label}), {plural(e.mentions, 'mention')} in "
                         f"{plural(e.articles, 'article')}"))


@main.command()
@click.argument("entity")
@click.option(
    "--form",
    help="Take this name of ENTITY out of it, away from every automatic link (see `reader why`).",
)
@click.pass_context
def split(ctx: click.Context, entity: str, form: str | None) -> None:
    """Undo your merges into ENTITY (or, with --form, split one of its names off)."""
    with _library(ctx, create=False) as lib:
        parts = lib.split(entity, form)
    click.echo(safe_text("split into: " + "; ".join(f"{e.name} ({e.label})" for e in parts)))


@main.command()
@click.argument("name")
@click.option("--undo", is_flag=True, help="Make NAME an entity again.")
@click.pass_context
def ignore(ctx: click.Context, name: str, undo: bool) -> None:
    """Mark NAME as not an entity, everywhere (kept across re-imports; --undo reverts)."""
    with _library(ctx, create=False) as lib:
        if undo:
            back = lib.unignore(name)
            click.echo(safe_text(f"'{name}' is a name again: {plural(back, 'mention')} back"))
            return
        hidden = lib.ignore(name)
    click.echo(safe_text(f"ignored '{name}': {plural(hidden, 'mention')} hidden"))


@main.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Counts of articles, entities and mentions."""
    with _library(ctx, create=False) as lib:
        s = lib.stats()
    if as_json:
        _json_lines([asdict(s)])
        return
    click.echo(f"library: {safe_line(str(ctx.obj['library']))}")
    click.echo(f"{s.articles} articles, {s.entities} entities, {s.mentions} mentions")
    if s.first_date:
        click.echo(f"dates: {s.first_date[:10]} to {(s.last_date or '')[:10]}")
    if s.by_label:
        click.echo("entities by type: " + ", ".join(f"{k} {v}" for k, v in s.by_label.items()))
    if s.sources:
        click.echo(safe_text("sources: " + ", ".join(f"{k or '(none)'} {v}" for k, v in s.sources.items())))


@main.command()
@click.option("--repair", is_flag=True, help="Re-index what is missing and clean up.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def check(ctx: click.Context, repair: bool, as_json: bool) -> None:
    """Check that the search index and the store agree (and the database is sound).

    Counts the articles, mentions and index documents, the articles the index lacks, the index
    documents with no article, and leftover files; --repair re-indexes, removes what is stray,
    rebuilds an unreadable index and says what it did.
    """
    with _library(ctx, create=False) as lib:
        if repair and lib.readonly:
            _fail(f"the library {lib.path} is read-only: nothing can be repaired")
        report = lib.check(repair=repair, salvage=repair)
        after = lib.check() if report.repaired else report
    if as_json:
        _json_lines([{**asdict(report), "ok": report.ok, "ok_now": after.ok,
                      "still": list(after.problems) if report.repaired else list(report.problems)}])
    else:
        _print_check(ctx.obj["library"], report, after)
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


@main.command()
@click.argument("dest", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite DEST if it exists.")
@click.pass_context
def backup(ctx: click.Context, dest: Path, force: bool) -> None:
    """Write a consistent copy of the library to DEST (a file, or a folder for a dated file).

    The copy holds every article, mention, merge, ignore and pin; the search index is not
    copied (`reader restore` rebuilds it). Safe to run while the reader or an import is open.
    """
    with _library(ctx, create=False) as lib:
        report = lib.backup(dest, force=force)
    click.echo(f"backed up {report.articles} articles, {report.decisions} merges and ignores,"
               f" {report.pins} pins to {safe_line(str(report.path))}"
               f" ({report.size / 2**20:.1f} MB)")


@main.command()
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


def _article_record(art) -> dict:
    return {"id": art.id, "title": art.title, "text": art.text, "source": art.source,
            "date": art.date, "url": art.url, "author": art.author, "path": art.path,
            "place": art.place, "lang": art.lang, "metadata": art.meta}


def _entity_record(e) -> dict:
    return {"id": e.id, "name": e.name, "label": e.label, "aliases": list(e.aliases),
            "mentions": e.mentions, "articles": e.articles}


def _json_lines(records: Iterable[dict]) -> None:
    write = sys.stdout.write
    for record in records:
        write(safe_text(json.dumps(_safe(record), ensure_ascii=False)) + "\n")
    sys.stdout.flush()


def _safe(value):
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, dict):
        return {safe_text(k): _safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_safe(v) for v in value]
    return value


from reader import cli_brief as _cli_brief  # noqa: E402,F401  (registers dossier/brief/pins)
from reader import cli_why as _cli_why  # noqa: E402,F401  (registers why)
