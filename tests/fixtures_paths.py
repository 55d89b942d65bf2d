"""Where the committed test recordings are."""

from pathlib import Path

AUDIO = Path(__file__).parent / "fixtures" / "audio"
