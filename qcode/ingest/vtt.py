"""WebVTT transcripts (.vtt): see ``qcode.ingest.cues`` for what they become."""

from qcode.ingest.base import Extracted
from qcode.ingest.cues import read_cues


def read(data: bytes, filename: str) -> Extracted:
    return read_cues(data, "vtt")
