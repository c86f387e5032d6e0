"""Full-text search (qcode.analysis.search) and the schema-2 indexes that serve it."""

from __future__ import annotations

import sqlite3
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcode.analysis import search as search_module
from qcode.analysis.search import Hit, context_of, parse, search
from qcode.core import create_project, open_project
from qcode.core.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from qcode.core.search_index import index_pending, pending

# Expected hits are (document, start, end, text): offsets counted in code points, and text is
# what the stored text holds at [start:end] (the fuzz tests check that slice for every hit).
INTERVIEW = ("Saya bekerja di Batam.\nPekerjaan itu berat, kerja keras.\nAgen\n"
             "menjanjikan gaji besar; KERJA lagi.")
# 5 code points of emoji (three people joined by two ZWJ), then NFD and NFC accents, dotted İ.
NOTES = ("👩\u200d👩\u200d👧 Cafe\u0301 e\u0301 İİ — kafé KAFÉ kafe Kafe\u0301s anak-anak "
         "dipekerjakan")
POLICY = "Perlindungan pekerja migran. Paspor dan visa.\tGaji dibayar."


def add_doc(project, name, text):
    return project.documents.add(name=name, text=text, format="txt", sha256=name, source_file=name,
                                 size=len(text.encode()))


def spans(hits):
    return [(h.document, h.start, h.end, h.text) for h in hits]


@pytest.fixture
def project(tmp_path):
    with create_project(tmp_path / "p.qcode") as p:
        add_doc(p, "interview.txt", INTERVIEW)
        add_doc(p, "notes.txt", NOTES)
        add_doc(p, "policy.txt", POLICY)
        yield p


def texts(project):
    return {name: project.documents.text(name) for name in ("interview.txt", "notes.txt", "policy.txt")}


def check_slices(project, hits):
    stored = {}
    for hit in hits:
        if hit.document not in stored:
            stored[hit.document] = project.documents.text(hit.document)
        assert stored[hit.document][hit.start:hit.end] == hit.text


def fts_ok(conn, index):
    """FTS5's own check that an external-content index matches the documents table."""
    conn.execute(f"INSERT INTO {index} ({index}, rank) VALUES ('integrity-check', 1)")
    return True


# --- the schema ---------------------------------------------------------------------------------

def test_a_new_project_has_both_indexes_and_their_triggers(project):
    assert SCHEMA_VERSION >= 2
    names = {row[0] for row in project.conn.execute("SELECT name FROM sqlite_master")}
    assert {"documents_fts", "documents_trigram", "search_indexed", "documents_fts_delete",
            "documents_fts_update"} <= names
    sql = project.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'documents_trigram'").fetchone()[0]
    assert "content=''" in sql and "trigram case_sensitive 0" in sql
    assert fts_ok(project.conn, "documents_fts") and fts_ok(project.conn, "documents_trigram")
    # contentless: the indexes do not keep a second copy of the text
    assert "documents_fts_content" not in names and "documents_trigram_content" not in names


