"""Every tampering of the history someone with the database file could try is refused or caught."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from speakcase.models import audit
from speakcase.models.store import Store
from tests.factories import complete_record, transcript

# The append-only triggers an attacker with the file would drop first.
TRIGGERS = "SELECT name FROM sqlite_master WHERE type = 'trigger'"


def _history(store: Store) -> list[int]:
    """Three memos, four records: confirmed, amended, a draft edited, a draft left."""
    ids = []
    for n in range(3):
        memo_id, _ = store.add_memo(f"/memos/{n}.wav", f"{n}" * 64)
        assert store.claim_memo(memo_id, "test")
        records = [complete_record(subject=f"Child {n}")] + ([complete_record()] if n == 0 else [])
        ids += store.finish_memo(memo_id, transcript(f"Memo {n} spoken."), records)
    store.confirm(ids[0], complete_record(), "Sam Jones")
    store.amend(ids[0], complete_record(reason="to keep Leo safe from harm"), "Sam Jones", "correction")
    store.confirm(ids[1], complete_record(), "Sam Jones")
    store.save_draft(ids[2], complete_record(information="an edited account"), "Sam Jones")
    return ids


@pytest.fixture
def tampered(tmp_path):
    """A store with history, and a raw connection to its file as an attacker would hold."""
    path = tmp_path / "speakcase.db"
    store = Store.open(f"sqlite:///{path}")
    _history(store)
    assert store.verify_audit().ok
    raw = sqlite3.connect(path, isolation_level=None)
    yield store, raw, path
    raw.close()
    store.close()


def _drop_triggers(raw: sqlite3.Connection) -> None:
    for (name,) in raw.execute(TRIGGERS).fetchall():
        raw.execute(f"DROP TRIGGER {name}")


def _rechain(raw: sqlite3.Connection, start: int = 1, key: bytes | None = None) -> None:
    """Recompute every hash from `start` on, as someone who knows the algorithm but not the key."""
    rows = raw.execute(
        "SELECT seq, at, actor, action, entity, entity_id, details FROM audit_event WHERE seq >= ? ORDER BY seq",
        (start,),
    ).fetchall()
    prev = raw.execute("SELECT hash FROM audit_event WHERE seq = ?", (start - 1,)).fetchone()
    prev_hash = prev[0] if prev else audit.GENESIS
    import json
    from datetime import datetime

    for seq, at, actor, action, entity, entity_id, details in rows:
        digest = audit.event_digest(
            seq, datetime.fromisoformat(at), actor, action, entity, entity_id, json.loads(details), prev_hash
        )
        mac = audit.seal(key, digest) if key else None
        raw.execute(
            "UPDATE audit_event SET prev_hash = ?, hash = ?, mac = ? WHERE seq = ?",
            (prev_hash, digest, mac, seq),
        )
        prev_hash = digest


def _rewrite_revision_and_its_event(raw: sqlite3.Connection, key: bytes | None) -> None:
    """Change a confirmed revision and the content hash its event holds, then rebuild the chain."""
    raw.execute(
        "UPDATE record_revision SET fields = json_set(fields, '$.information', 'Nothing of concern was shared.'),"
        " author = 'Someone Else' WHERE record_id = 1 AND number = 2"
    )
    row = raw.execute(
        "SELECT record_id, number, status, change, fields, author, reason, created_at FROM record_revision"
        " WHERE record_id = 1 AND number = 2"
    ).fetchone()
    import json
    from datetime import datetime
    from types import SimpleNamespace

    rev = SimpleNamespace(
        **dict(
            zip(
                ("record_id", "number", "status", "change", "fields", "author", "reason"),
                row[:7],
                strict=True,
            )
        ),
        created_at=datetime.fromisoformat(row[7]),
    )
    rev.fields = json.loads(rev.fields)
    content = audit.content_digest(audit.revision_content(rev))
    seq = raw.execute(
        "SELECT seq FROM audit_event WHERE entity = 'record' AND entity_id = 1"
        " AND json_extract(details, '$.revision') = 2"
    ).fetchone()[0]
    raw.execute(
        "UPDATE audit_event SET details = json_set(details, '$.content', ?) WHERE seq = ?", (content, seq)
    )
    _rechain(raw, seq, key)


REPLACE_REVISION = (
    "INSERT OR REPLACE INTO record_revision (id, record_id, number, status, change, fields, author, reason, created_at)"
    " SELECT id, record_id, number, status, change,"
    " json_set(fields, '$.information', 'Nothing of concern was shared.'), 'Someone Else', reason, created_at"
    " FROM record_revision WHERE record_id = 1 AND number = 2"
)
UPSERT_REVISION = (
    "INSERT INTO record_revision (id, record_id, number, status, change, fields, author, reason, created_at)"
    " SELECT id, record_id, number, status, change, fields, author, reason, created_at FROM record_revision"
    " WHERE record_id = 1 AND number = 2 AND 1"
    " ON CONFLICT(id) DO UPDATE SET author = 'Someone Else'"
)

# Writes the database itself must refuse, with every trigger in place.
REFUSED = {
    "replace a confirmed revision (INSERT OR REPLACE)": REPLACE_REVISION,
    "upsert a confirmed revision (ON CONFLICT DO UPDATE)": UPSERT_REVISION,
    "update a confirmed revision": "UPDATE record_revision SET author = 'Someone Else' WHERE status = 'confirmed'",
    "delete a confirmed revision": "DELETE FROM record_revision WHERE status = 'confirmed'",
    "replace an audit event": "INSERT OR REPLACE INTO audit_event SELECT * FROM audit_event WHERE seq = 3",
    "update an audit event": "UPDATE audit_event SET actor = 'mallory' WHERE seq = 2",
    "delete the last audit event": "DELETE FROM audit_event WHERE seq = (SELECT max(seq) FROM audit_event)",
    "replace a transcript": "INSERT OR REPLACE INTO transcript SELECT * FROM transcript WHERE memo_id = 1",
    "update a transcript": "UPDATE transcript SET text = 'Nothing was said.'",
    "delete a transcript": "DELETE FROM transcript",
}


@pytest.mark.parametrize("sql", list(REFUSED.values()), ids=list(REFUSED))
def test_the_database_refuses_to_rewrite_history(tampered, sql):
    store, raw, _ = tampered
    before = raw.execute("SELECT count(*), group_concat(author) FROM record_revision").fetchone()
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute(sql)
    assert raw.execute("SELECT count(*), group_concat(author) FROM record_revision").fetchone() == before
    assert store.verify_audit().ok


def _sql(*statements: str):
    def run(raw, path, store):
        _drop_triggers(raw)
        for statement in statements:
            raw.execute(statement)

    return run


def _rechained_without_key(raw, path, store):
    _drop_triggers(raw)
    _rewrite_revision_and_its_event(raw, key=None)


def _rechained_with_a_new_key(raw, path, store):
    _drop_triggers(raw)
    _rewrite_revision_and_its_event(raw, key=b"k" * 32)


def _older_copy_restored(raw, path, store):
    old = sqlite3.connect(path.with_suffix(".old"))
    raw.backup(old)
    old.close()
    store.confirm(3, complete_record(), "Sam Jones")
    store.close()
    raw.close()
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    shutil.copy(path.with_suffix(".old"), path)


# With the triggers dropped (anyone holding the file can), what `audit verify` must catch, and the
# sentence that names what was broken.
CAUGHT = {
    "REPLACE a revision's information and author": (_sql(REPLACE_REVISION), "Revision 2 of record 1 differs"),
    "UPDATE a revision's fields": (
        _sql("UPDATE record_revision SET fields = json_set(fields, '$.reason', 'none') WHERE id = 1"),
        "Revision 1 of record 1 differs",
    ),
    "UPDATE a revision's created_at": (
        _sql("UPDATE record_revision SET created_at = '2020-01-01 00:00:00.000000' WHERE id = 2"),
        "differs from what the audit chain recorded",
    ),
    "DELETE a revision": (
        _sql("DELETE FROM record_revision WHERE record_id = 1 AND number = 3"),
        "Revision 3 of record 1 is in the audit chain but missing",
    ),
    "INSERT a forged revision": (
        _sql(
            "INSERT INTO record_revision (record_id, number, status, change, fields, author, reason, created_at)"
            " SELECT record_id, 9, status, change, fields, 'Someone Else', reason, created_at"
            " FROM record_revision WHERE id = 1"
        ),
        "Revision 9 of record 1 is not in the audit chain",
    ),
    "UPDATE a record's status (confirmed back to draft)": (
        _sql("UPDATE record SET status = 'draft' WHERE id = 2"),
        "Record 2: its state",
    ),
    "UPDATE a record's indexed subject": (
        _sql("UPDATE record SET subject = 'Someone Else' WHERE id = 4"),
        "Record 4: its indexed columns",
    ),
    "UPDATE a transcript's text": (
        _sql("UPDATE transcript SET text = 'Nothing was said.' WHERE memo_id = 2"),
        "The transcript of memo 2 differs",
    ),
    "DELETE a transcript": (
        _sql("DELETE FROM transcript WHERE memo_id = 3"),
        "The transcript of memo 3 is in the audit chain but missing",
    ),
    "UPDATE an event's actor": (_sql("UPDATE audit_event SET actor = 'mallory' WHERE seq = 2"), "Event 2"),
    "DELETE an event in the middle": (_sql("DELETE FROM audit_event WHERE seq = 5"), "Event 5 is missing"),
    "DELETE the last event": (
        _sql("DELETE FROM audit_event WHERE seq = (SELECT max(seq) FROM audit_event)"),
        "1 event(s) were deleted",
    ),
    "DELETE the last ten events": (
        _sql("DELETE FROM audit_event WHERE seq > (SELECT max(seq) - 10 FROM audit_event)"),
        "10 event(s) were deleted",
    ),
    "DELETE every event": (_sql("DELETE FROM audit_event"), "The chain has 0 events"),
    "strip the seals": (_sql("UPDATE audit_event SET mac = NULL"), "carries no seal"),
    "rewrite a revision and recompute the chain (no key)": (_rechained_without_key, "carries no seal"),
    "rewrite a revision and recompute the chain (another key)": (
        _rechained_with_a_new_key,
        "its seal does not match the audit key",
    ),
    "restore an older copy of the database": (_older_copy_restored, "event(s) were deleted"),
}


@pytest.mark.parametrize("case", list(CAUGHT.values()), ids=list(CAUGHT))
def test_audit_verify_catches_and_names_every_tampering(tampered, case):
    tamper, named = case
    store, raw, path = tampered
    tamper(raw, path, store)
    report = Store.open(f"sqlite:///{path}").verify_audit()
    assert not report.ok
    assert any(named in problem for problem in report.problems), report.problems


def test_without_the_anchor_file_the_exported_head_still_catches_truncation(tampered, tmp_path):
    store, raw, path = tampered
    memo_id, _ = store.add_memo("/memos/late.wav", "f" * 64)  # three events that cover no content
    store.claim_memo(memo_id, "test")
    store.fail_memo(memo_id, "The recording is silent.")
    head = store.audit_head()
    _drop_triggers(raw)
    raw.execute("DELETE FROM audit_event WHERE seq > (SELECT max(seq) - 3 FROM audit_event)")
    from speakcase.models.anchor import anchor_path

    anchor_path().unlink()  # the attacker removes the anchor too, or the file went to another machine
    copy = Store.open(f"sqlite:///{path}")
    assert copy.verify_audit().ok  # nothing else to compare with ...
    report = copy.verify_audit(expect=head)
    assert not report.ok and "3 event(s) were deleted" in (report.problem or "")
    assert copy.verify_audit(expect=head[:20]).ok is False


def test_an_intact_history_verifies_with_its_head(tampered):
    store, _, _ = tampered
    head = store.audit_head()
    report = store.verify_audit(expect=head)
    assert report.ok and report.keyed, report.problems
    assert report.head == head and report.revisions == 8 and report.transcripts == 3


def test_a_database_from_before_the_seals_is_sealed_by_the_migration(tmp_path):
    """A 0001 database: its events and content enter the sealed chain when it is upgraded."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from speakcase.models.db import upgrade

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        from importlib import resources

        cfg = Config()
        cfg.set_main_option("script_location", str(resources.files("speakcase.models") / "migrations"))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.exec_driver_sql(
            "INSERT INTO record (id, memo_id, seq, status, origin, kind, search_text, revision_count,"
            " created_at, updated_at) VALUES (1, NULL, 1, 'draft', 'manual', 'shared', 'shared', 1,"
            " '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
        )
        conn.exec_driver_sql(
            "INSERT INTO record_revision (record_id, number, status, change, fields, author, created_at)"
            " VALUES (1, 1, 'draft', 'manual', '{\"kind\": \"shared\"}', 'Sam', '2026-01-01 00:00:00')"
        )
    upgrade(engine)
    engine.dispose()
    report = Store.open(url).verify_audit()
    assert report.events == 2 and report.revisions == 1 and report.ok, report.problems
    assert not any("not in the audit chain" in p for p in report.problems), report.problems


