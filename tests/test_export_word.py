"""The Word export of excerpts and of memos: structure, quotations, citations, styles, anonymising."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest

from qcode.analysis.retrieval import Filters, excerpts
from qcode.codebook.apply import apply
from qcode.codebook.model import Codebook, CodebookCode
from qcode.core import QcodeError, create_project
from qcode.core.codings import CodingRequest
from qcode.export.anonymize import Anonymizer
from qcode.export.citation import Citer, parse_template
from qcode.export.memos import export_memos_word
from qcode.export.word import SQUARE, export_word
from qcode.ingest import import_file

INTERVIEW = ("Q: How did the work with IOM start?\n"
             "\n"
             "Budi Santoso: The ministry asked IOM to train our inspectors in Kupang.\n"
             "They came twice.\n"
             "\n"
             "Q: Who paid?\n"
             "Budi Santoso: IOM paid from its own fund & the donor <UK> agreed.\n")
VTT = ("WEBVTT\n\n"
       "00:00:05.000 --> 00:00:09.000\n<v Moderator>Welcome to the focus group.\n\n"
       "00:00:21.500 --> 00:00:30.000\n<v Siti Aminah>I went to Malaysia through an agent in Kupang.\n\n"
       "00:01:02.000 --> 00:01:10.000\n<v Budi Santoso>The agent kept our passports.\n")
EMOJI = "Ibu berkata: \U0001F469\U0001F3FD\u200D\U0001F33E saya bekerja di kafe\u0301 dekat pelabuhan.\n"
PAGE_ONE = "Page one paragraph.\nSecond paragraph on page one."
PAGE_TWO = "Page two starts here with Siti Aminah quoted."
REPORT = PAGE_ONE + "\n" + PAGE_TWO

NAMES = [("Siti Aminah", "Informant A"), ("Siti", "Informant A"), ("Budi Santoso", "Informant B"),
         ("Budi", "Informant B"), ("Kupang", "City K")]
REAL_NAMES = ("siti", "aminah", "budi", "santoso", "kupang")

HEADINGS = [("Heading 1", "Roles"), ("Heading 2", "Instrument"), ("Heading 2", "Arena"), ("Heading 3", "Regional"),
            ("Heading 1", "Actors"), ("Heading 2", "Police"), ("Heading 1", "Appendix A. Codebook"),
            ("Heading 1", "Appendix B. Documents and cases"), ("Heading 2", "Cases")]


def codebook() -> Codebook:
    return Codebook(title="Test codebook", version="2.1", codes=[
        CodebookCode("Roles", codable=False, color="#112233", name_id="Peran", definition="The roles of an IO.",
                     when_to_use="Code a child.", when_not_to_use="Never directly.", children=[
                         CodebookCode("Instrument", color="#5FAFFF", name_id="Instrumen",
                                      definition="Used by the state for its own aims."),
                         CodebookCode("Arena", color="#00AA00", definition="A meeting place.", children=[
                             CodebookCode("Regional", color="#AA0000", definition="A regional arena.")]),
                     ]),
        CodebookCode("Actors", codable=False, children=[CodebookCode("Police", definition="The police.")]),
        CodebookCode("Unused", definition="Never applied."),
    ])


def span(text: str, quote: str, after: str = "") -> tuple[int, int]:
    start = text.index(quote, text.index(after) if after else 0)
    return start, start + len(quote)


@pytest.fixture
def coded(tmp_path):
    """A small coded project: overlapping, nested and shared spans, a transcript, emoji, a PDF's pages."""
    project = create_project(tmp_path / "coded.qcode", name="Study of Budi Santoso", coder="DH")
    apply(project, codebook())
    project.documents.add(name="interview-a.txt", title="Interview A", text=INTERVIEW, format="txt",
                          sha256="a", source_file="interview-a.txt", size=len(INTERVIEW), case="Budi Santoso")
    vtt = tmp_path / "focus-group-e.vtt"
    vtt.write_text(VTT, encoding="utf-8")
    outcome = import_file(project, vtt, case="Returned workers", title="Focus group E")
    assert outcome.status == "imported", outcome.message
    project.documents.add(name="emoji.txt", text=EMOJI, format="txt", sha256="e", source_file="emoji.txt",
                          size=len(EMOJI.encode()))
    project.documents.add(name="report.pdf", title="Policy report 2019", text=REPORT, format="pdf", sha256="r",
                          source_file="report.pdf", size=1,
                          metadata={"pages": [[0, len(PAGE_ONE)], [len(PAGE_ONE) + 1, len(REPORT)]]})
    project.attributes.set("case", "Budi Santoso", "organisation", "IOM")
    project.attributes.set("case", "Budi Santoso", "province", "Kupang")
    project.attributes.set("document", "interview-a.txt", "language", "id")
    project.cases.get("Returned workers")
    transcript = project.documents.text("focus-group-e.vtt")

    s = {
        "ministry": span(INTERVIEW, "The ministry asked IOM to train our inspectors in Kupang.\nThey came twice."),
        "asked": span(INTERVIEW, "asked IOM to train"),
        "paid": span(INTERVIEW, "Budi Santoso: IOM paid from its own fund & the donor <UK>"),
        "fund": span(INTERVIEW, "its own fund & the donor <UK> agreed."),
        "malaysia": span(transcript, "I went to Malaysia through an agent in Kupang."),
        "emoji": span(EMOJI, "\U0001F469\U0001F3FD\u200D\U0001F33E saya bekerja di kafe\u0301"),
        "accent": span(EMOJI, "\u0301 dekat"),
        "page2": span(REPORT, "Page two starts here"),
        "across": span(REPORT, "page one.\nPage two"),
    }
    requests = [
        CodingRequest("interview-a.txt", *s["ministry"], "Roles/Instrument",
                      memo="Check with Budi\x07 later\ufffe."),
        CodingRequest("interview-a.txt", *s["ministry"], "Roles/Arena"),
        CodingRequest("interview-a.txt", *s["asked"], "Roles/Arena"),
        CodingRequest("interview-a.txt", *s["paid"], "Roles/Arena/Regional"),
        CodingRequest("interview-a.txt", *s["fund"], "Actors/Police", memo="Line one\nline two"),
        CodingRequest("focus-group-e.vtt", *s["malaysia"], "Roles/Arena"),
        CodingRequest("emoji.txt", *s["emoji"], "Roles/Instrument"),
        CodingRequest("emoji.txt", *s["accent"], "Actors/Police"),
        CodingRequest("report.pdf", *s["page2"], "Roles/Arena/Regional"),
        CodingRequest("report.pdf", *s["across"], "Actors/Police"),
    ]
    project.codings.add_many(requests)
    # a second coder codes the same span with the same code: one excerpt, two coders
    project.codings.add_many([CodingRequest("interview-a.txt", *s["ministry"], "Roles/Instrument", coder="AB")])
    project.memos.add("project", None, "About Siti Aminah.\n\nSecond block.", title="Project notes")
    project.memos.add("document", "interview-a.txt", "Budi spoke freely.")
    project.memos.add("case", "Budi Santoso", "A case memo.")
    project.memos.add("code", "Roles/Arena", "Arena memo.", title="On arenas")
    project.texts = {"interview": INTERVIEW, "transcript": transcript, "emoji": EMOJI, "report": REPORT}
    project.spans = s
    yield project
    project.close()


