"""The action log: one row per user action, with a GUID so that a retried write is not applied twice.

The payload holds what is needed to undo the action (the rows it added, or the rows it changed as
they were before).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from qcode.core.schema import now


def record(conn, kind: str, summary: str, payload: dict[str, Any], coder_id: int | None,
           guid: str | None = None) -> bool:
    """Log an action inside the caller's transaction. False when an action with ``guid`` exists."""
    cur = conn.execute(
        "INSERT INTO actions (guid, at, coder_id, kind, summary, payload) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(guid) DO NOTHING",
        (guid or str(uuid.uuid4()), now(), coder_id, kind, summary,
         json.dumps(payload, ensure_ascii=False, separators=(",", ":"))),
    )
    return cur.rowcount == 1


def already_done(conn, guid: str) -> bool:
    return conn.execute("SELECT 1 FROM actions WHERE guid = ?", (guid,)).fetchone() is not None


def recent(conn, limit: int = 20) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT a.guid, a.at, c.name, a.kind, a.summary, a.undone FROM actions a"
        " LEFT JOIN coders c ON c.id = a.coder_id ORDER BY a.id DESC LIMIT ?", (limit,)).fetchall()
    return [dict(zip(("guid", "at", "coder", "kind", "summary", "undone"), r)) for r in rows]
