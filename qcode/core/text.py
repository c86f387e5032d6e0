"""Text normalisation and offsets.

Document text is normalised once, at import, and never changes afterwards, so offsets into it never
drift. Offsets are 0-based Unicode code points with an exclusive end (as REFI-QDA counts them): in
Python they are plain ``str`` indices. Never compute them in SQL: ``length()`` stops at NUL.

Normalisation does exactly this and nothing else (no NFC, no whitespace changes):

- byte-order marks at the start are removed (after the steps below, so that normalising twice
  changes nothing);
- ``\\r\\n`` and lone ``\\r`` become ``\\n``; U+2028 and U+2029 become ``\\n``;
- terminal escape sequences (CSI, OSC, and other ESC sequences, 7-bit and 8-bit) are removed whole;
  string sequences (OSC, DCS, SOS, PM, APC) only when they are terminated, so that one stray
  character cannot swallow the rest of a document (an unterminated one loses only its introducer);
- every other C0 and C1 control character except ``\\n`` and ``\\t``, and DEL, is removed.
"""

from __future__ import annotations

import re

# ESC [ params intermediates final  |  ESC ] ... (BEL | ESC \ | end)  |  ESC P/X/^/_ ... ST  |  ESC x
_ESCAPE_SEQUENCE = re.compile(
    r"""
      \x1b\[[0-?]*[ -/]*[@-~]?            # CSI
    | \x9b[0-?]*[ -/]*[@-~]?              # 8-bit CSI
    | \x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)    # OSC, ended by BEL or ST
    | \x9d[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)      # 8-bit OSC
    | \x1b[PX^_][^\x1b\x9c]*(?:\x1b\\|\x9c)         # DCS, SOS, PM, APC
    | [\x90\x98\x9e\x9f][^\x1b\x9c]*(?:\x1b\\|\x9c)   # their 8-bit forms
    | \x1b[ -/]*[0-~]?                   # any other escape (charset selection, RIS, ...)
    """,
    re.VERBOSE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_ENDS = re.compile(r"\r\n?|[\u2028\u2029]")


def normalise(text: str) -> str:
    """Return ``text`` normalised as qcode stores every document."""
    if "\r" in text or "\u2028" in text or "\u2029" in text:
        text = _LINE_ENDS.sub("\n", text)
    if _CONTROL.search(text) is not None:
        text = _ESCAPE_SEQUENCE.sub("", text)
        text = _CONTROL.sub("", text)
    return text.lstrip("\ufeff")


def control_count(text: str) -> int:
    """How many control characters (not tab, line feed, carriage return, form feed, escape) ``text`` holds."""
    return sum(1 for ch in _CONTROL.findall(text) if ch not in "\r\x0c\x1b")


_UNSAFE_IN_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def clean_name(name: str) -> str:
    """A name safe to store and show: no control, bidi-override or zero-width characters; trimmed."""
    return " ".join(_UNSAFE_IN_NAME.sub("", name).split())


def check_span(text_length: int, start: int, end: int) -> None:
    """Raise ``ValueError`` unless ``0 <= start < end <= text_length``."""
    if not (isinstance(start, int) and isinstance(end, int)):
        raise ValueError("start and end must be whole numbers")
    if start < 0 or end > text_length:
        raise ValueError(f"span {start}-{end} lies outside the text (0-{text_length})")
    if start >= end:
        raise ValueError(f"span {start}-{end} is empty: the end must be after the start")


def line_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of each line (paragraph) of ``text``, without the ``\\n``."""
    spans, start = [], 0
    for match in re.finditer("\n", text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans
