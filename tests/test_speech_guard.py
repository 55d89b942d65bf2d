"""The hallucination guard on real audio with the real tiny.en model: invented text is decoded again or
marked for review, speech no word covers is recovered, nothing is silently dropped."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from speakcase.models.transcript import Segment, Transcript, Word
from speakcase.pipelines import speech_guard
from speakcase.pipelines.audio import load_audio
from speakcase.pipelines.transcribe import TranscribeOptions, Transcriber, load_transcriber

AUDIO = Path(__file__).parent / "fixtures" / "audio"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def transcriber() -> Transcriber:
    return load_transcriber("tiny.en")


def _words(text: str, start: float, step: float = 0.4) -> tuple[Word, ...]:
    return tuple(
        Word(start + i * step, start + (i + 1) * step, f" {w}", 0.8) for i, w in enumerate(text.split())
    )


def _segment(text: str, start: float) -> Segment:
    words = _words(text, start)
    return Segment(words[0].start, words[-1].end, text, words)


@pytest.fixture(scope="module")
def memo_with_pause() -> np.ndarray:
    """The police memo, 6 s of silence, then the health memo: speech both sides of a long pause."""
    pause = np.zeros(6 * 16000, dtype=np.float32)
    return np.concatenate(
        [load_audio(AUDIO / "memo_police.ogg"), pause, load_audio(AUDIO / "memo_health.ogg")]
    )


def test_invented_phrase_over_silence_is_marked_not_kept_as_speech(transcriber: Transcriber) -> None:
    """A sign-off the decoder wrote over 4 s of silence: decoded again, nothing is there, so it is
    marked for review (kept, not dropped), and the real speech before it passes unmarked."""
    speech = load_audio(AUDIO / "memo_health.ogg")
    samples = np.concatenate([speech, np.zeros(4 * 16000, dtype=np.float32)])
    end = len(speech) / 16000
    real = Segment(
        0.3, end - 0.5, "Note on Lily Carter, aged two.", _words("Note on Lily Carter, aged two.", 0.5)
    )
    invented = _segment("We'll see you next week, all.", end + 0.5)
    kwargs = transcriber.options.whisper_kwargs()
    out = list(speech_guard.guard(transcriber.model, samples, [real, invented], kwargs))
    assert out[0] == real and not out[0].review
    assert out[-1].text == invented.text and "Listen again" in out[-1].review


def test_phrase_list_and_timing_checks() -> None:
    regions = [(0.0, 5.0)]
    assert "phrase" in speech_guard.suspect(_segment("Thank you for watching.", 1.0), regions)
    assert "no speech" in speech_guard.suspect(_segment("and then he left the house", 8.0), regions)
    assert speech_guard.suspect(_segment("Mum agreed to the referral.", 1.0), regions) == ""
    fast = Segment(1.0, 1.5, "a b c d e f", _words("a b c d e f", 1.0, step=0.05))
    assert "time" in speech_guard.suspect(fast, regions)


def test_speech_no_word_covers_is_decoded_again(
    transcriber: Transcriber, memo_with_pause: np.ndarray
) -> None:
    """Segments that stop after the first memo: the guard finds the second memo's speech uncovered
    and decodes it on its own, so "health visitor" comes back."""
    first = transcriber.transcribe(load_audio(AUDIO / "memo_police.ogg"), correct=False)
    kwargs = transcriber.options.whisper_kwargs()
    out = list(speech_guard.guard(transcriber.model, memo_with_pause, first.segments, kwargs))
    text = " ".join(s.text for s in out).lower()
    assert "health visitor" in text and "jordan" in text
    assert [s.start for s in out] == sorted(s.start for s in out)


def test_guarded_transcript_keeps_both_sides_of_a_long_pause(
    transcriber: Transcriber, memo_with_pause: np.ndarray
) -> None:
    transcript = transcriber.transcribe(memo_with_pause)
    text = transcript.text.lower()
    for word in ("jordan", "section 47", "health visitor", "consent"):
        assert word in text
    assert not [s for s in transcript.segments if s.review]
    for phrase in speech_guard.HALLUCINATION_PHRASES:
        assert phrase not in text


def test_chunked_decoding_matches_window_decoding_on_clean_speech(
    transcriber: Transcriber, memo_with_pause: np.ndarray
) -> None:
    chunked = transcriber.transcribe(memo_with_pause, options=TranscribeOptions(decode_mode="chunks"))
    assert "health visitor" in chunked.text.lower() and "jordan" in chunked.text.lower()


def test_review_mark_survives_the_json_round_trip() -> None:
    marked = Segment(1.0, 3.0, "", (), review="Listen again: speech was detected here but not transcribed.")
    transcript = Transcript("Mum agreed.", "en", 3.0, (_segment("Mum agreed.", 0.0), marked))
    data = transcript.to_dict()
    assert "review" not in data["segments"][0] and data["segments"][1]["review"].startswith("Listen again")
    assert Transcript.from_dict(data).segments[1].review == marked.review
