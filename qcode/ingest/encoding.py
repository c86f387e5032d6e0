"""Decoding the bytes of a text file, in a fixed order that real transcripts need.

1. a byte-order mark (UTF-8, UTF-16, UTF-32); a few bad bytes after it (half a character at the
   end of a cut file, a stray byte) are kept as U+FFFD with a warning;
2. UTF-16 without a BOM, recognised by its pattern of NUL bytes (and decoding without error);
3. strict UTF-8;
4. UTF-8 with a few bad bytes, kept as U+FFFD, with a warning;
5. Windows-1252 (charset-normalizer misreads it as cp1250, turning ``ï`` into ``ď``);
6. charset-normalizer's guess, with a warning.

Whatever the route, text full of control characters is refused as "not text" (random bytes).
"""

from __future__ import annotations

import codecs

from qcode.core.text import control_count
from qcode.ingest.base import IngestError

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
]


def _utf16_without_bom(data: bytes) -> str | None:
    if len(data) < 4:
        return None
    even, odd = data[0::2], data[1::2]
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul > 0.3 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def _check_text(text: str) -> str:
    controls = control_count(text)
    if controls > max(4, len(text) // 100):
        raise IngestError("not text (the bytes are binary, or in no encoding qcode can recognise)")
    return text


def decode(data: bytes) -> tuple[str, str, list[str]]:
    """Return (text, encoding, warnings) for the bytes of a text file."""
    if not data.strip(b" \t\r\n\x00"):
        raise IngestError("the file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            found = _decode_declared(data, encoding)
            if found is None:
                raise IngestError(f"not text: it starts with a {encoding} byte-order mark but is not {encoding}")
            return found
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:  # strictly: the NUL pattern of a few bytes is weak evidence
            return _check_text(data.decode(utf16)), utf16, []
        except UnicodeDecodeError:
            pass
    try:
        return _check_text(data.decode("utf-8")), "utf-8", []
    except UnicodeDecodeError:
        pass
    text, bad = _utf8_with_replacements(data)
    good = sum(1 for ch in text if ord(ch) >= 0x80 and ch != "\ufffd")
    if good and bad <= max(3, good // 10):
        warning = f"{bad} byte(s) that are not valid UTF-8 were kept as the replacement character \ufffd"
        return _check_text(text), "utf-8", [warning]
    try:
        return _check_text(data.decode("cp1252")), "cp1252", []
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise IngestError("not text (the bytes are binary, or in no encoding qcode can recognise)")
    return _check_text(str(best)), best.encoding, [
        f"the encoding was guessed as {best.encoding}: check the text"]


def _decode_declared(data: bytes, encoding: str) -> tuple[str, str, list[str]] | None:
    """Decode in the encoding a byte-order mark declares.

    A few bad bytes (a file cut in the middle of a character, a stray byte) are kept as U+FFFD with
    a warning, as for UTF-8 without a BOM; ``None`` when there are too many to be this encoding.
    """
    try:
        return _check_text(data.decode(encoding)), encoding, []
    except UnicodeDecodeError:
        pass
    text = data.decode(encoding, errors="replace")
    bad = text.count("\ufffd") - data.decode(encoding, errors="ignore").count("\ufffd")
    if bad > max(3, len(text) // 100):
        return None
    warning = f"{bad} byte sequence(s) that are not valid {encoding} were kept as the replacement character \ufffd"
    return _check_text(text), encoding, [warning]


def _utf8_with_replacements(data: bytes) -> tuple[str, int]:
    """Decode UTF-8, replacing bad bytes; also return how many replacements that made."""
    text = data.decode("utf-8", errors="replace")
    return text, text.count("\ufffd") - data.count("\ufffd".encode())
