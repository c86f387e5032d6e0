"""Citation lines: where an excerpt comes from, in the form the researcher's style guide wants.

The default form names the case(s), the document (its title when it has one), the place in the
document and the coder::

    IOM Indonesia - Interview with an IOM programme officer, paragraphs 12-13 - coded by DH
    Returned workers NTB - Focus group E, 00:00:21 - coded by DH          (a .vtt/.srt transcript)
    Policy memo, p. 3, paragraph 14 - coded by DH                          (a PDF; no case)

Paragraphs are numbered among the non-empty lines of the stored text (as ``Locator`` counts them);
for transcripts the start time of the first cue replaces the paragraphs; for PDFs the page comes
first. A template chooses another form, e.g. ``"{case}, {document}, para. {paragraph}"``; its fields
are listed in ``FIELDS`` plus ``{attr:NAME}`` (the case's attribute NAME, else the document's).
``{{`` and ``}}`` stand for literal braces. A field that is empty for an excerpt (no case, no title,
no page outside PDFs, no time outside transcripts, an attribute without a value) takes its separator
with it: the text between it and the field before it, or, for a leading field, the text up to the
next field; a bracket opened in that text is closed with it. So ``{case}, {document}, para.
{paragraph}`` gives ``Webinar, para. 16`` for a document in no case, and ``{document} ({time})``
gives ``Field notes`` outside transcripts. The anonymizer, when given, is applied to the whole line.
"""

from __future__ import annotations

import json
import re

from qcode.analysis.retrieval import Locator
from qcode.core.errors import QcodeError

FIELDS = {
    "case": "the case(s) of the document, joined with '; '",
    "document": "the document's title, or its name when it has none",
    "name": "the document's (file) name",
    "title": "the document's title (empty when it has none)",
    "paragraph": "the first paragraph of the excerpt",
    "paragraphs": "the paragraphs it spans: 12 or 12-13",
    "line": "the first line of the excerpt",
    "lines": "the lines it spans: 40 or 40-42",
    "page": "the PDF page(s): 3 or 3-4 (empty for other formats)",
    "time": "the start time of a transcript's cue, hh:mm:ss (empty for other formats)",
    "coder": "who coded it",
    "date": "the date of the coding, YYYY-MM-DD",
    "code": "the code (its path)",
}
ATTRIBUTE_PREFIX = "attr:"
CASE_SEPARATOR = "; "

_CLOSERS = {"(": ")", "[": "]", "{": "}"}
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


def field_list() -> str:
    return ", ".join(["{" + name + "}" for name in FIELDS] + ["{attr:NAME}"])


def parse_template(template: str) -> list[tuple[bool, str]]:
    """``template`` as (is_field, text) parts; ``QcodeError`` for an unknown field or a stray brace."""
    parts: list[tuple[bool, str]] = []
    position = 0
    for match in _TOKEN.finditer(template):
        if match.start() > position:
            parts.append((False, template[position:match.start()]))
        token = match.group(0)
        if token in ("{{", "}}"):
            parts.append((False, token[0]))
        elif match.group(1) is None:
            raise QcodeError(f"citation template {template!r}: a single {token!r} (write {token * 2} for a brace, "
                             f"or name a field: {field_list()})")
        else:
            name = match.group(1).strip()
            if name.startswith(ATTRIBUTE_PREFIX):
                if not name[len(ATTRIBUTE_PREFIX):].strip():
                    raise QcodeError(f"citation template {template!r}: {{attr:}} needs an attribute name, "
                                     "as in {attr:organisation}")
            elif name not in FIELDS:
                raise QcodeError(f"citation template {template!r}: unknown field {{{name}}}; "
                                 f"the fields are {field_list()}")
            parts.append((True, name))
        position = match.end()
    if position < len(template):
        parts.append((False, template[position:]))
    return parts


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


