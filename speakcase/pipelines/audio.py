"""Audio input: validate a memo file, read its metadata and decode it to 16 kHz mono samples."""

from __future__ import annotations

import gc
import hashlib
import os
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from speakcase.errors import AudioError

SAMPLING_RATE = 16000
"""Samples per second Whisper expects."""
DEFAULT_MAX_DURATION = 30 * 60.0
"""Longest memo accepted, in seconds, unless the caller says otherwise."""
# A decode that yields less than this share of the duration the container declares is truncated.
_TRUNCATED_SHARE = 0.9
# Containers round their declared duration; below this many seconds short the shortfall is noise.
_TRUNCATED_SLACK = 0.5

__all__ = [
    "DEFAULT_MAX_DURATION",
    "SAMPLING_RATE",
    "AudioInfo",
    "check_path",
    "open_regular",
    "load_audio",
    "probe",
    "sha256_file",
]


@dataclass(frozen=True)
class AudioInfo:
    """What the container says about a memo file before decoding."""

    duration: float
    """Declared duration in seconds (0.0 when the container does not say)."""
    creation_time: datetime | None
    """The container's creation_time tag, or None when absent or unparseable."""


def sha256_file(path: str | Path, chunk_size: int = 1 << 20) -> str:
    """The hex SHA-256 of a file's bytes, read in chunks so large files stay out of memory."""
    digest = hashlib.sha256()
    with os.fdopen(open_regular(path), "rb") as fh:
        for chunk in iter(lambda: fh.read(chunk_size), b""):
            digest.update(chunk)
    return digest.hexdigest()


def probe(path: str | Path, max_duration: float | None = DEFAULT_MAX_DURATION) -> AudioInfo:
    """Check a file is usable audio and return its declared duration and creation time."""
    import av

    path = _check_file(Path(path))
    _check_not_truncated(path)
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            info = _container_info(path, container)
    except av.FFmpegError as exc:
        raise _open_error(path, exc) from exc
    _check_duration(path, info.duration, max_duration)
    return info


def load_audio(
    path: str | Path,
    max_duration: float | None = DEFAULT_MAX_DURATION,
    sampling_rate: int = SAMPLING_RATE,
) -> np.ndarray:
    """Decode any format PyAV reads into mono float32 samples at `sampling_rate`.

    Raises AudioError with one sentence for a missing, unreadable, empty, non-audio,
    corrupt, truncated or over-long file.
    """
    import av

    path = _check_file(Path(path))
    _check_not_truncated(path)
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            info = _container_info(path, container)
            _check_duration(path, info.duration, max_duration)
            audio = _decode_stream(container, sampling_rate)
    except av.FFmpegError as exc:
        raise _open_error(path, exc) from exc
    finally:
        # PyAV's resampler objects are only freed by a collection (faster-whisper issue 390).
        gc.collect()
    decoded = len(audio) / sampling_rate
    if decoded == 0.0:
        raise AudioError("The file contains no decodable audio: it is corrupt or truncated.")
    if info.duration and decoded < info.duration * _TRUNCATED_SHARE - _TRUNCATED_SLACK:
        raise AudioError(
            f"The file is truncated or corrupt: it declares {info.duration:.1f} s "
            f"but only {decoded:.1f} s could be decoded."
        )
    _check_duration(path, decoded, max_duration)
    return audio


