"""Pilot tests of `speakcase review` against a real SQLite database."""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input
from textual.worker import WorkerCancelled

from speakcase.errors import StoreError
from speakcase.models.store import Store
from speakcase.tui.app import ReviewApp
from speakcase.tui.screens.dialogs import AmendDialog, ChoiceDialog, NameDialog
from speakcase.tui.screens.history import HistoryScreen
from speakcase.tui.screens.record import RecordScreen
from speakcase.tui.widgets.checks import ChecksPanel
from speakcase.tui.widgets.record_form import RecordForm
from tests.test_tui_seed import seed

SIZE = (100, 30)
pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    """Textual runs on asyncio."""
    return "asyncio"


@pytest.fixture(autouse=True)
def _user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings and data in temp paths: the practitioner's name is never the real user's."""
    monkeypatch.setenv("SPEAKCASE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SPEAKCASE_CONFIG", str(tmp_path / "config.json"))
    return tmp_path / "config.json"


@pytest.fixture
def seeded(tmp_path: Path):
    """A store on a fresh SQLite file holding the deterministic seed."""
    store = Store.open(f"sqlite:///{tmp_path / 'review.db'}")
    ids = seed(store)
    yield store, ids
    store.close()


async def settle(pilot: Pilot) -> None:
    """Let messages and workers finish."""
    await pilot.pause()
    with contextlib.suppress(WorkerCancelled):  # a superseded exclusive worker counts as finished
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_record(pilot: Pilot, record_id: int) -> RecordScreen:
    """Open a record from the app and wait until it is loaded."""
    await settle(pilot)
    pilot.app.open_record(record_id)  # type: ignore[attr-defined]
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, RecordScreen) and screen.info is not None
    return screen


async def retype(pilot: Pilot, screen: RecordScreen, field: str, text: str) -> None:
    """Focus a text field, replace its value by typing, without leaving it."""
    widget = screen.query_one(RecordForm).widget_for(field)
    widget.focus()
    await pilot.pause()
    assert isinstance(widget, Input)
    widget.value = ""
    await pilot.press(*["space" if c == " " else c for c in text])


def latest(store: Store, record_id: int):
    """The newest revision of a record."""
    return store.history(record_id)[-1]


async def test_inbox_lists_drafts_first_and_failed_memos(seeded):
    store, ids = seeded
    async with ReviewApp(store).run_test(size=SIZE) as pilot:
        await settle(pilot)
        records = pilot.app.screen.query_one("#records", DataTable)
        statuses = [str(records.get_row_at(i)[0]) for i in range(records.row_count)]
        assert statuses == ["draft", "draft", "confirmed"]
        failed = pilot.app.screen.query_one("#failed", DataTable)
        assert "not an audio file" in str(failed.get_row_at(0)[2])
        await pilot.press("f1")
        await settle(pilot)
        assert type(pilot.app.screen).__name__ == "HelpScreen"
        await pilot.press("escape", "ctrl+p")
        await settle(pilot)
        assert type(pilot.app.screen).__name__ == "CommandPalette"


async def test_search_by_counterpart_and_status(seeded):
    store, ids = seeded
    async with ReviewApp(store).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"with:patel", "enter")
        await settle(pilot)
        records = pilot.app.screen.query_one("#records", DataTable)
        assert str(records.get_row_at(0)[3]).startswith("Priya Patel")
        assert records.row_count == 1
        pilot.app.screen.query_one("#search", Input).value = "status:draft date:2026-11-24"
        await pilot.press("enter")
        await settle(pilot)
        assert records.row_count == 2


async def test_correct_counterpart_and_confirm(seeded, _user_dirs: Path):
    store, ids = seeded
    async with ReviewApp(store).run_test(size=SIZE) as pilot:
        screen = await open_record(pilot, ids["police"])
        await retype(pilot, screen, "counterpart.name", "Helen Price")
        await pilot.press("tab")
        await settle(pilot)
        assert latest(store, ids["police"]).record.counterpart.name == "Helen Price"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HistoryScreen)
        text = str(pilot.app.screen.query_one("#history-text").render())
        assert "Revision 2 · edit" in text and "Helen Pryce → Helen Price" in text
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, NameDialog)
        await pilot.press(*"Jo", "space", *"Bloggs", "enter")
        await settle(pilot)
    revision = latest(store, ids["police"])
    assert (revision.status, revision.change, revision.author) == ("confirmed", "confirm", "Jo Bloggs")
    assert revision.record.counterpart.name == "Helen Price"
    assert json.loads(_user_dirs.read_text())["practitioner"] == "Jo Bloggs"


async def test_confirm_blocked_on_missing_reason_says_what(seeded):
    store, ids = seeded
    async with ReviewApp(store).run_test(size=SIZE) as pilot:
        screen = await open_record(pilot, ids["nurse"])
        await pilot.press("ctrl+s")
        await settle(pilot)
        shown = str(screen.query_one(ChecksPanel).render())
        assert "Cannot confirm yet" in shown and "Why: the reason for the decision is missing." in shown
        assert any("Why: the reason" in n.message for n in pilot.app._notifications)
        assert screen.focused is screen.query_one(RecordForm).widget_for("reason")
    assert store.record(ids["nurse"]).status == "draft"


async def test_amend_with_a_reason(seeded, _user_dirs: Path):
    _user_dirs.write_text(json.dumps({"practitioner": "Sam Carter"}))
    store, ids = seeded
    async with ReviewApp(store).run_test(size=SIZE) as pilot:
        screen = await open_record(pilot, ids["confirmed"])
        assert screen.query_one(RecordForm).widget_for("information").disabled
        assert not screen.check_action("confirm", ())
        await pilot.press("ctrl+e")
        await retype(pilot, screen, "information", "the family has rent arrears of 900 pounds")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, AmendDialog)
        await pilot.press(*"amount", "space", *"added", "enter")
        await settle(pilot)
        assert not screen.amending
    revision = latest(store, ids["confirmed"])
    assert (revision.change, revision.status, revision.author) == ("amend", "confirmed", "Sam Carter")
    assert revision.reason == "correction: amount added"
    assert revision.record.information.endswith("900 pounds")


async def test_discard_keeps_history(seeded):
    store, ids = seeded
    async with ReviewApp(store).run_test(size=SIZE) as pilot:
        await open_record(pilot, ids["nurse"])
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ChoiceDialog)
        await pilot.press("enter")
        await settle(pilot)
    assert store.record(ids["nurse"]).status == "discarded"
    assert [r.change for r in store.history(ids["nurse"])] == ["extracted", "discard"]


async def test_quitting_with_an_unsaved_edit_asks_then_saves(seeded):
    store, ids = seeded
    app = ReviewApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_record(pilot, ids["police"])
        await retype(pilot, screen, "subject", "Amy Morgan-Hill")
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen_stack[-1] is screen and app.is_running  # the top of the stack: app.screen
        await pilot.press("ctrl+q")
        await settle(pilot)
        await pilot.press("enter")  # "Save and quit" is the first choice
        await settle(pilot)
    assert not app.is_running
    assert latest(store, ids["police"]).record.subject == "Amy Morgan-Hill"


async def test_database_error_keeps_the_value_in_the_form(seeded, monkeypatch: pytest.MonkeyPatch):
    store, ids = seeded

    def locked(*_args, **_kwargs):
        raise StoreError("The database could not be written: database is locked.")

    monkeypatch.setattr(store, "save_draft", locked)
    async with ReviewApp(store).run_test(size=SIZE) as pilot:
        screen = await open_record(pilot, ids["police"])
        await retype(pilot, screen, "reason", "to plan a strategy discussion")
        await pilot.press("tab")
        await settle(pilot)
        assert any("database is locked" in n.message for n in pilot.app._notifications)
        assert screen.query_one(RecordForm).read("reason") == "to plan a strategy discussion"
        assert screen.has_unsaved() and pilot.app.is_running


async def test_add_a_record_by_hand(seeded):
    store, ids = seeded
    async with ReviewApp(store).run_test(size=SIZE) as pilot:
        screen = await open_record(pilot, ids["police"])
        await pilot.press("ctrl+n")
        await settle(pilot)
        added = pilot.app.screen
        assert isinstance(added, RecordScreen) and added is not screen
        assert added.info is not None and added.info.origin == "manual" and added.info.memo_id == ids["memo"]


async def test_retry_without_the_pipeline_says_so(seeded, monkeypatch: pytest.MonkeyPatch):
    store, ids = seeded
    monkeypatch.setitem(sys.modules, "speakcase.pipelines.extract", None)
    async with ReviewApp(store).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert any("not installed" in n.message for n in pilot.app._notifications)
    assert store.memo(ids["failed"]).status == "failed"
