"""Every format qcode imports, built small in the test, read to the exact text its reader promises.

Then the third-party files in ../shared/fixtures/third-party (written by pandoc and LibreOffice):
each must hold the same sentences as its source, with no markup left.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from helpers_docs import (THIRD_PARTY, add_footnote, blank_pdf, docx_document, minimal_docx, odt_bytes,
                          pdf_bytes, sentences, w_p, zip_bytes)
from qcode.core import create_project
from qcode.ingest import IngestError, import_file, read_path
from qcode.ingest import docx as docx_reader
from qcode.ingest import html as html_reader
from qcode.ingest import odt as odt_reader
from qcode.ingest import pdf as pdf_reader
from qcode.ingest import rtf as rtf_reader
from qcode.ingest import vtt as vtt_reader


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _no_markup(text: str) -> None:
    for mark in ("<", "{\\", "**", "xmlns", "w:t", "text:p", "&amp;", "&lt;"):
        assert mark not in text, f"{mark!r} left in {text!r}"


# -------------------------------------------------------------------------------------- .txt / .md

def test_txt_exact(tmp_path):
    path = _write(tmp_path, "catatan.txt", "Catatan lapangan\r\n\r\n\tBaris dua — “kutip”.\r\n".encode())
    extracted, _ = read_path(path)
    assert extracted.text == "Catatan lapangan\n\n\tBaris dua — “kutip”.\n"
    assert extracted.format == "txt" and extracted.encoding == "utf-8"


def test_md_kept_verbatim_with_title(tmp_path):
    source = "Intro line\n# Wawancara A\n\n**Pewawancara:** Apa?\n\n| a | b |\n|---|---|\n"
    extracted, _ = read_path(_write(tmp_path, "a.md", source.encode()))
    assert extracted.text == source  # Markdown is the researcher's own writing: kept as typed
    assert extracted.title == "Wawancara A" and extracted.format == "md"


# ------------------------------------------------------------------------------------------- .docx

def _interview_docx() -> bytes:
    def build(document):
        document.core_properties.title = "Interview A"
        document.add_heading("Interview A", level=1)
        document.add_paragraph("Interviewer: Where did you work in 2017FNMARK?")
        paragraph = document.add_paragraph("Respondent: In a factory. ")
        paragraph.add_run("Bold words").bold = True
        paragraph.add_run("\tafter a tab & <angle> brackets.")
        document.add_heading("Numbers", level=2)
        document.add_paragraph("First item", style="List Bullet")
        document.add_paragraph("Second item", style="List Number")
        table = document.add_table(rows=3, cols=3)
        for r, row in enumerate([["Year", "Victims", "Returned"], ["2017", "212", "180"], ["2018", "247", ""]]):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
        document.add_paragraph("")
        closing = document.add_paragraph("Closing remark.")
        if hasattr(document, "add_comment"):
            document.add_comment(closing.runs, text="Check this date", author="Rina", initials="R")

    return add_footnote(docx_document(build), "FNMARK", "Field notes, 3 May 2018.")


def test_docx_exact_text():
    extracted = docx_reader.read(_interview_docx(), "a.docx")
    expected = [
        "Interview A",
        "Interviewer: Where did you work in 2017[1]?",
        "Respondent: In a factory. Bold words\tafter a tab & <angle> brackets.",
        "Numbers",
        "First item",
        "Second item",
        "Year | Victims | Returned",
        "2017 | 212 | 180",
        "2018 | 247 | ",
        "Closing remark.",
        "Footnote 1: Field notes, 3 May 2018.",
    ]
    import docx

    if hasattr(docx.Document(), "add_comment"):
        expected.append("Comment (Rina): Check this date")
    assert extracted.text == "\n".join(expected)
    assert extracted.title == "Interview A"
    assert extracted.format == "docx"


def test_docx_tracked_changes_line_breaks_and_content_controls():
    body = (
        '<w:p><w:r><w:t>Kept </w:t></w:r><w:del w:id="1" w:author="A"><w:r><w:delText>deleted </w:delText>'
        '</w:r></w:del><w:ins w:id="2" w:author="A"><w:r><w:t>inserted</w:t></w:r></w:ins></w:p>'
        '<w:p><w:r><w:t>line one</w:t><w:br/><w:t>line two</w:t><w:br w:type="page"/><w:t> same</w:t></w:r></w:p>'
        '<w:sdt><w:sdtContent><w:p><w:r><w:t>In a content control</w:t></w:r></w:p></w:sdtContent></w:sdt>'
        '<w:p><w:r><w:instrText> HYPERLINK "http://x" </w:instrText></w:r><w:r><w:t>link text</w:t></w:r></w:p>'
        '<w:p><w:r><w:t>non</w:t><w:noBreakHyphen/><w:t>breaking</w:t></w:r></w:p>')
    extracted = docx_reader.read(minimal_docx(body), "b.docx")
    assert extracted.text == ("Kept inserted\nline one\nline two same\nIn a content control\nlink text\n"
                              "non-breaking")


def test_docx_import_into_project(tmp_path):
    project = create_project(tmp_path / "t.qcode")
    try:
        outcome = import_file(project, _write(tmp_path, "interview.docx", _interview_docx()), case="Jakarta")
        assert outcome.status == "imported", outcome.message
        text = project.documents.text("interview.docx")
        assert text.startswith("Interview A\nInterviewer: Where did you work in 2017[1]?\n")
        assert "Year | Victims | Returned\n2017 | 212 | 180" in text
        assert project.documents.get("interview.docx").title == "Interview A"
        again = import_file(project, tmp_path / "interview.docx", name="copy")
        assert again.status == "skipped"
        assert [d.name for d in project.documents.list()] == ["interview.docx"]
    finally:
        project.close()


# -------------------------------------------------------------------------------------------- .odt

_ODT_BODY = (
    '<text:h text:outline-level="1">Wawancara B</text:h>'
    '<text:p>Two<text:s/>words, three<text:s text:c="3"/>spaces, a<text:tab/>tab, a<text:line-break/>break.</text:p>'
    '<text:p>Kami bekerja<text:note text:id="ftn1" text:note-class="footnote">'
    '<text:note-citation>1</text:note-citation><text:note-body><text:p>Catatan lapangan, Mei.</text:p>'
    '</text:note-body></text:note> di pabrik.'
    '<office:annotation><dc:creator>Rina</dc:creator><dc:date>2024-01-01T00:00:00</dc:date>'
    '<text:p>Periksa tanggal</text:p></office:annotation> Selesai &amp; aman.</text:p>'
    '<text:list><text:list-item><text:p>Butir satu</text:p></text:list-item>'
    '<text:list-item><text:p>Butir <text:span>dua</text:span></text:p></text:list-item></text:list>'
    '<table:table table:name="T"><table:table-column table:number-columns-repeated="2"/>'
    '<table:table-header-rows><table:table-row><table:table-cell><text:p>Tahun</text:p></table:table-cell>'
    '<table:table-cell><text:p>Korban</text:p></table:table-cell></table:table-row></table:table-header-rows>'
    '<table:table-row><table:table-cell><text:p>2017</text:p></table:table-cell>'
    '<table:table-cell><text:p>212</text:p></table:table-cell></table:table-row></table:table>'
    '<text:p><text:soft-page-break/>Akhir.<text:bookmark text:name="x"/></text:p>'
    '<text:p/>')


def test_odt_exact_text():
    extracted = odt_reader.read(odt_bytes(_ODT_BODY, title="Wawancara B"), "b.odt")
    assert extracted.text == (
        "Wawancara B\n"
        "Two words, three   spaces, a\ttab, a\nbreak.\n"
        "Kami bekerja[1] di pabrik. Selesai & aman.\n"
        "Butir satu\n"
        "Butir dua\n"
        "Tahun | Korban\n"
        "2017 | 212\n"
        "Akhir.\n"
        "Footnote 1: Catatan lapangan, Mei.\n"
        "Comment (Rina): Periksa tanggal")
    assert extracted.title == "Wawancara B"
    assert extracted.format == "odt"


def test_odt_endnote_and_tracked_deletion():
    body = ('<text:tracked-changes><text:changed-region text:id="c1"><text:deletion>'
            '<text:p>removed words</text:p></text:deletion></text:changed-region></text:tracked-changes>'
            '<text:p>Teks<text:change text:change-id="c1"/> utama<text:note text:note-class="endnote">'
            '<text:note-citation>i</text:note-citation><text:note-body><text:p>Akhir catatan.</text:p>'
            '</text:note-body></text:note>.</text:p>')
    assert odt_reader.read(odt_bytes(body), "c.odt").text == "Teks utama[1].\nEndnote 1: Akhir catatan."


def test_odt_of_another_kind_is_refused():
    data = odt_bytes("<text:p>x</text:p>", mimetype="application/vnd.oasis.opendocument.spreadsheet")
    with pytest.raises(IngestError, match="another kind"):
        odt_reader.read(data, "sheet.odt")


# -------------------------------------------------------------------------------------------- .rtf

_RTF = (r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\froman Times New Roman;}}"
        r"{\info{\title Wawancara C}{\author Peneliti}}{\*\generator Hand 1.0;}" "\n"
        r"\pard\plain Caf\'e9 na\'efve \u8220?kutip\u8221? dan \u1055?\u1088?\u1080? selesai.\par" "\n"
        r"Kedua {\b tebal} paragraf\line dengan baris baru.\par" "\n"
        r"\trowd\cellx1000\cellx2000\pard\intbl Tahun\cell Korban\cell\row" "\n"
        r"\trowd\cellx1000\cellx2000\pard\intbl 2017\cell 212\cell\row" "\n"
        r"\pard Setelah tabel \{kurung\} dan garis miring \\ selesai.\par" "\n"
        r'Tautan {\field{\*\fldinst{HYPERLINK "http://iom.example/"}}{\fldrslt{\ul situs IOM}}} di sini.\par' "\n"
        r"Teks \\cell literal.\par}")


def test_rtf_exact_text():
    extracted = rtf_reader.read(_RTF.encode("latin-1"), "c.rtf")
    assert extracted.text == (
        "Café naïve “kutip” dan При selesai.\n"
        "Kedua tebal paragraf\n"
        "dengan baris baru.\n"
        "Tahun | Korban\n"
        "2017 | 212\n"
        "Setelah tabel {kurung} dan garis miring \\ selesai.\n"
        "Tautan situs IOM di sini.\n"
        "Teks \\cell literal.")
    assert extracted.title == "Wawancara C"
    assert extracted.encoding == "cp1252"


def test_rtf_footnotes_endnotes_and_comments_as_word_writes_them():
    source = (
        r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\froman\fcharset0 Times;}{\f1\fnil\fcharset204 Arial Cyr;}}"
        r"\pard\plain Kami bekerja{\cs17\super \chftn }{\footnote \pard\plain \s15 {\cs17\super \chftn } "
        r"Catatan lapangan, {\i Mei}.\par Paragraf kedua catatan.} di pabrik{\cs17\super \chftn }"
        r"{\footnote\ftnalt \pard\plain {\cs17\super \chftn } Akhir caf\'e9.} selesai.\par"
        r"{\*\atrfstart 1}Kalimat{\*\atrfend 1}{\*\atnid R}{\*\atnauthor Rina Surya}\chatn "
        r"{\*\annotation{\*\atnref 1}{\*\atndate 1}\pard\plain {\chatn } Periksa {\f1 \'cf}.} ini.\par"
        r"\trowd\cellx100\cellx200\pard\intbl A{\cs17\super\chftn}{\footnote \pard\plain {\cs17\super\chftn} Sel.}"
        r"\cell B\cell\row"
        r"\pard Gambar {\pict\bin4 }}{{ hidden\par} terlewati.\par}")
    assert rtf_reader.read(source.encode("latin-1"), "n.rtf").text == (
        "Kami bekerja[1] di pabrik[1] selesai.\n"
        "Kalimat ini.\n"
        "A[2] | B\n"
        "Gambar  terlewati.\n"
        "Footnote 1: Catatan lapangan, Mei. Paragraf kedua catatan.\n"
        "Footnote 2: Sel.\n"
        "Endnote 1: Akhir café.\n"
        "Comment (Rina Surya): Periksa П.")


def test_rtf_footnote_as_pandoc_writes_it():
    source = (r"{\rtf1\ansi\deff0{\fonttbl{\f0 \fswiss Helvetica;}}" "\n"
              r"{\pard \ql \f0 \sa180 \li0 \fi0 Teks dengan catatan{\super\chftn}{\*\footnote\chftn\~\plain\pard"
              r" \ql \f0 \sa180 \li0 \fi0 Isi {\b catatan}.\par}" "\n"
              r" dan lagi.\par}" "\n}")
    assert rtf_reader.read(source.encode("latin-1"), "p.rtf").text == (
        "Teks dengan catatan[1] dan lagi.\nFootnote 1: Isi catatan.")


def test_rtf_other_code_page():
    data = rb"{\rtf1\ansi\ansicpg1251 \'cf\'f0\'e8\'e2\'e5\'f2\par}"
    extracted = rtf_reader.read(data, "ru.rtf")
    assert extracted.text == "Привет" and extracted.encoding == "cp1251"


def test_not_rtf_is_refused():
    with pytest.raises(IngestError, match="not an RTF"):
        rtf_reader.read(b"plain text pretending", "x.rtf")


# -------------------------------------------------------------------------------------------- .pdf

_PAGE_ONE = ["Interviewer: what happened when the recruiter came to the village that year,",
             "and who paid for the documents and the medical check before departure?",
             "",
             "Respondent: the sponsor paid.",
             "Caf\u00e9 (the one by the port) was where we met."]
_PAGE_TWO = ["Second page: the return home (2018)."]


def test_pdf_exact_text_and_page_spans(tmp_path):
    data = pdf_bytes([_PAGE_ONE, _PAGE_TWO], title="Interview PDF")
    extracted, _ = read_path(_write(tmp_path, "i.pdf", data))
    page_one = ("Interviewer: what happened when the recruiter came to the village that year, and who paid for "
                "the documents and the medical check before departure?\n"
                "Respondent: the sponsor paid.\n"
                "Caf\u00e9 (the one by the port) was where we met.")
    page_two = "Second page: the return home (2018)."
    assert extracted.text == page_one + "\n" + page_two
    spans = extracted.metadata["pages"]
    assert [extracted.text[s:e] for s, e in spans] == [page_one, page_two]
    assert extracted.title == "Interview PDF" and extracted.format == "pdf"


def test_pdf_page_spans_survive_import_and_blank_pages(tmp_path):
    data = pdf_bytes([["Page one text."], [], ["Page three text."]])
    project = create_project(tmp_path / "t.qcode")
    try:
        outcome = import_file(project, _write(tmp_path, "three.pdf", data))
        assert outcome.status == "imported", outcome.message
        text = project.documents.text("three.pdf")
        spans = project.documents.get("three.pdf").metadata["pages"]
        assert text == "Page one text.\nPage three text."
        assert [text[s:e] for s, e in spans] == ["Page one text.", "", "Page three text."]
    finally:
        project.close()


def test_pdf_without_text_layer_is_refused(tmp_path):
    with pytest.raises(IngestError, match="no text layer"):
        read_path(_write(tmp_path, "scan.pdf", blank_pdf(2)))


# ------------------------------------------------------------------------------------------- .html

_HTML = """<!DOCTYPE html><html><head><title>  Laporan
 IOM </title><style>p { color: red }</style><script>var x = "<p>no</p>";</script></head>
