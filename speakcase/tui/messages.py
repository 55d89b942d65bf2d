"""Messages workers post to the UI (only message handlers touch widgets)."""

from __future__ import annotations

from textual.message import Message


class StoreFailed(Message):
    """A database read or write failed; the message is a sentence for the user."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


def failure_text(exc: BaseException) -> str:
    """A user-facing sentence for an exception raised by the store or the pipeline."""
    from speakcase.errors import SpeakCaseError

    if isinstance(exc, SpeakCaseError):
        return str(exc)
    # The type only: an exception's text may quote personal data.
    return f"The database operation failed ({type(exc).__name__}); nothing was lost from the form."


class Notice(Message):
    """Something a worker finished that the user should hear about."""

    def __init__(self, text: str, severity: str = "information", refresh: bool = False) -> None:
        super().__init__()
        self.text, self.severity, self.refresh = text, severity, refresh
