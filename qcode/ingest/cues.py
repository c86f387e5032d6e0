"""Transcripts with timed cues (.vtt, .srt): one line per cue, ``[hh:mm:ss] Speaker: text``.

The speaker comes from a WebVTT voice tag (``<v Chair>``); in cues without one, a leading
``Name:`` stays as it is in the text. The lines of a cue are joined with a space; markup tags inside
cues (and timestamps such as ``<00:01:02.500>``) are removed, and character references such as
``&amp;`` become the characters they stand for. ``metadata["cues"]`` holds, for each line,
``[start, end)`` offsets in the stored text with the cue's start and end in seconds and its speaker,
so citations can give timestamps.
"""

from __future__ import annotations

import html.entities
import io
import re

import webvtt
from webvtt.errors import MalformedFileError

from qcode.core.text import normalise
from qcode.ingest.base import Extracted, IngestError
from qcode.ingest.encoding import decode

_TAG = re.compile(r"</?[a-zA-Z][^>]*>|\{\\[^}]*\}|<\d[\d:.]*>")
# character references, as WebVTT writes ``&amp;`` ``&lt;`` ``&#8217;``: only complete ones, ended by ";"
_REFERENCE = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));")


def _unescape(match: re.Match) -> str:
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        return html.entities.html5.get(name + ";", match.group(0))
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return chr(code)


def clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def _seconds(stamp: str) -> float:
    parts = stamp.replace(",", ".").split(":")
    total = 0.0
    for part in parts:
        total = total * 60 + float(part)
    return round(total, 3)


def read_cues(data: bytes, kind: str) -> Extracted:
    text, encoding, warnings = decode(data)
    text = normalise(text)
    try:
        captions = webvtt.WebVTT.from_buffer(io.StringIO(text), format=kind).captions
    except (MalformedFileError, ValueError, IndexError, TypeError) as exc:
        raise IngestError(f"not a valid {'WebVTT' if kind == 'vtt' else 'SubRip'} file ({exc})") from None
    lines, cues, offset = [], [], 0
    for caption in captions:
        # normalised again after the references are resolved (``&#27;`` is an escape), so that the
        # offsets below hold in the stored text
        words = " ".join(normalise(_REFERENCE.sub(_unescape, _TAG.sub("", caption.text))).split())
        if not words:
            continue
        voice = _REFERENCE.sub(_unescape, getattr(caption, "voice", None) or "")
        speaker = " ".join(normalise(voice).split()) or None
        start, end = _seconds(caption.start), _seconds(caption.end)
        line = f"[{clock(start)}] {speaker}: {words}" if speaker else f"[{clock(start)}] {words}"
        if lines:
            offset += 1
        cues.append({"start": offset, "end": offset + len(line), "begin_s": start, "end_s": end,
                     "speaker": speaker})
        lines.append(line)
        offset += len(line)
    if not lines:
        raise IngestError("no cues with text")
    return Extracted(text="\n".join(lines), format=kind, encoding=encoding, metadata={"cues": cues},
                     warnings=warnings)
