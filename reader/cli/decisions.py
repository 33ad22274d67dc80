"""Provides the entity decisions of ``reader``: merge, split and ignore (kept across re-imports)."""

from __future__ import annotations

import click

from index import safe_text
from reader.cli.common import open_library
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
@click.pass_context
def ignore(ctx: click.Context, name: str, undo: bool) -> None:
    """Mark NAME as not an entity, everywhere (kept across re-imports; --undo reverts)."""
    with open_library(ctx, create=False) as lib:
        if undo:
            back = lib.unignore(name)
            click.echo(safe_text(f"'{name}' is a name again: {plural(back, 'mention')} back"))
            return
        hidden = lib.ignore(name)
    click.echo(safe_text(f"ignored '{name}': {plural(hidden, 'mention')} hidden"))


COMMANDS = [merge, split, ignore]
