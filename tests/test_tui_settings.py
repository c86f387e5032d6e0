"""The workbench's keymap file and remembered theme."""

from __future__ import annotations

import pytest

from qcode.tui.settings import load_settings, remember_theme


@pytest.fixture(autouse=True)
def _state(tmp_path, monkeypatch):
    monkeypatch.setenv("QCODE_STATE", str(tmp_path / "state" / "theme"))


def test_no_file_means_defaults(tmp_path):
    settings = load_settings(tmp_path / "absent.toml")
    assert (settings.keys, settings.theme, settings.problem) == ({}, None, None)


def test_keys_and_theme_are_read(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('theme = "textual-light"\n[keys]\ncode-finder = "f5"\n', encoding="utf-8")
    settings = load_settings(path)
    assert settings.keys == {"code-finder": "f5"} and settings.theme == "textual-light" and settings.problem is None


def test_the_remembered_theme_wins_over_the_configured_default(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('theme = "textual-light"\n', encoding="utf-8")
    remember_theme("nord")
    assert load_settings(path).theme == "nord"


@pytest.mark.parametrize("content, problem", [
    ("keys = [", "not valid TOML"), ("[keys]\nfind = 3\n", "must map binding ids"), ("theme = 1\n", "theme must be"),
    (b"\xff\xfe", "not valid TOML"),
])
def test_a_bad_file_is_reported_and_ignored(tmp_path, content, problem):
    path = tmp_path / "config.toml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    settings = load_settings(path)
    assert problem in settings.problem and settings.keys == {}
