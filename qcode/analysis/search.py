"""Full-text search: every place in the documents where the words you typed occur.

``search(project, "kerja")`` returns :class:`Hit` objects, in document order (document id, then
start), each with the exact span ``[start, end)`` of the document's text (0-based code points, the
offsets codings use, so a hit can be coded as it is) and a one-line keyword-in-context.

Two SQLite FTS5 indexes find the documents that match (schema version 2, docs/schema.md
"Full-text search"); the hits themselves are then found in Python, in the stored text, so their
offsets are exact whatever comes before them (emoji, combining characters, NFD text). Matching is
case-insensitive without moving an offset: it runs on a lower-cased copy of the text that has
exactly the text's length (``str.lower()`` alone would not: it makes ``İ`` two characters). The
indexes only narrow the documents to read: if one cannot answer (a query SQLite refuses, a file
without them), every document is read instead, with the same result.

Modes
-----
``"substring"``
    Each whitespace-separated term is found anywhere, inside words too, as it is typed: nothing
    is special (quotes, ``*``, ``-``, ``:``, ``AND`` are characters to find). Case-insensitive,
    but accents count (``kafe`` does not find ``kafé``: SQLite 3.40's trigram index cannot fold
    them). A document must hold every term; every occurrence of every term is a hit. Terms of
    3+ characters go through the trigram index; shorter ones are looked for in the text itself.
    This is what finds Indonesian affixed forms: ``kerja`` finds ``kerja``, ``bekerja``,
    ``pekerjaan``, ``dipekerjakan``.
``"words"``
    Whole words, as SQLite's unicode61 tokenizer splits them (letters, digits; everything else
    separates words, so ``anak-anak`` is the two words ``anak anak``). Case-insensitive and
    accent-insensitive for Latin letters: ``kafe``, ``kafé``, ``KAFÉ`` and NFD ``kafe\\u0301`` are
    one word (the folding table is SQLite's ``remove_diacritics 2``, so the index and the hits
    agree). The query language:

    - ``gaji paspor``: both words, anywhere in the document (AND). ``AND`` may be written.
    - ``"agen menjanjikan"``: a phrase; its hit spans the whole phrase, and the words may be
      separated by anything that is not a word character (spaces, line breaks, punctuation), as
      in FTS5. An unclosed quote runs to the end of the query.
    - ``peker*``: a prefix; the hit is the whole word (``pekerja``, ``pekerjaan``). ``"anak an"*``
      makes the last word of a phrase a prefix.
    - ``paspor OR visa``: either (OR binds tighter than AND: ``paspor OR visa gaji`` is
      ``(paspor OR visa) AND gaji``).
    - ``gaji NOT calo``: documents with ``gaji`` that do not contain ``calo``.

    Nothing else is syntax. ``AND``/``OR``/``NOT`` are operators only in capitals and only
    between two terms (``NOT`` after at least one term); anywhere else they are plain words.
    ``-x``, ``col:x``, ``^x``, ``NEAR(...)``, parentheses and a bare ``*`` are not operators: the
    punctuation separates words like any other (``NEAR(a b)`` is the words ``near``, ``a``,
    ``b``). The FTS5 query sent to SQLite is built from quoted strings only, so no input can
    make it fail.
``"auto"`` (the default)
    Word search when the query uses the syntax above (a ``"``, a term ending in ``*``, or
    ``AND``/``OR``/``NOT`` in capitals between two terms), otherwise substring search, because
    plain Indonesian terms need substrings to find their affixed forms.

Python and SQLite fold case and accents the same way (the tables below are SQLite's, and a
property test checks that over Latin text the index and the Python locator pick exactly the same
documents). ``İ`` is ``i`` in word search, as unicode61 has it, and only ``İ`` in substring search,
as the trigram index has it. What remains: SQLite's character tables are Unicode 6.1 and Python's
are newer, so a character assigned since then (and an unassigned code point, which SQLite counts
as a letter) can join or split words differently. Where the two disagree a hit can be missed,
never invented: a document is shown only when SQLite returns it and Python finds its hits.

An empty or whitespace-only query, or one with nothing to find, returns ``[]``. No query
raises: control characters are dropped (documents have none), and every other character is
either syntax as above or text to find. A wrong ``mode``, or a negative ``limit`` or ``context``,
is a programming error and raises ``ValueError``.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields

from qcode.core.text import normalise

MODES = ("auto", "words", "substring")
WORD_INDEX = "documents_fts"
SUBSTRING_INDEX = "documents_trigram"
TRIGRAM = 3  # the trigram index finds terms of at least this many characters


@dataclass(frozen=True, slots=True)
class Hit:
    """One occurrence: ``text == document text[start:end]`` (code points, exclusive end)."""

    document: str
    document_id: int
    start: int
    end: int
    text: str
    context: str

    def as_json(self) -> dict:
        return {"document": self.document, "start": self.start, "end": self.end,
                "text": self.text, "context": self.context}


def _hit_factory():
    """Make a Hit without the frozen dataclass's __init__, which sets each field through
    object.__setattr__ and costs twice as much: a common word has hundreds of thousands of hits."""
    new = object.__new__
    set_document, set_id, set_start, set_end, set_text, set_context = (
        getattr(Hit, field.name).__set__ for field in fields(Hit))

    def make(document: str, document_id: int, start: int, end: int, text: str, context: str) -> Hit:
        hit = new(Hit)
        set_document(hit, document)
        set_id(hit, document_id)
        set_start(hit, start)
        set_end(hit, end)
        set_text(hit, text)
        set_context(hit, context)
        return hit

    return make


_make_hit = _hit_factory()


# --- What unicode61 (remove_diacritics 2) calls a word, and how it folds letters ----------------
# Read from SQLite 3.40.1 itself (an fts5vocab table over every code point); tests/test_search.py
# checks both tables against the SQLite that runs the tests.

# Combining marks that unicode61 removes: they stay inside the word they follow (NFD "e\u0301" is
# "e"). Other combining marks separate words, as punctuation does.
_REMOVED_MARKS = "".join(map(chr, (
    0x300, 0x301, 0x302, 0x303, 0x304, 0x306, 0x307, 0x308, 0x309, 0x30A, 0x30B, 0x30C, 0x30F,
    0x311, 0x31B, 0x323, 0x324, 0x325, 0x326, 0x327, 0x328, 0x32D, 0x32E, 0x330, 0x331)))

# Precomposed letters that unicode61 folds to a plain ASCII letter.
_ACCENTED = {
    "a": "ÀÁÂÃÄÅàáâãäåĀāĂăĄąǍǎǞǟǺǻȀȁȂȃȦȧḀḁẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặ\u212b",  # and the ångström sign
    "b": "ḂḃḄḅḆḇ",
    "c": "ÇçĆćĈĉĊċČčḈḉ",
    "d": "ĎďḊḋḌḍḎḏḐḑḒḓ",
    "e": "ÈÉÊËèéêëĒēĔĕĖėĘęĚěȄȅȆȇȨȩḔḕḖḗḘḙḚḛḜḝẸẹẺẻẼẽẾếỀềỂểỄễỆệ",
    "f": "Ḟḟ",
    "g": "ĜĝĞğĠġĢģǦǧǴǵḠḡ",
    "h": "ĤĥȞȟḢḣḤḥḦḧḨḩḪḫẖ",
    "i": "ÌÍÎÏìíîïĨĩĪīĬĭĮįİǏǐȈȉȊȋḬḭḮḯỈỉỊị",
    "j": "Ĵĵǰ",
    "k": "ĶķǨǩḰḱḲḳḴḵ",
    "l": "ĹĺĻļĽľḶḷḸḹḺḻḼḽ",
    "m": "ḾḿṀṁṂṃ",
    "n": "ÑñŃńŅņŇňǸǹṄṅṆṇṈṉṊṋ",
    "o": "ÒÓÔÕÖòóôõöŌōŎŏŐőƠơǑǒǪǫǬǭȌȍȎȏȪȫȬȭȮȯȰȱṌṍṎṏṐṑṒṓỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợ",
    "p": "ṔṕṖṗ",
    "r": "ŔŕŖŗŘřȐȑȒȓṘṙṚṛṜṝṞṟ",
    "s": "ŚśŜŝŞşŠšſȘșṠṡṢṣṤṥṦṧṨṩẛ",
    "t": "ŢţŤťȚțṪṫṬṭṮṯṰṱẗ",
    "u": "ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲųƯưǓǔǕǖǗǘǙǚǛǜȔȕȖȗṲṳṴṵṶṷṸṹṺṻỤụỦủỨứỪừỬửỮữỰự",
    "v": "ṼṽṾṿ",
    "w": "ŴŵẀẁẂẃẄẅẆẇẈẉẘ",
    "x": "ẊẋẌẍ",
    "y": "ÝýÿŶŷŸȲȳẎẏẙỲỳỴỵỶỷỸỹ",
    "z": "ŹźŻżŽžẐẑẒẓẔẕ",
}

# A word character: a letter or digit (Unicode categories L*, N*), a private-use character (Co)
# or one of the removed marks. Python's \w is L* and N* plus "_", which unicode61 treats as
# punctuation. (SQLite's tables are Unicode 6.1; letters added since then are rare enough.)
_PRIVATE = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
_EXTRA = _PRIVATE + re.escape(_REMOVED_MARKS)
_WORD_CHAR = rf"(?:[^\W_]|[{_EXTRA}])"
_WORD = re.compile(rf"{_WORD_CHAR}+")
_WORD_END = rf"(?![^\W_])(?![{_EXTRA}])"
_WORD_TAIL = rf"{_WORD_CHAR}*"
_SEPARATORS = rf"(?:[^\w{_EXTRA}]|_)+"
# Between two words: separators, and any "word" of removed marks alone (unicode61 drops it whole:
# "e_\u0301_e" is the two words "e e").
_BETWEEN_WORDS = rf"{_SEPARATORS}(?:[{re.escape(_REMOVED_MARKS)}]+{_SEPARATORS})*"
_MARKS_AFTER = f"[{re.escape(_REMOVED_MARKS)}]*"

_SURROGATES = re.compile("[\ud800-\udfff]")
_OPERATORS = ("AND", "OR", "NOT")


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch in _REMOVED_MARKS or "\ue000" <= ch <= "\uf8ff" or ch >= "\U000f0000"


# --- Case and accents, without moving an offset ------------------------------------------------
# Hits are found in a case-folded copy of the text that has exactly its length, so a span in the
# copy is the same span in the text. str.lower() keeps the length of every character but one:
# "İ" (U+0130) becomes "i̇", two characters. Word search folds it to "i" (unicode61 removes the dot
# as a diacritic); substring search keeps it apart from "i" (the trigram index does not fold it),
# as a private-use character that lower() leaves alone.
_DOTTED_I = {True: "i", False: "\U000f0130"}
# Letters that SQLite's case folding (both indexes) maps to another letter and str.lower() does not.
_SQLITE_FOLDS = {"ſ": "s", "µ": "μ", "ς": "σ", "ϐ": "β", "ϑ": "θ", "ϕ": "φ", "ϖ": "π", "ϰ": "κ",
                 "ϱ": "ρ", "ϵ": "ε", "\u1fbe": "ι", "ẛ": "ṡ"}
_SQLITE_FOLDS_TABLE = str.maketrans(_SQLITE_FOLDS)


def _fold_case(text: str, words: bool = True) -> str:
    if "\u0130" in text:
        text = text.replace("\u0130", _DOTTED_I[words])
    folded = text.lower()
    if len(folded) != len(text):  # a newer Unicode with another such character: fold one by one
        folded = "".join(low if len(low := ch.lower()) == 1 else ch for ch in text)
    if not folded.isascii() and any(ch in folded for ch in _SQLITE_FOLDS):
        folded = folded.translate(_SQLITE_FOLDS_TABLE)
    return folded


# The lower-case accented forms of each letter, and the letter of each.
_VARIANTS = {base: "".join(sorted({_fold_case(ch) for ch in chars} - {base}))
             for base, chars in _ACCENTED.items()}
_UNACCENT = {ch: base for base, chars in _VARIANTS.items() for ch in chars}
# The UTF-8 lead bytes of those forms and of the removed marks: a text whose UTF-8 has none of
# them holds none of them, and bytes.__contains__ checks that far faster than a regex.
_ACCENT_LEADS = tuple(sorted({ch.encode()[:-1] for ch in "".join(_VARIANTS.values()) + _REMOVED_MARKS}))


def _has_accents(folded: str) -> bool:
    if folded.isascii():
        return False
    data = folded.encode()
    return any(lead in data for lead in _ACCENT_LEADS)


def _fold_word(word: str) -> str:
    """A word as unicode61 indexes it: lower case, removed marks dropped, accents folded."""
    return "".join(_UNACCENT.get(ch, ch) for ch in _fold_case(word) if ch not in _REMOVED_MARKS)


def _char_pattern(ch: str) -> str:
    """A regex for one folded character: any accented form of it, followed by removed marks."""
    variants = _VARIANTS.get(ch)
    return (f"[{ch}{variants}]" if variants else re.escape(ch)) + _MARKS_AFTER


# --- Parsed queries ------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Term:
    """One thing to find.

    ``plain`` finds it in the case-folded text. A words-mode term also has ``accented``, for a text
    that holds accented letters or removed marks: slower, every letter is a character class and
    whether a match starts a word is checked in Python (a lookbehind of variable width is not
    possible). ``plain`` starts with the literal first word, which lets the regex engine skip
    ahead to it, and checks the start of the word after it with a fixed-width lookbehind.
    ``fts`` is the FTS5 query that finds the documents holding it, made of quoted strings only;
    None when the index cannot (a substring of fewer than 3 characters).
    """

    plain: re.Pattern
    fts: str | None
    accented: re.Pattern | None = None

    def spans(self, folded: str, accents: bool, first: bool = False) -> list[tuple[int, int]]:
        """Where this term is in ``folded`` (the case-folded text); only the first if ``first``."""
        if not (accents and self.accented is not None):
            pattern = self.plain
            if first:
                match = pattern.search(folded)
                return [match.span()] if match else []
            return [match.span() for match in pattern.finditer(folded)]
        found: list[tuple[int, int]] = []
        search, pos, size = self.accented.search, 0, len(folded)
        while pos <= size:
            match = search(folded, pos)
            if match is None:
                break
            start, end = match.span()
            if start > 0 and _is_word_char(folded[start - 1]):
                pos = start + 1  # inside a word: look again from the next character
                continue
            found.append((start, end))
            if first:
                break
            pos = end if end > start else start + 1
        return found


@dataclass(frozen=True)
class _Query:
    index: str
    groups: tuple[tuple[_Term, ...], ...]  # every group must be found; a group is terms OR-ed
    excluded: tuple[_Term, ...] = ()       # none of these may be found

    def fts(self) -> str | None:
        """The FTS5 query that finds the candidate documents, or None to read every document."""
        parts = [" OR ".join(term.fts for term in group) for group in self.groups
                 if all(term.fts for term in group)]
        if not parts:
            return None
        query = " AND ".join(f"({part})" for part in parts)
        excluded = [term.fts for term in self.excluded if term.fts]
        if excluded:
            query = f"({query}) NOT ({' OR '.join(excluded)})"
        return query


def _fts_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _substring_query(query: str) -> _Query | None:
    groups = []
    for term in dict.fromkeys(query.split()):  # in order, without repeats
        fts = _fts_string(term) if len(term) >= TRIGRAM else None
        groups.append((_Term(re.compile(re.escape(_fold_case(term, words=False))), fts),))
    return _Query(SUBSTRING_INDEX, tuple(groups)) if groups else None


# A words-mode query is read as chunks: a quoted phrase (with an optional * after it), a bare run
# of characters, or a separator (whitespace and parentheses, which FTS5 would take as grouping).
_CHUNK = re.compile(r'"(?P<phrase>[^"]*)(?:"(?P<star>\*?)|$)|(?P<bare>[^\s"()]+)|[\s()]+')


def _word_term(typed: list[str], prefix: bool) -> _Term | None:
    pairs = [(word, folded) for word in typed if (folded := _fold_word(word))]
    if not pairs:
        return None
    words = [folded for _, folded in pairs]
    end = _WORD_TAIL if prefix else _WORD_END
    first = re.escape(words[0])
    plain = (f"{first}(?<![^\\W_]{first})(?<![{_EXTRA}]{first})"
             + "".join(_BETWEEN_WORDS + re.escape(word) for word in words[1:]) + end)
    # (a removed mark may also start a word: unicode61 reads "\u0301e" as the word "e")
    accented = _BETWEEN_WORDS.join(_MARKS_AFTER + "".join(map(_char_pattern, word)) for word in words) + end
    # SQLite gets the words as typed and folds them itself, as it folded the documents
    fts = _fts_string(" ".join(word for word, _ in pairs)) + (" *" if prefix else "")
    return _Term(re.compile(plain), fts, re.compile(accented))


def _words_chunks(query: str) -> list[str | _Term]:
    """The query as a list of terms and operator words (``"AND"``, ``"OR"``, ``"NOT"``)."""
    items: list[str | _Term] = []
    for match in _CHUNK.finditer(query):
        if match.group("phrase") is not None:
            term = _word_term(_WORD.findall(match.group("phrase")), bool(match.group("star")))
        elif match.group("bare") is not None:
            bare = match.group("bare")
            if bare in _OPERATORS:
                items.append(bare)
                continue
            words = _WORD.findall(bare)
            prefix = bare.endswith("*") and _is_word_char(bare.rstrip("*")[-1:] or " ")
            term = _word_term(words, prefix)
        else:
            continue
        if term is not None:
            items.append(term)
    return items


def _words_query(query: str) -> _Query | None:
    items = _words_chunks(query)
    clauses: list[tuple[bool, list[_Term]]] = []  # (excluded?, terms OR-ed), AND-ed together
    negate = join = False  # the next term starts an excluded clause / joins the last clause
    for i, item in enumerate(items):
        if isinstance(item, str):
            between_terms = (i > 0 and isinstance(items[i - 1], _Term)
                             and i + 1 < len(items) and isinstance(items[i + 1], _Term))
            if item == "OR" and between_terms:
                join = True
                continue
            if item == "AND" and between_terms:
                continue
            if item == "NOT" and between_terms and any(not out for out, _ in clauses):
                negate = True
                continue
            item = _word_term([item], False)  # an operator word out of place is a plain word
        if join and clauses:
            clauses[-1][1].append(item)
        else:
            clauses.append((negate, [item]))
        negate = join = False
    groups = tuple(tuple(terms) for out, terms in clauses if not out)
    excluded = tuple(term for out, terms in clauses if out for term in terms)
    return _Query(WORD_INDEX, groups, excluded) if groups else None


def _uses_word_syntax(query: str) -> bool:
    if '"' in query:
        return True
    chunks = query.split()
    for i, chunk in enumerate(chunks):
        if chunk.endswith("*") and _is_word_char(chunk.rstrip("*")[-1:] or " "):
            return True
        if chunk in _OPERATORS and 0 < i < len(chunks) - 1 and chunks[i - 1] not in _OPERATORS \
                and chunks[i + 1] not in _OPERATORS:
            return True
    return False


def parse(terms: str, mode: str = "auto") -> _Query | None:
    """The query ``terms`` means in ``mode`` (None: nothing to find). Never raises on ``terms``."""
    if mode not in MODES:
        raise ValueError(f"unknown search mode {mode!r}: use one of {', '.join(MODES)}")
    query = _SURROGATES.sub("", normalise(terms if isinstance(terms, str) else str(terms)))
    if not query.strip():
        return None
    if mode == "auto":
        mode = "words" if _uses_word_syntax(query) else "substring"
    return _words_query(query) if mode == "words" else _substring_query(query)


# --- Searching -----------------------------------------------------------------------------------

def _candidates(conn: sqlite3.Connection, query: _Query) -> list[int]:
    """Ids of the documents that may match, in order: from the index, else every document."""
    fts = query.fts()
    if fts is not None:
        try:
            return [row[0] for row in conn.execute(
                f"SELECT rowid FROM {query.index} WHERE {query.index} MATCH ? ORDER BY rowid", (fts,))]
        except sqlite3.DatabaseError:
            pass  # no index in this file, or a query FTS5 refuses: read every document instead
    return [row[0] for row in conn.execute("SELECT id FROM documents ORDER BY id")]


def _spans(text: str, query: _Query) -> list[tuple[int, int]]:
    """Every hit of ``query`` in ``text``, sorted; [] unless every group is found and no
    excluded term is."""
    folded = _fold_case(text, words=query.index == WORD_INDEX)
    accents = any(term.accented is not None for group in query.groups for term in group) \
        and _has_accents(folded)
    for term in query.excluded:
        if term.spans(folded, accents, first=True):
            return []
    spans: list[tuple[int, int]] = []
    for group in query.groups:
        found = False
        for term in group:
            term_spans = term.spans(folded, accents)
            spans.extend(term_spans)
            found = found or bool(term_spans)
        if not found:
            return []
    return sorted(set(spans)) if len(query.groups) > 1 or len(query.groups[0]) > 1 else spans


def context_of(text: str, start: int, end: int, width: int = 40) -> str:
    """The hit with up to ``width`` characters either side, on one line (line breaks and tabs
    shown as spaces), with ``…`` where the text goes on. A cut never falls between a character
    and the combining marks that follow it: the context is made shorter instead."""
    size = len(text)
    left = max(0, start - width)
    right = min(size, end + width)
    while left < start and text[left] >= "\u0300" and unicodedata.category(text[left])[0] == "M":
        left += 1
    while end < right < size and text[right] >= "\u0300" and unicodedata.category(text[right])[0] == "M":
        right -= 1
    line = text[left:right]
    if "\n" in line:
        line = line.replace("\n", " ")
    if "\t" in line:
        line = line.replace("\t", " ")
    if left:
        line = "…" + line
    if right < size:
        line += "…"
    return line


def _documents(conn: sqlite3.Connection, ids: Iterable[int]) -> Iterator[tuple[int, str, str]]:
    for doc_id in ids:
        row = conn.execute("SELECT name, text FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is not None:
            yield doc_id, row[0], row[1]


def _index_new_documents(conn) -> None:
    """Documents are indexed lazily (see qcode.core.search_index); a project without the indexes
    (an older schema, or dropped by hand) is searched by reading every text instead."""
    from qcode.core.search_index import index_pending

    try:
        index_pending(conn)
    except sqlite3.OperationalError as exc:
        if "no such table" not in str(exc):
            raise


def search(project, terms: str, *, mode: str = "auto", limit: int | None = None, context: int = 40,
           documents: set[int] | None = None) -> list[Hit]:
    """Every hit of ``terms`` in the project's documents, in order of document id, then start.

    ``mode`` is ``"auto"``, ``"words"`` or ``"substring"`` (see the module's docstring);
    ``limit`` stops after that many hits; ``context`` is how many characters of keyword-in-context
    to show either side; ``documents`` restricts the search to these document ids.
    """
    if limit is not None and limit < 0:
        raise ValueError("limit must be 0 or more")
    if context < 0:
        raise ValueError("context must be 0 or more")
    query = parse(terms, mode)
    if query is None or limit == 0 or documents is not None and not documents:
        return []
    conn = project.conn
    _index_new_documents(conn)
    ids = _candidates(conn, query)
    if documents is not None:
        ids = [doc_id for doc_id in ids if doc_id in documents]
    hits: list[Hit] = []
    remaining = -1 if limit is None else limit
    for doc_id, name, text in _documents(conn, ids):
        spans = _spans(text, query)
        if 0 <= remaining < len(spans):
            spans = spans[:remaining]
        hits.extend([_make_hit(name, doc_id, start, end, text[start:end], context_of(text, start, end, context))
                     for start, end in spans])
        remaining -= len(spans)
        if remaining == 0:
            break
    return hits
