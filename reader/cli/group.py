"""Provides the ``reader`` click group: a bare ``reader`` opens the TUI, and ``reader demo``.

The group turns the library's named errors into one readable line and a non-zero exit; the
commands themselves live in one module per family (reader.cli.__init__ registers them).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from index import Library, ReaderError, explain_error, safe_line
from reader import locations
from reader.cli.common import fail

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Group(click.Group):
    """Turns the library's named errors into one readable line and a non-zero exit, and
    imports a command's module only when the command is asked for (``lazy``: name -> module)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy: dict[str, str] = {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            import importlib

            for command in importlib.import_module(self.lazy[cmd_name]).COMMANDS:
                self.add_command(command)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ReaderError as exc:
            fail(str(exc))
        except KeyboardInterrupt as exc:
            fail(str(exc) or "interrupted; what was saved is kept, run the command again to finish",
                 130)
        except click.BadParameter as exc:  # a number out of range, ...: one line, not usage
            fail(exc.format_message(), 2)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except BrokenPipeError:  # `reader search x | head`: the reader of our output left
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's final flush is quiet
            sys.exit(141)
        except Exception as exc:  # a bug: one line, not a traceback, unless debugging
            known = explain_error((ctx.obj or {}).get("library") or Path("."), exc)
            if known is not None:  # SQLite's word for a damaged, full or busy database
                fail(str(known))
            if os.environ.get("READER_DEBUG"):
                raise
            fail(f"unexpected error ({type(exc).__name__}: {exc}); set READER_DEBUG=1 for details", 70)


@click.group(cls=_Group, invoke_without_command=True, context_settings=CONTEXT)
@click.option(
    "--library",
    "library",
    type=click.Path(path_type=Path),
    default=None,
    help="Library folder (default: $READER_LIBRARY, else the user data folder).",
)
@click.version_option(package_name="reader", prog_name="reader")
@click.pass_context
def main(ctx: click.Context, library: Path | None) -> None:
    """reader: read, search and cross-reference news articles in the terminal.

    Run without a command to open the reader on your library.
    """
    ctx.ensure_object(dict)
    ctx.obj["library"] = library or locations.default_library()
    if ctx.invoked_subcommand is None:
        from reader.run import run_app

        run_app(ctx.obj["library"])


@main.command()
@click.pass_context
def demo(ctx: click.Context) -> None:
    """Open a library of the sample articles (built on first use)."""
    path = locations.demo_library()
    with Library.open(path) as lib:
        if lib.count() == 0:
            from reader.output import Output

            out = Output()
            report = lib.add([locations.samples_dir()], jobs=1, progress=out.progress("Building the demo library"))
            out.done()
            if report.failed:
                for where, reason in report.failed:
                    click.echo(f"reader: {safe_line(where)}: {safe_line(reason)}", err=True)
    from reader.run import run_app

    run_app(path, demo=True)