def make_v1_project(path, documents):
    """A project as qcode wrote it at schema version 1 (migration 0 only), holding ``documents``."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("BEGIN IMMEDIATE")
    MIGRATIONS[0](conn)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO meta (key, value) VALUES ('name', 'old')")
    for name, text in documents:
        conn.execute("INSERT INTO documents (guid, name, format, text, characters, sha256, source_file,"
                     " bytes, imported) VALUES (?, ?, 'txt', ?, ?, ?, ?, ?, '2026-01-01T00:00:00.000Z')",
                     (str(uuid.uuid4()), name, text, len(text), name, name, len(text)))
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def test_a_version_1_project_is_backed_up_migrated_and_searchable(tmp_path):
    path = tmp_path / "old.qcode"
    make_v1_project(path, [("interview.txt", INTERVIEW), ("notes.txt", NOTES)])
    with open_project(path) as p:
        assert p.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert fts_ok(p.conn, "documents_fts") and fts_ok(p.conn, "documents_trigram")
        # the documents that were there before the migration are indexed ('rebuild')
        assert spans(search(p, "kerja")) == [
            ("interview.txt", 7, 12, "kerja"), ("interview.txt", 25, 30, "kerja"),
            ("interview.txt", 44, 49, "kerja"), ("interview.txt", 86, 91, "KERJA"),
            ("notes.txt", 56, 61, "kerja")]
        assert spans(search(p, "kafe", mode="words")) == [
            ("notes.txt", 20, 24, "kafé"), ("notes.txt", 25, 29, "KAFÉ"), ("notes.txt", 30, 34, "kafe")]
        # and what comes after is indexed before the next search
        add_doc(p, "new.txt", "Mereka bekerja lagi.")
        assert spans(search(p, "bekerja", mode="words")) == [
            ("interview.txt", 5, 12, "bekerja"), ("new.txt", 7, 14, "bekerja")]
    backup = tmp_path / "old.qcode.v1-backup"
    assert backup.exists()
    kept = sqlite3.connect(backup)
    assert kept.execute("PRAGMA user_version").fetchone()[0] == 1
    assert kept.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
    assert kept.execute("SELECT count(*) FROM sqlite_master WHERE name IN ('documents_fts',"
                        " 'documents_trigram', 'documents_fts_insert')").fetchone()[0] == 0
    kept.close()


# --- words, phrases, prefixes -------------------------------------------------------------------

def test_words_match_whole_words_only(project):
    assert spans(search(project, "kerja", mode="words")) == [
        ("interview.txt", 44, 49, "kerja"), ("interview.txt", 86, 91, "KERJA")]
    assert spans(search(project, "pekerjaan", mode="words")) == [("interview.txt", 23, 32, "Pekerjaan")]
    assert search(project, "kerj", mode="words") == []


def test_words_are_anded_and_every_hit_of_each_is_returned(project):
    assert spans(search(project, "gaji kerja", mode="words")) == [
        ("interview.txt", 44, 49, "kerja"), ("interview.txt", 74, 78, "gaji"),
        ("interview.txt", 86, 91, "KERJA")]
    assert search(project, "gaji dipekerjakan", mode="words") == []


def test_a_phrase_spans_its_words_and_whatever_separates_them(project):
    assert spans(search(project, '"agen menjanjikan"')) == [("interview.txt", 57, 73, "Agen\nmenjanjikan")]
    assert spans(search(project, '"kerja keras"')) == [("interview.txt", 44, 55, "kerja keras")]
    assert spans(search(project, '"berat kerja"')) == [("interview.txt", 37, 49, "berat, kerja")]
    assert search(project, '"keras kerja"') == []
    # a hyphenated word is a phrase of its parts, as unicode61 splits it
    assert spans(search(project, "anak-anak", mode="words")) == [("notes.txt", 42, 51, "anak-anak")]
    assert spans(search(project, '"anak anak"')) == [("notes.txt", 42, 51, "anak-anak")]


def test_a_prefix_hit_is_the_whole_word(project):
    assert spans(search(project, "peker*")) == [
        ("interview.txt", 23, 32, "Pekerjaan"), ("policy.txt", 13, 20, "pekerja")]
    assert spans(search(project, '"pekerja mig"*')) == [("policy.txt", 13, 27, "pekerja migran")]


def test_or_and_not(project):
    assert spans(search(project, "paspor OR batam")) == [
        ("interview.txt", 16, 21, "Batam"), ("policy.txt", 29, 35, "Paspor")]
    assert spans(search(project, "gaji NOT batam")) == [("policy.txt", 46, 50, "Gaji")]
    assert spans(search(project, "gaji AND paspor")) == [
        ("policy.txt", 29, 35, "Paspor"), ("policy.txt", 46, 50, "Gaji")]
    # operators out of place are plain words (no document has the word "and" or "not"), and in
    # lower case they are always words
    assert search(project, "gaji AND", mode="words") == search(project, "gaji and", mode="words") == []
    assert search(project, "NOT gaji", mode="words") == []
    assert search(project, "paspor or batam", mode="words") == []


def test_case_does_not_matter_and_does_not_move_offsets(project):
    assert spans(search(project, "KeRjA", mode="words")) == spans(search(project, "kerja", mode="words"))
    # İ lower-cases to two characters in Python: the hits after it keep their offsets
    notes = project.documents.text("notes.txt")
    assert notes.index("İİ") == 15
    assert spans(search(project, "İi", mode="words")) == [("notes.txt", 15, 17, "İİ")]
    # substrings keep İ apart from i, as the trigram index does
    assert spans(search(project, "İİ", mode="substring")) == [("notes.txt", 15, 17, "İİ")]
    assert search(project, "İi", mode="substring") == search(project, "ii", mode="substring") == []
    assert spans(search(project, "dipekerjakan", mode="words")) == [("notes.txt", 52, 64, "dipekerjakan")]


def test_words_ignore_latin_accents_like_the_index(project):
    # kafé, KAFÉ and kafe; not kafe\u0301s (another word), whichever way the query is written
    expected = [("notes.txt", 20, 24, "kafé"), ("notes.txt", 25, 29, "KAFÉ"), ("notes.txt", 30, 34, "kafe")]
    for query in ("kafe", "kafé", "KAFE", "kafe\u0301"):
        assert spans(search(project, query, mode="words")) == expected, query
    # an NFD accent stays inside the word and inside the hit
    assert spans(search(project, "cafe", mode="words")) == [("notes.txt", 6, 11, "Cafe\u0301")]
    assert spans(search(project, "kafes", mode="words")) == [("notes.txt", 35, 41, "Kafe\u0301s")]


def test_substrings_find_indonesian_affixed_forms(project):
    assert spans(search(project, "kerja")) == [
        ("interview.txt", 7, 12, "kerja"), ("interview.txt", 25, 30, "kerja"),
        ("interview.txt", 44, 49, "kerja"), ("interview.txt", 86, 91, "KERJA"),
        ("notes.txt", 56, 61, "kerja"), ("policy.txt", 15, 20, "kerja")]
    assert [h.text for h in search(project, "kerja", mode="substring")] == [
        "kerja", "kerja", "kerja", "KERJA", "kerja", "kerja"]
    # the words they were found in
    stored = texts(project)
    assert [word_around(stored[h.document], h.start, h.end) for h in search(project, "kerja")] == [
        "bekerja", "Pekerjaan", "kerja", "KERJA", "dipekerjakan", "pekerja"]


def word_around(text, start, end):
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    while end < len(text) and text[end].isalpha():
        end += 1
    return text[start:end]


def test_substrings_are_case_but_not_accent_insensitive(project):
    assert spans(search(project, "KAFE", mode="substring")) == [
        ("notes.txt", 30, 34, "kafe"), ("notes.txt", 35, 39, "Kafe")]
    assert spans(search(project, "kafé", mode="substring")) == [
        ("notes.txt", 20, 24, "kafé"), ("notes.txt", 25, 29, "KAFÉ")]


def test_short_substrings_are_found_without_the_trigram_index(project):
    assert spans(search(project, "ja", documents={3})) == [("policy.txt", 18, 20, "ja")]
    assert spans(search(project, "ja pas")) == [("policy.txt", 18, 20, "ja"), ("policy.txt", 29, 32, "Pas")]
    assert spans(search(project, "👧", mode="substring")) == [("notes.txt", 4, 5, "👧")]


def test_auto_mode_picks_substring_or_words(project):
    assert parse("kerja").index == "documents_trigram"
    for query in ('"kerja"', "kerj*", "paspor OR visa", "gaji NOT calo", "gaji AND visa"):
        assert parse(query).index == "documents_fts", query
    for query in ("kerja-keras", "gaji AND", "OR", "-x", "col:x", "NEAR(a b)"):
        assert parse(query).index == "documents_trigram", query


def test_offsets_after_emoji_and_combining_characters(project):
    notes = project.documents.text("notes.txt")
    for hit in search(project, "kafe kafes anak dipekerjakan", mode="words"):
        assert notes[hit.start:hit.end] == hit.text
    (hit,) = search(project, "anak-anak", mode="words")
    assert (hit.start, hit.end) == (42, 51) and len(notes[:hit.start].encode("utf-16-le")) // 2 == 45


# --- results: context, JSON, limit, documents ---------------------------------------------------

def test_context_is_one_line_with_ellipses(project):
    (hit,) = search(project, '"agen menjanjikan"', context=10)
    assert hit.context == "…ja keras. Agen menjanjikan gaji besa…"
    (hit,) = search(project, "saya", mode="words", context=6)
    assert hit.context == "Saya beker…"
    (hit,) = search(project, "dibayar", mode="words", context=6)
    assert hit.context == "… Gaji dibayar."  # the tab before Gaji shown as a space
    assert search(project, "dibayar", context=0)[0].context == "…dibayar…"
    # never cut between a letter and its combining accent: the context is shortened instead
    assert context_of("xe\u0301 kafe", 4, 8, 2) == "… kafe"
    assert context_of("kafe e\u0301x", 0, 4, 2) == "kafe …"
    assert context_of("kafe", 0, 4, 40) == "kafe"


def test_hit_is_frozen_and_has_a_json_form(project):
    hit = search(project, "batam")[0]
    assert hit == Hit("interview.txt", 1, 16, 21, "Batam", hit.context)
    with pytest.raises(AttributeError):
        hit.start = 0
    assert hit.as_json() == {"document": "interview.txt", "start": 16, "end": 21, "text": "Batam",
                             "context": "Saya bekerja di Batam. Pekerjaan itu berat, kerja keras. Agen…"}


def test_limit_and_documents(project):
    everything = search(project, "kerja")
    assert search(project, "kerja", limit=2) == everything[:2]
    assert search(project, "kerja", limit=5) == everything[:5]
    assert search(project, "kerja", limit=0) == []
    assert [h.document for h in search(project, "kerja", documents={2, 3})] == ["notes.txt", "policy.txt"]
    assert search(project, "kerja", documents=set()) == []
    with pytest.raises(ValueError):
        search(project, "kerja", mode="regex")
    with pytest.raises(ValueError):
        search(project, "kerja", limit=-1)


# --- the index follows the documents ------------------------------------------------------------

def test_documents_added_and_deleted_after_the_index_was_built(project):
    assert search(project, "satgas") == []
    doc = add_doc(project, "later.txt", "Satgas TPPO bekerja sama dengan IOM.")
    assert spans(search(project, "satgas")) == [("later.txt", 0, 6, "Satgas")]
    assert spans(search(project, "kerja", documents={doc.id})) == [("later.txt", 14, 19, "kerja")]
    with project.write() as conn:
        conn.execute("DELETE FROM documents WHERE id = ?", (doc.id,))
    assert search(project, "satgas") == [] and search(project, "satgas", mode="words") == []
    assert fts_ok(project.conn, "documents_fts") and fts_ok(project.conn, "documents_trigram")
    # qcode never changes a text, but the update trigger keeps the indexes right if SQL does
    with project.write() as conn:
        conn.execute("UPDATE documents SET text = 'Bandara Soekarno-Hatta' WHERE name = 'policy.txt'")
    assert spans(search(project, "soekarno")) == [("policy.txt", 8, 16, "Soekarno")]
    assert search(project, "paspor") == []
    assert fts_ok(project.conn, "documents_fts") and fts_ok(project.conn, "documents_trigram")


def test_without_the_indexes_every_document_is_read(project):
    with_index = {(q, m): search(project, q, mode=m) for q in ("kerja", "kafe", '"anak anak"', "ja")
                  for m in ("auto", "words", "substring")}
    with project.write() as conn:
        for name in ("documents_fts_delete", "documents_fts_update"):
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute("DROP TABLE documents_fts")
        conn.execute("DROP TABLE documents_trigram")
    for (q, m), hits in with_index.items():
        assert search(project, q, mode=m) == hits


def test_the_folding_tables_agree_with_this_sqlite():
    """The accents and marks the locator folds are exactly those unicode61 folds here."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE w USING fts5(x, tokenize='unicode61 remove_diacritics 2')")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(w, 'instance')")
    points = [*range(0xC0, 0x250), *range(0x300, 0x370), *range(0x1E00, 0x1F00), 0x212B]
    conn.executemany("INSERT INTO w (rowid, x) VALUES (?, ?)", [(cp, f"q{chr(cp)}q") for cp in points])
    terms: dict[int, list[str]] = {}
    for term, doc, _col, _offset in conn.execute("SELECT term, doc, col, offset FROM v"):
        terms.setdefault(doc, []).append(term)
    removed = "".join(chr(cp) for cp in points if terms.get(cp) == ["qq"])
    assert removed == search_module._REMOVED_MARKS
    folded = {chr(cp): terms[cp][0][1:-1] for cp in points
              if len(terms.get(cp, ())) == 1 and terms[cp][0] != "qq"
              and terms[cp][0][1:-1].isascii() and terms[cp][0][1:-1] != chr(cp).lower()}
    expected = {ch: base for base, chars in search_module._ACCENTED.items() for ch in chars}
    assert folded == expected


