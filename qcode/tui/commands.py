"""The command palette (ctrl+p): what fits the screen it is opened from.

A screen offers commands by a ``palette_commands()`` method returning ``(title, help, callback)``
triples ("Apply code: Role set/Coordinator", "Go to document: ...", "Excerpts of: ..."); this
provider searches them with Textual's fuzzy matcher. Titles hold document and code names, which are
untrusted: they are shown as plain ``Content`` (Textual would read a string as markup) and the help
line is escaped.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape


class ScreenCommands(Provider):
    def _commands(self):
        offer = getattr(self.screen, "palette_commands", None)
        return list(offer()) if offer else []

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            if not title.startswith(("Apply code:", "Go to document:", "Excerpts of:", "Memo on code:")):
                yield DiscoveryHit(Content(title), callback, text=title, help=escape(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score, offsets = matcher.fuzzy_search.match(query, title)
            if score > 0:
                shown = Content(title)
                for offset in offsets:
                    shown = shown.stylize(matcher.match_style, offset, offset + 1)
                yield Hit(score, shown, partial(callback), text=title, help=escape(help_text))