def text_of(project, name: str, key: str) -> str:
    start, end = project.spans[key]
    return project.texts[name][start:end]


def expected_sections(project) -> dict[str, list[tuple[str, str]]]:
    """Per code: (quotation, citation) in document order, with the default citation."""
    t = lambda name, key: text_of(project, name, key)
    return {
        "Roles": [],
        "Instrument": [
            (t("interview", "ministry"), "Budi Santoso - Interview A, paragraphs 2-3 - coded by DH, AB"),
            (t("emoji", "emoji"), "emoji.txt, paragraph 1 - coded by DH"),
        ],
        "Arena": [
            (t("interview", "ministry"), "Budi Santoso - Interview A, paragraphs 2-3 - coded by DH"),
            (t("interview", "asked"), "Budi Santoso - Interview A, paragraph 2 - coded by DH"),
            (t("transcript", "malaysia"), "Returned workers - Focus group E, 00:00:21 - coded by DH"),
        ],
        "Regional": [
            (t("interview", "paid"), "Budi Santoso - Interview A, paragraph 5 - coded by DH"),
            (t("report", "page2"), "Policy report 2019, p. 2, paragraph 3 - coded by DH"),
        ],
        "Actors": [],
        "Police": [
            (t("interview", "fund"), "Budi Santoso - Interview A, paragraph 5 - coded by DH"),
            (t("emoji", "accent"), "emoji.txt, paragraph 1 - coded by DH"),
            (t("report", "across"), "Policy report 2019, pp. 1-2, paragraphs 2-3 - coded by DH"),
        ],
    }


