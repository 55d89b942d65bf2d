"""Initial schema: memos, transcripts, records, append-only revisions, hash-chained audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
APPEND_ONLY = ("record_revision", "audit_event")


def upgrade() -> None:
    op.create_table(
        "memo",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("source_path", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=True),
        sa.Column("duration", sa.Float, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("claimed_by", sa.String(128), nullable=True),
        sa.Column("claimed_at", TZ, nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_index("ix_memo_status", "memo", ["status"])
    op.create_table(
        "memo_path",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("memo_id", sa.Integer, sa.ForeignKey("memo.id"), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("seen_at", TZ, nullable=False),
        sa.UniqueConstraint("memo_id", "path"),
    )
    op.create_index("ix_memo_path_memo_id", "memo_path", ["memo_id"])
    op.create_table(
        "transcript",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("memo_id", sa.Integer, sa.ForeignKey("memo.id"), nullable=False, unique=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("segments", sa.JSON, nullable=False),
        sa.Column("model", sa.String(256), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "record",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("memo_id", sa.Integer, sa.ForeignKey("memo.id"), nullable=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("occurred_at", sa.String(16), nullable=True),
        sa.Column("subject", sa.Text, nullable=True),
        sa.Column("counterpart", sa.Text, nullable=True),
        sa.Column("search_text", sa.Text, nullable=False),
        sa.Column("revision_count", sa.Integer, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.UniqueConstraint("memo_id", "seq"),
    )
    op.create_index("ix_record_memo_id", "record", ["memo_id"])
    op.create_index("ix_record_status_occurred", "record", ["status", "occurred_at"])
    op.create_table(
        "record_revision",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("record_id", sa.Integer, sa.ForeignKey("record.id"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("change", sa.String(16), nullable=False),
        sa.Column("fields", sa.JSON, nullable=False),
        sa.Column("author", sa.String(256), nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.UniqueConstraint("record_id", "number"),
    )
    op.create_index("ix_record_revision_record_id", "record_revision", ["record_id"])
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False, unique=True),
        sa.Column("at", TZ, nullable=False),
        sa.Column("actor", sa.String(256), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.Integer, nullable=True),
        sa.Column("details", sa.JSON, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    _create_append_only_triggers()


def _create_append_only_triggers() -> None:
    """The database itself refuses to update or delete history rows."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table in APPEND_ONLY:
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} rows are append-only'); END"
                )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION speakcase_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION '% rows are append-only', TG_TABLE_NAME; END $$"
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION speakcase_append_only()"
            )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP FUNCTION IF EXISTS speakcase_append_only()")
    for table in ("audit_event", "record_revision", "record", "transcript", "memo_path", "memo"):
        op.drop_table(table)
