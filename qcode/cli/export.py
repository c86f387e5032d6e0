"""Export commands: excerpts and codings to Word, CSV, XLSX, Markdown and HTML; memos to Word.

Every export is written to a temporary file beside the target and moved into place when complete,
so a failed export never leaves half a file.
"""

from __future__ import annotations

import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import click

from qcode.cli.analysis import ContextType, filter_options, make_filters
from qcode.cli.common import _open, cli, console, fail, project_argument, say

out_argument = click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
anonymize_option = click.option("--anonymize", "names", type=click.Path(dir_okay=False, path_type=Path),
                                metavar="NAMES.csv", help="A table of names and pseudonyms: every name is replaced.")


def _anonymizer(names: Path | None):
    if names is None:
        return None
    from qcode.core import QcodeError
    from qcode.export.anonymize import anonymizer_from_rows
    from qcode.ingest.tables import read_table

    try:
        header, rows = read_table(names)
    except QcodeError as exc:
        fail(f"cannot read {names.name}: {exc}")
    return anonymizer_from_rows([header] + rows, names.name)


@contextmanager
def _atomic(out: Path):
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        fail(f"cannot write {out}: folder {folder} does not exist")
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=out.suffix, dir=folder)
    os.close(handle)
    try:
        yield Path(temporary)
        os.replace(temporary, out)
    finally:
        Path(temporary).unlink(missing_ok=True)


def _check_suffix(out: Path, *suffixes: str) -> None:
    if out.suffix.lower() not in suffixes:
        fail(f"{out.name}: this export writes {' or '.join(suffixes)} files")


@contextmanager
def _progress(label: str):
    """A progress callback (done, total) that draws a bar on an interactive terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress(console=console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


@cli.group()
def export() -> None:
    """Export excerpts and codings (docx, csv, xlsx, md, html) or memos (memos)."""


@export.command("docx")
@project_argument
@out_argument
@filter_options
@click.option("--memos", is_flag=True, help="Put each coding's memo under its excerpt.")
@anonymize_option
@click.option("--cite", metavar="TEMPLATE", help='The citation form, e.g. "{case}, {document}, para. {paragraph}".')
def export_docx(project: Path, out: Path, code_path, no_children, query, documents, cases, where, coders,
                memos: bool, names: Path | None, cite: str | None) -> None:
    """Coded excerpts as a Word document with citations, ready to quote in a thesis chapter."""
    from qcode.export.word import export_word

    _check_suffix(out, ".docx")
    filters = make_filters(code_path, no_children, query, documents, cases, where, coders)
    anonymizer = _anonymizer(names)
    with _open(project) as p, _atomic(out) as temporary, _progress("writing") as progress:
        report = export_word(p, temporary, filters, memos=memos, anonymizer=anonymizer, cite=cite, progress=progress)
    say(f"wrote {out}: {report['excerpts']} excerpt(s) of {report['codes']} code(s) from "
        f"{report['documents']} document(s)")


def _table_export(kind: str):
    @export.command(kind, help=f"One row per coding as {kind.upper()}: document, cases, span, code, coder, memo, "
                               "text, citation places and attributes.")
    @project_argument
    @out_argument
    @filter_options
    @anonymize_option
    @click.option("--context", type=ContextType(), help="Add the context of each excerpt: characters or 'paragraph'.")
    def command(project: Path, out: Path, code_path, no_children, query, documents, cases, where, coders,
                names: Path | None, context) -> None:
        from qcode.export import tables

        _check_suffix(out, f".{kind}")
        filters = make_filters(code_path, no_children, query, documents, cases, where, coders)
        anonymizer = _anonymizer(names)
        writer = tables.export_csv if kind == "csv" else tables.export_xlsx
        with _open(project) as p, _atomic(out) as temporary:
            rows = writer(p, temporary, filters, anonymizer=anonymizer, context=context)
        say(f"wrote {out}" + (f": {rows} coding(s)" if isinstance(rows, int) else ""))

    return command


def _report_export(kind: str):
    @export.command(kind, help=f"A {'Markdown' if kind == 'md' else 'single-file HTML'} report of excerpts by code, "
                               "with citations.")
    @project_argument
    @out_argument
    @filter_options
    @click.option("--memos", is_flag=True, help="Put each coding's memo under its excerpt.")
    @anonymize_option
    def command(project: Path, out: Path, code_path, no_children, query, documents, cases, where, coders,
                memos: bool, names: Path | None) -> None:
        from qcode.export import report

        suffixes = (".md", ".markdown") if kind == "md" else (".html", ".htm")
        _check_suffix(out, *suffixes)
        filters = make_filters(code_path, no_children, query, documents, cases, where, coders)
        anonymizer = _anonymizer(names)
        writer = report.export_markdown if kind == "md" else report.export_html
        with _open(project) as p, _atomic(out) as temporary:
            writer(p, temporary, filters, memos=memos, anonymizer=anonymizer)
        say(f"wrote {out}")

    return command


for _kind in ("csv", "xlsx"):
    _table_export(_kind)
for _kind in ("md", "html"):
    _report_export(_kind)


@export.command("memos")
@project_argument
@out_argument
@anonymize_option
def export_memos(project: Path, out: Path, names: Path | None) -> None:
    """Every memo (project, documents, cases, codes, codings) as a Word document."""
    from qcode.export.memos import export_memos_word

    _check_suffix(out, ".docx")
    anonymizer = _anonymizer(names)
    with _open(project) as p, _atomic(out) as temporary:
        count = export_memos_word(p, temporary, anonymizer=anonymizer)
    say(f"wrote {out}: {count} memo(s)")
