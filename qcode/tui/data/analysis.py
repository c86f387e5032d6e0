"""The analysis screen's reads: frequencies, co-occurrence, matrices, the attributes to group by;
and the one write, a table saved as CSV.

Each read opens the project, asks ``qcode.analysis.stats`` and closes it (a thread worker's own
connection). The numbers are those of ``qcode stats``: nothing is counted here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qcode.analysis import stats
from qcode.analysis.retrieval import Filters
from qcode.analysis.stats import Frequency, Matrix
from qcode.core import open_project
from qcode.core.errors import QcodeError
from qcode.export.tables import output_path
from qcode.tui.data.filters import EVERY_CODING

DEFAULT_COLOR = "#AFAFAF"
FREQUENCY_COLUMNS = ("codings", "documents", "cases", "words", "with children")

__all__ = ["FREQUENCY_COLUMNS", "Frequencies", "attributes", "cooccurrence", "frequencies", "frequency_matrix",
           "matrix", "save_csv"]


@dataclass(frozen=True)
class Frequencies:
    rows: list[Frequency]
    colors: dict[str, str]  # code path -> its colour


def frequencies(path: Path, filters: Filters = EVERY_CODING) -> Frequencies:
    """Per code, in codebook order: codings, documents, cases, words (and with the codes below it),
    of the codings ``filters`` choose."""
    with open_project(path) as project:
        rows = stats.frequencies(project, filters)
        colors = {code.path: code.color or DEFAULT_COLOR for code in project.codes.list()}
    return Frequencies(rows, colors)


def cooccurrence(path: Path, filters: Filters = EVERY_CODING) -> Matrix:
    with open_project(path) as project:
        return stats.cooccurrence(project, filters=filters)


def matrix(path: Path, by: str = "case", measure: str = "codings", filters: Filters = EVERY_CODING) -> Matrix:
    """Codes by case (``by="case"``) or by the values of an attribute; cells count codings or documents."""
    with open_project(path) as project:
        return stats.matrix(project, by, filters, measure=measure)


def attributes(path: Path) -> list[str]:
    """The names of the project's case and document attributes (a name used by both, once), sorted."""
    with open_project(path) as project:
        return sorted({row["name"] for row in project.attributes.list()}, key=str.casefold)


def frequency_matrix(rows: list[Frequency]) -> Matrix:
    """The frequencies as a table, for CSV: as ``qcode stats frequencies --csv`` writes them."""
    return Matrix(title="frequencies", rows=[r.code for r in rows], columns=list(FREQUENCY_COLUMNS),
                  cells=[[r.codings, r.documents, r.cases, r.words,
                          "" if r.total_codings is None else r.total_codings] for r in rows],
                  totals_label="with children")


def save_csv(out: Path, table: Matrix) -> Path:
    """Write ``table`` as CSV (UTF-8 with a byte-order mark, as the CSV export) to ``out``, atomically:
    a temporary file beside it replaces it only when complete."""
    out = Path(out).expanduser()
    folder = out.parent
    if not folder.is_dir():
        raise QcodeError(f"cannot write {out}: folder {folder} does not exist")
    if out.is_dir():
        raise QcodeError(f"cannot write {out}: it is a folder")
    try:
        with output_path(out) as temporary:
            temporary.write_text(table.to_csv(), encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise QcodeError(f"cannot write {out}: {exc.strerror or exc}") from None
    return out
