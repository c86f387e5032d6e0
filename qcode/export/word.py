"""The Word export of coded excerpts (see ``shared/design/word-export.md``).

The document a researcher opens beside a thesis chapter::

    title page     project name, "Coded excerpts", date, filters, codebook and version, counts
    contents       a Word TOC field (headings 1-2) that Word updates on open; its entries are
                   written in advance, so a reader that does not update fields still lists them
    per code       in codebook order, only codes with excerpts and the categories above them:
                   heading (a small square in the code's colour, then the name), the definition in
                   italics, "N excerpts from D documents, C cases", then each excerpt in document
                   order in the built-in Quote style, its citation line in Caption, and (``memos``)
                   the coding's memo as an indented note
    Appendix A     the codebook as a table (name, Indonesian name, definition, when to use, when not)
    Appendix B     the documents cited, with their cases and attributes, and those cases

Only Word's built-in styles are used (Title, Subtitle, Heading 1-9, Quote, Caption, Normal, Table
Grid, TOC Heading, toc 1-2), so that the researcher's template restyles the whole report at once.

Speed: python-docx resolves a style by name on every ``add_paragraph(style=...)`` (half of its time)
and wraps every element in Python proxies. Here python-docx supplies the package: the template, the
styles (checked, tuned, the TOC styles added), settings, properties, and the saving. The body is
written by ``BodyWriter`` as WordprocessingML text, each style id looked up once, every piece of
text cleaned and escaped, and spliced into ``word/document.xml`` when the file is saved: no element
is built, parsed or serialised per excerpt. 20,000 excerpts take about 1.5 s, about 4x a minimal
writer of the same texts (``benchmarks/export.py``).

Characters that XML 1.0 (and so Word) cannot hold (C0 controls other than tab and newline,
U+FFFE/U+FFFF, lone surrogates) are dropped; a newline inside an excerpt becomes a line break.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

from lxml import etree

from qcode.analysis.retrieval import Filters
from qcode.analysis.retrieval import excerpts as retrieve
from qcode.core.errors import QcodeError
from qcode.export.citation import Citer

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_VAL = f"{{{W}}}val"

# Characters XML 1.0 cannot hold (python-docx raises on them): dropped. \r is folded into \n first.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_COLOR = re.compile(r"#?([0-9A-Fa-f]{6})")
SQUARE = "\u25a0"  # ■, in the code's colour, before each code heading
TOC_LEVELS = "1-2"
APPENDIX_A = "Appendix A. Codebook"
APPENDIX_B = "Appendix B. Documents and cases"
PROGRESS_EVERY = 500
ALL_CODINGS = Filters()

STYLES = ("Title", "Subtitle", "Normal", "Quote", "Caption", "TOC Heading", "toc 1", "toc 2", "Table Grid",
          *(f"Heading {n}" for n in range(1, 10)))

# The built-in TOC entry styles Word defines when it builds a table of contents; python-docx's
# template lacks them (they are latent styles there), so they are added with Word's own definitions.
_TOC_STYLE = (f'<w:style xmlns:w="{W}" w:type="paragraph" w:styleId="TOC{{n}}"><w:name w:val="toc {{n}}"/>'
              '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:autoRedefine/><w:uiPriority w:val="39"/>'
              '<w:unhideWhenUsed/><w:pPr><w:spacing w:after="100"/>{{indent}}</w:pPr></w:style>')


def clean(text: str | None) -> str:
    """``text`` without the characters Word cannot hold; line ends as ``\\n``."""
    if not text:
        return ""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE.sub("", text)


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def counts_line(excerpts: int, documents: int, cases: int) -> str:
    """``14 excerpts from 6 documents, 4 cases``."""
    return f"{_plural(excerpts, 'excerpt')} from {_plural(documents, 'document')}, {_plural(cases, 'case')}"


def escape(text: str) -> str:
    """``text`` (cleaned) escaped for XML character data."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def attribute(text: str) -> str:
    return escape(clean(text)).replace('"', "&quot;")