def heading_text(paragraph) -> str:
    return paragraph.text.removeprefix(SQUARE).strip()


def sections(document) -> dict[str, dict]:
    """The code sections of an export: per heading, its paragraphs by kind, in order."""
    found: dict[str, dict] = {}
    current = None
    started = False
    for paragraph in document.paragraphs:
        style = paragraph.style.name
        if style.startswith("Heading"):
            name = heading_text(paragraph)
            if name.startswith("Appendix"):
                break
            started = True
            current = found.setdefault(name, {"level": style, "lines": [], "pairs": [], "memos": []})
            continue
        if not started or current is None:
            continue
        if style == "Quote":
            current["pairs"].append([paragraph.text, None])
        elif style == "Caption":
            current["pairs"][-1][1] = paragraph.text
        elif paragraph.text.startswith("Memo: "):
            current["memos"].append(paragraph.text.removeprefix("Memo: "))
        elif paragraph.text:
            current["lines"].append(paragraph.text)
    return found


def xml_parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()
                if name.endswith((".xml", ".rels"))}


def test_structure_quotations_and_default_citations(coded, tmp_path):
    out = tmp_path / "excerpts.docx"
    counts = export_word(coded, out)
    assert counts == {"excerpts": 10, "codings": 11, "codes": 4, "documents": 4, "cases": 2}
    document = docx.Document(str(out))
    headings = [(p.style.name, heading_text(p)) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == HEADINGS  # codebook order; "Unused" has no excerpts, so no heading
    found = sections(document)
    expected = expected_sections(coded)
    assert list(found) == list(expected)
    for code, pairs in expected.items():
        assert [tuple(pair) for pair in found[code]["pairs"]] == pairs, code
        assert found[code]["memos"] == []  # memos only when asked for
    assert found["Roles"]["lines"] == ["The roles of an IO.", "7 excerpts from 4 documents, 2 cases"]
    assert found["Instrument"]["lines"] == ["Used by the state for its own aims.", "2 excerpts from 2 documents, 1 case"]
    assert found["Actors"]["lines"] == ["3 excerpts from 3 documents, 1 case"]
    assert found["Police"]["lines"] == ["The police.", "3 excerpts from 3 documents, 1 case"]
    # no quotation twice under one code
    for code in expected:
        quotes = [(q, c) for q, c in found[code]["pairs"]]
        assert len(quotes) == len(set(quotes))


def test_newline_becomes_a_break_and_text_is_exact(coded, tmp_path):
    out = tmp_path / "excerpts.docx"
    export_word(coded, out)
    document = docx.Document(str(out))
    quotes = [p for p in document.paragraphs if p.style.name == "Quote"]
    ministry = next(p for p in quotes if p.text.startswith("The ministry"))
    assert ministry.text == "The ministry asked IOM to train our inspectors in Kupang.\nThey came twice."
    assert "<w:br/>" in ministry._p.xml and "\n" not in "".join(t.text for t in ministry._p.iter(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))
    emoji = [p.text for p in quotes if "\U0001F469" in p.text or p.text.startswith("\u0301")]
    assert emoji == [text_of(coded, "emoji", "emoji"), text_of(coded, "emoji", "accent")]
    fund = next(p for p in quotes if p.text.startswith("its own fund"))
    assert fund.text == "its own fund & the donor <UK> agreed."


def test_styles_are_built_in_and_colour_marks_only_the_heading(coded, tmp_path):
    out = tmp_path / "excerpts.docx"
    export_word(coded, out, memos=True)
    document = docx.Document(str(out))
    used = {p.style.name for p in document.paragraphs}
    assert used <= {"Title", "Subtitle", "Normal", "Quote", "Caption", "TOC Heading", "toc 1", "toc 2",
                    "Heading 1", "Heading 2", "Heading 3"}
    assert {"Title", "Quote", "Caption", "Heading 1", "Heading 2", "Heading 3", "toc 1"} <= used
    for name in used:
        assert document.styles[name].builtin, name
    assert all(t.style.name == "Table Grid" for t in document.tables) and len(document.tables) == 3
    instrument = next(p for p in document.paragraphs if p.style.name == "Heading 2" and "Instrument" in p.text)
    assert instrument.runs[0].text == SQUARE and str(instrument.runs[0].font.color.rgb) == "5FAFFF"
    police = next(p for p in document.paragraphs if p.style.name == "Heading 2" and "Police" in p.text)
    assert police.text == "Police"  # no colour, no square
    for paragraph in document.paragraphs:
        if paragraph.style.name in ("Quote", "Caption"):
            assert "w:color" not in paragraph._p.xml and "w:shd" not in paragraph._p.xml


def test_title_page_toc_and_appendices(coded, tmp_path):
    out = tmp_path / "excerpts.docx"
    export_word(coded, out, Filters(code="Roles", coders=("DH",)))
    document = docx.Document(str(out))
    texts = [p.text for p in document.paragraphs]
    assert document.paragraphs[0].style.name == "Title" and texts[0] == "Study of Budi Santoso"
    assert texts[1] == "Coded excerpts"
    assert f"Exported on {date.today().isoformat()}" in texts
    assert "Filters: code: Roles; coders: DH" in texts
    assert "Codebook: Test codebook, version 2.1" in texts
    assert "7 excerpts from 4 documents, 2 cases" in texts[:8]
    headings = [heading_text(p) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["Roles", "Instrument", "Arena", "Regional", "Appendix A. Codebook",
                        "Appendix B. Documents and cases", "Cases"]
    assert [p.text for p in document.paragraphs if p.style.name.startswith("toc")] == [
        "Roles", "Instrument", "Arena", "Appendix A. Codebook", "Appendix B. Documents and cases", "Cases"]
    parts = xml_parts(out)
    assert re.search(r'<w:instrText xml:space="preserve"> TOC \\o "1-2" \\h', parts["word/document.xml"])
    assert 'w:fldCharType="begin"' in parts["word/document.xml"]
    assert '<w:updateFields w:val="true"/>' in parts["word/settings.xml"]
    codebook_table, documents_table, cases_table = document.tables
    assert [c.text for c in codebook_table.rows[0].cells] == [
        "Code", "Name (Indonesian)", "Definition", "When to use", "When not to use"]
    assert [c.text for c in codebook_table.rows[1].cells] == [
        "Roles", "Peran", "The roles of an IO.", "Code a child.", "Never directly."]
    assert [r.cells[0].text for r in codebook_table.rows[1:]] == [
        "Roles", "Roles / Instrument", "Roles / Arena", "Roles / Arena / Regional", "Actors", "Actors / Police",
        "Unused"]
    assert [[c.text for c in r.cells] for r in documents_table.rows[1:]] == [
        ["interview-a.txt", "Interview A", "Budi Santoso", "language: id"],
        ["focus-group-e.vtt", "Focus group E", "Returned workers", ""],
        ["emoji.txt", "", "", ""],
        ["report.pdf", "Policy report 2019", "", ""]]
    assert [[c.text for c in r.cells] for r in cases_table.rows[1:]] == [
        ["Budi Santoso", "", "organisation: IOM; province: Kupang"], ["Returned workers", "", ""]]


def test_memos_only_when_asked_and_cleaned(coded, tmp_path):
    out = tmp_path / "excerpts.docx"
    export_word(coded, out, memos=True)
    found = sections(docx.Document(str(out)))
    assert found["Instrument"]["memos"] == ["Check with Budi later."]  # BEL and U+FFFE dropped
    assert found["Police"]["memos"] == ["Line one\nline two"]
    assert found["Arena"]["memos"] == []
    export_word(coded, tmp_path / "plain.docx")
    plain = sections(docx.Document(str(tmp_path / "plain.docx")))
    assert all(section["memos"] == [] for section in plain.values())
    assert "Memo: " not in " ".join(p.text for p in docx.Document(str(tmp_path / "plain.docx")).paragraphs)


def test_citation_template(coded, tmp_path):
    out = tmp_path / "excerpts.docx"
    export_word(coded, out, cite="{case}, {document}, para. {paragraph}")
    found = sections(docx.Document(str(out)))
    assert [c for _, c in found["Arena"]["pairs"]] == [
        "Budi Santoso, Interview A, para. 2", "Budi Santoso, Interview A, para. 2", "Returned workers, Focus group E, para. 2"]
    created = coded.conn.execute("SELECT created FROM codings ORDER BY id LIMIT 1").fetchone()[0][:10]
    every = ("{case}|{document}|{name}|{title}|{paragraph}|{paragraphs}|{line}|{lines}|{page}|{time}|{coder}|"
             "{date}|{code}|{attr:organisation}|{attr:language}|{{x}}")
    citer = Citer(coded, every)
    by_text = {(e.text, e.code): e for e in excerpts(coded)}
    ministry = by_text[(text_of(coded, "interview", "ministry"), "Roles/Arena")]
    # empty fields (page, time here) take their separator with them
    assert citer.cite(ministry) == (f"Budi Santoso|Interview A|interview-a.txt|Interview A|2|2-3|3|3-4|DH|{created}|"
                                    "Roles/Arena|IOM|id|{x}")
    malaysia = by_text[(text_of(coded, "transcript", "malaysia"), "Roles/Arena")]
    assert citer.cite(malaysia) == (f"Returned workers|Focus group E|focus-group-e.vtt|Focus group E|2|2|2|2|00:00:21|"
                                    f"DH|{created}|Roles/Arena|{{x}}")
    across = by_text[(text_of(coded, "report", "across"), "Actors/Police")]
    assert citer.cite(across) == (f"Policy report 2019|report.pdf|Policy report 2019|2|2-3|2|2-3|1-2|DH|{created}|"
                                  "Actors/Police|{x}")
    emoji = by_text[(text_of(coded, "emoji", "emoji"), "Roles/Instrument")]
    assert Citer(coded, "{case}, {document}, para. {paragraph}").cite(emoji) == "emoji.txt, para. 1"
    assert Citer(coded, "{document} ({title}) {time}{page}").cite(emoji) == "emoji.txt"
    assert Citer(coded, "[{time}] {document}, p. {page}").cite(emoji) == "emoji.txt"
    assert Citer(coded, "{document}, p. {page}").cite(across) == "Policy report 2019, p. 1-2"
    assert Citer(coded, "{document} ({time}), {coder}").cite(malaysia) == "Focus group E (00:00:21), DH"
    assert Citer(coded, "{document} ({time}), {coder}").cite(emoji) == "emoji.txt, DH"
    # a leading empty field takes its "(" with it, and the ")" after the next field goes too
    assert Citer(coded, "{page} ({time}) {coder}").cite(malaysia) == "00:00:21 DH"


@pytest.mark.parametrize("template, message", [
    ("{case}, {speaker}", "unknown field {speaker}"),
    ("{paragraph", "a single '{'"),
    ("{attr:}", "needs an attribute name"),
])
def test_bad_citation_template_is_a_clear_error(coded, tmp_path, template, message):
    out = tmp_path / "excerpts.docx"
    with pytest.raises(QcodeError) as raised:
        export_word(coded, out, cite=template)
    assert message in str(raised.value)
    if "unknown" in message:
        assert "{case}" in str(raised.value) and "{attr:NAME}" in str(raised.value)
    assert not out.exists() and list(tmp_path.glob("*.docx")) == []


def test_parse_template_escapes_braces():
    assert parse_template("{{{case}}}") == [(False, "{"), (True, "case"), (False, "}")]


def test_anonymizer_replaces_every_name_everywhere(coded, tmp_path):
    out = tmp_path / "anonymous.docx"
    anonymizer = Anonymizer(NAMES)
    export_word(coded, out, Filters(cases=("Budi Santoso", "Returned workers")), memos=True, anonymizer=anonymizer)
    for name, content in xml_parts(out).items():
        for real in REAL_NAMES:
            assert real not in content.lower(), (real, name)
    document = docx.Document(str(out))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "Study of Informant B"
    assert "Filters: cases: Informant B, Returned workers" in texts
    found = sections(document)
    assert found["Instrument"]["pairs"][0] == [
        "The ministry asked IOM to train our inspectors in City K.\nThey came twice.",
        "Informant B - Interview A, paragraphs 2-3 - coded by DH, AB"]
    assert found["Instrument"]["memos"] == ["Check with Informant B later."]
    assert found["Arena"]["pairs"][2][0] == "I went to Malaysia through an agent in City K."
    memos_out = tmp_path / "memos.docx"
    export_memos_word(coded, memos_out, anonymizer=anonymizer)
    for name, content in xml_parts(memos_out).items():
        for real in REAL_NAMES:
            assert real not in content.lower(), (real, name)


def test_nothing_matches(coded, tmp_path):
    out = tmp_path / "empty.docx"
    counts = export_word(coded, out, Filters(coders=("nobody",)))
    assert counts["excerpts"] == 0
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "No excerpts match these filters." in texts and "0 excerpts from 0 documents, 0 cases" in texts


def test_progress_and_missing_folder(coded, tmp_path):
    calls = []
    export_word(coded, tmp_path / "p.docx", progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (10, 10)
    with pytest.raises(QcodeError, match="does not exist"):
        export_word(coded, tmp_path / "no" / "such" / "folder.docx")


def test_memos_export(coded, tmp_path):
    out = tmp_path / "memos.docx"
    count = export_memos_word(coded, out)
    assert count == 6
    document = docx.Document(str(out))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    headings = [text for style, text in paragraphs if style.startswith("Heading")]
    assert headings == ["Project memos", "Project notes", "Document memos", "Interview A", "Case memos",
                        "Budi Santoso", "Code memos", "Roles/Arena: On arenas", "Coding memos",
                        "Roles/Instrument in Interview A", "Actors/Police in Interview A"]
    texts = [text for _, text in paragraphs]
    assert "About Siti Aminah." in texts and "Second block." in texts
    assert "Check with Budi later." in texts and "Line one\nline two" in texts
    at = texts.index("Roles/Instrument in Interview A")
    assert paragraphs[at + 1][0] == "Caption" and re.fullmatch(r"by DH, \d{4}-\d{2}-\d{2}", paragraphs[at + 1][1])
    assert paragraphs[at + 2] == ("Quote", text_of(coded, "interview", "ministry"))
    assert paragraphs[at + 3] == ("Caption", "Budi Santoso - Interview A, paragraphs 2-3 - coded by DH")


def test_memos_export_of_a_project_without_memos(tmp_path):
    with create_project(tmp_path / "empty.qcode", coder="DH") as project:
        assert export_memos_word(project, tmp_path / "m.docx") == 0
    assert "This project has no memos." in [p.text for p in docx.Document(str(tmp_path / "m.docx")).paragraphs]


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_it_to_pdf(coded, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path / "excerpts.docx"
    export_word(coded, out, memos=True)
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, HOME=str(home))
    try:
        done = subprocess.run([_soffice(), "--headless", "--norestore", f"-env:UserInstallation={home.as_uri()}/lo",
                               "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                              check=False, capture_output=True, text=True, timeout=240, env=env)
    except subprocess.TimeoutExpired:
        pytest.skip("LibreOffice took longer than 240 s to convert")
    pdf = tmp_path / "excerpts.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stderr
    text = " ".join(" ".join(page.extract_text() or "" for page in pypdf.PdfReader(str(pdf)).pages).split())
    for needle in ("Coded excerpts", "Contents", "Instrument", "Returned workers - Focus group E, 00:00:21 - coded by DH",
                   "Budi Santoso - Interview A, paragraphs 2-3 - coded by DH, AB", "its own fund & the donor <UK> agreed.",
                   "Policy report 2019, pp. 1-2, paragraphs 2-3 - coded by DH", "Check with Budi later.",
                   "Appendix A. Codebook", "Appendix B. Documents and cases"):
        assert needle in text, needle
