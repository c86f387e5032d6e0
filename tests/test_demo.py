"""The demo project builds from its manifest: every document, case, attribute and coding."""

from __future__ import annotations

import pytest

from qcode.core import open_project
from qcode.core.resources import demo_dir
from qcode.demo import build_demo, load_manifest


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "iom.qcode"
    build_demo(path)
    with open_project(path) as project:
        yield project


def test_every_document_case_and_coding_of_the_manifest_is_there(demo):
    manifest = load_manifest(demo_dir())
    docs = {d.name: d for d in demo.documents.list()}
    assert set(docs) == {entry["file"].rsplit("/", 1)[-1] for entry in manifest["documents"]}
    assert 6 <= len(docs) - 1 <= 10  # the seed abstract and six to ten written documents
    assert {d.format for d in docs.values()} >= {"txt", "docx", "odt", "rtf", "srt", "vtt", "md", "html"}
    assert {c.name for c in demo.cases.list()} == {c["name"] for c in manifest["cases"]}
    assert demo.summary()["codings"] == len(manifest["codings"])
    for coding in manifest["codings"]:
        assert any(c.text == coding["quote"] and c.code == coding["code"]
                   for c in demo.codings.list(document=coding["document"]))


def test_the_demo_starts_from_the_default_codebook_and_adds_no_code(demo):
    from qcode.codebook.files import default_codebook, load_codebook

    book, _ = load_codebook(default_codebook())
    assert [c.path for c in demo.codes.list()] == list(book.paths())
    coordinator = demo.codes.get("Role set/Coordinator")
    assert coordinator.guid == book.paths()["Role set/Coordinator"].guid and coordinator.shortcut


def test_attributes_titles_and_cases_follow_the_manifest(demo):
    manifest = load_manifest(demo_dir())
    case_values = demo.attributes.values("case")
    for case in manifest["cases"]:
        assert case_values[case["name"]] == {k: str(v) for k, v in case["attributes"].items()}
    doc_values = demo.attributes.values("document")
    for entry in manifest["documents"]:
        name = entry["file"].rsplit("/", 1)[-1]
        assert demo.documents.get(name).title == entry["title"]
        assert doc_values[name] == {k: str(v) for k, v in entry["attributes"].items()}
        if entry.get("case"):
            assert name in demo.cases.documents_of(entry["case"])


def test_the_seed_abstract_is_in_the_demo_as_written(demo):
    text = demo.documents.text("abstract.txt")
    assert "Peran International Organization for Migration (IOM)" in text
    assert "IOM also plays its role as an instrument of Indonesia" in text


def test_the_html_memo_holds_no_script_or_navigation_text(demo):
    memo = demo.documents.text("policy-memo-iom-2019.html")
    assert "demo-tracking-should-not-appear" not in memo
    assert "<" not in memo


def test_a_failed_build_leaves_nothing_behind(tmp_path, monkeypatch):
    import qcode.demo as demo_module

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo_module, "import_file", broken)
    with pytest.raises(RuntimeError):
        build_demo(tmp_path / "demo.qcode")
    assert list(tmp_path.iterdir()) == []


def test_the_demo_command_opens_the_workbench_only_when_asked_or_in_a_terminal(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from qcode.cli import cli
    from qcode.tui.app import QcodeApp

    opened = []
    monkeypatch.setattr(QcodeApp, "run", lambda self: opened.append(self.project))
    runner = CliRunner()
    path = tmp_path / "d.qcode"
    result = runner.invoke(cli, ["demo", str(path)])  # CliRunner is not a terminal: summary only
    assert result.exit_code == 0 and "9 documents" in result.stdout and opened == []
    result = runner.invoke(cli, ["demo", str(path), "--open"])
    assert result.exit_code == 0 and opened == [path]
    result = runner.invoke(cli, ["demo", str(path), "--no-open"])
    assert result.exit_code == 0 and opened == [path]
