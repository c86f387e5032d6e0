"""Code queries: the parser, exact results on a small hand-made project, and a property test
against a naive reference (every pair of codings compared)."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcode.analysis.query import Binary, Code, QueryError, codes_in, parse, run, to_text
from qcode.core import QcodeError, create_project

C, S, K = "Role set/Coordinator", "Role set/Supporting role", "Role set/Role conflict"
A, P = "Role of IO/Arena", "Response/Protection"


def q(*parts: str) -> str:
    """Join code paths and operators: q(C, "AND", A) -> '"Role set/Coordinator" AND "Role of IO/Arena"'."""
    return " ".join(part if part.split("/")[0].upper() in {
        "AND", "OR", "NOT", "EXACT", "OVERLAPS", "WITHIN", "NEAR", "FOLLOWEDBY", "(", ")"} else f'"{part}"'
        for part in parts)


# ------------------------------------------------------------------------------------------ parser

def test_a_code_alone_and_exact():
    assert parse('"Role set/Coordinator"') == Code(C)
    assert parse('EXACT "Role set"') == Code("Role set", exact=True)
    assert parse('exact "Role set"') == Code("Role set", exact=True)
    assert parse('"  Role set /  Coordinator "') == Code(C)      # names are trimmed as stored
    assert parse("\u201cRole set/Coordinator\u201d") == Code(C)  # quotes from a word processor
    assert parse(r'"say \"no\" \\ here"') == Code('say "no" \\ here')


@pytest.mark.parametrize(("text", "grouped", "canonical"), [
    # positional operators bind tighter than AND, AND tighter than OR
    ('"a" AND "b" WITHIN "c"', '"a" AND ("b" WITHIN "c")', '"a" AND "b" WITHIN "c"'),
    ('"a" WITHIN "b" AND "c"', '("a" WITHIN "b") AND "c"', '"a" WITHIN "b" AND "c"'),
    ('"a" OR "b" AND "c"', '"a" OR ("b" AND "c")', '"a" OR "b" AND "c"'),
    ('"a" AND "b" OR "c"', '("a" AND "b") OR "c"', '"a" AND "b" OR "c"'),
    ('"a" OR "b" NEAR/5 "c" AND "d"', '"a" OR (("b" NEAR/5 "c") AND "d")', '"a" OR "b" NEAR/5 "c" AND "d"'),
    ('"a" AND NOT "b" OR "c"', '("a" AND NOT "b") OR "c"', '"a" AND NOT "b" OR "c"'),
    ('"a" AND NOT "b" WITHIN "c"', '"a" AND NOT ("b" WITHIN "c")', '"a" AND NOT "b" WITHIN "c"'),
    ('"a" NOT WITHIN "b" AND "c"', '("a" NOT WITHIN "b") AND "c"', '"a" NOT WITHIN "b" AND "c"'),
    # one level groups from the left
    ('"a" WITHIN "b" NEAR/3 "c"', '("a" WITHIN "b") NEAR/3 "c"', '"a" WITHIN "b" NEAR/3 "c"'),
    ('"a" AND "b" AND NOT "c"', '("a" AND "b") AND NOT "c"', '"a" AND "b" AND NOT "c"'),
    ('"a" OR "b" OR "c"', '("a" OR "b") OR "c"', '"a" OR "b" OR "c"'),
    ('"a" FOLLOWEDBY "b" OVERLAPS "c"', '("a" FOLLOWEDBY "b") OVERLAPS "c"', '"a" FOLLOWEDBY "b" OVERLAPS "c"'),
    # parentheses win
    ('("a" OR "b") AND "c"', '("a" OR "b") AND "c"', '("a" OR "b") AND "c"'),
    ('"a" WITHIN ("b" AND "c")', '"a" WITHIN ("b" AND "c")', '"a" WITHIN ("b" AND "c")'),
    ('"a" AND ("b" AND "c")', '"a" AND ("b" AND "c")', '"a" AND ("b" AND "c")'),
    ('(("a"))', '"a"', '"a"'),
    ('EXACT "a" not near/0 exact "b"', '(EXACT "a") NOT NEAR/0 (EXACT "b")', 'EXACT "a" NOT NEAR/0 EXACT "b"'),
])
def test_precedence_and_grouping(text, grouped, canonical):
    node = parse(text)
    assert node == parse(grouped)
    assert to_text(node) == canonical
    assert parse(canonical) == node


def test_the_tree_of_a_query():
    assert parse('"a" OR "b" AND NOT "c" WITHIN "d"') == Binary(
        "OR", Code("a"), Binary("AND", Code("b"), Binary("WITHIN", Code("c"), Code("d")), negate=True))
    assert parse('"a" NEAR/4 "b" FOLLOWEDBY "c"') == Binary(
        "FOLLOWEDBY", Binary("NEAR", Code("a"), Code("b"), distance=4), Code("c"))


def test_operators_are_case_insensitive():
    assert parse('"a" and not "b" Or "c" within "d" near/7 "e" FollowedBy "f" overlaps "g"') == parse(
        '"a" AND NOT "b" OR "c" WITHIN "d" NEAR/7 "e" FOLLOWEDBY "f" OVERLAPS "g"')
    node = parse('"a" nOt WiThIn "b"')
    assert node == Binary("WITHIN", Code("a"), Code("b"), negate=True)


def test_near_carries_its_distance_and_whitespace_is_free():
    assert parse('"a" NEAR/120 "b"') == Binary("NEAR", Code("a"), Code("b"), distance=120)
    assert parse('"a"NEAR/0"b"') == Binary("NEAR", Code("a"), Code("b"), distance=0)
    assert parse('\n ( "a"\tAND"b" ) ') == Binary("AND", Code("a"), Code("b"))


def test_codes_in_lists_each_path_once_in_order():
    assert codes_in(f'("{C}" OR EXACT "Role set") WITHIN "{P}" AND NOT "{C}"') == [C, "Role set", P]
    assert codes_in(parse(f'"{A}"')) == [A]


def test_long_chains_do_not_exhaust_the_stack():
    text = " OR ".join(f'"c{i}"' for i in range(3000))
    node = parse(text)
    assert len(codes_in(node)) == 3000
    assert to_text(node) == text
    assert to_text(parse(to_text(node))) == text


@pytest.mark.parametrize(("text", "column", "words"), [
    ("", 1, "the query is empty"),
    ("   ", 1, "the query is empty"),
    ('"a" AND', 8, 'expected a code in double quotes or "(" at position 8 (after AND), found the end'),
    ('"a" AND NOT', 12, "(after NOT)"),
    ('"a" OR', 7, "(after OR)"),
    ('"a" WITHIN', 11, "(after WITHIN)"),
    ('AND "a"', 1, "found AND"),
    ('"a" AND OR "b"', 9, "found OR"),
    ('("a" AND "b"', 13, 'expected ")" at position 13 to close the "(" at position 1'),
    ('(("a")', 7, 'to close the "(" at position 1'),
    ('"a")', 4, 'unexpected ")" at position 4: no "(" is open'),
    ('()', 2, 'found ")"'),
    ('"a" XOR "b"', 5, "unknown operator XOR at position 5"),
    ('"a" AN "b"', 5, "unknown operator AN"),
    ('("a" BUT "b")', 6, "unknown operator BUT"),
    ('"a', 1, "unterminated code path: the double quote at position 1 is never closed"),
    ('"a" AND "b', 9, "unterminated"),
    ('"a" NEAR "b"', 5, "NEAR at position 5 needs a distance in characters: write NEAR/50"),
    ('"a" NEAR', 5, "needs a distance"),
    ('"a" NEAR/abc "b"', 10, "expected a whole number of characters after NEAR/ at position 10, found 'abc'"),
    ('"a" NEAR/ "b"', 10, "found nothing"),
    ('"a" NEAR/-5 "b"', 10, "found '-5'"),
    ('"a" NEAR/2.5 "b"', 10, "found '2.5'"),
    ('NOT "a"', 1, "NOT at position 1 has no left side"),
    ('NOT', 1, "has no left side"),
    ('"a" OR NOT "b"', 8, "NOT at position 8 (after OR) has no left side"),
    ('"a" AND NOT NOT "b"', 13, "has no left side"),
    ('"a" NOT "b"', 5, "NOT at position 5 must follow AND"),
    ('"a" AND "b" NOT', 13, "must follow AND"),
    ('"a" "b"', 5, ("expected an operator (AND, OR, AND NOT, OVERLAPS, WITHIN, NEAR/N, FOLLOWEDBY) at position 5, "
                    'found the code "b"')),
    ('"a" AND "b" c', 13, "unknown operator c"),
    ('"a" AND "b" )', 13, 'unexpected ")"'),
    ('"a" & "b"', 5, "unexpected character '&' at position 5: write AND"),
    ('"a" | "b"', 5, "write OR"),
    ('"a" AND "b";', 12, "unexpected character ';'"),
    ("'Role set'", 1, "code paths go in double quotes, not single quotes"),
    ("Role", 1, 'put code paths in double quotes: "Role"'),
    ('EXACT', 6, "expected a code in double quotes at position 6 (after EXACT)"),
    ('EXACT ("a")', 7, 'found "("'),
    ('""', 1, "the code path at position 1 is empty"),
    ('"a//b"', 1, "has an empty name"),
    ('"a" AND ("b" "c")', 14, 'expected an operator or ")" at position 14'),
    ("(" * 101 + '"a"' + ")" * 101, 101, "too many nested parentheses"),
])
def test_malformed_queries_name_the_position(text, column, words):
    with pytest.raises(QueryError) as caught:
        parse(text)
    message = str(caught.value)
    assert message.startswith("query: ")
    assert "\n" not in message
    assert words in message, message
    assert caught.value.column == column and caught.value.offset == column - 1
    assert f"position {column}" in message


def test_a_missing_closing_quote_is_pointed_out():
    with pytest.raises(QueryError) as caught:
        parse(f'"{C} AND "{A}"')
    assert str(caught.value) == (
        "query: unexpected character '/' at position 38; is a closing double quote missing? "
        'The code path at position 1 reads "Role set/Coordinator AND "')
    assert caught.value.column == 38
    with pytest.raises(QueryError) as caught:
        parse('"a"\n"b\nc"')           # control characters leave names, as when codes are stored
    assert str(caught.value).endswith('found the code "bc"')


words = st.sampled_from(['"a"', '"b/c"', "EXACT", "AND", "OR", "NOT", "WITHIN", "OVERLAPS", "NEAR/3",
                         "NEAR", "FOLLOWEDBY", "(", ")", '"', "x", "/", "\u201c", "\\"])


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=40), st.lists(words, max_size=12).map(" ".join)))
def test_any_text_parses_or_fails_with_a_query_error(text):
    try:
        node = parse(text)
    except QueryError as exc:
        assert str(exc).startswith("query: ") and "\n" not in str(exc)
        assert exc.offset is not None and 0 <= exc.offset <= len(text)
    else:
        assert parse(to_text(node)) == node


def test_query_error_is_a_qcode_error():
    assert issubclass(QueryError, QcodeError)
    with pytest.raises(QueryError):
        parse(None)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- a small coded project

TEXT = "".join(chr(ord("a") + i % 26) for i in range(100))

# label: (document, start, end, code, coder)
CODINGS = {
    # document 1
    "c1": ("one.txt", 0, 10, C, "tester"),
    "c2": ("one.txt", 5, 15, A, "tester"),     # overlaps c1
    "c3": ("one.txt", 10, 20, S, "tester"),    # touches c1 ([0,10) and [10,20) do not overlap), overlaps c2
    "c4": ("one.txt", 0, 30, P, "tester"),     # contains c1, c2, c3
    "c5": ("one.txt", 40, 50, C, "tester"),
    "c6": ("one.txt", 42, 45, K, "tester"),    # nested in c5
    "c8": ("one.txt", 60, 65, "Role set", "tester"),   # on the parent code itself
    "c7": ("one.txt", 70, 80, A, "tester"),    # 20 characters after c5, 5 after c8
    "c9": ("one.txt", 90, 95, C, "rina"),      # 10 characters after c7
    # document 2
    "d1": ("two.txt", 0, 5, C, "tester"),
    "d2": ("two.txt", 5, 9, A, "tester"),      # touches d1
    "d3": ("two.txt", 50, 60, P, "tester"),
    "d4": ("two.txt", 50, 60, C, "rina"),      # the same span as d3
}


@pytest.fixture
def study(project):
    """The project, with ``label_of``: coding id -> its label in CODINGS."""
    for name in ("one.txt", "two.txt"):
        project.documents.add(name=name, text=TEXT, format="txt", sha256=name, source_file=name, size=100)
    for document, start, end, code, coder in CODINGS.values():
        project.codings.add(document, start, end, code, coder=coder)
    tree = project.codes.tree()
    label_of = {}
    for label, (document, start, end, code, coder) in CODINGS.items():
        coding_id = project.conn.execute(
            'SELECT g.id FROM codings g JOIN documents d ON d.id = g.document_id JOIN coders k ON k.id = g.coder_id'
            ' WHERE d.name = ? AND g.start = ? AND g."end" = ? AND g.code_id = ? AND k.name = ?',
            (document, start, end, tree.find(code), coder)).fetchone()[0]
        label_of[coding_id] = label
    return SimpleNamespace(project=project, label_of=label_of)


def labels(study, text, **options) -> list[str]:
    return [study.label_of[i] for i in run(study.project, text, **options)]


@pytest.mark.parametrize(("text", "expected"), [
    # a code alone: its codings, with its children unless EXACT, in document order
    (q(C), ["c1", "c5", "c9", "d1", "d4"]),
    (q("Role set"), ["c1", "c3", "c5", "c6", "c8", "c9", "d1", "d4"]),
    ('EXACT "Role set"', ["c8"]),
    # AND = OVERLAPS: shares at least one character; touching ends do not
    (q(C, "AND", A), ["c1"]),
    (q(C, "OVERLAPS", A), ["c1"]),
    (q(A, "AND", C), ["c2"]),
    (q(C, "AND", S), []),                       # [0,10) and [10,20) touch
    (q(A, "AND", S), ["c2"]),
    (q(P, "AND", C), ["c4", "d3"]),
    # AND NOT
    (q(C, "AND", "NOT", A), ["c5", "c9", "d1", "d4"]),
    (q(A, "AND", "NOT", C), ["c7", "d2"]),
    (q(C, "NOT", "OVERLAPS", A), ["c5", "c9", "d1", "d4"]),
    # OR: the union
    (q(K, "OR", S), ["c3", "c6"]),
    (q(K, "OR", K), ["c6"]),
    ('EXACT "Role set" OR ' + q(A), ["c2", "c8", "c7", "d2"]),
    # WITHIN: wholly inside (equal spans count)
    (q(K, "WITHIN", C), ["c6"]),
    (q(C, "WITHIN", P), ["c1", "d4"]),
    (q(P, "WITHIN", C), ["d3"]),
    (q(C, "WITHIN", K), []),
    (q(C, "NOT", "WITHIN", P), ["c5", "c9", "d1"]),
    (q("Role set", "WITHIN", P), ["c1", "c3", "d4"]),
    ('EXACT "Role set" WITHIN ' + q(P), []),
    # NEAR/N: a gap of at most N characters; overlapping is 0, touching is 0
    (q(C) + " NEAR/20 " + q(A), ["c1", "c5", "c9", "d1"]),
    (q(C) + " NEAR/19 " + q(A), ["c1", "c9", "d1"]),
    (q(C) + " NEAR/10 " + q(A), ["c1", "c9", "d1"]),
    (q(C) + " NEAR/9 " + q(A), ["c1", "d1"]),
    (q(C) + " NEAR/0 " + q(A), ["c1", "d1"]),
    (q(C) + " NOT NEAR/20 " + q(A), ["d4"]),
    ('EXACT "Role set" NEAR/5 ' + q(A), ["c8"]),
    ('EXACT "Role set" NEAR/4 ' + q(A), []),
    # FOLLOWEDBY: a B coding starts at or after the end of the A coding
    (q(C, "FOLLOWEDBY", A), ["c1", "c5", "d1"]),
    (q(C, "NOT", "FOLLOWEDBY", A), ["c9", "d4"]),
    (q(A, "FOLLOWEDBY", C), ["c2", "c7", "d2"]),
    (q(P, "FOLLOWEDBY", P), []),
    # compound sides
    (q("(", C, "OR", S, ")", "WITHIN", P), ["c1", "c3", "d4"]),
    (q(C, "WITHIN", "(", P, "AND", A, ")"), ["c1"]),
    (q(C, "OR", A, "AND", S), ["c1", "c2", "c5", "c9", "d1", "d4"]),
    (q("(", C, "OR", A, ")", "AND", S), ["c2"]),
    (q(C, "WITHIN", P, "AND", "NOT", A), ["d4"]),
    (q(C, "AND", "NOT", "(", A, "OR", K, ")"), ["c9", "d1", "d4"]),
    # a coding never relates to itself
    (q("Role set", "AND", C), ["c6"]),
    (q(C, "AND", "Role set"), ["c5"]),
    (q(C, "AND", C), []),
    (q(C, "AND", "NOT", C), ["c1", "c5", "c9", "d1", "d4"]),
    (q(C, "WITHIN", C), []),
    (q(C) + " NEAR/1000 " + q(C), ["c1", "c5", "c9", "d1", "d4"]),
    (q(K, "WITHIN", "Role set"), ["c6"]),
    (q(C, "WITHIN", "Role set"), []),
])
def test_results(study, text, expected):
    assert labels(study, text) == expected


def test_codings_that_start_together(project):
    """A coding among the same code's codings that start where it starts: only another one counts."""
    project.documents.add(name="t.txt", text=TEXT, format="txt", sha256="t", source_file="t.txt", size=100)
    for start, end, code in ((10, 20, C), (10, 20, K), (10, 15, C), (30, 40, C), (30, 35, K), (50, 60, C)):
        project.codings.add("t.txt", start, end, code)
    spans = dict(project.conn.execute("SELECT id, start || '-' || \"end\" || ' ' || code_id FROM codings"))
    tree = project.codes.tree()
    c, k = tree.find(C), tree.find(K)

    def found(text):
        return [spans[i] for i in run(project, text)]

    assert found(q("Role set", "WITHIN", "Role set")) == [f"10-15 {c}", f"10-20 {c}", f"10-20 {k}", f"30-35 {k}"]
    assert found(q(C, "WITHIN", C)) == [f"10-15 {c}"]
    assert found(q(C, "WITHIN", "Role set")) == [f"10-15 {c}", f"10-20 {c}"]
    assert found(q("Role set", "AND", "NOT", "Role set")) == [f"50-60 {c}"]
    assert found(q(C) + " NEAR/9 " + q(C)) == [f"10-15 {c}", f"10-20 {c}"]
    assert found(q(C) + " NEAR/10 " + q(C)) == [f"10-15 {c}", f"10-20 {c}", f"30-40 {c}", f"50-60 {c}"]


