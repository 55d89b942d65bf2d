"""Recording from the microphone: written to disk as it is captured, so a crash loses at most a second.

A recording is a WAV file ``<recordings>/<stamp>-<token>.wav.part`` (16 kHz mono s16, owner-only),
created with the size fields set to "unknown" and appended to by a writer thread that flushes and
fsyncs at least every `FSYNC_EVERY` seconds. While it records it holds an exclusive lock on the file;
a ``.part`` file nobody holds is a recording that was interrupted (crash, kill, lid, full disk) and
`pending_recordings` offers it for `recover`, which fixes the header and renames it to ``.wav``.

The device layer is PortAudio through `sounddevice` (imported only when recording starts).
"""

from __future__ import annotations

import errno
import fcntl
import logging
import math
import os
import queue
import secrets
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from speakcase.errors import SpeakCaseError
from speakcase.pipelines.audio import SAMPLING_RATE

log = logging.getLogger(__name__)

__all__ = [
    "FSYNC_EVERY",
    "PendingRecording",
    "Recorder",
    "RecorderError",
    "pending_recordings",
    "recordings_dir",
    "recover",
]

FSYNC_EVERY = 0.5
"""Seconds of audio at most between two fsyncs of the recording file."""
BLOCK_SECONDS = 0.1
"""Audio delivered by the device per callback."""
PART_SUFFIX = ".wav.part"
_HEADER_SIZE = 44
_UNKNOWN = 0xFFFFFFFF


class RecorderError(SpeakCaseError):
    """The microphone could not be used, or stopped; one sentence for the practitioner."""


def recordings_dir(base: Path | None = None) -> Path:
    """Where recordings in progress live: ``<data dir>/recordings``, owner-only."""
    from speakcase.config import data_dir
    from speakcase.files import make_private_dir

    return make_private_dir((base or data_dir()) / "recordings")


def _wav_header(data_bytes: int = _UNKNOWN, rate: int = SAMPLING_RATE) -> bytes:
    riff = _UNKNOWN if data_bytes == _UNKNOWN else 36 + data_bytes
    return (
        b"RIFF"
        + struct.pack("<I", riff)
        + b"WAVE"
        + b"fmt "
        + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
        + b"data"
        + struct.pack("<I", data_bytes)
    )


@dataclass(frozen=True)
class PendingRecording:
    """An interrupted recording found on disk."""

    path: Path
    """The ``.wav.part`` file."""
    duration: float
    """Seconds of audio it holds."""
    started_at: datetime
    """When it was started (from its name, else the file's time)."""


