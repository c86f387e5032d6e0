"""A report of coded excerpts, as Markdown or as one self-contained HTML file.

The report: a title block (project, "Coded excerpts", date, filters, codebook, number of excerpts),
a list of the codes, then, in codebook order, each code that has excerpts (and the codes above it,
as headings): its definition, a line such as "14 excerpts from 6 documents, 4 cases", and each
excerpt in document order with its citation line, the same as the Word export's
(``qcode.export.citation``; ``cite=`` takes a template)::

    IOM Indonesia - Interview with an IOM programme officer, paragraphs 12-13 - coded by DH

For a transcript the start time replaces the paragraphs (``00:00:21``); for a PDF the page comes
first (``p. 3, paragraph 14``). With ``memos=True`` the memo of each coding follows its excerpt, and the memos on each
code follow its definition. An excerpt appears once, under the code it was coded with.

Document text is data, never markup. In HTML every piece of text is escaped (a ``<script>`` in an
excerpt shows as text) and a Content-Security-Policy forbids scripts and every outside resource;
the stylesheet is inline, so the file stands alone. In Markdown the characters that would become
markup are backslash-escaped: ``\\ ` * _ [ ] < > # | ~ $`` and ``@ ^`` (for Pandoc), an ``&``
that starts an entity, and ``- + = :`` or ``1.`` at the start of a line. In excerpts the
indentation at the start of a line is dropped (it would make a code block) and line breaks are
kept as hard breaks. Control characters are dropped from both.

With an anonymizer every piece of text (excerpts, citations, names, titles, memos, definitions,
the filters) passes through it before it is escaped.
"""

from __future__ import annotations

import datetime
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from qcode.analysis.retrieval import Excerpt, Filters, excerpts
from qcode.export.anonymize import identity
from qcode.export.citation import Citer
from qcode.export.tables import output_path

_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")
_LANG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")


# -- escaping --------------------------------------------------------------------------------------

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_MD_INLINE = re.compile(r"([\\`*_\[\]<>#|~$@^])")
_MD_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_MD_LINE_START = re.compile(r"^([ \t]*)([-+=:]|\d+(?=[.)]))", re.MULTILINE)


def md_escape(text: str) -> str:
    """``text`` as Markdown that shows exactly these characters, with no markup (and no control characters)."""
    text = _CONTROL.sub("", text)
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_ENTITY.sub(r"\\&", text)

    def line_start(m: re.Match) -> str:
        lead, mark = m.group(1), m.group(2)
        if mark.isdigit():  # "12." or "12)" would start a numbered list: escape the dot or bracket
            return lead + mark + "\\"
        return lead + "\\" + mark

    return _MD_LINE_START.sub(line_start, text)