def test_a_parsed_node_runs_as_well(study):
    node = parse(q(C, "AND", A))
    assert labels(study, node) == ["c1"]


@pytest.mark.parametrize("node", [
    Binary("NEAR", Code(C), Code(A)),
    Binary("NEAR", Code(C), Code(A), distance=-1),
    Binary("WITHIN", Code(C), Code(A), distance=3),
    Binary("OR", Code(C), Code(A), negate=True),
    Binary("XOR", Code(C), Code(A)),
    Binary("AND", Code(C), "Role of IO/Arena"),
])
def test_hand_built_nodes_are_checked(study, node):
    with pytest.raises(QueryError, match="^query: "):
        run(study.project, node)


def test_coder_filter_applies_to_both_sides(study):
    assert labels(study, q(C), coder="rina") == ["c9", "d4"]
    assert labels(study, q(P, "AND", C)) == ["c4", "d3"]
    assert labels(study, q(P, "AND", C), coder="tester") == ["c4"]   # d4, which overlaps d3, is Rina's
    assert labels(study, q(P, "AND", C), coder="rina") == []         # no Protection coding is Rina's
    with pytest.raises(QueryError, match='no coder "rian" in this project; did you mean "rina"'):
        run(study.project, q(C), coder="rian")


def test_document_filter(study):
    two = study.project.documents.get("two.txt").id
    assert labels(study, q(C) + " NEAR/0 " + q(A), document_ids={two}) == ["d1"]
    assert labels(study, q(C), document_ids={two}) == ["d1", "d4"]
    assert labels(study, q(C), document_ids={two, 999}) == ["d1", "d4"]
    assert run(study.project, q(C), document_ids=set()) == []


