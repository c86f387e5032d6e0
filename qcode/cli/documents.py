"""Commands on projects and documents: init, info, import, documents, text, title."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from qcode.cli.common import (
    EXIT_REFUSED,
    _open,
    _report,
    cli,
    coder_option,
    console,
    json_option,
    print_json,
    project_argument,
    say,
    show,
    table,
    terminal_safe,
    usage,
)
from qcode.core import create_project

# --- projects -----------------------------------------------------------------------------------


@cli.command()
@project_argument
@click.option("--name", help="The project's name (default: the file name).")
@click.option("--codebook", "codebook_file", metavar="FILE",
              help="Start from this codebook (.yaml or .qdc; 'role-theory-io' is the one qcode ships).")
def init(project: Path, name: str | None, codebook_file: str | None) -> None:
    """Create a new project file (PROJECT.qcode), empty or with a codebook."""
    if codebook_file is None:
        create_project(project, name=name).close()
        say(f"created {project}")
        return
    from qcode.cli.codebook import read_codebook_or_fail
    from qcode.codebook.apply import create_with_codebook
    from qcode.codebook.files import resolve

    book = read_codebook_or_fail(resolve(codebook_file))
    create_with_codebook(project, book, name=name, source=Path(codebook_file).name).close()
    say(f"created {project} with the codebook {book.title or codebook_file} ({len(book)} codes)")


@cli.command()
@project_argument
@json_option
def info(project: Path, as_json: bool) -> None:
    """What a project holds."""
    with _open(project) as p:
        data = {"project": str(project), "name": p.name, **p.summary()}
    if as_json:
        print_json(data)
    else:
        table(("", ""), [(key, value) for key, value in data.items()])


# --- documents ----------------------------------------------------------------------------------


@cli.command("import")
@project_argument
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--case", "case", metavar="NAME", help="Put the documents into this case (created if new).")
@click.option("--name", metavar="NAME", help="The document's name, when it is not the file name (one file only).")
@click.option("--title", metavar="TITLE", help="The document's title for citations (one file only).")
@coder_option
@json_option
def import_(project: Path, files: tuple[Path, ...], case: str | None, name: str | None, title: str | None,
            coder: str | None, as_json: bool) -> None:
    """Import documents: .txt .md .docx .odt .rtf .pdf .html .vtt .srt.

    Each file is imported whole or not at all. A file imported before (the same bytes) is skipped.
    Exit code 0 when every file was imported or skipped, 1 when any was refused.
    """
    from qcode.ingest import import_file

    if (name or title) and len(files) > 1:
        usage("--name and --title apply to one file at a time")
    outcomes = []
    with _open(project, coder) as p:
        for path in _progress(files):
            outcome = import_file(p, path, name=name, case=case, title=title)
            outcomes.append(outcome)
            if not as_json:
                if outcome.status == "refused":
                    _report(outcome.message, EXIT_REFUSED)
                else:
                    say(outcome.message)
                for warning in outcome.warnings:
                    say(f"  warning: {outcome.name}: {warning}")
    if as_json:
        print_json([{"file": str(o.path), "status": o.status, "name": o.name, "message": o.message,
                     "warnings": o.warnings, "characters": o.characters} for o in outcomes])
    if any(o.status == "refused" for o in outcomes):
        raise click.exceptions.Exit(EXIT_REFUSED)


def _progress(files: tuple[Path, ...]):
    if len(files) < 2 or not sys.stderr.isatty():
        yield from files
        return
    from rich.progress import Progress

    with Progress(console=console(stderr=True), transient=True) as progress:
        task = progress.add_task("importing", total=len(files))
        for path in files:
            progress.update(task, description=terminal_safe(path.name)[:40])
            yield path
            progress.advance(task)


@cli.command()
@project_argument
@json_option
def documents(project: Path, as_json: bool) -> None:
    """List the documents with their format, length and codings."""
    with _open(project) as p:
        docs = p.documents.list()
    if as_json:
        print_json([{"name": d.name, "title": d.title, "format": d.format, "characters": d.characters,
                     "codings": d.codings, "cases": list(d.cases), "id": d.id} for d in docs])
    else:
        table(("id", "name", "format", "characters", "codings", "case", "title"),
              [(d.id, d.name, d.format, f"{d.characters:,}", d.codings, ", ".join(d.cases), d.title or "")
               for d in docs])


@cli.command()
@project_argument
@click.argument("document")
def text(project: Path, document: str) -> None:
    """Print a document's stored text exactly (UTF-8), nothing added. DOCUMENT is its name or id."""
    with _open(project) as p:
        stored = p.documents.text(document)
    sys.stdout.buffer.write(stored.encode("utf-8"))
    sys.stdout.flush()


@cli.command()
@project_argument
@click.argument("document")
@click.argument("new_title", required=False)
@coder_option
def title(project: Path, document: str, new_title: str | None, coder: str | None) -> None:
    """Show a document's title, or set it (for citations)."""
    with _open(project, coder) as p:
        doc = p.documents.set_title(document, new_title) if new_title is not None else p.documents.get(document)
    show(doc.title or "")
