"""Transcript domain types: what the speech step hands to extraction and storage."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Word:
    """One recognised word with its timing and probability."""

    start: float
    """Seconds from the start of the audio."""
    end: float
    """Seconds from the start of the audio."""
    word: str
    """The word as the recogniser wrote it, with its leading space."""
    probability: float
    """The recogniser's probability for the word, 0 to 1."""


@dataclass(frozen=True)
class Segment:
    """A stretch of speech the recogniser decoded as one piece."""

    start: float
    """Seconds from the start of the audio."""
    end: float
    """Seconds from the start of the audio."""
    text: str
    """The segment's text."""
    words: tuple[Word, ...] = ()
    """Its words, when word timestamps were asked for."""


@dataclass(frozen=True)
class Transcript:
    """A whole memo's transcription."""

    text: str
    """The full text, segments joined."""
    language: str
    """Language code the recogniser used."""
    duration: float
    """Audio duration in seconds."""
    segments: tuple[Segment, ...]
    """The decoded segments in order."""
    model: str = ""
    """Name of the speech model that produced it."""

    def to_dict(self) -> dict[str, Any]:
        """The architecture.md JSON for `speakcase transcribe --json`."""
        return {
            "text": self.text,
            "language": self.language,
            "duration": round(self.duration, 3),
            "segments": [
                {
                    "start": round(s.start, 3),
                    "end": round(s.end, 3),
                    "text": s.text,
                    "words": [asdict(w) for w in s.words],
                }
                for s in self.segments
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], model: str = "") -> Transcript:
        """Rebuild a transcript from its JSON form."""
        segments = tuple(
            Segment(
                start=float(s["start"]),
                end=float(s["end"]),
                text=str(s["text"]),
                words=tuple(Word(**w) for w in s.get("words") or ()),
            )
            for s in data.get("segments") or ()
        )
        return cls(
            text=str(data.get("text") or ""),
            language=str(data.get("language") or "en"),
            duration=float(data.get("duration") or 0.0),
            segments=segments,
            model=model or str(data.get("model") or ""),
        )
