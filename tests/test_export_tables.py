"""Exports: codings to CSV and XLSX (read back cell by cell), reports to Markdown and HTML.

The project is the hand-made one of test_stats.py (see its docstring for the codings).
"""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qcode.analysis.retrieval import Filters
from qcode.core import create_project
from qcode.export.anonymize import Anonymizer
from qcode.export.report import export_html, export_markdown, md_escape
from qcode.export.tables import XLSX_CELL_LIMIT, export_csv, export_xlsx, formula_safe, xlsx_safe
from test_stats import build_study

HEADER = ["document", "title", "cases", "start", "end", "code", "code_name", "coder", "created", "memo", "text",
          "paragraph", "line", "time", "page", "case:organisation", "case:province", "document:language",
          "document:organisation"]
A, B, C, D = "interview-siti.txt", "notes.txt", "focus-group.vtt", "report.pdf"
TITLE_A = "Interview with Siti Aminah"
SITI = ("Siti Aminah", "IOM", "NTT", "id", "")
BUDI = ("Budi", "NGO", "'=cmd|' /C calc'!A0", "en", "Polda")
BOTH = ("Budi; Siti Aminah", "NGO; IOM", "'=cmd|' /C calc'!A0; NTT", "id", "")
NONE = ("", "", "", "", "Kemnaker")
X, Y, Z = "Role/Coordinator", "Role/Supporting", "Trafficking"


def row(document, title, where, start, end, code, coder, memo, text, paragraph, line, time="", page=""):
    cases, organisation, province, language, own = where
    return [document, title, cases, start, end, code, code.rsplit("/", 1)[-1], coder, memo, text,
            paragraph, line, time, page, organisation, province, language, own]


# every coding, in document order (document, start, end), without the "created" column
ROWS = [
    row(A, TITLE_A, SITI, 0, 9, X, "alice", "", "aaaa bbbb", "1", "1"),
    row(A, TITLE_A, SITI, 2, 7, Z, "alice", "", "aa bb", "1", "1"),
    row(A, TITLE_A, SITI, 5, 14, X, "bob", "", "bbbb cccc", "1", "1"),
    row(A, TITLE_A, SITI, 14, 19, Y, "alice", "", " dddd", "1", "1"),
    row(A, TITLE_A, SITI, 21, 35, Y, "bob", "'=1+1", "eeee ffff gggg", "2", "3"),
    row(A, TITLE_A, SITI, 26, 40, Z, "alice", "", "ffff gggg\nhhhh", "2-3", "3-4"),
    row(B, "", BUDI, 1, 2, X, "alice", "", "👍", "1", "1"),
    row(B, "", BUDI, 2, 6, Y, "alice", "", "y e\u0301", "1", "1"),
    row(B, "", BUDI, 5, 10, Z, "bob", "bell\x07ring", "\u0301tude", "1", "1"),
    row(B, "", BUDI, 11, 36, X, "bob", "<b>bold</b> *memo* from Siti", "<script>alert(1)</script>", "1", "1"),
    row(B, "", BUDI, 37, 45, Z, "alice", "", "'=SUM(A1)", "1", "1"),
    row(C, "", BOTH, 17, 28, Z, "alice", "", "kami datang", "1", "1", "00:00:05"),
    row(C, "", BOTH, 46, 48, Y, "bob", "", "ya", "2", "2", "00:00:21"),
    row(D, "", NONE, 11, 17, X, "alice", "", "second", "2", "2", "", 2),
]
NAMES = Anonymizer([("Siti Aminah", "R1"), ("Siti", "R1"), ("Budi", "R2")])
REAL = re.compile(r"siti|aminah|budi", re.IGNORECASE)


@pytest.fixture
def study(tmp_path):
    p = build_study(tmp_path / "study-siti.qcode")
    yield p
    p.close()


def _without_created(rows, header):
    at = header.index("created")
    for r in rows:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", r[at]), r[at]
    return [r[:at] + r[at + 1:] for r in rows]


def _read_csv(path):
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, for Excel
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    return rows[0], rows[1:]


# -- CSV -------------------------------------------------------------------------------------------

