"""Connections and transactions.

One connection per thread. The store works on plain ``sqlite3`` connections; ``Project.db`` wraps
the same connection in a ``sqlite_utils.Database`` for code that wants its API. Every connection runs in WAL mode with foreign keys on, a busy timeout,
``synchronous=FULL`` (a committed coding survives a power cut) and ``secure_delete`` (deleted text
leaves no trace in the file). Every write runs inside ``BEGIN IMMEDIATE``: a plain ``BEGIN`` fails
under a second writer despite the busy timeout, because SQLite cannot wait on a lock upgrade.
"""

from __future__ import annotations

import random
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from qcode.core.errors import ProjectError

BUSY_TIMEOUT_MS = 10_000
_RETRIES = 5


def connect(path: Path, *, create: bool = False) -> sqlite3.Connection:
    """Open the SQLite file at ``path`` with qcode's settings."""
    if not create and not path.exists():
        raise ProjectError(f"no such project: {path}")
    if path.is_dir():
        raise ProjectError(f"{path} is a folder, not a qcode project")
    try:
        # isolation_level=None: we issue BEGIN IMMEDIATE / COMMIT ourselves.
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=True)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            _with_retry(lambda: conn.execute("PRAGMA journal_mode = WAL"))
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA secure_delete = ON")
    except sqlite3.DatabaseError as exc:
        raise ProjectError(_describe(path, exc)) from None
    return conn


def _describe(path: Path, exc: sqlite3.Error) -> str:
    text = str(exc)
    if "file is not a database" in text or "malformed" in text:
        return f"{path} is not a qcode project (not an SQLite database, or damaged)"
    if "readonly" in text or "read-only" in text:
        return f"{path} is read-only: qcode needs to write to it"
    if "locked" in text or "busy" in text:
        return f"{path} is busy: another program has held it for more than {BUSY_TIMEOUT_MS / 1000:g} s"
    if "unable to open" in text:
        return f"cannot open {path}: check that its folder exists and is writable"
    return f"{path}: {text}"


def _with_retry(operation):
    """Run ``operation``, retrying a "locked" or "busy" error that came back at once.

    An error after the whole busy timeout means another program really holds the file: that one
    is not retried. An immediate one (a lock upgrade SQLite refuses to wait for, or a WAL being
    recovered) usually clears within milliseconds.
    """
    for attempt in range(_RETRIES):
        started = time.monotonic()
        try:
            return operation()
        except sqlite3.OperationalError as exc:
            quick = time.monotonic() - started < BUSY_TIMEOUT_MS / 2000
            if ("locked" not in str(exc) and "busy" not in str(exc)) or not quick or attempt == _RETRIES - 1:
                raise
            time.sleep(0.02 * (attempt + 1) + random.random() * 0.05)


@contextmanager
def write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction: ``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any error.

    Transactions do not nest: a function that writes takes part in its caller's transaction when one
    is already open (``in_transaction``), so an action made of several writes commits once.
    """
    if conn.in_transaction:
        yield conn
        return
    try:
        _with_retry(lambda: conn.execute("BEGIN IMMEDIATE"))
    except sqlite3.OperationalError as exc:
        raise ProjectError(_describe(Path(db_path(conn)), exc)) from None
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        try:
            conn.execute("COMMIT")
        except sqlite3.Error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def db_path(conn: sqlite3.Connection) -> str:
    row = conn.execute("PRAGMA database_list").fetchone()
    return row[2] if row else "?"


def close(conn: sqlite3.Connection) -> None:
    """Checkpoint the WAL into the main file and close, so a closed project is one file."""
    try:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error:
        pass  # another connection still reads: the WAL is checkpointed when the last one closes
    finally:
        conn.close()
