"""Plain text (.txt) and Markdown (.md): the text as written, decoded as ``qcode.ingest.encoding`` says.

Markdown is kept verbatim (its ``#`` and ``**`` included): it is the researcher's own writing, and
what they see in their editor is what they code.
"""

from qcode.ingest.base import Extracted
from qcode.ingest.encoding import decode


def read_txt(data: bytes, filename: str) -> Extracted:
    text, encoding, warnings = decode(data)
    return Extracted(text=text, format="txt", encoding=encoding, warnings=warnings)


def read_md(data: bytes, filename: str) -> Extracted:
    text, encoding, warnings = decode(data)
    title = next((line.lstrip("#").strip() for line in text.splitlines() if line.startswith("# ")), None)
    return Extracted(text=text, format="md", encoding=encoding, title=title, warnings=warnings)
