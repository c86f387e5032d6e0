"""Errors that reach the user as one clear line."""


class QcodeError(Exception):
    """An error the user can act on; its message is shown as one line, without a traceback."""


class NotFound(QcodeError):
    """A project, document, case, code or coding that does not exist."""


class Refused(QcodeError):
    """An action refused because it would damage or duplicate something."""


class ProjectError(QcodeError):
    """A project file that is missing, not a qcode project, corrupt, read-only or busy."""
