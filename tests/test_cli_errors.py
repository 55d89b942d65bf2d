"""Bad input on the command line: one clear sentence on stderr, exit 1, nothing stored touched."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from speakcase.models.store import Store


def speakcase(*args: str, env: dict | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "speakcase", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        input=stdin,
        timeout=300,
    )


def assert_one_sentence(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and lines[0].endswith("."), result.stderr
    for word in words:
        assert word in lines[0]


def test_process_missing_file(tmp_path, db_url):
    assert_one_sentence(speakcase("process", str(tmp_path / "nope.wav"), "--db", db_url), "does not exist")


def test_process_directory(tmp_path, db_url):
    assert_one_sentence(speakcase("process", str(tmp_path), "--db", db_url), "directory")


def test_unwritable_database_path(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    if os.geteuid() == 0:
        url = "sqlite:////proc/speakcase/denied.db"  # root may write anywhere but /proc
    else:
        url = f"sqlite:///{locked / 'x.db'}"
    assert_one_sentence(speakcase("memos", "--db", url), "database")


def test_database_path_that_is_a_directory(tmp_path):
    assert_one_sentence(speakcase("records", "--db", f"sqlite:///{tmp_path}"), "directory")


def test_bad_recorded_at(tmp_path, db_url):
    audio = tmp_path / "a.wav"
    audio.write_bytes(b"RIFF")
    assert_one_sentence(
        speakcase("process", str(audio), "--recorded-at", "yesterday-ish", "--db", db_url), "--recorded-at"
    )


@pytest.mark.slow  # runs `speakcase process` end to end, models included
@pytest.mark.parametrize("content", [b"", b"this is a shopping list, not audio\n" * 20])
def test_process_empty_or_non_audio_file_fails_cleanly_and_keeps_what_is_stored(tmp_path, db_url, content):
    store = Store.open(db_url)
    earlier, _ = store.add_memo("/memos/earlier.wav", "e" * 64)
    store.close()
    bad = tmp_path / "memo.mp3"
    bad.write_bytes(content)
    result = speakcase("process", str(bad), "--db", db_url)
    assert_one_sentence(result)
    store = Store.open(db_url)
    memos = {m.id: m for m in store.memos()}
    assert memos[earlier].status == "queued" and memos[earlier].paths == ("/memos/earlier.wav",)
    failed = [m for m in memos.values() if m.id != earlier]
    assert len(failed) == 1 and failed[0].status == "failed" and failed[0].error
    assert store.records() == []
    store.close()


def test_database_file_is_created_owner_only_by_init_whatever_the_umask(tmp_path):
    db = tmp_path / "sub" / "deeper" / "new.db"
    old = os.umask(0)
    try:
        result = speakcase("init", "--db", f"sqlite:///{db}")
    finally:
        os.umask(old)
    assert result.returncode == 0, result.stderr
    assert oct(db.stat().st_mode & 0o777) == "0o600"
    assert oct(db.parent.stat().st_mode & 0o777) == oct(db.parent.parent.stat().st_mode & 0o777) == "0o700"


@pytest.mark.parametrize(
    "command", [("audit", "verify"), ("memos",), ("records",), ("export", "-o", "x.json")]
)
def test_a_mistyped_database_is_an_error_never_a_new_empty_one(tmp_path, command):
    typo = tmp_path / "typo" / "speakcas.db"
    result = speakcase(*command, "--db", f"sqlite:///{typo}")
    assert_one_sentence(result, "There is no database at")
    assert not typo.exists() and not typo.parent.exists()


def test_a_read_only_database_is_read_and_never_chmodded(tmp_path, db_url):
    db = tmp_path / "speakcase.db"
    store = Store.open(db_url)
    store.add_memo("/memos/earlier.wav", "e" * 64)
    store.close()
    os.chmod(db, 0o400)
    before = db.read_bytes()
    for command in (("memos", "--json"), ("records",), ("audit", "verify")):
        result = speakcase(*command, "--db", db_url)
        assert result.returncode == 0, result.stderr
    assert "memos/earlier.wav" in speakcase("memos", "--json", "--db", db_url).stdout
    audio = tmp_path / "a.wav"
    audio.write_bytes(b"RIFF")
    assert_one_sentence(speakcase("retry", "--db", db_url), "read-only")
    assert oct(db.stat().st_mode & 0o777) == "0o400" and db.read_bytes() == before


def test_default_database_lives_in_the_user_data_dir(tmp_path):
    data = tmp_path / "data"
    result = speakcase("memos", env={"SPEAKCASE_DATA_DIR": str(data)})
    assert result.returncode == 0, result.stderr
    assert (data / "speakcase.db").exists()
    assert Path(data / "speakcase.db").stat().st_mode & 0o077 == 0
