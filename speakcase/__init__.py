"""SpeakCase: spoken safeguarding memos into lawful, complete information-sharing records."""

from speakcase.offline import enforce_offline

# Before any library that could phone home is imported by any part of SpeakCase.
enforce_offline()

__version__ = "0.1.0"
__all__ = ["__version__"]
