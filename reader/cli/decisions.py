"""Provides the entity decisions of ``reader``: merge, split, detach, rename, relabel and ignore
(kept across re-imports), the list of them and undo."""

from __future__ import annotations

import click

from index import ENTITY_LABELS, safe_text
from reader.cli.common import json_lines, open_library
from reader.wording import plural

@click.command()
@click.argument("a")
@click.argument("b")
@click.pass_context
def merge(ctx: click.Context, a: str, b: str) -> None:
    """Make B the same entity as A (kept across re-imports; `reader split` undoes it)."""
    with open_library(ctx, create=False) as lib:
        e = lib.merge(a, b)
    click.echo(safe_text(f"merged: {e.name} ({e.label}), {plural(e.mentions, 'mention')} in "
                         f"{plural(e.articles, 'article')}"))


@click.command()
@click.argument("entity")
@click.option(
    "--form",
    help="Take this name of ENTITY out of it, away from every automatic link (see `reader why`).",
)
@click.pass_context
def split(ctx: click.Context, entity: str, form: str | None) -> None:
    """Undo your merges into ENTITY (or, with --form, split one of its names off)."""
    with open_library(ctx, create=False) as lib:
        parts = lib.split(entity, form)
    click.echo(safe_text("split into: " + "; ".join(f"{e.name} ({e.label})" for e in parts)))


@click.command()
@click.argument("name")
@click.option("--undo", is_flag=True, help="Make NAME an entity again.")
@click.option("--here", "article", metavar="ARTICLE",
              help="Only where ARTICLE writes NAME (its other articles keep it).")
@click.pass_context
def ignore(ctx: click.Context, name: str, undo: bool, article: str | None) -> None:
    """Mark NAME as not an entity, everywhere or in one article (kept across re-imports;
    --undo or `reader undo` reverts)."""
    with open_library(ctx, create=False) as lib:
        if undo:
            back = lib.unignore(name)
            click.echo(safe_text(f"'{name}' is a name again: {plural(back, 'mention')} back"))
            return
        hidden = lib.ignore(name, article=article)
    where = f" in {article}" if article else ""
    click.echo(safe_text(f"ignored '{name}'{where}: {plural(hidden, 'mention')} hidden"))


@click.command()
@click.argument("article")
@click.argument("form")
@click.option("--into", metavar="ENTITY", help="Join this entity instead of one of its own.")
@click.pass_context
def detach(ctx: click.Context, article: str, form: str, into: str | None) -> None:
    """The mentions written FORM in ARTICLE are not the entity they were linked to: they
    become an entity of their own (or join --into)."""
    with open_library(ctx, create=False) as lib:
        e = lib.detach(article, form=form, into=into)
    click.echo(safe_text(f"detached '{form}' in {article}: now {e.name} ({e.label}),"
                         f" {plural(e.mentions, 'mention')} in {plural(e.articles, 'article')}"))


@click.command()
@click.argument("entity")
@click.argument("name")
@click.pass_context
def rename(ctx: click.Context, entity: str, name: str) -> None:
    """Show ENTITY as NAME (its old name still finds it)."""
    with open_library(ctx, create=False) as lib:
        e = lib.rename(entity, name)
    click.echo(safe_text(f"renamed: {e.name} ({e.label})"))


@click.command()
@click.argument("entity")
@click.argument("label", type=click.Choice(ENTITY_LABELS, case_sensitive=False))
@click.pass_context
def relabel(ctx: click.Context, entity: str, label: str) -> None:
    """Make ENTITY a LABEL (a person, an organisation, a place...), whatever spaCy said."""
    with open_library(ctx, create=False) as lib:
        e = lib.relabel(entity, label)
    click.echo(safe_text(f"relabelled: {e.name} ({e.label})"))


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object a decision.")
@click.pass_context
def decisions(ctx: click.Context, as_json: bool) -> None:
    """Every correction you made, oldest first, with its number for `reader undo`."""
    with open_library(ctx, create=False) as lib:
        made = lib.decisions()
    if as_json:
        json_lines({"id": d.id, "kind": d.kind, "subject": d.subject, "detail": d.detail,
                    "made": d.made} for d in made)
        return
    if not made:
        click.echo("no decisions yet")
        return
    for d in made:
        click.echo(safe_text(f"{d.id:>4}  {d.made.replace('T', ' ')[:19]}  {d.kind:<11}"
                             f" {d.subject}: {d.detail}"))


@click.command()
@click.argument("decision", type=int, required=False)
@click.pass_context
def undo(ctx: click.Context, decision: int | None) -> None:
    """Take back decision number DECISION (see `reader decisions`), by default the latest."""
    with open_library(ctx, create=False) as lib:
        d = lib.undo(decision)
    click.echo(safe_text(f"undone {d.id}: {d.kind} {d.subject}: {d.detail}"))


COMMANDS = [merge, split, detach, rename, relabel, ignore, decisions, undo]
