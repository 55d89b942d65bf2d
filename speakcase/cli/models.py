"""`speakcase models`: the speech models, their size and whether they are ready."""

from __future__ import annotations

import click

from speakcase.cli import main
from speakcase.cli.common import print_json


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def models(as_json: bool) -> None:
    """List the speech models with their size and status (installed, assembled, not installed)."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from speakcase.pipelines.speech_models import list_models

    found = list_models()
    if as_json:
        print_json(
            [
                {
                    "name": m.name,
                    "size_bytes": m.size_bytes,
                    "status": m.status,
                    "path": m.path and str(m.path),
                }
                for m in found
            ]
        )
        return
    table = Table("model", "size", "status", "description")
    for m in found:
        size = f"{m.size_bytes / 1e6:.0f} MB" if m.size_bytes else "-"
        table.add_row(m.name, size, m.status, escape(m.description))
    Console().print(table)
    click.echo("Any local CTranslate2 Whisper directory also works: --model /path/to/dir")
