"""The schema of a project file and its migrations (docs/schema.md describes every column).

The schema version lives in ``PRAGMA user_version``; ``PRAGMA application_id`` marks the file as a
qcode project. Opening a project made by an older qcode migrates it, after a full backup beside it.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from qcode.core.errors import ProjectError

APPLICATION_ID = 0x71636F64  # "qcod"
SCHEMA_VERSION = 3

SCHEMA_V1 = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
CREATE TABLE coders (
    id      INTEGER PRIMARY KEY,
    guid    TEXT NOT NULL UNIQUE,
    name    TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL
) STRICT;
CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    guid        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL UNIQUE,
    title       TEXT,
    format      TEXT NOT NULL,
    text        TEXT NOT NULL,
    characters  INTEGER NOT NULL CHECK (characters >= 0),
    sha256      TEXT NOT NULL,
    source_file TEXT NOT NULL,
    bytes       INTEGER NOT NULL,
    encoding    TEXT,
    metadata    TEXT NOT NULL DEFAULT '{}',
    imported    TEXT NOT NULL,
    coder_id    INTEGER REFERENCES coders(id)
) STRICT;
CREATE INDEX documents_sha256 ON documents(sha256);
CREATE TABLE cases (
    id          INTEGER PRIMARY KEY,
    guid        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    created     TEXT NOT NULL
) STRICT;
CREATE TABLE case_documents (
    case_id     INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (case_id, document_id)
) STRICT;
CREATE INDEX case_documents_document ON case_documents(document_id);
CREATE TABLE attributes (
    id          INTEGER PRIMARY KEY,
    guid        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    scope       TEXT NOT NULL CHECK (scope IN ('case', 'document')),
    type        TEXT NOT NULL DEFAULT 'text' CHECK (type IN ('text', 'integer', 'float', 'date', 'boolean')),
    description TEXT NOT NULL DEFAULT '',
    UNIQUE (name, scope)
) STRICT;
CREATE TABLE attribute_values (
    attribute_id INTEGER NOT NULL REFERENCES attributes(id) ON DELETE CASCADE,
    case_id      INTEGER REFERENCES cases(id) ON DELETE CASCADE,
    document_id  INTEGER REFERENCES documents(id) ON DELETE CASCADE,
    value        TEXT NOT NULL,
    CHECK ((case_id IS NULL) <> (document_id IS NULL))
) STRICT;
CREATE UNIQUE INDEX attribute_values_case ON attribute_values(attribute_id, case_id) WHERE case_id IS NOT NULL;
CREATE UNIQUE INDEX attribute_values_document ON attribute_values(attribute_id, document_id) WHERE document_id IS NOT NULL;
CREATE TABLE codes (
    id          INTEGER PRIMARY KEY,
    guid        TEXT NOT NULL UNIQUE,
    parent_id   INTEGER REFERENCES codes(id) ON DELETE RESTRICT,
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0 AND instr(name, '/') = 0),
    position    INTEGER NOT NULL DEFAULT 0,
    color       TEXT,
    shortcut    TEXT,
    description TEXT NOT NULL DEFAULT '',
    codable     INTEGER NOT NULL DEFAULT 1,
    details     TEXT NOT NULL DEFAULT '{}',
    created     TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX codes_name_under_parent ON codes(ifnull(parent_id, 0), name);
CREATE TABLE codings (
    id          INTEGER PRIMARY KEY,
    guid        TEXT NOT NULL UNIQUE,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    code_id     INTEGER NOT NULL REFERENCES codes(id) ON DELETE RESTRICT,
    coder_id    INTEGER NOT NULL REFERENCES coders(id),
    start       INTEGER NOT NULL CHECK (start >= 0),
    "end"       INTEGER NOT NULL CHECK ("end" > start),
    created     TEXT NOT NULL,
    UNIQUE (document_id, code_id, coder_id, start, "end")
) STRICT;
CREATE INDEX codings_code ON codings(code_id);
CREATE INDEX codings_document_start ON codings(document_id, start);
CREATE TABLE memos (
    id          INTEGER PRIMARY KEY,
    guid        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('project', 'document', 'case', 'code', 'coding')),
    document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,
    case_id     INTEGER REFERENCES cases(id) ON DELETE CASCADE,
    code_id     INTEGER REFERENCES codes(id) ON DELETE CASCADE,
    coding_id   INTEGER REFERENCES codings(id) ON DELETE CASCADE,
    title       TEXT NOT NULL DEFAULT '',
    text        TEXT NOT NULL DEFAULT '',
    coder_id    INTEGER REFERENCES coders(id),
    created     TEXT NOT NULL,
    modified    TEXT NOT NULL,
    CHECK ((kind = 'project') = (document_id IS NULL AND case_id IS NULL AND code_id IS NULL AND coding_id IS NULL)),
    CHECK (kind <> 'document' OR document_id IS NOT NULL),
    CHECK (kind <> 'case' OR case_id IS NOT NULL),
    CHECK (kind <> 'code' OR code_id IS NOT NULL),
    CHECK (kind <> 'coding' OR coding_id IS NOT NULL)
) STRICT;
CREATE UNIQUE INDEX memos_one_per_coding ON memos(coding_id) WHERE coding_id IS NOT NULL;
CREATE INDEX memos_document ON memos(document_id) WHERE document_id IS NOT NULL;
CREATE INDEX memos_code ON memos(code_id) WHERE code_id IS NOT NULL;
CREATE TABLE actions (
    id       INTEGER PRIMARY KEY,
    guid     TEXT NOT NULL UNIQUE,
    at       TEXT NOT NULL,
    coder_id INTEGER REFERENCES coders(id),
    kind     TEXT NOT NULL,
    summary  TEXT NOT NULL,
    payload  TEXT NOT NULL DEFAULT '{}',
    undone   INTEGER NOT NULL DEFAULT 0
) STRICT;
"""

