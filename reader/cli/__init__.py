"""Provides ``main``, the ``reader`` command, with every subcommand registered on it.

One module per family of commands: library upkeep, reading, entity decisions, why an
entity is one, briefing. Each
command parses its options and calls one Library method. Every line printed passes safe_text,
so nothing from an article reaches the terminal as a control sequence; ``--json`` prints one
JSON object a line.

A family's module is imported only when one of its commands runs (or help lists them): a
one-shot ``reader search`` loads no dossier, briefing or import code.
"""

from __future__ import annotations

from reader.cli.group import main

#: Each command's family module; ``reader.cli.group`` imports it on first use.
FAMILIES: dict[str, tuple[str, ...]] = {
    "reader.cli.library": ("add", "remove", "check", "backup", "restore"),
    "reader.cli.reading": ("search", "help-query", "show", "entities", "mentions", "export", "stats"),
    "reader.cli.decisions": (
        "merge", "split", "detach", "rename", "relabel", "ignore", "decisions", "undo",
    ),
    "reader.cli.why": ("why",),
    "reader.cli.facets": ("facets",),
    "reader.cli.briefing": ("dossier", "brief", "pins", "pin", "unpin"),
}

for _module, _names in FAMILIES.items():
    for _name in _names:
        main.lazy[_name] = _module

__all__ = ["FAMILIES", "main"]