@pytest.mark.postgres
def test_postgresql_refuses_to_rewrite_history(pg_url):
    from sqlalchemy import create_engine, exc

    store = Store.open(pg_url)
    _history(store)
    store.close()
    engine = create_engine(pg_url)
    statements = [
        "UPDATE record_revision SET author = 'Someone Else' WHERE status = 'confirmed'",
        "DELETE FROM record_revision",
        "INSERT INTO record_revision SELECT * FROM record_revision WHERE id = 2"
        " ON CONFLICT (id) DO UPDATE SET author = 'Someone Else'",
        "TRUNCATE record_revision CASCADE",
        "UPDATE audit_event SET actor = 'mallory'",
        "DELETE FROM audit_event",
        "TRUNCATE audit_event",
        "UPDATE transcript SET text = 'Nothing was said.'",
        "TRUNCATE transcript CASCADE",
    ]
    for statement in statements:
        with pytest.raises(exc.DBAPIError, match="append-only"), engine.begin() as conn:
            conn.exec_driver_sql(statement)
    engine.dispose()
    assert Store.open(pg_url).verify_audit().ok


def _cli(*args: str):
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "speakcase", *args], capture_output=True, text=True, timeout=300
    )


def test_the_command_line_names_what_was_tampered_and_checks_an_exported_head(tmp_path, db_url):
    store = Store.open(db_url)
    _history(store)
    store.close()
    exported = _cli("export", "--status", "confirmed", "-o", str(tmp_path / "log.json"), "--db", db_url)
    assert exported.returncode == 0, exported.stderr
    import json

    head = json.loads((tmp_path / "log.json").read_text())["audit"]["head"]
    assert head == Store.open(db_url).audit_head()
    intact = _cli("audit", "verify", "--expect", head, "--db", db_url)
    assert intact.returncode == 0 and f"head {head}" in intact.stdout, intact.stderr
    raw = sqlite3.connect(tmp_path / "speakcase.db", isolation_level=None)
    _drop_triggers(raw)
    raw.execute(REPLACE_REVISION)
    raw.execute("DELETE FROM audit_event WHERE seq = (SELECT max(seq) FROM audit_event)")
    raw.close()
    broken = _cli("audit", "verify", "--expect", head, "--db", db_url)
    assert broken.returncode == 1
    assert "Revision 2 of record 1 differs from what the audit chain recorded" in broken.stderr
    assert "1 event(s) were deleted" in broken.stderr
    assert broken.stderr.strip().splitlines()[-1].startswith("Error: The audit log has been altered")
    bad = _cli("audit", "verify", "--expect", "nonsense", "--db", db_url)
    assert bad.returncode == 1 and "is not an audit head" in bad.stderr


def test_an_audit_key_that_cannot_be_made_refuses_the_write_with_one_sentence(db_url, monkeypatch):
    from speakcase.errors import StoreError

    monkeypatch.setattr(audit, "_key_cache", {})
    monkeypatch.setenv(
        "SPEAKCASE_AUDIT_KEY", "/proc/speakcase/audit.key"
    )  # nobody may write there, root included
    store = Store.open(db_url)
    with pytest.raises(StoreError, match="The audit key at /proc/speakcase/audit.key cannot be read or made"):
        store.add_memo("/memos/a.wav", "a" * 64)
    assert store.memos() == []  # nothing written without its event
    store.close()
