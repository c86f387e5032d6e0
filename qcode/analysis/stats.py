"""Counts over codings: frequencies per code, co-occurrence of codes, and code-by-case matrices.

Every function takes the same ``Filters`` as retrieval (code, query, documents, cases, attribute
values, coders): the filters choose which codings are counted. A ``filters.code`` also narrows the
codes shown to that code and the codes below it.

Definitions (the numbers a report or a thesis table will quote):

- **codings**: rows of the ``codings`` table. Two coders coding the same span make two codings.
- **documents**, **cases**: how many distinct documents hold a coding of the code, and how many
  distinct cases those documents belong to (a document in no case adds to no case; a document in two
  cases adds to both).
- **words**: the words of the coded text, each character counted once per code. The spans of a
  code's codings in one document are first merged (overlapping or touching spans become one span,
  so text coded twice, by two coders or by two overlapping codings, counts once); then the words
  in each merged span are counted. A word is a run of non-space characters that holds at least one
  letter or digit (``str.isalnum``): "ya," and "e\\u0301tude" are one word each, a dash or an emoji
  alone is none. A span that starts or ends inside a word counts the part it holds as a word.
- **with children** (``total_*``): the same counts over a code and every code below it. Each coding
  is counted once; documents and cases are distinct over the whole subtree; the words are those of
  the union of all the subtree's spans, so a passage coded with two sub-codes counts once.
- **co-occurrence** (``cooccurrence``): cell (row R, column C) is the number of codings of R that
  overlap at least one *other* coding of C: same document, sharing at least one character. Touching
  spans such as [0, 5) and [5, 9) do not overlap. The matrix is not symmetric: R=Coordinator,
  C=Role conflict counts Coordinator codings, and the transposed cell counts Role conflict
  codings. The diagonal follows the same rule: the codings of R that overlap another coding of R
  (double coding by a second coder, or two overlapping codings of the code). ``row_totals`` gives
  the codings of each row code, so that a cell reads "k of n codings". With ``children=True`` a code
  stands for itself and every code below it, on both sides.

All counts are SQL aggregates or one pass over the codings sorted by position; co-occurrence is a
count per document over codings sorted by start and by end (see ``_overlaps``), never a loop over
pairs of codes or codings.
"""

from __future__ import annotations

import bisect
import csv
import heapq
import io
import itertools
import json
import operator
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from qcode.analysis.retrieval import Filters, coding_conditions, placeholders
from qcode.core.errors import NotFound, QcodeError

_WORD = re.compile(r"\S*[^\W_]\S*")
_ALNUM = re.compile(r"[^\W_]")
_SPLIT = re.compile(r"(\S*[^\W_]\S*)")
MEASURES = ("codings", "documents")
NO_CASE = "(no case)"
NO_VALUE = "(no value)"


def count_words(text: str, start: int = 0, end: int | None = None) -> int:
    """The words in ``text[start:end]`` (see the module's definition)."""
    return len(_WORD.findall(text, start, len(text) if end is None else end))


# -- which codings -------------------------------------------------------------------------------

def _sql(select: str, selection, extra: Iterable[str] = (), tail: str = "") -> tuple[str, list]:
    where, params = selection
    conditions = [*where, *extra]
    sql = f"SELECT {select} FROM codings c"
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
    return sql + tail, params


def _shown_codes(project, tree, filters: Filters, codes: list[str] | None = None) -> list[tuple[int, str, int]]:
    """The codes to show as (id, path, depth): ``codes`` as listed, else the codebook order.

    ``filters.code`` narrows the codebook order to that code and the codes below it.
    """
    if codes is not None:
        found = []
        for path in codes:
            code_id = tree.find(path)
            if code_id is None:
                raise NotFound(f"no code {path!r} in this project")
            found.append((code_id, tree.path(code_id), tree.path(code_id).count("/")))
        return found
    listed = project.codes.list()
    if filters.code is not None:
        top = tree.find(filters.code)
        if top is None:
            raise NotFound(f"no code {filters.code!r} in this project")
        keep = set(tree.descendants(top)) if filters.children else {top}
        listed = [c for c in listed if c.id in keep]
    return [(c.id, c.path, c.path.count("/")) for c in listed]


