"""Code queries: which codings of one code overlap, lie within, lie near or come before those of another.

The language (docs/queries.md has the full description, with examples)::

    "Role set/Coordinator" AND NOT "Role of IO/Arena"
    ("Role set/Coordinator" OR "Role set/Supporting role") WITHIN "Response/Protection"
    EXACT "Role set" NEAR/200 "Role set/Role conflict"

A query always returns codings of its left-most side: ``A AND B`` gives the codings of ``A`` that
overlap a coding of ``B``. A code includes the codes below it unless it is written ``EXACT "..."``.
A coding never satisfies a relation with itself (same coding id).

Precedence, tightest first: the positional operators (``OVERLAPS``, ``WITHIN``, ``NEAR/N``,
``FOLLOWEDBY``, each optionally negated as ``NOT WITHIN`` …), then ``AND`` / ``AND NOT``, then ``OR``.
Operators of one level group from the left. ``NOT`` is never an operator on its own.

Evaluation works per document on codings sorted by start: ``bisect`` on the right side's sorted
starts and ends (and a running maximum of ends, for WITHIN) answers each left coding in O(log m),
so a relation costs O((n + m) log m) for ``n`` left and ``m`` right codings, never O(n * m).
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import accumulate, chain, compress, groupby, repeat
from operator import add, ge, gt, itemgetter, le, not_, sub

from qcode.core.codes import SEPARATOR, CodeTree
from qcode.core.errors import QcodeError
from qcode.core.text import clean_name

__all__ = ["OPERATORS", "POSITIONAL", "Binary", "Code", "Node", "QueryError", "codes_in", "parse", "run",
           "to_text"]


class QueryError(QcodeError):
    """A query that cannot be parsed or run. ``offset`` is the 0-based index of the fault in the query
    text (or ``None``); ``column`` is the same place counted from 1, as the message gives it."""

    def __init__(self, message: str, offset: int | None = None):
        super().__init__(message)
        self.offset = offset

    @property
    def column(self) -> int | None:
        return None if self.offset is None else self.offset + 1


# --------------------------------------------------------------------------------------------- nodes

@dataclass(frozen=True)
class Code:
    """A code in a query: ``path`` with the codes below it, or alone when ``exact``."""

    path: str
    exact: bool = False
    offset: int = field(default=0, compare=False)

    def __str__(self) -> str:
        return to_text(self)


@dataclass(frozen=True)
class Binary:
    """``left OP right``. ``op`` is one of OPERATORS; ``negate`` marks ``AND NOT`` / ``NOT WITHIN`` …;
    ``distance`` is N of ``NEAR/N``."""

    op: str
    left: Node
    right: Node
    negate: bool = False
    distance: int | None = None

    def __str__(self) -> str:
        return to_text(self)


Node = Code | Binary

POSITIONAL = ("OVERLAPS", "WITHIN", "NEAR", "FOLLOWEDBY")
OPERATORS = ("OR", "AND") + POSITIONAL
_KEYWORDS = {"AND", "OR", "NOT", "EXACT"} | set(POSITIONAL)


def _quote(path: str) -> str:
    return '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _operator_text(node: Binary) -> str:
    op = f"NEAR/{node.distance}" if node.op == "NEAR" else node.op
    if node.negate:
        return "AND NOT" if op == "AND" else f"NOT {op}"
    return op


def _level(node: Node) -> int:
    """Binding strength: a code 4, positional operators 3, AND 2, OR 1."""
    if isinstance(node, Code):
        return 4
    return 1 if node.op == "OR" else 2 if node.op == "AND" else 3


def to_text(node: Node) -> str:
    """The query in canonical form (upper-case operators, parentheses only where needed):
    ``parse(to_text(n)) == n``."""
    out: list[str] = []
    stack: list[Node | str] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, str):
            out.append(current)
        elif isinstance(current, Code):
            out.append(("EXACT " if current.exact else "") + _quote(current.path))
        else:
            level = _level(current)
            # Operators group from the left, so a right operand of the same level needs parentheses.
            left_wrap = _level(current.left) < level
            right_wrap = _level(current.right) <= level
            stack += [")" if right_wrap else "", current.right, "(" if right_wrap else "",
                      f" {_operator_text(current)} ",
                      ")" if left_wrap else "", current.left, "(" if left_wrap else ""]
    return "".join(out)


def codes_in(node: Node | str) -> list[str]:
    """The code paths a query names, in the order they first appear, each once."""
    if isinstance(node, str):
        node = parse(node)
    found: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Code):
            if current.path not in found:
                found.append(current.path)
        else:
            stack.append(current.right)
            stack.append(current.left)
    return found


# ----------------------------------------------------------------------------------------- tokens

@dataclass(frozen=True)
class _Token:
    kind: str          # "path", "(", ")", "word", "end"
    offset: int
    text: str          # as typed
    value: str = ""    # path: the path; word: upper case
    distance: int | None = None

    def describe(self) -> str:
        if self.kind == "end":
            return "the end of the query"
        if self.kind == "path":
            return f"the code {_quote(self.value)}"
        return self.text if self.kind == "word" else f'"{self.text}"'


_OPEN_QUOTES = '"\u201c\u201d\u201e'     # " “ ” „ (a query pasted from a word processor)
_CLOSE_QUOTES = '"\u201c\u201d'
_HINTS = {"&": "write AND", "|": "write OR", "!": "write AND NOT", "~": "write AND NOT",
          "-": "write AND NOT", "+": "write OR", ",": "join codes with AND or OR",
          "[": "use ( and )", "]": "use ( and )", "{": "use ( and )", "}": "use ( and )"}


def _fail(message: str, offset: int) -> QueryError:
    return QueryError(f"query: {message}", offset)


def _at(offset: int) -> str:
    return f"at position {offset + 1}"


def _tokens(text: str, out: list[_Token]) -> list[_Token]:
    """Split ``text`` into ``out`` (filled as it goes, so that an error can look back at it)."""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            out.append(_Token(ch, i, ch))
            i += 1
        elif ch in _OPEN_QUOTES:
            start, i, chars = i, i + 1, []
            while True:
                if i >= n:
                    raise _fail(f"unterminated code path: the double quote {_at(start)} is never closed", start)
                c = text[i]
                if c == "\\" and i + 1 < n and text[i + 1] in '"\\\u201c\u201d':
                    chars.append(text[i + 1])
                    i += 2
                    continue
                if c in _CLOSE_QUOTES:
                    i += 1
                    break
                chars.append(c)
                i += 1
            raw = "".join(chars)
            parts = [clean_name(p) for p in raw.split(SEPARATOR)]
            if not raw.strip() or any(not p for p in parts):
                what = "is empty" if not raw.strip() else "has an empty name between its '/'"
                raise _fail(f"the code path {_at(start)} {what}: write names joined with '/', "
                            'such as "Role set/Coordinator"', start)
            out.append(_Token("path", start, text[start:i], SEPARATOR.join(parts)))
        elif ch == "'":
            raise _fail(f"code paths go in double quotes, not single quotes ({_at(i)}): "
                        'write "Role set/Coordinator"', i)
        elif ch.isalnum() or ch == "_":
            start = i
            while i < n and (text[i].isalnum() or text[i] == "_"):
                i += 1
            word = text[start:i]
            upper = word.upper()
            if upper == "NEAR":
                if i >= n or text[i] != "/":
                    raise _fail(f"NEAR {_at(start)} needs a distance in characters: write NEAR/50 "
                                "for codings at most 50 characters apart", start)
                j = i + 1
                k = j
                while k < n and not text[k].isspace() and text[k] not in '()"\u201c\u201d\u201e':
                    k += 1
                number = text[j:k]
                if not (number.isascii() and number.isdigit()):
                    found = f"found {number!r}" if number else "found nothing"
                    raise _fail(f"expected a whole number of characters after NEAR/ {_at(j)}, {found}", j)
                out.append(_Token("word", start, text[start:k], "NEAR", int(number)))
                i = k
            else:
                out.append(_Token("word", start, word, upper))
        else:
            hint = _HINTS.get(ch)
            raise _fail(f"unexpected character {ch!r} {_at(i)}" + (f": {hint}" if hint else ""), i)
    out.append(_Token("end", n, ""))
    return out


# ----------------------------------------------------------------------------------------- parser

_MAX_DEPTH = 100


class _Parser:
    def __init__(self, tokens: list[_Token]):
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    @property
    def tok(self) -> _Token:
        return self.tokens[self.i]

    def peek(self, ahead: int = 1) -> _Token:
        return self.tokens[min(self.i + ahead, len(self.tokens) - 1)]

    def take(self) -> _Token:
        tok = self.tok
        self.i += 1
        return tok

    def is_word(self, *values: str, tok: _Token | None = None) -> bool:
        tok = tok or self.tok
        return tok.kind == "word" and tok.value in values

    def after(self) -> str:
        if not self.i:
            return ""
        before = self.tokens[self.i - 1]
        return f' (after "{before.text}")' if before.kind in "()" else f" (after {before.text})"

    # query := or_expr END
    def query(self) -> Node:
        if self.tok.kind == "end":
            raise _fail('the query is empty: expected a code in double quotes at position 1, '
                        'such as "Role set/Coordinator"', 0)
        node = self.or_expr()
        tok = self.tok
        if tok.kind == "end":
            return node
        if tok.kind == ")":
            raise _fail(f'unexpected ")" {_at(tok.offset)}: no "(" is open', tok.offset)
        if self.is_word("NOT"):
            raise self.misplaced_not(tok)
        if tok.kind == "word" and tok.value not in _KEYWORDS:
            raise _fail(f"unknown operator {tok.text} {_at(tok.offset)}: expected AND, OR, AND NOT, "
                        "OVERLAPS, WITHIN, NEAR/N, FOLLOWEDBY or the end of the query", tok.offset)
        raise _fail(f"expected an operator (AND, OR, AND NOT, OVERLAPS, WITHIN, NEAR/N, FOLLOWEDBY) "
                    f"{_at(tok.offset)}, found {tok.describe()}", tok.offset)

    def misplaced_not(self, tok: _Token) -> QueryError:
        """NOT after a complete operand, but not before a positional operator."""
        return _fail(f"NOT {_at(tok.offset)} must follow AND (\"A\" AND NOT \"B\") or come before OVERLAPS, "
                     'WITHIN, NEAR/N or FOLLOWEDBY ("A" NOT WITHIN "B")', tok.offset)

    def lonely_not(self, tok: _Token) -> QueryError:
        """NOT where an operand should start: it would have no left side."""
        return _fail(f"NOT {_at(tok.offset)}{self.after()} has no left side: a query returns codings of its "
                     'left side, and NOT "B" alone is not a set of codings; write "A" AND NOT "B"', tok.offset)

    # or_expr := and_expr (OR and_expr)*
    def or_expr(self) -> Node:
        node = self.and_expr()
        while self.is_word("OR"):
            self.take()
            node = Binary("OR", node, self.and_expr())
        return node

    # and_expr := pos_expr (AND [NOT] pos_expr)*
    def and_expr(self) -> Node:
        node = self.pos_expr()
        while self.is_word("AND"):
            self.take()
            negate = self.is_word("NOT")
            if negate:
                self.take()
            node = Binary("AND", node, self.pos_expr(), negate)
        return node

    # pos_expr := primary ([NOT] (OVERLAPS | WITHIN | NEAR/N | FOLLOWEDBY) primary)*
    def pos_expr(self) -> Node:
        node = self.primary()
        while True:
            negate = False
            if self.is_word("NOT") and self.is_word(*POSITIONAL, tok=self.peek()):
                self.take()
                negate = True
            if not self.is_word(*POSITIONAL):
                return node
            op = self.take()
            node = Binary(op.value, node, self.primary(), negate, op.distance)

    # primary := [EXACT] PATH | "(" or_expr ")"
    def primary(self) -> Node:
        tok = self.tok
        if tok.kind == "path":
            self.take()
            return Code(tok.value, False, tok.offset)
        if self.is_word("EXACT"):
            self.take()
            path = self.tok
            if path.kind != "path":
                raise _fail(f"expected a code in double quotes {_at(path.offset)} (after EXACT), "
                            f"found {path.describe()}", path.offset)
            self.take()
            return Code(path.value, True, tok.offset)
        if tok.kind == "(":
            self.take()
            self.depth += 1
            if self.depth > _MAX_DEPTH:
                raise _fail(f"too many nested parentheses {_at(tok.offset)} (at most {_MAX_DEPTH})", tok.offset)
            node = self.or_expr()
            self.depth -= 1
            close = self.tok
            if close.kind != ")":
                if close.kind == "end":
                    raise _fail(f'expected ")" {_at(close.offset)} to close the "(" {_at(tok.offset)}, '
                                "found the end of the query", close.offset)
                if self.is_word("NOT"):
                    raise self.misplaced_not(close)
                if close.kind == "word" and close.value not in _KEYWORDS:
                    raise _fail(f"unknown operator {close.text} {_at(close.offset)}: expected AND, OR, "
                                'AND NOT, OVERLAPS, WITHIN, NEAR/N, FOLLOWEDBY or ")"', close.offset)
                raise _fail(f'expected an operator or ")" {_at(close.offset)}, found {close.describe()}',
                            close.offset)
            self.take()
            return node
        if self.is_word("NOT"):
            raise self.lonely_not(tok)
        hint = ""
        if tok.kind == "word" and tok.value not in _KEYWORDS:
            hint = f' (put code paths in double quotes: "{tok.text}")'
        raise _fail(f'expected a code in double quotes or "(" {_at(tok.offset)}{self.after()}, '
                    f"found {tok.describe()}{hint}", tok.offset)


_SWALLOWED = re.compile(r"(?<!\S)(AND|OR|NOT|EXACT|OVERLAPS|WITHIN|NEAR/\d+|FOLLOWEDBY)(?!\S)")


def parse(text: str) -> Node:
    """Parse a query; raises ``QueryError`` naming the position (from 1) and what was expected."""
    if not isinstance(text, str):
        raise QueryError(f"query: expected text, got {type(text).__name__}")
    tokens: list[_Token] = []
    try:
        return _Parser(_tokens(text, tokens)).query()
    except QueryError as exc:
        # A forgotten closing quote swallows an operator into a code path: say so.
        for tok in tokens:
            if tok.kind == "path" and _SWALLOWED.search(tok.value):
                raise QueryError(f"{exc}; is a closing double quote missing? The code path {_at(tok.offset)} "
                                 f"reads {' '.join(tok.text.split())}", exc.offset) from None
        raise


# ------------------------------------------------------------------------------------- evaluation

# A coding is a row (document_id, start, end, id). A set of codings keeps, for each document, its
# rows sorted by start (the order of equal starts does not matter), and the code ids its rows can
# come from: two sets from disjoint codes cannot share a coding, so the self test can be skipped.
_Row = tuple[int, int, int, int]
_DOCUMENT, _START, _END, _ID = itemgetter(0), itemgetter(1), itemgetter(2), itemgetter(3)


@dataclass
class _Codings:
    by_document: dict[int, list[_Row]]
    codes: frozenset[int]


def _leaves(node: Node) -> list[Code]:
    out, stack = [], [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Code):
            out.append(current)
        else:
            stack += [current.right, current.left]
    return out


def _suggest(tree: CodeTree, path: str) -> str:
    paths = [tree.path(i) for i in tree.nodes]
    folded = [p for p in paths if p.casefold() == path.casefold()]
    close = folded or difflib.get_close_matches(path, paths, n=1, cutoff=0.6)
    return f'; did you mean "{close[0]}"?' if close else ""


def _resolve(tree: CodeTree, leaf: Code) -> frozenset[int]:
    try:
        code_id = tree.find(leaf.path)
    except QcodeError:   # a path with an empty name, in a node built by hand
        code_id = None
    if code_id is None:
        raise QueryError(f'query: no code "{leaf.path}"{_suggest(tree, leaf.path)}', leaf.offset)
    return frozenset((code_id,) if leaf.exact else tree.descendants(code_id))


def _check(node: Node) -> None:
    """Refuse a tree built by hand that the parser could not have produced."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Code):
            if not isinstance(current.path, str):
                raise QueryError(f"query: a code path is text, not {type(current.path).__name__}")
            continue
        if not isinstance(current, Binary) or current.op not in OPERATORS:
            raise QueryError(f"query: not a query node: {current!r}")
        if current.op == "OR" and current.negate:
            raise QueryError('query: OR cannot be negated: write "A" AND NOT "B"')
        if (current.op == "NEAR") != (current.distance is not None):
            raise QueryError("query: NEAR, and only NEAR, takes a distance")
        if current.op == "NEAR" and (not isinstance(current.distance, int) or current.distance < 0):
            raise QueryError(f"query: NEAR needs a whole number of characters, not {current.distance!r}")
        stack += [current.left, current.right]


