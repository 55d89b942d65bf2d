"""SQLAlchemy ORM tables: storage-layer classes, never handed to the UI as domain types."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    FetchedValue,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

MEMO_STATUSES = ("queued", "processing", "done", "failed")
RECORD_STATUSES = ("draft", "confirmed", "discarded")


def utcnow() -> datetime:
    """The current time in UTC, timezone-aware."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base for SpeakCase tables."""


class Memo(Base):
    """One recording, identified by the sha256 of its content."""

    __tablename__ = "memo"
    __table_args__ = (Index("ix_memo_team_status", "team_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    source_path: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime | None] = mapped_column(DateTime)
    # tag (the file's creation-time tag), file_time (its modification time), given (--recorded-at), typed.
    recorded_at_source: Mapped[str | None] = mapped_column(String(16))
    duration: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    error: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(128))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    # Team mode (PostgreSQL fills both from the connected role; NULL in single-user mode).
    team_id: Mapped[int | None] = mapped_column(Integer, server_default=FetchedValue())
    owner: Mapped[str | None] = mapped_column(String(63), server_default=FetchedValue())

    paths: Mapped[list[MemoPath]] = relationship(back_populates="memo", order_by="MemoPath.id")
    transcript: Mapped[TranscriptRow | None] = relationship(back_populates="memo")
    records: Mapped[list[RecordRow]] = relationship(back_populates="memo", order_by="RecordRow.seq")


class MemoPath(Base):
    """A path at which a memo's recording was found (one recording may have several)."""

    __tablename__ = "memo_path"
    __table_args__ = (UniqueConstraint("memo_id", "path"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    memo_id: Mapped[int] = mapped_column(ForeignKey("memo.id"), index=True)
    path: Mapped[str] = mapped_column(Text)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    memo: Mapped[Memo] = relationship(back_populates="paths")


class TranscriptRow(Base):
    """The transcript of a memo, with segments and words."""

    __tablename__ = "transcript"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    memo_id: Mapped[int] = mapped_column(ForeignKey("memo.id"), unique=True)
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(16), default="en")
    segments: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    model: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    memo: Mapped[Memo] = relationship(back_populates="transcript")


class RecordRow(Base):
    """A record's identity and current state; its content lives in its revisions."""

    __tablename__ = "record"
    __table_args__ = (
        UniqueConstraint("memo_id", "seq"),
        Index("ix_record_status_occurred", "status", "occurred_at"),
        Index("ix_record_team_status", "team_id", "status", "owner"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    memo_id: Mapped[int | None] = mapped_column(ForeignKey("memo.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    origin: Mapped[str] = mapped_column(String(16), default="extracted")
    # Copies of the current revision's fields, for the inbox's filters and search.
    kind: Mapped[str] = mapped_column(String(16))
    occurred_at: Mapped[str | None] = mapped_column(String(16))
    subject: Mapped[str | None] = mapped_column(Text)
    counterpart: Mapped[str | None] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text, default="")
    revision_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    # Team mode: the memo's team and owner (a trigger copies them on PostgreSQL).
    team_id: Mapped[int | None] = mapped_column(Integer, server_default=FetchedValue())
    owner: Mapped[str | None] = mapped_column(String(63), server_default=FetchedValue())

    memo: Mapped[Memo | None] = relationship(back_populates="records")
    revisions: Mapped[list[RevisionRow]] = relationship(
        back_populates="record", order_by="RevisionRow.number"
    )


class RevisionRow(Base):
    """An append-only snapshot of a record's whole field set."""

    __tablename__ = "record_revision"
    __table_args__ = (UniqueConstraint("record_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("record.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    change: Mapped[str] = mapped_column(String(16))
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    author: Mapped[str] = mapped_column(String(256))
    """Who was authenticated: the PostgreSQL role in team mode, the typed name in single-user mode."""
    signed_as: Mapped[str | None] = mapped_column(String(256))
    """The name typed at the prompt, when it is not the author."""
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    record: Mapped[RecordRow] = relationship(back_populates="revisions")


class AuditEvent(Base):
    """A tamper-evident log entry: each carries the hash of the one before."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(256))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str | None] = mapped_column(String(64))
    """HMAC of `hash` under the audit key kept outside the database (None on events before 0002)."""


class Team(Base):
    """A team whose practitioners share a caseload (team mode)."""

    __tablename__ = "team"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Practitioner(Base):
    """A login role and what it is: practitioner, manager, auditor or worker (team mode)."""

    __tablename__ = "practitioner"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    role_name: Mapped[str] = mapped_column(String(63), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(256))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ImmutableRowError(Exception):
    """An attempt to change or remove an append-only row."""


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_history(session: Session, _ctx: Any, _instances: Any) -> None:
    """Revisions, transcripts and audit events are append-only: refuse updates and deletes in the ORM."""
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, RevisionRow | AuditEvent | TranscriptRow) and (
            obj in session.deleted or session.is_modified(obj, include_collections=False)
        ):
            kind = "a confirmed revision" if getattr(obj, "status", "") == "confirmed" else "history"
            raise ImmutableRowError(
                f"SpeakCase never changes {kind}: revisions, transcripts and audit events are append-only."
            )
