"""Transcription while the practitioner speaks: the audio is decoded in chunks as it arrives.

Audio is cut at the quietest moment near the end of each stretch of `chunk_seconds`, so a cut
rarely falls inside a word; each chunk goes through `Transcriber.transcribe` (the same decoding
options, VAD and hallucination guard as a file), its timings shifted to the recording's clock.
When the recording stops, only the audio since the last cut is left to decode.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

import numpy as np

from speakcase.models.transcript import Segment, Transcript, Word
from speakcase.pipelines.audio import SAMPLING_RATE
from speakcase.pipelines.transcribe import clean_segments

__all__ = ["LiveTranscriber", "quiet_cut"]

CHUNK_SECONDS = 8.0
"""Audio gathered before a chunk is decoded."""
SEARCH_SECONDS = 2.0
"""How far back from the chunk's end the quietest cut point is looked for."""
_WINDOW = int(0.1 * SAMPLING_RATE)


def quiet_cut(samples: np.ndarray, search: int) -> int:
    """The index, within the last `search` samples, at the centre of the quietest 100 ms."""
    n = len(samples)
    lo = max(n - search, 0)
    region = samples[lo:n]
    if len(region) < 2 * _WINDOW:
        return n
    energy = np.convolve(region * region, np.ones(_WINDOW, dtype=np.float32), mode="valid")
    return lo + int(np.argmin(energy)) + _WINDOW // 2


def _shift(segment: Segment, offset: float) -> Segment:
    return Segment(
        start=segment.start + offset,
        end=segment.end + offset,
        text=segment.text,
        words=tuple(Word(w.start + offset, w.end + offset, w.word, w.probability) for w in segment.words),
    )


class LiveTranscriber:
    """Feed it audio blocks as they are captured; `finish()` returns the whole transcript."""

    def __init__(
        self,
        transcriber: Any,
        extra_terms: Iterable[Any] = (),
        chunk_seconds: float = CHUNK_SECONDS,
    ) -> None:
        self.transcriber = transcriber
        self.extra_terms = tuple(extra_terms)
        self.chunk = int(chunk_seconds * SAMPLING_RATE)
        self.search = int(SEARCH_SECONDS * SAMPLING_RATE)
        self._blocks: list[np.ndarray] = []
        self._buffer = np.zeros(0, dtype=np.float32)
        self._committed = 0
        """Samples already handed to the decoder (a chunk boundary)."""
        self._segments: list[Segment] = []
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._closed = False
        self._error: BaseException | None = None
        self.chunks_decoded = 0
        self.decode_seconds = 0.0
        self._thread = threading.Thread(target=self._run, name="speakcase-live", daemon=True)
        self._thread.start()

    @property
    def text(self) -> str:
        """What has been decoded so far."""
        with self._lock:
            return " ".join(s.text for s in self._segments)

    @property
    def decoded_seconds(self) -> float:
        """Seconds of the recording already decoded."""
        return self._committed / SAMPLING_RATE

    def feed(self, samples: np.ndarray) -> None:
        """Add captured audio (16 kHz mono float32); cheap, safe from the recorder's thread."""
        with self._wake:
            self._blocks.append(samples)
            self._wake.notify()

    def _gather(self) -> np.ndarray:
        if self._blocks:
            self._buffer = np.concatenate([self._buffer, *self._blocks])
            self._blocks.clear()
        return self._buffer

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._closed and (
                    sum(len(b) for b in self._blocks) + len(self._buffer) - self._committed < self.chunk
                ):
                    self._wake.wait()
                if self._closed:
                    return
                buffer = self._gather()
                start = self._committed
                end = quiet_cut(buffer[: start + self.chunk], self.search)
                self._committed = end
            try:
                self._decode(buffer[start:end], start)
            except BaseException as exc:  # noqa: BLE001 - re-raised by finish()
                self._error = exc
                return

    def _decode(self, samples: np.ndarray, start: int) -> None:
        import time

        if len(samples) < SAMPLING_RATE // 10:
            return
        began = time.perf_counter()
        transcript = self.transcriber.transcribe(samples, extra_terms=self.extra_terms)
        self.decode_seconds += time.perf_counter() - began
        self.chunks_decoded += 1
        offset = start / SAMPLING_RATE
        with self._lock:
            self._segments.extend(_shift(s, offset) for s in transcript.segments)

    def finish(self, model: str = "", language: str = "en") -> Transcript:
        """Wait for the chunk in hand, decode the rest, and return the recording's transcript."""
        with self._wake:
            self._closed = True
            self._wake.notify_all()
        self._thread.join()
        if self._error is not None:
            raise self._error
        with self._lock:
            buffer = self._gather()
            start = self._committed
            self._committed = len(buffer)
        self._decode(buffer[start:], start)
        # Across chunk boundaries too: a segment repeating the one before is dropped.
        options = getattr(self.transcriber, "options", None)
        repeats = getattr(options, "max_ngram_repeats", 3)
        segments = tuple(clean_segments(self._segments, repeats))
        return Transcript(
            text=" ".join(s.text for s in segments),
            language=getattr(options, "language", language),
            duration=len(buffer) / SAMPLING_RATE,
            segments=segments,
            model=model or getattr(self.transcriber, "model_name", ""),
        )

    def close(self) -> None:
        """Stop without decoding the rest (cancel)."""
        with self._wake:
            self._closed = True
            self._wake.notify_all()
        self._thread.join()
