"""The record screen: transcript beside the form; one revision per editing pass, confirm, amend, discard."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Static
from textual.worker import Worker

from speakcase.models.checks import Finding, missing_for_confirmation
from speakcase.models.flags import Flag, value_flags
from speakcase.models.records import FIELD_NAMES, SharingRecord
from speakcase.models.store import RecordInfo
from speakcase.models.transcript import Transcript
from speakcase.tui.fields import FieldValueError
from speakcase.tui.messages import StoreFailed, failure_text
from speakcase.tui.screens.confirm import ConfirmDialog
from speakcase.tui.screens.dialogs import (
    AmendDialog,
    AmendReason,
    ChoiceDialog,
    DiscardDialog,
    RecordedAtDialog,
)
from speakcase.tui.screens.history import HistoryScreen
from speakcase.tui.widgets.checks import ChecksPanel
from speakcase.tui.widgets.record_form import RecordForm
from speakcase.tui.widgets.transcript import TranscriptView

if TYPE_CHECKING:
    from speakcase.tui.app import ReviewApp

#: Seconds without a keystroke after which the editing pass is saved as one revision.
PAUSE_S = 5.0
RECORDED_SOURCES = {
    "tag": "file tag",
    "file_time": "? file time, f2",
    "given": "given",
    "typed": "typed",
}


@dataclass(frozen=True)
class Context:
    """What the checks need besides the record: the memo's words and time, and the extracted values."""

    transcript: Transcript | None = None
    """The memo's transcript."""
    recorded_at: datetime | None = None
    """When the memo was recorded."""
    recorded_at_source: str | None = None
    """Where that time came from (tag, file_time, given, typed)."""
    extracted: SharingRecord | None = None
    """The record as the extraction drafted it (its first revision)."""


