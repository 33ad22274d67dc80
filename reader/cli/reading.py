"""Provides the reading commands of ``reader``: search, help-query, show, entities, mentions,
export and stats."""

from __future__ import annotations

from dataclasses import asdict

import click

from index import safe_line, safe_text
from reader.cli.common import LARGEST, article_record, entity_record, json_lines, open_library
from reader.wording import plural

@click.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", "-n", type=click.IntRange(1, 10000), default=20, show_default=True)
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True)
@click.option("--no-aliases", is_flag=True, help="Search only the names typed, not the entities' other names.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@click.pass_context
def search(ctx: click.Context, query: tuple[str, ...], limit: int, sort: str, no_aliases: bool,
           as_json: bool) -> None:
    """Search the library. `reader help-query` explains the syntax."""
    with open_library(ctx, create=False) as lib:
        result = lib.search(" ".join(query), limit=limit, sort=sort, aliases=not no_aliases)
    if as_json:
        json_lines(
            {"id": h.id, "title": h.title, "source": h.source, "date": h.date,
             "score": round(h.score, 4), "snippet": h.snippet, "copies": list(h.copies),
             "also_searched": list(result.also_searched)}
            for h in result.hits
        )
        return
    from reader.output import Output  # rich: only for a terminal's table

    Output().hits(result)


@click.command("help-query")
def help_query() -> None:
    """Show the query syntax."""
    from index import query_help

    click.echo(safe_text(query_help()))


@click.command()
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True, help="The article with its entities and mentions.")
@click.pass_context
def show(ctx: click.Context, article_id: str, as_json: bool) -> None:
    """Print an article's clean text."""
    with open_library(ctx, create=False) as lib:
        art = lib.article(article_id)
        if as_json:
            record = article_record(art)
            record["entities"] = [entity_record(e) for e in lib.entities(article=art.id)]
            record["mentions"] = [asdict(m) for m in lib.mentions(article=art.id)]
            json_lines([record])
            return
    lines = [art.title, " · ".join(x for x in (art.source, art.date or "", art.author) if x), "", art.text]
    click.echo(safe_text("\n".join(lines)))


@click.command()
@click.option("--type", "label", help="Only this type (PERSON, ORG, GPE, LOC, NORP, ...).")
@click.option("--article", help="Only entities of this article (counts within it).")
@click.option("--limit", "-n", type=click.IntRange(1, LARGEST), default=None)
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@click.pass_context
def entities(ctx: click.Context, label: str | None, article: str | None, limit: int | None,
             as_json: bool) -> None:
    """List entities, most mentioned first."""
    with open_library(ctx, create=False) as lib:
        found = lib.entities(label=label, article=article, limit=limit)
    if as_json:
        json_lines(entity_record(e) for e in found)
        return
    for e in found:
        other = f"  (also: {', '.join(e.aliases[:4])})" if e.aliases else ""
        click.echo(safe_text(f"{e.name}  {e.label}  {plural(e.mentions, 'mention')} in "
                             f"{plural(e.articles, 'article')}"
                             f"  [{e.id}]{other}"))


@click.command()
@click.option("--entity", help="Only this entity (its name or any alias, any case).")
@click.option("--article", help="Only this article.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@click.pass_context
def mentions(ctx: click.Context, entity: str | None, article: str | None, as_json: bool) -> None:
    """List entity mentions in reading order."""
    with open_library(ctx, create=False) as lib:
        found = lib.mentions(entity=entity, article=article)
    if as_json:
        json_lines(asdict(m) for m in found)  # the same shape as ``show --json``'s mentions
        return
    for m in found:
        click.echo(safe_text(f"{m.doc}:{m.start}-{m.end}  {m.text}  → {m.name} ({m.label})"))


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line (the default).")
@click.pass_context
def export(ctx: click.Context, as_json: bool) -> None:
    """Write every article as JSON lines (id, title, text, source, date, url, author, path, lang,
    metadata)."""
    with open_library(ctx, create=False) as lib:
        json_lines(article_record(a) for a in lib.export())


@click.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Counts of articles, entities and mentions."""
    with open_library(ctx, create=False) as lib:
        s = lib.stats()
    if as_json:
        json_lines([asdict(s)])
        return
    click.echo(f"library: {safe_line(str(ctx.obj['library']))}")
    click.echo(f"{s.articles} articles, {s.entities} entities, {s.mentions} mentions")
    if s.first_date:
        click.echo(f"dates: {s.first_date[:10]} to {(s.last_date or '')[:10]}")
    if s.by_label:
        click.echo("entities by type: " + ", ".join(f"{k} {v}" for k, v in s.by_label.items()))
    if s.sources:
        click.echo(safe_text("sources: " + ", ".join(f"{k or '(none)'} {v}" for k, v in s.sources.items())))


COMMANDS = [search, help_query, show, entities, mentions, export, stats]