def _document_cases(conn) -> dict[int, tuple[int, ...]]:
    found: dict[int, list[int]] = {}
    for document_id, case_id in conn.execute("SELECT document_id, case_id FROM case_documents"):
        found.setdefault(document_id, []).append(case_id)
    return {k: tuple(v) for k, v in found.items()}


# -- the matrix ----------------------------------------------------------------------------------

def _safe(value: Any) -> Any:
    """A string cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20"):
        return "'" + value
    return value


@dataclass
class Matrix:
    """A table of counts: one row per code (its path), one column per label."""

    title: str
    rows: list[str]
    columns: list[str]
    cells: list[list[int]]
    row_totals: list[int] | None = None
    column_totals: list[int] | None = None
    total: int | None = None
    measure: str = "codings"
    totals_label: str = "total"
    notes: list[str] = field(default_factory=list)

    def cell(self, row: str, column: str) -> int:
        return self.cells[self.rows.index(row)][self.columns.index(column)]

    def as_json(self) -> dict[str, Any]:
        return {"title": self.title, "measure": self.measure, "rows": list(self.rows),
                "columns": list(self.columns), "cells": [list(r) for r in self.cells],
                "row_totals": self.row_totals, "column_totals": self.column_totals, "total": self.total,
                "totals_label": self.totals_label, "notes": list(self.notes)}

    def grid(self) -> list[list[Any]]:
        """The matrix as rows of cells: a header, one row per code, and the totals when there are some."""
        header: list[Any] = ["code", *self.columns]
        if self.row_totals is not None:
            header.append(self.totals_label)
        grid = [header]
        for index, (label, values) in enumerate(zip(self.rows, self.cells)):
            row = [label, *values]
            if self.row_totals is not None:
                row.append(self.row_totals[index])
            grid.append(row)
        if self.column_totals is not None:
            row = [self.totals_label, *self.column_totals]
            if self.row_totals is not None:
                row.append(self.total if self.total is not None else "")
            grid.append(row)
        return grid

    def to_csv(self) -> str:
        """The matrix as CSV text (``grid()``); labels a spreadsheet would take for a formula get a
        leading apostrophe."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        for row in self.grid():
            writer.writerow([_safe(v) for v in row])
        return buffer.getvalue()


# -- frequencies ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Frequency:
    code: str
    code_id: int
    depth: int
    codings: int
    documents: int
    cases: int
    words: int
    total_codings: int | None = None
    total_documents: int | None = None
    total_cases: int | None = None
    total_words: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "depth": self.depth, "codings": self.codings, "documents": self.documents,
                "cases": self.cases, "words": self.words, "total_codings": self.total_codings,
                "total_documents": self.total_documents, "total_cases": self.total_cases,
                "total_words": self.total_words}


class _Words:
    """Counts the words of spans of one text.

    Short spans are read directly. Once the spans read add up to the text's length (or at once,
    when ``expected`` says they will), the text's words are indexed once (their starts and ends),
    and each span costs two binary searches plus a look at the (at most two) words its edges cut.
    So a document costs at most about twice its length, however densely it is coded.
    """

    def __init__(self, text: str, expected: int = 0):
        self.text = text
        self.read = expected if expected > len(text) else 0
        self.starts: list[int] | None = None
        self.ends: list[int] = []

    def count(self, start: int, end: int) -> int:
        if self.starts is None:
            if self.read + end - start <= len(self.text):
                self.read += end - start
                return count_words(self.text, start, end)
            # [gap, word, gap, word, ..., gap]: the running lengths are where each piece ends
            bounds = list(itertools.accumulate(map(len, _SPLIT.split(self.text))))
            self.starts, self.ends = bounds[0:-1:2], bounds[1::2]
        starts, ends, text = self.starts, self.ends, self.text
        first = bisect.bisect_left(starts, start)
        last = bisect.bisect_left(starts, end)
        found = last - first
        if found and ends[last - 1] > end and not _ALNUM.search(text, starts[last - 1], end):
            found -= 1  # the last word is cut at the end, and the part inside holds no letter or digit
        if first and ends[first - 1] > start and _ALNUM.search(text, start, min(ends[first - 1], end)):
            found += 1  # a word cut at the start, whose part inside holds a letter or digit
        return found

    def merged(self, spans: Iterable[tuple[int, int]]) -> int:
        """Words in the union of ``spans`` (sorted by start); overlapping or touching spans merge."""
        words = 0
        current_start = current_end = None
        for start, end in spans:
            if current_end is not None and start <= current_end:
                current_end = max(current_end, end)
                continue
            if current_end is not None:
                words += self.count(current_start, current_end)
            current_start, current_end = start, end
        if current_end is not None:
            words += self.count(current_start, current_end)
        return words


