"""SVG snapshots of the inbox and the record screen at fixed sizes, on deterministic data."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input
from textual.worker import WorkerCancelled

from speakcase.models.store import Store
from speakcase.tui.app import ReviewApp
from speakcase.tui.widgets.record_form import RecordForm
from tests.tui_seed import seed


@pytest.fixture(autouse=True)
def _user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings and data in temp paths."""
    monkeypatch.setenv("SPEAKCASE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SPEAKCASE_CONFIG", str(tmp_path / "config.json"))


@pytest.fixture
def app(tmp_path: Path):
    """The review app on a seeded database."""
    store = Store.open(f"sqlite:///{tmp_path / 'snap.db'}")
    seed(store)
    yield ReviewApp(store)
    store.close()


async def _settle(pilot: Pilot) -> None:
    await pilot.pause()
    with contextlib.suppress(WorkerCancelled):  # a superseded exclusive worker counts as finished
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_inbox_snapshot(app: ReviewApp, snap_compare) -> None:
    assert snap_compare(app, terminal_size=(100, 30), run_before=_settle)


def test_record_screen_snapshot_80x24(app: ReviewApp, snap_compare) -> None:
    async def open_police_record(pilot: Pilot) -> None:
        await _settle(pilot)
        pilot.app.open_record(1)  # type: ignore[attr-defined]
        await _settle(pilot)
        name = pilot.app.screen.query_one(RecordForm).widget_for("counterpart.name")
        assert isinstance(name, Input)
        name.cursor_blink = False  # a blinking cursor would make the picture depend on when it is taken
        name.focus()
        await _settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_police_record)
