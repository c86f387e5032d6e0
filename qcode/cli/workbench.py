"""`qcode open`: the coding workbench in the terminal."""

from __future__ import annotations

from pathlib import Path

import click

from qcode.cli.common import _open, cli, coder_option, project_argument


@cli.command("open")
@project_argument
@click.option("--document", metavar="NAME", help="Open at this document.")
@coder_option
def open_(project: Path, document: str | None, coder: str | None) -> None:
    """Open the coding workbench on PROJECT (read, select, code, undo; every change is saved at once)."""
    with _open(project, coder) as p:  # a missing, busy or damaged project fails here, in one line
        if document is not None:
            document = p.documents.get(document).name
        coder = p.coder
    from qcode.tui.app import QcodeApp

    QcodeApp(project, document=document, coder=coder).run()
