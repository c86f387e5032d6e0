"""The demo command: build the demo project and show what it holds."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from qcode.cli.coding import _code_table
from qcode.cli.common import _open, cli, say, show, table

# --- demo ---------------------------------------------------------------------------------------


@cli.command()
@click.argument("project", required=False, type=click.Path(dir_okay=False, path_type=Path),
                default=Path("iom-indonesia.qcode"))
@click.option("--force", is_flag=True, help="Rebuild the demo project even if the file exists.")
@click.option("--open/--no-open", "open_", default=None,
              help="Open the workbench on it afterwards (default: when run in a terminal).")
def demo(project: Path, force: bool, open_: bool | None) -> None:
    """Build the demo project (IOM and Indonesia against trafficking), show what it holds, and open the
    coding workbench on it when run in a terminal."""
    from qcode.demo import build_demo

    if project.exists() and force:
        project.unlink()
    if not project.exists():
        build_demo(project, progress=say)
        say(f"built the demo project {project}")
    else:
        say(f"{project} exists (use --force to rebuild it)")
    _summary(project)
    if open_ is None:
        open_ = sys.stdin.isatty() and sys.stdout.isatty()
    if open_:
        from qcode.tui.app import QcodeApp

        QcodeApp(project).run()


def _summary(project: Path) -> None:
    with _open(project) as p:
        counts = p.summary()
        docs = p.documents.list()
        codes, code_counts = p.codes.list(), p.codes.counts()
        totals = p.codes.totals(code_counts)
        name = p.name
    show(name)
    show(f"{counts['documents']} documents, {counts['cases']} cases, {counts['codes']} codes, "
         f"{counts['codings']} codings, {counts['memos']} memos")
    table(("document", "format", "characters", "codings", "case"),
          [(d.name, d.format, f"{d.characters:,}", d.codings, ", ".join(d.cases)) for d in docs])
    _code_table(codes, code_counts, totals)
    say(f"next: qcode open {project}   (or: qcode excerpts {project} --code 'Role set/Coordinator')")