<body><nav><a href="/">Beranda</a> <a href="/x">Menu</a></nav>
<h1>Laporan   lapangan</h1>
<p>Kami <b>bekerja</b> di
   pabrik &amp; gudang &lt;3.</p>
<p hidden>Rahasia tersembunyi</p><div aria-hidden="true">Teks ikon</div>
<span style="display: none">hilang</span>
<ul><li>Satu</li><li>Dua<br>tiga</li></ul>
<table><tr><th>Tahun</th><th>Korban</th></tr><tr><td>2017</td><td><p>212</p></td></tr></table>
<pre>  kode
    menjorok</pre>
<noscript>aktifkan js</noscript><template><p>templat</p></template>
<p>Akhir &#8212; caf&eacute;.</p><script>document.write("dynamic")</script>
</body></html>"""


def test_html_exact_text():
    extracted = html_reader.read(_HTML.encode(), "r.html")
    assert extracted.text == ("Laporan lapangan\n"
                              "Kami bekerja di pabrik & gudang <3.\n"
                              "Satu\nDua\ntiga\n"
                              "Tahun | Korban\n"
                              "2017 | 212\n"
                              "  kode\n    menjorok\n"
                              "Akhir — café.")
    assert extracted.title == "Laporan IOM"
    for hidden in ("Beranda", "color", "var x", "Rahasia", "ikon", "hilang", "aktifkan", "templat", "dynamic"):
        assert hidden not in extracted.text


def test_html_declared_latin1_is_read_as_windows_1252():
    data = (b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head>'
            b"<body><p>\x93Kutip\x94 \x96 \x9eena caf\xe9, lalu teks berikutnya.</p><p>Paragraf dua.</p></body></html>")
    extracted = html_reader.read(data, "l.html")
    assert extracted.text == "“Kutip” – žena café, lalu teks berikutnya.\nParagraf dua."


# ------------------------------------------------------------------------------------- .vtt / .srt

_VTT = """WEBVTT - Webinar