def _md_quote(text: str) -> str:
    """An excerpt as a Markdown block quote, its lines kept (hard breaks), its blank lines kept."""
    lines = [line.strip(" \t") for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    out = []
    for i, line in enumerate(lines):
        escaped = md_escape(line)
        if line and i + 1 < len(lines) and lines[i + 1]:
            escaped += "\\"  # a hard line break
        out.append(f"> {escaped}".rstrip())
    return "\n".join(out) if out else ">"


def _h(text: str) -> str:
    """Text as HTML: escaped, without the control characters HTML forbids."""
    return html.escape(_CONTROL.sub("", text), quote=True)


# -- the report's content --------------------------------------------------------------------------

@dataclass
class Section:
    code_id: int
    path: str
    name: str
    depth: int
    definition: str
    color: str | None
    excerpts: list[Excerpt] = field(default_factory=list)
    memos: list[str] = field(default_factory=list)

    def summary(self) -> str:
        documents = len({e.document_id for e in self.excerpts})
        cases = len({c for e in self.excerpts for c in e.cases})
        n = len(self.excerpts)
        return (f"{n} excerpt{'s' if n != 1 else ''} from {documents} document{'s' if documents != 1 else ''}, "
                f"{cases} case{'s' if cases != 1 else ''}")


class Report:
    """What both formats show, gathered once (already anonymized, not yet escaped)."""

    def __init__(self, project, filters: Filters, *, memos: bool, anonymizer: Callable | None,
                 cite: str | None = None):
        a = self.anonymize = anonymizer or identity
        self.citer = Citer(project, cite, anonymizer=a)
        self.memos = memos
        self.project_name = a(project.name)
        self.date = datetime.date.today().isoformat()
        self.filters = [a(part) for part in filters.describe()]
        self.codebook = None
        raw = project.meta("codebook")
        if raw:
            try:
                info = json.loads(raw)
                title = str(info.get("title") or "").strip()
                version = str(info.get("version") or "").strip()
                title = f"{title}, version {version}" if title and version else title
                self.codebook = a(title) if title else None
            except (ValueError, AttributeError):
                self.codebook = None
        found = excerpts(project, filters)
        self.count = len(found)
        self.languages = self._languages(project)
        codes = project.codes.list()
        by_code: dict[int, list[Excerpt]] = {}
        for e in found:
            by_code.setdefault(e.code_id, []).append(e)
        parents = {c.id: c.parent_id for c in codes}
        keep: set[int] = set()
        for code_id in by_code:
            while code_id is not None and code_id not in keep:
                keep.add(code_id)
                code_id = parents.get(code_id)
        code_memos: dict[str, list[str]] = {}
        if memos:
            for memo in project.memos.list("code"):
                text = f"{memo.title}: {memo.text}" if memo.title else memo.text
                code_memos.setdefault(memo.target, []).append(text)
        self.sections = []
        for code in codes:
            if code.id not in keep:
                continue
            definition = code.details.get("definition") or code.description or ""
            self.sections.append(Section(
                code_id=code.id, path=a(code.path), name=a(code.name), depth=code.path.count("/"),
                definition=a(str(definition)),
                color=code.color if code.color and _COLOR.fullmatch(code.color) else None,
                excerpts=by_code.get(code.id, []), memos=[a(m) for m in code_memos.get(code.path, [])]))

    @staticmethod
    def _languages(project) -> dict[str, str]:
        values = project.attributes.values("document")
        found = {}
        for document, attributes in values.items():
            language = attributes.get("language")
            if language and _LANG.fullmatch(language):
                found[document] = language
        return found

    def citation(self, e: Excerpt) -> str:
        """The citation line, as the Word export writes it (``qcode.export.citation``)."""
        return self.citer.cite(e)

    def text(self, e: Excerpt) -> str:
        return self.anonymize(e.text)

    def memo(self, e: Excerpt) -> str | None:
        return self.anonymize(e.memo) if self.memos and e.memo else None


# -- Markdown --------------------------------------------------------------------------------------

def render_markdown(report: Report) -> str:
    out = [f"# {md_escape(report.project_name)}", "", "Coded excerpts", ""]
    out.append(f"- date: {report.date}")
    out.append(f"- filters: {md_escape('; '.join(report.filters))}")
    if report.codebook:
        out.append(f"- codebook: {md_escape(report.codebook)}")
    out.append(f"- excerpts: {report.count}")
    out.append("")
    for section in report.sections:
        level = "#" * min(6, section.depth + 2)
        out += [f"{level} {md_escape(section.name)}", ""]
        if section.definition:
            out += [f"*{md_escape(' '.join(section.definition.split()))}*", ""]
        for memo in section.memos:
            out += [f"Memo: {md_escape(' '.join(memo.split()))}", ""]
        if section.excerpts:
            out += [md_escape(section.summary()), ""]
        for e in section.excerpts:
            out += [_md_quote(report.text(e)), "", md_escape(report.citation(e)), ""]
            memo = report.memo(e)
            if memo:
                out += [f"Memo: {md_escape(' '.join(memo.split()))}", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def export_markdown(project, out, filters: Filters = Filters(), *, memos: bool = False,
                    anonymizer: Callable | None = None, cite: str | None = None) -> int:
    """Write the report as Markdown (UTF-8) to ``out`` (a path or a text stream); returns the number
    of excerpts. ``cite``: a citation template (``qcode.export.citation``), else the default line."""
    report = Report(project, filters, memos=memos, anonymizer=anonymizer, cite=cite)
    text = render_markdown(report)
    _write_text(out, text)
    return report.count


# -- HTML ------------------------------------------------------------------------------------------

STYLE = """
body { font: 16px/1.5 Georgia, "Times New Roman", serif; max-width: 46em; margin: 2em auto; padding: 0 1em;
       color: #222; background: #fff; }
h1, h2, h3, h4, h5, h6 { font-family: system-ui, sans-serif; line-height: 1.25; }
.subtitle { font-size: 1.3em; margin-top: -0.5em; }
.about { color: #555; font-size: 0.9em; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.4em; border: 1px solid #888;
          vertical-align: baseline; }
.definition { font-style: italic; }
.count { color: #555; font-size: 0.9em; }
figure.excerpt { margin: 1.2em 0; }
blockquote { margin: 0; padding: 0.4em 1em; border-left: 4px solid #bbb; background: #f7f7f7;
             white-space: pre-wrap; overflow-wrap: anywhere; }
figcaption { font-size: 0.85em; color: #444; margin-top: 0.3em; }
.memo { font-size: 0.9em; margin: 0.4em 0 0 2em; color: #333; white-space: pre-wrap; }
nav ul { list-style: none; padding-left: 1em; }
@media print { nav { display: none; } figure.excerpt { break-inside: avoid; } }
""".strip()


def render_html(report: Report) -> str:
    title = _h(report.project_name)
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{title} - coded excerpts</title>", f"<style>\n{STYLE}\n</style>", "</head>", "<body>",
           "<header>", f"<h1>{title}</h1>", '<p class="subtitle">Coded excerpts</p>', '<ul class="about">',
           f"<li>date: {_h(report.date)}</li>", f"<li>filters: {_h('; '.join(report.filters))}</li>"]
    if report.codebook:
        out.append(f"<li>codebook: {_h(report.codebook)}</li>")
    out += [f"<li>excerpts: {report.count}</li>", "</ul>", "</header>"]
    if report.sections:
        out.append('<nav><h2>Codes</h2><ul>')
        for section in report.sections:
            indent = f' style="margin-left: {section.depth * 1.2:g}em"' if section.depth else ""
            out.append(f'<li{indent}><a href="#code-{section.code_id}">{_h(section.name)}</a>'
                       f" ({len(section.excerpts)})</li>")
        out.append("</ul></nav>")
    out.append("<main>")
    for section in report.sections:
        level = min(6, section.depth + 2)
        swatch = f'<span class="swatch" style="background: {section.color}"></span>' if section.color else ""
        out.append(f'<section id="code-{section.code_id}">')
        out.append(f'<h{level} title="{_h(section.path)}">{swatch}{_h(section.name)}</h{level}>')
        if section.definition:
            out.append(f'<p class="definition">{_h(section.definition)}</p>')
        for memo in section.memos:
            out.append(f'<p class="memo">Memo: {_h(memo)}</p>')
        if section.excerpts:
            out.append(f'<p class="count">{_h(section.summary())}</p>')
        for e in section.excerpts:
            language = report.languages.get(e.document)
            lang = f' lang="{_h(language)}"' if language else ""
            out.append(f'<figure class="excerpt"><blockquote{lang}>{_h(report.text(e))}</blockquote>'
                       f"<figcaption>{_h(report.citation(e))}</figcaption>")
            memo = report.memo(e)
            if memo:
                out.append(f'<p class="memo">Memo: {_h(memo)}</p>')
            out.append("</figure>")
        out.append("</section>")
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


def export_html(project, out, filters: Filters = Filters(), *, memos: bool = False,
                anonymizer: Callable | None = None, cite: str | None = None) -> int:
    """Write the report as one self-contained HTML file to ``out`` (a path or a text stream);
    returns the number of excerpts. ``cite``: a citation template, as for ``export_markdown``."""
    report = Report(project, filters, memos=memos, anonymizer=anonymizer, cite=cite)
    _write_text(out, render_html(report))
    return report.count


def _write_text(out, text: str) -> None:
    if hasattr(out, "write"):
        out.write(text)
        return
    with output_path(out) as path:
        Path(path).write_text(text, encoding="utf-8", newline="\n")