def test_csv_has_one_row_per_coding_with_exact_cells(study, tmp_path):
    out = tmp_path / "codings.csv"
    assert export_csv(study, out) == 14
    header, rows = _read_csv(out)
    assert header == HEADER
    expected = [[str(v) for v in r] for r in ROWS]
    assert _without_created(rows, header) == expected
    assert b"\r\n" in out.read_bytes()  # Excel's line ends between rows; "\n" inside a cell stays "\n"


def test_csv_context_and_filters(study, tmp_path):
    out = tmp_path / "c.csv"
    assert export_csv(study, out, Filters(code="Trafficking", coders=("alice",)), context=3) == 4
    header, rows = _read_csv(out)
    assert header == HEADER[:11] + ["context"] + HEADER[11:]
    at = header.index("context")
    assert [(r[header.index("start")], r[at]) for r in rows] == [
        ("2", "aaaa bbbb "), ("26", "ee ffff gggg\nhhhh"), ("37", "t> =SUM(A1)"), ("17", "i: kami datang\n[0")]
    assert export_csv(study, out, Filters(documents=("report.pdf",), code="Trafficking")) == 0
    assert _read_csv(out) == (HEADER, [])
    stream = io.StringIO(newline="")
    assert export_csv(study, stream, Filters(documents=("report.pdf",))) == 1
    assert stream.getvalue().splitlines()[1].startswith("report.pdf,,,11,17,Role/Coordinator,Coordinator,alice,")


