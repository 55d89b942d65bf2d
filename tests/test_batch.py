"""Batch processing: discovery, watching, claims, and a folder of good and broken memos end to end."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from speakcase.models.store import Store
from speakcase.pipelines.batch import move_done_file, take_back_stale_claims, worker_name
from speakcase.pipelines.watch import FolderScan, find_audio
from tests.factories import FIXTURE_AUDIO, SPEAKCASE, memos_by_sha, run_batch, sha


# Discovery and watching -------------------------------------------------------------------------
def test_find_audio_recursive_by_extension_skips_hidden_and_excluded(tmp_path: Path) -> None:
    for name in (
        "a.WAV",
        "sub/b.m4a",
        "sub/deep/c.opus",
        "notes.txt",
        "._d.m4a",
        ".hidden/e.mp3",
        "done/f.ogg",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    found = [p.relative_to(tmp_path).as_posix() for p in find_audio(tmp_path, exclude=tmp_path / "done")]
    assert found == ["a.WAV", "sub/b.m4a", "sub/deep/c.opus"]


def test_watch_hands_out_a_file_only_once_it_stops_growing(tmp_path: Path) -> None:
    scan = FolderScan(tmp_path, watch=True, quiet_seconds=0)
    memo = tmp_path / "memo.wav"
    memo.write_bytes(b"a" * 10)
    assert scan.poll() == []  # first sight
    with memo.open("ab") as fh:
        fh.write(b"b" * 10)
    assert scan.poll() == []  # still growing
    assert scan.poll() == [memo.resolve()]  # unchanged over two polls
    assert scan.poll() == []  # handed out once
    assert not scan.exhausted


def test_watch_waits_until_a_file_has_been_quiet_long_enough(tmp_path: Path) -> None:
    """A copy that stalls (unchanged over two polls, but only just written) is not taken half-written."""
    scan = FolderScan(tmp_path, watch=True, quiet_seconds=60)
    memo = tmp_path / "memo.wav"
    memo.write_bytes(b"a" * 10)
    assert scan.poll() == []
    assert scan.poll() == []  # unchanged, but written moments ago
    old = time.time() - 120
    os.utime(memo, (old, old))
    assert scan.poll() == []  # its signature changed with the new time: seen once more
    assert scan.poll() == [memo.resolve()]


def test_move_done_file_keeps_relative_path_and_never_overwrites(tmp_path: Path) -> None:
    root, target = tmp_path / "in", tmp_path / "done"
    (root / "sub").mkdir(parents=True)
    (target / "sub").mkdir(parents=True)
    (target / "sub" / "m.wav").write_bytes(b"already there")
    (root / "sub" / "m.wav").write_bytes(b"new")
    moved = move_done_file(root / "sub" / "m.wav", root, target)
    assert moved == target / "sub" / "m (2).wav"
    assert moved.read_bytes() == b"new"
    assert (target / "sub" / "m.wav").read_bytes() == b"already there"
    assert not (root / "sub" / "m.wav").exists()


def _dead_pid() -> int:
    process = multiprocessing.get_context("spawn").Process(target=time.sleep, args=(0,))
    process.start()
    process.join()
    assert process.pid is not None
    return process.pid


def test_stale_claims_are_taken_back_only_from_dead_workers(store: Store) -> None:
    ids = [store.add_memo(f"/m/{i}.wav", f"{i:064d}")[0] for i in range(4)]
    store.claim_memo(ids[0], worker_name(_dead_pid()))
    store.claim_memo(ids[1], worker_name())  # this live process
    store.claim_memo(ids[2], "another-host:1")  # cannot be checked: only the age rule applies
    store.claim_memo(ids[3], worker_name())
    _backdate_claim(store, ids[3], datetime.now(UTC) - timedelta(days=3650))  # this pid's earlier owner
    assert take_back_stale_claims(store) == 2
    assert [store.memo(i).status for i in ids] == ["queued", "processing", "processing", "queued"]
    assert take_back_stale_claims(store, stale_after=timedelta(0)) == 2


def _backdate_claim(store: Store, memo_id: int, when: datetime) -> None:
    from sqlalchemy import update

    from speakcase.models.orm import Memo

    with store.db.write() as session, session.begin():
        session.execute(update(Memo).where(Memo.id == memo_id).values(claimed_at=when))


# A folder of good and broken memos, end to end with the real models ---------------------------
@pytest.fixture(scope="module")
def fault_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Good memos, a corrupt, an empty, a truncated and a silent one, text named .mp3, a duplicate."""
    folder = tmp_path_factory.mktemp("fault") / "memos"
    (folder / "sub").mkdir(parents=True)
    for name in ("memo_police.ogg", "memo_health.ogg", "corrupt.flac", "empty.wav", "not_audio.mp3",
                 "silence.wav", "truncated.wav"):  # fmt: skip
        shutil.copy2(FIXTURE_AUDIO / name, folder / name)
    shutil.copy2(FIXTURE_AUDIO / "memo_police.ogg", folder / "sub" / "same_recording.ogg")
    (folder / "notes.txt").write_text("not a memo")
    return folder


