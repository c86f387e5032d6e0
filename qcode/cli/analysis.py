"""Commands that ask questions of a coded project: excerpts, search, stats."""

from __future__ import annotations

from pathlib import Path

import click

from qcode.cli.common import _open, cli, json_option, print_json, project_argument, table

CONTEXT_HELP = "Context around each excerpt: a number of characters, or 'paragraph'."


class ContextType(click.ParamType):
    name = "N|paragraph"

    def convert(self, value, param, ctx):
        if isinstance(value, int) or value == "paragraph":
            return value
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

    return Filters(code=code_path, children=not no_children, query=query, documents=tuple(documents),
                   cases=tuple(cases), where=parse_where(where), coders=tuple(coders))


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
