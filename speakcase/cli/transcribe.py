"""`speakcase transcribe`: one audio file to text or the architecture.md JSON."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from speakcase.cli import main
from speakcase.cli.common import case_option, print_json


@main.command()
@click.argument("audio", type=click.Path(path_type=Path))
@click.option(
    "--json", "as_json", is_flag=True, help="Print text, language, duration, segments and words as JSON."
)
@click.option(
    "--model", default=None, metavar="NAME_OR_DIR", help="tiny.en (default), base, or a model directory."
)
@click.option("--no-bias", is_flag=True, help="Do not bias decoding towards the safeguarding glossary.")
@click.option("--bias", "force_bias", is_flag=True, help="Bias decoding towards the safeguarding glossary.")
@case_option
def transcribe(
    audio: Path, as_json: bool, model: str | None, no_bias: bool, force_bias: bool, caseload: tuple[str, ...]
) -> None:
    """Transcribe AUDIO (wav, mp3, m4a, ogg/opus, flac, webm) offline and print the transcript."""
    from speakcase.config import load_config
    from speakcase.pipelines.transcribe import load_transcriber

    transcriber = load_transcriber(model or str(load_config().get("model") or "tiny.en"))
    options = transcriber.options
    if no_bias or force_bias:
        options = replace(options, bias=force_bias and not no_bias)
    from speakcase.pipelines.names import known_names

    transcript = transcriber.transcribe(
        audio, options=options, extra_terms=known_names(None, caseload=caseload)
    )
    if as_json:
        print_json(transcript.to_dict())
        return
    click.echo(transcript.text)
    # What was changed or needs listening to goes to stderr, so stdout stays the transcript.
    for c in transcript.corrections():
        click.echo(
            f"corrected: heard '{c['heard']}' as '{c['word']}' ({c['source']}, {c['match']:.2f})", err=True
        )
    for s in transcript.segments:
        if s.review:
            click.echo(f"review at {s.start:.1f}-{s.end:.1f} s: {s.review}", err=True)
