"""Transcripts with timed cues (.vtt, .srt): one line per cue, ``[hh:mm:ss] Speaker: text``.

The speaker comes from a WebVTT voice tag (``<v Chair>``); in cues without one, a leading
``Name:`` stays as it is in the text. The lines of a cue are joined with a space; markup tags inside
cues are removed. ``metadata["cues"]`` holds, for each line, ``[start, end)`` offsets in the stored
text with the cue's start and end in seconds and its speaker, so citations can give timestamps.
"""

from __future__ import annotations

import io
import re

import webvtt
from webvtt.errors import MalformedFileError

from qcode.core.text import normalise
from qcode.ingest.base import Extracted, IngestError
from qcode.ingest.encoding import decode

_TAG = re.compile(r"</?[a-zA-Z][^>]*>|\{\\[^}]*\}")


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
        words = " ".join(_TAG.sub("", caption.text).split())
        if not words:
            continue
        speaker = (getattr(caption, "voice", None) or "").strip() or None
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