def _is_locked(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing releases a lock taken here
    return False


def _started_at(path: Path) -> datetime:
    try:
        return datetime.strptime(path.name[:15], "%Y%m%d-%H%M%S")
    except ValueError:
        return datetime.fromtimestamp(path.stat().st_mtime)


def pending_recordings(directory: Path | None = None) -> list[PendingRecording]:
    """Interrupted recordings (no live recorder holds them), oldest first."""
    directory = directory or recordings_dir()
    found = []
    for path in sorted(directory.glob("*" + PART_SUFFIX)):
        if path.is_symlink() or not path.is_file() or _is_locked(path):
            continue
        frames = max(path.stat().st_size - _HEADER_SIZE, 0) // 2
        found.append(PendingRecording(path, frames / SAMPLING_RATE, _started_at(path)))
    return found


def recover(pending: PendingRecording | Path) -> Path:
    """Make an interrupted recording a complete WAV file (a half sample at its end dropped); returns it."""
    path = pending.path if isinstance(pending, PendingRecording) else Path(pending)
    fd = os.open(path, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        size = os.fstat(fd).st_size
        data = max(size - _HEADER_SIZE, 0) // 2 * 2
        os.ftruncate(fd, _HEADER_SIZE + data)
        os.pwrite(fd, _wav_header(data), 0)
        os.fsync(fd)
    finally:
        os.close(fd)
    final = path.with_name(path.name[: -len(PART_SUFFIX)] + ".wav")
    os.replace(path, final)
    return final


def discard(pending: PendingRecording | Path) -> None:
    """Delete an interrupted recording the practitioner does not want."""
    path = pending.path if isinstance(pending, PendingRecording) else Path(pending)
    path.unlink(missing_ok=True)


def _device_error(exc: BaseException) -> RecorderError:
    """One sentence for a PortAudio failure to open or keep the input device."""
    text = str(exc).lower()
    if "permission" in text or "access" in text or "-9997" in text and "denied" in text:
        return RecorderError("SpeakCase is not allowed to use the microphone (permission denied).")
    if "device unavailable" in text or "busy" in text:
        return RecorderError(
            "The microphone is in use by another program or unavailable; close it and retry."
        )
    if "no default" in text or "invalid device" in text or "no input" in text or "device -1" in text:
        return RecorderError("No microphone was found: connect one (or check the input settings) and retry.")
    return RecorderError(f"The microphone could not be used ({exc.__class__.__name__}: {str(exc)[:80]}).")


def check_input_device(device: int | str | None = None) -> None:
    """Raise RecorderError when there is no usable input device."""
    try:
        import sounddevice as sd
    except OSError as exc:  # PortAudio itself is missing
        raise RecorderError(
            "Recording needs the PortAudio library (Debian: apt-get install libportaudio2)."
        ) from exc
    try:
        info = sd.query_devices(device, kind="input")
    except (ValueError, sd.PortAudioError) as exc:
        raise RecorderError(
            "No microphone was found: connect one (or check the input settings) and retry."
        ) from exc
    if int(info.get("max_input_channels", 0)) < 1:
        raise RecorderError("No microphone was found: connect one (or check the input settings) and retry.")


class Recorder:
    """One recording: start, pause, resume, stop or cancel; level and elapsed time while it runs.

    `on_audio(samples)` (float32, 16 kHz) is called from the writer thread with each block written,
    which is how live transcription is fed. `error` is set (and `on_error` called) when the device
    stops or the disk fills; what was captured until then stays on disk.
    """

    def __init__(
        self,
        directory: Path | None = None,
        *,
        device: int | str | None = None,
        on_audio: Callable[[np.ndarray], None] | None = None,
        on_error: Callable[[RecorderError], None] | None = None,
        stall_timeout: float | None = None,
    ) -> None:
        self.directory = directory or recordings_dir()
        self.device = device
        self.on_audio = on_audio
        self.on_error = on_error
        self.stall_timeout = stall_timeout
        self.path: Path | None = None
        self.started_at: datetime | None = None
        self.error: RecorderError | None = None
        self.level = 0.0
        """Loudness of the last block, 0 (silence, -60 dBFS or below) to 1 (full scale)."""
        self.paused = False
        self._frames = 0
        self._queue: queue.Queue[np.ndarray | None] = queue.Queue()
        self._stream: Any = None
        self._fd: int | None = None
        self._writer: threading.Thread | None = None
        self._state = "new"
        self._last_block = 0.0
        self._lock = threading.Lock()

    # -- state ------------------------------------------------------------
    @property
    def elapsed(self) -> float:
        """Seconds of audio recorded (pauses excluded)."""
        return self._frames / SAMPLING_RATE

    @property
    def state(self) -> str:
        """new, recording, paused, stopped, cancelled or failed."""
        if self._state == "recording" and self.paused:
            return "paused"
        return self._state

    def start(self) -> Path:
        """Open the device and the file; audio is on disk from the first block on."""
        check_input_device(self.device)
        import sounddevice as sd

        self.started_at = datetime.now()
        name = f"{self.started_at:%Y%m%d-%H%M%S}-{secrets.token_hex(4)}{PART_SUFFIX}"
        self.path = self.directory / name
        try:
            from speakcase.files import create_private

            self._fd = create_private(self.path)  # 0600, O_EXCL|O_NOFOLLOW
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.write(self._fd, _wav_header())
            os.fsync(self._fd)
        except OSError as exc:
            self._close_file()
            raise RecorderError(_disk_sentence(exc, self.directory)) from exc
        try:
            self._stream = sd.InputStream(
                samplerate=SAMPLING_RATE,
                channels=1,
                dtype="int16",
                blocksize=int(SAMPLING_RATE * BLOCK_SECONDS),
                device=self.device,
                callback=self._callback,
                finished_callback=self._finished,
            )
            self._stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            self._stream = None
            self._close_file()
            self.path.unlink(missing_ok=True)
            raise _device_error(exc) from exc
        self._state = "recording"
        self._last_block = time.monotonic()
        self._writer = threading.Thread(target=self._write_loop, name="speakcase-recorder", daemon=True)
        self._writer.start()
        return self.path

    def pause(self) -> None:
        """Stop keeping audio until `resume` (the device stays open)."""
        self.paused = True

    def resume(self) -> None:
        """Keep audio again."""
        self.paused = False
        self._last_block = time.monotonic()

    def stop(self) -> Path:
        """Finish the recording; returns the complete WAV file (also after a device error)."""
        self._shutdown()
        assert self.path is not None
        assert self._fd is not None
        data = self._frames * 2
        os.pwrite(self._fd, _wav_header(data), 0)
        os.fsync(self._fd)
        self._close_file()
        final = self.path.with_name(self.path.name[: -len(PART_SUFFIX)] + ".wav")
        os.replace(self.path, final)
        self.path = final
        if self._state != "failed":
            self._state = "stopped"
        return final

    def cancel(self) -> None:
        """Stop and delete what was recorded."""
        self._shutdown()
        self._close_file()
        if self.path is not None:
            self.path.unlink(missing_ok=True)
        self._state = "cancelled"

    def check(self) -> None:
        """Raise the device or disk error, if one stopped the recording (for polling callers)."""
        if self.error is None and self._state == "recording" and not self.paused and self.stall_timeout:
            if time.monotonic() - self._last_block > self.stall_timeout:
                self._fail(RecorderError("The microphone stopped sending sound (was it unplugged?)."))
        if self.error is not None:
            raise self.error

    # -- threads ----------------------------------------------------------
    def _callback(self, indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        self._last_block = time.monotonic()
        if not self.paused:
            self._queue.put(indata[:, 0].copy())

    def _finished(self) -> None:
        if self._state == "recording":  # the stream ended without stop(): the device went away
            self._fail(RecorderError("The microphone stopped working (was it unplugged?)."))

    def _write_loop(self) -> None:
        last_sync = time.monotonic()
        pending_sync = False
        while True:
            try:
                block: np.ndarray | None = self._queue.get(timeout=FSYNC_EVERY / 2)
                timed_out = False
            except queue.Empty:
                block, timed_out = None, True
            if block is None and not timed_out:
                break
            if block is not None:
                try:
                    self._append(block)
                except OSError as exc:
                    self._fail(RecorderError(_disk_sentence(exc, self.directory)))
                    break
                pending_sync = True
            now = time.monotonic()
            if pending_sync and now - last_sync >= FSYNC_EVERY:
                try:
                    os.fsync(self._fd)  # type: ignore[arg-type]
                except OSError as exc:
                    self._fail(RecorderError(_disk_sentence(exc, self.directory)))
                    break
                last_sync, pending_sync = now, False

    def _append(self, block: np.ndarray) -> None:
        data = block.astype("<i2", copy=False).tobytes()
        written = 0
        while written < len(data):
            written += os.write(self._fd, data[written:])  # type: ignore[arg-type]
        self._frames += len(block)
        samples = block.astype(np.float32) / 32768.0
        rms = float(np.sqrt(np.mean(samples * samples))) if len(samples) else 0.0
        self.level = min(max((20 * math.log10(rms) + 60) / 60, 0.0), 1.0) if rms > 1e-6 else 0.0
        if self.on_audio is not None:
            self.on_audio(samples)

    def _fail(self, error: RecorderError) -> None:
        with self._lock:
            if self.error is None:
                self.error = error
                self._state = "failed"
                if self.on_error is not None:
                    self.on_error(error)

    def _shutdown(self) -> None:
        stream, self._stream = self._stream, None
        state = self._state
        if state == "recording":
            self._state = "stopping"
        if stream is not None:
            try:
                # abort, not stop: stop waits for the device's next buffer, forever on a stalled one.
                stream.abort()
                stream.close()
            except Exception as exc:  # noqa: BLE001 - a vanished device may refuse to stop
                log.warning("closing the input stream failed: %s", type(exc).__name__)
        if self._writer is not None:
            self._queue.put(None)
            self._writer.join()
            self._writer = None
        if self._state == "stopping":
            self._state = state

    def _close_file(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _disk_sentence(exc: OSError, directory: Path) -> str:
    if exc.errno == errno.ENOSPC:
        return f"The disk is full: recording stopped, and what was said until now is kept in {directory}."
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"SpeakCase cannot write recordings to {directory} (permission denied)."
    return f"The recording could not be written to {directory} ({exc.strerror or exc})."