class RecordScreen(Screen[None]):
    """One record: its transcript with evidence, and a form holding every field."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+s", "confirm", "Confirm", priority=True),
        Binding("ctrl+s", "save_amendment", "Save amendment", priority=True),
        Binding("ctrl+e", "amend", "Amend", priority=True),
        Binding("ctrl+u", "clear_field", "Clear field", priority=True),
        Binding("ctrl+o", "accept_value", "Value is right", priority=True),
        Binding("ctrl+r", "history", "History", priority=True),
        Binding("f2", "recorded_time", "Recorded time", show=False),
        Binding("ctrl+n", "new_record", "New record", show=False, priority=True),
    ]
    PALETTE = (
        ("Confirm this record", "Check the summary, then confirm with your name", "confirm"),
        ("Amend this record", "Change a confirmed record, with a reason", "amend"),
        ("Save the amendment", "Append the amended revision with its reason", "save_amendment"),
        ("Clear the field", "Empty the focused field", "clear_field"),
        ("Accept the flagged value", "The focused field's value is right as it is", "accept_value"),
        ("Discard this draft", "Set the draft aside with a reason (kept in the history)", "discard"),
        ("Show the history", "Every revision: what changed, who, when, why", "history"),
        ("Correct the memo's recorded time", "When the memo was recorded (f2)", "recorded_time"),
        ("Add a record by hand", "For an event the extraction missed, in this memo", "new_record"),
        ("Back to the inbox", "Leave this record (the edit is saved)", "back"),
    )

    class Loaded(Message):
        """The record, its transcript and its memo's time were read."""

        def __init__(self, info: RecordInfo | None, context: Context) -> None:
            super().__init__()
            self.info, self.context = info, context

    class Saved(Message):
        """An editing pass was written as a revision."""

        def __init__(self, info: RecordInfo, record: SharingRecord) -> None:
            super().__init__()
            self.info, self.record = info, record

    class RecordedAt(Message):
        """The memo's recorded time was corrected."""

        def __init__(self, when: datetime) -> None:
            super().__init__()
            self.when = when

    class Changed(Message):
        """The record was confirmed, amended or discarded."""

        def __init__(self, note: str, record_id: int, leave: bool = False) -> None:
            super().__init__()
            self.note, self.record_id, self.leave = note, record_id, leave

    def __init__(self, record_id: int | None, memo_id: int | None = None) -> None:
        super().__init__()
        self.record_id = record_id
        self.memo_id = memo_id
        self.info: RecordInfo | None = None
        self.context = Context()
        self.record = SharingRecord()
        self.saved = SharingRecord()
        self.amending = False
        self.acknowledged: set[tuple[str, str]] = set()
        self._save_lock = threading.Lock()
        self._pause: Timer | None = None
        self.loaded = False
        self._actions: tuple[object, ...] = ()

    @property
    def review(self) -> ReviewApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    @property
    def status(self) -> str | None:
        """draft, confirmed or discarded; "draft" for a new record not yet written; None while loading."""
        if self.info is not None:
            return self.info.status
        return "draft" if self.record_id is None and self.loaded else None

    @property
    def editable(self) -> bool:
        """Whether the form may be edited now."""
        return self.status == "draft" or self.amending

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="record-body"):
            yield TranscriptView(id="transcript")
            with Vertical(id="record-side"):
                yield Static("Loading…", id="record-title")
                yield Static("", id="record-meta")
                yield ChecksPanel(id="checks")
                yield RecordForm(id="form")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#transcript").border_title = "Transcript"
        self._load()

    @work(thread=True, group="record-load", exclusive=True)
    def _load(self) -> None:
        store = self.review.store
        try:
            info = store.record(self.record_id) if self.record_id is not None else None
            memo_id = info.memo_id if info is not None else self.memo_id
            transcript = store.transcript(memo_id) if memo_id is not None else None
            memo = store.memo(memo_id) if memo_id is not None else None
            extracted = None
            if info is not None and info.origin == "extracted":
                extracted = store.history(info.id)[0].record
        except Exception as exc:  # noqa: BLE001 - shown to the user, never a crash
            self.post_message(StoreFailed(failure_text(exc)))
            return
        recorded = (memo.recorded_at, memo.recorded_at_source) if memo is not None else (None, None)
        self.post_message(self.Loaded(info, Context(transcript, *recorded, extracted)))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.info, self.context, self.amending = event.info, event.context, False
        self.loaded = True
        if self.record_id is not None:  # accepted flags last the session, across leaving the record
            self.acknowledged = self.review.acknowledged.setdefault(self.record_id, self.acknowledged)
        if event.info is not None:
            self.memo_id = event.info.memo_id
            self.record = self.saved = event.info.record
        self.query_one(TranscriptView).show(event.context.transcript)
        self.query_one(RecordForm).load(self.record, editable=self.status == "draft")
        self._show_state()
        if self.status == "draft":
            self.query_one(RecordForm).widget_for(self._first_to_check()).focus()
            self._ask_name_first()

    # checks ----------------------------------------------------------------
    def _first_to_check(self) -> str:
        """The first field, in form order, that is missing or flagged (else the first field)."""
        if self.info is None:
            return "kind"
        attention = {f.field for f in missing_for_confirmation(self.record)}
        attention |= {f.field for f in self.flags()}
        return next((name for name in FIELD_NAMES if name in attention), "kind")

    def flags(self) -> list[Flag]:
        """The record's value flags not yet acknowledged."""
        ctx = self.context
        text = ctx.transcript.text if ctx.transcript else None
        found = value_flags(self.record, text, ctx.recorded_at, ctx.extracted)
        return [flag for flag in found if flag.key not in self.acknowledged]

    def _show_state(self, blocked: bool = False, note: str = "") -> None:
        status = self.status
        if status is None:
            return
        mode = "amending" if self.amending else status
        if self.info is None:
            head = "New record · not saved until you enter something"
        else:
            origin = "added by hand" if self.info.origin == "manual" else f"memo {self.info.memo_id}"
            head = f"Record {self.info.id} · {mode} · revision {self.info.revision} · {origin}"
        self.query_one("#record-title", Static).update(head + note)
        recorded = self.context.recorded_at
        source = RECORDED_SOURCES.get(self.context.recorded_at_source or "", "")
        meta = f"Recorded {recorded:%a %d %b %Y %H:%M}" if recorded else "No memo recording time"
        meta += f" ({source})" if recorded and source else ""
        self.query_one("#record-meta", Static).update(meta)
        self.query_one("#record-side").set_class(self.amending, "amending")
        checking = self.editable
        missing = missing_for_confirmation(self.record) if checking else []
        flags = self.flags() if checking else []
        panel_status = "draft" if self.amending else status
        self.query_one(ChecksPanel).show(self.record, panel_status, flags, blocked)
        self.query_one(RecordForm).mark({f.field for f in missing}, {f.field for f in flags})
        actions = (status, self.amending, self.record_id is None, self.memo_id is None)
        if actions != self._actions:  # the footer is rebuilt on each refresh: only when keys change
            self._actions = actions
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        status = self.status
        if action == "confirm":
            return status == "draft"
        if action == "save_amendment":
            return self.amending
        if action == "amend":
            return status == "confirmed" and not self.amending
        if action == "discard":
            return status == "draft"
        if action in ("clear_field", "accept_value"):
            return self.editable
        if action == "history":
            return self.record_id is not None
        if action == "recorded_time":
            return self.memo_id is not None
        return True

    # editing: one revision per pass, written on a pause or on leaving ----------
    @on(RecordForm.FieldFocused)
    def _field_focused(self, event: RecordForm.FieldFocused) -> None:
        self.query_one(TranscriptView).highlight(self.record.evidence.get(event.name))

    @on(RecordForm.FieldTyped)
    def _field_typed(self, event: RecordForm.FieldTyped) -> None:
        if self.editable:
            self._restart_pause()

    @on(RecordForm.FieldEdited)
    def _field_edited(self, event: RecordForm.FieldEdited) -> None:
        if self.editable and self._take(event.name):
            self._show_state()

    def _take(self, name: str, quiet: bool = False) -> bool:
        """Copy one field from the form into the record; True when its value changed."""
        try:
            value = self.query_one(RecordForm).read(name)
        except FieldValueError as exc:
            if not quiet:
                self.notify(str(exc), severity="warning")
            return False
        updated = self.record.with_field(name, value)
        if updated == self.record:
            return False
        self.record = updated
        if not self.amending:
            self._restart_pause()
            self._ask_name_first()
        return True

    def _ask_name_first(self) -> None:
        """Edits carry the practitioner's name: ask for it before the first one is saved."""
        if self.review.practitioner() is None and not self.review.asking_name:
            self.review.with_practitioner(lambda _name: self._restart_pause())

    def on_key(self, event: events.Key) -> None:
        """Any key while a pass is open keeps it open: the pause that ends it is a pause in the work."""
        if self._pause is not None and self.record != self.saved:
            self._restart_pause()

    def _restart_pause(self) -> None:
        if self._pause is not None:
            self._pause.stop()
        if not self.amending:
            self._pause = self.set_timer(PAUSE_S, self._paused)

    def _paused(self) -> None:
        self._take_focused(quiet=True)
        self._save_pass()

    def _take_focused(self, quiet: bool = False) -> None:
        name = self.query_one(RecordForm).focused_field()
        if name is not None and self._take(name, quiet) and not quiet:
            self._show_state()

    def _save_pass(self) -> Worker[None] | None:
        """Write the editing pass as one revision (nothing when unchanged or no name yet)."""
        author = self.review.practitioner()
        if self.amending or self.record == self.saved or author is None:
            return None
        return self._write_pass(self.record, author)

    @work(thread=True, group="save")
    def _write_pass(self, record: SharingRecord, author: str) -> None:
        store = self.review.store
        with self._save_lock:
            if record == self.saved:
                return
            try:
                if self.record_id is None:
                    self.record_id = store.add_record(self.memo_id, record, author)
                    self.review.acknowledged[self.record_id] = self.acknowledged
                else:
                    store.save_draft(self.record_id, record, author)
                info = store.record(self.record_id)
            except Exception as exc:  # noqa: BLE001 - the value stays in the form; the next pause retries
                self.post_message(StoreFailed("Not saved: " + failure_text(exc)))
                return
            self.saved = record
        self.post_message(self.Saved(info, record))

    @on(Saved)
    def _saved(self, event: Saved) -> None:
        self.info = event.info
        self._show_state(note=" · saved")

    def has_unsaved(self) -> bool:
        """Whether an edit (typed, pending or an amendment) is not yet in the database."""
        if not self.editable:
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
            return self.info is not None and self.record != self.info.record
        return self.record != self.saved

    async def flush(self) -> bool:
        """Save the field being typed and the editing pass; True when nothing is left unsaved."""
        if self.amending or not self.editable:
            return not self.has_unsaved()
        if self._pause is not None:
            self._pause.stop()
        self._take_focused()
        worker = self._save_pass()
        if worker is not None:
            await worker.wait()
        return self.record == self.saved

    def action_clear_field(self) -> None:
        """Empty the focused field."""
        form = self.query_one(RecordForm)
        name = form.focused_field()
        if name is None:
            self.notify("Move to a field first (tab), then ctrl+u clears it.", severity="warning")
            return
        form.clear(name)
        self._restart_pause()

    def action_accept_value(self) -> None:
        """Mark the focused field's flagged value as checked and right."""
        name = self.query_one(RecordForm).focused_field()
        self._take_focused()
        mine = [flag for flag in self.flags() if flag.field == name]
        if not mine:
            self.notify("This field has no flag to accept.", severity="warning")
            return
        self.acknowledged.update(flag.key for flag in mine)
        self._show_state()
        self.notify(f"Accepted as checked: {mine[0].message}", markup=False)

    # confirming ------------------------------------------------------------
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

    def _complete_record(self, with_flags: bool) -> SharingRecord | None:
        """The form's record if it may be confirmed; otherwise show what blocks it and return None."""
        record = self._collect()
        if record is None:
            return None
        blocking: list[Finding | Flag] = [*missing_for_confirmation(record)]
        if with_flags:
            blocking += self.flags()
        if blocking:
            self._show_state(blocked=True)
            lines = [f.message for f in blocking[:3]]
            if len(blocking) > 3:
                lines.append(f"…and {len(blocking) - 3} more, listed above the form.")
            if any(isinstance(f, Flag) for f in blocking):
                lines.append("Correct a flagged value, or ctrl+o on it when it is right.")
            self.notify("\n".join(lines), title="Cannot confirm", severity="error", markup=False)
            first = next(name for name in FIELD_NAMES if name in {f.field for f in blocking})
            self.query_one(RecordForm).widget_for(first).focus()
            return None
        return record

    def action_confirm(self) -> None:
        """Show the summary of the draft, then confirm it with the practitioner's name."""
        record = self._complete_record(with_flags=True)
        if record is None:
            return
        if self._pause is not None:
            self._pause.stop()
        ctx = self.context
        text = ctx.transcript.text if ctx.transcript else None
        found = value_flags(record, text, ctx.recorded_at, ctx.extracted)
        accepted = [flag.message for flag in found if flag.key in self.acknowledged]
        note = ("Accepted as checked: " + " ".join(accepted)) if accepted else None

        def answered(yes: bool | None) -> None:
            if yes:
                self.review.with_practitioner(lambda name: self._write("confirm", record, name, note))

        self.app.push_screen(ConfirmDialog(record, accepted), answered)

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
        record = self._complete_record(with_flags=False)
        if record is None:
            return

        def reasoned(reason: AmendReason | None) -> None:
            if reason is not None:
                self.review.with_practitioner(
                    lambda name: self._write("amend", record, name, reason.as_text())
                )

        self.app.push_screen(AmendDialog(), reasoned)

    def action_discard(self) -> None:
        """Discard the draft after asking why (Cancel is focused)."""
        if self.record_id is None and self.record == self.saved:
            self.dismiss()
            return

        def chosen(reason: str | None) -> None:
            if reason:
                self.review.with_practitioner(lambda name: self._write("discard", self.record, name, reason))

        self.app.push_screen(DiscardDialog(), chosen)

    @work(thread=True, group="write", exclusive=True)
    def _write(self, change: str, record: SharingRecord, author: str, reason: str | None) -> None:
        store = self.review.store
        try:
            with self._save_lock:
                if self.record_id is None:
                    self.record_id = store.add_record(self.memo_id, record, author)
                if change == "confirm":
                    store.confirm(self.record_id, record, author, reason)
                    note = f"Record {self.record_id} confirmed by {author}."
                elif change == "amend":
                    store.amend(self.record_id, record, author, reason or "")
                    note = f"Record {self.record_id} amended by {author}."
                else:
                    if record != self.saved:
                        store.save_draft(self.record_id, record, author)
                    store.discard(self.record_id, author, reason)
                    note = f"Record {self.record_id} discarded (kept in the history)."
                self.saved = record
        except Exception as exc:  # noqa: BLE001 - the form keeps every value
            self.post_message(StoreFailed(failure_text(exc)))
            return
        self.post_message(self.Changed(note, self.record_id, leave=change == "discard"))

    @on(Changed)
    def _changed(self, event: Changed) -> None:
        self.notify(event.note, markup=False)
        if event.leave:
            self.dismiss()
        else:
            self._load()

    def action_history(self) -> None:
        """Show every revision of the record."""
        if self.record_id is not None:
            self.app.push_screen(HistoryScreen(self.record_id))

    def action_recorded_time(self) -> None:
        """Correct when the memo was recorded (the checks of every time said in it depend on it)."""
        if self.memo_id is None:
            return
        memo_id = self.memo_id

        def typed(when: datetime | None) -> None:
            if when is not None:
                self.review.with_practitioner(lambda name: self._write_recorded_at(memo_id, when, name))

        self.app.push_screen(RecordedAtDialog(self.context.recorded_at), typed)

    @work(thread=True, group="write")
    def _write_recorded_at(self, memo_id: int, when: datetime, author: str) -> None:
        try:
            self.review.store.set_recorded_at(memo_id, when, author)
        except Exception as exc:  # noqa: BLE001 - shown, never a crash
            self.post_message(StoreFailed(failure_text(exc)))
            return
        self.post_message(self.RecordedAt(when))

    @on(RecordedAt)
    def _recorded_at(self, event: RecordedAt) -> None:
        self.context = replace(self.context, recorded_at=event.when, recorded_at_source="typed")
        self._show_state()
        self.notify(f"The memo's recorded time is now {event.when:%Y-%m-%d %H:%M}.", markup=False)

    async def action_new_record(self) -> None:
        """Add a record by hand to this record's memo (written once something is entered)."""
        if await self.flush():
            self.review.new_record(self.memo_id, replace=True)
        else:
            self.notify("The edit could not be saved; it is still in the form.", severity="error")

    async def action_back(self) -> None:
        """Leave the record, saving the editing pass (or asking, during an amendment)."""
        if self.amending:
            if self.has_unsaved():
                self.app.push_screen(
                    ChoiceDialog(
                        "Cancel the amendment?",
                        "Your changes will not be saved.",
                        [("Keep editing", "keep", "default"), ("Drop changes", "drop", "error")],
                    ),
                    self._drop_amendment,
                )
            else:
                self._load()
            return
        if await self.flush():
            self.dismiss()
        elif self.review.practitioner() is None:
            self.review.with_practitioner(lambda _name: self.run_worker(self.action_back()))
        else:
            self.notify("The edit could not be saved; it is still in the form.", severity="error")

    def _drop_amendment(self, answer: Any) -> None:
        if answer == "drop":
            self._load()
