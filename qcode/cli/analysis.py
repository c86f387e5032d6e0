"""Commands that ask questions of a coded project: excerpts, search, stats."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from qcode.cli.common import (
    _open,
    cli,
    coder_option,
    json_option,
    print_json,
    project_argument,
    say,
    table,
    usage,
)

CONTEXT_HELP = "Context around each excerpt: a number of characters, or 'paragraph'."


class ContextType(click.ParamType):
    name = "N|paragraph"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        if str(value).strip().lower() == "paragraph":
            return "paragraph"
        if str(value).isdigit():
            return int(value)
        self.fail(f"{value!r} is neither a number of characters nor 'paragraph'", param, ctx)


def filter_options(function):
    """The options that choose excerpts, shared by excerpts and every export."""
    for option in reversed([
        click.option("--code", "code_path", metavar="CODE", help="Only this code (and the codes below it)."),
        click.option("--no-children", is_flag=True, help="With --code: the code alone."),
        click.option("--query", metavar="QUERY", help='A code query, e.g. \'"Role set/Coordinator" AND NOT "Role of IO/Arena"\'.'),
        click.option("--document", "documents", metavar="DOC", multiple=True, help="Only this document (repeatable)."),
        click.option("--case", "cases", metavar="CASE", multiple=True, help="Only documents of this case (repeatable)."),
        click.option("--where", "where", metavar="ATTR=VALUE", multiple=True,
                     help="Only documents (or their cases) with this attribute value (repeatable)."),
        click.option("--coder", "coders", metavar="NAME", multiple=True, help="Only this coder's codings (repeatable)."),
    ]):
        function = option(function)
    return function


def make_filters(code_path, no_children, query, documents, cases, where, coders):
    from qcode.analysis.retrieval import Filters, parse_where
    from qcode.core import QcodeError

    try:
        pairs = parse_where(where)
    except QcodeError as exc:
        usage(str(exc))
    return Filters(code=code_path, children=not no_children, query=query, documents=tuple(documents),
                   cases=tuple(cases), where=pairs, coders=tuple(coders))


@cli.command()
@project_argument
@filter_options
@click.option("--context", type=ContextType(), help=CONTEXT_HELP)
@json_option
def excerpts(project: Path, code_path, no_children, query, documents, cases, where, coders, context,
             as_json: bool) -> None:
    """The excerpts of codes, filtered by code, query, document, case, attribute value and coder."""
    from qcode.analysis.retrieval import excerpts as find_excerpts

    filters = make_filters(code_path, no_children, query, documents, cases, where, coders)
    with _open(project) as p:
        found = find_excerpts(p, filters, context=context)
    if as_json:
        print_json([e.as_json() for e in found])
        return
    table(("document", "case", "span", "code", "coder", "excerpt"),
          [(e.document, ", ".join(e.cases), f"{e.start}-{e.end}", e.code, e.coder,
            " ".join((e.context if context is not None else e.text).split())) for e in found])


STATS_KINDS = ("frequencies", "cooccurrence", "matrix")


@cli.command()
@project_argument
@click.argument("kind", type=click.Choice(STATS_KINDS))
@click.option("--by", metavar="ATTRIBUTE", help="matrix: 'case' (the default) or an attribute such as province.")
@click.option("--measure", type=click.Choice(["codings", "documents"]), default="codings",
              help="matrix: count codings or documents.")
@click.option("--codes", "code_list", metavar="CODE", multiple=True, help="cooccurrence: only these codes (repeatable).")
@click.option("--exact", is_flag=True, help="Each code alone, without the codes below it.")
@filter_options
@json_option
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
def stats(project: Path, kind: str, by: str | None, measure: str, code_list, exact: bool, code_path, no_children,
          query, documents, cases, where, coders, as_json: bool, as_csv: bool) -> None:
    """Code frequencies, the code co-occurrence matrix, or codes by case or attribute value.

    frequencies: codings, documents, cases and words per code (alone and with the codes below it).
    cooccurrence: for each pair, how many codings of the row code overlap a coding of the column code.
    matrix: codings (or documents) of each code per case, or per value of an attribute (--by).
    """
    from qcode.analysis import stats as statistics

    if as_json and as_csv:
        usage("choose --json or --csv, not both")
    if kind != "matrix" and (by is not None or measure != "codings"):
        usage("--by and --measure apply to the matrix")
    if code_list and kind != "cooccurrence":
        usage("--codes applies to the co-occurrence matrix")
    filters = make_filters(code_path, no_children, query, documents, cases, where, coders)
    with _open(project) as p:
        if kind == "frequencies":
            rows = statistics.frequencies(p, filters, children=not exact)
        elif kind == "cooccurrence":
            result = statistics.cooccurrence(p, list(code_list) or None, filters, children=not exact)
        else:
            result = statistics.matrix(p, by or "case", filters, measure, children=not exact)
    if kind == "frequencies":
        _show_frequencies(rows, as_json, as_csv)
        return
    if as_json:
        print_json(result.as_json())
    elif as_csv:
        sys.stdout.write(result.to_csv())
    else:
        _show_matrix(result)


def _show_frequencies(rows, as_json: bool, as_csv: bool) -> None:
    if as_json:
        print_json([row.as_json() for row in rows])
        return
    columns = ("code", "codings", "documents", "cases", "words", "with children")
    values = [(row.code, row.codings, row.documents, row.cases, row.words,
               "" if row.total_codings is None else row.total_codings) for row in rows]
    if as_csv:
        from qcode.analysis.stats import Matrix

        matrix = Matrix(title="frequencies", rows=[v[0] for v in values], columns=list(columns[1:]),
                        cells=[list(v[1:]) for v in values], totals_label="with children")
        sys.stdout.write(matrix.to_csv())
        return
    widest = max((row.codings for row in rows), default=0) or 1
    table((*columns, ""), [(("  " * row.depth) + row.code.rsplit("/", 1)[-1], *value[1:],
                            "█" * round(12 * row.codings / widest)) for row, value in zip(rows, values)])


def _show_matrix(result) -> None:
    header, *rows = result.grid()
    table(header, rows, title=result.title)
    for note in result.notes:
        say(note)


@cli.command()
@project_argument
@click.argument("terms")
@click.option("--mode", type=click.Choice(["auto", "words", "substring"]), default="auto", show_default=True,
              help="words: whole words, \"phrases\", prefix*; substring: anywhere inside words (kerja finds "
                   "bekerja); auto: substring, unless the terms use quotes or *.")
@click.option("--document", "documents", metavar="DOC", multiple=True, help="Only this document (repeatable).")
@click.option("--case", "cases", metavar="CASE", multiple=True, help="Only documents of this case (repeatable).")
@click.option("--where", "where", metavar="ATTR=VALUE", multiple=True,
              help="Only documents (or their cases) with this attribute value (repeatable).")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many hits.")
@click.option("--context", type=click.IntRange(min=0), default=40, show_default=True,
              help="Characters of context either side.")
@click.option("--code", "code_path", metavar="CODE", help="Code every hit with CODE (after showing them).")
@click.option("--yes", is_flag=True, help="With --code: apply without asking.")
@coder_option
@json_option
def search(project: Path, terms: str, mode: str, documents, cases, where, limit, context, code_path, yes: bool,
           coder: str | None, as_json: bool) -> None:
    """Full-text search, with each hit in its context (keyword in context)."""
    from qcode.analysis.retrieval import allowed_documents
    from qcode.analysis.search import search as find
    from qcode.core.codings import CodingRequest

    filters = make_filters(None, False, None, documents, cases, where, ())
    with _open(project, coder) as p:
        hits = find(p, terms, mode=mode, limit=limit, context=context, documents=allowed_documents(p, filters))
        if as_json:
            print_json([hit.as_json() for hit in hits])
        else:
            table(("document", "span", "context"), [(h.document, f"{h.start}-{h.end}", h.context) for h in hits])
            say(f"{len(hits)} hit(s)")
        if code_path is None or not hits:
            return
        if not yes:
            if not sys.stdin.isatty():
                usage("--code needs --yes when qcode cannot ask (no terminal)")
            if not click.confirm(f"Code these {len(hits)} hit(s) with {code_path}?", err=True):
                say("nothing coded")
                return
        report = p.codings.add_many([CodingRequest(h.document, h.start, h.end, code_path) for h in hits])
    for created in report.created_codes:
        say(f"created code {created}")
    say(f"coded {report.added} hit(s) with {code_path}" + (f"; {report.unchanged} were coded already"
                                                            if report.unchanged else ""))