_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'
_TAB = '</w:t><w:tab/><w:t xml:space="preserve">'


def run_xml(text: str | None, *, bold: bool = False, italic: bool = False, color: str | None = None,
            size: int | None = None) -> str:
    """A ``w:r`` holding ``text``, cleaned and escaped: newlines become line breaks, tabs tabs.

    ``size`` is in half-points (Word's unit: 16 is 8 pt); ``color`` is six hex digits.
    """
    text = clean(text)
    if not text:
        return ""
    rpr = ""
    if bold or italic or color or size:
        rpr = ("<w:rPr>" + ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
               + (f'<w:color w:val="{color}"/>' if color else "")
               + (f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>' if size else "") + "</w:rPr>")
    text = escape(text)
    if "\n" in text:
        text = text.replace("\n", _BREAK)
    if "\t" in text:
        text = text.replace("\t", _TAB)
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


class BodyWriter:
    """The body of a python-docx document, written as WordprocessingML text.

    python-docx resolves a style by name on every ``add_paragraph(style=...)`` and wraps each element
    in proxies; here each style id is looked up once (``style``), paragraphs, headings, the contents
    field and tables are appended as text to ``parts``, and ``save()`` splices them into the saved
    ``word/document.xml`` in place of whatever the template's body held, before its section
    properties. Every piece of text is cleaned (``clean``) and escaped here; anonymise it before.
    """

    def __init__(self, document):
        self.document = document
        self.parts: list[str] = []
        self._ids: dict[str, str] = {}
        self._bookmarks = 0

    def style(self, name: str) -> str:
        """The style id of the style named ``name``, looked up once."""
        found = self._ids.get(name)
        if found is None:
            found = self._ids[name] = attribute(self.document.styles[name].style_id)
        return found

    @staticmethod
    def ppr(style_id: str | None = None, *, keep_next: bool = False, page_break: bool = False,
            indent: int | None = None, spacing_after: int | None = None) -> str:
        """A ``w:pPr`` (its children in the order the schema wants), or "" when it would be empty."""
        inner = ((f'<w:pStyle w:val="{style_id}"/>' if style_id else "") + ("<w:keepNext/>" if keep_next else "")
                 + ("<w:pageBreakBefore/>" if page_break else "")
                 + (f'<w:spacing w:after="{spacing_after}"/>' if spacing_after is not None else "")
                 + (f'<w:ind w:left="{indent}"/>' if indent is not None else ""))
        return f"<w:pPr>{inner}</w:pPr>" if inner else ""

    def paragraph(self, style: str | None = None, text: str | None = None, *, italic: bool = False,
                  bold: bool = False, indent: int | None = None, keep_next: bool = False,
                  page_break: bool = False, runs: str = "") -> None:
        """A paragraph holding ``text`` as one run (or the ready-made ``runs``)."""
        ppr = self.ppr(self.style(style) if style else None, keep_next=keep_next, page_break=page_break,
                       indent=indent)
        self.parts.append(f"<w:p>{ppr}{run_xml(text, italic=italic, bold=bold) if text else ''}{runs}</w:p>")

    def heading(self, text: str, level: int, *, color: str | None = None, page_break: bool = False) -> str:
        """A heading (``Heading level``) with a bookmark for the contents; a square in ``color`` first."""
        self._bookmarks += 1
        name = f"_Toc{self._bookmarks:08d}"
        square = (run_xml(SQUARE, color=color) + run_xml(" " + text)) if color else run_xml(text)
        ppr = self.ppr(self.style(f"Heading {min(max(level, 1), 9)}"), page_break=page_break)
        self.parts.append(f'<w:p>{ppr}<w:bookmarkStart w:id="{self._bookmarks}" w:name="{name}"/>{square}'
                          f'<w:bookmarkEnd w:id="{self._bookmarks}"/></w:p>')
        return name

    def toc(self, entries: list[tuple[int, str, str]], title: str = "Contents") -> None:
        """A TOC field over the headings ``TOC_LEVELS``; ``entries`` (level, text, bookmark) are its result.

        Word updates the field when the file opens (``update_fields_on_open``); a reader that does not
        shows the entries written here, each a link to its heading, without page numbers.
        """
        self.paragraph("TOC Heading", title, page_break=True)
        begin = ('<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
                 f'<w:r><w:instrText xml:space="preserve"> TOC \\o "{TOC_LEVELS}" \\h \\z \\u </w:instrText></w:r>'
                 '<w:r><w:fldChar w:fldCharType="separate"/></w:r>')
        if not entries:
            self.paragraph("Normal", runs=begin + run_xml("Update this field (F9) to list the headings."))
        for number, (level, text, anchor) in enumerate(entries):
            link = f'<w:hyperlink w:anchor="{anchor}" w:history="1">{run_xml(text)}</w:hyperlink>'
            self.paragraph(f"toc {level}", runs=(begin if number == 0 else "") + link)
        self.paragraph(runs='<w:r><w:fldChar w:fldCharType="end"/></w:r>')

    def table(self, header: list[str], rows: list[list[str]], widths_cm: list[float], *, size: int = 16) -> None:
        """A ``Table Grid`` table, its header row bold and repeated on each page; text ``size`` half-points."""
        widths = [int(w * 567) for w in widths_cm]  # twentieths of a point
        cell_ppr = '<w:pPr><w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/></w:pPr>'

        def row(values: list[str], bold: bool) -> str:
            cells = "".join(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                            f"<w:p>{cell_ppr}{run_xml(value, bold=bold, size=size)}</w:p></w:tc>"
                            for value, width in zip(values, widths))
            return f"<w:tr>{'<w:trPr><w:tblHeader/></w:trPr>' if bold else ''}{cells}</w:tr>"

        grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
        self.parts.append(
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.style("Table Grid")}"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
            '<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1"'
            ' w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{row(header, True)}{''.join(row(r, False) for r in rows)}</w:tbl>")

    def save(self, out: Path) -> None:
        """Write the document with this body to ``out``, through a temporary file beside it.

        The body replaces whatever the template's body held (its section properties stay last). It
        is not parsed back into python-docx's tree: python-docx saves the package with a marker in
        the body, and the marker is replaced by the body's text in ``word/document.xml``. Parsing
        and serialising 20,000 excerpts again would cost more than writing them.
        """
        out = Path(out)
        folder = out.parent if str(out.parent) else Path(".")
        if not folder.is_dir():
            raise QcodeError(f"cannot write {out}: folder {folder} does not exist")
        marker = f"qcode-body-{uuid.uuid4().hex}"
        body = self.document.element.body
        sect = None
        for child in list(body):
            if child.tag == f"{{{W}}}sectPr":
                sect = child
            else:
                body.remove(child)
        comment = etree.Comment(marker)
        if sect is not None:
            sect.addprevious(comment)
        else:
            body.append(comment)
        package = BytesIO()
        self.document.save(package)
        body.remove(comment)
        content = "".join(self.parts).encode("utf-8")
        handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=folder)
        os.close(handle)
        try:
            with zipfile.ZipFile(package) as source, \
                    zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as target:
                for info in source.infolist():
                    data = source.read(info)
                    if info.filename == "word/document.xml":
                        head, found, tail = data.partition(f"<!--{marker}-->".encode("ascii"))
                        if not found:
                            raise RuntimeError("the body marker is missing from word/document.xml")
                        data = b"".join((head, content, tail))
                    target.writestr(zipfile.ZipInfo(info.filename, info.date_time), data,
                                    compress_type=zipfile.ZIP_DEFLATED)
            os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; a new file gets the usual mode
            os.replace(temporary, out)
        except OSError as exc:
            Path(temporary).unlink(missing_ok=True)
            raise QcodeError(f"cannot write {out}: {exc.strerror or exc}") from None
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def prepare_document():
    """python-docx's default document, A4, with the styles the exports use present and tuned."""
    from docx import Document
    from docx.oxml import parse_xml
    from docx.shared import Cm, Pt, RGBColor

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)
    styles = document.styles
    names = {style.name for style in styles}
    for level, indent in ((1, ""), (2, '<w:ind w:left="220"/>')):
        if f"toc {level}" not in names:
            names.add(f"toc {level}")
            styles.element.append(parse_xml(
                _TOC_STYLE.replace("{n}", str(level)).replace("{indent}", indent)))
    missing = [name for name in STYLES if name not in names]
    if missing:  # python-docx's template has them all; a changed template must too
        raise QcodeError(f"the Word template lacks the built-in style(s) {', '.join(missing)}")
    # Built-in styles, tuned in this document only: the quotation indented and kept with its
    # citation; the citation small, grey and not bold, under the quotation.
    quote = styles["Quote"].paragraph_format
    quote.left_indent = quote.right_indent = Cm(1)
    quote.space_after = Pt(2)
    quote.keep_with_next = True
    caption = styles["Caption"]
    caption.font.bold = False
    caption.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    caption.paragraph_format.left_indent = Cm(1)
    caption.paragraph_format.space_after = Pt(12)
    properties = document.core_properties
    properties.created = properties.modified = datetime.now(UTC).replace(microsecond=0)
    properties.revision = 1
    properties.author = "qcode"
    properties.last_modified_by = "qcode"
    properties.comments = ""
    properties.keywords = ""
    return document


