"""`speakcase transcribe`: one audio file to text or the architecture.md JSON."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from speakcase.cli import main
from speakcase.cli.common import print_json


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
def transcribe(audio: Path, as_json: bool, model: str | None, no_bias: bool, force_bias: bool) -> None:
    """Transcribe AUDIO (wav, mp3, m4a, ogg/opus, flac, webm) offline and print the transcript."""
    from speakcase.config import load_config
    from speakcase.pipelines.transcribe import load_transcriber

    transcriber = load_transcriber(model or str(load_config().get("model") or "tiny.en"))
    options = transcriber.options
    if no_bias or force_bias:
        options = replace(options, bias=force_bias and not no_bias)
    transcript = transcriber.transcribe(audio, options=options)
    if as_json:
        print_json(transcript.to_dict())
    else:
        click.echo(transcript.text)
