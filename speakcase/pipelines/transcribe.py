"""Speech to text: faster-whisper on the CPU, returning the transcript domain types."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from speakcase.errors import AudioError
from speakcase.models.transcript import Segment, Transcript, Word
from speakcase.pipelines import audio, glossary, speech_guard, vocabulary
from speakcase.pipelines.names import KnownName
from speakcase.pipelines.speech_models import DEFAULT_MODEL, resolve_model

__all__ = ["TranscribeOptions", "Transcriber", "clean_segments", "collapse_repeats", "load_transcriber"]

AudioSource = str | os.PathLike[str] | np.ndarray


@dataclass(frozen=True)
class TranscribeOptions:
    """Every decoding setting in one place; bench/transcribe.py measured the defaults."""

    language: str = "en"
    """Language code; fixed so the multilingual base model never guesses."""
    # Beam 1 on 10 dev memos (flite): WER 0.089 -> 0.106, glossary misses 0.27 -> 0.36; keep 5.
    beam_size: int = 5
    """Beam width at temperature 0."""
    best_of: int = 5
    """Candidates sampled at each fallback temperature above 0."""
    temperatures: tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    """Temperatures tried in turn while a window fails the thresholds below."""
    compression_ratio_threshold: float | None = 2.4
    """A window whose text gzip-compresses better than this is a loop: retried hotter."""
    log_prob_threshold: float | None = -1.0
    """A window whose mean token log-probability is below this is retried hotter."""
    no_speech_threshold: float | None = 0.6
    """With a low log-probability, a window this likely to be silence is dropped."""
    # Issue 12: off, tiny.en invented an ending ("...when he We'll see you next week, all.") that the
    # bare call (on) did not; the guard below catches the loops that "on" can seed.
    condition_on_previous_text: bool = True
    """Feed the previous window's text as the prompt to the next window."""
    hallucination_silence_threshold: float | None = None
    """faster-whisper's skip of silent periods longer than this around a suspect segment (seconds)."""
    decode_mode: str = "window"
    """"window": faster-whisper's 30 s windows over the VAD-joined speech; "chunks": each VAD speech
    chunk (merged up to 30 s) decoded on its own, as whisperX does."""
    guard: bool = True
    """Check every segment against the detected speech and known hallucination phrases; decode a
    rejected span or uncovered speech again on its own, and mark what still fails for review."""
    vad_filter: bool = True
    """Skip non-speech with Silero VAD: 5 s of silence gives "" instead of "You"."""
    vad_parameters: tuple[tuple[str, Any], ...] = ()
    """Overrides of faster-whisper's VadOptions, as (name, value) pairs."""
    word_timestamps: bool = True
    """Words with timings and probabilities, which extraction uses as evidence."""
    # Off by default, measured on 40 dev memos per voice (bench/transcribe.py, tiny.en): glossary
    # misses fell (flite 0.41 -> 0.32, espeak 0.56 -> 0.32) but WER did not (0.105 -> 0.104,
    # 0.196 -> 0.228), end-to-end extraction moved +0.01/+0.02 (and -0.04 on a 10-memo subset),
    # decoding took 1.5-3x as long, and a longer hint list made tiny.en drop whole 30 s windows.
    bias: bool = False
    """Bias decoding towards the glossary and the caller's names (see glossary.py)."""
    bias_mode: str = "hotwords"
    """"hotwords" (every window) or "initial_prompt" (first window only)."""
    max_ngram_repeats: int = 3
    """An n-gram repeated back to back more often than this is a loop and kept once."""
    max_duration: float | None = audio.DEFAULT_MAX_DURATION
    """Longest audio accepted, in seconds."""
    extra_kwargs: tuple[tuple[str, Any], ...] = field(default=())
    """Further faster-whisper transcribe() arguments, as (name, value) pairs."""

    def __post_init__(self) -> None:
        if self.decode_mode not in ("window", "chunks"):
            raise ValueError(f"decode_mode must be 'window' or 'chunks', not {self.decode_mode!r}")
        if self.bias_mode not in ("hotwords", "initial_prompt"):
            raise ValueError(f"bias_mode must be 'hotwords' or 'initial_prompt', not {self.bias_mode!r}")

    def whisper_kwargs(self, bias_text: str = "") -> dict[str, Any]:
        """The keyword arguments for `WhisperModel.transcribe` these options stand for."""
        kwargs: dict[str, Any] = {
            "language": self.language,
            "beam_size": self.beam_size,
            "best_of": self.best_of,
            "temperature": list(self.temperatures),
            "compression_ratio_threshold": self.compression_ratio_threshold,
            "log_prob_threshold": self.log_prob_threshold,
            "no_speech_threshold": self.no_speech_threshold,
            "condition_on_previous_text": self.condition_on_previous_text,
            "vad_filter": self.vad_filter,
            "vad_parameters": dict(self.vad_parameters) or None,
            "word_timestamps": self.word_timestamps,
        }
        if self.hallucination_silence_threshold is not None:
            kwargs["hallucination_silence_threshold"] = self.hallucination_silence_threshold
        if self.bias and bias_text:
            kwargs["hotwords" if self.bias_mode == "hotwords" else "initial_prompt"] = bias_text
        kwargs.update(dict(self.extra_kwargs))
        return kwargs


