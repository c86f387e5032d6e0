"""Keeping the full-text indexes in step with the documents (schema version 2).

New documents are indexed here, lazily: before a search, or by a background worker after an
import; the triggers in the schema take deleted (and, should SQL change one, updated) documents
out. ``search_indexed`` lists what the indexes hold.
"""

from __future__ import annotations

import sqlite3

from qcode.core.db import write

INDEXES = ("documents_fts", "documents_trigram")


def pending(conn: sqlite3.Connection) -> int:
    """How many documents the indexes do not hold yet."""
    return conn.execute("SELECT count(*) FROM documents WHERE id NOT IN (SELECT document_id FROM search_indexed)"
                        ).fetchone()[0]


def index_pending(conn: sqlite3.Connection) -> int:
    """Index every document not indexed yet, in one transaction; returns how many there were."""
    if not pending(conn):
        return 0
    with write(conn):
        ids = [row[0] for row in conn.execute(
            "SELECT id FROM documents WHERE id NOT IN (SELECT document_id FROM search_indexed) ORDER BY id")]
        for index in INDEXES:
            conn.execute(f"INSERT INTO {index} (rowid, text) SELECT id, text FROM documents"
                         " WHERE id NOT IN (SELECT document_id FROM search_indexed)")
        conn.executemany("INSERT INTO search_indexed (document_id) VALUES (?)", [(i,) for i in ids])
    return len(ids)