_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _refuse_irregular(mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise AudioError("The path is a directory, not an audio file.")
    for test, kind in _KINDS:
        if test(mode):
            raise AudioError(f"The path is {kind}, not a regular audio file, so it was not opened.")
    if not stat.S_ISREG(mode):
        raise AudioError("The path is not a regular audio file, so it was not opened.")


def check_path(path: Path) -> None:
    """Reject, without opening it, a path that is missing, not a regular file or unreadable (empty passes).

    Messages never name the file: memo file names are personal data.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise AudioError("The audio file does not exist.") from None
    except OSError as exc:
        raise AudioError(f"The audio file cannot be read: {exc.strerror or type(exc).__name__}.") from None
    _refuse_irregular(mode)
    if not os.access(path, os.R_OK):
        raise AudioError("The audio file cannot be read: permission denied.")


def open_regular(path: str | Path) -> int:
    """Open a file for reading without blocking on a FIFO, refusing anything but a regular file."""
    _refuse_irregular(os.stat(path).st_mode)  # a socket cannot even be opened: say what it is
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        _refuse_irregular(os.fstat(fd).st_mode)
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _check_file(path: Path) -> Path:
    """Reject what is not a readable, non-empty regular file, before any decoder sees it."""
    check_path(path)
    try:
        with os.fdopen(open_regular(path), "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
    except PermissionError as exc:
        raise AudioError("The audio file cannot be read: permission denied.") from exc
    except OSError as exc:
        raise AudioError(f"The audio file cannot be read: {exc.strerror or exc}.") from exc
    if size == 0:
        raise AudioError("The audio file is empty.")
    return path


def _container_info(path: Path, container: Any) -> AudioInfo:
    """Duration and creation time from an open container that must hold an audio stream."""
    if not container.streams.audio:
        raise AudioError("The file has no audio stream.")
    stream = container.streams.audio[0]
    duration = 0.0
    if stream.duration is not None and stream.time_base is not None:
        duration = float(stream.duration * stream.time_base)
    elif container.duration is not None:
        duration = container.duration / 1_000_000
    tags = {**dict(stream.metadata or {}), **dict(container.metadata or {})}
    return AudioInfo(duration=max(duration, 0.0), creation_time=_parse_time(tags))


def _parse_time(tags: dict[str, str]) -> datetime | None:
    """The creation_time tag (any case) as a datetime, or None."""
    for key, value in tags.items():
        if key.lower() in ("creation_time", "date") and value:
            text = value.strip().replace("Z", "+00:00")
            try:
                return datetime.fromisoformat(text)
            except ValueError:
                continue
    return None


def _check_duration(path: Path, duration: float, max_duration: float | None) -> None:
    if max_duration is not None and duration > max_duration:
        raise AudioError(
            f"The file lasts {_minutes(duration)}, longer than the limit of {_minutes(max_duration)}."
        )


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} minutes" if seconds >= 120 else f"{seconds:.1f} seconds"


def _check_not_truncated(path: Path) -> None:
    """Catch cut-off WAV and Ogg files, which FFmpeg decodes up to the cut without complaint."""
    with os.fdopen(open_regular(path), "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        head = fh.read(12)
        fh.seek(max(0, size - 65536))
        tail = fh.read()
    truncated = False
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        riff_size = int.from_bytes(head[4:8], "little")
        # 0 and 0xFFFFFFFF mark a stream written without a final size; nothing to compare.
        truncated = riff_size not in (0, 0xFFFFFFFF) and riff_size + 8 > size
    elif head.startswith(b"OggS"):
        last = tail.rfind(b"OggS")
        page = tail[last:]
        # A complete Ogg stream ends with a whole page flagged end-of-stream (header type bit 2).
        if last < 0 or len(page) < 27 or not page[5] & 0x04:
            truncated = True
        else:
            segments = page[26]
            body = sum(page[27 : 27 + segments])
            truncated = len(page) < 27 + segments + body
    if truncated:
        raise AudioError("The file is truncated: it ends before the audio it declares.")


def _decode_stream(container: Any, sampling_rate: int) -> np.ndarray:
    """Decode the first audio stream, resampled to mono s16 as faster-whisper does, as float32."""
    import av

    resampler = av.audio.resampler.AudioResampler(format="s16", layout="mono", rate=sampling_rate)
    chunks: list[np.ndarray] = []
    for frame in container.decode(audio=0):
        chunks.extend(f.to_ndarray().reshape(-1) for f in resampler.resample(frame))
    chunks.extend(f.to_ndarray().reshape(-1) for f in resampler.resample(None))
    if not chunks:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate(chunks).astype(np.float32) / 32768.0


def _open_error(path: Path, exc: Exception) -> AudioError:
    """Turn a PyAV failure into one sentence: not audio at all, or audio that is damaged."""
    import av

    if isinstance(exc, av.error.InvalidDataError) and not _looks_like_audio(path):
        return AudioError("The file is not an audio file this tool can decode.")
    if isinstance(exc, av.error.InvalidDataError):
        return AudioError("The file is corrupt or truncated and cannot be decoded.")
    if isinstance(exc, PermissionError | av.error.PermissionError):
        return AudioError("The audio file cannot be read: permission denied.")
    return AudioError(f"The file cannot be decoded as audio ({exc.__class__.__name__}).")


# Leading bytes of the containers SpeakCase accepts: a file starting with one is damaged audio, not text.
_MAGIC = (b"RIFF", b"OggS", b"fLaC", b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2", b"\x1aE\xdf\xa3")


def _looks_like_audio(path: Path) -> bool:
    with os.fdopen(open_regular(path), "rb") as fh:
        head = fh.read(12)
    return head.startswith(_MAGIC) or head[4:8] == b"ftyp"
