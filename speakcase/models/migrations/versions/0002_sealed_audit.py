"""Sealed audit chain: keyed seals on events, content of revisions and transcripts in the chain,
and the database refusing every way of replacing history (REPLACE, UPSERT, UPDATE, DELETE, TRUNCATE).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

APPEND_ONLY = ("record_revision", "audit_event", "transcript")
# The unique keys an INSERT OR REPLACE would overwrite through.
_KEYS = {
    "record_revision": "id = NEW.id OR (record_id = NEW.record_id AND number = NEW.number)",
    "audit_event": "id = NEW.id OR seq = NEW.seq",
    "transcript": "id = NEW.id OR memo_id = NEW.memo_id",
}

_events = sa.table(
    "audit_event",
    sa.column("seq", sa.Integer),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("actor", sa.String),
    sa.column("action", sa.String),
    sa.column("entity", sa.String),
    sa.column("entity_id", sa.Integer),
    sa.column("details", sa.JSON),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
    sa.column("mac", sa.String),
)
_revisions = sa.table(
    "record_revision",
    *(sa.column(n) for n in ("id", "record_id", "number", "status", "change", "author", "reason")),
    sa.column("fields", sa.JSON),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
_transcripts = sa.table(
    "transcript",
    *(sa.column(n) for n in ("id", "memo_id", "text", "language", "model")),
    sa.column("segments", sa.JSON),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    op.add_column("audit_event", sa.Column("mac", sa.String(64), nullable=True))
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table in APPEND_ONLY:
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} rows are append-only'); END"
                )
            # REPLACE deletes the old row without firing DELETE triggers (recursive_triggers is off
            # by default): refuse any insert that would collide with a row already there.
            op.execute(
                f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
                f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {_KEYS[table]}) "
                f"BEGIN SELECT RAISE(ABORT, '{table} rows are append-only'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION speakcase_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION '% rows are append-only', TG_TABLE_NAME; END $$"
        )
        op.execute(
            "CREATE TRIGGER transcript_append_only BEFORE UPDATE OR DELETE ON transcript "
            "FOR EACH ROW EXECUTE FUNCTION speakcase_append_only()"
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION speakcase_append_only()"
            )
    _seal_existing()


def _seal_existing() -> None:
    """Enter every existing revision and transcript into the chain, sealed with the key."""
    from speakcase.models import audit
    from speakcase.models.orm import utcnow

    conn = op.get_bind()
    last = conn.execute(
        sa.select(_events.c.seq, _events.c.hash).order_by(_events.c.seq.desc()).limit(1)
    ).first()
    seq, prev = last if last is not None else (0, audit.GENESIS)
    has_revisions = conn.execute(sa.select(_revisions.c.id).limit(1)).first() is not None
    has_transcripts = conn.execute(sa.select(_transcripts.c.id).limit(1)).first() is not None
    if last is None and not has_revisions and not has_transcripts:
        return  # a new database: everything enters the chain as it is written
    key = audit.audit_key(create=True)
    assert key is not None

    def append(action: str, entity: str, entity_id: int | None, details: dict[str, object]) -> None:
        nonlocal seq, prev
        seq += 1
        at = utcnow()
        digest = audit.event_digest(seq, at, "speakcase", action, entity, entity_id, details, prev)
        conn.execute(
            _events.insert().values(
                seq=seq, at=at, actor="speakcase", action=action, entity=entity, entity_id=entity_id,
                details=details, prev_hash=prev, hash=digest, mac=audit.seal(key, digest),
            )
        )  # fmt: skip
        prev = digest

    for rev in conn.execute(sa.select(_revisions).order_by(_revisions.c.id)):
        content = audit.content_digest(audit.revision_content(rev))
        details = {"revision": rev.number, "revision_id": rev.id, "status": rev.status, "content": content}
        append("record.seal", "record", rev.record_id, details)
    for tr in conn.execute(sa.select(_transcripts).order_by(_transcripts.c.id)):
        content = audit.content_digest(audit.transcript_content(tr))
        append("transcript.seal", "transcript", tr.id, {"memo": tr.memo_id, "content": content})
    append("chain.seal", "chain", None, {"sealed_from": last[0] if last is not None else 0})


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_replace")
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS transcript_no_{verb}")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS transcript_append_only ON transcript")
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    op.drop_column("audit_event", "mac")
