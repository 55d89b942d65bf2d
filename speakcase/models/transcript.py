"""Transcript domain types: what the speech step hands to extraction and storage."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

WORD_KEYS = ("start", "end", "word", "probability")
"""Keys every word of the JSON form has; a corrected word adds `heard`, `source` and `match`."""


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
    heard: str = ""
    """When corrected after recognition: what the recogniser wrote (possibly several words), kept as
    evidence; `word` is then the correction. Empty for a word left as heard."""
    source: str = ""
    """What the correction came from: "glossary", "number", "caseload" or "store"."""
    match: float | None = None
    """The correction's confidence, 0 to 1 (phonetic and spelling similarity of heard and known)."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: the four keys, plus heard/source/match on a corrected word."""
        data: dict[str, Any] = {"start": self.start, "end": self.end, "word": self.word}
        data["probability"] = self.probability
        if self.heard:
            data.update(heard=self.heard, source=self.source, match=self.match)
        return data


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
    review: str = ""
    """Why the hallucination guard wants a person to listen to this stretch ("" when it passed)."""
    avg_logprob: float = field(default=0.0, compare=False)
    """The decoder's mean token log-probability (not stored)."""
    no_speech_prob: float = field(default=0.0, compare=False)
    """The decoder's probability that the window is silence (not stored)."""
    compression_ratio: float = field(default=0.0, compare=False)
    """gzip compression ratio of the text; high means a loop (not stored)."""


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
            "segments": [_segment_dict(s) for s in self.segments],
        }

    def word_spans(self) -> list[tuple[Word, int, int]]:
        """Every recognised word with its character span [start, end) in `text`, in order (words not
        found in the text, or blank, are left out)."""
        spans: list[tuple[Word, int, int]] = []
        cursor = 0
        for segment in self.segments:
            for word in segment.words:
                token = word.word.strip()
                at = self.text.find(token, cursor) if token else -1
                if at < 0:
                    continue
                cursor = at + len(token)
                spans.append((word, at, cursor))
        return spans

    def corrections(self) -> list[dict[str, Any]]:
        """Every word corrected after recognition: start, end, heard, word, source, match."""
        return [
            {"start": w.start, "end": w.end, "heard": w.heard.strip(), "word": w.word.strip()}
            | {"source": w.source, "match": w.match}
            for s in self.segments
            for w in s.words
            if w.heard
        ]

    @classmethod
    def from_dict(cls, data: dict[str, Any], model: str = "") -> Transcript:
        """Rebuild a transcript from its JSON form."""
        segments = tuple(
            Segment(
                start=float(s["start"]),
                end=float(s["end"]),
                text=str(s["text"]),
                words=tuple(Word(**w) for w in s.get("words") or ()),
                review=str(s.get("review") or ""),
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


def _segment_dict(s: Segment) -> dict[str, Any]:
    data: dict[str, Any] = {"start": round(s.start, 3), "end": round(s.end, 3), "text": s.text}
    data["words"] = [w.to_dict() for w in s.words]
    if s.review:
        data["review"] = s.review
    return data