def frequencies(project, filters: Filters = Filters(), *, children: bool = True) -> list[Frequency]:
    """Per code, in codebook order: codings, documents, cases and words, and (``children``) the same
    over the code and the codes below it. See the module's docstring for the definitions."""
    conn = project.conn
    tree = project.codes.tree()
    shown = _shown_codes(project, tree, filters)
    selection = coding_conditions(project, filters, tree)
    subtree = {code_id: tree.descendants(code_id) for code_id, _, _ in shown} if children else {}

    codings: Counter[int] = Counter()
    documents: dict[int, set[int]] = {}
    words: Counter[int] = Counter()
    total_words: Counter[int] = Counter()
    if selection is not None:
        sql, params = _sql("c.code_id, c.document_id, count(*)", selection, tail=" GROUP BY c.code_id, c.document_id")
        for code_id, document_id, count in conn.execute(sql, params):
            codings[code_id] += count
            documents.setdefault(code_id, set()).add(document_id)
        # Words: one pass over the spans in document order, one document's text in memory at a time.
        sql, params = _sql('c.document_id, c.code_id, c.start, c."end"', selection,
                           tail=' ORDER BY c.document_id, c.start, c."end"')
        spans: dict[int, list[tuple[int, int]]] = {}
        current = None

        def flush(document_id: int) -> None:
            text = conn.execute("SELECT text FROM documents WHERE id = ?", (document_id,)).fetchone()[0]
            coded = sum(end - start for own in spans.values() for start, end in own)
            counter = _Words(text, coded * (2 if subtree else 1))
            for code_id, own in spans.items():
                words[code_id] += counter.merged(own)
            for code_id, members in subtree.items():
                lists = [spans[m] for m in members if m in spans]
                if not lists:
                    continue
                merged = lists[0] if len(lists) == 1 else heapq.merge(*lists)
                total_words[code_id] += counter.merged(merged)

        for document_id, code_id, start, end in conn.execute(sql, params):
            if document_id != current:
                if current is not None:
                    flush(current)
                spans = {}
                current = document_id
            spans.setdefault(code_id, []).append((start, end))
        if current is not None:
            flush(current)

    cases_of = _document_cases(conn)

    def case_count(document_ids: set[int]) -> int:
        found: set[int] = set()
        for document_id in document_ids:
            found.update(cases_of.get(document_id, ()))
        return len(found)

    result = []
    for code_id, path, depth in shown:
        own_documents = documents.get(code_id, set())
        extra: dict[str, int] = {}
        if children:
            members = subtree[code_id]
            all_documents: set[int] = set()
            for m in members:
                all_documents |= documents.get(m, set())
            extra = {"total_codings": sum(codings[m] for m in members), "total_documents": len(all_documents),
                     "total_cases": case_count(all_documents), "total_words": total_words[code_id]}
        result.append(Frequency(code=path, code_id=code_id, depth=depth, codings=codings[code_id],
                                documents=len(own_documents), cases=case_count(own_documents),
                                words=words[code_id], **extra))
    return result


# -- co-occurrence -------------------------------------------------------------------------------