_MAX_MARKS = 900   # below SQLite's smallest limit on host parameters (999)


def _fetch(conn, code_ids: frozenset[int], coder_id: int | None, document_ids: set[int] | None) -> _Codings:
    """The codings of ``code_ids``, grouped by document, by start. Sorted here rather than by an
    ``ORDER BY``, which spills a temporary B-tree to disk once it outgrows SQLite's page cache;
    sorting by document, then each document by start, is twice as fast as sorting by both."""
    where, params = [], []
    few_codes = len(code_ids) <= _MAX_MARKS
    if few_codes:
        where.append(f"code_id IN ({','.join('?' * len(code_ids))})")
        params += sorted(code_ids)
    if coder_id is not None:
        where.append("coder_id = ?")
        params.append(coder_id)
    few_documents = document_ids is not None and len(document_ids) <= _MAX_MARKS
    if few_documents:
        where.append(f"document_id IN ({','.join('?' * len(document_ids))})")
        params += sorted(document_ids)
    table = "codings"
    if few_codes and not few_documents:
        # Through the index on code_id, each row costs a B-tree search; a plain scan of the table
        # costs about a tenth of that per row. Scan when the codes hold more than a tenth of it.
        count = conn.execute(f"SELECT count(*) FROM codings WHERE {where[0]}", params[:len(code_ids)]).fetchone()[0]
        if count * 10 > conn.execute("SELECT count(*) FROM codings").fetchone()[0]:
            table = "codings NOT INDEXED"
    sql = 'SELECT document_id, start, "end", id' + ("" if few_codes else ", code_id") + f" FROM {table}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    rows = conn.execute(sql, params).fetchall()
    if not few_codes:   # a code tree too large for one IN (...): filter here
        rows = [r[:4] for r in rows if r[4] in code_ids]
    if document_ids is not None and not few_documents:
        rows = [r for r in rows if r[0] in document_ids]
    rows.sort(key=_DOCUMENT)
    by_document = {doc: list(group) for doc, group in groupby(rows, _DOCUMENT)}
    for group in by_document.values():
        group.sort(key=_START)
    return _Codings(by_document, code_ids)


