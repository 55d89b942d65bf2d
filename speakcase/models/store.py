"""The store: every read and write of memos, transcripts, records and history goes through here."""

from __future__ import annotations

import getpass
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, or_, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from speakcase.errors import StoreError
from speakcase.models.anchor import read_anchor, record_anchor
from speakcase.models.audit import (
    AuditReport,
    append_event,
    audit_key,
    authenticated_role,
    content_digest,
    parse_head,
    revision_content,
    transcript_content,
)
from speakcase.models.audit_verify import verify_chain
from speakcase.models.checks import missing_for_confirmation
from speakcase.models.db import Database, error_reason, open_database, refusal, refused
from speakcase.models.orm import Memo, MemoPath, RecordRow, RevisionRow, TranscriptRow, utcnow
from speakcase.models.records import SharingRecord
from speakcase.models.transcript import Transcript

log = logging.getLogger(__name__)

SYSTEM_AUTHOR = "speakcase"


@dataclass(frozen=True)
class MemoInfo:
    """A memo as the CLI and UI see it."""

    id: int
    """Database id."""
    sha256: str
    """Content hash of the recording."""
    paths: tuple[str, ...]
    """Every path at which the recording was found."""
    recorded_at: datetime | None
    """When it was recorded (local wall-clock time)."""
    duration: float | None
    """Audio duration in seconds."""
    status: str
    """queued, processing, done or failed."""
    error: str | None
    """Why it failed, when it did."""
    note: str | None
    """A remark such as "no speech found"."""
    attempts: int
    """How many times processing was started."""
    record_ids: tuple[int, ...]
    """Its records, in memo order."""
    worker: str | None = None
    """Who is processing it ("host:pid"), while it is processing."""
    owner: str | None = None
    """The role that registered it (team mode)."""
    recorded_at_source: str | None = None
    """Where recorded_at came from: tag, file_time, given or typed (None: not known)."""


@dataclass(frozen=True)
class RecordInfo:
    """A record with its current fields."""

    id: int
    """Database id."""
    memo_id: int | None
    """The memo it came from."""
    status: str
    """draft, confirmed or discarded."""
    origin: str
    """extracted or manual."""
    record: SharingRecord
    """The current revision's fields."""
    revision: int
    """The current revision number."""
    updated_at: datetime
    """When it last changed."""


@dataclass(frozen=True)
class RevisionInfo:
    """One revision in a record's history."""

    number: int
    """1 for the first."""
    status: str
    """The record's status as of this revision."""
    change: str
    """extracted, manual, edit, confirm, amend or discard."""
    record: SharingRecord
    """The whole field set."""
    author: str
    """Who made it: the authenticated database role in team mode, the typed name otherwise."""
    reason: str | None
    """Why, where a reason was asked for."""
    created_at: datetime
    """When."""
    signed_as: str | None = None
    """The name typed when it was not the authenticated role (team mode)."""

    @property
    def name(self) -> str:
        """The name to show: as signed, else the author."""
        return self.signed_as or self.author


@dataclass(frozen=True)
class InboxFilter:
    """What the review inbox shows: a status and searches over the record's indexed columns."""

    status: str | None = None
    """draft, confirmed or discarded; None for drafts and confirmed (discarded hidden)."""
    search: str = ""
    """Words that must all appear in the record's text."""
    subject: str = ""
    """Text the subject must contain."""
    counterpart: str = ""
    """Text the counterpart (name, role or organisation) must contain."""
    date: str = ""
    """A prefix of occurred_at: 2026, 2026-11 or 2026-11-24."""


@dataclass(frozen=True)
class InboxRow:
    """One record as an inbox line: the indexed columns only, no revision loaded."""

    id: int
    """Record id."""
    memo_id: int | None
    """The memo it came from."""
    status: str
    """draft, confirmed or discarded."""
    kind: str
    """shared, received, refused or withheld."""
    occurred_at: str | None
    """When, as stored."""
    subject: str | None
    """Whom it is about."""
    counterpart: str | None
    """Name, role and organisation joined with " | "."""
    revision: int
    """How many revisions it has."""


