"""Provides ``main``, the ``reader`` command, with every subcommand registered on it.

One module per family of commands: library upkeep, reading, entity decisions, why an
entity is one, briefing. Each
command parses its options and calls one Library method. Every line printed passes safe_text,
so nothing from an article reaches the terminal as a control sequence; ``--json`` prints one
JSON object a line.
"""

from __future__ import annotations

from reader.cli import briefing, decisions, library, reading, why
from reader.cli.group import main

for _family in (library, reading, decisions, why, briefing):
    for _command in _family.COMMANDS:
        main.add_command(_command)

__all__ = ["main"]
