"""The layers stay apart: index/ never imports the UI, reader/ never calls Whoosh or spaCy."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import click
import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(package: str) -> set[tuple[str, str]]:
    found = set()
    for file in (ROOT / package).rglob("*.py"):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found |= {(file.name, a.name.split(".")[0]) for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add((file.name, node.module.split(".")[0]))
    return found


def test_index_never_imports_the_ui():
    bad = {(f, m) for f, m in imported_modules("index") if m in {"textual", "rich", "reader"}}
    assert not bad


def test_reader_never_imports_whoosh_or_spacy():
    bad = {(f, m) for f, m in imported_modules("reader") if m in {"whoosh", "spacy", "thinc"}}
    assert not bad


def test_reader_imports_index_only_through_its_top_level():
    """`from index import ...`, never `index.<module>`: the package layout is index's own."""
    bad = set()
    for file in (ROOT / "reader").rglob("*.py"):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                bad |= {(file.name, a.name) for a in node.names if a.name.startswith("index.")}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                if node.module.startswith("index."):
                    bad.add((file.name, node.module))
    assert not bad


def test_the_layers_are_contracts_that_make_test_checks():
    """The rules above, and which modules alone may import whoosh and spaCy, are import-linter
    contracts in pyproject.toml; `make test` runs `lint-imports` before pytest."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}
    assert set(contracts["index-without-ui"]["forbidden_modules"]) == {"textual", "rich", "reader"}
    assert contracts["reader-through-index-top-level"]["forbidden_modules"] == ["index.**"]
    assert "whoosh" in contracts["whoosh-in-search-only"]["forbidden_modules"]
    assert "spacy" in contracts["spacy-in-nlp-and-parse-only"]["forbidden_modules"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ntest: ")[1].split("\n\n")[0]
    assert recipe.index("lint-imports") < recipe.index("pytest")


def test_reading_a_library_never_imports_spacy_or_textual(seed_library):
    code = (
        "import sys; from pathlib import Path; from index import Library;"
        f"lib = Library.open(Path({str(seed_library)!r}), create=False);"
        "lib.search('xinjiang'); lib.crossrefs('Xinjiang'); lib.entities(); lib.articles();"
        "print(sorted(m for m in ('spacy', 'textual', 'thinc') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_cli_command_has_help_text():
    from reader.cli import main

    assert main.help
    ctx = click.Context(main)
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        assert command.help, f"reader {name} has no help"
        assert isinstance(command, click.Command)


@pytest.mark.parametrize("name", ["Library", "Article", "Entity", "Mention", "Hit", "safe_text"])
def test_public_api_names(name):
    import index

    assert name in index.__all__
