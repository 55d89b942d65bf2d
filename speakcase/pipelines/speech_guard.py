"""The hallucination guard: text the recogniser wrote where nobody spoke, or speech it never wrote.

Every decoded segment is checked against the speech Silero VAD detects and against phrases Whisper
is known to invent (subtitle credits, sign-offs). A suspect segment is decoded again on its own, with
no previous text as prompt; what still fails is kept and marked for review (`Segment.review`), never
dropped. Speech that no word covers is decoded on its own too, and marked when that finds nothing.
bench/transcribe.py measured the strategies side by side (docs in measurements.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

import numpy as np

from speakcase.models.transcript import Segment, Word

__all__ = ["HALLUCINATION_PHRASES", "decode_chunks", "decode_span", "guard", "speech_regions", "suspect"]

SAMPLING_RATE = 16000
HALLUCINATION_PHRASES: tuple[str, ...] = (
    "thank you for watching",
    "thanks for watching",
    "thank you for listening",
    "see you next week",
    "see you next time",
    "see you in the next",
    "please subscribe",
    "like and subscribe",
    "subtitles by",
    "transcribed by",
    "transcription by",
    "captions by",
    "www",
    "bye bye",
)
"""Phrases Whisper writes from silence or noise that a dictated safeguarding memo does not contain."""
MAX_WORDS_PER_SECOND = 6.0
"""Faster than any dictation: more words than this per second of a segment means invented text."""
UNCOVERED_SECONDS = 1.0
"""Detected speech at least this long with no word on it is decoded again."""
MARK_UNCOVERED_SECONDS = 2.0
"""Detected speech at least this long still without words after that is marked for review."""
_TOLERANCE = 0.3
_NON_WORD = re.compile(r"[^\w']+")


def _norm(text: str) -> str:
    return _NON_WORD.sub(" ", text.casefold()).strip()


def to_segment(raw: Any, offset: float = 0.0) -> Segment:
    """One faster-whisper segment as ours, its times moved by `offset` seconds."""
    words = tuple(
        Word(
            start=float(w.start) + offset,
            end=float(w.end) + offset,
            word=w.word,
            probability=float(w.probability),
        )
        for w in raw.words or ()
    )
    return Segment(
        start=float(raw.start) + offset,
        end=float(raw.end) + offset,
        text=raw.text.strip(),
        words=words,
        avg_logprob=float(getattr(raw, "avg_logprob", 0.0) or 0.0),
        no_speech_prob=float(getattr(raw, "no_speech_prob", 0.0) or 0.0),
        compression_ratio=float(getattr(raw, "compression_ratio", 0.0) or 0.0),
    )


def speech_regions(samples: np.ndarray) -> list[tuple[float, float]]:
    """(start, end) seconds of the speech Silero VAD hears, pauses of 0.5 s or more splitting it."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(min_silence_duration_ms=500, speech_pad_ms=200)
    stamps = get_speech_timestamps(samples, options)
    return [(s["start"] / SAMPLING_RATE, s["end"] / SAMPLING_RATE) for s in stamps]


def _span_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    span = dict(kwargs, vad_filter=False, vad_parameters=None, condition_on_previous_text=False)
    span.pop("initial_prompt", None)
    span.pop("hallucination_silence_threshold", None)
    return span


def decode_span(
    model: Any, samples: np.ndarray, start: float, end: float, kwargs: dict[str, Any]
) -> list[Segment]:
    """Decode samples[start:end] (seconds) on their own, without VAD or previous text; times absolute."""
    a, b = max(0, int(start * SAMPLING_RATE)), min(len(samples), int(end * SAMPLING_RATE))
    if b - a < SAMPLING_RATE // 4:
        return []
    raw, _info = model.transcribe(samples[a:b], **_span_kwargs(kwargs))
    return [to_segment(s, offset=a / SAMPLING_RATE) for s in raw]


def decode_chunks(model: Any, samples: np.ndarray, kwargs: dict[str, Any]) -> Iterator[Segment]:
    """whisperX's way: VAD speech chunks merged up to 30 s, each decoded on its own."""
    chunks: list[list[float]] = []
    for start, end in speech_regions(samples):
        if chunks and end - chunks[-1][0] <= 30.0:
            chunks[-1][1] = end
        else:
            chunks.append([start, end])
    for start, end in chunks:
        yield from decode_span(model, samples, start, end, kwargs)


