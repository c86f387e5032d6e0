"""Frequencies, co-occurrence and matrices, with exact numbers on a small hand-made project.

The project (``build_study``), offsets counted by hand:

A interview-siti.txt  "aaaa bbbb cccc dddd\\n\\neeee ffff gggg\\nhhhh"      case Siti Aminah
B notes.txt           "x👍y e\\u0301tude <script>alert(1)</script> =SUM(A1)"  case Budi
C focus-group.vtt     "[00:00:05] Budi: kami datang\\n[00:00:21] Siti: ya"  cases Siti Aminah, Budi
D report.pdf          "first page\\nsecond pg"                               no case

codes: Role (a category) with Role/Coordinator (X) and Role/Supporting (Y); Trafficking (Z).

 #  doc code span      coder  text
 1  A   X    [0, 9)    alice  "aaaa bbbb"
 2  A   X    [5, 14)   bob    "bbbb cccc"            overlaps 1 (a second coder)
 3  A   Y    [14, 19)  alice  " dddd"                touches 2, overlaps nothing
 4  A   Z    [2, 7)    alice  "aa bb"                overlaps 1 and 2, cuts two words
 5  A   Y    [21, 35)  bob    "eeee ffff gggg"       overlaps 6
 6  A   Z    [26, 40)  alice  "ffff gggg\\nhhhh"
 7  B   X    [1, 2)    alice  "👍"                   an emoji alone: no word
 8  B   Z    [5, 10)   bob    "\\u0301tude"           starts on a combining mark
 9  B   Y    [2, 6)    alice  "y e\\u0301"             touches 7, overlaps 8 (on the combining mark)
10  B   X    [11, 36)  bob    "<script>alert(1)</script>"
11  B   Z    [37, 45)  alice  "=SUM(A1)"
12  C   Y    [46, 48)  bob    "ya"
13  C   Z    [17, 28)  alice  "kami datang"
14  D   X    [11, 17)  alice  "second"
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcode.analysis.retrieval import Filters
from qcode.analysis.stats import (Matrix, _cooccurring, _Words, cooccurrence, count_words, frequencies,
                                  matrix)
from qcode.core import NotFound, QcodeError, create_project
from qcode.core.codings import CodingRequest

TEXT_A = "aaaa bbbb cccc dddd\n\neeee ffff gggg\nhhhh"
TEXT_B = "x👍y e\u0301tude <script>alert(1)</script> =SUM(A1)"
TEXT_C = "[00:00:05] Budi: kami datang\n[00:00:21] Siti: ya"
TEXT_D = "first page\nsecond pg"
X, Y, Z = "Role/Coordinator", "Role/Supporting", "Trafficking"
CODINGS = [  # number: (document, start, end, code, coder, memo)
    (1, "interview-siti.txt", 0, 9, X, "alice", None),
    (2, "interview-siti.txt", 5, 14, X, "bob", None),
    (3, "interview-siti.txt", 14, 19, Y, "alice", None),
    (4, "interview-siti.txt", 2, 7, Z, "alice", None),
    (5, "interview-siti.txt", 21, 35, Y, "bob", "=1+1"),
    (6, "interview-siti.txt", 26, 40, Z, "alice", None),
    (7, "notes.txt", 1, 2, X, "alice", None),
    (8, "notes.txt", 5, 10, Z, "bob", "bell\x07ring"),
    (9, "notes.txt", 2, 6, Y, "alice", None),
    (10, "notes.txt", 11, 36, X, "bob", "<b>bold</b> *memo* from Siti"),
    (11, "notes.txt", 37, 45, Z, "alice", None),
    (12, "focus-group.vtt", 46, 48, Y, "bob", None),
    (13, "focus-group.vtt", 17, 28, Z, "alice", None),
    (14, "report.pdf", 11, 17, X, "alice", None),
]


def _add(project, name, text, fmt="txt", **kwargs):
    return project.documents.add(name=name, text=text, format=fmt, sha256=name, source_file=name,
                                 size=len(text.encode()), **kwargs)


def build_study(path):
    """The hand-made project of the module docstring (the export tests use it too)."""
    p = create_project(path, coder="alice")
    for code in ("Role", X, Y, Z):
        p.code_editor.add(code)
    p.code_editor.update("Role", codable=False, description="Roles in the role set.")
    p.code_editor.update(X, description="Long text.", details={"definition": "Brings actors together."},
                         color="#FF8800")
    p.code_editor.update(Y, description="Helps one body do its job.")
    p.code_editor.update(Z, description="Elements of trafficking; Budi's own term.")
    _add(p, "interview-siti.txt", TEXT_A, title="Interview with Siti Aminah", case="Siti Aminah")
    _add(p, "notes.txt", TEXT_B, case="Budi")
    cues = [{"start": 0, "end": 28, "begin_s": 5.0, "end_s": 9.0, "speaker": None},
            {"start": 29, "end": 48, "begin_s": 21.0, "end_s": 25.0, "speaker": None}]
    _add(p, "focus-group.vtt", TEXT_C, fmt="vtt", metadata={"cues": cues}, case="Siti Aminah")
    p.cases.assign("Budi", ["focus-group.vtt"])
    _add(p, "report.pdf", TEXT_D, fmt="pdf", metadata={"pages": [[0, 10], [11, 20]]})
    p.attributes.set("case", "Siti Aminah", "organisation", "IOM")
    p.attributes.set("case", "Siti Aminah", "province", "NTT")
    p.attributes.set("case", "Budi", "organisation", "NGO")
    p.attributes.set("case", "Budi", "province", "=cmd|' /C calc'!A0")
    p.attributes.set("document", "interview-siti.txt", "language", "id")
    p.attributes.set("document", "notes.txt", "language", "en")
    p.attributes.set("document", "focus-group.vtt", "language", "id")
    p.attributes.set("document", "notes.txt", "organisation", "Polda")
    p.attributes.set("document", "report.pdf", "organisation", "Kemnaker")
    for _, document, start, end, code, coder, memo in CODINGS:  # one at a time: ids follow the table
        p.codings.add_many([CodingRequest(document, start, end, code, memo, coder)])
    p.memos.add("code", Z, "Budi said this code is too broad.", title="Scope")
    return p


@pytest.fixture
def study(tmp_path):
    p = build_study(tmp_path / "study-siti.qcode")
    yield p
    p.close()


def test_the_hand_made_project_is_what_the_docstring_says(study):
    texts = [study.documents.text(c[1])[c[2]:c[3]] for c in CODINGS]
    assert texts == ["aaaa bbbb", "bbbb cccc", " dddd", "aa bb", "eeee ffff gggg", "ffff gggg\nhhhh", "👍",
                     "\u0301tude", "y e\u0301", "<script>alert(1)</script>", "=SUM(A1)", "ya", "kami datang",
                     "second"]


# -- words -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "words"), [
    ("", 0), ("one", 1), ("one two  three", 3), ("ya, tidak.", 2), ("—", 0), ("👍", 0), ("👍y", 1),
    ("e\u0301tude", 1), ("\u0301", 0), ("\u0301tude", 1), ("a - b", 2), ("_", 0), ("2020", 1),
    ("kata\tkata\nkata", 3), ("<script>alert(1)</script>", 1),
])
def test_count_words(text, words):
    assert count_words(text) == words


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=["a", "1", " ", "\n", "-", ",", "\u0301", "👍", "_"], max_size=40), st.data())
def test_the_word_index_counts_what_reading_counts(text, data):
    words = _Words(text)
    words.read = len(text) + 1  # index at once
    for _ in range(5):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, len(text)))
        assert words.count(start, end) == count_words(text, start, end)


# -- frequencies -----------------------------------------------------------------------------------

def _table(freqs):
    return [(f.code, f.codings, f.documents, f.cases, f.words, f.total_codings, f.total_documents,
             f.total_cases, f.total_words) for f in freqs]


def test_frequencies(study):
    assert _table(frequencies(study)) == [
        # code          codings docs cases words | with children: codings docs cases words
        ("Role", 0, 0, 0, 0, 9, 4, 2, 12),
        (X, 5, 3, 2, 5, 5, 3, 2, 5),
        (Y, 4, 3, 2, 7, 4, 3, 2, 7),
        (Z, 5, 3, 2, 9, 5, 3, 2, 9),
    ]


def test_words_count_each_character_once_per_code(study):
    # Coordinator in A: [0, 9) and [5, 14) overlap (two coders): "aaaa bbbb cccc" is 3 words, not 4.
    # Role in A: [0, 14) touches Supporting's [14, 19): one span, 4 words; plus [21, 35): 3 words.
    only_a = {f.code: f for f in frequencies(study, Filters(documents=("interview-siti.txt",)))}
    assert (only_a[X].words, only_a[Y].words, only_a["Role"].total_words) == (3, 4, 7)
    # Role in B: "👍" (0 words) touches "y e\u0301" (2 words): the merged "👍y e\u0301" is 2 words
    only_b = {f.code: f for f in frequencies(study, Filters(documents=("notes.txt",)))}
    assert (only_b[X].words, only_b[Y].words, only_b["Role"].total_words, only_b[Z].words) == (1, 2, 3, 2)


def test_frequencies_follow_the_filters(study):
    assert _table(frequencies(study, Filters(coders=("bob",)))) == [
        ("Role", 0, 0, 0, 0, 4, 3, 2, 7),  # 2, 5, 10, 12
        (X, 2, 2, 2, 3, 2, 2, 2, 3),   # [5,14) "bbbb cccc" 2, [11,36) 1
        (Y, 2, 2, 2, 4, 2, 2, 2, 4),   # "eeee ffff gggg" 3, "ya" 1
        (Z, 1, 1, 1, 1, 1, 1, 1, 1),
    ]
    # a code narrows the codes shown to that code and the codes below it
    assert [f.code for f in frequencies(study, Filters(code="Role"))] == ["Role", X, Y]
    assert _table(frequencies(study, Filters(code="Role", children=False))) == [("Role", 0, 0, 0, 0, 0, 0, 0, 0)]
    # organisation=Polda: notes.txt has its own value (its case Budi says NGO)
    polda = {f.code: f for f in frequencies(study, Filters(where=(("organisation", "Polda"),)))}
    assert (polda["Role"].total_codings, polda[Z].codings) == (3, 2)
    # organisation=NGO: a document's own value comes first (as in matrix(by=...)), so notes.txt (own
    # value Polda, case Budi = NGO) is out; focus-group.vtt (no value of its own, case Budi = NGO) is
    # in, with coding 12.
    ngo = {f.code: f for f in frequencies(study, Filters(where=(("organisation", "NGO"),)))}
    assert ngo["Role"].total_codings == 1
    assert frequencies(study, children=False)[0].total_codings is None
    with pytest.raises(NotFound):
        frequencies(study, Filters(code="Nope"))


def test_frequencies_of_a_project_without_codings(tmp_path):
    with create_project(tmp_path / "empty.qcode") as p:
        assert frequencies(p) == []
        p.code_editor.add("A/B")
        assert _table(frequencies(p)) == [("A", 0, 0, 0, 0, 0, 0, 0, 0), ("A/B", 0, 0, 0, 0, 0, 0, 0, 0)]
        assert cooccurrence(p).cells == [[0, 0], [0, 0]]
        assert matrix(p, "case").as_json()["total"] == 0


# -- co-occurrence ---------------------------------------------------------------------------------

def test_cooccurrence_with_children(study):
    m = cooccurrence(study)
    assert m.rows == m.columns == ["Role", X, Y, Z]
    assert m.cells == [
        # Role X  Y  Z
        [2, 2, 0, 4],  # Role: 1 and 2 overlap each other; 1, 2, 5, 9 overlap a Trafficking coding
        [2, 2, 0, 2],  # X: 1 and 2 (each other: two coders), and both overlap 4
        [0, 0, 0, 2],  # Y: 3 only touches 2 (adjacent), 9 touches 7; 5 and 9 overlap Z
        [3, 1, 2, 0],  # Z: 4 overlaps X; 6 and 8 overlap Y
    ]
    assert m.row_totals == [9, 5, 4, 5]
    assert m.cell(Z, X) == 1 and m.cell(X, Z) == 2  # not symmetric: codings of the row code


def test_cooccurrence_of_codes_alone_and_of_listed_codes(study):
    alone = cooccurrence(study, children=False)
    assert alone.cells == [[0, 0, 0, 0], [0, 2, 0, 2], [0, 0, 0, 2], [0, 1, 2, 0]]
    assert alone.row_totals == [0, 5, 4, 5]
    listed = cooccurrence(study, [Z, "Role"])
    assert listed.rows == [Z, "Role"]
    assert listed.cells == [[0, 3], [4, 2]]
    with pytest.raises(NotFound):
        cooccurrence(study, ["Nope"])


def test_cooccurrence_follows_the_filters(study):
    alice = cooccurrence(study, filters=Filters(coders=("alice",)))
    # without bob: only 1 and 4 overlap
    assert alice.cells == [[0, 0, 0, 1], [0, 0, 0, 1], [0, 0, 0, 0], [1, 1, 0, 0]]
    assert alice.row_totals == [5, 3, 2, 4]
    only_b = cooccurrence(study, filters=Filters(documents=("notes.txt",)))
    assert only_b.cells == [[0, 0, 0, 1], [0, 0, 0, 0], [0, 0, 0, 1], [1, 0, 1, 0]]


def test_matrix_as_csv_and_json(study):
    m = cooccurrence(study, [X, Z])
    assert m.to_csv() == f"code,{X},{Z},codings\r\n{X},2,2,5\r\n{Z},1,0,5\r\n"
    data = json.loads(json.dumps(m.as_json()))
    assert data["cells"] == [[2, 2], [1, 0]] and data["row_totals"] == [5, 5] and data["column_totals"] is None
    hostile = Matrix(title="t", rows=["=HYPERLINK(1)"], columns=["@x", "-y"], cells=[[1, 2]])
    assert list(csv.reader(io.StringIO(hostile.to_csv()))) == [["code", "'@x", "'-y"], ["'=HYPERLINK(1)", "1", "2"]]


# -- matrices --------------------------------------------------------------------------------------

def test_matrix_by_case(study):
    m = matrix(study, "case")
    assert m.columns == ["Budi", "Siti Aminah", "(no case)"]
    assert m.rows == ["Role", X, Y, Z]
    assert m.cells == [[4, 5, 1], [2, 2, 1], [2, 3, 0], [3, 3, 0]]
    assert m.row_totals == [9, 5, 4, 5]          # distinct codings: focus-group.vtt is in both cases
    assert m.column_totals == [7, 8, 1] and m.total == 14
    assert m.to_csv().splitlines() == [
        "code,Budi,Siti Aminah,(no case),total", "Role,4,5,1,9", f"{X},2,2,1,5", f"{Y},2,3,0,4",
        f"{Z},3,3,0,5", "total,7,8,1,14"]


def test_matrix_by_case_counting_documents(study):
    m = matrix(study, "case", measure="documents")
    assert m.cells == [[2, 2, 1], [1, 1, 1], [2, 2, 0], [2, 2, 0]]
    assert m.row_totals == [4, 3, 3, 3] and m.column_totals == [2, 2, 1] and m.total == 4
    with pytest.raises(QcodeError, match="codings or documents"):
        matrix(study, "case", measure="words")


def test_matrix_by_attribute_of_a_document_or_of_its_cases(study):
    # interview-siti.txt: from its case, IOM; notes.txt: its own Polda (not its case's NGO);
    # focus-group.vtt: from its two cases, IOM and NGO; report.pdf: its own Kemnaker
    m = matrix(study, "organisation")
    assert m.columns == ["IOM", "Kemnaker", "NGO", "Polda"]
    assert m.cells == [[5, 1, 1, 3], [2, 1, 0, 2], [3, 0, 1, 1], [3, 0, 1, 2]]
    assert m.row_totals == [9, 5, 4, 5] and m.column_totals == [8, 1, 2, 5] and m.total == 14
    language = matrix(study, "language", children=False)
    assert language.columns == ["en", "id", "(no value)"]
    assert language.cells == [[0, 0, 0], [2, 2, 1], [1, 3, 0], [2, 3, 0]]
    with pytest.raises(NotFound, match="no attribute"):
        matrix(study, "nope")


def test_matrix_follows_the_filters(study):
    m = matrix(study, "case", Filters(coders=("bob",)))
    assert m.columns == ["Budi", "Siti Aminah"]  # bob coded nothing outside a case: no "(no case)" column
    assert m.cells == [[2, 3], [1, 1], [1, 2], [1, 0]]
    assert m.column_totals == [3, 3] and m.total == 5


# -- co-occurrence against a naive pairwise count ----------------------------------------------------

TREE = ["P", "P/A", "P/B", "P/B/C", "Q"]


def _naive(codings, rows, members):
    """For each row code, for each column code: codings of the row that overlap another of the column."""
    cells = []
    for r in rows:
        line = []
        for c in rows:
            count = 0
            for i, (doc, start, end, code) in enumerate(codings):
                if code not in members[r]:
                    continue
                if any(j != i and d == doc and k in members[c] and s < end and start < e
                       for j, (d, s, e, k) in enumerate(codings)):
                    count += 1
            line.append(count)
        cells.append(line)
    return cells


@pytest.fixture(scope="module")
def random_project(tmp_path_factory):
    p = create_project(tmp_path_factory.mktemp("random") / "r.qcode", coder="alice")
    for code in TREE:
        p.code_editor.add(code)
    for name in ("d1", "d2", "d3"):
        _add(p, name, "w " * 30)
    p.coder_id("bob")
    yield p
    p.close()


interval = st.tuples(st.integers(1, 3), st.integers(0, 40), st.integers(1, 12), st.sampled_from(TREE),
                     st.sampled_from([1, 2]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(interval, max_size=40), st.booleans(), st.sampled_from([None, ["P/B", "Q", "P"], ["P/A"]]))
def test_cooccurrence_equals_a_naive_pairwise_count(random_project, spans, children, listed):
    p = random_project
    tree = p.codes.tree()
    coders = dict(p.conn.execute("SELECT name, id FROM coders"))
    rows = [(str(uuid.uuid4()), doc, tree.find(code), coders["alice" if who == 1 else "bob"], start,
             start + length, "x") for doc, start, length, code, who in spans]
    with p.write() as conn:
        conn.execute("DELETE FROM codings")
        conn.executemany('INSERT OR IGNORE INTO codings (guid, document_id, code_id, coder_id, start, "end", created)'
                         " VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    stored = p.conn.execute('SELECT document_id, start, "end", code_id FROM codings').fetchall()
    shown = listed or TREE
    members = {path: set(tree.descendants(tree.find(path))) if children else {tree.find(path)} for path in shown}
    m = cooccurrence(p, listed, children=children)
    assert m.rows == shown
    assert m.cells == _naive(stored, shown, members)
    assert m.row_totals == [sum(1 for s in stored if s[3] in members[r]) for r in shown]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 15), st.integers(1, 6), st.integers(0, 2)),
                max_size=25))
def test_the_sweep_equals_pairs_for_overlapping_columns(spans):
    # code 0 counts under columns 0 and 1 (a child of 1), code 1 under 1, code 2 under 2
    columns = {0: (0, 1), 1: (1,), 2: (2,)}
    rows = sorted(((d, s, s + n, k) for d, s, n, k in spans), key=lambda r: (r[0], r[1]))
    per_code, totals = _cooccurring(rows, columns, 3)
    for code in columns:
        expected = [0, 0, 0]
        for i, (d, s, e, k) in enumerate(rows):
            if k != code:
                continue
            hit = set(itertools.chain.from_iterable(
                columns[k2] for j, (d2, s2, e2, k2) in enumerate(rows) if j != i and d2 == d and s2 < e and s < e2))
            for c in hit:
                expected[c] += 1
        assert per_code.get(code, [0, 0, 0]) == expected
        assert totals.get(code, 0) == sum(1 for r in rows if r[3] == code)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(interval, max_size=30))
def test_words_equal_counting_the_union_of_characters(random_project, spans):
    p = random_project
    tree = p.codes.tree()
    rows = [(str(uuid.uuid4()), doc, tree.find(code), 1, start, start + length, "x")
            for doc, start, length, code, _ in spans]
    with p.write() as conn:
        conn.execute("DELETE FROM codings")
        conn.executemany('INSERT OR IGNORE INTO codings (guid, document_id, code_id, coder_id, start, "end", created)'
                         " VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    stored = p.conn.execute('SELECT document_id, start, "end", code_id FROM codings').fetchall()
    text = "w " * 30
    for f in frequencies(p):
        members = set(tree.descendants(f.code_id))
        expected = {}
        for scope, ids in (("own", {f.code_id}), ("all", members)):
            words = 0
            for doc in (1, 2, 3):
                covered = sorted({i for d, s, e, k in stored if d == doc and k in ids for i in range(s, e)})
                # runs of consecutive covered characters, each counted on its own
                for _, run in itertools.groupby(enumerate(covered), key=lambda pair: pair[1] - pair[0]):
                    run = [i for _, i in run]
                    words += count_words(text, run[0], run[-1] + 1)
            expected[scope] = words
        assert (f.words, f.total_words) == (expected["own"], expected["all"])
