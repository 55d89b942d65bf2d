"""`speakcase team ...`: set up team mode on a PostgreSQL database (run as its owner)."""

from __future__ import annotations

import os
import sys

import click

from speakcase.cli import db_option, main
from speakcase.cli.common import open_store, print_json


@main.group()
def team() -> None:
    """Team mode: one PostgreSQL database, an account per practitioner, row-level security."""


@team.command("init")
@db_option
def team_init(db_url: str | None) -> None:
    """Create or upgrade the schema, the roles' rights and the job queue (as the database owner)."""
    from speakcase.models.team import _require_postgresql

    store = open_store(db_url, create=True)
    try:
        _require_postgresql(store)
        click.echo("Team mode is set up: add teams with `speakcase team add-team NAME`.")
    finally:
        store.close()


@team.command("add-team")
@click.argument("name")
@db_option
def team_add_team(name: str, db_url: str | None) -> None:
    """Add a team (its practitioners share its confirmed records)."""
    from speakcase.models.team import add_team

    store = open_store(db_url)
    try:
        team_id = add_team(store, name)
    finally:
        store.close()
    click.echo(f"Team {name!r} is number {team_id}.")


def _add_member(
    kind: str, role: str, team_name: str | None, name: str | None, password_env: str | None, db_url
):
    from speakcase.errors import SpeakCaseError
    from speakcase.models.team import add_member

    password = None
    if password_env:
        password = os.environ.get(password_env)
        if not password:
            raise SpeakCaseError(f"--password-env {password_env}: that environment variable is empty.")
    elif not sys.stdin.isatty() and not sys.stdin.closed:
        password = sys.stdin.readline().rstrip("\n") or None
    store = open_store(db_url)
    try:
        add_member(store, role, kind, team_name, password=password, display_name=name)
    finally:
        store.close()
    where = f" in team {team_name!r}" if team_name else ""
    how = "with a password" if password else "without a password (peer or certificate login)"
    click.echo(f"{role} is a {kind}{where}, {how}.")


def _member_command(kind: str, needs_team: bool):
    @click.argument("role")
    @click.option("--team", "team_name", required=needs_team, help="The team's name.")
    @click.option("--name", default=None, help="The person's name, for display.")
    @click.option(
        "--password-env",
        default=None,
        metavar="VAR",
        help="Read the role's password from this environment variable (else one line on stdin, if piped).",
    )
    @db_option
    def command(role: str, team_name: str | None, name: str | None, password_env: str | None, db_url) -> None:
        _add_member(kind, role, team_name, name, password_env, db_url)

    command.__doc__ = f"Create the database login ROLE as a {kind}."
    return command


team.command("add-practitioner")(_member_command("practitioner", True))
team.command("add-manager")(_member_command("manager", True))
team.command("add-auditor")(_member_command("auditor", False))
team.command("add-worker")(_member_command("worker", False))


@team.command("list")
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@db_option
def team_list(as_json: bool, db_url: str | None) -> None:
    """Every account: role, kind and team."""
    from speakcase.models.team import members

    store = open_store(db_url, readonly=True)
    try:
        rows = members(store)
    finally:
        store.close()
    if as_json:
        print_json([m.__dict__ for m in rows])
        return
    for m in rows:
        click.echo(f"{m.role:<20} {m.kind:<13} {m.team or '-':<24} {m.display_name or ''}")
