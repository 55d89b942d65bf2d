"""The tamper-evident audit log: each event carries the hash of the one before."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from speakcase.models.orm import AuditEvent, utcnow

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditReport:
    """The result of walking the audit chain."""

    ok: bool
    """True when every event's hash and link verify."""
    events: int
    """How many events were checked."""
    first_bad_seq: int | None
    """Sequence number of the first event that fails, if any."""
    problem: str | None
    """What failed there."""


def _digest(
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    details: dict[str, Any],
    prev_hash: str,
) -> str:
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    payload = json.dumps(
        [
            seq,
            at.astimezone(UTC).isoformat(timespec="microseconds"),
            actor,
            action,
            entity,
            entity_id,
            details,
            prev_hash,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def append_event(
    session: Session,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an event chained to the last one (call inside a write transaction)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(727272)"))
    last = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
    at = utcnow()
    details = details or {}
    event = AuditEvent(
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        details=details,
        prev_hash=prev_hash,
        hash=_digest(seq, at, actor, action, entity, entity_id, details, prev_hash),
    )
    session.add(event)
    return event


def verify_chain(session: Session) -> AuditReport:
    """Recompute every hash and link in order."""
    prev_hash, count = GENESIS, 0
    for ev in session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars():
        count += 1
        if ev.prev_hash != prev_hash:
            return AuditReport(False, count, ev.seq, "its link to the previous event is broken")
        expected = _digest(
            ev.seq, ev.at, ev.actor, ev.action, ev.entity, ev.entity_id, ev.details, ev.prev_hash
        )
        if ev.hash != expected:
            return AuditReport(False, count, ev.seq, "its content does not match its hash")
        prev_hash = ev.hash
    return AuditReport(True, count, None, None)
