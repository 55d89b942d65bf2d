"""A dictation from start to a stored draft: recorder + live transcription + the `process` store step.

On stop the WAV is compressed to FLAC in ``<data dir>/audio/<sha256>.flac`` (0600, named by
its content hash) and handed to `process_file` with the transcript already made, so a dictated
memo is stored exactly as a processed file is (memo by hash, claim, records, audit).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from speakcase.models.transcript import Transcript
from speakcase.pipelines.audio import SAMPLING_RATE, sha256_file
from speakcase.pipelines.live import LiveTranscriber
from speakcase.pipelines.process import ProcessResult, process_file
from speakcase.pipelines.record import Recorder

__all__ = ["Dictation", "StoredDictation", "audio_dir", "compress", "store_recording"]


def audio_dir(base: Path | None = None) -> Path:
    """Where memo audio made by SpeakCase is kept: ``<data dir>/audio``, owner-only."""
    from speakcase.config import data_dir
    from speakcase.files import make_private_dir

    return make_private_dir((base or data_dir()) / "audio")


def compress(wav: Path, directory: Path | None = None) -> Path:
    """Encode a recording as FLAC named by its content hash; returns the stored file (0600).

    FLAC, not Opus: lossless, so what is played back as evidence is what was captured, and at
    16 kHz mono it encodes a minute in a few hundredths of a second of CPU (Opus took seconds).
    """
    import av

    directory = directory or audio_dir()
    tmp = directory / f".{wav.stem}.{os.getpid()}.flac.tmp"
    from speakcase.files import create_private

    os.close(create_private(tmp))
    try:
        with av.open(str(wav)) as src, av.open(str(tmp), mode="w", format="flac") as dst:
            out = dst.add_stream("flac", rate=SAMPLING_RATE, layout="mono")
            for frame in src.decode(audio=0):
                frame.pts = None
                dst.mux(out.encode(frame))
            dst.mux(out.encode(None))
        os.chmod(tmp, 0o600)
        final = directory / f"{sha256_file(tmp)}.flac"
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    return final


class _Transcribed:
    """A transcriber that hands `process_file` the transcript made while recording."""

    def __init__(self, transcript: Transcript) -> None:
        self.transcript = transcript

    def transcribe(self, source: Any, extra_terms: Iterable[str] = ()) -> Transcript:
        return self.transcript


@dataclass(frozen=True)
class StoredDictation:
    """What stop produced."""

    result: ProcessResult
    """The store step's result (memo id, record ids)."""
    audio: Path
    """The compressed audio kept."""
    transcript: Transcript
    """The transcript stored."""
    timings: dict[str, float]
    """Seconds spent after stop: decode_rest, compress, store (extract included), total."""


def store_recording(
    store: Any,
    wav: Path,
    transcript: Transcript | None,
    transcriber: Any,
    extractor: Any,
    *,
    recorded_at: datetime | None = None,
    caseload: Iterable[str] = (),
    keep_wav: bool = False,
) -> StoredDictation:
    """Compress, then store as `process` does; transcribes the file when no transcript is given."""
    t0 = time.perf_counter()
    audio = compress(wav)
    t1 = time.perf_counter()
    when = (recorded_at or datetime.now()).replace(second=0, microsecond=0)
    # Without a transcript (a recovered recording) the file is transcribed as `process` would.
    speech: Any = transcriber if transcript is None else _Transcribed(transcript)
    result = process_file(store, audio, speech, extractor, recorded_at=when, caseload=caseload)
    if transcript is None:
        transcript = store.transcript(result.memo_id) or Transcript("", "en", 0.0, ())
    t2 = time.perf_counter()
    if not keep_wav:
        wav.unlink(missing_ok=True)
    return StoredDictation(result, audio, transcript, {"compress": t1 - t0, "store": t2 - t1})


class Dictation:
    """Record, transcribe as it comes, and on stop store the memo and its drafts."""

    def __init__(
        self,
        transcriber: Any,
        *,
        extra_terms: Iterable[Any] = (),
        directory: Path | None = None,
        device: int | str | None = None,
        live: bool = True,
        chunk_seconds: float | None = None,
    ) -> None:
        self.transcriber = transcriber
        self.extra_terms = tuple(extra_terms)
        kwargs = {} if chunk_seconds is None else {"chunk_seconds": chunk_seconds}
        self.live = LiveTranscriber(transcriber, self.extra_terms, **kwargs) if live else None
        self.recorder = Recorder(directory, device=device, on_audio=self._on_audio)

    def _on_audio(self, samples: np.ndarray) -> None:
        if self.live is not None:
            self.live.feed(samples)

    def start(self) -> Path:
        """Start recording (raises RecorderError with one sentence)."""
        try:
            return self.recorder.start()
        except BaseException:
            if self.live is not None:
                self.live.close()
            raise

    def cancel(self) -> None:
        """Stop, delete the audio, store nothing."""
        self.recorder.cancel()
        if self.live is not None:
            self.live.close()

    def stop(self, store: Any, extractor: Any) -> StoredDictation:
        """Stop, decode what is left, store; `timings` says where the seconds after stop went."""
        t0 = time.perf_counter()
        wav = self.recorder.stop()
        transcript = None
        if self.live is not None:
            transcript = self.live.finish()
        t1 = time.perf_counter()
        stored = store_recording(
            store,
            wav,
            transcript,
            self.transcriber,
            extractor,
            recorded_at=self.recorder.started_at,
        )
        timings = {"decode_rest": t1 - t0, **stored.timings, "total": time.perf_counter() - t0}
        return StoredDictation(stored.result, stored.audio, stored.transcript, timings)

    @property
    def duration(self) -> float:
        """Seconds recorded."""
        return self.recorder.elapsed
