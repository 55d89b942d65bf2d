"""Commands over the store: process, memos, records, audit, demo."""

from __future__ import annotations

import shutil
import tempfile
import time
from importlib import resources
from pathlib import Path

import click

from speakcase.cli import db_option, main
from speakcase.cli.common import (
    case_option,
    file_label,
    open_store,
    parse_recorded_at,
    print_json,
    show_paths_option,
)
from speakcase.errors import SpeakCaseError


@main.command()
@click.argument("audio", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--recorded-at", help="When the memo was recorded (ISO); default: the file's metadata.")
@click.option("--model", default=None, help="Speech model name or CTranslate2 directory (default tiny.en).")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@show_paths_option
@case_option
@db_option
def process(
    audio: tuple[Path, ...],
    recorded_at: str | None,
    model: str | None,
    as_json: bool,
    show_paths: bool,
    caseload: tuple[str, ...],
    db_url: str | None,
) -> None:
    """Transcribe, extract and store AUDIO files as draft records; prints memo ids.

    A memo that failed before is tried again; the exit status is 1 unless every memo is done.
    """
    from speakcase.pipelines.process import check_readable, process_file

    when = parse_recorded_at(recorded_at)
    for number, path in enumerate(audio, start=1):
        try:
            check_readable(path)
        except SpeakCaseError as exc:
            where = f"file {number} of {len(audio)}" if len(audio) > 1 else "the file given"
            name = f": {path.name}" if show_paths else ""
            raise SpeakCaseError(f"{str(exc).rstrip('.')} ({where}{name}).") from exc
    store = open_store(db_url)
    from speakcase.pipelines.extract import load_extractor
    from speakcase.pipelines.transcribe import load_transcriber

    transcriber = load_transcriber(model or _configured_model())
    extractor = load_extractor()
    try:
        results = [
            process_file(
                store, path, transcriber, extractor, recorded_at=when, retry_failed=True, caseload=caseload
            )
            for path in audio
        ]
    finally:
        store.close()
    _report_processed(results, as_json, show_paths)


_NOT_DONE = {"busy": "is being processed by another run"}


def _report_processed(results: list, as_json: bool, show_paths: bool) -> None:
    if as_json:
        print_json([{**r.__dict__, "path": r.path if show_paths else None} for r in results])
    else:
        for r in results:
            detail = f"{len(r.record_ids)} record(s)" if r.outcome in ("done", "skipped") else r.error or ""
            if r.outcome == "busy":
                detail = _NOT_DONE["busy"]
            label = file_label(r.path, show_paths).strip(" ()")
            click.echo("\t".join(filter(None, [f"memo {r.memo_id}", r.outcome, detail, label])))
    failed = [r for r in results if r.outcome == "failed"]
    busy = [r for r in results if r.outcome == "busy"]
    if failed:
        raise SpeakCaseError(
            f"Memo {failed[0].memo_id} failed: {failed[0].error}"
            if len(failed) == 1
            else f"{len(failed)} memos failed; see above."
        )
    if busy:
        raise SpeakCaseError(
            f"Memo {busy[0].memo_id} {_NOT_DONE['busy']}; it is not done yet."
            if len(busy) == 1
            else f"{len(busy)} memos are being processed by another run; they are not done yet."
        )


def _configured_model() -> str:
    from speakcase.config import load_config

    return str(load_config().get("model") or "tiny.en")


@main.command()
@click.option("--status", type=click.Choice(["queued", "processing", "done", "failed"]), default=None)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (with every path the memo was found at).")
@show_paths_option
@db_option
def memos(status: str | None, as_json: bool, show_paths: bool, db_url: str | None) -> None:
    """List memos with their status, error and records."""
    items = open_store(db_url, readonly=True).memos(status)
    if as_json:
        print_json(
            [
                {
                    "id": m.id,
                    "sha256": m.sha256,
                    "paths": list(m.paths),
                    "recorded_at": _iso(m.recorded_at),
                    "duration": m.duration,
                    "status": m.status,
                    "error": m.error,
                    "note": m.note,
                    "attempts": m.attempts,
                    "record_ids": list(m.record_ids),
                    "worker": m.worker,
                    "owner": m.owner,
                }
                for m in items
            ]
        )
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "status", "recorded", "secs", "records", "file / error" if show_paths else "error")
    for m in items:
        detail = m.error or m.note or (Path(m.paths[0]).name if show_paths and m.paths else "")
        secs = f"{m.duration:.0f}" if m.duration else ""
        status = f"{m.status} on {m.worker}" if m.worker else m.status
        if m.attempts > 1 and m.status != "queued":
            status += f" (attempt {m.attempts})"
        table.add_row(
            str(m.id), status, _iso(m.recorded_at) or "", secs, ",".join(map(str, m.record_ids)), detail
        )
    Console().print(table if items else "No memos.")