def _cooccurring(rows: Iterable[tuple[int, int, int, int]], columns: dict[int, tuple[int, ...]],
                 width: int) -> tuple[dict[int, list[int]], Counter]:
    """For rows ``(document_id, start, end, code_id)``, in any order, and the column(s) each code
    counts under: per code, how many of its codings overlap another coding of each column (a list
    of ``width`` counts), and how many codings each code has. See ``_overlaps``."""
    documents: dict[int, dict[int, tuple[list[int], list[int]]]] = {}
    for document_id, start, end, code in rows:
        starts, ends = documents.setdefault(document_id, {}).setdefault(code, ([], []))
        starts.append(start)
        ends.append(end)
    return _overlaps([[(code, starts, ends) for code, (starts, ends) in blocks.items()]
                      for blocks in documents.values()], columns, width)


def _overlaps(documents: list[list[tuple[int, list[int], list[int]]]], columns: dict[int, tuple[int, ...]],
              width: int) -> tuple[dict[int, list[int]], Counter]:
    """``_cooccurring`` over codings given per document as blocks ``(code_id, starts, ends)``.

    Counting, per document, with no loop over pairs. The codings that overlap coding i (share a
    character with it) are those that start before i ends, less those that end at or before i
    starts (each of which also starts before i ends), less i itself. Both are prefixes: of the
    codings sorted by start, and of the codings sorted by end, found by ``bisect``. So with running
    sums over those two orders, the number of codings overlapping i, per column, takes two look-ups
    and two subtractions, whatever the number of codes or of overlaps.

    The counts per column travel together in one integer (a "spread" vector): column c's count
    sits in the ``field`` bits from ``c * field``, so adding or subtracting two vectors adds or
    subtracts every column's count at once, no carry crossing a field. A coding adds 1 to each of
    its columns (``masks``). A count (below ``2**top``) is not zero exactly when adding ``2**top - 1``
    to it sets bit ``top`` of its field; those bits, summed over a code's codings in a document and
    shifted down, are that code's cells there. ``field`` leaves room above bit ``top`` for that sum
    and for the sums over all documents. The arithmetic runs as chains of ``map`` over C functions.
    """
    totals: Counter = Counter()
    sizes = [sum(len(starts) for _, starts, _ in blocks) for blocks in documents]
    if not sizes:
        return {}, totals
    top = max(sizes).bit_length()
    field = max(2 * top + 1, sum(sizes).bit_length() + 1)
    masks = {code: sum(1 << (c * field) for c in set(cols)) for code, cols in columns.items()}
    ones = sum(1 << (c * field) for c in range(width))
    low = ones * ((1 << top) - 1)
    high = ones << top
    less_self = {code: low - mask for code, mask in masks.items()}
    sums: dict[int, int] = dict.fromkeys(columns, 0)
    repeat = itertools.repeat
    for blocks in documents:
        starts: list[int] = []
        ends: list[int] = []
        vals: list[int] = []
        adjust: list[int] = []
        spans = []
        for code, own_starts, own_ends in blocks:
            first = len(starts)
            starts += own_starts
            ends += own_ends
            vals += repeat(masks[code], len(own_starts))
            adjust += repeat(less_self[code], len(own_starts))
            spans.append((code, first, len(starts)))
        count = len(starts)
        by_start = sorted(range(count), key=starts.__getitem__)
        by_end = sorted(range(count), key=ends.__getitem__)
        sorted_starts = list(map(starts.__getitem__, by_start))
        sorted_ends = list(map(ends.__getitem__, by_end))
        started = list(itertools.accumulate(map(vals.__getitem__, by_start), initial=0))
        ended = list(itertools.accumulate(map(vals.__getitem__, by_end), initial=0))
        begun = map(started.__getitem__, map(bisect.bisect_left, repeat(sorted_starts), ends))
        over = map(ended.__getitem__, map(bisect.bisect_right, repeat(sorted_ends), starts))
        hits = list(map(operator.and_, map(operator.add, map(operator.sub, begun, over), adjust), repeat(high)))
        for code, first, last in spans:
            totals[code] += last - first
            sums[code] += sum(hits[first:last]) >> top
    mask = (1 << field) - 1
    return {code: [(total >> (c * field)) & mask for c in range(width)]
            for code, total in sums.items() if total}, totals


