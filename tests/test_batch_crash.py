"""Batch under stress: killed mid-run, a reviewer writing at the same time, watching, stopping."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from speakcase.models.store import Store
from tests.factories import (
    FIXTURE_AUDIO,
    SPEAKCASE,
    complete_record,
    distinct_memos,
    memos_by_sha,
    run_batch,
    sha,
    transcript,
)

pytestmark = pytest.mark.slow


def start_batch(*args: str) -> subprocess.Popen[str]:
    """`speakcase batch ...` in its own process group, as a terminal would run it."""
    return subprocess.Popen(
        [SPEAKCASE, "batch", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def wait_for(
    condition: Callable[[], bool], timeout: float = 300, batch: subprocess.Popen[str] | None = None
) -> None:
    """Poll until `condition` holds; on timeout, say what the batch printed if it has ended."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            output = (
                batch.communicate() if batch is not None and batch.poll() is not None else "still running"
            )
            raise AssertionError(f"timed out; batch output: {output}")
        time.sleep(0.1)


def seconds_passed(seconds: float) -> Callable[[], bool]:
    """A condition that holds from `seconds` after it is made."""
    deadline = time.monotonic() + seconds
    return lambda: time.monotonic() >= deadline


def statuses(store: Store) -> list[str]:
    return [m.status for m in store.memos()]


def assert_exactly_once(store: Store, files: list[Path]) -> None:
    """One memo per recording, all done, one transcript each, records numbered once per memo."""
    memos = memos_by_sha(store)
    assert set(memos) == {sha(p) for p in files}
    assert all(m.status == "done" for m in memos.values()), [(m.status, m.error) for m in memos.values()]
    records = store.records()
    assert len(records) == sum(len(m.record_ids) for m in memos.values())
    assert len({(r.memo_id, r.id) for r in records}) == len(records)
    for memo in memos.values():
        assert store.transcript(memo.id) is not None


def test_sigkill_at_any_moment_then_rerun_processes_every_file_once(tmp_path: Path, db_url: str) -> None:
    files = distinct_memos(tmp_path / "in", 5)
    store = Store.open(db_url)
    # Kill the whole process group twice: once while models load, once with memos in hand and done.
    for kill_when in (seconds_passed(1.5), lambda: "done" in statuses(store)):
        batch = start_batch(str(tmp_path / "in"), "--workers", "2", "--db", db_url)
        wait_for(kill_when)
        os.killpg(batch.pid, signal.SIGKILL)
        batch.wait(timeout=10)
    assert "done" in statuses(store) and len(store.memos("done")) < len(files)
    result = run_batch(str(tmp_path / "in"), "--db", db_url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "processing" not in statuses(store)
    assert_exactly_once(store, files)
    store.close()


def test_review_edits_while_batch_writes_are_all_kept(tmp_path: Path, db_url: str) -> None:
    files = distinct_memos(tmp_path / "in", 3)
    store = Store.open(db_url)
    memo_id, _ = store.add_memo("/elsewhere/reviewed.wav", "f" * 64)
    store.claim_memo(memo_id, "test")
    (record_id,) = store.finish_memo(memo_id, transcript(), [complete_record()])
    stop, errors = threading.Event(), []
    saved: list[int] = []

    def review() -> None:
        reviewer = Store.open(db_url)
        try:
            while not stop.is_set():
                n = len(saved) + 1
                saved.append(
                    reviewer.save_draft(record_id, complete_record(information=f"edit {n}"), "reviewer")
                )
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(exc))
        finally:
            reviewer.close()

    editor = threading.Thread(target=review)
    editor.start()
    try:
        result = run_batch(str(tmp_path / "in"), "--workers", "2", "--db", db_url)
    finally:
        stop.set()
        editor.join()
    assert result.returncode == 0, result.stdout + result.stderr
    assert errors == []
    assert "locked" not in result.stderr
    history = store.history(record_id)
    assert len(history) == len(saved) + 1 and len(saved) > 10
    assert history[-1].record.information == f"edit {len(saved)}"
    assert len(store.memos("done")) == len(files) + 1
    store.close()


def test_watch_takes_files_once_they_stop_growing_and_stops_on_sigterm(tmp_path: Path, db_url: str) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    batch = start_batch(str(inbox), "--watch", "--workers", "1", "--db", db_url)
    store = Store.open(db_url)
    data = (FIXTURE_AUDIO / "memo_police.wav").read_bytes()
    arriving = inbox / "sub" / "arriving.wav"
    arriving.parent.mkdir()
    with arriving.open("wb") as fh:  # a slow copy: the first half, a pause, the rest
        fh.write(data[: len(data) // 2])
        fh.flush()
        time.sleep(3)
        fh.write(data[len(data) // 2 :])
    wait_for(lambda: statuses(store) == ["done"], timeout=300)
    assert [m.sha256 for m in store.memos()] == [sha(arriving)]  # never the half-written file
    batch.send_signal(signal.SIGTERM)
    out, err = batch.communicate(timeout=120)
    assert batch.returncode == 0, out + err
    assert "Done: 1 memo(s)" in out
    store.close()


def test_ctrl_c_releases_the_memo_in_hand(tmp_path: Path, db_url: str) -> None:
    files = distinct_memos(tmp_path / "in", 3)
    store = Store.open(db_url)
    batch = start_batch(str(tmp_path / "in"), "--workers", "1", "--db", db_url)
    wait_for(lambda: "processing" in statuses(store), batch=batch)
    os.killpg(batch.pid, signal.SIGINT)  # what Ctrl-C does in a terminal
    out, err = batch.communicate(timeout=120)
    assert batch.returncode == 130, out + err
    assert "processing" not in statuses(store)
    assert "left queued" in out
    result = run_batch(str(tmp_path / "in"), "--db", db_url)
    assert result.returncode == 0
    assert_exactly_once(store, files)
    store.close()


def test_a_worker_dying_fails_only_its_memo(tmp_path: Path, db_url: str) -> None:
    files = distinct_memos(tmp_path / "in", 2)
    store = Store.open(db_url)
    batch = start_batch(str(tmp_path / "in"), "--workers", "1", "--db", db_url)
    claims: list[tuple] = []

    def claimed() -> bool:
        claims.extend(store.claims())
        return bool(claims)

    wait_for(claimed)
    claimed_by = claims[0][1]
    os.kill(int(claimed_by.rpartition(":")[2]), signal.SIGKILL)  # as the out-of-memory killer would
    out, err = batch.communicate(timeout=300)
    assert batch.returncode == 1, out + err
    memos = memos_by_sha(store)
    assert sorted(m.status for m in memos.values()) == ["done", "failed"]
    (failed,) = store.memos("failed")
    assert "stopped unexpectedly" in (failed.error or "") and failed.paths[0] in {str(p) for p in files}
    store.close()
