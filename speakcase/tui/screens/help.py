"""The help screen: keys, search syntax and what the marks mean."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Markdown

HELP = """\
**Inbox**: `enter` opens a record; `/` searches; `ctrl+n` starts a record by hand \
(it is saved once you enter something); `ctrl+t` retries the highlighted failed memo; \
`f5` refreshes. Drafts come first, then confirmed records; discarded ones only under \
their status.

**Search**: words match anywhere; `subject:amy`, `with:price` (counterpart), \
`date:2026-11` (a date prefix), `status:draft`. Quote spaces: `with:"helen price"`.

**Record**: the first field that needs you has the cursor. `tab` / `shift+tab` move \
between fields. Arriving in a field selects its value, so typing replaces it; an \
arrow key, `home` or `end` keeps it for editing in place; `ctrl+u` clears the field. \
When takes `2026-11-24 14:10`, `2026-11-24T14:10`, `24/11/2026 14:10` or a date alone.

**Lists and choices**: `space` ticks or unticks an option (`[x]` ticked, `[ ]` not; \
`›` marks where you are); `enter` opens a choice, arrows and `enter` pick.

**Checks**: `✗` marks a field a confirmed record needs; `?` a value to check \
(the extraction was unsure, the memo contradicts it, or it is a fragment). Correct \
it, or press `ctrl+o` on it when it is right: that is noted with the confirmation.

**Recorded time**: under the record's title, with where it came from (the file's \
creation tag, its modified time, or typed); `f2` corrects it. "Yesterday" and "this \
afternoon" in the memo are checked against it.

**Saving**: your edits are saved as one revision, with your name, when you pause \
for 5 seconds, leave the record or quit.

**Confirming**: `ctrl+s` shows a summary of the record in plain words; `enter` \
confirms it, `escape` goes back. `ctrl+e` amends a confirmed record with a reason \
(correction or challenge). `ctrl+r` shows the history.

**Discarding**: from the palette (`ctrl+p`, "Discard this draft"), with a reason; \
the draft stays in the history.

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
        with Vertical(classes="dialog wide", id="help-dialog"):
            yield Label("SpeakCase review: help", classes="dialog-title")
            with VerticalScroll(id="help-scroll"):
                yield Markdown(HELP, id="help-text")
            yield Label("↑/↓ pgup/pgdn: scroll · escape: close", classes="dim")

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
