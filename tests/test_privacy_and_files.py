"""Memo file names are personal data: no message names them; files are owner-only and never written
through a planted link; FIFOs, devices and sockets are refused without opening them."""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from speakcase.errors import AudioError
from speakcase.files import make_private_dir, write_private
from speakcase.models.store import Store
from speakcase.pipelines.audio import check_path, sha256_file

FIXTURE_AUDIO = Path(__file__).parent / "fixtures" / "audio"
NAME = "Jane Smith DOB 2019-03-04 disclosure"


def speakcase(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "speakcase", *args], capture_output=True, text=True, timeout=timeout
    )


def assert_private(*outputs: str) -> None:
    for text in outputs:
        assert "Jane Smith" not in text and "2019-03-04" not in text, text


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


# Regular files only ----------------------------------------------------------------------------
def test_a_fifo_is_refused_without_opening_it(tmp_path):
    fifo = tmp_path / f"{NAME}.wav"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(AudioError, match="named pipe") as caught:
        check_path(fifo)
    with pytest.raises(AudioError, match="named pipe"):
        sha256_file(fifo)  # opened non-blocking, then refused
    assert time.monotonic() - started < 1
    assert_private(str(caught.value))


@pytest.mark.parametrize(("make", "kind"), [("socket", "a socket"), ("device", "character device")])
def test_sockets_and_devices_are_refused(tmp_path, make, kind, monkeypatch):
    if make == "socket":
        path = tmp_path / "memo.wav"
        monkeypatch.chdir(tmp_path)  # a socket's path must be short: bind it by its relative name
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(path.name)
    else:
        path = Path("/dev/null")
    with pytest.raises(AudioError, match=kind):
        check_path(path)


def test_process_on_a_fifo_answers_at_once_with_one_sentence(tmp_path, db_url):
    fifo = tmp_path / f"{NAME}.wav"
    os.mkfifo(fifo)
    result = speakcase("process", str(fifo), "--db", db_url, timeout=60)
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == "Error: The path is a named pipe (FIFO), not a regular audio file, so it was not opened (the file given)."
    )
    assert_private(result.stdout, result.stderr)


def test_a_batch_folder_with_a_fifo_and_a_socket_finishes_and_reports_them_by_memo_id(
    tmp_path, db_url, monkeypatch
):
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / f"{NAME}.wav")
    monkeypatch.chdir(folder)  # a socket's path must be short: bind it by its relative name
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(f"{NAME} 2.ogg")
    result = speakcase("batch", str(folder), "--workers", "1", "--db", db_url, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "named pipe" in result.stdout and "a socket" in result.stdout
    assert "Failed: 2" in result.stdout
    assert_private(result.stdout, result.stderr)
    shown = speakcase("batch", str(folder), "--workers", "1", "--show-paths", "--db", db_url, timeout=60)
    assert f"({NAME}.wav)" in shown.stdout and str(folder) not in shown.stdout


# No personal data in messages --------------------------------------------------------------------
def test_errors_name_no_memo_file(tmp_path, db_url):
    missing = tmp_path / f"{NAME}.wav"
    result = speakcase("process", str(missing), "--db", db_url)
    assert result.returncode == 1 and "does not exist" in result.stderr
    assert_private(result.stdout, result.stderr)
    shown = speakcase("process", str(missing), "--show-paths", "--db", db_url)
    assert f": {NAME}.wav)" in shown.stderr and str(tmp_path) not in shown.stderr


@pytest.mark.slow
def test_process_batch_memos_and_export_name_no_memo_file(tmp_path, db_url):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FIXTURE_AUDIO / "memo_police.ogg", folder / f"{NAME}.ogg")
    (folder / f"{NAME} copy.mp3").write_bytes(b"this is a shopping list, not audio\n" * 20)
    outputs = []
    for args in (
        ("process", str(folder / f"{NAME} copy.mp3")),
        ("batch", str(folder), "--workers", "1"),
        ("memos",),
        ("records",),
        ("export", "--status", "draft", "-o", str(tmp_path / "log.json")),
    ):
        result = speakcase(*args, "--db", db_url)
        outputs += [result.stdout, result.stderr]
    assert "done" in outputs[2] and "not an audio file" in outputs[1]
    assert_private(*outputs, (tmp_path / "log.json").read_text())
    store = Store.open(db_url)
    assert_private(*(m.error or "" for m in store.memos()))  # stored reasons too
    store.close()


# Owner-only files ------------------------------------------------------------------------------
def test_an_export_replaces_a_planted_symlink_instead_of_writing_through_it(tmp_path, db_url):
    from tests.factories import stored_record

    store = Store.open(db_url)
    stored_record(store)
    store.close()
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text("untouched")
    out = tmp_path / "out.json"
    out.symlink_to(elsewhere)
    for tmp_name in (".out.json.tmp", "out.tmp"):
        (tmp_path / tmp_name).symlink_to(elsewhere)  # the names the old code wrote through
    result = speakcase("export", "--status", "draft", "-o", str(out), "--db", db_url)
    assert result.returncode == 0, result.stderr
    assert elsewhere.read_text() == "untouched"
    assert not out.is_symlink() and mode(out) == 0o600
    assert json.loads(out.read_text())["audit"]["head"].startswith("5:")


def test_a_pre_existing_world_readable_export_ends_owner_only(tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("old")
    os.chmod(out, 0o666)
    write_private(out, b"new")
    assert out.read_bytes() == b"new" and mode(out) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]  # no temp file left behind


def test_folders_are_owner_only_whatever_the_umask(tmp_path):
    old = os.umask(0)
    try:
        made = make_private_dir(tmp_path / "a" / "b" / "c")
        write_private(made / "f", b"x")
    finally:
        os.umask(old)
    for folder in (tmp_path / "a", tmp_path / "a" / "b", made):
        assert mode(folder) == 0o700
    assert mode(made / "f") == 0o600


def test_the_audit_key_and_anchor_files_are_owner_only(db_url):
    from speakcase.models.anchor import anchor_path
    from speakcase.models.audit import key_path

    store = Store.open(db_url)
    store.add_memo("/memos/a.wav", "a" * 64)
    store.close()
    assert mode(key_path()) == 0o600 and len(key_path().read_bytes()) == 32
    assert mode(anchor_path()) == 0o600


def test_evaluate_predictions_are_owner_only_under_umask_000(tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "c1.json").write_text(
        json.dumps({"text": "I rang PC Shah at 10am.", "recorded_at": "2026-03-04T12:00"})
    )
    old = os.umask(0)
    try:
        result = speakcase("evaluate", str(cases), "--predictions", str(tmp_path / "out" / "pred"))
    finally:
        os.umask(old)
    assert result.returncode == 0, result.stderr
    assert mode(tmp_path / "out") == mode(tmp_path / "out" / "pred") == 0o700
    assert mode(tmp_path / "out" / "pred" / "c1.json") == 0o600
