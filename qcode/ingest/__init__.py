"""One reader per format: bytes in, plain text and metadata out; and the import of files into a project."""

from qcode.ingest.base import Extracted, IngestError
from qcode.ingest.pipeline import FORMATS, ImportOutcome, import_file, read_path

__all__ = ["Extracted", "IngestError", "FORMATS", "ImportOutcome", "import_file", "read_path"]
