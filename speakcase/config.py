"""Where SpeakCase keeps its files, and the user's settings."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import platformdirs

from speakcase.files import make_private_dir, write_private

APP = "speakcase"


def data_dir() -> Path:
    """The user data directory, created owner-only."""
    return make_private_dir(os.environ.get("SPEAKCASE_DATA_DIR") or platformdirs.user_data_dir(APP))


def cache_dir() -> Path:
    """The user cache directory (assembled models), created owner-only."""
    return make_private_dir(os.environ.get("SPEAKCASE_CACHE_DIR") or platformdirs.user_cache_dir(APP))


def config_path() -> Path:
    """The settings file."""
    env = os.environ.get("SPEAKCASE_CONFIG")
    if env:
        return Path(env)
    return Path(platformdirs.user_config_dir(APP)) / "config.json"


def default_db_url() -> str:
    """SPEAKCASE_DB, else the SQLite file in the user data directory."""
    return os.environ.get("SPEAKCASE_DB") or f"sqlite:///{data_dir() / 'speakcase.db'}"


def load_config() -> dict[str, Any]:
    """The user's settings; an unreadable file counts as empty."""
    try:
        loaded: dict[str, Any] = json.loads(config_path().read_text(encoding="utf-8"))
        return loaded
    except (OSError, ValueError):
        return {}


def save_config(values: dict[str, Any]) -> None:
    """Write the settings atomically, readable by the owner only."""
    write_private(config_path(), json.dumps(values, indent=2).encode())
