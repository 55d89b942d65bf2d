"""Offline means no packet: `process`, `batch`, `review` and `demo` run under a guard that kills any
process creating a socket that is not AF_UNIX (tests/netguard/sitecustomize.py: seccomp, so native
code such as ONNX Runtime's telemetry is caught as well as Python's)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

GUARD = Path(__file__).parent / "netguard"
FIXTURE_AUDIO = Path(__file__).parent / "fixtures" / "audio"
ORT_CACHE = Path(".cache") / "Microsoft" / "DeveloperTools" / ".onnxruntime"
KILLED = -signal.SIGSYS


def guarded(tmp_path: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run a Python command under the guard, with a home folder of its own."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "HOME": str(home),
        "PYTHONPATH": os.pathsep.join([str(GUARD), *filter(None, [os.environ.get("PYTHONPATH")])]),
        "NETGUARD_LOG": str(tmp_path / "netguard.log"),
        "NETGUARD_STATUS": str(tmp_path / "netguard.status"),
    }
    env.pop("ORT_DISABLE_TELEMETRY", None)  # what SpeakCase sets itself must not come from the test
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, timeout=timeout, cwd=tmp_path
    )


def guard_status(tmp_path: Path) -> list[str]:
    """One line per guarded process: whether its seccomp layer was on."""
    return (tmp_path / "netguard.status").read_text().splitlines()


def assert_no_network(tmp_path: Path, result: subprocess.CompletedProcess[str], processes: int = 1) -> None:
    attempts = (tmp_path / "netguard.log").read_text() if (tmp_path / "netguard.log").exists() else ""
    assert result.returncode != KILLED, f"a network socket was opened; Python-level attempts:\n{attempts}"
    assert result.returncode == 0, result.stderr
    status = guard_status(tmp_path)
    assert len(status) >= processes and all(line.endswith("seccomp on") for line in status), status
    assert not (tmp_path / "home" / ORT_CACHE).exists(), "ONNX Runtime telemetry wrote its device id"


# The guard itself: it must catch a real attempt ------------------------------------------------
def test_the_guard_kills_a_python_connection(tmp_path):
    result = guarded(tmp_path, "-c", "import socket; socket.create_connection(('127.0.0.1', 9), timeout=1)")
    assert result.returncode == KILLED
    assert "socket.getaddrinfo '127.0.0.1'" in (tmp_path / "netguard.log").read_text()


def test_the_guard_kills_a_native_name_lookup(tmp_path):
    code = (
        "import ctypes; res = ctypes.c_void_p(); "
        "ctypes.CDLL(None).getaddrinfo(b'mobile.events.data.microsoft.com', b'443', None, ctypes.byref(res))"
    )
    assert guarded(tmp_path, "-c", code).returncode == KILLED


def test_the_guard_lets_unix_sockets_through(tmp_path):
    result = guarded(
        tmp_path, "-c", "import socket; a, b = socket.socketpair(); a.send(b'x'); print(b.recv(1))"
    )
    assert result.returncode == 0 and "b'x'" in result.stdout, result.stderr
    assert guard_status(tmp_path) == [guard_status(tmp_path)[0]] and "seccomp on" in guard_status(tmp_path)[0]


def test_speakcase_itself_refuses_python_network_sockets(tmp_path):
    code = "import socket, speakcase; socket.create_connection(('127.0.0.1', 9), timeout=1)"
    result = guarded(tmp_path, "-c", code)
    assert result.returncode == 1 and "NetworkRefused" in result.stderr, result.stderr


@pytest.mark.manual
def test_onnxruntime_left_to_itself_phones_home_and_the_guard_catches_it(tmp_path):
    """faster-whisper's voice detection without SpeakCase: ONNX Runtime's telemetry is killed."""
    code = (
        "import time\n"
        "from faster_whisper.audio import decode_audio\n"
        "from faster_whisper.vad import VadOptions, get_speech_timestamps\n"
        f"audio = decode_audio({str(FIXTURE_AUDIO / 'memo_police.ogg')!r})\n"
        "start = time.time()\n"
        "while time.time() - start < 60:\n"
        "    get_speech_timestamps(audio, VadOptions())\n"
    )
    # ONNX Runtime flushes its event queue on its own schedule: in a full parallel run it has been seen
    # to send nothing for a whole minute, so it gets up to three minutes, each with a new home folder.
    for attempt in range(3):
        run_dir = tmp_path / f"attempt{attempt}"
        run_dir.mkdir()
        result = guarded(run_dir, "-c", code, timeout=120)
        if result.returncode == KILLED:
            break
    assert result.returncode == KILLED, "ONNX Runtime sent nothing in 3 x 60 s: the guard proved nothing here"
    assert (run_dir / "home" / ORT_CACHE).exists()


# SpeakCase under the guard -------------------------------------------------------------------------
@pytest.mark.slow
def test_process_opens_no_network_socket(tmp_path, db_url):
    result = guarded(
        tmp_path, "-m", "speakcase", "process", str(FIXTURE_AUDIO / "memo_police.ogg"), "--db", db_url
    )
    assert_no_network(tmp_path, result)
    assert "done" in result.stdout


@pytest.mark.slow
def test_batch_opens_no_network_socket_in_any_worker(tmp_path, db_url):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("memo_police.ogg", "memo_health.ogg", "memo_police.flac", "memo_police.mp3"):
        shutil.copy(FIXTURE_AUDIO / name, folder / name)
    result = guarded(tmp_path, "-m", "speakcase", "batch", str(folder), "--workers", "2", "--db", db_url)
    assert_no_network(tmp_path, result, processes=3)
    assert result.stdout.count("done ") == 4, result.stdout


@pytest.mark.slow
def test_demo_opens_no_network_socket(tmp_path):
    result = guarded(tmp_path, "-m", "speakcase", "demo")
    assert_no_network(tmp_path, result)
    assert "throwaway database was deleted" in result.stdout


REVIEW = """
import asyncio, sys
from speakcase.models.store import Store
from speakcase.tui.app import ReviewApp
from tests.tui_seed import seed

async def main():
    store = Store.open(sys.argv[1])
    seed(store)
    app = ReviewApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for key in ("down", "enter", "tab", "escape", "h", "escape", "slash", "escape"):
            await pilot.press(key)
            await pilot.pause()
    store.close()
    print("reviewed")

asyncio.run(main())
"""


def test_review_opens_no_network_socket(tmp_path, db_url):
    script = tmp_path / "review.py"
    script.write_text(REVIEW)
    root = str(Path(__file__).parent.parent)
    result = guarded(
        tmp_path,
        "-c",
        f"import sys; sys.path.insert(0, {root!r}); exec(open({str(script)!r}).read())",
        db_url,
    )
    assert_no_network(tmp_path, result)
    assert "reviewed" in result.stdout
