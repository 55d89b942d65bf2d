"""Helpers the command modules share: opening the store, parsing times, printing."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from speakcase.errors import SpeakCaseError


def open_store(
    db_url: str | None, *, readonly: bool = False, create: bool | None = None, anchored: bool = True
) -> Any:
    """Open the store named by --db / SPEAKCASE_DB (default: the user's SQLite file).

    Only the default location is created unless `create`: a mistyped path is an error, not a new,
    empty database. Reading commands pass `readonly`, so a file made read-only is read, never chmodded.
    """
    from speakcase.models.store import Store

    return Store.open(
        db_url, create=db_url is None if create is None else create, readonly=readonly, anchored=anchored
    )


show_paths_option = click.option(
    "--show-paths",
    is_flag=True,
    help="Name memo files by their base name in messages (file names are personal data: off by default).",
)


def file_label(path: object, show_paths: bool) -> str:
    """How a message names a memo file: nothing by default, its base name with --show-paths."""
    return f" ({Path(str(path)).name})" if show_paths else ""


def parse_recorded_at(value: str | None) -> datetime | None:
    """Parse an ISO date-time given on the command line."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise SpeakCaseError(
            f"--recorded-at {value!r} is not an ISO date-time such as 2026-11-24T16:05."
        ) from exc
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone().replace(tzinfo=None)
    return parsed


def print_json(data: Any) -> None:
    """Write JSON to stdout."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def stdout_is_terminal() -> bool:
    """Whether stdout is a terminal (progress bars and colour) or a pipe (plain lines)."""
    return sys.stdout.isatty()


case_option = click.option(
    "--case",
    "caseload",
    multiple=True,
    metavar="NAME",
    help="A person on your caseload (repeatable): heard names that sound like it take its spelling.",
)
