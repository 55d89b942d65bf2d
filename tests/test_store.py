"""The store on a real SQLite file: memos, append-only revisions, triggers, audit chain."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest
from sqlalchemy import select

from speakcase.errors import StoreError
from speakcase.models.orm import ImmutableRowError, RevisionRow
from tests.factories import SHA, complete_record, stored_record, transcript


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, db_url):
    """The same store tests on SQLite and on PostgreSQL."""
    from speakcase.models.store import Store

    url = db_url if request.param == "sqlite" else request.getfixturevalue("pg_url")
    s = Store.open(url)
    yield s
    s.close()


@pytest.fixture
def sqlite_store(db_url):
    from speakcase.models.store import Store

    s = Store.open(db_url)
    yield s
    s.close()


def test_same_content_under_two_names_is_one_memo_with_both_paths(store):
    first, created = store.add_memo("/memos/a.wav", SHA)
    second, created_again = store.add_memo("/other/copy.wav", SHA)
    assert first == second and created and not created_again
    assert store.memo(first).paths == ("/memos/a.wav", "/other/copy.wav")


def test_finish_stores_transcript_words_and_draft_records(store):
    record_id = stored_record(store)
    info = store.record(record_id)
    assert info.status == "draft" and info.revision == 1
    assert info.record.counterpart.name == "Priya Shah"
    kept = store.transcript(info.memo_id)
    assert kept.segments[0].words[1].word == " spoke" and kept.model == "tiny.en"
    memo = store.memo(info.memo_id)
    assert memo.status == "done" and memo.record_ids == (record_id,)


def test_a_processed_memo_cannot_be_claimed_or_finished_twice(store):
    record_id = stored_record(store)
    memo_id = store.record(record_id).memo_id
    assert not store.claim_memo(memo_id, "other")
    with pytest.raises(StoreError, match="already processed"):
        store.finish_memo(memo_id, transcript(), [complete_record()])
    assert len(store.records()) == 1


def test_edits_confirm_and_amend_append_revisions(store):
    record_id = stored_record(store)
    edited = complete_record(**{"counterpart.name": "Priya Shaw"})
    assert store.save_draft(record_id, edited, "Sam Jones") == 2
    assert store.save_draft(record_id, edited, "Sam Jones") == 2  # no change, no new revision
    assert store.confirm(record_id, edited, "Sam Jones") == 3
    with pytest.raises(StoreError, match="amend"):
        store.save_draft(record_id, complete_record(), "Sam Jones")
    amended = edited.with_field("reason", "to plan a joint section 47 enquiry")
    assert store.amend(record_id, amended, "Sam Jones", "correction: the reason was misheard") == 4
    history = store.history(record_id)
    assert [(r.change, r.status) for r in history] == [
        ("extracted", "draft"),
        ("edit", "draft"),
        ("confirm", "confirmed"),
        ("amend", "confirmed"),
    ]
    assert history[2].name == "Sam Jones" and history[2].record.counterpart.name == "Priya Shaw"
    assert history[3].reason == "correction: the reason was misheard"


def test_confirm_is_refused_while_the_reason_is_missing(store):
    record_id = stored_record(store)
    with pytest.raises(StoreError, match="Why: the reason"):
        store.confirm(record_id, complete_record(reason=None), "Sam Jones")
    assert store.record(record_id).status == "draft"


def test_amend_needs_a_reason(store):
    record_id = stored_record(store)
    store.confirm(record_id, complete_record(), "Sam Jones")
    with pytest.raises(StoreError, match="needs a reason"):
        store.amend(record_id, complete_record(), "Sam Jones", "  ")


def test_discard_keeps_the_record_in_history(store):
    record_id = stored_record(store)
    store.discard(record_id, "Sam Jones", "duplicate of another record")
    assert store.record(record_id).status == "discarded"
    assert [r.change for r in store.history(record_id)] == ["extracted", "discard"]


def test_orm_refuses_to_update_or_delete_a_confirmed_revision(store):
    record_id = stored_record(store)
    store.confirm(record_id, complete_record(), "Sam Jones")
    with store.db.write() as session, pytest.raises(ImmutableRowError):
        with session.begin():
            row = session.scalars(select(RevisionRow).where(RevisionRow.status == "confirmed")).one()
            row.author = "someone else"
    with store.db.write() as session, pytest.raises(ImmutableRowError):
        with session.begin():
            session.delete(
                session.scalars(select(RevisionRow).where(RevisionRow.status == "confirmed")).one()
            )
    assert store.history(record_id)[-1].name == "Sam Jones"


def test_database_trigger_refuses_to_update_a_confirmed_revision(sqlite_store, tmp_path):
    record_id = stored_record(sqlite_store)
    sqlite_store.confirm(record_id, complete_record(), "Sam Jones")
    raw = sqlite3.connect(tmp_path / "speakcase.db")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute("UPDATE record_revision SET author = 'x' WHERE status = 'confirmed'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute("DELETE FROM record_revision")
    raw.close()
    assert sqlite_store.history(record_id)[-1].author == "Sam Jones"


def test_audit_chain_verifies_and_detects_a_tampered_row(sqlite_store, tmp_path):
    stored_record(sqlite_store)
    report = sqlite_store.verify_audit()
    assert report.ok and report.events >= 3
    raw = sqlite3.connect(tmp_path / "speakcase.db")
    raw.execute("DROP TRIGGER audit_event_no_update")  # what someone with the file could do
    raw.execute("UPDATE audit_event SET actor = 'mallory' WHERE seq = 2")
    raw.commit()
    raw.close()
    report = sqlite_store.verify_audit()
    assert not report.ok and report.first_bad_seq == 2


def test_sqlite_files_are_owner_only_and_in_wal_mode(sqlite_store, tmp_path):
    stored_record(sqlite_store)
    for name in os.listdir(tmp_path):
        if name.startswith("speakcase.db"):
            assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o600, name
    raw = sqlite3.connect(tmp_path / "speakcase.db")
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()


def test_search_finds_records_by_counterpart_and_subject(store):
    record_id = stored_record(store)
    assert [r.id for r in store.records(search="northshire leo")] == [record_id]
    assert store.records(search="nobody-like-this") == []


def test_stale_claims_are_taken_back(store):
    from datetime import timedelta

    memo_id, _ = store.add_memo("/memos/b.wav", "b" * 64)
    assert store.claim_memo(memo_id, "dead-worker")
    assert not store.claim_memo(memo_id, "new-worker")
    assert store.requeue_stale(timedelta(seconds=0)) == 1
    assert store.claim_memo(memo_id, "new-worker")