class Citer:
    """Makes the citation line of an excerpt (``qcode.analysis.retrieval.Excerpt``)."""

    def __init__(self, project, template: str | None = None, anonymizer=None):
        self.project = project
        self.parts = parse_template(template) if template is not None else None
        self.anonymizer = anonymizer
        conn = project.conn
        self._documents: dict[int, tuple[str, str | None, str]] = {
            row[0]: (row[1], row[2], row[3]) for row in conn.execute("SELECT id, name, title, format FROM documents")}
        self._locators: dict[int, Locator] = {}
        wanted = {name[len(ATTRIBUTE_PREFIX):].strip() for is_field, name in (self.parts or ())
                  if is_field and name.startswith(ATTRIBUTE_PREFIX)}
        self._attributes = wanted
        if wanted:
            self._case_values = project.attributes.values("case")
            self._document_values = project.attributes.values("document")

    def locator(self, document_id: int) -> Locator:
        found = self._locators.get(document_id)
        if found is None:
            row = self.project.conn.execute("SELECT text, metadata FROM documents WHERE id = ?",
                                            (document_id,)).fetchone()
            found = self._locators[document_id] = Locator(row[0], json.loads(row[1] or "{}"))
        return found

    def document_label(self, document_id: int) -> str:
        name, title, _ = self._documents[document_id]
        return title or name

    def cite(self, excerpt) -> str:
        line = self._default(excerpt) if self.parts is None else self._templated(excerpt)
        return self.anonymizer(line) if self.anonymizer is not None else line

    def _default(self, excerpt) -> str:
        locator = self.locator(excerpt.document_id)
        name, title, _ = self._documents[excerpt.document_id]
        if locator.cues:
            where = f"{title or name}, {locator.time(excerpt.start)}"
        else:
            first, last = locator.paragraphs(excerpt.start, excerpt.end)
            where = f"paragraph {first}" if first == last else f"paragraphs {first}-{last}"
            pages = self._pages(locator, excerpt) if locator.pages else ""
            if pages:
                where = f"{'pp.' if '-' in pages else 'p.'} {pages}, {where}"
            where = f"{title or name}, {where}"
        if excerpt.cases:
            return f"{CASE_SEPARATOR.join(excerpt.cases)} - {where} - coded by {excerpt.coder}"
        return f"{where} - coded by {excerpt.coder}"

    @staticmethod
    def _pages(locator: Locator, excerpt) -> str:
        first = locator.page(excerpt.start)
        if first is None:
            return ""
        return _span(first, locator.page(max(excerpt.start, excerpt.end - 1)))

    def _templated(self, excerpt) -> str:
        """The template filled in; an empty field takes its separator with it (see the module doc)."""
        values: dict[str, str] = {}
        out: list[tuple[bool, str]] = []
        emitted = False  # a non-empty field is in ``out``
        skipping = False  # an empty field came before any other: drop the text up to the next field
        closer = ""  # an empty field's "(" went with its separator: drop the ")" after it too
        dropped = ""  # the closer of a "(" dropped with a leading empty field, due after the next field
        for is_field, text in self.parts:
            if not is_field:
                if closer and text.lstrip().startswith(closer):
                    text = text.lstrip()[1:]
                closer = ""
                if skipping:
                    dropped = _CLOSERS.get(text.rstrip()[-1:], dropped)
                elif text:
                    out.append((False, text))
                continue
            if text not in values:
                values[text] = self._field(text, excerpt)
            value = values[text]
            if value:
                out.append((True, value))
                emitted, skipping, closer, dropped = True, False, dropped, ""
            elif emitted:
                separator = ""
                while out and not out[-1][0]:
                    separator = out.pop()[1] + separator
                closer = _CLOSERS.get(separator.rstrip()[-1:], "")
            else:
                skipping = True
                if out and out[-1][1].rstrip()[-1:] in _CLOSERS:  # "[{time}] ...": the "[" goes too
                    out[-1] = (False, out[-1][1].rstrip()[:-1])
        return "".join(text for _, text in out)

    def _field(self, name: str, excerpt) -> str:
        document_name, title, _ = self._documents[excerpt.document_id]
        if name == "case":
            return CASE_SEPARATOR.join(excerpt.cases)
        if name == "document":
            return title or document_name
        if name == "name":
            return document_name
        if name == "title":
            return title or ""
        if name == "coder":
            return excerpt.coder
        if name == "date":
            return (excerpt.created or "")[:10]
        if name == "code":
            return excerpt.code
        if name.startswith(ATTRIBUTE_PREFIX):
            attribute = name[len(ATTRIBUTE_PREFIX):].strip()
            for case in excerpt.cases:
                value = self._case_values.get(case, {}).get(attribute)
                if value:
                    return value
            return self._document_values.get(document_name, {}).get(attribute, "")
        locator = self.locator(excerpt.document_id)
        if name in ("paragraph", "paragraphs"):
            first, last = locator.paragraphs(excerpt.start, excerpt.end)
            return str(first) if name == "paragraph" else _span(first, last)
        if name in ("line", "lines"):
            first, last = locator.lines(excerpt.start, excerpt.end)
            return str(first) if name == "line" else _span(first, last)
        if name == "page":
            return self._pages(locator, excerpt)
        if name == "time":
            return locator.time(excerpt.start) or ""
        raise QcodeError(f"unknown citation field {{{name}}}")  # parse_template refuses it first
