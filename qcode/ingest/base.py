"""What every reader returns, and the one error type readers raise."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from qcode.core.errors import QcodeError

MAX_FILE_BYTES = 200 * 1024 * 1024


class IngestError(QcodeError):
    """A file that cannot be imported; the message says why, in a few words, on one line.

    Messages often quote a parser (lxml, pypdf, webvtt) whose own message may span lines: its
    whitespace is collapsed, so the user always reads one line.
    """

    def __init__(self, message: str = "", *args):
        super().__init__(" ".join(str(message).split()), *args)


@dataclass
class Extracted:
    """Plain text from one file (not yet normalised) with what the file says about itself."""

    text: str
    format: str
    encoding: str | None = None
    title: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def join_lines(lines) -> str:
    """One paragraph a line (a manual line break inside a paragraph also breaks the line); lines that
    hold no text are left out, so structured formats never store empty lines."""
    return "\n".join(part for line in lines for part in line.split("\n") if part.strip())
