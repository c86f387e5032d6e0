"""Commands on codes and codings: code, codings, codes."""

from __future__ import annotations

import json
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
from qcode.core.codings import CodingRequest

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
            usage("give either DOCUMENT START END CODE or --from FILE, not both")
        requests = _read_jsonl(from_file)
        label = f"{from_file.name}, "
    else:
        if None in (document, start, end, code):
            usage("give DOCUMENT START END CODE, or --from FILE.jsonl")
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
        with open(path, encoding="utf-8-sig") as handle:
            lines = handle.read().splitlines()
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}")
    except UnicodeDecodeError:
        fail(f"{path}: not UTF-8 text")
    requests = []
    loads = json.loads
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = loads(line)
            document, start, end, code = item["document"], item["start"], item["end"], item["code"]
            memo, coder = item.get("memo"), item.get("coder")
        except json.JSONDecodeError as exc:
            fail(f"{path.name}, line {number}: not JSON ({exc.msg})")
        except KeyError as exc:
            fail(f"{path.name}, line {number}: missing {exc.args[0]}")
        except (TypeError, AttributeError):
            fail(f"{path.name}, line {number}: expected an object")
        if type(start) is not int or type(end) is not int:
            fail(f"{path.name}, line {number}: start and end must be whole numbers")
        if type(document) is not str or type(code) is not str or not (memo is None or type(memo) is str) \
                or not (coder is None or type(coder) is str):
            fail(f"{path.name}, line {number}: document, code, memo and coder must be strings")
        requests.append(CodingRequest(document, start, end, code, memo, coder))
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
    """The code tree: list (the default), add, rename, move, merge, delete."""


@codes.command("list")
@project_argument
@json_option
def codes_list(project: Path, as_json: bool) -> None:
    """List the code tree with the codings of each code, alone and with its children."""
    with _open(project) as p:
        found, counts = p.codes.list(), p.codes.counts()
        totals = p.codes.totals(counts)
    if as_json:
        print_json([{"code": c.path, "name": c.name, "guid": c.guid, "codings": counts.get(c.id, 0),
                     "with_children": totals[c.id], "color": c.color, "shortcut": c.shortcut} for c in found])
    else:
        _code_table(found, counts, totals)


def _code_table(found, counts, totals) -> None:
    table(("code", "codings", "with children"),
          [("  " * c.path.count("/") + c.name, counts.get(c.id, 0), totals[c.id]) for c in found])