@main.command()
@click.option("--status", type=click.Choice(["draft", "confirmed", "discarded"]), default=None)
@click.option("--search", default=None, help="Words to look for in subject, counterpart, information.")
@click.option(
    "--json", "as_json", is_flag=True, help="Print JSON (SCHEMA.md fields plus id, memo_id, status)."
)
@db_option
def records(status: str | None, search: str | None, as_json: bool, db_url: str | None) -> None:
    """List records with their current fields."""
    items = open_store(db_url, readonly=True).records(status=status, search=search)
    if as_json:
        print_json(
            [
                {
                    "id": r.id,
                    "memo_id": r.memo_id,
                    "status": r.status,
                    "revision": r.revision,
                    **r.record.to_dict(),
                }
                for r in items
            ]
        )
        return
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from speakcase.models.wording import code_label

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 0), collapse_padding=True)
    widest_id = max([2, *(len(str(r.id)) for r in items)])
    for name, width in (
        ("id", widest_id),
        ("memo", max(4, widest_id)),
        ("status", 9),
        ("when", 16),
        ("kind", 8),
    ):
        table.add_column(name, no_wrap=True, width=width)
    table.add_column("subject", min_width=8)
    table.add_column("counterpart", min_width=12)
    table.add_column("consent", min_width=8)
    for r in items:
        cp = r.record.counterpart
        who = ", ".join(v for v in (cp.name, cp.role, cp.organisation) if v)
        table.add_row(
            str(r.id),
            str(r.memo_id or ""),
            r.status,
            (r.record.occurred_at or "").replace("T", " "),
            r.record.kind,
            r.record.subject or "",
            who,
            code_label(r.record.consent.status),
        )
    Console().print(table if items else "No records.")


@main.group()
def audit() -> None:
    """The tamper-evident audit log."""


@audit.command("verify")
@click.option(
    "--expect",
    metavar="HEAD",
    default=None,
    help="The head COUNT:HASH an export or an earlier `audit head` printed; fails if the chain lost events.",
)
@db_option
def audit_verify(expect: str | None, db_url: str | None) -> None:
    """Check the audit chain, its seals and head, and every revision and transcript; exit 1 if altered."""
    report = open_store(db_url, readonly=True).verify_audit(expect=expect)
    if not report.ok:
        for problem in report.problems[:50]:
            click.echo(problem, err=True)
        more = len(report.problems) - 50
        if more > 0:
            click.echo(f"... and {more} more.", err=True)
        raise SpeakCaseError(
            f"The audit log has been altered: {len(report.problems)} problem(s) found; "
            f"the first: {report.problem}"
        )
    click.echo(
        f"Audit log intact: {report.events} events verified, covering {report.revisions} revisions "
        f"and {report.transcripts} transcripts; head {report.head}."
    )
    if not report.keyed:
        click.echo(
            "Warning: the audit key was not found, so the seals were not checked: a chain recomputed "
            "by someone holding the database would not be caught here.",
            err=True,
        )