def test_unknown_codes_are_named_with_a_suggestion(study):
    with pytest.raises(QueryError) as caught:
        run(study.project, q(A, "AND", "Role set/Cordinator"))
    assert str(caught.value) == 'query: no code "Role set/Cordinator"; did you mean "Role set/Coordinator"?'
    assert caught.value.column == len(q(A, "AND")) + 2
    with pytest.raises(QueryError, match='did you mean "Role set/Coordinator"'):
        run(study.project, '"role set/coordinator"')
    with pytest.raises(QueryError, match=r'^query: no code "Zzz"$'):
        run(study.project, '"Zzz"')


def test_syntax_errors_come_before_lookups(study):
    with pytest.raises(QueryError, match="expected a code"):
        run(study.project, '"Nonexistent" AND')


def test_an_empty_project_returns_nothing(project):
    with project.write():
        project.codes.ensure("Role set/Coordinator")
        project.codes.ensure("Role of IO/Arena")
    assert run(project, q(C, "AND", A)) == []
    assert run(project, q(C, "AND", "NOT", A)) == []
    assert run(project, q(C, "OR", A)) == []


# ---------------------------------------------------------------- property: against a naive reference

LENGTH = 40
PATHS = ("A", "A/A1", "A/A2", "B")


def _relation(op: str, a, b, distance: int | None) -> bool:
    if op in ("AND", "OVERLAPS"):
        return a[1] < b[2] and b[1] < a[2]
    if op == "WITHIN":
        return b[1] <= a[1] and a[2] <= b[2]
    if op == "NEAR":
        return max(0, b[1] - a[2], a[1] - b[2]) <= distance
    assert op == "FOLLOWEDBY"
    return b[1] >= a[2]


