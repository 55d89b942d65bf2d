"""Team mode on a real PostgreSQL server: each practitioner connects as their own role and row-level
security decides what they see and may change. The matrix test tries every cell."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from speakcase.errors import StoreError
from speakcase.models.store import Store
from speakcase.models.team import add_member, add_team, members
from tests.factories import complete_record, transcript

pytestmark = pytest.mark.postgres

ROLES = {
    "alice": ("practitioner", "Northshire North"),
    "bob": ("practitioner", "Northshire North"),
    "mia": ("manager", "Northshire North"),
    "carol": ("practitioner", "Northshire South"),
    "audrey": ("auditor", None),
    "wendy": ("worker", None),
}


def role_url(url: str, role: str) -> str:
    return make_url(url).set(username=role).render_as_string(hide_password=False)


@pytest.fixture
def team(pg_url):
    """An administrator's store, two teams, one account of every kind, and records of each owner."""
    admin = Store.open(pg_url, anchored=False)
    add_team(admin, "Northshire North")
    add_team(admin, "Northshire South")
    for role, (kind, team_name) in ROLES.items():
        add_member(admin, role, kind, team_name, display_name=role.title())
    stores = {"admin": admin} | {r: Store.open(role_url(pg_url, r), anchored=False) for r in ROLES}
    ids = make_records(stores)
    yield stores, ids
    for s in stores.values():
        s.close()


def make_records(stores: dict[str, Store]) -> dict[str, int]:
    """A draft and a confirmed record of alice's, a draft of bob's (her team), and carol's (the other team)."""
    ids = {}
    ids["alice_draft"] = stores["alice"].add_record(None, complete_record(subject="Leo Grant"), "Alice")
    ids["alice_confirmed"] = stores["alice"].add_record(None, complete_record(subject="Ava Dean"), "Alice")
    stores["alice"].confirm(ids["alice_confirmed"], complete_record(subject="Ava Dean"), "Alice")
    ids["bob_draft"] = stores["bob"].add_record(None, complete_record(subject="Noah Bell"), "Bob")
    ids["carol_draft"] = stores["carol"].add_record(None, complete_record(subject="Isla Reid"), "Carol")
    ids["carol_confirmed"] = stores["carol"].add_record(None, complete_record(subject="Ruby Hart"), "Carol")
    stores["carol"].confirm(ids["carol_confirmed"], complete_record(subject="Ruby Hart"), "Carol")
    return ids


def _outcome(action) -> str:
    """yes: it worked; hidden: the row is invisible to this role; refused: the database said no."""
    try:
        result = action()
    except IntegrityError:  # the owner deleting a record that has revisions
        return "refused"
    except StoreError as exc:
        message = str(exc)
        if "does not exist" in message:
            return "hidden"
        assert "\n" not in message and "Traceback" not in message
        # A role's missing right, or (for the owner, whom no policy binds) the append-only triggers.
        assert message.startswith("Your database account is not allowed") or "append-only" in message, message
        return "refused"
    return "hidden" if result == 0 else "yes"


def _raw(store: Store, sql: str) -> int:
    """Run raw SQL as the store's role; rows affected or returned, or `refused`."""
    with store._write() as s:
        result: Any = s.execute(text(sql))
        return len(result.fetchall()) if result.returns_rows else int(result.rowcount)


CELLS = {
    "read alice's draft": lambda st, ids: st.record(ids["alice_draft"]),
    "read alice's confirmed": lambda st, ids: st.record(ids["alice_confirmed"]),
    "read bob's draft (team North)": lambda st, ids: st.record(ids["bob_draft"]),
    "read carol's confirmed (team South)": lambda st, ids: st.record(ids["carol_confirmed"]),
    "read carol's draft (team South)": lambda st, ids: st.record(ids["carol_draft"]),
    "read others' audit events": lambda st, ids: _raw(
        st, "SELECT id FROM audit_event WHERE actor <> current_user"
    ),
    "edit alice's draft": lambda st, ids: st.save_draft(
        ids["alice_draft"], complete_record(reason="edited"), "x"
    ),
    "confirm bob's draft": lambda st, ids: st.confirm(
        ids["bob_draft"], complete_record(subject="Noah Bell"), "x"
    ),
    "amend carol's confirmed": lambda st, ids: st.amend(
        ids["carol_confirmed"], complete_record(subject="Ruby Hart", reason="corrected"), "x", "typo"
    ),
    "add a record": lambda st, ids: st.add_record(None, complete_record(), "x"),
    "register a memo": lambda st, ids: st.add_memo("/shared/memos/x.ogg", os.urandom(32).hex())[0],
    "UPDATE a confirmed revision": lambda st, ids: _raw(
        st, "UPDATE record_revision SET author = 'someone' WHERE status = 'confirmed'"
    ),
    "DELETE an audit event": lambda st, ids: _raw(st, "DELETE FROM audit_event"),
    "DELETE a confirmed record": lambda st, ids: _raw(st, "DELETE FROM record WHERE status = 'confirmed'"),
}

