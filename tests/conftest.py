"""Shared test set-up: user directories point at a temp dir; models load once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never touch the real user's database, config or cache."""
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("SPEAKCASE_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("SPEAKCASE_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("SPEAKCASE_CONFIG", str(home / "config.json"))
    monkeypatch.delenv("SPEAKCASE_DB", raising=False)
    return home


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A fresh SQLite database file."""
    return f"sqlite:///{tmp_path / 'speakcase.db'}"


@pytest.fixture
def store(db_url: str):
    """A migrated store on a fresh SQLite file."""
    from speakcase.models.store import Store

    s = Store.open(db_url)
    yield s
    s.close()
