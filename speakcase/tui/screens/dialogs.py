"""Modal dialogs, each returning a typed result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from speakcase.tui.fields import WHEN_FORMATS

AMEND_KINDS = ("correction", "challenge")


@dataclass(frozen=True)
class AmendReason:
    """Why a confirmed record is amended."""

    kind: str
    """correction (we got it wrong) or challenge (someone disputes it)."""
    text: str
    """The practitioner's explanation."""

    def as_text(self) -> str:
        """The reason as stored with the revision."""
        return f"{self.kind}: {self.text}"


class _Dialog(ModalScreen):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceDialog(_Dialog):
    """A question with a few answers; returns the chosen answer's value, or None on escape."""

    def __init__(self, title: str, question: str, choices: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.title_text, self.question, self.choices = title, question, choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.question, markup=False)
            with Horizontal(classes="dialog-buttons"):
                for label, value, variant in self.choices:
                    yield Button(label, name=value, variant=variant)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        # The safe answer is listed first and has focus: enter never drops or discards by accident.
        self.query(Button).first().focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.name)


class NameDialog(_Dialog):
    """Asks the practitioner's name once (saved in the settings); returns it, or None."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Your name", classes="dialog-title")
            yield Static("Confirmed records carry the practitioner's name. It is saved for next time.")
            yield Input(placeholder="e.g. Jo Bloggs", id="name")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        if name:
            self.dismiss(name)
        else:
            self.notify("Type your name to continue.", severity="warning")

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class AmendDialog(_Dialog):
    """Asks why a confirmed record is amended; returns an AmendReason, or None."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Why amend this confirmed record?", classes="dialog-title")
            with RadioSet(id="amend-kind"):
                yield RadioButton("Correction: the record was wrong", value=True)
                yield RadioButton("Challenge: the information is disputed")
            yield Input(placeholder="what changed and why", id="amend-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save amendment", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#amend-text", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        text = self.query_one("#amend-text", Input).value.strip()
        if not text:
            self.notify("Say what changed and why: an amendment needs a reason.", severity="warning")
            return
        index = self.query_one("#amend-kind", RadioSet).pressed_index
        self.dismiss(AmendReason(AMEND_KINDS[max(index, 0)], text))

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class DiscardDialog(_Dialog):
    """Asks why a draft is set aside; returns the reason, or None (Cancel has focus)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Discard this draft?", classes="dialog-title")
            yield Static("It stays in the history with your reason, and is no longer in the inbox.")
            yield Input(placeholder="why, e.g. a duplicate of record 12", id="discard-why")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", variant="primary", id="cancel")
                yield Button("Discard", variant="error", id="ok")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        reason = self.query_one("#discard-why", Input).value.strip()
        if not reason:
            self.notify("Say why the draft is discarded.", severity="warning")
            self.query_one("#discard-why", Input).focus()
            return
        self.dismiss(reason)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class RecordedAtDialog(_Dialog):
    """Asks when the memo was recorded; returns the time, or None."""

    def __init__(self, current: datetime | None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("When was this memo recorded?", classes="dialog-title")
            yield Static('Times said in the memo ("this afternoon", "yesterday") are checked against it.')
            shown = f"{self.current:%Y-%m-%d %H:%M}" if self.current else ""
            yield Input(shown, placeholder="YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM", id="recorded-at")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        text = " ".join(self.query_one("#recorded-at", Input).value.split())
        for fmt in (f for f in WHEN_FORMATS if "%H" in f):
            try:
                self.dismiss(datetime.strptime(text, fmt))
                return
            except ValueError:
                continue
        self.notify("Give a date and time: YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM.", severity="warning")

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
