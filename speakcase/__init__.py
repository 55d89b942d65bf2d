"""SpeakCase: spoken safeguarding memos into lawful, complete information-sharing records."""

__version__ = "0.1.0"
__all__ = ["__version__"]
