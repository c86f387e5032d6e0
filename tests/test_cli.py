"""The command line contract: commands, exit codes, JSON keys, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import openpyxl
import pytest

from conftest import write


def test_init_import_documents_text(run, tmp_path):
    project = tmp_path / "study.qcode"
    run("init", project)
    assert project.exists()
    run("init", project, ok=False)
    doc = write(tmp_path / "interview-3.txt", "Interviewer: Who decides?\nR.: We decide.\n")
    result = run("import", project, doc, "--case", "Task force")
    assert "imported interview-3.txt" in result.err
    docs = run.json("documents", project)
    assert docs == [{"name": "interview-3.txt", "title": None, "format": "txt", "characters": 41,
                     "codings": 0, "cases": ["Task force"], "id": 1}]
    assert run("text", project, "interview-3.txt").stdout_bytes == "Interviewer: Who decides?\nR.: We decide.\n".encode()
    assert run("text", project, "1").out == "Interviewer: Who decides?\nR.: We decide.\n"


def test_import_again_is_skipped_and_a_name_clash_refused(run, project_path, tmp_path):
    doc = write(tmp_path / "a" / "interview.txt", "first version")
    run("import", project_path, doc)
    again = run("import", project_path, doc)
    assert "skipped" in again.err and "already imported as interview.txt" in again.err
    clash = write(tmp_path / "b" / "interview.txt", "a different file with the same name")
    refused = run("import", project_path, clash, ok=False)
    assert refused.exit_code == 1 and "--name" in refused.err
    run("import", project_path, clash, "--name", "interview-b.txt")
    assert [d["name"] for d in run.json("documents", project_path)] == ["interview.txt", "interview-b.txt"]


def test_a_batch_imports_what_it_can_and_exits_1_when_any_file_is_refused(run, project_path, tmp_path):
    good = write(tmp_path / "good.txt", "Some text")
    bad = write(tmp_path / "bad.pdf", b"\x00\x01\x02 random")
    result = run("import", project_path, good, bad, tmp_path / "missing.txt", ok=False)
    assert result.exit_code == 1
    lines = result.err.strip().splitlines()
    assert lines[0] == "imported good.txt (9 characters)"
    assert lines[1].startswith("qcode: cannot import bad.pdf: ")
    assert lines[2] == "qcode: cannot import missing.txt: no such file"
    assert [d["name"] for d in run.json("documents", project_path)] == ["good.txt"]


def test_the_same_interview_as_txt_and_docx_is_two_documents(run, project_path, tmp_path):
    import docx

    write(tmp_path / "i.txt", "We decide.")
    document = docx.Document()
    document.add_paragraph("We decide.")
    document.save(tmp_path / "i.docx")
    run("import", project_path, tmp_path / "i.txt", tmp_path / "i.docx")
    assert [(d["name"], d["format"]) for d in run.json("documents", project_path)] == [("i.txt", "txt"), ("i.docx", "docx")]


def test_code_and_codings(run, project_path, tmp_path):
    run("import", project_path, write(tmp_path / "a.txt", "IOM chairs nothing. The ministry chairs."))
    result = run("code", project_path, "a.txt", 0, 3, "Role set/Coordinator", "--memo", "who leads", "--coder", "DH")
    assert "created code Role set" in result.err and "created code Role set/Coordinator" in result.err
    again = run("code", project_path, "a.txt", 0, 3, "Role set/Coordinator", "--coder", "DH")
    assert "nothing changed" in again.err and "created code" not in again.err
    run("code", project_path, "a.txt", 20, 39, "Stakeholder/Ministries")
    codings = run.json("codings", project_path)
    assert [{k: c[k] for k in ("document", "start", "end", "code", "coder", "memo", "text")} for c in codings] == [
        {"document": "a.txt", "start": 0, "end": 3, "code": "Role set/Coordinator", "coder": "DH",
         "memo": "who leads", "text": "IOM"},
        {"document": "a.txt", "start": 20, "end": 39, "code": "Stakeholder/Ministries", "coder": "tester",
         "memo": None, "text": "The ministry chairs"},
    ]
    assert [c["code"] for c in run.json("codings", project_path, "--code", "Role set")] == ["Role set/Coordinator"]
    assert run.json("codings", project_path, "--code", "Role set", "--no-children") == []
    assert len(run.json("codings", project_path, "--document", "a.txt")) == 2
    assert run.json("documents", project_path)[0]["codings"] == 2
    table = run("codings", project_path).out
    assert "The ministry chairs" in table


def test_code_from_jsonl_is_one_transaction(run, project_path, tmp_path):
    run("import", project_path, write(tmp_path / "a.txt", "0123456789" * 5))
    lines = [{"document": "a.txt", "start": i, "end": i + 5, "code": "A/B", "memo": "m" if i == 0 else None}
             for i in range(0, 40, 5)]
    jsonl = write(tmp_path / "c.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n")
    result = run("code", project_path, "--from", jsonl)
    assert "applied 8 coding(s)" in result.err
    assert len(run.json("codings", project_path)) == 8
    bad = write(tmp_path / "bad.jsonl", json.dumps({"document": "a.txt", "start": 0, "end": 3, "code": "C"})
                + "\n" + json.dumps({"document": "a.txt", "start": 0, "end": 999, "code": "C"}) + "\n")
    refused = run("code", project_path, "--from", bad, ok=False)
    assert "bad.jsonl, line 2" in refused.err
    assert len(run.json("codings", project_path)) == 8
    assert "C" not in [c["code"] for c in run.json("codes", project_path)]
    for content, message in [("not json\n", "line 1: not JSON"), ('{"document": "a.txt"}\n', "missing start"),
                             ('{"document": "a.txt", "start": "1", "end": 2, "code": "X"}\n', "whole numbers")]:
        broken = write(tmp_path / "broken.jsonl", content)
        assert message in run("code", project_path, "--from", broken, ok=False).err


def test_cases_and_attributes_commands(run, project_path, tmp_path):
    run("import", project_path, write(tmp_path / "a.txt", "text a"), write(tmp_path / "b.txt", "text b"))
    run("cases", "add", project_path, "IOM Indonesia", "--description", "country office")
    run("cases", "assign", project_path, "IOM Indonesia", "a.txt", "b.txt")
    run("attribute", "set", project_path, "organisation", "IOM", "--case", "IOM Indonesia")
    run("attribute", "set", project_path, "language", "id", "--document", "a.txt")
    cases = run.json("cases", project_path)
    assert cases == [{"name": "IOM Indonesia", "description": "country office", "documents": ["a.txt", "b.txt"],
                      "attributes": {"organisation": "IOM"}}]
    csv_file = write(tmp_path / "cases.csv", "case;province;staff\nIOM Indonesia;DKI Jakarta;120\nBP2MI;DKI Jakarta;300\n")
    result = run("attribute", "import", project_path, csv_file)
    assert "created 1 case(s)" in result.err
    book = openpyxl.Workbook()
    book.active.append(["document", "kind", "date"])
    book.active.append(["a.txt", "interview", "2019-03-12"])
    book.active.append(["b.txt", "field notes", None])
    book.save(tmp_path / "docs.xlsx")
    run("attribute", "import", project_path, tmp_path / "docs.xlsx")
    values = run.json("attribute", project_path)["values"]
    assert values["case"]["BP2MI"] == {"province": "DKI Jakarta", "staff": "300"}
    assert values["document"]["a.txt"] == {"kind": "interview", "date": "2019-03-12", "language": "id"}
    assert values["document"]["b.txt"] == {"kind": "field notes"}
    wrong = write(tmp_path / "wrong.csv", "name,x\nfoo,1\n")
    assert "first column must be headed" in run("attribute", "import", project_path, wrong, ok=False).err
    unknown = write(tmp_path / "unknown.csv", "document,kind\nzz.txt,x\n")
    assert "no document 'zz.txt'" in run("attribute", "import", project_path, unknown, ok=False).err
    run("cases", "unassign", project_path, "IOM Indonesia", "b.txt")
    by_name = {c["name"]: c for c in run.json("cases", project_path)}
    assert by_name["IOM Indonesia"]["documents"] == ["a.txt"]


def test_title_from_metadata_or_set_later(run, project_path, tmp_path):
    run("import", project_path, write(tmp_path / "notes.md", "# Field notes, Surabaya\n\nText.\n"))
    assert run("title", project_path, "notes.md").out.strip() == "Field notes, Surabaya"
    run("title", project_path, "notes.md", "Notes from Surabaya, 2019")
    assert run.json("documents", project_path)[0]["title"] == "Notes from Surabaya, 2019"


def test_untrusted_names_and_text_never_reach_the_terminal_as_markup(run, project_path, tmp_path):
    doc = write(tmp_path / "[red]x\x1b[31m.txt", "[inaudible] and [@click=app.quit]click[/]")
    run("import", project_path, doc)
    assert run.json("documents", project_path)[0]["name"] == "[red]x[31m.txt"  # ESC gone from the name
    run("code", project_path, "[red]x[31m.txt", 0, 11, "[b]Tags")
    listing = run("codings", project_path).out
    assert "[inaudible]" in listing and "[b]Tags" in listing
    assert "[red]x[31m.txt" in run("documents", project_path).out


@pytest.mark.parametrize("args, message", [
    (["documents", "missing.qcode"], "qcode: no such project: missing.qcode"),
    (["text", "{project}", "nope.txt"], "qcode: no document 'nope.txt' in this project"),
    (["import", "{project}", "{tmp}/x.xyz"], "qcode: cannot import x.xyz: unsupported file type ('.xyz')"),
    (["codings", "{project}", "--code", "Nope"], "qcode: no code 'Nope' in this project"),
])
def test_the_console_script_fails_with_one_line_and_no_traceback(args, message, project_path, tmp_path):
    (tmp_path / "x.xyz").write_text("x")
    argv = [a.format(project=project_path, tmp=tmp_path) for a in args]
    done = subprocess.run([sys.executable, "-m", "qcode", *argv], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith(message)
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_a_file_that_is_not_a_project_fails_cleanly(tmp_path):
    junk = tmp_path / "junk.qcode"
    junk.write_bytes(b"\x00" * 4096)
    done = subprocess.run([sys.executable, "-m", "qcode", "documents", str(junk)], capture_output=True, text=True)
    assert done.returncode == 1 and "not a qcode project" in done.stderr and "Traceback" not in done.stderr


def test_importing_the_same_file_with_a_case_puts_it_in_the_case(run, project_path, tmp_path):
    doc = write(tmp_path / "a.txt", "text")
    run("import", project_path, doc)
    again = run("import", project_path, doc, "--case", "NGO Batam")
    assert "now also in case NGO Batam" in again.err
    assert run.json("cases", project_path)[0]["documents"] == ["a.txt"]


def test_usage_mistakes_exit_2(run, project_path, tmp_path):
    assert run("code", project_path, ok=False).exit_code == 2
    assert run("attribute", "set", project_path, "a", "b", ok=False).exit_code == 2
    files = [write(tmp_path / "a.txt", "a"), write(tmp_path / "b.txt", "b")]
    assert run("import", project_path, *files, "--name", "x.txt", ok=False).exit_code == 2


def test_a_reader_that_stops_early_is_not_an_error(project_path, tmp_path):
    text = "".join(f"Line {i}: IOM convenes the task force.\n" for i in range(3000))
    write(tmp_path / "long.txt", text)
    subprocess.run([sys.executable, "-m", "qcode", "import", str(project_path), str(tmp_path / "long.txt")], check=True,
                   capture_output=True)
    reader = subprocess.Popen([sys.executable, "-m", "qcode", "text", str(project_path), "long.txt"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    reader.stdout.read(10)
    reader.stdout.close()  # as `qcode text ... | head` does
    _, errors = reader.communicate(timeout=30)
    assert reader.returncode == 0, errors
    assert b"Traceback" not in errors
