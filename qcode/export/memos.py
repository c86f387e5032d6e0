"""The Word export of memos: every memo of a project, grouped by what it belongs to.

    title page     project name, "Memos", date, number of memos
    Project memos, Document memos, Case memos, Code memos, Coding memos (Heading 1 each, when any)
        one Heading 2 per memo: its title, or what it belongs to (for a coding: the code and the
        document); a Caption line with the coder and the date it was last changed; for a coding
        memo the excerpt (Quote) and its citation (Caption); then the memo's text, a paragraph for
        each blank-line-separated block, line breaks kept

Documents are in import order, cases by name, codes in codebook order, codings in document order;
memos of one target in the order they were written. Same styles, cleaning and anonymising as the
excerpt export (``qcode.export.word``).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from qcode.analysis.retrieval import Filters
from qcode.analysis.retrieval import excerpts as retrieve
from qcode.export.citation import Citer
from qcode.export.word import BodyWriter, clean, prepare_document, run_xml

KIND_HEADINGS = (("project", "Project memos"), ("document", "Document memos"), ("case", "Case memos"),
                 ("code", "Code memos"), ("coding", "Coding memos"))
_BLOCKS = re.compile(r"\n[ \t]*\n+")


def _text_paragraphs(writer: BodyWriter, text: str, anon) -> None:
    blocks = [block.strip("\n") for block in _BLOCKS.split(clean(anon(text)))]
    blocks = [block for block in blocks if block.strip()]
    for block in blocks or ["(empty)"]:
        writer.paragraph("Normal", runs=run_xml(block))


def export_memos_word(project, out: Path, *, anonymizer=None) -> int:
    """Write every memo of ``project`` to the Word file ``out``; returns how many were written.

    ``anonymizer`` (text -> text) is applied to memo titles and texts, document names and titles,
    case names, coders, excerpts and citations; code names are left as they are.
    """
    anon = anonymizer if anonymizer is not None else (lambda text: text)
    # code memos asked for by kind, so that they name the code by its path
    memos = [m for m in project.memos.list() if m.kind != "code"] + project.memos.list("code")
    document_order = {d.name: (n, d.title) for n, d in enumerate(project.documents.list())}
    code_order = {c.path: n for n, c in enumerate(project.codes.list())}

    coding_memos = [m for m in memos if m.kind == "coding"]
    found: dict[str, object] = {}
    if coding_memos:
        guids = {m.target for m in coding_memos}
        rows = project.conn.execute(
            "SELECT DISTINCT d.name FROM codings c JOIN documents d ON d.id = c.document_id"
            f" WHERE c.guid IN ({','.join('?' * len(guids))})", sorted(guids)).fetchall()
        found = {e.guid: e for e in retrieve(project, Filters(documents=tuple(r[0] for r in rows)))
                 if e.guid in guids}
    citer = Citer(project, anonymizer=anonymizer)

    def order(memo):
        if memo.kind == "document":
            return (document_order.get(memo.target, (len(document_order), None))[0], memo.id)
        if memo.kind == "case":
            return (memo.target or "", memo.id)
        if memo.kind == "code":
            return (code_order.get(memo.target, len(code_order)), memo.id)
        if memo.kind == "coding":
            excerpt = found.get(memo.target)
            return ((excerpt.document_id, excerpt.start, excerpt.end) if excerpt else (1 << 62, 0, 0), memo.id)
        return (memo.id,)

    document = prepare_document()
    document.core_properties.title = clean(anon(project.name))
    document.core_properties.subject = "Memos"
    writer = BodyWriter(document)
    writer.paragraph("Title", anon(project.name))
    writer.paragraph("Subtitle", "Memos")
    writer.paragraph("Normal", f"Exported on {date.today().isoformat()}")
    writer.paragraph("Normal", f"{len(memos):,} memo{'' if len(memos) == 1 else 's'}")
    if not memos:
        writer.paragraph("Normal", "This project has no memos.")

    for kind, heading in KIND_HEADINGS:
        group = sorted((m for m in memos if m.kind == kind), key=order)
        if not group:
            continue
        writer.heading(heading, 1, page_break=True)
        for memo in group:
            excerpt = found.get(memo.target) if kind == "coding" else None
            if kind == "project":
                label = "Project memo"
            elif kind == "document":
                name = memo.target or ""
                label = anon(document_order.get(name, (0, None))[1] or name)
            elif kind == "case":
                label = anon(memo.target or "")
            elif kind == "code":
                label = memo.target or ""
            else:
                label = (f"{excerpt.code} in {anon(citer.document_label(excerpt.document_id))}" if excerpt
                         else "a coding that no longer exists")
            title = anon(memo.title.strip()) if memo.title and memo.title.strip() else ""
            writer.heading(f"{label}: {title}" if title and kind != "project" else title or label, 2)
            who = f"by {anon(memo.coder)}, " if memo.coder else ""
            writer.paragraph("Caption", f"{who}{(memo.modified or '')[:10]}", keep_next=True)
            if excerpt is not None:
                writer.paragraph("Quote", anon(excerpt.text))
                writer.paragraph("Caption", citer.cite(excerpt))
            _text_paragraphs(writer, memo.text, anon)
    writer.paragraph()
    writer.save(out)
    return len(memos)
