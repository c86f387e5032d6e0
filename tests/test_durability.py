"""Durability of the store: kill -9 in the middle of coding, and two processes coding at once.

The crash test follows research/reliability-perf.md §1.3: a child process (tests/durability_child.py)
codes in a loop and prints an acknowledgement after each call returns; the parent kills it with
SIGKILL at a random moment, many rounds on one growing project, and after each kill checks that
``PRAGMA integrity_check`` is ``ok``, that every acknowledged document and coding is there, and that
no batch of 5 codings (one ``add_many`` call) is there in part.

QCODE_CRASH_ROUNDS raises the number of rounds (default 30); QCODE_CRASH_SEED replays a run.
"""

from __future__ import annotations

import itertools
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from qcode.core import create_project, open_project
from qcode.ingest import import_file

CHILD = Path(__file__).with_name("durability_child.py")
ROUNDS = int(os.environ.get("QCODE_CRASH_ROUNDS", "30"))
BATCH_SIZE = 5

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and fork-free children: POSIX only")

WORDS = ("the village head said that the agency recruited twelve women for work in Malaysia "
         "kepala desa bilang agen merekrut dua belas perempuan untuk kerja di Malaysia "
         "IOM trained the task force and the police on the referral mechanism").split()


def _document_text(rng: random.Random, turns: int) -> str:
    lines = []
    for turn in range(turns):
        speaker = "Interviewer" if turn % 2 == 0 else "R."
        lines.append(f"{speaker}: " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 40))))
    return "\n".join(lines) + "\n"


def _write_document(folder: Path, name: str, rng: random.Random) -> None:
    (folder / name).write_text(_document_text(rng, rng.randint(6, 20)), encoding="utf-8")


def _acks(path: Path) -> list[list[str]]:
    """The complete lines of an acknowledgement file (a line cut by the kill was never acknowledged)."""
    data = path.read_text(encoding="utf-8") if path.exists() else ""
    lines = data.split("\n")
    return [line.split("\t") for line in lines[:-1] if line]  # the last piece has no "\n": not an ack


def _wait_for_ready(process: subprocess.Popen, ack_file: Path, limit: float = 20.0) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if ack_file.exists() and ack_file.read_text(encoding="utf-8").startswith("READY\n"):
            return True
        time.sleep(0.005)
    return False


def _batch_id(memo: str | None) -> str | None:
    if memo and memo.startswith("batch:"):
        return memo.split(":")[1]
    return None


def test_kill_9_while_coding_loses_nothing_acknowledged(tmp_path):
    seed = int(os.environ.get("QCODE_CRASH_SEED", random.randrange(2**32)))
    rng = random.Random(seed)
    where = f"(replay with QCODE_CRASH_SEED={seed})"
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in range(4):
        _write_document(docs, f"interview-{n:02d}.txt", rng)
    project_path = tmp_path / "crash.qcode"
    create_project(project_path, coder="parent").close()

    acked_documents: set[str] = set()
    acked_codings: set[tuple[str, int, int, str]] = set()
    acked_batches: set[str] = set()
    kills = 0
    for round_number in range(ROUNDS):
        # a new document each round, so that imports happen while the project grows
        _write_document(docs, f"round-{round_number:03d}.txt", rng)
        ack_file = tmp_path / f"acks-{round_number:03d}.txt"
        err_file = tmp_path / f"stderr-{round_number:03d}.txt"
        with open(ack_file, "wb") as out, open(err_file, "wb") as err:
            child = subprocess.Popen(
                [sys.executable, str(CHILD), "crash", str(project_path), str(docs), str(rng.randrange(2**32)),
                 "crash-child"], stdout=out, stderr=err)
        try:
            # Mostly the delay counts from READY, so that the kill lands while the child codes; one
            # round in five counts from the start, so that it may land while the child starts up,
            # opens the project (recovering the WAL) or imports.
            if round_number % 5 != 4:
                _wait_for_ready(child, ack_file)
            time.sleep(rng.uniform(0.05, 0.5))
            exited_early = child.poll() is not None
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=10)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
        stderr = err_file.read_text(encoding="utf-8", errors="replace")
        assert not exited_early, f"round {round_number}: the child exited by itself {where}:\n{stderr}"
        assert child.returncode == -signal.SIGKILL, f"round {round_number}: {child.returncode} {where}\n{stderr}"
        kills += 1

        for fields in _acks(ack_file):
            kind = fields[0]
            if kind == "D":
                acked_documents.add(fields[1])
            elif kind == "C":
                acked_codings.add((fields[1], int(fields[2]), int(fields[3]), fields[4]))
            elif kind == "B":
                acked_batches.add(fields[1])

        project = open_project(project_path, coder="parent")
        try:
            assert project.integrity() == "ok", f"round {round_number}: integrity_check failed {where}"
            names = {d.name for d in project.documents.list()}
            assert acked_documents <= names, f"round {round_number}: lost documents " \
                f"{sorted(acked_documents - names)} {where}"
            codings = project.codings.list()
            present = {(c.document, c.start, c.end, c.code) for c in codings}
            lost = acked_codings - present
            assert not lost, f"round {round_number}: {len(lost)} acknowledged codings lost, e.g. " \
                f"{sorted(lost)[:3]} {where}"
            batches = Counter(_batch_id(c.memo) for c in codings if _batch_id(c.memo))
            partial = {b: n for b, n in batches.items() if n != BATCH_SIZE}
            assert not partial, f"round {round_number}: partial batches {partial} {where}"
            missing = acked_batches - set(batches)
            assert not missing, f"round {round_number}: acknowledged batches lost: {sorted(missing)[:3]} {where}"
            for coding in codings:  # every excerpt is the text it points at
                assert coding.end - coding.start == len(coding.text)
        finally:
            project.close()

    assert kills == ROUNDS
    with open_project(project_path) as project:
        codings = project.codings.list()
    batches_present = {_batch_id(c.memo) for c in codings if _batch_id(c.memo)}
    print(f"\n{ROUNDS} kills {where}: {len(acked_documents)} documents, {len(acked_codings)} codings and "
          f"{len(acked_batches)} batches acknowledged; the project holds {len(codings)} codings and "
          f"{len(batches_present)} batches ({len(batches_present - acked_batches)} committed but never "
          "acknowledged); integrity ok after every kill")
    # the test must have exercised something: codings and batches were acknowledged and survived
    assert len(acked_codings) > ROUNDS, f"too few codings acknowledged ({len(acked_codings)}) {where}"
    assert acked_batches, f"no batch was acknowledged {where}"


