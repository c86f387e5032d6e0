"""How fast qcode imports a corpus of transcripts, beside a minimal sqlite3 importer timed in the same run.

Generates (or reuses) a corpus of 400 transcripts of 5,000 words, half of them .docx, then times:

* qcode, library: ``create_project`` + ``import_file`` for every file + ``close``;
* qcode, command: ``qcode import PROJECT FILE...`` (into a project made beforehand), when it exists;
* baseline: read the same files, take the text (UTF-8 for .txt; zipfile + lxml iterparse of ``w:t``
  per ``w:p`` for .docx, the minimal thing) and insert it with plain sqlite3 in one transaction.

Each is the best of ``--runs`` runs, each into a fresh project. PDF is not part of this benchmark.
Goal: 400 documents in under 2 s on one core, and within 3x of the baseline.

    python benchmarks/import_bench.py [--docs 400] [--words 5000] [--docx-share 0.5] [--runs 3] [--profile]
"""

from __future__ import annotations

import argparse
import io
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import (best_and_median, pin_one_core, profile_command, profile_report,
                    qcode_command, write_corpus)

GOAL_SECONDS_PER_400 = 2.0
GOAL_RATIO = 3.0
W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def qcode_library(paths: list[Path], project_path: Path) -> float:
    from qcode.core import create_project
    from qcode.ingest import import_file

    started = time.perf_counter()
    project = create_project(project_path, coder="bench")
    try:
        for path in paths:
            outcome = import_file(project, path)
            if outcome.status != "imported":
                raise SystemExit(f"qcode refused {path.name}: {outcome.message}")
    finally:
        project.close()
    return time.perf_counter() - started


def qcode_cli(command: list[str], paths: list[Path], project_path: Path) -> float:
    from qcode.core import create_project

    create_project(project_path, coder="bench").close()
    started = time.perf_counter()
    done = subprocess.run(command + ["import", str(project_path), *map(str, paths)],
                          capture_output=True, text=True, env=_env())
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"qcode import exited {done.returncode}: {done.stderr.strip()[-500:]}")
    return elapsed


def _env():
    import os

    env = dict(os.environ)
    env["QCODE_CODER"] = "bench"
    return env


