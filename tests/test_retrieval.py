"""Retrieval of excerpts: filters, context, and where offsets lie (paragraphs, lines, pages, times)."""

from __future__ import annotations

import pytest

from qcode.analysis.retrieval import Filters, Locator, excerpts, parse_where
from qcode.core import NotFound, QcodeError

TEXT_A = "Interviewer: Who leads?\n\nR.: The ministry leads. IOM 👩🏽‍⚕️ supports.\nR.: We convene e\u0301very month."
TEXT_B = "Narasumber: Dinas sosial yang memimpin.\nNarasumber: IOM hanya mendukung."


@pytest.fixture
def coded(project):
    add = project.documents.add
    add(name="a.txt", text=TEXT_A, format="txt", sha256="a", source_file="a.txt", size=1, case="IOM Indonesia")
    add(name="b.txt", text=TEXT_B, format="txt", sha256="b", source_file="b.txt", size=1, case="Task force NTT")
    project.attributes.set("case", "IOM Indonesia", "organisation", "IOM")
    project.attributes.set("case", "Task force NTT", "organisation", "Gugus Tugas")
    project.attributes.set("document", "b.txt", "language", "id")
    s = TEXT_A.index("The ministry")
    project.codings.add("a.txt", s, s + len("The ministry leads."), "Role set/Supporting role")
    e = TEXT_A.index("IOM 👩")
    project.codings.add("a.txt", e, TEXT_A.index(" supports") + len(" supports."), "Role set/Supporting role",
                        memo="emoji edge")
    c = TEXT_A.index("We convene")
    project.codings.add("a.txt", c, len(TEXT_A), "Role set/Coordinator", coder="second")
    d = TEXT_B.index("Dinas")
    project.codings.add("b.txt", d, d + len("Dinas sosial yang memimpin."), "Stakeholder/Ministries")
    project.codings.add("b.txt", TEXT_B.index("IOM hanya"), len(TEXT_B), "Role set/Supporting role")
    return project


def texts(found):
    return [(e.document, e.code, e.text) for e in found]


def test_every_excerpt_in_document_order_with_exact_text(coded):
    found = excerpts(coded)
    assert texts(found) == [
        ("a.txt", "Role set/Supporting role", "The ministry leads."),
        ("a.txt", "Role set/Supporting role", "IOM 👩🏽‍⚕️ supports."),
        ("a.txt", "Role set/Coordinator", "We convene e\u0301very month."),
        ("b.txt", "Stakeholder/Ministries", "Dinas sosial yang memimpin."),
        ("b.txt", "Role set/Supporting role", "IOM hanya mendukung."),
    ]
    assert found[1].memo == "emoji edge" and found[2].coder == "second"
    assert found[0].cases == ("IOM Indonesia",)


def test_filters_narrow(coded):
    assert len(excerpts(coded, Filters(code="Role set"))) == 4
    assert excerpts(coded, Filters(code="Role set", children=False)) == []
    assert [e.document for e in excerpts(coded, Filters(code="Role set/Supporting role", cases=("Task force NTT",)))] == ["b.txt"]
    assert [e.text for e in excerpts(coded, Filters(where=(("organisation", "IOM"),), coders=("second",)))] == [
        "We convene e\u0301very month."]
    assert [e.document for e in excerpts(coded, Filters(where=(("language", "id"),)))] == ["b.txt", "b.txt"]
    assert excerpts(coded, Filters(documents=("a.txt",), cases=("Task force NTT",))) == []
    with pytest.raises(NotFound, match="no attribute 'province'"):
        excerpts(coded, Filters(where=(("province", "NTT"),)))
    with pytest.raises(NotFound):
        excerpts(coded, Filters(code="Nope"))


def test_context_in_characters_or_the_whole_paragraph(coded):
    first = excerpts(coded, Filters(documents=("a.txt",)), context=5)[0]
    assert first.context == "\nR.: The ministry leads. IOM "
    paragraph = excerpts(coded, Filters(documents=("a.txt",)), context="paragraph")[1]
    assert paragraph.context == "R.: The ministry leads. IOM 👩🏽‍⚕️ supports."
    assert paragraph.text in paragraph.context
    assert TEXT_A[paragraph.context_start:].startswith(paragraph.context)


def test_locator_counts_paragraphs_lines_pages_and_times():
    locator = Locator(TEXT_A)
    last = TEXT_A.index("We convene")
    assert locator.lines(last, last + 3) == (4, 4)
    assert locator.paragraphs(last, last + 3) == (3, 3)  # the blank line is not a paragraph
    assert locator.paragraphs(0, len(TEXT_A)) == (1, 3)
    assert locator.paragraph_span(last, last + 3) == (TEXT_A.index("R.: We"), len(TEXT_A))
    pdf = Locator("page one\npage two", {"pages": [[0, 8], [9, 17]]})
    assert (pdf.page(0), pdf.page(9), pdf.page(16)) == (1, 2, 2)
    cues = {"cues": [{"start": 0, "end": 5, "begin_s": 0.0}, {"start": 6, "end": 11, "begin_s": 3725.5}]}
    transcript = Locator("[0] a\n[1] b", cues)
    assert (transcript.time(2), transcript.time(8)) == ("00:00:00", "01:02:05")
    assert Locator("plain").time(0) is None and Locator("plain").page(0) is None


def test_where_needs_attribute_equals_value():
    assert parse_where(["organisation=IOM", " province = NTT "]) == (("organisation", "IOM"), ("province", "NTT"))
    with pytest.raises(QcodeError, match="ATTRIBUTE=VALUE"):
        parse_where(["organisation"])