def test_two_processes_coding_at_once_both_succeed(tmp_path):
    count = 300
    project_path = tmp_path / "shared.qcode"
    rng = random.Random(7)
    with create_project(project_path, coder="setup") as project:
        for n in range(3):
            path = tmp_path / f"focus-group-{n}.txt"
            path.write_text(_document_text(rng, 30), encoding="utf-8")
            assert import_file(project, path).status == "imported"
    go = tmp_path / "go"
    children = []
    for coder, seed in (("coder-a", 1), ("coder-b", 2)):
        out = open(tmp_path / f"{coder}.out", "wb")
        err = open(tmp_path / f"{coder}.err", "wb")
        child = subprocess.Popen([sys.executable, str(CHILD), "writer", str(project_path), str(go), str(seed),
                                  coder, str(count)], stdout=out, stderr=err)
        children.append((coder, child, out, err))
    try:
        for coder, child, _out, _err in children:  # both open the project before either writes
            assert _wait_for_ready(child, tmp_path / f"{coder}.out"), \
                (tmp_path / f"{coder}.err").read_text(errors="replace")
        go.touch()
        started = time.monotonic()
        for _coder, child, _out, _err in children:
            child.wait(timeout=60)
        elapsed = time.monotonic() - started
    finally:
        for _coder, child, out, err in children:
            if child.poll() is None:
                child.kill()
                child.wait()
            out.close()
            err.close()

    expected: set[tuple[str, int, int, str, str]] = set()
    for coder, child, _out, _err in children:
        stderr = (tmp_path / f"{coder}.err").read_text(errors="replace")
        assert "database is locked" not in stderr
        assert "Traceback" not in stderr, stderr
        assert child.returncode == 0, f"{coder} exited {child.returncode}:\n{stderr}"
        acks = [f for f in _acks(tmp_path / f"{coder}.out") if f[0] == "C"]
        assert len(acks) == count
        expected |= {(f[1], int(f[2]), int(f[3]), f[4], coder) for f in acks}
    assert len(expected) == 2 * count

    with open_project(project_path) as project:
        assert project.integrity() == "ok"
        codings = project.codings.list()
        present = {(c.document, c.start, c.end, c.code, c.coder) for c in codings}
    in_commit_order = [c.coder for c in sorted(codings, key=lambda c: c.id)]
    switches = sum(a != b for a, b in itertools.pairwise(in_commit_order))
    print(f"\ntwo writers: {2 * count} codings in {elapsed:.2f} s; the writers took turns {switches} times")
    assert expected <= present
    assert len(present) == 2 * count
    assert elapsed < 30, f"two writers took {elapsed:.1f} s"
