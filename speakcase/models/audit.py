"""The tamper-evident audit log.

Each event carries the SHA-256 of the one before (`prev_hash` -> `hash`) and a seal, an HMAC of
its hash under a key kept outside the database (`audit.key` beside the user config), so a chain
recomputed by someone holding only the database fails. Every revision's and transcript's whole
content enters the chain as a content hash in the event that added it; the chain head (count and
last hash) is anchored outside the table (`audit-anchors.json`), so deleted events are caught too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from speakcase.models.orm import AuditEvent, utcnow

GENESIS = "0" * 64
KEY_BYTES = 32

__all__ = [
    "GENESIS",
    "AuditReport",
    "append_event",
    "audit_key",
    "content_digest",
    "event_digest",
    "key_path",
    "seal",
    "format_head",
    "parse_head",
]


@dataclass(frozen=True)
class AuditReport:
    """The result of checking the audit chain and everything it covers."""

    ok: bool
    """True when every event, seal, revision, transcript and anchor verifies."""
    events: int
    """How many events were checked."""
    first_bad_seq: int | None
    """Sequence number of the first event that fails, if any."""
    problem: str | None
    """The first problem found, as a sentence."""
    problems: tuple[str, ...] = ()
    """Every problem found, one sentence each, naming the event, revision or transcript."""
    head: str = "0:" + GENESIS
    """The chain head as COUNT:HASH, to anchor elsewhere and check with `--expect`."""
    keyed: bool = True
    """False when the audit key was not found, so seals could not be checked."""
    revisions: int = 0
    """How many revisions were checked against the chain."""
    transcripts: int = 0
    """How many transcripts were checked against the chain."""


# keys ------------------------------------------------------------------------
def key_path() -> Path:
    """Where the audit key lives: SPEAKCASE_AUDIT_KEY, else beside the user config."""
    from speakcase.config import config_path

    env = os.environ.get("SPEAKCASE_AUDIT_KEY")
    return Path(env) if env else config_path().parent / "audit.key"


_key_cache: dict[Path, bytes] = {}


def audit_key(create: bool = False) -> bytes | None:
    """The HMAC key for seals (created 0600 on first use when `create`); None when absent."""
    path = key_path()
    if path in _key_cache:
        return _key_cache[path]
    from speakcase.errors import StoreError

    try:
        try:
            key = path.read_bytes()
        except FileNotFoundError:
            if not create:
                return None
            key = _create_key(path)
    except OSError as exc:
        raise StoreError(f"The audit key at {path} cannot be read or made: {exc.strerror or exc}.") from exc
    if len(key) < KEY_BYTES:
        raise StoreError(f"The audit key file {path} is damaged (too short).")
    _key_cache[path] = key
    return key


def _create_key(path: Path) -> bytes:
    """Write a new key (0600) and link it in whole, so no process ever reads half a key."""
    from speakcase.files import write_private

    key = secrets.token_bytes(KEY_BYTES)
    try:
        write_private(path, key, replace=False)
    except FileExistsError:
        return path.read_bytes()  # another process made it first
    return key


def seal(key: bytes, event_hash: str) -> str:
    """An event's seal: HMAC-SHA256 of its hash under the audit key."""
    return hmac.new(key, event_hash.encode(), hashlib.sha256).hexdigest()


# digests ---------------------------------------------------------------------
def iso_utc(at: datetime | None) -> str | None:
    """A timestamp in canonical form (a naive one, as SQLite returns it, is UTC)."""
    if at is None:
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def content_digest(content: dict[str, Any]) -> str:
    """SHA-256 of a row's whole content in canonical JSON (datetimes as UTC ISO strings)."""
    plain = {k: iso_utc(v) if isinstance(v, datetime) else v for k, v in content.items()}
    return hashlib.sha256(_canonical(plain)).hexdigest()


def revision_content(row: Any) -> dict[str, Any]:
    """What a revision's content hash covers: everything in the row but its database id."""
    content = {
        "record_id": row.record_id,
        "number": row.number,
        "status": row.status,
        "change": row.change,
        "fields": row.fields,
        "author": row.author,
        "reason": row.reason,
        "created_at": row.created_at,
    }
    signed_as = getattr(row, "signed_as", None)
    if signed_as is not None:  # team mode: the typed name is sealed with the authenticated author
        content["signed_as"] = signed_as
    return content


def transcript_content(row: Any) -> dict[str, Any]:
    """What a transcript's content hash covers."""
    return {
        "memo_id": row.memo_id,
        "text": row.text,
        "language": row.language,
        "segments": row.segments,
        "model": row.model,
        "created_at": row.created_at,
    }


def event_digest(
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    details: dict[str, Any],
    prev_hash: str,
) -> str:
    """SHA-256 of an event's fields and the hash before it."""
    payload = [seq, iso_utc(at), actor, action, entity, entity_id, details, prev_hash]
    return hashlib.sha256(_canonical(payload)).hexdigest()


# writing ---------------------------------------------------------------------
def append_event(
    session: Session,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an event chained to the last one and sealed with the key (call inside a write transaction)."""
    details = dict(details or {})
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(727272)"))
        # The authenticated role is the actor (the database refuses any other); a name given is kept.
        role = authenticated_role(session)
        if actor != role:
            details.setdefault("as", actor)
        actor = role
        # A role that may not read the log still chains to its head (a SECURITY DEFINER function).
        last = session.execute(
            text("SELECT seq, hash FROM speakcase_audit_head() WHERE seq IS NOT NULL")
        ).first()
    else:
        last = session.execute(
            select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
        ).first()
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
    at = utcnow()
    digest = event_digest(seq, at, actor, action, entity, entity_id, details, prev_hash)
    key = audit_key(create=True)
    assert key is not None
    event = AuditEvent(
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        details=details,
        prev_hash=prev_hash,
        hash=digest,
        mac=seal(key, digest),
    )
    session.add(event)
    session.info["audit_head"] = (seq, digest)
    return event


def authenticated_role(session: Session) -> str:
    """The PostgreSQL role this session is connected as (cached on the session)."""
    role = session.info.get("pg_role")
    if role is None:
        role = session.info["pg_role"] = str(session.execute(text("SELECT current_user")).scalar())
    return role


# heads -----------------------------------------------------------------------
def format_head(count: int, head_hash: str) -> str:
    """A chain head as COUNT:HASH."""
    return f"{count}:{head_hash}"


def parse_head(value: str) -> tuple[int, str]:
    """COUNT:HASH (the hash may be shortened to 12 or more hex digits)."""
    from speakcase.errors import SpeakCaseError

    count, sep, digest = value.strip().partition(":")
    digest = digest.lower()
    if not sep or not count.isdigit() or len(digest) < 12 or any(c not in "0123456789abcdef" for c in digest):
        raise SpeakCaseError(
            f"--expect {value!r} is not an audit head such as 47:3fa9c2e1b0d4 (count, a colon, the hash)."
        )
    return int(count), digest
