"""Shared test set-up: user directories point at a temp dir; models load once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never touch the real user's database, config or cache."""
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("SPEAKCASE_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("SPEAKCASE_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("SPEAKCASE_CONFIG", str(home / "config.json"))
    monkeypatch.delenv("SPEAKCASE_DB", raising=False)
    return home


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A fresh SQLite database file, created and migrated as `speakcase init --db URL` does."""
    from speakcase.models.db import open_database

    url = f"sqlite:///{tmp_path / 'speakcase.db'}"
    open_database(url).dispose()
    return url


@pytest.fixture
def store(db_url: str):
    """A migrated store on a fresh SQLite file."""
    from speakcase.models.store import Store

    s = Store.open(db_url)
    yield s
    s.close()


def _initdb() -> str | None:
    import glob
    import shutil

    found = shutil.which("initdb") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))), None)
    return found


@pytest.fixture(scope="session")
def pg_server_url():
    """A throwaway PostgreSQL server on a Unix socket; SPEAKCASE_TEST_PG_URL names another."""
    import os
    import shutil
    import subprocess

    if os.environ.get("SPEAKCASE_TEST_PG_URL"):
        yield os.environ["SPEAKCASE_TEST_PG_URL"]
        return
    initdb = _initdb()
    if initdb is None:
        pytest.skip("PostgreSQL is not installed here")
    pytest.importorskip("psycopg")
    bindir = Path(initdb).parent
    import tempfile

    # Not under pytest's tmp dir: the server's user must be able to reach it.
    root = Path(tempfile.mkdtemp(prefix="speakcase-pg-"))
    data = root / "data"
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        if not shutil.which("runuser"):
            pytest.skip("cannot drop root to run PostgreSQL")
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(root, "postgres")
        os.chmod(root, 0o700)
    subprocess.run(
        [*as_user, str(bindir / "initdb"), "-D", str(data), "-U", "speakcase", "--auth=trust"],
        check=True,
        capture_output=True,
    )
    options = f"-c listen_addresses='' -k {root} -p 55432 -c fsync=off"
    subprocess.run(
        [
            *as_user,
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-w",
            "-l",
            str(root / "log"),
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://speakcase@/postgres?host={root}&port=55432"
    finally:
        subprocess.run(
            [*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server_url: str):
    """A fresh, empty schema on the test PostgreSQL server."""
    from sqlalchemy import create_engine

    engine = create_engine(pg_server_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        conn.exec_driver_sql("DROP FUNCTION IF EXISTS speakcase_append_only() CASCADE")
    engine.dispose()
    return pg_server_url


@pytest.fixture(scope="session")
def transcriber():
    """The bundled Whisper tiny.en, loaded once per test session."""
    from speakcase.pipelines.transcribe import load_transcriber

    return load_transcriber("tiny.en")


@pytest.fixture(scope="session")
def extractor():
    """The spaCy extraction pipeline, loaded once per test session."""
    from speakcase.pipelines.extract import load_extractor

    return load_extractor()


@pytest.fixture
def audio_fixture():
    """Path of a committed test recording by file name."""
    return lambda name: FIXTURES / "audio" / name
