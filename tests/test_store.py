"""The project store: settings, transactions, documents, codes, codings, cases, attributes, memos."""

from __future__ import annotations

import sqlite3

import pytest

import qcode.core.db as store
from qcode.core import NotFound, QcodeError, Refused, create_project, open_project
from qcode.core.codings import CodingRequest
from qcode.core.errors import ProjectError
from qcode.core.schema import APPLICATION_ID, SCHEMA_VERSION


def add_doc(project, name="a.txt", text="Hello world. Second sentence.\nNext line.", case=None):
    return project.documents.add(name=name, text=text, format="txt", sha256=name, source_file=name,
                                 size=len(text), case=case)


def test_a_new_project_uses_wal_foreign_keys_and_the_schema_version(tmp_path):
    path = tmp_path / "p.qcode"
    with create_project(path) as p:
        conn = p.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        add_doc(p)
    # closed: the WAL is checkpointed and removed, the project is one file
    assert sorted(f.name for f in tmp_path.iterdir()) == ["p.qcode"]
    with open_project(path) as p:
        assert p.documents.text("a.txt").startswith("Hello")


def test_create_refuses_to_overwrite_and_wants_the_suffix(tmp_path):
    create_project(tmp_path / "p.qcode").close()
    with pytest.raises(ProjectError, match="already exists"):
        create_project(tmp_path / "p.qcode")
    with pytest.raises(ProjectError, match=r"ends in \.qcode"):
        create_project(tmp_path / "p.sqlite")
    with pytest.raises(ProjectError, match="does not exist"):
        create_project(tmp_path / "missing" / "p.qcode")


def test_open_refuses_what_is_not_a_project(tmp_path):
    with pytest.raises(ProjectError, match="no such project"):
        open_project(tmp_path / "missing.qcode")
    (tmp_path / "empty.qcode").write_bytes(b"")
    with pytest.raises(ProjectError, match="empty"):
        open_project(tmp_path / "empty.qcode")
    (tmp_path / "junk.qcode").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ProjectError, match="not a qcode project"):
        open_project(tmp_path / "junk.qcode")
    other = sqlite3.connect(tmp_path / "other.qcode")
    other.execute("CREATE TABLE t (x)")
    other.commit()
    other.close()
    with pytest.raises(ProjectError, match="not a qcode project"):
        open_project(tmp_path / "other.qcode")
    with pytest.raises(ProjectError, match="folder"):
        open_project(tmp_path)