def _union(parts: list[_Codings]) -> _Codings:
    if len(parts) == 1:
        return parts[0]
    disjoint = sum(len(p.codes) for p in parts) == len(frozenset().union(*(p.codes for p in parts)))
    out: dict[int, list[_Row]] = {}
    for doc in set().union(*(p.by_document for p in parts)):
        lists = [p.by_document[doc] for p in parts if doc in p.by_document]
        if len(lists) == 1:
            out[doc] = lists[0]
        elif disjoint:
            out[doc] = sorted(chain.from_iterable(lists), key=_START)
        else:
            out[doc] = sorted(set().union(*lists), key=_START)
    return _Codings(out, frozenset().union(*(p.codes for p in parts)))


def _or_operands(node: Binary) -> list[Node]:
    """The operands of a chain of ORs, left to right: ``(A OR B) OR C`` -> ``[A, B, C]``."""
    out, stack = [], [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Binary) and current.op == "OR":
            stack += [current.right, current.left]
        else:
            out.append(current)
    return out


def _relate(op: str, left: _Codings, right: _Codings, negate: bool, distance: int | None) -> _Codings:
    """The codings of ``left`` that stand in relation ``op`` to some other coding of ``right``
    (with ``negate``: to none). Per document, with ``bisect`` on sorted starts and ends."""
    out: dict[int, list[_Row]] = {}
    # Only when both sides can hold the same coding must a coding be kept from matching itself.
    shared = not left.codes.isdisjoint(right.codes)
    for doc, rows in left.by_document.items():
        others = right.by_document.get(doc)
        if not others:
            kept = rows if negate else []
        elif op == "FOLLOWEDBY":
            kept = _followed_by(rows, others, negate)
        elif op == "WITHIN":
            kept = _within(rows, others, negate, shared)
        else:
            kept = _near(rows, others, negate, shared, distance + 1 if op == "NEAR" else 0)
        if kept:
            out[doc] = kept
    return _Codings(out, left.codes)


