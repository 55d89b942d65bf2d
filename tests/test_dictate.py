"""Dictation on a real PulseAudio server: a pipe source speaks a committed memo, the recorder captures it.

Nothing of the device layer is replaced: PortAudio (sounddevice) -> ALSA pulse plugin -> PulseAudio.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from tests.pulse import pulse_server  # noqa: F401 - the fixture

FIXTURES = Path(__file__).parent / "fixtures" / "audio"
ROOT = Path(__file__).resolve().parents[1]


def memo(name: str = "memo_police.ogg") -> np.ndarray:
    from speakcase.pipelines.audio import load_audio

    return load_audio(FIXTURES / name)


def words(text: str) -> set[str]:
    return {w.strip(".,?!'").lower() for w in text.split()}


def wait_for(predicate, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def test_recorder_writes_as_it_captures_and_pause_drops_audio(pulse_server, tmp_path):
    from speakcase.pipelines.audio import load_audio
    from speakcase.pipelines.record import Recorder

    tone = (0.3 * np.sin(2 * np.pi * 440 * np.arange(32000) / 16000)).astype(np.float32)
    rec = Recorder(tmp_path)
    part = rec.start()
    assert part.name.endswith(".wav.part") and stat.S_IMODE(part.stat().st_mode) == 0o600
    pulse_server.speak(tone, speed=4.0, tail=0.0).join()
    wait_for(lambda: rec.elapsed >= 1.8)
    # On disk already, before stop: the header says "unknown size", the samples follow.
    wait_for(lambda: part.stat().st_size >= 44 + int(1.8 * 16000) * 2, timeout=3)
    assert 0.7 < rec.level < 0.85  # a -13.5 dBFS tone on the 0..1 scale from -60 dBFS
    rec.pause()
    time.sleep(0.3)
    before = rec.elapsed
    pulse_server.speak(tone, speed=4.0, tail=0.0).join()
    time.sleep(0.5)
    assert rec.elapsed - before < 0.35  # what was said while paused is not kept
    rec.resume()
    pulse_server.speak(np.zeros(16000, np.float32), speed=4.0, tail=0.0).join()
    wait_for(lambda: rec.elapsed >= before + 0.8)
    wav = rec.stop()
    assert wav.suffix == ".wav" and not part.exists() and stat.S_IMODE(wav.stat().st_mode) == 0o600
    samples = load_audio(wav)
    assert abs(len(samples) / 16000 - rec.elapsed) < 0.01
    # The tone is there, then silence: the paused tone was not appended.
    assert np.sqrt(np.mean(samples[8000:24000] ** 2)) > 0.15
    assert np.sqrt(np.mean(samples[-8000:] ** 2)) < 0.01


def test_cancel_deletes_the_recording(pulse_server, tmp_path):
    from speakcase.pipelines.record import Recorder

    rec = Recorder(tmp_path)
    part = rec.start()
    pulse_server.speak(np.zeros(8000, np.float32), tail=0.0).join()
    rec.cancel()
    assert not part.exists() and list(tmp_path.iterdir()) == []


def test_no_input_device_is_one_sentence(tmp_path):
    """Without a server the ALSA default has no input: the error says so in one sentence."""
    env = {k: v for k, v in os.environ.items() if k not in ("PULSE_SERVER",)}
    env.update(PULSE_SERVER="unix:/nonexistent/socket", PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-m", "speakcase", "dictate", "--device", "no-such-microphone", "--seconds", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 1
    lines = [line for line in out.stderr.splitlines() if line.startswith("Error:")]
    assert lines == ["Error: No microphone was found: connect one (or check the input settings) and retry."]


@pytest.mark.slow
def test_live_dictation_to_stored_draft(pulse_server, store, transcriber, extractor, tmp_path):
    from speakcase.pipelines.dictate import Dictation

    speech = memo("memo_police.ogg")
    recordings = tmp_path / "recordings"
    recordings.mkdir()
    session = Dictation(transcriber, directory=recordings, chunk_seconds=5.0)
    session.start()
    assert session.live is not None
    live = session.live
    pulse_server.speak(speech, speed=2.0).join()
    wait_for(lambda: session.recorder.elapsed >= len(speech) / 16000 + 0.4)
    # Chunks were decoded while speaking: most of the memo is text before stop.
    wait_for(lambda: live.decoded_seconds >= 8.0)
    assert live.chunks_decoded >= 1
    stored = session.stop(store, extractor)
    assert stored.result.outcome == "done" and stored.result.record_ids
    # Against the same audio transcribed as a file after the fact: chunking loses little.
    got = words(stored.transcript.text)
    whole = words(transcriber.transcribe(FIXTURES / "memo_police.ogg").text)
    assert len(got & whole) / len(whole) > 0.8, (stored.transcript.text, whole)
    assert {"jordan", "davies", "police", "consent"} <= got
    # Timings are on the recording's clock across chunks: monotonic and within the audio.
    starts = [w.start for s in stored.transcript.segments for w in s.words]
    assert starts == sorted(starts) and starts[-1] < stored.transcript.duration
    # Stored as a processed file is: compressed, hashed, owner-only, in the data directory.
    from speakcase.pipelines.audio import load_audio, sha256_file

    assert stored.audio.suffix == ".flac" and stored.audio.stem == sha256_file(stored.audio)
    assert stat.S_IMODE(stored.audio.stat().st_mode) == 0o600
    assert stat.S_IMODE(stored.audio.parent.stat().st_mode) == 0o700
    assert abs(len(load_audio(stored.audio)) / 16000 - stored.transcript.duration) < 0.1
    memo_info = store.memo(stored.result.memo_id)
    assert memo_info.status == "done" and memo_info.paths == (str(stored.audio),)
    assert store.transcript(stored.result.memo_id).text == stored.transcript.text
    assert list(recordings.iterdir()) == []  # the WAV is gone once the compressed copy is stored


@pytest.mark.slow
def test_kill_9_during_dictation_is_recovered_on_next_start(pulse_server, tmp_path, db_url):
    """The CLI is killed mid-memo; the next `dictate --recover` stores what was on disk."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SPEAKCASE_DB": db_url}
    speech = memo("memo_police.ogg")
    proc = subprocess.Popen(
        [sys.executable, "-m", "speakcase", "dictate", "--seconds", "60"],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    recordings = Path(env["SPEAKCASE_DATA_DIR"]) / "recordings"
    wait_for(lambda: recordings.exists() and any(recordings.glob("*.wav.part")), timeout=60)
    feeder = pulse_server.speak(speech[: 9 * 16000], speed=1.0, tail=0.0)
    time.sleep(8.0)
    part = next(recordings.glob("*.wav.part"))
    spoken = feeder.written[0] / 2 / 16000
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    feeder.join(5)
    pulse_server.drain()
    kept = (part.stat().st_size - 44) / 2 / 16000
    print(f"kill -9 after {spoken:.2f} s spoken: {kept:.2f} s on disk, {spoken - kept:.2f} s lost")
    assert spoken - kept < 1.0, f"lost {spoken - kept:.2f} s"
    out = subprocess.run(
        [sys.executable, "-m", "speakcase", "dictate", "--recover", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert out.returncode == 0, out.stderr
    assert "1 interrupted recording(s) found" in out.stderr
    import json

    result = json.loads(out.stdout)
    assert result["outcome"] == "done"
    assert abs(result["duration"] - kept) < 0.1
    assert {"jordan", "ellis"} & words(result["text"])
    assert not any(recordings.glob("*.wav.part"))