# --- no input raises ----------------------------------------------------------------------------

NASTY = ['', ' ', '\t\n', '"', '""', '"""', '"kerja', 'kerja"', '*', '**', 'kerja**', '*kerja', '-x', '- -',
         'col:x', 'text:kerja', ':', '^', '^kerja', 'AND', 'OR', 'NOT', 'AND OR NOT', 'kerja AND',
         'OR kerja', 'kerja NOT', 'a OR OR b', 'a NOT NOT b', 'NEAR(kerja gaji, 10)', 'NEAR(', '(', ')',
         '(kerja', 'kerja)', '((()))', '{kerja}', '[kerja]', '+kerja', 'kerja +', '\x00', '\x00kerja',
         'ker\x00ja', '\x1b[31mkerja', '\ud800', 'kerja\udfff', '"\u0301"', '\u0301', '👩\u200d👩',
         'İ', 'ß', 'ǅ', 'a' * 500, ' '.join(['kerja'] * 200), '"' * 201, 'a*b*c', '\\', "'", '%', '_',
         'kerja\n"gaji', '0', '1.500.000', 'agen@contoh.co.id', "Jum'at", 'anak-anak*', '"anak an"*',
         '"" *', 'NOT "', '" OR "', '*"*"*', '\u202e', '\ufeff', '\u2028kerja']


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory):
    with create_project(tmp_path_factory.mktemp("fuzz") / "f.qcode") as p:
        add_doc(p, "interview.txt", INTERVIEW)
        add_doc(p, "notes.txt", NOTES)
        add_doc(p, "odd.txt", 'quote " star * col:x NEAR(a b) AND OR NOT - ^ ( ) \\ İ ß _under_')
        yield p


