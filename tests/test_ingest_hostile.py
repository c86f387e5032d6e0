"""Hostile and broken files, imported into a project: each is refused with one line naming the file,
quickly, and the project is left exactly as it was (the guide's "untrusted files" invariant)."""

from __future__ import annotations

import io
import random
import time
import zipfile
from pathlib import Path

import pytest

from helpers_docs import (minimal_docx, odt_bytes, pdf_bytes, raw_zip, replace_member, w_p, zip_bytes)
from qcode.core import create_project
from qcode.ingest import IngestError, import_file, read_path

EXTENSIONS = [".txt", ".md", ".docx", ".odt", ".rtf", ".pdf", ".html", ".vtt", ".srt"]
_XXE = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
_LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
           + "]>")


@pytest.fixture
def project(tmp_path):
    """A project that already holds one document, so "unchanged" means something."""
    p = create_project(tmp_path / "t.qcode")
    good = tmp_path / "good.txt"
    good.write_text("A document that was here before.\n", encoding="utf-8")
    assert import_file(p, good).status == "imported"
    yield p
    p.close()


def _state(project):
    return (project.summary(), [(d.name, d.characters) for d in project.documents.list()],
            project.conn.execute("SELECT count(*) FROM actions").fetchone()[0])


def refused(project, path: Path, match: str | None = None):
    """Import ``path``; check it is refused well and that the project did not change."""
    before = _state(project)
    started = time.monotonic()
    outcome = import_file(project, path)
    elapsed = time.monotonic() - started
    assert outcome.status == "refused", outcome
    assert "\n" not in outcome.message and "\r" not in outcome.message
    assert outcome.message.startswith(f"cannot import {path.name}: "), outcome.message
    assert len(outcome.message) < 300
    if match:
        assert match in outcome.message, outcome.message
    assert "Traceback" not in outcome.message
    assert elapsed < 5, f"{path.name} took {elapsed:.1f} s to refuse"
    assert _state(project) == before
    assert project.integrity() == "ok"
    assert project.documents.text("good.txt") == "A document that was here before.\n"
    return outcome


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# ------------------------------------------------------------------------------------ XML entities

def test_docx_with_external_entity_is_refused(project, tmp_path):
    data = minimal_docx(w_p("before &xxe; after"), prolog=_XXE)
    outcome = refused(project, _file(tmp_path, "xxe.docx", data), "DOCTYPE")
    assert "root:" not in outcome.message


def test_docx_with_billion_laughs_is_refused(project, tmp_path):
    refused(project, _file(tmp_path, "laughs.docx", minimal_docx(w_p("&lol9;"), prolog=_LAUGHS)), "DOCTYPE")


@pytest.mark.parametrize("codec, label", [("utf-16-be", "UTF-16BE"), ("utf-16-le", "UTF-16LE"),
                                          ("utf-32-le", "UTF-32LE"), ("utf-32-be", "UTF-32BE")])
def test_doctype_hidden_in_a_wide_encoding_is_refused(project, tmp_path, codec, label):
    xml = (f'<?xml version="1.0" encoding="{label}"?>{_XXE}<w:document xmlns:w="http://schemas.openxmlformats'
           '.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>a&xxe;b</w:t></w:r></w:p></w:body></w:document>')
    data = replace_member(minimal_docx(w_p("x")), "word/document.xml", xml.encode(codec))
    refused(project, _file(tmp_path, f"wide-{codec}.docx", data), "DOCTYPE")


