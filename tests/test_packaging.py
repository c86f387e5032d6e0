"""A non-editable install carries the codebooks, the demo project and the seed as package data."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    pytest.importorskip("hatchling")
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return next(out.glob("qcode-*.whl"))


def test_the_wheel_holds_the_data_folders(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "qcode/_data/projects/iom-indonesia/manifest.yaml" in names
    assert "qcode/_data/projects/iom-indonesia/documents/interview-iom-programme-officer.docx" in names
    assert any(n.startswith("qcode/_data/seeds/") and n.endswith(".txt") for n in names)
    assert any(n.startswith("qcode/_data/codebooks/") for n in names)
    assert "qcode/cli/__init__.py" in names and not any(n.startswith("tests/") for n in names)


def test_an_installed_wheel_builds_the_demo_away_from_the_checkout(wheel, tmp_path):
    target = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                           "--target", str(target), str(wheel)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    script = ("import sys; sys.path.insert(0, sys.argv[1]); "
              "from qcode.core.resources import demo_dir, data_dir; from qcode.demo import build_demo; "
              "from pathlib import Path; d = demo_dir(); assert '_data' in str(d), d; "
              "assert any(data_dir('seeds').glob('*.txt')); "
              "build_demo(Path(sys.argv[2])); print('ok')")
    run = subprocess.run([sys.executable, "-c", script, str(target), str(tmp_path / "demo.qcode")],
                         capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr
    assert (tmp_path / "demo.qcode").stat().st_size > 0
