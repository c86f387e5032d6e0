"""Untrusted zip packages for the readers: the core's checks, failing with ``IngestError``."""

from qcode.core import safezip
from qcode.ingest.base import IngestError


class SafeZip(safezip.SafeZip):
    error = IngestError
