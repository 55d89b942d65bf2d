"""SVG snapshots of the review app's screens at 80x24 (and the inbox at 100x30), on deterministic data."""

from __future__ import annotations

import contextlib
import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from speakcase.models.store import Store
from speakcase.tui.app import ReviewApp
from speakcase.tui.screens import record as record_screen
from speakcase.tui.widgets.record_form import RecordForm
from tests.tui_seed import police_record, seed, seed_gp

SMALL = (80, 24)


@pytest.fixture(autouse=True)
def _user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings and data in temp paths; the practitioner is named; no pause timer fires mid-snapshot."""
    monkeypatch.setenv("SPEAKCASE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SPEAKCASE_CONFIG", str(tmp_path / "config.json"))
    (tmp_path / "config.json").write_text(json.dumps({"practitioner": "Jo Bloggs"}))
    monkeypatch.setattr(record_screen, "PAUSE_S", 600.0)


@pytest.fixture
def store(tmp_path: Path):
    """A seeded store: the Amy memo, Ben's confirmed record, a failed memo, the GP memo (record 4)."""
    store = Store.open(f"sqlite:///{tmp_path / 'snap.db'}")
    ids = seed(store)
    seed_gp(store)
    store.confirm(ids["police"], police_record(), "Jo Bloggs")
    store.amend(
        ids["police"],
        police_record().with_field("counterpart.name", "Helen Price"),
        "Sam Carter",
        "correction: the surname was misheard",
    )
    yield store
    store.close()


async def _settle(pilot: Pilot) -> None:
    await pilot.pause()
    with contextlib.suppress(WorkerCancelled):  # a superseded exclusive worker counts as finished
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for editor in pilot.app.screen.query("Input, TextArea"):
        editor.cursor_blink = False  # type: ignore[attr-defined]  # a blink would make the picture timing-dependent


def _opening(record_id: int, *keys: str):
    async def run(pilot: Pilot) -> None:
        await _settle(pilot)
        pilot.app.open_record(record_id)  # type: ignore[attr-defined]
        await _settle(pilot)
        for key in keys:
            await pilot.press(key)
            await _settle(pilot)

    return run


def test_inbox_snapshot(store: Store, snap_compare) -> None:
    assert snap_compare(ReviewApp(store), terminal_size=(100, 30), run_before=_settle)


def test_flagged_gp_draft_80x24(store: Store, snap_compare) -> None:
    assert snap_compare(ReviewApp(store), terminal_size=SMALL, run_before=_opening(4))


def test_record_screen_focus_and_ticks_80x24(store: Store, snap_compare) -> None:
    async def run(pilot: Pilot) -> None:
        await _opening(2)(pilot)
        pilot.app.screen.query_one(RecordForm).widget_for("consent.reasons").focus()
        await _settle(pilot)

    assert snap_compare(ReviewApp(store), terminal_size=SMALL, run_before=run)


def test_confirmation_summary_80x24(store: Store, snap_compare) -> None:
    async def run(pilot: Pilot) -> None:
        await _opening(4)(pilot)
        screen = pilot.app.screen
        screen.acknowledged.update(flag.key for flag in screen.flags())  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await _settle(pilot)

    assert snap_compare(ReviewApp(store), terminal_size=SMALL, run_before=run)


def test_help_scrolled_to_the_end_80x24(store: Store, snap_compare) -> None:
    async def run(pilot: Pilot) -> None:
        await _settle(pilot)
        await pilot.press("f1")
        await _settle(pilot)
        await pilot.press("end")
        await _settle(pilot)

    assert snap_compare(ReviewApp(store), terminal_size=SMALL, run_before=run)


def test_history_of_an_amended_record_80x24(store: Store, snap_compare, monkeypatch) -> None:
    real = store.history

    def at_fixed_times(record_id: int):  # the revisions as stored, their times fixed for the picture
        revisions = real(record_id)
        return [replace(r, created_at=datetime(2026, 11, 24, 16, 20 + i)) for i, r in enumerate(revisions)]

    monkeypatch.setattr(store, "history", at_fixed_times)
    assert snap_compare(ReviewApp(store), terminal_size=SMALL, run_before=_opening(1, "ctrl+r", "end"))
