"""The SpeakCase review app: inbox, record screen, dialogs; the store is opened by the CLI."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from speakcase.config import load_config, save_config
from speakcase.models.store import Store, current_user
from speakcase.tui.commands import ReviewCommands
from speakcase.tui.messages import Notice, StoreFailed, failure_text
from speakcase.tui.screens.dialogs import ChoiceDialog, NameDialog
from speakcase.tui.screens.help import HelpScreen
from speakcase.tui.screens.inbox import InboxScreen
from speakcase.tui.screens.record import RecordScreen

PIPELINE_MISSING = (
    "Retry needs the speech and extraction pipeline, which is not installed in this "
    "build yet; the memo stays failed."
)


class ReviewApp(App[None]):
    """Review, correct and confirm information-sharing records."""

    CSS_PATH = "review.tcss"
    TITLE = "SpeakCase review"
    COMMANDS = App.COMMANDS | {ReviewCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f1", "help", "Help"),
        Binding("question_mark", "help", "Help", show=False),
    ]

    def __init__(self, store: Store, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.asking_name = False
        self.acknowledged: dict[int, set[tuple[str, str]]] = {}
        # Per record: the flags the practitioner accepted as checked this session.

    def on_mount(self) -> None:
        self.push_screen(InboxScreen())

    # who is working --------------------------------------------------------
    def practitioner(self) -> str | None:
        """The practitioner's name from the settings, if set."""
        name = load_config().get("practitioner")
        return str(name).strip() or None if name else None

    def with_practitioner(self, then: Callable[[str], object]) -> None:
        """Call `then` with the practitioner's name, asking for it once (and saving it) if unset."""
        name = self.practitioner()
        if name:
            then(name)
            return
        self.asking_name = True

        def answered(answer: str | None) -> None:
            self.asking_name = False
            if answer:
                self._save_name(answer)
                then(answer)

        self.push_screen(NameDialog(), answered)

    def _save_name(self, name: str) -> None:
        try:
            save_config({**load_config(), "practitioner": name})
        except OSError as exc:
            self.notify(f"Your name could not be saved in the settings ({exc.strerror}).", severity="warning")

    def action_set_name(self) -> None:
        """Ask for the practitioner's name and save it."""
        self.push_screen(NameDialog(), lambda name: self._save_name(name) if name else None)

    # navigation ------------------------------------------------------------
    def open_record(self, record_id: int) -> None:
        """Show one record."""
        self.push_screen(RecordScreen(record_id))

    def new_record(self, memo_id: int | None, replace: bool = False) -> None:
        """Open an empty record by hand (to a memo, or none); it becomes a draft once something is entered."""
        if replace and isinstance(self.screen, RecordScreen):
            self.pop_screen()
        self.notify("New record: fill it in from the memo. Nothing is saved until you enter something.")
        self.push_screen(RecordScreen(None, memo_id))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's commands without its own Quit (ours asks about unsaved edits)."""
        for command in super().get_system_commands(screen):
            if command.title != "Quit":
                yield command

    def action_help(self) -> None:
        """Show the help screen."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    # long work -------------------------------------------------------------
    @work(thread=True, group="retry")
    def retry_memo(self, memo_id: int) -> None:
        """Re-run transcription and extraction on a failed memo, loading the models here."""
        try:
            from speakcase.pipelines.extract import load_extractor
            from speakcase.pipelines.process import process_memo
            from speakcase.pipelines.transcribe import load_transcriber
        except ImportError:
            self.post_message(Notice(PIPELINE_MISSING, "error"))
            return
        self.post_message(Notice(f"Retrying memo {memo_id}: loading the models…"))
        try:
            memo = self.store.memo(memo_id)
            transcriber = load_transcriber(str(load_config().get("model") or "tiny.en"))
            result = process_memo(
                self.store,
                memo_id,
                Path(memo.paths[0]),
                transcriber,
                load_extractor(),
                worker=f"review:{current_user()}",
                retry_failed=True,
            )
        except Exception as exc:  # noqa: BLE001 - shown, never a crash
            self.post_message(StoreFailed(failure_text(exc)))
            return
        if result.outcome == "done":
            self.post_message(
                Notice(f"Memo {memo_id} done: {len(result.record_ids)} draft record(s).", refresh=True)
            )
        else:
            self.post_message(
                Notice(
                    f"Memo {memo_id}: {result.outcome}. {result.error or ''}".strip(), "error", refresh=True
                )
            )

    @on(StoreFailed)
    def _store_failed(self, event: StoreFailed) -> None:
        self.notify(event.text, title="Database", severity="error", markup=False, timeout=8)

    @on(Notice)
    def _notice(self, event: Notice) -> None:
        self.notify(event.text, severity=event.severity, markup=False)  # type: ignore[arg-type]
        if event.refresh and isinstance(self.screen, InboxScreen):
            self.screen.reload(with_memos=True)

    # quitting --------------------------------------------------------------
    def _unsaved_screen(self) -> RecordScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, RecordScreen) and screen.has_unsaved():
                return screen
        return None

    async def action_quit(self) -> None:
        """Quit, asking first when an edit is not yet saved."""
        screen = self._unsaved_screen()
        if screen is None:
            self.exit()
            return
        choices = [("Keep editing", "keep", "default"), ("Quit without saving", "drop", "error")]
        if not screen.amending:
            choices.insert(0, ("Save and quit", "save", "primary"))
        question = (
            "An amendment is not saved yet." if screen.amending else "A field you edited is not saved yet."
        )
        # _quit_answer is a @work method: it returns its Worker, which the callback's caller ignores.
        self.push_screen(ChoiceDialog("Quit SpeakCase review?", question, choices), self._quit_answer)  # type: ignore[arg-type]

    @work(group="quit")
    async def _quit_answer(self, answer: str | None) -> None:
        if answer == "drop":
            self.exit()
        elif answer == "save":
            screen = self._unsaved_screen()
            if screen is None or await screen.flush():
                self.exit()
            else:
                self.notify("The edit could not be saved; it is still in the form.", severity="error")
