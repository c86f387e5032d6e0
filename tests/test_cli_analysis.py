"""The command line of retrieval, search, statistics and exports, end to end on a small project."""

from __future__ import annotations

import csv
import io
import json

import docx
import openpyxl
import pytest

from conftest import write

INTERVIEW = ("Interviewer: Who leads the task force?\n"
             "R.: The ministry leads. IOM supports the secretariat and convenes the donors.\n"
             "R.: Para pekerja migran bekerja tanpa kontrak; pekerjaan itu berbahaya.\n")


@pytest.fixture
def study(run, project_path, tmp_path):
    run("import", project_path, write(tmp_path / "interview-siti.txt", INTERVIEW), "--case", "IOM Indonesia")
    run("attribute", "set", project_path, "organisation", "IOM", "--case", "IOM Indonesia")
    line2 = INTERVIEW.index("R.: The ministry")
    lead = INTERVIEW.index("The ministry leads.")
    convenes = INTERVIEW.index("convenes the donors.")
    run("code", project_path, "interview-siti.txt", line2, INTERVIEW.index("\n", line2), "Role set/Supporting role")
    run("code", project_path, "interview-siti.txt", convenes, convenes + len("convenes the donors."),
        "Role set/Coordinator", "--memo", "Siti says IOM convenes")
    run("code", project_path, "interview-siti.txt", lead, lead + len("The ministry leads."), "Stakeholder/Ministries")
    return project_path


def test_excerpts_with_a_query(run, study):
    rows = run.json("excerpts", study, "--query", '"Role set/Coordinator" WITHIN "Role set/Supporting role"')
    assert [r["text"] for r in rows] == ["convenes the donors."]
    rows = run.json("excerpts", study, "--query", '"Role set" AND NOT "Stakeholder"')
    assert [r["code"] for r in rows] == ["Role set/Coordinator"]
    bad = run("excerpts", study, "--query", '"Role set" AND', ok=False)
    assert bad.exit_code == 1 and bad.err.startswith("qcode: ") and len(bad.err.strip().splitlines()) == 1


def test_search_finds_affixed_forms_and_codes_hits(run, study):
    hits = run.json("search", study, "kerja")
    assert [h["text"] for h in hits] == ["kerja", "kerja", "kerja"]
    assert {"document", "start", "end", "text", "context"} <= set(hits[0])
    assert INTERVIEW[hits[1]["start"] - 2:hits[1]["end"]] == "bekerja"
    words = run.json("search", study, "bekerja", "--mode", "words")
    assert [h["text"] for h in words] == ["bekerja"]
    assert run.json("search", study, '"unbalanced') is not None
    result = run("search", study, "kontrak", "--code", "Trafficking/Vulnerability", "--yes")
    assert "coded 1 hit(s)" in result.err
    assert [r["text"] for r in run.json("excerpts", study, "--code", "Trafficking")] == ["kontrak"]
    assert "needs --yes" in run("search", study, "kontrak", "--code", "X", ok=False, input="").err


def test_stats(run, study):
    frequencies = {r["code"]: r for r in run.json("stats", study, "frequencies")}
    assert frequencies["Role set"]["total_codings"] == 2 and frequencies["Role set/Coordinator"]["words"] == 3
    matrix = run.json("stats", study, "matrix", "--by", "organisation")
    assert matrix["columns"] == ["IOM"] and matrix["rows"][0] == "Role set"
    co = run.json("stats", study, "cooccurrence", "--codes", "Role set/Coordinator", "--codes", "Role set/Supporting role")
    assert co["cells"] == [[0, 1], [1, 0]]
    table = list(csv.reader(io.StringIO(run("stats", study, "matrix", "--csv").out)))
    assert table[0] == ["code", "IOM Indonesia", "total"]
    assert "--by and --measure apply to the matrix" in run("stats", study, "frequencies", "--by", "x", ok=False).err
    assert "--codes applies" in run("stats", study, "matrix", "--codes", "Role set", ok=False).err


def test_exports(run, study, tmp_path):
    names = write(tmp_path / "names.csv", "name,pseudonym\nSiti,Participant A\n")
    run("export", "docx", study, tmp_path / "out.docx", "--memos", "--anonymize", names)
    document = docx.Document(tmp_path / "out.docx")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "convenes the donors." in text and "Participant A says IOM convenes" in text and "Siti" not in text
    run("export", "csv", study, tmp_path / "out.csv", "--code", "Role set")
    with open(tmp_path / "out.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["code"] for r in rows] == ["Role set/Supporting role", "Role set/Coordinator"]
    run("export", "xlsx", study, tmp_path / "out.xlsx")
    assert openpyxl.load_workbook(tmp_path / "out.xlsx").active.max_row == 4
    run("export", "md", study, tmp_path / "out.md")
    run("export", "html", study, tmp_path / "out.html")
    assert "convenes the donors." in (tmp_path / "out.html").read_text(encoding="utf-8")
    run("export", "memos", study, tmp_path / "memos.docx")
    assert any("Siti says IOM convenes" in p.text for p in docx.Document(tmp_path / "memos.docx").paragraphs)
    assert "writes .docx" in run("export", "docx", study, tmp_path / "out.pdf", ok=False).err
    refused = run("export", "docx", study, tmp_path / "bad.docx", "--cite", "{nope}", ok=False)
    assert "unknown field" in refused.err and not (tmp_path / "bad.docx").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_json_listings_are_valid_json(run, study):
    for args in (("excerpts", study), ("search", study, "IOM"), ("stats", study, "frequencies")):
        assert isinstance(json.loads(run(*args, "--json").out), list)
