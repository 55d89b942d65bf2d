"""Opening a database: engines, SQLite settings, owner-only files and migrations."""

from __future__ import annotations

import os
import stat
import urllib.parse
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import sessionmaker

from speakcase.config import default_db_url
from speakcase.errors import StoreError

BUSY_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Database:
    """Two engines on one database: writes take the write lock at BEGIN, reads never block."""

    url: str
    """The SQLAlchemy URL."""
    write: sessionmaker[Any]
    """Sessions whose transactions are serialised (BEGIN IMMEDIATE on SQLite)."""
    read: sessionmaker[Any]
    """Sessions for reading."""
    engines: tuple[Engine, ...]
    """The engines, for disposal."""
    anchored: bool = True
    """Whether the audit chain head is anchored in the user's anchor file (not for throwaway databases)."""
    readonly: bool = False
    """Opened read-only (the file is not writable): writes are refused by SQLite."""

    @property
    def dialect(self) -> str:
        """The database dialect name."""
        return self.engines[0].dialect.name

    def dispose(self) -> None:
        """Close every pooled connection."""
        for engine in self.engines:
            engine.dispose()


def open_database(
    url: str | None = None,
    migrate: bool = True,
    *,
    create: bool = True,
    readonly: bool = False,
    anchored: bool = True,
) -> Database:
    """Open the database at `url` (default: the user's SQLite file), migrating it.

    A missing SQLite file is created only when `create`; a file its owner made read-only is never
    chmodded: with `readonly` it is opened read-only, otherwise refused.
    """
    url = url or default_db_url()
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"The database URL {url!r} is not a valid SQLAlchemy URL.") from exc
    if parsed.drivername in ("postgresql", "postgres"):  # the driver SpeakCase installs, not psycopg2
        parsed = parsed.set(drivername="postgresql+psycopg")
        url = parsed.render_as_string(hide_password=False)
    sqlite_file = parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:")
    _allow_database_hosts(parsed)
    read_only = False
    if sqlite_file and parsed.database:
        read_only = _prepare_sqlite_file(Path(parsed.database), create=create, readonly=readonly)
    write_engine = _engine(url, begin="BEGIN IMMEDIATE", read_only=read_only)
    read_engine = _engine(url, begin="BEGIN", read_only=read_only)
    db = Database(
        url=url,
        write=sessionmaker(write_engine, expire_on_commit=False),
        read=sessionmaker(read_engine, expire_on_commit=False),
        engines=(write_engine, read_engine),
        anchored=anchored,
        readonly=read_only,
    )
    try:
        if read_only:
            _check_current(read_engine)
        elif migrate:
            upgrade(write_engine)
    except DBAPIError as exc:
        db.dispose()
        if refused(exc):
            raise StoreError(
                f"The database at {_safe(url)} needs upgrading and your account may not change it; "
                "its administrator must run `speakcase team init` once."
            ) from exc
        raise StoreError(f"Cannot open the database at {_safe(url)}: {error_reason(exc)}.") from exc
    except BaseException:
        db.dispose()
        raise
    return db


def _allow_database_hosts(parsed: Any) -> None:
    """A database server named in the URL is the one network peer SpeakCase may look up."""
    from speakcase.offline import allow_host

    for host in [parsed.host, *str(parsed.query.get("host", "")).split(",")]:
        if host and not str(host).startswith("/"):
            allow_host(str(host))


def _writable(path: Path) -> bool:
    """Whether the owner may write the file: its mode says so (root included) and the OS agrees."""
    return bool(path.stat().st_mode & stat.S_IWUSR) and os.access(path, os.W_OK)


def _prepare_sqlite_file(path: Path, create: bool, readonly: bool) -> bool:
    """Check (or create, owner-only) the SQLite file; returns True when it must be opened read-only."""
    from speakcase.files import create_private, make_private_dir

    if path.is_dir():
        raise StoreError(f"The database path {path} is a directory.")
    if path.exists():
        if _writable(path):
            return False
        if readonly:
            return True
        raise StoreError(
            f"The database file {path} is read-only; SpeakCase will not change its mode. "
            "Make it writable (chmod u+w) to change it."
        )
    if not create:
        raise StoreError(
            f"There is no database at {path}; check the path, or create one there with "
            "`speakcase init --db URL`."
        )
    try:
        make_private_dir(path.parent)
        # Never open and close an existing database file: closing any descriptor of it drops every
        # POSIX lock this process holds on it, so another process could delete the WAL under our connections.
        try:
            os.close(create_private(path))
        except FileExistsError:
            pass
    except OSError as exc:
        raise StoreError(f"Cannot create the database file {path}: {exc.strerror or exc}.") from exc
    return False


def _check_current(engine: Engine) -> None:
    """A read-only database cannot be migrated: it must already be at the newest schema."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(resources.files("speakcase.models") / "migrations"))
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current != script.get_current_head():
        raise StoreError(
            "The database is read-only and its schema is older than this version of SpeakCase; "
            "make it writable once so it can be upgraded."
        )


def _engine(url: str, begin: str, read_only: bool = False) -> Engine:
    if not url.startswith("sqlite"):
        try:
            return create_engine(url, pool_pre_ping=True)
        except ModuleNotFoundError as exc:
            raise StoreError(
                f"The database driver for {make_url(url).drivername} is not installed ({exc.name}); "
                "SpeakCase supports SQLite and PostgreSQL (postgresql+psycopg://, installed with SpeakCase: "
                "pip install --force-reinstall speakcase)."
            ) from exc
    args: dict[str, Any] = {"timeout": BUSY_TIMEOUT_S, "check_same_thread": False}
    if read_only:
        path = make_url(url).database or ""
        url = "sqlite:///file:" + urllib.parse.quote(os.path.abspath(path)) + "?mode=ro&uri=true"
    engine = create_engine(url, connect_args=args)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        if ":memory:" not in url and url not in ("sqlite://", "sqlite:///") and not read_only:
            cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        # REPLACE's implicit delete then fires the append-only DELETE triggers as well.
        cur.execute("PRAGMA recursive_triggers = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)

    return engine


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision."""
    from alembic import command
    from alembic.config import Config

    with engine.begin() as conn:
        cfg = Config()
        cfg.set_main_option("script_location", str(resources.files("speakcase.models") / "migrations"))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def refused(exc: DBAPIError) -> bool:
    """Whether the database refused for lack of rights (a role, a grant or a row-level security policy)."""
    return getattr(exc.orig, "sqlstate", None) == "42501"


def refusal(exc: DBAPIError) -> str:
    """One sentence for a refusal by the database's rights, naming what was refused."""
    reason = error_reason(exc).replace('"', "")
    return (
        f"Your database account is not allowed to do this ({reason}); "
        "ask your team's SpeakCase administrator if you need it."
    )


def error_reason(exc: DBAPIError) -> str:
    """The driver's message for a database error, without a trailing full stop."""
    text = str(exc.orig) if exc.orig is not None else str(exc)
    # PostgreSQL adds CONTEXT/DETAIL lines (which can quote row values): the first line only.
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first.strip().rstrip(".") or "unknown error"