def current_user() -> str:
    """The operating-system user name, as a fallback author."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


class Store:
    """Memos, transcripts, records and their history, on any SQLAlchemy database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @classmethod
    def open(
        cls, url: str | None = None, *, create: bool = True, readonly: bool = False, anchored: bool = True
    ) -> Store:
        """Open the database at `url` (default: the user's SQLite file), migrating it (see open_database)."""
        return cls(open_database(url, create=create, readonly=readonly, anchored=anchored))

    def close(self) -> None:
        """Release every connection."""
        self.db.dispose()

    @contextmanager
    def _write(self) -> Iterator[Session]:
        try:
            with self.db.write() as session:
                with session.begin():
                    yield session
                head = session.info.pop("audit_head", None)
        except IntegrityError:  # a constraint, not a broken database: callers decide
            raise
        except DBAPIError as exc:
            if refused(exc):
                raise StoreError(refusal(exc)) from exc
            raise StoreError(f"The database could not be written: {error_reason(exc)}.") from exc
        if head is not None and self.db.anchored:
            try:
                record_anchor(self.db.url, *head)
            except (OSError, StoreError) as exc:  # the write is committed; the anchor lags until the next one
                log.warning("the audit anchor could not be updated (%s)", type(exc).__name__)

    @contextmanager
    def _read(self) -> Iterator[Session]:
        try:
            with self.db.read() as session, session.begin():
                yield session
        except DBAPIError as exc:
            if refused(exc):
                raise StoreError(refusal(exc)) from exc
            raise StoreError(f"The database could not be read: {error_reason(exc)}.") from exc

    # memos -----------------------------------------------------------------
    def add_memo(
        self, path: str, sha256: str, recorded_at: datetime | None = None, duration: float | None = None
    ) -> tuple[int, bool]:
        """Register a recording by content hash; returns (memo id, whether it is new)."""
        for _ in range(3):
            try:
                with self._write() as s:
                    memo = s.scalar(select(Memo).where(Memo.sha256 == sha256))
                    created = memo is None
                    if memo is None:
                        memo = Memo(
                            sha256=sha256,
                            source_path=path,
                            recorded_at=recorded_at,
                            duration=duration,
                            status="queued",
                            attempts=0,
                        )
                        s.add(memo)
                        s.flush()
                        append_event(s, SYSTEM_AUTHOR, "memo.add", "memo", memo.id, {"sha256": sha256})
                    if not s.scalar(
                        select(MemoPath.id).where(MemoPath.memo_id == memo.id, MemoPath.path == path)
                    ):
                        s.add(MemoPath(memo_id=memo.id, path=path))
                    return memo.id, created
            except IntegrityError:
                continue  # another process registered the same content first
        raise StoreError("The memo could not be registered: the database kept refusing the insert.")

    def claim_memo(
        self,
        memo_id: int,
        worker: str,
        stale_after: timedelta = timedelta(minutes=30),
        retry_failed: bool = False,
    ) -> bool:
        """Mark a memo as being processed by `worker`; False if it is done or held by a live worker."""
        stale = utcnow() - stale_after
        statuses = ["queued", "failed"] if retry_failed else ["queued"]
        with self._write() as s:
            result = s.execute(
                update(Memo)
                .where(Memo.id == memo_id)
                .where(
                    or_(Memo.status.in_(statuses), (Memo.status == "processing") & (Memo.claimed_at < stale))
                )
                .values(
                    status="processing",
                    claimed_by=worker,
                    claimed_at=utcnow(),
                    attempts=Memo.attempts + 1,
                    error=None,
                    updated_at=utcnow(),
                )
            )
            if result.rowcount:  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult
                append_event(s, worker, "memo.claim", "memo", memo_id)
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def set_memo_audio(
        self,
        memo_id: int,
        recorded_at: datetime | None,
        duration: float | None,
        recorded_at_source: str | None = None,
    ) -> None:
        """Record what probing the audio found: when it was recorded (and from what), how long it is."""
        with self._write() as s:
            s.execute(
                update(Memo)
                .where(Memo.id == memo_id)
                .values(
                    recorded_at=recorded_at,
                    recorded_at_source=recorded_at_source,
                    duration=duration,
                    updated_at=utcnow(),
                )
            )

    def set_recorded_at(self, memo_id: int, recorded_at: datetime, author: str) -> None:
        """The practitioner's correction of when a memo was recorded (kept in the audit log)."""
        with self._write() as s:
            memo = s.get(Memo, memo_id)
            if memo is None:
                raise StoreError(f"Memo {memo_id} does not exist.")
            before = memo.recorded_at.isoformat(timespec="minutes") if memo.recorded_at else None
            memo.recorded_at, memo.recorded_at_source = recorded_at, "typed"
            details = {"from": before, "to": recorded_at.isoformat(timespec="minutes")}
            append_event(s, author, "memo.recorded_at", "memo", memo_id, details)

    def release_memo(self, memo_id: int, worker: str) -> None:
        """Give a claimed memo back to the queue (a stop before it was finished)."""
        with self._write() as s:
            s.execute(
                update(Memo)
                .where(Memo.id == memo_id, Memo.status == "processing", Memo.claimed_by == worker)
                .values(status="queued", claimed_by=None, claimed_at=None, updated_at=utcnow())
            )

    def requeue_stale(self, stale_after: timedelta) -> int:
        """Take back claims older than `stale_after` (their worker died); returns how many."""
        with self._write() as s:
            result = s.execute(
                update(Memo)
                .where(Memo.status == "processing", Memo.claimed_at < utcnow() - stale_after)
                .values(status="queued", claimed_by=None, claimed_at=None, updated_at=utcnow())
            )
            return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def finish_memo(
        self,
        memo_id: int,
        transcript: Transcript,
        records: Iterable[SharingRecord],
        worker: str | None = None,
        note: str | None = None,
    ) -> list[int]:
        """Store the transcript and draft records and mark the memo done, all in one transaction.

        A `worker` named must still hold the memo's claim (fencing: a worker given up for dead whose
        memo another has taken over never finishes it)."""
        with self._write() as s:
            memo = s.get(Memo, memo_id, with_for_update=True)
            author = worker or SYSTEM_AUTHOR
            if memo is None:
                raise StoreError(f"Memo {memo_id} does not exist.")
            if memo.status == "done":
                raise StoreError(f"Memo {memo_id} is already processed.")
            if worker is not None and memo.status == "processing" and memo.claimed_by not in (None, worker):
                raise StoreError(f"Memo {memo_id} was taken over by another worker.")
            row = TranscriptRow(
                memo_id=memo_id,
                text=transcript.text,
                language=transcript.language,
                segments=transcript.to_dict()["segments"],
                model=transcript.model,
                created_at=utcnow(),
            )
            s.add(row)
            s.flush()
            content = content_digest(transcript_content(row))
            append_event(
                s, author, "transcript.add", "transcript", row.id, {"memo": memo_id, "content": content}
            )
            if memo.duration is None:
                memo.duration = transcript.duration
            ids = [
                self._new_record(s, memo_id, seq, rec, author, "extracted").id
                for seq, rec in enumerate(records, start=1)
            ]
            memo.status, memo.error, memo.note = "done", None, note
            memo.claimed_by = memo.claimed_at = None
            append_event(s, author, "memo.done", "memo", memo_id, {"records": ids})
            return ids

    def fail_memo(self, memo_id: int, error: str, worker: str | None = None) -> None:
        """Mark a memo failed with the reason (never one done, nor one another worker than `worker` holds)."""
        with self._write() as s:
            query = update(Memo).where(Memo.id == memo_id, Memo.status != "done")
            if worker is not None:
                query = query.where(
                    or_(Memo.claimed_by.is_(None), Memo.claimed_by == worker, Memo.status != "processing")
                )
            result: Any = s.execute(
                query.values(
                    status="failed", error=error, claimed_by=None, claimed_at=None, updated_at=utcnow()
                )
            )
            if getattr(result, "rowcount", 0):
                append_event(s, worker or SYSTEM_AUTHOR, "memo.fail", "memo", memo_id)

    def requeue(self, memo_ids: Iterable[int] | None = None) -> list[int]:
        """Put failed memos (all, or those given) back in the queue; returns their ids."""
        with self._write() as s:
            query = select(Memo.id).where(Memo.status == "failed")
            if memo_ids is not None:
                query = query.where(Memo.id.in_(list(memo_ids)))
            ids = list(s.scalars(query))
            if ids:
                s.execute(update(Memo).where(Memo.id.in_(ids)).values(status="queued", updated_at=utcnow()))
                for memo_id in ids:
                    append_event(s, SYSTEM_AUTHOR, "memo.requeue", "memo", memo_id)
            return ids

    def memos(self, status: str | None = None) -> list[MemoInfo]:
        """Memos, newest first, optionally of one status."""
        with self._read() as s:
            query = select(Memo).order_by(Memo.id.desc())
            if status:
                query = query.where(Memo.status == status)
            rows = list(s.scalars(query))
            paths = _group(s.execute(select(MemoPath.memo_id, MemoPath.path).order_by(MemoPath.id)))
            records = _group(s.execute(select(RecordRow.memo_id, RecordRow.id).order_by(RecordRow.seq)))
            return [_memo_info(m, paths.get(m.id, [m.source_path]), records.get(m.id, [])) for m in rows]

    def memo_progress(self, failed_limit: int = 20) -> tuple[dict[str, int], list[tuple[int, str]]]:
        """For the review inbox: memos by status (queue progress) and the latest failures with their reason.

        In team mode this is what the connected role may see: their team's backlog.
        """
        with self._read() as s:
            counts = {
                status: int(n)
                for status, n in s.execute(select(Memo.status, func.count()).group_by(Memo.status))
            }
            failed = s.execute(
                select(Memo.id, Memo.error)
                .where(Memo.status == "failed")
                .order_by(Memo.id.desc())
                .limit(failed_limit)
            )
            return counts, [(memo_id, error or "") for memo_id, error in failed]

    def claims(self) -> list[tuple[int, str | None, datetime | None]]:
        """Memos being processed as (memo id, claimed_by, claimed_at), to take back dead workers' claims."""
        with self._read() as s:
            rows = s.execute(
                select(Memo.id, Memo.claimed_by, Memo.claimed_at).where(Memo.status == "processing")
            )
            return [(memo_id, by, at) for memo_id, by, at in rows]

    def memo(self, memo_id: int) -> MemoInfo:
        """One memo."""
        with self._read() as s:
            m = s.get(Memo, memo_id)
            if m is None:
                raise StoreError(f"Memo {memo_id} does not exist.")
            return _memo_info(m, [p.path for p in m.paths] or [m.source_path], [r.id for r in m.records])

    def memo_id_for_hash(self, sha256: str) -> int | None:
        """The memo with this content hash, if any."""
        with self._read() as s:
            return s.scalar(select(Memo.id).where(Memo.sha256 == sha256))

    def transcript(self, memo_id: int) -> Transcript | None:
        """A memo's transcript, if it has one."""
        with self._read() as s:
            row = s.scalar(select(TranscriptRow).where(TranscriptRow.memo_id == memo_id))
            if row is None:
                return None
            duration = s.scalar(select(Memo.duration).where(Memo.id == memo_id)) or 0.0
            return Transcript.from_dict(
                {"text": row.text, "language": row.language, "duration": duration, "segments": row.segments},
                model=row.model,
            )

    # records ---------------------------------------------------------------
    def _new_record(
        self, s: Session, memo_id: int | None, seq: int, record: SharingRecord, author: str, origin: str
    ) -> RecordRow:
        row = RecordRow(
            memo_id=memo_id,
            seq=seq,
            status="draft",
            origin=origin,
            revision_count=0,
            **_search_columns(record),
        )
        s.add(row)
        s.flush()
        self._append_revision(s, row, record, "draft", origin, author, None)
        return row

    def _append_revision(
        self,
        s: Session,
        row: RecordRow,
        record: SharingRecord,
        status: str,
        change: str,
        author: str,
        reason: str | None,
    ) -> int:
        record.validate()
        signed_as = None
        if s.get_bind().dialect.name == "postgresql":
            # Team mode: the revision is the connected role's; the typed name is kept beside it.
            role = authenticated_role(s)
            signed_as, author = (author if author != role else None), role
        row.revision_count += 1
        row.status = status
        for key, value in _search_columns(record).items():
            setattr(row, key, value)
        row.updated_at = utcnow()
        revision = RevisionRow(
            record_id=row.id,
            number=row.revision_count,
            status=status,
            change=change,
            fields=record.to_dict(with_evidence=True),
            author=author,
            signed_as=signed_as,
            reason=reason,
            created_at=utcnow(),
        )
        s.add(revision)
        s.flush()
        details = {
            "revision": revision.number,
            "revision_id": revision.id,
            "status": status,
            "content": content_digest(revision_content(revision)),
        }
        append_event(s, signed_as or author, f"record.{change}", "record", row.id, details)
        return row.revision_count

    def add_record(self, memo_id: int | None, record: SharingRecord, author: str) -> int:
        """Add a record by hand (an event the extraction missed); returns its id."""
        with self._write() as s:
            seq = (s.scalar(select(func.max(RecordRow.seq)).where(RecordRow.memo_id == memo_id)) or 0) + 1
            return self._new_record(s, memo_id, seq, record, author, "manual").id

    def _locked_row(self, s: Session, record_id: int) -> RecordRow:
        row = s.get(RecordRow, record_id)
        if row is None:
            raise StoreError(f"Record {record_id} does not exist.")
        return row

    def save_draft(self, record_id: int, record: SharingRecord, author: str) -> int:
        """Keep an edit of a draft as a new draft revision; returns the revision number."""
        with self._write() as s:
            row = self._locked_row(s, record_id)
            if row.status != "draft":
                raise StoreError(f"Record {record_id} is {row.status}: amend it with a reason instead.")
            if _latest_fields(s, record_id) == record.to_dict(with_evidence=True):
                return row.revision_count
            return self._append_revision(s, row, record, "draft", "edit", author, None)

    def confirm(self, record_id: int, record: SharingRecord, author: str, note: str | None = None) -> int:
        """Confirm a draft with the practitioner's name (and a note, such as flags accepted as checked)."""
        _require_complete(record, "The record cannot be confirmed")
        with self._write() as s:
            row = self._locked_row(s, record_id)
            if row.status != "draft":
                raise StoreError(f"Record {record_id} is {row.status}, not a draft.")
            return self._append_revision(s, row, record, "confirmed", "confirm", author, note)

    def amend(self, record_id: int, record: SharingRecord, author: str, reason: str) -> int:
        """Append a confirmed revision to a confirmed record, with the reason (challenge or correction)."""
        if not reason.strip():
            raise StoreError("An amendment needs a reason.")
        _require_complete(record, "The amendment cannot be saved")
        with self._write() as s:
            row = self._locked_row(s, record_id)
            if row.status != "confirmed":
                raise StoreError(f"Record {record_id} is {row.status}: only a confirmed record is amended.")
            return self._append_revision(s, row, record, "confirmed", "amend", author, reason.strip())

    def discard(self, record_id: int, author: str, reason: str | None = None) -> int:
        """Discard a draft (kept in history, never deleted)."""
        with self._write() as s:
            row = self._locked_row(s, record_id)
            if row.status != "draft":
                raise StoreError(f"Record {record_id} is {row.status}: only a draft can be discarded.")
            fields = _latest_fields(s, record_id)
            return self._append_revision(
                s, row, SharingRecord.from_dict(fields), "discarded", "discard", author, reason
            )

    def record(self, record_id: int) -> RecordInfo:
        """One record with its current fields."""
        with self._read() as s:
            row = self._locked_row(s, record_id)
            return _record_info(row, _latest_fields(s, record_id))

    def records(
        self,
        status: str | None = None,
        search: str | None = None,
        memo_id: int | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[RecordInfo]:
        """Records, drafts first then newest, filtered by status, memo and a search over their text."""
        with self._read() as s:
            query = select(RecordRow)
            if status:
                query = query.where(RecordRow.status == status)
            if memo_id is not None:
                query = query.where(RecordRow.memo_id == memo_id)
            for word in (search or "").lower().split():
                query = query.where(RecordRow.search_text.contains(word, autoescape=True))
            order = (RecordRow.status != "draft", RecordRow.occurred_at.desc(), RecordRow.id.desc())
            query = query.order_by(*order).offset(offset)
            if limit:
                query = query.limit(limit)
            rows = list(s.scalars(query))
            fields = _latest_fields_many(s, [r.id for r in rows])
            return [_record_info(r, fields[r.id]) for r in rows]

    def count_records(self, status: str | None = None) -> int:
        """How many records there are (of one status)."""
        with self._read() as s:
            query = select(func.count(RecordRow.id))
            if status:
                query = query.where(RecordRow.status == status)
            return int(s.scalar(query) or 0)

    def history(self, record_id: int) -> list[RevisionInfo]:
        """Every revision of a record, oldest first."""
        with self._read() as s:
            rows = s.scalars(
                select(RevisionRow).where(RevisionRow.record_id == record_id).order_by(RevisionRow.number)
            )
            return [
                RevisionInfo(
                    r.number,
                    r.status,
                    r.change,
                    SharingRecord.from_dict(r.fields),
                    r.author,
                    r.reason,
                    r.created_at,
                    r.signed_as,
                )
                for r in rows
            ]

    def known_terms(self, limit: int = 200) -> list[str]:
        """Names already in the database (counterparts, subjects), for speech biasing."""
        with self._read() as s:
            rows = s.execute(
                select(RecordRow.subject, RecordRow.counterpart).order_by(RecordRow.id.desc()).limit(limit)
            )
            terms: dict[str, None] = {}
            for subject, counterpart in rows:
                for value in (subject, *(counterpart or "").split(" | ")):
                    if value and value.strip():
                        terms[value.strip()] = None
            return list(terms)

    def confirmed_names(self, author: str | None = None, limit: int = 500) -> list[str]:
        """Subjects, counterparts, organisations and consent givers of confirmed records, newest first;
        with `author`, only records that author confirmed (team mode keeps names inside one's cases)."""
        query = (
            select(RevisionRow.fields)
            .join(RecordRow, RecordRow.id == RevisionRow.record_id)
            .where(RecordRow.status == "confirmed", RevisionRow.status == "confirmed")
            .order_by(RevisionRow.id.desc())
            .limit(limit)
        )
        if author is not None:
            query = query.where(RevisionRow.author == author)
        names: dict[str, None] = {}
        with self._read() as s:
            for (fields,) in s.execute(query):
                counterpart = fields.get("counterpart") or {}
                consent = fields.get("consent") or {}
                for value in (
                    fields.get("subject"),
                    counterpart.get("name"),
                    counterpart.get("organisation"),
                    consent.get("given_by"),
                ):
                    if isinstance(value, str) and value.strip():
                        names[" ".join(value.split())] = None
        return list(names)

    # review inbox (a light query on the indexed columns, for 10,000s of records) ------------------
    def inbox(self, filters: InboxFilter, limit: int = 200, offset: int = 0) -> list[InboxRow]:
        """A page of inbox lines: drafts first, then confirmed, then discarded, each newest first."""
        cols = (
            RecordRow.id,
            RecordRow.memo_id,
            RecordRow.status,
            RecordRow.kind,
            RecordRow.occurred_at,
            RecordRow.subject,
            RecordRow.counterpart,
            RecordRow.revision_count,
        )
        rank = case((RecordRow.status == "draft", 0), (RecordRow.status == "confirmed", 1), else_=2)
        query = _inbox_where(select(*cols), filters)
        query = query.order_by(rank, RecordRow.occurred_at.desc(), RecordRow.id.desc())
        query = query.limit(limit).offset(offset)
        with self._read() as s:
            return [InboxRow(*row) for row in s.execute(query)]

    def count_inbox(self, filters: InboxFilter) -> int:
        """How many records the inbox filter matches."""
        with self._read() as s:
            return int(s.scalar(_inbox_where(select(func.count(RecordRow.id)), filters)) or 0)

    def verify_audit(self, expect: str | None = None) -> AuditReport:
        """Check the chain's links and seals, its head against the anchor (and `expect`), and every
        revision, record state and transcript against it."""
        expected = parse_head(expect) if expect else None
        anchor = read_anchor(self.db.url) if self.db.anchored else None
        with self._read() as s:
            return verify_chain(
                s,
                audit_key(),
                anchor=anchor,
                expect=expected,
                derived=lambda fields: _search_columns(SharingRecord.from_dict(fields)),
            )

    def audit_head(self) -> str:
        """The chain head as COUNT:HASH, for an export to carry and an auditor to check later."""
        from speakcase.models.audit import GENESIS, format_head
        from speakcase.models.orm import AuditEvent

        with self._read() as s:
            last = s.execute(
                select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
            ).first()
            return format_head(last[0], last[1]) if last else format_head(0, GENESIS)


def _inbox_where(query: Any, filters: InboxFilter) -> Any:
    if filters.status:
        query = query.where(RecordRow.status == filters.status)
    else:
        query = query.where(RecordRow.status != "discarded")
    for word in filters.search.lower().split():
        query = query.where(RecordRow.search_text.contains(word, autoescape=True))
    if filters.subject.strip():
        needle = filters.subject.strip().lower()
        query = query.where(func.lower(RecordRow.subject).contains(needle, autoescape=True))
    if filters.counterpart.strip():
        needle = filters.counterpart.strip().lower()
        query = query.where(func.lower(RecordRow.counterpart).contains(needle, autoescape=True))
    if filters.date.strip():
        query = query.where(RecordRow.occurred_at.startswith(filters.date.strip(), autoescape=True))
    return query


def _search_columns(record: SharingRecord) -> dict[str, Any]:
    cp = record.counterpart
    counterpart = " | ".join(v for v in (cp.name, cp.role, cp.organisation) if v)
    text = " ".join(
        v
        for v in (
            record.kind,
            record.subject,
            counterpart,
            cp.agency,
            record.occurred_at,
            record.information,
            record.reason,
        )
        if v
    )
    return {
        "kind": record.kind,
        "occurred_at": record.occurred_at,
        "subject": record.subject,
        "counterpart": counterpart or None,
        "search_text": text.lower(),
    }


def _latest_fields(s: Session, record_id: int) -> dict[str, Any]:
    return (
        s.scalar(
            select(RevisionRow.fields)
            .where(RevisionRow.record_id == record_id)
            .order_by(RevisionRow.number.desc())
            .limit(1)
        )
        or {}
    )


def _latest_fields_many(s: Session, record_ids: list[int]) -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    for chunk in (record_ids[i : i + 500] for i in range(0, len(record_ids), 500)):
        latest = (
            select(RevisionRow.record_id, func.max(RevisionRow.number).label("n"))
            .where(RevisionRow.record_id.in_(chunk))
            .group_by(RevisionRow.record_id)
            .subquery()
        )
        rows = s.execute(
            select(RevisionRow.record_id, RevisionRow.fields).join(
                latest, (RevisionRow.record_id == latest.c.record_id) & (RevisionRow.number == latest.c.n)
            )
        )
        out.update({rid: fields for rid, fields in rows})
    return out


def _group(rows: Iterable[Any]) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {}
    for key, value in rows:
        out.setdefault(key, []).append(value)
    return out


def _memo_info(m: Memo, paths: list[str], record_ids: list[int]) -> MemoInfo:
    return MemoInfo(
        m.id,
        m.sha256,
        tuple(paths),
        m.recorded_at,
        m.duration,
        m.status,
        m.error,
        m.note,
        m.attempts,
        tuple(record_ids),
        m.claimed_by if m.status == "processing" else None,
        m.owner,
        m.recorded_at_source,
    )


def _record_info(row: RecordRow, fields: dict[str, Any]) -> RecordInfo:
    return RecordInfo(
        row.id,
        row.memo_id,
        row.status,
        row.origin,
        SharingRecord.from_dict(fields),
        row.revision_count,
        row.updated_at,
    )


def _require_complete(record: SharingRecord, refusal: str) -> None:
    missing = missing_for_confirmation(record)
    if missing:
        raise StoreError(f"{refusal}: " + " ".join(f.message for f in missing))