@pytest.mark.slow
def test_fault_folder_isolates_failures_and_runs_once(
    fault_folder: Path, db_url: str, tmp_path: Path
) -> None:
    before = {p: (sha(p), p.stat().st_mtime_ns) for p in fault_folder.rglob("*") if p.is_file()}
    first = run_batch(str(fault_folder), "--workers", "2", "--db", db_url)
    assert first.returncode == 1, first.stderr
    assert "database is locked" not in first.stderr
    assert {p: (sha(p), p.stat().st_mtime_ns) for p in before} == before  # originals untouched
    store = Store.open(db_url)
    memos = memos_by_sha(store)
    by_name = {Path(p).name: m for m in memos.values() for p in m.paths}
    assert len(memos) == 7
    failed = {n: m.error for n, m in by_name.items() if m.status == "failed"}
    assert set(failed) == {
        "corrupt.flac", "empty.wav", "not_audio.mp3", "truncated.wav"
    }, failed  # fmt: skip
    assert "empty" in (by_name["empty.wav"].error or "")
    assert "not an audio file" in (by_name["not_audio.mp3"].error or "")
    assert by_name["memo_police.ogg"] is by_name["same_recording.ogg"]
    assert len(by_name["memo_police.ogg"].paths) == 2
    assert by_name["memo_police.ogg"].record_ids and by_name["memo_health.ogg"].record_ids
    silent = by_name["silence.wav"]
    assert silent.status == "done" and silent.record_ids == () and "No speech" in (silent.note or "")
    assert "Failed: 4" in first.stdout and "1 with no speech" in first.stdout
    police = by_name["memo_police.ogg"].id
    assert f"memo {police}: a second copy of a recording already stored" in first.stdout  # named by id
    counts = (len(store.memos()), store.count_records())

    moved = tmp_path / "done"
    second = run_batch(str(fault_folder), "--db", db_url, "--move-done", str(moved))
    assert second.returncode == 1  # the four failed memos are still failed
    assert "Done: 0 memo(s)" in second.stdout and "speakcase retry" in second.stdout
    assert (len(store.memos()), store.count_records()) == counts
    assert all(m.attempts == 1 for m in store.memos())
    assert sorted(p.relative_to(moved).as_posix() for p in moved.rglob("*.*")) == [
        "memo_health.ogg", "memo_police.ogg", "silence.wav", "sub/same_recording.ogg"
    ]  # fmt: skip
    assert (fault_folder / "corrupt.flac").exists()  # failed files stay where they were
    assert str(moved / "memo_health.ogg") in memos_by_sha(store)[sha(moved / "memo_health.ogg")].paths
    store.close()


@pytest.mark.slow
def test_over_long_memo_fails_with_reason_then_retry_processes_it(tmp_path: Path, db_url: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy2(FIXTURE_AUDIO / "memo_police.mp3", folder / "long.mp3")
    result = run_batch(str(folder), "--max-duration", "0.1", "--workers", "1", "--db", db_url)
    assert result.returncode == 1
    store = Store.open(db_url)
    (failed,) = store.memos("failed")
    assert "longer than the limit" in (failed.error or "")
    retried = subprocess.run(
        [SPEAKCASE, "retry", "--db", db_url], capture_output=True, text=True, timeout=600
    )
    assert retried.returncode == 0, retried.stdout + retried.stderr
    (memo,) = store.memos()
    assert memo.status == "done" and memo.record_ids and memo.attempts == 2
    again = subprocess.run([SPEAKCASE, "retry", str(memo.id), "--db", db_url], capture_output=True, text=True)
    assert again.returncode == 1 and "not a failed memo" in again.stderr
    store.close()