# MIGRATIONS[n] takes a project from version n to n + 1. Each runs inside one transaction, after a
# backup of the whole file. (Version 0 is an empty file: creating the schema is migration 0.)
def _run_script(conn: sqlite3.Connection, script: str) -> None:
    # executescript() would COMMIT the open transaction first; run statement by statement instead.
    for statement in script.split(";\n"):
        if statement.strip():
            conn.execute(statement)


# Version 2: full-text search (qcode.analysis.search). Two FTS5 indexes over documents.text, both
# contentless (the text is stored once, in documents; the indexes hold only their terms, and a hit's
# place is found in documents.text): documents_fts finds words (unicode61: case and Latin diacritics
# folded), documents_trigram finds any substring of 3+ characters (case folded), which word search
# cannot do for Indonesian affixes (kerja in bekerja, pekerjaan). Contentless rather than external
# content: FTS5 checks an external-content index against its table, and a project whose newest
# documents are not indexed yet would then fail PRAGMA integrity_check on newer SQLite versions.
#
# Documents are indexed lazily (qcode.core.search_index.index_pending, before a search or in the
# background), not by an insert trigger: the trigram index costs ~10 ms a document, which would
# make importing 400 interviews take four times as long. search_indexed lists the documents the
# indexes hold; the delete and update triggers touch the indexes only for those (a contentless index
# must never be told to delete what it does not hold). Each statement is one string.
SCHEMA_V2_SEARCH = (
    "CREATE VIRTUAL TABLE documents_fts USING fts5(text, content='', tokenize='unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE documents_trigram USING fts5(text, content='', tokenize='trigram case_sensitive 0')",
    "CREATE TABLE search_indexed (document_id INTEGER PRIMARY KEY) STRICT",
    """CREATE TRIGGER documents_fts_delete BEFORE DELETE ON documents
WHEN EXISTS (SELECT 1 FROM search_indexed WHERE document_id = old.id) BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO documents_trigram (documents_trigram, rowid, text) VALUES ('delete', old.id, old.text);
    DELETE FROM search_indexed WHERE document_id = old.id;
END""",
    """CREATE TRIGGER documents_fts_update AFTER UPDATE OF id, text ON documents
WHEN EXISTS (SELECT 1 FROM search_indexed WHERE document_id = old.id) BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO documents_trigram (documents_trigram, rowid, text) VALUES ('delete', old.id, old.text);
    DELETE FROM search_indexed WHERE document_id = old.id;
END""",
)


# Version 3: the excerpts of a code are read from one index. codings_code held only code_id, so
# retrieving a code's 20,000 codings among a million looked up 20,000 scattered table rows; an index
# on (code_id, document_id, start, "end", coder_id) holds every column retrieval reads (the rowid is
# in every index), in document order, and still serves every look-up by code_id.
SCHEMA_V3_CODE_PLACES = (
    'CREATE INDEX codings_code_place ON codings(code_id, document_id, start, "end", coder_id)',
    "DROP INDEX codings_code",
)


def _run_statements(conn: sqlite3.Connection, statements: tuple[str, ...]) -> None:
    for statement in statements:
        conn.execute(statement)


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    lambda conn: _run_script(conn, SCHEMA_V1),
    lambda conn: _run_statements(conn, SCHEMA_V2_SEARCH),
    lambda conn: _run_statements(conn, SCHEMA_V3_CODE_PLACES),
]


def new_guids(count: int) -> list[str]:
    """``count`` random (version 4) GUIDs, made from one read of the system's random source.

    ``uuid.uuid4()`` per row costs a quarter of the time of applying 20,000 codings.
    """
    raw = bytearray(os.urandom(16 * count))
    guids = []
    for i in range(0, 16 * count, 16):
        raw[i + 6] = (raw[i + 6] & 0x0F) | 0x40  # version 4
        raw[i + 8] = (raw[i + 8] & 0x3F) | 0x80  # RFC 4122 variant
        h = raw[i:i + 16].hex()
        guids.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    return guids


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def create(conn: sqlite3.Connection, name: str) -> None:
    """Lay the current schema into an empty database."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for migration in MIGRATIONS:
            migration(conn)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        from qcode import __version__

        conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [
            ("name", name), ("created", now()), ("created_by", f"qcode {__version__}"),
        ])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def check_and_migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a file that is not a qcode project; migrate one made by an older qcode."""
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError:
        raise ProjectError(f"{path} is not a qcode project (not an SQLite database, or damaged)") from None
    if app_id != APPLICATION_ID:
        raise ProjectError(f"{path} is not a qcode project")
    if version > SCHEMA_VERSION:
        raise ProjectError(f"{path} was written by a newer qcode (schema {version}); please update qcode")
    if version == SCHEMA_VERSION:
        return
    backup = path.with_name(f"{path.name}.v{version}-backup")
    if backup.exists():
        backup.unlink()
    conn.execute("VACUUM INTO ?", (str(backup),))
    conn.execute("BEGIN IMMEDIATE")
    try:
        for step in range(version, SCHEMA_VERSION):
            MIGRATIONS[step](conn)
            conn.execute(f"PRAGMA user_version = {step + 1}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
