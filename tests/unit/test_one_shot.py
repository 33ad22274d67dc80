"""A one-shot command loads only what it needs: `reader search --json` is a whole process, and
importing the TUI, spaCy, the dossier analysis or Whoosh's writer for it costs most of its time."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import click

from reader.cli import FAMILIES, main

#: Never loaded by a search: the UI, the NLP, web page extraction, import and dossier code, and
#: what Whoosh imports but a search never uses (asyncio, urllib.request: see index.search.lean).
NOT_FOR_A_SEARCH = (
    "textual", "rich", "spacy", "thinc", "trafilatura", "lxml", "whoosh.writing",
    "index.dossiers", "index.analysis", "index.render", "index.ingest", "reader.app",
    "reader.output", "reader.cli.briefing", "reader.cli.library", "asyncio", "urllib.request",
    "http.client",
)

SEARCH = """
import json, sys
from reader.cli import main
try:
    main(["--library", sys.argv[1], "search", "--json", "xinjiang"])
except SystemExit as done:
    loaded = [m for m in json.loads(sys.argv[2]) if m in sys.modules]
    print(json.dumps({"code": done.code, "loaded": loaded}), file=sys.stderr)
"""


def test_search_json_loads_no_ui_nlp_analysis_or_index_writer(seed_library):
    out = subprocess.run(
        [sys.executable, "-c", SEARCH, str(seed_library), json.dumps(NOT_FOR_A_SEARCH)],
        capture_output=True, text=True, check=True,
    )
    hits = [json.loads(line) for line in out.stdout.splitlines()]
    assert hits and all("xinjiang" in h["snippet"].lower() or h["title"] for h in hits)
    report = json.loads(out.stderr.strip().splitlines()[-1])
    assert report == {"code": 0, "loaded": []}


def test_every_command_is_listed_under_its_family():
    """The lazy command table names each family's commands exactly (none forgotten)."""
    for module, names in FAMILIES.items():
        commands = importlib.import_module(module).COMMANDS
        assert tuple(c.name for c in commands) == names


def test_help_lists_every_command_without_running_one():
    ctx = click.Context(main)
    listed = main.list_commands(ctx)
    assert {"search", "add", "dossier", "why", "merge", "demo"} <= set(listed)
    assert all(main.get_command(ctx, name) is not None for name in listed)
