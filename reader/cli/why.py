"""Provides ``reader why NAME``: an entity's forms, each with the evidence that linked it."""

from __future__ import annotations

import click

from index import safe_text
from reader.cli.common import json_lines, open_library
from reader.wording import plural


@click.command()
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="One JSON object: the entity and its forms.")
@click.pass_context
def why(ctx: click.Context, name: str, as_json: bool) -> None:
    """Why NAME's forms are one entity: each form with the evidence that linked it."""
    with open_library(ctx, create=False) as lib:
        found = lib.why(name)
    e = found.entity
    if as_json:
        json_lines(
            [
                {
                    "id": e.id,
                    "name": e.name,
                    "label": e.label,
                    "mentions": e.mentions,
                    "forms": [
                        {"form": link.form, "mentions": link.mentions, "reason": link.reason}
                        for link in found.links
                    ],
                }
            ]
        )
        return
    click.echo(
        safe_text(f"{e.name}  {e.label}  {plural(e.mentions, 'mention')} in "
                  f"{plural(e.articles, 'article')}  [{e.id}]")
    )
    width = min(40, max((len(link.form) for link in found.links), default=0))
    for link in found.links:
        click.echo(safe_text(f"  {link.form:<{width}}  {link.mentions:>5}  {link.reason}"))


COMMANDS = [why]
