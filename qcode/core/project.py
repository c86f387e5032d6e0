"""A project: one SQLite file holding documents, cases, attributes, codes, codings, memos and coders."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from qcode.core import db as store
from qcode.core import schema
from qcode.core.cases import Attributes, Cases
from qcode.core.coders import coder_id, coder_name
from qcode.core.codes import CodeEditor, Codes
from qcode.core.codings import Codings
from qcode.core.documents import Documents
from qcode.core.errors import ProjectError
from qcode.core.memos import Memos

SUFFIX = ".qcode"


class Project:
    """An open project. One per thread: SQLite connections are not shared between threads."""

    def __init__(self, path: Path, conn, coder: str | None = None):
        self.path = path
        self.conn = conn
        self._db = None
        self.coder = coder_name(coder)
        self.documents = Documents(self)
        self.cases = Cases(self)
        self.attributes = Attributes(self)
        self.codes = Codes(self)
        self.code_editor = CodeEditor(self)
        self.codings = Codings(self)
        self.memos = Memos(self)

    @property
    def db(self):
        """The same connection as a ``sqlite_utils.Database``, for code that wants its API."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    @property
    def name(self) -> str:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'name'").fetchone()
        return row[0] if row else self.path.stem

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.write() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                            (key, value))

    def write(self):
        """A write transaction (``BEGIN IMMEDIATE``); nested calls join the open one."""
        return store.write(self.conn)

    def coder_id(self, name: str | None = None) -> int:
        """The id of coder ``name`` (default: this session's coder), created on first write.

        Not cached: a cached id would outlive the rollback of the transaction that created it.
        """
        name = coder_name(name) if name else self.coder
        with self.write() as conn:
            return coder_id(conn, name)

    def undo(self, coder: str | None = None):
        """Take back this session's coder's last action (see ``qcode.core.undo``)."""
        from qcode.core.undo import undo

        return undo(self, coder)

    def redo(self, coder: str | None = None):
        """Re-apply this session's coder's last undone action (see ``qcode.core.undo``)."""
        from qcode.core.undo import redo

        return redo(self, coder)

    def summary(self) -> dict[str, int]:
        conn = self.conn
        return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("documents", "cases", "codes", "codings", "memos", "coders")}

    def integrity(self) -> str:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0]

    def close(self) -> None:
        store.close(self.conn)

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def create_project(path: str | Path, *, name: str | None = None, coder: str | None = None) -> Project:
    """Create a new, empty project file; refuses to overwrite anything."""
    path = Path(path)
    if path.suffix != SUFFIX:
        raise ProjectError(f"a project file ends in {SUFFIX}: {path}")
    if path.exists():
        raise ProjectError(f"{path} already exists")
    if not path.parent.is_dir():
        raise ProjectError(f"cannot create {path}: folder {path.parent} does not exist")
    conn = store.connect(path, create=True)
    try:
        schema.create(conn, name or path.stem)
    except BaseException:
        store.close(conn)
        path.unlink(missing_ok=True)
        raise
    return Project(path, conn, coder)


def open_project(path: str | Path, *, coder: str | None = None) -> Project:
    """Open an existing project (migrating one made by an older qcode, after a backup)."""
    path = Path(path)
    if not path.exists():
        raise ProjectError(f"no such project: {path}")
    if path.is_file() and path.stat().st_size == 0:
        raise ProjectError(f"{path} is empty: not a qcode project")
    conn = store.connect(path)
    try:
        schema.check_and_migrate(conn, path)
    except BaseException:
        conn.close()
        raise
    return Project(path, conn, coder)


@contextmanager
def opened(path: str | Path, *, coder: str | None = None) -> Iterator[Project]:
    project = open_project(path, coder=coder)
    try:
        yield project
    finally:
        project.close()
