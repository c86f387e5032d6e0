"""Shared fixtures. Tests that need ../shared skip cleanly when it is absent."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from qcode.cli import cli
from qcode.core import create_project

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
THIRD_PARTY = SHARED / "fixtures" / "third-party"


@pytest.fixture(autouse=True)
def _coder(monkeypatch, tmp_path_factory):
    monkeypatch.setenv("QCODE_CODER", "tester")
    settings = tmp_path_factory.mktemp("settings")  # the workbench's config and theme, not the user's
    monkeypatch.setenv("QCODE_CONFIG", str(settings / "config.toml"))
    monkeypatch.setenv("QCODE_STATE", str(settings / "theme"))


@pytest.fixture
def third_party() -> Path:
    if not THIRD_PARTY.is_dir():
        pytest.skip("../shared/fixtures/third-party is not here")
    return THIRD_PARTY


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory) -> Path:
    """The demo project, built once for the whole run; tests change their own copy (``demo``)."""
    from qcode.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.qcode"
    build_demo(path)
    return path


@pytest.fixture
def demo(demo_file, tmp_path) -> Path:
    path = tmp_path / "demo.qcode"
    shutil.copy(demo_file, path)
    return path


@pytest.fixture
def project(tmp_path):
    p = create_project(tmp_path / "test.qcode")
    yield p
    p.close()


@pytest.fixture
def project_path(tmp_path) -> Path:
    path = tmp_path / "cli.qcode"
    create_project(path).close()
    return path


class Run:
    """Runs the command line in-process; ``out`` is stdout, ``err`` stderr."""

    def __init__(self):
        self.runner = CliRunner()

    def __call__(self, *args, ok: bool | None = True, input: str | None = None):
        result = self.runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)
        result.out, result.err = result.stdout, result.stderr
        if ok is True:
            assert result.exit_code == 0, (args, result.err, result.out)
        elif ok is False:
            assert result.exit_code != 0, (args, result.err, result.out)
        return result

    def json(self, *args):
        return json.loads(self(*args, "--json").out)


@pytest.fixture
def run() -> Run:
    return Run()


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


os.environ.setdefault("COLUMNS", "200")