def check_never_raises(project, terms):
    for mode in ("auto", "words", "substring"):
        hits = search(project, terms, mode=mode, context=5)
        assert isinstance(hits, list)
        assert all(isinstance(hit, Hit) for hit in hits)
        if not terms.strip():
            assert hits == []
        check_slices(project, hits)
        assert hits == sorted(hits, key=lambda h: (h.document_id, h.start, h.end))
        # the FTS5 query built from the input is one SQLite accepts (not merely caught)
        query = parse(terms, mode)
        if query is not None and query.fts() is not None:
            project.conn.execute(f"SELECT count(*) FROM {query.index} WHERE {query.index} MATCH ?",
                                 (query.fts(),)).fetchone()


@pytest.mark.parametrize("terms", NASTY, ids=lambda terms: repr(terms)[:24])
def test_nasty_input_never_raises(fuzz_project, terms):
    check_never_raises(fuzz_project, terms)


SYNTAX = st.sampled_from(['"', "*", "-", ":", "^", "(", ")", " ", "\n", "\x00", "AND", "OR", "NOT",
                          "NEAR", ",", "kerja", "gaji", "é", "\u0301", "İ", "👩"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), st.lists(SYNTAX, max_size=12).map("".join),
                 st.lists(st.one_of(SYNTAX, st.text(max_size=3)), max_size=8).map(" ".join)))
