"""Where a memo's recorded time came from: the file's creation tag, its modification time, the
command line, or typed by the practitioner in review.

Revision ID: 0003
Revises: 0004
Create Date: 2026-12-04

Issue 13 asked for id 0003 after 0002; 0004 (team mode) landed first, so this follows it to keep
one head.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("memo") as batch:
        batch.add_column(sa.Column("recorded_at_source", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("memo") as batch:
        batch.drop_column("recorded_at_source")
