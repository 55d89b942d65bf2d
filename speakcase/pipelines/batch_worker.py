"""The worker side of a batch: a process that loads the models once and processes the memos it is handed."""

from __future__ import annotations

import os
import signal
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from speakcase.errors import SpeakCaseError
from speakcase.models.store import Store
from speakcase.pipelines.claims import take_back_stale_claims, worker_name
from speakcase.pipelines.process import DEFAULT_MAX_DURATION_S

__all__ = [
    "BatchSettings",
    "Task",
    "cpu_cores",
    "take_back_stale_claims",
    "threads_per_worker",
    "worker_main",
    "worker_name",
]


def cpu_cores() -> int:
    """CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def threads_per_worker(workers: int) -> int:
    """CTranslate2 threads for each of `workers` processes sharing the cores."""
    return max(1, cpu_cores() // max(1, workers))


@dataclass(frozen=True)
class BatchSettings:
    """How a batch runs."""

    workers: int
    """Worker processes, each loading the models once."""
    model: str = "tiny.en"
    """Speech model name or directory."""
    max_duration: float = DEFAULT_MAX_DURATION_S
    """Longest recording accepted, in seconds."""
    db_url: str | None = None
    """Database URL for the workers (None: the default)."""
    move_done: Path | None = None
    """Where processed files are moved, keeping their relative paths (None: left in place)."""
    caseload: tuple[str, ...] = ()
    """Names given with --case: known people that heard names resolve to."""


@dataclass(frozen=True)
class Task:
    """One memo for a worker to process from one of its files."""

    memo_id: int
    """The memo."""
    path: str
    """The file to read it from."""


def _peak_rss() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


_stop_requested = threading.Event()


def _stop_on_signals() -> None:
    """The first SIGINT or SIGTERM raises KeyboardInterrupt (releasing the memo in hand); later ones wait."""

    def _stop(signum: int, frame: Any) -> None:
        if _stop_requested.is_set():
            return  # a release under way must not be cut short by a second signal
        # Native code (PyAV's decoder) may swallow the exception; the flag still ends the worker.
        _stop_requested.set()
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)


def _next_task(receiver: Any) -> Task | None:
    """The next task from the runner; None when told to stop or when the runner has died."""
    parent = os.getppid()
    while not receiver.poll(0.5):
        if os.getppid() != parent or _stop_requested.is_set():
            return None
    if _stop_requested.is_set():
        return None
    try:
        task: Task = receiver.recv()
        return task
    except EOFError:
        return None


def worker_main(settings: BatchSettings, cpu_threads: int, receiver: Any, results: Any) -> None:
    """A worker process: load the models once, then process the memos it is handed until told to stop."""
    from speakcase.pipelines.process import process_memo

    _stop_on_signals()
    name = worker_name()
    store = None
    try:
        try:
            from speakcase.pipelines.extract import load_extractor
            from speakcase.pipelines.transcribe import load_transcriber

            store = Store.open(settings.db_url, create=False)
            transcriber = load_transcriber(settings.model, cpu_threads=cpu_threads)
            # This process owns its cached transcriber, so the batch's duration limit can be set on it.
            transcriber.options = replace(transcriber.options, max_duration=settings.max_duration)
            extractor = load_extractor()
        except Exception as exc:  # noqa: BLE001 - reported to the runner, which stops the batch
            message = str(exc) if isinstance(exc, SpeakCaseError) else f"Loading the models failed ({exc!r})."
            results.put(("fatal", name, message))
            return
        results.put(("ready", name, None, _peak_rss()))
        while (task := _next_task(receiver)) is not None:
            result = process_memo(
                store, task.memo_id, Path(task.path), transcriber, extractor,
                worker=name, max_duration=settings.max_duration, caseload=settings.caseload,
            )  # fmt: skip
            results.put(("result", name, result, _peak_rss()))
    except KeyboardInterrupt:
        pass
    finally:
        if store is not None:
            store.close()