def test_any_input_returns_a_list(fuzz_project, terms):
    check_never_raises(fuzz_project, terms)


@pytest.fixture(scope="module")
def scratch_project(tmp_path_factory):
    with create_project(tmp_path_factory.mktemp("scratch") / "s.qcode") as p:
        yield p


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet="abkerjKERJé -\n", max_size=30), min_size=1, max_size=3),
       st.text(alphabet="abkerjKERJé", min_size=1, max_size=5))
def test_substring_hits_are_every_occurrence(scratch_project, documents, term):
    """Against a plain reference: every case-insensitive occurrence, in every document."""
    p = scratch_project
    with p.write() as conn:
        conn.execute("DELETE FROM documents")  # the delete trigger empties the indexes too
    for i, text in enumerate(documents):
        add_doc(p, f"d{i}.txt", text)
    expected = []
    for i, text in enumerate(documents):
        low, needle, pos = text.lower(), term.lower(), 0
        while (pos := low.find(needle, pos)) >= 0:
            expected.append((f"d{i}.txt", pos, pos + len(term), text[pos:pos + len(term)]))
            pos += len(term)
    assert spans(search(p, term, mode="substring")) == expected


WORDY = "abéE\u0301\u0305İiı_-. \n"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=WORDY, max_size=20), min_size=1, max_size=3),
       st.text(alphabet=WORDY + '"*', min_size=1, max_size=8),
       st.sampled_from(["words", "substring"]))
