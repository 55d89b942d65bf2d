"""Errors that reach the user as one clear sentence."""


class SpeakCaseError(Exception):
    """An error whose message is a complete sentence fit to show the user."""


class AudioError(SpeakCaseError):
    """The audio file cannot be used (missing, empty, not audio, corrupt, too long)."""


class ModelMissingError(SpeakCaseError):
    """A bundled model package is not installed."""


class StoreError(SpeakCaseError):
    """The database cannot be opened or written, or a change is not allowed."""
