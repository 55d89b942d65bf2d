"""A memo end to end on the real model, extractor and database: the path every front end shares."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import datetime

import pytest

from speakcase.pipelines.process import NO_SPEECH_NOTE, process_file


def test_process_stores_transcript_and_draft_record(store, transcriber, extractor, audio_fixture, tmp_path):
    memo = tmp_path / "memo.ogg"
    shutil.copy(audio_fixture("memo_police.ogg"), memo)
    result = process_file(store, memo, transcriber, extractor, recorded_at=datetime(2026, 11, 2, 15, 20))
    assert result.outcome == "done" and result.record_ids
    transcript = store.transcript(result.memo_id)
    assert "police" in transcript.text.lower()
    assert all(w.probability > 0 for s in transcript.segments for w in s.words)
    info = store.record(result.record_ids[0])
    assert info.status == "draft"
    assert info.record.kind == "shared"
    assert info.record.counterpart.agency == "police"
    assert info.record.occurred_at == "2026-11-02T10:20"
    assert "Children Act 1989 s47" in info.record.legislation
    assert store.memo(result.memo_id).recorded_at == datetime(2026, 11, 2, 15, 20)
    assert store.memo(result.memo_id).recorded_at_source == "given"
    again = process_file(store, memo, transcriber, extractor)
    assert again.outcome == "skipped" and again.record_ids == result.record_ids
    assert len(store.records()) == len(result.record_ids)


def test_silence_is_done_with_no_record(store, transcriber, extractor, audio_fixture):
    result = process_file(store, audio_fixture("silence.wav"), transcriber, extractor)
    assert result.outcome == "done" and result.record_ids == ()
    assert store.memo(result.memo_id).note == NO_SPEECH_NOTE


def test_truncated_file_fails_with_a_reason_and_can_be_retried(store, transcriber, extractor, audio_fixture):
    result = process_file(store, audio_fixture("truncated.ogg"), transcriber, extractor)
    assert result.outcome == "failed" and (result.error or "").endswith(".")
    memo = store.memo(result.memo_id)
    assert memo.status == "failed" and memo.error == result.error
    assert store.requeue([memo.id]) == [memo.id]
    assert store.memo(memo.id).status == "queued"


@pytest.mark.slow
def test_cli_process_then_records_json(tmp_path, db_url, audio_fixture):
    run = [sys.executable, "-m", "speakcase"]
    out = subprocess.run(
        [
            *run,
            "process",
            str(audio_fixture("memo_health.ogg")),
            "--recorded-at",
            "2026-11-05T09:00",
            "--db",
            db_url,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("memo 1\tdone")
    import json

    listed = json.loads(
        subprocess.run(
            [*run, "records", "--json", "--db", db_url], capture_output=True, text=True, check=True
        ).stdout
    )
    assert listed and listed[0]["status"] == "draft" and listed[0]["memo_id"] == 1
    assert listed[0]["counterpart"]["agency"] == "health"
    assert listed[0]["occurred_at"].startswith("2026-11-04")
    memos = json.loads(
        subprocess.run(
            [*run, "memos", "--json", "--db", db_url], capture_output=True, text=True, check=True
        ).stdout
    )
    assert memos[0]["status"] == "done" and memos[0]["record_ids"] == [listed[0]["id"]]
