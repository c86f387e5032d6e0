"""Codebook commands: validate, show, apply, export, import, diff; and editing codes (codes add ...)."""

from __future__ import annotations

from pathlib import Path

import click

from qcode.cli.common import (
    _open,
    cli,
    coder_option,
    fail,
    json_option,
    print_json,
    project_argument,
    say,
    table,
    usage,
)
from qcode.codebook.errors import CodebookError
from qcode.codebook.model import Codebook
from qcode.core.errors import QcodeError
from qcode.core.project import SUFFIX


def is_project(path: Path) -> bool:
    return path.suffix.lower() == SUFFIX


def read_codebook(path: Path, *, fill_guids: bool = False) -> Codebook:
    """A codebook from a file, or the codebook of a project."""
    from qcode.codebook.apply import from_project
    from qcode.codebook.files import load_codebook, resolve

    path = resolve(path)
    if is_project(path):
        with _open(path) as p:
            return from_project(p)
    book, warnings = load_codebook(path, fill_guids=fill_guids)
    for warning in warnings:
        say(f"warning: {path.name}: {warning}")
    return book


def read_codebook_or_fail(path: Path) -> Codebook:
    try:
        return read_codebook(path)
    except CodebookError as exc:
        _fail_with(exc)


def _fail_with(exc: CodebookError) -> None:
    lines = exc.lines()
    for line in lines[:-1]:
        say(f"qcode: {line}")
    fail(lines[-1] if lines else str(exc))


@cli.group()
def codebook() -> None:
    """Codebooks: validate, show, apply, export, import, diff."""


@codebook.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def validate(file: Path) -> None:
    """Check a codebook file; every problem is reported with its line."""
    from qcode.codebook.files import load_codebook

    try:
        book, warnings = load_codebook(file)
    except CodebookError as exc:
        _fail_with(exc)
    for warning in warnings:
        say(f"warning: {file.name}: {warning}")
    say(f"{file}: valid, {len(book)} codes")


@codebook.command()
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@json_option
def show(source: Path, as_json: bool) -> None:
    """Show the code tree of a codebook file or of a project (with counts)."""
    try:
        book = read_codebook(source)
    except CodebookError as exc:
        _fail_with(exc)
    counts: dict[str, tuple[int, int]] = {}
    if is_project(source):
        with _open(source) as p:
            tree, per_code = p.codes.tree(), p.codes.counts()
            totals = p.codes.totals(per_code, tree)
            for path, _, _ in book.walk():
                code_id = tree.find(path)
                counts[path] = (per_code.get(code_id, 0), totals[code_id])
    if as_json:
        print_json([{"code": path, "name": code.name, "name_id": code.name_id, "guid": code.guid,
                     "codable": code.codable, "color": code.color, "shortcut": code.shortcut,
                     "definition": code.definition, **({"codings": counts[path][0], "with_children": counts[path][1]}
                                                       if counts else {})}
                    for path, code, _ in book.walk()])
        return
    title = " ".join(part for part in (book.title, book.version and f"v{book.version}") if part)
    columns = ("code", "Indonesian", "key", *(("codings", "with children") if counts else ()))
    table(columns, [("  " * path.count("/") + code.name + ("" if code.codable else " ▸"), code.name_id,
                     code.shortcut or "", *(counts[path] if counts else ()))
                    for path, code, _ in book.walk()], title=title or None)


@codebook.command()
@project_argument
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@coder_option
@json_option
def apply(project: Path, file: Path, coder: str | None, as_json: bool) -> None:
    """Merge a codebook file into a project (by GUID, then by path). Never deletes a code."""
    from qcode.codebook.apply import apply as apply_codebook

    try:
        book = read_codebook(file)
    except CodebookError as exc:
        _fail_with(exc)
    with _open(project, coder) as p:
        report = apply_codebook(p, book, source=file.name)
    if as_json:
        print_json(report.as_json())
        return
    say(f"applied {file.name}: {len(report.added)} added, {len(report.changed)} changed, "
        f"{len(report.unchanged)} unchanged")
    for path in report.missing_in_use:
        say(f"  in use but not in {file.name} (kept): {path}")
    if report.missing_unused:
        say(f"  {len(report.missing_unused)} unused code(s) not in {file.name} (kept)")
    for note in report.notes:
        say(f"  {note}")


@codebook.command()
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def export(source: Path, out: Path) -> None:
    """Write the codebook of a project or file as .yaml, .qdc, .docx (appendix) or .md."""
    from qcode.codebook.files import save_codebook

    try:
        book = read_codebook(source)
        notes = save_codebook(book, out, origin=f"qcode {book.title}".strip())
    except CodebookError as exc:
        _fail_with(exc)
    for note in notes:
        say(f"note: {note}")
    say(f"wrote {out} ({len(book)} codes)")