# The kernels below run as chains of ``map`` over C functions (bisect, itemgetter, operator) and
# ``compress``: the same steps as a comprehension, about three times faster on a million codings.

def _keep(rows: list[_Row], flags, negate: bool) -> list[_Row]:
    return list(compress(rows, map(not_, flags) if negate else flags))


def _followed_by(rows: list[_Row], others: list[_Row], negate: bool) -> list[_Row]:
    """Some b starts at or after a ends (never a itself, which starts before it ends)."""
    last_start = others[-1][1]     # sorted by start
    return _keep(rows, map(le, map(_END, rows), repeat(last_start)), negate)


def _near(rows: list[_Row], others: list[_Row], negate: bool, shared: bool, reach: int) -> list[_Row]:
    """Some other b with b.start < a.end + reach and b.end > a.start - reach.

    ``reach`` 0 is overlap; ``reach`` N + 1 is NEAR/N (b.start <= a.end + N, b.end >= a.start - N).
    The b that pass both bounds are counted without a loop over b: those that start early enough,
    less those that end too early (each of which also starts early enough, as b.start < b.end).
    """
    starts = list(map(_START, others))       # sorted, as ``others`` is
    ends = sorted(map(_END, others))
    a_ends, a_starts = map(_END, rows), map(_START, rows)
    if reach:
        a_ends, a_starts = map(add, a_ends, repeat(reach)), map(sub, a_starts, repeat(reach))
    begun = map(bisect_left, repeat(starts), a_ends)      # b.start < a.end + reach
    over = map(bisect_right, repeat(ends), a_starts)      # b.end <= a.start - reach
    if not shared:
        return _keep(rows, map(gt, begun, over), negate)
    ids = set(map(_ID, others))              # a itself, when in ``others``, always passes: discount it
    return _keep(rows, map(gt, map(sub, begun, over), map(ids.__contains__, map(_ID, rows))), negate)


