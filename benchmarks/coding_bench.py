"""How fast qcode applies a batch of codings, beside plain sqlite3 timed in the same run.

Builds a project of 400 transcripts (5,000 words each), writes 20,000 codings (random spans, a
codebook of about 40 codes in a tree) to a JSONL file, then times, each into a fresh copy of the
project, best of ``--runs``:

* ``qcode code PROJECT --from FILE.jsonl``: the whole command, as a subprocess (start-up included);
* the library call alone: ``project.codings.add_many(requests)`` (one transaction);
* baseline: plain sqlite3 ``executemany`` of the same 20,000 rows (ids resolved and GUIDs made
  beforehand) into the project's own ``codings`` table, in one transaction, with the same pragmas
  (WAL, synchronous=FULL, foreign keys on) and therefore the same indexes and constraints.

Goal: the command in under 1 s for 20,000 codings.

    python benchmarks/coding_bench.py [--docs 400] [--codings 20000] [--memo-share 0] [--runs 3] [--profile]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import (best_and_median, pin_one_core, profile_command, profile_report,
                    qcode_command, transcript)

GOAL_COMMAND_SECONDS = 1.0
CODER = "bench"

CODEBOOK = [
    "Role/Instrument", "Role/Arena", "Role/Independent actor",
    "Role set/Supporting role/Training", "Role set/Supporting role/Funding",
    "Role set/Supporting role/Technical advice", "Role set/Coordinator role/Convening",
    "Role set/Coordinator role/Information sharing", "Role set/Coordinator role/Referral",
    "Role expectations/Government", "Role expectations/Donors", "Role expectations/Civil society",
    "Role conception/Self-image", "Role performance/Conflict", "Role performance/Adaptation",
    "Trafficking/Act/Recruitment", "Trafficking/Act/Transport", "Trafficking/Act/Harbouring",
    "Trafficking/Means/Deception", "Trafficking/Means/Debt bondage", "Trafficking/Means/Coercion",
    "Trafficking/Purpose/Forced labour", "Trafficking/Purpose/Sexual exploitation",
    "4P/Prevention", "4P/Protection/Shelter", "4P/Protection/Reintegration", "4P/Prosecution",
    "4P/Partnership", "Actors/IOM", "Actors/BP2MI", "Actors/Police", "Actors/Task force",
    "Actors/NGO", "Actors/Village government", "Context/Regulation", "Context/Decentralisation",
    "Context/COVID-19", "Outcome/Capacity", "Outcome/Policy change", "Quote",
]


def build_project(path: Path, docs: int, words: int, seed: int) -> dict[str, int]:
    """A closed project with ``docs`` transcripts; returns document name -> length in characters."""
    from qcode.core import create_project

    lengths = {}
    with create_project(path, coder=CODER) as project:
        for i in range(docs):
            name = f"transcript-{i + 1:04d}.txt"
            document = project.documents.add(name=name, text=transcript(seed, i, words), format="txt",
                                             sha256=f"bench-{seed}-{i}", source_file=name, size=0)
            lengths[name] = document.characters
    return lengths


def make_codings(lengths: dict[str, int], count: int, memo_share: float, seed: int) -> list[dict]:
    rng = random.Random(f"qcode-coding-bench/{seed}")
    names = sorted(lengths)
    seen, items = set(), []
    while len(items) < count:
        document = rng.choice(names)
        start = rng.randrange(lengths[document] - 21)
        end = min(lengths[document], start + rng.randint(20, 600))
        code = rng.choice(CODEBOOK)
        if (document, start, end, code) in seen:
            continue
        seen.add((document, start, end, code))
        item = {"document": document, "start": start, "end": end, "code": code}
        if rng.random() < memo_share:
            item["memo"] = f"Memo {len(items)}: compare with the {rng.choice(['task force', 'village'])} account."
        items.append(item)
    return items


def write_jsonl(path: Path, items: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for item in items:
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")


def count_codings(path: Path) -> int:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute("SELECT count(*) FROM codings").fetchone()[0]
    finally:
        conn.close()


def run_command(command: list[str], project: Path, jsonl: Path) -> float:
    env = dict(os.environ, QCODE_CODER=CODER)
    started = time.perf_counter()
    done = subprocess.run(command + ["code", str(project), "--from", str(jsonl)], capture_output=True,
                          text=True, env=env)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"qcode code exited {done.returncode}: {done.stderr.strip()[-500:]}")
    return elapsed


def run_library(project_path: Path, items: list[dict]) -> tuple[float, int]:
    from qcode.core import open_project
    from qcode.core.codings import CodingRequest

    requests = [CodingRequest(i["document"], i["start"], i["end"], i["code"], i.get("memo")) for i in items]
    project = open_project(project_path, coder=CODER)
    try:
        started = time.perf_counter()
        report = project.codings.add_many(requests)
        elapsed = time.perf_counter() - started
    finally:
        project.close()
    return elapsed, report.added


def run_baseline(project_path: Path, items: list[dict]) -> float:
    """Plain sqlite3: resolve names to ids and make the rows first (untimed), then one executemany."""
    conn = sqlite3.connect(str(project_path), isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    stamp = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
    conn.execute("BEGIN IMMEDIATE")
    row = conn.execute("SELECT id FROM coders WHERE name = ?", (CODER,)).fetchone()
    coder = row[0] if row else conn.execute("INSERT INTO coders (guid, name, created) VALUES (?, ?, ?)",
                                            (str(uuid.uuid4()), CODER, stamp)).lastrowid
    codes: dict[str, int] = {}
    for path in sorted({i["code"] for i in items}):
        parent = None
        parts = path.split("/")
        for depth in range(len(parts)):
            key = "/".join(parts[: depth + 1])
            if key not in codes:
                codes[key] = conn.execute(
                    "INSERT INTO codes (guid, parent_id, name, position, created) VALUES (?, ?, ?, 0, ?)",
                    (str(uuid.uuid4()), parent, parts[depth], stamp)).lastrowid
            parent = codes[key]
    conn.execute("COMMIT")
    documents = dict(conn.execute("SELECT name, id FROM documents"))
    first = (conn.execute("SELECT max(id) FROM codings").fetchone()[0] or 0) + 1
    rows, memos = [], []
    for n, item in enumerate(items):
        rows.append((first + n, str(uuid.uuid4()), documents[item["document"]], codes[item["code"]], coder,
                     item["start"], item["end"], stamp))
        if item.get("memo"):
            memos.append((str(uuid.uuid4()), first + n, item["memo"], coder, stamp, stamp))
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany('INSERT INTO codings (id, guid, document_id, code_id, coder_id, start, "end", created)'
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    if memos:
        conn.executemany("INSERT INTO memos (guid, kind, coding_id, text, coder_id, created, modified)"
                         " VALUES (?, 'coding', ?, ?, ?, ?, ?)", memos)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time `qcode code --from` and add_many against plain sqlite3.")
    parser.add_argument("--docs", type=int, default=400)
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--codings", type=int, default=20000)
    parser.add_argument("--memo-share", type=float, default=0.0,
                        help="share of the codings that carry a memo (0; the baseline inserts memos too)")
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs (3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-cli", action="store_true", help="skip `qcode code`")
    parser.add_argument("--all-cores", action="store_true", help="do not pin the benchmark to one CPU")
    parser.add_argument("--profile", action="store_true",
                        help="also profile add_many and the command with cProfile and print where the time goes")
    args = parser.parse_args(argv)

    pinned = "all cores" if args.all_cores else pin_one_core()
    command, why_not = (None, "skipped (--no-cli)") if args.no_cli else qcode_command("code")
    if command and "--from" not in subprocess.run(command + ["code", "--help"], capture_output=True,
                                                  text=True).stdout:
        command, why_not = None, "`qcode code` has no --from option yet"

    with tempfile.TemporaryDirectory(prefix="qcode-coding-bench-") as work:
        work = Path(work)
        base = work / "base.qcode"
        started = time.perf_counter()
        lengths = build_project(base, args.docs, args.words, args.seed)
        items = make_codings(lengths, args.codings, args.memo_share, args.seed)
        jsonl = work / "codings.jsonl"
        write_jsonl(jsonl, items)
        print(f"project: {args.docs} documents of {args.words} words ({sum(lengths.values()):,} characters); "
              f"{len(items):,} codings with {len({i['code'] for i in items})} codes, "
              f"{sum('memo' in i for i in items):,} memos, in {jsonl.stat().st_size / 2**20:.1f} MB of JSONL "
              f"({time.perf_counter() - started:.1f} s to build)")
        print(f"python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version}, {pinned}; best of {args.runs}")

        labels = ("qcode code --from (command)", "qcode add_many (library)", "baseline sqlite3")
        times: dict[str, list[float]] = {label: [] for label in labels}
        problems: dict[str, str] = {}
        for run in range(args.runs):
            if command and labels[0] not in problems:
                target = work / f"cli-{run}.qcode"
                shutil.copyfile(base, target)
                try:
                    times[labels[0]].append(run_command(command, target, jsonl))
                    if count_codings(target) != len(items):
                        problems[labels[0]] = f"the project holds {count_codings(target)} codings, not {len(items)}"
                except RuntimeError as exc:
                    problems[labels[0]] = str(exc)
                target.unlink()
            target = work / f"lib-{run}.qcode"
            shutil.copyfile(base, target)
            elapsed, added = run_library(target, items)
            times[labels[1]].append(elapsed)
            if added != len(items):
                problems[labels[1]] = f"added {added} codings, not {len(items)}"
            target.unlink()
            target = work / f"base-{run}.qcode"
            shutil.copyfile(base, target)
            times[labels[2]].append(run_baseline(target, items))
            if count_codings(target) != len(items):
                problems[labels[2]] = f"the baseline holds {count_codings(target)} codings"
            target.unlink()

        base_best = min(times[labels[2]])
        print()
        print(f"{'method':<30}{'best s':>9}{'median s':>10}{'codings/s':>11}{'x baseline':>12}")
        for label in labels:
            values = times[label]
            if not values:
                print(f"{label:<30}{'-':>9}{'-':>10}{'-':>11}{'-':>12}   not run: {problems.get(label, why_not)}")
                continue
            best, median = best_and_median(values)
            note = f"   PROBLEM: {problems[label]}" if label in problems else ""
            print(f"{label:<30}{best:9.3f}{median:10.3f}{len(items) / best:11,.0f}{best / base_best:12.2f}{note}")
        print()
        if times[labels[0]]:
            best = min(times[labels[0]])
            print(f"goal: `qcode code --from` with {len(items):,} codings in < {GOAL_COMMAND_SECONDS:g} s "
                  f"(whole command): {best:.3f} s -> {'MET' if best < GOAL_COMMAND_SECONDS else 'MISSED'}")
        else:
            print(f"goal: `qcode code --from` in < {GOAL_COMMAND_SECONDS:g} s: not measured ({why_not})")
        print(f"library add_many: {min(times[labels[1]]):.3f} s, "
              f"{min(times[labels[1]]) / base_best:.1f}x the baseline")

        if args.profile:
            target = work / "profile-lib.qcode"
            shutil.copyfile(base, target)
            from qcode.core import open_project
            from qcode.core.codings import CodingRequest

            requests = [CodingRequest(i["document"], i["start"], i["end"], i["code"], i.get("memo"))
                        for i in items]
            project = open_project(target, coder=CODER)
            profile_report(lambda: project.codings.add_many(requests),
                           title=f"add_many of {len(items):,} codings")
            project.close()
            if command:
                target = work / "profile-cli.qcode"
                shutil.copyfile(base, target)
                profile_command([sys.executable, "-m", "qcode", "code", str(target), "--from", str(jsonl)],
                                title="qcode code --from (whole command)",
                                env=dict(os.environ, QCODE_CODER=CODER))
    return 0


if __name__ == "__main__":
    sys.exit(main())
