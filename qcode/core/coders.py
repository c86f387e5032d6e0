"""Who is coding: ``--coder NAME``, else ``$QCODE_CODER``, else the login name."""

from __future__ import annotations

import getpass
import os
import uuid

from qcode.core.schema import now
from qcode.core.text import clean_name


def coder_name(explicit: str | None = None) -> str:
    for candidate in (explicit, os.environ.get("QCODE_CODER")):
        if candidate and clean_name(candidate):
            return clean_name(candidate)
    try:
        login = clean_name(getpass.getuser())
    except (OSError, KeyError, ImportError):
        login = ""
    return login or "unknown"


def coder_id(conn, name: str) -> int:
    """The id of coder ``name``, created on first use (call inside a write transaction)."""
    row = conn.execute("SELECT id FROM coders WHERE name = ?", (name,)).fetchone()
    if row:
        return row[0]
    cur = conn.execute("INSERT INTO coders (guid, name, created) VALUES (?, ?, ?)",
                          (str(uuid.uuid4()), name, now()))
    return cur.lastrowid