def test_the_index_and_the_hits_agree(scratch_project, documents, terms, mode):
    """The documents FTS5 returns are exactly those in which Python finds the hits."""
    p = scratch_project
    with p.write() as conn:
        conn.execute("DELETE FROM documents")
    for i, text in enumerate(documents):
        add_doc(p, f"d{i}.txt", text)
    index_pending(p.conn)
    query = parse(terms, mode)
    if query is None or query.fts() is None:
        return
    matched = {row[0] for row in p.conn.execute(
        f"SELECT rowid FROM {query.index} WHERE {query.index} MATCH ?", (query.fts(),))}
    located = {doc_id for doc_id, text in p.conn.execute("SELECT id, text FROM documents")
               if search_module._spans(text, query)}
    assert located <= matched
    if all(term.fts for group in query.groups for term in group):  # short substrings are not indexed
        assert matched == located
    assert {h.document_id for h in search(p, terms, mode=mode)} == located


def test_documents_are_indexed_lazily_before_a_search(project):
    add_doc(project, "one.txt", "Pekerja migran pulang.")
    assert pending(project.conn) >= 1
    indexed = project.conn.execute("SELECT count(*) FROM documents_trigram WHERE documents_trigram MATCH 'kerja'").fetchone()[0]
    assert indexed == 0  # importing does not pay for the index
    assert [h.document for h in search(project, "kerja") if h.document == "one.txt"] == ["one.txt"]
    assert pending(project.conn) == 0 and index_pending(project.conn) == 0
    assert fts_ok(project.conn, "documents_fts") and fts_ok(project.conn, "documents_trigram")
    with project.write() as conn:  # deleting a document that was never indexed leaves the indexes right
        conn.execute("DELETE FROM documents WHERE name = 'one.txt'")
    add_doc(project, "two.txt", "Dua.")
    with project.write() as conn:
        conn.execute("DELETE FROM documents WHERE name = 'two.txt'")
    assert fts_ok(project.conn, "documents_fts") and fts_ok(project.conn, "documents_trigram")
