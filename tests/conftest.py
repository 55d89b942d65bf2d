"""Shared test set-up: user directories point at a temp dir; models load once per session."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
PG_GLOB = os.environ.get("SPEAKCASE_TEST_PG_BINDIRS", "/usr/lib/postgresql/*/bin") + "/initdb"
"""Where the machine's PostgreSQL server programs are looked for when initdb is not on PATH."""


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


IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
"""In CI every test must run: what it needs missing is a failure naming it, never a skip."""


def missing(what: str) -> NoReturn:
    """Stop a test that cannot run here: a failure in CI, a skip that says what is missing elsewhere."""
    if IN_CI:
        pytest.fail(f"{what} (CI=true: a test that cannot run here is a failure)", pytrace=False)
    pytest.skip(what)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    """In CI a skip from anywhere (importorskip, a plugin) counts as a failure, with its reason."""
    report = yield
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which must run every test: {reason}"
    return report


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests on the PostgreSQL server share one worker under xdist (--dist loadgroup), so one server."""
    for item in items:
        if "pg_server_url" in getattr(item, "fixturenames", ()) and not item.get_closest_marker("postgres"):
            item.add_marker(pytest.mark.postgres)
        if item.get_closest_marker("postgres"):
            item.add_marker(pytest.mark.xdist_group("postgres"))


def _pg_bindir() -> Path | None:
    """The directory of the machine's PostgreSQL server programs (initdb, pg_ctl), if there is one."""
    found = shutil.which("initdb") or next(iter(sorted(glob.glob(PG_GLOB))), None)
    return Path(found).resolve().parent if found else None


def _unprivileged_user() -> tuple[int, int] | None:
    """Who runs the server when we are root (PostgreSQL refuses root): `postgres`, else `nobody`."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return entry.pw_uid, entry.pw_gid
    missing("running as root, and no user 'postgres' or 'nobody' to run PostgreSQL as")


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """A throwaway PostgreSQL server on a Unix socket, one per test worker; SPEAKCASE_TEST_PG_URL names another."""
    if os.environ.get("SPEAKCASE_TEST_PG_URL"):
        yield os.environ["SPEAKCASE_TEST_PG_URL"]
        return
    bindir = _pg_bindir()
    if bindir is None:
        missing(f"PostgreSQL server not found: no initdb on PATH or in {PG_GLOB} (Debian package postgresql)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        missing("psycopg is not installed (pip install -e '.[test]')")
    user = _unprivileged_user()
    # Not under pytest's tmp dir, and short (a socket path has ~100 bytes): the server's user must reach it.
    root = Path(tempfile.mkdtemp(prefix="speakcase-pg-", dir="/tmp"))
    data = root / "data"
    run_as: dict[str, Any] = {"cwd": root}  # the server's user may not be allowed into our working directory
    if user is not None:
        os.chown(root, *user)
        run_as.update(user=user[0], group=user[1], extra_groups=[])
    port = 55432 + int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    pg_ctl = [str(bindir / "pg_ctl"), "-D", str(data)]

    def run(*cmd: str) -> None:
        done = subprocess.run(cmd, capture_output=True, text=True, **run_as)
        if done.returncode != 0:
            log = (root / "log").read_text() if (root / "log").exists() else ""
            pytest.fail(f"{Path(cmd[0]).name} failed ({done.returncode}): {done.stderr}{done.stdout}{log}")

    try:
        run(str(bindir / "initdb"), "-D", str(data), "-U", "speakcase", "--auth=trust", "--no-sync")
        options = f"-c listen_addresses='' -k {root} -p {port} -c fsync=off"
        run(*pg_ctl, "-o", options, "-w", "-l", str(root / "log"), "start")
        yield f"postgresql+psycopg://speakcase@/postgres?host={root}&port={port}"
    finally:
        subprocess.run([*pg_ctl, "-m", "immediate", "stop"], capture_output=True, **run_as)
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

    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))  # share the cores, never oversubscribe
    return load_transcriber("tiny.en", cpu_threads=max(1, (os.cpu_count() or 1) // workers))


@pytest.fixture(scope="session")
def extractor():
    """The spaCy extraction pipeline, loaded once per test session."""
    from speakcase.pipelines.extract import load_extractor

    return load_extractor()


@pytest.fixture
def audio_fixture():
    """Path of a committed test recording by file name."""
    return lambda name: FIXTURES / "audio" / name


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say how many PostgreSQL tests ran on a real server, so a CI log shows they were not skipped."""
    counts = {
        outcome: sum(
            1 for r in terminalreporter.stats.get(outcome, []) if "postgres" in getattr(r, "keywords", {})
        )
        for outcome in ("passed", "failed", "error", "skipped")
    }
    if any(counts.values()):
        where = os.environ.get("SPEAKCASE_TEST_PG_URL") and "SPEAKCASE_TEST_PG_URL" or str(_pg_bindir())
        summary = ", ".join(f"{n} {outcome}" for outcome, n in counts.items() if n)
        terminalreporter.write_line(f"PostgreSQL tests on a real server ({where}): {summary}")