_SETTINGS_AFTER_UPDATE_FIELDS = ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids",
                                 "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
                                 "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade",
                                 "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary",
                                 "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")


def update_fields_on_open(document) -> None:
    """``<w:updateFields w:val="true"/>`` in settings.xml, in its schema place: Word refreshes the TOC."""
    settings = document.settings.element
    if settings.find(f"{{{W}}}updateFields") is not None:
        return
    element = etree.Element(f"{{{W}}}updateFields")
    element.set(W_VAL, "true")
    for child in settings:
        if isinstance(child.tag, str) and child.tag.startswith(f"{{{W}}}") \
                and child.tag.split("}", 1)[1] in _SETTINGS_AFTER_UPDATE_FIELDS:
            child.addprevious(element)
            return
    settings.append(element)


def codebook_label(project) -> str:
    """``Title, version 1.0.0``, from the codebook the project holds (its meta), or a plain note."""
    from qcode.codebook.apply import META_KEY

    meta = json.loads(project.meta(META_KEY) or "{}")
    if not meta.get("title"):
        return "the project's own codes (no codebook file applied)"
    return meta["title"] + (f", version {meta['version']}" if meta.get("version") else "")


class _Entry:
    """One excerpt under one code: one span, the codings of it (one per coder) merged."""

    __slots__ = ("coders", "excerpt", "memos")

    def __init__(self, excerpt):
        self.excerpt = excerpt
        self.coders = [excerpt.coder]
        self.memos: list[str] = []


