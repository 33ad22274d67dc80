"""Provides the briefing commands of ``reader``: dossier, brief, pins, pin and unpin."""

from __future__ import annotations

from pathlib import Path

import click

from index import dossier_json, render_dossier, render_json, render_markdown, safe_line, safe_text
from reader.cli.common import LARGEST, json_lines, open_library

#: Articles a dossier's roles and quotes come from unless --all: a first screen in seconds.
SAMPLE = 200


@click.command()
@click.argument("name")
@click.option(
    "--json", "as_json", is_flag=True, help="One JSON object: roles, quotes, ... and sources."
)
@click.option(
    "--budget",
    type=click.FloatRange(0),
    default=None,
    help="Seconds to spend parsing articles not analysed yet.",
)
@click.option(
    "--sample",
    type=click.IntRange(1),
    default=SAMPLE,
    show_default=True,
    help="Roles and quotes from this many of its articles, the most relevant first.",
)
@click.option("--all", "everything", is_flag=True, help="Roles and quotes from all its articles.")
@click.pass_context
def dossier(
    ctx: click.Context, name: str, as_json: bool, budget: float | None, sample: int,
    everything: bool,
) -> None:
    """Who or what NAME is: roles, quotes, who appears with it, when, and its articles.

    A big entity's roles and quotes come from a sample of its most relevant articles (the
    dossier says how many of how many); --all reads them all."""
    with open_library(ctx, create=False) as lib:
        made = lib.brief([name], pins=False, budget=budget, sample=None if everything else sample)
    if as_json:
        json_lines([dossier_json(made)])
    else:
        click.echo(render_dossier(made), nl=False)


@click.command()
@click.argument("entities", nargs=-1)
@click.option(
    "--pins",
    "with_pins",
    is_flag=True,
    help="Add the pinned passages (the default when no entity is named).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of the terminal.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "json"]),
    default=None,
    help="Markdown or JSON (default: from the file's suffix, else md).",
)
@click.option("--title", help="The briefing's title (default: 'Briefing: ' and the names).")
@click.pass_context
def brief(
    ctx: click.Context,
    entities: tuple[str, ...],
    with_pins: bool,
    output: Path | None,
    fmt: str | None,
    title: str | None,
) -> None:
    """A Markdown briefing: each ENTITY's dossier in short, pinned passages, sources."""
    pins = with_pins or not entities
    with open_library(ctx, create=False) as lib:
        if output is not None:
            made = lib.export_brief(output, entities, pins=pins, title=title, format=fmt)
            click.echo(
                safe_text(
                    f"wrote {output}: {len(made.dossiers)} dossiers, {len(made.pins)} pinned passages,"
                    f" {len(made.sources)} sources"
                )
            )
            return
        made = lib.brief(entities, pins=pins, title=title)
    if fmt == "json":
        click.echo(render_json(made))
    else:
        click.echo(render_markdown(made), nl=False)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@click.pass_context
def pins(ctx: click.Context, as_json: bool) -> None:
    """List the pinned passages in briefing order."""
    with open_library(ctx, create=False) as lib:
        found = lib.pins()
    if as_json:
        json_lines(
            {
                "id": p.id,
                "position": n,
                "article": p.article,
                "start": p.start,
                "end": p.end,
                "passage": p.passage,
                "note": p.note,
                "made": p.made,
                "source": None
                if p.source is None
                else {
                    "title": p.source.title,
                    "source": p.source.source,
                    "date": p.source.date,
                    "path": p.source.path,
                    "url": p.source.url,
                },
            }
            for n, p in enumerate(found, 1)
        )
        return
    if not found:
        click.echo("no pinned passages (pin one with `reader pin ARTICLE START END`)")
    for n, p in enumerate(found, 1):
        cited = p.source.source or p.source.title if p.source else p.article
        when = (p.source.date or "undated")[:10] if p.source else ""
        passage = safe_line(p.passage)
        if len(passage) > 160:
            passage = passage[:159] + "…"
        click.echo(
            safe_text(f"{n:>3}. #{p.id}  “{passage}” — {safe_line(cited)}, {when} [{p.article}]")
        )
        if p.note:
            click.echo(safe_text(f"       note: {safe_line(p.note)}"))


@click.command()
@click.argument("article_id")
@click.argument("start", type=click.IntRange(0, LARGEST))
@click.argument("end", type=click.IntRange(0, LARGEST))
@click.option("--note", default="", help="A note to go with the passage in the briefing.")
@click.pass_context
def pin(ctx: click.Context, article_id: str, start: int, end: int, note: str) -> None:
    """Pin characters START to END of an article to the briefing."""
    with open_library(ctx, create=False) as lib:
        made = lib.pin(article_id, start, end, note)
    click.echo(safe_text(f"pinned #{made.id}: “{safe_line(made.passage)[:120]}”"))


@click.command()
@click.argument("pin_id", metavar="ID", type=click.IntRange(1, LARGEST))
@click.pass_context
def unpin(ctx: click.Context, pin_id: int) -> None:
    """Delete pin ID (see `reader pins`)."""
    with open_library(ctx, create=False) as lib:
        lib.unpin(pin_id)
    click.echo(f"unpinned #{pin_id}")


COMMANDS = [dossier, brief, pins, pin, unpin]
