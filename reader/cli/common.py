"""Provides what every ``reader`` command shares: opening the library, failing in one line, and
JSON lines that pass safe_text."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterable

import click

from index import Library, ReaderError, safe_line, safe_text


#: The largest whole number SQLite stores: ids, counts and offsets above it are refused by click
#: in one line instead of overflowing in the database.
LARGEST = 2**63 - 1


def open_library(ctx: click.Context, *, create: bool = True) -> Library:
    """The library ``--library`` named; what it repaired is said when the command ends."""
    path = ctx.obj["library"]
    try:
        lib = Library.open(path, create=create)
    except ReaderError as exc:
        fail(str(exc))
    ctx.call_on_close(lambda: _notice(lib))
    return lib


def _notice(lib: Library) -> None:
    """Tell the user what the library repaired on its own while the command ran."""
    if lib.index_notice:
        click.echo(f"reader: note: {safe_line(lib.index_notice)}", err=True)


def fail(message: str, code: int = 1) -> None:
    """One line on stderr and a non-zero exit."""
    click.echo(f"reader: {safe_line(message)}", err=True)
    sys.exit(code)


def article_record(art) -> dict:
    """The JSON names of an article (``export`` and ``show --json``)."""
    return {"id": art.id, "title": art.title, "text": art.text, "source": art.source,
            "date": art.date, "url": art.url, "author": art.author, "path": art.path,
            "place": art.place, "lang": art.lang, "metadata": art.meta}


def entity_record(e) -> dict:
    """The JSON names of an entity (``entities --json`` and ``show --json``)."""
    return {"id": e.id, "name": e.name, "label": e.label, "aliases": list(e.aliases),
            "mentions": e.mentions, "articles": e.articles}


def json_lines(records: Iterable[dict]) -> None:
    """Print one JSON object a line, every string through safe_text."""
    write = sys.stdout.write
    for record in records:
        write(safe_text(json.dumps(_safe(record), ensure_ascii=False, allow_nan=False)) + "\n")
    sys.stdout.flush()


def _safe(value):
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None  # NaN and Infinity are not JSON: strict parsers refuse them
    if isinstance(value, dict):
        return {safe_text(k): _safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_safe(v) for v in value]
    return value
