"""`speakcase dictate`: record from the microphone, transcribe while speaking, store the draft on stop.

In a terminal: space pauses and resumes, enter stops and stores, q or escape cancels (nothing kept).
Without a terminal (scripts, tests) commands are read one per line from standard input: ``pause``,
``resume``, ``stop``, ``cancel``; end of input stops. ``--seconds N`` stops after N seconds recorded.
"""

from __future__ import annotations

import select
import sys
import threading
import time
from pathlib import Path

import click

from speakcase.cli import db_option, main
from speakcase.cli.common import case_option, open_store, print_json
from speakcase.errors import SpeakCaseError


@main.command()
@case_option
@click.option("--model", default=None, help="Speech model name or CTranslate2 directory (default tiny.en).")
@click.option("--seconds", type=float, default=None, help="Stop by itself after this many seconds recorded.")
@click.option("--device", default=None, help="Input device name or number (default: the system's).")
@click.option(
    "--recover/--discard",
    "recover",
    default=None,
    help="What to do with an interrupted recording found at start (default: ask; no terminal: keep it).",
)
@click.option("--no-review", is_flag=True, help="Do not open the draft for review after storing it.")
@click.option("--json", "as_json", is_flag=True, help="Print the result (memo, records, timings) as JSON.")
@db_option
def dictate(
    caseload: tuple[str, ...],
    model: str | None,
    seconds: float | None,
    device: str | None,
    recover: bool | None,
    no_review: bool,
    as_json: bool,
    db_url: str | None,
) -> None:
    """Record a memo from the microphone and store it as draft records when you stop."""
    from speakcase.pipelines.record import check_input_device, pending_recordings

    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    dev = int(device) if device is not None and device.isdigit() else device
    store = open_store(db_url)
    from speakcase.cli.store import _configured_model
    from speakcase.pipelines.extract import load_extractor
    from speakcase.pipelines.transcribe import load_transcriber

    transcriber = None
    extractor = None
    pending = pending_recordings()
    if pending:
        total = sum(p.duration for p in pending)
        click.echo(
            f"{len(pending)} interrupted recording(s) found ({total:.0f} s of audio, "
            f"from {pending[0].started_at:%d %b %H:%M}).",
            err=True,
        )
        if recover is None and interactive:
            recover = click.confirm("Recover and store it now?", default=True, err=True)
        if recover:
            transcriber = load_transcriber(model or _configured_model())
            extractor = load_extractor()
            _recover_all(store, pending, transcriber, extractor, caseload, as_json)
            return
        if recover is False:
            from speakcase.pipelines.record import discard

            for p in pending:
                discard(p)
            click.echo("Discarded.", err=True)
        else:
            click.echo("Kept; run `speakcase dictate --recover` to store it.", err=True)
    check_input_device(dev)  # before loading models: no microphone is one sentence, at once
    transcriber = load_transcriber(model or _configured_model())
    extractor = load_extractor()
    from speakcase.pipelines.dictate import Dictation
    from speakcase.pipelines.names import known_names

    # The names `process` biases and corrects towards: the caseload (--case) and the store's confirmed ones.
    session = Dictation(transcriber, extra_terms=known_names(store, caseload=caseload), device=dev)
    session.start()
    try:
        outcome = _control(session, seconds, interactive)
    except BaseException:
        session.cancel()
        raise
    if outcome == "cancel":
        session.cancel()
        store.close()
        click.echo("Cancelled: nothing was kept.", err=True)
        return
    error = session.recorder.error
    stored = session.stop(store, extractor)
    if error is not None:
        click.echo(f"{error} The {stored.transcript.duration:.0f} s recorded were stored.", err=True)
    _report(stored, as_json)
    store.close()
    if stored.result.outcome == "failed":
        raise SpeakCaseError(stored.result.error or "The dictation could not be stored.")
    if interactive and not no_review and stored.result.record_ids:
        _open_review(db_url)


