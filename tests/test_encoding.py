"""The encoding ladder for text files (qcode.ingest.encoding.decode) and what .txt import makes of it."""

from __future__ import annotations

import codecs
import random

import pytest

from qcode.ingest import IngestError, read_path
from qcode.ingest.encoding import decode

TEXT = "Wawancara: “kutip” — naïve café, Rp 5.000 … selesai.\nBaris dua: pekerja migran.\n"


@pytest.mark.parametrize("data, encoding", [
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
    (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
    (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
    (codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"), "utf-32"),
    (codecs.BOM_UTF32_BE + TEXT.encode("utf-32-be"), "utf-32"),
], ids=["utf-8-sig", "utf-16-le-bom", "utf-16-be-bom", "utf-32-le-bom", "utf-32-be-bom"])
def test_byte_order_marks(data, encoding):
    text, found, warnings = decode(data)
    assert text == TEXT  # the BOM itself is not part of the text
    assert found == encoding
    assert warnings == []


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(codec):
    text, found, warnings = decode(TEXT.encode(codec))
    assert (text, found, warnings) == (TEXT, codec, [])


def test_strict_utf8():
    assert decode(TEXT.encode("utf-8")) == (TEXT, "utf-8", [])


def test_utf8_with_three_bad_bytes_keeps_them_as_replacement_characters():
    data = "“Kutip” awal ".encode() + b"\xff" + "tengah “dua” ".encode() + b"\xfe\xc0" + " akhir naïve café".encode()
    text, found, warnings = decode(data)
    assert text == "“Kutip” awal \ufffdtengah “dua” \ufffd\ufffd akhir naïve café"
    assert found == "utf-8"
    assert len(warnings) == 1 and "3" in warnings[0] and "\ufffd" in warnings[0]


def test_cp1252_indonesian_and_french_keeps_i_diaeresis():
    source = ("Narasumber: Saya naïf soal ‘kontrak’ itu — “Rp 5.000.000” … katanya.\n"
              "Le maïs, la naïveté, Noël, œuvre, façade, déjà.\n")
    text, found, warnings = decode(source.encode("cp1252"))
    assert text == source
    assert found == "cp1252"
    assert warnings == []
    assert "ď" not in text and "ï" in text


def test_short_cp1252_cafe():
    assert decode("café".encode("cp1252")) == ("café", "cp1252", [])


@pytest.mark.parametrize("seed, size", [(1, 4096), (2, 600), (3, 64 * 1024)])
def test_random_bytes_are_not_text(seed, size):
    data = random.Random(seed).randbytes(size)
    with pytest.raises(IngestError, match="not text"):
        decode(data)


@pytest.mark.parametrize("data", [b"", b"   ", b"\r\n\r\n", b"\x00\x00"])
def test_empty_is_refused(data):
    with pytest.raises(IngestError, match="empty"):
        decode(data)


def test_utf8_bom_with_a_stray_byte_is_kept_with_a_warning():
    text, found, warnings = decode(codecs.BOM_UTF8 + TEXT.encode() + b"\xff")
    assert text == TEXT + "\ufffd"
    assert found == "utf-8-sig" and len(warnings) == 1


def test_utf16_with_bom_cut_in_half_a_character_keeps_the_rest():
    data = codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le") + b"a"  # one byte too many: a cut file
    text, found, warnings = decode(data)
    assert text == TEXT + "\ufffd"
    assert found == "utf-16" and len(warnings) == 1


def test_a_bom_on_bytes_of_another_kind_is_refused():
    with pytest.raises(IngestError, match="not text"):
        decode(codecs.BOM_UTF8 + bytes(range(0x80, 0x100)) * 4)


def test_nul_padded_ascii_is_not_mistaken_for_utf16():
    text, found, _ = decode(b"abc\x00def")
    assert text == "abc\x00def" and found == "utf-8"


@pytest.mark.parametrize("name, data, expected", [
    ("crlf-cp1252.txt", "Baris satu: naïve\r\nBaris dua: café\r\n".encode("cp1252"),
     "Baris satu: naïve\nBaris dua: café\n"),
    ("bom-crlf.txt", codecs.BOM_UTF8 + "Satu\r\nDua\rTiga\u2028Empat".encode(), "Satu\nDua\nTiga\nEmpat"),
    ("utf16.txt", "Satu\r\nDua “kutip”\r\n".encode("utf-16"), "Satu\nDua “kutip”\n"),
    ("notes.md", "# Catatan\r\n\r\n**Tebal** dan _miring_\r\n".encode("cp1252"),
     "# Catatan\n\n**Tebal** dan _miring_\n"),
])
def test_text_files_import_normalised(tmp_path, name, data, expected):
    path = tmp_path / name
    path.write_bytes(data)
    extracted, raw = read_path(path)
    assert extracted.text == expected
    assert raw == data
    if name.endswith(".md"):
        assert extracted.title == "Catatan"
