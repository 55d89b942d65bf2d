"""The confirmation summary: the record in plain words, one screen, before it is confirmed."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from speakcase.models.records import SharingRecord
from speakcase.models.wording import summary_lines


def summary_text(record: SharingRecord, accepted: list[str]) -> Text:
    """The summary as text: one labelled line per part of the record, then the values accepted as checked."""
    text = Text()
    for label, words in summary_lines(record):
        text.append(f"{label}: ", style="bold")
        text.append(words + "\n")
    for message in accepted:
        text.append(f"Accepted as checked: {message}\n", style="italic")
    text.rstrip()
    return text


class ConfirmDialog(ModalScreen[bool]):
    """Shows what is about to be confirmed; returns True to confirm."""

    BINDINGS = [Binding("escape", "back", "Go back")]

    def __init__(self, record: SharingRecord, accepted: list[str]) -> None:
        super().__init__()
        self.record, self.accepted = record, accepted

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="confirm-dialog"):
            yield Label("Confirm this record? It becomes the record of the decision.", classes="dialog-title")
            yield VerticalScroll(Static(summary_text(self.record, self.accepted)), id="confirm-summary")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Confirm", variant="primary", id="ok")
                yield Button("Go back and edit", id="back")

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        """Return to the form without confirming."""
        self.dismiss(False)
