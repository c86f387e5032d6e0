"""Codebooks: the YAML format and its validation, applying to projects, diff, Word and Markdown, codes."""

from __future__ import annotations

import json

import docx
import pytest

from qcode.codebook import CodebookError
from qcode.codebook.apply import apply, from_project
from qcode.codebook.diff import diff
from qcode.codebook.files import default_codebook, load_codebook, save_codebook
from qcode.codebook.model import Codebook, CodebookCode
from qcode.codebook.yaml_format import dumps, loads

from conftest import write

G = ["6F2C2D8E-8B5B-4C71-9D2A-0B1C2D3E4F5%d" % i for i in range(10)]

SMALL = f"""\
format: qcode-codebook/1
title: Small
version: "0.2.0"
licence: CC-BY-4.0
codes:
  - name: Role set
    name_id: Perangkat peran
    guid: {G[0]}
    codable: false
    color: "#5F87AF"
    definition: The roles an IO plays.
    children:
      - name: Coordinator
        name_id: Peran koordinator
        guid: "{{{G[1].lower()}}}"
        color: "#87AFD7"
        shortcut: 5
        definition: IOM links two or more other stakeholders.
        when_to_use: |
          IOM convenes, aligns or brokers.
          Two lines.
        keywords:
          en: [convene, align]
          id: [koordinasi]
  - name: Context
    guid: {G[2]}
"""


def small() -> Codebook:
    return loads(SMALL, "small.yaml")


def test_yaml_reads_every_field_and_normalises_guids():
    book = small()
    assert (book.title, book.version, book.licence) == ("Small", "0.2.0", "CC-BY-4.0")
    coordinator = book.paths()["Role set/Coordinator"]
    assert coordinator.guid == G[1] and coordinator.shortcut == "5" and coordinator.color == "#87AFD7"
    assert coordinator.when_to_use == "IOM convenes, aligns or brokers.\nTwo lines."
    assert (coordinator.keywords_en, coordinator.keywords_id) == (["convene", "align"], ["koordinasi"])
    assert book.paths()["Role set"].codable is False and book.paths()["Context"].codable is True


def test_yaml_round_trip_is_lossless():
    book = small()
    again = loads(dumps(book), "again.yaml")
    assert again == book
    assert dumps(again) == dumps(book)


@pytest.mark.parametrize("text, line, message", [
    ("codes:\n  - name: A/B\n    guid: " + G[0] + "\n", 2, "contains '/'"),
    ("codes:\n  - name: A\n", 2, "has no guid"),
    ("codes:\n  - name: A\n    guid: nope\n", 3, "is not a GUID"),
    ("codes:\n  - name: A\n    guid: " + G[0] + "\n    color: red\n", 4, "is not a colour"),
    ("codes:\n  - name: A\n    guid: " + G[0] + "\n    shortcut: c\n", 4, "key of the coding workbench"),
    ("codes:\n  - name: A\n    guid: " + G[0] + "\n    shortcut: 1\n  - name: B\n    guid: " + G[1]
     + "\n    shortcut: 1\n", 7, "clashes with 'A' on line 4"),
    ("codes:\n  - name: A\n    guid: " + G[0] + "\n  - name: B\n    guid: " + G[0].lower() + "\n", 5,
     "duplicate guid"),
    ("codes:\n  - name: A\n    guid: " + G[0] + "\n  - name: A\n    guid: " + G[1] + "\n", 4, "two codes named 'A'"),
    ("codes:\n  - name: A\n    guid: " + G[0] + "\n    children:\n      - name: B\n        guid: " + G[0] + "\n", 6,
     "a cycle: the code would contain itself"),
    ("codes:\n  - name: A\n    guid: " + G[0] + "\n    colour: '#FFFFFF'\n", 4, "unknown key 'colour'"),
    ("codes:\n  - name: A\n    guid: " + G[0] + "\n    codable: maybe\n", 4, "true or false"),
    ("titel: x\ncodes: []\n", 1, "unknown key 'titel'"),
    ("codes: [\n", None, "not valid YAML"),
    ("a: &x [1]\nb: *x\ncodes: []\n", 1, "anchors are not allowed"),
    ("codes: !!python/object/apply:os.system ['echo pwned']\n", 1, "tags are not allowed"),
    ("- just\n- a list\n", None, "must be a mapping"),
])
def test_yaml_problems_are_reported_with_their_line(text, line, message):
    with pytest.raises(CodebookError) as caught:
        loads(text, "bad.yaml")
    problems = caught.value.problems
    assert any(message in m and (line is None or l == line) for l, m in problems), problems
    assert all(entry.startswith("bad.yaml") for entry in caught.value.lines())


