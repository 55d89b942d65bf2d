"""Team mode: teams, practitioners, record ownership; on PostgreSQL the practitioner roles, row-level
security, attribution to the authenticated role, and the job queue's schema (procrastinate).

On SQLite only the tables and columns are added: single-user mode is unchanged.

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
KINDS = ("practitioner", "manager", "auditor", "worker")
"""The kinds of account; each is a PostgreSQL group role speakcase_<kind> that a login role joins."""
GROUPS = tuple(f"speakcase_{k}" for k in KINDS)


def upgrade() -> None:
    op.create_table(
        "team",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(128), nullable=False, unique=True),
        sa.Column("created_at", TZ, nullable=False, server_default=sa.func.current_timestamp()),
    )
    op.create_table(
        "practitioner",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("role_name", sa.String(63), nullable=False, unique=True),
        sa.Column("display_name", sa.String(256), nullable=True),
        sa.Column("team_id", sa.Integer, sa.ForeignKey("team.id"), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("created_at", TZ, nullable=False, server_default=sa.func.current_timestamp()),
    )
    with op.batch_alter_table("memo") as batch:
        batch.add_column(sa.Column("team_id", sa.Integer, nullable=True))
        batch.add_column(sa.Column("owner", sa.String(63), nullable=True))
    with op.batch_alter_table("record") as batch:
        batch.add_column(sa.Column("team_id", sa.Integer, nullable=True))
        batch.add_column(sa.Column("owner", sa.String(63), nullable=True))
    # A revision's author is who was authenticated; signed_as is the name typed at the prompt.
    with op.batch_alter_table("record_revision") as batch:
        batch.add_column(sa.Column("signed_as", sa.String(256), nullable=True))
    op.create_index("ix_memo_team_status", "memo", ["team_id", "status"])
    op.create_index("ix_record_team_status", "record", ["team_id", "status", "owner"])
    if op.get_bind().dialect.name == "postgresql":
        _postgresql()


def _postgresql() -> None:
    for group in GROUPS:
        op.execute(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{group}') "
            f"THEN CREATE ROLE {group} NOLOGIN; END IF; END $$"
        )
    # The connected role's team (not SECURITY DEFINER: there current_user would be the function's owner;
    # the practitioner table is readable by every account).
    op.execute(
        "CREATE FUNCTION speakcase_my_team() RETURNS integer LANGUAGE sql STABLE "
        "SET search_path = public, pg_temp AS "
        "$$ SELECT team_id FROM practitioner WHERE role_name = current_user $$"
    )
    # Every writer chains its event to the last one without being allowed to read the log.
    op.execute(
        "CREATE FUNCTION speakcase_audit_head(OUT seq integer, OUT hash varchar) LANGUAGE sql STABLE "
        "SECURITY DEFINER SET search_path = public, pg_temp AS "
        "$$ SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1 $$"
    )
    # Ownership of what a role registers; a memo's records belong to the memo's team and owner.
    op.execute("ALTER TABLE memo ALTER COLUMN team_id SET DEFAULT speakcase_my_team()")
    op.execute("ALTER TABLE memo ALTER COLUMN owner SET DEFAULT current_user")
    op.execute(
        "CREATE FUNCTION speakcase_record_owner() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF NEW.team_id IS NULL THEN NEW.team_id := COALESCE("
        "(SELECT team_id FROM memo WHERE id = NEW.memo_id), speakcase_my_team()); END IF; "
        "IF NEW.owner IS NULL THEN NEW.owner := COALESCE("
        "(SELECT owner FROM memo WHERE id = NEW.memo_id), current_user); END IF; "
        "RETURN NEW; END $$"
    )
    op.execute(
        "CREATE TRIGGER record_owner BEFORE INSERT ON record FOR EACH ROW "
        "EXECUTE FUNCTION speakcase_record_owner()"
    )
    # Attribution: the database refuses a revision or event credited to anyone but the connected role.
    op.execute(
        "CREATE FUNCTION speakcase_attributed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF (to_jsonb(NEW) ->> TG_ARGV[0]) IS DISTINCT FROM current_user::text THEN "
        "RAISE EXCEPTION '% rows must be attributed to the connected role %', TG_TABLE_NAME, current_user "
        "USING ERRCODE = 'insufficient_privilege'; END IF; RETURN NEW; END $$"
    )
    for table, column in (("record_revision", "author"), ("audit_event", "actor")):
        op.execute(
            f"CREATE TRIGGER {table}_attributed BEFORE INSERT ON {table} FOR EACH ROW "
            f"EXECUTE FUNCTION speakcase_attributed('{column}')"
        )
    _grants()
    _policies()
    _queue_schema()


def _grants() -> None:
    every = ", ".join(GROUPS)
    op.execute(f"GRANT USAGE ON SCHEMA public TO {every}")
    op.execute(f"GRANT SELECT ON alembic_version, team, practitioner TO {every}")
    op.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {every}")
    op.execute(f"GRANT EXECUTE ON FUNCTION speakcase_my_team(), speakcase_audit_head() TO {every}")
    writers = "speakcase_practitioner, speakcase_manager, speakcase_worker"
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON memo, record TO {writers}")
    op.execute(f"GRANT SELECT, INSERT ON memo_path, transcript, record_revision, audit_event TO {writers}")
    op.execute("GRANT SELECT ON record, record_revision, audit_event TO speakcase_auditor")
    # Nobody but the owner may UPDATE, DELETE or TRUNCATE history: no grant, and the triggers of 0001/0002.


def _policies() -> None:
    for table in ("team", "practitioner", "memo", "memo_path", "transcript", "record", "record_revision"):
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE audit_event ENABLE ROW LEVEL SECURITY")
    staff = "speakcase_practitioner, speakcase_manager"
    every = ", ".join(GROUPS)

    def policy(name: str, table: str, command: str, roles: str, using: str | None, check: str | None) -> None:
        sql = f"CREATE POLICY {name} ON {table} FOR {command} TO {roles}"
        if using:
            sql += f" USING ({using})"
        if check:
            sql += f" WITH CHECK ({check})"
        op.execute(sql)

    policy("directory", "team", "SELECT", every, "true", None)
    policy("directory", "practitioner", "SELECT", every, "true", None)
    mine = "team_id = speakcase_my_team()"
    own = f"{mine} AND owner = current_user"
    # Memos: the team's backlog is visible to its staff (progress, failures); workers see every memo.
    policy("team_memos", "memo", "SELECT", staff, mine, None)
    policy("register_memo", "memo", "INSERT", staff, None, own)
    policy("requeue_memo", "memo", "UPDATE", staff, own, own)
    policy("worker_memos", "memo", "ALL", "speakcase_worker", "true", "true")
    visible_memo = "EXISTS (SELECT 1 FROM memo m WHERE m.id = memo_id)"
    policy("memo_paths", "memo_path", "ALL", f"{staff}, speakcase_worker", visible_memo, visible_memo)
    # Transcripts: the memo's owner, the team manager, the workers.
    owned_memo = "EXISTS (SELECT 1 FROM memo m WHERE m.id = memo_id AND m.owner = current_user)"
    policy("own_transcripts", "transcript", "SELECT", "speakcase_practitioner", owned_memo, None)
    policy("team_transcripts", "transcript", "SELECT", "speakcase_manager", visible_memo, None)
    policy("worker_transcripts", "transcript", "ALL", "speakcase_worker", "true", "true")
    # Records: a practitioner sees the team's confirmed cases and their own drafts, and writes their own;
    # a manager sees and writes the team's; an auditor reads confirmed records of every team.
    policy(
        "practitioner_reads",
        "record",
        "SELECT",
        "speakcase_practitioner",
        f"{mine} AND (status = 'confirmed' OR owner = current_user)",
        None,
    )
    policy("practitioner_writes", "record", "INSERT", "speakcase_practitioner", None, own)
    policy("practitioner_edits", "record", "UPDATE", "speakcase_practitioner", own, own)
    policy("manager_records", "record", "ALL", "speakcase_manager", mine, mine)
    policy("auditor_reads", "record", "SELECT", "speakcase_auditor", "status = 'confirmed'", None)
    # Workers write the drafts of the memos they process and never see a confirmed record.
    policy("worker_records", "record", "ALL", "speakcase_worker", "status = 'draft'", "status = 'draft'")
    # Revisions follow their record (RLS applies inside the subquery); only confirmed ones for auditors.
    visible_record = "EXISTS (SELECT 1 FROM record r WHERE r.id = record_id)"
    policy("staff_revisions", "record_revision", "SELECT", f"{staff}, speakcase_worker", visible_record, None)
    policy(
        "add_revision",
        "record_revision",
        "INSERT",
        f"{staff}, speakcase_worker",
        None,
        f"author = current_user AND {visible_record}",
    )
    policy(
        "auditor_revisions",
        "record_revision",
        "SELECT",
        "speakcase_auditor",
        f"status = 'confirmed' AND {visible_record}",
        None,
    )
    # The audit log: everyone appends as themselves and sees their own events; auditors read it all.
    policy("append_event", "audit_event", "INSERT", every, None, "actor = current_user")
    policy("own_events", "audit_event", "SELECT", every, "actor = current_user", None)
    policy("auditor_log", "audit_event", "SELECT", "speakcase_auditor", "true", None)


def _queue_schema() -> None:
    """procrastinate's tables and functions, once; staff defer jobs and workers run them."""
    from procrastinate.schema import SchemaManager

    conn = op.get_bind()
    if conn.exec_driver_sql("SELECT to_regclass('procrastinate_jobs')").scalar() is None:
        # The schema script as it is (its functions hold % signs): on the driver, without parameters.
        with conn.connection.dbapi_connection.cursor() as cur:  # type: ignore[union-attr]
            cur.execute(SchemaManager.get_schema())
    op.execute(
        "DO $$ DECLARE t text; BEGIN "
        "FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
        "AND tablename LIKE 'procrastinate%' LOOP "
        "EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO "
        "speakcase_practitioner, speakcase_manager, speakcase_worker', t); END LOOP; END $$"
    )
    op.execute(
        "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO "
        "speakcase_practitioner, speakcase_manager, speakcase_worker"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "DO $$ DECLARE p record; BEGIN FOR p IN SELECT policyname, tablename FROM pg_policies "
            "WHERE schemaname = 'public' LOOP "
            "EXECUTE format('DROP POLICY %I ON %I', p.policyname, p.tablename); END LOOP; END $$"
        )
        for table in ("team", "practitioner", "memo", "memo_path", "transcript", "record", "record_revision"):
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        op.execute("ALTER TABLE audit_event DISABLE ROW LEVEL SECURITY")
        op.execute("DROP TRIGGER IF EXISTS record_owner ON record")
        for table in ("record_revision", "audit_event"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_attributed ON {table}")
        op.execute("ALTER TABLE memo ALTER COLUMN team_id DROP DEFAULT")
        op.execute("ALTER TABLE memo ALTER COLUMN owner DROP DEFAULT")
        for fn in ("speakcase_record_owner()", "speakcase_attributed()", "speakcase_audit_head()"):
            op.execute(f"DROP FUNCTION IF EXISTS {fn}")
        op.execute("DROP FUNCTION IF EXISTS speakcase_my_team()")
    op.drop_index("ix_record_team_status", "record")
    op.drop_index("ix_memo_team_status", "memo")
    with op.batch_alter_table("record_revision") as batch:
        batch.drop_column("signed_as")
    for table in ("record", "memo"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("owner")
            batch.drop_column("team_id")
    op.drop_table("practitioner")
    op.drop_table("team")