@audit.command("head")
@db_option
def audit_head(db_url: str | None) -> None:
    """Print the chain head (COUNT:HASH) to keep elsewhere and check later with `audit verify --expect`."""
    click.echo(open_store(db_url, readonly=True).audit_head())


@main.command()
@db_option
def init(db_url: str | None) -> None:
    """Create (and migrate) a database at --db; only the default location is created without asking."""
    open_store(db_url, create=True).close()
    click.echo("The database is ready.")


@main.command()
@click.option("--model", default="tiny.en", help="Speech model name or directory.")
def demo(model: str) -> None:
    """Run the whole pipeline on the bundled sample memo into a throwaway database."""
    from speakcase.pipelines.extract import load_extractor
    from speakcase.pipelines.process import process_file
    from speakcase.pipelines.transcribe import load_transcriber

    started = time.perf_counter()
    sample = resources.files("speakcase.data") / "sample_memo.ogg"
    workdir = Path(tempfile.mkdtemp(prefix="speakcase-demo-"))
    try:
        audio = workdir / "sample_memo.ogg"
        audio.write_bytes(sample.read_bytes())
        store = open_store(f"sqlite:///{workdir / 'demo.db'}", create=True, anchored=False)
        click.echo(f"Processing the bundled sample memo with Whisper {model} (offline)...")
        result = process_file(store, audio, load_transcriber(model), load_extractor())
        if result.outcome != "done":
            raise SpeakCaseError(f"The demo memo could not be processed: {result.error}")
        transcript = store.transcript(result.memo_id)
        click.echo("\nTranscript:\n" + (transcript.text.strip() if transcript else ""))
        for record_id in result.record_ids:
            _print_record(store.record(record_id))
        store.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    click.echo(f"\nDone in {time.perf_counter() - started:.1f} s; the throwaway database was deleted.")


def _print_record(info: object) -> None:
    import json

    from rich.console import Console
    from rich.panel import Panel
    from rich.syntax import Syntax

    record = info.record  # type: ignore[attr-defined]
    body = Syntax(json.dumps(record.to_dict(), indent=2, ensure_ascii=False), "json", word_wrap=True)
    title = f"Draft record {info.id} ({record.kind})"  # type: ignore[attr-defined]
    Console().print(Panel(body, title=title))


def _iso(value: object) -> str | None:
    return value.isoformat(timespec="minutes") if value is not None else None  # type: ignore[attr-defined]


@main.command()
@click.option(
    "--subject", default=None, help="Only this child's or adult's records: the full name (any case)."
)
@click.option(
    "--status", type=click.Choice(["draft", "confirmed", "discarded"]), default="confirmed", show_default=True
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "pdf"]),
    default=None,
    help="Default: from the output file's extension.",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="File to write (mode 0600)."
)
@db_option
def export(subject: str | None, status: str, fmt: str | None, output: Path, db_url: str | None) -> None:
    """Export a case's information-sharing log (CSV, JSON or PDF): confirmations, amendments, audit check."""
    from speakcase.export import FORMATS, build_log, render, select_records, write_private

    fmt = fmt or output.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise SpeakCaseError(f"Say --format csv, json or pdf: {output.name} has no known extension.")
    if output.is_dir():
        raise SpeakCaseError(f"{output} is a directory; give a file name.")
    store = open_store(db_url, readonly=True)
    found = select_records(store, subject, status)  # nothing matching is an error: no empty log is written
    named = found[0].record.subject if subject else "all subjects"  # as the records spell it
    title = f"Information-sharing log: {named} ({status} records)"
    log = build_log(store, found, title)
    try:
        write_private(output, render(log, fmt))
    except OSError as exc:
        raise SpeakCaseError(f"Cannot write {output}: {exc.strerror or exc}.") from exc
    count = len(found)
    click.echo(f"Wrote {count} record{'s' if count != 1 else ''} to {output}.")
    if not log.audit.ok:
        raise SpeakCaseError("The audit log fails verification; the export says so on its first page.")
