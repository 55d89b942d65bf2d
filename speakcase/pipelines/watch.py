"""Finding audio files under a folder: once, or as they arrive and stop growing."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

__all__ = ["AUDIO_EXTENSIONS", "FolderScan", "find_audio", "is_audio_name"]

AUDIO_EXTENSIONS = frozenset(
    {
        "wav", "wave", "mp3", "mp2", "mpga", "m4a", "m4b", "mp4", "aac", "ogg", "oga", "opus", "spx",
        "flac", "webm", "weba", "mka", "mkv", "mov", "wma", "asf", "amr", "awb", "3gp", "3g2", "caf",
        "aif", "aiff", "aifc", "au", "snd", "wv", "ape", "ac3", "dss",
    }
)  # fmt: skip
"""File extensions (lower case, no dot) treated as audio; PyAV decides whether the content is."""


def is_audio_name(path: Path) -> bool:
    """Whether a file's name marks it as audio (hidden files such as macOS `._` forks are not)."""
    return not path.name.startswith(".") and path.suffix[1:].lower() in AUDIO_EXTENSIONS


def find_audio(root: Path, exclude: Path | None = None) -> Iterator[Path]:
    """Every audio file under `root`, recursively, in a stable order, skipping hidden ones and `exclude`."""
    root = root.resolve()
    excluded = exclude.resolve() if exclude is not None else None
    for folder, dirs, files in os.walk(root, onerror=None):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and here / d != excluded)
        for name in sorted(files):
            path = here / name
            if is_audio_name(path) and not path.is_dir():
                yield path


QUIET_SECONDS = 5.0
"""How long a watched file must go unchanged before it is taken: a copy that stalls for a few seconds
must not be processed half-written (and then again, whole, as a second memo)."""


class FolderScan:
    """Audio files under a folder, each handed out once it has stopped changing."""

    def __init__(
        self,
        root: Path,
        exclude: Path | None = None,
        watch: bool = False,
        quiet_seconds: float = QUIET_SECONDS,
    ) -> None:
        self.root = root.resolve()
        self.quiet_seconds = quiet_seconds
        self.exclude = exclude
        self.watch = watch
        self._seen: dict[Path, tuple[int, int]] = {}
        self._handed: dict[Path, tuple[int, int]] = {}
        self._scans = 0

    @property
    def exhausted(self) -> bool:
        """True once a one-off scan has handed out everything (never while watching)."""
        return not self.watch and self._scans > 0

    def poll(self) -> list[Path]:
        """The files ready now: all on a one-off scan; while watching, those unchanged since the last poll."""
        self._scans += 1
        if not self.watch:
            return list(find_audio(self.root, self.exclude))
        current: dict[Path, tuple[int, int]] = {}
        for path in find_audio(self.root, self.exclude):
            try:
                stat = path.stat()
            except OSError:
                continue  # gone between listing and stat
            current[path] = (stat.st_size, stat.st_mtime_ns)
        now_ns = time.time_ns()
        ready = [
            path
            for path, signature in current.items()
            if self._seen.get(path) == signature
            and self._handed.get(path) != signature
            and now_ns - signature[1] >= self.quiet_seconds * 1e9
        ]
        self._handed = {path: sig for path, sig in self._handed.items() if path in current}
        self._handed.update((path, current[path]) for path in ready)
        self._seen = current
        return ready
