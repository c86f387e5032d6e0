"""A deterministic corpus of interview transcripts, for the benchmarks.

Each transcript alternates ``Interviewer:`` and ``R.:`` turns, one paragraph a turn, in English or in
Indonesian-like text (with some code-switching, as real transcripts have). The same seed, count and
length always give the same text. Files are written as ``.txt`` (UTF-8) and ``.docx`` (python-docx);
the .docx bytes differ between runs only in the zip timestamps, never in their text.

    python benchmarks/corpus.py OUT_DIR --docs 400 --words 5000 --docx-share 0.5

Library use (from the other benchmarks)::

    from corpus import transcript, write_corpus
    text = transcript(seed=1, index=0, words=5000)       # one transcript as a str
    paths = write_corpus(folder, docs=400, words=5000)   # files, reused when already written
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ENGLISH = """
the a of and to in that it was we they for with on as at by from this which when our their there
about not but so also very more most some many every each only because after before during between
government ministry office agency officials workers migrant migrants recruitment agencies brokers
village district province border airport shelter victims survivors families return returned
training training programme capacity building coordination meeting meetings workshop guidelines
policy policies regulation law enforcement police prosecutors judges court cases case evidence
trafficking trafficked exploitation forced labour debt bondage passport documents contract salary
employer employers abroad Malaysia Saudi Arabia Hong Kong Taiwan Singapore Jakarta Nusa Tenggara
IOM UNODC BP2MI task force national action plan protection prevention prosecution partnership
support supported supporting coordinate coordinated coordinator role roles actor actors arena
instrument independent donor funding project projects report reports data database referral
mechanism standard operating procedure hotline counselling reintegration livelihood assistance
local national international regional civil society NGO network networks partners partner
important difficult useful helpful slow fast new old first second third last year years month
think believe remember know said told asked explained started began continued changed improved
""".split()

INDONESIAN = """
yang dan di ke dari ini itu untuk dengan pada adalah dalam tidak akan sudah juga karena jadi
kami kita mereka saya bapak ibu mas mbak pak bu kalau tapi atau seperti lebih sangat banyak semua
setiap hanya setelah sebelum selama antara waktu itu sekarang dulu nanti memang sih ya kan nah
pemerintah kementerian dinas kantor lembaga petugas pekerja migran perekrutan calo sponsor agen
desa kabupaten provinsi perbatasan bandara rumah aman korban penyintas keluarga pulang dipulangkan
pelatihan peningkatan kapasitas koordinasi rapat lokakarya pedoman kebijakan peraturan undang
penegakan hukum polisi jaksa hakim pengadilan kasus bukti perdagangan orang eksploitasi kerja paksa
utang paspor dokumen kontrak gaji majikan luar negeri Malaysia Arab Saudi Hong Kong Taiwan Jakarta
NTT Kupang IOM BP2MI gugus tugas rencana aksi nasional perlindungan pencegahan penindakan kemitraan
dukungan mendukung koordinator peran aktor instrumen mandiri donor dana proyek laporan data rujukan
mekanisme prosedur standar layanan pengaduan konseling reintegrasi mata pencaharian bantuan
lokal nasional internasional regional masyarakat sipil jaringan mitra penting sulit berguna
membantu lambat cepat baru lama pertama kedua ketiga terakhir tahun bulan pikir percaya ingat
tahu bilang cerita tanya jelaskan mulai lanjut berubah membaik
""".split()

QUESTIONS_EN = ["Can you tell me about", "How did you see", "What happened with", "Who was responsible for",
                "Why do you think", "When did you first hear about", "Could you describe"]
QUESTIONS_ID = ["Bisa diceritakan tentang", "Bagaimana Bapak melihat", "Apa yang terjadi dengan",
                "Siapa yang bertanggung jawab atas", "Menurut Ibu kenapa", "Kapan pertama kali mendengar",
                "Coba jelaskan"]


def _sentence(rng: random.Random, vocab: list[str], other: list[str], words: int) -> list[str]:
    out = []
    for _ in range(words):
        # about 1 word in 25 switches language, as interviewees do
        out.append(rng.choice(other) if rng.random() < 0.04 else rng.choice(vocab))
    out[0] = out[0][:1].upper() + out[0][1:]
    out[-1] += rng.choice(".....?!") if rng.random() < 0.9 else ","
    if rng.random() < 0.03:
        out.insert(rng.randrange(len(out)), "[inaudible]")
    return out


def transcript(seed: int, index: int, words: int) -> str:
    """Transcript ``index`` of the corpus ``seed``: about ``words`` words, one turn a line."""
    rng = random.Random(f"qcode-corpus/{seed}/{index}/{words}")
    indonesian = index % 2 == 1
    vocab, other = (INDONESIAN, ENGLISH) if indonesian else (ENGLISH, INDONESIAN)
    questions = QUESTIONS_ID if indonesian else QUESTIONS_EN
    lines = [f"Transcript {index + 1:04d}: {'wawancara' if indonesian else 'interview'} "
             f"{rng.choice(['Jakarta', 'Kupang', 'Surabaya', 'Medan', 'Mataram'])} "
             f"{2016 + rng.randrange(5)}"]
    count = 0
    while count < words:
        question = rng.choice(questions).split() + _sentence(rng, vocab, other, rng.randint(4, 14))
        question[-1] = question[-1].rstrip(".,!?") + "?"
        lines.append("Interviewer: " + " ".join(question))
        count += len(question)
        answer: list[str] = []
        for _ in range(rng.randint(2, 9)):
            answer += _sentence(rng, vocab, other, rng.randint(6, 24))
        if count + len(answer) > words:  # end on the asked length
            answer = answer[: max(1, words - count)]
            answer[-1] = answer[-1].rstrip(".,!?") + "."
        lines.append("R.: " + " ".join(answer))
        count += len(answer)
    return "\n".join(lines) + "\n"


def write_txt(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


def write_docx(path: Path, text: str, title: str) -> None:
    """One paragraph a line; speaker labels in bold, as transcribers often set them."""
    import docx

    document = docx.Document()
    props = document.core_properties
    props.title = title
    props.author = "qcode benchmark corpus"
    fixed = datetime(2020, 1, 1, tzinfo=timezone.utc)
    props.created = props.modified = fixed
    props.last_modified_by = "qcode"
    props.revision = 1
    for line in text.splitlines():
        paragraph = document.add_paragraph()
        label, sep, rest = line.partition(": ")
        if sep and label in ("Interviewer", "R."):
            paragraph.add_run(label + sep).bold = True
            paragraph.add_run(rest)
        else:
            paragraph.add_run(line)
    document.save(str(path))


def write_corpus(folder: str | Path, *, docs: int = 400, words: int = 5000, docx_share: float = 0.5,
                 seed: int = 1, quiet: bool = True) -> list[Path]:
    """Write the corpus into ``folder`` (created), or reuse it when the same corpus is already there.

    Every ``round(1 / docx_share)``-th file is a .docx (so 0.5 means every other one); the rest are
    .txt. Returns the file paths in order.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    n_docx = round(docs * docx_share)
    is_docx = [False] * docs
    for k in range(n_docx):  # spread the .docx files evenly through the corpus
        is_docx[(k * docs) // n_docx] = True
    paths = [folder / f"transcript-{i + 1:04d}.{'docx' if is_docx[i] else 'txt'}" for i in range(docs)]
    manifest = folder / "corpus.json"
    spec = {"seed": seed, "docs": docs, "words": words, "docx_share": docx_share, "version": 2}
    if manifest.exists() and all(p.exists() for p in paths):
        try:
            if json.loads(manifest.read_text()) == spec:
                return paths
        except ValueError:
            pass
    manifest.unlink(missing_ok=True)
    started = time.perf_counter()
    for i, path in enumerate(paths):
        text = transcript(seed, i, words)
        if path.suffix == ".docx":
            write_docx(path, text, f"Transcript {i + 1:04d}")
        else:
            write_txt(path, text)
        if not quiet and (i + 1) % 50 == 0:
            print(f"  corpus: {i + 1}/{docs} files ({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    manifest.write_text(json.dumps(spec))
    return paths


# --- helpers shared by the benchmark scripts ---------------------------------------------------

def pin_one_core() -> str:
    """Run this process (and the commands it starts) on one CPU, where the OS allows it."""
    if hasattr(os, "sched_setaffinity"):
        cpus = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpus[-1]})
        return f"pinned to CPU {cpus[-1]} of {len(cpus)}"
    return "not pinned (no sched_setaffinity here)"


