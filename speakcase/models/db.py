"""Opening a database: engines, SQLite settings, owner-only files and migrations."""

from __future__ import annotations

import os
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

    @property
    def dialect(self) -> str:
        """The database dialect name."""
        return self.engines[0].dialect.name

    def dispose(self) -> None:
        """Close every pooled connection."""
        for engine in self.engines:
            engine.dispose()


def open_database(url: str | None = None, migrate: bool = True) -> Database:
    """Open (creating and migrating if need be) the database at `url`."""
    url = url or default_db_url()
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"The database URL {url!r} is not a valid SQLAlchemy URL.") from exc
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        _prepare_sqlite_file(Path(parsed.database))
    write_engine = _engine(url, begin="BEGIN IMMEDIATE")
    read_engine = _engine(url, begin="BEGIN")
    db = Database(
        url=url,
        write=sessionmaker(write_engine, expire_on_commit=False),
        read=sessionmaker(read_engine, expire_on_commit=False),
        engines=(write_engine, read_engine),
    )
    try:
        if migrate:
            upgrade(write_engine)
    except DBAPIError as exc:
        db.dispose()
        raise StoreError(f"Cannot open the database at {_safe(url)}: {error_reason(exc)}.") from exc
    return db


def _prepare_sqlite_file(path: Path) -> None:
    """Create the SQLite file owner-only (WAL and SHM files inherit its mode)."""
    if path.is_dir():
        raise StoreError(f"The database path {path} is a directory.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Never open and close an existing database file: closing any descriptor of it drops every
        # POSIX lock this process holds on it, so another process could delete the WAL under our connections.
        if not path.exists():
            try:
                os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
            except FileExistsError:
                pass
        os.chmod(path, 0o600)
    except OSError as exc:
        raise StoreError(f"Cannot create the database file {path}: {exc.strerror or exc}.") from exc


def _engine(url: str, begin: str) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        if ":memory:" not in url and url not in ("sqlite://", "sqlite:///"):
            cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
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


def error_reason(exc: DBAPIError) -> str:
    """The driver's message for a database error, without a trailing full stop."""
    text = str(exc.orig) if exc.orig is not None else str(exc)
    return text.strip().rstrip(".") or "unknown error"