def test_doctype_hidden_in_utf7_is_refused(project, tmp_path):
    # "<!DOCTYPE" written as UTF-7 ("+ADw-!DOCTYPE") escapes a byte search; the parser still sees it
    xml = (b'<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE w:document +AFs-+ADw-!ENTITY i +ACI-INNER+ACI-'
           b'+AD4-+AF0-+AD4-<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           b"<w:body><w:p><w:r><w:t>a&i;b</w:t></w:r></w:p></w:body></w:document>")
    data = replace_member(minimal_docx(w_p("x")), "word/document.xml", xml)
    refused(project, _file(tmp_path, "utf7.docx", data), "DOCTYPE")


@pytest.mark.parametrize("part", ["_rels/.rels", "word/_rels/document.xml.rels", "docProps/core.xml"])
def test_doctype_in_any_docx_part_is_refused(project, tmp_path, part):
    base = minimal_docx(w_p("Hello"))
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        names = archive.namelist()
    if part == "word/_rels/document.xml.rels" and part not in names:
        content = ('<?xml version="1.0"?>' + _XXE.replace("w:document", "Relationships")
                   + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>')
    elif part == "docProps/core.xml":
        base = replace_member(base, "_rels/.rels", zipfile.ZipFile(io.BytesIO(base)).read("_rels/.rels").replace(
            b"</Relationships>", b'<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/package/2006/'
            b'relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>'))
        content = ('<?xml version="1.0"?>' + _XXE.replace("w:document", "cp:coreProperties")
                   + '<cp:coreProperties xmlns:cp="urn:x" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                     "<dc:title>&xxe;</dc:title></cp:coreProperties>")
    else:
        content = zipfile.ZipFile(io.BytesIO(base)).read(part).decode()
        content = content.replace("<Relationships", _XXE.replace("w:document", "Relationships") + "<Relationships", 1)
    data = replace_member(base, part, content)
    refused(project, _file(tmp_path, "part.docx", data), "DOCTYPE")


def test_odt_with_doctype_is_refused(project, tmp_path):
    data = odt_bytes("<text:p>a &xxe; b</text:p>",
                     prolog='<!DOCTYPE office:document-content [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
    refused(project, _file(tmp_path, "xxe.odt", data), "DOCTYPE")


def test_odt_meta_with_doctype_is_refused(project, tmp_path):
    data = replace_member(odt_bytes("<text:p>body</text:p>", title="t"), "meta.xml",
                          '<?xml version="1.0"?>' + _LAUGHS + "<office:document-meta "
                          'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>')
    refused(project, _file(tmp_path, "meta.odt", data), "DOCTYPE")


# ------------------------------------------------------------------------------------- zip attacks

@pytest.fixture(scope="session")
def zip_bomb(tmp_path_factory) -> Path:
    """A .docx whose document.xml is 50 MB of zeros deflated to about 50 KB (built once)."""
    good = minimal_docx(w_p("x"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with zipfile.ZipFile(io.BytesIO(good)) as source:
            for info in source.infolist():
                if info.filename != "word/document.xml":
                    archive.writestr(info.filename, source.read(info))
        with archive.open("word/document.xml", "w") as member:
            chunk = bytes(1 << 20)
            for _ in range(50):
                member.write(chunk)
    path = tmp_path_factory.mktemp("bomb") / "bomb.docx"
    path.write_bytes(buffer.getvalue())
    assert path.stat().st_size < 1_000_000
    return path


def test_zip_bomb_is_refused_before_it_expands(project, zip_bomb):
    refused(project, zip_bomb, "zip bomb")


def test_zip_bomb_as_odt_is_refused(project, tmp_path, zip_bomb):
    path = _file(tmp_path, "bomb.odt", zip_bomb.read_bytes())
    refused(project, path, "zip bomb")


def _members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def test_overlapping_members_are_refused(project, tmp_path):
    members = _members(minimal_docx(w_p("Hello")))
    index = [name for name, _ in members].index("word/document.xml")
    central = [(name, i) for i, (name, _) in enumerate(members)] + [("word/footnotes.xml", index)]
    data = raw_zip(members, central=central)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # the zip itself opens: only the check catches it
        assert len(archive.infolist()) == len(members) + 1
    refused(project, _file(tmp_path, "overlap.docx", data), "overlap")


def test_lying_declared_size_is_refused(project, tmp_path):
    members = _members(minimal_docx(w_p("Hello")))
    data = raw_zip(members, declared_sizes={"word/document.xml": 3 * 1024 ** 3})
    refused(project, _file(tmp_path, "liar.docx", data))


@pytest.mark.parametrize("evil", ["../../evil.txt", "word/../../evil.xml", "/etc/evil", "C:/evil.xml",
                                  "..\\evil.txt", "\\abs\\evil.txt"])
def test_unsafe_member_names_are_refused(project, tmp_path, evil):
    data = raw_zip(_members(minimal_docx(w_p("Hello"))) + [(evil, b"x")])
    refused(project, _file(tmp_path, "names.docx", data), "unsafe")
    assert not (tmp_path.parent / "evil.txt").exists()


def test_duplicate_member_names_are_refused(project, tmp_path):
    members = _members(minimal_docx(w_p("Hello")))
    data = raw_zip(members + [("word/document.xml", b"<w:document/>")])
    refused(project, _file(tmp_path, "dup.docx", data), "twice")


def test_too_many_members_are_refused(project, tmp_path):
    members = dict(_members(minimal_docx(w_p("Hello"))))
    members.update({f"junk/{i}.xml": b"" for i in range(5001)})
    refused(project, _file(tmp_path, "many.docx", zip_bytes(members)), "parts")


def test_truncated_docx_is_refused(project, tmp_path):
    data = minimal_docx(w_p("Hello " * 200))
    refused(project, _file(tmp_path, "half.docx", data[: len(data) // 2]))


def test_zip_without_a_document_is_refused(project, tmp_path):
    refused(project, _file(tmp_path, "empty-zip.docx", zip_bytes({"hello.txt": "hi"})), "not a .docx")


def test_deeply_nested_docx_is_refused(project, tmp_path):
    body = "<w:sdt><w:sdtContent>" * 5000 + w_p("deep") + "</w:sdtContent></w:sdt>" * 5000
    refused(project, _file(tmp_path, "deep.docx", minimal_docx(body)), "nested too deeply")


# ---------------------------------------------------------------------------- random, empty, wrong

@pytest.mark.parametrize("suffix", EXTENSIONS)
def test_random_bytes_are_refused(project, tmp_path, suffix):
    data = random.Random(suffix).randbytes(8192)
    refused(project, _file(tmp_path, "random" + suffix, data))


@pytest.mark.parametrize("suffix", EXTENSIONS)
def test_empty_files_are_refused(project, tmp_path, suffix):
    refused(project, _file(tmp_path, "empty" + suffix, b""), "empty")


@pytest.mark.parametrize("suffix", EXTENSIONS)
def test_whitespace_only_files_are_refused(project, tmp_path, suffix):
    refused(project, _file(tmp_path, "blank" + suffix, b" \r\n\t\r\n"), "empty")


def test_pdf_garbage_after_header_is_refused(project, tmp_path):
    data = b"%PDF-1.7\n" + random.Random(7).randbytes(20000)
    refused(project, _file(tmp_path, "garbage.pdf", data), "damaged PDF")


def test_truncated_pdf_is_refused(project, tmp_path):
    data = pdf_bytes([["Some text on a page."]])
    refused(project, _file(tmp_path, "cut.pdf", data[:250]))


def test_encrypted_pdf_is_refused(project, tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes([["Secret words."]]))))
    writer.encrypt(user_password="pw", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    refused(project, _file(tmp_path, "locked.pdf", buffer.getvalue()), "encrypted")


def test_pdf_extension_on_a_docx_is_refused(project, tmp_path):
    refused(project, _file(tmp_path, "really-a-docx.pdf", minimal_docx(w_p("x"))), "no %PDF header")


def test_unknown_extension(project, tmp_path):
    refused(project, _file(tmp_path, "data.xyz", b"some text"), "unsupported file type ('.xyz')")


def test_no_extension(project, tmp_path):
    refused(project, _file(tmp_path, "README", b"some text"), "unsupported file type")


def test_missing_file(project, tmp_path):
    refused(project, tmp_path / "not-here.txt", "no such file")


def test_directory(project, tmp_path):
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    refused(project, folder, "folder")
    plain = tmp_path / "plainfolder"
    plain.mkdir()
    refused(project, plain)


def test_unreadable_file(project, tmp_path):
    import os

    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    path = _file(tmp_path, "locked.txt", b"secret")
    path.chmod(0)
    try:
        refused(project, path, "permission denied")
    finally:
        path.chmod(0o600)


# ------------------------------------------------------------------------- text with terminal junk

def test_txt_with_escape_sequences_bel_and_nul_is_imported_clean(project, tmp_path):
    clean_lines = [f"Line {i}: the respondent described the journey from Kupang to Batam." for i in range(30)]
    dirty = list(clean_lines)
    dirty[2] = "\x1b[31m" + dirty[2] + "\x1b[0m"
    dirty[5] = "\x1b]0;pwned title\x07" + dirty[5]
    dirty[7] = dirty[7] + "\x07\x07"
    dirty[9] = "Line 9:\x00 the respondent\x00 described the journey from Kupang to Batam.\x00"
    dirty[11] = "\x1b]8;;http://evil.example/\x1b\\" + dirty[11] + "\x1b]8;;\x1b\\"
    dirty[13] = "\x1b[2J\x1b[H" + dirty[13]
    path = _file(tmp_path, "terminal.txt", "\r\n".join(dirty).encode("utf-8"))
    before = project.summary()["documents"]
    outcome = import_file(project, path)
    assert outcome.status == "imported", outcome.message
    text = project.documents.text("terminal.txt")
    assert text == "\n".join(clean_lines)
    for junk in ("\x1b", "\x07", "\x00", "[31m", "[0m", "pwned", "evil.example", "[2J"):
        assert junk not in text
    assert project.summary()["documents"] == before + 1
    assert project.documents.get("terminal.txt").characters == len(text)


def test_binary_with_a_txt_name_is_not_text(project, tmp_path):
    data = bytes(range(256)) * 8
    refused(project, _file(tmp_path, "binary.txt", data), "not text")


# ------------------------------------------------------------------------------- deep and strange

def test_html_nested_beyond_the_parser_is_refused_not_emptied(project, tmp_path):
    data = b"<html><body>" + b"<div>" * 100_000 + b"deep" + b"</div>" * 100_000 + b"<p>after</p></body></html>"
    refused(project, _file(tmp_path, "deep.html", data), "nested too deeply")


def test_html_nested_a_little_imports_whole(project, tmp_path):
    data = b"<html><body>" + b"<div><span>" * 100 + b"deep" + b"</span></div>" * 100 + b"<p>after</p></body></html>"
    outcome = import_file(project, _file(tmp_path, "nested.html", data))
    assert outcome.status == "imported", outcome.message
    assert project.documents.text("nested.html") == "deep\nafter"


def test_rtf_deep_braces_do_not_crash(project, tmp_path):
    data = b"{\\rtf1 " + b"{" * 100_000 + b"deep" + b"}" * 100_000 + b"}"
    outcome = import_file(project, _file(tmp_path, "deep.rtf", data))
    assert outcome.status in ("imported", "refused")
    assert "\n" not in outcome.message
    if outcome.status == "imported":
        assert project.documents.text("deep.rtf") == "deep"


def test_vtt_without_header_is_refused(project, tmp_path):
    refused(project, _file(tmp_path, "bad.vtt", b"00:00:01.000 --> 00:00:02.000\nno header\n"), "WebVTT")


def test_srt_without_cues_is_refused(project, tmp_path):
    refused(project, _file(tmp_path, "bad.srt", b"just some words\nand more words\n"))


def test_read_path_raises_one_ingest_error(tmp_path):
    path = _file(tmp_path, "x.docx", random.Random(1).randbytes(100))
    with pytest.raises(IngestError) as caught:
        read_path(path)
    assert "\n" not in str(caught.value)


def test_ingest_error_messages_are_one_line():
    assert str(IngestError("damaged x: Unsupported encoding\n, line 1,\tcolumn 1")) == (
        "damaged x: Unsupported encoding , line 1, column 1")
