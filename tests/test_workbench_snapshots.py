"""SVG snapshots of the workbench's main screens on the demo project (pytest-textual-snapshot).

After an intended change of a screen, look at the new picture and update with
``pytest tests/test_workbench_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

import pytest

from qcode.tui.app import QcodeApp

DOCUMENT = "interview-iom-programme-officer.docx"


@pytest.fixture(autouse=True)
def _fixed_config_path(monkeypatch):
    """The help screen names the keymap file: the same name in every run (the file need not exist)."""
    monkeypatch.setenv("QCODE_CONFIG", "/home/researcher/.config/qcode/config.toml")


async def settle(pilot):
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_home(snap_compare, demo):
    assert snap_compare(QcodeApp(demo, coder="tester"), terminal_size=(100, 24), run_before=settle)


def test_coding_screen_with_an_overlap_and_the_side_panel(snap_compare, demo):
    async def before(pilot):
        await settle(pilot)
        view = pilot.app.screen.query_one("DocumentView")
        start = view.text.index("R.: A lot of it starts")
        view.select(start, start + 40)
        await pilot.press("5")
        await settle(pilot)
        view.move_to(start + 10)
        await pilot.pause()

    assert snap_compare(QcodeApp(demo, document=DOCUMENT, coder="tester"), terminal_size=(130, 32),
                        run_before=before)


def test_coding_screen_at_80x24(snap_compare, demo):
    assert snap_compare(QcodeApp(demo, document=DOCUMENT, coder="tester"), terminal_size=(80, 24),
                        run_before=settle)


def test_excerpts_of_a_code(snap_compare, demo):
    async def before(pilot):
        await settle(pilot)
        from qcode.tui.screens.excerpts import ExcerptsScreen
        await pilot.app.push_screen(ExcerptsScreen(pilot.app.project, "Role set/Coordinator"))
        await settle(pilot)

    assert snap_compare(QcodeApp(demo, document=DOCUMENT, coder="tester"), terminal_size=(100, 30),
                        run_before=before)


def test_help_screen(snap_compare, demo):
    async def before(pilot):
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(QcodeApp(demo, document=DOCUMENT, coder="tester"), terminal_size=(100, 30),
                        run_before=before)