def cooccurrence(project, codes: list[str] | None = None, filters: Filters = Filters(), *,
                 children: bool = True) -> Matrix:
    """Codes by codes: how many codings of the row code overlap another coding of the column code.

    ``codes``: the codes to show, as paths, in that order (default: every code, in codebook order).
    ``children``: a code stands for itself and the codes below it. The matrix is not symmetric; see
    the module's docstring.
    """
    conn = project.conn
    tree = project.codes.tree()
    shown = _shown_codes(project, tree, filters, codes)
    groups: dict[int, list[int]] = {}
    for index, (code_id, _, _) in enumerate(shown):
        for member in (tree.descendants(code_id) if children else [code_id]):
            groups.setdefault(member, []).append(index)
    size = len(shown)
    cells = [[0] * size for _ in range(size)]
    row_totals = [0] * size
    selection = coding_conditions(project, filters, tree)
    if selection is not None and groups:
        extra = []
        params_extra: list = []
        if len(groups) < len(tree.nodes):
            extra.append(f"c.code_id IN ({placeholders(groups)})")
            params_extra = list(groups)
        # Per document and code, the starts and ends as two JSON arrays: a few thousand rows read
        # through the index on (document_id, code_id, ...) rather than a million, in no set order
        # (the count needs none), and json.loads turns them into lists of integers in C.
        sql, params = _sql("c.document_id, c.code_id, '[' || group_concat(c.start) || ']',"
                           " '[' || group_concat(c.\"end\") || ']'", selection, extra,
                           " GROUP BY c.document_id, c.code_id")
        documents: dict[int, list[tuple[int, list[int], list[int]]]] = {}
        loads = json.loads
        for document_id, code, starts, ends in conn.execute(sql, params + params_extra):
            documents.setdefault(document_id, []).append((code, loads(starts), loads(ends)))
        per_code, totals = _overlaps(list(documents.values()), groups, size)
        for code, indexes in groups.items():
            counts = per_code.get(code)
            for r in indexes:
                row_totals[r] += totals.get(code, 0)
                if counts:
                    row = cells[r]
                    for c, n in enumerate(counts):
                        row[c] += n
    labels = [path for _, path, _ in shown]
    return Matrix(title="Co-occurrence: codings of the row code that overlap a coding of the column code",
                  rows=labels, columns=list(labels), cells=cells, row_totals=row_totals,
                  measure="codings", totals_label="codings",
                  notes=[("A cell counts the codings of the row code that share at least one character with "
                         "another coding of the column code, in the same document; it is not symmetric."),
                         "The diagonal counts codings that overlap another coding of the same code.",
                         "'codings' is the number of codings of the row code"
                         + (" (with the codes below it)." if children else ".")])


# -- code by case, code by attribute value --------------------------------------------------------

def _sort_values(values: Iterable[str], type_: str) -> list[str]:
    def key(value: str):
        if type_ in ("integer", "float"):
            try:
                return (0, float(value), value)
            except ValueError:
                return (1, 0.0, value)
        return (0, 0.0, value.casefold())
    return sorted(set(values), key=key)


def _columns_by(project, by: str) -> tuple[list[str], dict[int, tuple[int, ...]], str]:
    """The column labels, each document's column indexes, and a name for the columns."""
    conn = project.conn
    if by == "case":
        cases = conn.execute("SELECT id, name FROM cases ORDER BY name").fetchall()
        index = {case_id: i for i, (case_id, _) in enumerate(cases)}
        columns: dict[int, list[int]] = {}
        for document_id, case_id in conn.execute("SELECT document_id, case_id FROM case_documents"):
            columns.setdefault(document_id, []).append(index[case_id])
        return [name for _, name in cases], {k: tuple(sorted(v)) for k, v in columns.items()}, "case"
    scopes = dict(conn.execute("SELECT scope, id FROM attributes WHERE name = ?", (by,)).fetchall())
    if not scopes:
        raise NotFound(f"no attribute {by!r} in this project (nor is it 'case')")
    types = {t for (t,) in conn.execute("SELECT type FROM attributes WHERE name = ?", (by,))}
    own: dict[int, str] = {}
    if "document" in scopes:
        own = dict(conn.execute("SELECT document_id, value FROM attribute_values WHERE attribute_id = ?",
                                (scopes["document"],)))
    from_cases: dict[int, set[str]] = {}
    if "case" in scopes:
        for document_id, value in conn.execute(
                "SELECT cd.document_id, v.value FROM attribute_values v JOIN case_documents cd"
                " ON cd.case_id = v.case_id WHERE v.attribute_id = ?", (scopes["case"],)):
            from_cases.setdefault(document_id, set()).add(value)
    labels = _sort_values([*own.values(), *(v for vs in from_cases.values() for v in vs)],
                          types.pop() if len(types) == 1 else "text")
    index = {label: i for i, label in enumerate(labels)}
    columns = {}
    for document_id in set(own) | set(from_cases):
        values = {own[document_id]} if document_id in own else from_cases[document_id]
        columns[document_id] = tuple(sorted(index[v] for v in values))
    return labels, columns, by