def test_excerpts_command(run, project_path, tmp_path):
    from conftest import write

    run("import", project_path, write(tmp_path / "a.txt", "IOM convenes.\nThe ministry leads."), "--case", "IOM")
    run("attribute", "set", project_path, "organisation", "IOM", "--case", "IOM")
    run("code", project_path, "a.txt", 0, 13, "Role set/Coordinator")
    rows = run.json("excerpts", project_path, "--where", "organisation=IOM", "--context", "paragraph")
    assert [(r["text"], r["context"], r["cases"]) for r in rows] == [("IOM convenes.", "IOM convenes.", ["IOM"])]
    assert {"document", "start", "end", "code", "coder", "memo", "text", "context"} <= set(rows[0])
    assert "neither a number" in run("excerpts", project_path, "--context", "lots", ok=False).err
    assert "ATTRIBUTE=VALUE" in run("excerpts", project_path, "--where", "x", ok=False).err


def test_a_documents_own_attribute_value_comes_before_its_cases(coded):
    coded.attributes.set("document", "b.txt", "organisation", "Dinas Sosial")
    assert [e.document for e in excerpts(coded, Filters(where=(("organisation", "Gugus Tugas"),)))] == []
    assert {e.document for e in excerpts(coded, Filters(where=(("organisation", "Dinas Sosial"),)))} == {"b.txt"}
    assert {e.document for e in excerpts(coded, Filters(where=(("organisation", "IOM"),)))} == {"a.txt"}


def test_memos_and_ties_in_document_order_however_the_memos_are_read(coded):
    # Same start: shorter span first; same span: the older coding first (by id). Memos are read all
    # at once when they are no more than the excerpts, else by coding id: both give the same memos.
    s = TEXT_B.index("Dinas")
    coded.codings.add("b.txt", s, s + 5, "Stakeholder/Ministries", memo="short")
    coded.codings.add("b.txt", s, s + 5, "Stakeholder/Ministries", coder="second", memo="second look")
    coded.codings.add("b.txt", 0, 5, "Role set/Coordinator", memo="a third memo")
    found = excerpts(coded, Filters(code="Stakeholder"))
    assert [(e.start, e.end, e.coder, e.memo) for e in found] == [
        (s, s + 5, "tester", "short"), (s, s + 5, "second", "second look"),
        (s, s + len("Dinas sosial yang memimpin."), "tester", None)]
    assert found[0].id < found[1].id and found[0].text == "Dinas"
    one = excerpts(coded, Filters(code="Stakeholder", coders=("second",)))  # 1 excerpt, 4 memos
    assert [(e.text, e.memo) for e in one] == [("Dinas", "second look")]
    everything = excerpts(coded)  # 8 excerpts, 4 memos
    assert [e.memo for e in everything if e.memo] == ["emoji edge", "a third memo", "short", "second look"]


# --- what retrieval reads, and when -------------------------------------------------------------

def test_guid_and_created_are_read_when_asked_even_after_the_project_is_closed(coded, tmp_path):
    stored = {r[0]: (r[1], r[2]) for r in coded.conn.execute("SELECT id, guid, created FROM codings")}
    found = excerpts(coded)
    assert [(e.guid, e.created) for e in found] == [stored[e.id] for e in found]
    assert found[0].as_json()["guid"] == stored[found[0].id][0]
    # a second retrieval, its stamps not read yet when the project closes
    later = excerpts(coded, Filters(code="Role set"))
    coded.close()
    assert [(e.guid, e.created) for e in later] == [stored[e.id] for e in later]


def test_guid_and_created_can_be_read_from_another_thread(coded):
    import threading

    found = excerpts(coded, Filters(code="Stakeholder"))
    seen = []
    worker = threading.Thread(target=lambda: seen.append((found[0].guid, found[0].created)))
    worker.start()
    worker.join()
    guid, created = coded.conn.execute("SELECT guid, created FROM codings WHERE id = ?", (found[0].id,)).fetchone()
    assert seen == [(guid, created)]


def test_one_code_and_one_coder_give_the_same_excerpts_as_the_general_read(coded):
    # With one code (no codes below it) and one coder, retrieval reads neither column; with two
    # coders it reads both. Both ways give the same excerpts.
    only = excerpts(coded, Filters(code="Stakeholder/Ministries"))
    assert [(e.document, e.code, e.code_id, e.coder, e.text) for e in only] == [
        ("b.txt", "Stakeholder/Ministries", only[0].code_id, "tester", "Dinas sosial yang memimpin.")]
    coded.conn.execute("DELETE FROM codings WHERE coder_id = (SELECT id FROM coders WHERE name = 'second')")
    coded.conn.execute("DELETE FROM coders WHERE name = 'second'")
    narrow = excerpts(coded, Filters(code="Role set/Supporting role"), context=10)
    assert [(e.text, e.coder, e.memo, e.context_start) for e in narrow] == [
        ("The ministry leads.", "tester", None, TEXT_A.index("The ministry") - 10),
        ("IOM 👩🏽‍⚕️ supports.", "tester", "emoji edge", TEXT_A.index("IOM 👩") - 10),
        ("IOM hanya mendukung.", "tester", None, TEXT_B.index("IOM hanya") - 10)]


def test_a_codes_excerpts_are_read_from_one_index(coded):
    plan = coded.conn.execute("EXPLAIN QUERY PLAN SELECT c.document_id, c.start, c.\"end\", c.id, c.code_id,"
                              " c.coder_id FROM codings c WHERE c.code_id IN (?)", (1,)).fetchall()
    assert "COVERING INDEX codings_code_place" in plan[0][-1]