def _within(rows: list[_Row], others: list[_Row], negate: bool, shared: bool) -> list[_Row]:
    """Some other b with b.start <= a.start and b.end >= a.end: the longest end among the b that
    start no later than a (a running maximum, read at the bisect point) decides."""
    starts = list(map(_START, others))
    longest = [-1, *accumulate(map(_END, others), max)]   # longest[k]: the longest end of the first k
    a_starts = list(map(_START, rows))
    upto = map(bisect_right, repeat(starts), a_starts)    # the b with b.start <= a.start
    if not shared:
        return _keep(rows, map(ge, map(longest.__getitem__, upto), map(_END, rows)), negate)
    # a itself may be among those b. The b that start before a are not a: if they reach a's end,
    # a is covered. Otherwise only the b that start where a starts can cover it: check them.
    upto = list(upto)
    first = list(map(bisect_left, repeat(starts), a_starts))
    flags = list(map(ge, map(longest.__getitem__, first), map(_END, rows)))
    maybe = map(ge, map(longest.__getitem__, upto), map(_END, rows))
    for i in compress(range(len(rows)), map(gt, maybe, flags)):     # covered, but not by an earlier b
        coding, end = rows[i][3], rows[i][2]
        flags[i] = any(b[2] >= end and b[3] != coding for b in others[first[i]:upto[i]])
    return _keep(rows, flags, negate)


