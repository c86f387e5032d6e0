"""What every command shares: the group, the consoles, the options, one-line errors, tables, JSON."""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import click

from qcode import __version__
from qcode.core import QcodeError, open_project
from qcode.core.text import normalise

EXIT_REFUSED = 1
EXIT_INTERNAL = 70

project_argument = click.argument("project", type=click.Path(dir_okay=False, path_type=Path))
coder_option = click.option("--coder", metavar="NAME",
                            help="Who does this (default: $QCODE_CODER, else your login name).")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


@lru_cache(maxsize=2)
def console(stderr: bool = False):
    """A Rich console (imported when a table or progress bar is drawn: most commands need none)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def terminal_safe(message: str) -> str:
    """No escape sequences or control characters reach the terminal, whatever a message quotes."""
    return normalise(message)


def say(message: str) -> None:
    """A message for people, on stderr, plain text."""
    sys.stderr.write(terminal_safe(message) + "\n")


def show(message: str) -> None:
    """A line of output, on stdout, plain text."""
    sys.stdout.write(terminal_safe(message) + "\n")


def fail(message: str, code: int = EXIT_REFUSED):
    raise click.exceptions.Exit(_report(message, code))


def usage(message: str):
    """A command used the wrong way: exit code 2, as for click's own usage errors."""
    raise click.UsageError(message)


def _report(message: str, code: int) -> int:
    say(f"qcode: {message}")
    return code


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def table(columns: Iterable[str], rows: Iterable[Iterable[Any]], title: str | None = None) -> None:
    """A table for people; every cell is plain text (document text is data, never markup)."""
    from rich.table import Table
    from rich.text import Text

    view = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    for column in columns:
        view.add_column(column, overflow="fold")  # a long name wraps; it is never cut short
    for row in rows:
        view.add_row(*(Text(terminal_safe(str(cell))) for cell in row))
    console().print(view)


class QcodeGroup(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except QcodeError as exc:
            ctx.exit(_report(str(exc), EXIT_REFUSED))


@click.group(cls=QcodeGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="qcode")
def cli() -> None:
    """qcode: code interviews and documents for case-study research."""


def _open(path: Path, coder: str | None = None):
    return open_project(path, coder=coder)
