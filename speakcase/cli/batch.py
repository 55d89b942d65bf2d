"""Commands for folders of memos: `speakcase batch` and `speakcase retry`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from speakcase.cli import db_option, main
from speakcase.cli.common import case_option, open_store, show_paths_option, stdout_is_terminal
from speakcase.errors import SpeakCaseError

_workers_option = click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Worker processes, each loading the models once (default: one per CPU core as memory allows).",
)
_model_option = click.option(
    "--model",
    default=None,
    metavar="NAME",
    help="Speech model name or CTranslate2 directory (default tiny.en).",
)


def _enqueue(folder: Path, text_memos: bool, db_url: str | None, local_options: bool) -> None:
    from speakcase.pipelines.queue import TEXT_SUFFIXES, enqueue
    from speakcase.pipelines.watch import find_audio

    if local_options:
        raise SpeakCaseError(
            "--enqueue takes no --watch, --move-done or --workers: the workers run elsewhere."
        )
    if text_memos:
        files = sorted(
            p
            for p in folder.rglob("*")
            if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES and p.name[0] != "."
        )
    else:
        files = sorted(find_audio(folder))
    store = open_store(db_url)
    try:
        done = enqueue(store, files)
    finally:
        store.close()
    click.echo(
        f"{done.queued} memos queued ({done.requeued} failed before, retried), {done.already_queued} already "
        f"waiting, {done.done} already processed; "
        "`speakcase worker` on any machine with the models processes them, `speakcase memos` shows progress."
    )


@main.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@_workers_option
@click.option(
    "--watch", is_flag=True, help="Keep running and process files as they arrive; stop with Ctrl-C."
)
@click.option(
    "--max-duration",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    metavar="MINUTES",
    help="Longer recordings fail with a reason.",
)
@click.option(
    "--move-done",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    metavar="DIR",
    help="Move processed files here, keeping their relative paths (never overwriting).",
)
@click.option(
    "--enqueue",
    is_flag=True,
    help="Team mode: register the memos as jobs in the team database's queue for `speakcase worker` "
    "on any machine, instead of processing them here.",
)
@click.option(
    "--text", "text_memos", is_flag=True, help="With --enqueue: the memos are transcripts (*.txt), not audio."
)
@_model_option
@show_paths_option
@case_option
@db_option
def batch(
    folder: Path,
    workers: int | None,
    watch: bool,
    max_duration: float,
    move_done: Path | None,
    enqueue: bool,
    text_memos: bool,
    model: str | None,
    show_paths: bool,
    caseload: tuple[str, ...],
    db_url: str | None,
) -> None:
    """Process every audio file under FOLDER once (by content), with progress; failures are reported."""
    from speakcase.pipelines.batch import BatchRunner

    if enqueue or text_memos:
        _enqueue(folder, text_memos, db_url, watch or move_done is not None or workers is not None)
        return

    if move_done is not None and move_done.resolve() == folder.resolve():
        raise SpeakCaseError("--move-done must name another folder than the one being processed.")
    store = open_store(db_url)
    settings = _settings(
        workers, model, db_url, max_duration * 60, move_done.resolve() if move_done else None, caseload
    )
    reporter = make_reporter(folder, show_paths)
    with reporter:
        summary = BatchRunner(store, settings, reporter).run_folder(folder, watch=watch)
    print_summary(summary, store, show_paths)
    store.close()
    if summary.interrupted and not watch:
        sys.exit(130)
    # Any memo not done (failed now or earlier, or held by another run) makes the exit status 1.
    sys.exit(1 if summary.of("failed", "busy") or summary.failed_earlier else 0)


@main.command()
@click.argument("memo_ids", nargs=-1, type=int, metavar="[MEMO_ID]...")
@_workers_option
@_model_option
@show_paths_option
@db_option
def retry(
    memo_ids: tuple[int, ...], workers: int | None, model: str | None, show_paths: bool, db_url: str | None
) -> None:
    """Process failed memos again (all of them, or those given) from the files they were found at."""
    from speakcase.pipelines.batch import BatchRunner, plan_retry

    store = open_store(db_url)
    tasks, gone = plan_retry(store, memo_ids)
    retried = {t.memo_id for t in tasks} | {r.memo_id for r in gone}
    for memo_id in memo_ids:
        if memo_id not in retried:
            click.echo(f"Memo {memo_id} is not a failed memo; nothing to retry.", err=True)
    if not retried:
        if not memo_ids:  # the memos named were each answered above
            click.echo("No failed memos to retry.")
        store.close()
        sys.exit(1 if memo_ids else 0)
    settings = _settings(workers, model, db_url, None, None)
    reporter = make_reporter(None, show_paths)
    with reporter:
        summary = BatchRunner(store, settings, reporter).run_tasks(tasks, gone)
    print_summary(summary, store, show_paths)
    store.close()
    sys.exit(130 if summary.interrupted else 1 if summary.of("failed", "busy") else 0)


def _settings(
    workers: int | None,
    model: str | None,
    db_url: str | None,
    max_seconds: float | None,
    move_done: Path | None,
    caseload: tuple[str, ...] = (),
) -> Any:
    from speakcase.config import load_config
    from speakcase.pipelines.batch import BatchSettings, default_workers
    from speakcase.pipelines.process import DEFAULT_MAX_DURATION_S

    return BatchSettings(
        workers=workers or default_workers(),
        model=model or str(load_config().get("model") or "tiny.en"),
        max_duration=max_seconds or DEFAULT_MAX_DURATION_S,
        db_url=open_store_url(db_url),
        move_done=move_done,
        caseload=tuple(caseload),
    )


def open_store_url(db_url: str | None) -> str:
    """The URL the workers open: the one given, else the default resolved once here."""
    from speakcase.config import default_db_url

    return db_url or default_db_url()


def make_reporter(root: Path | None, show_paths: bool = False) -> Any:
    """A progress bar on a terminal, plain lines otherwise."""
    from speakcase.cli.batch_progress import PlainReporter, RichReporter

    return RichReporter(root, show_paths) if stdout_is_terminal() else PlainReporter(root, show_paths)


def print_summary(summary: Any, store: Any, show_paths: bool = False) -> None:
    """Done, failed with reasons, skipped: what the batch did."""
    from speakcase.cli.batch_progress import summary_lines

    for line in summary_lines(summary, store, show_paths):
        click.echo(line)
