"""Checking the audit chain, and every revision, record state and transcript against it."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from speakcase.models.audit import (
    GENESIS,
    AuditReport,
    content_digest,
    event_digest,
    format_head,
    revision_content,
    seal,
    transcript_content,
)
from speakcase.models.orm import AuditEvent, RecordRow, RevisionRow, TranscriptRow

DerivedColumns = Callable[[dict[str, Any]], dict[str, Any]]

__all__ = ["verify_chain"]


class _Walk:
    """State gathered walking the events in order."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.first_bad: int | None = None
        self.count = 0
        self.head = GENESIS
        self.hashes: dict[int, str] = {}
        self.revisions: dict[tuple[int, int], str] = {}
        self.transcripts: dict[int, str] = {}

    def bad(self, message: str, seq: int | None = None) -> None:
        if seq is not None and self.first_bad is None:
            self.first_bad = seq
        self.problems.append(message)


def _walk_events(session: Session, key: bytes | None, walk: _Walk) -> None:
    sealed_seen = False
    last_sealed = True
    for ev in session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars():
        walk.count += 1
        if ev.seq != walk.count:
            walk.bad(f"Event {walk.count} is missing (the next one is numbered {ev.seq}).", ev.seq)
            walk.count = ev.seq
        if ev.prev_hash != walk.head:
            walk.bad(f"Event {ev.seq}: its link to the previous event is broken.", ev.seq)
        digest = event_digest(
            ev.seq, ev.at, ev.actor, ev.action, ev.entity, ev.entity_id, ev.details, ev.prev_hash
        )
        if ev.hash != digest:
            walk.bad(f"Event {ev.seq}: its content does not match its hash.", ev.seq)
        if ev.mac is None:
            if sealed_seen:
                walk.bad(f"Event {ev.seq} carries no seal.", ev.seq)
            last_sealed = False
        else:
            sealed_seen = last_sealed = True
            if key is not None and not hmac.compare_digest(ev.mac, seal(key, ev.hash)):
                walk.bad(
                    f"Event {ev.seq}: its seal does not match the audit key (the chain was recomputed).",
                    ev.seq,
                )
        walk.head = ev.hash
        walk.hashes[ev.seq] = ev.hash
        _note_content(ev, walk)
    if walk.count and not last_sealed:
        walk.bad(
            "The newest audit event carries no seal: the chain was rewritten without the key.", walk.count
        )


def _note_content(ev: AuditEvent, walk: _Walk) -> None:
    details = ev.details if isinstance(ev.details, dict) else {}
    content = details.get("content")
    if not isinstance(content, str):
        return
    if ev.entity == "record" and ev.entity_id is not None and isinstance(details.get("revision"), int):
        walk.revisions[(ev.entity_id, details["revision"])] = content
    elif ev.entity == "transcript" and isinstance(details.get("memo"), int):
        walk.transcripts[details["memo"]] = content


def _check_head(walk: _Walk, head: tuple[int, str], source: str) -> None:
    count, digest = head
    if count == 0:
        return
    if walk.count < count:
        walk.bad(
            f"The chain has {walk.count} events but {source} recorded {count}: "
            f"{count - walk.count} event(s) were deleted."
        )
    elif not walk.hashes.get(count, "").startswith(digest.lower()):
        walk.bad(f"Event {count} is not the one {source} recorded: the chain was replaced.", count)


def _check_revisions(session: Session, walk: _Walk, derived: DerivedColumns | None) -> int:
    seen: set[tuple[int, int]] = set()
    latest: dict[int, RevisionRow] = {}
    checked = 0
    for rev in session.execute(select(RevisionRow).order_by(RevisionRow.id)).scalars():
        checked += 1
        key = (rev.record_id, rev.number)
        name = f"Revision {rev.number} of record {rev.record_id}"
        if key in seen:
            walk.bad(f"{name} appears twice.")
        seen.add(key)
        expected = walk.revisions.get(key)
        if expected is None:
            walk.bad(f"{name} is not in the audit chain (added outside SpeakCase).")
        elif content_digest(revision_content(rev)) != expected:
            walk.bad(f"{name} differs from what the audit chain recorded (altered or replaced).")
        if rev.record_id not in latest or rev.number > latest[rev.record_id].number:
            latest[rev.record_id] = rev
    for record_id, number in sorted(set(walk.revisions) - seen):
        walk.bad(f"Revision {number} of record {record_id} is in the audit chain but missing (deleted).")
    _check_records(session, walk, latest, derived)
    return checked


def _check_records(
    session: Session, walk: _Walk, latest: dict[int, RevisionRow], derived: DerivedColumns | None
) -> None:
    counts = dict(
        session.execute(select(RevisionRow.record_id, func.count()).group_by(RevisionRow.record_id)).all()
    )
    for row in session.execute(select(RecordRow).order_by(RecordRow.id)).scalars():
        rev = latest.get(row.id)
        if rev is None:
            walk.bad(f"Record {row.id} has no revision.")
            continue
        if row.status != rev.status or row.revision_count != counts.get(row.id):
            walk.bad(
                f"Record {row.id}: its state ({row.status}, {row.revision_count} revisions) is not "
                f"its history's ({rev.status}, {counts.get(row.id)} revisions)."
            )
        elif derived is not None and any(
            getattr(row, name) != value for name, value in derived(rev.fields).items()
        ):
            walk.bad(f"Record {row.id}: its indexed columns do not match its current revision.")


def _check_transcripts(session: Session, walk: _Walk) -> int:
    seen: set[int] = set()
    for row in session.execute(select(TranscriptRow).order_by(TranscriptRow.id)).scalars():
        seen.add(row.memo_id)
        expected = walk.transcripts.get(row.memo_id)
        if expected is None:
            walk.bad(f"The transcript of memo {row.memo_id} is not in the audit chain.")
        elif content_digest(transcript_content(row)) != expected:
            walk.bad(f"The transcript of memo {row.memo_id} differs from what the audit chain recorded.")
    for memo_id in sorted(set(walk.transcripts) - seen):
        walk.bad(f"The transcript of memo {memo_id} is in the audit chain but missing (deleted).")
    return len(seen)


def verify_chain(
    session: Session,
    key: bytes | None,
    anchor: tuple[int, str] | None = None,
    expect: tuple[int, str] | None = None,
    derived: DerivedColumns | None = None,
) -> AuditReport:
    """Check every event, seal and link, the anchored and expected heads, and the content covered."""
    walk = _Walk()
    _walk_events(session, key, walk)
    if anchor is not None:
        _check_head(walk, anchor, "the anchor file")
    if expect is not None:
        _check_head(walk, expect, "--expect")
    revisions = _check_revisions(session, walk, derived)
    transcripts = _check_transcripts(session, walk)
    return AuditReport(
        ok=not walk.problems,
        events=walk.count,
        first_bad_seq=walk.first_bad,
        problem=walk.problems[0] if walk.problems else None,
        problems=tuple(walk.problems),
        head=format_head(walk.count, walk.head),
        keyed=key is not None,
        revisions=revisions,
        transcripts=transcripts,
    )
