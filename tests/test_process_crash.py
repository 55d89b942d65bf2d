"""A single `process` run killed, locked out or out of disk never leaves its memo stuck."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from speakcase.models.store import Store
from speakcase.pipelines.claims import worker_name
from speakcase.pipelines.process import process_file

FIXTURE_AUDIO = Path(__file__).parent / "fixtures" / "audio"


def speakcase(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "speakcase", *args], capture_output=True, text=True, timeout=600, **kwargs
    )


def memo_statuses(db_url: str) -> dict[int, dict]:
    result = speakcase("memos", "--json", "--db", db_url)
    assert result.returncode == 0, result.stderr
    return {m["id"]: m for m in json.loads(result.stdout)}


@pytest.mark.slow
def test_a_killed_process_leaves_a_claim_the_next_run_takes_back_at_once(tmp_path, db_url):
    audio = tmp_path / "memo.ogg"
    shutil.copy(FIXTURE_AUDIO / "memo_police.ogg", audio)
    run = subprocess.Popen(
        [sys.executable, "-m", "speakcase", "process", str(audio), "--db", db_url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    store = Store.open(db_url)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any(m.status == "processing" for m in store.memos()):
        time.sleep(0.05)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    (memo,) = store.memos()
    assert memo.status == "processing"
    assert store.claims()[0][1] == worker_name(run.pid)  # the claim names the dead process
    store.close()
    killed_at = time.monotonic()
    again = speakcase("process", str(audio), "--db", db_url)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"memo {memo.id}\tdone")
    assert time.monotonic() - killed_at < 60  # no 30-minute wait: taken back as soon as it was seen
    assert memo_statuses(db_url)[memo.id]["status"] == "done"


@pytest.mark.slow
def test_a_live_claim_is_busy_and_exits_non_zero(tmp_path, db_url):
    audio = tmp_path / "memo.ogg"
    shutil.copy(FIXTURE_AUDIO / "memo_police.ogg", audio)
    from speakcase.pipelines.audio import sha256_file

    store = Store.open(db_url)
    memo_id, _ = store.add_memo(str(audio), sha256_file(audio))
    assert store.claim_memo(memo_id, worker_name())  # this test process: alive
    store.close()
    result = speakcase("process", str(audio), "--db", db_url)
    assert result.returncode == 1
    assert f"Memo {memo_id} is being processed by another run" in result.stderr


class _LockedAtFinish:
    """The real extractor, after which another connection holds the database's write lock a while."""

    def __init__(self, extractor, db_path: Path, hold: float) -> None:
        self.extractor, self.db_path, self.hold = extractor, db_path, hold

    def extract(self, text, recorded_at):
        records = self.extractor.extract(text, recorded_at)
        raw = sqlite3.connect(self.db_path, isolation_level=None, check_same_thread=False)
        raw.execute("BEGIN EXCLUSIVE")

        def release() -> None:
            raw.execute("ROLLBACK")
            raw.close()

        threading.Timer(self.hold, release).start()
        return records


@pytest.mark.slow
def test_a_lock_held_past_the_busy_timeout_ends_failed_with_the_reason(
    tmp_path, db_url, transcriber, extractor, monkeypatch
):
    from speakcase.models import db

    monkeypatch.setattr(db, "BUSY_TIMEOUT_S", 0.5)
    store = Store.open(db_url)
    locked = _LockedAtFinish(extractor, tmp_path / "speakcase.db", hold=1.2)
    result = process_file(store, FIXTURE_AUDIO / "memo_police.ogg", transcriber, locked)
    assert result.outcome == "failed" and "locked" in (result.error or "")
    memo = store.memo(result.memo_id)
    assert memo.status == "failed" and "locked" in (memo.error or "")  # failed with a reason, not stuck
    again = process_file(store, FIXTURE_AUDIO / "memo_police.ogg", transcriber, extractor, retry_failed=True)
    assert again.outcome == "done" and again.record_ids
    store.close()


def _limit_file_size(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.slow
def test_a_full_disk_leaves_every_memo_failed_or_queued_and_the_next_run_finishes_them(tmp_path, db_url):
    """RLIMIT_FSIZE stands in for a full disk (a tmpfs needs a mount this test may not have)."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("memo_police.ogg", "memo_health.ogg"):
        shutil.copy(FIXTURE_AUDIO / name, folder / name)
    # Room for the write-ahead log's first commits (registering, claiming) but not for a transcript:
    # at least the 32 KiB shared-memory index, which SQLite sizes with ftruncate.
    limit = 48 * 1024
    full = subprocess.run(
        [sys.executable, "-m", "speakcase", "process", *map(str, sorted(folder.iterdir())), "--db", db_url],
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=_limit_file_size(limit),
    )
    assert full.returncode == 1, full.stdout + full.stderr
    assert "Traceback" not in full.stderr
    statuses = memo_statuses(db_url)
    assert statuses, "nothing was registered: the limit left no room at all"
    for memo in statuses.values():
        assert memo["status"] in ("queued", "failed", "processing"), memo
    again = speakcase("process", *map(str, sorted(folder.iterdir())), "--db", db_url)
    assert again.returncode == 0, again.stdout + again.stderr
    assert {m["status"] for m in memo_statuses(db_url).values()} == {"done"}
