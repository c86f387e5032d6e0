"""The command line: a thin face on the library, for scripts and for people.

Every listing takes ``--json``. Errors are one line on stderr (``qcode: ...``) and a non-zero exit
code, never a traceback (set ``QCODE_DEBUG=1`` to see one).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Iterable

import click
from click_default_group import DefaultGroup
from rich.console import Console
from rich.table import Table
from rich.text import Text

from qcode import __version__
from qcode.core import QcodeError, create_project, open_project
from qcode.core.codings import CodingRequest

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_REFUSED = 1
EXIT_INTERNAL = 70

project_argument = click.argument("project", type=click.Path(dir_okay=False, path_type=Path))
coder_option = click.option("--coder", metavar="NAME",
                            help="Who does this (default: $QCODE_CODER, else your login name).")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


def say(message: str) -> None:
    """A message for people, on stderr, never parsed as markup."""
    err.print(Text(message))


def fail(message: str, code: int = EXIT_REFUSED):
    raise click.exceptions.Exit(_report(message, code))


def _report(message: str, code: int) -> int:
    err.print(Text(f"qcode: {message}"))
    return code


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def table(columns: Iterable[str], rows: Iterable[Iterable[Any]], title: str | None = None) -> None:
    """A table for people; every cell is plain text (document text is data, never markup)."""
    view = Table(*columns, title=title, title_justify="left", show_edge=False, pad_edge=False)
    for row in rows:
        view.add_row(*(Text(str(cell)) for cell in row))
    out.print(view)


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


# --- projects -----------------------------------------------------------------------------------


@cli.command()
@project_argument
@click.option("--name", help="The project's name (default: the file name).")
def init(project: Path, name: str | None) -> None:
    """Create a new, empty project file (PROJECT.qcode)."""
    create_project(project, name=name).close()
    say(f"created {project}")


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
        fail("--name and --title apply to one file at a time")
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

    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("importing", total=len(files))
        for path in files:
            progress.update(task, description=Text(path.name[:40]).plain)
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
    out.print(Text(doc.title or ""))


# --- coding -------------------------------------------------------------------------------------


@cli.command()
@project_argument
@click.argument("document", required=False)
@click.argument("start", type=int, required=False)
@click.argument("end", type=int, required=False)
@click.argument("code", required=False)
@click.option("--from", "from_file", type=click.Path(dir_okay=False, path_type=Path),
              help='A JSONL file: one {"document", "start", "end", "code", "memo"?, "coder"?} a line.')
@click.option("--memo", help="A memo on this coding.")
@coder_option
def code(project: Path, document: str | None, start: int | None, end: int | None, code: str | None,
         from_file: Path | None, memo: str | None, coder: str | None) -> None:
    """Apply CODE (a path such as "Role set/Coordinator") to characters START..END of DOCUMENT.

    Offsets count Unicode code points from 0; END is exclusive. Codes that do not exist yet are
    created (and named on stderr, so that a typo shows). With --from, every line is applied in one
    transaction: one bad line and nothing is applied.
    """
    if from_file is not None:
        if document is not None:
            fail("give either DOCUMENT START END CODE or --from FILE, not both")
        requests = _read_jsonl(from_file)
        label = f"{from_file.name}, "
    else:
        if None in (document, start, end, code):
            fail("give DOCUMENT START END CODE, or --from FILE.jsonl")
        requests = [CodingRequest(document, start, end, code, memo)]
        label = ""
    with _open(project, coder) as p:
        report = p.codings.add_many(requests, label=label)
    for path in report.created_codes:
        say(f"created code {path}")
    if from_file is not None:
        say(f"applied {report.added} coding(s); {report.unchanged} were there already")
    elif report.added:
        say(f"coded {document} {start}-{end} with {code}")
    else:
        say(f"{document} {start}-{end} was already coded with {code}: nothing changed")


def _read_jsonl(path: Path) -> list[CodingRequest]:
    try:
        handle = open(path, encoding="utf-8-sig")
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}")
    requests = []
    with handle:
        try:
            lines = list(handle)
        except UnicodeDecodeError:
            fail(f"{path}: not UTF-8 text")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            fail(f"{path.name}, line {number}: not JSON ({exc.msg})")
        if not isinstance(item, dict):
            fail(f"{path.name}, line {number}: expected an object")
        missing = [k for k in ("document", "start", "end", "code") if k not in item]
        if missing:
            fail(f"{path.name}, line {number}: missing {', '.join(missing)}")
        start, end = item["start"], item["end"]
        if type(start) is not int or type(end) is not int:
            fail(f"{path.name}, line {number}: start and end must be whole numbers")
        if not all(isinstance(item.get(k), str) for k in ("document", "code")) or \
                not all(item.get(k) is None or isinstance(item[k], str) for k in ("memo", "coder")):
            fail(f"{path.name}, line {number}: document, code, memo and coder must be strings")
        requests.append(CodingRequest(item["document"], start, end, item["code"], item.get("memo"),
                                      item.get("coder")))
    return requests


@cli.command()
@project_argument
@click.option("--code", "code_path", metavar="CODE", help="Only this code (and its children).")
@click.option("--no-children", is_flag=True, help="With --code: the code alone, not its children.")
@click.option("--document", metavar="DOC", help="Only this document.")
@click.option("--coder", metavar="NAME", help="Only this coder's codings.")
@json_option
def codings(project: Path, code_path: str | None, no_children: bool, document: str | None,
            coder: str | None, as_json: bool) -> None:
    """List codings with their excerpts, in document order."""
    with _open(project) as p:
        found = p.codings.list(code=code_path, document=document, coder=coder, children=not no_children)
    if as_json:
        print_json([c.as_json() for c in found])
    else:
        table(("document", "span", "code", "coder", "excerpt"),
              [(c.document, f"{c.start}-{c.end}", c.code, c.coder, _clip(c.text)) for c in found])


def _clip(excerpt: str, width: int = 60) -> str:
    flat = " ".join(excerpt.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


@cli.group(cls=DefaultGroup, default="list", default_if_no_args=False)
def codes() -> None:
    """The code tree: list (the default)."""


@codes.command("list")
@project_argument
@json_option
def codes_list(project: Path, as_json: bool) -> None:
    """List the code tree with the codings of each code, alone and with its children."""
    with _open(project) as p:
        found, counts, tree = p.codes.list(), p.codes.counts(), p.codes.tree()
    totals = {c.id: sum(counts.get(i, 0) for i in tree.descendants(c.id)) for c in found}
    if as_json:
        print_json([{"code": c.path, "name": c.name, "guid": c.guid, "codings": counts.get(c.id, 0),
                     "with_children": totals[c.id], "color": c.color, "shortcut": c.shortcut} for c in found])
    else:
        _code_table(found, counts, totals)


def _code_table(found, counts, totals) -> None:
    table(("code", "codings", "with children"),
          [("  " * c.path.count("/") + c.name, counts.get(c.id, 0), totals[c.id]) for c in found])


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
        fail("name either --case CASE or --document DOCUMENT")
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
    say(f"{scope} {target}: {name}={value}")


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


# --- demo ---------------------------------------------------------------------------------------


@cli.command()
@click.argument("project", required=False, type=click.Path(dir_okay=False, path_type=Path),
                default=Path("iom-indonesia.qcode"))
@click.option("--force", is_flag=True, help="Rebuild the demo project even if the file exists.")
def demo(project: Path, force: bool) -> None:
    """Build the demo project (IOM and Indonesia against trafficking) and show what it holds."""
    from qcode.demo import build_demo

    if project.exists() and force:
        project.unlink()
    if not project.exists():
        build_demo(project, progress=say)
        say(f"built the demo project {project}")
    else:
        say(f"{project} exists (use --force to rebuild it)")
    _summary(project)


def _summary(project: Path) -> None:
    with _open(project) as p:
        counts = p.summary()
        docs = p.documents.list()
        codes, code_counts, tree = p.codes.list(), p.codes.counts(), p.codes.tree()
        name = p.name
    totals = {c.id: sum(code_counts.get(i, 0) for i in tree.descendants(c.id)) for c in codes}
    out.print(Text(name, style="bold"))
    out.print(Text(f"{counts['documents']} documents, {counts['cases']} cases, {counts['codes']} codes, "
                   f"{counts['codings']} codings, {counts['memos']} memos"))
    table(("document", "format", "characters", "codings", "case"),
          [(d.name, d.format, f"{d.characters:,}", d.codings, ", ".join(d.cases)) for d in docs])
    _code_table(codes, code_counts, totals)
    say(f"next: qcode codings {project} --code 'Role set/Coordinator'")


def main() -> None:
    """The console script: run the command line, turning every failure into one line."""
    try:
        code = cli.main(prog_name="qcode", standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        sys.exit(130)
    except QcodeError as exc:
        sys.exit(_report(str(exc), EXIT_REFUSED))
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
    except Exception as exc:  # the last guard: a bug is still one line, not a traceback
        if os.environ.get("QCODE_DEBUG"):
            raise
        sys.exit(_report(f"internal error ({type(exc).__name__}: {exc}); set QCODE_DEBUG=1 for details",
                         EXIT_INTERNAL))


if __name__ == "__main__":
    main()