def naive(node, rows, tree) -> set:
    """Every coding of the left side against every coding of the right: O(n * m)."""
    if isinstance(node, Code):
        code = tree.find(node.path)
        ids = {code} if node.exact else set(tree.descendants(code))
        return {r for r in rows if r[4] in ids}
    left, right = naive(node.left, rows, tree), naive(node.right, rows, tree)
    if node.op == "OR":
        return left | right
    return {a for a in left
            if any(a[3] != b[3] and a[0] == b[0] and _relation(node.op, a, b, node.distance) for b in right)
            != node.negate}


spans = st.tuples(st.integers(1, 2), st.integers(0, LENGTH - 1), st.integers(1, 10),
                  st.sampled_from(PATHS), st.integers(0, 1))
codes = st.builds(Code, st.sampled_from(PATHS), st.booleans())
relations = st.sampled_from(["AND", "OVERLAPS", "WITHIN", "NEAR", "FOLLOWEDBY"])


@st.composite
def binaries(draw, children):
    op = draw(st.sampled_from(["OR", "AND", "OVERLAPS", "WITHIN", "NEAR", "FOLLOWEDBY"]))
    return Binary(op, draw(children), draw(children), negate=op != "OR" and draw(st.booleans()),
                  distance=draw(st.integers(0, 15)) if op == "NEAR" else None)


