"""Batch processing: every memo under a folder, in worker processes, exactly once, failures isolated."""

from __future__ import annotations

import hashlib
import logging
import os
import queue
import shutil
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from speakcase.errors import AudioError, SpeakCaseError
from speakcase.files import make_private_dir
from speakcase.models.store import MemoInfo, Store
from speakcase.pipelines.batch_worker import (
    BatchSettings,
    Task,
    cpu_cores,
    take_back_stale_claims,
    threads_per_worker,
    worker_main,
    worker_name,
)
from speakcase.pipelines.process import ProcessResult
from speakcase.pipelines.watch import FolderScan

__all__ = [
    "BatchRunner",
    "BatchSettings",
    "BatchSummary",
    "Reporter",
    "Task",
    "default_workers",
    "plan_retry",
    "take_back_stale_claims",
    "worker_name",
]

log = logging.getLogger(__name__)

POLL_SECONDS = 2.0
"""How often a watched folder is scanned; a file is taken once unchanged over two scans."""
STOP_GRACE_SECONDS = 30.0
"""How long a stopping worker may take to release or finish its memo before it is killed."""
WORKER_MEMORY_BYTES = 640 * 2**20
"""Memory to allow per worker: bench/batch.py measured a peak RSS of about 500 MB (tiny.en and spaCy)."""


def default_workers() -> int:
    """One single-threaded worker per core, as memory allows (bench/batch.py: 2 x 1 beat 1 x 2 on 2 cores)."""
    import psutil

    by_memory = psutil.virtual_memory().available // WORKER_MEMORY_BYTES
    return int(max(1, min(cpu_cores(), by_memory)))


@dataclass(frozen=True)
class BatchSummary:
    """What a batch did, file by file."""

    results: tuple[ProcessResult, ...]
    """One per file found (or memo retried), in the order they were settled."""
    interrupted: bool
    """Whether it was stopped before the end."""
    left: int
    """Memos not processed because of the stop (queued for the next run)."""
    peak_rss: tuple[tuple[str, int], ...]
    """Peak resident memory in bytes of each worker, by worker name."""
    elapsed: float
    """Wall-clock seconds."""

    def of(self, *outcomes: str) -> list[ProcessResult]:
        """The results with one of these outcomes."""
        return [r for r in self.results if r.outcome in outcomes]

    @property
    def failed_earlier(self) -> list[ProcessResult]:
        """Files skipped because their memo failed in an earlier run (see `speakcase retry`)."""
        return [r for r in self.results if r.outcome == "skipped" and r.error]

    @property
    def all_succeeded(self) -> bool:
        """True when nothing failed, now or earlier, and nothing was left undone."""
        return not self.of("failed") and not self.failed_earlier and not self.interrupted


class Reporter(Protocol):
    """Receives progress as the batch goes."""

    def queued(self, path: str, seconds: float) -> None:
        """A file's memo was queued for processing; `seconds` of audio (0 when unknown)."""

    def finished(self, result: ProcessResult) -> None:
        """A file was settled: done, failed, skipped, duplicate or busy."""


def move_done_file(path: Path, root: Path, target_root: Path) -> Path:
    """Move a processed file under `target_root` at its path relative to `root`, never overwriting."""
    relative = path.relative_to(root)
    target = target_root / relative
    number = 1
    while target.exists():
        number += 1
        target = target_root / relative.parent / f"{relative.stem} ({number}){relative.suffix}"
    make_private_dir(target.parent)
    shutil.move(str(path), str(target))
    return target


def plan_retry(store: Store, memo_ids: Iterable[int] | None = None) -> tuple[list[Task], list[ProcessResult]]:
    """Requeue failed memos (all, or those given) and pick, for each, a file still holding its recording."""
    from speakcase.pipelines.audio import sha256_file

    tasks: list[Task] = []
    gone: list[ProcessResult] = []
    for memo_id in store.requeue(list(memo_ids) if memo_ids else None):
        memo = store.memo(memo_id)
        reason = "None of the files it was found at still holds the same recording."
        for path in memo.paths:
            try:
                if sha256_file(path) == memo.sha256:
                    tasks.append(Task(memo_id, path))
                    break
            except FileNotFoundError:
                continue
            except AudioError as exc:
                reason = str(exc)
            except OSError as exc:
                reason = f"The file cannot be read: {exc.strerror or type(exc).__name__}."
        else:
            store.fail_memo(memo_id, reason, worker_name())
            gone.append(ProcessResult(memo.paths[0], memo_id, "failed", error=reason, duration=memo.duration))
    return tasks, gone


