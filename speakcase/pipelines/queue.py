"""Team mode's job queue: memos to process are procrastinate jobs in the team's PostgreSQL database.

procrastinate keeps the jobs, their locks and retries in PostgreSQL (schema installed by migration
0004). `enqueue` registers memos and defers one job per memo, with the memo's content hash as both
its queueing lock (one waiting job per recording, however often it is enqueued) and its lock (never
two workers on the same recording at once). `run_worker` runs jobs on any machine: its heartbeat
tells the others it is alive, and every worker hands back to the queue the jobs of a worker whose
heartbeat stopped for longer than the lease (a worker killed mid-memo). The store's claim and its
transcript uniqueness make completion happen once per content hash whatever the queue does.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from speakcase.errors import SpeakCaseError, StoreError
from speakcase.models.store import Store
from speakcase.models.transcript import Segment, Transcript
from speakcase.pipelines.process import NO_SPEECH_NOTE, ExtractorLike, ProcessResult, TranscriberLike

log = logging.getLogger(__name__)

QUEUE = "speakcase-memos"
TASK = "speakcase.process_memo"
DEFAULT_LEASE_S = 30.0
"""A worker silent (no heartbeat) this long is taken for dead and its memo goes to another worker."""
TEXT_SUFFIXES = (".txt",)
"""Memos given as transcripts (`--text`): the queue's cost is visible without Whisper."""


def conninfo(url: str) -> str:
    """libpq connection string for a SQLAlchemy PostgreSQL URL (host may be a socket directory)."""
    from psycopg.conninfo import make_conninfo
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise StoreError(
            "The job queue needs the team's PostgreSQL database (--db postgresql://...); "
            "on SQLite use `speakcase batch DIR` without --enqueue."
        )
    params: dict[str, Any] = {
        "dbname": parsed.database,
        "user": parsed.username,
        "password": parsed.password,
        "host": parsed.host,
        "port": parsed.port,
    }
    for key, value in parsed.query.items():
        params[key] = value if isinstance(value, str) else value[-1]
    return make_conninfo(**{k: str(v) for k, v in params.items() if v not in (None, "")})


def make_app(url: str) -> Any:
    """The procrastinate app on the team database, with SpeakCase's one task registered."""
    import procrastinate

    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(url)))
    app.task(name=TASK, queue=QUEUE)(_job)
    return app


# enqueue ---------------------------------------------------------------------
@dataclass(frozen=True)
class Enqueued:
    """What `enqueue` did with the files it was given."""

    queued: int
    """Jobs deferred."""
    already_queued: int
    """Memos whose job was already waiting."""
    done: int
    """Memos already processed (no job)."""
    requeued: int = 0
    """Failed memos put back in the queue (included in `queued`)."""


def enqueue(store: Store, paths: Iterable[Path]) -> Enqueued:
    """Register each file as a memo (by content hash) and defer its job; a failed memo is retried."""
    from procrastinate.exceptions import AlreadyEnqueued

    from speakcase.pipelines.audio import sha256_file

    app = make_app(store.db.url)
    queued = already = done = requeued = 0
    with app.open():
        for path in paths:
            path = Path(path).resolve()
            sha = sha256_file(path)
            memo_id, _ = store.add_memo(str(path), sha)
            status = store.memo(memo_id).status
            if status == "done":
                done += 1
                continue
            if status == "failed":
                requeued += len(store.requeue([memo_id]))
            try:
                app.configure_task(TASK, queueing_lock=sha, lock=sha).defer(memo_id=memo_id, path=str(path))
                queued += 1
            except AlreadyEnqueued:
                already += 1
    return Enqueued(queued, already, done, requeued)


def pending_jobs(store: Store) -> dict[str, int]:
    """The queue's jobs by status (todo, doing, succeeded, failed...)."""
    from sqlalchemy import text

    with store._read() as s:
        rows = s.execute(
            text("SELECT status::text, count(*) FROM procrastinate_jobs WHERE queue_name = :q GROUP BY 1"),
            {"q": QUEUE},
        )
        return {status: int(n) for status, n in rows}


# the worker ------------------------------------------------------------------
@dataclass
class _WorkerState:
    store: Store
    name: str
    extractor_factory: Callable[[], ExtractorLike]
    transcriber_factory: Callable[[], TranscriberLike]
    stats: Callable[[dict[str, Any]], None]
    extractor: ExtractorLike | None = None
    transcriber: TranscriberLike | None = None


_state: _WorkerState | None = None


def _job(memo_id: int, path: str) -> None:
    """The task: process one memo (runs in the worker's thread, the queue's heartbeat goes on)."""
    state = _state
    if state is None:
        raise RuntimeError("the SpeakCase job ran outside `speakcase worker`")
    started, cpu = time.perf_counter(), time.thread_time()
    result = process_queued(state, memo_id, Path(path))
    state.stats(
        {
            "memo": memo_id,
            "outcome": result.outcome,
            "seconds": time.perf_counter() - started,
            "cpu": time.thread_time() - cpu,
            "at": time.time(),
        }
    )


def process_queued(state: _WorkerState, memo_id: int, path: Path) -> ProcessResult:
    """The queue decides who runs a memo: the claim is taken over from a worker the queue gave up on."""
    from speakcase.pipelines.process import process_memo

    store = state.store
    if path.suffix.lower() in TEXT_SUFFIXES:
        if state.extractor is None:
            state.extractor = state.extractor_factory()
        return process_text(store, memo_id, path, state.extractor, worker=state.name)
    if state.extractor is None:
        state.extractor = state.extractor_factory()
    if state.transcriber is None:
        state.transcriber = state.transcriber_factory()
    return process_memo(
        store, memo_id, path, state.transcriber, state.extractor, worker=state.name, stale_after=timedelta(0)
    )


