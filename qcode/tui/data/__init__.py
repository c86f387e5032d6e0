"""What the workbench reads and writes, as plain functions that open their own connection.

Textual runs database work in thread workers, and an SQLite connection belongs to one thread: each
call opens the project, does one thing (one transaction when it writes) and closes it. One module
per screen; the coding screen's functions are re-exported here.
"""

from qcode.tui.data.coding import *
from qcode.tui.data.coding import DEFAULT_COLOR  # noqa: F401