@codebook.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def import_(file: Path, out: Path) -> None:
    """Turn a .qdc (from NVivo, ATLAS.ti, MAXQDA, QualCoder, Taguette) or .yaml codebook into qcode's YAML.

    Codes without a GUID get one, made from their path (the same path, the same GUID).
    """
    from qcode.codebook.files import save_codebook

    if out.suffix.lower() not in (".yaml", ".yml"):
        fail(f"the imported codebook is written as YAML: name it {out.stem}.yaml")
    try:
        book = read_codebook(file, fill_guids=True)
        save_codebook(book, out)
    except CodebookError as exc:
        _fail_with(exc)
    say(f"wrote {out} ({len(book)} codes)")


@codebook.command()
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path))
@json_option
def diff(old: Path, new: Path, as_json: bool) -> None:
    """What changed from codebook OLD to NEW (files or projects). Exit 0 when they are the same, 1 when not."""
    from qcode.codebook.diff import diff as diff_codebooks

    try:
        changes = diff_codebooks(read_codebook(old), read_codebook(new))
    except CodebookError as exc:
        _fail_with(exc)
    if as_json:
        print_json([c.as_json() for c in changes])
    else:
        for change in changes:
            click.echo(change.line())
        if not changes:
            say("no differences")
    if changes:
        raise click.exceptions.Exit(1)


# --- editing codes in a project -----------------------------------------------------------------

from qcode.cli.coding import codes  # noqa: E402  (the group that lists codes)


@codes.command("add")
@project_argument
@click.argument("path")
@click.option("--color", help="A colour, #RRGGBB.")
@click.option("--shortcut", help="One digit or letter that applies the code in the workbench.")
@click.option("--description", default="", help="The code's definition.")
@coder_option
def codes_add(project: Path, path: str, color: str | None, shortcut: str | None, description: str,
              coder: str | None) -> None:
    """Add a code, such as "Role set/Coordinator" (missing parents are created)."""
    from qcode.codebook.model import checked_color, checked_shortcut

    fields = {"description": description}
    try:
        if color is not None:
            fields["color"] = checked_color(color)
        if shortcut is not None:
            fields["shortcut"] = checked_shortcut(shortcut)
    except QcodeError as exc:
        fail(str(exc))
    with _open(project, coder) as p:
        p.code_editor.add(path, **fields)
    say(f"added code {path}")


@codes.command("rename")
@project_argument
@click.argument("path")
@click.argument("new_name")
@coder_option
def codes_rename(project: Path, path: str, new_name: str, coder: str | None) -> None:
    """Rename a code (its codings and children stay with it)."""
    with _open(project, coder) as p:
        new_path = p.code_editor.rename(path, new_name)
    say(f"renamed {path} to {new_path}")


@codes.command("move")
@project_argument
@click.argument("path")
@click.argument("new_parent", required=False)
@click.option("--top", is_flag=True, help="Move the code to the top of the tree.")
@coder_option
def codes_move(project: Path, path: str, new_parent: str | None, top: bool, coder: str | None) -> None:
    """Move a code (with its children) under NEW_PARENT, or to the top with --top."""
    if (new_parent is None) == (not top):
        usage("give either NEW_PARENT or --top")
    with _open(project, coder) as p:
        new_path = p.code_editor.move(path, None if top else new_parent)
    say(f"moved {path} to {new_path}")


@codes.command("merge")
@project_argument
@click.argument("source")
@click.argument("target")
@coder_option
def codes_merge(project: Path, source: str, target: str, coder: str | None) -> None:
    """Merge code SOURCE into TARGET: its codings and children follow, then SOURCE is gone."""
    with _open(project, coder) as p:
        report = p.code_editor.merge(source, target)
    extra = f" ({report['duplicates']} that {target} already had were dropped)" if report["duplicates"] else ""
    say(f"merged {source} into {target}: {report['codings']} coding(s) moved{extra}")


@codes.command("delete")
@project_argument
@click.argument("path")
@click.option("--force", is_flag=True, help="Delete even when the code (or a code below it) has codings.")
@coder_option
def codes_delete(project: Path, path: str, force: bool, coder: str | None) -> None:
    """Delete a code and the codes below it; refused while they have codings, unless --force."""
    with _open(project, coder) as p:
        report = p.code_editor.delete(path, force=force)
    removed = f", removing {report['codings']} coding(s)" if report["codings"] else ""
    say(f"deleted {path} ({report['codes']} code(s)){removed}")

