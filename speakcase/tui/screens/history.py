"""The history view: every revision of a record, what changed, who, when and why."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from speakcase.models.store import RevisionInfo
from speakcase.models.wording import FIELD_LABELS, value_text
from speakcase.tui.fields import changed_fields
from speakcase.tui.messages import StoreFailed, failure_text

CHANGES = {
    "extracted": "drafted from the memo",
    "manual": "added by hand",
    "edit": "edited",
    "confirm": "confirmed",
    "amend": "amended",
    "discard": "discarded",
}
REASON_LABELS = {
    "amend": "Reason for the amendment",
    "discard": "Reason for discarding",
    "confirm": "Note",
}


def revision_text(revision: RevisionInfo, before: RevisionInfo | None) -> Text:
    """One revision as text: who did what and when, the reason, and each changed field in plain words."""
    when = revision.created_at.strftime("%Y-%m-%d %H:%M")
    text = Text()
    change = CHANGES.get(revision.change, revision.change)
    text.append(f"Revision {revision.number} · {change}", style="bold")
    signed = f" (signed {revision.signed_as})" if revision.signed_as else ""
    text.append(f" by {revision.author}{signed} · {when}\n")
    if revision.reason:
        label = REASON_LABELS.get(revision.change, "Reason")
        text.append(f"  {label}: {revision.reason}\n", style="italic")
    if before is None:
        text.append("  First version of the record.\n", style="dim")
        return text
    changes = changed_fields(before.record, revision.record)
    if not changes and revision.change == "edit":
        text.append("  No field changed.\n", style="dim")
    for name, old, new in changes:
        text.append(f"  {FIELD_LABELS[name]}: ", style="bold")
        text.append(value_text(name, old) or "(empty)", style="red strike")
        text.append(" → ")
        text.append((value_text(name, new) or "(empty)") + "\n", style="green")
    return text


class HistoryScreen(ModalScreen[None]):
    """A record's revisions, oldest first."""

    BINDINGS = [
        Binding("escape", "dismiss_screen", "Close"),
        Binding("ctrl+r", "dismiss_screen", "Close", show=False),
    ]

    class Loaded(Message):
        """The history was read."""

        def __init__(self, revisions: list[RevisionInfo]) -> None:
            super().__init__()
            self.revisions = revisions

    def __init__(self, record_id: int) -> None:
        super().__init__()
        self.record_id = record_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="history-dialog"):
            yield Label(f"History of record {self.record_id}", classes="dialog-title")
            yield VerticalScroll(Static("Loading…", id="history-text"), id="history")
            yield Label("↑/↓ pgup/pgdn: scroll · escape: close", classes="dim")

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exclusive=True)
    def _load(self) -> None:
        try:
            revisions = self.app.store.history(self.record_id)  # type: ignore[attr-defined]
        except Exception as exc:  # noqa: BLE001 - shown, never a crash
            self.post_message(StoreFailed(failure_text(exc)))
            return
        self.post_message(self.Loaded(revisions))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        text = Text()
        for i, revision in enumerate(event.revisions):
            text.append_text(revision_text(revision, event.revisions[i - 1] if i else None))
        self.query_one("#history-text", Static).update(text)
        self.query_one("#history").focus()

    def action_dismiss_screen(self) -> None:
        """Close the history."""
        self.dismiss(None)
