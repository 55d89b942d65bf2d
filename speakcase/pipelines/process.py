"""One memo end to end: hash, register, transcribe, extract, store. Shared by the CLI, batch and TUI."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from speakcase.errors import SpeakCaseError
from speakcase.models.records import SharingRecord
from speakcase.models.store import Store
from speakcase.models.transcript import Transcript
from speakcase.pipelines.names import KnownName, known_names

log = logging.getLogger(__name__)

DEFAULT_MAX_DURATION_S = 30 * 60
STALE_CLAIM = timedelta(minutes=30)
"""A claim this old is taken by the next worker that asks (the store's default)."""
NO_SPEECH_NOTE = "No speech was found in the recording, so no record was made."


class TranscriberLike(Protocol):
    """What the process step needs of a speech model."""

    def transcribe(self, source: str | Path, extra_terms: Iterable[str | KnownName] = ()) -> Transcript: ...


class ExtractorLike(Protocol):
    """What the process step needs of the extraction pipeline."""

    def extract(self, text: str, recorded_at: datetime) -> list[SharingRecord]: ...


@dataclass(frozen=True)
class ProcessResult:
    """What happened to one audio file."""

    path: str
    """The file processed."""
    memo_id: int
    """Its memo."""
    outcome: str
    """done, failed, skipped (already processed) or busy (another worker holds it)."""
    record_ids: tuple[int, ...] = ()
    """Records made (done) or already there (skipped)."""
    error: str | None = None
    """Why it failed."""
    duration: float | None = None
    """Audio seconds."""


def check_readable(path: Path) -> None:
    """Refuse, before anything is stored, a path that is missing, a directory or unreadable."""
    from speakcase.pipelines.audio import check_path

    check_path(path)


def recorded_at_for(path: Path, creation_time: datetime | None) -> datetime:
    """The container's creation time as local wall-clock time, else the file's modification time."""
    if creation_time is not None:
        if creation_time.tzinfo is not None:
            creation_time = creation_time.astimezone().replace(tzinfo=None)
        return creation_time.replace(second=0, microsecond=0)
    return datetime.fromtimestamp(path.stat().st_mtime).replace(second=0, microsecond=0)


def process_file(
    store: Store,
    path: str | Path,
    transcriber: TranscriberLike,
    extractor: ExtractorLike,
    *,
    worker: str | None = None,
    recorded_at: datetime | None = None,
    max_duration: float = DEFAULT_MAX_DURATION_S,
    retry_failed: bool = False,
    caseload: Iterable[str] = (),
) -> ProcessResult:
    """Process one file exactly once; failures become a failed memo with the reason."""
    from speakcase.pipelines.audio import sha256_file

    path = Path(path).resolve()
    check_readable(path)
    memo_id, _ = store.add_memo(str(path), sha256_file(path))
    return process_memo(
        store,
        memo_id,
        path,
        transcriber,
        extractor,
        worker=worker,
        recorded_at=recorded_at,
        max_duration=max_duration,
        retry_failed=retry_failed,
        caseload=caseload,
    )


def process_memo(
    store: Store,
    memo_id: int,
    path: Path,
    transcriber: TranscriberLike,
    extractor: ExtractorLike,
    *,
    worker: str | None = None,
    recorded_at: datetime | None = None,
    max_duration: float = DEFAULT_MAX_DURATION_S,
    retry_failed: bool = False,
    stale_after: timedelta = STALE_CLAIM,
    caseload: Iterable[str] = (),
) -> ProcessResult:
    """Claim a registered memo (as "host:pid", taking it back from a dead claimant or one older than
    `stale_after`) and carry it to done or failed; a failure that cannot even be recorded raises,
    leaving a claim the next run takes back. `caseload` names (--case) and the store's confirmed
    names are the known people heard names resolve to."""
    from speakcase.pipelines.claims import take_back_if_dead, worker_name

    worker = worker or worker_name()
    claimed = store.claim_memo(memo_id, worker, stale_after=stale_after, retry_failed=retry_failed)
    if not claimed and take_back_if_dead(store, memo_id):
        claimed = store.claim_memo(memo_id, worker, stale_after=stale_after, retry_failed=retry_failed)
    if not claimed:
        memo = store.memo(memo_id)
        outcome = "busy" if memo.status == "processing" else "skipped"
        return ProcessResult(str(path), memo_id, outcome, memo.record_ids, memo.error, memo.duration)
    try:
        return _carry(
            store, memo_id, path, transcriber, extractor, worker, recorded_at, max_duration, caseload
        )
    except (KeyboardInterrupt, SystemExit):
        store.release_memo(memo_id, worker)
        raise


def _carry(
    store: Store,
    memo_id: int,
    path: Path,
    transcriber: TranscriberLike,
    extractor: ExtractorLike,
    worker: str,
    recorded_at: datetime | None,
    max_duration: float,
    caseload: Iterable[str] = (),
) -> ProcessResult:
    """Transcribe, extract and store a claimed memo; any failure is recorded on it with the reason."""
    from speakcase.pipelines.audio import probe

    duration = None
    try:
        info = probe(path, max_duration=max_duration)
        duration = info.duration or None
        when = recorded_at or recorded_at_for(path, info.creation_time)
        source = "given" if recorded_at else "tag" if info.creation_time is not None else "file_time"
        store.set_memo_audio(memo_id, when, duration, source)
        transcript = transcriber.transcribe(path, extra_terms=known_names(store, caseload=caseload))
        records = extractor.extract(transcript.text, when) if transcript.text.strip() else []
        note = None if transcript.text.strip() else NO_SPEECH_NOTE
        ids = store.finish_memo(memo_id, transcript, records, worker=worker, note=note)
        return ProcessResult(str(path), memo_id, "done", tuple(ids), None, transcript.duration)
    except SpeakCaseError as exc:
        message = str(exc)
    except MemoryError:
        message = "Processing ran out of memory; the memo can be retried."
    except Exception as exc:  # noqa: BLE001 - one broken memo must never stop the rest
        # The type only: an exception's text may quote the memo, and personal data never goes to logs.
        log.error("memo %s failed unexpectedly: %s", memo_id, type(exc).__name__)
        message = f"Processing failed unexpectedly ({type(exc).__name__}); the memo can be retried."
    record_failure(store, memo_id, message, worker)
    return ProcessResult(str(path), memo_id, "failed", (), message, duration)


FAIL_ATTEMPTS = 3
"""Tries at recording a failure (each waits out the database's busy timeout) before giving up."""


def record_failure(store: Store, memo_id: int, message: str, worker: str) -> None:
    """Mark the memo failed with the reason, trying again while the database is locked or full."""
    from speakcase.errors import StoreError

    for attempt in range(FAIL_ATTEMPTS):
        try:
            store.fail_memo(memo_id, message, worker)
            return
        except StoreError as exc:
            if attempt == FAIL_ATTEMPTS - 1:
                raise StoreError(
                    f"Memo {memo_id} failed ({message.rstrip('.')}) and the failure could not be recorded "
                    f"({exc}); its claim names this process, so the next run takes it back at once."
                ) from exc