class Transcriber:
    """A Whisper model loaded once, transcribing memos into Transcripts."""

    def __init__(
        self,
        model_name_or_dir: str | os.PathLike[str] = DEFAULT_MODEL,
        cpu_threads: int | None = None,
        options: TranscribeOptions | None = None,
    ) -> None:
        from faster_whisper import WhisperModel

        from speakcase.offline import silence_onnxruntime

        silence_onnxruntime()
        self.model_name, self.model_dir = resolve_model(model_name_or_dir)
        self.cpu_threads = cpu_threads or os.cpu_count() or 1
        self.options = options or TranscribeOptions()
        # local_files_only: a model directory is complete (checked) and nothing is fetched at run time.
        self.model = WhisperModel(
            str(self.model_dir),
            device="cpu",
            compute_type="int8",
            cpu_threads=self.cpu_threads,
            local_files_only=True,
        )

    def transcribe(
        self,
        source: AudioSource,
        extra_terms: Iterable[str | KnownName] = (),
        options: TranscribeOptions | None = None,
        correct: bool = True,
    ) -> Transcript:
        """Transcribe a file path or 16 kHz mono float32 samples into a Transcript.

        `extra_terms` are the names the caller knows (caseload, store); with `correct`, glossary terms,
        section numbers and those names heard slightly wrong are corrected, the heard form kept."""
        options = options or self.options
        samples = self._samples(source, options)
        extra_terms = tuple(extra_terms)
        segments = tuple(self._decode(samples, extra_terms, options))
        if correct:
            segments = vocabulary.correct_segments(segments, extra_terms)
        return Transcript(
            text=" ".join(s.text for s in segments if s.text),
            language=options.language,
            duration=len(samples) / audio.SAMPLING_RATE,
            segments=segments,
            model=self.model_name,
        )

    def stream(
        self,
        source: AudioSource,
        extra_terms: Iterable[str | KnownName] = (),
        options: TranscribeOptions | None = None,
    ) -> Iterator[Segment]:
        """Yield segments as they are decoded (the file is validated before the first one)."""
        options = options or self.options
        return self._decode(self._samples(source, options), extra_terms, options)

    def _samples(self, source: AudioSource, options: TranscribeOptions) -> np.ndarray:
        if isinstance(source, np.ndarray):
            if source.ndim != 1 or source.size == 0:
                raise AudioError("The audio samples must be a non-empty one-dimensional array.")
            return source.astype(np.float32, copy=False)
        return audio.load_audio(Path(source), max_duration=options.max_duration)

    def _decode(
        self, samples: np.ndarray, extra_terms: Iterable[str | KnownName], options: TranscribeOptions
    ) -> Iterator[Segment]:
        bias_text = (
            glossary.bias_prompt(glossary.glossary_terms(str(t) for t in extra_terms)) if options.bias else ""
        )
        kwargs = options.whisper_kwargs(bias_text)
        if options.decode_mode == "chunks":
            raw: Iterable[Any] = speech_guard.decode_chunks(self.model, samples, kwargs)
        else:
            raw, _info = self.model.transcribe(samples, **kwargs)
        segments: Iterable[Segment] = (
            s if isinstance(s, Segment) else speech_guard.to_segment(s) for s in raw
        )
        if options.guard:
            segments = speech_guard.guard(self.model, samples, segments, kwargs)
        return clean_segments(segments, options.max_ngram_repeats)


@functools.lru_cache(maxsize=4)
def load_transcriber(model_name_or_dir: str = DEFAULT_MODEL, cpu_threads: int | None = None) -> Transcriber:
    """One Transcriber per model and thread count per process (loading takes 0.4-1.1 s)."""
    return Transcriber(model_name_or_dir, cpu_threads=cpu_threads)


_NON_WORD = re.compile(r"[^\w']+")


def _norm(text: str) -> str:
    return _NON_WORD.sub(" ", text.casefold()).strip()


def clean_segments(segments: Iterable[Segment], max_repeats: int = 3) -> Iterator[Segment]:
    """Drop hallucination loops: a segment repeating the one before, and n-gram runs within one."""
    previous = ""
    for segment in segments:
        segment = collapse_repeats(segment, max_repeats)
        key = _norm(segment.text)
        if (not key and not segment.review) or (key and key == previous):
            continue
        previous = key
        yield segment


def collapse_repeats(segment: Segment, max_repeats: int = 3) -> Segment:
    """Keep one copy of any n-gram (n <= 8) repeated back to back more than `max_repeats` times."""
    items: list[Any] = list(segment.words) if segment.words else segment.text.split()
    keys = [_norm(w.word if isinstance(w, Word) else w) for w in items]
    changed = False
    for n in range(1, 9):
        i = 0
        while i + n <= len(keys):
            count = 1
            while keys[i + count * n : i + (count + 1) * n] == keys[i : i + n]:
                count += 1
            if count > max_repeats:
                del items[i + n : i + count * n]
                del keys[i + n : i + count * n]
                changed = True
            i += 1
    if not changed:
        return segment
    if segment.words:
        text = "".join(w.word for w in items).strip()
        return replace(segment, text=text, words=tuple(items), end=items[-1].end if items else segment.end)
    return replace(segment, text=" ".join(items))