def run(project, query: str | Node, *, coder: str | None = None,
        document_ids: set[int] | None = None) -> list[int]:
    """The ids of the codings that ``query`` selects, in document order (document, start, end, id).

    ``coder``: only this coder's codings count, on both sides of every operator. ``document_ids``:
    only codings in these documents. Unknown codes and coders raise ``QueryError``.
    """
    node = parse(query) if isinstance(query, str) else query
    _check(node)
    conn = project.conn
    tree = project.codes.tree()
    resolved = {id(leaf): _resolve(tree, leaf) for leaf in _leaves(node)}
    coder_id = None
    if coder is not None:
        row = conn.execute("SELECT id FROM coders WHERE name = ?", (clean_name(coder),)).fetchone()
        if row is None:
            names = [r[0] for r in conn.execute("SELECT name FROM coders ORDER BY name")]
            close = difflib.get_close_matches(clean_name(coder), names, n=1)
            raise QueryError(f'query: no coder "{clean_name(coder)}" in this project'
                             + (f'; did you mean "{close[0]}"?' if close else ""))
        coder_id = row[0]
    if document_ids is not None:
        document_ids = set(document_ids)
        if not document_ids:
            return []
    cache: dict[frozenset[int], _Codings] = {}

    def codings_of(code_ids: frozenset[int]) -> _Codings:
        if code_ids not in cache:
            cache[code_ids] = _fetch(conn, code_ids, coder_id, document_ids)
        return cache[code_ids]

    def evaluate(root: Node) -> _Codings:
        # Iterative, so that a long chain ("A" AND "B" AND … ) cannot exhaust Python's stack.
        # An OR of codes is read as one set of codes: "P" OR "Q" fetches the codings of both at once.
        values: list[_Codings] = []
        stack: list[tuple[str, object]] = [("eval", root)]
        while stack:
            step, item = stack.pop()
            if step == "fetch":
                values.append(codings_of(item))
            elif step == "union":
                parts = values[len(values) - item:]
                del values[len(values) - item:]
                values.append(_union(parts))
            elif step == "relate":
                right, left = values.pop(), values.pop()
                values.append(_relate(item.op, left, right, item.negate, item.distance)
                              if left.by_document else left)
            elif isinstance(item, Code):
                values.append(codings_of(resolved[id(item)]))
            elif item.op == "OR":
                operands = _or_operands(item)
                codes = [resolved[id(o)] for o in operands if isinstance(o, Code)]
                units = [("fetch", frozenset().union(*codes))] if codes else []
                units += [("eval", o) for o in operands if not isinstance(o, Code)]
                stack.append(("union", len(units)))
                stack += reversed(units)
            else:
                stack += [("relate", item), ("eval", item.right), ("eval", item.left)]
        return values[0]

    found = evaluate(node).by_document
    rows = [row for doc in sorted(found) for row in found[doc]]
    rows.sort()    # (document, start, end, id); already sorted but for ties of start
    return list(map(_ID, rows))