def qcode_command(subcommand: str) -> tuple[list[str] | None, str]:
    """The command line that runs ``qcode SUBCOMMAND``, or None and why not, when it does not exist yet."""
    candidates = []
    script = Path(sys.executable).with_name("qcode")
    if script.exists():
        candidates.append([str(script)])
    found = shutil.which("qcode")
    if found and [found] not in candidates:
        candidates.append([found])
    candidates.append([sys.executable, "-m", "qcode"])
    why = "no qcode command found"
    for command in candidates:
        try:
            probe = subprocess.run(command + [subcommand, "--help"], capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as exc:
            why = f"{' '.join(command)}: {exc}"
            continue
        if probe.returncode == 0:
            return command, ""
        last = (probe.stderr.strip() or probe.stdout.strip() or f"exit code {probe.returncode}").splitlines()[-1]
        why = f"`{' '.join(command)} {subcommand} --help` failed: {last}"
    return None, why


def best_and_median(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return ordered[0], ordered[len(ordered) // 2]


def profile_report(function, *, top: int = 25, title: str = "profile") -> None:
    """Run ``function()`` under cProfile and print where the time goes, as shares of the total."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    function()
    profiler.disable()
    print_profile(pstats.Stats(profiler), top=top, title=title)


def profile_command(command: list[str], *, top: int = 25, title: str = "profile", env=None) -> None:
    """Run a Python command line (``[python, -m, module, ...]``) under cProfile and print the report."""
    import pstats
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "command.prof"
        python, rest = command[0], command[1:]
        done = subprocess.run([python, "-m", "cProfile", "-o", str(out), *rest], capture_output=True, env=env)
        if done.returncode != 0 or not out.exists():
            print(f"\n{title}: could not profile (exit code {done.returncode}): "
                  f"{done.stderr.decode(errors='replace').strip()[-300:]}")
            return
        print_profile(pstats.Stats(str(out)), top=top, title=title)


def print_profile(stats, *, top: int = 25, title: str = "profile") -> None:
    total = stats.total_tt or 1e-9
    rows = []
    for (filename, line, name), (_cc, calls, tottime, cumtime, _callers) in stats.stats.items():
        short = filename
        if "/qcode/" in filename:
            short = "qcode/" + filename.rsplit("/qcode/", 1)[1]
        elif "/site-packages/" in filename:
            short = filename.split("/site-packages/", 1)[1]
        elif "/lib/python" in filename:
            short = filename.split("/lib/", 1)[1]
        rows.append((tottime, cumtime, calls, f"{short}:{line}({name})"))
    print(f"\n{title}: {total:.3f} s under cProfile (profiling adds overhead; read the shares)")
    for key, label in ((0, "own time (tottime)"), (1, "including callees (cumtime)")):
        print(f"\n  top {top} by {label}")
        print(f"  {'own %':>6} {'cum %':>6} {'own s':>7} {'calls':>8}  function")
        for tottime, cumtime, calls, where in sorted(rows, key=lambda r: r[key], reverse=True)[:top]:
            print(f"  {100 * tottime / total:6.1f} {100 * cumtime / total:6.1f} {tottime:7.3f} {calls:8d}  {where}")

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--docs", type=int, default=400, help="number of transcripts (400)")
    parser.add_argument("--words", type=int, default=5000, help="words per transcript (5000)")
    parser.add_argument("--docx-share", type=float, default=0.5, help="share written as .docx (0.5)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    paths = write_corpus(args.folder, docs=args.docs, words=args.words, docx_share=args.docx_share,
                         seed=args.seed, quiet=False)
    size = sum(p.stat().st_size for p in paths)
    n_docx = sum(p.suffix == ".docx" for p in paths)
    print(f"{'files':<12}{len(paths):>10}")
    print(f"{'.docx':<12}{n_docx:>10}")
    print(f"{'.txt':<12}{len(paths) - n_docx:>10}")
    print(f"{'bytes':<12}{size:>10,}")
    print(f"{'seconds':<12}{time.perf_counter() - started:>10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
