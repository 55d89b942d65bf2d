"""The help screen: keys, search syntax and what the marks mean."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Markdown

HELP = """\
**Inbox**: `enter` opens a record; `/` searches; `ctrl+n` adds a record by hand; \
`ctrl+t` retries the highlighted failed memo; `f5` refreshes. Drafts come first, \
then confirmed records; discarded ones only under their status.

**Search**: words match anywhere; `subject:amy`, `with:price` (counterpart), \
`date:2026-11` (a date prefix), `status:draft`. Quote spaces: `with:"helen price"`.

**Record**: `tab` moves between fields; leaving a field saves it as a draft \
revision. `ctrl+s` confirms (or saves an amendment), `ctrl+e` amends a confirmed \
record with a reason, `ctrl+d` discards a draft, `ctrl+r` shows the history, \
`escape` goes back.

**Transcript**: the focused field's evidence is shown *reversed*; words the \
recogniser was unsure of (probability below 0.5) are *underlined in orange*.

**Anywhere**: `ctrl+p` command palette, `f1` or `?` this help, `ctrl+q` quit \
(asks if an edit is unsaved).
"""


class HelpScreen(ModalScreen[None]):
    """Keys and conventions of the review app."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("f1", "close", "Close", show=False),
        Binding("question_mark", "close", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("SpeakCase review: help", classes="dialog-title")
            yield Markdown(HELP, id="help-text")

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