@pytest.mark.parametrize(("value", "safe"), [
    ("=1+1", "'=1+1"), ("+62 812", "'+62 812"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("\uff1dcmd", "'\uff1dcmd"), ("a=1", "a=1"), ("", ""), (" =1", " =1"),
    (5, 5), (-5, -5), (None, None),
])
def test_formula_safe(value, safe):
    assert formula_safe(value) == safe


def test_no_cell_of_the_csv_starts_a_formula(study, tmp_path):
    out = tmp_path / "c.csv"
    export_csv(study, out, context="paragraph")
    header, rows = _read_csv(out)
    for r in [header, *rows]:
        for cell in r:
            assert not cell.startswith(("=", "+", "-", "@")), cell


# -- XLSX ------------------------------------------------------------------------------------------

def _read_xlsx(path):
    book = openpyxl.load_workbook(path)
    sheet = book["Codings"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    return book, sheet, rows


def test_xlsx_has_the_same_cells(study, tmp_path):
    out = tmp_path / "codings.xlsx"
    assert export_xlsx(study, out) == 14
    book, sheet, rows = _read_xlsx(out)
    header, body = rows[0], rows[1:]
    assert header == HEADER
    expected = [[None if v == "" else v for v in r] for r in ROWS]  # empty cells are empty, numbers numbers
    expected[8][HEADER.index("memo") - 1] = "bellring"  # XML cannot hold a BEL character
    assert _without_created(body, header) == expected
    assert sheet.freeze_panes == "A2"
    assert book.sheetnames == ["Codings", "About"]
    about = {r[0]: r[1] for r in book["About"].iter_rows(values_only=True)}
    assert about["project"] == "study-siti" and about["codings"] == 14 and about["filters"] == "all codings"
    # no cell is a formula; the apostrophe keeps "=SUM(A1)" text
    assert all(cell.data_type != "f" for r in sheet.iter_rows() for cell in r)
    assert sheet.cell(row=11 + 1, column=HEADER.index("text") + 1).value == "'=SUM(A1)"


def test_xlsx_drops_what_xml_cannot_hold_and_cuts_long_cells(study, tmp_path):
    study.attributes.set("case", "Budi", "note", "a\x07b")
    out = tmp_path / "c.xlsx"
    export_xlsx(study, out, Filters(documents=("notes.txt",)))
    _, _, rows = _read_xlsx(out)
    at = rows[0].index("case:note")
    assert {r[at] for r in rows[1:]} == {"ab"}
    assert xlsx_safe("x\x00y\x1f\ud800z\ufffe") == "xyz"
    long = xlsx_safe("w" * 40_000)
    assert len(long) <= XLSX_CELL_LIMIT and long.endswith("[cut: 7,281 more characters]")
    assert xlsx_safe(7) == 7


def test_an_export_that_fails_leaves_no_file(study, tmp_path, monkeypatch):
    out = tmp_path / "c.csv"
    import qcode.export.tables as tables

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(tables, "formula_safe", broken)
    with pytest.raises(RuntimeError):
        export_csv(study, out)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("study-siti")) == []


# -- reports ---------------------------------------------------------------------------------------

def test_markdown_report(study, tmp_path):
    out = tmp_path / "r.md"
    assert export_markdown(study, out, memos=True) == 14
    text = out.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "# study-siti"
    assert "- excerpts: 14" in lines
    # codebook order, headings by depth, a category with excerpts below it
    headings = [line for line in lines if line.startswith("#")]
    assert headings[1:] == ["## Role", "### Coordinator", "### Supporting", "## Trafficking"]
    # definition (short definition first), count, excerpt, citation, memo
    at = lines.index("### Coordinator")
    assert lines[at + 1:at + 9] == [
        "", "*Brings actors together.*", "", "5 excerpts from 3 documents, 2 cases", "", "> aaaa bbbb", "",
        "Siti Aminah - Interview with Siti Aminah, paragraph 1 - coded by alice"]
    # document text is data: no markup survives
    assert "> \\<script\\>alert(1)\\</script\\>" in lines
    assert "Memo: \\<b\\>bold\\</b\\> \\*memo\\* from Siti" in lines
    assert "> \\=SUM(A1)" in lines
    assert "Memo: \\=1+1" in lines
    # line breaks inside an excerpt are kept as hard breaks
    assert "> ffff gggg\\\n> hhhh" in text
    # citations as the Word export writes them (qcode.export.citation): transcripts cite the time,
    # PDFs the page, documents in two cases name both
    assert "Budi; Siti Aminah - focus-group.vtt, 00:00:21 - coded by bob" in lines
    assert "report.pdf, p. 2, paragraph 2 - coded by alice" in lines
    assert "Siti Aminah - Interview with Siti Aminah, paragraphs 2-3 - coded by alice" in lines
    assert "Memo: Scope: Budi said this code is too broad." in lines
    without = tmp_path / "r2.md"
    export_markdown(study, without)
    assert "Memo:" not in without.read_text(encoding="utf-8")


def test_reports_take_a_citation_template(study, tmp_path):
    out = tmp_path / "r.md"
    export_markdown(study, out, Filters(code="Trafficking"), cite="{case}, {document}, para. {paragraph}")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert "Siti Aminah, Interview with Siti Aminah, para. 1" in lines
    page = tmp_path / "r.html"
    export_html(study, page, Filters(documents=("report.pdf",)), cite="{document} ({page}) <{coder}>")
    assert "<figcaption>report.pdf (2) &lt;alice&gt;</figcaption>" in page.read_text(encoding="utf-8")


def test_markdown_renders_as_the_text_it_escapes(study, tmp_path):
    markdown_it = pytest.importorskip("markdown_it")
    out = tmp_path / "r.md"
    export_markdown(study, out, memos=True)
    rendered = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(
        out.read_text(encoding="utf-8"))
    assert "<script>" not in rendered and "<b>" not in rendered and "<em>memo</em>" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "<p>=SUM(A1)</p>" in rendered
    assert "ffff gggg<br />\nhhhh" in rendered


@pytest.mark.parametrize(("text", "escaped"), [
    ("# not a heading", "\\# not a heading"), ("- not a list", "\\- not a list"), ("+ x", "\\+ x"),
    ("1. not a list", "1\\. not a list"), ("2020) x", "2020\\) x"), ("> not a quote", "\\> not a quote"),
    ("a *b* _c_ `d`", "a \\*b\\* \\_c\\_ \\`d\\`"), ("[link](http://x)", "\\[link\\](http://x)"),
    ("a | b", "a \\| b"), ("<b>", "\\<b\\>"), ("&amp; & x", "\\&amp; & x"), ("~~x~~", "\\~\\~x\\~\\~"),
    ("a\\b", "a\\\\b"), ("---", "\\---"), ("===", "\\==="), ("$x$", "\\$x\\$"), ("@smith", "\\@smith"),
    ("plain text, 2016 – 2020.", "plain text, 2016 – 2020."),
])
def test_md_escape(text, escaped):
    assert md_escape(text) == escaped


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=list("ab 1.#*_-+=`[]()<>!|~&;\\$@^:") + ["\n"], min_size=1, max_size=30))
def test_md_escape_renders_exactly_the_text(text):
    markdown_it = pytest.importorskip("markdown_it")
    lines = [line.strip() for line in text.split("\n")]
    text = " ".join(line for line in lines if line)  # one paragraph: block structure is tested above
    if not text:
        return
    rendered = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(md_escape(text))
    assert rendered == f"<p>{html.escape(text, quote=False)}</p>\n".replace('"', "&quot;")