queries = st.recursive(codes, binaries, max_leaves=6)


@pytest.fixture(scope="module")
def playground(tmp_path_factory):
    project = create_project(tmp_path_factory.mktemp("query") / "property.qcode", coder="tester")
    for number in (1, 2):
        project.documents.add(name=f"d{number}", text="x" * LENGTH, format="txt", sha256=str(number),
                              source_file=f"d{number}", size=LENGTH)
    with project.write():
        for path in PATHS:
            project.codes.ensure(path)
    coders = [project.coder_id("tester"), project.coder_id("rina")]
    yield project, coders
    project.close()


def load(project, coders, intervals) -> list[tuple]:
    """Replace every coding with ``intervals``; return them as (document, start, end, id, code)."""
    tree = project.codes.tree()
    documents = dict(project.conn.execute("SELECT name, id FROM documents"))
    with project.write() as conn:
        conn.execute("DELETE FROM codings")
        conn.executemany(
            'INSERT OR IGNORE INTO codings (guid, document_id, code_id, coder_id, start, "end", created)'
            " VALUES (?, ?, ?, ?, ?, ?, '2026-01-01T00:00:00.000Z')",
            [(str(uuid.uuid4()), documents[f"d{doc}"], tree.find(path), coders[coder], start,
              min(start + length, LENGTH)) for doc, start, length, path, coder in intervals])
    return project.conn.execute('SELECT document_id, start, "end", id, code_id, coder_id FROM codings').fetchall()


def in_order(rows) -> list[int]:
    return [r[3] for r in sorted(rows, key=lambda r: (r[0], r[1], r[2], r[3]))]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(intervals=st.lists(spans, max_size=30), op=relations, negate=st.booleans(),
       distance=st.integers(0, 15), left=codes, right=codes)
def test_each_operator_matches_the_naive_reference(playground, intervals, op, negate, distance, left, right):
    project, coders = playground
    rows = load(project, coders, intervals)
    node = Binary(op, left, right, negate=negate, distance=distance if op == "NEAR" else None)
    assert run(project, node) == in_order(naive(node, rows, project.codes.tree()))
    assert run(project, to_text(node)) == run(project, node)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(intervals=st.lists(spans, max_size=30), node=queries, coder=st.sampled_from([None, "tester", "rina"]))
def test_any_query_matches_the_naive_reference(playground, intervals, node, coder):
    project, coders = playground
    rows = load(project, coders, intervals)
    assert parse(to_text(node)) == node
    if coder is not None:
        rows = [r for r in rows if r[5] == coders[["tester", "rina"].index(coder)]]
    assert run(project, node, coder=coder) == in_order(naive(node, rows, project.codes.tree()))