@contextmanager
def _term_as_interrupt() -> Iterator[None]:
    """SIGTERM stops the batch the way Ctrl-C does (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, _raise)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class BatchRunner:
    """Hands memos to worker processes and collects what they did."""

    def __init__(self, store: Store, settings: BatchSettings, reporter: Reporter) -> None:
        import multiprocessing

        self.store = store
        self.settings = settings
        self.reporter = reporter
        self._ctx = multiprocessing.get_context("spawn")
        self._results_queue: Any = None
        self._workers: dict[str, Any] = {}
        self._idle: deque[str] = deque()
        self._holding: dict[str, Task] = {}
        self._pending: deque[Task] = deque()
        self._paths: dict[int, list[Path]] = {}
        self._done: set[int] = set()
        self._results: list[ProcessResult] = []
        self._peak: dict[str, int] = {}
        self._root: Path | None = None
        self._stopping = False

    def run_folder(self, root: Path, watch: bool = False) -> BatchSummary:
        """Process every audio file under `root` (and, watching, every one that arrives)."""
        self._root = root.resolve()
        scan = FolderScan(root, exclude=self.settings.move_done, watch=watch)

        def feed() -> None:
            for path in scan.poll():
                self._register(path)
                self._drain(0)

        return self._run(feed, lambda: scan.exhausted)

    def run_tasks(self, tasks: Iterable[Task], settled: Iterable[ProcessResult] = ()) -> BatchSummary:
        """Process given memos from given files (a retry); `settled` are results already known."""
        fed: list[bool] = []

        def feed() -> None:
            for result in settled:
                self._settle(result)
            for task in tasks:
                self._paths[task.memo_id] = [Path(task.path)]
                self._enqueue(task, self.store.memo(task.memo_id).duration)
            fed.append(True)

        return self._run(feed, lambda: bool(fed))

    def _run(self, feed: Callable[[], None], exhausted: Callable[[], bool]) -> BatchSummary:
        started = time.monotonic()
        interrupted = False
        take_back_stale_claims(self.store)
        self._results_queue = self._ctx.Queue()
        try:
            with _term_as_interrupt():
                next_scan = 0.0
                while not (exhausted() and not self._pending and not self._holding):
                    if not exhausted() and time.monotonic() >= next_scan:
                        feed()
                        next_scan = time.monotonic() + POLL_SECONDS
                    self._drain(0.2)
                    self._check_workers()
        except KeyboardInterrupt:
            interrupted = True
        finally:
            self._stop_workers(interrupted)
            self._settle_finished_in_hand()
        left = len(self._pending) + len(self._holding)
        return BatchSummary(
            tuple(self._results), interrupted, left, tuple(self._peak.items()), time.monotonic() - started
        )

    def _settle_finished_in_hand(self) -> None:
        """A worker stopped after storing its memo but before reporting it: the database says it is done."""
        for name, task in list(self._holding.items()):
            try:
                memo = self.store.memo(task.memo_id)
            except SpeakCaseError:
                continue
            if memo.status == "done":
                del self._holding[name]
                self._settle(_result_from_memo(task.path, memo, outcome="done"))

    # files and memos -------------------------------------------------------
    def _register(self, path: Path) -> None:
        from speakcase.pipelines.audio import sha256_file

        try:
            sha256 = sha256_file(path)
        except FileNotFoundError:
            return  # gone between listing and reading
        except AudioError as exc:  # a FIFO, device or socket: refused without opening it for reading
            self._register_unreadable(path, str(exc))
            return
        except OSError as exc:
            self._register_unreadable(path, f"The file cannot be read: {exc.strerror or type(exc).__name__}.")
            return
        memo_id, _ = self.store.add_memo(str(path), sha256)
        if memo_id in self._paths:
            self._paths[memo_id].append(path)
            self._report(ProcessResult(str(path), memo_id, "duplicate"))
            if memo_id in self._done:
                self._move([path], memo_id)
            return
        self._paths[memo_id] = [path]
        memo = self.store.memo(memo_id)
        if memo.status == "queued":
            self._enqueue(Task(memo_id, str(path)), memo.duration)
            return
        self._settle(_result_from_memo(str(path), memo))

    def _register_unreadable(self, path: Path, reason: str) -> None:
        """An unreadable file has no content hash: its memo is keyed by its path so it is reported once."""
        key = hashlib.sha256(b"unreadable file\0" + os.fsencode(path)).hexdigest()
        memo_id, created = self.store.add_memo(str(path), key)
        self._paths[memo_id] = [path]
        if created:
            self.store.fail_memo(memo_id, reason, worker_name())
            self._settle(ProcessResult(str(path), memo_id, "failed", error=reason))
        else:
            self._settle(_result_from_memo(str(path), self.store.memo(memo_id)))

    def _enqueue(self, task: Task, seconds: float | None) -> None:
        if seconds is None:
            seconds = _declared_seconds(Path(task.path))
        self._pending.append(task)
        self.reporter.queued(task.path, seconds)
        self._start_workers()
        self._dispatch()

    def _settle(self, result: ProcessResult) -> None:
        self._report(result)
        if result.outcome in ("done", "skipped") and not result.error:
            self._done.add(result.memo_id)
            self._move(self._paths.get(result.memo_id, []), result.memo_id)

    def _report(self, result: ProcessResult) -> None:
        self._results.append(result)
        self.reporter.finished(result)

    def _move(self, paths: list[Path], memo_id: int) -> None:
        target_root, root = self.settings.move_done, self._root
        if target_root is None or root is None:
            return
        sha256 = self.store.memo(memo_id).sha256
        for path in paths:
            try:
                target = move_done_file(path, root, target_root)
            except (OSError, ValueError) as exc:
                log.warning("memo %s: a processed file could not be moved (%s)", memo_id, type(exc).__name__)
                continue
            self.store.add_memo(str(target), sha256)

    # workers ---------------------------------------------------------------
    def _start_workers(self) -> None:
        """Start workers as work arrives, up to the number asked (a run with nothing to do loads no model)."""
        wanted = min(self.settings.workers, len(self._pending) + len(self._holding))
        for _ in range(wanted - len(self._workers)):
            receiver, sender = self._ctx.Pipe(duplex=False)
            process = self._ctx.Process(
                target=worker_main,
                args=(
                    self.settings,
                    threads_per_worker(self.settings.workers),
                    receiver,
                    self._results_queue,
                ),
                daemon=True,
            )
            process.start()
            receiver.close()
            self._workers[worker_name(process.pid)] = (process, sender)

    def _dispatch(self) -> None:
        while self._pending and self._idle and not self._stopping:
            name = self._idle.popleft()
            if name not in self._workers:
                continue
            try:
                self._workers[name][1].send(self._pending[0])
            except OSError:
                continue  # the worker has just died; _check_workers replaces it
            self._holding[name] = self._pending.popleft()

    def _drain(self, timeout: float) -> None:
        while True:
            try:
                message = (
                    self._results_queue.get(timeout=timeout) if timeout else self._results_queue.get_nowait()
                )
            except queue.Empty:
                return
            timeout = 0
            self._handle(*message)

    def _handle(self, kind: str, name: str, payload: Any, peak_rss: int = 0) -> None:
        if peak_rss:
            self._peak[name] = max(peak_rss, self._peak.get(name, 0))
        if kind == "fatal":
            raise SpeakCaseError(payload)
        if kind == "result":
            self._holding.pop(name, None)
            self._settle(payload)
        self._idle.append(name)
        self._dispatch()

    def _check_workers(self) -> None:
        for name, (process, sender) in list(self._workers.items()):
            if process.is_alive():
                continue
            self._drain(0)  # its last messages may still be in the queue
            del self._workers[name]
            sender.close()
            task = self._holding.pop(name, None)
            if name not in self._peak and task is None:
                raise SpeakCaseError(
                    f"A worker process stopped while loading the models (exit code {process.exitcode})."
                )
            if task is not None:
                self._fail_orphan(task, name, process.exitcode)
            self._start_workers()

    def _fail_orphan(self, task: Task, name: str, exitcode: int | None) -> None:
        reason = (
            f"The worker processing this recording stopped unexpectedly (exit code {exitcode}); "
            "the memo can be retried."
        )
        memo = self.store.memo(task.memo_id)
        if memo.status == "processing":
            self.store.fail_memo(task.memo_id, reason, name)
            self._settle(
                ProcessResult(task.path, task.memo_id, "failed", error=reason, duration=memo.duration)
            )
        else:
            self._settle(_result_from_memo(task.path, memo))

    def _stop_workers(self, interrupted: bool) -> None:
        in_main = threading.current_thread() is threading.main_thread()
        previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)} if in_main else {}
        for sig in previous:
            signal.signal(sig, _ignore)  # a second Ctrl-C must not cut the shutdown short
        try:
            for process, sender in self._workers.values():
                if interrupted and process.is_alive():
                    process.terminate()
                _send_quietly(sender, None)
            deadline = time.monotonic() + STOP_GRACE_SECONDS
            while any(p.is_alive() for p, _ in self._workers.values()) and time.monotonic() < deadline:
                self._drain_quietly()
            for process, sender in self._workers.values():
                if process.is_alive():
                    process.kill()  # its claim is taken back on the next run: the pid is dead
                process.join(timeout=5)
                sender.close()
            self._drain_quietly()
        finally:
            self._workers.clear()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _drain_quietly(self) -> None:
        """Collect results while stopping: finished memos are reported, nothing new is dispatched."""
        self._stopping = True
        try:
            self._drain(0.1)
        except SpeakCaseError:
            pass


def _ignore(signum: int, frame: Any) -> None:
    """A handler that does nothing (SIG_IGN would make a signal already pending print a warning)."""


def _send_quietly(sender: Any, message: Any) -> None:
    try:
        sender.send(message)
    except (BrokenPipeError, OSError):
        pass


def _result_from_memo(path: str, memo: MemoInfo, outcome: str | None = None) -> ProcessResult:
    """A file whose memo another run already settled (or a live worker elsewhere holds)."""
    outcome = outcome or ("busy" if memo.status == "processing" else "skipped")
    return ProcessResult(path, memo.id, outcome, memo.record_ids, memo.error, memo.duration)


def _declared_seconds(path: Path) -> float:
    """The duration the container declares, for progress; 0 when it cannot say."""
    from speakcase.pipelines.audio import probe

    try:
        return probe(path, max_duration=None).duration
    except (SpeakCaseError, OSError):
        return 0.0