def test_an_alias_bomb_is_refused_before_it_is_built():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)) + "codes: []\n"
    with pytest.raises(CodebookError, match="not allowed"):
        loads(bomb, "bomb.yaml")


def test_apply_adds_changes_and_never_deletes(project):
    project.documents.add(name="a.txt", text="IOM convenes the task force.", format="txt", sha256="a",
                          source_file="a.txt", size=10)
    project.codings.add("a.txt", 0, 3, "Old code")
    first = apply(project, small(), source="small.yaml")
    assert first.added == ["Role set", "Role set/Coordinator", "Context"]
    assert first.missing_in_use == ["Old code"]
    again = apply(project, small(), source="small.yaml")
    assert again.added == [] and again.changed == [] and len(again.unchanged) == 3
    changed = small()
    coordinator = changed.paths()["Role set/Coordinator"]
    coordinator.name, coordinator.definition = "Coordinator role", "Changed."
    report = apply(project, changed)
    assert report.changed == ["Role set/Coordinator role"]
    assert [c.path for c in project.codes.list()] == ["Role set", "Role set/Coordinator role", "Context", "Old code"]
    assert project.summary()["codings"] == 1


def test_apply_matches_by_path_when_guids_differ_and_keeps_codings(project):
    project.documents.add(name="a.txt", text="IOM convenes the task force.", format="txt", sha256="a",
                          source_file="a.txt", size=10)
    project.codings.add("a.txt", 0, 3, "Role set/Coordinator")
    report = apply(project, small())
    assert "Role set/Coordinator" in report.changed
    code = project.codes.get("Role set/Coordinator")
    assert code.guid == G[1] and code.color == "#87AFD7" and code.details["when_to_use"].startswith("IOM convenes")
    assert project.codings.list()[0].code == "Role set/Coordinator"


def test_the_project_codebook_round_trips_through_apply(project):
    book = small()
    apply(project, book)
    back = from_project(project)
    assert back.codes == book.codes
    assert (back.title, back.version, back.licence) == (book.title, book.version, book.licence)


def test_diff_names_added_removed_moved_and_changed_codes():
    old, new = small(), small()
    new.version = "0.3.0"
    new.paths()["Role set/Coordinator"].definition = "Sharper."
    moved = new.codes[0].children.pop()
    moved.name = "Coordination"
    new.codes[1].children.append(moved)
    new.codes.append(CodebookCode("Evaluation"))
    del old.codes[1].children[:]
    lines = [c.line() for c in diff(old, new)]
    assert "* version: '0.2.0' -> '0.3.0'" in lines
    assert "> Role set/Coordinator: now Context/Coordination" in lines
    assert "~ Context/Coordination: Definition" in lines
    assert "+ Evaluation" in lines
    assert diff(small(), small()) == []
    removed = small()
    removed.codes.pop()
    assert [c.line() for c in diff(small(), removed)] == ["- Context"]


