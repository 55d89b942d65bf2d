"""Pilot tests of `speakcase review` against a real SQLite database."""

from __future__ import annotations

import contextlib
import json
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, SelectionList
from textual.worker import WorkerCancelled

from speakcase.errors import StoreError
from speakcase.models.records import Evidence
from speakcase.models.store import Store
from speakcase.tui.app import ReviewApp
from speakcase.tui.screens import record as record_screen
from speakcase.tui.screens.confirm import ConfirmDialog
from speakcase.tui.screens.dialogs import AmendDialog, ChoiceDialog, DiscardDialog, NameDialog
from speakcase.tui.screens.history import HistoryScreen
from speakcase.tui.screens.record import RecordScreen
from speakcase.tui.widgets.checks import ChecksPanel
from speakcase.tui.widgets.record_form import RecordForm
from tests.factories import complete_record
from tests.tui_seed import seed, seed_gp, timed_transcript

SIZE = (100, 30)
pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    """Textual runs on asyncio."""
    return "asyncio"


@pytest.fixture(autouse=True)
def _user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings and data in temp paths: the practitioner is Jo Bloggs, never the real user."""
    monkeypatch.setenv("SPEAKCASE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SPEAKCASE_CONFIG", str(tmp_path / "config.json"))
    (tmp_path / "config.json").write_text(json.dumps({"practitioner": "Jo Bloggs"}))
    return tmp_path / "config.json"


@pytest.fixture(autouse=True)
def _short_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    """No pause ends a pass unless a test says so: passes end on leaving, quitting or confirming."""
    monkeypatch.setattr(record_screen, "PAUSE_S", 60.0)


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


def keys(text: str) -> list[str]:
    """Key names that type `text`."""
    return ["space" if c == " " else c for c in text]


async def retype(pilot: Pilot, screen: RecordScreen, field: str, text: str) -> None:
    """Move to a field and type over its value, as a user does (arriving selects it), without leaving."""
    screen.query_one(RecordForm).widget_for(field).focus()
    await pilot.pause()
    await pilot.press(*keys(text))


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


async def test_correct_counterpart_and_confirm(seeded):
    store, ids = seeded
    async with ReviewApp(store).run_test(size=SIZE) as pilot:
        screen = await open_record(pilot, ids["police"])
        await retype(pilot, screen, "counterpart.name", "Helen Price")
        assert (
            screen.query_one(RecordForm).read("counterpart.name") == "Helen Price"
        )  # replaced, not added to
        await pilot.press("tab")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert latest(store, ids["police"]).record.counterpart.name == "Helen Price"
        screen = await open_record(pilot, ids["police"])
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HistoryScreen)
        text = str(pilot.app.screen.query_one("#history-text").render())
        assert "Revision 2 · edited by Jo Bloggs" in text and "Helen Pryce → Helen Price" in text
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+s")  # blocked: the consent position was read with low confidence
        await settle(pilot)
        assert pilot.app.screen_stack[-1] is screen  # the top of the stack: app.screen
        assert screen.focused is screen.query_one(RecordForm).widget_for("consent.status")
        await pilot.press("ctrl+o", "ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        summary = str(pilot.app.screen.query_one("#confirm-summary Static").render())
        assert "Shared with: Helen Price (Detective Sergeant, Thames Valley Police)" in summary
        assert "Consent: not sought (from mum); because seeking consent would increase risk" in summary
        await pilot.press("enter")
        await settle(pilot)
    revision = latest(store, ids["police"])
    assert (revision.status, revision.change, revision.author) == ("confirmed", "confirm", "Jo Bloggs")
    assert revision.record.counterpart.name == "Helen Price"
    assert revision.reason is not None and revision.reason.startswith("Accepted as checked: Consent")


async def test_confirm_blocked_on_missing_reason_says_what(seeded):
    store, ids = seeded
    async with ReviewApp(store).run_test(size=SIZE) as pilot:
        screen = await open_record(pilot, ids["nurse"])
        await pilot.press("ctrl+s")
        await settle(pilot)
        shown = str(screen.query_one(ChecksPanel).render())
        assert "Cannot confirm yet" in shown and "Why: the reason for the decision is missing." in shown
        assert any("Why: the reason" in n.message for n in pilot.app._notifications)
        assert 'What: "Amy\'s attendance" is a fragment' in shown  # two words: flagged too
        assert screen.focused is screen.query_one(RecordForm).widget_for("information")  # first in the form
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


async def test_discard_asks_why_with_cancel_focused(seeded):
    store, ids = seeded
    async with ReviewApp(store).run_test(size=SIZE) as pilot:
        screen = await open_record(pilot, ids["nurse"])
        await pilot.press("ctrl+d")  # delete-character in editors: never discard
        await settle(pilot)
        assert pilot.app.screen is screen
        await screen.run_action("discard")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DiscardDialog)
        await pilot.press("enter")  # Cancel has focus
        await settle(pilot)
        assert pilot.app.screen is screen and store.record(ids["nurse"]).status == "draft"
        await screen.run_action("discard")
        await settle(pilot)
        pilot.app.screen.query_one("#discard-why", Input).focus()
        await pilot.press("enter")  # no reason: refused
        await settle(pilot)
        assert isinstance(pilot.app.screen, DiscardDialog)
        await pilot.press(*keys("duplicate of record 1"), "enter")
        await settle(pilot)
    assert store.record(ids["nurse"]).status == "discarded"
    history = store.history(ids["nurse"])
    assert [r.change for r in history] == ["extracted", "discard"]
    assert (history[-1].reason, history[-1].author) == ("duplicate of record 1", "Jo Bloggs")


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
        await pilot.press("escape")  # leaving saves the pass: the write fails, so the record stays open
        await settle(pilot)
        assert any("database is locked" in n.message for n in pilot.app._notifications)
        assert pilot.app.screen is screen
        assert screen.query_one(RecordForm).read("reason") == "to plan a strategy discussion"
        assert screen.has_unsaved() and pilot.app.is_running


async def test_a_new_record_is_a_draft_only_once_something_is_entered(seeded):
    store, ids = seeded
    before = store.count_records()
    async with ReviewApp(store).run_test(size=SIZE) as pilot:
        await open_record(pilot, ids["police"])
        await pilot.press("ctrl+n")
        await settle(pilot)
        added = pilot.app.screen
        assert isinstance(added, RecordScreen) and added.record_id is None
        await pilot.press("escape")
        await settle(pilot)
        assert store.count_records() == before  # nothing entered: no blank row
        await pilot.press("ctrl+n")
        await settle(pilot)
        added = pilot.app.screen
        assert isinstance(added, RecordScreen)
        await retype(pilot, added, "subject", "Amy Morgan")
        await pilot.press("escape")
        await settle(pilot)
    assert store.count_records() == before + 1
    (manual,) = [r for r in store.records() if r.origin == "manual"]
    assert (manual.memo_id, manual.record.subject, manual.revision) == (ids["memo"], "Amy Morgan", 1)


async def test_retry_without_the_pipeline_says_so(seeded, monkeypatch: pytest.MonkeyPatch):
    store, ids = seeded
    monkeypatch.setitem(sys.modules, "speakcase.pipelines.extract", None)
    async with ReviewApp(store).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert any("not installed" in n.message for n in pilot.app._notifications)
    assert store.memo(ids["failed"]).status == "failed"


async def test_the_flagged_gp_draft_cannot_be_confirmed_until_its_values_are_right(seeded):
    store, _ids = seeded
    gp = seed_gp(store)
    async with ReviewApp(store).run_test(size=(80, 24)) as pilot:
        screen = await open_record(pilot, gp)
        panel = str(screen.query_one(ChecksPanel).render())
        assert 'Consent: drafted as obtained, but the memo says "Daniel had not consented' in panel
        assert 'Why: "Daniel had" is a fragment' in panel
        assert screen.focused is screen.query_one(RecordForm).widget_for("occurred_at")
        await pilot.press(*keys("2025-03-12 14:10"), "tab")  # the format the inbox shows
        await settle(pilot)
        assert screen.record.occurred_at == "2025-03-12T14:10"
        await pilot.press("ctrl+s")  # consent and the reason still flagged: no confirm, no summary
        await settle(pilot)
        assert pilot.app.screen is screen
        assert screen.focused is screen.query_one(RecordForm).widget_for("reason")
        await pilot.press(*keys("so that the GP can check the bruising at his appointment"))
        screen.query_one(RecordForm).widget_for("consent.status").focus()
        await settle(pilot)
        presses = ["enter", "down", "down", "enter", "tab", "tab", "space"]  # not sought, child protection
        await pilot.press(*presses)
        await settle(pilot)
        assert screen.record.consent.status == "not_sought"
        assert screen.record.consent.reasons == ("child_protection",)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("enter")
        await settle(pilot)
    revisions = store.history(gp)
    assert [r.change for r in revisions] == ["extracted", "confirm"]  # one pass, folded into the confirm
    assert revisions[-1].record.reason == "so that the GP can check the bruising at his appointment"


async def test_one_revision_per_editing_pass_saved_on_a_pause(seeded, monkeypatch):
    store, ids = seeded
    async with ReviewApp(store).run_test(size=SIZE) as pilot:
        screen = await open_record(pilot, ids["police"])
        await retype(pilot, screen, "subject", "Amy Morgan-Hill")
        await pilot.press("tab")
        await pilot.press(*keys("details of the disclosur"))  # still typing in What, not left
        # However slow the machine, the keys above came within one pass; the last one starts a short pause.
        monkeypatch.setattr(record_screen, "PAUSE_S", 0.2)
        await pilot.press("e")
        await pilot.pause(0.6)
        await settle(pilot)
        saved = store.history(ids["police"])
        assert [r.change for r in saved] == ["extracted", "edit"]
        assert saved[-1].record.subject == "Amy Morgan-Hill"
        assert saved[-1].record.information == "details of the disclosure"
        assert saved[-1].author == "Jo Bloggs"
        await pilot.press("escape")
        await settle(pilot)
    assert len(store.history(ids["police"])) == 2  # leaving with nothing new adds nothing


async def test_the_name_is_asked_before_the_first_edit(seeded, _user_dirs: Path):
    _user_dirs.unlink()
    store, ids = seeded
    async with ReviewApp(store).run_test(size=SIZE) as pilot:
        await settle(pilot)
        pilot.app.open_record(ids["police"])  # type: ignore[attr-defined]
        await settle(pilot)
        assert isinstance(pilot.app.screen, NameDialog)
        await pilot.press(*keys("Sam Carter"), "enter")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, RecordScreen)
        await retype(pilot, screen, "subject", "Amy Morgan-Hill")
        await pilot.press("escape")
        await settle(pilot)
    assert latest(store, ids["police"]).author == "Sam Carter"


async def test_clearing_a_field_and_ticks_without_colour(seeded):
    store, ids = seeded
    async with ReviewApp(store).run_test(size=SIZE) as pilot:
        screen = await open_record(pilot, ids["police"])
        form = screen.query_one(RecordForm)
        form.widget_for("counterpart.role").focus()
        await pilot.press("ctrl+u")
        assert form.read("counterpart.role") is None
        reasons = form.widget_for("consent.reasons")
        assert isinstance(reasons, SelectionList)
        reasons.focus()
        await pilot.press("down", "down")
        await pilot.pause()
        lines = [reasons.render_line(y).text for y in range(3)]
        assert lines[0].startswith("  [ ] child protection")
        assert lines[2].startswith("› [x] seeking consent would increase risk")
        await pilot.press("tab")
        reasons.focus()  # back again: the list starts on its first option
        await pilot.pause()
        assert reasons.highlighted == 0


async def test_the_memo_recorded_time_is_shown_and_corrected(seeded):
    store, ids = seeded
    async with ReviewApp(store).run_test(size=(80, 24)) as pilot:
        screen = await open_record(pilot, ids["police"])
        meta = str(screen.query_one("#record-meta").render())
        assert meta.startswith("Recorded Tue 24 Nov 2026 16:05")
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("ctrl+a", "ctrl+k", *keys("24/11/2026 14:30"), "enter")  # typed over, UK order
        await settle(pilot)
        meta = str(screen.query_one("#record-meta").render())
        assert meta == "Recorded Tue 24 Nov 2026 14:30 (typed)"
    memo = store.memo(ids["memo"])
    assert (memo.recorded_at.isoformat(), memo.recorded_at_source) == ("2026-11-24T14:30:00", "typed")


def _one_draft(store: Store, text: str, record) -> int:
    memo_id, _ = store.add_memo("/memos/k.wav", "e" * 64, datetime(2026, 3, 4, 16, 0), 10.0)
    store.claim_memo(memo_id, "test")
    (record_id,) = store.finish_memo(memo_id, timed_transcript(text), [record], worker="test")
    return record_id


async def _count(pilot: Pilot, presses: list[str]) -> int:
    for key in presses:
        await pilot.press(key)
        await settle(pilot)
    return len(presses)


async def test_keystrokes_to_correct_a_field_and_to_set_consent_not_sought(tmp_path: Path):
    """Issue 13's measures, from the inbox: open, correct, see the summary, confirm."""
    text = "At 2:10 I rang Dr Sarah Hughes at Parkside Surgery. Daniel had not consented."
    start = text.index("consented")
    draft = complete_record(
        subject="safety",  # flagged: not a name
        **{"consent.status": "obtained", "consent.given_by": "Daniel", "consent.reasons": ()},
    )  # the consent is contradicted by "had not consented"
    draft = replace(draft, evidence={"consent.status": Evidence(start, start + len("consented"), 0.9)})
    store = Store.open(f"sqlite:///{tmp_path / 'keys.db'}")
    record_id = _one_draft(store, text, draft)
    async with ReviewApp(store).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # 1. Correct one text field: the cursor starts on it (the first flagged), typing replaces it.
        keys_subject = await _count(pilot, ["enter", *keys("Noah Evans")])
        # 2. Consent to "not sought" with one reason: ctrl+s jumps to the flagged consent.
        keys_consent = await _count(
            pilot, ["ctrl+s", "enter", "down", "down", "enter", "tab", "tab", "space"]
        )
        keys_confirm = await _count(pilot, ["ctrl+s", "enter"])
    revision = store.history(record_id)[-1]
    store.close()
    assert revision.change == "confirm" and revision.record.subject == "Noah Evans"
    assert revision.record.consent.status == "not_sought"
    assert revision.record.consent.reasons == ("child_protection",)
    assert (keys_subject, keys_consent, keys_confirm) == (
        11,
        8,
        2,
    )  # 13 to correct and confirm; 10 for consent
