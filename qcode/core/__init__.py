"""The domain model and the SQLite store. Imports nothing but the standard library and sqlite-utils."""

from qcode.core.errors import NotFound, QcodeError, Refused
from qcode.core.project import Project, create_project, open_project

__all__ = ["Project", "create_project", "open_project", "QcodeError", "NotFound", "Refused"]
