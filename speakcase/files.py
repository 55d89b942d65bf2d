"""Owner-only files and folders: every file holding personal data is created through here.

A file is created with O_CREAT|O_EXCL|O_NOFOLLOW at mode 0600, so a planted file or symlink at
its name is refused rather than written through; a replaced file is written to a temporary file
this process created itself and renamed over the target. Folders are made 0700 whatever the umask.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

__all__ = ["FILE_MODE", "DIR_MODE", "create_private", "make_private_dir", "write_private"]

FILE_MODE = 0o600
"""Mode of every file SpeakCase creates."""
DIR_MODE = 0o700
"""Mode of every folder SpeakCase creates."""

_CREATE_FLAGS = (
    os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
)


def make_private_dir(path: str | Path) -> Path:
    """Create `path` and any missing parents at 0700 (a folder that already exists is left as it is)."""
    path = Path(path)
    missing: list[Path] = []
    for folder in (path, *path.parents):
        if folder.exists() or folder.is_symlink():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            os.mkdir(folder, DIR_MODE)
        except FileExistsError:
            continue  # made by another process meanwhile
        os.chmod(folder, DIR_MODE)  # mkdir's mode is masked by the umask; this is not
    if not path.is_dir():
        raise NotADirectoryError(f"{path} is not a folder")
    return path


def create_private(path: str | Path) -> int:
    """Create a new file at 0600 and return a descriptor open for writing; never opens an existing name."""
    fd = os.open(path, _CREATE_FLAGS, FILE_MODE)
    os.fchmod(fd, FILE_MODE)
    return fd


def write_private(path: str | Path, data: bytes, replace: bool = True) -> None:
    """Put `data` at `path` atomically, through a temporary file this process created (0600).

    With `replace` False an existing file is kept and FileExistsError raised (no reader ever sees
    a half-written file either way).
    """
    path = Path(path)
    make_private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = create_private(tmp)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
