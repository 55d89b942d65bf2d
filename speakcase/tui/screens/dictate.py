"""The dictation screen (f8 in the inbox): level and elapsed time, pause, stop into a draft, cancel."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

if TYPE_CHECKING:
    from speakcase.tui.app import ReviewApp


class DictateScreen(Screen[None]):
    """Record a memo; on stop it is stored like a processed file and its first draft opens."""

    BINDINGS = [
        Binding("space", "pause", "Pause/resume", priority=True),
        Binding("enter", "stop", "Stop and store", priority=True),
        Binding("escape", "cancel", "Cancel", priority=True),
    ]

    def __init__(self, model: str = "tiny.en") -> None:
        super().__init__()
        self.model = model
        self.session: Any = None
        self.state = "starting"

    @property
    def review(self) -> ReviewApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Starting the microphone…", id="dictate-status")
        yield Static("", id="dictate-text")
        yield Footer()

    def on_mount(self) -> None:
        self._start()
        self.set_interval(0.1, self._show)

    @work(thread=True, group="dictate", exclusive=True)
    def _start(self) -> None:
        from speakcase.errors import SpeakCaseError
        from speakcase.pipelines.dictate import Dictation
        from speakcase.pipelines.names import known_names
        from speakcase.pipelines.transcribe import load_transcriber

        try:
            session = Dictation(load_transcriber(self.model), extra_terms=known_names(self.review.store))
            session.start()
        except SpeakCaseError as exc:
            self.state = "failed"
            self.app.call_from_thread(self._fail, str(exc))
            return
        self.session, self.state = session, "recording"
        from speakcase.pipelines.extract import load_extractor

        load_extractor()  # while the practitioner speaks, so stop does not wait for it

    def _fail(self, message: str) -> None:
        self.query_one("#dictate-status", Static).update(message)
        self.notify(message, severity="error")

    def _show(self) -> None:
        session = self.session
        if session is None or self.state not in ("recording", "storing"):
            return
        rec = session.recorder
        if rec.error is not None and self.state == "recording":
            self.notify(f"{rec.error} What was said until then is kept.", severity="warning")
            self.action_stop()
            return
        bar = "█" * int(rec.level * 30)
        label = "Storing…" if self.state == "storing" else ("Paused" if rec.paused else "Recording")
        elapsed = rec.elapsed
        self.query_one("#dictate-status", Static).update(
            f"{label}  {int(elapsed // 60):02d}:{elapsed % 60:04.1f}  [{bar:<30}]"
        )
        if session.live is not None:
            self.query_one("#dictate-text", Static).update(session.live.text)

    def action_pause(self) -> None:
        if self.session is not None and self.state == "recording":
            rec = self.session.recorder
            rec.resume() if rec.paused else rec.pause()

    def action_stop(self) -> None:
        if self.session is not None and self.state == "recording":
            self.state = "storing"
            self._store()

    @work(thread=True, group="dictate-store", exclusive=True)
    def _store(self) -> None:
        from speakcase.pipelines.extract import load_extractor

        stored = self.session.stop(self.review.store, load_extractor())
        self.app.call_from_thread(self._stored, stored)

    def _stored(self, stored: Any) -> None:
        self.state = "stored"
        result = stored.result
        self.app.pop_screen()
        if result.outcome == "failed":
            self.notify(result.error or "The dictation could not be stored.", severity="error")
        elif result.record_ids:
            self.notify(f"Stored {stored.timings['total']:.1f} s after stop.")
            self.review.open_record(result.record_ids[0])
        else:
            self.notify("Stored; no record was found in what was said.", severity="warning")

    def action_cancel(self) -> None:
        if self.session is not None and self.state == "recording":
            self.session.cancel()
        self.state = "cancelled"
        self.app.pop_screen()
        self.notify("Dictation cancelled: nothing was kept.")