def _inside(t0: float, t1: float, regions: list[tuple[float, float]]) -> bool:
    mid = (t0 + t1) / 2
    return any(s - _TOLERANCE <= mid <= e + _TOLERANCE for s, e in regions)


def suspect(segment: Segment, regions: list[tuple[float, float]]) -> str:
    """Why this segment looks invented ("" when it does not)."""
    text = f" {_norm(segment.text)} "
    for phrase in HALLUCINATION_PHRASES:
        if f" {phrase} " in text:
            return f'a phrase speech recognisers invent ("{phrase}")'
    words = [w for w in segment.words if w.word.strip()]
    if words:
        outside = [not _inside(w.start, w.end, regions) for w in words]
        run = longest = 0
        for out in outside:
            run = run + 1 if out else 0
            longest = max(longest, run)
        if longest >= 3 or all(outside) or (len(words) >= 2 and sum(outside) * 2 >= len(words)):
            return "words where no speech was detected"
        duration = max(words[-1].end - words[0].start, 0.01)
        if len(words) >= 5 and len(words) / duration > MAX_WORDS_PER_SECOND:
            return "more words than could be said in the time"
    if segment.compression_ratio > 2.4:
        return "a repeating decoding"
    return ""


def _uncovered(
    segments: list[Segment], regions: list[tuple[float, float]], min_seconds: float
) -> list[tuple[float, float]]:
    """Stretches of detected speech at least `min_seconds` long that no word (or wordless segment) covers."""
    covered = sorted(
        [(w.start - _TOLERANCE, w.end + _TOLERANCE) for s in segments for w in s.words]
        + [(s.start, s.end) for s in segments if not s.words]
    )
    gaps: list[tuple[float, float]] = []
    for start, end in regions:
        cursor = start
        for c0, c1 in covered:
            if c1 <= cursor or c0 >= end:
                continue
            if c0 - cursor >= min_seconds:
                gaps.append((cursor, c0))
            cursor = max(cursor, c1)
        if end - cursor >= min_seconds:
            gaps.append((cursor, end))
    return gaps


def guard(
    model: Any, samples: np.ndarray, segments: Iterable[Segment], kwargs: dict[str, Any]
) -> Iterator[Segment]:
    """The decoded segments checked, suspect ones decoded again or marked, uncovered speech recovered."""
    regions = speech_regions(samples)
    kept: list[Segment] = []
    for segment in segments:
        reason = suspect(segment, regions)
        if not reason:
            kept.append(segment)
            continue
        # Decode again only the detected speech within the segment: over silence there is nothing to find.
        spoken = [
            (max(a, segment.start), min(b, segment.end))
            for a, b in regions
            if b > segment.start and a < segment.end
        ]
        redo: list[Segment] = []
        if spoken:
            start, end = spoken[0][0] - 0.2, spoken[-1][1] + 0.2
            redo = [s for s in decode_span(model, samples, start, end, kwargs) if _norm(s.text)]
        if redo and not any(suspect(s, regions) for s in redo):
            kept.extend(redo)
        else:
            kept.append(replace(segment, review=f"Listen again: {reason}."))
    for start, end in _uncovered(kept, regions, UNCOVERED_SECONDS):
        redo = decode_span(model, samples, start - 0.2, end + 0.2, kwargs)
        found = False
        for s in redo:
            words = tuple(
                w for w in s.words if start - _TOLERANCE <= (w.start + w.end) / 2 <= end + _TOLERANCE
            )
            if not words or suspect(s, regions):
                continue
            found = True
            kept.append(
                replace(s, words=words, text="".join(w.word for w in words).strip(), start=words[0].start)
            )
        if not found and end - start >= MARK_UNCOVERED_SECONDS:
            kept.append(
                Segment(
                    start, end, "", (), review="Listen again: speech was detected here but not transcribed."
                )
            )
    kept.sort(key=lambda s: s.start)
    yield from kept
