"""Audio input: every format decodes to 16 kHz mono; each bad file fails with its own sentence."""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from speakcase.errors import AudioError
from speakcase.pipelines.audio import SAMPLING_RATE, load_audio, probe, sha256_file

AUDIO = Path(__file__).parent / "fixtures" / "audio"
MEMO_SECONDS = 15.2


@pytest.mark.parametrize("suffix", ["wav", "flac", "ogg", "opus", "mp3", "m4a", "webm"])
def test_every_format_decodes_to_16k_mono_float32(suffix: str) -> None:
    samples = load_audio(AUDIO / f"memo_police.{suffix}")
    assert samples.dtype == np.float32 and samples.ndim == 1
    assert len(samples) / SAMPLING_RATE == pytest.approx(MEMO_SECONDS, abs=0.15)
    assert 0.3 < float(np.abs(samples).max()) <= 1.0


def test_probe_reads_duration_and_creation_time() -> None:
    info = probe(AUDIO / "memo_police.m4a")
    assert info.duration == pytest.approx(MEMO_SECONDS, abs=0.15)
    assert info.creation_time == datetime(2026, 11, 2, 10, 20, tzinfo=UTC)
    assert probe(AUDIO / "memo_police.ogg").creation_time is None


def test_silence_decodes_to_zeros() -> None:
    samples = load_audio(AUDIO / "silence.wav")
    assert len(samples) == 3 * SAMPLING_RATE and not samples.any()


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("no_such_file.wav", "does not exist"),
        ("empty.wav", "is empty"),
        ("not_audio.mp3", "is not an audio file"),
        ("truncated.ogg", "truncated"),
        ("truncated.wav", "truncated"),
        ("corrupt.flac", "corrupt"),
    ],
)
def test_bad_files_raise_one_sentence(name: str, phrase: str) -> None:
    for check in (load_audio, probe):
        with pytest.raises(AudioError, match=phrase) as caught:
            check(AUDIO / name)
        message = str(caught.value)
        assert message.endswith(".") and "\n" not in message


def test_directory_is_refused() -> None:
    with pytest.raises(AudioError, match="is a directory"):
        load_audio(AUDIO)


def test_over_the_duration_limit_is_refused() -> None:
    with pytest.raises(AudioError, match="longer than the limit of 10.0 seconds"):
        load_audio(AUDIO / "memo_police.ogg", max_duration=10)
    assert len(load_audio(AUDIO / "memo_police.ogg", max_duration=None)) > 0


def test_unreadable_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked.wav"
    locked.write_bytes((AUDIO / "silence.wav").read_bytes())
    locked.chmod(0)
    if os.geteuid() == 0:  # root reads anything: pretend the permission check says no
        monkeypatch.setattr(os, "access", lambda *_args, **_kw: False)
    with pytest.raises(AudioError, match="permission denied"):
        load_audio(locked)


def test_sha256_file_matches_hashlib() -> None:
    path = AUDIO / "memo_police.wav"
    assert sha256_file(path, chunk_size=4096) == hashlib.sha256(path.read_bytes()).hexdigest()


# The fixture helpers the suite builds recordings with (no sox): what they write decodes back ------
@pytest.mark.parametrize("suffix", ["wav", "flac", "ogg", "mp3"])
def test_fixture_helpers_write_what_decodes_back(tmp_path: Path, suffix: str) -> None:
    from tests.fixtures.synth import RATE, concatenate, decode, noise, pad, silence, write_audio

    speech = decode(AUDIO / "memo_police.wav")
    built = concatenate(noise(0.5, seed=1), pad(speech, after=0.25, before=0.25), silence(1.0))
    assert len(built) == len(speech) + 2 * RATE
    back = decode(write_audio(built, tmp_path / f"built.{suffix}"))
    assert len(back) / RATE == pytest.approx(len(built) / RATE, abs=0.1)
    if suffix == "wav":  # lossless and sample-exact
        np.testing.assert_allclose(back, built, atol=1 / 16384)
    assert float(np.abs(back[-RATE // 2 :]).max()) < 0.01  # the silence at the end stays silent


def test_distinct_memos_differ_in_content_and_keep_their_speech(tmp_path: Path) -> None:
    from tests.factories import distinct_memos

    files = distinct_memos(tmp_path, 3)
    assert len({hashlib.sha256(f.read_bytes()).hexdigest() for f in files}) == 3
    lengths = [len(load_audio(f)) for f in files]
    assert lengths[2] - lengths[0] == pytest.approx(0.02 * SAMPLING_RATE, abs=2)
