"""Commands on cases and attributes."""

from __future__ import annotations

from pathlib import Path

import click
from click_default_group import DefaultGroup

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
from qcode.core import QcodeError

# --- cases and attributes -----------------------------------------------------------------------


@cli.group(cls=DefaultGroup, default="list", default_if_no_args=False)
def cases() -> None:
    """Cases: list (the default), add, assign, unassign, rename, delete."""


@cases.command("list")
@project_argument
@json_option
def cases_list(project: Path, as_json: bool) -> None:
    """List the cases with their documents and attributes."""
    with _open(project) as p:
        found = p.cases.list()
        values = p.attributes.values("case")
        members = {c.name: p.cases.documents_of(c.name) for c in found}
    if as_json:
        print_json([{"name": c.name, "description": c.description, "documents": members[c.name],
                     "attributes": values.get(c.name, {})} for c in found])
    else:
        table(("case", "documents", "attributes"),
              [(c.name, len(members[c.name]), ", ".join(f"{k}={v}" for k, v in values.get(c.name, {}).items()))
               for c in found])


@cases.command("add")
@project_argument
@click.argument("name")
@click.option("--description", default="", help="What the case is.")
@coder_option
def cases_add(project: Path, name: str, description: str, coder: str | None) -> None:
    """Create a case."""
    with _open(project, coder) as p:
        case = p.cases.add(name, description)
    say(f"added case {case.name}")


@cases.command("assign")
@project_argument
@click.argument("case")
@click.argument("documents", nargs=-1, required=True)
@click.option("--create", is_flag=True, help="Create the case if it does not exist.")
@coder_option
def cases_assign(project: Path, case: str, documents: tuple[str, ...], create: bool, coder: str | None) -> None:
    """Put documents into a case."""
    with _open(project, coder) as p:
        added = p.cases.assign(case, documents, create=create)
    say(f"case {case}: {added} document(s) added")


@cases.command("unassign")
@project_argument
@click.argument("case")
@click.argument("documents", nargs=-1, required=True)
@coder_option
def cases_unassign(project: Path, case: str, documents: tuple[str, ...], coder: str | None) -> None:
    """Take documents out of a case."""
    with _open(project, coder) as p:
        removed = p.cases.unassign(case, documents)
    say(f"case {case}: {removed} document(s) removed")


@cases.command("rename")
@project_argument
@click.argument("case")
@click.argument("new_name")
@coder_option
def cases_rename(project: Path, case: str, new_name: str, coder: str | None) -> None:
    """Rename a case."""
    with _open(project, coder) as p:
        p.cases.rename(case, new_name)
    say(f"renamed case {case} to {new_name}")


@cases.command("delete")
@project_argument
@click.argument("case")
@coder_option
def cases_delete(project: Path, case: str, coder: str | None) -> None:
    """Delete a case (its documents stay in the project)."""
    with _open(project, coder) as p:
        p.cases.delete(case)
    say(f"deleted case {case}")


@cli.group(cls=DefaultGroup, default="list", default_if_no_args=False)
def attribute() -> None:
    """Attributes of cases and documents: list (the default), set, unset, import."""


@attribute.command("list")
@project_argument
@json_option
def attribute_list(project: Path, as_json: bool) -> None:
    """List attributes and every value."""
    with _open(project) as p:
        found = p.attributes.list()
        values = {scope: p.attributes.values(scope) for scope in ("case", "document")}
    if as_json:
        print_json({"attributes": found, "values": values})
        return
    table(("attribute", "of", "type", "values"), [(a["name"], a["scope"], a["type"], a["values"]) for a in found])
    for scope, by_target in values.items():
        if by_target:
            names = sorted({k for v in by_target.values() for k in v})
            table((scope, *names), [(t, *(v.get(n, "") for n in names)) for t, v in by_target.items()])


def _scope(case: str | None, document: str | None) -> tuple[str, str]:
    if (case is None) == (document is None):
        usage("name either --case CASE or --document DOCUMENT")
    return ("case", case) if case is not None else ("document", document)


@attribute.command("set")
@project_argument
@click.argument("name")
@click.argument("value")
@click.option("--case", metavar="CASE", help="The case that gets the value.")
@click.option("--document", metavar="DOC", help="The document that gets the value.")
@click.option("--type", "type_", type=click.Choice(["text", "integer", "float", "date", "boolean"]),
              help="The attribute's type, when it is new (default: text).")
@coder_option
def attribute_set(project: Path, name: str, value: str, case: str | None, document: str | None,
                  type_: str | None, coder: str | None) -> None:
    """Set attribute NAME to VALUE on a case or a document (e.g. organisation IOM --case "IOM Indonesia")."""
    scope, target = _scope(case, document)
    with _open(project, coder) as p:
        p.attributes.set(scope, target, name, value, type_=type_)
    say(f"{scope} {target}: {name}={' '.join(value.split())}")


@attribute.command("unset")
@project_argument
@click.argument("name")
@click.option("--case", metavar="CASE")
@click.option("--document", metavar="DOC")
@coder_option
def attribute_unset(project: Path, name: str, case: str | None, document: str | None, coder: str | None) -> None:
    """Remove attribute NAME's value from a case or a document."""
    scope, target = _scope(case, document)
    with _open(project, coder) as p:
        removed = p.attributes.unset(scope, target, name)
    say(f"{scope} {target}: {name} removed" if removed else f"{scope} {target} had no value for {name}")


_CASE_HEADERS = {"case", "cases", "kasus"}
_DOCUMENT_HEADERS = {"document", "documents", "dokumen", "file"}


@attribute.command("import")
@project_argument
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@coder_option
def attribute_import(project: Path, file: Path, coder: str | None) -> None:
    """Set attributes in bulk from a .csv or .xlsx table.

    The first column names the case (header "case") or the document (header "document") of each
    row; every other column is an attribute. Cases named in the table are created; an unknown
    document refuses the whole table.
    """
    from qcode.ingest.tables import read_table

    try:
        header, rows = read_table(file)
    except QcodeError as exc:
        fail(f"cannot import {file.name}: {exc}")
    first = header[0].strip().lower()
    if first in _CASE_HEADERS:
        scope = "case"
    elif first in _DOCUMENT_HEADERS:
        scope = "document"
    else:
        fail(f"{file.name}: the first column must be headed 'case' or 'document', not {header[0]!r}")
    with _open(project, coder) as p:
        report = p.attributes.import_rows(scope, header, rows, source=file.name)
    say(f"imported {report['attributes']} attribute(s) for {report['rows']} {scope}(s) from {file.name}"
        + (f"; created {report['cases_created']} case(s)" if report["cases_created"] else ""))