Y, H, R = "yes", "hidden", "refused"
EXPECTED = {
    # reads: alice draft, alice confirmed, bob draft, carol confirmed, carol draft, audit log;
    # writes: edit alice draft, confirm bob draft, amend carol confirmed, add record, register memo,
    # UPDATE confirmed revision, DELETE audit event, DELETE confirmed record.
    "alice": [Y, Y, H, H, H, H, Y, H, H, Y, Y, R, R, R],
    "bob": [H, Y, Y, H, H, H, H, Y, H, Y, Y, R, R, R],
    "mia": [Y, Y, Y, H, H, H, Y, Y, H, Y, Y, R, R, R],
    "carol": [H, H, H, Y, Y, H, H, H, Y, Y, Y, R, R, R],
    "audrey": [H, Y, H, Y, H, Y, H, H, R, R, R, R, R, R],
    # A worker writes drafts of the memos it processes; it never sees or makes a confirmed record.
    "wendy": [Y, H, Y, H, Y, H, Y, R, H, Y, Y, R, R, R],
    # The database owner (the administrator) sees everything yet cannot rewrite history either.
    "admin": [Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, R, R, R],
}


def test_rls_matrix_every_role_every_cell(team, capsys):
    stores, _ = team
    matrix: dict[str, list[str]] = {}
    for role in EXPECTED:
        ids = make_records(stores)  # each role's row on records of its own, so no row sees another's edits
        matrix[role] = [
            _outcome(lambda cell=cell, st=stores[role], ids=ids: cell(st, ids)) for cell in CELLS.values()
        ]
    with capsys.disabled():
        width = max(len(c) for c in CELLS)
        print("\nRLS matrix (yes = allowed, hidden = row invisible, refused = database error)")
        print(" " * width + "  " + " ".join(f"{r:>7}" for r in matrix))
        for i, cell in enumerate(CELLS):
            print(f"{cell:<{width}}  " + " ".join(f"{matrix[r][i]:>7}" for r in matrix))
    assert matrix == EXPECTED


def test_revisions_and_events_are_the_authenticated_roles(team):
    stores, ids = team
    alice = stores["alice"]
    # Alice types someone else's name at the prompt: the revision is still hers, the name beside it.
    record_id = alice.add_record(None, complete_record(subject="Mae Cole"), "Mia Manager")
    revision = alice.history(record_id)[-1]
    assert (revision.author, revision.signed_as) == ("alice", "Mia Manager")
    with stores["audrey"]._read() as s:
        actors = s.execute(
            text("SELECT actor, details FROM audit_event WHERE entity = 'record' AND entity_id = :r"),
            {"r": record_id},
        ).all()
    assert actors and all(actor == "alice" for actor, _ in actors)
    assert json.loads(json.dumps(actors[0][1]))["as"] == "Mia Manager"
    # Writing a revision or an event in someone else's name is refused by the database itself.
    for sql in (
        "INSERT INTO record_revision (record_id, number, status, change, fields, author, created_at)"
        f" VALUES ({record_id}, 9, 'draft', 'edit', '{{}}', 'bob', now())",
        "INSERT INTO audit_event (seq, at, actor, action, entity, details, prev_hash, hash)"
        " VALUES (100000, now(), 'bob', 'x', 'x', '{}', 'x', 'x')",
    ):
        assert _outcome(lambda sql=sql: _raw(alice, sql)) == "refused"


def test_the_worker_processes_a_practitioners_memo_into_her_drafts(team):
    stores, _ = team
    memo_id, _ = stores["alice"].add_memo("/shared/memos/visit.ogg", "a" * 64)
    worker = stores["wendy"]
    assert worker.claim_memo(memo_id, "host:1")
    (record_id,) = worker.finish_memo(memo_id, transcript(), [complete_record(subject="Zoe Fox")], "host:1")
    assert worker.history(record_id)[0].author == "wendy"
    assert stores["alice"].record(record_id).record.subject == "Zoe Fox"  # her draft
    assert stores["alice"].transcript(memo_id) is not None
    assert stores["bob"].transcript(memo_id) is None  # a colleague sees the memo's progress, not its words
    assert [m.status for m in stores["bob"].memos()] == ["done"]
    assert stores["bob"].memo_progress() == ({"done": 1}, [])  # the inbox's queue line
    assert stores["carol"].memo_progress() == ({}, [])
    with pytest.raises(StoreError, match="does not exist"):
        stores["bob"].record(record_id)
    assert stores["carol"].memos() == []


def test_team_list_and_a_practitioner_running_admin_commands(team, pg_url):
    stores, _ = team
    assert {(m.role, m.kind, m.team) for m in members(stores["admin"])} >= {
        ("alice", "practitioner", "Northshire North"),
        ("audrey", "auditor", None),
    }
    done = subprocess.run(
        [sys.executable, "-m", "speakcase", "team", "add-team", "Rogue", "--db", role_url(pg_url, "alice")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: Your database account is not allowed"), done.stderr