def _control(session: object, seconds: float | None, interactive: bool) -> str:
    """Run until stop or cancel; returns "stop" or "cancel"."""
    recorder = session.recorder  # type: ignore[attr-defined]
    commands: list[str] = []
    done = threading.Event()
    if not interactive:

        def read() -> None:
            try:
                for line in sys.stdin:
                    commands.append(line.strip().lower())
            except (OSError, ValueError):
                pass
            if seconds is None:  # end of input stops, unless a length was given
                commands.append("stop")

        threading.Thread(target=read, daemon=True).start()
    else:
        click.echo("Recording. space: pause/resume · enter: stop and store · q: cancel", err=True)
    last_line = 0.0
    with _raw_terminal(interactive) as keys:
        while not done.is_set():
            if keys is not None:
                key = keys()
                if key in (" ",):
                    commands.append("resume" if recorder.paused else "pause")
                elif key in ("\r", "\n"):
                    commands.append("stop")
                elif key in ("q", "\x1b", "\x03"):
                    commands.append("cancel")
            while commands:
                command = commands.pop(0)
                if command == "pause":
                    recorder.pause()
                elif command == "resume":
                    recorder.resume()
                elif command in ("stop", "cancel"):
                    _line(recorder, interactive, final=True)
                    return command
            if seconds is not None and recorder.elapsed >= seconds:
                _line(recorder, interactive, final=True)
                return "stop"
            if recorder.error is not None:
                _line(recorder, interactive, final=True)
                return "stop"
            now = time.monotonic()
            if interactive and now - last_line >= 0.1:
                _line(recorder, interactive)
                last_line = now
            time.sleep(0.02 if keys is not None else 0.05)
    return "stop"


def _line(recorder: object, interactive: bool, final: bool = False) -> None:
    if not interactive:
        return
    level = recorder.level  # type: ignore[attr-defined]
    bar = "█" * int(level * 20)
    state = "paused " if recorder.paused else "recording"  # type: ignore[attr-defined]
    elapsed = recorder.elapsed  # type: ignore[attr-defined]
    text = f"\r{state} {int(elapsed // 60):02d}:{elapsed % 60:04.1f} [{bar:<20}]"
    click.echo(text + ("\n" if final else ""), nl=False, err=True)


class _raw_terminal:
    """cbreak mode on a terminal, giving a non-blocking key reader; a no-op without one."""

    def __init__(self, interactive: bool) -> None:
        self.interactive = interactive
        self.saved: list | None = None

    def __enter__(self):
        if not self.interactive:
            return None
        import termios
        import tty

        fd = sys.stdin.fileno()
        self.saved = termios.tcgetattr(fd)
        tty.setcbreak(fd)

        def key() -> str | None:
            ready, _, _ = select.select([fd], [], [], 0)
            return sys.stdin.read(1) if ready else None

        return key

    def __exit__(self, *exc: object) -> None:
        if self.saved is not None:
            import termios

            termios.tcsetattr(sys.stdin.fileno(), termios.TCSADRAIN, self.saved)


def _report(stored: object, as_json: bool) -> None:
    result = stored.result  # type: ignore[attr-defined]
    timings = stored.timings  # type: ignore[attr-defined]
    if as_json:
        print_json(
            {
                "memo_id": result.memo_id,
                "outcome": result.outcome,
                "record_ids": list(result.record_ids),
                "audio": str(stored.audio),  # type: ignore[attr-defined]
                "duration": round(stored.transcript.duration, 3),  # type: ignore[attr-defined]
                "text": stored.transcript.text,  # type: ignore[attr-defined]
                "timings": {k: round(v, 3) for k, v in timings.items()},
            }
        )
        return
    detail = f"{len(result.record_ids)} record(s)" if result.outcome != "failed" else result.error
    click.echo(f"memo {result.memo_id}\t{result.outcome}\t{detail}\t{stored.audio}")  # type: ignore[attr-defined]
    click.echo(f"Stored {timings.get('total', 0):.1f} s after stop.", err=True)


def _recover_all(store, pending, transcriber, extractor, caseload, as_json) -> None:
    from speakcase.pipelines.dictate import store_recording
    from speakcase.pipelines.record import recover

    for item in pending:
        wav: Path = recover(item)
        stored = store_recording(
            store, wav, None, transcriber, extractor, recorded_at=item.started_at, caseload=caseload
        )
        click.echo(f"Recovered {item.duration:.1f} s.", err=True)
        _report(stored, as_json)
    store.close()


def _open_review(db_url: str | None) -> None:
    from speakcase.models.store import Store
    from speakcase.tui.app import ReviewApp

    store = Store.open(db_url)
    try:
        ReviewApp(store).run()
    finally:
        store.close()
