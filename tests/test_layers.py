"""The layers point one way (import-linter contracts in pyproject.toml), and the core needs no terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept(tmp_path):
    from importlinter.cli import lint_imports

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0
    finally:
        os.chdir(cwd)


def test_core_and_ingest_import_without_textual_or_rich():
    # (click does load: sqlite-utils imports it; the contracts keep qcode's own code off it)
    code = ("import sys, qcode.core, qcode.ingest, qcode.ingest.tables, qcode.demo; "
            "bad = [m for m in ('textual', 'rich') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
