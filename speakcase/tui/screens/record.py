"""The record screen: transcript beside the form; drafts save field by field, confirm, amend, discard."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from speakcase.models.checks import Finding, missing_for_confirmation
from speakcase.models.records import SharingRecord
from speakcase.models.store import RecordInfo
from speakcase.models.transcript import Transcript
from speakcase.tui.fields import FieldValueError
from speakcase.tui.listen import ListenMixin
from speakcase.tui.messages import StoreFailed, failure_text
from speakcase.tui.screens.dialogs import AmendDialog, AmendReason, ChoiceDialog
from speakcase.tui.screens.history import HistoryScreen
from speakcase.tui.widgets.checks import ChecksPanel
from speakcase.tui.widgets.record_form import RecordForm
from speakcase.tui.widgets.transcript import TranscriptView

if TYPE_CHECKING:
    from speakcase.tui.app import ReviewApp


class RecordScreen(ListenMixin, Screen[None]):
    """One record: its transcript with evidence, and a form holding every field."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+s", "confirm", "Confirm", priority=True),
        Binding("ctrl+s", "save_amendment", "Save amendment", priority=True),
        Binding("ctrl+e", "amend", "Amend", priority=True),
        Binding("ctrl+d", "discard", "Discard", priority=True),
        Binding("ctrl+r", "history", "History", priority=True),
        Binding("ctrl+n", "new_record", "New record", show=False, priority=True),
        Binding("f6", "play_evidence", "Play evidence", show=False, priority=True),
        Binding("f7", "play_from_sentence", "Play from here", show=False, priority=True),
    ]
    PALETTE = (
        ("Confirm this record", "Write a confirmed revision with your name", "confirm"),
        ("Amend this record", "Change a confirmed record, with a reason", "amend"),
        ("Save the amendment", "Append the amended revision with its reason", "save_amendment"),
        ("Discard this draft", "Set the draft aside (kept in the history)", "discard"),
        ("Show the history", "Every revision: what changed, who, when, why", "history"),
        ("Add a record by hand", "For an event the extraction missed, in this memo", "new_record"),
        ("Back to the inbox", "Leave this record", "back"),
        ("Play the evidence (f6)", "The audio behind the focused field, with half a second", "play_evidence"),
        ("Play from this sentence (f7)", "The memo from the focused field's sentence", "play_from_sentence"),
    )

    class Loaded(Message):
        """The record and its transcript were read."""

        def __init__(self, info: RecordInfo, transcript: Transcript | None) -> None:
            super().__init__()
            self.info, self.transcript = info, transcript

    class Saved(Message):
        """A draft revision was written."""

        def __init__(self, record: SharingRecord, revision: int) -> None:
            super().__init__()
            self.record, self.revision = record, revision

    class Changed(Message):
        """The record was confirmed, amended or discarded."""

        def __init__(self, note: str) -> None:
            super().__init__()
            self.note = note

    def __init__(self, record_id: int) -> None:
        super().__init__()
        self.record_id = record_id
        self.info: RecordInfo | None = None
        self.record = SharingRecord()
        self.saved = SharingRecord()
        self.amending = False
        self._save_lock = threading.Lock()

    @property
    def review(self) -> ReviewApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    @property
    def editable(self) -> bool:
        """Whether the form may be edited now."""
        return self.info is not None and (self.info.status == "draft" or self.amending)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="record-body"):
            yield TranscriptView(id="transcript")
            with Vertical(id="record-side"):
                yield Static("Loading…", id="record-title")
                yield ChecksPanel(id="checks")
                yield RecordForm(id="form")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#transcript").border_title = "Transcript"
        self._load()

    @work(thread=True, group="record-load", exclusive=True)
    def _load(self) -> None:
        try:
            info = self.review.store.record(self.record_id)
            transcript = self.review.store.transcript(info.memo_id) if info.memo_id is not None else None
        except Exception as exc:  # noqa: BLE001 - shown to the user, never a crash
            self.post_message(StoreFailed(failure_text(exc)))
            return
        self.post_message(self.Loaded(info, transcript))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.info, self.amending = event.info, False
        self.record = self.saved = event.info.record
        self.query_one(TranscriptView).show(event.transcript)
        self.query_one(RecordForm).load(event.info.record, editable=event.info.status == "draft")
        self._show_state()
        if event.info.status == "draft":
            self.query_one(RecordForm).widget_for("kind").focus()

    def _show_state(self, blocked: bool = False, note: str = "") -> None:
        info = self.info
        if info is None:
            return
        mode = "amending" if self.amending else info.status
        origin = "added by hand" if info.origin == "manual" else f"memo {info.memo_id}"
        self.query_one("#record-title", Static).update(
            f"Record {info.id} · {mode} · revision {info.revision} · {origin}{note}"
        )
        self.query_one("#record-side").set_class(self.amending, "amending")
        self.query_one(ChecksPanel).show(self.record, "draft" if self.amending else info.status, blocked)
        missing = missing_for_confirmation(self.record) if self.editable else []
        self.query_one(RecordForm).mark_missing({finding.field for finding in missing})
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        status = self.info.status if self.info else None
        if action == "confirm":
            return status == "draft"
        if action == "save_amendment":
            return self.amending
        if action == "amend":
            return status == "confirmed" and not self.amending
        if action == "discard":
            return status == "draft"
        return True

    # editing ---------------------------------------------------------------
    @on(RecordForm.FieldFocused)
    def _field_focused(self, event: RecordForm.FieldFocused) -> None:
        self.query_one(TranscriptView).highlight(self.record.evidence.get(event.name))

    @on(RecordForm.FieldEdited)
    def _field_edited(self, event: RecordForm.FieldEdited) -> None:
        if not self.editable:
            return
        try:
            value = self.query_one(RecordForm).read(event.name)
        except FieldValueError as exc:
            self.notify(str(exc), severity="warning")
            return
        updated = self.record.with_field(event.name, value)
        if updated == self.record:
            return
        self.record = updated
        self._show_state()
        if not self.amending:
            self._save_draft()

    @work(thread=True, group="save")
    def _save_draft(self) -> None:
        with self._save_lock:
            record = self.record
            if record == self.saved:
                return
            try:
                revision = self.review.store.save_draft(self.record_id, record, self.review.author())
            except Exception as exc:  # noqa: BLE001 - the value stays in the form; the next edit retries
                self.post_message(StoreFailed("Not saved: " + failure_text(exc)))
                return
            self.saved = record
        self.post_message(self.Saved(record, revision))

    @on(Saved)
    def _saved(self, event: Saved) -> None:
        if self.info is not None and event.record == self.record:
            self.info = RecordInfo(
                self.info.id,
                self.info.memo_id,
                self.info.status,
                self.info.origin,
                event.record,
                event.revision,
                self.info.updated_at,
            )
            self._show_state(note=" · saved")

    def has_unsaved(self) -> bool:
        """Whether an edit (typed, pending or an amendment) is not yet in the database."""
        if not self.editable or self.info is None:
            return False
        form = self.query_one(RecordForm)
        name = form.focused_field()
        if name is not None:
            try:
                if form.read(name) != self.record.get(name):
                    return True
            except FieldValueError:
                return True
        if self.amending:
            return self.record != self.info.record
        return self.record != self.saved

    async def flush(self) -> bool:
        """Save the field being typed and any pending draft edit; True when nothing is left unsaved."""
        if self.amending or not self.editable:
            return not self.has_unsaved()
        name = self.query_one(RecordForm).focused_field()
        if name is not None:
            self._field_edited(RecordForm.FieldEdited(name))
        await self._save_draft().wait()
        return self.record == self.saved

    def _collect(self) -> SharingRecord | None:
        """The record as the form holds it, or None (with a notice) when a field is invalid."""
        form = self.query_one(RecordForm)
        try:
            self.record = form.read_all(self.record)
        except FieldValueError as exc:
            self.notify(str(exc), title="Check the form", severity="error")
            form.widget_for("occurred_at").focus()
            return None
        return self.record

    def _complete_record(self) -> SharingRecord | None:
        """The form's record if it may be confirmed; otherwise show what blocks it and return None."""
        record = self._collect()
        if record is None:
            return None
        missing = missing_for_confirmation(record)
        if missing:
            self._blocked(missing)
            return None
        return record

    def _blocked(self, missing: list[Finding]) -> None:
        self._show_state(blocked=True)
        self.notify(
            "\n".join(f.message for f in missing), title="Cannot confirm", severity="error", markup=False
        )
        self.query_one(RecordForm).widget_for(missing[0].field).focus()

    # actions ---------------------------------------------------------------
    def action_confirm(self) -> None:
        """Confirm the draft with the practitioner's name."""
        record = self._complete_record()
        if record is None:
            return
        self.review.with_practitioner(lambda name: self._write("confirm", record, name, None))

    def action_amend(self) -> None:
        """Open the confirmed record for an amendment."""
        if self.info is None:
            return
        self.amending = True
        self.query_one(RecordForm).load(self.record, editable=True)
        self._show_state()
        self.query_one(RecordForm).widget_for("kind").focus()
        self.notify("Edit the fields, then ctrl+s to save the amendment with its reason; escape cancels.")

    def action_save_amendment(self) -> None:
        """Ask for the reason and append the amended revision."""
        record = self._complete_record()
        if record is None:
            return

        def reasoned(reason: AmendReason | None) -> None:
            if reason is not None:
                self.review.with_practitioner(
                    lambda name: self._write("amend", record, name, reason.as_text())
                )

        self.app.push_screen(AmendDialog(), reasoned)

    def action_discard(self) -> None:
        """Discard the draft after asking."""
        choices = [("Discard", "discard", "error"), ("Keep", "keep", "default")]
        dialog = ChoiceDialog(
            "Discard this draft?", "It stays in the history and can be read there.", choices
        )

        def chosen(answer: str | None) -> None:
            if answer == "discard":
                self._write("discard", self.record, self.review.author(), None)

        self.app.push_screen(dialog, chosen)

    @work(thread=True, group="write", exclusive=True)
    def _write(self, change: str, record: SharingRecord, author: str, reason: str | None) -> None:
        store = self.review.store
        try:
            if change == "confirm":
                store.confirm(self.record_id, record, author)
                note = f"Record {self.record_id} confirmed by {author}."
            elif change == "amend":
                store.amend(self.record_id, record, author, reason or "")
                note = f"Record {self.record_id} amended by {author}."
            else:
                store.discard(self.record_id, author, reason)
                note = f"Record {self.record_id} discarded (kept in the history)."
        except Exception as exc:  # noqa: BLE001 - the form keeps every value
            self.post_message(StoreFailed(failure_text(exc)))
            return
        self.post_message(self.Changed(note))

    @on(Changed)
    def _changed(self, event: Changed) -> None:
        self.notify(event.note, markup=False)
        self._load()

    def action_history(self) -> None:
        """Show every revision of the record."""
        self.app.push_screen(HistoryScreen(self.record_id))

    def action_new_record(self) -> None:
        """Add a record by hand to this record's memo."""
        self.review.add_record(self.info.memo_id if self.info else None)

    async def action_back(self) -> None:
        """Leave the record, saving the field being typed (or asking, during an amendment)."""
        if self.amending:
            if self.has_unsaved():
                self.app.push_screen(
                    ChoiceDialog(
                        "Cancel the amendment?",
                        "Your changes will not be saved.",
                        [("Drop changes", "drop", "error"), ("Keep editing", "keep", "default")],
                    ),
                    self._drop_amendment,
                )
            else:
                self._load()
            return
        if await self.flush():
            self.dismiss()
        else:
            self.notify("The edit could not be saved; it is still in the form.", severity="error")

    def _drop_amendment(self, answer: Any) -> None:
        if answer == "drop":
            self._load()
