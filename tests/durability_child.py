"""The child process of tests/test_durability.py. Not a test: run by the tests with ``sys.executable``.

Every line it prints on stdout is an acknowledgement, printed and flushed only after the library call
that made the change returned (so the change was committed):

    READY                                     the project is open
    D <tab> name                              document ``name`` is in the project
    C <tab> document <tab> start <tab> end <tab> code     this coding is in the project
    B <tab> batch id                          all 5 codings of this batch are in the project

Modes:

    crash PROJECT DOCS_FOLDER SEED CODER     import the .txt files of DOCS_FOLDER, then code for ever
                                             (until the parent kills it; it gives up after 60 s)
    writer PROJECT GO_FILE SEED CODER COUNT  wait for GO_FILE, then apply COUNT codings, one a
                                             transaction, and exit 0
"""

from __future__ import annotations

import random
import sys
import time
import uuid
from pathlib import Path

# Codes used by single codings, and the one used by batches (so a single never lands on a batch's key).
SINGLE_CODES = ["Role/Instrument", "Role/Arena", "Role/Independent actor", "Role set/Coordinator",
                "Trafficking/Means/Deception", "4P/Protection"]
BATCH_CODE = "Batch/Member"
BATCH_SIZE = 5
GIVE_UP_AFTER = 60.0


def ack(*fields) -> None:
    sys.stdout.write("\t".join(str(f) for f in fields) + "\n")
    sys.stdout.flush()


def span(rng: random.Random, length: int) -> tuple[int, int]:
    start = rng.randrange(length - 1)
    return start, min(length, start + rng.randint(1, 300))


def crash(project_path: str, docs_folder: str, seed: int, coder: str) -> int:
    from qcode.core import open_project
    from qcode.core.codings import CodingRequest
    from qcode.ingest import import_file

    rng = random.Random(seed)
    project = open_project(project_path, coder=coder)
    ack("READY")
    for path in sorted(Path(docs_folder).glob("*.txt")):
        outcome = import_file(project, path)
        if not outcome.ok:
            print(f"import failed: {outcome.message}", file=sys.stderr)
            return 3
        ack("D", outcome.name)
    documents = [(d.name, d.characters) for d in project.documents.list()]
    # Keys already taken by batch codings (batches committed by earlier rounds, acknowledged or not):
    # a new batch must not reuse one, or its memo would replace an older batch's memo.
    taken = {(c.document, c.start, c.end) for c in project.codings.list(code="Batch")} \
        if project.codes.tree().find("Batch") is not None else set()
    deadline = time.monotonic() + GIVE_UP_AFTER
    while time.monotonic() < deadline:
        if rng.random() < 0.2:
            batch = uuid.uuid4().hex
            requests = []
            while len(requests) < BATCH_SIZE:
                name, length = rng.choice(documents)
                start, end = span(rng, length)
                if (name, start, end) in taken:
                    continue
                taken.add((name, start, end))
                requests.append(CodingRequest(name, start, end, BATCH_CODE, f"batch:{batch}:{len(requests)}"))
            report = project.codings.add_many(requests)
            if report.added != BATCH_SIZE:
                print(f"batch {batch} added {report.added} codings, not {BATCH_SIZE}", file=sys.stderr)
                return 4
            ack("B", batch)
        else:
            name, length = rng.choice(documents)
            start, end = span(rng, length)
            code = rng.choice(SINGLE_CODES)
            project.codings.add(name, start, end, code)
            ack("C", name, start, end, code)
    print("the parent never killed this child", file=sys.stderr)
    return 5


def writer(project_path: str, go_file: str, seed: int, coder: str, count: int) -> int:
    from qcode.core import open_project

    rng = random.Random(seed)
    project = open_project(project_path, coder=coder)
    documents = [(d.name, d.characters) for d in project.documents.list()]
    ack("READY")
    deadline = time.monotonic() + 30
    while not Path(go_file).exists():
        if time.monotonic() > deadline:
            print("no go file", file=sys.stderr)
            return 6
        time.sleep(0.002)
    seen = set()
    while len(seen) < count:
        name, length = rng.choice(documents)
        start, end = span(rng, length)
        code = rng.choice(SINGLE_CODES)
        if (name, start, end, code) in seen:
            continue
        seen.add((name, start, end, code))
        report = project.codings.add(name, start, end, code)
        if report.added != 1:
            print(f"coding {name} {start}-{end} {code} added {report.added}", file=sys.stderr)
            return 7
        ack("C", name, start, end, code)
    project.close()
    return 0


def main(argv: list[str]) -> int:
    mode, *rest = argv
    if mode == "crash":
        project, folder, seed, coder = rest
        return crash(project, folder, int(seed), coder)
    if mode == "writer":
        project, go_file, seed, coder, count = rest
        return writer(project, go_file, int(seed), coder, int(count))
    print(f"unknown mode {mode!r}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
