"""What the Pilot tests of the workbench share: waiting for the app to settle, and a bare host app."""

from __future__ import annotations

from textual.app import App

from qcode.tui.screens.excerpts import ResultList

UNSET = object()


async def settle(app, pilot, rounds: int = 1) -> None:
    """Let the app handle what is queued and finish its workers (``rounds`` times: a worker's result
    may start another), and let a result list finish filling."""
    for _ in range(rounds):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()
    lists = app.screen.query(ResultList)
    while lists and lists.first().loading:
        await pilot.pause(0.02)
        await pilot.pause()


class Host(App):
    """A bare app that shows one screen (``first``) and keeps what it dismisses with (``result``)."""

    def __init__(self, screen):
        super().__init__()
        self.first = screen
        self.result = UNSET

    def on_mount(self) -> None:
        self.push_screen(self.first, self.done)

    def done(self, result) -> None:
        self.result = result