def test_a_project_from_a_newer_qcode_is_refused(tmp_path):
    path = tmp_path / "p.qcode"
    create_project(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(ProjectError, match="newer qcode"):
        open_project(path)


def test_an_older_project_is_backed_up_then_migrated(tmp_path):
    path = tmp_path / "old.qcode"
    conn = sqlite3.connect(path)  # version 0: a qcode file from before any schema
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("CREATE TABLE scratch (x)")
    conn.execute("INSERT INTO scratch VALUES ('kept in the backup')")
    conn.commit()
    conn.close()
    with open_project(path) as p:
        assert p.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        add_doc(p)
        assert p.summary()["documents"] == 1
    backup = tmp_path / "old.qcode.v0-backup"
    assert backup.exists()
    kept = sqlite3.connect(backup)
    assert kept.execute("SELECT x FROM scratch").fetchone()[0] == "kept in the backup"
    assert kept.execute("PRAGMA user_version").fetchone()[0] == 0
    kept.close()


def test_a_busy_project_gives_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "p.qcode"
    create_project(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with open_project(path) as p:
            with pytest.raises(ProjectError, match="busy"):
                p.cases.add("IOM")
            holder.execute("ROLLBACK")
            p.cases.add("IOM")
            assert [c.name for c in p.cases.list()] == ["IOM"]
    finally:
        holder.close()


def test_document_text_is_normalised_once_and_names_are_unique(project):
    doc = add_doc(project, text="\ufeffline one\r\nline two\rthree\u2028four\x1b[31m red\x1b[0m\x07\x00")
    assert project.documents.text(doc.name) == "line one\nline two\nthree\nfour red"
    assert doc.characters == len("line one\nline two\nthree\nfour red")
    assert project.documents.get(str(doc.id)).name == "a.txt"
    with pytest.raises(Refused, match="already in the project"):
        add_doc(project)
    with pytest.raises(NotFound):
        project.documents.get("nope.txt")


def test_offsets_count_code_points_with_an_exclusive_end(project):
    text = "Kata 👩🏽‍⚕️ e\u0301 akhir"
    add_doc(project, text=text)
    start = text.index("👩")
    end = text.index(" e")
    project.codings.add("a.txt", start, end, "Emoji")
    project.codings.add("a.txt", end + 1, end + 3, "Combining")
    got = {c.code: c.text for c in project.codings.list()}
    assert got == {"Emoji": "👩🏽‍⚕️", "Combining": "e\u0301"}


def test_coding_the_same_span_again_changes_nothing(project):
    add_doc(project)
    first = project.codings.add("a.txt", 0, 5, "Role set/Coordinator", memo="first")
    assert first.added == 1 and first.created_codes == ["Role set", "Role set/Coordinator"]
    again = project.codings.add("a.txt", 0, 5, "Role set/Coordinator")
    assert (again.added, again.unchanged, again.created_codes) == (0, 1, [])
    assert project.summary()["codings"] == 1
    other_coder = project.codings.add("a.txt", 0, 5, "Role set/Coordinator", coder="second")
    assert other_coder.added == 1
    assert sorted(c.coder for c in project.codings.list()) == ["second", "tester"]


def test_bad_codings_are_refused_and_a_batch_is_all_or_nothing(project):
    add_doc(project)
    before = project.summary()
    with pytest.raises(QcodeError, match="outside the text"):
        project.codings.add("a.txt", 0, 10_000, "X")
    with pytest.raises(QcodeError, match="empty"):
        project.codings.add("a.txt", 5, 5, "X")
    with pytest.raises(QcodeError, match="not a code path"):
        project.codings.add("a.txt", 0, 5, "Role set//Coordinator")
    with pytest.raises(NotFound):
        project.codings.add("missing.txt", 0, 5, "X")
    batch = [CodingRequest("a.txt", 0, 5, "Good/One"), CodingRequest("a.txt", 6, 11, "Good/Two"),
             CodingRequest("a.txt", 6, 999, "Good/Three")]
    with pytest.raises(QcodeError, match="line 3"):
        project.codings.add_many(batch, label="batch.jsonl, ")
    assert project.summary() == before


def test_codings_filter_by_code_with_or_without_children(project):
    add_doc(project)
    project.codings.add("a.txt", 0, 5, "Role set")
    project.codings.add("a.txt", 6, 11, "Role set/Coordinator", memo="IOM convenes")
    project.codings.add("a.txt", 13, 19, "Role of IO/Arena")
    with_children = project.codings.list(code="Role set")
    assert [(c.code, c.text) for c in with_children] == [("Role set", "Hello"), ("Role set/Coordinator", "world")]
    assert [c.code for c in project.codings.list(code="Role set", children=False)] == ["Role set"]
    tree = project.codes.tree()
    totals = project.codes.totals()
    assert (totals[tree.find("Role set")], totals[tree.find("Role set/Coordinator")], totals[tree.find("Role of IO")]) == (2, 1, 1)
    assert with_children[1].memo == "IOM convenes"
    with pytest.raises(NotFound):
        project.codings.list(code="Nope")


def test_coder_comes_from_the_option_then_the_environment(project, monkeypatch, tmp_path):
    assert project.coder == "tester"
    with open_project(project.path, coder="Dovana") as p:
        assert p.coder == "Dovana"
    monkeypatch.delenv("QCODE_CODER")
    with open_project(project.path) as p:
        assert p.coder  # the login name, whatever it is here


def test_cases_and_attributes(project):
    add_doc(project, "a.txt", case="IOM Indonesia")
    add_doc(project, "b.txt")
    project.cases.assign("IOM Indonesia", ["b.txt"])
    assert project.cases.documents_of("IOM Indonesia") == ["a.txt", "b.txt"]
    project.attributes.set("case", "IOM Indonesia", "organisation", "IOM")
    project.attributes.set("document", "a.txt", "language", "en")
    assert project.attributes.values("case") == {"IOM Indonesia": {"organisation": "IOM"}}
    assert project.attributes.values("document") == {"a.txt": {"language": "en"}}
    report = project.attributes.import_rows("case", ["case", "province", "staff"],
                                            [["IOM Indonesia", "DKI Jakarta", "120"], ["Task force NTT", "NTT", "8"]],
                                            source="cases.csv")
    assert report == {"rows": 2, "attributes": 2, "cases_created": 1}
    types = {a["name"]: a["type"] for a in project.attributes.list()}
    assert types["staff"] == "integer" and types["province"] == "text"
    before = project.attributes.values("document")
    with pytest.raises(NotFound, match="row 3"):
        project.attributes.import_rows("document", ["document", "kind"], [["a.txt", "interview"], ["zz.txt", "x"]],
                                       source="docs.csv")
    assert project.attributes.values("document") == before
    project.cases.rename("Task force NTT", "Task force Kupang")
    project.cases.delete("Task force Kupang")
    assert [c.name for c in project.cases.list()] == ["IOM Indonesia"]
    assert project.summary()["documents"] == 2


def test_memos_on_project_document_code_and_coding(project):
    add_doc(project)
    report = project.codings.add("a.txt", 0, 5, "Role set")
    project.memos.add("project", None, "The study")
    project.memos.add("document", "a.txt", "Long interview")
    project.memos.add("code", "Role set", "Holsti's sense")
    project.memos.add("coding", report.guids[0], "Key passage")
    assert [(m.kind, m.target) for m in project.memos.list()] == [
        ("project", None), ("document", "a.txt"), ("code", "Role set"), ("coding", report.guids[0])]
    assert project.codings.list()[0].memo == "Key passage"
    project.memos.add("coding", report.guids[0], "Edited")
    assert project.codings.list()[0].memo == "Edited"


def test_every_write_is_logged_as_an_action(project):
    add_doc(project)
    project.codings.add("a.txt", 0, 5, "Role set")
    kinds = [r[0] for r in project.conn.execute("SELECT kind FROM actions ORDER BY id")]
    assert kinds == ["import", "code"]


def test_a_failed_action_leaves_nothing_behind(project):
    add_doc(project)
    with pytest.raises(RuntimeError):
        with project.write():
            project.cases.add("IOM")
            raise RuntimeError("boom")
    assert project.cases.list() == []
    assert not project.conn.in_transaction


def test_a_rolled_back_action_leaves_no_stale_coder(project):
    add_doc(project)
    with pytest.raises(QcodeError):
        project.codings.add_many([CodingRequest("a.txt", 0, 5, "A", coder="bob"),
                                  CodingRequest("a.txt", 0, 500, "A", coder="bob")])
    assert project.codings.add("a.txt", 0, 5, "A", coder="bob").added == 1
    assert [c.coder for c in project.codings.list()] == ["bob"]


def test_sqlite_utils_sees_the_same_connection(project):
    add_doc(project)
    assert project.db.conn is project.conn
    assert project.db["documents"].count == 1


def test_an_attribute_value_must_fit_its_type(project):
    add_doc(project)
    project.attributes.set("document", "a.txt", "year", "2019", type_="integer")
    with pytest.raises(QcodeError, match="year holds integer values: 'abc' is not one"):
        project.attributes.set("document", "a.txt", "year", "abc")
    project.attributes.set("document", "a.txt", "date", "2019-03-12", type_="date")
    assert project.attributes.values("document") == {"a.txt": {"date": "2019-03-12", "year": "2019"}}


def test_a_version_2_project_gets_the_index_retrieval_reads(tmp_path):
    from qcode.core.schema import MIGRATIONS

    path = tmp_path / "v2.qcode"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("BEGIN IMMEDIATE")
    MIGRATIONS[0](conn)
    MIGRATIONS[1](conn)
    conn.execute("PRAGMA user_version = 2")
    conn.execute("INSERT INTO meta (key, value) VALUES ('name', 'v2')")
    conn.execute("COMMIT")
    conn.close()
    with open_project(path) as p:
        add_doc(p)
        indexes = {r[0] for r in p.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert "codings_code_place" in indexes and "codings_code" not in indexes
        assert p.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert (tmp_path / "v2.qcode.v2-backup").exists()