def process_text(
    store: Store, memo_id: int, path: Path, extractor: ExtractorLike, *, worker: str
) -> ProcessResult:
    """A memo given as its transcript: extract and store, or fail with the reason."""
    from datetime import datetime

    if not store.claim_memo(memo_id, worker, stale_after=timedelta(0)):
        memo = store.memo(memo_id)
        return ProcessResult(str(path), memo_id, "skipped", memo.record_ids, memo.error)
    try:
        try:
            body = path.read_text(encoding="utf-8").strip()
        except UnicodeDecodeError as exc:
            raise SpeakCaseError(f"The transcript {path.name} is not UTF-8 text.") from exc
        except OSError as exc:
            raise SpeakCaseError(f"The transcript {path.name} cannot be read: {exc.strerror}.") from exc
        when = datetime.fromtimestamp(path.stat().st_mtime).replace(second=0, microsecond=0)
        store.set_memo_audio(memo_id, when, None)
        transcript = Transcript(body, "en", 0.0, (Segment(0.0, 0.0, body, ()),) if body else (), model="text")
        records = extractor.extract(body, when) if body else []
        ids = store.finish_memo(
            memo_id, transcript, records, worker=worker, note=None if body else NO_SPEECH_NOTE
        )
        return ProcessResult(str(path), memo_id, "done", tuple(ids))
    except (KeyboardInterrupt, SystemExit):
        store.release_memo(memo_id, worker)
        raise
    except SpeakCaseError as exc:
        if _taken_over(store, memo_id, worker):
            return ProcessResult(str(path), memo_id, "skipped", (), str(exc))
        store.fail_memo(memo_id, str(exc), worker)
        return ProcessResult(str(path), memo_id, "failed", (), str(exc))
    except Exception as exc:  # noqa: BLE001 - one broken memo must never stop the worker
        log.error("memo %s failed unexpectedly: %s", memo_id, type(exc).__name__)
        message = f"Processing failed unexpectedly ({type(exc).__name__}); the memo can be retried."
        store.fail_memo(memo_id, message, worker)
        return ProcessResult(str(path), memo_id, "failed", (), message)


def _taken_over(store: Store, memo_id: int, worker: str) -> bool:
    memo = store.memo(memo_id)
    return memo.status == "done" or (memo.status == "processing" and memo.worker != worker)


async def _recover_stalled(app: Any, lease: float) -> None:
    """Give back to the queue the jobs of workers whose heartbeat stopped (every worker does this)."""
    from procrastinate.exceptions import ConnectorException

    while True:
        await asyncio.sleep(max(0.5, lease / 3))
        try:
            for job in await app.job_manager.get_stalled_jobs(queue=QUEUE, seconds_since_heartbeat=lease):
                try:
                    await app.job_manager.retry_job(job)
                    log.warning("memo job %s of a silent worker goes back to the queue", job.id)
                except ConnectorException:
                    pass  # another worker gave it back first
        except ConnectorException as exc:
            log.warning("could not check for stalled jobs: %s", type(exc).__name__)


async def _drained(app: Any) -> None:
    """Return once the queue has had no waiting or running job for two checks in a row."""
    empty = 0
    while empty < 2:
        await asyncio.sleep(1.0)
        row = await app.connector.execute_query_one_async(
            "SELECT count(*) AS n FROM procrastinate_jobs WHERE queue_name = %(q)s "
            "AND status IN ('todo', 'doing')",
            q=QUEUE,
        )
        empty = empty + 1 if row["n"] == 0 else 0


def run_worker(
    store: Store,
    name: str,
    extractor_factory: Callable[[], ExtractorLike],
    transcriber_factory: Callable[[], TranscriberLike],
    *,
    lease: float = DEFAULT_LEASE_S,
    until_drained: bool = False,
    stats: Callable[[dict[str, Any]], None] = lambda _: None,
) -> None:
    """Run memo jobs until stopped (SIGINT/SIGTERM), or until the queue is empty when `until_drained`."""
    global _state
    _state = _WorkerState(store, name, extractor_factory, transcriber_factory, stats)
    app = make_app(store.db.url)

    async def main() -> None:
        async with app.open_async():
            side = [asyncio.create_task(_recover_stalled(app, lease))]
            work = asyncio.create_task(
                app.run_worker_async(
                    queues=[QUEUE],
                    name=name,
                    concurrency=1,
                    update_heartbeat_interval=max(0.5, lease / 4),
                    stalled_worker_timeout=lease,
                    fetch_job_polling_interval=max(0.5, lease / 6),
                )
            )
            if until_drained:
                side.append(asyncio.create_task(_drained(app)))
            try:
                done, _ = await asyncio.wait([work, *side[1:]], return_when=asyncio.FIRST_COMPLETED)
                if work not in done:
                    work.cancel()  # procrastinate finishes the running job, then stops
                    await asyncio.gather(work, return_exceptions=True)
                else:
                    work.result()
            finally:
                for task in side:
                    task.cancel()
                await asyncio.gather(*side, return_exceptions=True)

    try:
        asyncio.run(main())
    finally:
        _state = None