NOTE a comment
that spans lines

STYLE
::cue { color: red }

intro
00:00:01.000 --> 00:00:04.500 align:start position:10%
<v Chair>Welcome <b>all</b>,
to the <i>meeting</i>.</v>

00:01:05.250 --> 00:01:09.000
<v.loud Speaker A>Prevention &amp; protection &lt;first&gt;.

01:02:03.000 --> 01:02:04.000
Rina: no voice tag <c.yellow>here</c> <00:01:02.500>timed
"""


def test_vtt_exact_text_and_cue_spans():
    extracted = vtt_reader.read(_VTT.encode(), "w.vtt")
    lines = ["[00:00:01] Chair: Welcome all, to the meeting.",
             "[00:01:05] Speaker A: Prevention & protection <first>.",
             "[01:02:03] Rina: no voice tag here timed"]
    assert extracted.text == "\n".join(lines)
    cues = extracted.metadata["cues"]
    assert [extracted.text[c["start"]:c["end"]] for c in cues] == lines
    assert [(c["begin_s"], c["end_s"], c["speaker"]) for c in cues] == [
        (1.0, 4.5, "Chair"), (65.25, 69.0, "Speaker A"), (3723.0, 3724.0, None)]


def test_srt_with_crlf_and_italics(tmp_path):
    data = ("1\r\n00:00:01,000 --> 00:00:02,500\r\n<i>Hello</i> there,\r\nfriend.\r\n\r\n"
            "2\r\n00:00:03,000 --> 00:00:04,000\r\n<b>Rina:</b> <font color=\"red\">Fine</font> {\\an8}too\r\n"
            "\r\n").encode()
    extracted, _ = read_path(_write(tmp_path, "s.srt", data))
    assert extracted.text == "[00:00:01] Hello there, friend.\n[00:00:03] Rina: Fine too"
    assert "\r" not in extracted.text and "<" not in extracted.text
    cues = extracted.metadata["cues"]
    assert [extracted.text[c["start"]:c["end"]] for c in cues] == extracted.text.split("\n")
    assert [(c["begin_s"], c["end_s"]) for c in cues] == [(1.0, 2.5), (3.0, 4.0)]


def test_vtt_cue_spans_hold_in_the_stored_text(tmp_path):
    data = ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ana>one &#27;[31mred&#8232;two\n\n"
            "00:00:03.000 --> 00:00:04.000\n<v Budi>three\n").encode()
    project = create_project(tmp_path / "t.qcode")
    try:
        assert import_file(project, _write(tmp_path, "c.vtt", data)).status == "imported"
        text = project.documents.text("c.vtt")
        cues = project.documents.get("c.vtt").metadata["cues"]
        assert [text[c["start"]:c["end"]] for c in cues] == text.split("\n")
        assert text == "[00:00:01] Ana: one red two\n[00:00:03] Budi: three"  # the escape went whole
    finally:
        project.close()


# ------------------------------------------------------------------------- every format: one test

_ALL = {
    ".txt": lambda: "Satu kalimat.\n".encode(),
    ".md": lambda: "# Judul\n\nSatu kalimat.\n".encode(),
    ".docx": lambda: minimal_docx(w_p("Satu kalimat.")),
    ".odt": lambda: odt_bytes("<text:p>Satu kalimat.</text:p>"),
    ".rtf": lambda: rb"{\rtf1\ansi Satu kalimat.\par}",
    ".pdf": lambda: pdf_bytes([["Satu kalimat."]]),
    ".html": lambda: b"<html><body><p>Satu kalimat.</p></body></html>",
    ".vtt": lambda: b"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nSatu kalimat.\n",
    ".srt": lambda: b"1\n00:00:00,000 --> 00:00:01,000\nSatu kalimat.\n",
}


@pytest.mark.parametrize("suffix", sorted(_ALL))
def test_every_format_imports_into_a_project(tmp_path, suffix):
    project = create_project(tmp_path / "t.qcode")
    try:
        outcome = import_file(project, _write(tmp_path, "doc" + suffix, _ALL[suffix]()))
        assert outcome.status == "imported", outcome.message
        text = project.documents.text("doc" + suffix)
        assert "Satu kalimat." in text
        assert "\r" not in text and "\ufeff" not in text
        _no_markup(text)
        assert project.summary()["documents"] == 1
    finally:
        project.close()


# ------------------------------------------------------------------------------- third-party files

def _third_party(name: str) -> Path:
    path = THIRD_PARTY / name
    if not path.exists():
        pytest.skip(f"{path} is not here (../shared is absent)")
    return path


def _table_cells(markdown: str) -> list[str]:
    cells = []
    for line in markdown.splitlines():
        if line.startswith("|") and not set(line) <= set("|- "):
            cells += [cell.strip() for cell in line.strip("|").split("|")]
    return cells


@pytest.mark.parametrize("name", ["interview-x-pandoc.docx", "interview-x-pandoc.odt", "interview-x-pandoc.rtf",
                                  "interview-x-pandoc.html"])
def test_pandoc_files_hold_the_source_sentences(name):
    source = _third_party("interview-x-task-force.md").read_text("utf-8")
    extracted, _ = read_path(_third_party(name))
    text = extracted.text
    prose = "\n".join(line for line in source.splitlines() if not line.startswith("|"))
    for sentence in sentences(prose):
        assert sentence in text, f"{sentence!r} missing from {name}"
    # the table: every cell is there, and each row reads as a row
    for cell in _table_cells(source):
        assert cell in text
    assert "Year | Victims identified | Returned home" in text
    assert "2017 | 212 | 180" in text and "2018 | 247 | 201" in text
    assert "Interviewer: What does the secretariat need from international partners?" in text.splitlines()
    _no_markup(text)
    assert "---" not in text and "#" not in text


@pytest.mark.parametrize("name", ["wawancara-y-lsm-libreoffice.docx", "wawancara-y-lsm-libreoffice.odt",
                                  "wawancara-y-lsm-libreoffice.pdf"])
def test_libreoffice_files_hold_the_source_lines(name):
    source = _third_party("wawancara-y-lsm.txt").read_text("utf-8")
    extracted, _ = read_path(_third_party(name))
    expected = [line for line in source.splitlines() if line.strip()]
    assert extracted.text.split("\n") == expected  # one paragraph a line, nothing added
    _no_markup(extracted.text)
    if name.endswith(".pdf"):
        spans = extracted.metadata["pages"]
        assert spans[0][0] == 0 and spans[-1][1] == len(extracted.text)


def test_cp1252_crlf_file_imports_to_exactly_the_utf8_text(tmp_path):
    crlf = _third_party("wawancara-y-lsm-cp1252-crlf.txt")
    utf8 = _third_party("wawancara-y-lsm.txt")
    assert b"\r\n" in crlf.read_bytes()
    project = create_project(tmp_path / "t.qcode")
    try:
        first = import_file(project, crlf, name="cp1252")
        second = import_file(project, utf8, name="utf8")
        assert (first.status, second.status) == ("imported", "imported")
        assert project.documents.text("cp1252") == project.documents.text("utf8") == utf8.read_text("utf-8")
        assert project.documents.get("cp1252").encoding == "cp1252"
        assert "—" in project.documents.text("cp1252")
    finally:
        project.close()


def test_third_party_webvtt():
    extracted, _ = read_path(_third_party("webinar-z.vtt"))
    assert extracted.text == (
        "[00:00:00] Chair: Welcome to the webinar on safe migration.\n"
        "[00:00:05] Speaker A: Prevention starts in the village, before the recruiter arrives.\n"
        "[00:00:12] Speaker B: And protection must continue after the worker comes home.")
    assert [c["speaker"] for c in extracted.metadata["cues"]] == ["Chair", "Speaker A", "Speaker B"]


def test_docx_parts_with_unusual_names_are_found_through_relationships():
    source = _third_party("interview-x-pandoc.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members["word/main-part.xml"] = members.pop("word/document.xml")
    members["word/_rels/main-part.xml.rels"] = members.pop("word/_rels/document.xml.rels")
    members["_rels/.rels"] = members["_rels/.rels"].replace(b"word/document.xml", b"word/main-part.xml")
    text = docx_reader.read(zip_bytes(members), "renamed.docx").text
    assert text == docx_reader.read(source, "interview-x-pandoc.docx").text
    assert re.search(r"^2018 \| 247 \| 201$", text, re.MULTILINE)


def test_pdf_reader_refuses_non_pdf_bytes():
    with pytest.raises(IngestError, match="no %PDF header"):
        pdf_reader.read(b"<html>not a pdf</html>", "x.pdf")
