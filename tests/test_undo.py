"""Undo and redo of coding, memo and code actions: the action log read backwards."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from qcode.core import QcodeError, create_project, open_project
from qcode.core.actions import read_rows
from qcode.core.codings import CodingRequest
from qcode.core.undo import UndoError, can_redo, can_undo, redo, undo

TEXT = "Hello world. Second sentence.\nNext line. A fourth part of the text, long enough."


def add_doc(project, name="a.txt", text=TEXT):
    """Import as another coder, so that the import (which cannot be undone) is not in the way."""
    session, project.coder = project.coder, "setup"
    try:
        return project.documents.add(name=name, text=text, format="txt", sha256=name, source_file=name,
                                     size=len(text))
    finally:
        project.coder = session


def state(project) -> dict:
    """Every code, coding and memo, with its GUID and every value (references as GUIDs)."""
    conn = project.conn
    return {table: read_rows(conn, table, [r[0] for r in conn.execute(f"SELECT guid FROM {table}")])
            for table in ("codes", "codings", "memos")}


def spans(project, coder=None):
    return sorted((c.guid, c.code, c.start, c.end, c.memo) for c in project.codings.list(coder=coder))


@pytest.fixture
def p(project):
    add_doc(project)
    return project


def test_code_then_undo_then_redo_restores_the_same_guids(p):
    empty = state(p)
    report = p.codings.add_many([CodingRequest("a.txt", 0, 5, "Roles/Arena", memo="first"),
                                 CodingRequest("a.txt", 6, 11, "Roles/Arena")])
    coded = state(p)
    assert len(coded["codings"]) == 2 and len(coded["codes"]) == 2 and len(coded["memos"]) == 1
    done = undo(p)
    assert (done.kind, done.summary, done.coder) == ("code", "applied 2 coding(s)", "tester")
    assert state(p) == empty  # the codes it created went too
    again = redo(p)
    assert again.guid == done.guid
    assert state(p) == coded
    assert sorted(c.guid for c in p.codings.list()) == sorted(report.guids)
    assert undo(p).guid == done.guid and state(p) == empty


def test_several_steps_back_and_forth(p):
    states = [state(p)]
    p.codings.add("a.txt", 0, 5, "A")
    states.append(state(p))
    p.codings.add("a.txt", 6, 11, "B", memo="why")
    states.append(state(p))
    guid = p.codings.list(code="A")[0].guid
    p.codings.remove(guid)
    states.append(state(p))
    p.memos.add("coding", p.codings.list(code="B")[0].guid, "why not")
    states.append(state(p))
    for expected in reversed(states[:-1]):
        assert undo(p) is not None
        assert state(p) == expected
    assert can_undo(p) is None and undo(p) is None  # the import was the setup coder's
    for expected in states[1:]:
        assert redo(p) is not None
        assert state(p) == expected
    assert redo(p) is None


def test_undo_and_redo_survive_a_restart(tmp_path):
    path = tmp_path / "r.qcode"
    with create_project(path, coder="tester") as p:
        add_doc(p)
        before = state(p)
        p.codings.add("a.txt", 0, 5, "Roles/Arena", memo="note")
        p.codings.add("a.txt", 13, 20, "Roles/Arena")
        coded = state(p)
    with open_project(path, coder="tester") as p:
        assert undo(p).summary == "applied 1 coding(s)"
        assert undo(p).summary == "applied 1 coding(s)"
        assert state(p) == before
    with open_project(path, coder="tester") as p:
        assert state(p) == before
        redo(p)
        redo(p)
        assert state(p) == coded
        assert p.integrity() == "ok"


def test_memo_edits_undo_and_redo(p):
    guid = p.codings.add("a.txt", 0, 5, "A").guids[0]
    p.memos.add("coding", guid, "first")
    first = state(p)
    p.memos.add("coding", guid, "second")  # replaces the text of the same memo
    second = state(p)
    memo_guid = p.memos.list("coding", guid)[0].guid
    p.memos.update(memo_guid, "third", title="T")
    third = state(p)
    assert p.codings.list()[0].memo == "third"
    undo(p)
    assert state(p) == second
    undo(p)
    assert state(p) == first and p.codings.list()[0].memo == "first"
    redo(p)
    redo(p)
    assert state(p) == third
    p.memos.delete(memo_guid)
    assert p.codings.list()[0].memo is None
    assert undo(p).kind == "memo-delete"
    assert state(p) == third  # the same memo, same GUID, back
    p.memos.add("project", None, "The study")
    assert len(p.memos.list("project")) == 1
    undo(p)
    assert p.memos.list("project") == []
    redo(p)
    assert [m.text for m in p.memos.list("project")] == ["The study"]


def test_code_rename_move_update_and_add_undo_and_redo(p):
    p.code_editor.add("Roles")
    p.code_editor.add("Other/Inner")
    p.codings.add("a.txt", 0, 5, "Roles/Arena")
    steps = [state(p)]
    p.code_editor.rename("Roles/Arena", "Stage")
    steps.append(state(p))
    p.code_editor.move("Roles/Stage", "Other")
    steps.append(state(p))
    p.code_editor.update("Other/Stage", color="#FF0000", description="A place", details={"name_id": "Arena"})
    steps.append(state(p))
    assert spans(p)[0][1] == "Other/Stage"
    for expected in reversed(steps[:-1]):
        undo(p)
        assert state(p) == expected
    assert spans(p)[0][1] == "Roles/Arena"
    for expected in steps[1:]:
        redo(p)
        assert state(p) == expected
    for _ in range(4):  # the three changes and the coding
        undo(p)
    assert undo(p).kind == "code-add"  # Other/Inner
    assert [c.path for c in p.codes.list()] == ["Roles"]


def test_merge_undo_and_redo_restore_codings_exactly(p):
    p.codings.add_many([CodingRequest("a.txt", 0, 5, "Roles/Arena", memo="dup memo"),
                        CodingRequest("a.txt", 6, 11, "Roles/Arena"),
                        CodingRequest("a.txt", 0, 5, "Roles/Stage"),
                        CodingRequest("a.txt", 13, 20, "Roles/Arena/Child")])
    p.memos.add("code", "Roles/Arena", "about arenas")
    before = state(p)
    result = p.code_editor.merge("Roles/Arena", "Roles/Stage")
    assert result == {"codings": 1, "duplicates": 1}
    merged = state(p)
    assert [c.path for c in p.codes.list()] == ["Roles", "Roles/Stage", "Roles/Stage/Child"]
    undo(p)
    assert state(p) == before
    assert [m.target for m in p.memos.list("code")] == ["Roles/Arena"]
    redo(p)
    assert state(p) == merged


def test_delete_force_undo_and_redo_restore_codings_exactly(p):
    p.codings.add_many([CodingRequest("a.txt", 0, 5, "Roles/Arena", memo="m"),
                        CodingRequest("a.txt", 6, 11, "Roles/Arena/Child"),
                        CodingRequest("a.txt", 13, 20, "Roles/Stage")])
    p.memos.add("code", "Roles/Arena/Child", "child memo")
    before = state(p)
    p.code_editor.delete("Roles/Arena", force=True)
    deleted = state(p)
    assert [c.path for c in p.codes.list()] == ["Roles", "Roles/Stage"]
    assert undo(p).kind == "code-delete"
    assert state(p) == before
    redo(p)
    assert state(p) == deleted


def test_a_second_coders_actions_are_untouched(p):
    other = open_project(p.path, coder="second")
    try:
        mine = p.codings.add("a.txt", 0, 5, "Roles/Arena").guids[0]
        theirs = other.codings.add("a.txt", 0, 5, "Roles/Arena").guids[0]  # the code exists: not created
        p.codings.add("a.txt", 6, 11, "Roles/Stage")
        undo(p)
        undo(p)
        assert [c.guid for c in p.codings.list()] == [theirs]
        assert [c.path for c in p.codes.list()] == ["Roles", "Roles/Arena"]
        assert can_undo(p) is None and undo(p) is None
        assert can_undo(other).kind == "code"
        assert undo(other).kind == "code"
        # the code my coding created: kept while the second coder used it, removed now? No: undo
        # of my action is over; the second coder's undo removes only their coding.
        assert p.codings.list() == []
        redo(p)
        assert [c.guid for c in p.codings.list()] == [mine]
        assert undo(p, "second") is None  # the second coder's action is undone already
        assert redo(p, "second").kind == "code"
        assert sorted(c.guid for c in p.codings.list()) == sorted([mine, theirs])
    finally:
        other.close()


def test_a_code_created_by_coding_stays_while_another_coder_uses_it(p):
    other = open_project(p.path, coder="second")
    try:
        mine = p.codings.add("a.txt", 0, 5, "Fresh").guids[0]
        other.codings.add("a.txt", 6, 11, "Fresh")
        undo(p)
        assert [c.path for c in p.codes.list()] == ["Fresh"]
        assert [c.coder for c in p.codings.list()] == ["second"]
        redo(p)
        assert mine in [c.guid for c in p.codings.list()]
    finally:
        other.close()


def test_a_code_created_by_coding_stays_while_another_coders_history_names_it(p):
    # Hypothesis found both: an undo removed the code it had created, although the other coder
    # could still bring back a coding of it (by undoing a removal, or redoing a coding).
    other = open_project(p.path, coder="second")
    try:
        p.codings.add("a.txt", 0, 1, "Fresh")            # creates Fresh
        theirs = other.codings.add("a.txt", 0, 1, "Fresh").guids[0]
        other.codings.remove(theirs)
        undo(p)                                          # Fresh has no codings now, but ...
        assert [c.path for c in p.codes.list()] == ["Fresh"]
        undo(other)                                      # ... their removal can be taken back
        assert [(c.coder, c.code) for c in p.codings.list()] == [("second", "Fresh")]

        other.codings.add("a.txt", 2, 3, "Newer")        # created by the second coder this time
        p.codings.add("a.txt", 2, 3, "Newer")
        undo(p)
        undo(other)
        assert "Newer" in [c.path for c in p.codes.list()]
        redo(p)                                          # the first coder's coding comes back
        assert ("tester", "Newer") in [(c.coder, c.code) for c in p.codings.list()]
    finally:
        other.close()


def test_undo_refuses_when_a_later_change_is_in_the_way(p):
    other = open_project(p.path, coder="second")
    try:
        p.codings.add("a.txt", 0, 5, "Roles/Arena")
        p.code_editor.rename("Roles/Arena", "Stage")
        other.code_editor.rename("Roles/Stage", "Theatre")
        before = state(p)
        with pytest.raises(UndoError, match="renamed code Roles/Arena to Roles/Stage.*changed since"):
            undo(p)
        assert state(p) == before  # nothing changed, and the action is still there to undo
        assert can_undo(p).kind == "code-rename"
        other.code_editor.rename("Roles/Theatre", "Stage")
        undo(p)  # back as it was: now it can
        guid = p.codings.list()[0].guid
        other.memos.add("coding", guid, "the second coder's note")
        with pytest.raises(UndoError, match="memo written since"):
            undo(p)
        assert p.codings.list()[0].memo == "the second coder's note"
        other.memos.delete(other.memos.list("coding", guid)[0].guid)
        other.codings.remove(guid)  # the coding is gone already
        with pytest.raises(UndoError, match="no longer exists"):
            undo(p)
    finally:
        other.close()


def test_a_new_action_drops_the_redo_chain(p):
    p.codings.add("a.txt", 0, 5, "A")
    p.codings.add("a.txt", 6, 11, "A")
    undo(p)
    assert can_redo(p) is not None
    p.codings.add("a.txt", 13, 20, "A")
    assert can_redo(p) is None and redo(p) is None
    assert [r[0] for r in p.conn.execute("SELECT undone FROM actions ORDER BY id")] == [0, 0, 2, 0]
    undo(p)
    undo(p)
    assert [c.start for c in p.codings.list()] == []
    assert redo(p).kind == "code"
    assert [c.start for c in p.codings.list()] == [0]
    assert redo(p).kind == "code"
    assert [c.start for c in p.codings.list()] == [0, 13]  # never the dropped one
    assert redo(p) is None


def test_an_action_that_cannot_be_undone_stops_undo(project):
    project.documents.add(name="a.txt", text=TEXT, format="txt", sha256="x", source_file="a.txt", size=1)
    project.codings.add("a.txt", 0, 5, "A")
    assert undo(project).kind == "code"
    with pytest.raises(UndoError, match="cannot undo 'imported a.txt' .*import.*undo stops here") as err:
        undo(project)
    assert isinstance(err.value, QcodeError)
    assert can_undo(project).kind == "import"
    assert [d.name for d in project.documents.list()] == ["a.txt"]
    assert redo(project).kind == "code"  # redo still works


def test_nothing_to_undo_or_redo_returns_none(project):
    assert undo(project) is None and redo(project) is None
    assert can_undo(project) is None and can_redo(project) is None
    assert project.undo() is None and project.redo() is None


def test_expect_guards_a_retried_undo(p):
    p.codings.add("a.txt", 0, 5, "A")
    p.codings.add("a.txt", 6, 11, "A")
    first = undo(p, expect=can_undo(p).guid)
    with pytest.raises(UndoError, match="not the one expected"):
        undo(p, expect=first.guid)  # the retry of the same request
    assert len(p.codings.list()) == 1


# --- a state machine: random coding, removing, undo, redo and restarts against a model -----------


class UndoMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.dir = Path(tempfile.mkdtemp())
        self.path = self.dir / "m.qcode"
        self.a = create_project(self.path, coder="a")
        add_doc(self.a)
        self.b = open_project(self.path, coder="b")
        self.live: set[tuple] = set()  # (guid, coder, code, start, end)
        self.done = {"a": [], "b": []}  # stacks of (added, removed) sets
        self.undone = {"a": [], "b": []}

    def project(self, coder):
        return self.a if coder == "a" else self.b

    def teardown(self):
        self.a.close()
        self.b.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def _did(self, coder, added, removed):
        self.live = (self.live - removed) | added
        self.done[coder].append((added, removed))
        self.undone[coder].clear()

    @rule(coder=st.sampled_from("ab"), code=st.sampled_from(["X", "Y", "Z/W"]),
          start=st.integers(0, 20), length=st.integers(1, 5))
    def code(self, coder, code, start, length):
        report = self.project(coder).codings.add("a.txt", start, start + length, code)
        if report.added:
            self._did(coder, {(report.guids[0], coder, code, start, start + length)}, set())

    @precondition(lambda self: self.live)
    @rule(coder=st.sampled_from("ab"), pick=st.integers(0, 1000))
    def remove(self, coder, pick):
        mine = sorted(c for c in self.live if c[1] == coder)
        if not mine:
            return
        coding = mine[pick % len(mine)]
        self.project(coder).codings.remove(coding[0])
        self._did(coder, set(), {coding})

    @rule(coder=st.sampled_from("ab"))
    def undo(self, coder):
        action = undo(self.project(coder))
        if not self.done[coder]:
            assert action is None
            return
        added, removed = self.done[coder].pop()
        self.undone[coder].append((added, removed))
        self.live = (self.live - added) | removed

    @rule(coder=st.sampled_from("ab"))
    def redo(self, coder):
        try:
            action = redo(self.project(coder))
        except UndoError as exc:
            # the only refusal here: a code this action created was removed by its undo, and the
            # other coder has since created a code of the same name (another GUID) in its place
            assert "exists already" in str(exc)
            assert self.undone[coder]
            return
        if not self.undone[coder]:
            assert action is None
            return
        added, removed = self.undone[coder].pop()
        self.done[coder].append((added, removed))
        self.live = (self.live - removed) | added

    @rule()
    def restart(self):
        self.a.close()
        self.b.close()
        self.a = open_project(self.path, coder="a")
        self.b = open_project(self.path, coder="b")

    @invariant()
    def codings_match_the_model(self):
        found = {(c.guid, c.coder, c.code, c.start, c.end) for c in self.a.codings.list()}
        assert found == self.live


UndoMachine.TestCase.settings = settings(max_examples=25, stateful_step_count=30, deadline=None,
                                         suppress_health_check=[HealthCheck.too_slow])
test_undo_state_machine = UndoMachine.TestCase


def test_a_batch_that_replaces_memos_of_existing_codings_undoes_to_the_old_memos(p):
    p.codings.add("a.txt", 0, 5, "A", memo="old")
    before = state(p)
    report = p.codings.add_many([CodingRequest("a.txt", 0, 5, "A", memo="new"),
                                 CodingRequest("a.txt", 6, 11, "A", memo="fresh")])
    assert (report.added, report.unchanged) == (1, 1)
    after = state(p)
    assert sorted(c.memo for c in p.codings.list()) == ["fresh", "new"]
    undo(p)
    assert state(p) == before
    redo(p)
    assert state(p) == after


def test_actions_logged_without_what_undo_needs_stop_undo(p):
    p.codings.add("a.txt", 0, 5, "A")
    p.code_editor.update("A", guid="B2C3D4E5-0000-4000-8000-000000000000")  # another GUID: not undoable
    with pytest.raises(UndoError, match="changed a GUID"):
        undo(p)
    assert p.codes.get("A").guid == "B2C3D4E5-0000-4000-8000-000000000000"


def test_the_payload_names_each_referenced_row_once(p):
    p.codings.add_many([CodingRequest("a.txt", i, i + 2, "A") for i in range(0, 20, 2)])
    import json

    payload = json.loads(p.conn.execute("SELECT payload FROM actions ORDER BY id DESC").fetchone()[0])
    assert len(payload["refs"]) == 3  # the document, the code, the coder
    assert len(payload["codings"]) == 10 and len(payload["changes"]) == 11  # ten codings, the code


def test_recode_keeps_span_and_memo_and_undoes_in_one_step(p):
    report = p.codings.add("a.txt", 0, 5, "Roles/Arena", memo="why")
    p.codings.remove(p.codings.add("a.txt", 6, 9, "Roles/Instrument").guids[0])
    before = state(p)
    guid = report.guids[0]
    p.codings.recode(guid, "Roles/Instrument")
    assert [(c.guid, c.code, c.start, c.end, c.memo) for c in p.codings.list()] == \
        [(guid, "Roles/Instrument", 0, 5, "why")]
    after = state(p)
    assert undo(p).kind == "recode" and state(p) == before
    redo(p)
    assert state(p) == after


def test_recode_refuses_a_duplicate_and_a_missing_coding(p):
    first = p.codings.add("a.txt", 0, 5, "Roles/Arena").guids[0]
    p.codings.add("a.txt", 0, 5, "Roles/Instrument")
    with pytest.raises(QcodeError, match="already"):
        p.codings.recode(first, "Roles/Instrument")
    with pytest.raises(QcodeError, match="no coding"):
        p.codings.recode("nope", "Roles/Arena")