def docx_text(data: bytes) -> str:
    """The minimal .docx reader: the text of each w:t, one w:p a line."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = package.read("word/document.xml")
    lines, parts = [], []
    for _event, element in etree.iterparse(io.BytesIO(xml), events=("end",), tag=(W_NS + "t", W_NS + "p")):
        if element.tag == W_NS + "t":
            parts.append(element.text or "")
        else:
            lines.append("".join(parts))
            parts = []
            element.clear()
    return "\n".join(lines)


def baseline(paths: list[Path], db_path: Path) -> float:
    started = time.perf_counter()
    conn = sqlite3.connect(str(db_path), isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, text TEXT NOT NULL)")
    rows = []
    for path in paths:
        data = path.read_bytes()
        text = docx_text(data) if path.suffix == ".docx" else data.decode("utf-8")
        rows.append((path.name, text))
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("INSERT INTO documents (name, text) VALUES (?, ?)", rows)
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return time.perf_counter() - started


def check_same_text(qcode_project: Path, baseline_db: Path) -> str:
    """Do qcode and the baseline hold the same characters? (A sanity check that both read the same.)"""
    a = sqlite3.connect(str(qcode_project))
    b = sqlite3.connect(str(baseline_db))
    ours = dict(a.execute("SELECT name, text FROM documents"))
    theirs = dict(b.execute("SELECT name, text FROM documents"))
    a.close()
    b.close()
    differ = [n for n in theirs if ours.get(n, "").strip() != theirs[n].strip()]
    chars = sum(len(t) for t in ours.values())
    if differ:
        return f"text differs from the baseline in {len(differ)} documents (e.g. {differ[0]})"
    return f"same text as the baseline in all {len(theirs)} documents ({chars:,} characters)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time qcode's import against a minimal sqlite3 importer.")
    parser.add_argument("--docs", type=int, default=400)
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--docx-share", type=float, default=0.5, help="share of the files that are .docx (0.5)")
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs (3)")
    parser.add_argument("--corpus", type=Path, help="folder for the corpus (default: a reusable temp folder)")
    parser.add_argument("--no-cli", action="store_true", help="skip `qcode import`")
    parser.add_argument("--all-cores", action="store_true", help="do not pin the benchmark to one CPU")
    parser.add_argument("--profile", action="store_true",
                        help="also profile one library import with cProfile and print where the time goes")
    args = parser.parse_args(argv)

    pinned = "all cores" if args.all_cores else pin_one_core()
    corpus_dir = args.corpus or Path(tempfile.gettempdir()) / (
        f"qcode-bench-corpus-{args.docs}x{args.words}-{args.docx_share:g}")
    started = time.perf_counter()
    paths = write_corpus(corpus_dir, docs=args.docs, words=args.words, docx_share=args.docx_share, quiet=False)
    made = time.perf_counter() - started
    size = sum(p.stat().st_size for p in paths)
    n_docx = sum(p.suffix == ".docx" for p in paths)
    print(f"corpus: {len(paths)} files ({n_docx} .docx, {len(paths) - n_docx} .txt), {args.words} words each, "
          f"{size / 2**20:.1f} MB in {corpus_dir} ({made:.1f} s to make or check)")
    print(f"python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version}, {pinned}; best of {args.runs}; "
          "PDF is not part of this benchmark")

    command, why_not = (None, "skipped (--no-cli)") if args.no_cli else qcode_command("import")
    times: dict[str, list[float]] = {"qcode library": [], "qcode import (command)": [], "baseline sqlite3": []}
    cli_error = ""
    with tempfile.TemporaryDirectory(prefix="qcode-import-bench-") as work:
        work = Path(work)
        for run in range(args.runs):
            times["qcode library"].append(qcode_library(paths, work / f"lib-{run}.qcode"))
            if command and not cli_error:
                try:
                    times["qcode import (command)"].append(qcode_cli(command, paths, work / f"cli-{run}.qcode"))
                except RuntimeError as exc:
                    cli_error = str(exc)
            times["baseline sqlite3"].append(baseline(paths, work / f"base-{run}.db"))
        sanity = check_same_text(work / "lib-0.qcode", work / "base-0.db")
        if args.profile:
            profile_report(lambda: qcode_library(paths, work / "profile.qcode"),
                           title=f"qcode library import of {len(paths)} files")
            if command and not cli_error:
                from qcode.core import create_project

                target = work / "profile-cli.qcode"
                create_project(target, coder="bench").close()
                profile_command([sys.executable, "-m", "qcode", "import", str(target), *map(str, paths)],
                                title=f"qcode import of {len(paths)} files (whole command)", env=_env())

    base_best = min(times["baseline sqlite3"])
    print()
    print(f"{'method':<26}{'best s':>9}{'median s':>10}{'docs/s':>9}{'x baseline':>12}")
    for label, values in times.items():
        if not values:
            reason = cli_error or why_not
            print(f"{label:<26}{'-':>9}{'-':>10}{'-':>9}{'-':>12}   not run: {reason}")
            continue
        best, median = best_and_median(values)
        print(f"{label:<26}{best:9.3f}{median:10.3f}{len(paths) / best:9.0f}{best / base_best:12.2f}")
    print()
    lib = min(times["qcode library"])
    scaled = lib * 400 / len(paths)
    print(f"check: {sanity}")
    print(f"goal: 400 docs in < {GOAL_SECONDS_PER_400:g} s on one core: library {scaled:.2f} s per 400 -> "
          f"{'MET' if scaled < GOAL_SECONDS_PER_400 else 'MISSED'}")
    print(f"goal: within {GOAL_RATIO:g}x of the baseline: library {lib / base_best:.2f}x -> "
          f"{'MET' if lib / base_best <= GOAL_RATIO else 'MISSED'}")
    if times["qcode import (command)"]:
        cli = min(times["qcode import (command)"])
        cli_scaled = cli * 400 / len(paths)
        print(f"goal: the same for `qcode import`: {cli_scaled:.2f} s per 400, {cli / base_best:.2f}x -> "
              f"{'MET' if cli_scaled < GOAL_SECONDS_PER_400 and cli / base_best <= GOAL_RATIO else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
