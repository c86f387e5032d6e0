"""Going to a place in a document as a researcher names it: a paragraph, a line, a page or a time."""

from __future__ import annotations

import bisect
import re

from qcode.analysis.retrieval import Locator

_TIME = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,]\d+)?$")
_KINDS = {"": "paragraph", "p": "paragraph", "para": "paragraph", "paragraph": "paragraph", "¶": "paragraph",
          "l": "line", "line": "line", "page": "page", "pg": "page", "hal": "page", "halaman": "page"}
_NUMBERED = re.compile(r"^(?P<kind>[^\d\s]*)\s*(?P<number>\d+)$")

HELP = "a paragraph number (12), a line (line 40), a page (page 3) or a time (1:02:03 or 12:30)"


def seconds(typed: str) -> float | None:
    """``hh:mm:ss`` or ``mm:ss`` (with optional fractions) as seconds, or None."""
    match = _TIME.match(typed.strip())
    if match is None:
        return None
    hours, minutes, secs = (int(g) if g else 0 for g in match.groups())
    if minutes >= 60 and match.group(1) or secs >= 60:
        return None
    return hours * 3600 + minutes * 60 + secs


def place_offset(locator: Locator, typed: str) -> int:
    """The offset that ``typed`` names (see ``HELP``); ValueError with a message saying why not."""
    typed = typed.strip().casefold()
    if not typed:
        raise ValueError(f"type {HELP}")
    at = seconds(typed)
    if at is not None:
        if not locator.cues:
            raise ValueError("this document has no timestamps")
        begins = [float(cue.get("begin_s") or 0) for cue in locator.cues]
        index = max(0, bisect.bisect_right(begins, at) - 1)
        return int(locator.cues[index]["start"])
    match = _NUMBERED.match(typed)
    kind = _KINDS.get(match.group("kind").rstrip(".")) if match else None
    if kind is None:
        raise ValueError(f"not a place: {typed!r}; type {HELP}")
    number = int(match.group("number"))
    if kind == "line":
        if not 1 <= number <= len(locator.line_starts):
            raise ValueError(f"line {number} is not in this document (it has {len(locator.line_starts)})")
        return locator.line_starts[number - 1]
    if kind == "page":
        if not locator.pages:
            raise ValueError("this document has no pages")
        if not 1 <= number <= len(locator.pages):
            raise ValueError(f"page {number} is not in this document (it has {len(locator.pages)})")
        return locator.pages[number - 1]
    try:
        line = locator.paragraph_numbers.index(number)
    except ValueError:
        last = max(locator.paragraph_numbers, default=0)
        raise ValueError(f"paragraph {number} is not in this document (it has {last})") from None
    return locator.line_starts[line]
