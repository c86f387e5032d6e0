"""The top line of every screen: the app's title and the screen's subtitle."""

from __future__ import annotations

from textual.widgets import Static


class TitleBar(Static):
    """What Textual's Header shows (title, then the subtitle dimmed), as one widget.

    The Header is four widgets with four watchers, each redrawing the title on mount: 12 ms of the
    coding screen's first frame. Titles are document and project names, so they go through
    ``App.format_title`` as plain text, never as markup."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
        content-align: center middle;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def on_mount(self) -> None:
        self._retitle()
        for node in (self.app, self.screen):
            self.watch(node, "title", self._retitle, init=False)
            self.watch(node, "sub_title", self._retitle, init=False)

    def _retitle(self) -> None:
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        self.update(app.format_title(title, sub_title))
