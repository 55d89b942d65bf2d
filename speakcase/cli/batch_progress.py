"""How a batch shows its progress: a rich bar on a terminal, plain lines in a pipe, and a summary."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from speakcase.pipelines.batch import BatchSummary
from speakcase.pipelines.process import ProcessResult

_LABELS = {
    "skipped": "already processed",
    "duplicate": "same recording as another file",
    "busy": "being processed by another run",
}


def shown(path: str, show_paths: bool) -> str:
    """How a line names a memo's file: not at all (names are personal data), or its base name."""
    return f"  ({Path(path).name})" if show_paths else ""


def duration_text(seconds: float) -> str:
    """Seconds as "1h02m", "3m05s" or "42s"."""
    seconds = int(round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    if seconds >= 60:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds}s"


class _Tally:
    """Counts shared by both reporters: files and audio queued and processed, rate and ETA."""

    def __init__(self, root: Path | None, show_paths: bool = False) -> None:
        self.root = root
        self.show_paths = show_paths
        self.queued_seconds: dict[str, float] = {}
        self.total_seconds = 0.0
        self.done_seconds = 0.0
        self.transcribed_seconds = 0.0
        self.processed = 0
        self.outcomes: Counter[str] = Counter()
        self.started = time.monotonic()

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def queued(self, path: str, seconds: float) -> None:
        """Count a file queued for processing."""
        self.queued_seconds[path] = max(seconds, 1.0)
        self.total_seconds += self.queued_seconds[path]

    def finished(self, result: ProcessResult) -> None:
        """Count a settled file."""
        self.outcomes[result.outcome] += 1
        if result.path in self.queued_seconds:
            self.processed += 1
            seconds = self.queued_seconds.pop(result.path)
            self.done_seconds += seconds
            if result.outcome == "done":
                self.transcribed_seconds += seconds

    @property
    def rate(self) -> float:
        """Memos processed per minute so far."""
        minutes = (time.monotonic() - self.started) / 60
        return self.processed / minutes if minutes > 0 else 0.0

    @property
    def eta(self) -> str:
        """Time left at the rate audio has been transcribed so far (quick failures do not count)."""
        elapsed = time.monotonic() - self.started
        if not self.transcribed_seconds or not self.queued_seconds:
            return "-"
        remaining = self.total_seconds - self.done_seconds
        return duration_text(remaining * elapsed / self.transcribed_seconds)

    @property
    def audio(self) -> str:
        """Minutes of audio processed out of those queued."""
        return f"{self.done_seconds / 60:.1f}/{self.total_seconds / 60:.1f} min audio"

    @property
    def files(self) -> str:
        """Files processed out of those queued."""
        return f"{self.processed}/{self.processed + len(self.queued_seconds)} files"


class PlainReporter(_Tally):
    """One line per file, for logs and pipes."""

    def finished(self, result: ProcessResult) -> None:
        """Print what happened to a file."""
        super().finished(result)
        path = shown(result.path, self.show_paths)
        if result.outcome == "done":
            extra = f"{len(result.record_ids)} record(s)"
            click.echo(f"done      memo {result.memo_id}  {extra}{path}  [{self._progress()}]")
        elif result.outcome == "failed":
            click.echo(f"failed    memo {result.memo_id}{path}: {result.error}  [{self._progress()}]")
        else:
            why = "failed earlier" if result.error else _LABELS.get(result.outcome, result.outcome)
            click.echo(f"{result.outcome:<9} memo {result.memo_id}{path} ({why})")

    def _progress(self) -> str:
        return f"{self.files}, {self.audio}, {self.rate:.1f} memos/min, ETA {self.eta}"


class RichReporter(_Tally):
    """A live progress bar: files, minutes of audio, rate and time left; failures printed above it."""

    def __init__(self, root: Path | None, show_paths: bool = False) -> None:
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn

        super().__init__(root, show_paths)
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]Processing"),
            BarColumn(),
            TextColumn(
                "{task.fields[files]}  {task.fields[audio]}  {task.fields[rate]}  ETA {task.fields[eta]}"
            ),
        )
        self.task = self.progress.add_task("batch", total=None, **self._fields())

    def __enter__(self) -> Any:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def queued(self, path: str, seconds: float) -> None:
        """Grow the bar's total."""
        super().queued(path, seconds)
        self._refresh()

    def finished(self, result: ProcessResult) -> None:
        """Advance the bar; print failures above it."""
        super().finished(result)
        if result.outcome == "failed":
            path = shown(result.path, self.show_paths)
            self.progress.console.print(
                f"[red]failed[/red] memo {result.memo_id}{path}: {result.error}", markup=False
            )
        self._refresh()

    def _fields(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "audio": self.audio,
            "rate": f"{self.rate:.1f} memos/min",
            "eta": self.eta,
        }

    def _refresh(self) -> None:
        self.progress.update(
            self.task, total=self.total_seconds or None, completed=self.done_seconds, **self._fields()
        )


def summary_lines(summary: BatchSummary, store: Any, show_paths: bool = False) -> Iterator[str]:
    """The end-of-batch report: done, failed with reasons, skipped, and what was left."""
    done = summary.of("done")
    seconds = sum(r.duration or 0.0 for r in done)
    rate = len(done) / (summary.elapsed / 60) if summary.elapsed else 0.0
    yield (
        f"Done: {len(done)} memo(s), {seconds / 60:.1f} min of audio, "
        f"in {duration_text(summary.elapsed)} ({rate:.1f} memos/min)."
    )
    silent = [r for r in done if not r.record_ids and store.memo(r.memo_id).note]
    if silent:
        yield f"  {len(silent)} with no speech found: no record was made from them."
    file_time = [r for r in done if store.memo(r.memo_id).recorded_at_source == "file_time"]
    if file_time:
        yield (
            f"  {len(file_time)} with no recording-time tag: their time is the file's modified time"
            " (a copy's time if copied); check it in review (f2 on the record):"
        )
        yield from (f"    memo {r.memo_id}{shown(r.path, show_paths)}" for r in file_time)
    failed = summary.of("failed")
    if failed:
        yield f"Failed: {len(failed)}"
        yield from (f"  memo {r.memo_id}{shown(r.path, show_paths)}: {r.error}" for r in failed)
    skipped = Counter(
        "failed earlier" if r.error else r.outcome for r in summary.of("skipped", "duplicate", "busy")
    )
    if skipped:
        parts = ", ".join(f"{n} {_LABELS.get(k, k)}" for k, n in sorted(skipped.items()))
        yield f"Skipped: {sum(skipped.values())} ({parts})."
        for r in summary.of("duplicate"):
            named = f"  memo {r.memo_id}{shown(r.path, show_paths)}"
            yield f"{named}: a second copy of a recording already stored"
    earlier = summary.failed_earlier
    if earlier:
        ids = " ".join(str(r.memo_id) for r in earlier)
        yield f"Failed in an earlier run (try again with `speakcase retry {ids}`):"
        yield from (f"  memo {r.memo_id}{shown(r.path, show_paths)}: {r.error}" for r in earlier)
    if summary.interrupted:
        yield f"Stopped: {summary.left} memo(s) left queued; run the same command again to continue."
