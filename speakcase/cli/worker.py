"""`speakcase worker`: process the team queue's memos on this machine."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import click

from speakcase.cli import db_option, main
from speakcase.cli.common import open_store


@main.command()
@click.option(
    "--model", default=None, metavar="NAME", help="Speech model name or directory (default tiny.en)."
)
@click.option(
    "--lease",
    type=click.FloatRange(min=1.0),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="A worker without a heartbeat this long is taken for dead; its memo goes to another worker.",
)
@click.option("--until-empty", is_flag=True, help="Stop once no memo is waiting or being processed.")
@click.option(
    "--stats",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="Append one JSON line per memo (memo id, outcome, seconds), for benchmarks.",
)
@db_option
def worker(
    model: str | None, lease: float, until_empty: bool, stats: Path | None, db_url: str | None
) -> None:
    """Process memos queued with `speakcase batch DIR --enqueue`, on any machine; stop with Ctrl-C."""
    from speakcase.config import default_db_url
    from speakcase.pipelines.batch_worker import worker_name
    from speakcase.pipelines.queue import conninfo, run_worker

    conninfo(db_url or default_db_url())  # the queue lives in PostgreSQL: refuse SQLite with a sentence
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    store = open_store(db_url)
    name = worker_name()
    out = stats.open("a", buffering=1) if stats else None

    def extractor():
        from speakcase.pipelines.extract import load_extractor

        return load_extractor()

    def transcriber():
        from speakcase.pipelines.transcribe import load_transcriber

        return load_transcriber(model or "tiny.en")

    def record(entry: dict) -> None:
        if out is not None:
            out.write(json.dumps({"worker": name, **entry}) + "\n")

    click.echo(f"Worker {name} is taking memos from the queue (lease {lease:g} s).", err=True)
    try:
        run_worker(store, name, extractor, transcriber, lease=lease, until_drained=until_empty, stats=record)
    finally:
        store.close()
        if out is not None:
            out.close()