def test_html_report_is_self_contained_and_escapes_every_text(study, tmp_path):
    out = tmp_path / "r.html"
    assert export_html(study, out, memos=True) == 14
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"<script|<link|src=|url\(|@import", page.replace("&lt;script", ""))
    assert "<script" not in page and "<b>" not in page
    assert "<blockquote lang=\"en\">&lt;script&gt;alert(1)&lt;/script&gt;</blockquote>" in page
    assert "Memo: &lt;b&gt;bold&lt;/b&gt; *memo* from Siti" in page
    assert "<figcaption>Budi; Siti Aminah - focus-group.vtt, 00:00:21 - coded by bob</figcaption>" in page
    assert '<span class="swatch" style="background: #FF8800"></span>Coordinator' in page
    assert "<p class=\"definition\">Elements of trafficking; Budi&#x27;s own term.</p>" in page
    assert page.count('<figure class="excerpt">') == 14


def test_html_refuses_markup_from_names_and_colours(study, tmp_path):
    study.code_editor.add("Evil <img src=x onerror=alert(1)>")
    study.conn.execute("UPDATE codes SET color = 'red;background:url(http://x)' WHERE name LIKE 'Evil%'")
    study.codings.add("notes.txt", 0, 1, "Evil <img src=x onerror=alert(1)>", coder="alice")
    out = tmp_path / "r.html"
    export_html(study, out)
    page = out.read_text(encoding="utf-8")
    assert "<img" not in page and "url(" not in page
    assert "Evil &lt;img src=x onerror=alert(1)&gt;" in page


# -- anonymization ---------------------------------------------------------------------------------

def test_no_real_name_is_left_in_any_export(study, tmp_path):
    exports = {
        "c.csv": lambda out: export_csv(study, out, anonymizer=NAMES, context="paragraph"),
        "c.xlsx": lambda out: export_xlsx(study, out, anonymizer=NAMES, context=10),
        "r.md": lambda out: export_markdown(study, out, memos=True, anonymizer=NAMES),
        "r.html": lambda out: export_html(study, out, memos=True, anonymizer=NAMES),
        "budi.md": lambda out: export_markdown(study, out, Filters(cases=("Budi",)), memos=True, anonymizer=NAMES),
        "budi.html": lambda out: export_html(study, out, Filters(cases=("Budi",)), memos=True, anonymizer=NAMES),
        "budi.xlsx": lambda out: export_xlsx(study, out, Filters(cases=("Budi",)), anonymizer=NAMES),
    }
    for name, export in exports.items():
        out = tmp_path / name
        assert export(out) > 0
        if name.endswith(".xlsx"):
            with zipfile.ZipFile(out) as z:
                texts = [z.read(member).decode("utf-8") for member in z.namelist()]
        else:
            texts = [out.read_bytes().decode("utf-8-sig")]
        for text in texts:
            assert not REAL.search(text), (name, REAL.search(text).group(0))
        assert "R1" in "".join(texts) and "R2" in "".join(texts), name
    # the pseudonyms are where the names were
    header, rows = _read_csv(tmp_path / "c.csv")
    first = dict(zip(header, rows[0]))
    assert (first["document"], first["title"], first["cases"]) == ("interview-R1.txt", "Interview with R1", "R1")
    focus = [dict(zip(header, r)) for r in rows if r[0] == "focus-group.vtt"][0]
    assert focus["cases"] == "R2; R1" and focus["context"] == "[00:00:05] R2: kami datang"


def test_exports_of_an_empty_project(tmp_path):
    with create_project(tmp_path / "empty.qcode") as p:
        assert export_csv(p, tmp_path / "e.csv") == 0
        assert export_xlsx(p, tmp_path / "e.xlsx") == 0
        assert export_markdown(p, tmp_path / "e.md") == 0
        assert export_html(p, tmp_path / "e.html") == 0
        assert _read_csv(tmp_path / "e.csv") == (HEADER[:15], [])
        assert "- excerpts: 0" in (tmp_path / "e.md").read_text(encoding="utf-8")
