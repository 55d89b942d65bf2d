"""A real PulseAudio server for the dictation tests: a pipe source as the microphone, a null sink as speakers.

The server runs as the current user (root in CI is fine with ``-n`` and a private runtime directory),
with its own socket; PortAudio reaches it through ALSA's pulse plugin, which Debian's pulseaudio
package makes the default ALSA device while a server runs. A memo is "spoken" by writing its
samples into the source's FIFO; what is played is read back from the sink's monitor with `parec`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import numpy as np
import pytest

RATE = 16000


class PulseServer:
    """One server in `root`; `env` holds what a client needs to reach it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.fifo = root / "mic.fifo"
        self.socket = root / "native"
        self.runtime = root / "runtime"
        self.home = root / "home"
        self.env = {
            "PULSE_SERVER": f"unix:{self.socket}",
            "XDG_RUNTIME_DIR": str(self.runtime),
            "PULSE_RUNTIME_PATH": str(self.runtime / "pulse"),
            "HOME": str(self.home),
        }
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> PulseServer:
        for d in (self.runtime, self.home):
            d.mkdir(parents=True, exist_ok=True, mode=0o700)
        script = self.root / "default.pa"
        script.write_text(
            f"load-module module-native-protocol-unix auth-anonymous=1 socket={self.socket}\n"
            f"load-module module-null-sink sink_name=speakers rate={RATE} channels=1\n"
            f"load-module module-pipe-source source_name=mic file={self.fifo} "
            f"format=s16le rate={RATE} channels=1\n"
            "set-default-source mic\nset-default-sink speakers\n"
        )
        env = {**os.environ, **self.env}
        self.proc = subprocess.Popen(
            [
                "pulseaudio",
                "-n",
                "-F",
                str(script),
                "--daemonize=no",
                "--exit-idle-time=-1",
                "--disallow-exit",
                "--use-pid-file=no",
                "--log-target=stderr",
                "--log-level=error",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(self.root / "pulse.log", "wb"),  # noqa: SIM115 - the server keeps it
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("pulseaudio exited: " + (self.root / "pulse.log").read_text()[-500:])
            ok = subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode == 0
            if ok and self.fifo.exists():
                return self
            time.sleep(0.1)
        raise RuntimeError("pulseaudio did not start in 15 s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def pactl(self, *args: str) -> str:
        return subprocess.run(
            ["pactl", *args], env={**os.environ, **self.env}, capture_output=True, text=True, check=True
        ).stdout

    def speak(self, samples: np.ndarray, speed: float = 4.0, tail: float = 0.6) -> threading.Thread:
        """Write 16 kHz float samples (then `tail` s of silence) into the microphone, `speed` x real time."""
        data = np.concatenate([samples, np.zeros(int(tail * RATE), np.float32)])
        pcm = (np.clip(data, -1, 1) * 32767).astype("<i2").tobytes()

        progress = [0]

        def write() -> None:
            fd = os.open(self.fifo, os.O_WRONLY)
            try:
                step = 3200  # 0.1 s
                for i in range(0, len(pcm), step):
                    progress[0] += os.write(fd, pcm[i : i + step])
                    time.sleep(0.1 / speed)
            finally:
                os.close(fd)

        thread = threading.Thread(target=write, daemon=True)
        thread.written = progress  # type: ignore[attr-defined]  # bytes written so far, [n]
        thread.start()
        return thread

    def drain(self) -> int:
        """Throw away what is still waiting in the microphone FIFO (call with no recorder running)."""
        fd = os.open(self.fifo, os.O_RDONLY | os.O_NONBLOCK)
        dropped = 0
        try:
            while True:
                try:
                    chunk = os.read(fd, 65536)
                except BlockingIOError:
                    break
                if not chunk:
                    break
                dropped += len(chunk)
        finally:
            os.close(fd)
        return dropped

    def monitor(self) -> Monitor:
        """Start recording what the speakers play."""
        return Monitor(self)


class Monitor:
    """`parec` on the null sink's monitor, collecting raw s16 samples."""

    def __init__(self, server: PulseServer) -> None:
        self.proc = subprocess.Popen(
            [
                "parec",
                "-d",
                "speakers.monitor",
                "--format=s16le",
                f"--rate={RATE}",
                "--channels=1",
                "--raw",
                "--latency-msec=250",
            ],
            env={**os.environ, **server.env},
            stdout=subprocess.PIPE,
        )
        self.chunks: list[bytes] = []
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        while chunk := self.proc.stdout.read1(4096):  # type: ignore[attr-defined]
            self.chunks.append(chunk)

    def stop(self) -> np.ndarray:
        self.proc.terminate()
        self.proc.wait(10)
        self._thread.join(5)
        raw = b"".join(self.chunks)
        return np.frombuffer(raw[: len(raw) // 2 * 2], dtype="<i2").astype(np.float32) / 32768.0


def available() -> str | None:
    """Why the tests cannot run here, or None."""
    for tool in ("pulseaudio", "pactl", "parec"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (Debian: pulseaudio pulseaudio-utils)"
    return None


@pytest.fixture(scope="session")
def pulse_server():
    """One PulseAudio server for the session, its client environment set for this process too."""
    import tempfile

    reason = available()
    if reason:
        pytest.fail(f"The dictation tests need a real audio server: {reason}; .ci/run installs it.")
    root = Path(tempfile.mkdtemp(prefix="speakcase-pulse-"))
    server = PulseServer(root).start()
    saved = {k: os.environ.get(k) for k in server.env}
    os.environ.update(server.env)
    import sounddevice as sd

    # PortAudio lists ALSA's devices when it starts: restart it now that a server runs.
    sd._terminate()
    sd._initialize()
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