def test_word_appendix_holds_every_code_and_definition(tmp_path):
    book = small()
    out = tmp_path / "appendix.docx"
    save_codebook(book, out)
    document = docx.Document(out)
    texts = [p.text for p in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Small" in texts
    for path, code, _ in book.walk():
        assert path.replace("/", " › ") in texts
        assert code.name in cells and code.guid in cells
        if code.definition:
            assert code.definition in cells
    assert "IOM convenes, aligns or brokers.\nTwo lines." in cells
    assert len(document.tables) == len(book)


def test_markdown_export(tmp_path):
    out = tmp_path / "codebook.md"
    save_codebook(small(), out)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Small\n")
    assert "### Role set/Coordinator" in text and "| When to use | IOM convenes, aligns or brokers.<br>Two lines. |" in text


def test_unknown_output_format_is_refused(tmp_path):
    with pytest.raises(CodebookError, match="cannot write a codebook as .pdf"):
        save_codebook(small(), tmp_path / "x.pdf")
    assert list(tmp_path.iterdir()) == []


def test_the_default_codebook_validates_with_every_field_filled():
    path = default_codebook()
    if not path.exists():
        pytest.skip("the default codebook is not written yet")
    book, warnings = load_codebook(path)
    assert warnings == []
    assert book.version and book.authors and book.licence and book.changelog and book.description
    top = [c.name for c in book.codes]
    assert top == ["Role of IO", "Role set", "Trafficking", "Response", "Stakeholder", "Context", "Evaluation"]
    paths = book.paths()
    for expected in ("Role of IO/Instrument", "Role of IO/Arena", "Role of IO/Independent actor",
                     "Role set/Supporting role", "Role set/Coordinator", "Role set/Role expectation",
                     "Role set/Role conception", "Role set/Role conflict", "Response/Prevention",
                     "Response/Protection", "Response/Prosecution", "Response/Partnership"):
        assert expected in paths
    for path, code, _ in book.walk():
        for field in ("name_id", "definition", "description", "when_to_use", "when_not_to_use", "example", "color"):
            assert getattr(code, field), f"{path}: {field} is empty"
        assert code.keywords_en and code.keywords_id, path
        assert "fictional" in code.example.lower() or "fiktif" in code.example.lower(), path
        assert all(part in "005F87AFD7FF" for part in (code.color[1:3], code.color[3:5], code.color[5:7])), path


# --- the command line ---------------------------------------------------------------------------


def test_codebook_commands(run, project_path, tmp_path):
    source = write(tmp_path / "small.yaml", SMALL)
    assert "valid, 3 codes" in run("codebook", "validate", source).err
    bad = write(tmp_path / "bad.yaml", "codes:\n  - name: A\n    guid: nope\n  - name: B\n")
    result = run("codebook", "validate", bad, ok=False)
    assert result.exit_code == 1
    assert f"{bad}:3: 'nope' is not a GUID" in result.err and f"{bad}:4: code 'B' has no guid" in result.err
    applied = run("codebook", "apply", project_path, source)
    assert "3 added, 0 changed, 0 unchanged" in applied.err
    assert "0 added, 0 changed, 3 unchanged" in run("codebook", "apply", project_path, source).err
    shown = run("codebook", "show", project_path, "--json").out
    assert [c["code"] for c in json.loads(shown)] == ["Role set", "Role set/Coordinator", "Context"]
    assert json.loads(shown)[1]["codings"] == 0
    for suffix in ("yaml", "md", "docx"):
        out = tmp_path / f"out.{suffix}"
        run("codebook", "export", project_path, out)
        assert out.stat().st_size > 0
    assert run("codebook", "diff", source, tmp_path / "out.yaml", ok=True).err.strip() == "no differences"
    changed = write(tmp_path / "changed.yaml", SMALL.replace("Two lines.", "Three lines."))
    differs = run("codebook", "diff", source, changed, ok=False)
    assert differs.exit_code == 1 and "~ Role set/Coordinator: When to use" in differs.out
    run("codebook", "import", source, tmp_path / "copy.yaml")
    assert load_codebook(tmp_path / "copy.yaml")[0] == small()


def test_init_with_a_codebook_and_a_bad_one_leaves_no_file(run, tmp_path):
    source = write(tmp_path / "small.yaml", SMALL)
    run("init", tmp_path / "a.qcode", "--codebook", source)
    assert [c["code"] for c in run.json("codes", tmp_path / "a.qcode")] == ["Role set", "Role set/Coordinator", "Context"]
    bad = write(tmp_path / "bad.yaml", "codes: !!python/name:os.system\n")
    run("init", tmp_path / "b.qcode", "--codebook", bad, ok=False)
    assert not (tmp_path / "b.qcode").exists()


def test_codes_commands(run, project_path, tmp_path):
    run("import", project_path, write(tmp_path / "a.txt", "IOM convenes the task force."))
    run("codes", "add", project_path, "Role set/Coordinator", "--color", "#87afd7", "--shortcut", "5")
    assert "already the key" in run("codes", "add", project_path, "Other", "--shortcut", "5", ok=False).err
    assert "not a colour" in run("codes", "add", project_path, "Other", "--color", "blue", ok=False).err
    run("code", project_path, "a.txt", 0, 3, "Role set/Coordinator")
    run("code", project_path, "a.txt", 0, 3, "Role set/Coordination")
    run("code", project_path, "a.txt", 4, 12, "Role set/Coordination")
    merged = run("codes", "merge", project_path, "Role set/Coordination", "Role set/Coordinator")
    assert "1 coding(s) moved" in merged.err and "1 that Role set/Coordinator already had" in merged.err
    assert sorted((c["start"], c["code"]) for c in run.json("codings", project_path)) == [
        (0, "Role set/Coordinator"), (4, "Role set/Coordinator")]
    run("codes", "rename", project_path, "Role set/Coordinator", "Coordinator role")
    run("codes", "move", project_path, "Role set/Coordinator role", "--top")
    assert {c["code"] for c in run.json("codings", project_path)} == {"Coordinator role"}
    refused = run("codes", "delete", project_path, "Coordinator role", ok=False)
    assert "has 2 coding(s)" in refused.err
    deleted = run("codes", "delete", project_path, "Coordinator role", "--force")
    assert "removing 2 coding(s)" in deleted.err
    assert run.json("codings", project_path) == []
    assert "under itself" in run("codes", "move", project_path, "Role set", "Role set", ok=False).err


def test_import_gives_missing_guids_from_the_path(run, tmp_path):
    hand = write(tmp_path / "hand.yaml", "codes:\n  - name: A\n    children:\n      - name: B\n")
    assert "has no guid" in run("codebook", "validate", hand, ok=False).err
    result = run("codebook", "import", hand, tmp_path / "out.yaml")
    assert "had no guid" in result.err
    first = load_codebook(tmp_path / "out.yaml")[0]
    run("codebook", "import", hand, tmp_path / "again.yaml")
    assert load_codebook(tmp_path / "again.yaml")[0] == first  # the same GUIDs every time
    assert "valid, 2 codes" in run("codebook", "validate", tmp_path / "out.yaml").err


def test_a_category_is_not_codable_and_the_shipped_codebook_is_found_by_name(run, tmp_path):
    if not default_codebook().exists():
        pytest.skip("the default codebook is not written yet")
    project = tmp_path / "p.qcode"
    run("init", project, "--codebook", "role-theory-io")
    shown = json.loads(run("codebook", "show", "role-theory-io", "--json").out)
    assert shown[0]["code"] == "Role of IO" and shown[0]["codable"] is False
    run("import", project, write(tmp_path / "a.txt", "IOM runs the shelter."))
    refused = run("code", project, "a.txt", 0, 3, "Role of IO", ok=False)
    assert "is a category, not codable" in refused.err
    run("code", project, "a.txt", 0, 3, "Role of IO/Instrument")
    assert "created code" not in run("code", project, "a.txt", 4, 8, "Role of IO/Arena").err


def test_qdc_and_qdpx_through_the_command_line(run, project_path, tmp_path):
    from conftest import SHARED

    source = write(tmp_path / "small.yaml", SMALL)
    run("codebook", "apply", project_path, source)
    exported = run("codebook", "export", project_path, tmp_path / "out.qdc")
    assert "has no place for the codebook's title, version, licence: left out" in exported.err
    run("codebook", "import", tmp_path / "out.qdc", tmp_path / "back.yaml")
    assert load_codebook(tmp_path / "back.yaml")[0].codes == small().codes
    empty = tmp_path / "empty.qcode"
    run("init", empty)
    assert "at least one code" in run("codebook", "export", empty, tmp_path / "none.qdc", ok=False).err
    assert not (tmp_path / "none.qdc").exists()
    bomb = write(tmp_path / "bomb.qdc", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">'
                 '<!ENTITY b "&a;&a;&a;&a;">]><CodeBook><Codes><Code name="&b;" guid="' + G[0] + '"/></Codes></CodeBook>')
    refused = run("codebook", "import", bomb, tmp_path / "x.yaml", ok=False)
    assert refused.exit_code == 1 and len(refused.err.strip().splitlines()) == 1 and "bomb.qdc" in refused.err
    assert not (tmp_path / "x.yaml").exists()
    sample = SHARED / "refi-qda" / "samples" / "nvivo-mac-15.0_qc-project.qdpx"
    if sample.exists():
        run("codebook", "import", sample, tmp_path / "nvivo.yaml")
        assert len(load_codebook(tmp_path / "nvivo.yaml")[0]) == 262
    truncated = write(tmp_path / "cut.qdpx", b"PK\x03\x04 not really")
    assert "not a .qdpx file" in run("codebook", "import", truncated, tmp_path / "y.yaml", ok=False).err
