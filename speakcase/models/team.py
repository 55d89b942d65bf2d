"""Team mode on PostgreSQL: teams, practitioner accounts (login roles) and what each kind may do.

The rules themselves are row-level security policies and grants in migration 0004; this module only
creates teams and roles and records who is in which team. It runs as the database's owner (an
administrator), never as a practitioner.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text

from speakcase.errors import StoreError
from speakcase.models.audit import append_event
from speakcase.models.orm import Practitioner, Team
from speakcase.models.store import Store

KINDS = ("practitioner", "manager", "auditor", "worker")
"""practitioner: own drafts and the team's confirmed records; manager: the team's records;
auditor: the audit log and every confirmed record, read-only; worker: processes queued memos."""
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class Member:
    """One account as `team list` shows it."""

    role: str
    """The PostgreSQL login role."""
    kind: str
    """practitioner, manager, auditor or worker."""
    team: str | None
    """The team's name (none for auditors and workers)."""
    display_name: str | None
    """The person's name."""


def _require_postgresql(store: Store) -> None:
    if store.db.dialect != "postgresql":
        raise StoreError(
            "Team mode needs a PostgreSQL database (--db postgresql://...); SQLite is single-user."
        )


def add_team(store: Store, name: str) -> int:
    """Create a team; returns its id (an existing team of that name is returned as it is)."""
    _require_postgresql(store)
    name = name.strip()
    if not name:
        raise StoreError("A team needs a name.")
    with store._write() as s:
        found = s.scalar(select(Team.id).where(Team.name == name))
        if found is not None:
            return int(found)
        team = Team(name=name)
        s.add(team)
        s.flush()
        append_event(s, "admin", "team.add", "team", team.id, {"name": name})
        return team.id


def add_member(
    store: Store,
    role: str,
    kind: str,
    team: str | None = None,
    password: str | None = None,
    display_name: str | None = None,
) -> None:
    """Create (or update) login role `role`, make it a `kind`, and put it in `team`.

    Without a password the role can log in only by peer or certificate authentication, as the
    server's pg_hba.conf allows.
    """
    from psycopg import sql

    _require_postgresql(store)
    if not ROLE_NAME.match(role):
        raise StoreError(
            f"{role!r} cannot be a database role name: use lower-case letters, digits and _ "
            "(at most 63), starting with a letter."
        )
    if kind not in KINDS:
        raise StoreError(f"{kind!r} is not a kind of account; use one of {', '.join(KINDS)}.")
    if kind in ("practitioner", "manager") and not team:
        raise StoreError(f"A {kind} belongs to a team: give --team NAME.")
    with store._write() as s:
        team_id = None
        if team:
            team_id = s.scalar(select(Team.id).where(Team.name == team))
            if team_id is None:
                raise StoreError(f"There is no team {team!r}; add it first with `speakcase team add-team`.")
        raw: Any = s.connection().connection.dbapi_connection  # psycopg's, for composed DDL
        assert raw is not None
        exists = s.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
        verb = "ALTER" if exists else "CREATE"
        statement = sql.SQL(verb + " ROLE {} LOGIN").format(sql.Identifier(role))
        if password is not None:
            statement += sql.SQL(" PASSWORD {}").format(sql.Literal(password))
        with raw.cursor() as cur:
            cur.execute(statement)
            for other in KINDS:  # one kind at a time: a change of kind takes the old rights away
                group = sql.Identifier(f"speakcase_{other}")
                verb_sql = "GRANT {} TO {}" if other == kind else "REVOKE {} FROM {}"
                cur.execute(sql.SQL(verb_sql).format(group, sql.Identifier(role)))
        member = s.scalar(select(Practitioner).where(Practitioner.role_name == role))
        if member is None:
            member = Practitioner(role_name=role)
            s.add(member)
        member.kind, member.team_id = kind, team_id
        member.display_name = display_name or member.display_name
        s.flush()
        details = {"role": role, "kind": kind, "team": team}
        append_event(s, "admin", "team.add_member", "practitioner", member.id, details)


def members(store: Store) -> list[Member]:
    """Every account, by team then role."""
    _require_postgresql(store)
    with store._read() as s:
        rows = s.execute(
            select(Practitioner.role_name, Practitioner.kind, Team.name, Practitioner.display_name)
            .outerjoin(Team, Team.id == Practitioner.team_id)
            .order_by(Team.name, Practitioner.role_name)
        )
        return [Member(*row) for row in rows]


def whoami(store: Store) -> Member | None:
    """The connected role's account, if it has one."""
    with store._read() as s:
        role = s.execute(text("SELECT current_user")).scalar()
    return next((m for m in members(store) if m.role == role), None)


__all__ = ["KINDS", "Member", "add_member", "add_team", "members", "whoami"]
