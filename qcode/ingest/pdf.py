"""PDF, through pypdf, in a child process with a time limit and a memory cap.

pypdf has had a steady stream of denial-of-service bugs (loops on cyclic cross-references, memory
blow-ups in images and streams), so a PDF is parsed in a separate process that is killed after
``TIMEOUT`` seconds and cannot take more than ``MEMORY`` bytes.

Each page's text layer is taken with its layout, and the visual lines are joined back into
paragraphs: a blank line (vertical space) or a line that stops well short of the page's right edge
ends a paragraph; the other lines are joined with a space (without one after a hyphen, which is
kept). Runs of spaces that position text are reduced to one. Every paragraph becomes one line, and
pages follow one another on new lines. ``metadata["pages"]`` holds, for each page, the ``[start, end)``
offsets of its text in the stored document, so citations can name pages. A PDF with no text at all
(a scan) is refused: run OCR on it first.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

from qcode.core.text import normalise
from qcode.ingest.base import Extracted, IngestError

TIMEOUT = 60
MEMORY = 1024 * 1024 * 1024


def read(data: bytes, filename: str) -> Extracted:
    if not data.lstrip()[:5].startswith(b"%PDF"):
        if not data.strip():
            raise IngestError("the file is empty")
        raise IngestError("not a PDF file (no %PDF header)")
    try:
        done = subprocess.run([sys.executable, "-m", "qcode.ingest.pdf_worker", str(MEMORY)], input=data,
                              capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise IngestError(f"the PDF took longer than {TIMEOUT} s to read (damaged, or built to hang readers)") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise IngestError(reason[-1] if reason and done.returncode == 3 else "damaged PDF (the reader failed)")
    result = json.loads(done.stdout)
    return assemble(result["pages"], result.get("title"))


_SPACES = re.compile(r"[ \t\u00a0]+")


def paragraphs(page: str) -> list[str]:
    """Rebuild the paragraphs of one page from its layout text."""
    lines = [line.rstrip() for line in page.split("\n")]
    right_edge = max((len(line) for line in lines), default=0)
    found: list[str] = []
    current = ""
    for line in lines:
        words = _SPACES.sub(" ", line).strip()
        if not words:
            if current:
                found.append(current)
            current = ""
            continue
        if not current:
            current = words
        elif current.endswith("-"):
            current += words
        else:
            current += " " + words
        if len(line) < 0.7 * right_edge:
            found.append(current)
            current = ""
    if current:
        found.append(current)
    return found


def assemble(pages: list[str], title: str | None) -> Extracted:
    """Join page texts into one document, recording where each page starts and ends."""
    parts, spans, offset = [], [], 0
    for page in pages:
        text = "\n".join(paragraphs(normalise(page)))
        if parts and text:
            offset += 1  # the line break between pages
        spans.append([offset, offset + len(text)])
        if text:
            parts.append(text)
        offset += len(text)
    text = "\n".join(parts)
    if not text.strip():
        raise IngestError("no text layer (a scanned PDF? run OCR on it first)")
    return Extracted(text=text, format="pdf", title=title, metadata={"pages": spans})