def _entries(found) -> dict[int, list[_Entry]]:
    """The excerpts grouped by code, in document order; the same span under a code only once."""
    by_code: dict[int, list[_Entry]] = {}
    seen: dict[tuple, _Entry] = {}
    for excerpt in found:
        key = (excerpt.code_id, excerpt.document_id, excerpt.start, excerpt.end)
        entry = seen.get(key)
        if entry is None:
            entry = seen[key] = _Entry(excerpt)
            by_code.setdefault(excerpt.code_id, []).append(entry)
        elif excerpt.coder not in entry.coders:
            entry.coders.append(excerpt.coder)
        if excerpt.memo and excerpt.memo.strip() and excerpt.memo not in entry.memos:
            entry.memos.append(excerpt.memo)
    return by_code


def bookmark_name(number: int) -> str:
    """The bookmark of the ``number``-th heading (``BodyWriter.heading`` numbers them from 1)."""
    return f"_Toc{number:08d}"


def export_word(project, out: Path, filters: Filters = ALL_CODINGS, *, memos: bool = False, anonymizer=None,
                cite: str | None = None, progress: Callable[[int, int], None] | None = None) -> dict:
    """Write the excerpts that ``filters`` select to the Word file ``out``; counts for a message.

    ``anonymizer``: a callable text -> text (``qcode.export.anonymize.Anonymizer``) applied to the
    excerpts, citations, memos, document names and titles, case names and descriptions, attribute
    values, the filters and the project's name (code names and the codebook are left as they are).
    ``cite``: a citation template (``qcode.export.citation``). ``progress(done, total)`` is called
    as excerpts are written. Returns ``{"excerpts", "codings", "codes", "documents", "cases"}``:
    excerpts written (a span coded by two coders with one code is one excerpt), the codings behind
    them, the codes with excerpts, and the documents and cases they come from.
    """
    anon = anonymizer if anonymizer is not None else (lambda text: text)
    citer = Citer(project, cite, anonymizer=anonymizer)  # refuses a bad template before any work
    found = retrieve(project, filters)
    by_code = _entries(found)
    codes = project.codes.list()
    children: dict[int | None, list[int]] = {}
    for code in codes:
        children.setdefault(code.parent_id, []).append(code.id)

    # per code, with the codes below it: excerpts, documents, cases
    totals: dict[int, tuple[int, set, set]] = {}
    for code in reversed(codes):
        count, documents, cases = 0, set(), set()
        for entry in by_code.get(code.id, ()):
            count += 1
            documents.add(entry.excerpt.document_id)
            cases.update(entry.excerpt.cases)
        for child in children.get(code.id, ()):
            c, d, k = totals[child]
            count += c
            documents |= d
            cases |= k
        totals[code.id] = (count, documents, cases)
    shown = [code for code in codes if totals[code.id][0]]
    all_documents = {e.document_id for e in found}
    all_cases = {case for e in found for case in e.cases}
    entry_total = sum(len(v) for v in by_code.values())
    depth = {code.id: code.path.count("/") for code in codes}

    document = prepare_document()
    document.core_properties.title = clean(anon(project.name))
    document.core_properties.subject = "Coded excerpts"
    update_fields_on_open(document)
    writer = BodyWriter(document)

    # title page
    writer.paragraph("Title", anon(project.name))
    writer.paragraph("Subtitle", "Coded excerpts")
    writer.paragraph("Normal", f"Exported on {date.today().isoformat()}")
    writer.paragraph("Normal", "Filters: " + "; ".join(anon(part) for part in filters.describe()))
    writer.paragraph("Normal", f"Codebook: {codebook_label(project)}")
    writer.paragraph("Normal", counts_line(entry_total, len(all_documents), len(all_cases)))
    coders = sorted({e.coder for e in found})
    if coders:
        writer.paragraph("Normal", "Coded by " + ", ".join(anon(c) for c in coders))

    # the contents: the headings are numbered in the order they are written below
    doc_rows, case_names = _document_rows(project, all_documents, anon)
    toc_top = int(TOC_LEVELS.split("-")[1])
    toc = [(depth[c.id] + 1, c.name, bookmark_name(n)) for n, c in enumerate(shown, start=1) if depth[c.id] < toc_top]
    toc += [(1, APPENDIX_A, bookmark_name(len(shown) + 1)), (1, APPENDIX_B, bookmark_name(len(shown) + 2))]
    if case_names:
        toc.append((2, "Cases", bookmark_name(len(shown) + 3)))
    writer.toc(toc)

    # the excerpts, code by code
    quote = f'<w:p><w:pPr><w:pStyle w:val="{writer.style("Quote")}"/></w:pPr>'
    caption = f'<w:p><w:pPr><w:pStyle w:val="{writer.style("Caption")}"/></w:pPr>'
    note = f'<w:p>{writer.ppr(indent=1134)}{run_xml("Memo: ", bold=True, italic=True)}'
    parts = writer.parts
    done = 0
    if not shown:
        writer.paragraph("Normal", "No excerpts match these filters.", page_break=True)
    for number, code in enumerate(shown):
        color = _COLOR.fullmatch(code.color or "")
        writer.heading(code.name, depth[code.id] + 1, color=color.group(1).upper() if color else None,
                       page_break=number == 0)
        definition = ((code.details or {}).get("definition") or "").strip()
        if definition:
            writer.paragraph("Normal", definition, italic=True, keep_next=True)
        count, documents, cases = totals[code.id]
        writer.paragraph("Normal", counts_line(count, len(documents), len(cases)), keep_next=True)
        for entry in by_code.get(code.id, ()):
            excerpt = entry.excerpt
            if len(entry.coders) > 1:
                excerpt = replace(excerpt, coder=", ".join(entry.coders))
            parts.append(f"{quote}{run_xml(anon(excerpt.text))}</w:p>{caption}{run_xml(citer.cite(excerpt))}</w:p>")
            if memos:
                for memo in entry.memos:
                    parts.append(f"{note}{run_xml(anon(memo.strip()), italic=True)}</w:p>")
            done += 1
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done, entry_total)

    # Appendix A: the codebook
    writer.heading(APPENDIX_A, 1, page_break=True)
    writer.paragraph("Normal", f"Codebook: {codebook_label(project)}")
    writer.table(["Code", "Name (Indonesian)", "Definition", "When to use", "When not to use"],
                 [[code.path.replace("/", " / "), *((code.details or {}).get(key) or "" for key in
                   ("name_id", "definition", "when_to_use", "when_not_to_use"))] for code in codes],
                 [2.8, 2.4, 3.6, 3.6, 3.6])

    # Appendix B: the documents cited and their cases
    writer.heading(APPENDIX_B, 1, page_break=True)
    writer.paragraph("Normal", f"The {_plural(len(all_documents), 'document')} cited above, with their cases "
                               "and attributes.")
    writer.table(["Document", "Title", "Case", "Attributes"], doc_rows, [4.0, 4.6, 3.0, 4.4])
    if case_names:
        writer.heading("Cases", 2)
        writer.table(["Case", "Description", "Attributes"], _case_rows(project, case_names, anon), [3.5, 7.5, 5.0])
    writer.paragraph()
    writer.save(out)
    if progress is not None:
        progress(entry_total, entry_total)
    return {"excerpts": entry_total, "codings": len(found), "codes": sum(1 for c in shown if by_code.get(c.id)),
            "documents": len(all_documents), "cases": len(all_cases)}


def _attributes(values: dict[str, str], anon) -> str:
    return "; ".join(f"{name}: {anon(value)}" for name, value in values.items())


def _document_rows(project, document_ids: set[int], anon) -> tuple[list[list[str]], list[str]]:
    values = project.attributes.values("document")
    rows, case_names = [], []
    for summary in project.documents.list():
        if summary.id not in document_ids:
            continue
        rows.append([anon(summary.name), anon(summary.title or ""), "; ".join(anon(c) for c in summary.cases),
                     _attributes(values.get(summary.name, {}), anon)])
        case_names += [c for c in summary.cases if c not in case_names]
    return rows, sorted(case_names)


def _case_rows(project, names: list[str], anon) -> list[list[str]]:
    values = project.attributes.values("case")
    wanted = set(names)
    return [[anon(case.name), anon(case.description or ""), _attributes(values.get(case.name, {}), anon)]
            for case in project.cases.list() if case.name in wanted]
