"""The review app's commands in Textual's command palette."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

APP_COMMANDS = (
    ("Help", "Keys, search syntax and marks", "app.help"),
    ("Set my name", "The practitioner's name on confirmed records", "app.set_name"),
    ("Quit", "Leave SpeakCase review (asks if an edit is unsaved)", "app.quit"),
)


class ReviewCommands(Provider):
    """The current screen's actions and the app's, by name."""

    def _commands(self) -> Iterator[tuple[str, str, str]]:
        screen = self.screen
        for title, help_text, action in getattr(screen, "PALETTE", ()):
            if screen.check_action(action.split("(")[0], ()) is not False:
                yield title, help_text, action
        yield from APP_COMMANDS

    async def _run(self, action: str) -> None:
        await self.screen.run_action(action)

    async def discover(self) -> Hits:
        for title, help_text, action in self._commands():
            yield DiscoveryHit(title, partial(self._run, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, action in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self._run, action), help=help_text)
