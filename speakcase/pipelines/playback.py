"""Listening to the evidence: the audio behind a field, or the memo from a sentence, on the default output.

Times come from the transcript's word timings; a field's evidence (a character span of the
transcript text) maps to the words it covers, played with `PAD` seconds either side. `Player`
reports the position on the memo's clock, so a view can light the word being played.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from speakcase.models.transcript import Transcript
from speakcase.pipelines.audio import SAMPLING_RATE
from speakcase.pipelines.record import RecorderError

__all__ = ["PAD", "Player", "TimedWord", "evidence_window", "memo_audio", "sentence_start", "timed_words"]

PAD = 0.5
"""Seconds played before and after a field's evidence."""


@dataclass(frozen=True)
class TimedWord:
    """A recognised word placed in the transcript text."""

    start: float
    end: float
    char_start: int
    char_end: int


def timed_words(transcript: Transcript) -> list[TimedWord]:
    """Every word with its timing and its character span in `transcript.text`."""
    return [TimedWord(word.start, word.end, at, end) for word, at, end in transcript.word_spans()]


def evidence_window(
    transcript: Transcript, start: int, end: int, pad: float = PAD
) -> tuple[float, float] | None:
    """Seconds (from, to) of the words overlapping characters [start, end), padded; None if no word does."""
    covered = [w for w in timed_words(transcript) if w.char_start < end and w.char_end > start]
    if not covered:
        return None
    t0 = max(covered[0].start - pad, 0.0)
    t1 = covered[-1].end + pad
    if transcript.duration:
        t1 = min(t1, transcript.duration)
    return t0, t1


def sentence_start(transcript: Transcript, offset: int) -> float:
    """Start, in seconds, of the sentence holding character `offset` (its segment when unpunctuated)."""
    words = timed_words(transcript)
    text = transcript.text
    begin = max(text.rfind(".", 0, offset), text.rfind("?", 0, offset), text.rfind("!", 0, offset)) + 1
    for w in words:
        if w.char_end > begin:
            return max(w.start, 0.0)
    return 0.0


def word_at(words: list[TimedWord], seconds: float) -> TimedWord | None:
    """The word being said at `seconds` (the last one started), or None before the first."""
    current = None
    for w in words:
        if w.start <= seconds:
            current = w
        else:
            break
    return current


def memo_audio(store: Any, memo_id: int) -> Path:
    """The memo's audio file that still exists: the stored copy or the file it was processed from."""
    memo = store.memo(memo_id)
    for path in memo.paths:
        candidate = Path(path)
        if candidate.is_file():
            return candidate
    raise RecorderError("The memo's audio is no longer on this computer, so it cannot be played.")


class Player:
    """Plays part of a memo on the default output; `position` is on the memo's clock."""

    def __init__(self, samples: np.ndarray, device: int | str | None = None) -> None:
        self.samples = samples.astype(np.float32, copy=False)
        self.device = device
        self._stream: Any = None
        self._cursor = self._start = 0
        self._end = 0
        self._done = threading.Event()
        self._done.set()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.on_finished: Callable[[], None] | None = None

    @classmethod
    def from_file(cls, path: Path, device: int | str | None = None) -> Player:
        """A player for a memo file (decoded to 16 kHz mono, as for transcription)."""
        from speakcase.pipelines.audio import load_audio

        return cls(load_audio(path, max_duration=None), device)

    @property
    def position(self) -> float:
        """Seconds from the memo's start of the sample being heard (what is queued less the latency)."""
        latency = 0.0
        stream = self._stream
        if stream is not None:
            try:
                latency = float(stream.latency)
            except Exception:  # noqa: BLE001 - closed meanwhile
                latency = 0.0
        return max(self._cursor / SAMPLING_RATE - latency, self._start / SAMPLING_RATE)

    @property
    def playing(self) -> bool:
        """Whether audio is playing."""
        return not self._done.is_set()

    def play(self, start: float = 0.0, end: float | None = None) -> None:
        """Play from `start` to `end` seconds (to the end when None); stops what was playing."""
        import sounddevice as sd

        self.stop()
        self._cursor = self._start = max(int(start * SAMPLING_RATE), 0)
        self._end = len(self.samples) if end is None else min(int(end * SAMPLING_RATE), len(self.samples))
        if self._cursor >= self._end:
            return
        try:
            # Blocking writes from a thread, not a Python callback per period: PortAudio fills the
            # device from C, so a busy UI (or machine) holding the GIL briefly cannot starve it.
            stream = sd.OutputStream(
                samplerate=SAMPLING_RATE, channels=1, dtype="float32", device=self.device, latency="high"
            )
            stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            raise RecorderError("No speaker or headphones could be used to play the memo.") from exc
        self._stream = stream
        self._stopping = False
        self._done.clear()
        self._thread = threading.Thread(target=self._write, args=(stream,), daemon=True)
        self._thread.start()

    def _write(self, stream: Any) -> None:
        try:
            while self._cursor < self._end and not self._stopping:
                block = self.samples[self._cursor : min(self._cursor + 2048, self._end)]
                stream.write(block.reshape(-1, 1))
                self._cursor += len(block)
            if not self._stopping:
                stream.stop()  # lets what is queued play out
        except Exception:  # noqa: BLE001 - the device went away: playing just ends
            pass
        finally:
            if not self._stopping:
                _quietly(stream.close)
                self._stream = None
            self._done.set()
            if self.on_finished is not None and not self._stopping:
                self.on_finished()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until playing ends; False on timeout."""
        return self._done.wait(timeout)

    def stop(self) -> None:
        """Stop playing."""
        stream, self._stream = self._stream, None
        self._stopping = True
        if stream is not None:
            _quietly(stream.abort)  # a vanished device may refuse to stop
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(2)
        if stream is not None:
            _quietly(stream.close)
        self._thread = None
        self._done.set()


def _quietly(call: Callable[[], Any]) -> None:
    """Call a device method whose failure (a device gone away) changes nothing for the caller."""
    try:
        call()
    except Exception:  # noqa: BLE001
        pass
