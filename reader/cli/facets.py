"""Provides ``reader facets QUERY``: who and what the results of a query are about, and when."""

from __future__ import annotations

import click

from index import Facets, safe_text
from reader.cli.common import json_lines, open_library
from reader.wording import plural

BAR = 30


@click.command()
@click.argument("query")
@click.option("--top", default=10, show_default=True, type=click.IntRange(1, 100),
              help="How many values of each facet.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object: every facet and count.")
@click.pass_context
def facets(ctx: click.Context, query: str, top: int, as_json: bool) -> None:
    """The top people, organisations, places and sources of the articles QUERY matches, with
    how many name each, and their dates; add `entity:"NAME"` or `NOT entity:"NAME"` to the
    query to narrow it."""
    with open_library(ctx, create=False) as lib:
        found = lib.facets(query, top=top)
    if as_json:
        json_lines([record(found)])
        return
    click.echo(safe_text(f"{plural(found.total, 'article')} match {found.query}"))
    for title, values in (("people", found.people), ("organisations", found.organisations),
                          ("places", found.places), ("sources", found.sources)):
        if values:
            click.echo(f"\n{title}")
            for f in values:
                click.echo(safe_text(f"  {f.count:>6}  {f.value}"))
    if found.dates:
        click.echo("\ndates")
        most = max(f.count for f in found.dates)
        for f in found.dates:
            click.echo(f"  {f.value:<10} {f.count:>6}  {'█' * max(1, round(BAR * f.count / most))}")
    if found.undated:
        click.echo(f"  undated    {found.undated:>6}")


def record(found: Facets) -> dict:
    def pairs(values) -> list[dict]:
        return [{"value": f.value, "count": f.count} for f in values]

    return {"query": found.query, "total": found.total, "people": pairs(found.people),
            "organisations": pairs(found.organisations), "places": pairs(found.places),
            "sources": pairs(found.sources), "dates": pairs(found.dates),
            "undated": found.undated}


COMMANDS = [facets]