def matrix(project, by: str, filters: Filters = Filters(), measure: str = "codings", *,
           children: bool = True) -> Matrix:
    """Codes (rows, codebook order) by cases (``by="case"``) or by the values of an attribute.

    ``by`` names a case or document attribute (or both, when they share the name). A document takes
    its own value of a document attribute; without one, the values of its cases (a document in two
    cases with different values counts under both). Cells count codings (``measure="codings"``) or
    distinct documents (``measure="documents"``). Codings in documents without a case or a value
    go to a last column, ``(no case)`` or ``(no value)``, when there are any.

    Totals count distinct codings (or documents): the row total counts each coding of the code once
    even where its document sits under two columns, so it can be less than the sum of the row; the
    column total counts the codings of all the codes shown in that column, each once.
    """
    if measure not in MEASURES:
        raise QcodeError(f"a matrix counts {' or '.join(MEASURES)}, not {measure!r}")
    conn = project.conn
    tree = project.codes.tree()
    shown = _shown_codes(project, tree, filters)
    labels, columns_of, name = _columns_by(project, by)
    none_label = NO_CASE if by == "case" else NO_VALUE
    per_code_document: dict[int, dict[int, int]] = {}
    selection = coding_conditions(project, filters, tree)
    if selection is not None:
        sql, params = _sql("c.code_id, c.document_id, count(*)", selection, tail=" GROUP BY c.code_id, c.document_id")
        for code_id, document_id, count in conn.execute(sql, params):
            per_code_document.setdefault(code_id, {})[document_id] = count if measure == "codings" else 1
    none_index = len(labels)
    if any(d not in columns_of for counts in per_code_document.values() for d in counts):
        labels = [*labels, none_label]
    width = len(labels)
    cells = [[0] * width for _ in shown]
    row_totals = [0] * len(shown)
    shown_members: set[int] = set()
    for r, (code_id, _, _) in enumerate(shown):
        members = tree.descendants(code_id) if children else [code_id]
        shown_members.update(members)
        merged: dict[int, int] = {}
        for member in members:
            for document_id, n in per_code_document.get(member, {}).items():
                merged[document_id] = merged.get(document_id, 0) + n
        for document_id, n in merged.items():
            value = n if measure == "codings" else 1
            row_totals[r] += value
            for c in columns_of.get(document_id, (none_index,)):
                cells[r][c] += value
    column_totals = [0] * width
    all_documents: dict[int, int] = {}
    for member in shown_members:
        for document_id, n in per_code_document.get(member, {}).items():
            all_documents[document_id] = all_documents.get(document_id, 0) + n
    total = 0
    for document_id, n in all_documents.items():
        value = n if measure == "codings" else 1
        total += value
        for c in columns_of.get(document_id, (none_index,)):
            column_totals[c] += value
    return Matrix(title=f"Codes by {name}: {measure}", rows=[path for _, path, _ in shown], columns=labels,
                  cells=cells, row_totals=row_totals, column_totals=column_totals, total=total,
                  measure=measure, totals_label="total",
                  notes=[f"Cells count {measure}" + (" of the code and the codes below it" if children else "")
                         + f" in the documents of each {name if by == 'case' else 'value'}.",
                         ("Totals count each coding (or document) once, even where a document sits under "
                         "two columns.")])
